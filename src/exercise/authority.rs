//! The server's copy of an exercise, the one that decides: it owns the clock and the order of
//! the seats' actions. It is a pure function of its inputs (start, ticks, the people's actions,
//! pause, speed, end), which the server writes down one by one: replaying them after a restart
//! rebuilds the same exercise, scripted colleagues included.

use super::notes::{self, Author, Draft, Note};
use super::spec::{ExerciseSpec, SpecError};
use super::wire::{Acted, PROTOCOL, ServerMessage, Status, Welcome};
use crate::engine::action::Action;
use crate::engine::colleagues::ScriptedTeam;
use crate::engine::ids::SeatId;
use crate::engine::policy::{PolicyConfig, ScriptedTrainee};
use crate::engine::run::{action_of, header_for};
use crate::engine::transcript::{Header, JsonlWriter, sha256_hex};
use crate::engine::{ReplyAnalyser, Simulation};
use serde::{Deserialize, Serialize};
use std::io::Sink;
use std::sync::Arc;

/// What moves an exercise on, in the order the server took it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "input", rename_all = "snake_case")]
pub enum Input {
    Start,
    /// The clock reaches `t_ms`.
    Tick {
        t_ms: u64,
    },
    /// A person's action, made now by their seat.
    Act {
        seat: SeatId,
        #[serde(rename = "ref")]
        reference: u64,
        action: Action,
    },
    /// The facilitator's move: an inject, a post typed live (`Action::is_direction`).
    Direct {
        #[serde(rename = "ref")]
        reference: u64,
        action: Action,
    },
    /// A note of the facilitator's or an observer's.
    Note {
        author: Author,
        draft: Draft,
    },
    Pause,
    Resume,
    Speed {
        speed: u32,
    },
    End,
}

/// What an input gave: messages for every client, maybe an answer for the one who sent it,
/// and whether it changed the exercise (only those are written down).
#[derive(Debug, Default)]
pub struct Outcome {
    pub broadcast: Vec<ServerMessage>,
    pub to_sender: Option<ServerMessage>,
    pub changed: bool,
}

#[derive(Debug, thiserror::Error)]
pub enum ExerciseError {
    #[error(transparent)]
    Spec(#[from] SpecError),
    #[error("{0}")]
    Scenario(String),
}

pub struct Exercise {
    id: String,
    spec: ExerciseSpec,
    scenario_sha256: String,
    sim: Simulation,
    header: Header,
    team: Option<ScriptedTeam>,
    status: Status,
    speed: u32,
    /// Every action so far, for the clients who join late.
    acted: Vec<Acted>,
    notes: Vec<Note>,
    /// Records already looked through for the scripted colleagues' actions.
    scanned: usize,
    hasher: JsonlWriter<Sink>,
    hashed: usize,
}

impl Exercise {
    pub fn new(
        id: &str,
        spec: ExerciseSpec,
        analyser: Arc<dyn ReplyAnalyser>,
    ) -> Result<Exercise, ExerciseError> {
        spec.check()?;
        let pace = spec.pace()?;
        let sim = spec.simulation(analyser).map_err(ExerciseError::Scenario)?;
        let scenario_sha256 = sha256_hex(spec.scenario.as_bytes());
        let header = header_for(&sim, &spec.scenario_path, &scenario_sha256);
        let scripted: Vec<SeatId> = spec
            .seats
            .iter()
            .enumerate()
            .filter(|(_, s)| s.scripted)
            .map(|(i, _)| crate::engine::seats::id_of(i))
            .collect();
        let team = (!scripted.is_empty()).then(|| {
            let policy = PolicyConfig::new(pace, scripted.len() as u32);
            ScriptedTeam::for_seats(ScriptedTrainee::new(policy), &sim, &scripted)
        });
        let hasher = JsonlWriter::new(&header, std::io::sink())
            .map_err(|e| ExerciseError::Scenario(e.to_string()))?;
        let mut exercise = Exercise {
            id: id.to_string(),
            speed: spec.speed,
            spec,
            scenario_sha256,
            sim,
            header,
            team,
            status: Status::Waiting,
            acted: Vec::new(),
            notes: Vec::new(),
            scanned: 0,
            hasher,
            hashed: 0,
        };
        // What happens at the very start (a phase opening at 0) happens now, so that the
        // server and every replica are always past every event up to the clock.
        exercise.advance(0);
        Ok(exercise)
    }

