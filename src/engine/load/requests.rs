//! What cases need: the details customers give and the back-office services.

use super::checker::Checker;
use crate::engine::scenario::Scenario;
use std::collections::BTreeSet;

pub(super) fn details<'a>(c: &mut Checker, s: &'a Scenario) -> BTreeSet<&'a str> {
    if s.details.len() > 64 {
        c.fail(
            "details",
            format!("{} details; at most 64", s.details.len()),
        );
    }
    let details = c.unique_ids("details", s.details.iter().map(|d| &d.id));
    for (i, d) in s.details.iter().enumerate() {
        c.text(&format!("details[{i}].label"), &d.label);
        if d.pattern.is_empty() || d.pattern.chars().count() > 64 {
            c.fail(
                format!("details[{i}].pattern"),
                "a pattern of 1 to 64 characters, '#' for a digit",
            );
        }
    }
    details
}

pub(super) fn services<'a>(
    c: &mut Checker,
    s: &'a Scenario,
    details: &BTreeSet<&str>,
) -> BTreeSet<&'a str> {
    let services = c.unique_ids("services", s.services.iter().map(|x| &x.id));
    for (i, service) in s.services.iter().enumerate() {
        let here = format!("services[{i}]");
        c.text(&format!("{here}.name"), &service.name);
        c.text(&format!("{here}.handles"), &service.handles);
        for (j, d) in service.required_details.iter().enumerate() {
            c.known(
                format!("{here}.required_details[{j}]"),
                d,
                details,
                "detail",
            );
        }
        c.range(
            &format!("{here}.resolution_min"),
            service.resolution_min,
            30.0 * 24.0 * 60.0,
        );
    }

    services
}
