//! The simulation: the facade that owns the session's state and dispatches each due event to
//! the room that models it. One file per behaviour:
//! - `scheduler.rs`: the event queue and the customers' timers (set, superseded, cancelled);
//! - `state.rs`: customers, messages and counters, plain data;
//! - `arrival.rs`: who arrives when, and with which persona, request, channel and patience;
//! - `anger.rs`: anger in closed form (growth past the expectation, relaxation after an answer);
//! - `patience.rs`: waiting, relaunch points, churn and abandonment;
//! - `unfair_order.rs`: later customers answered first, seen on the public page;
//! - `voice.rs`: what customers write (templates, placeholders, register);
//! - `buzz.rs`: reshare cascades and the buzz index;
//! - `reply.rs`: the adviser's reply and how the customer takes it;
//! - `response.rs`: the customer's answer to the adviser;
//! - `transfer.rs`: the back office (transfer, bounce, resolution);
//! - `moderation.rs`: hiding and liking customers' posts;
//! - `injects.rs`: the facilitator's injects and posts typed live;
//! - `statements.rs`: the brand's statements, escalations inside the company, articles;
//! - `seats.rs`: a team session's seats, who holds which conversation, collisions;
//! - `sample.rs`: the periodic samples of the session's state.

mod anger;
mod arrival;
mod buzz;
mod clock;
mod injects;
mod moderation;
mod patience;
mod reply;
mod response;
mod sample;
mod scheduler;
mod seats;
mod state;
mod statements;
mod transfer;
mod unfair_order;
mod voice;

pub use state::{Counters, Customer, Message, Stage};
pub use statements::Statement;

use super::action::{Action, ActionError};
use super::analysis::ReplyAnalyser;
use super::copy::{self, PublicPage, TemplateShape};
use super::ids::{CustomerId, MessageId, SeatId};
use super::plan::{Plan, PlanError};
use super::rng::{Stream, StreamKey};
use super::scenario::{Lang, Scenario, minutes_to_ms};
use super::seats::{Seat, SeatsError, TeamError};
use super::transcript::{Event, Record};
use scheduler::{Pending, Scheduler};
use std::sync::Arc;
use unfair_order::LaterAnswered;

/// Customers one session may hold at most, whatever the cascades draw.
pub const MAX_CUSTOMERS: usize = 2_000_000;

/// The most customers a session may rescale its arrivals to (`customers_target`).
pub const MAX_CUSTOMERS_TARGET: u64 = 1_000_000;
const MINUTE_MS: u64 = 60_000;
/// A customer or a service never answers within the second of the message they answer.
const MIN_ANSWER_DELAY_MS: u64 = 1000;

/// Why a session cannot start.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum SessionError {
    #[error("{0} customers asked for, at most {MAX_CUSTOMERS_TARGET}")]
    TooManyCustomers(u64),
    #[error("the scenario has no arrivals to scale")]
    NothingToScale,
    #[error("the scenario cannot be compiled: {0}")]
    Plan(#[from] PlanError),
    #[error("the seats cannot make a team: {0}")]
    Seats(#[from] SeatsError),
}

/// Options of a session besides the scenario.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    pub seed: u64,
    pub lang: Lang,
    /// Scale arrival rates so that about this many customers come.
    pub customers_target: Option<u64>,
}

/// The keys of the stream families drawn from many times (one stream per customer, per
/// scripted post, per cascade), hashed once per session.
struct StreamKeys {
    customer: StreamKey,
    scripted: StreamKey,
    cascade: StreamKey,
    pile_on: StreamKey,
    voice: StreamKey,
    inject_post: StreamKey,
    wave: StreamKey,
    surge: StreamKey,
    post_as: StreamKey,
    statement: StreamKey,
}

impl StreamKeys {
    fn new(seed: u64) -> StreamKeys {
        StreamKeys {
            customer: StreamKey::new(seed, "customer"),
            scripted: StreamKey::new(seed, "scripted"),
            cascade: StreamKey::new(seed, "cascade"),
            pile_on: StreamKey::new(seed, "pile_on"),
            voice: StreamKey::new(seed, "voice"),
            inject_post: StreamKey::new(seed, "inject_post"),
            wave: StreamKey::new(seed, "wave"),
            surge: StreamKey::new(seed, "surge"),
            post_as: StreamKey::new(seed, "post_as"),
            statement: StreamKey::new(seed, "statement"),
        }
    }
}

