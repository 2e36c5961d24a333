//! Reading and validating scenario files. Every fault is reported as `file:line:col: message`,
//! all at once, and a hostile file (huge, deeply nested, absurd rates) is refused before it
//! can cost memory or time.

use super::plan::Plan;
use super::scenario::{Followers, Range, Scenario, Template, Text, minutes_to_ms};
use std::collections::{BTreeMap, BTreeSet};
use std::fmt;
use std::path::Path;

pub const MAX_FILE_BYTES: u64 = 4 * 1024 * 1024;
pub const MAX_TEXT_CHARS: usize = 2000;
pub const MAX_RATE_PER_HOUR: f64 = 100_000.0;
pub const MAX_EXPECTED_CUSTOMERS: f64 = 1_000_000.0;
pub const MAX_DURATION_MIN: f64 = 7.0 * 24.0 * 60.0;
pub const MAX_FOLLOWERS: u32 = 100_000_000;
const PLACEHOLDERS: &[&str] = &[
    "brand",
    "care",
    "corporate",
    "competitor",
    "handle",
    "wait",
    "details",
];

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

/// A loaded scenario and the SHA-256 of its bytes (recorded in transcripts).
pub struct Loaded {
    pub scenario: Scenario,
    pub sha256: String,
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
    Ok(Loaded {
        scenario,
        sha256: super::transcript::sha256_hex(source.as_bytes()),
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
        vec![ScenarioError {
            file: file.into(),
            line: e.span.start.line.max(1),
            col: e.span.start.col.max(1),
            message: e.code.to_string(),
        }]
    })?;
    let problems = validate(&scenario);
    if problems.is_empty() {
        return Ok(scenario);
    }
    let positions = locate_paths(source);
    Err(problems
        .into_iter()
        .map(|p| {
            let (line, col) = nearest_position(&positions, &p.path);
            ScenarioError {
                file: file.into(),
                line,
                col,
                message: format!("{}: {}", p.path, p.message),
            }
        })
        .collect())
}

/// A semantic fault at a path such as `personas[2].weight`.
#[derive(Clone, Debug)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

struct Checker {
    problems: Vec<Problem>,
}

impl Checker {
    fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }
    fn text(&mut self, path: &str, text: &Text) {
        for (lang, value) in [("fr", &text.fr), ("en", &text.en)] {
            self.string(&format!("{path}.{lang}"), value, lang);
        }
    }
    fn string(&mut self, path: &str, value: &str, lang: &str) {
        if value.trim().is_empty() {
            let name = if lang == "fr" { "French" } else { "English" };
            self.fail(path, format!("the {name} text is missing"));
        } else if value.chars().count() > MAX_TEXT_CHARS {
            self.fail(
                path,
                format!(
                    "text of {} characters; at most {MAX_TEXT_CHARS}",
                    value.chars().count()
                ),
            );
        }
    }
    fn templates(&mut self, path: &str, templates: &[Template]) {
        if templates.is_empty() {
            self.fail(path, "needs at least one text");
        }
        for (i, t) in templates.iter().enumerate() {
            let here = format!("{path}[{i}]");
            for (lang, value) in [("fr", &t.fr), ("en", &t.en)] {
                self.string(&format!("{here}.{lang}"), value, lang);
                for placeholder in placeholders(value) {
                    if !PLACEHOLDERS.contains(&placeholder) {
                        self.fail(
                            format!("{here}.{lang}"),
                            format!(
                                "unknown placeholder {{{placeholder}}}; known: {}",
                                PLACEHOLDERS.join(", ")
                            ),
                        );
                    }
                }
            }
        }
    }
    fn probability(&mut self, path: String, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.fail(
                path,
                format!("{value} is not a probability between 0 and 1"),
            );
        }
    }
    fn positive(&mut self, path: String, value: f64) {
        if !(value.is_finite() && value > 0.0) {
            self.fail(path, format!("{value} must be a positive number"));
        }
    }
    fn non_negative(&mut self, path: String, value: f64, max: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.fail(path, format!("{value} must be zero or more"));
        } else if value > max {
            self.fail(path, format!("{value} is more than the limit of {max}"));
        }
    }
    fn range(&mut self, path: &str, range: Range, max: f64) {
        self.non_negative(format!("{path}.min"), range.min, max);
        self.non_negative(format!("{path}.max"), range.max, max);
        if range.max < range.min {
            self.fail(
                format!("{path}.max"),
                format!("max {} is below min {}", range.max, range.min),
            );
        }
    }
    fn unique_ids<'a>(
        &mut self,
        path: &str,
        ids: impl Iterator<Item = &'a String>,
    ) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                self.fail(
                    format!("{path}[{i}].id"),
                    format!("id {id:?} must be letters, digits, '_' or '-'"),
                );
            }
            if !seen.insert(id.as_str()) {
                self.fail(
                    format!("{path}[{i}].id"),
                    format!("id {id:?} is used twice"),
                );
            }
        }
        seen
    }
    fn known(&mut self, path: String, id: &str, known: &BTreeSet<&str>, what: &str) {
        if !known.contains(id) {
            let list: Vec<&str> = known.iter().copied().collect();
            self.fail(
                path,
                format!("unknown {what} {id:?}; known: {}", list.join(", ")),
            );
        }
    }
}

fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}

/// Mean of a bounded power law, for the cascade stability check.
fn mean_followers(f: &Followers) -> f64 {
    let (a, b, k) = (f.min.max(1) as f64, f.max.max(f.min + 1) as f64, f.exponent);
    if (k - 2.0).abs() < 1e-9 {
        return (libm::log(b) - libm::log(a)) / (1.0 / a - 1.0 / b);
    }
    let norm = (1.0 - k) / (libm::pow(b, 1.0 - k) - libm::pow(a, 1.0 - k));
    norm * (libm::pow(b, 2.0 - k) - libm::pow(a, 2.0 - k)) / (2.0 - k)
}

pub fn validate(s: &Scenario) -> Vec<Problem> {
    let mut check = Checker {
        problems: Vec::new(),
    };
    let c = &mut check;
    if s.id.is_empty()
        || !s
            .id
            .chars()
            .all(|ch| ch.is_ascii_alphanumeric() || ch == '_' || ch == '-')
    {
        c.fail(
            "id",
            format!("id {:?} must be letters, digits, '_' or '-'", s.id),
        );
    }
    c.text("title", &s.title);
    c.text("description", &s.description);
    for (i, goal) in s.learning_goals.iter().enumerate() {
        c.text(&format!("learning_goals[{i}]"), goal);
    }
    if !(1..=5).contains(&s.difficulty) {
        c.fail(
            "difficulty",
            format!("{} is not between 1 and 5", s.difficulty),
        );
    }
    c.positive("duration_min".into(), s.duration_min);
    if s.duration_min > MAX_DURATION_MIN {
        c.fail(
            "duration_min",
            format!(
                "{} minutes is longer than a week ({MAX_DURATION_MIN})",
                s.duration_min
            ),
        );
    }
    if s.start.weekday > 6 || s.start.hour > 23 || s.start.minute > 59 {
        c.fail("start", "weekday 0-6, hour 0-23, minute 0-59");
    }
    if !(1..=50).contains(&s.team_size) {
        c.fail(
            "team_size",
            format!("{} advisers; between 1 and 50", s.team_size),
        );
    }
    for handle in ["corporate", "care"] {
        let h = if handle == "care" {
            &s.brand.care
        } else {
            &s.brand.corporate
        };
        if h.twitter.trim().is_empty() || h.facebook.trim().is_empty() {
            c.fail(
                format!("brand.{handle}"),
                "both the Twitter handle and the Facebook page are needed",
            );
        }
    }
    for (i, post) in s.brand.promo_posts.iter().enumerate() {
        c.text(&format!("brand.promo_posts[{i}].text"), &post.text);
    }
    if let Some(hint) = &s.brand.sign_off_hint {
        c.text("brand.sign_off_hint", hint);
    }

    for (name, spec) in [
        ("twitter", &s.channels.twitter),
        ("facebook", &s.channels.facebook),
    ] {
        let path = format!("channels.{name}");
        for (field, value) in [
            ("public_char_limit", spec.public_char_limit),
            ("private_char_limit", spec.private_char_limit),
        ] {
            if value == 0 || value > 100_000 {
                c.fail(
                    format!("{path}.{field}"),
                    format!("{value} characters; between 1 and 100000"),
                );
            }
        }
        if spec.expectation.is_empty() {
            c.fail(
                format!("{path}.expectation"),
                "needs at least one share, e.g. (share: 0.2, within_min: 30)",
            );
        }
        let mut previous = (0.0, 0.0);
        for (i, q) in spec.expectation.iter().enumerate() {
            let here = format!("{path}.expectation[{i}]");
            if !(q.share > previous.0 && q.share <= 1.0) {
                c.fail(
                    format!("{here}.share"),
                    format!(
                        "shares must rise strictly within (0, 1]; {} follows {}",
                        q.share, previous.0
                    ),
                );
            }
            if !(q.within_min.is_finite() && q.within_min > previous.1) {
                c.fail(
                    format!("{here}.within_min"),
                    format!(
                        "times must rise strictly; {} follows {}",
                        q.within_min, previous.1
                    ),
                );
            }
            previous = (q.share, q.within_min);
        }
        c.non_negative(
            format!("{path}.anger_growth_per_hour"),
            spec.anger_growth_per_hour,
            1000.0,
        );
        c.positive(format!("{path}.response_norm_min"), spec.response_norm_min);
    }

    if s.details.len() > 64 {
        c.fail(
            "details",
            format!("{} details; at most 64", s.details.len()),
        );
    }
    let details = c.unique_ids("details", s.details.iter().map(|d| &d.id));
    for (i, d) in s.details.iter().enumerate() {
        c.text(&format!("details[{i}].label"), &d.label);
        if d.pattern.is_empty() || d.pattern.chars().count() > 64 {
            c.fail(
                format!("details[{i}].pattern"),
                "a pattern of 1 to 64 characters, '#' for a digit",
            );
        }
    }
    let services = c.unique_ids("services", s.services.iter().map(|x| &x.id));
    for (i, service) in s.services.iter().enumerate() {
        let here = format!("services[{i}]");
        c.text(&format!("{here}.name"), &service.name);
        c.text(&format!("{here}.handles"), &service.handles);
        for (j, d) in service.required_details.iter().enumerate() {
            c.known(
                format!("{here}.required_details[{j}]"),
                d,
                &details,
                "detail",
            );
        }
        c.range(
            &format!("{here}.resolution_min"),
            service.resolution_min,
            30.0 * 24.0 * 60.0,
        );
    }

    if s.personas.is_empty() {
        c.fail("personas", "needs at least one persona");
    }
    let personas = c.unique_ids("personas", s.personas.iter().map(|p| &p.id));
    for (i, p) in s.personas.iter().enumerate() {
        let here = format!("personas[{i}]");
        c.text(&format!("{here}.label"), &p.label);
        c.text(&format!("{here}.bio"), &p.bio);
        c.non_negative(format!("{here}.weight"), p.weight, 1e9);
        if p.handles.is_empty()
            || p.handles
                .iter()
                .any(|h| h.trim().is_empty() || h.len() > 30)
        {
            c.fail(
                format!("{here}.handles"),
                "needs handle stems of 1 to 30 characters",
            );
        }
        c.positive(format!("{here}.patience"), p.patience);
        c.non_negative(format!("{here}.irritability"), p.irritability, 100.0);
        c.range(&format!("{here}.initial_anger"), p.initial_anger, 100.0);
        let f = p.followers;
        if f.min == 0 || f.max < f.min || f.max > MAX_FOLLOWERS {
            c.fail(
                format!("{here}.followers"),
                format!("min 1 or more, max at least min and at most {MAX_FOLLOWERS}"),
            );
        }
        if !(f.exponent.is_finite() && f.exponent > 1.0 && f.exponent <= 10.0) {
            c.fail(
                format!("{here}.followers.exponent"),
                format!("{} must be above 1 (about 2.3)", f.exponent),
            );
        }
        for (field, value) in [
            ("dm_willingness", p.dm_willingness),
            ("dislikes_templates", p.dislikes_templates),
            ("preempts_template", p.preempts_template),
            ("posts_data_in_public", p.posts_data_in_public),
            ("spontaneous_details", p.spontaneous_details),
            ("bad_faith", p.bad_faith),
            ("insult", p.insult),
            ("cancel_threat", p.cancel_threat),
            ("shame", p.shame),
            ("thanks", p.thanks),
        ] {
            c.probability(format!("{here}.{field}"), value);
        }
    }
    if s.personas.iter().all(|p| p.weight <= 0.0) && !s.personas.is_empty() {
        c.fail("personas", "at least one persona needs a weight above 0");
    }

    if s.kinds.is_empty() {
        c.fail("kinds", "needs at least one request kind");
    }
    let kinds = c.unique_ids("kinds", s.kinds.iter().map(|k| &k.id));
    for (i, k) in s.kinds.iter().enumerate() {
        let here = format!("kinds[{i}]");
        c.text(&format!("{here}.label"), &k.label);
        c.non_negative(format!("{here}.weight"), k.weight, 1e9);
        if let Some(service) = &k.service {
            c.known(format!("{here}.service"), service, &services, "service");
            if let Some(spec) = s.services.iter().find(|x| &x.id == service) {
                for d in &spec.required_details {
                    if !k.needed_details.contains(d) {
                        c.fail(
                            format!("{here}.needed_details"),
                            format!("service {service:?} requires {d:?}: add it, or no transfer could succeed"),
                        );
                    }
                }
            }
        }
        for (j, d) in k.needed_details.iter().enumerate() {
            c.known(format!("{here}.needed_details[{j}]"), d, &details, "detail");
        }
        if !k.needed_details.is_empty() && !k.personal_data {
            c.fail(
                format!("{here}.personal_data"),
                "the request needs details, which are personal data: set personal_data: true",
            );
        }
        if k.personal_data && k.service.is_none() {
            c.fail(
                format!("{here}.service"),
                "a request with personal data must name the service that handles it",
            );
        }
        for (j, p) in k.personas.iter().enumerate() {
            c.known(format!("{here}.personas[{j}]"), p, &personas, "persona");
        }
        if let Some(share) = k.corporate_share {
            c.probability(format!("{here}.corporate_share"), share);
        }
        if !(k.anger.is_finite() && (-100.0..=100.0).contains(&k.anger)) {
            c.fail(
                format!("{here}.anger"),
                format!("{} must be between -100 and 100", k.anger),
            );
        }
        c.templates(&format!("{here}.messages"), &k.messages);
    }
    for (i, p) in s.personas.iter().enumerate() {
        let reachable = s
            .kinds
            .iter()
            .any(|k| k.weight > 0.0 && (k.personas.is_empty() || k.personas.contains(&p.id)));
        if p.weight > 0.0 && !reachable {
            c.fail(
                format!("personas[{i}]"),
                format!(
                    "no request kind with a weight above 0 is open to persona {:?}",
                    p.id
                ),
            );
        }
    }

    let t = &s.texts;
    for (name, list) in [
        ("followup", &t.followup),
        ("cancel_threat", &t.cancel_threat),
        ("insult", &t.insult),
        ("tag_competitor", &t.tag_competitor),
        ("witnesses", &t.witnesses),
        ("shame", &t.shame),
        ("preempt_template", &t.preempt_template),
        ("dm_accept", &t.dm_accept),
        ("dm_open", &t.dm_open),
        ("dm_details", &t.dm_details),
        ("dm_refuse", &t.dm_refuse),
        ("public_data", &t.public_data),
        ("refuse_public_data", &t.refuse_public_data),
        ("acknowledged", &t.acknowledged),
        ("thanks_public", &t.thanks_public),
        ("bounce_back", &t.bounce_back),
        ("redirected", &t.redirected),
        ("censored", &t.censored),
    ] {
        c.templates(&format!("texts.{name}"), list);
    }

    let duration = s.duration_min;
    if s.timeline.phases.is_empty() {
        c.fail("timeline.phases", "needs at least one phase");
    }
    let mut previous_end = 0.0;
    for (i, phase) in s.timeline.phases.iter().enumerate() {
        let here = format!("timeline.phases[{i}]");
        c.text(&format!("{here}.label"), &phase.label);
        if !(phase.start_min >= 0.0 && phase.start_min < phase.end_min && phase.end_min <= duration)
        {
            c.fail(
                here.clone(),
                format!(
                    "start {} and end {} must satisfy 0 <= start < end <= duration ({duration})",
                    phase.start_min, phase.end_min
                ),
            );
        }
        if phase.start_min < previous_end {
            c.fail(format!("{here}.start_min"), format!("phases must not overlap: starts at {} before the previous one ends at {previous_end}", phase.start_min));
        }
        previous_end = phase.end_min.max(previous_end);
        if phase.rate_per_hour.is_empty() {
            c.fail(
                format!("{here}.rate_per_hour"),
                "needs at least one (minute, customers per hour) point",
            );
        }
        let mut last_minute = f64::NEG_INFINITY;
        for (j, (minute, rate)) in phase.rate_per_hour.iter().enumerate() {
            let point = format!("{here}.rate_per_hour[{j}]");
            if !(minute.is_finite()
                && *minute >= phase.start_min
                && *minute <= phase.end_min
                && *minute >= last_minute)
            {
                c.fail(
                    point.clone(),
                    format!(
                        "minute {minute} must lie in the phase ({}-{}) and not go back",
                        phase.start_min, phase.end_min
                    ),
                );
            }
            last_minute = *minute;
            if !(rate.is_finite() && *rate >= 0.0) {
                c.fail(point, format!("rate {rate} per hour must be zero or more"));
            } else if *rate > MAX_RATE_PER_HOUR {
                c.fail(
                    point,
                    format!("rate {rate} per hour is above the limit of {MAX_RATE_PER_HOUR}"),
                );
            }
        }
        c.probability(format!("{here}.twitter_share"), phase.twitter_share);
        c.probability(format!("{here}.corporate_share"), phase.corporate_share);
        for (j, (kind, weight)) in phase.kind_weights.iter().enumerate() {
            c.known(
                format!("{here}.kind_weights[{j}]"),
                kind,
                &kinds,
                "request kind",
            );
            c.non_negative(format!("{here}.kind_weights[{j}]"), *weight, 1e6);
        }
    }
    for (i, post) in s.timeline.scripted.iter().enumerate() {
        let here = format!("timeline.scripted[{i}]");
        if !(post.at_min >= 0.0 && post.at_min < duration) {
            c.fail(
                format!("{here}.at_min"),
                format!(
                    "{} must lie within the scenario (0-{duration})",
                    post.at_min
                ),
            );
        }
        c.known(
            format!("{here}.persona"),
            &post.persona,
            &personas,
            "persona",
        );
        c.known(format!("{here}.kind"), &post.kind, &kinds, "request kind");
        if let Some(k) = s.kinds.iter().find(|k| k.id == post.kind)
            && !k.personas.is_empty()
            && !k.personas.contains(&post.persona)
        {
            c.fail(
                format!("{here}.persona"),
                format!(
                    "request kind {:?} is not open to persona {:?}",
                    post.kind, post.persona
                ),
            );
        }
        if post.followers.is_some_and(|f| f > MAX_FOLLOWERS) {
            c.fail(
                format!("{here}.followers"),
                format!("at most {MAX_FOLLOWERS}"),
            );
        }
        if let Some(anger) = post.anger {
            c.non_negative(format!("{here}.anger"), anger, 100.0);
        }
        if let Some(text) = &post.text {
            c.text(&format!("{here}.text"), text);
        }
        if let Some(lesson) = &post.lesson {
            c.text(&format!("{here}.lesson"), lesson);
        }
    }
    let _ = c.unique_ids("timeline.events", s.timeline.events.iter().map(|e| &e.id));
    for (i, event) in s.timeline.events.iter().enumerate() {
        let here = format!("timeline.events[{i}]");
        c.text(&format!("{here}.label"), &event.label);
        if !(event.start_min >= 0.0
            && event.start_min < event.end_min
            && event.start_min < duration)
        {
            c.fail(
                here.clone(),
                format!(
                    "start {} and end {} must satisfy 0 <= start < end, start within the scenario",
                    event.start_min, event.end_min
                ),
            );
        }
        c.non_negative(
            format!("{here}.rate_multiplier"),
            event.rate_multiplier,
            1000.0,
        );
        c.non_negative(
            format!("{here}.anger_multiplier"),
            event.anger_multiplier,
            100.0,
        );
        c.non_negative(
            format!("{here}.buzz_multiplier"),
            event.buzz_multiplier,
            100.0,
        );
    }

    let m = &s.model;
    for (field, value, max) in [
        ("unfair_order_anger", m.unfair_order_anger, 100.0),
        ("acknowledgement_relief", m.acknowledgement_relief, 100.0),
        ("apology_relief", m.apology_relief, 100.0),
        ("template_irritation", m.template_irritation, 100.0),
        ("tutoiement_irritation", m.tutoiement_irritation, 100.0),
        ("humour_relief", m.humour_relief, 100.0),
        ("humour_backfire", m.humour_backfire, 100.0),
        ("furious_from", m.furious_from, 100.0),
        ("annoyed_from", m.annoyed_from, 100.0),
        ("bounce_anger", m.bounce_anger, 100.0),
        ("hide_anger", m.hide_anger, 100.0),
        ("like_complaint_anger", m.like_complaint_anger, 100.0),
        ("resolution_relief", m.resolution_relief, 100.0),
        ("baseline_anger", m.baseline_anger, 100.0),
        ("wait_grudge_per_hour", m.wait_grudge_per_hour, 1000.0),
        ("acknowledged_patience", m.acknowledged_patience, 1000.0),
    ] {
        c.non_negative(format!("model.{field}"), value, max);
    }
    for (field, value) in [
        ("relax_half_life_min", m.relax_half_life_min),
        ("relaunch_mean_min", m.relaunch_mean_min),
        ("buzz_half_life_min", m.buzz_half_life_min),
    ] {
        c.positive(format!("model.{field}"), value);
    }
    if !(m.sample_every_min.is_finite() && m.sample_every_min >= 0.1) {
        c.fail(
            "model.sample_every_min",
            format!("{} must be at least 0.1 minute", m.sample_every_min),
        );
    }
    if m.max_relaunches == 0 || m.max_relaunches > 100 {
        c.fail(
            "model.max_relaunches",
            format!("{}; between 1 and 100", m.max_relaunches),
        );
    }
    for (field, value) in [
        ("churn_hazard", m.churn_hazard),
        ("abandon_hazard", m.abandon_hazard),
        ("disappointment_churn", m.disappointment_churn),
        ("escalation_hazard", m.escalation_hazard),
        ("shame_hazard", m.shame_hazard),
        ("thanks_probability", m.thanks_probability),
        ("wait_grudge_share", m.wait_grudge_share),
    ] {
        c.probability(format!("model.{field}"), value);
    }
    c.range(
        "model.response_delay_min",
        m.response_delay_min,
        24.0 * 60.0,
    );
    let k = &m.cascade;
    c.probability(
        "model.cascade.reshare_probability".into(),
        k.reshare_probability,
    );
    c.probability("model.cascade.pile_on".into(), k.pile_on);
    c.non_negative("model.cascade.anger_gain".into(), k.anger_gain, 100.0);
    c.positive("model.cascade.kernel_c_per_s".into(), k.kernel_c_per_s);
    c.positive("model.cascade.kernel_s0_s".into(), k.kernel_s0_s);
    c.positive("model.cascade.kernel_theta".into(), k.kernel_theta);
    if k.max_reshares_per_post > 100_000 {
        c.fail("model.cascade.max_reshares_per_post", "at most 100000");
    }

    if !c.problems.is_empty() {
        return check.problems;
    }
    // Whole-scenario checks, once every part is sound.
    let kernel_mass = k.kernel_c_per_s * k.kernel_s0_s * (1.0 + 1.0 / k.kernel_theta);
    let max_buzz = s
        .timeline
        .events
        .iter()
        .map(|e| e.buzz_multiplier)
        .fold(1.0f64, f64::max);
    let f = k.resharer_followers;
    if f.min == 0
        || f.max < f.min
        || f.max > MAX_FOLLOWERS
        || !(f.exponent > 1.0 && f.exponent <= 10.0)
    {
        c.fail(
            "model.cascade.resharer_followers",
            "min 1 or more, max at least min, exponent above 1",
        );
    } else {
        // Shaming doubles the reshare probability; the angriest post has anger 100.
        let branching = k.reshare_probability
            * (1.0 + k.anger_gain)
            * 2.0
            * max_buzz
            * mean_followers(&f)
            * kernel_mass;
        if branching >= 1.0 {
            c.fail(
                "model.cascade.reshare_probability",
                format!("an angry shaming post would be reshared {branching:.2} times per reshare: cascades would never end (lower the probability or the resharers' followers)"),
            );
        }
    }
    match Plan::compile(s, 1.0) {
        Ok(plan) => {
            if plan.expected_arrivals > MAX_EXPECTED_CUSTOMERS {
                c.fail(
                    "timeline.phases",
                    format!(
                        "about {:.0} customers expected; at most {MAX_EXPECTED_CUSTOMERS}",
                        plan.expected_arrivals
                    ),
                );
            }
            if plan.expected_arrivals <= 0.0 && s.timeline.scripted.is_empty() {
                c.fail(
                    "timeline.phases",
                    "no customer would ever come: every rate is 0 and nothing is scripted",
                );
            }
        }
        Err(message) => c.fail("", message),
    }
    if minutes_to_ms(duration) == 0 {
        c.fail(
            "duration_min",
            "the scenario must last at least a millisecond",
        );
    }
    check.problems
}

