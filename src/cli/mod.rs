//! The command-line shell: headless runs, validation and replays.
//!
//! Exit codes: 0 success, 1 a scenario or transcript is at fault, 2 usage or I/O errors.

use crate::engine::run::replay;
use crate::engine::scenario::Lang;
use crate::engine::transcript::read_jsonl;
use crate::engine::{ScenarioError, load_scenario};
use crate::tone::ToneAnalyser;

/// Prints a line on standard output, as `println!` does, except that a reader who has gone
/// (`raleur … | head`) ends the command quietly with exit 0 instead of a panic.
macro_rules! say {
    () => { $crate::cli::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::cli::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

/// Prints a line on standard error, as `eprintln!` does, without a panic when nobody reads it
/// any more: there is nowhere left to report that.
macro_rules! warn {
    ($($arg:tt)*) => {{
        use std::io::Write as _;
        let _ = writeln!(std::io::stderr(), $($arg)*);
    }};
}

mod academy;
mod calibrate;
mod passport;
mod run;
mod score;
#[cfg(feature = "serve")]
mod serve;
mod tone;
use clap::{Parser, Subcommand};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

/// The scenario `raleur calibrate` measures when none is named.
pub const DEFAULT_CALIBRATION_SCENARIO: &str = "scenarios/price_war.ron";

/// How many seeds `raleur calibrate` runs by default (the committed report's).
pub const DEFAULT_CALIBRATION_SEEDS: u64 = 20;

/// The most customers `--customers` may ask for.
pub const MAX_CUSTOMERS_FLAG: u64 = crate::engine::sim::MAX_CUSTOMERS_TARGET;

#[derive(Parser)]
#[command(
    name = "raleur",
    version,
    about = "Training simulator for social-media customer care under crisis"
)]
struct Cli {
    /// Without a command, the console opens (as `raleur play`).
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Subcommand)]
enum Command {
    /// Open the trainee's console: start screen, care desk, debrief.
    Play(PlayArgs),
    /// Play a scenario headless with a scripted trainee and report the outcome.
    Run(RunArgs),
    /// Check scenario files; print `ok` or every error as file:line:col: message.
    Validate {
        #[arg(required = true)]
        scenarios: Vec<PathBuf>,
    },
    /// Analyse one reply: politeness, flags and findings with their explanation.
    Tone {
        /// The reply (omit with --jsonl).
        text: Option<String>,
        /// Language of the reply and of the explanations: fr or en.
        #[arg(long, default_value = "fr")]
        lang: String,
        /// The reply is posted in public (the default).
        #[arg(long, conflicts_with = "private")]
        public: bool,
        /// The reply is a private message.
        #[arg(long)]
        private: bool,
        /// The customer message the reply answers.
        #[arg(long)]
        customer: Option<String>,
        /// The channel's character limit.
        #[arg(long)]
        limit: Option<usize>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
        /// Read JSON lines {"text", "lang", "public", "customer", "limit", "earlier"} on stdin
        /// (only "text" required) and write one JSON object per line.
        #[arg(long, conflicts_with_all = ["json", "customer", "private", "public"])]
        jsonl: bool,
        /// A lexicon file to use instead of the bundled one.
        #[arg(long)]
        lexicon: Option<PathBuf>,
    },
    /// The debrief of a session: scores, every reply with its findings, and advice.
    Score {
        transcript: PathBuf,
        /// The scenario file, if not at the path the transcript recorded.
        #[arg(long)]
        scenario: Option<PathBuf>,
        /// Print one JSON object.
        #[arg(long)]
        json: bool,
    },
    /// Run many seeds headless and set the model beside the published figures, with a
    /// tolerance and a verdict per line. Exit 0 when every line passes, 1 otherwise.
    Calibrate {
        /// The scenario (default: the price war).
        #[arg(default_value = DEFAULT_CALIBRATION_SCENARIO)]
        scenario: PathBuf,
        /// How many seeds, from --first-seed on.
        #[arg(long, default_value_t = DEFAULT_CALIBRATION_SEEDS, value_parser = clap::value_parser!(u64).range(1..=10_000))]
        seeds: u64,
        #[arg(long, default_value_t = 1)]
        first_seed: u64,
        /// Print one JSON object instead of the Markdown report.
        #[arg(long)]
        json: bool,
    },
    /// The academy: trainees, recorded sessions, progress through the curriculum, its key.
    Academy(academy::AcademyArgs),
    /// The digital passport: issue it to a trainee who passed every level, or verify one.
    Passport(passport::PassportArgs),
    /// Host team exercises over the network: seats for people and scripted colleagues, the
    /// facilitator's API, every seat written into the academy's records.
    #[cfg(feature = "serve")]
    Serve(serve::ServeArgs),
    /// Re-simulate a transcript and check every event comes out the same.
    Replay {
        transcript: PathBuf,
        /// The scenario file, if not at the path the transcript recorded.
        #[arg(long)]
        scenario: Option<PathBuf>,
    },
}

