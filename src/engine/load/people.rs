//! Who writes: the personas and the request kinds, and that every persona has a request.

use super::MAX_FOLLOWERS;
use super::checker::{Checker, HANDLE_TOKENS, Problem, placeholders};
use crate::engine::scenario::Scenario;
use std::collections::BTreeSet;

pub(super) fn personas<'a>(c: &mut Checker, s: &'a Scenario) -> BTreeSet<&'a str> {
    if s.personas.is_empty() {
        c.fail("personas", "needs at least one persona");
    }
    let personas = c.unique_ids("personas", s.personas.iter().map(|p| &p.id));
    for (i, p) in s.personas.iter().enumerate() {
        let here = format!("personas[{i}]");
        c.text(&format!("{here}.label"), &p.label);
        c.text(&format!("{here}.bio"), &p.bio);
        c.non_negative(format!("{here}.weight"), p.weight, 1e9);
        if p.handles
            .iter()
            .any(|h| h.trim().is_empty() || h.len() > 30)
        {
            c.fail(
                format!("{here}.handles"),
                "handle stems have 1 to 30 characters (or leave the list out: handles are then made from drawn names)",
            );
        }
        for (j, shape) in p.handle_shapes.iter().enumerate() {
            handle_shape(c, &format!("{here}.handle_shapes[{j}]"), shape);
        }
        c.positive(format!("{here}.patience"), p.patience);
        c.non_negative(format!("{here}.irritability"), p.irritability, 100.0);
        c.range(&format!("{here}.initial_anger"), p.initial_anger, 100.0);
        let f = p.followers;
        if f.min == 0 || f.max < f.min || f.max > MAX_FOLLOWERS {
            c.fail(
                format!("{here}.followers"),
                format!("min 1 or more, max at least min and at most {MAX_FOLLOWERS}"),
            );
        }
        if !(f.exponent.is_finite() && f.exponent > 1.0 && f.exponent <= 10.0) {
            c.fail(
                format!("{here}.followers.exponent"),
                format!("{} must be above 1 (about 2.3)", f.exponent),
            );
        }
        for (field, value) in [
            ("dm_willingness", p.dm_willingness),
            ("dislikes_templates", p.dislikes_templates),
            ("preempts_template", p.preempts_template),
            ("posts_data_in_public", p.posts_data_in_public),
            ("spontaneous_details", p.spontaneous_details),
            ("bad_faith", p.bad_faith),
            ("insult", p.insult),
            ("cancel_threat", p.cancel_threat),
            ("shame", p.shame),
            ("thanks", p.thanks),
            ("unasked_public_data", p.unasked_public_data),
            ("typos", p.typos.unwrap_or(0.0)),
            ("signs", p.signs.unwrap_or(0.0)),
        ] {
            c.probability(format!("{here}.{field}"), value);
        }
    }
    if s.personas.iter().all(|p| p.weight <= 0.0) && !s.personas.is_empty() {
        c.fail("personas", "at least one persona needs a weight above 0");
    }
    personas
}

pub(super) fn kinds<'a>(
    c: &mut Checker,
    s: &'a Scenario,
    details: &BTreeSet<&str>,
    services: &BTreeSet<&str>,
    personas: &BTreeSet<&str>,
) -> BTreeSet<&'a str> {
    if s.kinds.is_empty() {
        c.fail("kinds", "needs at least one request kind");
    }
    let kinds = c.unique_ids("kinds", s.kinds.iter().map(|k| &k.id));
    for (i, k) in s.kinds.iter().enumerate() {
        let here = format!("kinds[{i}]");
        c.text(&format!("{here}.label"), &k.label);
        if let Some(topic) = &k.topic {
            c.text(&format!("{here}.topic"), topic);
        }
        if k.press {
            if s.brand.press_contact.is_none() {
                c.fail(
                    format!("{here}.press"),
                    "a press request needs brand.press_contact, where journalists are sent",
                );
            }
            if k.service.is_some() || k.personal_data {
                c.fail(
                    format!("{here}.press"),
                    "a press request goes to the press office: no service, no personal_data",
                );
            }
        }
        c.non_negative(format!("{here}.weight"), k.weight, 1e9);
        if let Some(service) = &k.service {
            c.known(format!("{here}.service"), service, services, "service");
            if let Some(spec) = s.services.iter().find(|x| &x.id == service) {
                for d in &spec.required_details {
                    if !k.needed_details.contains(d) {
                        c.fail(
                            format!("{here}.needed_details"),
                            format!("service {service:?} requires {d:?}: add it, or no transfer could succeed"),
                        );
                    }
                }
            }
        }
        for (j, d) in k.needed_details.iter().enumerate() {
            c.known(format!("{here}.needed_details[{j}]"), d, details, "detail");
        }
        if !k.needed_details.is_empty() && !k.personal_data {
            c.fail(
                format!("{here}.personal_data"),
                "the request needs details, which are personal data: set personal_data: true",
            );
        }
        if k.personal_data && k.service.is_none() {
            c.fail(
                format!("{here}.service"),
                "a request with personal data must name the service that handles it",
            );
        }
        for (j, p) in k.personas.iter().enumerate() {
            c.known(format!("{here}.personas[{j}]"), p, personas, "persona");
        }
        if let Some(share) = k.corporate_share {
            c.probability(format!("{here}.corporate_share"), share);
        }
        if !(k.anger.is_finite() && (-100.0..=100.0).contains(&k.anger)) {
            c.fail(
                format!("{here}.anger"),
                format!("{} must be between -100 and 100", k.anger),
            );
        }
        c.templates(&format!("{here}.messages"), &k.messages);
        c.template_conditions(&format!("{here}.messages"), &k.messages, personas, &kinds);
        if let Some(amount) = k.amount_eur {
            c.range(&format!("{here}.amount_eur"), amount, 1e7);
        }
        for (m, message) in k.messages.iter().enumerate() {
            c.first_post(
                &format!("{here}.messages[{m}]"),
                &[("fr", &message.fr), ("en", &message.en)],
            );
        }
    }
    kinds
}

