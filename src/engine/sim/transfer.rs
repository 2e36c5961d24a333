//! The back office: a transfer with its details, the service's verdict after its delay
//! (resolved, or bounced back for the wrong service or missing details), and resolution.

use super::response::Response;
use super::scheduler::{Pending, Timer};
use super::state::Stage;
use super::{MIN_ANSWER_DELAY_MS, Simulation};
use crate::engine::action::ActionError;
use crate::engine::ids::{CustomerId, SeatId};
use crate::engine::scenario::minutes_to_ms;
use crate::engine::transcript::{BounceReason, Cause, Event, PostAct};
use std::sync::Arc;

impl Simulation {
    pub(super) fn transfer(
        &mut self,
        seat: Option<SeatId>,
        id: CustomerId,
        service_id: &str,
        details: Vec<String>,
    ) -> Result<(), ActionError> {
        let c = self
            .customers
            .get(id.index())
            .ok_or(ActionError::UnknownConversation(id))?;
        if c.stage.is_closed() {
            return Err(ActionError::CaseClosed(id));
        }
        if matches!(c.stage, Stage::Transferred { .. }) {
            return Err(ActionError::AlreadyTransferred(id));
        }
        let service = self
            .scenario
            .services
            .iter()
            .position(|s| s.id == service_id)
            .ok_or_else(|| ActionError::UnknownService(service_id.to_string()))?;
        let mut listed = 0u64;
        for detail in &details {
            let index = self
                .detail_index(detail)
                .ok_or_else(|| ActionError::UnknownDetail(detail.clone()))?;
            if c.provided & (1 << index) == 0 {
                return Err(ActionError::DetailNotCollected {
                    detail: detail.clone(),
                });
            }
            listed |= 1 << index;
        }
        let missing: Vec<String> = self
            .scenario
            .details
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.plan.service_required[service] & (1 << i) != 0 && listed & (1 << i) == 0
            })
            .map(|(_, d)| d.id.clone())
            .collect();
        if !missing.is_empty() {
            return Err(ActionError::MissingDetails {
                service: service_id.to_string(),
                missing,
            });
        }
        self.stop_waiting(id);
        let range = self.scenario.services[service].resolution_min;
        let c = &mut self.customers[id.index()];
        c.stage = Stage::Transferred {
            service,
            details: listed,
        };
        let delay = minutes_to_ms(c.rng.uniform(range.min, range.max)).max(MIN_ANSWER_DELAY_MS);
        self.counters.transfers += 1;
        self.record(Event::Transfer {
            customer: id,
            service: service_id.to_string(),
            details,
            seat,
        });
        self.scheduler.set(
            id,
            Timer::Verdict,
            self.now_ms + delay,
            Pending::ServiceDone { customer: id },
        );
        Ok(())
    }

    pub(super) fn on_service_done(&mut self, id: CustomerId) {
        let c = &self.customers[id.index()];
        let Stage::Transferred { service, details } = c.stage else {
            return;
        };
        let kind = c.kind;
        self.settle(id);
        let right_service = self.plan.kind_service[kind] == Some(service);
        let needed = self.plan.kind_needed[kind];
        if right_service && details & needed == needed {
            self.resolve(id, Some(service));
            return;
        }
        let reason = if right_service {
            BounceReason::MissingDetails
        } else {
            BounceReason::WrongService
        };
        let cause = if right_service {
            Cause::MissingDetails
        } else {
            Cause::WrongService
        };
        let bounce = self.scenario.model.bounce_anger;
        let c = &mut self.customers[id.index()];
        c.stage = Stage::Open;
        c.acknowledged = false;
        let private = c.dm_open;
        self.add_anger(id, bounce);
        self.counters.bounces += 1;
        let service_id = self.scenario.services[service].id.clone();
        let anger = self.anger_u8(id);
        self.record(Event::Bounced {
            customer: id,
            service: service_id,
            reason,
        });
        self.record(Event::Reaction {
            customer: id,
            causes: vec![cause],
            anger,
        });
        if self.disappointed_exit(id) {
            return;
        }
        let scenario = Arc::clone(&self.scenario);
        self.post(
            id,
            PostAct::BounceBack,
            private,
            &scenario.texts.bounce_back,
            0,
        );
    }

    /// A bad experience (a wrong service, a copy-paste, blame) can end the relationship at
    /// once, with the same hazard as a relaunch: answering fast with useless replies does not
    /// keep customers.
    pub(super) fn disappointed_exit(&mut self, id: CustomerId) -> bool {
        let hazard = self.scenario.model.disappointment_churn;
        let c = &mut self.customers[id.index()];
        let a = c.anger / 100.0;
        if c.stage.is_closed() || !c.rng.chance(hazard * a * a) {
            return false;
        }
        self.close(id, true);
        true
    }

    pub(super) fn resolve(&mut self, id: CustomerId, service: Option<usize>) {
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.model;
        self.stop_waiting(id);
        self.add_anger(id, -model.resolution_relief);
        let anger = self.anger_u8(id);
        let persona_thanks = self.scenario.personas[self.customers[id.index()].persona].thanks;
        let c = &mut self.customers[id.index()];
        c.stage = Stage::Resolved;
        self.counters.resolved += 1;
        let service = service.map(|s| self.scenario.services[s].id.clone());
        self.record(Event::Resolved {
            customer: id,
            service,
        });
        self.record(Event::Reaction {
            customer: id,
            causes: vec![Cause::Resolved],
            anger,
        });
        let c = &mut self.customers[id.index()];
        let p = model.thanks_probability * persona_thanks * (1.0 - c.anger / 100.0);
        if c.rng.chance(p) {
            self.schedule_response(id, Response::ThankPublicly);
        }
    }
}
