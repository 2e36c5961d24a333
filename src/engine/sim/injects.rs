//! The facilitator's moves: an inject fires its posts, its wave and its surge; a post typed
//! live brings a new customer now. Each firing draws from its own streams, so that firing
//! one changes nothing of what the session draws for anybody else.

use super::Simulation;
use super::arrival::{FirstText, Origin, next_arrival_ms};
use super::scheduler::Pending;
use crate::engine::action::ActionError;
use crate::engine::direction::{DirectionError, MAX_FIRINGS};
use crate::engine::rng::Stream;
use crate::engine::scenario::{Account, Channel, minutes_to_ms};
use crate::engine::transcript::{Event, Source};
use std::sync::Arc;

/// One firing of an inject: which, and its surge's extra arrivals while it lasts.
pub(super) struct Firing {
    inject: usize,
    surge: Option<SurgeState>,
}

struct SurgeState {
    until_ms: u64,
    /// The extra share of the rate: a ×2 surge draws as many again.
    extra: f64,
    timing: Stream,
    ordinal: u64,
}

/// A post typed by the facilitator, as the action gives it.
pub(super) struct Typed<'a> {
    pub(super) persona: &'a str,
    pub(super) kind: Option<&'a str>,
    pub(super) channel: Channel,
    pub(super) account: Account,
    pub(super) text: &'a str,
}

/// The stream index of the `n`-th draw of a firing.
fn within(firing: u32, n: u64) -> u64 {
    (u64::from(firing) << 32) | (n & 0xffff_ffff)
}

impl Simulation {
    /// Fires the scenario's inject `id`: records it, then schedules its posts and wave and
    /// opens its surge. Refused, with nothing changed, for an unknown or spent inject.
    pub(super) fn inject(&mut self, id: &str) -> Result<(), ActionError> {
        let scenario = Arc::clone(&self.scenario);
        let Some(index) = scenario.injects.iter().position(|i| i.id == id) else {
            return Err(DirectionError::UnknownInject(id.to_string()).into());
        };
        let inject = &scenario.injects[index];
        let fired = self.firings.iter().filter(|f| f.inject == index).count() as u32;
        if (fired > 0 && !inject.repeatable) || fired >= MAX_FIRINGS {
            return Err(DirectionError::Spent(id.to_string()).into());
        }
        let firing = self.firings.len() as u32;
        self.record(Event::Inject {
            inject: id.to_string(),
            firing,
        });
        let now = self.now_ms;
        let duration = self.plan.duration_ms;
        for (post, spec) in inject.posts.iter().enumerate() {
            let at = now + minutes_to_ms(spec.at_min);
            if at < duration {
                self.scheduler.at(
                    at,
                    Pending::InjectPost {
                        firing,
                        post: post as u32,
                    },
                );
            }
        }
        if let Some(wave) = &inject.wave {
            let mut timing = self
                .streams
                .wave
                .stream(within(firing, u64::from(u32::MAX)));
            let over_ms = minutes_to_ms(wave.over_min).max(1);
            let mut times: Vec<u64> = (0..wave.customers)
                .map(|_| now + timing.below(over_ms))
                .collect();
            times.sort_unstable();
            for (n, at) in times.into_iter().enumerate() {
                if at < duration {
                    self.scheduler.at(
                        at,
                        Pending::Wave {
                            firing,
                            n: n as u32,
                        },
                    );
                }
            }
        }
        let surge = inject.surge.map(|surge| SurgeState {
            until_ms: (now + minutes_to_ms(surge.for_min)).min(duration),
            extra: surge.rate_multiplier - 1.0,
            timing: self
                .streams
                .surge
                .stream(within(firing, u64::from(u32::MAX))),
            ordinal: 0,
        });
        let surging = surge.is_some();
        self.firings.push(Firing {
            inject: index,
            surge,
        });
        if surging {
            self.schedule_surge(firing, now);
        }
        Ok(())
    }

