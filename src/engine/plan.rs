//! A validated scenario compiled for the simulation: ids resolved to indexes, minutes to
//! integer milliseconds, the arrival rate to linear segments, multipliers to steps.

use super::rng::PowerLaw;
use super::scenario::{Channel, Scenario, Timeline, TimelineEvent, minutes_to_ms};

pub const MS_PER_HOUR: f64 = 3_600_000.0;

/// One stretch where the arrival rate (per ms) is linear between its ends.
#[derive(Clone, Debug)]
pub struct Segment {
    pub start_ms: u64,
    pub end_ms: u64,
    pub rate_start: f64,
    pub rate_end: f64,
}

impl Segment {
    pub fn max_rate(&self) -> f64 {
        self.rate_start.max(self.rate_end)
    }
    pub fn rate_at(&self, t_ms: f64) -> f64 {
        let span = (self.end_ms - self.start_ms) as f64;
        if span <= 0.0 {
            return self.rate_start;
        }
        let x = (t_ms - self.start_ms as f64) / span;
        self.rate_start + (self.rate_end - self.rate_start) * x
    }
    pub fn expected(&self) -> f64 {
        (self.rate_start + self.rate_end) * 0.5 * (self.end_ms - self.start_ms) as f64
    }
}

/// A piecewise-constant multiplier: `(from_ms, value)` steps, sorted; 1 before the first.
#[derive(Clone, Debug, Default)]
pub struct Steps {
    steps: Vec<(u64, f64)>,
}

impl Steps {
    fn build(boundaries: &[u64], value_at: impl Fn(u64) -> f64) -> Steps {
        Steps {
            steps: boundaries.iter().map(|b| (*b, value_at(*b))).collect(),
        }
    }

    pub fn at(&self, t_ms: u64) -> f64 {
        match self.steps.partition_point(|(from, _)| *from <= t_ms) {
            0 => 1.0,
            i => self.steps[i - 1].1,
        }
    }

    /// The integral of the multiplier over [from, to], in ms.
    pub fn integral(&self, from_ms: u64, to_ms: u64) -> f64 {
        if to_ms <= from_ms {
            return 0.0;
        }
        let mut total = 0.0;
        let mut cursor = from_ms;
        let mut value = self.at(from_ms);
        let first = self.steps.partition_point(|(from, _)| *from <= from_ms);
        for (from, next_value) in &self.steps[first..] {
            if *from >= to_ms {
                break;
            }
            total += value * (*from - cursor) as f64;
            cursor = *from;
            value = *next_value;
        }
        total + value * (to_ms - cursor) as f64
    }
}

pub struct Plan {
    pub duration_ms: u64,
    pub segments: Vec<Segment>,
    /// Expected scheduled arrivals before scaling.
    pub expected_arrivals: f64,
    pub anger_steps: Steps,
    pub buzz_steps: Steps,
    pub sample_every_ms: u64,
    pub relax_half_life_ms: f64,
    pub buzz_half_life_ms: f64,
    /// Bit of each detail id, by index in `scenario.details`.
    pub kind_needed: Vec<u64>,
    pub kind_service: Vec<Option<usize>>,
    pub kind_personas: Vec<Vec<bool>>,
    pub service_required: Vec<u64>,
    pub expectation_ms: [Vec<(f64, f64)>; 2],
    /// The resharers' audiences, a power law worked out once for every cascade.
    pub resharer_followers: PowerLaw,
}

