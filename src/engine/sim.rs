//! The simulation: an event queue ordered by (time, sequence), virtual customers with their
//! own random streams, the trainee's actions, and the transcript of everything.

use super::action::{Action, ActionError};
use super::analysis::{ReplyAnalyser, ReplyContext, ReplyFlags};
use super::plan::{MS_PER_HOUR, Plan, expectation_from_quantiles};
use super::rng::Stream;
use super::scenario::{Account, Channel, Lang, Level, Register, Scenario, Template, minutes_to_ms};
use super::transcript::{BounceReason, Cause, Event, PostAct, Record, Source};
use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};
use std::sync::Arc;

/// Customers one session may hold at most, whatever the cascades draw.
pub const MAX_CUSTOMERS: usize = 2_000_000;

/// The most customers a session may rescale its arrivals to (`customers_target`).
pub const MAX_CUSTOMERS_TARGET: u64 = 1_000_000;
const MINUTE_MS: u64 = 60_000;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Open,
    Transferred { service: usize, details: u64 },
    Resolved,
    Churned,
    Abandoned,
}

impl Stage {
    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Resolved | Stage::Churned | Stage::Abandoned)
    }
}

pub struct Customer {
    pub id: u32,
    pub handle: String,
    pub persona: usize,
    pub kind: usize,
    /// The scripted post they came from (`timeline.scripted[i]`), if any.
    pub scripted: Option<usize>,
    pub channel: Channel,
    pub account: Account,
    pub lang: Lang,
    pub followers: u32,
    pub expectation_ms: u64,
    pub arrived_ms: u64,
    pub stage: Stage,
    pub dm_open: bool,
    /// Details given so far (bits by index in the scenario's details).
    pub provided: u64,
    pub first_reply_ms: Option<u64>,
    pub replies: u32,
    pub acknowledged: bool,
    pub preempted: bool,
    pub escalated: bool,
    pub shamed: bool,
    pub ambassador: bool,
    pub leaked_data: bool,
    pub relaunches: u32,
    /// Message ids of the whole conversation, public and private, in order.
    pub messages: Vec<u32>,
    /// Since when the customer waits for the brand, and how long they accept to wait.
    pub waiting_since: Option<u64>,
    wait_budget_ms: u64,
    anger: f64,
    anger_at_ms: u64,
    /// Anger that stays above the baseline after a late first reply.
    grudge: f64,
    arrival_anger: f64,
    check_gen: u32,
    response_gen: u32,
    unfair_seen: u64,
    posts: u32,
    details: Vec<Option<String>>,
    rng: Stream,
}

impl Customer {
    pub fn is_waiting(&self) -> bool {
        self.waiting_since.is_some() && !self.stage.is_closed()
    }
    pub fn negative(&self) -> bool {
        self.escalated || self.shamed || self.stage == Stage::Churned
    }
    /// Anger at the first post, before any waiting.
    pub fn arrival_anger(&self) -> f64 {
        self.arrival_anger
    }
    /// The value the customer gave for a detail, once given.
    pub fn detail_value(&self, index: usize) -> Option<&str> {
        self.details.get(index).and_then(|v| v.as_deref())
    }
}

pub struct Message {
    pub id: u32,
    /// None for the brand's replies.
    pub customer: Option<u32>,
    /// The conversation it belongs to.
    pub conversation: u32,
    pub private: bool,
    pub act: Option<PostAct>,
    pub text: String,
    pub t_ms: u64,
    pub anger: u8,
    pub hidden: bool,
    pub liked: bool,
    /// For the brand's replies: the template fingerprint (names, handles, numbers masked).
    pub fingerprint: Option<u64>,
}

/// Counts kept as the session goes, for samples and summaries.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    pub answered: u32,
    pub churned: u32,
    pub abandoned: u32,
    pub ambassadors: u32,
    pub resolved: u32,
    pub transfers: u32,
    pub bounces: u32,
    pub privacy_leaks: u32,
    pub reshares: u64,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Response {
    Redirect,
    GiveDetails { requested: u64 },
    PublicData { requested: u64 },
    RefusePublicData,
    OpenDm,
    RefuseDm,
    ResolvedByAnswer,
    Acknowledge,
    ThankPublicly,
    Censored,
}

#[derive(Clone, Debug)]
enum Pending {
    Arrival,
    Scripted(usize),
    Check {
        customer: u32,
        generation: u32,
    },
    Respond {
        customer: u32,
        generation: u32,
        response: Response,
    },
    Preempt {
        customer: u32,
    },
    ServiceDone {
        customer: u32,
        generation: u32,
    },
    Reshare {
        customer: u32,
        message: u32,
        followers: u32,
        depth: u16,
        anger: u8,
        pile_on: Option<u64>,
    },
    Timeline {
        index: usize,
        begins: bool,
    },
    Sample,
    End,
}

struct Scheduled {
    t_ms: u64,
    seq: u64,
    what: Pending,
}

impl PartialEq for Scheduled {
    fn eq(&self, other: &Self) -> bool {
        (self.t_ms, self.seq) == (other.t_ms, other.seq)
    }
}
impl Eq for Scheduled {}
impl PartialOrd for Scheduled {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Scheduled {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        (self.t_ms, self.seq).cmp(&(other.t_ms, other.seq))
    }
}

/// Counts, per customer id, the public first answers given to customers who arrived later.
#[derive(Default)]
struct LaterAnswered {
    tree: Vec<u64>,
    values: Vec<u64>,
    total: u64,
}

impl LaterAnswered {
    fn add(&mut self, id: usize) {
        if id >= self.values.len() {
            let size = (id + 1).next_power_of_two().max(1024);
            self.values.resize(size, 0);
            self.tree = vec![0; size + 1];
            for (i, v) in self.values.clone().into_iter().enumerate() {
                self.bump(i, v);
            }
        }
        self.values[id] += 1;
        self.bump(id, 1);
        self.total += 1;
    }
    fn bump(&mut self, id: usize, by: u64) {
        let mut i = id + 1;
        while i < self.tree.len() {
            self.tree[i] += by;
            i += i & i.wrapping_neg();
        }
    }
    /// Answers given to customers with a larger id than `id`.
    fn after(&self, id: usize) -> u64 {
        let mut i = (id + 1).min(self.tree.len().saturating_sub(1));
        let mut upto = 0;
        while i > 0 {
            upto += self.tree[i];
            i -= i & i.wrapping_neg();
        }
        self.total - upto
    }
}

/// Options of a session besides the scenario.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    pub seed: u64,
    pub lang: Lang,
    /// Scale arrival rates so that about this many customers come.
    pub customers_target: Option<u64>,
}

