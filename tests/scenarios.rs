//! The scenario library: every scenario validates and plays with every policy to sensible
//! outcomes, and each one shows the behaviour it was written for.

use raleur::engine::Action;
use raleur::engine::CustomerId;
use raleur::engine::policy::{PolicyConfig, PolicyKind};
use raleur::engine::run::{RunOutcome, RunSpec, Summary, run, summarise};
use raleur::engine::scenario::{Account, Channel, Lang, Scenario};
use raleur::engine::sim::{Simulation, Stage};
use raleur::engine::transcript::{Cause, Event, PostAct};
use raleur::score::{Scores, ScoringSpec, score};
use raleur::tone::ToneAnalyser;
use std::sync::Arc;

const LIBRARY: [&str; 8] = [
    "tutorial",
    "price_war",
    "insurance_page",
    "bank_card",
    "wrong_account",
    "food_delivery",
    "weekend_outage",
    "transport_strike",
];

mod common;
use common::{analyser, session};

fn scenario(id: &str) -> Arc<Scenario> {
    common::bundled(&format!("scenarios/{id}.ron"))
}

struct Played {
    outcome: RunOutcome,
    summary: Summary,
    scores: Scores,
}

fn play(id: &str, kind: PolicyKind, seed: u64) -> Played {
    let scenario = scenario(id);
    let spec = RunSpec {
        session: session(seed),
        policy: PolicyConfig::new(kind, scenario.team_size),
        scenario_path: format!("scenarios/{id}.ron"),
        scenario_sha256: "test".into(),
        analyser: analyser(),
    };
    let outcome = run(Arc::clone(&scenario), spec).expect("runs");
    let summary = summarise(&outcome, kind.name());
    let tone = ToneAnalyser::bundled();
    let scores = score(
        &ScoringSpec::bundled(),
        &tone,
        &scenario,
        &outcome.header,
        outcome.sim.records(),
    )
    .scores;
    Played {
        outcome,
        summary,
        scores,
    }
}

fn new_sim(id: &str, seed: u64) -> Simulation {
    Simulation::new(scenario(id), session(seed), analyser()).expect("starts")
}

/// Steps until `done` holds or the session ends; true if it held.
fn step_until(sim: &mut Simulation, mut done: impl FnMut(&Simulation) -> bool) -> bool {
    loop {
        if done(sim) {
            return true;
        }
        if !sim.step() {
            return false;
        }
    }
}

fn posts_of(sim: &Simulation, customer: CustomerId, act: PostAct) -> Vec<u64> {
    sim.records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::Post {
                customer: c,
                act: a,
                ..
            } if *c == customer && *a == act => Some(r.t_ms),
            _ => None,
        })
        .collect()
}

// ----- the whole library -----

#[test]
fn every_scenario_validates_and_plays_with_every_policy_in_a_sensible_order() {
    for id in LIBRARY {
        let s = scenario(id);
        assert!(!s.learning_goals.is_empty(), "{id}: learning goals");
        assert!((1..=5).contains(&s.difficulty), "{id}: difficulty");
        let [ignore, naive, expert, slow] = [
            PolicyKind::Ignore,
            PolicyKind::Naive,
            PolicyKind::Expert,
            PolicyKind::Slow,
        ]
        .map(|kind| play(id, kind, 1));
        let context = format!(
            "{id}: overall ignore {} naive {} expert {} slow {}",
            ignore.scores.overall, naive.scores.overall, expert.scores.overall, slow.scores.overall
        );
        assert_eq!(ignore.summary.answered, 0, "{context}");
        assert!(
            expert.scores.overall >= 85.0,
            "the expert plays well: {context}"
        );
        assert!(
            expert.scores.overall >= naive.scores.overall + 5.0,
            "{context}"
        );
        assert!(
            naive.scores.overall >= ignore.scores.overall + 30.0,
            "{context}"
        );
        assert!(
            expert.scores.speed >= slow.scores.speed + 30.0,
            "the slow team loses on speed: {context}"
        );
        assert!(
            expert.summary.churned <= naive.summary.churned,
            "{context}: churn expert {} naive {}",
            expert.summary.churned,
            naive.summary.churned
        );
        assert!(
            expert.summary.churned * 2 <= ignore.summary.churned.max(1),
            "{context}: churn expert {} ignore {}",
            expert.summary.churned,
            ignore.summary.churned
        );
        assert_eq!(expert.summary.rejected_actions, 0, "{context}");
        assert_eq!(
            expert.summary.bounces, 0,
            "{context}: the expert routes right"
        );
        assert_eq!(expert.summary.privacy_leaks, 0, "{context}");
    }
}

