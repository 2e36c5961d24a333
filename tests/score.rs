//! Session scoring: the policies rank as they should, every lost point is explained, and the
//! debrief is the same from a live run and from its transcript file.

use raleur::engine::policy::{PolicyConfig, PolicyKind};
use raleur::engine::run::{RunOutcome, RunSpec, run};
use raleur::engine::scenario::{Lang, Scenario};
use raleur::engine::sim::SessionConfig;
use raleur::engine::transcript::write_jsonl;
use raleur::engine::{ReplyAnalyser, load_scenario};
use raleur::score::{Competence, Debrief, Scores, ScoringSpec, score};
use raleur::tone::ToneAnalyser;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

const PRICE_WAR: &str = "scenarios/price_war.ron";

fn price_war() -> Arc<Scenario> {
    Arc::new(load_scenario(Path::new(PRICE_WAR)).unwrap().scenario)
}

fn play(kind: PolicyKind, seed: u64) -> RunOutcome {
    let scenario = price_war();
    let analyser: Arc<dyn ReplyAnalyser> = Arc::new(ToneAnalyser::bundled());
    let spec = RunSpec {
        session: SessionConfig {
            seed,
            lang: Lang::Fr,
            customers_target: None,
        },
        policy: PolicyConfig::new(kind, scenario.team_size),
        scenario_path: PRICE_WAR.into(),
        scenario_sha256: load_scenario(Path::new(PRICE_WAR)).unwrap().sha256,
        analyser,
    };
    run(scenario, spec).unwrap()
}

fn debrief<'a>(
    spec: &'a ScoringSpec,
    analyser: &'a ToneAnalyser,
    outcome: &RunOutcome,
) -> Debrief<'a> {
    score(
        spec,
        analyser,
        outcome.sim.scenario(),
        &outcome.header,
        outcome.sim.records(),
    )
}

fn scores_of(kind: PolicyKind, seed: u64) -> Scores {
    let spec = ScoringSpec::bundled();
    let analyser = ToneAnalyser::bundled();
    debrief(&spec, &analyser, &play(kind, seed)).scores
}

#[test]
fn policies_rank_expert_far_above_naive_above_ignore_and_slow_loses_on_speed_and_coverage() {
    for seed in [1, 2] {
        let ignore = scores_of(PolicyKind::Ignore, seed);
        let naive = scores_of(PolicyKind::Naive, seed);
        let expert = scores_of(PolicyKind::Expert, seed);
        let slow = scores_of(PolicyKind::Slow, seed);
        println!(
            "seed {seed}\n ignore {ignore:?}\n naive {naive:?}\n expert {expert:?}\n slow {slow:?}"
        );
        assert!(expert.overall >= 90.0, "expert {}", expert.overall);
        assert!(expert.overall >= naive.overall + 15.0);
        assert!(naive.overall >= ignore.overall + 30.0);
        assert!(ignore.overall <= 10.0);
        for (name, e, n) in [
            ("civil", expert.civil, naive.civil),
            ("technical", expert.technical, naive.technical),
            ("contractual", expert.contractual, naive.contractual),
            ("redirection", expert.redirection, naive.redirection),
        ] {
            assert!(e >= n + 10.0, "seed {seed}: {name}: expert {e}, naive {n}");
        }
        assert!(
            slow.speed <= expert.speed - 50.0,
            "slow speed {}",
            slow.speed
        );
        // The slow team leaves the last 90 minutes' customers unanswered: the quality
        // competences are scaled by the share answered...
        assert!(slow.answered_share <= 80.0, "{}", slow.answered_share);
        assert!(expert.answered_share >= 99.0, "{}", expert.answered_share);
        // ...but on the customers it answered, same phrases, same judgement: they stay close.
        // Civil may dip a little: customers kept waiting get angrier and call for repairs
        // the scripted phrases do not always fit in 140 characters.
        let judged = |score: f64, share: f64| 100.0 * score / share;
        for (name, s, e) in [
            ("civil", slow.civil, expert.civil),
            ("technical", slow.technical, expert.technical),
            ("contractual", slow.contractual, expert.contractual),
            ("redirection", slow.redirection, expert.redirection),
        ] {
            let (s, e) = (
                judged(s, slow.answered_share),
                judged(e, expert.answered_share),
            );
            assert!(s >= e - 8.0, "seed {seed}: {name}: slow {s}, expert {e}");
            let scaled = s * slow.answered_share / 100.0;
            assert!(
                scaled < e - 15.0,
                "seed {seed}: {name}: unanswered customers count"
            );
        }
    }
}

