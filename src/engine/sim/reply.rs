//! The adviser's reply: checked, read by the analyser, posted, and taken by the customer
//! (relief, irritation, and what they will do next).

use super::Simulation;
use super::response::Response;
use super::state::{Message, Stage};
use crate::engine::action::ActionError;
use crate::engine::analysis::{ReplyContext, ReplyFlags};
use crate::engine::ids::{CustomerId, MessageId, SeatId};
use crate::engine::plan::MS_PER_HOUR;
use crate::engine::scenario::{Account, Lang, Register};
use crate::engine::transcript::{Cause, Event};
use std::sync::Arc;

impl Simulation {
    pub(super) fn reply(
        &mut self,
        seat: Option<SeatId>,
        id: CustomerId,
        private: bool,
        text: String,
    ) -> Result<(), ActionError> {
        let c = self
            .customers
            .get(id.index())
            .ok_or(ActionError::UnknownConversation(id))?;
        if text.trim().is_empty() {
            return Err(ActionError::EmptyText);
        }
        let limit = self.scenario.channels.char_limit(c.channel, private);
        let length = text.chars().count();
        if length > limit as usize {
            return Err(ActionError::TooLong {
                channel: c.channel,
                private,
                limit,
                length,
            });
        }
        if private && !c.dm_open {
            return Err(ActionError::NoPrivateConversation(id));
        }
        // Validated: from here on the reply happens.
        let brand = &self.scenario.brand;
        let care_handles = [brand.care.twitter.as_str(), brand.care.facebook.as_str()];
        let mut customer_messages = self.customer_texts(id);
        let last_customer_message = customer_messages.pop();
        // A customer notices a copy they can see (engine::copy).
        let seen = self.copy_candidates(id, private);
        let reading = self.analyser.analyse(&ReplyContext {
            text: &text,
            lang: c.lang,
            public: !private,
            customer_message: last_customer_message,
            customer_earlier: &customer_messages,
            care_handles: &care_handles,
            seen: &seen,
            char_limit: Some(limit as usize),
        });
        let (flags, shape, copy) = (reading.flags, reading.shape, reading.copy);
        if !private {
            self.public_page.push(shape.clone());
        }
        let requested = self.requested_details(&text, c.lang);

        let message = MessageId(self.messages.len() as u32);
        self.messages.push(Message {
            id: message,
            customer: None,
            conversation: id,
            private,
            act: None,
            text: text.clone(),
            t_ms: self.now_ms,
            anger: 0,
            hidden: false,
            liked: false,
            personal_data: false,
            shape: Some(shape),
        });
        self.customers[id.index()].messages.push(message);
        let gives_press_contact =
            (brand.press_contact.as_ref()).is_some_and(|contact| text.contains(contact.as_str()));
        self.record(Event::Reply {
            customer: id,
            message,
            private,
            text,
            copy,
            flags,
            seat,
        });
        self.reply_to_press(id, gives_press_contact, copy);
        self.react_to_reply(id, private, flags, copy, requested);
        Ok(())
    }

    /// Details the reply names by their label ("votre numéro de contrat").
    pub(super) fn requested_details(&self, text: &str, lang: Lang) -> u64 {
        let lower = text.to_lowercase();
        self.scenario
            .details
            .iter()
            .enumerate()
            .filter(|(_, d)| lower.contains(&d.label.get(lang).to_lowercase()))
            .fold(0, |acc, (i, _)| acc | (1 << i))
    }

    /// How the customer takes a reply: what they feel, then what they do next.
    pub(super) fn react_to_reply(
        &mut self,
        id: CustomerId,
        private: bool,
        flags: ReplyFlags,
        copy: bool,
        requested: u64,
    ) {
        self.settle(id);
        let first = self.customers[id.index()].replies == 0;
        let felt = self.feel_reply(id, private, flags, copy, first);
        self.count_reply(id, private, flags, felt.delta);
        if !felt.causes.is_empty() {
            let anger = self.anger_u8(id);
            self.record(Event::Reaction {
                customer: id,
                causes: felt.causes,
                anger,
            });
        }
        if felt.delta > 0.0 && self.disappointed_exit(id) {
            return;
        }
        self.stop_waiting(id);
        if self.customers[id.index()].stage.is_closed() {
            return;
        }
        let seen = Seen {
            private,
            flags,
            copy,
            first,
            irritated: felt.irritated,
        };
        match self.next_move(id, seen, requested) {
            Some(response) => self.schedule_response(id, response),
            None => self.start_waiting(id),
        }
    }

