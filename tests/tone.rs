//! The reply analyser against data: a hand-labelled set of customer-care replies
//! (`tests/data/replies.jsonl`), the external TyDiP-fr politeness set, invariances, and
//! hostile input through `raleur tone --jsonl`.

use raleur::engine::Lang;
use raleur::tone::{Flags, ToneAnalyser, ToneInput};
use serde::Deserialize;
use std::io::Write;
use std::process::{Command, Stdio};

/// One labelled reply: `f` lists the flags that are true; every other flag is false.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Labelled {
    t: String,
    #[serde(default)]
    c: Option<String>,
    #[serde(default = "yes")]
    p: bool,
    #[serde(default)]
    l: Option<String>,
    f: String,
}

fn yes() -> bool {
    true
}

fn labelled_set() -> Vec<Labelled> {
    let text = std::fs::read_to_string("tests/data/replies.jsonl").unwrap();
    text.lines()
        .enumerate()
        .map(|(i, line)| {
            let row: Labelled = serde_json::from_str(line)
                .unwrap_or_else(|e| panic!("replies.jsonl line {}: {e}", i + 1));
            for flag in row.f.split_whitespace() {
                assert!(
                    Flags::NAMES.contains(&flag),
                    "replies.jsonl line {}: unknown flag {flag}",
                    i + 1
                );
            }
            row
        })
        .collect()
}

fn lang(row: &Labelled) -> Lang {
    row.l
        .as_deref()
        .map_or(Lang::Fr, |l| Lang::parse(l).unwrap())
}

#[test]
fn every_flag_has_precision_and_recall_of_at_least_0_9_on_the_labelled_set() {
    let analyser = ToneAnalyser::bundled();
    let rows = labelled_set();
    assert!(rows.len() >= 300, "{} labelled replies", rows.len());
    let mut report = String::new();
    let mut failures = Vec::new();
    for flag in Flags::NAMES {
        let (mut tp, mut fp, mut fn_) = (0, 0, 0);
        let mut errors = Vec::new();
        for row in &rows {
            let input = ToneInput {
                public: row.p,
                customer: row.c.as_deref(),
                ..ToneInput::new(&row.t, lang(row))
            };
            let got = analyser.analyse(&input).flags.get(flag).unwrap();
            let want = row.f.split_whitespace().any(|f| f == flag);
            match (got, want) {
                (true, true) => tp += 1,
                (true, false) => {
                    fp += 1;
                    errors.push(format!("    false positive: {}", row.t));
                }
                (false, true) => {
                    fn_ += 1;
                    errors.push(format!("    missed: {}", row.t));
                }
                (false, false) => {}
            }
        }
        let precision = tp as f64 / (tp + fp).max(1) as f64;
        let recall = tp as f64 / (tp + fn_).max(1) as f64;
        report.push_str(&format!(
            "{flag:<24} positives {:>3}  precision {precision:.3}  recall {recall:.3}\n",
            tp + fn_
        ));
        if tp + fn_ < 10 {
            failures.push(format!("{flag}: only {} positive examples", tp + fn_));
        }
        if precision < 0.9 || recall < 0.9 || std::env::var_os("TONE_ERRORS").is_some() {
            failures.push(format!("{flag}:\n{}", errors.join("\n")));
        }
    }
    println!("{} labelled replies\n{report}", rows.len());
    assert!(failures.is_empty(), "{report}\n{}", failures.join("\n"));
}

fn tydip(path: &str) -> Vec<(String, f64)> {
    let text = std::fs::read_to_string(path).unwrap();
    let mut rows = Vec::new();
    let mut reader = text.lines().skip(1).peekable();
    // A tiny CSV reader: sentences may be quoted with doubled quotes inside.
    while let Some(line) = reader.next() {
        let mut record = line.to_string();
        while record.matches('"').count() % 2 == 1 {
            match reader.next() {
                Some(next) => {
                    record.push('\n');
                    record.push_str(next);
                }
                None => break,
            }
        }
        let (sentence, score) = record.rsplit_once(',').unwrap();
        let sentence = sentence
            .strip_prefix('"')
            .and_then(|s| s.strip_suffix('"'))
            .map_or(sentence.to_string(), |s| s.replace("\"\"", "\""));
        rows.push((sentence, score.parse::<f64>().unwrap()));
    }
    rows
}