// ----- one test per scenario -----

#[test]
fn tutorial_brings_six_calm_customers_each_with_a_lesson() {
    let s = scenario("tutorial");
    assert_eq!(s.duration_min, 20.0);
    assert_eq!(s.timeline.scripted.len(), 6);
    for post in &s.timeline.scripted {
        let lesson = post
            .lesson
            .as_ref()
            .expect("every tutorial customer has a lesson");
        assert!(!lesson.fr.is_empty() && !lesson.en.is_empty());
    }
    let expert = play("tutorial", PolicyKind::Expert, 1);
    let sim = &expert.outcome.sim;
    assert_eq!(sim.customers().len(), 6, "nobody but the six come");
    for c in sim.customers() {
        assert!(c.scripted.is_some(), "{} is scripted", c.handle);
        let first = sim.message(c.messages[0]).unwrap();
        assert!(first.anger <= 30, "{} is calm: {}", c.handle, first.anger);
        assert!(c.first_reply_ms.is_some(), "{} answered", c.handle);
        assert!(!c.negative(), "{} stays calm", c.handle);
    }
    let transferred = sim
        .records()
        .iter()
        .filter(|r| matches!(r.event, Event::Transfer { .. }))
        .count();
    assert_eq!(
        transferred, 4,
        "the four service cases reach their service in time"
    );
    // The last customer had to chase: the expert apologises for the wait.
    let waiting = sim
        .customers()
        .iter()
        .find(|c| s.personas[c.persona].id == "waiting")
        .unwrap();
    assert!(sim.records().iter().any(|r| matches!(
        &r.event,
        Event::Reaction { customer, causes, .. }
            if *customer == waiting.id && causes.contains(&Cause::ApologyRepair)
    )));
    assert!(expert.scores.overall >= 95.0, "{}", expert.scores.overall);
}

#[test]
fn insurance_page_is_a_facebook_page_where_customers_post_their_data_if_asked_in_public() {
    let mut sim = new_sim("insurance_page", 1);
    sim.finish();
    let customers = sim.customers();
    let on_facebook = customers
        .iter()
        .filter(|c| c.channel == Channel::Facebook)
        .count();
    assert!(on_facebook * 100 >= customers.len() * 85, "{on_facebook}");
    let personal = customers
        .iter()
        .filter(|c| sim.scenario().kinds[c.kind].personal_data)
        .count();
    assert!(personal * 100 >= customers.len() * 70, "{personal}");

    // A trainee who asks for the policy number in public gets it, in public, from many.
    let mut sim = new_sim("insurance_page", 2);
    sim.advance_to(120 * 60_000);
    let asked: Vec<CustomerId> = sim
        .customers()
        .iter()
        .filter(|c| sim.scenario().kinds[c.kind].personal_data && c.stage == Stage::Open)
        .map(|c| c.id)
        .collect();
    assert!(asked.len() >= 20, "{}", asked.len());
    for &id in &asked {
        sim.act(Action::Reply {
            customer: id,
            private: false,
            text: "Bonjour, pouvez-vous nous donner votre numéro de contrat ? ^Camille".into(),
        })
        .expect("a public reply");
    }
    sim.advance_to(180 * 60_000);
    let leaked = asked
        .iter()
        .filter(|&&id| !posts_of(&sim, id, PostAct::PublicData).is_empty())
        .count();
    assert!(
        leaked * 100 >= asked.len() * 35,
        "{leaked} of {} posted their data in public",
        asked.len()
    );
    assert_eq!(sim.counters().privacy_leaks as usize, leaked);
}

