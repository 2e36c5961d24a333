//! The session screen: a social-care desk around a running simulation.
//!
//! `SessionDesk` holds the simulation, the clock and the state of every part of the screen;
//! its methods are the trainee's intents (select, reply, transfer, pause...), so tests drive
//! them without a window, and the `*_ui` functions only draw and call them.

use super::catalog::CatalogEntry;
use super::i18n::{Texts, num, text};
use super::style;
use crate::engine::policy::{PolicyConfig, PolicyKind, ScriptedTrainee};
use crate::engine::run::header_for;
use crate::engine::scenario::{Account, Channel};
use crate::engine::sim::{Customer, Stage};
use crate::engine::{Action, ActionError, Header, Lang, ScriptedTeam, SessionConfig, Simulation};
use crate::tone::{ToneAnalyser, ToneInput, ToneReport};
use egui::{Color32, RichText, Ui};
use std::sync::Arc;

/// Training shows the customers' anger and a hint line while typing; an exam shows neither.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Mode {
    Training,
    Exam,
}

/// What the start screen hands to a new session.
#[derive(Clone)]
pub struct SessionSetup {
    pub trainee: String,
    pub scenario: CatalogEntry,
    pub seed: u64,
    pub lang: Lang,
    pub mode: Mode,
    /// A scripted team plays instead of the trainee (demonstrations, screenshots).
    pub autoplay: Option<PolicyKind>,
    /// Scale arrival rates to about this many customers.
    pub customers_target: Option<u64>,
}

/// The speeds the top bar offers.
pub const SPEEDS: [u32; 4] = [1, 2, 4, 8];

/// Simulated time against wall-clock time.
pub struct Clock {
    pub paused: bool,
    /// Simulated seconds per wall-clock second.
    pub speed: u32,
    /// Simulated milliseconds not yet applied (frames are shorter than a millisecond apart
    /// at most rarely, but the fractions add up over hours).
    carry_ms: f64,
}

impl Clock {
    /// Simulated milliseconds to advance for `real_ms` of wall-clock time.
    pub fn simulated_ms(&mut self, real_ms: f64) -> u64 {
        if self.paused || !real_ms.is_finite() || real_ms <= 0.0 {
            return 0;
        }
        // A frame stalled for seconds (a window dragged, a debugger) must not skip an hour.
        let total = self.carry_ms + real_ms.min(1_000.0) * self.speed as f64;
        let whole = total.floor();
        self.carry_ms = total - whole;
        whole as u64
    }
}

/// Which conversations the queue lists.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum QueueFilter {
    /// Every conversation not closed.
    Open,
    /// Never answered yet.
    Unanswered,
    /// Still in public (no private conversation yet).
    Public,
    /// Moved to private messages.
    Private,
    /// Every conversation, closed ones too.
    All,
}

pub const FILTERS: [(QueueFilter, &str); 5] = [
    (QueueFilter::Open, "filter-open"),
    (QueueFilter::Unanswered, "filter-unanswered"),
    (QueueFilter::Public, "filter-public"),
    (QueueFilter::Private, "filter-private"),
    (QueueFilter::All, "filter-all"),
];

/// One line of the queue.
#[derive(Clone, Debug, PartialEq)]
pub struct QueueRow {
    pub customer: u32,
    pub handle: String,
    pub channel: Channel,
    pub private: bool,
    /// How long they have been waiting for the brand, if they are.
    pub waiting_ms: Option<u64>,
    /// Their messages since the brand's last reply.
    pub unread: u32,
    pub capitals: bool,
    pub exclamations: bool,
    pub emoticons: bool,
    pub followups: u32,
    pub anger: f64,
    pub closed: bool,
}

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
    hint: Option<(HintKey, ToneReport)>,
}

/// What the hint line's analysis depends on.
#[derive(PartialEq)]
struct HintKey {
    text: String,
    private: bool,
    selected: Option<u32>,
    /// Messages in the conversation: a new one changes what the reply answers.
    messages: usize,
}

/// What the session asks of the screen around it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SessionRequest {
    Debrief,
}

