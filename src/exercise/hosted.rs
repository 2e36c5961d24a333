//! An exercise as a server hosts it: the deciding copy, its codes, and its log on disk.
//! Every input goes through `input`, which applies it and writes it down before anything is
//! sent, so that a restarted server rebuilds exactly what the clients saw.

use super::authority::{Exercise, ExerciseError, Input, Outcome};
use super::codes;
use super::files::{self, ExerciseLog, FilesError, Saved};
use super::spec::ExerciseSpec;
use super::wire::Status;
use crate::engine::ReplyAnalyser;
use crate::engine::ids::SeatId;
use std::path::Path;
use std::sync::Arc;

/// Who a code says its bearer is, for one exercise.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    Facilitator,
    Observer,
    Seat(SeatId),
}

#[derive(Debug, thiserror::Error)]
pub enum HostError {
    #[error(transparent)]
    Exercise(#[from] ExerciseError),
    #[error(transparent)]
    Files(#[from] FilesError),
    #[error("the operating system's random generator failed: {0}")]
    Random(String),
}

pub struct Hosted {
    pub saved: Saved,
    pub exercise: Exercise,
    log: ExerciseLog,
    /// Simulated milliseconds owed to the clock, below one.
    carry_ms: f64,
}

impl Hosted {
    /// A new exercise under `root`, with fresh codes, written to disk.
    pub fn create(
        root: &Path,
        spec: ExerciseSpec,
        analyser: Arc<dyn ReplyAnalyser>,
    ) -> Result<Hosted, HostError> {
        let random = |e: getrandom::Error| HostError::Random(e.to_string());
        let id = codes::fresh_id().map_err(random)?;
        let exercise = Exercise::new(&id, spec.clone(), analyser)?;
        let seat_codes = spec
            .seats
            .iter()
            .map(|s| (!s.scripted).then(codes::fresh).transpose())
            .collect::<Result<Vec<_>, _>>()
            .map_err(random)?;
        let saved = Saved {
            id,
            spec,
            facilitator: codes::fresh().map_err(random)?,
            observer: codes::fresh().map_err(random)?,
            seat_codes,
            created: crate::academy::store::now_rfc3339(),
        };
        let log = files::create(root, &saved)?;
        Ok(Hosted {
            saved,
            exercise,
            log,
            carry_ms: 0.0,
        })
    }

    /// An exercise read back from disk, its inputs applied again in order.
    pub fn restore(
        loaded: files::Loaded,
        analyser: Arc<dyn ReplyAnalyser>,
    ) -> Result<Hosted, HostError> {
        let files::Loaded { saved, inputs, log } = loaded;
        let mut exercise = Exercise::new(&saved.id, saved.spec.clone(), analyser)?;
        for input in &inputs {
            exercise.apply(input);
        }
        Ok(Hosted {
            saved,
            exercise,
            log,
            carry_ms: 0.0,
        })
    }

    /// Applies an input and, if it changed the exercise, writes it down. Should the write
    /// fail, the exercise is ended (its state on disk would no longer match) and the error
    /// returned.
    pub fn input(&mut self, input: &Input) -> Result<Outcome, HostError> {
        let outcome = self.exercise.apply(input);
        if outcome.changed
            && let Err(error) = self.log.append(input)
        {
            self.exercise.apply(&Input::End);
            let _ = self.log.append(&Input::End);
            return Err(error.into());
        }
        Ok(outcome)
    }

    /// The tick that `real_ms` of wall-clock time brings, at the exercise's speed, if it runs.
    pub fn clock(&mut self, real_ms: f64) -> Option<Input> {
        if self.exercise.status() != Status::Running || !real_ms.is_finite() || real_ms <= 0.0 {
            return None;
        }
        // A server stalled for seconds does not skip minutes of the crisis.
        let total = self.carry_ms + real_ms.min(1_000.0) * self.exercise.speed() as f64;
        let whole = total.floor();
        self.carry_ms = total - whole;
        (whole >= 1.0).then(|| Input::Tick {
            t_ms: self.exercise.now_ms() + whole as u64,
        })
    }

    /// Who bears `code` here; every code of the exercise is compared, in constant time.
    pub fn who(&self, code: &str) -> Option<Role> {
        let mut all: Vec<&str> = vec![&self.saved.facilitator, &self.saved.observer];
        let seats: Vec<(usize, &str)> = self
            .saved
            .seat_codes
            .iter()
            .enumerate()
            .filter_map(|(i, c)| c.as_deref().map(|c| (i, c)))
            .collect();
        all.extend(seats.iter().map(|(_, c)| *c));
        match codes::find(code, &all)? {
            0 => Some(Role::Facilitator),
            1 => Some(Role::Observer),
            n => seats
                .get(n - 2)
                .map(|(i, _)| Role::Seat(crate::engine::seats::id_of(*i))),
        }
    }
}