#[test]
fn bank_card_customer_rejects_the_template_before_it_comes_and_a_copy_makes_it_worse() {
    let s = scenario("bank_card");
    let find_her = |sim: &Simulation| {
        sim.customers()
            .iter()
            .find(|c| s.personas[c.persona].id == "opposed_card")
            .map(|c| c.id)
    };
    let mut refused_copies = 0;
    let mut accepted_explanations = 0;
    let seeds = 1..=6u64;
    for seed in seeds.clone() {
        // She warns a minute after her post, before anyone answers.
        let mut sim = new_sim("bank_card", seed);
        assert!(step_until(&mut sim, |sim| find_her(sim).is_some_and(
            |id| !posts_of(sim, id, PostAct::PreemptTemplate).is_empty()
        )));
        let her = find_her(&sim).unwrap();
        let arrived = sim.customer(her).unwrap().arrived_ms;
        let warned = posts_of(&sim, her, PostAct::PreemptTemplate)[0];
        assert_eq!(warned - arrived, 60_000, "seed {seed}");
        assert!(sim.customer(her).unwrap().first_reply_ms.is_none());

        // The template, already pasted on the page: doubled irritation, and a refusal.
        let template = "Bonjour, merci de nous contacter en message privé afin que nous traitions votre demande.";
        let mut copied = new_sim("bank_card", seed);
        step_until(&mut copied, |sim| {
            sim.customer(her).is_some_and(|c| c.preempted)
                && sim.customers().iter().any(|c| c.id != her)
        });
        let other = copied.customers().iter().find(|c| c.id != her).unwrap().id;
        copied
            .act(Action::Reply {
                customer: other,
                private: false,
                text: template.into(),
            })
            .unwrap();
        let before = copied.anger(her).unwrap();
        copied
            .act(Action::Reply {
                customer: her,
                private: false,
                text: template.into(),
            })
            .unwrap();
        let irritated = copied.records().iter().any(|r| {
            matches!(
                &r.event,
                Event::Reaction { customer, causes, .. }
                    if *customer == her && causes.contains(&Cause::Template)
            )
        });
        assert!(irritated, "seed {seed}: the copy irritates her");
        assert!(copied.anger(her).unwrap() > before, "seed {seed}");
        copied.advance_to(copied.now_ms() + 10 * 60_000);
        refused_copies += usize::from(
            !posts_of(&copied, her, PostAct::DmRefuse).is_empty()
                && !copied.customer(her).unwrap().dm_open,
        );

        // Procedure explained in the adviser's own words: she goes private.
        let mut personal = new_sim("bank_card", seed);
        step_until(&mut personal, |sim| {
            sim.customer(her).is_some_and(|c| c.preempted)
        });
        personal
            .act(Action::Reply {
                customer: her,
                private: false,
                text: "Bonjour, je comprends votre colère : trois semaines sans carte, c'est long. \
                       Je ne vous envoie pas de message tout fait : pour retrouver votre dossier il \
                       me faut votre identifiant client, que je ne peux pas vous demander ici par \
                       sécurité. Pouvez-vous m'écrire en message privé ? Je m'en occupe. ^Inès"
                    .into(),
            })
            .unwrap();
        personal.advance_to(personal.now_ms() + 10 * 60_000);
        accepted_explanations += usize::from(personal.customer(her).unwrap().dm_open);
    }
    let n = seeds.count();
    assert_eq!(refused_copies, n, "she never takes the copied invitation");
    assert!(
        accepted_explanations * 3 >= n * 2,
        "{accepted_explanations} of {n} went private after a personal explanation"
    );
}

#[test]
fn wrong_account_brings_misdirected_posts_that_the_expert_redirects() {
    let expert = play("wrong_account", PolicyKind::Expert, 1);
    let sim = &expert.outcome.sim;
    // Redirected customers move to the care account: count where they first wrote.
    let wrote_to_corporate: Vec<CustomerId> = sim
        .records()
        .iter()
        .filter_map(|r| match r.event {
            Event::Arrival {
                customer,
                account: Account::Corporate,
                ..
            } => Some(customer),
            _ => None,
        })
        .collect();
    assert!(
        wrote_to_corporate.len() * 100 >= sim.customers().len() * 40,
        "{} of {} on the corporate account",
        wrote_to_corporate.len(),
        sim.customers().len()
    );
    let cases: Vec<CustomerId> = wrote_to_corporate
        .iter()
        .copied()
        .filter(|&id| {
            let c = sim.customer(id).unwrap();
            sim.scenario().kinds[c.kind].service.is_some()
        })
        .collect();
    let redirected = cases
        .iter()
        .filter(|&&id| !posts_of(sim, id, PostAct::Redirected).is_empty())
        .count();
    assert!(
        redirected * 100 >= cases.len() * 70,
        "{redirected} of {} redirected to the care account",
        cases.len()
    );
    let naive = play("wrong_account", PolicyKind::Naive, 1);
    assert!(
        expert.scores.redirection >= naive.scores.redirection + 30.0,
        "expert {} naive {}",
        expert.scores.redirection,
        naive.scores.redirection
    );
}

