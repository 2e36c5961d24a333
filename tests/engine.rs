//! Whole-engine tests on the bundled price war: determinism, actions and their errors,
//! validation, replays and the behaviour the figures call for.

use raleur::engine::action::{Action, ActionError};
use raleur::engine::policy::{PolicyConfig, PolicyKind};
use raleur::engine::run::{RunOutcome, RunSpec, Summary, replay, run, summarise};
use raleur::engine::scenario::{Lang, Scenario};
use raleur::engine::sim::{SessionConfig, Simulation, Stage};
use raleur::engine::transcript::{Event, read_jsonl, write_jsonl};
use raleur::engine::{CustomerId, MessageId, load_scenario, parse_scenario};
use std::sync::Arc;

const PRICE_WAR: &str = "scenarios/price_war.ron";

mod common;
use common::{analyser, session};

fn price_war() -> Arc<Scenario> {
    common::bundled(PRICE_WAR)
}

fn play(kind: PolicyKind, seed: u64, reaction_min: Option<u64>) -> (RunOutcome, Summary) {
    let mut policy = PolicyConfig::new(kind, price_war().team_size);
    if let Some(minutes) = reaction_min {
        policy.reaction_ms = minutes * 60_000;
    }
    play_with(policy, seed)
}

fn play_with(policy: PolicyConfig, seed: u64) -> (RunOutcome, Summary) {
    let scenario = price_war();
    let kind = policy.kind;
    let spec = RunSpec {
        session: session(seed),
        policy,
        scenario_path: PRICE_WAR.into(),
        scenario_sha256: "test".into(),
        analyser: analyser(),
    };
    let outcome = run(scenario, spec).expect("runs");
    let summary = summarise(&outcome, kind.name());
    (outcome, summary)
}

fn transcript_bytes(outcome: &RunOutcome) -> Vec<u8> {
    let mut bytes = Vec::new();
    write_jsonl(&outcome.header, outcome.sim.records(), &mut bytes).expect("writes to memory");
    bytes
}

// ----- determinism -----

/// Pinned: a change to the model, the scenario or the generator changes this on purpose;
/// update it in the same commit and say why.
const GOLDEN_EXPERT_SEED_7: &str =
    "87b3893ee3764d055e5594045d73da062545f80a3e3658cc6901716a0276f5c5";

#[test]
fn same_inputs_give_a_byte_identical_transcript_and_the_golden_hash() {
    let (first, summary) = play(PolicyKind::Expert, 7, None);
    let (second, _) = play(PolicyKind::Expert, 7, None);
    assert_eq!(transcript_bytes(&first), transcript_bytes(&second));
    assert_eq!(summary.transcript_sha256, GOLDEN_EXPERT_SEED_7);
    let (other_seed, _) = play(PolicyKind::Expert, 8, None);
    assert_ne!(transcript_bytes(&first), transcript_bytes(&other_seed));
}

#[test]
fn scheduled_customers_do_not_shift_when_the_trainee_acts_differently() {
    let arrivals = |outcome: &RunOutcome| -> Vec<(u64, String, String, String)> {
        outcome
            .sim
            .records()
            .iter()
            .filter_map(|r| match &r.event {
                Event::Arrival {
                    handle,
                    persona,
                    kind,
                    source,
                    ..
                } if *source != raleur::engine::transcript::Source::PileOn => {
                    Some((r.t_ms, handle.clone(), persona.clone(), kind.clone()))
                }
                _ => None,
            })
            .collect()
    };
    // What the team answers never moves who comes; what it publishes may (a pinned statement
    // spares some questions: tests/statements.rs), so this team answers and never publishes.
    let mut replying = PolicyConfig::new(PolicyKind::Expert, price_war().team_size);
    replying.statements = false;
    let (ignored, _) = play(PolicyKind::Ignore, 3, None);
    let (served, _) = play_with(replying, 3);
    let (a, b) = (arrivals(&ignored), arrivals(&served));
    assert!(a.len() > 300);
    // Handles embed the creation order, so compare who comes when, not their numbers.
    let strip = |v: &[(u64, String, String, String)]| -> Vec<(u64, String, String)> {
        v.iter()
            .map(|(t, _, p, k)| (*t, p.clone(), k.clone()))
            .collect()
    };
    assert_eq!(strip(&a), strip(&b));
}

