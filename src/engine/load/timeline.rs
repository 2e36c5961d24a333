//! The timeline: phases and their arrival rates, scripted posts, events, and the arrivals
//! they add up to.

use super::checker::Checker;
use super::{MAX_EXPECTED_CUSTOMERS, MAX_FOLLOWERS, MAX_RATE_PER_HOUR};
use crate::engine::plan::Plan;
use crate::engine::scenario::minutes_to_ms;
use crate::engine::scenario::{Scenario, ScriptedPost};
use std::collections::BTreeSet;

/// The duration the timeline is checked against. An unsound one (`identity` reports it) is
/// no bound at all, so that one wrong number does not bring a fault on every phase and post.
pub(super) fn bound(s: &Scenario) -> f64 {
    let d = s.duration_min;
    if d.is_finite() && d > 0.0 && d <= super::MAX_DURATION_MIN {
        d
    } else {
        f64::INFINITY
    }
}

/// A duration of a few "minutes" with a timeline running far past it was meant in hours.
fn minutes_not_hours(c: &mut Checker, s: &Scenario) {
    let duration = bound(s);
    let timeline = &s.timeline;
    let latest = timeline
        .phases
        .iter()
        .map(|p| p.end_min)
        .chain(timeline.scripted.iter().map(|p| p.at_min))
        .chain(timeline.events.iter().map(|e| e.start_min))
        .filter(|m| m.is_finite())
        .fold(0.0, f64::max);
    if duration <= 24.0 && latest > duration {
        c.fail(
            "duration_min",
            format!(
                "{duration} minutes, but the timeline runs to {latest} min: durations are in minutes ({duration} hours is {})",
                duration * 60.0
            ),
        );
    }
}

pub(super) fn phases(c: &mut Checker, s: &Scenario, kinds: &BTreeSet<&str>) {
    minutes_not_hours(c, s);
    let duration = bound(s);
    if s.timeline.phases.is_empty() {
        c.fail("timeline.phases", "needs at least one phase");
    }
    let mut previous_end = 0.0;
    for (i, phase) in s.timeline.phases.iter().enumerate() {
        let here = format!("timeline.phases[{i}]");
        c.text(&format!("{here}.label"), &phase.label);
        if !(phase.start_min >= 0.0 && phase.start_min < phase.end_min && phase.end_min <= duration)
        {
            c.fail(
                here.clone(),
                format!(
                    "start {} and end {} must satisfy 0 <= start < end <= duration ({duration})",
                    phase.start_min, phase.end_min
                ),
            );
        }
        if phase.start_min < previous_end {
            c.fail(format!("{here}.start_min"), format!("phases must not overlap: starts at {} before the previous one ends at {previous_end}", phase.start_min));
        }
        previous_end = phase.end_min.max(previous_end);
        if phase.rate_per_hour.is_empty() {
            c.fail(
                format!("{here}.rate_per_hour"),
                "needs at least one (minute, customers per hour) point",
            );
        }
        let mut last_minute = f64::NEG_INFINITY;
        for (j, (minute, rate)) in phase.rate_per_hour.iter().enumerate() {
            let point = format!("{here}.rate_per_hour[{j}]");
            if !(minute.is_finite()
                && *minute >= phase.start_min
                && *minute <= phase.end_min
                && *minute >= last_minute)
            {
                c.fail(
                    point.clone(),
                    format!(
                        "minute {minute} must lie in the phase ({}-{}) and not go back",
                        phase.start_min, phase.end_min
                    ),
                );
            }
            last_minute = *minute;
            if !(rate.is_finite() && *rate >= 0.0) {
                c.fail(point, format!("rate {rate} per hour must be zero or more"));
            } else if *rate > MAX_RATE_PER_HOUR {
                c.fail(
                    point,
                    format!("rate {rate} per hour is above the limit of {MAX_RATE_PER_HOUR}"),
                );
            }
        }
        c.probability(format!("{here}.twitter_share"), phase.twitter_share);
        c.probability(format!("{here}.corporate_share"), phase.corporate_share);
        for (j, (kind, weight)) in phase.kind_weights.iter().enumerate() {
            c.known(
                format!("{here}.kind_weights[{j}]"),
                kind,
                kinds,
                "request kind",
            );
            c.non_negative(format!("{here}.kind_weights[{j}]"), *weight, 1e6);
        }
    }
}

