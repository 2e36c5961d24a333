//! The customer card: who is writing, their history, the case's stage and, in training,
//! their anger and the scripted case's lesson.

use super::{Mode, SessionDesk};
use crate::desk::i18n::{num, text};
use crate::desk::style;
use crate::engine::sim::{Customer, Stage};
use egui::{RichText, Ui};

/// The customer card, on the right. It only reads the desk.
pub(super) struct CustomerCard<'a> {
    pub desk: &'a SessionDesk,
}

impl CustomerCard<'_> {
    pub fn ui(&mut self, ui: &mut Ui) {
        egui::Panel::right("customer_card")
            .resizable(true)
            .min_size(240.0)
            .default_size(260.0)
            .show(ui, |ui| {
                ui.heading(self.desk.texts.t("card-title"));
                let Some(c) = self.desk.selected.and_then(|id| self.desk.sim.customer(id)) else {
                    ui.weak(self.desk.texts.t("card-none"));
                    return;
                };
                self.identity_ui(ui, c);
                ui.separator();
                self.history_ui(ui, c);
                self.details_ui(ui, c);
                if self.desk.mode == Mode::Training {
                    ui.separator();
                    self.training_ui(ui, c);
                }
            });
    }

    /// Handle, account written to, persona and audience.
    fn identity_ui(&self, ui: &mut Ui, c: &Customer) {
        let texts = &self.desk.texts;
        ui.label(RichText::new(&c.handle).strong().size(16.0));
        ui.horizontal(|ui| {
            ui.label(style::channel_mark(c.channel));
            ui.label(texts.t(style::account_key(c.channel, c.account)));
        });
        if let Some(persona) = self.desk.sim.scenario().personas.get(c.persona) {
            ui.label(RichText::new(persona.bio.get(self.desk.lang())).italics());
        }
        ui.label(texts.t_with("followers", &[("count", num(c.followers as f64))]));
    }

    /// Messages, replies and follow-ups so far, how long ago it began, and the stage.
    fn history_ui(&self, ui: &mut Ui, c: &Customer) {
        let texts = &self.desk.texts;
        let sim = &self.desk.sim;
        ui.label(RichText::new(texts.t("history")).strong());
        let posts = c
            .messages
            .iter()
            .filter_map(|m| sim.message(*m))
            .filter(|m| m.customer.is_some())
            .count();
        ui.label(texts.t_with(
            "history-messages",
            &[
                ("posts", num(posts as f64)),
                ("replies", num(c.replies as f64)),
                ("followups", num(c.relaunches as f64)),
            ],
        ));
        let minutes = sim.now_ms().saturating_sub(c.arrived_ms) / 60_000;
        ui.label(texts.t_with("history-since", &[("minutes", num(minutes as f64))]));
        ui.label(self.stage_label(c));
    }

    fn stage_label(&self, c: &Customer) -> String {
        let texts = &self.desk.texts;
        match c.stage {
            Stage::Open if c.dm_open => texts.t("stage-private"),
            Stage::Open => texts.t("stage-open"),
            Stage::Transferred { service, .. } => {
                let name = self
                    .desk
                    .sim
                    .scenario()
                    .services
                    .get(service)
                    .map_or("?", |s| s.name.get(self.desk.lang()));
                texts.t_with("stage-transferred", &[("service", text(name))])
            }
            Stage::Resolved => texts.t("stage-resolved"),
            Stage::Churned => texts.t("stage-churned"),
            Stage::Abandoned => texts.t("stage-abandoned"),
        }
    }

    /// The details the customer has given in private, as the adviser would copy them.
    fn details_ui(&self, ui: &mut Ui, c: &Customer) {
        let lang = self.desk.lang();
        let given: Vec<String> = self
            .desk
            .sim
            .scenario()
            .details
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                c.detail_value(i)
                    .map(|v| format!("{} : {v}", d.label.get(lang)))
            })
            .collect();
        if !given.is_empty() {
            ui.separator();
            ui.label(RichText::new(self.desk.texts.t("details-given")).strong());
            for line in given {
                ui.label(RichText::new(line).monospace());
            }
        }
    }

    /// Training only: the anger gauge and, for a scripted case, its lesson.
    fn training_ui(&self, ui: &mut Ui, c: &Customer) {
        let texts = &self.desk.texts;
        let anger = self.desk.sim.anger(c.id).unwrap_or(0.0);
        ui.label(texts.t_with("anger", &[("value", num(anger.round()))]));
        style::anger_gauge(ui, anger, ui.available_width());
        if let Some(lesson) = c
            .scripted
            .and_then(|i| self.desk.sim.scenario().timeline.scripted.get(i))
            .and_then(|p| p.lesson.as_ref())
        {
            ui.separator();
            ui.label(
                RichText::new(texts.t("lesson"))
                    .strong()
                    .color(style::ACCENT),
            );
            ui.label(lesson.get(self.desk.lang()));
        }
    }
}