pub struct Simulation {
    scenario: Arc<Scenario>,
    plan: Plan,
    config: SessionConfig,
    analyser: Arc<dyn ReplyAnalyser>,
    now_ms: u64,
    seq: u64,
    record_seq: u64,
    queue: BinaryHeap<Reverse<Scheduled>>,
    records: Vec<Record>,
    customers: Vec<Customer>,
    messages: Vec<Message>,
    arrivals: Stream,
    arrival_ordinal: u64,
    public_fingerprints: BTreeSet<u64>,
    later_answered: [LaterAnswered; 2],
    buzz: f64,
    buzz_at_ms: u64,
    peak_buzz: f64,
    reach: u64,
    counters: Counters,
    ended: bool,
}

impl Simulation {
    /// A session ready to run; the scenario must have passed validation.
    pub fn new(
        scenario: Arc<Scenario>,
        config: SessionConfig,
        analyser: Arc<dyn ReplyAnalyser>,
    ) -> Result<Simulation, String> {
        let base = Plan::compile(&scenario, 1.0)?;
        let scale = match config.customers_target {
            None => 1.0,
            Some(target) => {
                if target > MAX_CUSTOMERS_TARGET {
                    return Err(format!(
                        "{target} customers asked for, at most {MAX_CUSTOMERS_TARGET}"
                    ));
                }
                let scripted = scenario.timeline.scripted.len() as f64;
                if base.expected_arrivals <= 0.0 {
                    return Err("the scenario has no arrivals to scale".into());
                }
                ((target as f64 - scripted).max(0.0)) / base.expected_arrivals
            }
        };
        let plan = if scale == 1.0 {
            base
        } else {
            Plan::compile(&scenario, scale)?
        };
        let mut sim = Simulation {
            arrivals: Stream::new(config.seed, "arrivals", 0),
            scenario,
            plan,
            config,
            analyser,
            now_ms: 0,
            seq: 0,
            record_seq: 0,
            queue: BinaryHeap::new(),
            records: Vec::new(),
            customers: Vec::new(),
            messages: Vec::new(),
            arrival_ordinal: 0,
            public_fingerprints: BTreeSet::new(),
            later_answered: Default::default(),
            buzz: 0.0,
            buzz_at_ms: 0,
            peak_buzz: 0.0,
            reach: 0,
            counters: Counters::default(),
            ended: false,
        };
        sim.schedule_start();
        Ok(sim)
    }

    fn schedule_start(&mut self) {
        let scenario = Arc::clone(&self.scenario);
        for (index, phase) in scenario.timeline.phases.iter().enumerate() {
            self.schedule(
                minutes_to_ms(phase.start_min),
                Pending::Timeline {
                    index,
                    begins: true,
                },
            );
        }
        let phases = scenario.timeline.phases.len();
        for (index, event) in scenario.timeline.events.iter().enumerate() {
            self.schedule(
                minutes_to_ms(event.start_min),
                Pending::Timeline {
                    index: phases + index,
                    begins: true,
                },
            );
            let end = minutes_to_ms(event.end_min);
            if end < self.plan.duration_ms {
                self.schedule(
                    end,
                    Pending::Timeline {
                        index: phases + index,
                        begins: false,
                    },
                );
            }
        }
        for (index, post) in scenario.timeline.scripted.iter().enumerate() {
            self.schedule(minutes_to_ms(post.at_min), Pending::Scripted(index));
        }
        self.schedule(0, Pending::Sample);
        self.schedule_next_arrival(0);
        self.schedule(self.plan.duration_ms, Pending::End);
    }

    // ----- public view -----