#[test]
fn every_lost_point_is_explained_and_advice_has_three_to_five_items() {
    let spec = ScoringSpec::bundled();
    let analyser = ToneAnalyser::bundled();
    for kind in [PolicyKind::Naive, PolicyKind::Expert] {
        let outcome = play(kind, 3);
        let debrief = debrief(&spec, &analyser, &outcome);
        assert!((3..=5).contains(&debrief.advice.len()), "{kind:?}");
        for advice in &debrief.advice {
            assert!(!advice.advice.is_empty());
        }
        for conversation in &debrief.conversations {
            for reply in &conversation.replies {
                let civil_lost: f64 = reply
                    .lost
                    .iter()
                    .filter(|l| l.competence == Competence::Civil)
                    .map(|l| l.points)
                    .sum();
                assert_eq!(reply.civil, (100.0 - civil_lost).max(0.0), "{}", reply.text);
                assert!(reply.lost.iter().all(|l| !l.message.is_empty()));
            }
            if let Some(speed) = conversation.scores.speed
                && speed < 100.0
            {
                let speed_lost = conversation
                    .lost
                    .iter()
                    .any(|l| l.competence == Competence::Speed && l.points > 0.0);
                assert!(
                    speed_lost,
                    "customer {}: speed {speed}",
                    conversation.customer
                );
            }
        }
    }
}