    pub fn id(&self) -> &str {
        &self.id
    }
    pub fn spec(&self) -> &ExerciseSpec {
        &self.spec
    }
    pub fn sim(&self) -> &Simulation {
        &self.sim
    }
    pub fn header(&self) -> &Header {
        &self.header
    }
    pub fn status(&self) -> Status {
        self.status
    }
    pub fn speed(&self) -> u32 {
        self.speed
    }
    pub fn now_ms(&self) -> u64 {
        self.sim.now_ms()
    }
    pub fn actions(&self) -> &[Acted] {
        &self.acted
    }
    pub fn notes(&self) -> &[Note] {
        &self.notes
    }

    /// Applies one input. An input that cannot apply now (a tick while paused, an action
    /// after the end) changes nothing and says why to its sender.
    pub fn apply(&mut self, input: &Input) -> Outcome {
        match input {
            Input::Start => self.set_status(Status::Waiting, Status::Running),
            Input::Pause => self.set_status(Status::Running, Status::Paused),
            Input::Resume => self.set_status(Status::Paused, Status::Running),
            Input::End => {
                if self.status == Status::Ended {
                    return Outcome::default();
                }
                self.status = Status::Ended;
                Outcome {
                    broadcast: vec![self.state_message()],
                    changed: true,
                    ..Outcome::default()
                }
            }
            Input::Speed { speed } => {
                if !(1..=super::spec::MAX_SPEED).contains(speed)
                    || *speed == self.speed
                    || self.status == Status::Ended
                {
                    return Outcome::default();
                }
                self.speed = *speed;
                Outcome {
                    broadcast: vec![self.state_message()],
                    changed: true,
                    ..Outcome::default()
                }
            }
            Input::Tick { t_ms } => self.tick(*t_ms),
            Input::Act {
                seat,
                reference,
                action,
            } => self.act(Some(*seat), *reference, action.clone()),
            Input::Direct { reference, action } => self.act(None, *reference, action.clone()),
            Input::Note { author, draft } => self.note(*author, draft),
        }
    }

    fn note(&mut self, author: Author, draft: &Draft) -> Outcome {
        let seats = self.spec.seats.len();
        match notes::stamp(draft, author, seats, &self.sim, self.notes.len()) {
            Ok(note) => {
                self.notes.push(note);
                Outcome {
                    changed: true,
                    ..Outcome::default()
                }
            }
            Err((code, fr, en)) => Outcome {
                to_sender: Some(ServerMessage::Refused {
                    reference: 0,
                    code: code.into(),
                    fr,
                    en,
                }),
                ..Outcome::default()
            },
        }
    }

    fn set_status(&mut self, from: Status, to: Status) -> Outcome {
        if self.status != from {
            return Outcome::default();
        }
        self.status = to;
        Outcome {
            broadcast: vec![self.state_message()],
            changed: true,
            ..Outcome::default()
        }
    }

    pub fn state_message(&self) -> ServerMessage {
        ServerMessage::State {
            status: self.status,
            speed: self.speed,
        }
    }

    fn tick(&mut self, t_ms: u64) -> Outcome {
        if self.status != Status::Running || t_ms <= self.sim.now_ms() || self.sim.is_over() {
            return Outcome::default();
        }
        let mut broadcast = self.advance(t_ms);
        broadcast.push(ServerMessage::Tick {
            t_ms: self.sim.now_ms(),
        });
        if self.sim.is_over() {
            self.status = Status::Ended;
            broadcast.push(self.state_message());
        }
        Outcome {
            broadcast,
            to_sender: None,
            changed: true,
        }
    }

    /// Runs the simulation and the scripted colleagues to `t_ms`; returns their actions.
    fn advance(&mut self, t_ms: u64) -> Vec<ServerMessage> {
        match &mut self.team {
            Some(team) => team.advance_to(&mut self.sim, t_ms),
            None => self.sim.advance_to(t_ms),
        }
        let fresh = self.sim.records().get(self.scanned..).unwrap_or_default();
        let found: Vec<(u64, Option<SeatId>, Action)> = fresh
            .iter()
            .filter_map(|r| action_of(&r.event).map(|(seat, action)| (r.t_ms, seat, action)))
            .collect();
        self.scanned = self.sim.records().len();
        found
            .into_iter()
            .filter_map(|(t_ms, seat, action)| {
                // Only the scripted colleagues act here, each as their seat.
                let seat = seat?;
                Some(ServerMessage::Acted(self.push_acted(
                    t_ms,
                    Some(seat),
                    None,
                    action,
                )))
            })
            .collect()
    }

