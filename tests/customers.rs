//! Customers who write like people: a price war's crowd writes distinct posts under distinct
//! handles; some paste their details in public unasked, and the team that hides them in
//! time is rewarded; the naive team's baseline does not hang on the order of the services.

use raleur::engine::ids::CustomerId;
use raleur::engine::policy::{PolicyConfig, PolicyKind};
use raleur::engine::run::{RunOutcome, RunSpec, header_for, run, summarise};
use raleur::engine::scenario::Scenario;
use raleur::engine::transcript::{Cause, Event, PostAct};
use raleur::engine::{Action, Simulation, parse_scenario};
use raleur::score::{Rule, ScoringSpec, score};
use raleur::tone::ToneAnalyser;
use std::collections::BTreeSet;
use std::sync::Arc;

mod common;

fn play(scenario: Arc<Scenario>, kind: PolicyKind, seed: u64) -> RunOutcome {
    let spec = RunSpec {
        session: common::session(seed),
        policy: PolicyConfig::new(kind, scenario.team_size),
        scenario_path: "test.ron".into(),
        scenario_sha256: "test".into(),
        analyser: common::analyser(),
    };
    run(scenario, spec).expect("runs")
}

fn posts(outcome: &RunOutcome) -> Vec<String> {
    outcome
        .sim
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::Post { text, .. } => Some(text.clone()),
            _ => None,
        })
        .collect()
}

#[test]
fn a_price_war_s_crowd_writes_distinct_posts_under_distinct_handles() {
    let scenario = common::bundled("scenarios/price_war.ron");
    for seed in 1..=3 {
        let outcome = play(Arc::clone(&scenario), PolicyKind::Expert, seed);
        let posts = posts(&outcome);
        let distinct: BTreeSet<&String> = posts.iter().collect();
        let share = distinct.len() as f64 / posts.len() as f64;
        assert!(posts.len() > 1000, "seed {seed}: {} posts", posts.len());
        assert!(
            share >= 0.9,
            "seed {seed}: {share:.3} of the posts distinct"
        );
        let stems: Vec<String> = outcome
            .sim
            .customers()
            .iter()
            .map(|c| {
                c.handle
                    .trim_end_matches(|ch: char| ch.is_ascii_digit())
                    .to_string()
            })
            .collect();
        let distinct_stems: BTreeSet<&String> = stems.iter().collect();
        let share = distinct_stems.len() as f64 / stems.len() as f64;
        assert!(
            share >= 0.8,
            "seed {seed}: {share:.3} of the handle stems distinct"
        );
        let handles: BTreeSet<&str> = outcome
            .sim
            .customers()
            .iter()
            .map(|c| c.handle.as_str())
            .collect();
        assert_eq!(
            handles.len(),
            outcome.sim.customers().len(),
            "no two customers share a handle"
        );
    }
}

/// The guide's example where customers paste their parcel number in public unasked.
fn pasting_scenario() -> Arc<Scenario> {
    let guide = std::fs::read_to_string("docs/scenarios.md").unwrap();
    let start = guide.find("```ron\n").unwrap() + "```ron\n".len();
    let end = start + guide[start..].find("```").unwrap();
    let source = guide[start..end]
        .replace("thanks: 0.5),", "thanks: 0.5, unasked_public_data: 1.0),")
        .replace(
            "        censored: [",
            "        unasked_data: [(fr: \"Mon {details}.\", en: \"My {details}.\")],\n        censored: [",
        );
    Arc::new(parse_scenario(&source, "pasting.ron").expect("valid"))
}

#[test]
fn customers_who_paste_their_details_unasked_are_hidden_by_the_expert_not_censored() {
    let scenario = pasting_scenario();
    let ignored = play(Arc::clone(&scenario), PolicyKind::Ignore, 1);
    let summary = summarise(&ignored, "ignore");
    let locked = ignored
        .sim
        .customers()
        .iter()
        .filter(|c| scenario.kinds[c.kind].id == "locked_parcel")
        .count();
    assert!(locked > 5);
    assert_eq!(summary.unasked_data as usize, locked, "{summary:?}");
    assert_eq!(summary.unasked_data_hidden, 0);
    // The customer's own doing, not the brand's: no privacy leak.
    assert_eq!(summary.privacy_leaks, 0);
    let first_posts: Vec<&str> = ignored
        .sim
        .customers()
        .iter()
        .filter(|c| scenario.kinds[c.kind].id == "locked_parcel")
        .filter_map(|c| ignored.sim.message(c.messages[0]))
        .map(|m| m.text.as_str())
        .collect();
    assert!(
        first_posts
            .iter()
            .all(|t| t.contains("Mon numéro de colis CP")),
        "{first_posts:?}"
    );

    let served = play(Arc::clone(&scenario), PolicyKind::Expert, 1);
    let summary = summarise(&served, "expert");
    assert!(summary.unasked_data > 5);
    // Every one the team reached was hidden (one arriving at the very end may not be).
    for c in served.sim.customers() {
        let first = served.sim.message(c.messages[0]).unwrap();
        if first.personal_data && c.first_reply_ms.is_some() {
            assert!(first.hidden, "{} answered but left exposed", c.handle);
        }
    }
    assert!(
        summary.unasked_data_hidden * 10 >= summary.unasked_data * 9,
        "{summary:?}"
    );
    // Hiding personal data is moderation: nobody protests, nobody is left unanswered.
    assert!(!served.sim.records().iter().any(|r| matches!(
        r.event,
        Event::Post {
            act: PostAct::Censored,
            ..
        }
    )));
    assert!(!served.sim.records().iter().any(|r| matches!(
        &r.event,
        Event::Reaction { causes, .. } if causes.contains(&Cause::Hidden)
    )));
}