pub struct SessionDesk {
    pub sim: Simulation,
    pub header: Header,
    pub trainee: String,
    pub mode: Mode,
    pub texts: Texts,
    pub clock: Clock,
    pub filter: QueueFilter,
    pub channel_filter: Option<Channel>,
    pub selected: Option<u32>,
    /// Show the whole public feed instead of the selected conversation.
    pub show_feed: bool,
    pub composer: Composer,
    pub analyser: Arc<ToneAnalyser>,
    autoplay: Option<ScriptedTeam>,
    autoplay_kind: Option<PolicyKind>,
    /// The academy's record of this session, written as it is played.
    pub recording: Option<super::course::Recording>,
}

impl SessionDesk {
    pub fn new(setup: SessionSetup, analyser: Arc<ToneAnalyser>) -> Result<SessionDesk, String> {
        let entry = &setup.scenario;
        let scenario = entry.scenario.clone();
        let session = SessionConfig {
            seed: setup.seed,
            lang: setup.lang,
            customers_target: setup.customers_target,
        };
        let sim =
            Simulation::new(scenario, session, analyser.clone()).map_err(|e| e.to_string())?;
        let header = header_for(&sim, &entry.path, &entry.sha256);
        let autoplay = setup.autoplay.map(|kind| {
            ScriptedTeam::new(ScriptedTrainee::new(PolicyConfig::new(
                kind,
                sim.scenario().team_size,
            )))
        });
        let first_name = setup.trainee.split_whitespace().next().unwrap_or("");
        let sign_off = if first_name.is_empty() {
            String::new()
        } else {
            format!("^{first_name}")
        };
        Ok(SessionDesk {
            texts: Texts::new(setup.lang),
            composer: Composer {
                sign_off,
                transfer_details: vec![false; sim.scenario().details.len()],
                ..Composer::default()
            },
            sim,
            header,
            trainee: setup.trainee,
            mode: setup.mode,
            clock: Clock {
                paused: false,
                speed: 1,
                carry_ms: 0.0,
            },
            filter: QueueFilter::Open,
            channel_filter: None,
            selected: None,
            show_feed: false,
            analyser,
            autoplay,
            autoplay_kind: setup.autoplay,
            recording: None,
        })
    }

    /// Records the session into the academy's records at `db` (created on first use; the
    /// trainee is enrolled if new); returns the session's id there.
    pub fn record_into(&mut self, db: &std::path::Path) -> Result<i64, String> {
        let mode = match self.mode {
            Mode::Training => crate::academy::SessionMode::Training,
            Mode::Exam => crate::academy::SessionMode::Exam,
        };
        let player = match self.autoplay_kind {
            Some(kind) => format!("policy:{}", kind.name()),
            None => "desk".to_string(),
        };
        let recording =
            super::course::Recording::start(db, &self.trainee, &self.header, mode, &player)?;
        let id = recording.session().unwrap_or_default();
        self.recording = Some(recording);
        Ok(id)
    }

    /// Closes the record: complete with its scores if the session reached its end, else
    /// abandoned with what was played.
    pub fn close_recording(&mut self) {
        let Some(recording) = &mut self.recording else {
            return;
        };
        if !recording.is_open() {
            return;
        }
        if self.sim.is_over() {
            let scores = crate::score::score(
                super::report::scoring_spec(),
                &self.analyser,
                self.sim.scenario(),
                &self.header,
                self.sim.records(),
            )
            .scores;
            recording.close(&self.sim, Some(&scores));
        } else {
            recording.close(&self.sim, None);
        }
    }

    /// Runs one frame's work on the desk. Should it panic, the session is not lost: every
    /// event played so far is written to the records and the session closed as interrupted,
    /// with the reason, before the error is returned for the window to end.
    pub fn guarded<R>(&mut self, work: impl FnOnce(&mut SessionDesk) -> R) -> Result<R, String> {
        let outcome = catch_panic(|| work(self));
        if let Err(reason) = &outcome {
            self.interrupt_recording(reason);
        }
        outcome
    }

    /// Writes every event played and closes the record as interrupted, with the reason.
    pub fn interrupt_recording(&mut self, reason: &str) {
        if let Some(recording) = &mut self.recording {
            recording.interrupt(&self.sim, reason);
        }
    }

