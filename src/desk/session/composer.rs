//! The composer: the reply being written, where it goes, the hint line, and the transfer.

use super::{Mode, SessionDesk};
use crate::desk::i18n::{num, text};
use crate::desk::style;
use crate::engine::ids::CustomerId;
use crate::engine::{Action, ActionError};
use crate::tone::{ToneInput, ToneReport};
use egui::{RichText, Ui};

/// A reply or transfer being prepared.
#[derive(Default)]
pub struct Composer {
    pub text: String,
    pub private: bool,
    /// Added at the end of every reply, as advisers sign ("^Julie").
    pub sign_off: String,
    /// The last refused action's message, shown beside the composer until the next action.
    pub error: Option<String>,
    pub transfer_service: Option<usize>,
    pub transfer_details: Vec<bool>,
    pub(super) hint: Option<(HintKey, ToneReport)>,
}

/// What the hint line's analysis depends on.
#[derive(PartialEq)]
pub(super) struct HintKey {
    text: String,
    private: bool,
    selected: Option<CustomerId>,
    /// Messages in the conversation: a new one changes what the reply answers.
    messages: usize,
}

impl SessionDesk {
    /// The reply as it will be posted: the text and the sign-off.
    pub fn outgoing_text(&self) -> String {
        let body = self.composer.text.trim_end();
        let sign = self.composer.sign_off.trim();
        if sign.is_empty() || body.is_empty() || body.ends_with(sign) {
            body.to_string()
        } else {
            format!("{body} {sign}")
        }
    }

    /// Sends the composer's text to the selected conversation. On refusal the text stays
    /// and the engine's reason shows beside the composer.
    pub fn send_reply(&mut self) -> bool {
        let Some(customer) = self.selected else {
            self.composer.error = Some(self.texts.t("error-no-conversation"));
            return false;
        };
        let action = Action::Reply {
            customer,
            private: self.composer.private,
            text: self.outgoing_text(),
        };
        match self.sim.act(action) {
            Ok(()) => {
                self.composer.text.clear();
                self.composer.error = None;
                self.composer.hint = None;
                true
            }
            Err(error) => {
                self.composer.error = Some(error.message(self.lang()));
                false
            }
        }
    }

    /// Hands the selected case to the chosen service with the ticked details.
    pub fn transfer(&mut self) -> bool {
        let Some(customer) = self.selected else {
            self.composer.error = Some(self.texts.t("error-no-conversation"));
            return false;
        };
        let Some(service) = self
            .composer
            .transfer_service
            .and_then(|i| self.sim.scenario().services.get(i))
            .map(|s| s.id.clone())
        else {
            self.composer.error = Some(self.texts.t("error-no-service"));
            return false;
        };
        let details = self
            .sim
            .scenario()
            .details
            .iter()
            .zip(&self.composer.transfer_details)
            .filter(|(_, ticked)| **ticked)
            .map(|(d, _)| d.id.clone())
            .collect();
        match self.sim.act(Action::Transfer {
            customer,
            service,
            details,
        }) {
            Ok(()) => {
                self.composer.error = None;
                self.composer.transfer_service = None;
                self.composer.transfer_details.fill(false);
                true
            }
            Err(error) => {
                self.composer.error = Some(self.explain(&error));
                false
            }
        }
    }

    /// An engine refusal in the trainee's words: services and details by their labels.
    pub fn explain(&self, error: &ActionError) -> String {
        let lang = self.lang();
        let scenario = self.sim.scenario();
        let detail_label = |id: &str| {
            scenario
                .details
                .iter()
                .find(|d| d.id == id)
                .map_or(id.to_string(), |d| d.label.get(lang).to_string())
        };
        match error {
            ActionError::MissingDetails { service, missing } => {
                let service = scenario
                    .services
                    .iter()
                    .find(|s| &s.id == service)
                    .map_or(service.clone(), |s| s.name.get(lang).to_string());
                let details: Vec<String> = missing.iter().map(|d| detail_label(d)).collect();
                self.texts.t_with(
                    "error-missing-details",
                    &[
                        ("service", text(service)),
                        ("details", text(details.join(", "))),
                    ],
                )
            }
            ActionError::DetailNotCollected { detail } => self.texts.t_with(
                "error-detail-not-collected",
                &[("detail", text(detail_label(detail)))],
            ),
            other => other.message(lang),
        }
    }

    /// The analysis of the draft as it will be sent (sign-off included), for the hint line
    /// (training only); analysed again only when the draft, the place or the conversation
    /// changes.
    pub fn hint(&mut self) -> Option<&ToneReport> {
        if self.mode == Mode::Exam || self.composer.text.trim().is_empty() {
            return None;
        }
        let outgoing = self.outgoing_text();
        let messages = self
            .selected
            .and_then(|id| self.sim.customer(id))
            .map_or(0, |c| c.messages.len());
        let key = HintKey {
            text: outgoing,
            private: self.composer.private,
            selected: self.selected,
            messages,
        };
        let stale = self.composer.hint.as_ref().is_none_or(|(k, _)| *k != key);
        if stale {
            let customer_text = self
                .selected
                .and_then(|id| self.last_customer_text(id))
                .map(str::to_string);
            let care = self.care_handles();
            let care_refs: Vec<&str> = care.iter().map(String::as_str).collect();
            // The copy rule sees what the customer would see (engine::copy).
            let seen = self
                .selected
                .map(|id| self.sim.copy_candidates(id, self.composer.private))
                .unwrap_or_default();
            let mut input = ToneInput::new(&key.text, self.lang());
            input.public = !self.composer.private;
            input.customer = customer_text.as_deref();
            input.care_handles = &care_refs;
            input.seen = &seen;
            input.char_limit = self.char_limit().map(|l| l as usize);
            let report = self.analyser.analyse(&input);
            self.composer.hint = Some((key, report));
        }
        self.composer.hint.as_ref().map(|(_, r)| r)
    }