impl Plan {
    /// Compiles a scenario that passed validation. Ids are looked up defensively: an unknown
    /// id here is a validation gap, reported rather than panicking.
    pub fn compile(scenario: &Scenario, rate_scale: f64) -> Result<Plan, PlanError> {
        let cases = Cases::compile(scenario)?;
        let duration_ms = minutes_to_ms(scenario.duration_min);
        let timeline = &scenario.timeline;
        let (bounds, event_edges) = boundaries(timeline, duration_ms);
        let segments: Vec<Segment> = bounds
            .windows(2)
            .map(|pair| {
                let (start_ms, end_ms) = (pair[0], pair[1]);
                let multiplier = event_product(timeline, start_ms, |e| e.rate_multiplier);
                Segment {
                    start_ms,
                    end_ms,
                    rate_start: phase_rate_per_ms(timeline, start_ms, start_ms, rate_scale)
                        * multiplier,
                    rate_end: phase_rate_per_ms(timeline, end_ms, start_ms, rate_scale)
                        * multiplier,
                }
            })
            .collect();
        let expected_arrivals = segments.iter().map(Segment::expected).sum();
        let expectation_ms = [Channel::Twitter, Channel::Facebook].map(|channel| {
            scenario
                .channels
                .get(channel)
                .expectation
                .iter()
                .map(|q| (q.share, q.within_min * 60_000.0))
                .collect()
        });
        Ok(Plan {
            duration_ms,
            segments,
            expected_arrivals,
            anger_steps: Steps::build(&event_edges, |t| {
                event_product(timeline, t, |e| e.anger_multiplier)
            }),
            buzz_steps: Steps::build(&event_edges, |t| {
                event_product(timeline, t, |e| e.buzz_multiplier)
            }),
            sample_every_ms: minutes_to_ms(scenario.model.sample_every_min).max(1000),
            relax_half_life_ms: scenario.model.relax_half_life_min * 60_000.0,
            buzz_half_life_ms: scenario.model.buzz_half_life_min * 60_000.0,
            kind_needed: cases.kind_needed,
            kind_service: cases.kind_service,
            kind_personas: cases.kind_personas,
            service_required: cases.service_required,
            expectation_ms,
            resharer_followers: {
                let resharers = scenario.model.cascade.resharer_followers;
                PowerLaw::new(
                    resharers.min.max(1) as f64,
                    resharers.max.max(resharers.min + 1) as f64,
                    resharers.exponent,
                )
            },
        })
    }

    /// The phase that holds minute `t_ms`, if any.
    pub fn phase_at<'a>(
        &self,
        scenario: &'a Scenario,
        t_ms: u64,
    ) -> Option<&'a super::scenario::Phase> {
        scenario
            .timeline
            .phases
            .iter()
            .find(|p| minutes_to_ms(p.start_min) <= t_ms && t_ms < minutes_to_ms(p.end_min))
    }
}

/// A scenario id that validation should have caught.
#[derive(Clone, Debug, PartialEq, thiserror::Error)]
pub enum PlanError {
    #[error("unknown detail {0:?}")]
    UnknownDetail(String),
    #[error("unknown service {0:?}")]
    UnknownService(String),
}

/// What each request kind needs, resolved to indexes and bit sets.
struct Cases {
    kind_needed: Vec<u64>,
    kind_service: Vec<Option<usize>>,
    kind_personas: Vec<Vec<bool>>,
    service_required: Vec<u64>,
}

impl Cases {
    fn compile(scenario: &Scenario) -> Result<Cases, PlanError> {
        let detail_bit = |id: &str| -> Result<u64, PlanError> {
            scenario
                .details
                .iter()
                .position(|d| d.id == id)
                .map(|i| 1u64 << i)
                .ok_or_else(|| PlanError::UnknownDetail(id.to_string()))
        };
        let mask = |ids: &[String]| -> Result<u64, PlanError> {
            ids.iter()
                .try_fold(0u64, |acc, id| Ok(acc | detail_bit(id)?))
        };
        let mut cases = Cases {
            kind_needed: Vec::new(),
            kind_service: Vec::new(),
            kind_personas: Vec::new(),
            service_required: Vec::new(),
        };
        for kind in &scenario.kinds {
            cases.kind_needed.push(mask(&kind.needed_details)?);
            cases.kind_service.push(match &kind.service {
                Some(id) => Some(
                    scenario
                        .services
                        .iter()
                        .position(|s| &s.id == id)
                        .ok_or_else(|| PlanError::UnknownService(id.clone()))?,
                ),
                None => None,
            });
            cases.kind_personas.push(
                scenario
                    .personas
                    .iter()
                    .map(|p| kind.personas.is_empty() || kind.personas.contains(&p.id))
                    .collect(),
            );
        }
        cases.service_required = scenario
            .services
            .iter()
            .map(|s| mask(&s.required_details))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(cases)
    }
}

/// The product of the events' multipliers in force at `t`.
fn event_product(timeline: &Timeline, t: u64, pick: impl Fn(&TimelineEvent) -> f64) -> f64 {
    timeline
        .events
        .iter()
        .filter(|e| minutes_to_ms(e.start_min) <= t && t < minutes_to_ms(e.end_min))
        .map(pick)
        .product::<f64>()
}

