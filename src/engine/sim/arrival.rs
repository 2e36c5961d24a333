//! Who arrives when: arrivals drawn by thinning over the rate segments, scripted posts, and
//! each new customer's persona, request, channel, followers, patience and first post.

use super::scheduler::Pending;
use super::state::{Customer, Identity, Profile};
use super::{MAX_CUSTOMERS, Simulation};
use crate::engine::ids::CustomerId;
use crate::engine::names;
use crate::engine::plan::{Segment, expectation_from_quantiles};
use crate::engine::rng::Stream;
use crate::engine::scenario::{
    Account, Channel, Lang, Phase, Range, Scenario, ScriptedPost, Text, minutes_to_ms,
    seconds_to_ms,
};
use crate::engine::style::{self, Voices};

/// Between phases (rates are zero there, so only scripted posts and pile-ons come), customers
/// split evenly between the channels and write to the care account.
const TWITTER_SHARE_OUTSIDE_PHASES: f64 = 0.5;
const CORPORATE_SHARE_OUTSIDE_PHASES: f64 = 0.0;

/// FNV-1a of a handle, for telling whether it is taken.
fn handle_digest(handle: &str) -> u64 {
    handle.bytes().fold(0xcbf2_9ce4_8422_2325, |hash, byte| {
        (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The euros at stake when a request kind does not say (`{amount}`).
const DEFAULT_AMOUNT_EUR: Range = Range {
    min: 15.0,
    max: 120.0,
};
use crate::engine::transcript::{Event, PostAct, Source};
use std::sync::Arc;

/// What of a new customer is set in advance (by a scripted post, an inject, the
/// facilitator); the rest is drawn from their stream, in the same order whatever is set.
#[derive(Default)]
pub(super) struct Origin<'a> {
    pub(super) persona: Option<usize>,
    pub(super) kind: Option<usize>,
    pub(super) channel: Option<Channel>,
    pub(super) account: Option<Account>,
    pub(super) followers: Option<u32>,
    pub(super) anger: Option<f64>,
    pub(super) text: Option<FirstText<'a>>,
    /// The timeline's scripted post they are (`timeline.scripted[i]`: its lesson).
    pub(super) scripted: Option<usize>,
    /// The inject's firing that brings them.
    pub(super) firing: Option<u32>,
}

/// A first post given in advance.
#[derive(Clone, Copy)]
pub(super) enum FirstText<'a> {
    /// Authored: its alternatives and placeholders are filled.
    Authored(&'a Text),
    /// Typed live by the facilitator: posted word for word.
    Typed(&'a str),
}

impl<'a> Origin<'a> {
    /// A post as authored; None if it names an unknown persona or kind (validation refuses
    /// such a scenario).
    pub(super) fn of_post(
        scenario: &Scenario,
        post: &'a ScriptedPost,
        scripted: Option<usize>,
    ) -> Option<Origin<'a>> {
        Some(Origin {
            persona: scenario.personas.iter().position(|p| p.id == post.persona),
            kind: scenario.kinds.iter().position(|k| k.id == post.kind),
            channel: Some(post.channel),
            account: Some(post.account),
            followers: post.followers,
            anger: post.anger,
            text: post.text.as_ref().map(FirstText::Authored),
            scripted,
            firing: None,
        })
        .filter(|o| o.persona.is_some() && o.kind.is_some())
    }
}

/// The next arrival after `from_ms` and before `until_ms` by thinning over the rate
/// segments, their rates times `scale` (a surge draws its extra arrivals so).
pub(super) fn next_arrival_ms(
    segments: &[Segment],
    rng: &mut Stream,
    from_ms: u64,
    until_ms: u64,
    scale: f64,
) -> Option<u64> {
    let mut t = from_ms as f64;
    let mut index = segments.partition_point(|s| (s.end_ms as f64) <= t);
    while let Some(segment) = segments.get(index) {
        if segment.start_ms >= until_ms {
            return None;
        }
        let max = segment.max_rate() * scale;
        if max <= 0.0 {
            index += 1;
            t = t.max(segment.end_ms as f64);
            continue;
        }
        t = t.max(segment.start_ms as f64) + rng.exponential(1.0 / max);
        if t >= segment.end_ms as f64 {
            t = segment.end_ms as f64;
            index += 1;
            continue;
        }
        if rng.unit() * max <= segment.rate_at(t) * scale {
            let at = (t.ceil() as u64).max(from_ms);
            return (at < until_ms).then_some(at);
        }
    }
    None
}

impl Simulation {
    /// Draws the next arrival by thinning over the linear rate segments.
    pub(super) fn schedule_next_arrival(&mut self, from_ms: u64) {
        let until_ms = self.plan.duration_ms;
        if let Some(at) = next_arrival_ms(
            &self.plan.segments,
            &mut self.arrivals,
            from_ms,
            until_ms,
            1.0,
        ) {
            self.scheduler.at(at, Pending::Arrival);
        }
    }

    pub(super) fn on_arrival(&mut self) {
        let ordinal = self.arrival_ordinal;
        self.arrival_ordinal += 1;
        let rng = self.streams.customer.stream(ordinal);
        self.spawn(rng, Source::Arrival, &Origin::default());
        self.schedule_next_arrival(self.now_ms);
    }

    pub(super) fn on_scripted(&mut self, index: usize) {
        let rng = self.streams.scripted.stream(index as u64);
        let scenario = Arc::clone(&self.scenario);
        let post = &scenario.timeline.scripted[index];
        if let Some(origin) = Origin::of_post(&scenario, post, Some(index)) {
            self.spawn(rng, Source::Scripted, &origin);
        }
    }

    /// Creates a customer: its persona, request, channel and profile come from its own stream.
    pub(super) fn spawn(
        &mut self,
        mut rng: Stream,
        source: Source,
        origin: &Origin<'_>,
    ) -> Option<CustomerId> {
        if self.customers.len() >= MAX_CUSTOMERS {
            return None;
        }
        let scenario = Arc::clone(&self.scenario);
        let now = self.now_ms;
        let phase = self.plan.phase_at(&scenario, now);
        let (persona, kind) = self.draw_request(&mut rng, origin, phase)?;
        let id = CustomerId(self.customers.len() as u32);
        let mut profile = self.draw_profile(&mut rng, (origin, phase), persona, kind);
        if let Some(read) = self.pinned_read(kind, profile.channel) {
            profile.anger = self.after_reading(&read, source, profile.anger)?;
        }
        let (persona_spec, kind_spec) = (&scenario.personas[persona], &scenario.kinds[kind]);
        let lang = profile.lang;
        let mut voice = self.streams.voice.stream(id.0 as u64);
        let identity = self.draw_identity(&mut voice, id, (persona, kind), lang);
        self.record(Event::Arrival {
            customer: id,
            handle: identity.handle.clone(),
            persona: persona_spec.id.clone(),
            kind: kind_spec.id.clone(),
            channel: profile.channel,
            account: profile.account,
            followers: profile.followers,
            expectation_ms: profile.expectation_ms,
            lang,
            source,
            firing: origin.firing,
        });
        let unfair_seen = self.later_answered[profile.channel as usize].after(id.index());
        self.customers.push(Customer::arrive(
            id,
            profile,
            now,
            unfair_seen,
            scenario.details.len(),
            (rng, voice),
            identity,
        ));
        let mut text = match origin.text {
            // A scripted post's alternatives and placeholders are filled as a drawn one's
            // ("{brand} : fuite…").
            Some(FirstText::Authored(text)) => self.write(id, text.get(lang)),
            Some(FirstText::Typed(text)) => text.to_string(),
            None => self.compose(id, &kind_spec.messages, false),
        };
        let pasted = self.pastes_details_unasked(id);
        if pasted != 0 {
            self.give_details(id, pasted);
            let details = self.compose(id, &scenario.texts.unasked_data, false);
            text.push(' ');
            text.push_str(&details);
            self.counters.unasked_data += 1;
        }
        self.post_text(id, PostAct::Complaint, false, text, pasted);
        self.schedule_first_moves(id);
        self.schedule_article_check(id);
        Some(id)
    }

    /// The details a customer pastes in their first public post unasked, at their persona's
    /// rate, for a request with personal data (none when the scenario gives no text for it).
    fn pastes_details_unasked(&mut self, id: CustomerId) -> u64 {
        let scenario = Arc::clone(&self.scenario);
        let c = &mut self.customers[id.index()];
        let rate = scenario.personas[c.persona].unasked_public_data;
        let kind = &scenario.kinds[c.kind];
        // No draw at a rate of 0: scenarios without such personas play as before.
        if rate <= 0.0
            || !kind.personal_data
            || scenario.texts.unasked_data.is_empty()
            || !c.rng.chance(rate)
        {
            return 0;
        }
        self.plan.kind_needed[c.kind]
    }

    /// The persona and the request kind: the origin's, or drawn by weight (the phase
    /// reweights the kinds; a kind may be closed to some personas).
    fn draw_request(
        &self,
        rng: &mut Stream,
        origin: &Origin<'_>,
        phase: Option<&Phase>,
    ) -> Option<(usize, usize)> {
        let scenario = &self.scenario;
        if let (Some(persona), Some(kind)) = (origin.persona, origin.kind) {
            return Some((persona, kind));
        }
        let persona = match origin.persona {
            Some(persona) => persona,
            None => {
                let weights: Vec<f64> = scenario.personas.iter().map(|p| p.weight).collect();
                rng.weighted(&weights)?
            }
        };
        let kind_weights: Vec<f64> = scenario
            .kinds
            .iter()
            .enumerate()
            .map(|(k, kind)| {
                let phase_factor = phase
                    .and_then(|p| p.kind_weights.iter().find(|(id, _)| *id == kind.id))
                    .map_or(1.0, |(_, w)| *w);
                if self.plan.kind_personas[k][persona] {
                    kind.weight * phase_factor
                } else {
                    0.0
                }
            })
            .collect();
        Some((persona, rng.weighted(&kind_weights)?))
    }

    /// Where and how the customer writes: channel, account, audience, patience and anger, in this order from their stream (the order is part of the transcript's hash).
    fn draw_profile(
        &self,
        rng: &mut Stream,
        (origin, phase): (&Origin<'_>, Option<&Phase>),
        persona: usize,
        kind: usize,
    ) -> Profile {
        let scenario = &self.scenario;
        let (persona_spec, kind_spec) = (&scenario.personas[persona], &scenario.kinds[kind]);
        let channel = match origin.channel {
            Some(channel) => channel,
            None => {
                let share = phase.map_or(TWITTER_SHARE_OUTSIDE_PHASES, |p| p.twitter_share);
                if rng.chance(share) {
                    Channel::Twitter
                } else {
                    Channel::Facebook
                }
            }
        };
        let account = match origin.account {
            Some(account) => account,
            None => {
                let share = kind_spec
                    .corporate_share
                    .unwrap_or(phase.map_or(CORPORATE_SHARE_OUTSIDE_PHASES, |p| p.corporate_share));
                if rng.chance(share) {
                    Account::Corporate
                } else {
                    Account::Care
                }
            }
        };
        let followers = match origin.followers {
            Some(count) => count,
            None => {
                let f = persona_spec.followers;
                rng.power_law(
                    f.min.max(1) as f64,
                    f.max.max(f.min.max(1) + 1) as f64,
                    f.exponent,
                ) as u32
            }
        };
        let quantiles = &self.plan.expectation_ms[channel as usize];
        let expectation = expectation_from_quantiles(quantiles, rng.unit()) * persona_spec.patience;
        let expectation_ms =
            expectation.max(seconds_to_ms(scenario.model.min_expectation_s) as f64) as u64;
        let initial = persona_spec.initial_anger;
        let anger = match origin.anger {
            Some(a) => a,
            None => rng.uniform(initial.min, initial.max) + kind_spec.anger,
        }
        .clamp(0.0, 100.0);
        Profile {
            persona,
            kind,
            scripted: origin.scripted,
            lang: persona_spec.language.unwrap_or(self.config.lang),
            channel,
            account,
            followers,
            expectation_ms,
            anger,
        }
    }

    /// The customer's name, handle and the amount at stake, from their voice stream: a handle
    /// stem of the persona's with a number, or one made from the name, never one already on
    /// the page.
    fn draw_identity(
        &mut self,
        voice: &mut Stream,
        id: CustomerId,
        (persona, kind): (usize, usize),
        lang: Lang,
    ) -> Identity {
        let scenario = Arc::clone(&self.scenario);
        let (persona_spec, kind_spec) = (&scenario.personas[persona], &scenario.kinds[kind]);
        let voices = Voices::bundled();
        let (first, last) = names::draw_name(voice, voices.names(lang));
        let mut handle = match style::pick(voice, &persona_spec.handles) {
            Some(stem) => format!("@{stem}{}", 10 + voice.below(90) + 100 * (id.0 as u64 / 90)),
            None => {
                let register = voices.style(lang, persona_spec.register);
                let shapes = if persona_spec.handle_shapes.is_empty() {
                    &register.handle_shapes
                } else {
                    &persona_spec.handle_shapes
                };
                let shape = style::pick(voice, shapes).unwrap_or("{first}_{last}");
                names::handle_from_shape(voice, shape, (first, last), &register.handle_words)
            }
        };
        // Compared by a 64-bit digest: a false match only lengthens a handle.
        while !self.handles_taken.insert(handle_digest(&handle)) {
            handle = format!("{handle}_{}", id.0);
        }
        let amount = kind_spec.amount_eur.unwrap_or(DEFAULT_AMOUNT_EUR);
        Identity {
            handle,
            name: [first, last].join(" "),
            amount_eur: voice.uniform(amount.min, amount.max).round() as u32,
        }
    }

    /// What the persona does whatever the brand does: refuse templates in advance, or write
    /// again in bad faith before anyone could answer.
    fn schedule_first_moves(&mut self, id: CustomerId) {
        let scenario = Arc::clone(&self.scenario);
        let now = self.now_ms;
        let c = &mut self.customers[id.index()];
        let persona = &scenario.personas[c.persona];
        let preempts = c.rng.chance(persona.preempts_template);
        let bad_faith = c.rng.chance(persona.bad_faith);
        let delay = scenario.model.bad_faith_delay_s;
        let earliest_ms = seconds_to_ms(delay.min);
        let bad_faith_delay = earliest_ms + c.rng.below(seconds_to_ms(delay.max) - earliest_ms);
        if preempts {
            self.scheduler.at(
                now + minutes_to_ms(scenario.model.preempt_after_min),
                Pending::Preempt { customer: id },
            );
        }
        if bad_faith {
            self.schedule_check(id, now + bad_faith_delay);
        }
    }
}
