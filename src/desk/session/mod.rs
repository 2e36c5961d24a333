//! The session screen: a social-care desk around a running simulation.
//!
//! `SessionDesk` holds the simulation, the clock and the state of every part of the screen;
//! its methods are the trainee's intents (select, reply, transfer, pause...), so tests drive
//! them without a window. Each panel is a widget struct in its own file, borrowing the desk
//! for a frame: it draws and calls the intents, nothing more.

mod card;
mod composer;
mod conversation;
mod queue;
mod remote;
mod statement;
mod team;
mod top_bar;

pub use composer::Composer;
pub use queue::{FILTERS, QueueFilter, QueueRow};
pub use statement::StatementDraft;

use super::catalog::CatalogEntry;
use super::i18n::Texts;
use crate::desk::error::DeskError;
use crate::engine::ids::{CustomerId, SeatId};
use crate::engine::policy::{PolicyConfig, PolicyKind, ScriptedTrainee};
use crate::engine::run::header_for;
use crate::engine::scenario::Channel;
use crate::engine::seats::Seat;
use crate::engine::{Header, Lang, ScriptedTeam, SessionConfig, Simulation};
use crate::tone::ToneAnalyser;
use egui::Ui;
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
    /// Scale arrival rates to about this many customers (a solo crowd sets its own).
    pub customers_target: Option<u64>,
    pub crowd: Crowd,
}

/// Whom the crowd is sized for.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Crowd {
    /// The scenario's own crowd, for its team (`team_size`).
    #[default]
    Team,
    /// One person at a person's pace (`solo_customers_per_hour`).
    Solo,
    /// The scenario's crowd for its team, as a crisis cell: the trainee on seat 1, scripted
    /// colleagues at a person's pace on the other seats, sharing the queue.
    Cell,
}

/// A cell's seats: the trainee's first, named after them, then the colleagues'.
fn cell_seats(trainee: &str, team_size: u32, lang: Lang) -> Vec<Seat> {
    let mine: String = trainee
        .chars()
        .filter(|c| !c.is_control())
        .take(crate::engine::seats::MAX_SEAT_NAME_CHARS)
        .collect();
    let mine = if mine.trim().is_empty() {
        "1".to_string()
    } else {
        mine.trim().to_string()
    };
    let colleague = match lang {
        Lang::Fr => "Collègue",
        Lang::En => "Colleague",
    };
    let size = (team_size as usize).clamp(2, crate::engine::seats::MAX_SEATS);
    let mut seats = vec![Seat {
        name: mine,
        role: None,
    }];
    seats.extend((2..=size).map(|n| Seat {
        name: format!("{colleague} {n}"),
        role: None,
    }));
    if crate::engine::seats::validate(&seats).is_err() {
        // A trainee named like a colleague: the seats are numbered instead.
        return crate::engine::seats::numbered(size);
    }
    seats
}

/// Scripted colleagues at `kind`'s pace on every seat from `first`.
fn colleagues(sim: &Simulation, kind: PolicyKind, first: usize) -> ScriptedTeam {
    let seats: Vec<SeatId> = (first..sim.seats().len())
        .map(crate::engine::seats::id_of)
        .collect();
    let policy = PolicyConfig::new(kind, seats.len() as u32);
    ScriptedTeam::for_seats(ScriptedTrainee::new(policy), sim, &seats)
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
    pub selected: Option<CustomerId>,
    /// Show the whole public feed instead of the selected conversation.
    pub show_feed: bool,
    pub composer: Composer,
    /// The statement being written to the whole community.
    pub statement: StatementDraft,
    /// The queue's order as last drawn, kept while the pointer is on it.
    queue_order: Vec<CustomerId>,
    pub analyser: Arc<ToneAnalyser>,
    /// The scripted team: the whole team under autoplay, else a cell's colleagues.
    scripted: Option<ScriptedTeam>,
    /// The trainee's seat in a crisis cell.
    pub seat: Option<SeatId>,
    autoplay_kind: Option<PolicyKind>,
    /// Whom the crowd was sized for, as the top bar says.
    pub crowd: Crowd,
    /// The academy's record of this session, written as it is played.
    pub recording: Option<super::course::Recording>,
    /// On a seat of a team exercise: the connection to the server that moves the simulation.
    pub remote: Option<remote::Remote>,
}

