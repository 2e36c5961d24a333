//! `raleur academy` and `raleur passport`: trainees, their recorded sessions and progress, the
//! academy's key, and the digital passport.

use super::usage;
use crate::academy::curriculum::{self, Curriculum};
use crate::academy::passport::AcademyKey;
use crate::academy::play::{PlayOptions, play_next};
use crate::academy::store::{SessionRow, SessionStatus, Store, default_db_path};
use crate::academy::{LevelState, progress};
use crate::engine::load_scenario;
use crate::engine::policy::PolicyKind;
use crate::engine::scenario::Lang;
use crate::engine::transcript::read_jsonl;
use crate::score::{ScoringSpec, score};
use crate::tone::ToneAnalyser;
use clap::{Args, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use time::OffsetDateTime;

/// A recording session not written to for this long is shown as interrupted.
const INTERRUPTED_AFTER_S: i64 = 120;

#[derive(Args)]
pub struct AcademyPaths {
    /// The academy's database (default: $RALEUR_DB, else academy.sqlite3 in the data folder).
    #[arg(long, global = true)]
    db: Option<PathBuf>,
    /// The curriculum (default: $RALEUR_CURRICULUM, else curricula/webconseiller.ron).
    #[arg(long, global = true)]
    curriculum: Option<PathBuf>,
    /// The academy's signing key (default: $RALEUR_ACADEMY_KEY, else academy-key.pem in the
    /// data folder).
    #[arg(long, global = true)]
    key: Option<PathBuf>,
}

impl AcademyPaths {
    fn db(&self) -> PathBuf {
        self.db.clone().unwrap_or_else(default_db_path)
    }
    pub(super) fn key(&self) -> PathBuf {
        self.key
            .clone()
            .unwrap_or_else(crate::academy::passport::default_key_path)
    }
    pub(super) fn open(&self) -> Result<Store, ExitCode> {
        Store::open(&self.db()).map_err(|e| usage(&e.to_string()))
    }
    pub(super) fn curriculum(&self) -> Result<Curriculum, ExitCode> {
        let path = self
            .curriculum
            .clone()
            .unwrap_or_else(curriculum::default_path);
        Curriculum::load(&path).map_err(|errors| {
            for error in errors {
                warn!("{error}");
            }
            ExitCode::from(1)
        })
    }
}

#[derive(Args)]
pub struct AcademyArgs {
    #[command(flatten)]
    paths: AcademyPaths,
    #[command(subcommand)]
    command: AcademyCommand,
}

#[derive(Subcommand)]
enum AcademyCommand {
    /// Register or list trainees.
    Trainee {
        #[command(subcommand)]
        command: TraineeCommand,
    },
    /// Where a trainee stands in the curriculum, level by level.
    Progress {
        name: String,
        /// Language of the level titles: fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
        #[arg(long)]
        json: bool,
    },
    /// The recorded sessions, oldest first.
    Sessions {
        #[arg(long)]
        trainee: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Review one session, finished or not: what was recorded and its scores so far.
    Session {
        id: i64,
        /// Write its transcript (JSON lines) here, for `raleur score` or `raleur replay`.
        #[arg(long)]
        transcript: Option<PathBuf>,
    },
    /// A scripted team plays the trainee's next sessions of the curriculum, recorded.
    Play {
        name: String,
        /// ignore, naive, expert, slow or human.
        #[arg(long, default_value = "expert")]
        policy: String,
        /// How many sessions at most (it stops once every level is passed).
        #[arg(long, default_value_t = 1, value_parser = clap::value_parser!(u32).range(1..=1000))]
        sessions: u32,
        /// Simulated seconds per second (default: as fast as possible).
        #[arg(long)]
        pace: Option<f64>,
        /// Language customers write in: fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
    },
    /// Create the academy's Ed25519 signing key (never replaces one) and print its did:key.
    Keygen,
}

#[derive(Subcommand)]
enum TraineeCommand {
    Add { name: String },
    List,
}

pub(super) fn parse_lang(text: &str) -> Result<Lang, ExitCode> {
    Lang::parse(text).ok_or_else(|| usage(&format!("unknown language {text:?}; choose fr or en")))
}

fn print_json(value: &impl serde::Serialize) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            say!("{text}");
            ExitCode::SUCCESS
        }
        Err(error) => usage(&format!("cannot encode: {error}")),
    }
}

