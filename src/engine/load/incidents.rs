//! Incidents: ids, labels, times within the scenario, the request kinds they are about.

use super::checker::Checker;
use super::timeline::bound;
use crate::engine::scenario::Scenario;
use std::collections::BTreeSet;

pub(super) fn check(c: &mut Checker, s: &Scenario, kinds: &BTreeSet<&str>) {
    let _ = c.unique_ids("incidents", s.incidents.iter().map(|i| &i.id));
    let duration = bound(s);
    for (i, incident) in s.incidents.iter().enumerate() {
        let here = format!("incidents[{i}]");
        c.text(&format!("{here}.label"), &incident.label);
        if !(incident.start_min >= 0.0 && incident.start_min < duration) {
            c.fail(
                format!("{here}.start_min"),
                format!(
                    "{} must lie within the scenario (0-{duration})",
                    incident.start_min
                ),
            );
        }
        if let Some(end) = incident.end_min
            && !(end > incident.start_min && end <= duration)
        {
            c.fail(
                format!("{here}.end_min"),
                format!(
                    "{end} must come after the start ({}) and within the scenario",
                    incident.start_min
                ),
            );
        }
        if incident.about.is_empty() {
            c.fail(
                format!("{here}.about"),
                "name the request kinds the incident is about",
            );
        }
        for (j, kind) in incident.about.iter().enumerate() {
            c.known(format!("{here}.about[{j}]"), kind, kinds, "request kind");
        }
        for (j, kind) in incident.questions.iter().enumerate() {
            let at = format!("{here}.questions[{j}]");
            if incident.about.contains(kind) {
                c.known(at, kind, kinds, "request kind");
            } else {
                c.fail(
                    at,
                    format!("{kind:?} is not among the kinds the incident is about"),
                );
            }
        }
        if !(incident.statement_within_min > 0.0 && incident.statement_within_min <= duration) {
            c.fail(
                format!("{here}.statement_within_min"),
                format!(
                    "{} must be above 0, within the scenario",
                    incident.statement_within_min
                ),
            );
        }
    }
}