    pub fn lang(&self) -> Lang {
        self.texts.lang()
    }

    pub fn autoplay(&self) -> Option<PolicyKind> {
        self.autoplay_kind
    }

    /// Lets simulated time run for `real_ms` of wall-clock time at the chosen speed.
    pub fn tick(&mut self, real_ms: f64) {
        let step = self.clock.simulated_ms(real_ms);
        if step > 0 {
            self.advance_by(step);
        }
        if self.sim.is_over() {
            self.close_recording();
        } else if let Some(recording) = &mut self.recording {
            recording.tick(real_ms, &self.sim);
        }
    }

    /// Advances simulated time, with the scripted team acting if it plays.
    pub fn advance_by(&mut self, simulated_ms: u64) {
        let target = self.sim.now_ms().saturating_add(simulated_ms);
        let seen = self.sim.records().len();
        match &mut self.autoplay {
            Some(team) => team.advance_to(&mut self.sim, target),
            None => self.sim.advance_to(target),
        }
        // Under autoplay the screen follows the team: the conversation it last answered.
        if self.autoplay.is_some() {
            let last_answered =
                self.sim.records()[seen..]
                    .iter()
                    .rev()
                    .find_map(|r| match r.event {
                        crate::engine::Event::Reply { customer, .. } => Some(customer),
                        _ => None,
                    });
            if let Some(customer) = last_answered {
                self.select(customer);
            }
        }
    }

    pub fn set_speed(&mut self, speed: u32) {
        if SPEEDS.contains(&speed) {
            self.clock.speed = speed;
        }
    }

    /// Autoplay runs faster than a person could read, so that seconds show a busy desk.
    pub fn set_autoplay_speed(&mut self, speed: u32) {
        self.clock.speed = speed.max(1);
    }

    pub fn toggle_pause(&mut self) {
        self.clock.paused = !self.clock.paused;
    }

    pub fn select(&mut self, customer: u32) {
        if self.selected != Some(customer) {
            self.selected = Some(customer);
            self.show_feed = false;
            self.composer.error = None;
            self.composer.transfer_service = None;
            self.composer.transfer_details.fill(false);
            // Private when the conversation has moved there: the usual next step.
            self.composer.private = self.sim.customer(customer).is_some_and(|c| c.dm_open);
        }
    }

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

    /// The queue as the filters show it: longest waiting first, then the most recent.
    pub fn queue_rows(&self) -> Vec<QueueRow> {
        let now = self.sim.now_ms();
        let mut rows: Vec<QueueRow> = self
            .sim
            .customers()
            .iter()
            .filter(|c| self.channel_filter.is_none_or(|ch| ch == c.channel))
            .filter(|c| match self.filter {
                QueueFilter::Open => !c.stage.is_closed(),
                QueueFilter::Unanswered => c.first_reply_ms.is_none() && !c.stage.is_closed(),
                QueueFilter::Public => !c.dm_open && !c.stage.is_closed(),
                QueueFilter::Private => c.dm_open && !c.stage.is_closed(),
                QueueFilter::All => true,
            })
            .map(|c| self.queue_row(c, now))
            .collect();
        rows.sort_by(|a, b| {
            b.waiting_ms
                .cmp(&a.waiting_ms)
                .then_with(|| b.customer.cmp(&a.customer))
        });
        rows
    }

    fn queue_row(&self, c: &Customer, now: u64) -> QueueRow {
        let mut unread = 0;
        for id in c.messages.iter().rev() {
            match self.sim.message(*id) {
                Some(m) if m.customer.is_some() => unread += 1,
                _ => break,
            }
        }
        let cues = Cues::of(self.last_customer_text(c.id).unwrap_or(""));
        QueueRow {
            customer: c.id,
            handle: c.handle.clone(),
            channel: c.channel,
            private: c.dm_open,
            waiting_ms: c
                .waiting_since
                .filter(|_| c.is_waiting())
                .map(|since| now.saturating_sub(since)),
            unread,
            capitals: cues.capitals,
            exclamations: cues.exclamations,
            emoticons: cues.emoticons,
            followups: c.relaunches,
            anger: self.sim.anger(c.id).unwrap_or(0.0),
            closed: c.stage.is_closed(),
        }
    }