pub fn academy_command(args: AcademyArgs) -> ExitCode {
    match run_academy(args) {
        Ok(code) | Err(code) => code,
    }
}

fn run_academy(args: AcademyArgs) -> Result<ExitCode, ExitCode> {
    let paths = &args.paths;
    match args.command {
        AcademyCommand::Keygen => keygen(paths),
        AcademyCommand::Trainee { command } => trainee_command(paths, command),
        AcademyCommand::Progress { name, lang, json } => show_progress(paths, name, lang, json),
        AcademyCommand::Sessions { trainee, json } => list_sessions(paths, trainee, json),
        AcademyCommand::Session { id, transcript } => {
            let store = paths.open()?;
            review_session(&store, paths, id, transcript.as_deref())
        }
        AcademyCommand::Play {
            name,
            policy,
            sessions,
            pace,
            lang,
        } => play_sessions(paths, name, policy, sessions, pace, lang),
    }
}

/// Creates the academy's key and prints its did:key.
fn keygen(paths: &AcademyPaths) -> Result<ExitCode, ExitCode> {
    let path = paths.key();
    let key = AcademyKey::generate(&path).map_err(|e| usage(&e.to_string()))?;
    say!("{}", key.did());
    warn!(
        "key written to {} (readable by you only); keep it safe, and give the did:key above to whoever verifies passports",
        path.display()
    );
    Ok(ExitCode::SUCCESS)
}

/// Adds or lists trainees.
fn trainee_command(paths: &AcademyPaths, command: TraineeCommand) -> Result<ExitCode, ExitCode> {
    let store = paths.open()?;
    match command {
        TraineeCommand::Add { name } => {
            let added = store
                .add_trainee(&name)
                .map_err(|e| usage(&e.to_string()))?;
            if added {
                say!("added {}", name.trim());
            } else {
                say!("{} is already a trainee", name.trim());
            }
        }
        TraineeCommand::List => {
            for trainee in store.trainees().map_err(|e| usage(&e.to_string()))? {
                say!("{}  (since {})", trainee.name, trainee.created_at);
            }
        }
    }
    Ok(ExitCode::SUCCESS)
}

/// A trainee's progress through the curriculum, level by level.
fn show_progress(
    paths: &AcademyPaths,
    name: String,
    lang: String,
    json: bool,
) -> Result<ExitCode, ExitCode> {
    let lang = parse_lang(&lang)?;
    let store = paths.open()?;
    let curriculum = paths.curriculum()?;
    let trainee = known_trainee(&store, &name)?;
    let sessions = store
        .sessions(Some(&trainee))
        .map_err(|e| usage(&e.to_string()))?;
    let standing = progress(&curriculum, &trainee, &sessions);
    if json {
        return Ok(print_json(&standing));
    }
    say!(
        "{trainee} · {} ({} levels)",
        curriculum.file.title.get(lang),
        curriculum.levels.len()
    );
    for (i, (level, state)) in curriculum.levels.iter().zip(&standing.levels).enumerate() {
        let mark = match state.state {
            LevelState::Passed => "[passed]",
            LevelState::Current => "[current]",
            LevelState::Locked => "[to come]",
        };
        let exam = if level.mode == curriculum::LevelMode::Exam {
            " (exam mode)"
        } else {
            ""
        };
        say!("{mark} {}. {}{exam}", i + 1, level.title.get(lang));
        for (entry, scenario) in level.scenarios.iter().zip(&state.scenarios) {
            let detail = match (scenario.passed_by, scenario.best) {
                (Some(id), _) => format!("passed by session #{id}"),
                (None, Some(best)) => {
                    let lacks: Vec<String> = scenario
                        .shortfalls
                        .iter()
                        .map(|(c, got, need)| format!("{} {got} < {need}", c.id()))
                        .collect();
                    format!(
                        "{} attempt(s), best #{best} lacks {}; next seed {}",
                        scenario.attempts,
                        lacks.join(", "),
                        scenario.next_seed
                    )
                }
                (None, None) => format!("not played yet; next seed {}", scenario.next_seed),
            };
            say!("    {}: {detail}", entry.scenario.title.get(lang));
        }
    }
    if standing.passed_all() {
        say!("every level passed: `raleur passport issue {trainee:?}` issues the passport");
    }
    Ok(ExitCode::SUCCESS)
}

