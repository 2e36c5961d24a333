//! Anger in closed form: linear growth past the customer's own expectation, exponential
//! relaxation after an answer, so its cost is O(posts), not O(time).

use super::Simulation;
use super::state::Customer;
use crate::engine::ids::CustomerId;
use crate::engine::plan::MS_PER_HOUR;

impl Simulation {
    pub(super) fn decay(&self, elapsed_ms: u64, half_life_ms: f64) -> f64 {
        if half_life_ms <= 0.0 {
            0.0
        } else {
            libm::exp2(-(elapsed_ms as f64) / half_life_ms)
        }
    }

    /// Anger at `t`. Once answered, anger relaxes exponentially towards the customer's resting
    /// level; while waiting past their patience it grows linearly (disconfirmation). Before
    /// any answer it only grows: nothing calms a customer nobody has answered.
    pub(super) fn anger_at(&self, c: &Customer, t_ms: u64) -> f64 {
        let t = t_ms.max(c.anger_at_ms);
        let overdue_from = c
            .waiting_since
            .filter(|_| !c.stage.is_closed())
            .map(|since| (since + c.wait_budget_ms).max(c.anger_at_ms));
        let mut anger = c.anger;
        if c.first_reply_ms.is_some() {
            let relax_until = overdue_from.map_or(t, |from| t.min(from));
            // The resting level: the baseline, plus what a late first reply left.
            let base = (self.scenario.model.baseline_anger + c.grudge).min(100.0);
            anger = base
                + (anger - base)
                    * self.decay(relax_until - c.anger_at_ms, self.plan.relax_half_life_ms);
        }
        if let Some(from) = overdue_from
            && t > from
        {
            let persona = &self.scenario.personas[c.persona];
            let per_ms = self.scenario.channels.get(c.channel).anger_growth_per_hour
                * persona.irritability
                / MS_PER_HOUR;
            anger = (anger + per_ms * self.plan.anger_steps.integral(from, t)).min(100.0);
        }
        anger
    }

    pub(super) fn settle(&mut self, id: CustomerId) {
        let now = self.now_ms;
        let anger = self.anger_at(&self.customers[id.index()], now);
        let c = &mut self.customers[id.index()];
        c.anger = anger;
        c.anger_at_ms = now;
    }

    pub(super) fn add_anger(&mut self, id: CustomerId, delta: f64) {
        let c = &mut self.customers[id.index()];
        c.anger = (c.anger + delta).clamp(0.0, 100.0);
    }

    pub(super) fn anger_u8(&self, id: CustomerId) -> u8 {
        self.customers[id.index()].anger.round() as u8
    }
}
