//! Reading and validating scenario files. Every fault is reported as `file:line:col: message`,
//! all at once, and a hostile file (huge, deeply nested, absurd rates) is refused before it
//! can cost memory or time.

mod brand;
mod channels;
mod checker;
mod identity;
mod incidents;
mod injects;
mod locate;
mod model;
mod parse_error;
mod people;
mod requests;
mod texts;
mod timeline;

pub use checker::Problem;
pub use locate::{locate_paths, nearest_position};

use super::scenario::Scenario;
use checker::Checker;
use locate::line_col;
use std::fmt;
use std::path::Path;

pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
pub const MAX_TEXT_CHARS: usize = 2000;
pub const MAX_RATE_PER_HOUR: f64 = 100_000.0;
pub const MAX_EXPECTED_CUSTOMERS: f64 = 1_000_000.0;
pub const MAX_DURATION_MIN: f64 = 7.0 * 24.0 * 60.0;
pub const MAX_FOLLOWERS: u32 = 100_000_000;

#[derive(Clone, Debug, PartialEq)]
pub struct ScenarioError {
    pub file: String,
    pub line: usize,
    pub col: usize,
    pub message: String,
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(
            f,
            "{}:{}:{}: {}",
            self.file, self.line, self.col, self.message
        )
    }
}

/// A loaded scenario, the SHA-256 of its bytes (recorded in transcripts), and what is
/// allowed but likely a mistake (`raleur validate` prints it).
pub struct Loaded {
    pub scenario: Scenario,
    pub sha256: String,
    pub warnings: Vec<ScenarioError>,
}

/// The bundled scenario library: `RALEUR_SCENARIOS`, else `scenarios/` under the working
/// directory, else the source tree's.
pub fn default_scenarios_dir() -> std::path::PathBuf {
    if let Some(dir) = std::env::var_os("RALEUR_SCENARIOS") {
        return dir.into();
    }
    let here = std::path::PathBuf::from("scenarios");
    if here.is_dir() {
        return here;
    }
    Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios")
}

pub fn load_scenario(path: &Path) -> Result<Loaded, Vec<ScenarioError>> {
    let file = path.display().to_string();
    let at_start = |message: String| {
        vec![ScenarioError {
            file: file.clone(),
            line: 1,
            col: 1,
            message,
        }]
    };
    let metadata = std::fs::metadata(path).map_err(|e| at_start(format!("cannot read: {e}")))?;
    if metadata.len() > MAX_FILE_BYTES {
        return Err(at_start(format!(
            "file is {} bytes; a scenario may hold at most {MAX_FILE_BYTES} bytes",
            metadata.len()
        )));
    }
    let bytes = std::fs::read(path).map_err(|e| at_start(format!("cannot read: {e}")))?;
    let source = String::from_utf8(bytes).map_err(|e| {
        let (line, col) = line_col(
            &String::from_utf8_lossy(&e.as_bytes()[..e.utf8_error().valid_up_to()]),
            usize::MAX,
        );
        vec![ScenarioError {
            file: file.clone(),
            line,
            col,
            message: "not valid UTF-8".into(),
        }]
    })?;
    let scenario = parse_scenario(&source, &file)?;
    let warnings = placed(people::never_seen(&scenario), &source, &file, "warning: ");
    Ok(Loaded {
        scenario,
        sha256: super::transcript::sha256_hex(source.as_bytes()),
        warnings,
    })
}

/// Parses and validates scenario text; `file` names it in errors.
pub fn parse_scenario(source: &str, file: &str) -> Result<Scenario, Vec<ScenarioError>> {
    if source.len() as u64 > MAX_FILE_BYTES {
        return Err(vec![ScenarioError {
            file: file.into(),
            line: 1,
            col: 1,
            message: format!(
                "text is {} bytes; a scenario may hold at most {MAX_FILE_BYTES} bytes",
                source.len()
            ),
        }]);
    }
    let options =
        ron::Options::default().with_default_extension(ron::extensions::Extensions::IMPLICIT_SOME);
    let scenario: Scenario = options.from_str(source).map_err(|e| {
        let (line, col) = (e.span.start.line.max(1), e.span.start.col.max(1));
        vec![ScenarioError {
            file: file.into(),
            line,
            col,
            message: parse_error::explain(source, &e.code, line, col),
        }]
    })?;
    let problems = validate(&scenario);
    if problems.is_empty() {
        return Ok(scenario);
    }
    let mut errors = placed(problems, source, file, "");
    // In the file's order, as an editor lists them (a stable sort keeps a place's own order).
    errors.sort_by_key(|e| (e.line, e.col));
    Err(errors)
}

/// Problems at their place in the file, each message opened by `prefix` and the path.
fn placed(problems: Vec<Problem>, source: &str, file: &str, prefix: &str) -> Vec<ScenarioError> {
    // Locating scans the whole file: only when there is something to place.
    if problems.is_empty() {
        return Vec::new();
    }
    let positions = locate_paths(source);
    problems
        .into_iter()
        .map(|p| {
            let (line, col) = nearest_position(&positions, &p.path);
            ScenarioError {
                file: file.into(),
                line,
                col,
                message: format!("{prefix}{}: {}", p.path, p.message),
            }
        })
        .collect()
}

/// Every semantic fault of a parsed scenario, section by section in the file's order. The
/// whole-scenario checks (cascade stability, expected arrivals) run once every part is sound.
pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut check = Checker::default();
    let c = &mut check;
    identity::check(c, s);
    brand::check(c, s);
    channels::check(c, s);
    let details = requests::details(c, s);
    let services = requests::services(c, s, &details);
    let personas = people::personas(c, s);
    let kinds = people::kinds(c, s, &details, &services, &personas);
    people::reachable(c, s);
    texts::check(c, s, &personas, &kinds);
    timeline::phases(c, s, &kinds);
    timeline::scripted(c, s, &personas, &kinds);
    timeline::events(c, s);
    injects::check(c, s, &personas, &kinds);
    incidents::check(c, s, &kinds);
    model::check(c, s);
    if c.problems.is_empty() {
        model::cascade_is_stable(c, s);
        timeline::arrivals(c, s);
    }
    check.problems
}
