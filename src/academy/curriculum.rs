//! The curriculum: levels of scenarios, the seeds each may be played on, and the scores each
//! competence must reach. Read from RON (format: `docs/academy.md`); every fault is reported
//! as `file:line:col: message`, scenario faults with the scenario's own file.

use crate::engine::load::{ScenarioError, locate_paths, nearest_position};
use crate::engine::load_scenario;
use crate::engine::scenario::{Scenario, Text};
use crate::engine::transcript::sha256_hex;
use crate::score::{Competence, Scores};
use serde::Deserialize;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The largest curriculum file read (a curriculum is a few kilobytes).
const MAX_FILE_BYTES: u64 = 1 << 20;

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CurriculumFile {
    pub id: String,
    pub title: Text,
    pub description: Text,
    pub passport: PassportSpec,
    pub levels: Vec<LevelFile>,
}

/// What the passport says about the academy and the achievement.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PassportSpec {
    /// The academy issuing the passport, as the issuer's name.
    pub issuer_name: String,
    pub name: Text,
    pub description: Text,
    /// How long a passport stays valid after it is issued; none: no end.
    #[serde(default)]
    pub valid_days: Option<u32>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelFile {
    pub id: String,
    pub title: Text,
    #[serde(default)]
    pub mode: LevelMode,
    #[serde(default)]
    pub crowd: LevelCrowd,
    pub scenarios: Vec<LevelScenarioFile>,
    pub pass: Thresholds,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LevelScenarioFile {
    /// Relative to the curriculum file.
    pub path: String,
    pub seeds: Seeds,
}

/// Whom a level's sessions are sized for.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
pub enum LevelCrowd {
    /// The scenario's own crowd, for its team.
    #[default]
    Team,
    /// The crowd one person handles (the scenario's `solo_customers_per_hour`): levels a
    /// trainee plays alone.
    Solo,
}

/// The mode a level's sessions must be played in.
#[derive(Clone, Copy, Debug, Default, Deserialize, PartialEq, Eq)]
pub enum LevelMode {
    /// Either mode counts.
    #[default]
    Training,
    /// Only sessions in exam mode (no anger gauge, no hints) count.
    Exam,
}

/// The seeds a scenario may be played on for the level to count.
#[derive(Clone, Debug, Deserialize, PartialEq, Eq)]
pub enum Seeds {
    List(Vec<u64>),
    /// From the first to the last seed, both included.
    Range(u64, u64),
}

impl Seeds {
    pub fn contains(&self, seed: u64) -> bool {
        match self {
            Seeds::List(seeds) => seeds.contains(&seed),
            Seeds::Range(first, last) => (*first..=*last).contains(&seed),
        }
    }

    /// A seed of the set, chosen by `key` (a trainee and an attempt): each attempt gets its own
    /// crisis, and the same attempt always the same one.
    pub fn pick(&self, key: &str) -> u64 {
        let digest = sha256_hex(key.as_bytes());
        let draw = u64::from_str_radix(&digest[..16], 16).unwrap_or(0);
        match self {
            Seeds::List(seeds) => seeds[(draw % seeds.len().max(1) as u64) as usize],
            Seeds::Range(first, last) => {
                let span = u128::from(*last - *first) + 1;
                *first + (u128::from(draw) % span) as u64
            }
        }
    }

    fn overlaps(&self, other: &Seeds) -> bool {
        match (self, other) {
            (Seeds::Range(a0, a1), Seeds::Range(b0, b1)) => a0 <= b1 && b0 <= a1,
            (Seeds::List(list), set) | (set, Seeds::List(list)) => {
                list.iter().any(|s| set.contains(*s))
            }
        }
    }
}

/// The least score (0-100) each competence must reach.
#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Thresholds {
    pub civil: f64,
    pub technical: f64,
    pub contractual: f64,
    pub speed: f64,
    pub redirection: f64,
}

impl Thresholds {
    pub fn of(&self, competence: Competence) -> f64 {
        match competence {
            Competence::Speed => self.speed,
            Competence::Civil => self.civil,
            Competence::Technical => self.technical,
            Competence::Contractual => self.contractual,
            Competence::Redirection => self.redirection,
        }
    }

    /// The competences below their threshold, with the score and what was needed.
    pub fn shortfalls(&self, scores: &Scores) -> Vec<(Competence, f64, f64)> {
        Competence::ALL
            .into_iter()
            .filter(|c| scores.of(*c) < self.of(*c))
            .map(|c| (c, scores.of(c), self.of(c)))
            .collect()
    }
}

