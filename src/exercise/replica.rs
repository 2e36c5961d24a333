//! A client's copy of an exercise: built from the `welcome`, moved on by the server's ticks
//! and actions exactly as the server moved its own, and checked against the server's hashes.

use super::authority::hash_records;
use super::wire::{Acted, PROTOCOL, ServerMessage, Status, Welcome};
use crate::engine::ids::SeatId;
use crate::engine::run::header_for;
use crate::engine::transcript::{Header, JsonlWriter, sha256_hex};
use crate::engine::{ReplyAnalyser, Simulation};
use std::io::Sink;
use std::sync::Arc;

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum ReplicaError {
    #[error("the server speaks protocol {0}, this client {PROTOCOL}")]
    Protocol(u32),
    #[error("the scenario received does not hash to what the server says")]
    ScenarioHash,
    #[error("the server scores with {server}, this build with {here}: update raleur")]
    Analyser { server: String, here: String },
    #[error("the scenario received is refused: {0}")]
    Scenario(String),
    #[error("action {got} arrived after action {had}: a message was lost")]
    Gap { had: u64, got: u64 },
    #[error("action {n} of the server is refused here ({code}): the replica has drifted")]
    Refused { n: u64, code: String },
    #[error("after {records} events the server's transcript hashes {server}, this one {here}")]
    Drift {
        records: u64,
        server: String,
        here: String,
    },
}

/// What a client keeps beside its simulation to follow the server: where it is in the
/// actions, the running hash, the exercise's status. A desk holds its own simulation and a
/// follower; a bot holds both in a [`Replica`].
pub struct Follower {
    pub exercise: String,
    pub seat: Option<SeatId>,
    pub status: Status,
    pub speed: u32,
    applied: u64,
    hasher: JsonlWriter<Sink>,
    hashed: usize,
    /// The server's hashes this replica matched.
    pub hashes_matched: u64,
}

/// A simulation kept in step with the server, and its header.
pub struct Replica {
    pub sim: Simulation,
    pub header: Header,
    pub follow: Follower,
}

/// What a message did to the replica, for the screen around it.
#[derive(Debug, PartialEq)]
pub enum Applied {
    Moved,
    Acted(Acted),
    Refused {
        reference: u64,
        code: String,
        fr: String,
        en: String,
    },
    Error {
        code: String,
        message: String,
    },
    Welcome,
}

impl Replica {
    pub fn from_welcome(
        welcome: &Welcome,
        analyser: Arc<dyn ReplyAnalyser>,
    ) -> Result<Replica, ReplicaError> {
        let (sim, header, follow) = Follower::start(welcome, analyser)?;
        Ok(Replica {
            sim,
            header,
            follow,
        })
    }

    pub fn apply(&mut self, message: &ServerMessage) -> Result<Applied, ReplicaError> {
        self.follow.apply(&mut self.sim, message)
    }

    /// The transcript hash so far (every record included).
    pub fn sha256(&mut self) -> String {
        self.follow.sha256(&self.sim)
    }
}

impl Follower {
    /// The simulation the welcome describes, brought to the server's clock, its header, and
    /// the follower to keep it in step.
    pub fn start(
        welcome: &Welcome,
        analyser: Arc<dyn ReplyAnalyser>,
    ) -> Result<(Simulation, Header, Follower), ReplicaError> {
        if welcome.protocol != PROTOCOL {
            return Err(ReplicaError::Protocol(welcome.protocol));
        }
        let spec = &welcome.spec;
        if sha256_hex(spec.scenario.as_bytes()) != welcome.scenario_sha256 {
            return Err(ReplicaError::ScenarioHash);
        }
        if analyser.id() != welcome.analyser {
            return Err(ReplicaError::Analyser {
                server: welcome.analyser.clone(),
                here: analyser.id(),
            });
        }
        let mut sim = spec.simulation(analyser).map_err(ReplicaError::Scenario)?;
        let header = header_for(&sim, &spec.scenario_path, &welcome.scenario_sha256);
        let hasher = JsonlWriter::new(&header, std::io::sink())
            .map_err(|e| ReplicaError::Scenario(e.to_string()))?;
        let mut follow = Follower {
            exercise: welcome.exercise.clone(),
            seat: welcome.seat,
            status: welcome.status,
            speed: welcome.speed,
            applied: 0,
            hasher,
            hashed: 0,
            hashes_matched: 0,
        };
        for acted in &welcome.actions {
            follow.apply_acted(&mut sim, acted)?;
        }
        sim.advance_to(welcome.now_ms);
        Ok((sim, header, follow))
    }

    /// Applies one message of the server. An error means the replica can no longer be
    /// trusted: the client joins again and rebuilds it.
    pub fn apply(
        &mut self,
        sim: &mut Simulation,
        message: &ServerMessage,
    ) -> Result<Applied, ReplicaError> {
        match message {
            ServerMessage::Tick { t_ms } => {
                sim.advance_to(*t_ms);
                Ok(Applied::Moved)
            }
            ServerMessage::Acted(acted) => {
                self.apply_acted(sim, acted)?;
                Ok(Applied::Acted(acted.clone()))
            }
            ServerMessage::Hash {
                t_ms,
                records,
                sha256,
            } => {
                sim.advance_to(*t_ms);
                let (here_records, here) = hash_records(&mut self.hasher, &mut self.hashed, sim);
                if here_records != *records || here != *sha256 {
                    return Err(ReplicaError::Drift {
                        records: *records,
                        server: sha256.clone(),
                        here: format!("{here} ({here_records} events)"),
                    });
                }
                self.hashes_matched += 1;
                Ok(Applied::Moved)
            }
            ServerMessage::State { status, speed } => {
                self.status = *status;
                self.speed = *speed;
                Ok(Applied::Moved)
            }
            ServerMessage::Refused {
                reference,
                code,
                fr,
                en,
            } => Ok(Applied::Refused {
                reference: *reference,
                code: code.clone(),
                fr: fr.clone(),
                en: en.clone(),
            }),
            ServerMessage::Error { code, message } => Ok(Applied::Error {
                code: code.clone(),
                message: message.clone(),
            }),
            // A second welcome comes only on a new connection, which builds a new replica.
            ServerMessage::Welcome(_) => Ok(Applied::Welcome),
        }
    }

    fn apply_acted(&mut self, sim: &mut Simulation, acted: &Acted) -> Result<(), ReplicaError> {
        if acted.n != self.applied + 1 {
            return Err(ReplicaError::Gap {
                had: self.applied,
                got: acted.n,
            });
        }
        sim.advance_to(acted.t_ms);
        let before = sim.records().len();
        let result = sim.act_as(acted.seat, acted.action.clone());
        // The server sends an action only if it left a record: accepted, or a collision.
        if let Err(error) = result
            && sim.records().len() == before
        {
            return Err(ReplicaError::Refused {
                n: acted.n,
                code: error.code().into(),
            });
        }
        self.applied = acted.n;
        Ok(())
    }

    /// The transcript hash so far (every record included).
    pub fn sha256(&mut self, sim: &Simulation) -> String {
        hash_records(&mut self.hasher, &mut self.hashed, sim).1
    }
}