#[test]
fn a_transcript_replays_identically_and_a_tampered_one_is_caught() {
    let (outcome, _) = play(PolicyKind::Expert, 11, None);
    let text = String::from_utf8(transcript_bytes(&outcome)).unwrap();
    let (header, records) = read_jsonl(&text).expect("reads back");
    assert!(records.iter().any(|r| r.event.is_action()));
    replay(price_war(), analyser(), &header, &records).expect("re-simulates identically");

    // Change the text of one reply: the customer reacts differently or the hash moves.
    let mut tampered = records.clone();
    let index = tampered
        .iter()
        .position(|r| matches!(r.event, Event::Reply { .. }))
        .unwrap();
    if let Event::Reply { text, .. } = &mut tampered[index].event {
        *text = "Calmez-vous.".into();
    }
    let divergence =
        replay(price_war(), analyser(), &header, &tampered).expect_err("a changed reply is caught");
    assert!(divergence.line >= index + 2, "{divergence:?}");

    // Drop a customer's post: the replay produces it, the recording lacks it.
    let mut missing = records.clone();
    let post = missing
        .iter()
        .position(|r| matches!(r.event, Event::Post { .. }))
        .unwrap();
    missing.remove(post);
    let divergence =
        replay(price_war(), analyser(), &header, &missing).expect_err("a missing event is caught");
    assert_eq!(divergence.line, post + 2);
}

#[test]
fn events_read_back_whatever_the_order_of_their_keys() {
    let (outcome, _) = play(PolicyKind::Expert, 11, None);
    let text = String::from_utf8(transcript_bytes(&outcome)).unwrap();
    let (_, records) = read_jsonl(&text).expect("reads back as written");
    assert_eq!(records, outcome.sim.records());
    // serde_json's maps sort their keys: "type" comes after "customer", "anger"...
    let mut lines = text.lines();
    let mut sorted = vec![lines.next().unwrap().to_string()];
    let mut kinds = std::collections::BTreeSet::new();
    for line in lines {
        let value: serde_json::Value = serde_json::from_str(line).unwrap();
        kinds.insert(value["event"]["type"].as_str().unwrap().to_string());
        sorted.push(value.to_string());
    }
    assert!(
        kinds.len() >= 12,
        "most kinds of event are tried: {kinds:?}"
    );
    assert_ne!(sorted.join("\n"), text.trim_end(), "some keys moved");
    let (_, reordered) = read_jsonl(&sorted.join("\n")).expect("reads back reordered");
    assert_eq!(reordered, outcome.sim.records());

    // A forged line still gets its fault named, on either path.
    for forged in [
        r#"{"t_ms":1,"seq":1,"event":{"type":"bribe","customer":0}}"#,
        r#"{"t_ms":1,"seq":1,"event":{"customer":0,"type":"bribe"}}"#,
    ] {
        let bad = format!("{}\n{forged}\n", sorted[0]);
        let error = read_jsonl(&bad).expect_err("an unknown event is refused");
        assert_eq!(error.line, 2);
        assert!(
            error.message.contains("unknown variant `bribe`"),
            "{}",
            error.message
        );
    }
    let untyped = format!(
        "{}\n{}\n",
        sorted[0], r#"{"t_ms":1,"seq":1,"event":{"customer":0}}"#
    );
    let error = read_jsonl(&untyped).expect_err("an event without its type is refused");
    assert!(
        error.message.contains("missing field `type`"),
        "{}",
        error.message
    );
}

// ----- actions and their errors -----

/// Everything an error must leave untouched, the records included.
fn fingerprint(sim: &Simulation) -> String {
    format!("{} {}", sim.records().len(), common::state_fingerprint(sim))
}

fn refused(sim: &mut Simulation, action: Action) -> ActionError {
    let before = fingerprint(sim);
    let error = sim.act(action).expect_err("the action must be refused");
    assert_eq!(
        before,
        fingerprint(sim),
        "a refused action changed the state: {error}"
    );
    assert!(!error.message(Lang::Fr).is_empty() && !error.message(Lang::En).is_empty());
    error
}

