//! A team session's seats: who may act, who holds which conversation (claim, release, hand
//! over), and the collisions of two seats on one customer, as care desks show "X is replying".

use super::Simulation;
use crate::engine::action::{Action, ActionError};
use crate::engine::direction::DirectionError;
use crate::engine::ids::{CustomerId, SeatId};
use crate::engine::seats::{Move, Seat, TeamError};
use crate::engine::transcript::Event;

impl Simulation {
    /// Checks who makes `action` before it is applied: a team session's actions name a known
    /// seat whose role allows them, on conversations no other seat holds. A collision with
    /// another seat's conversation is recorded (the debrief counts them) and refused.
    pub(super) fn check_seat(
        &mut self,
        seat: Option<SeatId>,
        action: &Action,
    ) -> Result<(), ActionError> {
        if action.is_direction() {
            return match seat {
                None => Ok(()),
                Some(_) => Err(DirectionError::FacilitatorOnly.into()),
            };
        }
        let team_move = matches!(
            action,
            Action::Claim { .. } | Action::Release { .. } | Action::HandOver { .. }
        );
        let Some(seat) = seat else {
            return match (self.seats.is_empty(), team_move) {
                (true, false) => Ok(()),
                (true, true) => Err(TeamError::NotATeamSession.into()),
                (false, _) => Err(TeamError::SeatRequired.into()),
            };
        };
        let who = self.seat_named(seat)?;
        if let Action::HandOver { to, .. } = action {
            self.seat_named(*to)?;
        }
        let conversation = conversation_of(action);
        if let Some(customer) = conversation
            && self.customer(customer).is_none()
        {
            return Err(ActionError::UnknownConversation(customer));
        }
        let holder = conversation.and_then(|c| self.customers[c.index()].held_by);
        if matches!(action, Action::Release { .. })
            && let (Some(customer), None) = (conversation, holder)
        {
            return Err(TeamError::NotHeld(customer).into());
        }
        // Releasing or handing over a conversation the seat does not hold is assigning it.
        let assigning = match (Move::of(action), conversation) {
            (Move::HandOverOwn, Some(customer)) if holder != Some(seat) => Some(customer),
            _ => None,
        };
        let how = assigning.map_or(Move::of(action), |_| Move::Assign);
        if !who.allows(how) {
            return Err(match (who.role, assigning) {
                (Some(role), None) => TeamError::RoleForbids {
                    seat: who.name.clone(),
                    role,
                    how,
                },
                // An adviser asked for another seat's conversation: only the lead assigns.
                (_, Some(customer)) => TeamError::NotYours(customer),
                // Not reached: a seat with no role is refused only assigning, the arm above.
                (None, None) => TeamError::SeatRequired,
            }
            .into());
        }
        let writes = matches!(
            action,
            Action::Reply { .. } | Action::Transfer { .. } | Action::Claim { .. }
        );
        if writes
            && let (Some(customer), Some(holder)) = (conversation, holder)
            && holder != seat
        {
            self.record(Event::Collision {
                customer,
                seat,
                holder,
            });
            return Err(TeamError::HeldBy {
                customer,
                seat: self.seats[holder.index()].name.clone(),
            }
            .into());
        }
        Ok(())
    }

    fn seat_named(&self, seat: SeatId) -> Result<&Seat, ActionError> {
        self.seats
            .get(seat.index())
            .ok_or(ActionError::Team(TeamError::UnknownSeat(seat)))
    }

    /// A seat that answers or transfers a conversation nobody holds takes it.
    pub(super) fn hold_after(&mut self, seat: Option<SeatId>, customer: CustomerId) {
        if let Some(seat) = seat
            && let Some(c) = self.customers.get_mut(customer.index())
        {
            c.held_by = Some(seat);
        }
    }

    pub(super) fn claim(&mut self, seat: SeatId, customer: CustomerId) -> Result<(), ActionError> {
        let c = &self.customers[customer.index()];
        if c.held_by == Some(seat) {
            return Err(TeamError::AlreadyYours(customer).into());
        }
        if c.stage.is_closed() {
            return Err(ActionError::CaseClosed(customer));
        }
        self.customers[customer.index()].held_by = Some(seat);
        self.record(Event::Claim { customer, seat });
        Ok(())
    }

    pub(super) fn release(
        &mut self,
        seat: SeatId,
        customer: CustomerId,
    ) -> Result<(), ActionError> {
        let Some(from) = self.customers[customer.index()].held_by else {
            return Err(TeamError::NotHeld(customer).into());
        };
        self.customers[customer.index()].held_by = None;
        self.record(Event::Release {
            customer,
            seat,
            from,
        });
        Ok(())
    }

    pub(super) fn hand_over(
        &mut self,
        seat: SeatId,
        customer: CustomerId,
        to: SeatId,
    ) -> Result<(), ActionError> {
        let receiver = self.seat_named(to)?;
        if !receiver.allows(Move::Claim) {
            return Err(TeamError::CannotHold {
                seat: receiver.name.clone(),
            }
            .into());
        }
        let from = self.customers[customer.index()].held_by;
        if to == seat {
            return Err(TeamError::HandOverToSelf(customer).into());
        }
        if from == Some(to) {
            return Err(TeamError::AlreadyTheirs {
                customer,
                seat: receiver.name.clone(),
            }
            .into());
        }
        self.customers[customer.index()].held_by = Some(to);
        self.record(Event::HandOver {
            customer,
            seat,
            from,
            to,
        });
        Ok(())
    }
}

/// The conversation an action is about, if it is about one.
fn conversation_of(action: &Action) -> Option<CustomerId> {
    match action {
        Action::Reply { customer, .. }
        | Action::Transfer { customer, .. }
        | Action::Claim { customer }
        | Action::Release { customer }
        | Action::HandOver { customer, .. }
        | Action::Escalate { customer, .. } => Some(*customer),
        Action::Publish { .. }
        | Action::Hide { .. }
        | Action::Like { .. }
        | Action::Inject { .. }
        | Action::PostAs { .. } => None,
    }
}