/// Every place where the rate's formula changes, and where an event starts or ends; both
/// sorted, without repeats.
fn boundaries(timeline: &Timeline, duration_ms: u64) -> (Vec<u64>, Vec<u64>) {
    let mut bounds: Vec<u64> = vec![0, duration_ms];
    for phase in &timeline.phases {
        bounds.push(minutes_to_ms(phase.start_min));
        bounds.push(minutes_to_ms(phase.end_min));
        bounds.extend(phase.rate_per_hour.iter().map(|(m, _)| minutes_to_ms(*m)));
    }
    let mut event_edges: Vec<u64> = Vec::new();
    for event in &timeline.events {
        event_edges.push(minutes_to_ms(event.start_min));
        event_edges.push(minutes_to_ms(event.end_min));
    }
    bounds.extend(&event_edges);
    bounds.retain(|b| *b <= duration_ms);
    bounds.sort_unstable();
    bounds.dedup();
    event_edges.sort_unstable();
    event_edges.dedup();
    (bounds, event_edges)
}

/// The phase curve at `t_ms`, per ms, approached from inside the segment that starts at
/// `segment_start`.
fn phase_rate_per_ms(timeline: &Timeline, t_ms: u64, segment_start: u64, rate_scale: f64) -> f64 {
    let phase = timeline.phases.iter().find(|p| {
        minutes_to_ms(p.start_min) <= segment_start && segment_start < minutes_to_ms(p.end_min)
    });
    let Some(phase) = phase else { return 0.0 };
    let points = &phase.rate_per_hour;
    let t_min = t_ms as f64 / 60_000.0;
    let per_hour = match points.iter().position(|(m, _)| *m >= t_min) {
        None => points.last().map_or(0.0, |p| p.1),
        Some(0) => points[0].1,
        Some(i) => {
            let (m0, r0) = points[i - 1];
            let (m1, r1) = points[i];
            if m1 > m0 {
                r0 + (r1 - r0) * (t_min - m0) / (m1 - m0)
            } else {
                r1
            }
        }
    };
    per_hour * rate_scale / MS_PER_HOUR
}

/// Draws an expected reply time from cumulative shares, interpolating in log-time; past the
/// last share, the tail goes on at the last segment's log-slope.
pub fn expectation_from_quantiles(points: &[(f64, f64)], u: f64) -> f64 {
    let first = points[0];
    if u <= first.0 {
        // Below the first share: log-uniform from a tenth of its time.
        let low = libm::log(first.1 / 10.0);
        let high = libm::log(first.1);
        let x = if first.0 > 0.0 { u / first.0 } else { 1.0 };
        return libm::exp(low + (high - low) * x);
    }
    for pair in points.windows(2) {
        let ((s0, t0), (s1, t1)) = (pair[0], pair[1]);
        if u <= s1 && s1 > s0 {
            let x = (u - s0) / (s1 - s0);
            return libm::exp(libm::log(t0) + (libm::log(t1) - libm::log(t0)) * x);
        }
    }
    let last = points[points.len() - 1];
    if points.len() >= 2 && last.0 < 1.0 {
        let before = points[points.len() - 2];
        let slope = (libm::log(last.1) - libm::log(before.1)) / (last.0 - before.0).max(1e-9);
        let grown = libm::log(last.1) + slope * (u - last.0);
        return libm::exp(grown.min(libm::log(last.1) + 3.0));
    }
    last.1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_integrate_piecewise() {
        let steps = Steps {
            steps: vec![(100, 2.0), (200, 1.0)],
        };
        assert_eq!(steps.at(50), 1.0);
        assert_eq!(steps.at(150), 2.0);
        assert_eq!(steps.integral(0, 300), 100.0 + 200.0 + 100.0);
        assert_eq!(steps.integral(150, 160), 20.0);
    }

    #[test]
    fn expectation_quantiles_are_respected() {
        let points = [(0.2, 30.0), (0.53, 60.0), (0.65, 120.0), (0.9, 1440.0)];
        assert!((expectation_from_quantiles(&points, 0.2) - 30.0).abs() < 1e-9);
        assert!((expectation_from_quantiles(&points, 0.53) - 60.0).abs() < 1e-9);
        let mid = expectation_from_quantiles(&points, 0.365);
        assert!(mid > 30.0 && mid < 60.0);
        assert!(expectation_from_quantiles(&points, 0.05) < 30.0);
        assert!(expectation_from_quantiles(&points, 0.99) > 1440.0);
    }
}
