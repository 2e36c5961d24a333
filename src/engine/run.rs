//! Headless sessions: a scripted team plays a scenario to the end; summaries; replays.

use super::action::Action;
use super::analysis::ReplyAnalyser;
pub use super::colleagues::ScriptedTeam;
use super::policy::{PolicyConfig, ScriptedTrainee};
use super::scenario::Scenario;
use super::seats::Seat;
use super::sim::{SessionConfig, SessionError, Simulation};
use super::transcript::{Event, FORMAT, Header, Record, write_jsonl};
use crate::engine::ids::SeatId;
use serde::Serialize;
use std::sync::Arc;

/// What a headless run needs besides the scenario.
pub struct RunSpec {
    pub session: SessionConfig,
    pub policy: PolicyConfig,
    pub scenario_path: String,
    pub scenario_sha256: String,
    pub analyser: Arc<dyn ReplyAnalyser>,
}

pub struct RunOutcome {
    pub sim: Simulation,
    pub header: Header,
    /// Actions the scripted team tried that the engine refused (a policy defect if not 0).
    pub rejected_actions: u32,
}

pub fn header_for(sim: &Simulation, scenario_path: &str, scenario_sha256: &str) -> Header {
    let config = sim.config();
    Header {
        format: FORMAT.into(),
        engine: env!("CARGO_PKG_VERSION").into(),
        scenario_id: sim.scenario().id.clone(),
        scenario_path: scenario_path.into(),
        scenario_sha256: scenario_sha256.into(),
        seed: config.seed,
        customers_target: config.customers_target,
        lang: config.lang,
        analyser: sim.analyser_id(),
        seats: sim.seats().to_vec(),
    }
}

/// Plays a whole session with a scripted team.
pub fn run(scenario: Arc<Scenario>, spec: RunSpec) -> Result<RunOutcome, SessionError> {
    let (mut sim, header, mut team) = start(scenario, spec, Vec::new())?;
    team.advance_to(&mut sim, u64::MAX);
    let rejected_actions = team.rejected;
    Ok(RunOutcome {
        sim,
        header,
        rejected_actions,
    })
}

/// Simulated time between two hand-outs of `run_handing_out`.
const HAND_OUT_EVERY_MS: u64 = 60_000;
/// Fewer records than this wait for the next hand-out (a batch's cost is in its records).
const HAND_OUT_AT_LEAST: usize = 2_048;

/// Plays a whole session with a scripted team like `run`, handing out the header, then the
/// records in order and in batches as the session makes them: the caller writes and reads
/// the transcript on another thread while it goes on. The outcome's simulation holds no
/// record. The session is the same as `run`'s, record for record.
pub fn run_handing_out(
    scenario: Arc<Scenario>,
    spec: RunSpec,
    hand_out: impl FnMut(TranscriptPart),
) -> Result<RunOutcome, SessionError> {
    run_team_handing_out(scenario, spec, Vec::new(), hand_out)
}

/// `run_handing_out` for a team session: scripted colleagues play every seat of `seats`
/// (one adviser a seat, in place of the policy's team; a lead stays idle). With no seats, the
/// solo session of `run_handing_out`.
pub fn run_team_handing_out(
    scenario: Arc<Scenario>,
    spec: RunSpec,
    seats: Vec<Seat>,
    mut hand_out: impl FnMut(TranscriptPart),
) -> Result<RunOutcome, SessionError> {
    let (mut sim, header, mut team) = start(scenario, spec, seats)?;
    hand_out(TranscriptPart::Header(header.clone()));
    let mut until_ms = 0;
    while !sim.is_over() && until_ms < sim.duration_ms() {
        until_ms += HAND_OUT_EVERY_MS;
        team.advance_to(&mut sim, until_ms);
        if sim.records().len() >= HAND_OUT_AT_LEAST {
            hand_out(TranscriptPart::Records(team.take_records(&mut sim)));
        }
    }
    team.advance_to(&mut sim, u64::MAX);
    hand_out(TranscriptPart::Records(team.take_records(&mut sim)));
    Ok(RunOutcome {
        sim,
        header,
        rejected_actions: team.rejected,
    })
}

