//! The scripted team's crisis speech: the expert publishes a holding statement on each
//! channel within minutes of an incident, an update before each promised one is due, and a
//! resolution notice when the incident ends. The naive team never publishes. The texts and
//! delays are data (`assets/policies/statements.ron`).

use super::action::Action;
use super::ids::SeatId;
use super::scenario::{Channel, Text, minutes_to_ms};
use super::sim::Simulation;
use serde::Deserialize;
use std::collections::BTreeSet;

const PHRASES: &str = include_str!("../../assets/policies/statements.ron");

/// A published statement is followed up this long before its promised update is due.
const UPDATE_AHEAD_MS: u64 = 2 * 60_000;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeechPhrases {
    holding_after_min: f64,
    holding: Vec<Text>,
    update: Vec<Text>,
    resolution: Vec<Text>,
}

impl SpeechPhrases {
    pub fn bundled() -> SpeechPhrases {
        // Part of the binary and checked by a test: failing here is a build defect.
        ron::from_str(PHRASES).expect("assets/policies/statements.ron is valid")
    }
}

/// What the team owes the community on one channel about one incident, and when.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Duty {
    Holding,
    Update,
    Resolution,
}

/// The crisis speech of a scripted team: statements made by one seat (none, solo).
pub struct CrisisSpeech {
    phrases: SpeechPhrases,
    seat: Option<SeatId>,
    /// (incident, channel) pairs the team says no more about: the resolution notice is
    /// out, or the engine refused a statement (none fits the channel).
    done: BTreeSet<(usize, Channel)>,
    /// The next duty's time, as of so many statements in the session: the scripted team asks
    /// before every event, and only a new statement or a duty done moves it.
    next_due: Option<(usize, Option<u64>)>,
}

const CHANNELS: [Channel; 2] = [Channel::Twitter, Channel::Facebook];

impl CrisisSpeech {
    pub fn new(seat: Option<SeatId>) -> CrisisSpeech {
        CrisisSpeech {
            phrases: SpeechPhrases::bundled(),
            seat,
            done: BTreeSet::new(),
            next_due: None,
        }
    }

    /// The next duty of one incident on one channel: what and when.
    fn duty(&self, sim: &Simulation, incident: usize, channel: Channel) -> Option<(u64, Duty)> {
        if self.done.contains(&(incident, channel)) {
            return None;
        }
        let spec = &sim.scenario().incidents[incident];
        let start = minutes_to_ms(spec.start_min);
        let end = spec.end_min.map(minutes_to_ms);
        let after = minutes_to_ms(self.phrases.holding_after_min);
        let latest = sim
            .statements()
            .iter()
            .rev()
            .find(|s| s.channel == channel && s.t_ms >= start);
        let (at, duty) = match latest {
            None => (start + after, Duty::Holding),
            Some(statement) => match statement.promised_ms {
                Some(promised) => (
                    promised.saturating_sub(UPDATE_AHEAD_MS).max(statement.t_ms),
                    Duty::Update,
                ),
                None if end.is_some() => (u64::MAX, Duty::Update),
                None => return None,
            },
        };
        match end {
            // Over: the resolution notice, if anything was said about it.
            Some(end) if at >= end => latest.map(|_| (end + after, Duty::Resolution)),
            _ => Some((at, duty)),
        }
    }

    /// When the team next owes a statement.
    pub fn next_due_ms(&mut self, sim: &Simulation) -> Option<u64> {
        let published = sim.statements().len();
        if let Some((as_of, due)) = self.next_due
            && as_of == published
        {
            return due;
        }
        let due = self.earliest_duty_ms(sim);
        self.next_due = Some((published, due));
        due
    }

    fn earliest_duty_ms(&self, sim: &Simulation) -> Option<u64> {
        (0..sim.scenario().incidents.len())
            .flat_map(|incident| CHANNELS.map(|channel| self.duty(sim, incident, channel)))
            .flatten()
            .map(|(at, _)| at)
            .filter(|at| *at != u64::MAX)
            .min()
    }

    /// Publishes every statement due by now; returns how many the engine refused.
    pub fn act(&mut self, sim: &mut Simulation) -> u32 {
        self.next_due = None;
        let now = sim.now_ms();
        let mut rejected = 0;
        for incident in 0..sim.scenario().incidents.len() {
            for channel in CHANNELS {
                let Some((at, duty)) = self.duty(sim, incident, channel) else {
                    continue;
                };
                if at > now {
                    continue;
                }
                let lang = sim.config().lang;
                let label = sim.scenario().incidents[incident].label.get(lang);
                let limit = sim.scenario().channels.char_limit(channel, false) as usize;
                let texts = match duty {
                    Duty::Holding => &self.phrases.holding,
                    Duty::Update => &self.phrases.update,
                    Duty::Resolution => &self.phrases.resolution,
                };
                let fitting = texts
                    .iter()
                    .map(|t| t.get(lang).replace("{incident}", label))
                    .find(|t| t.chars().count() <= limit);
                if duty == Duty::Resolution {
                    self.done.insert((incident, channel));
                }
                let published = fitting.is_some_and(|text| {
                    sim.act_as(self.seat, Action::Publish { channel, text })
                        .is_ok()
                });
                if !published {
                    // Never asked again: a duty left due would hold the clock.
                    self.done.insert((incident, channel));
                    rejected += 1;
                }
            }
        }
        rejected
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bundled_phrases_parse() {
        let phrases = SpeechPhrases::bundled();
        for list in [&phrases.holding, &phrases.update, &phrases.resolution] {
            assert!(
                list.len() >= 2,
                "a long text and one for a 140-character tweet"
            );
            assert!(
                list.iter()
                    .all(|t| t.fr.contains("{incident}") && t.en.contains("{incident}"))
            );
        }
    }
}
