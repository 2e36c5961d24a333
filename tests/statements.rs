//! Proactive and defensive speech in the engine: statements pinned for the community and
//! what they change, promised updates, blame, escalations and journalists' articles, and the
//! scripted expert's crisis speech.

mod common;

use common::{analyser, bundled, session};
use raleur::engine::policy::{PolicyConfig, PolicyKind};
use raleur::engine::run::{RunSpec, run};
use raleur::engine::scenario::{Channel, Desk, Scenario};
use raleur::engine::sim::Simulation;
use raleur::engine::transcript::{Cause, Event};
use raleur::engine::{Action, ActionError};
use std::sync::Arc;

const OUTAGE: &str = "scenarios/weekend_outage.ron";
const MINUTE_MS: u64 = 60_000;

/// A good holding statement that promises no time (so none can be missed).
const GOOD: &str = "Panne fibre et 4G dans l'Ouest : nous en sommes désolés, nos équipes sont mobilisées pour rétablir le service.";
const BLAMING: &str =
    "Panne dans l'Ouest : la faute de notre sous-traitant, nous n'y sommes pour rien.";

fn publish_both(sim: &mut Simulation, text: &str) {
    for channel in [Channel::Twitter, Channel::Facebook] {
        sim.act(Action::Publish {
            channel,
            text: text.into(),
        })
        .unwrap();
    }
}

/// The outage's first six hours, nobody answering, with a good statement on both channels at
/// `statement_min` (or none): the "is it down?" questions asked, and the mean anger customers
/// about the outage arrive with.
fn friday_evening(scenario: &Arc<Scenario>, seed: u64, statement_min: Option<u64>) -> (usize, f64) {
    let mut sim = Simulation::new(Arc::clone(scenario), session(seed), analyser()).unwrap();
    if let Some(minute) = statement_min {
        sim.advance_to(minute * MINUTE_MS);
        publish_both(&mut sim, GOOD);
    }
    sim.advance_to(360 * MINUTE_MS);
    let incident = &scenario.incidents[0];
    let kind_id = |c: &raleur::engine::sim::Customer| scenario.kinds[c.kind].id.clone();
    let questions = sim
        .customers()
        .iter()
        .filter(|c| incident.questions.contains(&kind_id(c)))
        .count();
    let about: Vec<f64> = sim
        .customers()
        .iter()
        .filter(|c| c.scripted.is_none() && incident.about.contains(&kind_id(c)))
        .map(|c| c.arrival_anger())
        .collect();
    (questions, about.iter().sum::<f64>() / about.len() as f64)
}

#[test]
fn the_earlier_a_good_statement_the_fewer_questions_and_the_calmer_the_newcomers() {
    let scenario = bundled(OUTAGE);
    let mut totals = [(0usize, 0.0f64); 3];
    for seed in 1..=3 {
        for (total, at) in totals.iter_mut().zip([Some(10), Some(60), None]) {
            let (questions, anger) = friday_evening(&scenario, seed, at);
            total.0 += questions;
            total.1 += anger / 3.0;
        }
    }
    let [(q10, a10), (q60, a60), (none, a_none)] = totals;
    assert!(q10 < q60 && q60 < none, "questions {q10} < {q60} < {none}");
    assert!(
        a10 < a60 && a60 < a_none,
        "anger {a10:.1} < {a60:.1} < {a_none:.1}"
    );
    assert!(
        (q10 as f64) <= 0.7 * none as f64,
        "at least 30% fewer questions at 10 minutes: {q10} against {none}"
    );
}

/// Mean anger now of the open customers about the outage on Twitter.
fn open_anger(sim: &Simulation, scenario: &Scenario) -> f64 {
    let about = &scenario.incidents[0].about;
    let angers: Vec<f64> = sim
        .customers()
        .iter()
        .filter(|c| {
            c.channel == Channel::Twitter
                && !c.stage.is_closed()
                && about.contains(&scenario.kinds[c.kind].id)
        })
        .filter_map(|c| sim.anger(c.id))
        .collect();
    angers.iter().sum::<f64>() / angers.len().max(1) as f64
}