    /// The facilitator's post as a new customer, now. Refused, with nothing changed, for an
    /// unknown persona or kind, an empty text or one too long for the channel.
    pub(super) fn post_as(&mut self, typed: Typed<'_>) -> Result<(), ActionError> {
        let scenario = Arc::clone(&self.scenario);
        let persona = scenario
            .personas
            .iter()
            .position(|p| p.id == typed.persona)
            .ok_or_else(|| DirectionError::UnknownPersona(typed.persona.to_string()))?;
        let kind = match typed.kind {
            Some(id) => {
                let k = scenario
                    .kinds
                    .iter()
                    .position(|k| k.id == id)
                    .ok_or_else(|| DirectionError::UnknownKind(id.to_string()))?;
                if !self.plan.kind_personas[k][persona] {
                    return Err(DirectionError::KindNotForPersona {
                        kind: id.to_string(),
                        persona: typed.persona.to_string(),
                    }
                    .into());
                }
                Some(k)
            }
            None => {
                let drawable = scenario
                    .kinds
                    .iter()
                    .enumerate()
                    .any(|(k, spec)| spec.weight > 0.0 && self.plan.kind_personas[k][persona]);
                if !drawable {
                    return Err(DirectionError::NoKindForPersona(typed.persona.to_string()).into());
                }
                None
            }
        };
        let text = typed.text.trim();
        if text.is_empty() {
            return Err(ActionError::EmptyText);
        }
        let limit = scenario.channels.get(typed.channel).public_char_limit;
        let length = text.chars().count();
        if length > limit as usize {
            return Err(ActionError::TooLong {
                channel: typed.channel,
                private: false,
                limit,
                length,
            });
        }
        self.record(Event::PostAs {
            persona: typed.persona.to_string(),
            kind: typed.kind.map(str::to_string),
            channel: typed.channel,
            account: typed.account,
            text: typed.text.to_string(),
        });
        let ordinal = self.posts_as;
        self.posts_as += 1;
        let origin = Origin {
            persona: Some(persona),
            kind,
            channel: Some(typed.channel),
            account: Some(typed.account),
            text: Some(FirstText::Typed(text)),
            ..Origin::default()
        };
        let rng = self.streams.post_as.stream(ordinal);
        self.spawn(rng, Source::Inject, &origin);
        Ok(())
    }

    pub(super) fn on_inject_post(&mut self, firing: u32, post: u32) {
        let scenario = Arc::clone(&self.scenario);
        let Some(spec) = self
            .firings
            .get(firing as usize)
            .and_then(|f| scenario.injects[f.inject].posts.get(post as usize))
        else {
            return;
        };
        if let Some(mut origin) = Origin::of_post(&scenario, spec, None) {
            origin.firing = Some(firing);
            let rng = self
                .streams
                .inject_post
                .stream(within(firing, u64::from(post)));
            self.spawn(rng, Source::Inject, &origin);
        }
    }

    pub(super) fn on_wave(&mut self, firing: u32, n: u32) {
        let scenario = Arc::clone(&self.scenario);
        let Some(wave) = self
            .firings
            .get(firing as usize)
            .and_then(|f| scenario.injects[f.inject].wave.as_ref())
        else {
            return;
        };
        let origin = Origin {
            persona: scenario.personas.iter().position(|p| p.id == wave.persona),
            kind: wave
                .kind
                .as_ref()
                .and_then(|id| scenario.kinds.iter().position(|k| &k.id == id)),
            firing: Some(firing),
            ..Origin::default()
        };
        if origin.persona.is_some() {
            let rng = self.streams.wave.stream(within(firing, u64::from(n)));
            self.spawn(rng, Source::Inject, &origin);
        }
    }

    /// A surge's extra arrival: drawn like any other, then the next one is scheduled.
    pub(super) fn on_surge(&mut self, firing: u32) {
        let Some(surge) = self
            .firings
            .get_mut(firing as usize)
            .and_then(|f| f.surge.as_mut())
        else {
            return;
        };
        let ordinal = surge.ordinal;
        surge.ordinal += 1;
        let rng = self.streams.surge.stream(within(firing, ordinal));
        let origin = Origin {
            firing: Some(firing),
            ..Origin::default()
        };
        self.spawn(rng, Source::Inject, &origin);
        self.schedule_surge(firing, self.now_ms);
    }

    fn schedule_surge(&mut self, firing: u32, from_ms: u64) {
        let Some(surge) = self
            .firings
            .get_mut(firing as usize)
            .and_then(|f| f.surge.as_mut())
        else {
            return;
        };
        let at = next_arrival_ms(
            &self.plan.segments,
            &mut surge.timing,
            from_ms,
            surge.until_ms,
            surge.extra,
        );
        if let Some(at) = at {
            self.scheduler.at(at, Pending::Surge { firing });
        }
    }
}