fn sim_with_customers(seed: u64) -> Simulation {
    let mut sim = Simulation::new(price_war(), session(seed), analyser()).unwrap();
    sim.advance_to(40 * 60_000);
    assert!(sim.customers().len() >= 5);
    sim
}

#[test]
fn every_bad_action_gets_its_typed_error_and_changes_nothing() {
    let mut sim = sim_with_customers(5);
    let twitter = sim
        .customers()
        .iter()
        .find(|c| c.channel == raleur::engine::scenario::Channel::Twitter)
        .unwrap()
        .id;
    let reply = |customer, private, text: &str| Action::Reply {
        customer,
        private,
        text: text.into(),
    };

    assert_eq!(
        refused(&mut sim, reply(CustomerId(999_999), false, "Bonjour")),
        ActionError::UnknownConversation(CustomerId(999_999))
    );
    assert_eq!(
        refused(&mut sim, reply(twitter, false, "  \n ")),
        ActionError::EmptyText
    );
    let long = "é".repeat(141);
    assert!(matches!(
        refused(&mut sim, reply(twitter, false, &long)),
        ActionError::TooLong {
            limit: 140,
            length: 141,
            ..
        }
    ));
    assert_eq!(
        refused(&mut sim, reply(twitter, true, "Bonjour")),
        ActionError::NoPrivateConversation(twitter)
    );
    let transfer = |customer, service: &str, details: &[&str]| Action::Transfer {
        customer,
        service: service.into(),
        details: details.iter().map(|d| d.to_string()).collect(),
    };
    assert_eq!(
        refused(&mut sim, transfer(twitter, "nowhere", &[])),
        ActionError::UnknownService("nowhere".into())
    );
    assert_eq!(
        refused(&mut sim, transfer(twitter, "billing", &["shoe_size"])),
        ActionError::UnknownDetail("shoe_size".into())
    );
    assert_eq!(
        refused(&mut sim, transfer(twitter, "billing", &["contract_number"])),
        ActionError::DetailNotCollected {
            detail: "contract_number".into()
        }
    );
    assert_eq!(
        refused(&mut sim, transfer(twitter, "retention", &[])),
        ActionError::MissingDetails {
            service: "retention".into(),
            missing: vec!["contract_number".into(), "phone_line".into()]
        }
    );
    assert_eq!(
        refused(
            &mut sim,
            Action::Hide {
                message: MessageId(9_999_999)
            }
        ),
        ActionError::UnknownMessage(MessageId(9_999_999))
    );

    // A valid reply, then the moves that its message makes impossible.
    sim.act(reply(
        twitter,
        false,
        "Bonjour, merci pour votre message. ^Julie",
    ))
    .unwrap();
    let own = *sim.customer(twitter).unwrap().messages.last().unwrap();
    assert_eq!(
        refused(&mut sim, Action::Like { message: own }),
        ActionError::NotACustomerMessage(own)
    );
    let theirs = sim.customer(twitter).unwrap().messages[0];
    sim.act(Action::Like { message: theirs }).unwrap();
    assert_eq!(
        refused(&mut sim, Action::Like { message: theirs }),
        ActionError::AlreadyLiked(theirs)
    );
    sim.act(Action::Hide { message: theirs }).unwrap();
    assert_eq!(
        refused(&mut sim, Action::Hide { message: theirs }),
        ActionError::AlreadyHidden(theirs)
    );

    sim.finish();
    assert_eq!(
        refused(&mut sim, reply(twitter, false, "Bonjour")),
        ActionError::SessionOver
    );
}

