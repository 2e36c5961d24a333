//! The facilitator's injects and posts typed live, as engine actions: each fires what the
//! scenario says at the time it is fired, the transcript records it, a replay fires it again,
//! and a refused one (unknown, spent, made by a seat, a bad post) changes nothing.

mod common;

use common::{analyser, bundled, session, state_fingerprint as fingerprint};
use raleur::engine::action::{Action, ActionError};
use raleur::engine::direction::DirectionError;
use raleur::engine::ids::SeatId;
use raleur::engine::load::validate;
use raleur::engine::run::{header_for, replay};
use raleur::engine::scenario::{Account, Channel};
use raleur::engine::seats::numbered;
use raleur::engine::sim::Simulation;
use raleur::engine::transcript::{Event, Record, Source, read_jsonl, write_jsonl};

const PRICE_WAR: &str = "scenarios/price_war.ron";
const MINUTE_MS: u64 = 60_000;

fn at(minute: u64) -> Simulation {
    let mut sim = Simulation::new(bundled(PRICE_WAR), session(3), analyser()).unwrap();
    sim.advance_to(minute * MINUTE_MS);
    sim
}

fn inject(id: &str) -> Action {
    Action::Inject { inject: id.into() }
}

/// The arrivals an inject brought, with their persona, after the records of index `from`.
fn injected(records: &[Record], from: usize) -> Vec<(u64, String)> {
    records[from..]
        .iter()
        .filter_map(|r| match &r.event {
            Event::Arrival {
                persona,
                source: Source::Inject,
                ..
            } => Some((r.t_ms, persona.clone())),
            _ => None,
        })
        .collect()
}

fn refused(sim: &mut Simulation, seat: Option<SeatId>, action: Action) -> ActionError {
    let (before, records) = (fingerprint(sim), sim.records().len());
    let error = sim.act_as(seat, action).expect_err("must be refused");
    assert_eq!(before, fingerprint(sim), "a refusal changes nothing");
    assert_eq!(records, sim.records().len(), "a refusal records nothing");
    let (fr, en) = (
        error.message(raleur::engine::scenario::Lang::Fr),
        error.message(raleur::engine::scenario::Lang::En),
    );
    assert!(!fr.is_empty() && !en.is_empty() && fr != en);
    error
}

#[test]
fn the_journalists_article_posts_now_and_doubles_nothing_but_its_surge() {
    let mut sim = at(60);
    let from = sim.records().len();
    sim.act(inject("journalist_article")).unwrap();
    assert!(matches!(
        &sim.records()[from].event,
        Event::Inject { inject, firing: 0 } if inject == "journalist_article"
    ));
    sim.advance_to(61 * MINUTE_MS);
    let arrivals = injected(sim.records(), from);
    assert_eq!(
        arrivals.first(),
        Some(&(60 * MINUTE_MS, "journalist".to_string()))
    );
    let article = sim
        .records()
        .iter()
        .find_map(|r| match &r.event {
            Event::Post { text, .. } if text.contains("article sur vos abonnés") => Some(text),
            _ => None,
        })
        .expect("the journalist's post, its placeholders filled");
    assert!(article.starts_with("@Telvia "), "{article}");

    // The surge: about half as many arrivals again over its 45 minutes, none after.
    sim.advance_to(140 * MINUTE_MS);
    let surge: Vec<u64> = injected(sim.records(), from)
        .into_iter()
        .skip(1)
        .map(|(t, _)| t)
        .collect();
    let base = sim.records()[from..]
        .iter()
        .filter(|r| {
            r.t_ms < 105 * MINUTE_MS
                && matches!(
                    r.event,
                    Event::Arrival {
                        source: Source::Arrival,
                        ..
                    }
                )
        })
        .count();
    assert!(surge.iter().all(|t| *t < 105 * MINUTE_MS), "{surge:?}");
    let ratio = surge.len() as f64 / base as f64;
    assert!(
        (0.3..0.75).contains(&ratio),
        "{} surge for {base} drawn",
        surge.len()
    );
}

#[test]
fn a_wave_brings_its_persona_within_its_minutes_and_a_repeatable_inject_fires_again() {
    let mut sim = at(30);
    let from = sim.records().len();
    sim.act(inject("loyal_wave")).unwrap();
    sim.advance_to(41 * MINUTE_MS);
    let wave = injected(sim.records(), from);
    assert_eq!(wave.len(), 20);
    assert!(wave.iter().all(
        |(t, persona)| persona == "loyal_angry" && (30 * MINUTE_MS..40 * MINUTE_MS).contains(t)
    ));
    sim.act(inject("loyal_wave")).unwrap();
    assert!(matches!(
        sim.records().last().map(|r| &r.event),
        Some(Event::Inject { firing: 1, .. })
    ));
    sim.advance_to(52 * MINUTE_MS);
    let second: Vec<_> = injected(sim.records(), from).split_off(20);
    assert_eq!(second.len(), 20, "the second wave draws its own customers");
}