#[test]
fn a_promised_update_that_does_not_come_angers_those_waiting() {
    let scenario = bundled(OUTAGE);
    let promise = "Panne fibre et 4G dans l'Ouest : désolés, nos équipes sont mobilisées. Prochain point dans 30 minutes.";
    let mut kept = Simulation::new(Arc::clone(&scenario), session(4), analyser()).unwrap();
    let mut missed = Simulation::new(Arc::clone(&scenario), session(4), analyser()).unwrap();
    for sim in [&mut kept, &mut missed] {
        sim.advance_to(20 * MINUTE_MS);
        sim.act(Action::Publish {
            channel: Channel::Twitter,
            text: promise.into(),
        })
        .unwrap();
        assert_eq!(sim.statements()[0].promised_ms, Some(50 * MINUTE_MS));
    }
    kept.advance_to(45 * MINUTE_MS);
    kept.act(Action::Publish {
        channel: Channel::Twitter,
        text: promise.into(),
    })
    .unwrap();
    // The grace (10 minutes) past the promised 50th minute.
    for sim in [&mut kept, &mut missed] {
        sim.advance_to(61 * MINUTE_MS);
    }
    let missed_events = |sim: &Simulation| {
        sim.records()
            .iter()
            .filter(|r| matches!(r.event, Event::UpdateMissed { .. }))
            .count()
    };
    assert_eq!(missed_events(&kept), 0);
    assert_eq!(missed_events(&missed), 1);
    assert!(missed.records().iter().any(|r| matches!(
        &r.event,
        Event::Reaction { causes, .. } if causes.contains(&Cause::UpdateMissed)
    )));
    assert!(missed.statements()[0].missed);
    let (kept_anger, missed_anger) = (open_anger(&kept, &scenario), open_anger(&missed, &scenario));
    assert!(
        missed_anger > kept_anger + 5.0,
        "a missed update angers: {missed_anger:.1} against {kept_anger:.1}"
    );
}

#[test]
fn a_blaming_statement_raises_the_buzz_a_good_one_does_not() {
    let scenario = bundled(OUTAGE);
    let mut good = Simulation::new(Arc::clone(&scenario), session(5), analyser()).unwrap();
    let mut blaming = Simulation::new(Arc::clone(&scenario), session(5), analyser()).unwrap();
    for (sim, text) in [(&mut good, GOOD), (&mut blaming, BLAMING)] {
        sim.advance_to(30 * MINUTE_MS);
        publish_both(sim, text);
        sim.advance_to(240 * MINUTE_MS);
    }
    assert!(blaming.statements()[0].flags.blame);
    assert!(
        blaming.peak_buzz() > 1.2 * good.peak_buzz(),
        "blame feeds the buzz: {} against {}",
        blaming.peak_buzz(),
        good.peak_buzz()
    );
    assert!(blaming.records().iter().any(|r| matches!(
        &r.event,
        Event::Reaction { causes, .. } if causes.contains(&Cause::BadStatement)
    )));
}

/// The weekend outage's scripted journalist (minute 2400), escalated or left alone.
fn journalist(escalate: bool) -> Simulation {
    let scenario = bundled(OUTAGE);
    let mut sim = Simulation::new(scenario, session(1), analyser()).unwrap();
    sim.advance_to(2400 * MINUTE_MS);
    let id = sim
        .customers()
        .iter()
        .find(|c| c.scripted == Some(1))
        .map(|c| c.id)
        .unwrap();
    if escalate {
        sim.advance_to(2410 * MINUTE_MS);
        sim.act(Action::Escalate {
            customer: id,
            to: Desk::PressOffice,
        })
        .unwrap();
        let again = sim.act(Action::Escalate {
            customer: id,
            to: Desk::Legal,
        });
        assert!(matches!(again, Err(ActionError::AlreadyEscalated { .. })));
    }
    sim.advance_to(2600 * MINUTE_MS);
    sim
}

#[test]
fn a_journalist_escalated_in_time_is_answered_by_the_press_office_else_writes() {
    let has = |sim: &Simulation, article: bool| {
        sim.records().iter().any(|r| {
            if article {
                matches!(r.event, Event::Article { .. })
            } else {
                matches!(r.event, Event::PressAnswered { .. })
            }
        })
    };
    let escalated = journalist(true);
    assert!(has(&escalated, false) && !has(&escalated, true));
    let left = journalist(false);
    assert!(has(&left, true) && !has(&left, false));
}

