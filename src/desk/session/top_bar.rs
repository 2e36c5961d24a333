//! The top bar: the scenario's clock, pause and speeds, the counters, the buzz, the debrief.

use super::{Crowd, Mode, SPEEDS, SessionDesk, SessionRequest};
use crate::desk::catalog::customers_per_hour;
use crate::desk::i18n::{num, text};
use crate::desk::style;
use egui::{RichText, Ui};

impl SessionDesk {
    /// Waiting, answered, churned and ambassador counts for the top bar.
    pub fn counters(&self) -> [u32; 4] {
        let counters = self.sim.counters();
        let waiting = self
            .sim
            .customers()
            .iter()
            .filter(|c| c.is_waiting())
            .count() as u32;
        [
            waiting,
            counters.answered,
            counters.churned,
            counters.ambassadors,
        ]
    }
}

/// The top bar; `request` holds what the trainee asked for this frame.
pub(super) struct TopBar<'a> {
    pub desk: &'a mut SessionDesk,
    pub request: Option<SessionRequest>,
}

impl TopBar<'_> {
    /// Whom the crowd is sized for, and how many customers an hour that makes.
    fn crowd_label(&self) -> String {
        let sim = &self.desk.sim;
        let scenario = sim.scenario();
        let per_hour = num(customers_per_hour(sim.expected_arrivals(), scenario).round());
        match self.desk.crowd {
            Crowd::Solo => self
                .desk
                .texts
                .t_with("top-crowd-solo", &[("per_hour", per_hour)]),
            Crowd::Team => self.desk.texts.t_with(
                "top-crowd-team",
                &[
                    ("team", num(scenario.team_size as f64)),
                    ("per_hour", per_hour),
                ],
            ),
            Crowd::Cell => self.desk.texts.t_with(
                "top-crowd-cell",
                &[
                    ("team", num(sim.seats().len() as f64)),
                    ("per_hour", per_hour),
                ],
            ),
        }
    }

    /// Pause or resume, in a button as wide as the wider of its two labels, so that the
    /// bar does not shift when it changes.
    fn pause_ui(&mut self, ui: &mut Ui) {
        let texts = &self.desk.texts;
        let (pause, resume) = (texts.t("pause"), texts.t("resume"));
        let font = egui::TextStyle::Button.resolve(ui.style());
        let width = [&pause, &resume]
            .into_iter()
            .map(|label| {
                ui.fonts_mut(|f| f.layout_no_wrap(label.clone(), font.clone(), style::TEXT))
                    .size()
                    .x
            })
            .fold(0.0, f32::max);
        let label = if self.desk.clock.paused {
            resume
        } else {
            pause
        };
        let padding = 2.0 * ui.spacing().button_padding.x;
        let button = egui::Button::new(label).min_size(egui::vec2(width + padding, 0.0));
        if ui
            .add(button)
            .on_hover_text(self.desk.texts.t("pause-key"))
            .clicked()
        {
            self.desk.toggle_pause();
        }
    }

    /// On a seat of a team exercise: the exercise's state as the facilitator sets it, and
    /// the connection's when it is lost.
    fn remote_ui(&self, ui: &mut Ui, status: crate::exercise::Status) {
        use crate::exercise::Status;
        let texts = &self.desk.texts;
        let seat_name = self
            .desk
            .seat
            .and_then(|s| self.desk.sim.seats().get(s.index()))
            .map_or_else(String::new, |s| s.name.clone());
        ui.label(texts.t_with("remote-seat", &[("seat", text(seat_name))]));
        if let Some(reason) = self.desk.remote.as_ref().and_then(|r| r.lost.clone()) {
            ui.label(RichText::new(texts.t("remote-lost")).color(style::BAD))
                .on_hover_text(reason);
            return;
        }
        let speed = self.desk.remote.as_ref().map_or(1, |r| r.follower.speed);
        let (label, colour) = match status {
            Status::Waiting => (texts.t("remote-waiting"), style::WARN),
            Status::Running => (
                texts.t_with("remote-running", &[("speed", num(speed as f64))]),
                style::GOOD,
            ),
            Status::Paused => (texts.t("remote-paused"), style::WARN),
            Status::Ended => (texts.t("remote-ended"), style::TEXT),
        };
        ui.label(RichText::new(label).color(colour));
    }

    pub fn ui(&mut self, ui: &mut Ui) {
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(
                    RichText::new(self.desk.clock_label())
                        .monospace()
                        .size(18.0),
                );
                ui.label(self.crowd_label());
                if let Some(status) = self.desk.remote_status() {
                    self.remote_ui(ui, status);
                } else {
                    // An exam runs without pause: answering everything on a stopped clock is
                    // not what it certifies.
                    if self.desk.mode == Mode::Training {
                        self.pause_ui(ui);
                    }
                    for speed in SPEEDS {
                        if ui
                            .selectable_label(self.desk.clock.speed == speed, format!("{speed}x"))
                            .clicked()
                        {
                            self.desk.set_speed(speed);
                        }
                    }
                }
                if let Some(kind) = self.desk.autoplay_kind {
                    ui.label(
                        RichText::new(
                            self.desk
                                .texts
                                .t_with("autoplay-label", &[("policy", text(kind.name()))]),
                        )
                        .color(style::ACCENT),
                    );
                }
                match self.desk.recording.as_ref().and_then(|r| r.error.as_ref()) {
                    Some(error) => {
                        ui.label(
                            RichText::new(format!(
                                "⚠ {}",
                                self.desk
                                    .texts
                                    .t_with("recording-failed", &[("error", text(error.clone()))])
                            ))
                            .color(style::BAD),
                        );
                    }
                    None if self.desk.recording.is_some() => {
                        ui.label(RichText::new("●").color(style::BAD))
                            .on_hover_text(self.desk.texts.t("recording-on"));
                    }
                    None => {}
                }
                ui.separator();
                let [waiting, answered, churned, ambassadors] = self.desk.counters();
                for (key, value, colour) in [
                    ("counter-waiting", waiting, style::WARN),
                    ("counter-answered", answered, style::GOOD),
                    ("counter-churned", churned, style::BAD),
                    ("counter-ambassadors", ambassadors, style::GOOD),
                ] {
                    ui.label(RichText::new(value.to_string()).strong().color(colour));
                    ui.label(self.desk.texts.t(key));
                }
                ui.separator();
                let buzz = self.desk.sim.buzz_now();
                let explained = self.desk.texts.t("buzz-explained");
                ui.label(self.desk.texts.t("buzz"))
                    .on_hover_text(&explained);
                ui.add(
                    egui::ProgressBar::new(style::buzz_fraction(buzz))
                        .desired_width(120.0)
                        .fill(style::anger_colour(
                            style::buzz_fraction(buzz) as f64 * 100.0,
                        )),
                )
                .on_hover_text(&explained);
                // The number beside the gauge, never over it: the fill would hide it.
                ui.label(
                    RichText::new(self.desk.texts.decimal(buzz, 0))
                        .monospace()
                        .strong(),
                );
                ui.separator();
                if ui.button(self.desk.texts.t("statement-open")).clicked() {
                    self.desk.statement.open = !self.desk.statement.open;
                }
                if ui.button(self.desk.texts.t("open-debrief")).clicked() {
                    self.request = Some(SessionRequest::Debrief);
                }
            });
        });
    }
}