/// Writes to standard output; see [`say!`].
pub(crate) fn write_stdout(text: std::fmt::Arguments) {
    use std::io::Write as _;
    if let Err(error) = std::io::stdout().lock().write_fmt(text) {
        stdout_failed(&error);
    }
}

/// Ends the command after standard output failed: quietly with exit 0 when the reader closed
/// the pipe (its choice, not a fault), with exit 2 and the reason for any other I/O error.
pub(crate) fn stdout_failed(error: &std::io::Error) -> ! {
    if error.kind() == std::io::ErrorKind::BrokenPipe {
        std::process::exit(0);
    }
    let _ = std::io::Write::write_fmt(
        &mut std::io::stderr(),
        format_args!("raleur: cannot write to standard output: {error}\n"),
    );
    std::process::exit(2);
}

pub fn main() -> ExitCode {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(error) => {
            let _ = error.print();
            return ExitCode::from(if error.use_stderr() { 2 } else { 0 });
        }
    };
    // Without a command the console opens, with `raleur play`'s defaults.
    let command = match cli.command {
        Some(command) => command,
        None => match Cli::try_parse_from(["raleur", "play"]).map(|cli| cli.command) {
            Ok(Some(command)) => command,
            _ => return usage("cannot open the console"),
        },
    };
    match command {
        Command::Play(args) => play_command(args),
        Command::Run(args) => run::run_command(args),
        Command::Validate { scenarios } => validate_command(&scenarios),
        Command::Score {
            transcript,
            scenario,
            json,
        } => score::score_command(&transcript, scenario.as_deref(), json),
        Command::Tone {
            text,
            lang,
            public: _,
            private,
            customer,
            limit,
            json,
            jsonl,
            lexicon,
        } => {
            let Some(lang) = Lang::parse(&lang) else {
                return usage(&format!("unknown language {lang:?} (fr or en)"));
            };
            let analyser = match load_analyser(lexicon.as_deref()) {
                Ok(analyser) => analyser,
                Err(code) => return code,
            };
            tone::tone_command(
                &analyser,
                tone::ToneArgs {
                    text,
                    lang,
                    private,
                    customer,
                    limit,
                    json,
                    jsonl,
                },
            )
        }
        Command::Calibrate {
            scenario,
            seeds,
            first_seed,
            json,
        } => calibrate::calibrate_command(&scenario, seeds, first_seed, json),
        Command::Replay {
            transcript,
            scenario,
        } => replay_command(&transcript, scenario.as_deref()),
        Command::Academy(args) => academy::academy_command(args),
        Command::Passport(args) => passport::passport_command(args),
        #[cfg(feature = "serve")]
        Command::Serve(args) => serve::serve_command(args),
    }
}

/// The bundled analyser, or one built from a lexicon file (errors name the file and place).
fn load_analyser(lexicon: Option<&Path>) -> Result<ToneAnalyser, ExitCode> {
    let Some(path) = lexicon else {
        return Ok(ToneAnalyser::bundled());
    };
    let source = std::fs::read_to_string(path).map_err(|error| {
        warn!("{}: {error}", path.display());
        ExitCode::from(2)
    })?;
    ToneAnalyser::from_source(&source, &path.display().to_string()).map_err(|error| {
        warn!("{error}");
        ExitCode::from(1)
    })
}

