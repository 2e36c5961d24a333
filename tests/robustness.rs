//! Nothing anyone types or loads crashes raleur. Regression tests hold each input that once
//! crashed it; property tests drive every input surface through `harness/` (the functions the
//! fuzz targets of `fuzz/` also call) with generators that reach the risky shapes: closing
//! formulas at the end, emoji and combining marks, zero-width and right-to-left characters,
//! NUL, 50,000-character texts, huge and negative numbers, NaN, ids out of range, records out
//! of order. Their budget is fixed (cases per property, a fixed seed) so `cargo test` stays
//! well under a minute for all of them together.

mod harness;

use harness::{RISKY_NUMBERS, RISKY_PIECES, ToneCase};
use proptest::prelude::*;
use proptest::test_runner::{Config, RngSeed, TestRunner};
use raleur::engine::run::{RunSpec, run};
use raleur::engine::{Lang, PolicyConfig, PolicyKind, parse_scenario};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;

const RALEUR: &str = env!("CARGO_BIN_EXE_raleur");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("raleur-robustness-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn raleur(args: &[&str]) -> (i32, String, String) {
    let output = Command::new(RALEUR).args(args).output().expect("runs");
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stdout).into(),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

/// A property's runner: a fixed number of cases from a fixed seed, so CI runs the same
/// inputs every time (the fuzz targets explore beyond them).
fn runner(cases: u32) -> TestRunner {
    TestRunner::new(Config {
        cases,
        failure_persistence: None,
        rng_seed: RngSeed::Fixed(0x7261_6c65_7572),
        ..Config::default()
    })
}

fn check<S: Strategy>(cases: u32, strategy: S, test: impl Fn(S::Value))
where
    S::Value: std::fmt::Debug,
{
    let result = runner(cases).run(&strategy, |value| {
        test(value);
        Ok(())
    });
    if let Err(error) = result {
        panic!("{error}");
    }
}

// ----- generators -----

fn piece() -> impl Strategy<Value = String> {
    prop_oneof![
        4 => proptest::sample::select(RISKY_PIECES).prop_map(str::to_string),
        2 => "[a-zA-Zéèàçô' ]{1,12}",
        1 => any::<char>().prop_map(String::from),
    ]
}

/// Text of the risky pieces, sometimes ending on a closing formula or sign-off, sometimes
/// 50,000 characters long.
fn risky_text() -> impl Strategy<Value = String> {
    let pieces = || proptest::collection::vec(piece(), 0..24).prop_map(|p| p.concat());
    let closings = proptest::sample::select(&RISKY_PIECES[..16]);
    prop_oneof![
        6 => pieces(),
        3 => (pieces(), closings).prop_map(|(text, closing)| format!("{text} {closing}")),
        1 => (piece(), 1..4usize).prop_map(|(p, n)| {
            let unit = p.repeat(n);
            unit.chars().cycle().take(50_000).collect()
        }),
    ]
}

fn tone_case() -> impl Strategy<Value = ToneCase> {
    (
        risky_text(),
        proptest::option::of(risky_text()),
        any::<bool>(),
        any::<bool>(),
        proptest::collection::vec(risky_text(), 0..3),
        proptest::option::of(0..400usize),
    )
        .prop_map(
            |(reply, customer, english, public, earlier, limit)| ToneCase {
                reply,
                customer,
                english,
                public,
                earlier,
                limit,
            },
        )
}

