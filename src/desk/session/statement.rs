//! Speaking to everyone and alerting inside the company: the statement composer (a post to
//! the whole community on a channel, pinned at the top of the brand's page, counted against
//! the channel's limit and read by the statement reader as it is typed), the pinned posts at
//! the top of the feed, and the escalation of the selected customer's post to a desk.

use super::SessionDesk;
use crate::desk::debrief::severity_colour;
use crate::desk::i18n::{num, text};
use crate::desk::report::severity_sign;
use crate::desk::style;
use crate::engine::Action;
use crate::engine::scenario::{Channel, Desk};
use crate::tone::statement::StatementReport;
use egui::{RichText, Ui};

/// A statement being written.
pub struct StatementDraft {
    /// The composer's window is open.
    pub open: bool,
    pub channel: Channel,
    pub text: String,
    /// The last refusal, or what was just published.
    pub notice: Option<(bool, String)>,
}

impl Default for StatementDraft {
    fn default() -> StatementDraft {
        StatementDraft {
            open: false,
            channel: Channel::Twitter,
            text: String::new(),
            notice: None,
        }
    }
}

impl SessionDesk {
    /// The statement reader's findings on the draft, against its channel's limit, in the
    /// language the engine reads it in.
    pub fn statement_report(&self) -> StatementReport {
        let limit = self
            .sim
            .scenario()
            .channels
            .char_limit(self.statement.channel, false);
        self.analyser.statements().read(
            &self.statement.text,
            self.sim.config().lang,
            Some(limit as usize),
        )
    }

    /// Publishes the draft on its channel; on refusal the text stays and the reason shows.
    pub fn publish_statement(&mut self) -> bool {
        let channel = self.statement.channel;
        let action = Action::Publish {
            channel,
            text: self.statement.text.trim().to_string(),
        };
        match self.submit(action) {
            Ok(()) => {
                self.statement.text.clear();
                let published = self.texts.t_with(
                    "statement-published",
                    &[("channel", text(style::channel_name(channel)))],
                );
                self.statement.notice = Some((true, published));
                true
            }
            Err(message) => {
                self.statement.notice = Some((false, message));
                false
            }
        }
    }

    /// Escalates the selected customer's post to a desk; a refusal shows beside the composer.
    pub fn escalate(&mut self, to: Desk) -> bool {
        let Some(customer) = self.selected else {
            self.composer.error = Some(self.texts.t("error-no-conversation"));
            return false;
        };
        self.composer.error = self.submit(Action::Escalate { customer, to }).err();
        self.composer.error.is_none()
    }
}

fn desk_key(desk: Desk) -> &'static str {
    match desk {
        Desk::CrisisCell => "desk-crisis-cell",
        Desk::PressOffice => "desk-press-office",
        Desk::Legal => "desk-legal",
    }
}

/// The statement composer, in its own window while open.
pub(super) struct StatementWindow<'a> {
    pub desk: &'a mut SessionDesk,
}

impl StatementWindow<'_> {
    pub fn ui(&mut self, ui: &mut Ui) {
        let mut open = self.desk.statement.open;
        egui::Window::new(self.desk.texts.t("statement-title"))
            .open(&mut open)
            .default_width(460.0)
            .show(ui.ctx(), |ui| self.contents_ui(ui));
        self.desk.statement.open = open;
    }

    fn contents_ui(&mut self, ui: &mut Ui) {
        let desk = &mut *self.desk;
        ui.horizontal(|ui| {
            ui.label(desk.texts.t("statement-channel"));
            for channel in [Channel::Twitter, Channel::Facebook] {
                ui.selectable_value(
                    &mut desk.statement.channel,
                    channel,
                    style::channel_name(channel),
                );
            }
        });
        ui.add(
            egui::TextEdit::multiline(&mut desk.statement.text)
                .desired_rows(4)
                .desired_width(f32::INFINITY),
        );
        let limit = desk
            .sim
            .scenario()
            .channels
            .char_limit(desk.statement.channel, false);
        let count = desk.statement.text.chars().count();
        let counted = desk.texts.t_with(
            "statement-count",
            &[("count", num(count as f64)), ("limit", num(limit))],
        );
        let over = count > limit as usize;
        ui.label(RichText::new(counted).color(if over { style::BAD } else { style::WEAK }));
        if !desk.statement.text.trim().is_empty() {
            let report = desk.statement_report();
            ui.label(
                RichText::new(desk.texts.t_with(
                    "statement-quality",
                    &[("quality", num(f64::from(report.quality)))],
                ))
                .strong(),
            );
            for finding in &report.findings {
                let message = desk
                    .analyser
                    .statements()
                    .message(finding.id, desk.sim.config().lang);
                ui.label(
                    RichText::new(format!("{} {message}", severity_sign(finding.severity)))
                        .color(severity_colour(finding.severity)),
                );
            }
        }
        if ui.button(desk.texts.t("statement-publish")).clicked() {
            desk.publish_statement();
        }
        if let Some((done, notice)) = &desk.statement.notice {
            ui.label(RichText::new(notice).color(if *done { style::GOOD } else { style::BAD }));
        }
    }
}

/// The statements pinned on each channel, at the top of the brand's page.
pub(super) fn pinned_ui(desk: &SessionDesk, ui: &mut Ui) {
    for channel in [Channel::Twitter, Channel::Facebook] {
        let Some(pinned) = desk.sim.pinned(channel) else {
            continue;
        };
        egui::Frame::new()
            .fill(style::BRAND_BUBBLE)
            .corner_radius(6.0)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.label(
                    RichText::new(desk.texts.t_with(
                        "statement-pinned",
                        &[
                            ("channel", text(style::channel_name(channel))),
                            ("time", text(desk.time_label(pinned.t_ms))),
                        ],
                    ))
                    .strong(),
                );
                ui.label(&pinned.text);
            });
        ui.add_space(4.0);
    }
}

/// The selected customer's post escalated to a desk inside the company, or the buttons to.
pub(super) struct EscalationRow<'a> {
    pub desk: &'a mut SessionDesk,
}

impl EscalationRow<'_> {
    pub fn ui(&mut self, ui: &mut Ui) {
        let Some(c) = self.desk.selected.and_then(|id| self.desk.sim.customer(id)) else {
            return;
        };
        let escalated = c.escalated_to;
        let mut chosen = None;
        ui.horizontal(|ui| {
            if let Some(desk) = escalated {
                let t = &self.desk.texts;
                ui.label(t.t_with("escalated-to", &[("desk", text(t.t(desk_key(desk))))]));
                return;
            }
            ui.label(self.desk.texts.t("escalate"));
            for desk in Desk::ALL {
                if ui.button(self.desk.texts.t(desk_key(desk))).clicked() {
                    chosen = Some(desk);
                }
            }
        });
        if let Some(desk) = chosen {
            self.desk.escalate(desk);
        }
    }
}