#[test]
fn food_delivery_customers_expect_minutes_and_bad_faith_chases_after_two() {
    let mut sim = new_sim("food_delivery", 1);
    sim.finish();
    let s = sim.scenario();
    let mut expectations: Vec<u64> = sim
        .customers()
        .iter()
        .filter(|c| c.channel == Channel::Twitter)
        .map(|c| c.expectation_ms)
        .collect();
    expectations.sort_unstable();
    let median = expectations[expectations.len() / 2];
    assert!(median <= 5 * 60_000, "median expectation {median} ms");
    let chasers: Vec<_> = sim
        .customers()
        .iter()
        .filter(|c| s.personas[c.persona].id == "bad_faith")
        .collect();
    assert!(chasers.len() >= 20, "{}", chasers.len());
    let chased_at_two = chasers
        .iter()
        .filter(|c| {
            sim.records().iter().any(|r| {
                matches!(&r.event, Event::Post { customer, act, .. }
                    if *customer == c.id
                        && (*act == PostAct::Followup || *act == PostAct::Shame || act.is_escalation()))
                    && r.t_ms - c.arrived_ms <= 150_000
            })
        })
        .count();
    assert!(
        // A few leave at that first check instead of writing (churn or abandonment).
        chased_at_two * 10 >= chasers.len() * 8,
        "{chased_at_two} of {} chased within two and a half minutes",
        chasers.len()
    );
    assert!(s.channels.twitter.response_norm_min <= 5.0);
    let slow = play("food_delivery", PolicyKind::Slow, 1);
    let expert = play("food_delivery", PolicyKind::Expert, 1);
    // Ninety minutes late in a rush answers almost nobody: no competence survives that.
    assert!(slow.scores.answered_share < 10.0, "{:?}", slow.scores);
    assert!(slow.scores.overall < 10.0, "{:?}", slow.scores);
    assert!(
        slow.summary.churned >= 4 * expert.summary.churned.max(1),
        "slow {} expert {}",
        slow.summary.churned,
        expert.summary.churned
    );
}

fn negative_share_of_friday_customers(sim: &Simulation) -> f64 {
    let friday: Vec<_> = sim
        .customers()
        .iter()
        .filter(|c| c.arrived_ms < 360 * 60_000)
        .collect();
    friday.iter().filter(|c| c.negative()).count() as f64 / friday.len() as f64
}

fn last_buzz(sim: &Simulation) -> u64 {
    sim.records()
        .iter()
        .rev()
        .find_map(|r| match r.event {
            Event::Sample { buzz, .. } => Some(buzz),
            _ => None,
        })
        .unwrap()
}

#[test]
fn weekend_outage_unanswered_friday_customers_set_the_brand_on_fire_by_monday() {
    let ignored = play("weekend_outage", PolicyKind::Ignore, 1);
    let expert = play("weekend_outage", PolicyKind::Expert, 1);
    let fire = negative_share_of_friday_customers(&ignored.outcome.sim);
    assert!(
        fire >= 0.6,
        "{fire}: Friday's ignored customers mostly turn"
    );
    assert!(negative_share_of_friday_customers(&expert.outcome.sim) < 0.05);
    let (ignored_buzz, expert_buzz) = (
        last_buzz(&ignored.outcome.sim),
        last_buzz(&expert.outcome.sim),
    );
    assert!(
        ignored_buzz >= 3 * expert_buzz.max(1),
        "Monday's buzz: ignored {ignored_buzz} expert {expert_buzz}"
    );

    // Nights are quieter than days.
    let arrivals_between = |from_min: u64, to_min: u64| {
        ignored
            .outcome
            .sim
            .customers()
            .iter()
            .filter(|c| (from_min * 60_000..to_min * 60_000).contains(&c.arrived_ms))
            .count() as f64
            / (to_min - from_min) as f64
    };
    assert!(arrivals_between(360, 780) * 2.0 < arrivals_between(900, 1500));

    // The weekend raises anger: the same customers, unanswered, without it, stay calmer.
    let mut calm = (*scenario("weekend_outage")).clone();
    for event in &mut calm.timeline.events {
        if event.id == "weekend" {
            event.anger_multiplier = 1.0;
        }
    }
    let mut without_weekend =
        Simulation::new(Arc::new(calm), session(1), analyser()).expect("starts");
    without_weekend.finish();
    let mean_anger = |sim: &Simulation| {
        sim.customers()
            .iter()
            .filter_map(|c| sim.anger(c.id))
            .sum::<f64>()
            / sim.customers().len() as f64
    };
    let mut with_weekend = new_sim("weekend_outage", 1);
    with_weekend.finish();
    assert!(
        mean_anger(&with_weekend) > mean_anger(&without_weekend) + 3.0,
        "with the weekend {} without {}",
        mean_anger(&with_weekend),
        mean_anger(&without_weekend)
    );
}