pub struct Simulation {
    scenario: Arc<Scenario>,
    plan: Plan,
    config: SessionConfig,
    analyser: Arc<dyn ReplyAnalyser>,
    now_ms: u64,
    record_seq: u64,
    scheduler: Scheduler,
    records: Vec<Record>,
    /// Records already handed out by `take_records`.
    records_taken: usize,
    customers: Vec<Customer>,
    messages: Vec<Message>,
    arrivals: Stream,
    arrival_ordinal: u64,
    streams: StreamKeys,
    public_page: PublicPage,
    clock: clock::SceneClock,
    /// Digests of the handles given so far: two customers never share one.
    handles_taken: std::collections::BTreeSet<u64>,
    later_answered: [LaterAnswered; 2],
    buzz: f64,
    buzz_at_ms: u64,
    peak_buzz: f64,
    reach: u64,
    counters: Counters,
    /// A team session's seats; none for a solo session.
    seats: Vec<Seat>,
    /// The injects fired so far, in firing order.
    firings: Vec<injects::Firing>,
    /// Posts the facilitator typed so far.
    posts_as: u64,
    /// The brand's statements, in publication order.
    statements: Vec<Statement>,
    /// New customers who read a pinned statement and drew whether to write.
    statement_reads: u64,
    ended: bool,
}

impl Simulation {
    /// A session ready to run; the scenario must have passed validation.
    pub fn new(
        scenario: Arc<Scenario>,
        config: SessionConfig,
        analyser: Arc<dyn ReplyAnalyser>,
    ) -> Result<Simulation, SessionError> {
        let base = Plan::compile(&scenario, 1.0)?;
        let scale = match config.customers_target {
            None => 1.0,
            Some(target) => {
                if target > MAX_CUSTOMERS_TARGET {
                    return Err(SessionError::TooManyCustomers(target));
                }
                let scripted = scenario.timeline.scripted.len() as f64;
                if base.expected_arrivals <= 0.0 {
                    return Err(SessionError::NothingToScale);
                }
                ((target as f64 - scripted).max(0.0)) / base.expected_arrivals
            }
        };
        let plan = if scale == 1.0 {
            base
        } else {
            Plan::compile(&scenario, scale)?
        };
        let scenario_start = scenario.start.clone();
        let mut sim = Simulation {
            arrivals: Stream::new(config.seed, "arrivals", 0),
            streams: StreamKeys::new(config.seed),
            scenario,
            plan,
            config,
            analyser,
            now_ms: 0,
            record_seq: 0,
            scheduler: Scheduler::default(),
            records: Vec::new(),
            records_taken: 0,
            customers: Vec::new(),
            messages: Vec::new(),
            arrival_ordinal: 0,
            public_page: PublicPage::default(),
            handles_taken: std::collections::BTreeSet::new(),
            clock: clock::SceneClock::new(&scenario_start),
            later_answered: Default::default(),
            buzz: 0.0,
            buzz_at_ms: 0,
            peak_buzz: 0.0,
            reach: 0,
            counters: Counters::default(),
            seats: Vec::new(),
            firings: Vec::new(),
            posts_as: 0,
            statements: Vec::new(),
            statement_reads: 0,
            ended: false,
        };
        sim.schedule_start();
        Ok(sim)
    }

    /// Makes the session a team's: every action then names one of these seats
    /// (`act_as`). Only before the session has begun; a list that cannot make a team is
    /// refused and the session stays solo.
    pub fn with_seats(mut self, seats: Vec<Seat>) -> Result<Simulation, SessionError> {
        super::seats::validate(&seats)?;
        self.seats = seats;
        Ok(self)
    }

    fn schedule_start(&mut self) {
        let scenario = Arc::clone(&self.scenario);
        for (index, phase) in scenario.timeline.phases.iter().enumerate() {
            self.scheduler.at(
                minutes_to_ms(phase.start_min),
                Pending::Timeline {
                    index,
                    begins: true,
                },
            );
        }
        let phases = scenario.timeline.phases.len();
        for (index, event) in scenario.timeline.events.iter().enumerate() {
            self.scheduler.at(
                minutes_to_ms(event.start_min),
                Pending::Timeline {
                    index: phases + index,
                    begins: true,
                },
            );
            let end = minutes_to_ms(event.end_min);
            if end < self.plan.duration_ms {
                self.scheduler.at(
                    end,
                    Pending::Timeline {
                        index: phases + index,
                        begins: false,
                    },
                );
            }
        }
        for (index, post) in scenario.timeline.scripted.iter().enumerate() {
            self.scheduler
                .at(minutes_to_ms(post.at_min), Pending::Scripted(index));
        }
        self.scheduler.at(0, Pending::Sample);
        self.schedule_next_arrival(0);
        self.scheduler.at(self.plan.duration_ms, Pending::End);
    }