// ----- locating a path in RON text -----

/// Maps each value's path (`personas[2].weight`) to its 1-based line and column.
pub fn locate_paths(source: &str) -> BTreeMap<String, (usize, usize)> {
    let mut scanner = Scanner {
        bytes: source.as_bytes(),
        pos: 0,
        found: BTreeMap::new(),
        source,
        depth: 0,
    };
    scanner.value(String::new());
    scanner.found
}

pub fn nearest_position(
    positions: &BTreeMap<String, (usize, usize)>,
    path: &str,
) -> (usize, usize) {
    let mut candidate = path;
    loop {
        if let Some(position) = positions.get(candidate) {
            return *position;
        }
        match candidate.rfind(['.', '[']) {
            Some(cut) => candidate = &candidate[..cut],
            None => return positions.get("").copied().unwrap_or((1, 1)),
        }
    }
}

fn line_col(source: &str, byte: usize) -> (usize, usize) {
    let prefix = &source[..byte.min(source.len())];
    let line = prefix.matches('\n').count() + 1;
    let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    found: BTreeMap<String, (usize, usize)>,
    source: &'a str,
    depth: usize,
}

impl Scanner<'_> {
    fn skip_blank(&mut self) {
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    while self.pos + 1 < self.bytes.len()
                        && !(self.bytes[self.pos] == b'*' && self.bytes[self.pos + 1] == b'/')
                    {
                        self.pos += 1;
                    }
                    self.pos += 2;
                }
                _ => break,
            }
        }
    }

    fn mark(&mut self, path: &str) {
        let position = line_col(self.source, self.pos);
        self.found.entry(path.to_string()).or_insert(position);
    }

    fn value(&mut self, path: String) {
        self.skip_blank();
        if self.pos >= self.bytes.len() || self.depth > 200 {
            return;
        }
        self.mark(&path);
        match self.bytes[self.pos] {
            b'(' => self.group(&path, b')'),
            b'[' => self.group(&path, b']'),
            b'{' => self.group(&path, b'}'),
            b'"' => self.string(),
            b'r' if matches!(self.bytes.get(self.pos + 1), Some(b'"' | b'#')) => self.raw_string(),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let wraps = self.ident() == "Some";
                self.skip_blank();
                if self.bytes.get(self.pos) == Some(&b'(') {
                    if wraps {
                        // `Some(value)`: the value keeps the option's path.
                        self.pos += 1;
                        self.value(path);
                        self.skip_blank();
                        if self.bytes.get(self.pos) == Some(&b')') {
                            self.pos += 1;
                        }
                    } else {
                        self.group(&path, b')');
                    }
                }
            }
            _ => {
                while self.pos < self.bytes.len()
                    && !matches!(
                        self.bytes[self.pos],
                        b',' | b')' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    self.pos += 1;
                }
            }
        }
    }

    fn ident(&mut self) -> &str {
        let start = self.pos;
        while self.pos < self.bytes.len()
            && (self.bytes[self.pos].is_ascii_alphanumeric() || self.bytes[self.pos] == b'_')
        {
            self.pos += 1;
        }
        &self.source[start..self.pos]
    }

    fn string(&mut self) {
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return;
                }
                _ => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) {
        self.pos += 1;
        let hashes = self.bytes[self.pos..]
            .iter()
            .take_while(|b| **b == b'#')
            .count();
        self.pos += hashes + 1;
        let closing: Vec<u8> = std::iter::once(b'"')
            .chain(std::iter::repeat_n(b'#', hashes))
            .collect();
        while self.pos < self.bytes.len() && !self.bytes[self.pos..].starts_with(&closing) {
            self.pos += 1;
        }
        self.pos = (self.pos + closing.len()).min(self.bytes.len());
    }

    /// A struct, tuple, list or map: fields become `path.name`, elements `path[i]`.
    fn group(&mut self, path: &str, close: u8) {
        self.pos += 1;
        self.depth += 1;
        let mut index = 0;
        loop {
            self.skip_blank();
            if self.pos >= self.bytes.len() {
                break;
            }
            if self.bytes[self.pos] == close {
                self.pos += 1;
                break;
            }
            if self.bytes[self.pos] == b',' {
                self.pos += 1;
                continue;
            }
            let start = self.pos;
            // A field `name: value` in a struct.
            if self.bytes[self.pos].is_ascii_alphabetic() || self.bytes[self.pos] == b'_' {
                let name = self.ident().to_string();
                self.skip_blank();
                if self.bytes.get(self.pos) == Some(&b':') && close == b')' {
                    self.pos += 1;
                    self.value(if path.is_empty() {
                        name
                    } else {
                        format!("{path}.{name}")
                    });
                    continue;
                }
                self.pos = start;
            }
            let element = format!("{path}[{index}]");
            index += 1;
            self.value(element);
            if close == b'}' {
                self.skip_blank();
                if self.bytes.get(self.pos) == Some(&b':') {
                    self.pos += 1;
                    self.value(format!("{path}[{index}]"));
                }
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
        self.depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_located() {
        let source = "(\n  id: \"x\",\n  personas: [\n    (id: \"a\", weight: 1.0),\n    (id: \"b\", weight: -2.0),\n  ],\n  opt: Some((n: 3)),\n)";
        let positions = locate_paths(source);
        assert_eq!(positions["id"], (2, 7));
        assert_eq!(positions["personas[1].weight"], (5, 23));
        assert_eq!(positions["opt.n"], (7, 17));
        assert_eq!(nearest_position(&positions, "personas[1].missing"), (5, 5));
    }
}
