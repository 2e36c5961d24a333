//! Each person's seat of an exercise written into the academy's records as it is played, as
//! the desk writes a solo session: one session a seat, under the seat's name, the team's
//! transcript with its seats, flushed every few seconds, closed with the scores at the end.
//! The sessions' ids are kept beside the exercise, so that a restarted server goes on
//! writing the same sessions.

use super::ServeOptions;
use crate::academy::store::{NewSession, Recorder, SessionMode, Store};
use crate::exercise::authority::Exercise;
use crate::exercise::hosted::Hosted;
use crate::exercise::spec::ExerciseMode;
use crate::exercise::wire::Status;
use crate::tone::ToneAnalyser;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

/// Wall-clock time between two writes: a crash of the server loses no more than this of the
/// records (the exercise itself loses nothing: its inputs are on disk at once).
const FLUSH_EVERY_MS: f64 = 2_000.0;

pub struct SeatRecords {
    store: Option<Store>,
    analyser: Arc<ToneAnalyser>,
    /// Where the sessions' ids are kept.
    ids_path: PathBuf,
    recorders: BTreeMap<usize, Recorder>,
    started: bool,
    since_flush_ms: f64,
}

impl SeatRecords {
    /// The records of an exercise: resumed if it was being recorded, else started when it is.
    pub fn resume(options: &ServeOptions, hosted: &Hosted) -> SeatRecords {
        let ids_path = options
            .data
            .join("exercises")
            .join(&hosted.saved.id)
            .join("records.json");
        let store = options
            .records
            .as_ref()
            .and_then(|db| match Store::open(db) {
                Ok(store) => Some(store),
                Err(error) => {
                    eprintln!("raleur serve: the academy's records cannot be opened: {error}");
                    None
                }
            });
        let analyser = Arc::new(ToneAnalyser::bundled());
        let mut records = SeatRecords {
            store,
            analyser,
            ids_path,
            recorders: BTreeMap::new(),
            started: false,
            since_flush_ms: 0.0,
        };
        let ids: BTreeMap<usize, i64> = std::fs::read(&records.ids_path)
            .ok()
            .and_then(|bytes| serde_json::from_slice(&bytes).ok())
            .unwrap_or_default();
        records.started = !ids.is_empty();
        let ended = hosted.exercise.status() == Status::Ended;
        if let Some(store) = records.store.as_ref().filter(|_| !ended) {
            for (seat, session) in ids {
                match Recorder::resume(store, session) {
                    Ok(recorder) => {
                        records.recorders.insert(seat, recorder);
                    }
                    Err(error) => eprintln!("raleur serve: session {session}: {error}"),
                }
            }
        }
        records.follow(&hosted.exercise);
        records
    }

    /// Starts the seats' sessions when the exercise starts, closes them when it ends.
    pub fn follow(&mut self, exercise: &Exercise) {
        match exercise.status() {
            Status::Waiting => {}
            Status::Running | Status::Paused if !self.started => self.start(exercise),
            Status::Running | Status::Paused => {}
            Status::Ended => {
                if !self.started {
                    return;
                }
                self.close(exercise);
            }
        }
    }

    fn start(&mut self, exercise: &Exercise) {
        self.started = true;
        let Some(store) = &self.store else {
            return;
        };
        let spec = exercise.spec();
        let mode = match spec.mode {
            ExerciseMode::Training => SessionMode::Training,
            ExerciseMode::Exam => SessionMode::Exam,
        };
        let people: Vec<usize> = spec.person_seats().collect();
        for &seat in &people {
            let name = &spec.seats[seat].name;
            let player = format!(
                "serve:{}:seat-{}-of-{}",
                exercise.id(),
                seat + 1,
                spec.seats.len()
            );
            let started = store.add_trainee(name).and_then(|_| {
                Recorder::start(
                    store,
                    &NewSession {
                        trainee: name,
                        header: exercise.header(),
                        mode,
                        player: &player,
                    },
                )
            });
            match started {
                Ok(recorder) => {
                    self.recorders.insert(seat, recorder);
                }
                Err(error) => eprintln!("raleur serve: seat {name:?} is not recorded: {error}"),
            }
        }
        let ids: BTreeMap<usize, i64> = self
            .recorders
            .iter()
            .map(|(seat, r)| (*seat, r.session()))
            .collect();
        if let Ok(bytes) = serde_json::to_vec(&ids)
            && let Err(error) = std::fs::write(&self.ids_path, bytes)
        {
            eprintln!("raleur serve: {}: {error}", self.ids_path.display());
        }
    }

    /// Called on every clock tick: writes the new events every [`FLUSH_EVERY_MS`].
    pub fn tick(&mut self, real_ms: f64, exercise: &Exercise) {
        self.since_flush_ms += real_ms;
        if self.since_flush_ms >= FLUSH_EVERY_MS {
            self.since_flush_ms = 0.0;
            self.flush(exercise);
        }
    }

    pub fn flush(&mut self, exercise: &Exercise) {
        let Some(store) = &mut self.store else {
            return;
        };
        let records = exercise.sim().records();
        self.recorders
            .retain(|seat, recorder| match recorder.flush(store, records) {
                Ok(()) => true,
                Err(error) => {
                    eprintln!("raleur serve: seat {seat} is no longer recorded: {error}");
                    false
                }
            });
    }

    /// Closes every seat's session: complete with the scores if the crisis ran to its end,
    /// else abandoned with what was played.
    fn close(&mut self, exercise: &Exercise) {
        let Some(store) = &mut self.store else {
            return;
        };
        let sim = exercise.sim();
        let scores = sim.is_over().then(|| {
            crate::score::score(
                &crate::score::ScoringSpec::bundled(),
                &*self.analyser,
                sim.scenario(),
                exercise.header(),
                sim.records(),
            )
            .scores
        });
        for (seat, recorder) in std::mem::take(&mut self.recorders) {
            let closed = match &scores {
                Some(scores) => recorder.finish(store, sim.records(), scores),
                None => recorder.abandon(store, sim.records()),
            };
            if let Err(error) = closed {
                eprintln!("raleur serve: seat {seat}'s session cannot be closed: {error}");
            }
        }
    }
}