#[test]
fn transfers_follow_the_three_steps_and_closed_cases_refuse_them() {
    // Play the expert until one case is transferred; a second transfer is refused.
    let (outcome, _) = play(PolicyKind::Expert, 2, None);
    let mut sim = outcome.sim;
    let transferred = sim.records().iter().find_map(|r| match &r.event {
        Event::Transfer { customer, .. } => Some(*customer),
        _ => None,
    });
    let id = transferred.expect("the expert transfers cases");
    assert!(
        sim.customer(id).unwrap().dm_open,
        "the expert went private before transferring"
    );
    let closed = sim
        .customers()
        .iter()
        .find(|c| c.stage == Stage::Resolved)
        .unwrap()
        .id;
    let error = sim.act(Action::Transfer {
        customer: closed,
        service: "billing".into(),
        details: vec![],
    });
    assert_eq!(
        error,
        Err(ActionError::SessionOver),
        "the session is over once run"
    );

    let mut live = Simulation::new(price_war(), session(2), analyser()).unwrap();
    let records = sim.records().to_vec();
    for record in &records {
        let Some((_, action)) = raleur::engine::run::action_of(&record.event) else {
            continue;
        };
        live.advance_to(record.t_ms);
        let is_target = matches!(&action, Action::Transfer { customer, .. } if *customer == id);
        live.act(action.clone()).unwrap();
        if is_target {
            assert!(matches!(
                live.customer(id).unwrap().stage,
                Stage::Transferred { .. }
            ));
            assert_eq!(
                refused(&mut live, action),
                ActionError::AlreadyTransferred(id)
            );
            break;
        }
    }
    live.finish();
    let churned = live
        .customers()
        .iter()
        .find(|c| c.stage == Stage::Churned || c.stage == Stage::Resolved);
    if let Some(c) = churned {
        let mut reopened = Simulation::new(price_war(), session(2), analyser()).unwrap();
        reopened.advance_to(live.duration_ms() - 1);
        if reopened.customer(c.id).is_some_and(|c| c.stage.is_closed()) {
            let error = refused(
                &mut reopened,
                Action::Transfer {
                    customer: c.id,
                    service: "billing".into(),
                    details: vec![],
                },
            );
            assert_eq!(error, ActionError::CaseClosed(c.id));
        }
    }
}

#[test]
fn the_workflow_moves_a_customer_from_public_to_private_to_a_service() {
    let mut sim = sim_with_customers(21);
    // A customer with a personal-data request on the care account.
    let id = sim
        .customers()
        .iter()
        .find(|c| {
            let kind = &sim.scenario().kinds[c.kind];
            kind.personal_data && c.account == raleur::engine::scenario::Account::Care
        })
        .unwrap()
        .id;
    let invitation = "Bonjour, merci pour votre message. Pour protéger vos données personnelles, écrivez-nous en message privé. ^Julie";
    // Some personas refuse; invite until the customer opens the conversation.
    let mut t = sim.now_ms();
    for attempt in 0..6 {
        let text = format!("{invitation} ({attempt})");
        if !sim.customer(id).unwrap().dm_open {
            let _ = sim.act(Action::Reply {
                customer: id,
                private: false,
                text,
            });
        }
        t += 10 * 60_000;
        sim.advance_to(t);
    }
    if !sim.customer(id).unwrap().dm_open {
        return; // this persona refused six times: covered by the policies' runs
    }
    let c = sim.customer(id).unwrap();
    let needed = sim.needed_details(c);
    let service = sim.correct_service(c).unwrap();
    let service_id = sim.scenario().services[service].id.clone();
    if c.provided & needed != needed {
        let ask =
            "Pourriez-vous m'indiquer votre numéro de contrat et votre numéro de ligne ? ^Julie";
        sim.act(Action::Reply {
            customer: id,
            private: true,
            text: ask.into(),
        })
        .unwrap();
        t += 10 * 60_000;
        sim.advance_to(t);
    }
    let c = sim.customer(id).unwrap();
    assert_eq!(
        c.provided & needed,
        needed,
        "the customer gave the details in private"
    );
    let details = sim.detail_ids(needed);
    sim.act(Action::Transfer {
        customer: id,
        service: service_id,
        details,
    })
    .unwrap();
    sim.advance_to(t + 6 * 3_600_000);
    assert_eq!(sim.customer(id).unwrap().stage, Stage::Resolved);
}

// ----- validation -----

fn errors_of(source: &str) -> Vec<String> {
    match parse_scenario(source, "s.ron") {
        Ok(_) => panic!("the scenario must be refused"),
        Err(errors) => errors.iter().map(|e| e.to_string()).collect(),
    }
}