#[derive(clap::Args)]
pub(super) struct RunArgs {
    scenario: PathBuf,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// ignore, naive, expert, slow or human.
    #[arg(long, default_value = "expert")]
    policy: String,
    /// Scale arrival rates to about this many customers.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_CUSTOMERS_FLAG))]
    customers: Option<u64>,
    /// Advisers in the scripted team (default: the scenario's team_size, 1 with --solo).
    #[arg(long, value_parser = clap::value_parser!(u32).range(1..=50))]
    advisers: Option<u32>,
    /// A team session: this many seats (named 1, 2...), each played by a scripted colleague
    /// in place of the advisers; the transcript records the seat of every action.
    #[arg(long, conflicts_with = "advisers", value_parser = clap::value_parser!(u32).range(1..=crate::engine::seats::MAX_SEATS as i64))]
    seats: Option<u32>,
    /// The crowd sized for the advisers at a person's pace (the scenario's
    /// solo_customers_per_hour each), instead of the scenario's own.
    #[arg(long, conflicts_with = "customers")]
    solo: bool,
    /// Minutes before the team picks up a post (default: the policy's).
    #[arg(long)]
    reaction_min: Option<f64>,
    /// Language customers write in: fr or en.
    #[arg(long, default_value = "fr")]
    lang: String,
    /// Write the transcript (JSON lines) to this file.
    #[arg(long)]
    transcript: Option<PathBuf>,
    /// Print one JSON object instead of a table.
    #[arg(long)]
    json: bool,
}

#[derive(clap::Args)]
struct PlayArgs {
    /// The scenario to preselect (default: the first of the bundled library).
    scenario: Option<PathBuf>,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Language of the interface and of the customers: fr or en.
    #[arg(long, default_value = "fr")]
    lang: String,
    /// The trainee's name, filled in on the start screen.
    #[arg(long)]
    trainee: Option<String>,
    /// Exam mode: no anger gauge, no hint line.
    #[arg(long)]
    exam: bool,
    /// As a crisis cell: seat 1 of the scenario's team, scripted colleagues on the others
    /// (under autoplay the team plays every seat, seen from seat 1).
    #[arg(long)]
    cell: bool,
    /// A scripted team plays the scenario at once (ignore, naive, expert, slow or human).
    #[arg(long)]
    autoplay: Option<String>,
    /// Simulated seconds per second under autoplay.
    #[arg(long, default_value_t = 240, value_parser = clap::value_parser!(u32).range(1..=100_000))]
    autoplay_speed: u32,
    /// Wall-clock seconds before the screenshots are saved and the program exits.
    #[arg(long)]
    exit_after: Option<f64>,
    /// Save the session screen here, and the debrief to <stem>-debrief.png.
    #[arg(long, requires = "exit_after")]
    screenshot: Option<PathBuf>,
    /// Scale arrival rates to about this many customers.
    #[arg(long, value_parser = clap::value_parser!(u64).range(1..=MAX_CUSTOMERS_FLAG))]
    customers: Option<u64>,
    /// The academy's records sessions are written into (default: $RALEUR_DB, else
    /// academy.sqlite3 in the data folder).
    #[arg(long)]
    db: Option<PathBuf>,
    /// The curriculum whose progress the start screen shows.
    #[arg(long)]
    curriculum: Option<PathBuf>,
    /// Do not record sessions into the academy's records.
    #[arg(long, conflicts_with = "db")]
    no_record: bool,
    /// Take a seat of a team exercise: its address (ws://HOST:PORT/exercises/ID/ws, as
    /// `raleur serve` prints it). The server records the seat's session.
    #[arg(long, requires = "code", conflicts_with_all = ["autoplay", "cell", "scenario"])]
    join: Option<String>,
    /// The seat's join code.
    #[arg(long, requires = "join")]
    code: Option<String>,
}

#[cfg(feature = "gui")]
fn play_command(args: PlayArgs) -> ExitCode {
    use crate::desk::session::Mode;
    let lang = args.lang.as_str();
    let Some(lang) = Lang::parse(lang) else {
        return usage(&format!("unknown language {lang:?}; choose fr or en"));
    };
    let autoplay = match args
        .autoplay
        .as_deref()
        .map(crate::engine::policy::PolicyKind::parse)
    {
        None => None,
        Some(Some(kind)) => Some(kind),
        Some(None) => {
            return usage("unknown --autoplay policy; choose ignore, naive, expert, slow or human");
        }
    };
    if let Some(seconds) = args.exit_after
        && !(seconds.is_finite() && (0.0..=86_400.0).contains(&seconds))
    {
        return usage("--exit-after must be between 0 and 86400 seconds");
    }
    crate::gui::run(crate::gui::PlayOptions {
        scenario: args.scenario,
        seed: args.seed,
        lang,
        trainee: args.trainee,
        mode: if args.exam {
            Mode::Exam
        } else {
            Mode::Training
        },
        autoplay,
        autoplay_speed: args.autoplay_speed,
        exit_after_s: args.exit_after,
        screenshot: args.screenshot,
        customers_target: args.customers,
        crowd: if args.cell {
            crate::desk::session::Crowd::Cell
        } else {
            crate::desk::session::Crowd::Team
        },
        record_db: (!args.no_record).then(|| {
            args.db
                .unwrap_or_else(crate::academy::store::default_db_path)
        }),
        curriculum: args
            .curriculum
            .unwrap_or_else(crate::academy::curriculum::default_path),
        join: args.join.zip(args.code),
    })
}

