//! The composer: the reply being written, where it goes, the hint line, and the transfer.

use super::{Mode, SessionDesk};
use crate::desk::debrief::severity_colour;
use crate::desk::i18n::{num, text};
use crate::desk::report::severity_sign;
use crate::desk::style;
use crate::engine::ids::CustomerId;
use crate::engine::seats::TeamError;
use crate::engine::{Action, ActionError};
use crate::tone::lexicon::Severity;
use crate::tone::{ToneInput, ToneReport};
use egui::{RichText, Ui};
use fluent_bundle::FluentValue;

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
    /// The selected conversation's private messages were open when last looked at.
    pub(super) seen_dm: bool,
    /// The details the selected customer had given when last looked at.
    pub(super) seen_provided: u64,
    /// The editor takes the keyboard on the next frame (a conversation was just chosen).
    pub(super) focus_requested: bool,
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

    /// Hides or likes a customer's post; a refusal shows beside the composer.
    pub fn moderate(&mut self, action: Action) {
        self.composer.error = self.submit(action).err();
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
        match self.submit(action) {
            Ok(()) => {
                self.composer.text.clear();
                self.composer.error = None;
                self.composer.hint = None;
                true
            }
            Err(message) => {
                self.composer.error = Some(message);
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
        match self.submit(Action::Transfer {
            customer,
            service,
            details,
        }) {
            Ok(()) => {
                self.composer.error = None;
                self.composer.transfer_service = None;
                true
            }
            Err(message) => {
                self.composer.error = Some(message);
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
                // What is really missing: a box left unticked, or a detail not given yet.
                let given = self.sim.detail_ids(
                    self.selected
                        .and_then(|id| self.sim.customer(id))
                        .map_or(0, |c| c.provided),
                );
                let (unticked, not_given): (Vec<&String>, Vec<&String>) =
                    missing.iter().partition(|d| given.contains(d));
                let labels = |ids: &[&String]| {
                    let labels: Vec<String> = ids.iter().map(|d| detail_label(d)).collect();
                    text(labels.join(", "))
                };
                let mut parts = Vec::new();
                if !unticked.is_empty() {
                    parts.push(self.texts.t_with(
                        "error-missing-unticked",
                        &[
                            ("service", text(service.clone())),
                            ("details", labels(&unticked)),
                        ],
                    ));
                }
                if !not_given.is_empty() {
                    parts.push(self.texts.t_with(
                        "error-missing-not-given",
                        &[("service", text(service)), ("details", labels(&not_given))],
                    ));
                }
                parts.join(" ")
            }
            ActionError::DetailNotCollected { detail } => self.texts.t_with(
                "error-detail-not-collected",
                &[("detail", text(detail_label(detail)))],
            ),
            ActionError::NoPrivateConversation(id) => self
                .texts
                .t_with("error-no-private", &[("handle", self.handle_of(*id))]),
            ActionError::AlreadyTransferred(id) => self.texts.t_with(
                "error-already-transferred",
                &[("handle", self.handle_of(*id))],
            ),
            ActionError::CaseClosed(id) => self
                .texts
                .t_with("error-case-closed", &[("handle", self.handle_of(*id))]),
            ActionError::Team(TeamError::HeldBy { customer, seat }) => self.texts.t_with(
                "error-held-by",
                &[
                    ("seat", text(seat.clone())),
                    ("handle", self.handle_of(*customer)),
                ],
            ),
            other => other.message(lang),
        }
    }

    /// How the desk names a customer: by their handle, never by the engine's number.
    fn handle_of(&self, id: CustomerId) -> FluentValue<'static> {
        text(
            self.sim
                .customer(id)
                .map_or_else(String::new, |c| c.handle.clone()),
        )
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
            // The customer's messages as the engine hands them to the analyser: the latest,
            // and the earlier ones a reply may take up.
            let mut customer_messages = self
                .selected
                .map(|id| self.sim.customer_texts(id))
                .unwrap_or_default();
            let customer_text = customer_messages.pop();
            let care = self.care_handles();
            let care_refs: Vec<&str> = care.iter().map(String::as_str).collect();
            // The copy rule sees what the customer would see (engine::copy).
            let seen = self
                .selected
                .map(|id| self.sim.copy_candidates(id, self.composer.private))
                .unwrap_or_default();
            let mut input = ToneInput::new(&key.text, self.lang());
            input.public = !self.composer.private;
            input.customer = customer_text;
            input.customer_earlier = &customer_messages;
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

    /// The hint line, in training only: the draft's faults worst first, each marked ✗ in
    /// its severity's colour, then its politeness, then what it does well (✓, in green),
    /// so that praise never reads like a fault or hides one.
    pub fn hint_items(&mut self) -> Option<Vec<HintItem>> {
        let lang = self.lang();
        let analyser = self.analyser.clone();
        let report = self.hint()?.clone();
        let mut explained = analyser.explain(&report, lang);
        explained.sort_by_key(|f| std::cmp::Reverse(f.severity));
        let (good, faults): (Vec<_>, Vec<_>) = explained
            .into_iter()
            .filter(|f| f.severity != Severity::Note)
            .partition(|f| f.severity == Severity::Good);
        let mut items: Vec<HintItem> = faults
            .iter()
            .take(HINT_FAULTS)
            .map(|f| HintItem {
                severity: f.severity,
                text: format!("{} {}", severity_sign(f.severity), f.message),
            })
            .collect();
        let politeness = self.texts.t_with(
            "hint-politeness",
            &[("score", num(report.politeness as f64))],
        );
        // A draft with a fault is not a good reply, however polite its words.
        let politeness_severity = if !faults.is_empty() || report.politeness < 50 {
            Severity::Note
        } else {
            Severity::Good
        };
        items.push(HintItem {
            severity: politeness_severity,
            text: politeness,
        });
        if faults.is_empty() {
            items.extend(good.iter().take(1).map(|f| HintItem {
                severity: Severity::Good,
                text: format!("{} {}", severity_sign(Severity::Good), f.message),
            }));
        }
        Some(items)
    }

    /// The hint line as one text ([`SessionDesk::hint_items`] joined).
    pub fn hint_line(&mut self) -> Option<String> {
        let items = self.hint_items()?;
        let texts: Vec<String> = items.into_iter().map(|i| i.text).collect();
        Some(texts.join(" · "))
    }
}

/// Faults the hint line shows at most: the worst, so that it stays one glance.
const HINT_FAULTS: usize = 2;

/// One piece of the hint line.
#[derive(Clone, Debug, PartialEq)]
pub struct HintItem {
    pub severity: Severity,
    pub text: String,
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
                self.messages_ui(ui);
                self.transfer_ui(ui);
                super::statement::EscalationRow { desk: self.desk }.ui(ui);
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

    /// The refusal and the hint line, in a band of fixed height: what they say changes as
    /// the trainee types, and the editor and its buttons must not move under the mouse.
    fn messages_ui(&mut self, ui: &mut Ui) {
        let line_height = ui.text_style_height(&egui::TextStyle::Body);
        let band = egui::vec2(ui.available_width(), 3.0 * line_height + 8.0);
        let hint = self.desk.hint_items();
        let error = self.desk.composer.error.clone();
        ui.allocate_ui_with_layout(band, egui::Layout::top_down(egui::Align::Min), |ui| {
            ui.set_min_size(band);
            ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Truncate);
            if let Some(error) = error {
                ui.label(RichText::new(format!("⚠ {error}")).color(style::BAD))
                    .on_hover_text(error);
            }
            if let Some(items) = hint {
                ui.horizontal(|ui| {
                    for item in items {
                        ui.label(RichText::new(item.text).color(hint_colour(item.severity)));
                    }
                });
            }
        });
    }

    /// The draft, its length against the place's limit, and the send button.
    fn editor_ui(&mut self, ui: &mut Ui) {
        let desk = &mut *self.desk;
        ui.horizontal(|ui| {
            // Ctrl+Enter sends; the editor must not see it as a new line.
            let send_key =
                ui.input_mut(|i| i.consume_key(egui::Modifiers::COMMAND, egui::Key::Enter));
            let editor = egui::TextEdit::multiline(&mut desk.composer.text)
                .id_salt("composer_text")
                .hint_text(desk.texts.t("composer-hint"))
                .desired_rows(3)
                .desired_width((ui.available_width() - 130.0).max(200.0));
            let response = ui.add(editor);
            if std::mem::take(&mut desk.composer.focus_requested) {
                response.request_focus();
            }
            if send_key && response.has_focus() {
                desk.send_reply();
            }
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
                if ui
                    .button(desk.texts.t("send"))
                    .on_hover_text(desk.texts.t("send-key"))
                    .clicked()
                {
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
                .width(220.0)
                .show_ui(ui, |ui| {
                    // Each service with what it handles: the trainee chooses, not guesses.
                    for (i, service) in scenario.services.iter().enumerate() {
                        let mut entry = egui::text::LayoutJob::default();
                        RichText::new(service.name.get(lang)).strong().append_to(
                            &mut entry,
                            ui.style(),
                            egui::FontSelection::Default,
                            egui::Align::Min,
                        );
                        RichText::new(format!("\n{}", service.handles.get(lang)))
                            .small()
                            .color(ui.visuals().text_color())
                            .append_to(
                                &mut entry,
                                ui.style(),
                                egui::FontSelection::Default,
                                egui::Align::Min,
                            );
                        ui.selectable_value(&mut desk.composer.transfer_service, Some(i), entry);
                    }
                });
            if let Some(service) = desk
                .composer
                .transfer_service
                .and_then(|i| scenario.services.get(i))
            {
                ui.label(RichText::new(service.handles.get(lang)).small());
            }
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

/// A hint's colour: its severity's, but the neutral text colour for a plain note.
fn hint_colour(severity: Severity) -> egui::Color32 {
    match severity {
        Severity::Note => style::TEXT,
        other => severity_colour(other),
    }
}