fn price_war_source() -> String {
    std::fs::read_to_string(PRICE_WAR).unwrap()
}

fn mutate(old: &str, new: &str) -> String {
    let source = price_war_source();
    assert!(source.contains(old), "fixture text {old:?} not found");
    source.replacen(old, new, 1)
}

#[test]
fn the_bundled_scenario_validates() {
    let scenario = price_war();
    assert!(
        scenario.kinds.len() >= 10 && scenario.services.len() >= 5 && scenario.personas.len() >= 6
    );
    assert_eq!(scenario.duration_min, 480.0);
    let kinds_with_services: std::collections::BTreeSet<_> = scenario
        .kinds
        .iter()
        .filter_map(|k| k.service.clone())
        .collect();
    assert!(kinds_with_services.len() >= 5);
}

#[test]
fn every_validation_error_names_its_place() {
    let syntax = errors_of(&mutate("    difficulty: 4,", "    difficulty: 4"));
    assert!(
        syntax[0].starts_with("s.ron:23:") && syntax[0].contains("Expected"),
        "{syntax:?}"
    );

    let unknown_service = errors_of(&mutate(
        "service: Some(\"sales\")",
        "service: Some(\"salez\")",
    ));
    assert!(
        unknown_service
            .iter()
            .any(|e| e.contains("unknown service \"salez\"")),
        "{unknown_service:?}"
    );
    let position = unknown_service
        .iter()
        .find(|e| e.contains("salez"))
        .unwrap();
    let line = 1 + price_war_source()
        .lines()
        .position(|l| l.contains("service: Some(\"sales\")"))
        .unwrap();
    assert!(
        position.starts_with(&format!("s.ron:{line}:")),
        "{position}"
    );

    // One fault each, and the words its error must hold.
    for (from, to, expected) in [
        (
            "persona: \"template_hater\"",
            "persona: \"nobody\"",
            "unknown persona \"nobody\"",
        ),
        (
            "rate_per_hour: [(0, 25)",
            "rate_per_hour: [(0, -25)",
            "rate -25 per hour must be zero or more",
        ),
        (
            "dm_willingness: 0.75",
            "dm_willingness: 1.75",
            "personas[0].dm_willingness: 1.75 is not a probability",
        ),
        (
            "solo_customers_per_hour: Some(20.0)",
            "solo_customers_per_hour: Some(90.0)",
            "solo_customers_per_hour: 90 an hour is more than one person can read",
        ),
        (
            "Il y a quelqu'un[",
            "Il y a quelqu'un {reponse}[",
            "unknown placeholder {reponse}",
        ),
        (
            "needed_details: [\"order_number\"]",
            "needed_details: []",
            "requires \"order_number\"",
        ),
    ] {
        let errors = errors_of(&mutate(from, to));
        assert!(
            errors.iter().any(|e| e.contains(expected)),
            "{expected}: {errors:?}"
        );
    }

    let missing_english = errors_of(&mutate(
        "en: \"Price war: the launch of Zéphyr Mobile\"",
        "en: \"\"",
    ));
    assert!(
        missing_english
            .iter()
            .any(|e| e.starts_with("s.ron:9:")
                && e.contains("title.en: the English text is missing")),
        "{missing_english:?}"
    );

    let phase = errors_of(&mutate(
        "start_min: 420, end_min: 480, rate_per_hour",
        "start_min: 420, end_min: 900, rate_per_hour",
    ));
    assert!(
        phase
            .iter()
            .any(|e| e.contains("timeline.phases[2]") && e.contains("<= duration")),
        "{phase:?}"
    );

    let unknown_field = errors_of(&mutate("    difficulty: 4,", "    dificulty: 4,"));
    assert!(unknown_field[0].contains("dificulty"), "{unknown_field:?}");

    // All faults at once, each with its own place.
    let many = errors_of(
        &mutate("dm_willingness: 0.75", "dm_willingness: -1").replacen(
            "weight: 3, register: formal",
            "weight: -3, register: formal",
            1,
        ),
    );
    assert!(many.len() >= 2, "{many:?}");
}