#[test]
fn the_debrief_is_the_same_from_the_live_run_and_from_the_transcript_file() {
    let outcome = play(PolicyKind::Naive, 5);
    let spec = ScoringSpec::bundled();
    let analyser = ToneAnalyser::bundled();
    let live = serde_json::to_string(&debrief(&spec, &analyser, &outcome)).unwrap();
    let again = serde_json::to_string(&debrief(&spec, &analyser, &outcome)).unwrap();
    assert_eq!(live, again, "scoring is deterministic");

    let dir = std::env::temp_dir().join(format!("raleur-score-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("naive.jsonl");
    let mut file = std::fs::File::create(&path).unwrap();
    write_jsonl(&outcome.header, outcome.sim.records(), &mut file).unwrap();
    let output = Command::new(env!("CARGO_BIN_EXE_raleur"))
        .args(["score", "--json"])
        .arg(&path)
        .output()
        .unwrap();
    assert!(output.status.success(), "{:?}", output);
    assert_eq!(String::from_utf8(output.stdout).unwrap().trim_end(), live);

    let text = Command::new(env!("CARGO_BIN_EXE_raleur"))
        .arg("score")
        .arg(&path)
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(text.contains("overall") && text.contains("advice") && text.contains("replies"));

    // A transcript whose scenario changed is refused with the reason.
    let mut altered = std::fs::read_to_string(PRICE_WAR).unwrap();
    altered.push_str("\n// edited\n");
    let scenario_copy = dir.join("price_war.ron");
    std::fs::write(&scenario_copy, altered).unwrap();
    let refused = Command::new(env!("CARGO_BIN_EXE_raleur"))
        .args(["score", "--scenario"])
        .arg(&scenario_copy)
        .arg(&path)
        .output()
        .unwrap();
    assert_eq!(refused.status.code(), Some(1));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("changed"));
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn run_json_carries_the_scores() {
    let output = Command::new(env!("CARGO_BIN_EXE_raleur"))
        .args([
            "run", PRICE_WAR, "--seed", "1", "--policy", "ignore", "--json",
        ])
        .output()
        .unwrap();
    assert!(output.status.success());
    let summary: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    for key in [
        "overall",
        "speed",
        "civil",
        "technical",
        "contractual",
        "redirection",
        "outcomes",
        "tone",
    ] {
        assert!(summary["scores"][key].is_number(), "{key}");
    }
    assert!(summary["churned"].is_number());
}

/// A run played through a `tone::Memo` is debriefed from the engine's own readings: every
/// reply analysed once, and the debrief the same as one read afresh.
#[test]
fn a_run_and_its_debrief_read_each_reply_once() {
    use raleur::engine::Event;
    use raleur::tone::Memo;
    let scenario = price_war();
    let memo = Arc::new(Memo::new(Arc::new(ToneAnalyser::bundled())));
    let spec = RunSpec {
        session: SessionConfig {
            seed: 4,
            lang: Lang::Fr,
            customers_target: None,
        },
        policy: PolicyConfig::new(PolicyKind::Expert, scenario.team_size),
        scenario_path: "scenarios/price_war.ron".into(),
        scenario_sha256: "test".into(),
        analyser: memo.clone(),
    };
    let outcome = run(scenario.clone(), spec).unwrap();
    let replies = outcome
        .sim
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::Reply { .. }))
        .count();
    let read_by_the_engine = memo.len();
    assert!(replies > 100, "{replies}");
    let rules = ScoringSpec::bundled();
    let records = outcome.sim.records();
    let remembered = score(&rules, &memo, &scenario, &outcome.header, records);
    assert_eq!(
        memo.len(),
        read_by_the_engine,
        "the debrief found every reply already read"
    );
    let fresh = ToneAnalyser::bundled();
    let afresh = score(&rules, &fresh, &scenario, &outcome.header, records);
    assert_eq!(
        serde_json::to_string(&remembered).unwrap(),
        serde_json::to_string(&afresh).unwrap()
    );
}

/// A run that hands its records out as it goes (the `run` command writes and reads them on
/// a second thread meanwhile) plays the same session, record for record, and its records
/// read batch by batch give the same debrief as the whole transcript read at the end.
#[test]
fn a_run_read_while_it_goes_on_is_the_run_read_at_the_end() {
    use raleur::engine::run::{TranscriptPart, run_handing_out};
    use raleur::engine::transcript::Record;
    use raleur::score::{SessionReader, debrief};
    use raleur::tone::Memo;
    let scenario = price_war();
    let spec = |analyser: Arc<dyn ReplyAnalyser>| RunSpec {
        session: SessionConfig {
            seed: 3,
            lang: Lang::Fr,
            customers_target: Some(3000),
        },
        policy: PolicyConfig::new(PolicyKind::Expert, scenario.team_size),
        scenario_path: "scenarios/price_war.ron".into(),
        scenario_sha256: "test".into(),
        analyser,
    };
    let whole = run(scenario.clone(), spec(Arc::new(ToneAnalyser::bundled()))).unwrap();
    let memo = Arc::new(Memo::new(Arc::new(ToneAnalyser::bundled())));
    let rules = ScoringSpec::bundled();
    let mut header = None;
    let mut batches: Vec<Vec<Record>> = Vec::new();
    let mut reader = SessionReader::new(&*memo, &scenario, Lang::Fr);
    let handed = run_handing_out(scenario.clone(), spec(memo.clone()), |part| match part {
        TranscriptPart::Header(h) => header = Some(h),
        TranscriptPart::Records(records) => {
            for record in &records {
                reader.read(record);
            }
            batches.push(records);
        }
    })
    .unwrap();
    assert!(batches.len() > 5, "handed out in {} batches", batches.len());
    assert!(handed.sim.records().is_empty());
    let header = header.expect("the header comes first");
    let records: Vec<Record> = batches.into_iter().flatten().collect();
    assert_eq!(handed.sim.record_count(), records.len());
    let mut handed_bytes = Vec::new();
    write_jsonl(&header, &records, &mut handed_bytes).unwrap();
    let mut whole_bytes = Vec::new();
    write_jsonl(&whole.header, whole.sim.records(), &mut whole_bytes).unwrap();
    assert!(
        handed_bytes == whole_bytes,
        "the same transcript, byte for byte"
    );
    let as_it_went = debrief(&rules, &*memo, &scenario, &header, reader.finish());
    let fresh = ToneAnalyser::bundled();
    let at_the_end = score(
        &rules,
        &fresh,
        &scenario,
        &whole.header,
        whole.sim.records(),
    );
    assert_eq!(
        serde_json::to_string(&as_it_went).unwrap(),
        serde_json::to_string(&at_the_end).unwrap()
    );
}