#[test]
fn transport_strike_mixes_french_and_english_and_amplifiers_spread_it() {
    let expert = play("transport_strike", PolicyKind::Expert, 1);
    let sim = &expert.outcome.sim;
    let english = sim
        .customers()
        .iter()
        .filter(|c| c.lang == Lang::En)
        .count();
    let share = english as f64 / sim.customers().len() as f64;
    assert!((0.25..0.75).contains(&share), "{share} write in English");
    // The team answers each customer in their language.
    for record in sim.records() {
        if let Event::Reply { customer, text, .. } = &record.event
            && sim.customer(*customer).unwrap().lang == Lang::En
        {
            assert!(
                !text.contains("Bonjour") && !text.contains("merci"),
                "French reply to an English speaker: {text}"
            );
        }
    }
    // The influencer's live post spreads further than the customers' posts at large.
    let reach_of = |id: CustomerId| {
        sim.records()
            .iter()
            .filter_map(|r| match r.event {
                Event::Reshare {
                    customer,
                    followers,
                    ..
                } if customer == id => Some(u64::from(followers)),
                _ => None,
            })
            .sum::<u64>()
    };
    let s = sim.scenario();
    let influencer = sim
        .customers()
        .iter()
        .find(|c| s.personas[c.persona].id == "influencer" && c.scripted.is_some())
        .unwrap();
    let mean_reach =
        sim.customers().iter().map(|c| reach_of(c.id)).sum::<u64>() / sim.customers().len() as u64;
    assert!(
        reach_of(influencer.id) > 10 * mean_reach.max(1),
        "influencer {} vs mean {mean_reach}",
        reach_of(influencer.id)
    );
    assert!(
        sim.customers()
            .iter()
            .any(|c| c.account == Account::Corporate && s.personas[c.persona].id == "journalist")
    );
}

/// Every bundled scenario, played by two scripted teams, gives the transcript it gave when
/// `tests/data/transcript_hashes.txt` was written: the guard of every optimisation.
#[test]
fn every_bundled_scenario_keeps_its_transcripts() {
    let listed = std::fs::read_to_string("tests/data/transcript_hashes.txt").unwrap();
    let mut checked = 0;
    for line in listed
        .lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
    {
        let [id, policy, seed, expected] = line.split_whitespace().collect::<Vec<_>>()[..] else {
            panic!("bad line {line:?}");
        };
        let path = format!("scenarios/{id}.ron");
        let loaded = raleur::engine::load_scenario(std::path::Path::new(&path)).unwrap();
        let kind = PolicyKind::parse(policy).unwrap();
        let spec = RunSpec {
            session: raleur::engine::SessionConfig {
                seed: seed.parse().unwrap(),
                lang: Lang::Fr,
                customers_target: None,
            },
            policy: PolicyConfig::new(kind, loaded.scenario.team_size),
            scenario_path: path.clone(),
            scenario_sha256: loaded.sha256,
            analyser: analyser(),
        };
        let outcome = run(Arc::new(loaded.scenario), spec).unwrap();
        let summary = summarise(&outcome, kind.name());
        assert_eq!(
            summary.transcript_sha256, expected,
            "{id} {policy} seed {seed}"
        );
        checked += 1;
    }
    assert_eq!(
        checked, 16,
        "two teams on each of the eight bundled scenarios"
    );
}