    /// Ids of every public message, oldest first: the brand's page as the public sees it.
    pub fn feed(&self) -> Vec<u32> {
        self.sim
            .messages()
            .iter()
            .filter(|m| !m.private && !m.hidden)
            .map(|m| m.id)
            .collect()
    }

    /// The customer's latest message in the conversation, public or private.
    fn last_customer_text(&self, customer: u32) -> Option<&str> {
        self.sim
            .latest_customer_message(customer)
            .map(|m| m.text.as_str())
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

    /// The scenario's clock: its start plus simulated time ("ven. 18:42").
    pub fn clock_label(&self) -> String {
        let start = &self.sim.scenario().start;
        let minutes = start.hour as u64 * 60 + start.minute as u64 + self.sim.now_ms() / 60_000;
        let day = (start.weekday as u64 + minutes / 1_440) % 7;
        let day_name = self.texts.t(&format!("weekday-{day}"));
        format!("{day_name} {:02}:{:02}", (minutes / 60) % 24, minutes % 60)
    }

    // ----- drawing -----

    /// The whole screen: top bar, queue, customer card, composer, then the conversation.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<SessionRequest> {
        let request = self.top_bar_ui(ui);
        self.queue_ui(ui);
        self.card_ui(ui);
        self.composer_ui(ui);
        self.conversation_ui(ui);
        request.or(self.sim.is_over().then_some(SessionRequest::Debrief))
    }

    pub fn top_bar_ui(&mut self, ui: &mut Ui) -> Option<SessionRequest> {
        let mut request = None;
        egui::Panel::top("top_bar").show(ui, |ui| {
            ui.horizontal_wrapped(|ui| {
                ui.label(RichText::new(self.clock_label()).monospace().size(18.0));
                let pause_label = if self.clock.paused {
                    self.texts.t("resume")
                } else {
                    self.texts.t("pause")
                };
                if ui.button(pause_label).clicked() {
                    self.toggle_pause();
                }
                for speed in SPEEDS {
                    if ui
                        .selectable_label(self.clock.speed == speed, format!("{speed}x"))
                        .clicked()
                    {
                        self.set_speed(speed);
                    }
                }
                if let Some(kind) = self.autoplay_kind {
                    ui.label(
                        RichText::new(
                            self.texts
                                .t_with("autoplay-label", &[("policy", text(kind.name()))]),
                        )
                        .color(style::ACCENT),
                    );
                }
                match self.recording.as_ref().and_then(|r| r.error.as_ref()) {
                    Some(error) => {
                        ui.label(
                            RichText::new(format!(
                                "⚠ {}",
                                self.texts
                                    .t_with("recording-failed", &[("error", text(error.clone()))])
                            ))
                            .color(style::BAD),
                        );
                    }
                    None if self.recording.is_some() => {
                        ui.label(RichText::new("●").color(style::BAD))
                            .on_hover_text(self.texts.t("recording-on"));
                    }
                    None => {}
                }
                ui.separator();
                let [waiting, answered, churned, ambassadors] = self.counters();
                for (key, value, colour) in [
                    ("counter-waiting", waiting, style::WARN),
                    ("counter-answered", answered, style::GOOD),
                    ("counter-churned", churned, style::BAD),
                    ("counter-ambassadors", ambassadors, style::GOOD),
                ] {
                    ui.label(RichText::new(value.to_string()).strong().color(colour));
                    ui.label(self.texts.t(key));
                }
                ui.separator();
                let buzz = self.sim.buzz_now();
                ui.label(self.texts.t("buzz"));
                ui.add(
                    egui::ProgressBar::new(style::buzz_fraction(buzz))
                        .desired_width(120.0)
                        .fill(style::anger_colour(
                            style::buzz_fraction(buzz) as f64 * 100.0,
                        ))
                        .text(format!("{buzz:.0}")),
                );
                ui.separator();
                if ui.button(self.texts.t("open-debrief")).clicked() {
                    request = Some(SessionRequest::Debrief);
                }
            });
        });
        request
    }

