//! Calibration: many seeded headless runs of one scenario, measured against the published
//! figures (`../shared/domain/figures.md`), each line with its tolerance and a verdict.
//!
//! Four families of runs per seed: nobody answers (`ignore`); the `expert` team as it plays;
//! and a sweep where a large expert team answers every post after a fixed delay, so that
//! first-response times spread from a minute to three hours. Every figure is a sum of counts
//! over customers or posts, so the report does not depend on the order runs finish in.

use crate::engine::policy::{PolicyConfig, PolicyKind};
use crate::engine::run::{RunSpec, run};
use crate::engine::scenario::{Channel, Lang, Scenario};
use crate::engine::sim::{SessionConfig, Simulation};
use crate::engine::transcript::Event;
use crate::engine::{ReplyAnalyser, sim::Customer};
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

/// Runs every seed and builds the report.
pub fn calibrate(spec: &CalibrationSpec) -> Result<Report, String> {
    let seeds: Vec<u64> = (0..spec.seeds).map(|i| spec.first_seed + i).collect();
    let threads = spec.threads.clamp(1, seeds.len().max(1));
    let chunk = seeds.len().div_ceil(threads).max(1);
    let results: Vec<Result<Tally, String>> = std::thread::scope(|scope| {
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
            .map(|h| {
                h.join()
                    .unwrap_or_else(|_| Err("a calibration thread failed".into()))
            })
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

fn play(spec: &CalibrationSpec, seed: u64, policy: PolicyConfig) -> Result<Simulation, String> {
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
    Ok(run(Arc::clone(&spec.scenario), run_spec)
        .map_err(|e| e.to_string())?
        .sim)
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

fn measure_seed(spec: &CalibrationSpec, seed: u64) -> Result<Tally, String> {
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
            && let Some(slot) = depth.get_mut(message as usize)
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

fn share(part: u64, whole: u64) -> Option<f64> {
    (whole >= MIN_SAMPLE).then(|| part as f64 / whole as f64)
}

/// A line with no figure yet: what is measured and what the figures say.
fn line(
    id: &'static str,
    section: &'static str,
    measure: String,
    published: &'static str,
    unit: Unit,
) -> Line {
    Line {
        id,
        section,
        measure,
        published,
        unit,
        model: None,
        sample: 0,
        tolerance: Tolerance::AtLeast { low: 0.0 },
        verdict: Verdict::NotMeasured,
    }
}

impl Line {
    /// Sets the model's figure and judges it.
    fn judged(mut self, model: Option<f64>, sample: u64, tolerance: Tolerance) -> Line {
        self.model = model;
        self.sample = sample;
        self.tolerance = tolerance;
        self.verdict = match model {
            None => Verdict::NotMeasured,
            Some(value) if tolerance.accepts(value) => Verdict::Pass,
            Some(_) => Verdict::Fail,
        };
        self
    }
}

const UNANSWERED: &str = "Customers left unanswered";
const EXPECTATIONS: &str = "Expected reply times";
const SPEED: &str = "The value of speed";
const CASCADES: &str = "Cascades";

fn lines(t: &Tally) -> Vec<Line> {
    let within = |target: f64, plus_minus: f64| Tolerance::Within { target, plus_minus };
    let mut out = vec![
        line(
            "unanswered_negative",
            UNANSWERED,
            "share who take a negative action (escalate, shame, switch)".into(),
            "60% (Lithium / Millward Brown 2013)",
            Unit::Share,
        )
        .judged(
            share(t.ignored_negative, t.ignored),
            t.ignored,
            within(0.60, 0.10),
        ),
        line(
            "unanswered_churn",
            UNANSWERED,
            "share who switch to the competitor (churn)".into(),
            "30% (Sprout Social Index 2016)",
            Unit::Share,
        )
        .judged(
            share(t.ignored_churned, t.ignored),
            t.ignored,
            within(0.30, 0.08),
        ),
        line(
            "unanswered_shame",
            UNANSWERED,
            "share who shame the brand publicly".into(),
            "15% (Lithium / Millward Brown 2013)",
            Unit::Share,
        )
        .judged(
            share(t.ignored_shamed, t.ignored),
            t.ignored,
            within(0.15, 0.05),
        ),
    ];

    let surveys: [(&'static str, Channel, usize, &'static str, Tolerance); 5] = [
        (
            "expect_twitter_30min",
            Channel::Twitter,
            0,
            "20% (Lithium 2013, Twitter)",
            within(0.20, 0.07),
        ),
        (
            "expect_twitter_1h",
            Channel::Twitter,
            1,
            "53% (Lithium 2013, Twitter)",
            within(0.53, 0.07),
        ),
        (
            "expect_twitter_2h",
            Channel::Twitter,
            2,
            "65% (Lithium 2013, Twitter)",
            within(0.65, 0.07),
        ),
        (
            "expect_facebook_1h",
            Channel::Facebook,
            1,
            "42% (Edison 2012) to 49.8% (Arise 2017) on social media; Facebook more tolerant than Twitter (53%)",
            Tolerance::Between {
                low: 0.35,
                high: 0.53,
            },
        ),
        (
            "expect_facebook_24h",
            Channel::Facebook,
            3,
            "79.2% (Arise 2017)",
            within(0.792, 0.07),
        ),
    ];
    for (id, channel, index, published, tolerance) in surveys {
        let row = &t.expecting[channel as usize];
        let name = match channel {
            Channel::Twitter => "Twitter",
            Channel::Facebook => "Facebook",
        };
        let measure = format!(
            "{name}: share expecting a reply within {}",
            duration_label(EXPECTATION_MIN[index])
        );
        out.push(
            line(id, EXPECTATIONS, measure, published, Unit::Share).judged(
                share(row[1 + index], row[0]),
                row[0],
                tolerance,
            ),
        );
    }

    // Lift: how much more often a customer ends favourable when answered at that speed than
    // when ignored (the AMS studies compare answered customers with ignored ones).
    let baseline = share(t.ignored_favourable, t.ignored).unwrap_or(0.0);
    let pooled = |bins: std::ops::Range<usize>| -> (u64, u64) {
        t.speed[bins]
            .iter()
            .fold((0, 0), |(n, good), b| (n + b[0], good + b[1]))
    };
    let lift = |(n, good): (u64, u64)| share(good, n).map(|s| s - baseline);
    let ratio = |fast: (u64, u64), late: (u64, u64)| match (lift(fast), lift(late)) {
        (Some(f), Some(l)) if l > 0.0 => Some(f / l),
        (Some(_), Some(_)) => Some(f64::INFINITY),
        _ => None,
    };
    let (under_4, under_6) = (pooled(0..1), pooled(0..2));
    let (over_20, over_60) = (pooled(3..5), pooled(4..5));
    out.push(
        line(
            "speed_airline_ratio",
            SPEED,
            "gain of a reply under 6 min over a reply after 60 min".into(),
            "×8.6: $20 vs $2.33 more on a next ticket (Twitter / AMS 2016, airlines)",
            Unit::Ratio,
        )
        .judged(
            ratio(under_6, over_60),
            under_6.0.min(over_60.0),
            Tolerance::Between {
                low: 4.3,
                high: 17.2,
            },
        ),
    );
    out.push(
        line(
            "speed_telecom_ratio",
            SPEED,
            "gain of a reply under 4 min over a reply after 20 min".into(),
            "×4.9: $17 vs $3.50 more a month (Twitter / AMS 2016, telecoms)",
            Unit::Ratio,
        )
        .judged(
            ratio(under_4, over_20),
            under_4.0.min(over_20.0),
            Tolerance::Between {
                low: 2.4,
                high: 9.7,
            },
        ),
    );
    let bins = [pooled(0..2), pooled(2..3), pooled(3..4), pooled(4..5)];
    let lifts: Vec<Option<f64>> = bins.iter().map(|&b| lift(b)).collect();
    let rises = if lifts.iter().all(Option::is_some) {
        let values: Vec<f64> = lifts.iter().flatten().copied().collect();
        Some(values.windows(2).filter(|w| w[1] > w[0]).count() as f64)
    } else {
        None
    };
    let shown = lifts
        .iter()
        .map(|l| l.map_or("-".into(), |v| format!("{:+.0}%", v * 100.0)))
        .collect::<Vec<_>>()
        .join(", ");
    out.push(
        line(
            "speed_monotone",
            SPEED,
            format!("steps where a later reply does better (gain by first reply <6, 6-20, 20-60, >60 min: {shown})"),
            "0: the value of a reply falls with its delay (Twitter / AMS 2016)",
            Unit::Count,
        )
        .judged(
            rises,
            bins.iter().map(|b| b.0).min().unwrap_or(0),
            Tolerance::AtMost { high: 0.0 },
        ),
    );
    out.push(
        line(
            "speed_more_favourable",
            SPEED,
            format!("share ending more favourable after a reply, team answering at {AMS_MEDIAN_DELAY_MIN} min"),
            "69% of those who tweeted negatively (Twitter / AMS 2016, median first reply ~22 min)",
            Unit::Share,
        )
        .judged(
            share(t.ams_favourable, t.ams_answered),
            t.ams_answered,
            within(0.69, 0.10),
        ),
    );
    out.push(
        line(
            "cascade_share",
            CASCADES,
            "share of public customer posts reshared at least once".into(),
            "a minority: most posts never spread (Goel, Watts & Goldstein 2012)",
            Unit::Share,
        )
        .judged(
            share(t.reshared_posts, t.posts),
            t.posts,
            Tolerance::AtMost { high: 0.5 },
        ),
    );
    out.push(
        line(
            "cascade_one_hop",
            CASCADES,
            "share of cascades that die within one hop".into(),
            "the vast majority (Goel, Watts & Goldstein 2012)",
            Unit::Share,
        )
        .judged(
            share(t.reshared_posts - t.deep_posts, t.reshared_posts),
            t.reshared_posts,
            Tolerance::AtLeast { low: 0.8 },
        ),
    );
    out
}

fn duration_label(minutes: u64) -> String {
    if minutes.is_multiple_of(60) {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
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