    pub fn scenario(&self) -> &Scenario {
        &self.scenario
    }
    pub fn scenario_arc(&self) -> Arc<Scenario> {
        Arc::clone(&self.scenario)
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
    pub fn records(&self) -> &[Record] {
        &self.records
    }
    pub fn customers(&self) -> &[Customer] {
        &self.customers
    }
    pub fn customer(&self, id: u32) -> Option<&Customer> {
        self.customers.get(id as usize)
    }
    pub fn messages(&self) -> &[Message] {
        &self.messages
    }
    pub fn message(&self, id: u32) -> Option<&Message> {
        self.messages.get(id as usize)
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
    pub fn anger(&self, id: u32) -> Option<f64> {
        self.customer(id).map(|c| self.anger_at(c, self.now_ms))
    }
    /// The time of the next queued event, if the session is not over.
    pub fn next_event_ms(&self) -> Option<u64> {
        if self.ended {
            None
        } else {
            self.queue.peek().map(|s| s.0.t_ms)
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
        let Some(Reverse(next)) = self.queue.pop() else {
            self.ended = true;
            return false;
        };
        self.now_ms = next.t_ms;
        self.handle(next.what);
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

    fn schedule(&mut self, t_ms: u64, what: Pending) {
        self.seq += 1;
        self.queue.push(Reverse(Scheduled {
            t_ms,
            seq: self.seq,
            what,
        }));
    }

    fn record(&mut self, event: Event) {
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
            Pending::Check {
                customer,
                generation,
            } => self.on_check(customer, generation),
            Pending::Respond {
                customer,
                generation,
                response,
            } => {
                if self.customers[customer as usize].response_gen == generation {
                    self.on_response(customer, response);
                }
            }
            Pending::Preempt { customer } => self.on_preempt(customer),
            Pending::ServiceDone {
                customer,
                generation,
            } => self.on_service_done(customer, generation),
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

    // ----- arrivals -----

    /// Draws the next arrival by thinning over the linear rate segments.
    fn schedule_next_arrival(&mut self, from_ms: u64) {
        let mut t = from_ms as f64;
        let mut index = self
            .plan
            .segments
            .partition_point(|s| (s.end_ms as f64) <= t);
        while let Some(segment) = self.plan.segments.get(index) {
            let max = segment.max_rate();
            if max <= 0.0 {
                index += 1;
                t = t.max(segment.end_ms as f64);
                continue;
            }
            t = t.max(segment.start_ms as f64) + self.arrivals.exponential(1.0 / max);
            if t >= segment.end_ms as f64 {
                t = segment.end_ms as f64;
                index += 1;
                continue;
            }
            if self.arrivals.unit() * max <= segment.rate_at(t) {
                let at = (t.ceil() as u64).max(from_ms);
                if at < self.plan.duration_ms {
                    self.schedule(at, Pending::Arrival);
                }
                return;
            }
        }
    }

    fn on_arrival(&mut self) {
        let ordinal = self.arrival_ordinal;
        self.arrival_ordinal += 1;
        let rng = Stream::new(self.config.seed, "customer", ordinal);
        self.spawn(rng, Source::Arrival, None);
        self.schedule_next_arrival(self.now_ms);
    }

    fn on_scripted(&mut self, index: usize) {
        let rng = Stream::new(self.config.seed, "scripted", index as u64);
        self.spawn(rng, Source::Scripted, Some(index));
    }

    /// Creates a customer: its persona, request, channel and profile come from its own stream.
    fn spawn(&mut self, mut rng: Stream, source: Source, scripted: Option<usize>) -> Option<u32> {
        if self.customers.len() >= MAX_CUSTOMERS {
            return None;
        }
        let scenario = Arc::clone(&self.scenario);
        let now = self.now_ms;
        let phase = self.plan.phase_at(&scenario, now);
        let script = scripted.map(|i| &scenario.timeline.scripted[i]);
        let (persona, kind) = match script {
            Some(post) => (
                scenario
                    .personas
                    .iter()
                    .position(|p| p.id == post.persona)?,
                scenario.kinds.iter().position(|k| k.id == post.kind)?,
            ),
            None => {
                let persona_weights: Vec<f64> =
                    scenario.personas.iter().map(|p| p.weight).collect();
                let persona = rng.weighted(&persona_weights)?;
                let kind_weights: Vec<f64> = scenario
                    .kinds
                    .iter()
                    .enumerate()
                    .map(|(k, kind)| {
                        let phase_factor = phase
                            .and_then(|p| p.kind_weights.iter().find(|(id, _)| *id == kind.id))
                            .map_or(1.0, |(_, w)| *w);
                        if self.plan.kind_personas[k][persona] {
                            kind.weight * phase_factor
                        } else {
                            0.0
                        }
                    })
                    .collect();
                (persona, rng.weighted(&kind_weights)?)
            }
        };
        let persona_spec = &scenario.personas[persona];
        let kind_spec = &scenario.kinds[kind];
        let channel = match script {
            Some(post) => post.channel,
            None => {
                let share = phase.map_or(0.5, |p| p.twitter_share);
                if rng.chance(share) {
                    Channel::Twitter
                } else {
                    Channel::Facebook
                }
            }
        };
        let account = match script {
            Some(post) => post.account,
            None => {
                let share = kind_spec
                    .corporate_share
                    .unwrap_or(phase.map_or(0.0, |p| p.corporate_share));
                if rng.chance(share) {
                    Account::Corporate
                } else {
                    Account::Care
                }
            }
        };
        let lang = persona_spec.language.unwrap_or(self.config.lang);
        let followers = match script.and_then(|p| p.followers) {
            Some(count) => count,
            None => {
                let f = persona_spec.followers;
                rng.power_law(
                    f.min.max(1) as f64,
                    f.max.max(f.min.max(1) + 1) as f64,
                    f.exponent,
                ) as u32
            }
        };
        let quantiles = &self.plan.expectation_ms[channel as usize];
        let expectation = expectation_from_quantiles(quantiles, rng.unit()) * persona_spec.patience;
        let expectation_ms = (expectation.max(30_000.0)) as u64;
        let stem = &persona_spec.handles[rng.below(persona_spec.handles.len() as u64) as usize];
        let id = self.customers.len() as u32;
        let handle = format!("@{stem}{}", 10 + rng.below(90) + 100 * (id as u64 / 90));
        let initial = persona_spec.initial_anger;
        let anger = match script.and_then(|p| p.anger) {
            Some(a) => a,
            None => rng.uniform(initial.min, initial.max) + kind_spec.anger,
        }
        .clamp(0.0, 100.0);
        let customer = Customer {
            id,
            handle: handle.clone(),
            persona,
            kind,
            scripted,
            channel,
            account,
            lang,
            followers,
            expectation_ms,
            arrived_ms: now,
            stage: Stage::Open,
            dm_open: false,
            provided: 0,
            first_reply_ms: None,
            replies: 0,
            acknowledged: false,
            preempted: false,
            escalated: false,
            shamed: false,
            ambassador: false,
            leaked_data: false,
            relaunches: 0,
            messages: Vec::new(),
            waiting_since: None,
            wait_budget_ms: expectation_ms,
            anger,
            anger_at_ms: now,
            grudge: 0.0,
            arrival_anger: anger,
            check_gen: 0,
            response_gen: 0,
            unfair_seen: self.later_answered[channel as usize].after(id as usize),
            posts: 0,
            details: vec![None; scenario.details.len()],
            rng,
        };
        self.customers.push(customer);
        self.record(Event::Arrival {
            customer: id,
            handle,
            persona: persona_spec.id.clone(),
            kind: kind_spec.id.clone(),
            channel,
            account,
            followers,
            expectation_ms,
            lang,
            source,
        });
        let text = match script.and_then(|p| p.text.as_ref()) {
            Some(text) => text.get(lang).to_string(),
            None => {
                let templates = &kind_spec.messages;
                self.compose(id, templates)
            }
        };
        self.post_text(id, PostAct::Complaint, false, text, 0);
        let c = &mut self.customers[id as usize];
        let preempts = c.rng.chance(persona_spec.preempts_template);
        let bad_faith = c.rng.chance(persona_spec.bad_faith);
        let bad_faith_delay = 90_000 + c.rng.below(60_000);
        if preempts {
            self.schedule(now + MINUTE_MS, Pending::Preempt { customer: id });
        }
        if bad_faith {
            self.schedule_check(id, now + bad_faith_delay);
        }
        Some(id)
    }

    // ----- anger -----

    fn decay(&self, elapsed_ms: u64, half_life_ms: f64) -> f64 {
        if half_life_ms <= 0.0 {
            0.0
        } else {
            libm::exp2(-(elapsed_ms as f64) / half_life_ms)
        }
    }

    /// Anger at `t`. Once answered, anger relaxes exponentially towards the customer's resting
    /// level; while waiting past their patience it grows linearly (disconfirmation). Before
    /// any answer it only grows: nothing calms a customer nobody has answered.
    fn anger_at(&self, c: &Customer, t_ms: u64) -> f64 {
        let t = t_ms.max(c.anger_at_ms);
        let overdue_from = c
            .waiting_since
            .filter(|_| !c.stage.is_closed())
            .map(|since| (since + c.wait_budget_ms).max(c.anger_at_ms));
        let mut anger = c.anger;
        if c.first_reply_ms.is_some() {
            let relax_until = overdue_from.map_or(t, |from| t.min(from));
            // The resting level: the baseline, plus what a late first reply left.
            let base = (self.scenario.model.baseline_anger + c.grudge).min(100.0);
            anger = base
                + (anger - base)
                    * self.decay(relax_until - c.anger_at_ms, self.plan.relax_half_life_ms);
        }
        if let Some(from) = overdue_from
            && t > from
        {
            let persona = &self.scenario.personas[c.persona];
            let per_ms = self.scenario.channels.get(c.channel).anger_growth_per_hour
                * persona.irritability
                / MS_PER_HOUR;
            anger = (anger + per_ms * self.plan.anger_steps.integral(from, t)).min(100.0);
        }
        anger
    }

    fn settle(&mut self, id: u32) {
        let now = self.now_ms;
        let anger = self.anger_at(&self.customers[id as usize], now);
        let c = &mut self.customers[id as usize];
        c.anger = anger;
        c.anger_at_ms = now;
    }

    fn add_anger(&mut self, id: u32, delta: f64) {
        let c = &mut self.customers[id as usize];
        c.anger = (c.anger + delta).clamp(0.0, 100.0);
    }

    fn anger_u8(&self, id: u32) -> u8 {
        self.customers[id as usize].anger.round() as u8
    }

    /// The customer now waits for the brand, with the patience they have at this stage.
    fn start_waiting(&mut self, id: u32) {
        self.settle(id);
        let ack_factor = self.scenario.model.acknowledged_patience;
        let now = self.now_ms;
        let c = &mut self.customers[id as usize];
        if c.stage.is_closed()
            || matches!(c.stage, Stage::Transferred { .. })
            || c.waiting_since.is_some()
        {
            return;
        }
        c.waiting_since = Some(now);
        c.wait_budget_ms = if c.acknowledged {
            (c.expectation_ms as f64 * ack_factor) as u64
        } else {
            c.expectation_ms
        };
        let at = now + c.wait_budget_ms.max(MINUTE_MS);
        self.schedule_check(id, at);
    }

    fn stop_waiting(&mut self, id: u32) {
        self.settle(id);
        let c = &mut self.customers[id as usize];
        c.waiting_since = None;
        c.check_gen += 1;
    }

    fn schedule_check(&mut self, id: u32, at: u64) {
        let c = &mut self.customers[id as usize];
        c.check_gen += 1;
        let generation = c.check_gen;
        self.schedule(
            at,
            Pending::Check {
                customer: id,
                generation,
            },
        );
    }

    /// A relaunch point: the customer churns, gives up, or writes again, angrier.
    fn on_check(&mut self, id: u32, generation: u32) {
        let c = &self.customers[id as usize];
        if c.check_gen != generation
            || c.stage.is_closed()
            || matches!(c.stage, Stage::Transferred { .. })
        {
            return;
        }
        if c.waiting_since.is_none() {
            // A bad-faith follow-up scheduled at arrival, answered since.
            return;
        }
        self.settle(id);
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.model;
        // Later customers answered first: visible on a public page.
        let channel = self.customers[id as usize].channel;
        if self.customers[id as usize].first_reply_ms.is_none() {
            let seen = self.later_answered[channel as usize].after(id as usize);
            let c = &mut self.customers[id as usize];
            let newly = seen.saturating_sub(c.unfair_seen).min(10);
            c.unfair_seen = seen;
            self.add_anger(id, model.unfair_order_anger * newly as f64);
        }
        let persona = &self.scenario.personas[self.customers[id as usize].persona];
        let (shame, insult, cancel) = (persona.shame, persona.insult, persona.cancel_threat);
        let c = &mut self.customers[id as usize];
        let a = c.anger / 100.0;
        if c.relaunches >= model.max_relaunches {
            // Stops writing; whether they leave was drawn at each relaunch.
            self.close(id, false);
            return;
        }
        let u = c.rng.unit();
        let p_churn = model.churn_hazard * a * a;
        let p_abandon = model.abandon_hazard * (1.0 - a);
        if u < p_churn {
            self.close(id, true);
            return;
        }
        if u < p_churn + p_abandon {
            self.close(id, false);
            return;
        }
        let act = if !c.shamed && c.rng.chance(model.shame_hazard * shame * a) {
            PostAct::Shame
        } else if c.rng.chance(model.escalation_hazard * a) {
            let weights = [cancel + 0.05, insult, 0.25, 0.25];
            match c.rng.weighted(&weights) {
                Some(0) => PostAct::CancelThreat,
                Some(1) => PostAct::Insult,
                Some(2) => PostAct::TagCompetitor,
                _ => PostAct::Witnesses,
            }
        } else {
            PostAct::Followup
        };
        c.relaunches += 1;
        // Shaming and escalations are public; a plain follow-up stays where the talk is.
        let private = c.dm_open && act == PostAct::Followup;
        let mean_ms = model.relaunch_mean_min * MINUTE_MS as f64 * (1.5 - a);
        let next = self.now_ms + (c.rng.exponential(mean_ms) as u64).max(MINUTE_MS);
        let scenario = Arc::clone(&self.scenario);
        let texts = &scenario.texts;
        let templates = match act {
            PostAct::Shame => &texts.shame,
            PostAct::CancelThreat => &texts.cancel_threat,
            PostAct::Insult => &texts.insult,
            PostAct::TagCompetitor => &texts.tag_competitor,
            PostAct::Witnesses => &texts.witnesses,
            _ => &texts.followup,
        };
        self.post(id, act, private, templates, 0);
        self.schedule_check(id, next);
    }

    /// Ends a customer's story: churn (silent switch) or quiet abandonment.
    fn close(&mut self, id: u32, churn: bool) {
        let anger = self.anger_u8(id);
        let c = &mut self.customers[id as usize];
        c.check_gen += 1;
        c.response_gen += 1;
        if churn {
            c.stage = Stage::Churned;
            self.counters.churned += 1;
            self.record(Event::Churned {
                customer: id,
                anger,
            });
        } else {
            c.stage = Stage::Abandoned;
            self.counters.abandoned += 1;
            self.record(Event::Abandoned {
                customer: id,
                anger,
            });
        }
    }

    // ----- customer posts -----

    /// Picks a template by the customer's anger band and register, then fills it in.
    fn compose(&mut self, id: u32, templates: &[Template]) -> String {
        let model = &self.scenario.model;
        let c = &self.customers[id as usize];
        let level = if c.anger >= model.furious_from {
            Level::Furious
        } else if c.anger >= model.annoyed_from {
            Level::Annoyed
        } else {
            Level::Calm
        };
        let register = self.scenario.personas[c.persona].register;
        let fits = |t: &Template| {
            t.level.is_none_or(|l| l == level) && t.register.is_none_or(|r| r == register)
        };
        let specificity = |t: &Template| t.level.is_some() as u8 + t.register.is_some() as u8;
        let best = templates.iter().filter(|t| fits(t)).map(specificity).max();
        let pool: Vec<&Template> = match best {
            Some(best) => templates
                .iter()
                .filter(|t| fits(t) && specificity(t) == best)
                .collect(),
            None => templates.iter().collect(),
        };
        if pool.is_empty() {
            return String::new();
        }
        let c = &mut self.customers[id as usize];
        let template = pool[c.rng.below(pool.len() as u64) as usize];
        let raw = if c.lang == Lang::Fr {
            &template.fr
        } else {
            &template.en
        };
        let mut text = self.fill(id, raw);
        if template.register.is_none() {
            text = decorate(text, register, level);
        }
        text
    }

    fn fill(&self, id: u32, raw: &str) -> String {
        if !raw.contains('{') {
            return raw.to_string();
        }
        let c = &self.customers[id as usize];
        let brand = &self.scenario.brand;
        let (care, corporate) = match c.channel {
            Channel::Twitter => (&brand.care.twitter, &brand.corporate.twitter),
            Channel::Facebook => (&brand.care.facebook, &brand.corporate.facebook),
        };
        let waited_min = c.waiting_since.map_or(0, |s| (self.now_ms - s) / MINUTE_MS);
        let wait = if waited_min >= 120 {
            format!("{} h", waited_min / 60)
        } else {
            format!("{} min", waited_min.max(1))
        };
        let details: Vec<String> = self
            .scenario
            .details
            .iter()
            .enumerate()
            .filter_map(|(i, d)| {
                c.detail_value(i)
                    .map(|v| format!("{} {v}", d.label.get(c.lang)))
            })
            .collect();
        raw.replace("{brand}", &brand.name)
            .replace("{care}", care)
            .replace("{corporate}", corporate)
            .replace("{competitor}", &brand.competitor_handle)
            .replace("{handle}", &c.handle)
            .replace("{wait}", &wait)
            .replace("{details}", &details.join(", "))
    }

    fn post(
        &mut self,
        id: u32,
        act: PostAct,
        private: bool,
        templates: &[Template],
        provides: u64,
    ) {
        self.give_details(id, provides);
        let text = self.compose(id, templates);
        self.post_text(id, act, private, text, provides);
    }

    fn give_details(&mut self, id: u32, provides: u64) {
        let patterns: Vec<(usize, String)> = self
            .scenario
            .details
            .iter()
            .enumerate()
            .filter(|(i, _)| provides & (1 << i) != 0)
            .map(|(i, d)| (i, d.pattern.clone()))
            .collect();
        let c = &mut self.customers[id as usize];
        for (index, pattern) in patterns {
            if c.details[index].is_none() {
                let value = pattern
                    .chars()
                    .map(|ch| {
                        if ch == '#' {
                            char::from(b'0' + c.rng.below(10) as u8)
                        } else {
                            ch
                        }
                    })
                    .collect();
                c.details[index] = Some(value);
            }
        }
        c.provided |= provides;
    }

    fn post_text(&mut self, id: u32, act: PostAct, private: bool, text: String, provides: u64) {
        let message = self.messages.len() as u32;
        let anger = self.anger_u8(id);
        let now = self.now_ms;
        self.messages.push(Message {
            id: message,
            customer: Some(id),
            conversation: id,
            private,
            act: Some(act),
            text: text.clone(),
            t_ms: now,
            anger,
            hidden: false,
            liked: false,
            fingerprint: None,
        });
        let details = self.detail_ids(provides);
        let c = &mut self.customers[id as usize];
        c.messages.push(message);
        c.posts += 1;
        match act {
            PostAct::Shame => c.shamed = true,
            a if a.is_escalation() => c.escalated = true,
            _ => {}
        }
        self.record(Event::Post {
            customer: id,
            message,
            private,
            act,
            text,
            anger,
            details,
        });
        if !private
            && !matches!(
                act,
                PostAct::ThanksPublic | PostAct::Acknowledged | PostAct::Redirected
            )
        {
            self.spread(id, message, anger, act == PostAct::Shame);
        }
        if act.needs_answer() {
            self.start_waiting(id);
        }
    }

    // ----- bad buzz -----

    fn add_buzz(&mut self, followers: u32, anger: u8) {
        let now = self.now_ms;
        self.buzz = self.buzz_now() + followers as f64 * anger as f64 / 100.0;
        self.buzz_at_ms = now;
        self.peak_buzz = self.peak_buzz.max(self.buzz);
        self.reach += followers as u64;
    }

    /// Draws the whole reshare tree of a public post at once (SEISMIC kernel, branching).
    fn spread(&mut self, id: u32, message: u32, anger: u8, shaming: bool) {
        let c = &self.customers[id as usize];
        let followers = c.followers;
        let key = ((id as u64) << 20) | c.posts as u64;
        self.add_buzz(followers, anger);
        let cascade = self.scenario.model.cascade.clone();
        let resharers = cascade.resharer_followers;
        let gain = 1.0 + cascade.anger_gain * anger as f64 / 100.0;
        let boost = if shaming { 2.0 } else { 1.0 };
        let p = cascade.reshare_probability * gain * boost * self.plan.buzz_steps.at(self.now_ms);
        let c_s = cascade.kernel_c_per_s;
        let s0 = cascade.kernel_s0_s;
        let theta = cascade.kernel_theta;
        let head = c_s * s0;
        let kernel_mass = head * (1.0 + 1.0 / theta);
        let mut rng = Stream::new(self.config.seed, "cascade", key);
        let mut budget = cascade.max_reshares_per_post as u64;
        // (time, followers, depth) of posts whose children are still to draw.
        let mut frontier = vec![(self.now_ms, followers, 0u16)];
        while let Some((t0, parent_followers, depth)) = frontier.pop() {
            let mean = (p * parent_followers as f64 * kernel_mass).min(budget as f64);
            let children = rng.poisson(mean).min(budget);
            budget -= children;
            for _ in 0..children {
                let x = rng.unit() * kernel_mass;
                let delay_s = if x <= head {
                    x / c_s
                } else {
                    let tail = 1.0 - (x - head) * theta / head;
                    s0 * libm::pow(tail.max(1e-12), -1.0 / theta)
                };
                let at = t0 + (delay_s.min(30.0 * 86_400.0) * 1000.0) as u64;
                let child_followers = rng.power_law(
                    resharers.min.max(1) as f64,
                    resharers.max.max(resharers.min + 1) as f64,
                    resharers.exponent,
                ) as u32;
                let pile_on = if rng.chance(cascade.pile_on * anger as f64 / 100.0) {
                    Some(rng.below(u64::MAX))
                } else {
                    None
                };
                if at < self.plan.duration_ms {
                    self.schedule(
                        at,
                        Pending::Reshare {
                            customer: id,
                            message,
                            followers: child_followers,
                            depth: depth + 1,
                            anger,
                            pile_on,
                        },
                    );
                    frontier.push((at, child_followers, depth + 1));
                }
            }
        }
    }

    fn on_reshare(
        &mut self,
        id: u32,
        message: u32,
        followers: u32,
        depth: u16,
        anger: u8,
        pile_on: Option<u64>,
    ) {
        if self.messages[message as usize].hidden {
            return;
        }
        self.counters.reshares += 1;
        self.add_buzz(followers, anger);
        self.record(Event::Reshare {
            customer: id,
            message,
            followers,
            depth,
        });
        if let Some(key) = pile_on {
            let rng = Stream::new(self.config.seed, "pile_on", key);
            self.spawn(rng, Source::PileOn, None);
        }
    }

    // ----- the trainee's actions -----

    /// Applies one action now. On error nothing changes.
    pub fn act(&mut self, action: Action) -> Result<(), ActionError> {
        if self.ended {
            return Err(ActionError::SessionOver);
        }
        match action {
            Action::Reply {
                customer,
                private,
                text,
            } => self.reply(customer, private, text),
            Action::Transfer {
                customer,
                service,
                details,
            } => self.transfer(customer, &service, details),
            Action::Hide { message } => self.hide(message),
            Action::Like { message } => self.like(message),
        }
    }

    fn reply(&mut self, id: u32, private: bool, text: String) -> Result<(), ActionError> {
        let c = self
            .customers
            .get(id as usize)
            .ok_or(ActionError::UnknownConversation(id))?;
        if text.trim().is_empty() {
            return Err(ActionError::EmptyText);
        }
        let spec = self.scenario.channels.get(c.channel);
        let limit = if private {
            spec.private_char_limit
        } else {
            spec.public_char_limit
        };
        let length = text.chars().count();
        if length > limit as usize {
            return Err(ActionError::TooLong {
                channel: c.channel,
                private,
                limit,
                length,
            });
        }
        if private && !c.dm_open {
            return Err(ActionError::NoPrivateConversation(id));
        }
        // Validated: from here on the reply happens.
        let brand = &self.scenario.brand;
        let care_handles = [brand.care.twitter.as_str(), brand.care.facebook.as_str()];
        let last_customer_message = c
            .messages
            .iter()
            .rev()
            .map(|m| &self.messages[*m as usize])
            .find(|m| m.customer.is_some());
        let reading = self.analyser.analyse(&ReplyContext {
            text: &text,
            lang: c.lang,
            public: !private,
            customer_message: last_customer_message.map(|m| m.text.as_str()),
            care_handles: &care_handles,
        });
        // A customer notices a copy they can see: a public reply already on the page, or the
        // same text sent to them before.
        let (flags, fingerprint) = (reading.flags, reading.fingerprint);
        let repeated_to_them = c
            .messages
            .iter()
            .any(|m| self.messages[*m as usize].fingerprint == Some(fingerprint));
        let copy =
            repeated_to_them || (!private && self.public_fingerprints.contains(&fingerprint));
        if !private {
            self.public_fingerprints.insert(fingerprint);
        }
        let requested = self.requested_details(&text, c.lang);

        let message = self.messages.len() as u32;
        self.messages.push(Message {
            id: message,
            customer: None,
            conversation: id,
            private,
            act: None,
            text: text.clone(),
            t_ms: self.now_ms,
            anger: 0,
            hidden: false,
            liked: false,
            fingerprint: Some(fingerprint),
        });
        self.customers[id as usize].messages.push(message);
        self.record(Event::Reply {
            customer: id,
            message,
            private,
            text,
            copy,
            flags,
        });
        self.react_to_reply(id, private, flags, copy, requested);
        Ok(())
    }

    /// Details the reply names by their label ("votre numéro de contrat").
    fn requested_details(&self, text: &str, lang: Lang) -> u64 {
        let lower = text.to_lowercase();
        self.scenario
            .details
            .iter()
            .enumerate()
            .filter(|(_, d)| lower.contains(&d.label.get(lang).to_lowercase()))
            .fold(0, |acc, (i, _)| acc | (1 << i))
    }

    fn react_to_reply(
        &mut self,
        id: u32,
        private: bool,
        flags: ReplyFlags,
        copy: bool,
        requested: u64,
    ) {
        self.settle(id);
        let now = self.now_ms;
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.model;
        let c = &self.customers[id as usize];
        let persona = &self.scenario.personas[c.persona];
        let kind = &self.scenario.kinds[c.kind];
        let late = c
            .waiting_since
            .is_some_and(|since| now > since + c.wait_budget_ms);
        let first = c.replies == 0;
        let furious = c.anger >= model.furious_from;
        let (register, dislikes, teasing) =
            (persona.register, persona.dislikes_templates, kind.teasing);
        let (willingness, posts_public) = (persona.dm_willingness, persona.posts_data_in_public);
        let needs_service = self.plan.kind_service[c.kind].is_some() || kind.personal_data;

        let mut causes = Vec::new();
        let mut delta = 0.0;
        if flags.blame {
            delta += model.hide_anger;
            causes.push(Cause::Blame);
        }
        if (first && flags.acknowledges()) || (!first && flags.next_step) {
            delta -= model.acknowledgement_relief * if first { 1.0 } else { 0.5 };
            causes.push(Cause::Acknowledged);
        }
        if flags.apology && late {
            delta -= model.apology_relief;
            causes.push(Cause::ApologyRepair);
        }
        let c = &mut self.customers[id as usize];
        let template_irritated = copy && (c.preempted || c.rng.chance(dislikes));
        if template_irritated {
            delta += model.template_irritation * if c.preempted { 2.0 } else { 1.0 };
            causes.push(Cause::Template);
        }
        if flags.tutoiement && matches!(register, Register::Formal | Register::Neutral) {
            delta += model.tutoiement_irritation
                * if register == Register::Formal {
                    1.0
                } else {
                    0.5
                };
            causes.push(Cause::Tutoiement);
        }
        if flags.humour {
            if furious {
                delta += model.humour_backfire;
                causes.push(Cause::HumourBackfired);
            } else if teasing {
                delta -= model.humour_relief;
                causes.push(Cause::HumourWorked);
            }
        }
        let asks_in_public = flags.asks_personal_data && !private && !flags.dm_invitation;
        if asks_in_public {
            causes.push(Cause::AskedDataInPublic);
        }
        c.replies += 1;
        c.acknowledged |= flags.acknowledges() && !flags.blame;
        let first_reply = c.first_reply_ms.is_none();
        if first_reply {
            c.first_reply_ms = Some(now);
            let waited_h = (now - c.arrived_ms) as f64 / MS_PER_HOUR;
            let gained = (c.anger - c.arrival_anger).max(0.0);
            c.grudge = (model.wait_grudge_per_hour * waited_h + model.wait_grudge_share * gained)
                .min(100.0);
        }
        let channel = c.channel;
        self.add_anger(id, delta);
        if first_reply {
            self.counters.answered += 1;
            if !private {
                self.later_answered[channel as usize].add(id as usize);
            }
        }
        if !causes.is_empty() {
            let anger = self.anger_u8(id);
            self.record(Event::Reaction {
                customer: id,
                causes,
                anger,
            });
        }
        if delta > 0.0 && self.disappointed_exit(id) {
            return;
        }
        self.stop_waiting(id);

        let c = &mut self.customers[id as usize];
        if c.stage.is_closed() {
            return;
        }
        let response = if c.account == Account::Corporate && flags.mentions_care && !private {
            c.rng.chance(0.85).then_some(Response::Redirect)
        } else if flags.asks_personal_data && private {
            Some(Response::GiveDetails { requested })
        } else if asks_in_public && !c.dm_open {
            Some(if c.rng.chance(posts_public) {
                Response::PublicData { requested }
            } else {
                Response::RefusePublicData
            })
        } else if flags.dm_invitation && !c.dm_open && !private {
            let mut p = willingness;
            if flags.explains_private && !copy {
                p += (1.0 - p) * 0.5;
            }
            if template_irritated {
                p *= 0.5;
            }
            if c.preempted && copy {
                p = 0.0;
            }
            Some(if c.rng.chance(p) {
                Response::OpenDm
            } else {
                Response::RefuseDm
            })
        } else if !needs_service && !flags.blame && matches!(c.stage, Stage::Open) {
            Some(Response::ResolvedByAnswer)
        } else if first && flags.acknowledges() && c.rng.chance(0.3) {
            Some(Response::Acknowledge)
        } else {
            None
        };
        match response {
            Some(response) => self.schedule_response(id, response),
            None => self.start_waiting(id),
        }
    }

    fn schedule_response(&mut self, id: u32, response: Response) {
        let range = self.scenario.model.response_delay_min;
        let c = &mut self.customers[id as usize];
        c.response_gen += 1;
        let generation = c.response_gen;
        let delay = minutes_to_ms(c.rng.uniform(range.min, range.max)).max(1000);
        self.schedule(
            self.now_ms + delay,
            Pending::Respond {
                customer: id,
                generation,
                response,
            },
        );
    }

    fn on_response(&mut self, id: u32, response: Response) {
        self.settle(id);
        let scenario = Arc::clone(&self.scenario);
        let texts = &scenario.texts;
        let needed = self.plan.kind_needed[self.customers[id as usize].kind];
        let spontaneous =
            self.scenario.personas[self.customers[id as usize].persona].spontaneous_details;
        if self.customers[id as usize].stage.is_closed() && response != Response::ThankPublicly {
            return;
        }
        match response {
            Response::Redirect => {
                self.customers[id as usize].account = Account::Care;
                self.record(Event::Redirected { customer: id });
                self.post(id, PostAct::Redirected, false, &texts.redirected, 0);
                self.start_waiting(id);
            }
            Response::GiveDetails { requested } => {
                self.post(
                    id,
                    PostAct::DmDetails,
                    true,
                    &texts.dm_details,
                    needed | requested,
                );
            }
            Response::PublicData { requested } => {
                self.post(
                    id,
                    PostAct::PublicData,
                    false,
                    &texts.public_data,
                    needed | requested,
                );
                let message = *self.customers[id as usize].messages.last().unwrap_or(&0);
                self.customers[id as usize].leaked_data = true;
                self.counters.privacy_leaks += 1;
                self.record(Event::PrivacyLeak {
                    customer: id,
                    message,
                });
            }
            Response::RefusePublicData => {
                self.add_anger(id, 5.0);
                self.post(
                    id,
                    PostAct::RefusePublicData,
                    false,
                    &texts.refuse_public_data,
                    0,
                );
            }
            Response::OpenDm => {
                self.customers[id as usize].dm_open = true;
                if self.customers[id as usize].rng.chance(spontaneous) {
                    self.post(id, PostAct::DmDetails, true, &texts.dm_details, needed);
                } else {
                    self.post(id, PostAct::DmOpen, true, &texts.dm_open, 0);
                }
            }
            Response::RefuseDm => {
                self.add_anger(id, 5.0);
                self.post(id, PostAct::DmRefuse, false, &texts.dm_refuse, 0);
            }
            Response::ResolvedByAnswer => self.resolve(id, None),
            Response::Acknowledge => {
                self.post(id, PostAct::Acknowledged, false, &texts.acknowledged, 0);
                self.start_waiting(id);
            }
            Response::ThankPublicly => {
                let c = &mut self.customers[id as usize];
                c.ambassador = true;
                self.counters.ambassadors += 1;
                self.record(Event::Ambassador { customer: id });
                self.post(id, PostAct::ThanksPublic, false, &texts.thanks_public, 0);
            }
            Response::Censored => {
                self.post(id, PostAct::Censored, false, &texts.censored, 0);
            }
        }
    }

    fn on_preempt(&mut self, id: u32) {
        let c = &mut self.customers[id as usize];
        if c.replies > 0 || c.stage.is_closed() {
            return;
        }
        c.preempted = true;
        let scenario = Arc::clone(&self.scenario);
        self.settle(id);
        self.post(
            id,
            PostAct::PreemptTemplate,
            false,
            &scenario.texts.preempt_template,
            0,
        );
    }

    fn transfer(
        &mut self,
        id: u32,
        service_id: &str,
        details: Vec<String>,
    ) -> Result<(), ActionError> {
        let c = self
            .customers
            .get(id as usize)
            .ok_or(ActionError::UnknownConversation(id))?;
        if c.stage.is_closed() {
            return Err(ActionError::CaseClosed(id));
        }
        if matches!(c.stage, Stage::Transferred { .. }) {
            return Err(ActionError::AlreadyTransferred(id));
        }
        let service = self
            .scenario
            .services
            .iter()
            .position(|s| s.id == service_id)
            .ok_or_else(|| ActionError::UnknownService(service_id.to_string()))?;
        let mut listed = 0u64;
        for detail in &details {
            let index = self
                .detail_index(detail)
                .ok_or_else(|| ActionError::UnknownDetail(detail.clone()))?;
            if c.provided & (1 << index) == 0 {
                return Err(ActionError::DetailNotCollected {
                    detail: detail.clone(),
                });
            }
            listed |= 1 << index;
        }
        let missing: Vec<String> = self
            .scenario
            .details
            .iter()
            .enumerate()
            .filter(|(i, _)| {
                self.plan.service_required[service] & (1 << i) != 0 && listed & (1 << i) == 0
            })
            .map(|(_, d)| d.id.clone())
            .collect();
        if !missing.is_empty() {
            return Err(ActionError::MissingDetails {
                service: service_id.to_string(),
                missing,
            });
        }
        self.stop_waiting(id);
        let range = self.scenario.services[service].resolution_min;
        let c = &mut self.customers[id as usize];
        c.stage = Stage::Transferred {
            service,
            details: listed,
        };
        c.response_gen += 1;
        let generation = c.response_gen;
        let delay = minutes_to_ms(c.rng.uniform(range.min, range.max)).max(1000);
        self.counters.transfers += 1;
        self.record(Event::Transfer {
            customer: id,
            service: service_id.to_string(),
            details,
        });
        self.schedule(
            self.now_ms + delay,
            Pending::ServiceDone {
                customer: id,
                generation,
            },
        );
        Ok(())
    }

    fn on_service_done(&mut self, id: u32, generation: u32) {
        let c = &self.customers[id as usize];
        let Stage::Transferred { service, details } = c.stage else {
            return;
        };
        if c.response_gen != generation {
            return;
        }
        let kind = c.kind;
        self.settle(id);
        let right_service = self.plan.kind_service[kind] == Some(service);
        let needed = self.plan.kind_needed[kind];
        if right_service && details & needed == needed {
            self.resolve(id, Some(service));
            return;
        }
        let reason = if right_service {
            BounceReason::MissingDetails
        } else {
            BounceReason::WrongService
        };
        let cause = if right_service {
            Cause::MissingDetails
        } else {
            Cause::WrongService
        };
        let bounce = self.scenario.model.bounce_anger;
        let c = &mut self.customers[id as usize];
        c.stage = Stage::Open;
        c.acknowledged = false;
        let private = c.dm_open;
        self.add_anger(id, bounce);
        self.counters.bounces += 1;
        let service_id = self.scenario.services[service].id.clone();
        let anger = self.anger_u8(id);
        self.record(Event::Bounced {
            customer: id,
            service: service_id,
            reason,
        });
        self.record(Event::Reaction {
            customer: id,
            causes: vec![cause],
            anger,
        });
        if self.disappointed_exit(id) {
            return;
        }
        let scenario = Arc::clone(&self.scenario);
        self.post(
            id,
            PostAct::BounceBack,
            private,
            &scenario.texts.bounce_back,
            0,
        );
    }

    /// A bad experience (a wrong service, a copy-paste, blame) can end the relationship at
    /// once, with the same hazard as a relaunch: answering fast with useless replies does not
    /// keep customers.
    fn disappointed_exit(&mut self, id: u32) -> bool {
        let hazard = self.scenario.model.disappointment_churn;
        let c = &mut self.customers[id as usize];
        let a = c.anger / 100.0;
        if c.stage.is_closed() || !c.rng.chance(hazard * a * a) {
            return false;
        }
        self.close(id, true);
        true
    }

    fn resolve(&mut self, id: u32, service: Option<usize>) {
        let scenario = Arc::clone(&self.scenario);
        let model = &scenario.model;
        self.stop_waiting(id);
        self.add_anger(id, -model.resolution_relief);
        let anger = self.anger_u8(id);
        let persona_thanks = self.scenario.personas[self.customers[id as usize].persona].thanks;
        let c = &mut self.customers[id as usize];
        c.stage = Stage::Resolved;
        self.counters.resolved += 1;
        let service = service.map(|s| self.scenario.services[s].id.clone());
        self.record(Event::Resolved {
            customer: id,
            service,
        });
        self.record(Event::Reaction {
            customer: id,
            causes: vec![Cause::Resolved],
            anger,
        });
        let c = &mut self.customers[id as usize];
        let p = model.thanks_probability * persona_thanks * (1.0 - c.anger / 100.0);
        if c.rng.chance(p) {
            self.schedule_response(id, Response::ThankPublicly);
        }
    }

    fn customer_message(&self, message: u32) -> Result<(&Message, u32), ActionError> {
        let m = self
            .messages
            .get(message as usize)
            .ok_or(ActionError::UnknownMessage(message))?;
        let author = m
            .customer
            .ok_or(ActionError::NotACustomerMessage(message))?;
        Ok((m, author))
    }

    fn hide(&mut self, message: u32) -> Result<(), ActionError> {
        let (m, author) = self.customer_message(message)?;
        if m.hidden {
            return Err(ActionError::AlreadyHidden(message));
        }
        // Hiding an insult or leaked personal data is moderation; hiding a complaint is censorship.
        let legitimate = matches!(m.act, Some(PostAct::Insult | PostAct::PublicData));
        self.messages[message as usize].hidden = true;
        self.record(Event::Hide { message });
        if !legitimate {
            self.settle(author);
            self.add_anger(author, self.scenario.model.hide_anger);
            let anger = self.anger_u8(author);
            self.record(Event::Reaction {
                customer: author,
                causes: vec![Cause::Hidden],
                anger,
            });
            let shame = self.scenario.personas[self.customers[author as usize].persona].shame;
            let c = &mut self.customers[author as usize];
            if !c.stage.is_closed() && c.rng.chance((shame + 0.3).min(1.0)) {
                self.schedule_response(author, Response::Censored);
            }
        }
        Ok(())
    }

    fn like(&mut self, message: u32) -> Result<(), ActionError> {
        let (m, author) = self.customer_message(message)?;
        if m.liked {
            return Err(ActionError::AlreadyLiked(message));
        }
        let complaint = m.act.is_some_and(|a| a.needs_answer());
        self.messages[message as usize].liked = true;
        self.record(Event::Like { message });
        if complaint {
            self.settle(author);
            self.add_anger(author, self.scenario.model.like_complaint_anger);
            let anger = self.anger_u8(author);
            self.record(Event::Reaction {
                customer: author,
                causes: vec![Cause::LikedComplaint],
                anger,
            });
        }
        Ok(())
    }

    // ----- samples -----

    fn on_sample(&mut self) {
        let now = self.now_ms;
        let mut waiting = 0;
        let mut anger_sum = 0.0;
        let mut active = 0;
        for c in &self.customers {
            if c.stage.is_closed() {
                continue;
            }
            active += 1;
            anger_sum += self.anger_at(c, now);
            if c.waiting_since.is_some() {
                waiting += 1;
            }
        }
        let mean_anger = if active > 0 {
            (anger_sum / active as f64).round() as u8
        } else {
            0
        };
        let counters = self.counters;
        let buzz = self.buzz_now().round() as u64;
        let reach = self.reach;
        self.record(Event::Sample {
            waiting,
            answered: counters.answered,
            churned: counters.churned,
            ambassadors: counters.ambassadors,
            mean_anger,
            buzz,
            reach,
        });
        let next = now + self.plan.sample_every_ms;
        if next < self.plan.duration_ms && !self.ended {
            self.schedule(next, Pending::Sample);
        }
    }
}

/// Adds the register's cues to a template written for any register.
fn decorate(text: String, register: Register, level: Level) -> String {
    match (register, level) {
        (Register::Teen, Level::Furious) => format!("{} 😡😡", text.to_uppercase()),
        (Register::Teen, Level::Annoyed) => format!("{text} 😤"),
        (Register::Teen, Level::Calm) => format!("{text} 🙂"),
        (Register::Familiar, Level::Furious) => format!("{text} !!!"),
        _ => text,
    }
}