#[test]
fn hostile_scenarios_get_a_clear_error_not_a_panic_a_hang_or_oom() {
    // 10^12 arrivals per second.
    let flood = errors_of(&mutate(
        "rate_per_hour: [(0, 25)",
        "rate_per_hour: [(0, 3.6e15)",
    ));
    assert!(
        flood.iter().any(|e| e.contains("above the limit")),
        "{flood:?}"
    );
    // Rates just under the limit everywhere still add up to too many customers.
    let many = errors_of(
        &mutate(
            "rate_per_hour: [(180, 70), (300, 85), (420, 60)]",
            "rate_per_hour: [(180, 99999), (420, 99999)]",
        )
        .replacen(
            "rate_multiplier: 1.5, buzz_multiplier: 1.5",
            "rate_multiplier: 1000, buzz_multiplier: 1.5",
            1,
        ),
    );
    assert!(
        many.iter().any(|e| e.contains("customers expected")),
        "{many:?}"
    );
    // An explosive cascade.
    let explosive = errors_of(&mutate(
        "    team_size: 5,",
        "    team_size: 5,\n    model: (cascade: (reshare_probability: 0.5)),",
    ));
    assert!(
        explosive
            .iter()
            .any(|e| e.contains("cascades would never end")),
        "{explosive:?}"
    );
    // Deep nesting.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    assert!(!errors_of(&deep).is_empty());
    // NaN and infinities.
    let nan = errors_of(&mutate("duration_min: 480", "duration_min: NaN"));
    assert!(nan.iter().any(|e| e.contains("duration_min")), "{nan:?}");
    // Not UTF-8, and a 100 MB file: refused before reading it all.
    let dir = std::env::temp_dir().join(format!("raleur-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = dir.join("binary.ron");
    std::fs::write(&binary, [b'(', 0xff, 0xfe, b')']).unwrap();
    let error = load_scenario(&binary).err().unwrap();
    assert!(error[0].message.contains("UTF-8"), "{error:?}");
    let huge = dir.join("huge.ron");
    let file = std::fs::File::create(&huge).unwrap();
    file.set_len(100 * 1024 * 1024).unwrap();
    let error = load_scenario(&huge).err().unwrap();
    assert!(
        error[0].to_string().contains("at most 4194304 bytes"),
        "{error:?}"
    );
    // A single text of 100 MB inside a parsed string is caught by the size limit too.
    let long_text = "a".repeat(5 * 1024 * 1024);
    assert!(
        errors_of(&mutate("Il y a quelqu'un[", &format!("{long_text}[")))[0].contains("at most")
    );
    std::fs::remove_dir_all(&dir).unwrap();
}

// ----- behaviour -----

fn mean_of(
    kind: PolicyKind,
    seeds: &[u64],
    reaction_min: Option<u64>,
    f: impl Fn(&Summary) -> f64,
) -> f64 {
    seeds
        .iter()
        .map(|s| f(&play(kind, *s, reaction_min).1))
        .sum::<f64>()
        / seeds.len() as f64
}

#[test]
fn ignored_customers_mostly_take_a_negative_action() {
    for seed in [1, 2] {
        let (outcome, summary) = play(PolicyKind::Ignore, seed, None);
        // Customers whose own expected reply time went by with two hours left to react
        // (figures.md: about 60%; `raleur calibrate` measures it over 20 seeds).
        let duration = outcome.sim.duration_ms();
        let settled: Vec<_> = outcome
            .sim
            .customers()
            .iter()
            .filter(|c| c.arrived_ms + c.expectation_ms + 2 * 3_600_000 <= duration)
            .collect();
        let negative =
            settled.iter().filter(|c| c.negative()).count() as f64 / settled.len() as f64;
        assert!((0.5..0.75).contains(&negative), "seed {seed}: {negative}");
        assert_eq!(summary.answered, 0);
        assert_eq!(summary.ambassadors, 0);
    }
}

#[test]
fn expert_beats_naive_and_naive_beats_ignore() {
    // Six seeds: over three, naive's churn (about 0.77 of ignore's) sat within noise of the bound.
    let seeds = [1, 2, 3, 4, 5, 6];
    let churned = |k| mean_of(k, &seeds, None, |s| s.churned as f64);
    let ambassadors = |k| mean_of(k, &seeds, None, |s| s.ambassadors as f64);
    let (expert, naive, ignore) = (
        churned(PolicyKind::Expert),
        churned(PolicyKind::Naive),
        churned(PolicyKind::Ignore),
    );
    assert!(expert * 5.0 < naive, "expert {expert} vs naive {naive}");
    assert!(naive < ignore * 0.8, "naive {naive} vs ignore {ignore}");
    let (expert_amb, naive_amb) = (
        ambassadors(PolicyKind::Expert),
        ambassadors(PolicyKind::Naive),
    );
    assert!(
        expert_amb > 4.0 * naive_amb,
        "expert {expert_amb} vs naive {naive_amb}"
    );
    let (_, expert_run) = play(PolicyKind::Expert, 1, None);
    assert_eq!(
        expert_run.rejected_actions, 0,
        "the expert never attempts an impossible action"
    );
    assert_eq!(expert_run.privacy_leaks, 0);
    assert_eq!(expert_run.bounces, 0, "the expert routes every case right");
}

#[test]
fn answering_later_gives_worse_outcomes_monotonically() {
    let seeds = [1, 2, 3];
    let delays = [2, 20, 60, 120, 240];
    let negatives: Vec<f64> = delays
        .iter()
        .map(|d| {
            mean_of(PolicyKind::Expert, &seeds, Some(*d), |s| {
                s.negative_actions as f64
            })
        })
        .collect();
    for pair in negatives.windows(2) {
        assert!(
            pair[0] < pair[1],
            "negative actions by delay {delays:?}: {negatives:?}"
        );
    }
    let slow = mean_of(PolicyKind::Slow, &seeds, None, |s| s.churned as f64);
    let expert = mean_of(PolicyKind::Expert, &seeds, None, |s| s.churned as f64);
    assert!(slow > 5.0 * expert, "slow {slow} vs expert {expert}");
}

#[test]
fn customers_target_scales_arrivals() {
    let scenario = price_war();
    let spec = |target| RunSpec {
        session: SessionConfig {
            seed: 4,
            lang: Lang::En,
            customers_target: Some(target),
        },
        policy: PolicyConfig::new(PolicyKind::Ignore, 1),
        scenario_path: PRICE_WAR.into(),
        scenario_sha256: "test".into(),
        analyser: analyser(),
    };
    let outcome = run(Arc::clone(&scenario), spec(2000)).unwrap();
    let scheduled = outcome
        .sim
        .records()
        .iter()
        .filter(|r| matches!(&r.event, Event::Arrival { source, .. } if *source != raleur::engine::transcript::Source::PileOn))
        .count();
    assert!((1850..2150).contains(&scheduled), "{scheduled}");
    // English session: customers write in English.
    let post = outcome
        .sim
        .messages()
        .iter()
        .find(|m| m.customer.is_some())
        .unwrap();
    let opening = |text: &str| text.chars().take(10).collect::<String>();
    let templates = || scenario.kinds.iter().flat_map(|k| &k.messages);
    let english = templates().any(|t| post.text.contains(&opening(&t.en)));
    let french = templates().any(|t| t.fr != t.en && post.text.contains(&opening(&t.fr)));
    assert!(
        english && !french,
        "not an English template: {:?}",
        post.text
    );
}

/// A customer may protest a hidden complaint while the back office works on their case: the
/// protest must not cancel the service's verdict (the case would stay "transferred" for ever).
#[test]
fn a_protest_while_transferred_keeps_the_service_verdict() {
    use raleur::engine::ScriptedTeam;
    use raleur::engine::policy::ScriptedTrainee;
    let mut scenario = (*price_war()).clone();
    // Every hidden complaint is protested, so the protest and the verdict always meet.
    scenario.model.censorship_protest = 1.0;
    let scenario = Arc::new(scenario);
    let mut sim = Simulation::new(scenario.clone(), session(1), analyser()).unwrap();
    let mut team = ScriptedTeam::new(ScriptedTrainee::new(PolicyConfig::new(
        PolicyKind::Expert,
        scenario.team_size,
    )));
    // The first cases the team hands to the back office, caught while they wait for it.
    let mut hidden = Vec::new();
    let mut t_ms = 0;
    while hidden.len() < 5 && t_ms < 240 * 60_000 {
        t_ms += 10_000;
        team.advance_to(&mut sim, t_ms);
        let transferred: Vec<CustomerId> = sim
            .customers()
            .iter()
            .filter(|c| matches!(c.stage, Stage::Transferred { .. }) && !hidden.contains(&c.id))
            .map(|c| c.id)
            .collect();
        for customer in transferred {
            let complaint = sim.customer(customer).unwrap().messages[0];
            sim.act(Action::Hide { message: complaint }).unwrap();
            hidden.push(customer);
        }
    }
    assert_eq!(hidden.len(), 5, "the expert team transfers cases");
    sim.advance_to(sim.now_ms() + 24 * 60 * 60_000);
    for customer in hidden {
        let c = sim.customer(customer).unwrap();
        assert!(
            !matches!(c.stage, Stage::Transferred { .. }),
            "customer {customer}: no verdict after a day ({:?})",
            c.stage
        );
    }
}

/// Some customers who go private say so in public first (`texts.dm_accept`), about as often
/// as the model says; nobody is expected to answer that post, and it does not spread.
#[test]
fn some_customers_say_in_public_that_they_go_private() {
    use raleur::engine::transcript::PostAct;
    let (outcome, _) = play(PolicyKind::Expert, 1, None);
    let sim = &outcome.sim;
    let went_private = sim.customers().iter().filter(|c| c.dm_open).count();
    let said_so: Vec<_> = sim
        .messages()
        .iter()
        .filter(|m| m.act == Some(PostAct::DmAccept))
        .collect();
    let share = said_so.len() as f64 / went_private as f64;
    let expected = price_war().model.dm_accept_public_probability;
    assert!(went_private > 100, "{went_private}");
    assert!((share - expected).abs() < 0.1, "{share} against {expected}");
    assert!(said_so.iter().all(|m| !m.private));
    assert!(!PostAct::DmAccept.needs_answer());
    let reshared: Vec<MessageId> = sim
        .records()
        .iter()
        .filter_map(|r| match r.event {
            Event::Reshare { message, .. } => Some(message),
            _ => None,
        })
        .collect();
    assert!(said_so.iter().all(|m| !reshared.contains(&m.id)));
}

/// A long transcript is read on every core; what comes back, and the first fault reported,
/// are the same as a line-by-line reading would give.
#[test]
fn a_long_transcript_reads_back_whole_and_reports_its_first_fault() {
    let scenario = price_war();
    let spec = RunSpec {
        session: SessionConfig {
            seed: 3,
            lang: Lang::Fr,
            customers_target: Some(3_500),
        },
        policy: PolicyConfig::new(PolicyKind::Expert, scenario.team_size),
        scenario_path: PRICE_WAR.into(),
        scenario_sha256: "test".into(),
        analyser: analyser(),
    };
    let outcome = run(scenario, spec).unwrap();
    let text = String::from_utf8(transcript_bytes(&outcome)).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert!(
        lines.len() > 30_000,
        "{} lines: the parallel reading starts at 20,000",
        lines.len()
    );
    let (_, records) = read_jsonl(&text).unwrap();
    assert_eq!(records, outcome.sim.records());

    let with = |changes: &[(usize, &str)]| {
        let mut changed: Vec<&str> = lines.clone();
        for (at, line) in changes {
            changed[*at] = line;
        }
        changed.join("\n")
    };
    let late = lines.len() * 7 / 8;
    let error = read_jsonl(&with(&[(late, "{broken")])).unwrap_err();
    assert_eq!(error.line, late + 1, "{error}");
    // An earlier fault of another kind (a record out of order) is the one reported.
    let early = lines.len() / 8;
    let error = read_jsonl(&with(&[(late, "{broken"), (early, lines[1])])).unwrap_err();
    assert_eq!(error.line, early + 1, "{error}");
}