/// A headless session at its start: the simulation, its header and the scripted team.
fn start(
    scenario: Arc<Scenario>,
    spec: RunSpec,
    seats: Vec<Seat>,
) -> Result<(Simulation, Header, ScriptedTeam), SessionError> {
    let sim = Simulation::new(scenario, spec.session, spec.analyser)?.with_seats(seats)?;
    let header = header_for(&sim, &spec.scenario_path, &spec.scenario_sha256);
    let trainee = ScriptedTrainee::new(spec.policy);
    let team = if sim.seats().is_empty() {
        ScriptedTeam::new(trainee)
    } else {
        let seats: Vec<SeatId> = (0..sim.seats().len()).map(super::seats::id_of).collect();
        ScriptedTeam::for_seats(trainee, &sim, &seats)
    };
    Ok((sim, header, team))
}

/// What `run_handing_out` hands out: the header first, then the records.
pub enum TranscriptPart {
    Header(Header),
    Records(Vec<Record>),
}

/// The figures of a session, as `raleur run --json` prints them.
#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct Summary {
    pub scenario: String,
    pub seed: u64,
    pub policy: String,
    pub customers: u32,
    pub messages: u32,
    pub events: u64,
    pub answered: u32,
    pub median_first_response_s: Option<f64>,
    pub churned: u32,
    pub abandoned: u32,
    pub ambassadors: u32,
    pub negative_actions: u32,
    pub escalated: u32,
    pub shamed: u32,
    pub resolved: u32,
    pub transfers: u32,
    pub bounces: u32,
    pub privacy_leaks: u32,
    /// Customers who pasted their details in public unasked, and how many of those posts
    /// the team hid.
    pub unasked_data: u32,
    pub unasked_data_hidden: u32,
    pub reshares: u64,
    pub reach: u64,
    pub peak_buzz: u64,
    pub rejected_actions: u32,
    pub transcript_sha256: String,
}

pub fn summarise(outcome: &RunOutcome, policy: &str) -> Summary {
    let transcript_sha256 =
        write_jsonl(&outcome.header, outcome.sim.records(), &mut std::io::sink())
            .unwrap_or_default();
    summarise_hashed(outcome, policy, transcript_sha256)
}

/// The summary of a run whose transcript was already written and hashed (`write_jsonl`).
pub fn summarise_hashed(outcome: &RunOutcome, policy: &str, transcript_sha256: String) -> Summary {
    let sim = &outcome.sim;
    let customers = sim.customers();
    let mut first_responses: Vec<u64> = customers
        .iter()
        .filter_map(|c| c.first_reply_ms.map(|t| t - c.arrived_ms))
        .collect();
    first_responses.sort_unstable();
    let median_first_response_s = match first_responses.len() {
        0 => None,
        n if n % 2 == 1 => Some(first_responses[n / 2] as f64 / 1000.0),
        n => Some((first_responses[n / 2 - 1] + first_responses[n / 2]) as f64 / 2000.0),
    };
    let counters = sim.counters();
    Summary {
        scenario: sim.scenario().id.clone(),
        seed: sim.config().seed,
        policy: policy.into(),
        customers: customers.len() as u32,
        messages: sim.messages().len() as u32,
        events: sim.record_count() as u64,
        answered: counters.answered,
        median_first_response_s,
        churned: counters.churned,
        abandoned: counters.abandoned,
        ambassadors: counters.ambassadors,
        negative_actions: customers.iter().filter(|c| c.negative()).count() as u32,
        escalated: customers.iter().filter(|c| c.escalated).count() as u32,
        shamed: customers.iter().filter(|c| c.shamed).count() as u32,
        resolved: counters.resolved,
        transfers: counters.transfers,
        bounces: counters.bounces,
        privacy_leaks: counters.privacy_leaks,
        unasked_data: counters.unasked_data,
        unasked_data_hidden: counters.unasked_data_hidden,
        reshares: counters.reshares,
        reach: sim.reach(),
        peak_buzz: sim.peak_buzz().round() as u64,
        rejected_actions: outcome.rejected_actions,
        transcript_sha256,
    }
}

/// Where a replay first parted from the recorded transcript.
#[derive(Debug)]
pub struct Divergence {
    /// 1-based line in the transcript file (the header is line 1).
    pub line: usize,
    pub expected: Option<Box<Record>>,
    pub got: Option<Box<Record>>,
    pub reason: String,
}

