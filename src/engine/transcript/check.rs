//! The reading checks: each record against what the records before it introduced.

use super::{Event, MAX_DETAILS, MAX_TEXT_BYTES, Record};
use crate::engine::ids::{CustomerId, MessageId, SeatId};

/// What the records so far have introduced, to check each new one against.
#[derive(Default)]
pub(super) struct Checker {
    last: Option<(u64, u64)>,
    customers: u32,
    messages: u32,
    /// The header's seats: a team session's actions each name one of them.
    seats: u32,
    ended: bool,
}

impl Checker {
    pub(super) fn with_seats(seats: u32) -> Checker {
        Checker {
            seats,
            ..Checker::default()
        }
    }

    pub(super) fn check(&mut self, record: &Record) -> Result<(), String> {
        if self.ended {
            return Err("a record after the session's end".into());
        }
        if let Some((t_ms, seq)) = self.last {
            if record.t_ms < t_ms {
                return Err(format!(
                    "out of time order: t_ms {} after t_ms {t_ms}",
                    record.t_ms
                ));
            }
            if record.seq <= seq {
                return Err(format!("seq {} does not follow seq {seq}", record.seq));
            }
        }
        self.last = Some((record.t_ms, record.seq));
        self.check_event(&record.event)
    }

    /// Ids that exist (a customer who arrived, a message posted) and bounded texts.
    fn check_event(&mut self, event: &Event) -> Result<(), String> {
        match event {
            Event::Timeline { id, .. } | Event::Inject { inject: id, .. } => text_bound("id", id),
            Event::PostAs {
                persona,
                kind,
                text,
                ..
            } => {
                text_bound("persona", persona)?;
                kind.as_deref().map_or(Ok(()), |k| text_bound("kind", k))?;
                text_bound("text", text)
            }
            Event::Arrival {
                customer,
                handle,
                persona,
                kind,
                ..
            } => self.arrival(*customer, [handle, persona, kind]),
            Event::Post {
                customer,
                message,
                text,
                details,
                ..
            } => {
                self.customer(*customer)?;
                self.new_message(*message)?;
                text_bound("text", text)?;
                details_bound(details)
            }
            Event::Reply {
                customer,
                message,
                text,
                seat,
                ..
            } => {
                self.actor(*seat)?;
                self.customer(*customer)?;
                self.new_message(*message)?;
                text_bound("text", text)
            }
            Event::Transfer {
                customer,
                service,
                details,
                seat,
            } => {
                self.actor(*seat)?;
                self.customer(*customer)?;
                text_bound("service", service)?;
                details_bound(details)
            }
            Event::Bounced {
                customer, service, ..
            } => {
                self.customer(*customer)?;
                text_bound("service", service)
            }
            Event::Resolved { customer, service } => {
                self.customer(*customer)?;
                service
                    .as_deref()
                    .map_or(Ok(()), |s| text_bound("service", s))
            }
            Event::Statement { .. } | Event::UpdateMissed { .. } | Event::Escalated { .. } => {
                self.speech_event(event)
            }
            Event::Hide { message, seat } | Event::Like { message, seat } => {
                self.actor(*seat)?;
                self.message(*message)
            }
            Event::Claim { .. }
            | Event::Release { .. }
            | Event::HandOver { .. }
            | Event::Collision { .. } => self.team_event(event),
            Event::PrivacyLeak { customer, message }
            | Event::Reshare {
                customer, message, ..
            } => {
                self.customer(*customer)?;
                self.message(*message)
            }
            Event::Reaction {
                customer, causes, ..
            } => self.reaction(*customer, causes.len()),
            Event::Redirected { customer }
            | Event::PressAnswered { customer }
            | Event::Article { customer, .. }
            | Event::Ambassador { customer }
            | Event::Churned { customer, .. }
            | Event::Abandoned { customer, .. } => self.customer(*customer),
            Event::Sample { .. } => Ok(()),
            Event::End => {
                self.ended = true;
                Ok(())
            }
        }
    }