    pub fn queue_ui(&mut self, ui: &mut Ui) {
        egui::Panel::left("queue")
            .resizable(true)
            .min_size(280.0)
            .default_size(300.0)
            .show(ui, |ui| {
                ui.heading(self.texts.t("queue-title"));
                ui.horizontal_wrapped(|ui| {
                    for (filter, key) in FILTERS {
                        if ui
                            .selectable_label(self.filter == filter, self.texts.t(key))
                            .clicked()
                        {
                            self.filter = filter;
                        }
                    }
                });
                ui.horizontal(|ui| {
                    for (channel, key) in [
                        (None, "channel-all"),
                        (Some(Channel::Twitter), "channel-twitter"),
                        (Some(Channel::Facebook), "channel-facebook"),
                    ] {
                        if ui
                            .selectable_label(self.channel_filter == channel, self.texts.t(key))
                            .clicked()
                        {
                            self.channel_filter = channel;
                        }
                    }
                    if ui
                        .selectable_label(self.show_feed, self.texts.t("show-feed"))
                        .clicked()
                    {
                        self.show_feed = !self.show_feed;
                    }
                });
                ui.separator();
                let rows = self.queue_rows();
                if rows.is_empty() {
                    ui.weak(self.texts.t("queue-empty"));
                }
                let row_height = 44.0;
                let mut clicked = None;
                egui::ScrollArea::vertical()
                    .id_salt("queue_scroll")
                    .auto_shrink([false, false])
                    .show_rows(ui, row_height, rows.len(), |ui, range| {
                        for row in &rows[range] {
                            if self.queue_row_ui(ui, row, row_height).clicked() {
                                clicked = Some(row.customer);
                            }
                        }
                    });
                if let Some(customer) = clicked {
                    self.select(customer);
                }
            });
    }

    fn queue_row_ui(&self, ui: &mut Ui, row: &QueueRow, height: f32) -> egui::Response {
        let selected = self.selected == Some(row.customer);
        let width = ui.available_width();
        let (rect, response) =
            ui.allocate_exact_size(egui::vec2(width, height), egui::Sense::click());
        // The whole row is one button, for the mouse and for screen readers (and tests).
        response.widget_info(|| {
            egui::WidgetInfo::selected(egui::WidgetType::Button, true, selected, &row.handle)
        });
        let mut child = ui.new_child(egui::UiBuilder::new().max_rect(rect.shrink(3.0)));
        child.style_mut().interaction.selectable_labels = false;
        if selected || response.hovered() {
            ui.painter().rect_filled(
                rect,
                4.0,
                if selected {
                    style::SELECTED
                } else {
                    ui.visuals().faint_bg_color
                },
            );
        }
        child.horizontal(|ui| {
            ui.label(style::channel_icon(row.channel));
            let handle = RichText::new(&row.handle).strong();
            ui.label(if row.closed { handle.weak() } else { handle });
            if row.private {
                ui.label(RichText::new("✉").color(style::ACCENT))
                    .on_hover_text(self.texts.t("cue-private"));
            }
            if row.unread > 0 {
                ui.label(
                    RichText::new(format!(" {} ", row.unread))
                        .background_color(style::BAD)
                        .color(Color32::WHITE),
                );
            }
        });
        child.horizontal(|ui| {
            match row.waiting_ms {
                Some(ms) => {
                    let minutes = ms / 60_000;
                    ui.label(
                        RichText::new(
                            self.texts
                                .t_with("waiting-min", &[("minutes", num(minutes as f64))]),
                        )
                        .color(if minutes >= 15 {
                            style::BAD
                        } else {
                            style::WARN
                        }),
                    );
                }
                None if row.closed => {
                    ui.weak(self.texts.t("closed"));
                }
                None => {
                    ui.weak(self.texts.t("answered"));
                }
            }
            if row.capitals {
                ui.label(RichText::new("ABC").color(style::BAD).small())
                    .on_hover_text(self.texts.t("cue-capitals"));
            }
            if row.exclamations {
                ui.label(RichText::new("!!!").color(style::BAD).small())
                    .on_hover_text(self.texts.t("cue-exclamations"));
            }
            if row.emoticons {
                ui.label(RichText::new("☺").small())
                    .on_hover_text(self.texts.t("cue-emoticons"));
            }
            if row.followups > 0 {
                ui.label(
                    RichText::new(format!("↻{}", row.followups))
                        .color(style::WARN)
                        .small(),
                )
                .on_hover_text(self.texts.t("cue-followups"));
            }
            if self.mode == Mode::Training {
                style::anger_gauge(ui, row.anger, 50.0);
            }
        });
        response
    }