/// The weekend outage played by the expert, with or without its statements: the buzz the
/// weekend piled up by Monday morning (the area under its curve, sampled every 5 minutes).
fn buzz_until_monday(seed: u64, statements: bool) -> u64 {
    let loaded = raleur::engine::load_scenario(std::path::Path::new(OUTAGE)).unwrap();
    let mut policy = PolicyConfig::new(PolicyKind::Expert, loaded.scenario.team_size);
    policy.statements = statements;
    let spec = RunSpec {
        session: session(seed),
        policy,
        scenario_path: OUTAGE.into(),
        scenario_sha256: loaded.sha256,
        analyser: analyser(),
    };
    let outcome = run(Arc::new(loaded.scenario), spec).unwrap();
    assert_eq!(outcome.rejected_actions, 0);
    outcome
        .sim
        .records()
        .iter()
        .filter(|r| r.t_ms <= 3240 * MINUTE_MS)
        .filter_map(|r| match r.event {
            Event::Sample { buzz, .. } => Some(buzz),
            _ => None,
        })
        .sum()
}

#[test]
fn the_expert_who_speaks_ends_the_weekend_outage_with_less_buzz() {
    let (mut with, mut without) = (0, 0);
    for seed in 1..=10 {
        with += buzz_until_monday(seed, true);
        without += buzz_until_monday(seed, false);
    }
    let ratio = with as f64 / without as f64;
    println!("Buzz by Monday with statements / without, 10 seeds: {ratio:.2} ({with} / {without})");
    assert!(
        ratio < 0.8,
        "statements lower the buzz by Monday: {ratio:.2}"
    );
}

mod reader {
    use raleur::engine::{Lang, NextUpdate};
    use raleur::tone::statement::{StatementFindingId as Id, StatementReader};

    fn read(text: &str, lang: Lang) -> raleur::tone::statement::StatementReport {
        StatementReader::bundled().read(text, lang, Some(280))
    }

    #[test]
    fn a_good_holding_statement_reads_well_in_both_languages() {
        let fr = read(
            "Incident en cours sur notre réseau fibre dans l'Ouest : toutes nos excuses. Nos techniciens sont mobilisés pour rétablir le service. Prochain point à 20 h 30.",
            Lang::Fr,
        );
        assert!(fr.flags.acknowledges && fr.flags.apology && fr.flags.action);
        assert_eq!(
            fr.flags.next_update,
            Some(NextUpdate::At {
                hour: 20,
                minute: 30
            })
        );
        assert_eq!(fr.quality, 100);
        let en = read(
            "We are aware of an outage affecting fibre in western France and we are sorry. Our engineers are working to restore service. Next update in 45 minutes.",
            Lang::En,
        );
        assert!(en.flags.acknowledges && en.flags.apology && en.flags.action);
        assert_eq!(en.flags.next_update, Some(NextUpdate::InMinutes(45)));
        assert!(en.has(Id::NextUpdate) && !en.has(Id::NoNextUpdate));
        assert_eq!(en.quality, 100);
    }

    #[test]
    fn blame_denial_legalese_and_promises_are_caught() {
        let blame = read(
            "Panne due à notre sous-traitant, ce n'est pas de notre fait.",
            Lang::Fr,
        );
        assert!(blame.flags.blame && blame.flags.is_bad());
        assert_eq!(blame.quality, 0);
        let denial = read(
            "There is no outage: rumours about our network are false.",
            Lang::En,
        );
        assert!(
            denial.flags.denial && !denial.flags.acknowledges,
            "{denial:?}"
        );
        let legal = read(
            "Conformément à nos conditions générales, aucun dédommagement n'est dû pour cette panne.",
            Lang::Fr,
        );
        assert!(legal.flags.legalese && legal.has(Id::Legalese));
        let promise = read(
            "Outage in the west: sorry, our teams are on it and service will be restored by 6 pm, guaranteed.",
            Lang::En,
        );
        assert!(promise.flags.unkeepable_promise && promise.has(Id::UnkeepablePromise));
        assert!(promise.quality < 50, "{}", promise.quality);
        // Nothing said: every missing part is named.
        let vague = read("Nous vous remercions de votre patience.", Lang::Fr);
        for missing in [Id::NoAcknowledgement, Id::NoAction, Id::NoNextUpdate] {
            assert!(vague.has(missing), "{missing:?}");
        }
        assert_eq!(vague.quality, 0);
    }

    #[test]
    fn a_statement_too_long_for_the_channel_is_flagged() {
        let long = "Incident en cours. ".repeat(10);
        assert!(
            StatementReader::bundled()
                .read(&long, Lang::Fr, Some(140))
                .has(Id::OverLimit)
        );
    }
}

mod hostile_text {
    use proptest::prelude::*;
    use raleur::engine::Lang;
    use raleur::tone::statement::StatementReader;