    fn reaction(&self, customer: CustomerId, causes: usize) -> Result<(), String> {
        self.customer(customer)?;
        if causes > MAX_DETAILS {
            return Err(format!("{causes} causes, at most {MAX_DETAILS}"));
        }
        Ok(())
    }

    /// A statement's seat and bounded texts; an escalation's seat and customer.
    fn speech_event(&self, event: &Event) -> Result<(), String> {
        match event {
            Event::Statement {
                text,
                incidents,
                seat,
                ..
            } => {
                self.actor(*seat)?;
                if incidents.len() > MAX_DETAILS {
                    return Err(format!(
                        "{} incidents, at most {MAX_DETAILS}",
                        incidents.len()
                    ));
                }
                for id in incidents {
                    text_bound("incident", id)?;
                }
                text_bound("text", text)
            }
            Event::Escalated { customer, seat, .. } => {
                self.actor(*seat)?;
                self.customer(*customer)
            }
            _ => Ok(()),
        }
    }

    /// A seat's claim, release, hand-over or collision names seats of the header.
    fn team_event(&self, event: &Event) -> Result<(), String> {
        match event {
            Event::Claim { customer, seat } => {
                self.seat(*seat)?;
                self.customer(*customer)
            }
            Event::Release {
                customer,
                seat,
                from,
            } => {
                self.seat(*seat)?;
                self.seat(*from)?;
                self.customer(*customer)
            }
            Event::HandOver {
                customer,
                seat,
                from,
                to,
            } => {
                self.seat(*seat)?;
                from.map_or(Ok(()), |from| self.seat(from))?;
                self.seat(*to)?;
                self.customer(*customer)
            }
            Event::Collision {
                customer,
                seat,
                holder,
            } => {
                self.seat(*seat)?;
                self.seat(*holder)?;
                self.customer(*customer)
            }
            _ => Ok(()),
        }
    }

    /// Customers arrive in id order, each once.
    fn arrival(
        &mut self,
        customer: CustomerId,
        [handle, persona, kind]: [&String; 3],
    ) -> Result<(), String> {
        if customer.0 != self.customers {
            return Err(format!(
                "arrival of customer {customer}, expected customer {}",
                self.customers
            ));
        }
        text_bound("handle", handle)?;
        text_bound("persona", persona)?;
        text_bound("kind", kind)?;
        self.customers += 1;
        Ok(())
    }

    fn customer(&self, customer: CustomerId) -> Result<(), String> {
        if customer.0 >= self.customers {
            return Err(format!(
                "customer {customer} has not arrived ({} customers so far)",
                self.customers
            ));
        }
        Ok(())
    }

    /// A team session's action names one of its seats; a solo session's names none.
    fn actor(&self, seat: Option<SeatId>) -> Result<(), String> {
        match seat {
            Some(seat) => self.seat(seat),
            None if self.seats > 0 => Err("an action of a team session without its seat".into()),
            None => Ok(()),
        }
    }

    fn seat(&self, seat: SeatId) -> Result<(), String> {
        if seat.0 >= self.seats {
            return Err(format!(
                "seat {seat} does not exist ({} seats in the header)",
                self.seats
            ));
        }
        Ok(())
    }

    fn message(&self, message: MessageId) -> Result<(), String> {
        if message.0 >= self.messages {
            return Err(format!(
                "message {message} does not exist ({} messages so far)",
                self.messages
            ));
        }
        Ok(())
    }

    fn new_message(&mut self, message: MessageId) -> Result<(), String> {
        if message.0 != self.messages {
            return Err(format!(
                "new message {message}, expected message {}",
                self.messages
            ));
        }
        self.messages += 1;
        Ok(())
    }
}

fn text_bound(field: &str, text: &str) -> Result<(), String> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "{field} of {} bytes, at most {MAX_TEXT_BYTES}",
            text.len()
        ));
    }
    Ok(())
}

fn details_bound(details: &[String]) -> Result<(), String> {
    if details.len() > MAX_DETAILS {
        return Err(format!("{} details, at most {MAX_DETAILS}", details.len()));
    }
    details.iter().try_for_each(|d| text_bound("detail", d))
}