    // ----- public view -----

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn analyser_id(&self) -> String {
        self.analyser.id()
    }
    pub fn config(&self) -> &SessionConfig {
        &self.config
    }
    pub fn now_ms(&self) -> u64 {
        self.now_ms
    }
    pub fn duration_ms(&self) -> u64 {
        self.plan.duration_ms
    }
    pub fn is_over(&self) -> bool {
        self.ended
    }
    /// A team session's seats, in id order; empty for a solo session.
    pub fn seats(&self) -> &[Seat] {
        &self.seats
    }
    /// The seat that holds a customer's conversation, in a team session.
    pub fn holder(&self, id: CustomerId) -> Option<SeatId> {
        self.customer(id)?.held_by
    }
    /// The records made since the last `take_records` (all of them, if none was taken).
    pub fn records(&self) -> &[Record] {
        &self.records
    }
    /// Hands out the records made so far, which the simulation then no longer holds (it
    /// never reads them back): a headless run writes and reads its transcript on another
    /// thread while the session goes on.
    pub fn take_records(&mut self) -> Vec<Record> {
        self.records_taken += self.records.len();
        // The next batch is about this one's size: room for it now, not grown to it.
        let room = Vec::with_capacity(self.records.len());
        std::mem::replace(&mut self.records, room)
    }
    /// How many records the session has made, handed out or not.
    pub fn record_count(&self) -> usize {
        self.records_taken + self.records.len()
    }
    pub fn customers(&self) -> &[Customer] {
        &self.customers
    }
    pub fn customer(&self, id: CustomerId) -> Option<&Customer> {
        self.customers.get(id.index())
    }
    /// The customer's latest message in their conversation, public or private: what the
    /// brand answers. The one definition the engine, the scripted team and the desk use.
    pub fn latest_customer_message(&self, id: CustomerId) -> Option<&Message> {
        self.customer(id)?
            .messages
            .iter()
            .rev()
            .filter_map(|m| self.message(*m))
            .find(|m| m.customer.is_some())
    }
    /// Everything the customer wrote in their conversation, public or private, oldest
    /// first: the last is what the brand answers, the others what a reply may take up too.
    pub fn customer_texts(&self, id: CustomerId) -> Vec<&str> {
        self.customer(id)
            .map(|c| {
                c.messages
                    .iter()
                    .filter_map(|m| self.message(*m))
                    .filter(|m| m.customer.is_some())
                    .map(|m| m.text.as_str())
                    .collect()
            })
            .unwrap_or_default()
    }
    /// The brand's earlier replies a new reply to this customer is compared with, by the
    /// copy rule (`engine::copy`): their conversation's, and in public the page's latest.
    pub fn copy_candidates(&self, id: CustomerId, private: bool) -> Vec<&TemplateShape> {
        let own = self
            .customer(id)
            .into_iter()
            .flat_map(|c| c.messages.iter())
            .filter_map(|m| self.message(*m)?.shape.as_ref());
        copy::candidates(own, &self.public_page, private)
    }
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }
    pub fn message(&self, id: MessageId) -> Option<&Message> {
        self.messages.get(id.index())
    }
    pub fn counters(&self) -> Counters {
        self.counters
    }
    pub fn peak_buzz(&self) -> f64 {
        self.peak_buzz
    }
    pub fn reach(&self) -> u64 {
        self.reach
    }
    pub fn expected_arrivals(&self) -> f64 {
        self.plan.expected_arrivals
    }
    /// The buzz index now: reach of angry public posts, decayed by its half-life.
    pub fn buzz_now(&self) -> f64 {
        self.buzz * self.decay(self.now_ms - self.buzz_at_ms, self.plan.buzz_half_life_ms)
    }
    /// A customer's anger (0-100) at the current time.
    pub fn anger(&self, id: CustomerId) -> Option<f64> {
        self.customer(id).map(|c| self.anger_at(c, self.now_ms))
    }
    /// The time of the next queued event, if the session is not over.
    pub fn next_event_ms(&self) -> Option<u64> {
        if self.ended {
            None
        } else {
            self.scheduler.next_ms()
        }
    }
    /// Index of a detail id in the scenario.
    pub fn detail_index(&self, id: &str) -> Option<usize> {
        self.scenario.details.iter().position(|d| d.id == id)
    }
    /// The ids of the details whose bits are set in `mask`, in scenario order.
    pub fn detail_ids(&self, mask: u64) -> Vec<String> {
        self.scenario
            .details
            .iter()
            .enumerate()
            .filter(|(i, _)| mask & (1 << i) != 0)
            .map(|(_, d)| d.id.clone())
            .collect()
    }
    /// The correct service of a customer's request, if it needs one (ground truth).
    pub fn correct_service(&self, customer: &Customer) -> Option<usize> {
        self.plan.kind_service[customer.kind]
    }
    pub fn needed_details(&self, customer: &Customer) -> u64 {
        self.plan.kind_needed[customer.kind]
    }
    /// The details a service needs, as a bit set; none for an index past the scenario's
    /// services (a stale choice in the desk's menu).
    pub fn service_required(&self, service: usize) -> u64 {
        self.plan
            .service_required
            .get(service)
            .copied()
            .unwrap_or_default()
    }

    // ----- running -----

    /// Processes the next queued event. Returns false once the session is over.
    pub fn step(&mut self) -> bool {
        if self.ended {
            return false;
        }
        let Some(due) = self.scheduler.pop() else {
            self.ended = true;
            return false;
        };
        self.now_ms = due.t_ms;
        if let Some(what) = due.what {
            self.handle(what);
        }
        !self.ended
    }

    /// Processes every event up to and including `t_ms`, then sets the clock there. An action
    /// taken at `t_ms` thus comes after every event of that time, in the GUI as in replays.
    pub fn advance_to(&mut self, t_ms: u64) {
        let target = t_ms.min(self.plan.duration_ms);
        while let Some(next) = self.next_event_ms() {
            if next > target {
                break;
            }
            self.step();
        }
        if !self.ended && target > self.now_ms {
            self.now_ms = target;
        }
    }

    /// Runs to the end of the scenario.
    pub fn finish(&mut self) {
        while self.step() {}
    }

    pub(super) fn record(&mut self, event: Event) {
        self.record_seq += 1;
        self.records.push(Record {
            t_ms: self.now_ms,
            seq: self.record_seq,
            event,
        });
    }

    fn handle(&mut self, what: Pending) {
        match what {
            Pending::Arrival => self.on_arrival(),
            Pending::Scripted(index) => self.on_scripted(index),
            Pending::InjectPost { firing, post } => self.on_inject_post(firing, post),
            Pending::Wave { firing, n } => self.on_wave(firing, n),
            Pending::Surge { firing } => self.on_surge(firing),
            Pending::UpdateDue { statement } => self.on_update_due(statement),
            Pending::PressAnswer { customer } => self.on_press_answer(customer),
            Pending::ArticleDue { customer } => self.on_article_due(customer),
            Pending::Check { customer } => self.on_check(customer),
            Pending::Respond { customer, response } => self.on_response(customer, response),
            Pending::Preempt { customer } => self.on_preempt(customer),
            Pending::ServiceDone { customer } => self.on_service_done(customer),
            Pending::Reshare {
                customer,
                message,
                followers,
                depth,
                anger,
                pile_on,
            } => self.on_reshare(customer, message, followers, depth, anger, pile_on),
            Pending::Timeline { index, begins } => {
                let phases = &self.scenario.timeline.phases;
                let id = match phases.get(index) {
                    Some(phase) => phase.id.clone(),
                    None => self.scenario.timeline.events[index - phases.len()]
                        .id
                        .clone(),
                };
                self.record(Event::Timeline { id, begins });
            }
            Pending::Sample => self.on_sample(),
            Pending::End => {
                self.on_sample();
                self.record(Event::End);
                self.ended = true;
            }
        }
    }

    /// Applies one action of a solo session now. On error nothing changes.
    pub fn act(&mut self, action: Action) -> Result<(), ActionError> {
        self.act_as(None, action)
    }

    /// Applies one action now, made by `seat` in a team session (`None` in a solo one, and
    /// for the facilitator's injects and posts, which no seat makes). On
    /// error nothing changes, but for a seat's collision with another seat's conversation,
    /// which is recorded (`Event::Collision`).
    pub fn act_as(&mut self, seat: Option<SeatId>, action: Action) -> Result<(), ActionError> {
        if self.ended {
            return Err(ActionError::SessionOver);
        }
        self.check_seat(seat, &action)?;
        // `check_seat` lets a claim, a release or a hand-over through only with a seat.
        let team_seat = seat.ok_or(ActionError::Team(TeamError::NotATeamSession));
        match action {
            Action::Reply {
                customer,
                private,
                text,
            } => {
                self.reply(seat, customer, private, text)?;
                self.hold_after(seat, customer);
                Ok(())
            }
            Action::Transfer {
                customer,
                service,
                details,
            } => {
                self.transfer(seat, customer, &service, details)?;
                self.hold_after(seat, customer);
                Ok(())
            }
            Action::Hide { message } => self.hide(seat, message),
            Action::Like { message } => self.like(seat, message),
            Action::Claim { customer } => self.claim(team_seat?, customer),
            Action::Release { customer } => self.release(team_seat?, customer),
            Action::HandOver { customer, to } => self.hand_over(team_seat?, customer, to),
            Action::Publish { channel, text } => self.publish(seat, channel, text),
            Action::Escalate { customer, to } => self.escalate(seat, customer, to),
            Action::Inject { inject } => self.inject(&inject),
            Action::PostAs {
                persona,
                kind,
                channel,
                account,
                text,
            } => self.post_as(injects::Typed {
                persona: &persona,
                kind: kind.as_deref(),
                channel,
                account,
                text: &text,
            }),
        }
    }
}