#[test]
fn politeness_classifies_the_tydip_french_binary_set_with_accuracy_of_at_least_0_80() {
    let analyser = ToneAnalyser::bundled();
    let rows = tydip("tests/data/tydip-fr/fr_test_binary.csv");
    assert_eq!(rows.len(), 250);
    let correct = rows
        .iter()
        .filter(|(sentence, score)| {
            let report = analyser.analyse(&ToneInput::new(sentence, Lang::Fr));
            (report.politeness > 50) == (*score > 0.0)
        })
        .count();
    let accuracy = correct as f64 / rows.len() as f64;
    println!("TyDiP-fr binary accuracy: {accuracy:.3} ({correct}/250)");
    assert!(accuracy >= 0.80, "accuracy {accuracy:.3}");
}

fn politeness(analyser: &ToneAnalyser, text: &str, customer: Option<&str>) -> (u8, Vec<String>) {
    let report = analyser.analyse(&ToneInput {
        customer,
        ..ToneInput::new(text, Lang::Fr)
    });
    let ids = report
        .findings
        .iter()
        .map(|f| format!("{:?}", f.id))
        .collect();
    (report.politeness, ids)
}

#[test]
fn names_handles_and_numbers_do_not_change_a_score() {
    let analyser = ToneAnalyser::bundled();
    let customer = Some("Ma facture de 59 € est fausse !!");
    let a = politeness(
        &analyser,
        "Bonjour @kevin93, désolé pour votre facture de 59 €. Écrivez-nous en MP, dossier 1234. ^Julie",
        customer,
    );
    let b = politeness(
        &analyser,
        "Bonjour @Marie_L, désolé pour votre facture de 72 €. Écrivez-nous en MP, dossier 9876. ^Tanguy",
        customer,
    );
    assert_eq!(a, b);
}

#[test]
fn adding_an_apology_never_lowers_the_score_and_scores_are_stable() {
    let analyser = ToneAnalyser::bundled();
    let bases = [
        "Votre commande arrive dans 10 minutes.",
        "Calmez-vous, votre commande arrive.",
        "Bonjour, pouvez-vous nous écrire en MP ? ^Julie",
        "VOTRE COMMANDE EST EN ROUTE",
        "salut, ta commande arrive 😉",
        "Merci pour votre message, je m'en occupe.",
    ];
    for base in bases {
        let (before, _) = politeness(&analyser, base, None);
        for apology in ["Désolé pour l'attente. ", "Toutes nos excuses. "] {
            let text = format!("{apology}{base}");
            let (after, findings) = politeness(&analyser, &text, None);
            assert!(after >= before, "{text:?}: {after} < {before}");
            assert!(findings.iter().any(|f| f == "Apology"), "{text:?}");
            assert_eq!(politeness(&analyser, &text, None).0, after);
        }
    }
}

#[test]
fn a_copy_of_an_earlier_reply_is_found_after_masking() {
    let analyser = ToneAnalyser::bundled();
    let earlier =
        ["Bonjour @kevin93, merci de nous écrire en MP avec votre numéro de contrat. ^Julie"];
    let copy = analyser.analyse(&ToneInput {
        earlier: &earlier,
        seen: &[],
        ..ToneInput::new(
            "Bonjour @Marie_L, merci de nous écrire en MP avec votre numéro de contrat. ^Tanguy",
            Lang::Fr,
        )
    });
    assert!(
        copy.findings
            .iter()
            .any(|f| format!("{:?}", f.id) == "Copy")
    );
    let original = analyser.analyse(&ToneInput {
        earlier: &earlier,
        seen: &[],
        ..ToneInput::new(
            "Bonjour Marie, pour votre box en panne, je regarde votre ligne en MP. ^Tanguy",
            Lang::Fr,
        )
    });
    assert!(
        !original
            .findings
            .iter()
            .any(|f| format!("{:?}", f.id) == "Copy")
    );
}

#[test]
fn spans_point_at_the_evidence_and_never_split_a_character() {
    let analyser = ToneAnalyser::bundled();
    let text = "Désolé pour l’attente 😕 ! Écrivez-nous en MP, je m’en occupe. ^Inès";
    let report = analyser.analyse(&ToneInput::new(text, Lang::Fr));
    for finding in &report.findings {
        assert!(text.is_char_boundary(finding.start) && text.is_char_boundary(finding.end));
    }
    let evidence = |id: &str| {
        let f = report
            .findings
            .iter()
            .find(|f| format!("{:?}", f.id) == id)
            .unwrap();
        &text[f.start..f.end]
    };
    assert_eq!(evidence("Apology"), "Désolé");
    assert_eq!(evidence("DmInvitation"), "MP");
    assert_eq!(evidence("NextStep"), "je m’en occupe");
    assert_eq!(evidence("Signed"), "^Inès");
}