/// The price war played by one adviser at a person's pace (`--policy human`): the share of
/// customers first answered within their channel's norm, and the overall score.
fn played_alone(id: &str, customers_target: Option<u64>, seed: u64) -> (f64, f64) {
    let scenario = scenario(id);
    let mut session = session(seed);
    session.customers_target = customers_target;
    let spec = RunSpec {
        session,
        policy: PolicyConfig::new(PolicyKind::Human, 1),
        scenario_path: format!("scenarios/{id}.ron"),
        scenario_sha256: "test".into(),
        analyser: analyser(),
    };
    let outcome = run(Arc::clone(&scenario), spec).expect("runs");
    assert_eq!(outcome.rejected_actions, 0);
    let tone = ToneAnalyser::bundled();
    let spec = ScoringSpec::bundled();
    let debrief = score(
        &spec,
        &tone,
        &scenario,
        &outcome.header,
        outcome.sim.records(),
    );
    let within = debrief
        .conversations
        .iter()
        .filter(|c| {
            let norm_s = scenario.channels.get(c.channel).response_norm_min * 60.0;
            c.first_response_s.is_some_and(|s| s <= norm_s)
        })
        .count();
    let share = within as f64 / debrief.conversations.len().max(1) as f64;
    (share, debrief.scores.overall)
}

#[test]
fn one_person_at_a_human_pace_can_play_the_price_war_at_its_solo_size() {
    let price_war = scenario("price_war");
    let solo = price_war
        .crowd_for(1)
        .expect("the price war gives its solo size");
    for seed in [1, 2] {
        let (share, overall) = played_alone("price_war", Some(solo), seed);
        assert!(
            share >= 0.8,
            "seed {seed}: {share:.3} answered within the norm"
        );
        assert!(overall >= 70.0, "seed {seed}: overall {overall}");
    }
    // The crowd the team of five faces is too much for one: the solo size means something.
    let (share, overall) = played_alone("price_war", None, 1);
    assert!(
        share < 0.8 || overall < 70.0,
        "{share:.3} within the norm, overall {overall}"
    );
}

/// A customer's first message says they wrote before ("je vous ai écrit ce matin") while the
/// desk shows it as their first, a minute old: the texts must not claim a history the
/// session does not have.
#[test]
fn no_first_message_claims_an_earlier_message_the_desk_does_not_show() {
    let claims = [
        "je vous ai écrit",
        "je vous ai déjà écrit",
        "je vous ai envoyé un message",
        "i wrote to you",
        "i already wrote",
        "i messaged you",
    ];
    for entry in std::fs::read_dir("scenarios").unwrap() {
        let path = entry.unwrap().path();
        let scenario = raleur::engine::load_scenario(&path).unwrap().scenario;
        for kind in &scenario.kinds {
            for message in &kind.messages {
                for text in [&message.fr, &message.en] {
                    let lower = text.to_lowercase();
                    for claim in claims {
                        assert!(
                            !lower.contains(claim),
                            "{}: kind {}: {text:?} claims an earlier message",
                            path.display(),
                            kind.id
                        );
                    }
                }
            }
        }
    }
}

/// The curriculum climbs from the tutorial through difficulty 2 and 3 played alone, and each
/// level played alone is playable by one person: the human-pace team, alone at the level's
/// crowd, answers 80% within the norm and scores 70.
#[test]
fn the_curriculum_s_solo_levels_are_playable_by_one_person() {
    use raleur::academy::curriculum::{Curriculum, LevelCrowd};
    let curriculum = Curriculum::load(std::path::Path::new("curricula/webconseiller.ron")).unwrap();
    let difficulties: Vec<u8> = curriculum
        .levels
        .iter()
        .map(|l| l.scenarios[0].scenario.difficulty)
        .collect();
    assert_eq!(&difficulties[..4], &[1, 2, 3, 4], "{difficulties:?}");
    let solo: Vec<_> = curriculum
        .levels
        .iter()
        .filter(|l| l.crowd == LevelCrowd::Solo)
        .collect();
    assert!(solo.len() >= 2);
    for level in solo {
        for entry in &level.scenarios {
            let target = entry.customers_target(LevelCrowd::Solo);
            assert!(target.is_some(), "{}", level.id);
            let id = &entry.scenario.id;
            let (share, overall) = played_alone(id, target, 1);
            assert!(share >= 0.8, "{id}: {share:.3} answered within the norm");
            assert!(overall >= 70.0, "{id}: overall {overall}");
        }
    }
}

