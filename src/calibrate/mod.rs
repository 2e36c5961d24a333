//! Calibration: many seeded headless runs of one scenario, measured against the published
//! figures (`../shared/domain/figures.md`), each line with its tolerance and a verdict.
//!
//! Four families of runs per seed: nobody answers (`ignore`); the `expert` team as it plays;
//! and a sweep where a large expert team answers every post after a fixed delay, so that
//! first-response times spread from a minute to three hours. Every figure is a sum of counts
//! over customers or posts, so the report does not depend on the order runs finish in.

mod figures;

use crate::engine::policy::{PolicyConfig, PolicyKind};
use crate::engine::run::{RunSpec, run};
use crate::engine::scenario::{Lang, Scenario};
use crate::engine::sim::{SessionConfig, SessionError, Simulation};
use crate::engine::transcript::Event;
use crate::engine::{ReplyAnalyser, sim::Customer};
use figures::lines;
use serde::Serialize;
use std::sync::Arc;

const MINUTE_MS: u64 = 60_000;
/// A customer's or a post's story counts only with this long left before the session ends.
const SETTLE_MS: u64 = 120 * MINUTE_MS;
/// Reaction delays of the speed sweep, in minutes.
const SWEEP_DELAYS_MIN: [u64; 9] = [1, 3, 6, 12, 20, 35, 60, 90, 150];
/// The sweep run whose median first reply is closest to the AMS study's (about 22 minutes).
const AMS_MEDIAN_DELAY_MIN: u64 = 20;
/// The sweep's team is large enough that nobody queues behind a busy adviser.
const SWEEP_ADVISERS: u32 = 50;
/// First-response bins (minutes): [0,4) [4,6) [6,20) [20,60) [60,inf).
const SPEED_BOUNDS_MIN: [u64; 4] = [4, 6, 20, 60];
/// Expected-reply thresholds (minutes) measured per channel.
const EXPECTATION_MIN: [u64; 4] = [30, 60, 120, 1440];

/// What to run.
pub struct CalibrationSpec {
    pub scenario: Arc<Scenario>,
    pub scenario_path: String,
    pub scenario_sha256: String,
    pub analyser: Arc<dyn ReplyAnalyser>,
    /// Seeds `first_seed .. first_seed + seeds`.
    pub first_seed: u64,
    pub seeds: u64,
    /// Threads to spread seeds over (the result does not depend on it).
    pub threads: usize,
}

/// Counts gathered from the runs of one seed; added up across seeds.
#[derive(Clone, Debug, Default, PartialEq)]
struct Tally {
    customers: u64,
    ignored: u64,
    ignored_negative: u64,
    ignored_churned: u64,
    ignored_shamed: u64,
    ignored_favourable: u64,
    /// Per channel: customers, and how many expect an answer within each threshold.
    expecting: [[u64; 1 + EXPECTATION_MIN.len()]; 2],
    /// Per first-response bin: answered customers, and the favourable among them.
    speed: [[u64; 2]; 1 + SPEED_BOUNDS_MIN.len()],
    ams_answered: u64,
    ams_favourable: u64,
    posts: u64,
    reshared_posts: u64,
    deep_posts: u64,
}

impl Tally {
    fn add(&mut self, other: &Tally) {
        self.customers += other.customers;
        self.ignored += other.ignored;
        self.ignored_negative += other.ignored_negative;
        self.ignored_churned += other.ignored_churned;
        self.ignored_shamed += other.ignored_shamed;
        self.ignored_favourable += other.ignored_favourable;
        for (mine, theirs) in self.expecting.iter_mut().zip(&other.expecting) {
            for (a, b) in mine.iter_mut().zip(theirs) {
                *a += b;
            }
        }
        for (mine, theirs) in self.speed.iter_mut().zip(&other.speed) {
            mine[0] += theirs[0];
            mine[1] += theirs[1];
        }
        self.ams_answered += other.ams_answered;
        self.ams_favourable += other.ams_favourable;
        self.posts += other.posts;
        self.reshared_posts += other.reshared_posts;
        self.deep_posts += other.deep_posts;
    }
}

/// How a model figure is judged.
#[derive(Clone, Copy, Debug, PartialEq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Tolerance {
    /// `target ± plus_minus`.
    Within {
        target: f64,
        plus_minus: f64,
    },
    Between {
        low: f64,
        high: f64,
    },
    AtLeast {
        low: f64,
    },
    AtMost {
        high: f64,
    },
}

