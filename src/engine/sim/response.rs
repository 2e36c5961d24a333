//! The customer's answer to the adviser, a few minutes after a reply: details in private,
//! data in public, a refusal, thanks, a redirection, a protest against censorship.

use super::scheduler::{Pending, Timer};
use super::{MIN_ANSWER_DELAY_MS, Simulation};
use crate::engine::ids::CustomerId;
use crate::engine::scenario::{Account, minutes_to_ms};
use crate::engine::transcript::{Event, PostAct};
use std::sync::Arc;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Response {
    Redirect,
    GiveDetails { requested: u64 },
    PublicData { requested: u64 },
    RefusePublicData,
    OpenDm,
    RefuseDm,
    ResolvedByAnswer,
    Acknowledge,
    ThankPublicly,
    Censored,
}

impl Simulation {
    pub(super) fn schedule_response(&mut self, id: CustomerId, response: Response) {
        let range = self.scenario.model.response_delay_min;
        let c = &mut self.customers[id.index()];
        let delay = minutes_to_ms(c.rng.uniform(range.min, range.max)).max(MIN_ANSWER_DELAY_MS);
        self.scheduler.set(
            id,
            Timer::Response,
            self.now_ms + delay,
            Pending::Respond {
                customer: id,
                response,
            },
        );
    }

    pub(super) fn on_response(&mut self, id: CustomerId, response: Response) {
        self.settle(id);
        let scenario = Arc::clone(&self.scenario);
        let texts = &scenario.texts;
        let needed = self.plan.kind_needed[self.customers[id.index()].kind];
        let spontaneous =
            self.scenario.personas[self.customers[id.index()].persona].spontaneous_details;
        if self.customers[id.index()].stage.is_closed() && response != Response::ThankPublicly {
            return;
        }
        match response {
            Response::Redirect => {
                self.customers[id.index()].account = Account::Care;
                self.record(Event::Redirected { customer: id });
                self.post(id, PostAct::Redirected, false, &texts.redirected, 0);
                self.start_waiting(id);
            }
            Response::GiveDetails { requested } => {
                self.post(
                    id,
                    PostAct::DmDetails,
                    true,
                    &texts.dm_details,
                    needed | requested,
                );
            }
            Response::PublicData { requested } => {
                self.post(
                    id,
                    PostAct::PublicData,
                    false,
                    &texts.public_data,
                    needed | requested,
                );
                let message = self.customers[id.index()]
                    .messages
                    .last()
                    .copied()
                    .unwrap_or_default();
                self.customers[id.index()].leaked_data = true;
                self.counters.privacy_leaks += 1;
                self.record(Event::PrivacyLeak {
                    customer: id,
                    message,
                });
            }
            Response::RefusePublicData => {
                self.add_anger(id, scenario.model.refusal_anger);
                self.post(
                    id,
                    PostAct::RefusePublicData,
                    false,
                    &texts.refuse_public_data,
                    0,
                );
            }
            Response::OpenDm => {
                self.customers[id.index()].dm_open = true;
                let says_so = scenario.model.dm_accept_public_probability;
                if self.customers[id.index()].rng.chance(says_so) {
                    self.post(id, PostAct::DmAccept, false, &texts.dm_accept, 0);
                }
                if self.customers[id.index()].rng.chance(spontaneous) {
                    self.post(id, PostAct::DmDetails, true, &texts.dm_details, needed);
                } else {
                    self.post(id, PostAct::DmOpen, true, &texts.dm_open, 0);
                }
            }
            Response::RefuseDm => {
                self.add_anger(id, scenario.model.refusal_anger);
                self.post(id, PostAct::DmRefuse, false, &texts.dm_refuse, 0);
            }
            Response::ResolvedByAnswer => self.resolve(id, None),
            Response::Acknowledge => {
                self.post(id, PostAct::Acknowledged, false, &texts.acknowledged, 0);
                self.start_waiting(id);
            }
            Response::ThankPublicly => {
                let c = &mut self.customers[id.index()];
                c.ambassador = true;
                self.counters.ambassadors += 1;
                self.record(Event::Ambassador { customer: id });
                self.post(id, PostAct::ThanksPublic, false, &texts.thanks_public, 0);
            }
            Response::Censored => {
                self.post(id, PostAct::Censored, false, &texts.censored, 0);
            }
        }
    }

    pub(super) fn on_preempt(&mut self, id: CustomerId) {
        let c = &mut self.customers[id.index()];
        if c.replies > 0 || c.stage.is_closed() {
            return;
        }
        c.preempted = true;
        let scenario = Arc::clone(&self.scenario);
        self.settle(id);
        self.post(
            id,
            PostAct::PreemptTemplate,
            false,
            &scenario.texts.preempt_template,
            0,
        );
    }
}