/// What a session desk is made of, however it was opened.
struct Assembly {
    sim: Simulation,
    header: Header,
    trainee: String,
    mode: Mode,
    lang: Lang,
    scripted: Option<ScriptedTeam>,
    seat: Option<SeatId>,
    autoplay: Option<PolicyKind>,
    crowd: Crowd,
}

impl SessionDesk {
    pub fn new(setup: SessionSetup, analyser: Arc<ToneAnalyser>) -> Result<SessionDesk, DeskError> {
        let entry = &setup.scenario;
        let scenario = entry.scenario.clone();
        let (crowd, customers_target) = match setup.crowd {
            Crowd::Solo => match scenario.crowd_for(1) {
                Some(solo) => (Crowd::Solo, Some(solo)),
                None => (Crowd::Team, setup.customers_target),
            },
            Crowd::Cell if scenario.team_size > 1 => (Crowd::Cell, setup.customers_target),
            Crowd::Team | Crowd::Cell => (Crowd::Team, setup.customers_target),
        };
        let session = SessionConfig {
            seed: setup.seed,
            lang: setup.lang,
            customers_target,
        };
        let team_size = scenario.team_size;
        let seats = match crowd {
            Crowd::Cell => cell_seats(&setup.trainee, team_size, setup.lang),
            Crowd::Solo | Crowd::Team => Vec::new(),
        };
        let sim = Simulation::new(scenario, session, analyser.clone())?.with_seats(seats)?;
        let header = header_for(&sim, &entry.path, &entry.sha256);
        // Autoplay plays every seat; otherwise, in a cell, colleagues play all but the
        // trainee's.
        let scripted = match (setup.autoplay, crowd) {
            (Some(kind), Crowd::Cell) => Some(colleagues(&sim, kind, 0)),
            (Some(kind), _) => {
                let advisers = if crowd == Crowd::Solo { 1 } else { team_size };
                Some(ScriptedTeam::new(ScriptedTrainee::new(PolicyConfig::new(
                    kind, advisers,
                ))))
            }
            (None, Crowd::Cell) => Some(colleagues(&sim, PolicyKind::Human, 1)),
            (None, _) => None,
        };
        // The desk shows a cell from seat 1, under autoplay too.
        let seat = (crowd == Crowd::Cell).then_some(SeatId(0));
        Ok(SessionDesk::assemble(
            Assembly {
                sim,
                header,
                trainee: setup.trainee,
                mode: setup.mode,
                lang: setup.lang,
                scripted,
                seat,
                autoplay: setup.autoplay,
                crowd,
            },
            analyser,
        ))
    }

    fn assemble(parts: Assembly, analyser: Arc<ToneAnalyser>) -> SessionDesk {
        let first_name = parts.trainee.split_whitespace().next().unwrap_or("");
        let sign_off = if first_name.is_empty() {
            String::new()
        } else {
            format!("^{first_name}")
        };
        SessionDesk {
            texts: Texts::new(parts.lang),
            composer: Composer {
                sign_off,
                transfer_details: vec![false; parts.sim.scenario().details.len()],
                ..Composer::default()
            },
            statement: StatementDraft::default(),
            sim: parts.sim,
            header: parts.header,
            trainee: parts.trainee,
            mode: parts.mode,
            clock: Clock {
                paused: false,
                speed: 1,
                carry_ms: 0.0,
            },
            filter: QueueFilter::Open,
            channel_filter: None,
            selected: None,
            show_feed: false,
            queue_order: Vec::new(),
            analyser,
            scripted: parts.scripted,
            seat: parts.seat,
            autoplay_kind: parts.autoplay,
            crowd: parts.crowd,
            recording: None,
            remote: None,
        }
    }