pub(super) fn reachable(c: &mut Checker, s: &Scenario) {
    for (i, p) in s.personas.iter().enumerate() {
        let reachable = s
            .kinds
            .iter()
            .any(|k| k.weight > 0.0 && (k.personas.is_empty() || k.personas.contains(&p.id)));
        if p.weight > 0.0 && !reachable {
            c.fail(
                format!("personas[{i}]"),
                format!(
                    "no request kind with a weight above 0 is open to persona {:?}",
                    p.id
                ),
            );
        }
    }
}

/// Personas and request kinds that validate but can never appear in a session: drawn with
/// weight 0 (or only by personas of weight 0) and used by no scripted post. Allowed (a
/// trainer may keep one aside), but most likely a mistake.
pub(super) fn never_seen(s: &Scenario) -> Vec<Problem> {
    let scripted = &s.timeline.scripted;
    let persona_drawn = |id: &str| s.personas.iter().any(|p| p.id == id && p.weight > 0.0);
    let mut unseen = Vec::new();
    for (i, p) in s.personas.iter().enumerate() {
        if p.weight <= 0.0 && !scripted.iter().any(|post| post.persona == p.id) {
            unseen.push(Problem {
                path: format!("personas[{i}].weight"),
                message: format!(
                    "persona {:?} has weight 0 and no scripted post uses it: it never appears",
                    p.id
                ),
            });
        }
    }
    for (i, k) in s.kinds.iter().enumerate() {
        let opened = if k.personas.is_empty() {
            s.personas.iter().any(|p| p.weight > 0.0)
        } else {
            k.personas.iter().any(|id| persona_drawn(id))
        };
        if (k.weight <= 0.0 || !opened) && !scripted.iter().any(|post| post.kind == k.id) {
            let why = if k.weight <= 0.0 {
                "has weight 0"
            } else {
                "is open only to personas of weight 0"
            };
            unseen.push(Problem {
                path: format!("kinds[{i}].weight"),
                message: format!(
                    "request kind {:?} {why} and no scripted post uses it: it never appears",
                    k.id
                ),
            });
        }
    }
    unseen
}

/// A handle shape: 1 to 30 characters, letters, digits, `.` and `_` around known tokens.
fn handle_shape(c: &mut Checker, path: &str, shape: &str) {
    if shape.is_empty() || shape.len() > 30 {
        return c.fail(
            path,
            "a handle shape has 1 to 30 characters, such as \"{first}.{last}\"",
        );
    }
    for token in placeholders(shape) {
        if !HANDLE_TOKENS.contains(&token) {
            c.fail(
                path,
                format!(
                    "unknown {{{token}}} in a handle shape; known: {}",
                    HANDLE_TOKENS.join(", ")
                ),
            );
        }
    }
    let outside: String = shape
        .split('{')
        .flat_map(|part| part.split_once('}').map_or(part, |(_, rest)| rest).chars())
        .collect();
    if let Some(bad) = outside
        .chars()
        .find(|ch| !(ch.is_ascii_alphanumeric() || *ch == '.' || *ch == '_'))
    {
        c.fail(
            path,
            format!("{bad:?} cannot be in a handle: letters, digits, '.' and '_' only"),
        );
    }
}
