//! Headless recorded sessions: a scripted team plays the trainee's next curriculum session and
//! every event goes into the academy's records as it happens.

use super::curriculum::{Curriculum, LevelMode};
use super::progress::progress;
use super::store::{NewSession, Recorder, SessionMode, Store};
use crate::engine::policy::{PolicyConfig, PolicyKind, ScriptedTrainee};
use crate::engine::run::{ScriptedTeam, header_for};
use crate::engine::scenario::Lang;
use crate::engine::sim::{SessionConfig, Simulation};
use crate::score::{Scores, ScoringSpec, score};
use crate::tone::ToneAnalyser;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// How often a paced session writes its new events.
pub const FLUSH_EVERY: Duration = Duration::from_secs(1);

pub struct PlayOptions {
    pub policy: PolicyKind,
    pub lang: Lang,
    /// Simulated seconds per wall-clock second; none plays as fast as the machine goes.
    pub pace: Option<f64>,
}

#[derive(Debug)]
pub struct Played {
    pub session: i64,
    pub level: String,
    pub scenario: String,
    pub seed: u64,
    pub scores: Scores,
    pub passed: bool,
    pub transcript_sha256: String,
}

/// Plays the trainee's next session of the curriculum (the first scenario not passed in the
/// first level not passed). `Ok(None)` when every level is passed.
pub fn play_next(
    store: &mut Store,
    curriculum: &Curriculum,
    trainee: &str,
    options: &PlayOptions,
) -> Result<Option<Played>, String> {
    let sessions = store.sessions(Some(trainee)).map_err(|e| e.to_string())?;
    let standing = progress(curriculum, trainee, &sessions);
    let Some((l, s)) = standing.next() else {
        return Ok(None);
    };
    let level = &curriculum.levels[l];
    let entry = &level.scenarios[s];
    let seed = standing.levels[l].scenarios[s].next_seed;
    let analyser = Arc::new(ToneAnalyser::bundled());
    let mut sim = Simulation::new(
        entry.scenario.clone(),
        SessionConfig {
            seed,
            lang: options.lang,
            customers_target: entry.customers_target(level.crowd),
        },
        analyser.clone(),
    )
    .map_err(|e| e.to_string())?;
    let header = header_for(&sim, &entry.path.display().to_string(), &entry.sha256);
    let mode = match level.mode {
        LevelMode::Exam => SessionMode::Exam,
        LevelMode::Training => SessionMode::Training,
    };
    let player = format!("policy:{}", options.policy.name());
    let mut recorder = Recorder::start(
        store,
        &NewSession {
            trainee,
            header: &header,
            mode,
            player: &player,
        },
    )
    .map_err(|e| e.to_string())?;
    let mut team = ScriptedTeam::new(ScriptedTrainee::new(PolicyConfig::new(
        options.policy,
        entry.advisers(level.crowd),
    )));
    match options.pace {
        None => team.advance_to(&mut sim, u64::MAX),
        Some(pace) => {
            let started = Instant::now();
            let mut flushed = Instant::now();
            while !sim.is_over() {
                std::thread::sleep(Duration::from_millis(50));
                let target = (started.elapsed().as_secs_f64() * pace * 1000.0) as u64;
                let end_ms = sim.duration_ms();
                team.advance_to(&mut sim, target.min(end_ms));
                if flushed.elapsed() >= FLUSH_EVERY {
                    recorder
                        .flush(store, sim.records())
                        .map_err(|e| e.to_string())?;
                    flushed = Instant::now();
                }
            }
            team.advance_to(&mut sim, u64::MAX);
        }
    }
    sim.finish();
    let spec = ScoringSpec::bundled();
    let debrief = score(&spec, &analyser, &entry.scenario, &header, sim.records());
    let scores = debrief.scores;
    let passed = level.pass.shortfalls(&scores).is_empty();
    let session = recorder.session();
    let transcript_sha256 = recorder
        .finish(store, sim.records(), &scores)
        .map_err(|e| e.to_string())?;
    Ok(Some(Played {
        session,
        level: level.id.clone(),
        scenario: entry.scenario.id.clone(),
        seed,
        scores,
        passed,
        transcript_sha256,
    }))
}
