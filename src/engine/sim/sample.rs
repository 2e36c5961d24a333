//! The periodic samples of the session's state: waiting customers, mean anger, buzz.

use super::Simulation;
use super::scheduler::Pending;
use crate::engine::transcript::Event;

impl Simulation {
    pub(super) fn on_sample(&mut self) {
        let now = self.now_ms;
        let mut waiting = 0;
        let mut anger_sum = 0.0;
        let mut active = 0;
        for c in &self.customers {
            if c.stage.is_closed() {
                continue;
            }
            active += 1;
            anger_sum += self.anger_at(c, now);
            if c.waiting_since.is_some() {
                waiting += 1;
            }
        }
        let mean_anger = if active > 0 {
            (anger_sum / active as f64).round() as u8
        } else {
            0
        };
        let counters = self.counters;
        let buzz = self.buzz_now().round() as u64;
        let reach = self.reach;
        self.record(Event::Sample {
            waiting,
            answered: counters.answered,
            churned: counters.churned,
            ambassadors: counters.ambassadors,
            mean_anger,
            buzz,
            reach,
        });
        let next = now + self.plan.sample_every_ms;
        if next < self.plan.duration_ms && !self.ended {
            self.scheduler.at(next, Pending::Sample);
        }
    }
}