/// Plays the first pasting customer by hand: hidden `hide_after_min` after their post (or
/// never), then the rules the debrief charged on their conversation.
fn rules_lost_when_hidden_after(hide_after_min: Option<u64>) -> Vec<Rule> {
    let scenario = pasting_scenario();
    let analyser = Arc::new(ToneAnalyser::bundled());
    let mut sim = Simulation::new(Arc::clone(&scenario), common::session(1), analyser.clone())
        .expect("starts");
    let pasted = |sim: &Simulation| {
        sim.customers()
            .iter()
            .find(|c| sim.message(c.messages[0]).is_some_and(|m| m.personal_data))
            .map(|c| {
                (
                    c.id,
                    c.messages[0],
                    sim.message(c.messages[0]).map(|m| m.t_ms),
                )
            })
    };
    while pasted(&sim).is_none() {
        let next = sim.now_ms() + 10_000;
        sim.advance_to(next);
        assert!(sim.now_ms() < 3_600_000, "nobody pasted");
    }
    let (customer, message, posted_ms) = pasted(&sim).unwrap();
    let posted_ms = posted_ms.unwrap();
    let reply_at = posted_ms + 60_000;
    sim.advance_to(reply_at);
    sim.act(Action::Reply {
        customer,
        private: false,
        text: "Bonjour, merci pour votre message. Pour protéger vos données, écrivez-nous en message privé : je m'occupe de votre colis. ^Camille".into(),
    })
    .unwrap();
    if let Some(minutes) = hide_after_min {
        sim.advance_to(posted_ms + minutes * 60_000);
        sim.act(Action::Hide { message }).unwrap();
    }
    sim.advance_to(posted_ms + 40 * 60_000);
    let header = header_for(&sim, "pasting.ron", "test");
    let spec = ScoringSpec::bundled();
    let debrief = score(&spec, &*analyser, &scenario, &header, sim.records());
    let conversation = debrief
        .conversations
        .iter()
        .find(|c| c.customer == CustomerId(customer.0))
        .unwrap();
    conversation.lost.iter().map(|l| l.rule).collect()
}

#[test]
fn hiding_a_customer_s_exposed_details_quickly_costs_nothing_late_some_never_more() {
    let exposed = [Rule::ExposedDataVisible, Rule::ExposedDataHiddenLate];
    let charged = |rules: Vec<Rule>| -> Vec<Rule> {
        rules.into_iter().filter(|r| exposed.contains(r)).collect()
    };
    assert_eq!(charged(rules_lost_when_hidden_after(Some(2))), vec![]);
    assert_eq!(
        charged(rules_lost_when_hidden_after(Some(25))),
        vec![Rule::ExposedDataHiddenLate]
    );
    assert_eq!(
        charged(rules_lost_when_hidden_after(None)),
        vec![Rule::ExposedDataVisible]
    );
    let spec = ScoringSpec::bundled();
    assert!(
        spec.rules[&Rule::ExposedDataVisible].points
            > spec.rules[&Rule::ExposedDataHiddenLate].points
    );
}

#[test]
fn the_naive_team_s_baseline_does_not_hang_on_the_order_of_the_services() {
    let listed = common::bundled("scenarios/price_war.ron");
    let mut reversed = (*listed).clone();
    reversed.services.reverse();
    let transcript = |scenario: Arc<Scenario>| {
        let outcome = play(scenario, PolicyKind::Naive, 2);
        summarise(&outcome, "naive").transcript_sha256
    };
    assert_eq!(
        transcript(Arc::clone(&listed)),
        transcript(Arc::new(reversed))
    );
    // And it is blind: its transfers go to many services, not one.
    let outcome = play(listed, PolicyKind::Naive, 2);
    let services: BTreeSet<&str> = outcome
        .sim
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::Transfer { service, .. } => Some(service.as_str()),
            _ => None,
        })
        .collect();
    assert!(services.len() >= 4, "{services:?}");
}