    fn push_acted(
        &mut self,
        t_ms: u64,
        seat: Option<SeatId>,
        reference: Option<u64>,
        action: Action,
    ) -> Acted {
        let acted = Acted {
            n: self.acted.len() as u64 + 1,
            t_ms,
            seat,
            reference,
            action,
        };
        self.acted.push(acted.clone());
        acted
    }

    /// A person's action: a seat's, or the facilitator's (`seat` none) move.
    fn act(&mut self, seat: Option<SeatId>, reference: u64, action: Action) -> Outcome {
        let refusal = |code: &str, fr: &str, en: &str| Outcome {
            to_sender: Some(ServerMessage::Refused {
                reference,
                code: code.into(),
                fr: fr.into(),
                en: en.into(),
            }),
            ..Outcome::default()
        };
        match self.status {
            Status::Running => {}
            Status::Waiting => {
                return refusal(
                    "not_started",
                    "L'exercice n'a pas encore commencé.",
                    "The exercise has not started yet.",
                );
            }
            Status::Paused => {
                return refusal(
                    "paused",
                    "L'exercice est en pause.",
                    "The exercise is paused.",
                );
            }
            Status::Ended => {
                return refusal(
                    "exercise_over",
                    "L'exercice est terminé.",
                    "The exercise is over.",
                );
            }
        }
        match seat {
            Some(seat) if self.spec.seats.get(seat.index()).is_none_or(|s| s.scripted) => {
                return refusal(
                    "not_a_person_seat",
                    "Ce poste est tenu par un collègue scripté.",
                    "A scripted colleague holds this seat.",
                );
            }
            None if !action.is_direction() => {
                return refusal(
                    "not_a_direction",
                    "L'animateur déclenche des événements et écrit à la place des clients ; il ne répond pas aux clients.",
                    "The facilitator fires injects and posts as customers; they do not answer customers.",
                );
            }
            _ => {}
        }
        // As a replica does before applying an action: every event due by now first (an
        // inject's post is due at the very time it is fired), then the action.
        self.sim.advance_to(self.sim.now_ms());
        let before = self.sim.records().len();
        let result = self.sim.act_as(seat, action.clone());
        let recorded = self.sim.records().len() > before;
        // What a person did is never taken for a scripted colleague's action.
        self.scanned = self.sim.records().len();
        let mut outcome = Outcome::default();
        if recorded {
            let t_ms = self.sim.now_ms();
            outcome.broadcast.push(ServerMessage::Acted(self.push_acted(
                t_ms,
                seat,
                Some(reference),
                action,
            )));
            outcome.changed = true;
        }
        if let Err(error) = result {
            outcome.to_sender = Some(ServerMessage::Refused {
                reference,
                code: error.code().into(),
                fr: error.message(crate::engine::Lang::Fr),
                en: error.message(crate::engine::Lang::En),
            });
        }
        outcome
    }

    /// The hash of the transcript so far, for every replica to compare with its own.
    pub fn hash_message(&mut self) -> ServerMessage {
        // Hashed once every event due by now is in, as a replica does on receiving it: a
        // refused action may have brought them in here and not there.
        self.sim.advance_to(self.sim.now_ms());
        let (records, sha256) = hash_records(&mut self.hasher, &mut self.hashed, &self.sim);
        ServerMessage::Hash {
            t_ms: self.sim.now_ms(),
            records,
            sha256,
        }
    }

    /// What a client joining now needs: the definition, every action so far, the clock.
    pub fn welcome(&self, seat: Option<SeatId>) -> Welcome {
        Welcome {
            protocol: PROTOCOL,
            exercise: self.id.clone(),
            seat,
            spec: self.spec.clone(),
            scenario_sha256: self.scenario_sha256.clone(),
            analyser: self.header.analyser.clone(),
            status: self.status,
            speed: self.speed,
            now_ms: self.sim.now_ms(),
            actions: self.acted.clone(),
        }
    }
}

/// Brings a running transcript hash up to the simulation's records; returns how many records
/// it covers and its SHA-256.
pub fn hash_records(
    hasher: &mut JsonlWriter<Sink>,
    hashed: &mut usize,
    sim: &Simulation,
) -> (u64, String) {
    for record in sim.records().get(*hashed..).unwrap_or_default() {
        // A sink cannot fail, and records encode.
        let _ = hasher.write(record);
    }
    *hashed = sim.records().len();
    (*hashed as u64, hasher.sha256_so_far())
}
