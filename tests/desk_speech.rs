//! The desk's crisis speech, driven through egui as a person would: the statement composer
//! with its count and hint, the statement pinned at the top of the feed, and the escalation
//! of a customer's post.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use raleur::desk::catalog::CatalogEntry;
use raleur::desk::session::{Crowd, Mode, SessionDesk, SessionSetup};
use raleur::engine::scenario::{Channel, Desk};
use raleur::engine::{Event, Lang};
use std::path::Path;

const MINUTE_MS: u64 = 60_000;
const GOOD: &str = "Incident en cours sur nos offres : nous sommes désolés. Nos équipes sont mobilisées. Prochain point à 13 h.";

fn price_war_desk() -> SessionDesk {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios/price_war.ron");
    let setup = SessionSetup {
        trainee: "Camille".into(),
        scenario: CatalogEntry::load(&path).unwrap(),
        seed: 1,
        lang: Lang::Fr,
        mode: Mode::Training,
        autoplay: None,
        customers_target: None,
        crowd: Crowd::Team,
    };
    SessionDesk::new(setup, raleur::desk::report::shared_analyser()).unwrap()
}

fn harness(desk: SessionDesk) -> Harness<'static, SessionDesk> {
    Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(
            |ui, desk: &mut SessionDesk| {
                desk.ui(ui);
            },
            desk,
        )
}

fn type_statement(harness: &mut Harness<'static, SessionDesk>, text: &str) {
    harness.state_mut().statement.text.clear();
    harness.run();
    harness.get_by_role(Role::MultilineTextInput).focus();
    harness.run();
    harness
        .get_by_role(Role::MultilineTextInput)
        .type_text(text);
    harness.run();
}

#[test]
fn the_statement_composer_counts_reads_and_publishes_a_pinned_statement() {
    let mut desk = price_war_desk();
    desk.advance_by(5 * MINUTE_MS);
    let mut harness = harness(desk);
    harness.run();
    harness.get_by_label("Déclaration publique…").click();
    harness.run();
    harness.get_by_label("Déclaration publique");
    // A statement that blames: the hint says so before anything is published.
    type_statement(
        &mut harness,
        "Hausse des tarifs : la faute de notre fournisseur.",
    );
    harness.get_by_label("Qualité de la déclaration : 0/100");
    harness.get_by_label(&format!(
        "✗ {}",
        harness
            .state()
            .analyser
            .statements()
            .message(raleur::tone::statement::StatementFindingId::Blame, Lang::Fr)
    ));
    // Too long for a 2012 tweet: refused with the engine's reason, nothing published.
    type_statement(&mut harness, &"Incident en cours. ".repeat(9));
    harness.get_by_label("171 / 140 caractères");
    harness.get_by_label("Publier et épingler").click();
    harness.run();
    assert!(harness.state().sim.statements().is_empty());
    assert!(
        harness
            .query_by_label_contains("un tweet en permet 140")
            .is_some()
    );
    type_statement(&mut harness, GOOD);
    harness.get_by_label("Qualité de la déclaration : 100/100");
    harness.get_by_label("Publier et épingler").click();
    harness.run();
    harness.get_by_label("Déclaration publiée et épinglée sur Twitter.");
    let statements = harness.state().sim.statements();
    assert_eq!(statements.len(), 1);
    assert_eq!(statements[0].channel, Channel::Twitter);
    assert!(
        statements[0].promised_ms.is_some(),
        "13 h is read on the scenario's clock"
    );
    // The brand's page shows it first, pinned.
    harness.state_mut().show_feed = true;
    harness.run();
    let time = harness.state().time_label(5 * MINUTE_MS);
    harness.get_by_label(&format!("Épinglé sur Twitter · {time}"));
    harness.get_by_label(GOOD);
}

#[test]
fn the_journalists_post_is_escalated_to_the_press_office_from_the_composer() {
    let mut desk = price_war_desk();
    desk.advance_by(181 * MINUTE_MS);
    let journalist = desk
        .sim
        .customers()
        .iter()
        .find(|c| c.scripted == Some(2))
        .map(|c| c.id)
        .expect("the journalist wrote at 180 minutes");
    desk.select(journalist);
    let mut harness = harness(desk);
    harness.run();
    harness.get_by_label("Remonter à :");
    harness.get_by_label("Service de presse").click();
    harness.run();
    let desk = harness.state();
    assert_eq!(
        desk.sim.customer(journalist).unwrap().escalated_to,
        Some(Desk::PressOffice)
    );
    assert!(desk.sim.records().iter().any(|r| matches!(
        r.event,
        Event::Escalated { customer, to: Desk::PressOffice, .. } if customer == journalist
    )));
    harness.get_by_label("Remonté : Service de presse");
    assert!(
        harness.query_by_label("Service juridique").is_none(),
        "once is enough"
    );
}
