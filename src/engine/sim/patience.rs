//! Patience: when a customer waits for the brand, and what they do at each relaunch point
//! (churn, give up, follow up, escalate, shame).

use super::scheduler::{Pending, Timer};
use super::state::Stage;
use super::{MINUTE_MS, Simulation};
use crate::engine::ids::CustomerId;

/// No customer writes again within a minute of their last check.
const MIN_RELAUNCH_GAP_MS: u64 = MINUTE_MS;
/// Later customers answered first that anger a customer at one relaunch, at most: a page
/// read in a glance, not counted in full (docs/scenarios.md, `unfair_order_anger`).
const MAX_UNFAIR_SEEN_PER_RELAUNCH: u64 = 10;
/// The mean gap between relaunches is `relaunch_mean_min` times (this - anger/100): a
/// furious customer writes again five times sooner than a calm one.
const RELAUNCH_PACE_AT_CALM: f64 = 1.5;
use crate::engine::transcript::{Event, PostAct};
use std::sync::Arc;

impl Simulation {
    /// The customer now waits for the brand, with the patience they have at this stage.
    pub(super) fn start_waiting(&mut self, id: CustomerId) {
        self.settle(id);
        let ack_factor = self.scenario.model.acknowledged_patience;
        let now = self.now_ms;
        let c = &mut self.customers[id.index()];
        if c.stage.is_closed()
            || matches!(c.stage, Stage::Transferred { .. })
            || c.waiting_since.is_some()
        {
            return;
        }
        c.waiting_since = Some(now);
        c.wait_budget_ms = if c.acknowledged {
            (c.expectation_ms as f64 * ack_factor) as u64
        } else {
            c.expectation_ms
        };
        let at = now + c.wait_budget_ms.max(MIN_RELAUNCH_GAP_MS);
        self.schedule_check(id, at);
    }

    pub(super) fn stop_waiting(&mut self, id: CustomerId) {
        self.settle(id);
        self.customers[id.index()].waiting_since = None;
        self.scheduler.cancel(id, Timer::Check);
    }

    pub(super) fn schedule_check(&mut self, id: CustomerId, at: u64) {
        self.scheduler
            .set(id, Timer::Check, at, Pending::Check { customer: id });
    }

    /// A relaunch point: the customer churns, gives up, or writes again, angrier.
    pub(super) fn on_check(&mut self, id: CustomerId) {
        let c = &self.customers[id.index()];
        if c.stage.is_closed() || matches!(c.stage, Stage::Transferred { .. }) {
            return;
        }
        if c.waiting_since.is_none() {
            // A bad-faith follow-up scheduled at arrival, answered since.
            return;
        }
        self.settle(id);
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.model;
        // Later customers answered first: visible on a public page.
        let channel = self.customers[id.index()].channel;
        if self.customers[id.index()].first_reply_ms.is_none() {
            let seen = self.later_answered[channel as usize].after(id.index());
            let c = &mut self.customers[id.index()];
            let newly = seen
                .saturating_sub(c.unfair_seen)
                .min(MAX_UNFAIR_SEEN_PER_RELAUNCH);
            c.unfair_seen = seen;
            self.add_anger(id, model.unfair_order_anger * newly as f64);
        }
        let persona = &self.scenario.personas[self.customers[id.index()].persona];
        let (shame, insult, cancel) = (persona.shame, persona.insult, persona.cancel_threat);
        let c = &mut self.customers[id.index()];
        let a = c.anger / 100.0;
        if c.relaunches >= model.max_relaunches {
            // Stops writing; whether they leave was drawn at each relaunch.
            self.close(id, false);
            return;
        }
        let u = c.rng.unit();
        let p_churn = model.churn_hazard * a * a;
        let p_abandon = model.abandon_hazard * (1.0 - a);
        if u < p_churn {
            self.close(id, true);
            return;
        }
        if u < p_churn + p_abandon {
            self.close(id, false);
            return;
        }
        let act = if !c.shamed && c.rng.chance(model.shame_hazard * shame * a) {
            PostAct::Shame
        } else if c.rng.chance(model.escalation_hazard * a) {
            let e = model.escalation;
            let weights = [
                cancel + e.cancel_threat,
                insult,
                e.tag_competitor,
                e.witnesses,
            ];
            match c.rng.weighted(&weights) {
                Some(0) => PostAct::CancelThreat,
                Some(1) => PostAct::Insult,
                Some(2) => PostAct::TagCompetitor,
                _ => PostAct::Witnesses,
            }
        } else {
            PostAct::Followup
        };
        c.relaunches += 1;
        // Shaming and escalations are public; a plain follow-up stays where the talk is.
        let private = c.dm_open && act == PostAct::Followup;
        let mean_ms = model.relaunch_mean_min * MINUTE_MS as f64 * (RELAUNCH_PACE_AT_CALM - a);
        let next = self.now_ms + (c.rng.exponential(mean_ms) as u64).max(MIN_RELAUNCH_GAP_MS);
        let scenario = Arc::clone(&self.scenario);
        let texts = &scenario.texts;
        let templates = match act {
            PostAct::Shame => &texts.shame,
            PostAct::CancelThreat => &texts.cancel_threat,
            PostAct::Insult => &texts.insult,
            PostAct::TagCompetitor => &texts.tag_competitor,
            PostAct::Witnesses => &texts.witnesses,
            _ => &texts.followup,
        };
        self.post(id, act, private, templates, 0);
        self.schedule_check(id, next);
    }

    /// Ends a customer's story: churn (silent switch) or quiet abandonment.
    pub(super) fn close(&mut self, id: CustomerId, churn: bool) {
        let anger = self.anger_u8(id);
        for timer in Timer::ALL {
            self.scheduler.cancel(id, timer);
        }
        let c = &mut self.customers[id.index()];
        if churn {
            c.stage = Stage::Churned;
            self.counters.churned += 1;
            self.record(Event::Churned {
                customer: id,
                anger,
            });
        } else {
            c.stage = Stage::Abandoned;
            self.counters.abandoned += 1;
            self.record(Event::Abandoned {
                customer: id,
                anger,
            });
        }
    }
}
