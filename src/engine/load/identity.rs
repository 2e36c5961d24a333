//! The scenario's identity: id, titles, learning goals, difficulty, duration, start, team.

use super::MAX_DURATION_MIN;
use super::checker::Checker;
use crate::engine::scenario::Scenario;

/// A customer a minute: beyond that nobody reads, let alone answers.
const MAX_SOLO_PER_HOUR: f64 = 60.0;

pub(super) fn check(c: &mut Checker, s: &Scenario) {
    if s.id.is_empty()
        || !s
            .id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
    {
        c.fail(
            "id",
            format!("id {:?} must be letters, digits, '_' or '-'", s.id),
        );
    }
    c.text("title", &s.title);
    c.text("description", &s.description);
    for (i, goal) in s.learning_goals.iter().enumerate() {
        c.text(&format!("learning_goals[{i}]"), goal);
    }
    if !(1..=5).contains(&s.difficulty) {
        c.fail(
            "difficulty",
            format!("{} is not between 1 and 5", s.difficulty),
        );
    }
    c.positive("duration_min".into(), s.duration_min);
    if s.duration_min > MAX_DURATION_MIN {
        c.fail(
            "duration_min",
            format!(
                "{} minutes is longer than a week ({MAX_DURATION_MIN})",
                s.duration_min
            ),
        );
    }
    if s.start.weekday > 6 || s.start.hour > 23 || s.start.minute > 59 {
        c.fail("start", "weekday 0-6, hour 0-23, minute 0-59");
    }
    if let Some(per_hour) = s.solo_customers_per_hour {
        c.positive("solo_customers_per_hour".into(), per_hour);
        if per_hour > MAX_SOLO_PER_HOUR {
            c.fail(
                "solo_customers_per_hour",
                format!(
                    "{per_hour} an hour is more than one person can read ({MAX_SOLO_PER_HOUR})"
                ),
            );
        }
    }
    if !(1..=50).contains(&s.team_size) {
        c.fail(
            "team_size",
            format!("{} advisers; between 1 and 50", s.team_size),
        );
    }
}