#[test]
fn a_transfer_to_the_wrong_service_is_one_mistake_counted_once() {
    use raleur::engine::ids::CustomerId;
    use raleur::engine::{Action, Simulation};
    let path = Path::new("scenarios/tutorial.ron");
    let loaded = load_scenario(path).unwrap();
    let analyser = Arc::new(ToneAnalyser::bundled());
    let config = SessionConfig {
        seed: 1,
        lang: Lang::Fr,
        customers_target: None,
    };
    let mut sim = Simulation::new(Arc::new(loaded.scenario), config, analyser.clone()).unwrap();
    // The tutorial's fourth customer wants a refund: billing, with both details.
    let refund = CustomerId(3);
    let until = |sim: &mut Simulation, done: &dyn Fn(&Simulation) -> bool| {
        while !done(sim) {
            let next = sim.now_ms() + 15_000;
            sim.advance_to(next);
            assert!(sim.now_ms() < 60 * 60_000, "never came");
        }
    };
    until(&mut sim, &|s| s.customer(refund).is_some());
    let reply = |private: bool, text: &str| Action::Reply {
        customer: refund,
        private,
        text: text.into(),
    };
    sim.act(reply(false, "Bonjour, merci pour votre message sur ce double prélèvement. Écrivez-nous en message privé pour protéger vos données : je m'en occupe. ^Camille")).unwrap();
    until(&mut sim, &|s| s.customer(refund).unwrap().dm_open);
    sim.act(reply(true, "Merci. Pouvez-vous m'indiquer votre numéro de contrat et votre numéro de ligne pour le remboursement ? ^Camille")).unwrap();
    until(&mut sim, &|s| s.customer(refund).unwrap().provided == 0b11);
    // The wrong service, with what it asks for; it sends the case back.
    sim.act(Action::Transfer {
        customer: refund,
        service: "technical".into(),
        details: vec!["phone_line".into()],
    })
    .unwrap();
    until(&mut sim, &|s| {
        matches!(
            s.customer(refund).unwrap().stage,
            raleur::engine::sim::Stage::Open
        )
    });
    sim.act(Action::Transfer {
        customer: refund,
        service: "billing".into(),
        details: vec!["contract_number".into(), "phone_line".into()],
    })
    .unwrap();
    let header = raleur::engine::run::header_for(&sim, "scenarios/tutorial.ron", &loaded.sha256);
    let spec = ScoringSpec::bundled();
    let debrief = score(&spec, &*analyser, sim.scenario(), &header, sim.records());
    let conversation = debrief
        .conversations
        .iter()
        .find(|c| c.customer == refund)
        .unwrap();
    let rules: Vec<_> = conversation.lost.iter().map(|l| l.rule).collect();
    assert_eq!(
        rules
            .iter()
            .filter(|r| **r == raleur::score::Rule::WrongService)
            .count(),
        1,
        "{rules:?}"
    );
    assert!(
        !rules.contains(&raleur::score::Rule::MissingDetails),
        "the right service got every detail: {rules:?}"
    );
    assert_eq!(conversation.scores.technical, Some(100.0));
}