#[cfg(not(feature = "gui"))]
fn play_command(_args: PlayArgs) -> ExitCode {
    usage("this raleur was built without the console (cargo feature `gui`); use `raleur run`")
}

fn usage(message: &str) -> ExitCode {
    warn!("error: {message}");
    ExitCode::from(2)
}

fn print_scenario_errors(errors: &[ScenarioError]) {
    for error in errors {
        warn!("{error}");
    }
}

/// A session's scores on one line, as the commands print them.
fn scores_line(s: &crate::score::Scores) -> String {
    format!(
        "overall {} · speed {} · civil {} · technical {} · contractual {} · redirection {} · outcomes {}",
        s.overall, s.speed, s.civil, s.technical, s.contractual, s.redirection, s.outcomes
    )
}

fn validate_command(paths: &[PathBuf]) -> ExitCode {
    let mut failed = false;
    for path in paths {
        match load_scenario(path) {
            Ok(loaded) => {
                for warning in &loaded.warnings {
                    say!("{warning}");
                }
                if paths.len() == 1 {
                    say!("ok");
                } else {
                    say!("{}: ok", path.display());
                }
            }
            Err(errors) => {
                failed = true;
                for error in errors {
                    say!("{error}");
                }
            }
        }
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// A transcript and the scenario it was played on (checked by its SHA-256).
pub(crate) struct Session {
    pub header: crate::engine::Header,
    pub records: Vec<crate::engine::Record>,
    pub scenario: crate::engine::Scenario,
}

/// Reads a transcript and its scenario; errors are printed and give the exit code.
pub(crate) fn load_session(
    path: &Path,
    scenario_override: Option<&Path>,
) -> Result<Session, ExitCode> {
    let text = match std::fs::read(path) {
        Ok(bytes) => match String::from_utf8(bytes) {
            Ok(text) => text,
            Err(_) => {
                warn!("{}: not valid UTF-8", path.display());
                return Err(ExitCode::from(1));
            }
        },
        Err(error) => return Err(usage(&format!("cannot read {}: {error}", path.display()))),
    };
    let (header, records) = match read_jsonl(&text) {
        Ok(parsed) => parsed,
        Err(error) => {
            warn!("{}:{error}", path.display());
            return Err(ExitCode::from(1));
        }
    };
    let scenario_path = scenario_override
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from(&header.scenario_path));
    let loaded = match load_scenario(&scenario_path) {
        Ok(loaded) => loaded,
        Err(errors) => {
            print_scenario_errors(&errors);
            return Err(ExitCode::from(1));
        }
    };
    if loaded.sha256 != header.scenario_sha256 {
        warn!(
            "{}: the scenario file has changed since the session (sha256 {} , transcript says {})",
            scenario_path.display(),
            loaded.sha256,
            header.scenario_sha256
        );
        return Err(ExitCode::from(1));
    }
    Ok(Session {
        header,
        records,
        scenario: loaded.scenario,
    })
}

fn replay_command(path: &Path, scenario_override: Option<&Path>) -> ExitCode {
    let session = match load_session(path, scenario_override) {
        Ok(session) => session,
        Err(code) => return code,
    };
    let (header, records) = (session.header, session.records);
    match replay(
        Arc::new(session.scenario),
        Arc::new(ToneAnalyser::bundled()),
        &header,
        &records,
    ) {
        Ok(()) => {
            say!("ok: {} events re-simulated identically", records.len());
            ExitCode::SUCCESS
        }
        Err(divergence) => {
            let show = |r: &Option<Box<crate::engine::Record>>| {
                r.as_ref()
                    .and_then(|r| serde_json::to_string(r).ok())
                    .unwrap_or_else(|| "(nothing)".into())
            };
            say!(
                "{}:{}: {}",
                path.display(),
                divergence.line,
                divergence.reason
            );
            say!("  recorded: {}", show(&divergence.expected));
            say!("  replayed: {}", show(&divergence.got));
            ExitCode::from(1)
        }
    }
}
