//! The customers' texts for each act (follow-ups, escalations, answers to the adviser).

use super::checker::Checker;
use crate::engine::scenario::Scenario;

pub(super) fn check(c: &mut Checker, s: &Scenario) {
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
    }
}