/// The recorded sessions, one line each.
fn list_sessions(
    paths: &AcademyPaths,
    trainee: Option<String>,
    json: bool,
) -> Result<ExitCode, ExitCode> {
    let store = paths.open()?;
    if let Some(name) = &trainee {
        known_trainee(&store, name)?;
    }
    let sessions = store
        .sessions(trainee.as_deref())
        .map_err(|e| usage(&e.to_string()))?;
    if json {
        return Ok(print_json(&sessions));
    }
    say!(
        "{:>5}  {:<20} {:<18} {:>6}  {:<8} {:<15} {:<26} {:>7} {:>7}",
        "id",
        "trainee",
        "scenario",
        "seed",
        "mode",
        "player",
        "status",
        "events",
        "overall"
    );
    let now = OffsetDateTime::now_utc();
    for s in &sessions {
        say!(
            "{:>5}  {:<20} {:<18} {:>6}  {:<8} {:<15} {:<26} {:>7} {:>7}",
            s.id,
            truncate(&s.trainee, 20),
            truncate(&s.scenario_id, 18),
            s.seed,
            s.mode.id(),
            truncate(&s.player, 15),
            status_label(s, now),
            s.events,
            s.scores
                .as_ref()
                .map_or("-".to_string(), |x| format!("{:.1}", x.overall))
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Plays a trainee's next sessions with a scripted team.
fn play_sessions(
    paths: &AcademyPaths,
    name: String,
    policy: String,
    sessions: u32,
    pace: Option<f64>,
    lang: String,
) -> Result<ExitCode, ExitCode> {
    let Some(policy) = PolicyKind::parse(&policy) else {
        return Err(usage(&format!(
            "unknown policy {policy:?}; choose ignore, naive, expert, slow or human"
        )));
    };
    if let Some(pace) = pace
        && !(pace.is_finite() && pace > 0.0 && pace <= 1e7)
    {
        return Err(usage("--pace must be above 0 and at most 10000000"));
    }
    let lang = parse_lang(&lang)?;
    let mut store = paths.open()?;
    let curriculum = paths.curriculum()?;
    let trainee = known_trainee(&store, &name)?;
    let options = PlayOptions { policy, lang, pace };
    for _ in 0..sessions {
        match play_next(&mut store, &curriculum, &trainee, &options) {
            Ok(Some(played)) => {
                let s = &played.scores;
                say!(
                    "session #{} {} {} seed {}: {} (overall {:.1}; speed {} civil {} technical {} contractual {} redirection {})",
                    played.session,
                    played.level,
                    played.scenario,
                    played.seed,
                    if played.passed {
                        "passed"
                    } else {
                        "not passed"
                    },
                    s.overall,
                    s.speed,
                    s.civil,
                    s.technical,
                    s.contractual,
                    s.redirection
                );
            }
            Ok(None) => break,
            Err(error) => {
                warn!("error: {error}");
                return Err(ExitCode::from(1));
            }
        }
    }
    let sessions = store
        .sessions(Some(&trainee))
        .map_err(|e| usage(&e.to_string()))?;
    let standing = progress(&curriculum, &trainee, &sessions);
    let passed = standing
        .levels
        .iter()
        .filter(|l| l.state == LevelState::Passed)
        .count();
    say!(
        "{trainee}: {passed} of {} levels passed",
        standing.levels.len()
    );
    Ok(ExitCode::SUCCESS)
}

fn truncate(text: &str, chars: usize) -> String {
    if text.chars().count() <= chars {
        text.to_string()
    } else {
        let mut short: String = text.chars().take(chars - 1).collect();
        short.push('…');
        short
    }
}

/// Complete, abandoned, recording, or interrupted (recording but silent for a while).
fn status_label(session: &SessionRow, now: OffsetDateTime) -> String {
    match session.status {
        SessionStatus::Recording => {
            let silent_s = OffsetDateTime::parse(
                &session.updated_at,
                &time::format_description::well_known::Rfc3339,
            )
            .map_or(i64::MAX, |t| (now - t).whole_seconds());
            if silent_s > INTERRUPTED_AFTER_S {
                format!("interrupted {}", &session.updated_at)
            } else {
                "recording".into()
            }
        }
        other => other.id().into(),
    }
}

pub(super) fn known_trainee(store: &Store, name: &str) -> Result<String, ExitCode> {
    match store.trainee(name) {
        Ok(Some(trainee)) => Ok(trainee.name),
        Ok(None) => {
            warn!(
                "error: no trainee named {:?}; add them with `raleur academy trainee add`",
                name.trim()
            );
            Err(ExitCode::from(1))
        }
        Err(error) => Err(usage(&error.to_string())),
    }
}

/// Prints a session as recorded, with the scores of what was played; a session cut short is
/// scored on its recorded part.
fn review_session(
    store: &Store,
    paths: &AcademyPaths,
    id: i64,
    out: Option<&Path>,
) -> Result<ExitCode, ExitCode> {
    let Some(session) = store.session(id).map_err(|e| usage(&e.to_string()))? else {
        warn!("error: no session {id}");
        return Err(ExitCode::from(1));
    };
    let text = store.transcript(id).map_err(|e| usage(&e.to_string()))?;
    let (header, records) = read_jsonl(&text).map_err(|e| {
        warn!("session {id}: transcript line {e}");
        ExitCode::from(1)
    })?;
    if let Some(path) = out {
        std::fs::write(path, &text)
            .map_err(|e| usage(&format!("cannot write {}: {e}", path.display())))?;
    }
    let played_ms = records.last().map_or(0, |r| r.t_ms);
    say!(
        "session #{id}: {} · {} seed {} · {} mode · {}",
        session.trainee,
        session.scenario_id,
        session.seed,
        session.mode.id(),
        session.player
    );
    say!(
        "{} · started {} · last saved {}{}",
        status_label(&session, OffsetDateTime::now_utc()),
        session.started_at,
        session.updated_at,
        session
            .ended_at
            .as_ref()
            .map_or(String::new(), |t| format!(" · ended {t}"))
    );
    say!(
        "{} events recorded, up to {:02}:{:02}:{:02} simulated",
        records.len(),
        played_ms / 3_600_000,
        played_ms / 60_000 % 60,
        played_ms / 1000 % 60
    );
    if let Some(sha) = &session.transcript_sha256 {
        say!("transcript sha256 {sha}");
    }
    // The scenario: the curriculum's copy if it is the same file, else the recorded path.
    let scenario = paths
        .curriculum()
        .ok()
        .and_then(|c| {
            c.levels
                .iter()
                .flat_map(|l| &l.scenarios)
                .find(|s| s.sha256 == header.scenario_sha256)
                .map(|s| (*s.scenario).clone())
        })
        .or_else(|| {
            load_scenario(Path::new(&header.scenario_path))
                .ok()
                .filter(|l| l.sha256 == header.scenario_sha256)
                .map(|l| l.scenario)
        });
    match scenario {
        Some(scenario) => {
            let spec = ScoringSpec::bundled();
            let analyser = ToneAnalyser::bundled();
            let debrief = score(&spec, &analyser, &scenario, &header, &records);
            let s = &debrief.scores;
            let part = if session.status == SessionStatus::Complete {
                "scores"
            } else {
                "scores of the part played"
            };
            say!("{part}: {}", super::scores_line(s));
            for (i, advice) in debrief.advice.iter().take(3).enumerate() {
                say!("{}. {}", i + 1, advice.advice);
            }
        }
        None => say!(
            "the scenario file it was played on (sha256 {}) is not at hand: no scores",
            header.scenario_sha256
        ),
    }
    Ok(ExitCode::SUCCESS)
}