pub(super) fn scripted(
    c: &mut Checker,
    s: &Scenario,
    personas: &BTreeSet<&str>,
    kinds: &BTreeSet<&str>,
) {
    let duration = bound(s);
    for (i, post) in s.timeline.scripted.iter().enumerate() {
        let here = format!("timeline.scripted[{i}]");
        if !(post.at_min >= 0.0 && post.at_min < duration) {
            c.fail(
                format!("{here}.at_min"),
                format!(
                    "{} must lie within the scenario (0-{duration})",
                    post.at_min
                ),
            );
        }
        check_post(c, s, &here, post, (personas, kinds));
    }
}

/// A post made at a given time (a scripted one, an inject's): its persona, kind, audience
/// and text.
pub(super) fn check_post(
    c: &mut Checker,
    s: &Scenario,
    here: &str,
    post: &ScriptedPost,
    (personas, kinds): (&BTreeSet<&str>, &BTreeSet<&str>),
) {
    c.known(
        format!("{here}.persona"),
        &post.persona,
        personas,
        "persona",
    );
    c.known(format!("{here}.kind"), &post.kind, kinds, "request kind");
    if let Some(k) = s.kinds.iter().find(|k| k.id == post.kind)
        && !k.personas.is_empty()
        && !k.personas.contains(&post.persona)
    {
        c.fail(
            format!("{here}.persona"),
            format!(
                "request kind {:?} is not open to persona {:?}",
                post.kind, post.persona
            ),
        );
    }
    if post.followers.is_some_and(|f| f > MAX_FOLLOWERS) {
        c.fail(
            format!("{here}.followers"),
            format!("at most {MAX_FOLLOWERS}"),
        );
    }
    if let Some(anger) = post.anger {
        c.non_negative(format!("{here}.anger"), anger, 100.0);
    }
    if let Some(text) = &post.text {
        c.text(&format!("{here}.text"), text);
        for (lang, value) in [("fr", &text.fr), ("en", &text.en)] {
            c.known_placeholders(&format!("{here}.text.{lang}"), value);
        }
        c.first_post(
            &format!("{here}.text"),
            &[("fr", &text.fr), ("en", &text.en)],
        );
    }
    if let Some(lesson) = &post.lesson {
        c.text(&format!("{here}.lesson"), lesson);
    }
}

pub(super) fn events(c: &mut Checker, s: &Scenario) {
    let duration = bound(s);
    let _ = c.unique_ids("timeline.events", s.timeline.events.iter().map(|e| &e.id));
    for (i, event) in s.timeline.events.iter().enumerate() {
        let here = format!("timeline.events[{i}]");
        c.text(&format!("{here}.label"), &event.label);
        if !(event.start_min >= 0.0
            && event.start_min < event.end_min
            && event.start_min < duration)
        {
            c.fail(
                here.clone(),
                format!(
                    "start {} and end {} must satisfy 0 <= start < end, start within the scenario",
                    event.start_min, event.end_min
                ),
            );
        }
        c.non_negative(
            format!("{here}.rate_multiplier"),
            event.rate_multiplier,
            1000.0,
        );
        c.non_negative(
            format!("{here}.anger_multiplier"),
            event.anger_multiplier,
            100.0,
        );
        c.non_negative(
            format!("{here}.buzz_multiplier"),
            event.buzz_multiplier,
            100.0,
        );
    }
}

pub(super) fn arrivals(c: &mut Checker, s: &Scenario) {
    match Plan::compile(s, 1.0) {
        Ok(plan) => {
            if plan.expected_arrivals > MAX_EXPECTED_CUSTOMERS {
                c.fail(
                    "timeline.phases",
                    format!(
                        "about {:.0} customers expected; at most {MAX_EXPECTED_CUSTOMERS}",
                        plan.expected_arrivals
                    ),
                );
            }
            if plan.expected_arrivals <= 0.0 && s.timeline.scripted.is_empty() {
                c.fail(
                    "timeline.phases",
                    "no customer would ever come: every rate is 0 and nothing is scripted",
                );
            }
        }
        Err(error) => c.fail("", error.to_string()),
    }
    if minutes_to_ms(s.duration_min) == 0 {
        c.fail(
            "duration_min",
            "the scenario must last at least a millisecond",
        );
    }
}
