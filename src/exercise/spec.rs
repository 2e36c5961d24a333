//! What an exercise is: a scenario (its very text), a seed, a mode and its seats, some
//! played by people and the others by scripted colleagues at a chosen pace.

use crate::engine::policy::PolicyKind;
use crate::engine::scenario::Lang;
use crate::engine::seats::{self, Seat, SeatRole};
use crate::engine::{ReplyAnalyser, SessionConfig, Simulation};
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// The fastest an exercise may run: simulated seconds per second. People play at 1 to 8;
/// beyond is for demonstrations, tests and benchmarks with bots.
pub const MAX_SPEED: u32 = 1_024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExerciseSpec {
    /// Where the scenario came from, as the transcripts' header says it.
    pub scenario_path: String,
    /// The scenario's text: every replica parses these very bytes.
    pub scenario: String,
    pub seed: u64,
    pub lang: Lang,
    pub mode: ExerciseMode,
    #[serde(default)]
    pub customers_target: Option<u64>,
    pub seats: Vec<SeatSpec>,
    /// The scripted colleagues' pace: `human` (a person's) or any scripted team's name.
    pub scripted_pace: String,
    /// Simulated seconds per second when the exercise starts.
    pub speed: u32,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ExerciseMode {
    Training,
    Exam,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeatSpec {
    pub name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<SeatRole>,
    /// A scripted colleague plays the seat; nobody joins it.
    #[serde(default)]
    pub scripted: bool,
}

#[derive(Debug, thiserror::Error, PartialEq)]
pub enum SpecError {
    #[error("the seats: {0}")]
    Seats(String),
    #[error("no seat is left for a person: an exercise needs at least one")]
    NobodyPlays,
    #[error("unknown scripted pace {0:?}; choose human, expert, naive, slow or ignore")]
    UnknownPace(String),
    #[error("speed {0} is out of range; choose 1 to {MAX_SPEED}")]
    Speed(u32),
}

impl ExerciseSpec {
    /// Checks everything but the scenario (the simulation's construction checks that).
    pub fn check(&self) -> Result<(), SpecError> {
        seats::validate(&self.engine_seats()).map_err(|e| SpecError::Seats(e.to_string()))?;
        if self.seats.iter().all(|s| s.scripted) {
            return Err(SpecError::NobodyPlays);
        }
        self.pace()?;
        if !(1..=MAX_SPEED).contains(&self.speed) {
            return Err(SpecError::Speed(self.speed));
        }
        Ok(())
    }

    pub fn pace(&self) -> Result<PolicyKind, SpecError> {
        PolicyKind::parse(&self.scripted_pace)
            .ok_or_else(|| SpecError::UnknownPace(self.scripted_pace.clone()))
    }

    /// The seats as the engine and the transcripts know them.
    pub fn engine_seats(&self) -> Vec<Seat> {
        self.seats
            .iter()
            .map(|s| Seat {
                name: s.name.clone(),
                role: s.role,
            })
            .collect()
    }

    /// The exercise's simulation at its start, from the scenario's very text, with the seats;
    /// the error says what is wrong with the scenario or the session.
    pub fn simulation(&self, analyser: Arc<dyn ReplyAnalyser>) -> Result<Simulation, String> {
        let scenario = crate::engine::parse_scenario(&self.scenario, &self.scenario_path)
            .map_err(|errors| errors.first().map(ToString::to_string).unwrap_or_default())?;
        let session = SessionConfig {
            seed: self.seed,
            lang: self.lang,
            customers_target: self.customers_target,
        };
        Simulation::new(Arc::new(scenario), session, analyser)
            .and_then(|sim| sim.with_seats(self.engine_seats()))
            .map_err(|e| e.to_string())
    }

    /// The seats people play, in order.
    pub fn person_seats(&self) -> impl Iterator<Item = usize> + '_ {
        self.seats
            .iter()
            .enumerate()
            .filter(|(_, s)| !s.scripted)
            .map(|(i, _)| i)
    }
}