    proptest! {
        /// Whatever the text, the reader answers, its spans lie on the text's character
        /// boundaries and its quality is a percentage.
        #[test]
        fn any_text_is_read_without_fault(text in "\\PC{0,300}", english in any::<bool>()) {
            let lang = if english { Lang::En } else { Lang::Fr };
            let report = StatementReader::bundled().read(&text, lang, Some(140));
            prop_assert!(report.quality <= 100);
            for finding in &report.findings {
                if let Some((start, end)) = finding.span {
                    prop_assert!(start <= end && end <= text.len());
                    prop_assert!(text.is_char_boundary(start) && text.is_char_boundary(end));
                }
            }
        }
    }
}

mod scoring {
    use super::{MINUTE_MS, OUTAGE, analyser, bundled, publish_both, session};
    use raleur::engine::Action;
    use raleur::engine::policy::{PolicyConfig, PolicyKind};
    use raleur::engine::run::{RunSpec, run};
    use raleur::engine::scenario::Channel;
    use raleur::engine::sim::Simulation;
    use raleur::engine::transcript::Header;
    use raleur::score::{CrisisFault, CrisisScore, ScoringSpec, score};
    use raleur::tone::ToneAnalyser;
    use std::sync::Arc;

    fn crisis_of(sim: &Simulation, header: &Header) -> Option<CrisisScore> {
        let tone = ToneAnalyser::bundled();
        let spec = ScoringSpec::bundled();
        score(&spec, &tone, sim.scenario(), header, sim.records()).crisis
    }

    fn header(sim: &Simulation) -> Header {
        raleur::engine::run::header_for(sim, OUTAGE, "test")
    }

    #[test]
    fn the_expert_speaks_and_escalates_the_naive_team_does_neither() {
        let played = |kind| {
            let scenario = bundled(OUTAGE);
            let spec = RunSpec {
                session: session(2),
                policy: PolicyConfig::new(kind, scenario.team_size),
                scenario_path: OUTAGE.into(),
                scenario_sha256: "test".into(),
                analyser: analyser(),
            };
            let outcome = run(scenario, spec).unwrap();
            crisis_of(&outcome.sim, &outcome.header).unwrap()
        };
        let expert = played(PolicyKind::Expert);
        assert!(expert.score >= 90.0, "{expert:#?}");
        assert!(expert.escalations_due > 0);
        assert_eq!(expert.escalations_in_time, expert.escalations_due);
        let naive = played(PolicyKind::Naive);
        assert!(naive.score <= 10.0, "{}", naive.score);
        let faults: Vec<CrisisFault> = naive.lost.iter().map(|l| l.fault).collect();
        assert!(faults.contains(&CrisisFault::NoStatement));
        assert!(faults.contains(&CrisisFault::NotEscalated));
    }

    #[test]
    fn a_late_statement_a_missed_update_and_blame_each_lose_points_and_say_why() {
        let scenario = bundled(OUTAGE);
        let mut sim = Simulation::new(Arc::clone(&scenario), session(3), analyser()).unwrap();
        sim.advance_to(90 * MINUTE_MS);
        sim.act(Action::Publish {
            channel: Channel::Twitter,
            text: "Panne fibre et 4G dans l'Ouest : désolés, nos équipes sont mobilisées. Prochain point dans 30 minutes.".into(),
        })
        .unwrap();
        sim.advance_to(200 * MINUTE_MS);
        publish_both(&mut sim, super::BLAMING);
        sim.advance_to(300 * MINUTE_MS);
        let crisis = crisis_of(&sim, &header(&sim)).unwrap();
        let faults: Vec<CrisisFault> = crisis.lost.iter().map(|l| l.fault).collect();
        for fault in [
            CrisisFault::LateStatement,
            CrisisFault::UpdateMissed,
            CrisisFault::BadStatement,
        ] {
            assert!(faults.contains(&fault), "{fault:?} in {faults:?}");
        }
        let twitter = crisis
            .incidents
            .iter()
            .find(|i| i.channel == Channel::Twitter)
            .unwrap();
        assert_eq!(twitter.first_statement_min, Some(90.0));
        assert_eq!((twitter.updates_promised, twitter.updates_missed), (1, 1));
        assert!(crisis.score < 50.0, "{}", crisis.score);
        let late = crisis
            .lost
            .iter()
            .find(|l| l.fault == CrisisFault::LateStatement)
            .unwrap();
        assert!(late.message.contains("90 min"), "{}", late.message);
    }
}