    pub fn card_ui(&mut self, ui: &mut Ui) {
        egui::Panel::right("customer_card")
            .resizable(true)
            .min_size(240.0)
            .default_size(260.0)
            .show(ui, |ui| {
                ui.heading(self.texts.t("card-title"));
                let Some(c) = self.selected.and_then(|id| self.sim.customer(id)) else {
                    ui.weak(self.texts.t("card-none"));
                    return;
                };
                let lang = self.lang();
                let scenario = self.sim.scenario();
                ui.label(RichText::new(&c.handle).strong().size(16.0));
                ui.label(format!(
                    "{} {}",
                    style::channel_icon(c.channel),
                    self.texts.t(match (c.channel, c.account) {
                        (Channel::Twitter, Account::Care) => "account-twitter-care",
                        (Channel::Twitter, Account::Corporate) => "account-twitter-corporate",
                        (Channel::Facebook, Account::Care) => "account-facebook-care",
                        (Channel::Facebook, Account::Corporate) => "account-facebook-corporate",
                    })
                ));
                if let Some(persona) = scenario.personas.get(c.persona) {
                    ui.label(RichText::new(persona.bio.get(lang)).italics());
                }
                ui.label(
                    self.texts
                        .t_with("followers", &[("count", num(c.followers as f64))]),
                );
                ui.separator();
                ui.label(RichText::new(self.texts.t("history")).strong());
                let posts = c
                    .messages
                    .iter()
                    .filter_map(|m| self.sim.message(*m))
                    .filter(|m| m.customer.is_some())
                    .count();
                ui.label(self.texts.t_with(
                    "history-messages",
                    &[
                        ("posts", num(posts as f64)),
                        ("replies", num(c.replies as f64)),
                        ("followups", num(c.relaunches as f64)),
                    ],
                ));
                ui.label(self.texts.t_with(
                    "history-since",
                    &[(
                        "minutes",
                        num(((self.sim.now_ms() - c.arrived_ms) / 60_000) as f64),
                    )],
                ));
                let stage = match c.stage {
                    Stage::Open if c.dm_open => self.texts.t("stage-private"),
                    Stage::Open => self.texts.t("stage-open"),
                    Stage::Transferred { service, .. } => self.texts.t_with(
                        "stage-transferred",
                        &[(
                            "service",
                            text(
                                scenario
                                    .services
                                    .get(service)
                                    .map_or("?", |s| s.name.get(lang)),
                            ),
                        )],
                    ),
                    Stage::Resolved => self.texts.t("stage-resolved"),
                    Stage::Churned => self.texts.t("stage-churned"),
                    Stage::Abandoned => self.texts.t("stage-abandoned"),
                };
                ui.label(stage);
                let given: Vec<String> = scenario
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
                    ui.label(RichText::new(self.texts.t("details-given")).strong());
                    for line in given {
                        ui.label(RichText::new(line).monospace());
                    }
                }
                if self.mode == Mode::Training {
                    ui.separator();
                    let anger = self.sim.anger(c.id).unwrap_or(0.0);
                    ui.label(self.texts.t_with("anger", &[("value", num(anger.round()))]));
                    style::anger_gauge(ui, anger, ui.available_width());
                    if let Some(lesson) = c
                        .scripted
                        .and_then(|i| scenario.timeline.scripted.get(i))
                        .and_then(|p| p.lesson.as_ref())
                    {
                        ui.separator();
                        ui.label(
                            RichText::new(self.texts.t("lesson"))
                                .strong()
                                .color(style::ACCENT),
                        );
                        ui.label(lesson.get(lang));
                    }
                }
            });
    }

    pub fn composer_ui(&mut self, ui: &mut Ui) {
        egui::Panel::bottom("composer")
            .resizable(true)
            .default_size(190.0)
            .show(ui, |ui| {
                ui.add_space(4.0);
                let Some(c) = self.selected.and_then(|id| self.sim.customer(id)) else {
                    ui.weak(self.texts.t("composer-none"));
                    return;
                };
                let handle = c.handle.clone();
                ui.horizontal(|ui| {
                    ui.label(self.texts.t_with("reply-to", &[("handle", text(handle))]));
                    ui.radio_value(&mut self.composer.private, false, self.texts.t("public"));
                    ui.radio_value(&mut self.composer.private, true, self.texts.t("private"));
                    ui.separator();
                    ui.label(self.texts.t("sign-off"));
                    ui.add(
                        egui::TextEdit::singleline(&mut self.composer.sign_off).desired_width(80.0),
                    );
                });
                ui.horizontal(|ui| {
                    let editor = egui::TextEdit::multiline(&mut self.composer.text)
                        .id_salt("composer_text")
                        .hint_text(self.texts.t("composer-hint"))
                        .desired_rows(3)
                        .desired_width((ui.available_width() - 130.0).max(200.0));
                    ui.add(editor);
                    ui.vertical(|ui| {
                        let length = self.outgoing_text().chars().count();
                        if let Some(limit) = self.char_limit() {
                            let colour = if length as u32 > limit {
                                style::BAD
                            } else {
                                ui.visuals().text_color()
                            };
                            ui.label(RichText::new(format!("{length} / {limit}")).color(colour));
                        }
                        if ui.button(self.texts.t("send")).clicked() {
                            self.send_reply();
                        }
                    });
                });
                if let Some(error) = &self.composer.error {
                    ui.label(RichText::new(format!("⚠ {error}")).color(style::BAD));
                }
                if let Some(hint) = self.hint_line() {
                    ui.label(RichText::new(hint).color(style::ACCENT));
                }
                ui.horizontal_wrapped(|ui| {
                    ui.label(RichText::new(self.texts.t("transfer")).strong());
                    let lang = self.lang();
                    let services: Vec<String> = self
                        .sim
                        .scenario()
                        .services
                        .iter()
                        .map(|s| s.name.get(lang).to_string())
                        .collect();
                    let chosen = self
                        .composer
                        .transfer_service
                        .and_then(|i| services.get(i).cloned())
                        .unwrap_or_else(|| self.texts.t("pick-service"));
                    egui::ComboBox::from_id_salt("service")
                        .selected_text(chosen)
                        .show_ui(ui, |ui| {
                            for (i, name) in services.iter().enumerate() {
                                ui.selectable_value(
                                    &mut self.composer.transfer_service,
                                    Some(i),
                                    name,
                                );
                            }
                        });
                    let labels: Vec<String> = self
                        .sim
                        .scenario()
                        .details
                        .iter()
                        .map(|d| d.label.get(lang).to_string())
                        .collect();
                    let required = self
                        .composer
                        .transfer_service
                        .map_or(0, |s| self.sim.service_required(s));
                    for (i, label) in labels.iter().enumerate() {
                        let label = if required & (1 << i) != 0 {
                            format!("{label} *")
                        } else {
                            label.clone()
                        };
                        ui.checkbox(&mut self.composer.transfer_details[i], label);
                    }
                    if ui.button(self.texts.t("transfer-send")).clicked() {
                        self.transfer();
                    }
                });
            });
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

    pub fn conversation_ui(&mut self, ui: &mut Ui) {
        egui::CentralPanel::default().show(ui, |ui| {
            if self.show_feed {
                self.feed_ui(ui);
                return;
            }
            let Some(c) = self.selected.and_then(|id| self.sim.customer(id)) else {
                ui.centered_and_justified(|ui| {
                    ui.weak(self.texts.t("conversation-none"));
                });
                return;
            };
            let ids = c.messages.clone();
            let handle = c.handle.clone();
            let channel = c.channel;
            ui.columns(2, |columns| {
                let public_title = match channel {
                    Channel::Twitter => self.texts.t("thread-twitter"),
                    Channel::Facebook => self.texts.t("thread-facebook"),
                };
                columns[0].heading(public_title);
                columns[1].heading(self.texts.t("thread-private"));
                for (column, private) in [(0, false), (1, true)] {
                    let ui = &mut columns[column];
                    egui::ScrollArea::vertical()
                        .id_salt(("thread", private))
                        .stick_to_bottom(true)
                        .auto_shrink([false, false])
                        .show(ui, |ui| {
                            let mut any = false;
                            for id in &ids {
                                let Some(m) = self.sim.message(*id) else {
                                    continue;
                                };
                                if m.private != private {
                                    continue;
                                }
                                any = true;
                                self.message_ui(ui, m.customer.is_none(), &handle, m);
                            }
                            if !any {
                                ui.weak(self.texts.t("thread-empty"));
                            }
                        });
                }
            });
        });
    }

    fn message_ui(&self, ui: &mut Ui, brand: bool, handle: &str, m: &crate::engine::sim::Message) {
        let author = if brand {
            self.sim.scenario().brand.name.clone()
        } else {
            handle.to_string()
        };
        let fill = if brand {
            style::BRAND_BUBBLE
        } else {
            ui.visuals().faint_bg_color
        };
        egui::Frame::new()
            .fill(fill)
            .corner_radius(6.0)
            .inner_margin(6.0)
            .show(ui, |ui| {
                ui.set_width(ui.available_width());
                ui.horizontal(|ui| {
                    ui.label(RichText::new(author).strong());
                    ui.weak(self.time_label(m.t_ms));
                    if m.hidden {
                        ui.weak(self.texts.t("hidden"));
                    }
                });
                ui.label(&m.text);
            });
        ui.add_space(4.0);
    }

    /// Simulated time of day of a moment of the session ("18:42").
    pub fn time_label(&self, t_ms: u64) -> String {
        let start = &self.sim.scenario().start;
        let minutes = start.hour as u64 * 60 + start.minute as u64 + t_ms / 60_000;
        format!("{:02}:{:02}", (minutes / 60) % 24, minutes % 60)
    }

    /// The brand's public page, every post and reply, drawing only the visible rows.
    fn feed_ui(&mut self, ui: &mut Ui) {
        ui.heading(self.texts.t("feed-title"));
        let feed = self.feed();
        let row_height = 20.0;
        let mut clicked = None;
        egui::ScrollArea::vertical()
            .id_salt("feed")
            .stick_to_bottom(true)
            .auto_shrink([false, false])
            .show_rows(ui, row_height, feed.len(), |ui, range| {
                for id in &feed[range] {
                    let Some(m) = self.sim.message(*id) else {
                        continue;
                    };
                    let author = match m.customer.and_then(|c| self.sim.customer(c)) {
                        Some(c) => c.handle.as_str(),
                        None => self.sim.scenario().brand.name.as_str(),
                    };
                    let line = format!("{}  {author}: {}", self.time_label(m.t_ms), m.text);
                    let label = egui::Label::new(line)
                        .truncate()
                        .sense(egui::Sense::click());
                    if ui
                        .add_sized([ui.available_width(), row_height], label)
                        .clicked()
                        && let Some(c) = m.customer
                    {
                        clicked = Some(c);
                    }
                }
            });
        if let Some(customer) = clicked {
            self.select(customer);
        }
    }
}

/// What an adviser reads at a glance in a customer's message.
struct Cues {
    capitals: bool,
    exclamations: bool,
    emoticons: bool,
}

impl Cues {
    fn of(text: &str) -> Cues {
        let letters = text.chars().filter(|c| c.is_alphabetic()).count();
        let upper = text.chars().filter(|c| c.is_uppercase()).count();
        Cues {
            capitals: letters >= 8 && upper * 2 >= letters,
            exclamations: text.contains("!!") || text.contains("?!"),
            emoticons: !crate::tone::text::emoticon_spans(text).is_empty()
                || text
                    .chars()
                    .any(|c| ('\u{1F300}'..='\u{1FAFF}').contains(&c)),
        }
    }
}

/// Runs `work`, turning a panic into what it said (as `panic!` was given it).
pub fn catch_panic<R>(work: impl FnOnce() -> R) -> Result<R, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(work)).map_err(|payload| {
        payload
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "an internal error".to_string())
    })
}
