//! The channels: character limits, customers' expectations, anger growth, response norm.

use super::checker::Checker;
use crate::engine::scenario::Scenario;

pub(super) fn check(c: &mut Checker, s: &Scenario) {
    for (name, spec) in [
        ("twitter", &s.channels.twitter),
        ("facebook", &s.channels.facebook),
    ] {
        let path = format!("channels.{name}");
        for (field, value) in [
            ("public_char_limit", spec.public_char_limit),
            ("private_char_limit", spec.private_char_limit),
        ] {
            if value == 0 || value > 100_000 {
                c.fail(
                    format!("{path}.{field}"),
                    format!("{value} characters; between 1 and 100000"),
                );
            }
        }
        if spec.expectation.is_empty() {
            c.fail(
                format!("{path}.expectation"),
                "needs at least one share, e.g. (share: 0.2, within_min: 30)",
            );
        }
        let mut previous = (0.0, 0.0);
        for (i, q) in spec.expectation.iter().enumerate() {
            let here = format!("{path}.expectation[{i}]");
            if !(q.share > previous.0 && q.share <= 1.0) {
                c.fail(
                    format!("{here}.share"),
                    format!(
                        "shares must rise strictly within (0, 1]; {} follows {}",
                        q.share, previous.0
                    ),
                );
            }
            if !(q.within_min.is_finite() && q.within_min > previous.1) {
                c.fail(
                    format!("{here}.within_min"),
                    format!(
                        "times must rise strictly; {} follows {}",
                        q.within_min, previous.1
                    ),
                );
            }
            previous = (q.share, q.within_min);
        }
        c.non_negative(
            format!("{path}.anger_growth_per_hour"),
            spec.anger_growth_per_hour,
            1000.0,
        );
        c.positive(format!("{path}.response_norm_min"), spec.response_norm_min);
    }
}