/// The trainee's action a transcript event records, if it is one, and the seat that made it
/// in a team session. A collision replays as the seat's claim, which is refused again.
pub fn action_of(event: &Event) -> Option<(Option<SeatId>, Action)> {
    match event {
        Event::Reply {
            customer,
            private,
            text,
            seat,
            ..
        } => Some((
            *seat,
            Action::Reply {
                customer: *customer,
                private: *private,
                text: text.clone(),
            },
        )),
        Event::Transfer {
            customer,
            service,
            details,
            seat,
        } => Some((
            *seat,
            Action::Transfer {
                customer: *customer,
                service: service.clone(),
                details: details.clone(),
            },
        )),
        Event::Statement {
            channel,
            text,
            seat,
            ..
        } => Some((
            *seat,
            Action::Publish {
                channel: *channel,
                text: text.clone(),
            },
        )),
        Event::Escalated { customer, to, seat } => Some((
            *seat,
            Action::Escalate {
                customer: *customer,
                to: *to,
            },
        )),
        Event::Hide { message, seat } => Some((*seat, Action::Hide { message: *message })),
        Event::Like { message, seat } => Some((*seat, Action::Like { message: *message })),
        Event::Claim { customer, seat } | Event::Collision { customer, seat, .. } => Some((
            Some(*seat),
            Action::Claim {
                customer: *customer,
            },
        )),
        Event::Release { customer, seat, .. } => Some((
            Some(*seat),
            Action::Release {
                customer: *customer,
            },
        )),
        Event::HandOver {
            customer, seat, to, ..
        } => Some((
            Some(*seat),
            Action::HandOver {
                customer: *customer,
                to: *to,
            },
        )),
        Event::Inject { inject, .. } => Some((
            None,
            Action::Inject {
                inject: inject.clone(),
            },
        )),
        Event::PostAs {
            persona,
            kind,
            channel,
            account,
            text,
        } => Some((
            None,
            Action::PostAs {
                persona: persona.clone(),
                kind: kind.clone(),
                channel: *channel,
                account: *account,
                text: text.clone(),
            },
        )),
        _ => None,
    }
}

/// Re-simulates a transcript from its scenario, seed and recorded actions, and checks that
/// every event comes out the same.
pub fn replay(
    scenario: Arc<Scenario>,
    analyser: Arc<dyn ReplyAnalyser>,
    header: &Header,
    records: &[Record],
) -> Result<(), Divergence> {
    if analyser.id() != header.analyser {
        return Err(Divergence {
            line: 1,
            expected: None,
            got: None,
            reason: format!(
                "the transcript was analysed by {:?}, this build has {:?}",
                header.analyser,
                analyser.id()
            ),
        });
    }
    let session = SessionConfig {
        seed: header.seed,
        lang: header.lang,
        customers_target: header.customers_target,
    };
    let mut sim = Simulation::new(scenario, session, analyser)
        .and_then(|sim| sim.with_seats(header.seats.clone()))
        .map_err(|reason| Divergence {
            line: 1,
            expected: None,
            got: None,
            reason: reason.to_string(),
        })?;
    for (index, record) in records.iter().enumerate() {
        let Some((seat, action)) = action_of(&record.event) else {
            continue;
        };
        sim.advance_to(record.t_ms);
        let collision = matches!(record.event, Event::Collision { .. });
        let refused = |reason: String| Divergence {
            line: index + 2,
            expected: Some(Box::new(record.clone())),
            got: None,
            reason,
        };
        match (sim.act_as(seat, action), collision) {
            (Ok(()), false) | (Err(_), true) => {}
            (Err(error), false) => {
                return Err(refused(format!(
                    "the recorded action is refused on replay: {error}"
                )));
            }
            (Ok(()), true) => {
                return Err(refused(
                    "the recorded collision does not happen on replay: the conversation is free"
                        .into(),
                ));
            }
        }
    }
    sim.finish();
    let got = sim.records();
    for index in 0..records.len().max(got.len()) {
        let (expected, actual) = (records.get(index), got.get(index));
        if expected != actual {
            return Err(Divergence {
                line: index + 2,
                expected: expected.cloned().map(Box::new),
                got: actual.cloned().map(Box::new),
                reason: "the re-simulated event differs".into(),
            });
        }
    }
    Ok(())
}