#[test]
fn refused_injects_and_posts_change_nothing_and_say_why() {
    let mut sim = at(20);
    assert_eq!(
        refused(&mut sim, None, inject("no_such_thing")),
        DirectionError::UnknownInject("no_such_thing".into()).into()
    );
    sim.act(inject("influencer_post")).unwrap();
    assert_eq!(
        refused(&mut sim, None, inject("influencer_post")),
        DirectionError::Spent("influencer_post".into()).into()
    );
    let post = |persona: &str, kind: Option<&str>, text: &str| Action::PostAs {
        persona: persona.into(),
        kind: kind.map(Into::into),
        channel: Channel::Twitter,
        account: Account::Care,
        text: text.into(),
    };
    assert_eq!(
        refused(&mut sim, None, post("alien", None, "Bonjour")),
        DirectionError::UnknownPersona("alien".into()).into()
    );
    assert_eq!(
        refused(
            &mut sim,
            None,
            post("teen", Some("press_question"), "Bonjour")
        ),
        DirectionError::KindNotForPersona {
            kind: "press_question".into(),
            persona: "teen".into()
        }
        .into()
    );
    assert_eq!(
        refused(&mut sim, None, post("teen", None, "   ")),
        ActionError::EmptyText
    );
    let long = "trop long ".repeat(40);
    assert!(matches!(
        refused(&mut sim, None, post("teen", None, &long)),
        ActionError::TooLong {
            channel: Channel::Twitter,
            limit: 140,
            length: 399,
            ..
        }
    ));

    // In a team session, a seat never directs the exercise.
    let mut team = Simulation::new(bundled(PRICE_WAR), session(3), analyser())
        .unwrap()
        .with_seats(numbered(2))
        .unwrap();
    team.advance_to(5 * MINUTE_MS);
    assert_eq!(
        refused(&mut team, Some(SeatId(0)), inject("arrivals_x2")),
        DirectionError::FacilitatorOnly.into()
    );
    team.act_as(None, inject("arrivals_x2")).unwrap();
}

#[test]
fn a_post_typed_live_is_posted_word_for_word_and_the_whole_session_replays() {
    let mut sim = Simulation::new(bundled(PRICE_WAR), session(4), analyser())
        .unwrap()
        .with_seats(numbered(2))
        .unwrap();
    sim.advance_to(12 * MINUTE_MS);
    let typed = "@Telvia_Client {brand} vous m'avez coupé la ligne, c'est une blague ?";
    sim.act_as(
        None,
        Action::PostAs {
            persona: "busy_pro".into(),
            kind: None,
            channel: Channel::Facebook,
            account: Account::Care,
            text: typed.into(),
        },
    )
    .unwrap();
    let posted = sim.records().iter().rev().find_map(|r| match &r.event {
        Event::Post { text, .. } => Some(text.clone()),
        _ => None,
    });
    assert_eq!(posted.as_deref(), Some(typed), "placeholders stay as typed");
    sim.advance_to(40 * MINUTE_MS);
    sim.act_as(None, inject("journalist_article")).unwrap();
    sim.advance_to(70 * MINUTE_MS);
    sim.act_as(None, inject("influencer_post")).unwrap();
    sim.finish();

    let header = header_for(&sim, PRICE_WAR, "test");
    let mut bytes = Vec::new();
    let hash = write_jsonl(&header, sim.records(), &mut bytes).unwrap();
    let (read_header, records) = read_jsonl(std::str::from_utf8(&bytes).unwrap()).unwrap();
    replay(bundled(PRICE_WAR), analyser(), &read_header, &records).expect("replays identically");

    // The same inputs again give the same bytes.
    let mut again = Simulation::new(bundled(PRICE_WAR), session(4), analyser())
        .unwrap()
        .with_seats(numbered(2))
        .unwrap();
    for record in records.iter() {
        if let Some((seat, action)) = raleur::engine::run::action_of(&record.event) {
            again.advance_to(record.t_ms);
            again.act_as(seat, action).unwrap();
        }
    }
    again.finish();
    let mut twice = Vec::new();
    assert_eq!(
        write_jsonl(&header, again.records(), &mut twice).unwrap(),
        hash
    );

    // An inject the scenario does not have, forged into the transcript: the replay says so.
    let mut forged = records.clone();
    for record in forged.iter_mut() {
        if let Event::Inject { inject, .. } = &mut record.event {
            *inject = "forged".into();
        }
    }
    let divergence = replay(bundled(PRICE_WAR), analyser(), &read_header, &forged)
        .expect_err("a forged inject is caught");
    assert!(
        divergence.reason.contains("refused"),
        "{}",
        divergence.reason
    );
}

#[test]
fn a_broken_inject_is_refused_with_its_place() {
    let mut scenario = (*bundled(PRICE_WAR)).clone();
    scenario.injects[0].posts[0].persona = "ghost".into();
    scenario.injects[2].wave.as_mut().unwrap().customers = 0;
    scenario.injects[3].surge.as_mut().unwrap().rate_multiplier = 0.5;
    scenario.injects[1].id = scenario.injects[0].id.clone();
    let problems: Vec<String> = validate(&scenario)
        .into_iter()
        .map(|p| format!("{}: {}", p.path, p.message))
        .collect();
    let has = |path: &str| problems.iter().any(|p| p.starts_with(path));
    assert!(has("injects[0].posts[0].persona"), "{problems:#?}");
    assert!(has("injects[2].wave.customers"), "{problems:#?}");
    assert!(has("injects[3].surge.rate_multiplier"), "{problems:#?}");
    assert!(has("injects[1].id"), "{problems:#?}");
}
