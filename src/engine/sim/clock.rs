//! The scenario's wall clock as customers speak of it: the part of the day ("ce matin") and
//! how long ago something happened ("il y a 20 min"), so that nobody says "je vous ai écrit
//! ce matin" a minute after their first message.

use super::MINUTE_MS;
use crate::engine::scenario::{Lang, StartTime};
use std::fmt::Write;

const MINUTES_PER_DAY: u64 = 24 * 60;

/// Past this, "il y a 3 h" reads as "ce matin" when the part of the day has changed.
const SAID_AS_PART_OF_DAY_MIN: u64 = 180;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum PartOfDay {
    Morning,
    Afternoon,
    Evening,
    Night,
}

impl PartOfDay {
    pub(super) fn said(self, lang: Lang) -> &'static str {
        match (lang, self) {
            (Lang::Fr, PartOfDay::Morning) => "ce matin",
            (Lang::Fr, PartOfDay::Afternoon) => "cet après-midi",
            (Lang::Fr, PartOfDay::Evening) => "ce soir",
            (Lang::Fr, PartOfDay::Night) => "cette nuit",
            (Lang::En, PartOfDay::Morning) => "this morning",
            (Lang::En, PartOfDay::Afternoon) => "this afternoon",
            (Lang::En, PartOfDay::Evening) => "this evening",
            (Lang::En, PartOfDay::Night) => "last night",
        }
    }
}

pub(super) struct SceneClock {
    /// Minute 0 of the session, in minutes after midnight of its first day.
    start_min: u64,
}

impl SceneClock {
    pub(super) fn new(start: &StartTime) -> SceneClock {
        SceneClock {
            start_min: u64::from(start.hour.min(23)) * 60 + u64::from(start.minute.min(59)),
        }
    }

    fn minute_of_session_days(&self, t_ms: u64) -> u64 {
        self.start_min + t_ms / MINUTE_MS
    }

    pub(super) fn part_of_day(&self, t_ms: u64) -> PartOfDay {
        match (self.minute_of_session_days(t_ms) % MINUTES_PER_DAY) / 60 {
            5..=11 => PartOfDay::Morning,
            12..=17 => PartOfDay::Afternoon,
            18..=22 => PartOfDay::Evening,
            _ => PartOfDay::Night,
        }
    }

    /// How long ago `from_ms` was at `now_ms`, as a customer says it.
    pub(super) fn since(&self, from_ms: u64, now_ms: u64, lang: Lang, text: &mut String) {
        let minutes = now_ms.saturating_sub(from_ms) / MINUTE_MS;
        let day = |t| self.minute_of_session_days(t) / MINUTES_PER_DAY;
        let (days, part) = (
            day(now_ms).saturating_sub(day(from_ms)),
            self.part_of_day(from_ms),
        );
        // Writing to a String cannot fail.
        let _ = match lang {
            _ if minutes >= SAID_AS_PART_OF_DAY_MIN && days == 1 => {
                text.push_str(if lang == Lang::Fr {
                    "hier"
                } else {
                    "yesterday"
                });
                Ok(())
            }
            Lang::Fr if days > 1 => write!(text, "il y a {days} jours"),
            Lang::En if days > 1 => write!(text, "{days} days ago"),
            _ if minutes >= SAID_AS_PART_OF_DAY_MIN && part != self.part_of_day(now_ms) => {
                text.push_str(part.said(lang));
                Ok(())
            }
            Lang::Fr if minutes >= 120 => write!(text, "il y a {} h", minutes / 60),
            Lang::En if minutes >= 120 => write!(text, "{} h ago", minutes / 60),
            Lang::Fr => write!(text, "il y a {} min", minutes.max(1)),
            Lang::En => write!(text, "{} min ago", minutes.max(1)),
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn said(clock: &SceneClock, from_min: u64, now_min: u64) -> String {
        let mut text = String::new();
        clock.since(
            from_min * MINUTE_MS,
            now_min * MINUTE_MS,
            Lang::Fr,
            &mut text,
        );
        text
    }

    #[test]
    fn a_customer_says_how_long_ago_as_people_do() {
        let clock = SceneClock::new(&StartTime {
            date: "2012-01-10".into(),
            weekday: 1,
            hour: 9,
            minute: 0,
        });
        assert_eq!(said(&clock, 0, 1), "il y a 1 min");
        assert_eq!(said(&clock, 0, 0), "il y a 1 min");
        assert_eq!(said(&clock, 0, 45), "il y a 45 min");
        assert_eq!(said(&clock, 0, 150), "il y a 2 h");
        // 9:00 to 14:00: the morning is "ce matin", never "il y a 5 h".
        assert_eq!(said(&clock, 0, 300), "ce matin");
        assert_eq!(said(&clock, 0, 24 * 60), "hier");
        assert_eq!(clock.part_of_day(10 * 60 * MINUTE_MS), PartOfDay::Evening);
        assert_eq!(clock.part_of_day(14 * 60 * MINUTE_MS), PartOfDay::Night);
    }
}