impl Tolerance {
    fn accepts(self, value: f64) -> bool {
        match self {
            Tolerance::Within { target, plus_minus } => (value - target).abs() <= plus_minus,
            Tolerance::Between { low, high } => (low..=high).contains(&value),
            Tolerance::AtLeast { low } => value >= low,
            Tolerance::AtMost { high } => value <= high,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A share, shown as a percentage.
    Share,
    /// A ratio, shown as "×".
    Ratio,
    Count,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Verdict {
    Pass,
    Fail,
    /// Too few customers or posts to measure (a scenario shorter than the settling time).
    NotMeasured,
}

/// One line of the report: what the model gives beside what the figures say.
#[derive(Clone, Debug, Serialize)]
pub struct Line {
    pub id: &'static str,
    pub section: &'static str,
    pub measure: String,
    pub published: &'static str,
    pub unit: Unit,
    pub model: Option<f64>,
    /// How many customers or posts the figure rests on.
    pub sample: u64,
    pub tolerance: Tolerance,
    pub verdict: Verdict,
}

#[derive(Clone, Debug, Serialize)]
pub struct Report {
    pub scenario: String,
    pub scenario_path: String,
    pub first_seed: u64,
    pub seeds: u64,
    pub runs: u64,
    pub customers: u64,
    pub lines: Vec<Line>,
}

impl Report {
    pub fn passed(&self) -> bool {
        self.lines.iter().all(|l| l.verdict == Verdict::Pass)
    }
}

/// The fewest customers or posts a line needs to be judged.
const MIN_SAMPLE: u64 = 30;

/// Why a calibration could not run to its end.
#[derive(Debug, thiserror::Error)]
pub enum CalibrationError {
    #[error("seed {seed}: {source}")]
    Session { seed: u64, source: SessionError },
    #[error("a calibration thread stopped on an internal error")]
    ThreadFailed,
}

/// Runs every seed and builds the report.
pub fn calibrate(spec: &CalibrationSpec) -> Result<Report, CalibrationError> {
    let seeds: Vec<u64> = (0..spec.seeds).map(|i| spec.first_seed + i).collect();
    let threads = spec.threads.clamp(1, seeds.len().max(1));
    let chunk = seeds.len().div_ceil(threads).max(1);
    let results: Vec<Result<Tally, CalibrationError>> = std::thread::scope(|scope| {
        let handles: Vec<_> = seeds
            .chunks(chunk)
            .map(|part| {
                scope.spawn(move || {
                    let mut tally = Tally::default();
                    for &seed in part {
                        tally.add(&measure_seed(spec, seed)?);
                    }
                    Ok(tally)
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or(Err(CalibrationError::ThreadFailed)))
            .collect()
    });
    let mut tally = Tally::default();
    for result in results {
        tally.add(&result?);
    }
    let runs_per_seed = 2 + SWEEP_DELAYS_MIN.len() as u64;
    Ok(Report {
        scenario: spec.scenario.id.clone(),
        scenario_path: spec.scenario_path.clone(),
        first_seed: spec.first_seed,
        seeds: spec.seeds,
        runs: spec.seeds * runs_per_seed,
        customers: tally.customers,
        lines: lines(&tally),
    })
}

fn play(
    spec: &CalibrationSpec,
    seed: u64,
    policy: PolicyConfig,
) -> Result<Simulation, CalibrationError> {
    let run_spec = RunSpec {
        session: SessionConfig {
            seed,
            lang: Lang::Fr,
            customers_target: None,
        },
        policy,
        scenario_path: spec.scenario_path.clone(),
        scenario_sha256: spec.scenario_sha256.clone(),
        analyser: Arc::clone(&spec.analyser),
    };
    run(Arc::clone(&spec.scenario), run_spec)
        .map(|outcome| outcome.sim)
        .map_err(|source| CalibrationError::Session { seed, source })
}

/// Had time to play out before the end of the session.
fn settled(sim: &Simulation, t_ms: u64) -> bool {
    t_ms + SETTLE_MS <= sim.duration_ms()
}

/// Ends better disposed than they came: no negative action, and calmer than at their first
/// post (figures.md: 69% of those who tweeted negatively felt more favourable after a reply).
fn favourable(sim: &Simulation, c: &Customer) -> bool {
    let anger_now = sim.anger(c.id).unwrap_or(100.0);
    !c.negative() && anger_now + 0.5 < c.arrival_anger()
}

fn measure_seed(spec: &CalibrationSpec, seed: u64) -> Result<Tally, CalibrationError> {
    let scenario = &spec.scenario;
    let mut tally = Tally::default();

    let ignored = play(spec, seed, PolicyConfig::new(PolicyKind::Ignore, 1))?;
    for c in ignored.customers() {
        // Ignored means their own expected reply time went by, with time left to react.
        if !settled(&ignored, c.arrived_ms + c.expectation_ms) {
            continue;
        }
        tally.ignored += 1;
        tally.ignored_negative += u64::from(c.negative());
        tally.ignored_churned += u64::from(c.stage == crate::engine::sim::Stage::Churned);
        tally.ignored_shamed += u64::from(c.shamed);
        tally.ignored_favourable += u64::from(favourable(&ignored, c));
    }

    let expert = play(
        spec,
        seed,
        PolicyConfig::new(PolicyKind::Expert, scenario.team_size),
    )?;
    tally.customers += expert.customers().len() as u64;
    for c in expert.customers() {
        let row = &mut tally.expecting[c.channel as usize];
        row[0] += 1;
        for (i, &limit_min) in EXPECTATION_MIN.iter().enumerate() {
            row[1 + i] += u64::from(c.expectation_ms <= limit_min * MINUTE_MS);
        }
    }
    count_cascades(&expert, &mut tally);

    for delay_min in SWEEP_DELAYS_MIN {
        let mut policy = PolicyConfig::new(PolicyKind::Expert, SWEEP_ADVISERS);
        policy.reaction_ms = delay_min * MINUTE_MS;
        // The studies measured what replies do: no statement calms the newcomers here.
        policy.statements = false;
        let sim = play(spec, seed, policy)?;
        for c in sim.customers() {
            let Some(first_reply_ms) = c.first_reply_ms else {
                continue;
            };
            if !settled(&sim, c.arrived_ms) {
                continue;
            }
            let waited_min = (first_reply_ms - c.arrived_ms) / MINUTE_MS;
            let bin = SPEED_BOUNDS_MIN
                .iter()
                .take_while(|&&bound| waited_min >= bound)
                .count();
            let good = u64::from(favourable(&sim, c));
            tally.speed[bin][0] += 1;
            tally.speed[bin][1] += good;
            if delay_min == AMS_MEDIAN_DELAY_MIN {
                tally.ams_answered += 1;
                tally.ams_favourable += good;
            }
        }
    }
    Ok(tally)
}

/// Public customer posts with time left to spread, how many were reshared at all, and how
/// many cascades went past one hop (a reshare of a reshare).
fn count_cascades(sim: &Simulation, tally: &mut Tally) {
    let messages = sim.messages();
    let mut depth = vec![0u16; messages.len()];
    for record in sim.records() {
        if let Event::Reshare {
            message, depth: d, ..
        } = record.event
            && let Some(slot) = depth.get_mut(message.index())
        {
            *slot = (*slot).max(d);
        }
    }
    for (m, max_depth) in messages.iter().zip(depth) {
        if m.customer.is_none() || m.private || !settled(sim, m.t_ms) {
            continue;
        }
        tally.posts += 1;
        tally.reshared_posts += u64::from(max_depth >= 1);
        tally.deep_posts += u64::from(max_depth >= 2);
    }
}

fn value_text(unit: Unit, value: f64) -> String {
    match unit {
        Unit::Share => format!("{:.1}%", value * 100.0),
        Unit::Ratio if value.is_infinite() => "∞ (no gain late)".into(),
        Unit::Ratio => format!("×{value:.1}"),
        Unit::Count => format!("{value:.0}"),
    }
}

fn tolerance_text(unit: Unit, tolerance: Tolerance) -> String {
    let v = |x: f64| value_text(unit, x);
    match tolerance {
        Tolerance::Within { target, plus_minus } => match unit {
            Unit::Share => format!(
                "{} ± {:.0} points ({} to {})",
                v(target),
                plus_minus * 100.0,
                v(target - plus_minus),
                v(target + plus_minus)
            ),
            _ => format!("{} ± {}", v(target), v(plus_minus)),
        },
        Tolerance::Between { low, high } => format!("{} to {}", v(low), v(high)),
        Tolerance::AtLeast { low } => format!("at least {}", v(low)),
        Tolerance::AtMost { high } => format!("at most {}", v(high)),
    }
}

/// The report as Markdown, as committed in `docs/calibration.md`.
pub fn to_markdown(report: &Report, command: &str) -> String {
    let mut out = String::new();
    let last_seed = report.first_seed + report.seeds.saturating_sub(1);
    out.push_str("# Calibration against published figures\n\n");
    out.push_str(&format!(
        "Generated by `{command}`; do not edit by hand. Scenario `{}` (`{}`), seeds {} to {}, \
         {} headless runs, {} customers in the expert runs.\n\n",
        report.scenario,
        report.scenario_path,
        report.first_seed,
        last_seed,
        report.runs,
        report.customers
    ));
    out.push_str(
        "Each line sets what the model gives beside the published figure (`../shared/domain/figures.md`) \
         and the tolerance it must fall within. How each is measured, and why these tolerances: \
         `docs/calibration-method.md`.\n",
    );
    let mut section = "";
    for l in &report.lines {
        if l.section != section {
            section = l.section;
            out.push_str(&format!(
                "\n## {section}\n\n| measure | model | sample | published | tolerance | verdict |\n| --- | --- | ---: | --- | --- | --- |\n"
            ));
        }
        let model = l.model.map_or("-".into(), |v| value_text(l.unit, v));
        let verdict = match l.verdict {
            Verdict::Pass => "pass",
            Verdict::Fail => "**FAIL**",
            Verdict::NotMeasured => "not measured",
        };
        out.push_str(&format!(
            "| {} | {model} | {} | {} | {} | {verdict} |\n",
            l.measure,
            l.sample,
            l.published,
            tolerance_text(l.unit, l.tolerance)
        ));
    }
    let passed = report
        .lines
        .iter()
        .filter(|l| l.verdict == Verdict::Pass)
        .count();
    out.push_str(&format!(
        "\n{passed} of {} lines pass.\n",
        report.lines.len()
    ));
    out
}
