//! A crisis cell at the desk: who holds the selected conversation, and the trainee's moves
//! on it (take it, give it back to the team, hand it to a colleague).

use super::SessionDesk;
use crate::desk::i18n::text;
use crate::desk::style;
use crate::engine::Action;
use crate::engine::ids::{CustomerId, SeatId};
use egui::{RichText, Ui};

impl SessionDesk {
    /// The name of the seat other than the trainee's holding `customer`, if one does.
    pub fn held_elsewhere(&self, customer: CustomerId) -> Option<&str> {
        let holder = self.sim.holder(customer)?;
        if Some(holder) == self.seat {
            return None;
        }
        self.sim
            .seats()
            .get(holder.index())
            .map(|s| s.name.as_str())
    }

    /// Takes the selected conversation, gives it back, or hands it to `to`; a refusal shows
    /// beside the composer.
    pub fn claim(&mut self) -> bool {
        self.team_move(|customer| Action::Claim { customer })
    }

    pub fn release(&mut self) -> bool {
        self.team_move(|customer| Action::Release { customer })
    }

    pub fn hand_over(&mut self, to: SeatId) -> bool {
        self.team_move(|customer| Action::HandOver { customer, to })
    }

    fn team_move(&mut self, action: impl FnOnce(CustomerId) -> Action) -> bool {
        let Some(customer) = self.selected else {
            self.composer.error = Some(self.texts.t("error-no-conversation"));
            return false;
        };
        match self.submit(action(customer)) {
            Ok(()) => {
                self.composer.error = None;
                true
            }
            Err(message) => {
                self.composer.error = Some(message);
                false
            }
        }
    }
}

/// Above the conversation, in a cell: who answers this customer, and the trainee's moves.
pub(super) struct HolderBar<'a> {
    pub desk: &'a mut SessionDesk,
}

impl HolderBar<'_> {
    pub fn ui(&mut self, ui: &mut Ui) {
        let (Some(seat), Some(customer)) = (self.desk.seat, self.desk.selected) else {
            return;
        };
        let texts = &self.desk.texts;
        let holder = self.desk.sim.holder(customer);
        let mut intent = None;
        ui.horizontal(|ui| match holder {
            Some(holder) if holder == seat => {
                ui.label(RichText::new(texts.t("held-by-you")).color(style::ACCENT));
                if ui.button(texts.t("release")).clicked() {
                    intent = Some(Intent::Release);
                }
                ui.menu_button(texts.t("hand-over"), |ui| {
                    for (index, other) in self.desk.sim.seats().iter().enumerate() {
                        let to = crate::engine::seats::id_of(index);
                        if to != seat && ui.button(&other.name).clicked() {
                            intent = Some(Intent::HandOver(to));
                            ui.close();
                        }
                    }
                });
            }
            Some(_) => {
                let name = self.desk.held_elsewhere(customer).unwrap_or("?");
                ui.label(
                    RichText::new(texts.t_with("held-by-other", &[("seat", text(name))]))
                        .color(style::WARN),
                );
            }
            None => {
                ui.weak(texts.t("held-by-nobody"));
                if ui.button(texts.t("claim")).clicked() {
                    intent = Some(Intent::Claim);
                }
            }
        });
        match intent {
            Some(Intent::Claim) => {
                self.desk.claim();
            }
            Some(Intent::Release) => {
                self.desk.release();
            }
            Some(Intent::HandOver(to)) => {
                self.desk.hand_over(to);
            }
            None => {}
        }
        ui.separator();
    }
}

enum Intent {
    Claim,
    Release,
    HandOver(SeatId),
}
