//! The facilitator's injects: ids, labels, their posts, waves and surges.

use super::checker::Checker;
use super::timeline::{bound, check_post};
use crate::engine::scenario::{
    EventKind, MAX_SURGE_MULTIPLIER, MAX_WAVE_CUSTOMERS, Scenario, Surge, Wave,
};
use std::collections::BTreeSet;

/// Posts one inject may make at most.
const MAX_INJECT_POSTS: usize = 20;

pub(super) fn check(
    c: &mut Checker,
    s: &Scenario,
    personas: &BTreeSet<&str>,
    kinds: &BTreeSet<&str>,
) {
    let _ = c.unique_ids("injects", s.injects.iter().map(|i| &i.id));
    let duration = bound(s);
    for (i, inject) in s.injects.iter().enumerate() {
        let here = format!("injects[{i}]");
        c.text(&format!("{here}.label"), &inject.label);
        if let Some(description) = &inject.description {
            c.text(&format!("{here}.description"), description);
        }
        if !matches!(
            inject.kind,
            EventKind::Article | EventKind::Influencer | EventKind::Outage | EventKind::Other
        ) {
            c.fail(
                format!("{here}.kind"),
                "an inject is an article, influencer, outage or other",
            );
        }
        if inject.posts.is_empty() && inject.wave.is_none() && inject.surge.is_none() {
            c.fail(
                here.clone(),
                "an inject makes posts, brings a wave or a surge: this one does nothing",
            );
        }
        if inject.posts.len() > MAX_INJECT_POSTS {
            c.fail(
                format!("{here}.posts"),
                format!("{} posts, at most {MAX_INJECT_POSTS}", inject.posts.len()),
            );
        }
        for (j, post) in inject.posts.iter().enumerate() {
            let at = format!("{here}.posts[{j}]");
            if !(post.at_min >= 0.0 && post.at_min < duration) {
                c.fail(
                    format!("{at}.at_min"),
                    format!(
                        "{} minutes after the firing must lie within the scenario (0-{duration})",
                        post.at_min
                    ),
                );
            }
            if post.lesson.is_some() {
                c.fail(format!("{at}.lesson"), "an inject's post teaches no lesson");
            }
            check_post(c, s, &at, post, (personas, kinds));
        }
        if let Some(wave) = &inject.wave {
            check_wave(c, s, &format!("{here}.wave"), wave, (personas, kinds));
        }
        if let Some(surge) = &inject.surge {
            check_surge(c, &format!("{here}.surge"), surge, duration);
        }
    }
}

fn check_wave(
    c: &mut Checker,
    s: &Scenario,
    at: &str,
    wave: &Wave,
    (personas, kinds): (&BTreeSet<&str>, &BTreeSet<&str>),
) {
    let duration = bound(s);
    c.known(format!("{at}.persona"), &wave.persona, personas, "persona");
    match &wave.kind {
        Some(kind) => {
            c.known(format!("{at}.kind"), kind, kinds, "request kind");
            if let Some(k) = s.kinds.iter().find(|k| &k.id == kind)
                && !k.personas.is_empty()
                && !k.personas.contains(&wave.persona)
            {
                c.fail(
                    format!("{at}.persona"),
                    format!(
                        "request kind {kind:?} is not open to persona {:?}",
                        wave.persona
                    ),
                );
            }
        }
        None => {
            let open = s.kinds.iter().any(|k| {
                k.weight > 0.0 && (k.personas.is_empty() || k.personas.contains(&wave.persona))
            });
            if !open {
                c.fail(
                    format!("{at}.kind"),
                    format!(
                        "no request kind of weight above 0 is open to persona {:?}: name one",
                        wave.persona
                    ),
                );
            }
        }
    }
    if wave.customers == 0 || wave.customers > MAX_WAVE_CUSTOMERS {
        c.fail(
            format!("{at}.customers"),
            format!("{} customers, 1 to {MAX_WAVE_CUSTOMERS}", wave.customers),
        );
    }
    if !(wave.over_min > 0.0 && wave.over_min <= duration) {
        c.fail(
            format!("{at}.over_min"),
            format!("{} must be above 0, within the scenario", wave.over_min),
        );
    }
}

fn check_surge(c: &mut Checker, at: &str, surge: &Surge, duration: f64) {
    if !(surge.rate_multiplier > 1.0 && surge.rate_multiplier <= MAX_SURGE_MULTIPLIER) {
        c.fail(
            format!("{at}.rate_multiplier"),
            format!(
                "{} must lie above 1 and at most {MAX_SURGE_MULTIPLIER}",
                surge.rate_multiplier
            ),
        );
    }
    if !(surge.for_min > 0.0 && surge.for_min <= duration) {
        c.fail(
            format!("{at}.for_min"),
            format!("{} must be above 0, within the scenario", surge.for_min),
        );
    }
}