    /// The change of anger a reply causes, and why.
    fn feel_reply(
        &mut self,
        id: CustomerId,
        private: bool,
        flags: ReplyFlags,
        copy: bool,
        first: bool,
    ) -> Felt {
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.model;
        let c = &mut self.customers[id.index()];
        let persona = &scenario.personas[c.persona];
        let register = persona.register;
        let late = c
            .waiting_since
            .is_some_and(|since| self.now_ms > since + c.wait_budget_ms);
        let mut felt = Felt::default();
        if flags.blame {
            felt.add(model.hide_anger, Cause::Blame);
        }
        if (first && flags.acknowledges()) || (!first && flags.next_step) {
            let share = if first {
                1.0
            } else {
                model.later_step_relief_share
            };
            felt.add(-model.acknowledgement_relief * share, Cause::Acknowledged);
        }
        if flags.apology && late {
            felt.add(-model.apology_relief, Cause::ApologyRepair);
        }
        felt.irritated = copy && (c.preempted || c.rng.chance(persona.dislikes_templates));
        if felt.irritated {
            let factor = if c.preempted {
                model.preempted_template_factor
            } else {
                1.0
            };
            felt.add(model.template_irritation * factor, Cause::Template);
        }
        if flags.tutoiement && matches!(register, Register::Formal | Register::Neutral) {
            let share = if register == Register::Formal {
                1.0
            } else {
                model.tutoiement_neutral_share
            };
            felt.add(model.tutoiement_irritation * share, Cause::Tutoiement);
        }
        if flags.humour {
            if c.anger >= model.furious_from {
                felt.add(model.humour_backfire, Cause::HumourBackfired);
            } else if scenario.kinds[c.kind].teasing {
                felt.add(-model.humour_relief, Cause::HumourWorked);
            }
        }
        if asks_in_public(flags, private) {
            felt.causes.push(Cause::AskedDataInPublic);
        }
        felt
    }

    /// The reply counted: taken in charge, the first answer's grudge, the anger applied.
    fn count_reply(&mut self, id: CustomerId, private: bool, flags: ReplyFlags, delta: f64) {
        let now = self.now_ms;
        let model = &self.scenario.model;
        let c = &mut self.customers[id.index()];
        c.replies += 1;
        c.last_reply_ms = Some(now);
        c.acknowledged |= flags.acknowledges() && !flags.blame;
        let first_reply = c.first_reply_ms.is_none();
        if first_reply {
            c.first_reply_ms = Some(now);
            let waited_h = (now - c.arrived_ms) as f64 / MS_PER_HOUR;
            let gained = (c.anger - c.arrival_anger).max(0.0);
            c.grudge = (model.wait_grudge_per_hour * waited_h + model.wait_grudge_share * gained)
                .min(100.0);
        }
        let channel = c.channel;
        self.add_anger(id, delta);
        if first_reply {
            self.counters.answered += 1;
            if !private {
                self.later_answered[channel as usize].add(id.index());
            }
        }
    }

    /// What the customer will answer, if anything: follow the care account, give their
    /// details, go private or refuse, consider the case closed, or say they are taken in charge.
    fn next_move(&mut self, id: CustomerId, seen: Seen, requested: u64) -> Option<Response> {
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.model;
        let flags = seen.flags;
        let c = &mut self.customers[id.index()];
        let persona = &scenario.personas[c.persona];
        let needs_service =
            self.plan.kind_service[c.kind].is_some() || scenario.kinds[c.kind].personal_data;
        if c.account == Account::Corporate && flags.mentions_care && !seen.private {
            c.rng
                .chance(model.redirect_probability)
                .then_some(Response::Redirect)
        } else if flags.asks_personal_data && seen.private {
            Some(Response::GiveDetails { requested })
        } else if asks_in_public(flags, seen.private) && !c.dm_open {
            Some(if c.rng.chance(persona.posts_data_in_public) {
                Response::PublicData { requested }
            } else {
                Response::RefusePublicData
            })
        } else if flags.dm_invitation && !c.dm_open && !seen.private {
            let mut p = persona.dm_willingness;
            if flags.explains_private && !seen.copy {
                p += (1.0 - p) * model.explanation_persuasion;
            }
            if seen.irritated {
                p *= model.irritated_dm_factor;
            }
            if c.preempted && seen.copy {
                p = 0.0;
            }
            Some(if c.rng.chance(p) {
                Response::OpenDm
            } else {
                Response::RefuseDm
            })
        } else if !needs_service && !flags.blame && matches!(c.stage, Stage::Open) {
            Some(Response::ResolvedByAnswer)
        } else if seen.first
            && flags.acknowledges()
            && c.rng.chance(model.acknowledged_post_probability)
        {
            Some(Response::Acknowledge)
        } else {
            None
        }
    }
}

/// A reply asks for personal data in public without inviting to private messages.
fn asks_in_public(flags: ReplyFlags, private: bool) -> bool {
    flags.asks_personal_data && !private && !flags.dm_invitation
}

/// What a reply made the customer feel.
#[derive(Default)]
struct Felt {
    delta: f64,
    causes: Vec<Cause>,
    /// A copy that irritated them.
    irritated: bool,
}

impl Felt {
    fn add(&mut self, delta: f64, cause: Cause) {
        self.delta += delta;
        self.causes.push(cause);
    }
}

/// The reply as the customer saw it, for what they do next.
#[derive(Clone, Copy)]
struct Seen {
    private: bool,
    flags: ReplyFlags,
    copy: bool,
    first: bool,
    irritated: bool,
}