/// A curriculum with its scenarios loaded and fingerprinted.
#[derive(Clone, Debug)]
pub struct Curriculum {
    pub file: CurriculumFile,
    pub path: PathBuf,
    pub sha256: String,
    pub levels: Vec<Level>,
}

#[derive(Clone, Debug)]
pub struct Level {
    pub id: String,
    pub title: Text,
    pub mode: LevelMode,
    pub crowd: LevelCrowd,
    pub pass: Thresholds,
    pub scenarios: Vec<LevelScenario>,
}

#[derive(Clone, Debug)]
pub struct LevelScenario {
    pub path: PathBuf,
    pub sha256: String,
    pub seeds: Seeds,
    pub scenario: Arc<Scenario>,
}

impl LevelScenario {
    /// The crowd a session must be played with to count: None for the scenario's own.
    pub fn customers_target(&self, crowd: LevelCrowd) -> Option<u64> {
        match crowd {
            LevelCrowd::Team => None,
            LevelCrowd::Solo => self.scenario.crowd_for(1),
        }
    }

    /// The advisers a scripted team plays the level with.
    pub fn advisers(&self, crowd: LevelCrowd) -> u32 {
        match crowd {
            LevelCrowd::Team => self.scenario.team_size,
            LevelCrowd::Solo => 1,
        }
    }
}

/// Where the bundled curriculum is: `RALEUR_CURRICULUM`, else `curricula/webconseiller.ron`
/// under the working directory, else in the source tree.
pub fn default_path() -> PathBuf {
    if let Some(path) = std::env::var_os("RALEUR_CURRICULUM") {
        return PathBuf::from(path);
    }
    let here = PathBuf::from("curricula/webconseiller.ron");
    if here.is_file() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("curricula/webconseiller.ron")
}