/// The tutorial, to change, and the index of its billing question.
fn tutorial_and_billing_kind() -> (Scenario, usize) {
    let tutorial = (*scenario("tutorial")).clone();
    let billing = tutorial
        .kinds
        .iter()
        .position(|k| k.id == "billing_question")
        .expect("the tutorial has a billing question");
    (tutorial, billing)
}

/// The tutorial with its first scripted post given this text.
fn tutorial_with_first_scripted_text(fr: &str, en: &str) -> Scenario {
    let mut tutorial = (*scenario("tutorial")).clone();
    tutorial.timeline.scripted[0].text = Some(raleur::engine::scenario::Text {
        fr: fr.into(),
        en: en.into(),
    });
    tutorial
}

/// A trainer's scripted post with placeholders comes out filled, as a drawn one does.
#[test]
fn a_scripted_post_s_placeholders_are_filled() {
    let tutorial = tutorial_with_first_scripted_text(
        "{brand} : fuite de données ? {competitor} fait mieux.",
        "{brand}: a data leak? {competitor} does better.",
    );
    let mut sim = Simulation::new(Arc::new(tutorial), session(1), analyser()).unwrap();
    sim.advance_to(60_000);
    let first = sim
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Post { text, .. } => Some(text.clone()),
            _ => None,
        })
        .expect("the scripted post");
    assert_eq!(
        first,
        "Telvia : fuite de données ? @ZephyrMobile fait mieux."
    );
}

/// A request kind's `topic` is how the expert names it in a reply; without one, its label
/// in lower case (a label such as "Veut résilier" reads badly after "votre").
#[test]
fn the_expert_names_the_request_by_its_topic() {
    let replies_with = |tutorial: Scenario| -> Vec<String> {
        let spec = RunSpec {
            session: session(1),
            policy: PolicyConfig::new(PolicyKind::Expert, 1),
            scenario_path: "scenarios/tutorial.ron".into(),
            scenario_sha256: "test".into(),
            analyser: analyser(),
        };
        let outcome = run(Arc::new(tutorial), spec).unwrap();
        outcome
            .sim
            .records()
            .iter()
            .filter_map(|r| match &r.event {
                Event::Reply { text, .. } => Some(text.clone()),
                _ => None,
            })
            .collect()
    };
    let (mut tutorial, billing) = tutorial_and_billing_kind();
    let label = tutorial.kinds[billing].label.fr.to_lowercase();
    assert!(
        replies_with(tutorial.clone())
            .iter()
            .any(|r| r.contains(&label))
    );
    tutorial.kinds[billing].topic = Some(raleur::engine::scenario::Text {
        fr: "facture du mois".into(),
        en: "bill this month".into(),
    });
    let replies = replies_with(tutorial);
    assert!(
        replies.iter().any(|r| r.contains("votre facture du mois")),
        "{replies:#?}"
    );
    assert!(!replies.iter().any(|r| r.contains(&label)), "{replies:#?}");
}

/// A journalist's question goes to the press office: the expert answers in public with the
/// brand's press contact; a press request without one, or taken as a case, does not load.
#[test]
fn a_press_request_is_sent_to_the_press_office() {
    let source = std::fs::read_to_string("scenarios/tutorial.ron").unwrap();
    let with_press = source
        .replacen(
            "competitor_handle: \"@ZephyrMobile\",",
            "competitor_handle: \"@ZephyrMobile\",\n        press_contact: \"presse@telvia.fr\",",
            1,
        )
        .replacen(
            "(id: \"offer_question\", label: (fr: \"Question sur une offre\", en: \"Question about a plan\"), weight: 1,",
            "(id: \"offer_question\", label: (fr: \"Question sur une offre\", en: \"Question about a plan\"), weight: 1, press: true,",
            1,
        );
    let tutorial = raleur::engine::parse_scenario(&with_press, "press.ron").unwrap();
    let spec = RunSpec {
        session: session(1),
        policy: PolicyConfig::new(PolicyKind::Expert, 1),
        scenario_path: "press.ron".into(),
        scenario_sha256: "test".into(),
        analyser: analyser(),
    };
    let outcome = run(Arc::new(tutorial), spec).unwrap();
    let first: Vec<(bool, String)> = outcome
        .sim
        .records()
        .iter()
        .filter_map(|r| match &r.event {
            Event::Reply {
                customer: CustomerId(0),
                private,
                text,
                ..
            } => Some((*private, text.clone())),
            _ => None,
        })
        .collect();
    assert!(!first.is_empty());
    assert!(first.iter().all(|(private, _)| !private), "{first:?}");
    assert!(first[0].1.contains("presse@telvia.fr"), "{first:?}");
    assert!(!first[0].1.contains("message privé"), "{first:?}");

    let without_contact =
        with_press.replacen("\n        press_contact: \"presse@telvia.fr\",", "", 1);
    let errors = raleur::engine::parse_scenario(&without_contact, "press.ron").unwrap_err();
    assert!(
        errors.iter().any(|e| e.message
            == "kinds[0].press: a press request needs brand.press_contact, where journalists are sent"),
        "{errors:?}"
    );
}