    /// Records the session into the academy's records at `db` (created on first use; the
    /// trainee is enrolled if new); returns the session's id there.
    pub fn record_into(&mut self, db: &std::path::Path) -> Result<i64, DeskError> {
        let mode = match self.mode {
            Mode::Training => crate::academy::SessionMode::Training,
            Mode::Exam => crate::academy::SessionMode::Exam,
        };
        let player = match (self.autoplay_kind, self.seat) {
            (Some(kind), _) => format!("policy:{}", kind.name()),
            // Seat 1 of a cell, scripted colleagues on the others.
            (None, Some(_)) => format!("desk:cell-of-{}", self.sim.seats().len()),
            (None, None) => "desk".to_string(),
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

    /// Lets simulated time run for `real_ms` of wall-clock time at the chosen speed; on a
    /// seat of a team exercise, applies what the server sent instead.
    pub fn tick(&mut self, real_ms: f64) {
        if self.remote.is_some() {
            self.follow_server(real_ms);
            return;
        }
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
        match &mut self.scripted {
            Some(team) => team.advance_to(&mut self.sim, target),
            None => self.sim.advance_to(target),
        }
        self.follow_conversation();
        // Under autoplay the screen follows the team: the conversation it last answered.
        if self.autoplay_kind.is_some() {
            let last_answered =
                self.sim.records()[seen..]
                    .iter()
                    .rev()
                    .find_map(|r| match r.event {
                        // In a cell, the conversations of the seat the desk shows.
                        crate::engine::Event::Reply { customer, seat, .. }
                            if self.seat.is_none() || seat == self.seat =>
                        {
                            Some(customer)
                        }
                        _ => None,
                    });
            if let Some(customer) = last_answered {
                self.select(customer);
            }
        }
    }

    /// Makes the trainee's action: at once on a desk of its own; on a seat of a team
    /// exercise, sent to the server, which applies it in its order (or refuses it, the reason
    /// shown when it comes). The error is the refusal in the trainee's words.
    fn submit(&mut self, action: crate::engine::Action) -> Result<(), String> {
        if self.remote.is_some() {
            return self.send_remote(action);
        }
        self.sim
            .act_as(self.seat, action)
            .map_err(|error| self.explain(&error))
    }

    /// Whether the session is over: the crisis ran to its end, or the facilitator ended it.
    pub fn is_finished(&self) -> bool {
        self.sim.is_over() || self.remote_status() == Some(crate::exercise::Status::Ended)
    }

    /// The speed the trainee chose; on a seat, the facilitator sets it.
    pub fn set_speed(&mut self, speed: u32) {
        if self.remote.is_none() && SPEEDS.contains(&speed) {
            self.clock.speed = speed;
        }
    }

    /// Autoplay runs faster than a person could read, so that seconds show a busy desk.
    pub fn set_autoplay_speed(&mut self, speed: u32) {
        self.clock.speed = speed.max(1);
    }

    /// Pauses or resumes the clock; an exam cannot be paused, nor a seat of a team exercise
    /// (the facilitator does it for everyone).
    pub fn toggle_pause(&mut self) {
        if self.mode == Mode::Training && self.remote.is_none() {
            self.clock.paused = !self.clock.paused;
        }
    }

    pub fn select(&mut self, customer: CustomerId) {
        if self.selected != Some(customer) {
            self.selected = Some(customer);
            self.show_feed = false;
            self.composer.error = None;
            self.composer.transfer_service = None;
            self.composer.transfer_details.fill(false);
            self.composer.private = false;
            self.composer.seen_dm = false;
            self.composer.seen_provided = 0;
            self.composer.focus_requested = true;
            self.follow_conversation();
        }
    }

    /// Keeps the composer in step with the selected conversation as it moves on: private
    /// once the customer writes there (the usual next step), and each detail the customer
    /// gives ticked for the transfer. What the trainee changed by hand since stays.
    fn follow_conversation(&mut self) {
        let Some(c) = self.selected.and_then(|id| self.sim.customer(id)) else {
            return;
        };
        let (dm_open, provided) = (c.dm_open, c.provided);
        if dm_open && !self.composer.seen_dm {
            self.composer.private = true;
        }
        self.composer.seen_dm = dm_open;
        let new = provided & !self.composer.seen_provided;
        for (i, ticked) in self.composer.transfer_details.iter_mut().enumerate() {
            if i < 64 && new & (1 << i) != 0 {
                *ticked = true;
            }
        }
        self.composer.seen_provided = provided;
    }

    /// Selects the conversation waiting longest among those the filters show and no other
    /// seat holds (the keyboard's way through the queue); false when nobody is waiting.
    pub fn select_next_waiting(&mut self) -> bool {
        let next = self
            .queue_rows()
            .into_iter()
            .filter(|row| row.waiting_ms.is_some())
            // A conversation another seat holds is theirs to answer.
            .filter(|row| {
                self.sim
                    .holder(row.customer)
                    .is_none_or(|holder| Some(holder) == self.seat)
            })
            .find(|row| Some(row.customer) != self.selected)
            .map(|row| row.customer);
        match next {
            Some(customer) => {
                self.select(customer);
                true
            }
            None => false,
        }
    }

    /// The customer's latest message in the conversation, public or private.
    fn last_customer_text(&self, customer: CustomerId) -> Option<&str> {
        self.sim
            .latest_customer_message(customer)
            .map(|m| m.text.as_str())
    }

    /// The scenario's clock: its start plus simulated time ("ven. 18:42").
    pub fn clock_label(&self) -> String {
        let start = &self.sim.scenario().start;
        let minutes = start.hour as u64 * 60 + start.minute as u64 + self.sim.now_ms() / 60_000;
        let day = (start.weekday as u64 + minutes / 1_440) % 7;
        let day_name = self.texts.t(&format!("weekday-{day}"));
        format!("{day_name} {:02}:{:02}", (minutes / 60) % 24, minutes % 60)
    }

    /// Simulated time of day of a moment of the session ("18:42").
    pub fn time_label(&self, t_ms: u64) -> String {
        let start = &self.sim.scenario().start;
        let minutes = start.hour as u64 * 60 + start.minute as u64 + t_ms / 60_000;
        format!("{:02}:{:02}", (minutes / 60) % 24, minutes % 60)
    }

    /// The whole screen: top bar, queue, customer card, composer, then the conversation.
    pub fn ui(&mut self, ui: &mut Ui) -> Option<SessionRequest> {
        self.keys_ui(ui);
        let mut top_bar = top_bar::TopBar {
            desk: self,
            request: None,
        };
        top_bar.ui(ui);
        let request = top_bar.request;
        queue::QueuePanel { desk: self }.ui(ui);
        card::CustomerCard { desk: self }.ui(ui);
        composer::ComposerPanel { desk: self }.ui(ui);
        conversation::ConversationPanel { desk: self }.ui(ui);
        statement::StatementWindow { desk: self }.ui(ui);
        request.or(self.is_finished().then_some(SessionRequest::Debrief))
    }
}

impl SessionDesk {
    /// The desk's keys, taken before any widget sees them: Ctrl+N opens the conversation
    /// waiting longest, Ctrl+P pauses or resumes (training only).
    fn keys_ui(&mut self, ui: &Ui) {
        ui.input_mut(|i| shortcuts_not_text(&mut i.events, i.modifiers));
        let (next, pause) = ui.input_mut(|i| {
            (
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::N),
                i.consume_key(egui::Modifiers::COMMAND, egui::Key::P),
            )
        });
        if next {
            self.select_next_waiting();
        }
        if pause {
            self.toggle_pause();
        }
    }
}

/// A letter typed with Ctrl held is a shortcut, never text. Some systems deliver it as
/// text (an input method commits "a" under a French layout, where the key under the
/// finger is not where QWERTY has it): the text is dropped and the shortcut of that letter
/// sent in its place, so that Ctrl+A selects all whatever the layout.
pub fn shortcuts_not_text(events: &mut Vec<egui::Event>, modifiers: egui::Modifiers) {
    // Ctrl with Alt is AltGr, which types characters (€, @ on a French layout).
    if !modifiers.command || modifiers.alt {
        return;
    }
    let shortcuts: Vec<egui::Key> = events
        .iter()
        .filter_map(|event| match event {
            egui::Event::Key {
                key, pressed: true, ..
            } => Some(*key),
            _ => None,
        })
        .collect();
    let mut out = Vec::with_capacity(events.len());
    for event in events.drain(..) {
        let egui::Event::Text(text) = &event else {
            out.push(event);
            continue;
        };
        let mut chars = text.chars();
        let letter = match (chars.next(), chars.next()) {
            (Some(c), None) => egui::Key::from_name(&c.to_uppercase().to_string()),
            _ => None,
        };
        if let Some(key) = letter.filter(|key| !shortcuts.contains(key)) {
            for pressed in [true, false] {
                out.push(egui::Event::Key {
                    key,
                    physical_key: None,
                    pressed,
                    repeat: false,
                    modifiers,
                });
            }
        }
    }
    *events = out;
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