/// Every character class the analyser treats specially, shuffled by a fixed generator.
#[test]
fn arbitrary_text_never_panics_and_spans_stay_on_char_boundaries() {
    let analyser = ToneAnalyser::bundled();
    let pieces = [
        "é",
        "É",
        "’",
        "\u{a0}",
        "😀",
        "^",
        "-",
        "–",
        "@",
        "!",
        "?",
        ".",
        " ",
        "\n",
        "vous",
        "tu",
        "merci de",
        "MP",
        "4970 1012 3456 7893",
        "FR76",
        "0612345678",
        "a@b.fr",
        "JM",
        "œ",
        "ß",
        "İ",
        "t'",
        "pensez",
        "z",
        "\u{202f}",
        ",",
        "Cordialement",
        "Julie",
        "ça ?",
        "pourquoi",
    ];
    let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
    let mut next = || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut lengths = Vec::new();
    for _ in 0..3000 {
        let mut text = String::new();
        // The generator moves before the length is drawn, so a length of 0 cannot freeze it.
        let length = (next() % 24) as usize;
        lengths.push(length);
        for _ in 0..length {
            text.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        let report = analyser.analyse(&ToneInput {
            customer: Some(&text),
            earlier: &[text.as_str()],
            seen: &[],
            char_limit: Some(10),
            ..ToneInput::new(&text, Lang::Fr)
        });
        for f in &report.findings {
            assert!(f.start <= f.end && f.end <= text.len(), "{text:?}");
            assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
        }
    }
    // The texts really vary: nearly every one is non-empty, and long ones are drawn too.
    let non_empty = lengths.iter().filter(|&&n| n > 0).count();
    assert!(non_empty > 2800, "{non_empty} non-empty texts of 3000");
    assert!(lengths.iter().any(|&n| n >= 20));
}

fn tone_jsonl(input: &[u8]) -> (Vec<serde_json::Value>, i32) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_raleur"))
        .args(["tone", "--jsonl"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    let lines = String::from_utf8(output.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    (lines, output.status.code().unwrap())
}

#[test]
fn jsonl_reports_bad_lines_and_goes_on() {
    let mut input = Vec::new();
    input.extend_from_slice(b"{\"text\": \"Bonjour, merci ! ^Julie\"}\n");
    input.extend_from_slice(b"not json\n");
    input.extend_from_slice(b"{\"text\": \"caf\xff\"}\n");
    input.extend_from_slice(b"{\"text\": \"");
    input.extend(std::iter::repeat_n(b'a', 10 * 1024 * 1024));
    input.extend_from_slice(b"\"}\n");
    input
        .extend_from_slice(b"{\"text\": \"Hello, sorry!\", \"lang\": \"en\", \"public\": false}\n");
    input.extend_from_slice(b"{\"text\": \"x\", \"lang\": \"de\"}\n");
    let (lines, code) = tone_jsonl(&input);
    assert_eq!(code, 1, "a failed line makes the exit code 1");
    assert_eq!(lines.len(), 6);
    assert_eq!(lines[0]["flags"]["thanks"], true);
    assert_eq!(lines[0]["flags"]["signed"], true);
    assert!(lines[0]["scores"]["politeness"].as_u64().unwrap() > 50);
    for (index, needle) in [(1, "JSON"), (2, "UTF-8"), (3, "bytes"), (5, "lang")] {
        assert_eq!(lines[index]["line"], index + 1);
        let error = lines[index]["error"].as_str().unwrap();
        assert!(error.contains(needle), "line {}: {error}", index + 1);
    }
    assert_eq!(lines[4]["flags"]["apology"], true);
    let names: Vec<&str> = lines[0]["flags"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    let mut expected = Flags::NAMES.to_vec();
    expected.sort_unstable();
    let mut names = names;
    names.sort_unstable();
    assert_eq!(names, expected);
}

#[test]
fn salut_greets_a_familiar_customer_but_not_a_formal_one() {
    let analyser = ToneAnalyser::bundled();
    let greeted = |reply: &str, customer: &str| {
        let input = ToneInput {
            customer: Some(customer),
            ..ToneInput::new(reply, Lang::Fr)
        };
        analyser.analyse(&input).flags.greeting
    };
    let formal =
        "Bonjour, ma facture de ce mois est plus élevée que d'habitude, pouvez-vous regarder ?";
    let familiar = "salut, ma facture a doublé, tu peux regarder stp ? mdr";
    let reply = "Salut, merci pour votre message : je regarde votre facture.";
    assert!(!greeted(reply, formal), "\"salut\" to a formal customer");
    assert!(greeted(reply, familiar), "\"salut\" to a familiar customer");
    // A formal greeting after it still counts.
    assert!(greeted(
        "Salut… pardon : bonjour, je regarde votre facture.",
        formal
    ));
    assert!(greeted("Bonjour, je regarde votre facture.", formal));
}
