//! Where a trainee stands in the curriculum, from their recorded sessions alone.
//!
//! A session counts for a level's scenario when it is complete, played on that exact scenario
//! file (same SHA-256) with one of the level's seeds, unscaled, in exam mode if the level is an
//! exam, and every competence reaches the level's threshold. A level is passed when each of its
//! scenarios has such a session; the first one (by id) is the one a passport counts.

use super::curriculum::{Curriculum, Level, LevelMode, LevelScenario};
use super::store::{SessionMode, SessionRow, SessionStatus};
use crate::score::Competence;
use serde::Serialize;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum LevelState {
    Passed,
    /// The first level not passed yet.
    Current,
    Locked,
}

#[derive(Clone, Debug, Serialize)]
pub struct ScenarioProgress {
    pub scenario_id: String,
    /// Complete sessions on this scenario that could count (right file, seed, mode).
    pub attempts: u32,
    /// The session that passed it, if any.
    pub passed_by: Option<i64>,
    /// The best eligible session (by overall score) and what it lacked.
    pub best: Option<i64>,
    pub shortfalls: Vec<(Competence, f64, f64)>,
    /// The seed the next attempt is played on.
    pub next_seed: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct LevelProgress {
    pub id: String,
    pub state: LevelState,
    pub scenarios: Vec<ScenarioProgress>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Progress {
    pub trainee: String,
    pub levels: Vec<LevelProgress>,
}

impl Progress {
    pub fn passed_all(&self) -> bool {
        self.levels.iter().all(|l| l.state == LevelState::Passed)
    }

    /// The first level not passed, and in it the first scenario not passed.
    pub fn next(&self) -> Option<(usize, usize)> {
        let level = self
            .levels
            .iter()
            .position(|l| l.state != LevelState::Passed)?;
        let scenario = self.levels[level]
            .scenarios
            .iter()
            .position(|s| s.passed_by.is_none())?;
        Some((level, scenario))
    }

    /// The sessions a passport counts, in curriculum order.
    pub fn counted_sessions(&self) -> Vec<i64> {
        self.levels
            .iter()
            .flat_map(|l| l.scenarios.iter().filter_map(|s| s.passed_by))
            .collect()
    }
}

/// Whether a session may count for this level's scenario (before looking at its scores).
pub fn eligible(level: &Level, scenario: &LevelScenario, session: &SessionRow) -> bool {
    session.status == SessionStatus::Complete
        && session.scenario_sha256 == scenario.sha256
        && scenario.seeds.contains(session.seed)
        && session.customers_target == scenario.customers_target(level.crowd)
        && (level.mode == LevelMode::Training || session.mode == SessionMode::Exam)
        && session.scores.is_some()
}

/// The key a level's scenario draws its seeds from, for a trainee's n-th attempt.
fn seed_key(
    curriculum: &Curriculum,
    level: &Level,
    scenario: &LevelScenario,
    trainee: &str,
    attempt: u32,
) -> String {
    format!(
        "{}/{}/{}/{}/{attempt}",
        curriculum.file.id, level.id, scenario.scenario.id, trainee
    )
}

pub fn progress(curriculum: &Curriculum, trainee: &str, sessions: &[SessionRow]) -> Progress {
    let mut levels = Vec::new();
    let mut current_seen = false;
    for level in &curriculum.levels {
        let scenarios: Vec<ScenarioProgress> = level
            .scenarios
            .iter()
            .map(|scenario| {
                let candidates: Vec<&SessionRow> = sessions
                    .iter()
                    .filter(|s| s.trainee == trainee && eligible(level, scenario, s))
                    .collect();
                let passed_by = candidates
                    .iter()
                    .find(|s| {
                        s.scores
                            .as_ref()
                            .is_some_and(|scores| level.pass.shortfalls(scores).is_empty())
                    })
                    .map(|s| s.id);
                let best = candidates.iter().max_by(|a, b| {
                    let overall = |s: &SessionRow| s.scores.as_ref().map_or(0.0, |x| x.overall);
                    overall(a).total_cmp(&overall(b)).then(b.id.cmp(&a.id))
                });
                let attempted = sessions
                    .iter()
                    .filter(|s| {
                        s.trainee == trainee
                            && s.scenario_sha256 == scenario.sha256
                            && scenario.seeds.contains(s.seed)
                    })
                    .count() as u32;
                ScenarioProgress {
                    scenario_id: scenario.scenario.id.clone(),
                    attempts: candidates.len() as u32,
                    passed_by,
                    best: best.map(|s| s.id),
                    shortfalls: best
                        .and_then(|s| s.scores.as_ref())
                        .map(|scores| level.pass.shortfalls(scores))
                        .unwrap_or_default(),
                    next_seed: scenario
                        .seeds
                        .pick(&seed_key(curriculum, level, scenario, trainee, attempted)),
                }
            })
            .collect();
        let passed = scenarios.iter().all(|s| s.passed_by.is_some());
        let state = if passed {
            LevelState::Passed
        } else if !current_seen {
            current_seen = true;
            LevelState::Current
        } else {
            LevelState::Locked
        };
        levels.push(LevelProgress {
            id: level.id.clone(),
            state,
            scenarios,
        });
    }
    Progress {
        trainee: trainee.to_string(),
        levels,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::academy::curriculum::LevelCrowd;

    #[test]
    fn a_level_played_alone_counts_only_sessions_at_the_crowd_one_person_handles() {
        let path =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("curricula/webconseiller.ron");
        let curriculum = Curriculum::load(&path).unwrap();
        let level = curriculum
            .levels
            .iter()
            .find(|l| l.crowd == LevelCrowd::Solo)
            .expect("the bundled curriculum has a level played alone");
        let scenario = &level.scenarios[0];
        let solo = scenario.customers_target(LevelCrowd::Solo);
        assert!(solo.is_some());
        let session = |customers_target| SessionRow {
            id: 1,
            trainee: "Camille".into(),
            scenario_id: scenario.scenario.id.clone(),
            scenario_sha256: scenario.sha256.clone(),
            seed: 1,
            mode: SessionMode::Training,
            player: "desk".into(),
            status: SessionStatus::Complete,
            started_at: String::new(),
            updated_at: String::new(),
            ended_at: None,
            events: 1,
            transcript_sha256: None,
            scores: Some(crate::score::Scores {
                overall: 90.0,
                speed: 90.0,
                civil: 90.0,
                technical: 90.0,
                contractual: 90.0,
                redirection: 90.0,
                outcomes: 90.0,
                tone: 70.0,
                answered_share: 100.0,
            }),
            customers_target,
            interruption: None,
        };
        assert!(eligible(level, scenario, &session(solo)));
        assert!(
            !eligible(level, scenario, &session(None)),
            "the team's crowd"
        );
        assert!(
            !eligible(level, scenario, &session(Some(7))),
            "any other crowd"
        );
        // A team level still counts its own crowd only.
        let team = &curriculum.levels[0];
        let entry = &team.scenarios[0];
        let row = SessionRow {
            scenario_sha256: entry.sha256.clone(),
            ..session(None)
        };
        assert!(eligible(team, entry, &row));
    }
}