/// One change to a text file (a scenario, a curriculum, a transcript).
#[derive(Clone, Debug)]
enum Edit {
    /// The n-th number becomes a risky one.
    Number(usize, &'static str),
    /// The n-th string literal's content becomes risky text.
    Text(usize, String),
    DeleteLine(usize),
    DuplicateLine(usize),
    SwapLines(usize, usize),
    /// The n-th list emptied.
    EmptyList(usize),
    /// The n-th field name misspelt.
    Misspell(usize),
    Truncate(f64),
}

fn edits() -> impl Strategy<Value = Vec<Edit>> {
    let index = 0..10_000usize;
    let edit = prop_oneof![
        4 => (index.clone(), proptest::sample::select(RISKY_NUMBERS)).prop_map(|(i, n)| Edit::Number(i, n)),
        2 => (index.clone(), risky_text()).prop_map(|(i, t)| Edit::Text(i, t)),
        1 => index.clone().prop_map(Edit::DeleteLine),
        1 => index.clone().prop_map(Edit::DuplicateLine),
        1 => (index.clone(), index.clone()).prop_map(|(a, b)| Edit::SwapLines(a, b)),
        1 => index.clone().prop_map(Edit::EmptyList),
        1 => index.prop_map(Edit::Misspell),
        1 => (0.0..1.0f64).prop_map(Edit::Truncate),
    ];
    proptest::collection::vec(edit, 1..4)
}

/// Byte ranges of the runs `is_start` begins and `is_part` continues, outside string literals.
fn tokens(text: &str, is_start: fn(u8) -> bool, is_part: fn(u8) -> bool) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let b = bytes[i];
        if in_string {
            if b == b'\\' {
                i += 1;
            } else if b == b'"' {
                in_string = false;
            }
            i += 1;
            continue;
        }
        if b == b'"' {
            in_string = true;
            i += 1;
            continue;
        }
        if is_start(b) && (i == 0 || !bytes[i - 1].is_ascii_alphanumeric()) {
            let start = i;
            i += 1;
            while i < bytes.len() && is_part(bytes[i]) {
                i += 1;
            }
            out.push((start, i));
            continue;
        }
        i += 1;
    }
    out
}

fn string_literals(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'"' {
            let start = i + 1;
            i += 1;
            while i < bytes.len() && bytes[i] != b'"' {
                if bytes[i] == b'\\' {
                    i += 1;
                }
                i += 1;
            }
            out.push((start, i.min(bytes.len())));
        }
        i += 1;
    }
    out
}

fn apply_edits(text: &str, edits: &[Edit]) -> String {
    let mut text = text.to_string();
    for edit in edits {
        let pick = |spans: &[(usize, usize)], n: usize| spans.get(n % spans.len().max(1)).copied();
        match edit {
            Edit::Number(n, value) => {
                let numbers = tokens(
                    &text,
                    |b| b.is_ascii_digit() || b == b'-',
                    |b| b.is_ascii_digit() || b == b'.',
                );
                if let Some((s, e)) = pick(&numbers, *n) {
                    text.replace_range(s..e, value);
                }
            }
            Edit::Text(n, value) => {
                if let Some((s, e)) = pick(&string_literals(&text), *n) {
                    let escaped = serde_json::to_string(value).unwrap_or_default();
                    let inner = escaped
                        .get(1..escaped.len().saturating_sub(1))
                        .unwrap_or("");
                    text.replace_range(s..e, inner);
                }
            }
            Edit::DeleteLine(n) | Edit::DuplicateLine(n) => {
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let i = n % lines.len();
                    if matches!(edit, Edit::DeleteLine(_)) {
                        lines.remove(i);
                    } else {
                        lines.insert(i, lines[i]);
                    }
                }
                text = lines.join("\n");
            }
            Edit::SwapLines(a, b) => {
                let mut lines: Vec<&str> = text.lines().collect();
                if !lines.is_empty() {
                    let (a, b) = (a % lines.len(), b % lines.len());
                    lines.swap(a, b);
                }
                text = lines.join("\n");
            }
            Edit::EmptyList(n) => {
                let opens = tokens(&text, |b| b == b'[', |_| false);
                if let Some((s, _)) = pick(&opens, *n)
                    && let Some(end) = matching_bracket(&text, s)
                {
                    text.replace_range(s..=end, "[]");
                }
            }
            Edit::Misspell(n) => {
                let words = tokens(
                    &text,
                    |b| b.is_ascii_lowercase(),
                    |b| b.is_ascii_lowercase() || b == b'_',
                );
                if let Some((_, e)) = pick(&words, *n) {
                    text.insert(e, 'x');
                }
            }
            Edit::Truncate(share) => {
                let mut at = (text.len() as f64 * share) as usize;
                while !text.is_char_boundary(at) {
                    at -= 1;
                }
                text.truncate(at);
            }
        }
    }
    text
}

