//! The customers' texts for each act (follow-ups, escalations, answers to the adviser).

use super::checker::Checker;
use crate::engine::scenario::Scenario;
use std::collections::BTreeSet;

pub(super) fn check(
    c: &mut Checker,
    s: &Scenario,
    personas: &BTreeSet<&str>,
    kinds: &BTreeSet<&str>,
) {
    let t = &s.texts;
    for (name, list) in [
        ("followup", &t.followup),
        ("cancel_threat", &t.cancel_threat),
        ("insult", &t.insult),
        ("tag_competitor", &t.tag_competitor),
        ("witnesses", &t.witnesses),
        ("shame", &t.shame),
        ("preempt_template", &t.preempt_template),
        ("dm_accept", &t.dm_accept),
        ("dm_open", &t.dm_open),
        ("dm_details", &t.dm_details),
        ("dm_refuse", &t.dm_refuse),
        ("public_data", &t.public_data),
        ("refuse_public_data", &t.refuse_public_data),
        ("acknowledged", &t.acknowledged),
        ("thanks_public", &t.thanks_public),
        ("bounce_back", &t.bounce_back),
        ("redirected", &t.redirected),
        ("censored", &t.censored),
    ] {
        c.templates(&format!("texts.{name}"), list);
        c.template_conditions(&format!("texts.{name}"), list, personas, kinds);
    }
    // Optional: only the personas who paste their details unasked need it.
    let pasting = s.personas.iter().position(|p| p.unasked_public_data > 0.0);
    if !t.unasked_data.is_empty() || pasting.is_some() {
        c.templates("texts.unasked_data", &t.unasked_data);
        c.template_conditions("texts.unasked_data", &t.unasked_data, personas, kinds);
    }
    if let (Some(i), true) = (pasting, t.unasked_data.is_empty()) {
        c.fail(
            format!("personas[{i}].unasked_public_data"),
            "a persona who pastes their details unasked needs texts.unasked_data, how they write them (\"Mon numéro : {details}\")",
        );
    }
}