    fn care_handles(&self) -> Vec<String> {
        let care = &self.sim.scenario().brand.care;
        vec![care.twitter.clone(), care.facebook.clone()]
    }

    /// The selected conversation's limit for the composer's place (public or private).
    pub fn char_limit(&self) -> Option<u32> {
        let c = self.sim.customer(self.selected?)?;
        Some(
            self.sim
                .scenario()
                .channels
                .char_limit(c.channel, self.composer.private),
        )
    }

    /// The hint line: the draft's politeness and its two worst findings, in training only.
    pub fn hint_line(&mut self) -> Option<String> {
        let lang = self.lang();
        let analyser = self.analyser.clone();
        let report = self.hint()?.clone();
        // The worst findings first: the hint is there to catch a fault before it is sent.
        let mut explained = analyser.explain(&report, lang);
        explained.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let findings: Vec<&str> = explained.into_iter().take(2).map(|f| f.message).collect();
        let mut line = self.texts.t_with(
            "hint-politeness",
            &[("score", num(report.politeness as f64))],
        );
        for message in findings {
            line.push_str(" · ");
            line.push_str(message);
        }
        Some(line)
    }
}

/// The composer panel, at the bottom.
pub(super) struct ComposerPanel<'a> {
    pub desk: &'a mut SessionDesk,
}

impl ComposerPanel<'_> {
    pub fn ui(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("composer")
            .resizable(true)
            .default_size(190.0)
            .show(ui, |ui| {
                ui.add_space(4.0);
                let Some(c) = self.desk.selected.and_then(|id| self.desk.sim.customer(id)) else {
                    ui.weak(self.desk.texts.t("composer-none"));
                    return;
                };
                let handle = c.handle.clone();
                self.place_ui(ui, handle);
                self.editor_ui(ui);
                if let Some(error) = &self.desk.composer.error {
                    ui.label(RichText::new(format!("⚠ {error}")).color(style::BAD));
                }
                if let Some(hint) = self.desk.hint_line() {
                    ui.label(RichText::new(hint).color(style::ACCENT));
                }
                self.transfer_ui(ui);
            });
    }

    /// To whom, in public or in private, signed how.
    fn place_ui(&mut self, ui: &mut Ui, handle: String) {
        let desk = &mut *self.desk;
        ui.horizontal(|ui| {
            ui.label(desk.texts.t_with("reply-to", &[("handle", text(handle))]));
            ui.radio_value(&mut desk.composer.private, false, desk.texts.t("public"));
            ui.radio_value(&mut desk.composer.private, true, desk.texts.t("private"));
            ui.separator();
            ui.label(desk.texts.t("sign-off"));
            ui.add(egui::TextEdit::singleline(&mut desk.composer.sign_off).desired_width(80.0));
            // The brand's own rule for signing, as its guidelines put it.
            if let Some(hint) = &desk.sim.scenario().brand.sign_off_hint {
                ui.weak(hint.get(desk.lang()));
            }
        });
    }

    /// The draft, its length against the place's limit, and the send button.
    fn editor_ui(&mut self, ui: &mut Ui) {
        let desk = &mut *self.desk;
        ui.horizontal(|ui| {
            let editor = egui::TextEdit::multiline(&mut desk.composer.text)
                .id_salt("composer_text")
                .hint_text(desk.texts.t("composer-hint"))
                .desired_rows(3)
                .desired_width((ui.available_width() - 130.0).max(200.0));
            ui.add(editor);
            ui.vertical(|ui| {
                let length = desk.outgoing_text().chars().count();
                if let Some(limit) = desk.char_limit() {
                    let colour = if length as u32 > limit {
                        style::BAD
                    } else {
                        ui.visuals().text_color()
                    };
                    ui.label(RichText::new(format!("{length} / {limit}")).color(colour));
                }
                if ui.button(desk.texts.t("send")).clicked() {
                    desk.send_reply();
                }
            });
        });
    }

    /// The service to hand the case to and the details it needs (starred).
    fn transfer_ui(&mut self, ui: &mut Ui) {
        let desk = &mut *self.desk;
        let lang = desk.lang();
        let scenario = desk.sim.scenario();
        let mut send = false;
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(desk.texts.t("transfer")).strong());
            let chosen = desk
                .composer
                .transfer_service
                .and_then(|i| scenario.services.get(i))
                .map_or_else(
                    || desk.texts.t("pick-service"),
                    |s| s.name.get(lang).to_string(),
                );
            egui::ComboBox::from_id_salt("service")
                .selected_text(chosen)
                .show_ui(ui, |ui| {
                    for (i, service) in scenario.services.iter().enumerate() {
                        ui.selectable_value(
                            &mut desk.composer.transfer_service,
                            Some(i),
                            service.name.get(lang),
                        );
                    }
                });
            let required = desk
                .composer
                .transfer_service
                .map_or(0, |s| desk.sim.service_required(s));
            let ticks = desk.composer.transfer_details.iter_mut();
            for (i, (detail, ticked)) in scenario.details.iter().zip(ticks).enumerate() {
                let label = detail.label.get(lang);
                let label = if required & (1 << i) != 0 {
                    format!("{label} *")
                } else {
                    label.to_string()
                };
                ui.checkbox(ticked, label);
            }
            send = ui.button(desk.texts.t("transfer-send")).clicked();
        });
        if send {
            desk.transfer();
        }
    }
}