/// A scripted post's text is checked as a kind's messages are: known placeholders only, and
/// no `{details}` in a first post.
#[test]
fn a_scripted_post_s_placeholders_are_checked() {
    let tutorial = tutorial_with_first_scripted_text("{attente} : mes infos {details}", "{brand}");
    let problems: Vec<String> = raleur::engine::load::validate(&tutorial)
        .into_iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    assert!(
        problems.iter().any(|p| p
            .starts_with("timeline.scripted[0].text.fr: unknown placeholder {attente}; known:")),
        "{problems:#?}"
    );
    assert!(
        problems.iter().any(|p| p.starts_with(
            "timeline.scripted[0].text.fr: {details} lists the details the customer has given"
        )),
        "{problems:#?}"
    );
    assert_eq!(problems.len(), 2, "{problems:#?}");
}

/// A template's alternatives ([a|b], [|optional]) make one text many; unbalanced or nested
/// brackets do not load.
#[test]
fn alternatives_make_one_template_many_texts() {
    let (mut tutorial, billing) = tutorial_and_billing_kind();
    tutorial.kinds[billing].messages[0].fr =
        "[Bonjour|Bonsoir|Madame, Monsieur], ma [facture|note] [|de ce mois ]est [plus élevée|bien plus élevée|plus chère] que d'habitude[| : pouvez-vous regarder ?]"
            .into();
    assert!(raleur::engine::load::validate(&tutorial).is_empty());
    let tutorial = Arc::new(tutorial);
    let mut texts = std::collections::BTreeSet::new();
    for seed in 1..=40 {
        let mut sim = Simulation::new(Arc::clone(&tutorial), session(seed), analyser()).unwrap();
        sim.advance_to(5 * 60_000);
        let text = sim
            .latest_customer_message(CustomerId(2))
            .unwrap()
            .text
            .clone();
        assert!(!text.contains(['[', ']', '|']), "{text}");
        texts.insert(text);
    }
    assert!(texts.len() >= 10, "{texts:#?}");
    for (broken, fault) in [
        ("[Bonjour|Salut, ma facture", "a [ is not closed"),
        ("Bonjour] ma facture", "a ] closes no ["),
        ("[Bonjour [cher|chère]|Salut]", "cannot be nested"),
    ] {
        let mut bad = (*tutorial).clone();
        bad.kinds[billing].messages[0].fr = broken.into();
        let problems = raleur::engine::load::validate(&bad);
        assert!(
            problems.iter().any(|p| p.message.contains(fault)
                && p.path == format!("kinds[{billing}].messages[0].fr")),
            "{broken}: {problems:?}"
        );
    }
}

/// A journalist never thanks the brand for "rebooking my train": whoever asks the press
/// questions has their own thanks and their own "I'll wait".
#[test]
fn those_who_ask_press_questions_answer_as_journalists() {
    let mut checked = 0;
    for id in LIBRARY {
        let s = scenario(id);
        for kind in s.kinds.iter().filter(|k| k.press) {
            for persona in &kind.personas {
                for (name, list) in [
                    ("thanks_public", &s.texts.thanks_public),
                    ("acknowledged", &s.texts.acknowledged),
                ] {
                    assert!(
                        list.iter().any(|t| t.personas.contains(persona)),
                        "{id}: {persona} has no {name} text of their own"
                    );
                    checked += 1;
                }
            }
        }
    }
    assert!(checked >= 6, "{checked}");
}