impl Curriculum {
    /// Reads, checks and loads a curriculum and every scenario it names.
    pub fn load(path: &Path) -> Result<Curriculum, Vec<ScenarioError>> {
        let file = path.display().to_string();
        let at = |line: usize, col: usize, message: String| ScenarioError {
            file: file.clone(),
            line,
            col,
            message,
        };
        let size = std::fs::metadata(path)
            .map_err(|e| vec![at(1, 1, format!("cannot read: {e}"))])?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(vec![at(
                1,
                1,
                format!("file is {size} bytes; a curriculum may hold at most {MAX_FILE_BYTES}"),
            )]);
        }
        let bytes = std::fs::read(path).map_err(|e| vec![at(1, 1, format!("cannot read: {e}"))])?;
        let source =
            String::from_utf8(bytes).map_err(|_| vec![at(1, 1, "not valid UTF-8".into())])?;
        let options = ron::Options::default()
            .with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
        let parsed: CurriculumFile = options.from_str(&source).map_err(|e| {
            vec![at(
                e.span.start.line.max(1),
                e.span.start.col.max(1),
                e.code.to_string(),
            )]
        })?;
        let positions = locate_paths(&source);
        let place = |path: &str, message: String| {
            let (line, col) = nearest_position(&positions, path);
            at(line, col, format!("{path}: {message}"))
        };
        let mut errors = check(&parsed)
            .into_iter()
            .map(|(path, message)| place(&path, message))
            .collect::<Vec<_>>();
        let base = path.parent().unwrap_or(Path::new("."));
        let mut levels = Vec::new();
        for (l, level) in parsed.levels.iter().enumerate() {
            let mut scenarios = Vec::new();
            for (s, entry) in level.scenarios.iter().enumerate() {
                let scenario_path = base.join(&entry.path);
                match load_scenario(&scenario_path) {
                    Ok(loaded) => scenarios.push(LevelScenario {
                        path: scenario_path,
                        sha256: loaded.sha256,
                        seeds: entry.seeds.clone(),
                        scenario: Arc::new(loaded.scenario),
                    }),
                    Err(faults) => {
                        errors.push(place(
                            &format!("levels[{l}].scenarios[{s}].path"),
                            format!("scenario {} does not load", entry.path),
                        ));
                        errors.extend(faults);
                    }
                }
            }
            levels.push(Level {
                id: level.id.clone(),
                title: level.title.clone(),
                mode: level.mode,
                crowd: level.crowd,
                pass: level.pass.clone(),
                scenarios,
            });
        }
        for (path, message) in solo_faults(&levels) {
            errors.push(place(&path, message));
        }
        // The same scenario in two levels must not share a seed, or one session would count twice.
        for (a, level_a) in levels.iter().enumerate() {
            for (b, level_b) in levels.iter().enumerate().skip(a + 1) {
                for (s, sa) in level_a.scenarios.iter().enumerate() {
                    for sb in &level_b.scenarios {
                        if sa.sha256 == sb.sha256 && sa.seeds.overlaps(&sb.seeds) {
                            errors.push(place(
                                &format!("levels[{b}].scenarios"),
                                format!(
                                    "{} is also in level {:?} (levels[{a}].scenarios[{s}]) with overlapping seeds; one session would count for both",
                                    sb.scenario.id, level_a.id
                                ),
                            ));
                        }
                    }
                }
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        Ok(Curriculum {
            file: parsed,
            path: path.to_path_buf(),
            sha256: sha256_hex(source.as_bytes()),
            levels,
        })
    }

    pub fn level(&self, id: &str) -> Option<&Level> {
        self.levels.iter().find(|l| l.id == id)
    }
}

/// Faults that need no scenario loaded, as (path, message).
fn check(file: &CurriculumFile) -> Vec<(String, String)> {
    let mut faults = Vec::new();
    let mut fault = |path: String, message: &str| faults.push((path, message.to_string()));
    if !is_identifier(&file.id) {
        fault("id".into(), "use 1 to 64 of a-z, 0-9, '-' and '_'");
    }
    for (path, text) in [
        ("title", &file.title),
        ("description", &file.description),
        ("passport.name", &file.passport.name),
        ("passport.description", &file.passport.description),
    ] {
        if text.fr.trim().is_empty() || text.en.trim().is_empty() {
            fault(path.into(), "needs a French and an English text");
        }
    }
    if file.passport.issuer_name.trim().is_empty() {
        fault("passport.issuer_name".into(), "name the academy");
    }
    if file.passport.valid_days == Some(0) {
        fault("passport.valid_days".into(), "must be at least 1 (or None)");
    }
    if file.levels.is_empty() {
        fault("levels".into(), "a curriculum needs at least one level");
    }
    for (l, level) in file.levels.iter().enumerate() {
        if !is_identifier(&level.id) {
            fault(
                format!("levels[{l}].id"),
                "use 1 to 64 of a-z, 0-9, '-' and '_'",
            );
        }
        if file.levels[..l].iter().any(|other| other.id == level.id) {
            fault(format!("levels[{l}].id"), "two levels have this id");
        }
        if level.title.fr.trim().is_empty() || level.title.en.trim().is_empty() {
            fault(
                format!("levels[{l}].title"),
                "needs a French and an English text",
            );
        }
        if level.scenarios.is_empty() {
            fault(
                format!("levels[{l}].scenarios"),
                "a level needs at least one scenario",
            );
        }
        for competence in Competence::ALL {
            let value = level.pass.of(competence);
            if !(0.0..=100.0).contains(&value) {
                fault(
                    format!("levels[{l}].pass.{}", competence.id()),
                    "a threshold is a score from 0 to 100",
                );
            }
        }
        for (s, entry) in level.scenarios.iter().enumerate() {
            let empty = match &entry.seeds {
                Seeds::List(seeds) => seeds.is_empty(),
                Seeds::Range(first, last) => first > last,
            };
            if empty {
                fault(
                    format!("levels[{l}].scenarios[{s}].seeds"),
                    "no seed: give a non-empty List or a Range(first, last) with first <= last",
                );
            }
            if level.scenarios[..s]
                .iter()
                .any(|other| other.path == entry.path)
            {
                fault(
                    format!("levels[{l}].scenarios[{s}].path"),
                    "this scenario is already in the level",
                );
            }
        }
    }
    faults
}

/// A level played alone needs, in each of its scenarios, the crowd one person handles.
fn solo_faults(levels: &[Level]) -> Vec<(String, String)> {
    let mut faults = Vec::new();
    for (l, level) in levels.iter().enumerate() {
        let solo = level.crowd == LevelCrowd::Solo;
        for entry in level.scenarios.iter().filter(|_| solo) {
            if entry.scenario.solo_customers_per_hour.is_none() {
                faults.push((
                    format!("levels[{l}].crowd"),
                    format!(
                        "{} has no solo_customers_per_hour: a Solo level needs the crowd one person handles",
                        entry.path.display()
                    ),
                ));
            }
        }
    }
    faults
}

fn is_identifier(id: &str) -> bool {
    (1..=64).contains(&id.len())
        && id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-' || b == b'_')
}