fn matching_bracket(text: &str, open: usize) -> Option<usize> {
    let mut depth = 0usize;
    let mut in_string = false;
    let bytes = text.as_bytes();
    let mut i = open;
    while i < bytes.len() {
        match bytes[i] {
            b'\\' if in_string => i += 1,
            b'"' => in_string = !in_string,
            b'[' if !in_string => depth += 1,
            b']' if !in_string => {
                depth -= 1;
                if depth == 0 {
                    return Some(i);
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

const BUNDLED: [&str; 8] = [
    "tutorial.ron",
    "price_war.ron",
    "insurance_page.ron",
    "bank_card.ron",
    "wrong_account.ron",
    "food_delivery.ron",
    "weekend_outage.ron",
    "transport_strike.ron",
];

// ----- regressions: each input that crashed raleur -----

#[test]
fn a_closing_formula_as_the_last_word_does_not_crash_the_analyser() {
    for reply in [
        "Merci. Cordialement",
        "Cordialement",
        "Cheers",
        "Regards",
        "Thanks for waiting. Best regards",
        "Bonjour, je regarde votre dossier. Bien à vous",
    ] {
        harness::tone(&ToneCase {
            reply: reply.into(),
            customer: Some("Ça fait 3 jours que ma box ne marche plus !!!".into()),
            english: false,
            public: true,
            earlier: Vec::new(),
            limit: Some(280),
        });
    }
    for reply in ["Cheers", "Regards", "Merci. Cordialement"] {
        let (code, out, err) = raleur(&["tone", "--json", reply]);
        assert_eq!(code, 0, "{reply}: {err}");
        let report: serde_json::Value = serde_json::from_str(&out).unwrap();
        // A formula alone is not a signature.
        assert_eq!(report["flags"]["signed"], false, "{reply}");
    }
    // A formula followed by a name still signs.
    let (_, out, _) = raleur(&["tone", "--json", "Merci. Cordialement, Julie"]);
    let report: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(report["flags"]["signed"], true);
}

/// Long replies made of one repeated cue: each once took the analyser time quadratic in its
/// length (26 s for 60 kB of "a@b.fr" in a debug build: a handle end searched from every "@";
/// a sentence re-scanned for every cue in it). They now take a fraction of a second; the fuzz
/// target's time limit (`docs/robustness.md`) is what catches such a slowdown coming back.
#[test]
fn long_replies_of_repeated_cues_are_analysed() {
    for unit in [
        "a@b.fr",
        "@Telvia_Client",
        "merci de ",
        "numéro de contrat ? ",
        "je ",
    ] {
        let text: String = unit.repeat(60_000 / unit.len());
        harness::tone(&ToneCase {
            reply: text.clone(),
            customer: Some(text.clone()),
            english: false,
            public: true,
            earlier: vec![text],
            limit: Some(280),
        });
    }
}

/// Writes the tutorial's transcript with one line changed, for `score` and `replay`.
fn forged(dir: &Path, name: &str, edit: impl Fn(&mut Vec<String>)) -> PathBuf {
    let mut lines: Vec<String> = harness::tutorial_transcript()
        .lines()
        .map(String::from)
        .collect();
    edit(&mut lines);
    let path = dir.join(name);
    std::fs::write(&path, lines.join("\n") + "\n").unwrap();
    path
}

fn line_of(lines: &[String], needle: &str) -> usize {
    lines.iter().position(|l| l.contains(needle)).expect(needle)
}

#[test]
fn score_and_replay_refuse_a_forged_transcript_naming_the_line() {
    let dir = temp_dir("forged");
    // The transcript's scenario, found from the project's folder.
    let scenario = harness::project_dir().join("scenarios/tutorial.ron");
    let sha = raleur::engine::transcript::sha256_hex(&std::fs::read(&scenario).unwrap());
    let with_sha = |lines: &mut Vec<String>| {
        lines[0] = lines[0].replace(
            "\"scenario_sha256\":\"test\"",
            &format!("\"scenario_sha256\":\"{sha}\""),
        );
    };
    let cases: Vec<(&str, PathBuf, &str)> = vec![
        (
            "a customer id of 4,000,000,000",
            forged(&dir, "huge-id.jsonl", |l| {
                with_sha(l);
                let i = line_of(l, "\"type\":\"arrival\"");
                l[i] = l[i].replace("\"customer\":0,", "\"customer\":4000000000,");
            }),
            "arrival of customer 4000000000, expected customer 0",
        ),
        (
            "records out of time order",
            forged(&dir, "out-of-order.jsonl", |l| {
                with_sha(l);
                let i = line_of(l, "\"type\":\"reply\"");
                l.swap(i, i + 8);
            }),
            "out of time order",
        ),
        (
            "a reply to a customer who never arrived",
            forged(&dir, "no-customer.jsonl", |l| {
                with_sha(l);
                let i = line_of(l, "\"type\":\"reply\"");
                let at = l[i].find("\"customer\":").unwrap() + "\"customer\":".len();
                let end = at + l[i][at..].find(',').unwrap();
                l[i].replace_range(at..end, "77");
            }),
            "customer 77 has not arrived",
        ),
        (
            "a hidden message that does not exist",
            forged(&dir, "no-message.jsonl", |l| {
                with_sha(l);
                let i = line_of(l, "\"type\":\"reply\"");
                let t = l[i].split(",\"seq\"").next().unwrap().to_string();
                l.insert(
                    i + 1,
                    format!(
                        "{t},\"seq\":0,\"event\":{{\"type\":\"hide\",\"message\":4294967295}}}}"
                    ),
                );
            }),
            "",
        ),
        (
            "a rescaling past the limit",
            forged(&dir, "huge-target.jsonl", |l| {
                with_sha(l);
                l[0] = l[0].replace(
                    "\"customers_target\":null",
                    "\"customers_target\":18446744073709551615",
                );
            }),
            "customers_target 18446744073709551615 is above",
        ),
    ];
    for (what, path, message) in cases {
        let path = path.to_str().unwrap();
        for command in ["score", "replay"] {
            let (code, _, err) = raleur(&[command, path, "--scenario", scenario.to_str().unwrap()]);
            assert_eq!(code, 1, "{command} on {what}: {err}");
            assert!(
                err.contains(":line "),
                "{command} on {what} names the line: {err}"
            );
            assert!(err.contains(message), "{command} on {what}: {err}");
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // The unforged transcript still scores and replays.
    let good = forged(&dir, "good.jsonl", |l| with_sha(l));
    let good = good.to_str().unwrap();
    let scenario = scenario.to_str().unwrap();
    assert_eq!(raleur(&["score", good, "--scenario", scenario]).0, 0);
    assert_eq!(raleur(&["replay", good, "--scenario", scenario]).0, 0);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn the_naive_team_copes_with_a_scenario_without_services() {
    let source = harness::bundled_source("tutorial.ron");
    let start = source.find("    services: [").unwrap();
    let end = start + source[start..].find("\n    ],").unwrap() + "\n    ],".len();
    let mut without = source.clone();
    without.replace_range(start..end, "    services: [],");
    let without = without
        .replace("service: Some(\"billing\"), ", "")
        .replace("service: Some(\"technical\"), ", "")
        .replace("personal_data: true, ", "")
        .replace("needed_details: [\"contract_number\", \"phone_line\"],", "")
        .replace("needed_details: [\"contract_number\"],", "")
        .replace("needed_details: [\"phone_line\"],", "");
    let scenario = parse_scenario(&without, "no-services.ron").expect("validates");
    assert!(scenario.services.is_empty());
    let outcome = run(
        Arc::new(scenario),
        RunSpec {
            session: raleur::engine::SessionConfig {
                seed: 1,
                lang: Lang::Fr,
                customers_target: None,
            },
            policy: PolicyConfig::new(PolicyKind::Naive, 1),
            scenario_path: "no-services.ron".into(),
            scenario_sha256: "test".into(),
            analyser: harness::analyser().clone(),
        },
    )
    .expect("plays to the end");
    assert!(outcome.sim.is_over());
    assert_eq!(outcome.rejected_actions, 0);
}

/// Runs a command whose standard output is a pipe nobody reads any more.
fn to_a_closed_pipe(args: &[&str], env: &[(&str, &Path)]) -> (i32, String) {
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut command = Command::new(RALEUR);
    command.args(args).stdout(writer).stderr(Stdio::piped());
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    (
        output.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&output.stderr).into(),
    )
}

#[test]
fn output_to_a_closed_pipe_ends_quietly_with_exit_0() {
    let dir = temp_dir("pipe");
    let db = dir.join("academy.sqlite3");
    let transcript = dir.join("t.jsonl");
    let (code, _, err) = raleur(&[
        "run",
        "scenarios/tutorial.ron",
        "--policy",
        "expert",
        "--transcript",
        transcript.to_str().unwrap(),
    ]);
    assert_eq!(code, 0, "{err}");
    let db_arg = db.to_str().unwrap();
    assert_eq!(
        raleur(&[
            "academy",
            "--db",
            db_arg,
            "trainee",
            "add",
            "Camille Martin"
        ])
        .0,
        0
    );
    let t = transcript.to_str().unwrap();
    let commands: Vec<Vec<&str>> = vec![
        vec!["academy", "--db", db_arg, "progress", "Camille Martin"],
        vec!["academy", "--db", db_arg, "trainee", "list"],
        vec!["academy", "--db", db_arg, "sessions"],
        vec!["tone", "Bonjour, je regarde. ^Julie"],
        vec!["tone", "--json", "Bonjour"],
        vec!["validate", "scenarios/tutorial.ron"],
        vec!["run", "scenarios/tutorial.ron", "--json"],
        vec!["run", "scenarios/tutorial.ron"],
        vec!["score", t],
        vec!["score", t, "--json"],
        vec!["replay", t],
        vec!["--help"],
    ];
    for args in commands {
        let (code, err) = to_a_closed_pipe(&args, &[]);
        assert_eq!(code, 0, "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
    // `tone --jsonl` streams: the first write to the closed pipe ends it.
    let (reader, writer) = std::io::pipe().unwrap();
    drop(reader);
    let mut child = Command::new(RALEUR)
        .args(["tone", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(writer)
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    {
        use std::io::Write;
        let mut stdin = child.stdin.take().unwrap();
        let _ = stdin.write_all(b"{\"text\": \"Bonjour\"}\n{\"text\": \"Merci\"}\n");
    }
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert!(!String::from_utf8_lossy(&output.stderr).contains("panicked"));
    let _ = std::fs::remove_dir_all(&dir);
}

// ----- properties -----

#[test]
fn any_reply_is_analysed_without_a_crash() {
    check(1_200, tone_case(), |case| harness::tone(&case));
}

#[test]
fn any_scenario_text_is_refused_with_its_place_or_plays() {
    let base = (proptest::sample::select(&BUNDLED[..]), edits());
    check(120, base, |(name, edits)| {
        let source = apply_edits(&harness::bundled_source(name), &edits);
        harness::scenario(&source);
    });
}

#[test]
fn any_transcript_is_refused_with_its_line_or_scored() {
    let tutorial = harness::bundled_scenario("tutorial.ron");
    check(300, edits(), |edits| {
        let text = apply_edits(harness::tutorial_transcript(), &edits);
        harness::transcript(&text, &tutorial);
    });
}

#[test]
fn any_message_on_an_exercises_wire_is_refused_or_applied_and_replicas_stay_in_step() {
    let sample = harness::exercise_wire_sample();
    check(200, edits(), |edits| {
        harness::exercise_wire(&apply_edits(&sample, &edits));
    });
}

#[test]
fn any_curriculum_text_is_refused_with_its_place_or_loads() {
    let dir = harness::curriculum_dir("curriculum");
    let source =
        std::fs::read_to_string(harness::project_dir().join("curricula/webconseiller.ron"))
            .unwrap();
    check(60, edits(), |edits| {
        harness::curriculum(&apply_edits(&source, &edits), &dir);
    });
}

fn risky_json() -> impl Strategy<Value = serde_json::Value> {
    prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        any::<u64>().prop_map(serde_json::Value::from),
        any::<f64>().prop_map(serde_json::Value::from),
        risky_text().prop_map(serde_json::Value::from),
        Just(serde_json::json!([])),
        Just(serde_json::json!({})),
        Just(serde_json::json!("2026-13-45T99:99:99Z")),
        Just(serde_json::json!("9999-12-31T23:59:59Z")),
        Just(serde_json::json!("0000-01-01T00:00:00Z")),
    ]
}

fn json_edits() -> impl Strategy<Value = Vec<harness::JsonEdit>> {
    let path = proptest::collection::vec(0..64usize, 1..6);
    let edit = prop_oneof![
        3 => (path.clone(), risky_json()).prop_map(|(p, v)| harness::JsonEdit::Replace(p, v)),
        1 => path.prop_map(harness::JsonEdit::Remove),
    ];
    proptest::collection::vec(edit, 1..4)
}

#[test]
fn any_passport_is_verified_or_refused_with_a_reason() {
    let bench = harness::PassportBench::new("passport");
    let (payload, transcript) = harness::sample_credential(&bench);
    // Strings that are not the academy's: junk, JWT-shaped junk, base64 of risky JSON.
    check(300, risky_text(), |text| {
        harness::passport_text(&bench, &text);
        let b64 = |s: &str| base64_url(s.as_bytes());
        harness::passport_text(
            &bench,
            &format!("{}.{}.{}", b64(&text), b64("{}"), b64(&text)),
        );
    });
    // Payloads the academy's key signed, whatever they hold, with any transcript.
    let cases = (json_edits(), proptest::option::of(edits()), any::<bool>());
    check(40, cases, |(json, transcript_edits, point_at_it)| {
        let mut forged = payload.clone();
        for edit in &json {
            let path = match edit {
                harness::JsonEdit::Replace(p, _) | harness::JsonEdit::Remove(p) => p,
            };
            harness::edit_json(&mut forged, path, edit);
        }
        let text = match &transcript_edits {
            Some(edits) => apply_edits(&transcript, edits),
            None => transcript.clone(),
        };
        // The forger may make the evidence name the forged transcript.
        if point_at_it {
            let original = raleur::engine::transcript::sha256_hex(transcript.as_bytes());
            let sha = raleur::engine::transcript::sha256_hex(text.as_bytes());
            let renamed = forged.to_string().replace(&original, &sha);
            forged = serde_json::from_str(&renamed).unwrap_or(forged);
        }
        harness::passport_signed(&bench, &forged, &[text]);
    });
}

fn base64_url(bytes: &[u8]) -> String {
    use base64::Engine;
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn damage() -> impl Strategy<Value = harness::Damage> {
    use harness::{DAMAGE_VALUES, DAMAGEABLE, Damage};
    let column = proptest::sample::select(DAMAGEABLE)
        .prop_flat_map(|(table, columns)| (Just(table), proptest::sample::select(columns)));
    prop_oneof![
        6 => (column, proptest::sample::select(DAMAGE_VALUES)).prop_map(|((table, column), v)| {
            Damage::Set { table, column, value: v.to_string() }
        }),
        1 => (0..4i64).prop_map(Damage::DeleteChunk),
        1 => Just(Damage::DuplicateChunk),
        1 => proptest::sample::select(
            &["sessions", "trainees", "transcript_chunks", "transcript_archives"][..],
        )
            .prop_map(Damage::ForeignTable),
        1 => prop_oneof![Just(-1i64), Just(0), Just(1), Just(2), Just(3), Just(i64::MAX)]
            .prop_map(Damage::UserVersion),
        1 => (0.0..1.0f64).prop_map(Damage::Truncate),
        1 => (0.0..1.0f64, any::<u8>()).prop_map(|(at_share, value)| Damage::FlipByte { at_share, value }),
    ]
}

#[test]
fn damaged_records_are_read_or_refused_with_a_reason() {
    let dir = temp_dir("records");
    let path = dir.join("academy.sqlite3");
    check(60, proptest::collection::vec(damage(), 1..4), |damage| {
        harness::records(&path, &damage);
    });
    let _ = std::fs::remove_dir_all(&dir);
}
