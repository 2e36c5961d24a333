//! The published figures the customers' behaviour is set beside, one line each, with its
//! source and its tolerance.

use super::{
    AMS_MEDIAN_DELAY_MIN, EXPECTATION_MIN, Line, MIN_SAMPLE, Tally, Tolerance, Unit, Verdict,
};
use crate::engine::scenario::Channel;

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

pub(super) fn lines(t: &Tally) -> Vec<Line> {
    let mut out = unanswered_lines(t);
    out.extend(expectation_lines(t));
    out.extend(speed_lines(t));
    out.extend(cascade_lines(t));
    out
}

fn within(target: f64, plus_minus: f64) -> Tolerance {
    Tolerance::Within { target, plus_minus }
}

/// What customers left unanswered do (Lithium / Millward Brown, Sprout Social).
fn unanswered_lines(t: &Tally) -> Vec<Line> {
    vec![
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
    ]
}

/// How soon customers expect a reply, by channel (Lithium, Edison, Arise).
fn expectation_lines(t: &Tally) -> Vec<Line> {
    let mut out = Vec::new();
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
    out
}

/// What a reply's speed is worth (Twitter / AMS 2016).
fn speed_lines(t: &Tally) -> Vec<Line> {
    let mut out = Vec::new();
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
    out
}

/// How far customers' posts spread (Goel, Watts & Goldstein 2012).
fn cascade_lines(t: &Tally) -> Vec<Line> {
    vec![
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
    ]
}

fn duration_label(minutes: u64) -> String {
    if minutes.is_multiple_of(60) {
        format!("{} h", minutes / 60)
    } else {
        format!("{minutes} min")
    }
}
