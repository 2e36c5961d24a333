//! Moderation: hiding a post (moderation for insults and leaked data, censorship otherwise)
//! and liking one (a liked complaint reads as mockery).

use super::Simulation;
use super::response::Response;
use super::state::Message;
use crate::engine::action::ActionError;
use crate::engine::ids::{CustomerId, MessageId, SeatId};
use crate::engine::transcript::{Cause, Event, PostAct};

impl Simulation {
    pub(super) fn customer_message(
        &self,
        message: MessageId,
    ) -> Result<(&Message, CustomerId), ActionError> {
        let m = self
            .messages
            .get(message.index())
            .ok_or(ActionError::UnknownMessage(message))?;
        let author = m
            .customer
            .ok_or(ActionError::NotACustomerMessage(message))?;
        Ok((m, author))
    }

    pub(super) fn hide(
        &mut self,
        seat: Option<SeatId>,
        message: MessageId,
    ) -> Result<(), ActionError> {
        let (m, author) = self.customer_message(message)?;
        if m.hidden {
            return Err(ActionError::AlreadyHidden(message));
        }
        // Hiding an insult or personal data is moderation; hiding a complaint is censorship.
        let legitimate = m.personal_data || matches!(m.act, Some(PostAct::Insult));
        if m.personal_data && m.act == Some(PostAct::Complaint) {
            self.counters.unasked_data_hidden += 1;
        }
        self.messages[message.index()].hidden = true;
        self.record(Event::Hide { message, seat });
        if !legitimate {
            self.settle(author);
            self.add_anger(author, self.scenario.model.hide_anger);
            let anger = self.anger_u8(author);
            self.record(Event::Reaction {
                customer: author,
                causes: vec![Cause::Hidden],
                anger,
            });
            let protest = self.scenario.model.censorship_protest;
            let shame = self.scenario.personas[self.customers[author.index()].persona].shame;
            let c = &mut self.customers[author.index()];
            if !c.stage.is_closed() && c.rng.chance((shame + protest).min(1.0)) {
                self.schedule_response(author, Response::Censored);
            }
        }
        Ok(())
    }

    pub(super) fn like(
        &mut self,
        seat: Option<SeatId>,
        message: MessageId,
    ) -> Result<(), ActionError> {
        let (m, author) = self.customer_message(message)?;
        if m.liked {
            return Err(ActionError::AlreadyLiked(message));
        }
        let complaint = m.act.is_some_and(|a| a.needs_answer());
        self.messages[message.index()].liked = true;
        self.record(Event::Like { message, seat });
        if complaint {
            self.settle(author);
            self.add_anger(author, self.scenario.model.like_complaint_anger);
            let anger = self.anger_u8(author);
            self.record(Event::Reaction {
                customer: author,
                causes: vec![Cause::LikedComplaint],
                anger,
            });
        }
        Ok(())
    }
}
