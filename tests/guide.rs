//! The authoring guide tells the truth: its small example validates and plays, every error it
//! documents is the one the validator prints, and a scenario written from the guide alone
//! (tests/data/from_the_guide.ron) validates and plays.

use raleur::engine::policy::{PolicyConfig, PolicyKind};
use raleur::engine::run::{RunSpec, run, summarise};
use raleur::engine::{load_scenario, parse_scenario};
use std::sync::Arc;

mod common;

fn guide() -> String {
    std::fs::read_to_string("docs/scenarios.md").unwrap()
}

/// The first ```ron block of the guide.
fn example() -> String {
    let doc = guide();
    let start = doc.find("```ron\n").expect("the guide has an example") + "```ron\n".len();
    let end = start + doc[start..].find("```").unwrap();
    doc[start..end].to_string()
}

fn errors(source: &str) -> Vec<String> {
    match parse_scenario(source, "my_crisis.ron") {
        Ok(_) => Vec::new(),
        Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

fn plays_with_every_policy(source: &str, name: &str) {
    let scenario = Arc::new(parse_scenario(source, name).expect("validates"));
    let mut overall = Vec::new();
    for kind in [
        PolicyKind::Ignore,
        PolicyKind::Naive,
        PolicyKind::Expert,
        PolicyKind::Slow,
    ] {
        let spec = RunSpec {
            session: common::session(1),
            policy: PolicyConfig::new(kind, scenario.team_size),
            scenario_path: name.into(),
            scenario_sha256: "test".into(),
            analyser: common::analyser(),
        };
        let outcome = run(Arc::clone(&scenario), spec).expect("runs");
        let summary = summarise(&outcome, kind.name());
        assert!(summary.customers >= 10, "{name}: {summary:?}");
        assert_eq!(summary.rejected_actions, 0, "{name} {}", kind.name());
        overall.push((kind, summary));
    }
    let answered = |k: PolicyKind| overall.iter().find(|(p, _)| *p == k).unwrap().1.answered;
    assert_eq!(answered(PolicyKind::Ignore), 0);
    assert!(answered(PolicyKind::Expert) > 0);
}

#[test]
fn the_guides_example_validates_and_plays() {
    let source = example();
    assert_eq!(errors(&source), Vec::<String>::new());
    plays_with_every_policy(&source, "my_crisis.ron");
}

/// (what the example says, the mistake, the error the guide documents)
const MISTAKES: &[(&str, &str, &str)] = &[
    (
        "difficulty: 2,",
        "difficulty: 2",
        "my_crisis.ron:10:5: Expected comma",
    ),
    (
        "difficulty: 2,",
        "dificulty: 2,",
        "my_crisis.ron:9:5: Unexpected field named `dificulty` in `Scenario`, expected one of `id`, `title`,",
    ),
    (
        "register: neutral",
        "register: casual",
        "Unexpected variant named `casual` in enum `Register`, expected one of `formal`, `neutral`, `familiar`, or `teen` instead",
    ),
    (
        "service: \"parcels\"",
        "service: \"parcelz\"",
        "kinds[0].service: unknown service \"parcelz\"; known: parcels",
    ),
    (
        "en: \"Lockers out of order\"",
        "en: \"\"",
        "title.en: the English text is missing",
    ),
    (
        "(0, 10), (60, 30)",
        "(0, -25), (60, 30)",
        "timeline.phases[0].rate_per_hour[0]: rate -25 per hour must be zero or more",
    ),
    (
        "dm_willingness: 0.8",
        "dm_willingness: 1.75",
        "personas[0].dm_willingness: 1.75 is not a probability between 0 and 1",
    ),
    (
        "start_min: 0, end_min: 120",
        "start_min: 60, end_min: 180",
        "timeline.phases[0]: start 60 and end 180 must satisfy 0 <= start < end <= duration (120)",
    ),
    (
        "needed_details: [\"parcel_number\"]",
        "needed_details: []",
        "kinds[0].needed_details: service \"parcels\" requires \"parcel_number\": add it, or no transfer could succeed",
    ),
    (
        "{wait} que",
        "{attente} que",
        "texts.followup[0].fr: unknown placeholder {attente}; known: brand, care, corporate, competitor, handle, wait, details, name, first_name, amount, detail, time_of_day, since_first, reply_ago",
    ),
    (
        "thanks_public: [(fr: \"Merci {care}",
        "thanks_public: [(personas: [\"journaliste\"], fr: \"Merci {care}",
        "texts.thanks_public[0].personas[0]: unknown persona \"journaliste\"; known: customer",
    ),
    (
        "thanks: 0.5),",
        "thanks: 0.5, unasked_public_data: 0.2),",
        "personas[0].unasked_public_data: a persona who pastes their details unasked needs texts.unasked_data, how they write them (\"Mon numéro : {details}\")",
    ),
    (
        "handles: [\"alex_r\", \"nina_b\"],",
        "handle_shapes: [\"{first} {last}\"],",
        "personas[0].handle_shapes[0]: ' ' cannot be in a handle: letters, digits, '.' and '_' only",
    ),
    (
        "handles: [\"alex_r\", \"nina_b\"],",
        "handle_shapes: [\"{prenom}\"],",
        "personas[0].handle_shapes[0]: unknown {prenom} in a handle shape; known: first, last, f, l, word, nn, year",
    ),
    (
        "(share: 0.3, within_min: 60), (share: 0.8",
        "(share: 0.8, within_min: 60), (share: 0.3",
        "channels.facebook.expectation[1].share: shares must rise strictly within (0, 1]; 0.3 follows 0.8",
    ),
    (
        "weekday: 5",
        "weekday: 9",
        "start: weekday 0-6, hour 0-23, minute 0-59",
    ),
    (
        "pattern: \"CP########\"",
        "pattern: \"\"",
        "details[0].pattern: a pattern of 1 to 64 characters, '#' for a digit",
    ),
    (
        "(60, 30), (120, 15)",
        "(60, 3600000000000000), (120, 15)",
        "timeline.phases[0].rate_per_hour[1]: rate 3600000000000000 per hour is above the limit of 100000",
    ),
    (
        "duration_min: 120,",
        "duraton_min: 120,",
        "or `model` instead; did you mean `duration_min`?",
    ),
    (
        "duration_min: 120,",
        "duration_min: \"2h\",",
        "duration_min: Expected float: write a number of minutes, without quotes or units (360 for 6 hours)",
    ),
    (
        "duration_min: 120,",
        "duration_min: 2,",
        "duration_min: 2 minutes, but the timeline runs to 120 min: durations are in minutes (2 hours is 120)",
    ),
    (
        "title: (fr: \"Consignes hors service\", en:",
        "title: (en:",
        "title: Unexpected missing field named `fr` in `Text` (every text gives both: (fr: \"…\", en: \"…\"))",
    ),
    (
        "mon colis est coincé dedans.\"",
        "mon colis {details} est coincé dedans.\"",
        "kinds[0].messages[0].fr: {details} lists the details the customer has given, and a first post has given none: write them in the text, or use {details} in texts.dm_details or texts.public_data",
    ),
];

#[test]
fn every_documented_mistake_gets_the_documented_error() {
    let source = example();
    let doc = guide();
    for &(original, mistake, error) in MISTAKES {
        assert!(source.contains(original), "the example holds {original:?}");
        assert!(
            doc.contains(error),
            "the guide documents the error {error:?}"
        );
        let found = errors(&source.replacen(original, mistake, 1));
        assert!(
            found.iter().any(|e| e.contains(error)),
            "{mistake:?}: expected {error:?}, got {found:#?}"
        );
    }
}

#[test]
fn a_scenario_written_from_the_guide_alone_validates_and_plays() {
    let path = std::path::Path::new("tests/data/from_the_guide.ron");
    let loaded = load_scenario(path).unwrap_or_else(|e| panic!("{e:?}"));
    let source = std::fs::read_to_string(path).unwrap();
    assert_eq!(loaded.scenario.id, "energy_bill_shock");
    plays_with_every_policy(&source, "from_the_guide.ron");
}

/// Every number of the behaviour model is in the guide's `model` section, by its field name:
/// a trainer finds there each value the engine uses.
#[test]
fn every_model_field_is_documented() {
    let doc = guide();
    let start = doc
        .find("## `model`")
        .expect("the guide has a model section");
    let end = start + doc[start + 1..].find("\n## ").expect("a section follows") + 1;
    let section = &doc[start..end];
    let model = serde_json::to_value(raleur::engine::scenario::Model::default()).unwrap();
    let mut missing = Vec::new();
    let mut fields: Vec<(String, &serde_json::Value)> = model
        .as_object()
        .unwrap()
        .iter()
        .map(|(k, v)| (k.clone(), v))
        .collect();
    while let Some((name, value)) = fields.pop() {
        let leaf = name.rsplit('.').next().unwrap_or(&name);
        if !section.contains(&format!("`{leaf}`")) {
            missing.push(name.clone());
        }
        // Nested groups (cascade, escalation) document their own fields; value pairs such
        // as (min, max) ranges and follower laws are documented as a whole.
        if let Some(inner) = value.as_object()
            && !inner.contains_key("min")
        {
            fields.extend(inner.iter().map(|(k, v)| (format!("{name}.{k}"), v)));
        }
    }
    missing.sort();
    assert!(missing.is_empty(), "undocumented model fields: {missing:?}");
}

#[test]
fn one_wrong_duration_is_one_error_and_errors_come_in_the_file_s_order() {
    let source = example();
    let found = errors(&source.replacen("duration_min: 120,", "duration_min: -360,", 1));
    assert_eq!(found.len(), 1, "{found:#?}");
    assert!(
        found[0].ends_with("duration_min: -360 must be a positive number"),
        "{found:#?}"
    );
    // Faults in several sections come sorted by line, as an editor lists them.
    // (The hint on the duration is found with the timeline, after the start's fault.)
    let broken = source
        .replacen("dm_willingness: 0.8", "dm_willingness: 1.75", 1)
        .replacen("duration_min: 120,", "duration_min: 2,", 1)
        .replacen("weekday: 5", "weekday: 9", 1);
    let found = errors(&broken);
    assert!(found.len() >= 3, "{found:#?}");
    let lines: Vec<usize> = found
        .iter()
        .map(|e| e.split(':').nth(1).unwrap().parse().unwrap())
        .collect();
    assert!(lines.windows(2).all(|w| w[0] <= w[1]), "{found:#?}");
}

#[test]
fn a_persona_or_a_kind_that_can_never_appear_is_a_warning() {
    let source = example();
    let dir = std::env::temp_dir().join(format!("raleur-guide-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("my_crisis.ron");
    let warnings = |text: &str| {
        std::fs::write(&path, text).unwrap();
        let loaded = load_scenario(&path).unwrap_or_else(|e| panic!("{e:?}"));
        loaded
            .warnings
            .iter()
            .map(|w| w.message.clone())
            .collect::<Vec<_>>()
    };
    assert!(warnings(&source).is_empty());
    let kind_unseen = source.replacen(
        "label: (fr: \"Question sur la panne\", en: \"Question about the outage\"), weight: 1,",
        "label: (fr: \"Question sur la panne\", en: \"Question about the outage\"), weight: 0,",
        1,
    );
    assert_eq!(
        warnings(&kind_unseen),
        [
            "warning: kinds[1].weight: request kind \"when_fixed\" has weight 0 and no scripted post uses it: it never appears"
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}
