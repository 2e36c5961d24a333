//! The academy inside the console: recording a session into the academy's records as it is
//! played, and the trainee's progress through the curriculum on the start screen.

use super::i18n::{Texts, text};
use super::style;
use crate::academy::curriculum::{Curriculum, LevelCrowd, LevelMode};
use crate::academy::store::{NewSession, Recorder, SessionMode, SessionRow, Store};
use crate::academy::{LevelState, Progress, progress};
use crate::desk::error::DeskError;
use crate::engine::sim::Simulation;
use crate::engine::transcript::Header;
use crate::score::Scores;
use egui::{RichText, Ui};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// How much wall-clock time may pass between two writes of a session's new events: a crash
/// loses at most this much play.
pub const FLUSH_EVERY_MS: f64 = 2_000.0;

/// A session being written into the academy's records.
pub struct Recording {
    // A connection is not shared between threads; the lock makes the desk a Bevy resource.
    store: Mutex<Store>,
    recorder: Option<Recorder>,
    since_flush_ms: f64,
    /// Why the recording stopped, if it failed (the session goes on, unrecorded).
    pub error: Option<String>,
}

impl Recording {
    /// Opens the records (creating them on first use), registers the trainee if new, and
    /// starts the session with its header.
    pub fn start(
        db: &Path,
        trainee: &str,
        header: &Header,
        mode: SessionMode,
        player: &str,
    ) -> Result<Recording, DeskError> {
        let store = Store::open(db)?;
        store.add_trainee(trainee)?;
        let recorder = Recorder::start(
            &store,
            &NewSession {
                trainee,
                header,
                mode,
                player,
            },
        )?;
        Ok(Recording {
            store: Mutex::new(store),
            recorder: Some(recorder),
            since_flush_ms: 0.0,
            error: None,
        })
    }

    pub fn session(&self) -> Option<i64> {
        self.recorder.as_ref().map(Recorder::session)
    }

    /// Whether the session is still being written.
    pub fn is_open(&self) -> bool {
        self.recorder.is_some()
    }

    fn fail(&mut self, error: String) {
        self.recorder = None;
        self.error = Some(error);
    }

    /// Called every frame: writes the new events every [`FLUSH_EVERY_MS`].
    pub fn tick(&mut self, real_ms: f64, sim: &Simulation) {
        self.since_flush_ms += real_ms;
        if self.since_flush_ms >= FLUSH_EVERY_MS {
            self.since_flush_ms = 0.0;
            self.flush(sim);
        }
    }

    pub fn flush(&mut self, sim: &Simulation) {
        let Some(recorder) = self.recorder.as_mut() else {
            return;
        };
        let result = match self.store.lock() {
            Ok(mut store) => recorder
                .flush(&mut store, sim.records())
                .map_err(|e| e.to_string()),
            Err(_) => Err("the records' connection was poisoned".to_string()),
        };
        if let Err(error) = result {
            self.fail(error);
        }
    }

    /// Closes the session: complete with its scores, or abandoned (left before the end).
    pub fn close(&mut self, sim: &Simulation, scores: Option<&Scores>) {
        self.end(|recorder, store| match scores {
            Some(scores) => recorder.finish(store, sim.records(), scores),
            None => recorder.abandon(store, sim.records()),
        });
    }

    /// Ends the record with `how`, keeping the error if it fails.
    fn end(
        &mut self,
        how: impl FnOnce(Recorder, &mut Store) -> crate::academy::store::Result<String>,
    ) {
        let Some(recorder) = self.recorder.take() else {
            return;
        };
        let result = match self.store.lock() {
            Ok(mut store) => how(recorder, &mut store).map_err(|e| e.to_string()),
            Err(_) => Err("the records' connection was poisoned".to_string()),
        };
        if let Err(error) = result {
            self.error = Some(error);
        }
    }
}

impl Recording {
    /// Writes every event played and closes the session as abandoned with the reason: the
    /// console failed under it and is about to end.
    pub fn interrupt(&mut self, sim: &Simulation, reason: &str) {
        let reason: String = reason.chars().take(MAX_INTERRUPTION_CHARS).collect();
        self.end(|recorder, store| recorder.interrupt(store, sim.records(), Some(&reason)));
    }
}

/// The session recorded last, if an internal error of the console ended it.
fn last_interrupted(db: &Path) -> Option<SessionRow> {
    Store::open(db)
        .and_then(|store| store.latest_session())
        .ok()
        .flatten()
        .filter(|session| session.interruption.is_some())
}

/// The longest reason kept for an interrupted session (a panic message can be anything).
const MAX_INTERRUPTION_CHARS: usize = 500;

