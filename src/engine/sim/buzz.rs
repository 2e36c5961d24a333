//! The bad buzz: each public post's reshare tree drawn whole (SEISMIC kernel, branching),
//! the buzz index it feeds, and the pile-on complainers reshares draw.

use super::Simulation;
use crate::engine::ids::{CustomerId, MessageId};

/// The kernel's tail is cut at a month: no scenario lasts longer than a week, so later
/// reshares would never be seen and their delay would only risk overflow.
const MAX_RESHARE_DELAY_S: f64 = 30.0 * 86_400.0;
use super::scheduler::Pending;
use crate::engine::transcript::{Event, Source};

impl Simulation {
    /// A public post seen by `followers` at this anger: its reach feeds the buzz.
    pub(super) fn add_buzz(&mut self, followers: u32, anger: u8) {
        self.add_buzz_points(followers as f64 * anger as f64 / 100.0);
        self.reach += followers as u64;
    }

    /// Raises the buzz index now by `points` (its units: followers times anger / 100).
    pub(super) fn add_buzz_points(&mut self, points: f64) {
        self.buzz = self.buzz_now() + points;
        self.buzz_at_ms = self.now_ms;
        self.peak_buzz = self.peak_buzz.max(self.buzz);
    }

    /// Draws the whole reshare tree of a public post at once (SEISMIC kernel, branching).
    pub(super) fn spread(&mut self, id: CustomerId, message: MessageId, anger: u8, shaming: bool) {
        let c = &self.customers[id.index()];
        let followers = c.followers;
        let key = ((id.0 as u64) << 20) | c.posts as u64;
        self.add_buzz(followers, anger);
        let cascade = self.scenario.model.cascade.clone();
        let p = cascade.reshare_probability_at(
            anger as f64,
            shaming,
            self.plan.buzz_steps.at(self.now_ms),
        );
        let c_s = cascade.kernel_c_per_s;
        let s0 = cascade.kernel_s0_s;
        let theta = cascade.kernel_theta;
        let (head, kernel_mass) = cascade.kernel_head_and_mass();
        let mut rng = self.streams.cascade.stream(key);
        let mut budget = cascade.max_reshares_per_post as u64;
        let resharer_followers = self.plan.resharer_followers;
        let pile_on = cascade.pile_on * self.pile_on_factor(id);
        // (time, followers, depth) of posts whose children are still to draw.
        let mut frontier = vec![(self.now_ms, followers, 0u16)];
        while let Some((t0, parent_followers, depth)) = frontier.pop() {
            let mean = (p * parent_followers as f64 * kernel_mass).min(budget as f64);
            let children = rng.poisson(mean).min(budget);
            budget -= children;
            for _ in 0..children {
                let x = rng.unit() * kernel_mass;
                let delay_s = if x <= head {
                    x / c_s
                } else {
                    let tail = 1.0 - (x - head) * theta / head;
                    s0 * libm::pow(tail.max(1e-12), -1.0 / theta)
                };
                let at = t0 + (delay_s.min(MAX_RESHARE_DELAY_S) * 1000.0) as u64;
                let child_followers = resharer_followers.draw(&mut rng) as u32;
                let pile_on = if rng.chance(pile_on * anger as f64 / 100.0) {
                    Some(rng.below(u64::MAX))
                } else {
                    None
                };
                if at < self.plan.duration_ms {
                    self.scheduler.at(
                        at,
                        Pending::Reshare {
                            customer: id,
                            message,
                            followers: child_followers,
                            depth: depth + 1,
                            anger,
                            pile_on,
                        },
                    );
                    frontier.push((at, child_followers, depth + 1));
                }
            }
        }
    }

    pub(super) fn on_reshare(
        &mut self,
        id: CustomerId,
        message: MessageId,
        followers: u32,
        depth: u16,
        anger: u8,
        pile_on: Option<u64>,
    ) {
        if self.messages[message.index()].hidden {
            return;
        }
        self.counters.reshares += 1;
        self.add_buzz(followers, anger);
        self.record(Event::Reshare {
            customer: id,
            message,
            followers,
            depth,
        });
        if let Some(key) = pile_on {
            let rng = self.streams.pile_on.stream(key);
            self.spawn(rng, Source::PileOn, &super::arrival::Origin::default());
        }
    }
}