/// The curriculum and where the records are, for the start screen.
pub struct Course {
    pub curriculum: Curriculum,
    pub db: PathBuf,
    /// The progress shown, for the trainee name it was read for.
    cached: Option<(String, Result<Option<Progress>, String>)>,
    /// The last session recorded, when an internal error of the console ended it: the start
    /// screen says so.
    pub interrupted: Option<SessionRow>,
}

/// What the trainee asked of the course panel: prepare the next session.
pub struct NextSession {
    pub scenario_sha256: String,
    pub seed: u64,
    pub exam: bool,
    /// The level is played alone, at the crowd one person handles.
    pub solo: bool,
}

impl Course {
    pub fn new(curriculum: Curriculum, db: PathBuf) -> Course {
        let interrupted = last_interrupted(&db);
        Course {
            curriculum,
            db,
            cached: None,
            interrupted,
        }
    }

    /// Reads the records again (after a session).
    pub fn refresh(&mut self) {
        self.cached = None;
        self.interrupted = last_interrupted(&self.db);
    }

    /// The trainee's progress; `None` if they have no record yet.
    pub fn progress_of(&mut self, trainee: &str) -> &Result<Option<Progress>, String> {
        let trainee = trainee.trim();
        if self.cached.as_ref().is_none_or(|(name, _)| name != trainee) {
            let read = (|| {
                let store = Store::open(&self.db).map_err(|e| e.to_string())?;
                let Some(person) = store.trainee(trainee).map_err(|e| e.to_string())? else {
                    return Ok(None);
                };
                let sessions = store
                    .sessions(Some(&person.name))
                    .map_err(|e| e.to_string())?;
                Ok(Some(progress(&self.curriculum, &person.name, &sessions)))
            })();
            self.cached = Some((trainee.to_string(), read));
        }
        &self.cached.as_ref().expect("just filled").1
    }

    /// The progress panel of the start screen.
    pub fn ui(&mut self, ui: &mut Ui, texts: &Texts, trainee: &str) -> Option<NextSession> {
        let lang = texts.lang();
        ui.label(
            RichText::new(texts.t_with(
                "course-title",
                &[("course", text(self.curriculum.file.title.get(lang)))],
            ))
            .strong(),
        );
        if trainee.trim().is_empty() {
            ui.label(texts.t("course-enter-name"));
            return None;
        }
        let curriculum = self.curriculum.clone();
        let standing = match self.progress_of(trainee) {
            Err(error) => {
                ui.label(
                    RichText::new(
                        texts.t_with("course-unavailable", &[("error", text(error.clone()))]),
                    )
                    .color(style::BAD),
                );
                return None;
            }
            Ok(None) => {
                ui.label(texts.t("course-new-trainee"));
                progress(&curriculum, trainee.trim(), &[])
            }
            Ok(Some(standing)) => standing.clone(),
        };
        let mut chosen = None;
        for (level, state) in curriculum.levels.iter().zip(&standing.levels) {
            let key = match state.state {
                LevelState::Passed => "course-level-passed",
                LevelState::Current => "course-level-current",
                LevelState::Locked => "course-level-locked",
            };
            let mut line = texts.t_with(key, &[("level", text(level.title.get(lang)))]);
            if level.mode == LevelMode::Exam {
                line = format!("{line} · {}", texts.t("course-exam"));
            }
            let rich = RichText::new(line);
            ui.label(match state.state {
                LevelState::Passed => rich.color(style::GOOD),
                LevelState::Current => rich.strong(),
                LevelState::Locked => rich.weak(),
            });
            if state.state != LevelState::Current {
                continue;
            }
            for (entry, scenario) in level.scenarios.iter().zip(&state.scenarios) {
                if scenario.passed_by.is_some() {
                    continue;
                }
                let mut detail = texts.t_with(
                    "course-next",
                    &[
                        ("scenario", text(entry.scenario.title.get(lang))),
                        ("seed", text(scenario.next_seed.to_string())),
                    ],
                );
                if !scenario.shortfalls.is_empty() {
                    let lacks: Vec<String> = scenario
                        .shortfalls
                        .iter()
                        .map(|(c, got, need)| {
                            format!("{} {got}/{need}", texts.t(&format!("score-{}", c.id())))
                        })
                        .collect();
                    detail = format!(
                        "{detail}\n{}",
                        texts.t_with("course-best-lacks", &[("lacks", text(lacks.join(", ")))])
                    );
                }
                ui.label(detail);
                if ui.button(texts.t("course-prepare")).clicked() {
                    chosen = Some(NextSession {
                        scenario_sha256: entry.sha256.clone(),
                        seed: scenario.next_seed,
                        exam: level.mode == LevelMode::Exam,
                        solo: level.crowd == LevelCrowd::Solo,
                    });
                }
            }
        }
        if standing.passed_all() {
            ui.label(RichText::new(texts.t("course-complete")).color(style::GOOD));
        }
        chosen
    }
}
