//! The desk as a crisis cell, without a window (egui_kittest): the trainee on seat 1 of the
//! price war with four scripted colleagues sharing the queue.

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use raleur::desk::catalog::Catalog;
use raleur::desk::session::{Crowd, QueueFilter, SessionDesk};
use raleur::desk::{Desk, Screen};
use raleur::engine::ids::SeatId;
use raleur::engine::{Event, Lang};
use std::path::Path;

fn session<'h>(harness: &'h mut Harness<'static, Desk>) -> &'h mut SessionDesk {
    harness
        .state_mut()
        .session
        .as_mut()
        .expect("a session is running")
}

fn focus_and_type(harness: &mut Harness<'static, Desk>, role: Role, text: &str) {
    harness.get_by_role(role).focus();
    harness.run();
    harness.get_by_role(role).type_text(text);
    harness.run();
}

/// The price war opened from the start screen as a cell, 20 simulated minutes in.
fn cell() -> Harness<'static, Desk> {
    let scenarios = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut desk = Desk::new(Catalog::load(&scenarios), Lang::Fr);
    assert!(desk.menu.select_scenario("price_war"));
    let mut harness = Harness::builder()
        .with_size(egui::vec2(1600.0, 900.0))
        .build_ui_state(|ui, desk: &mut Desk| desk.frame(ui, 0.0), desk);
    harness.run();
    focus_and_type(&mut harness, Role::TextInput, "Camille Martin");
    harness
        .get_by_label_contains("En cellule de crise : vous et 4 collègues scriptés")
        .click();
    harness.run();
    harness.get_by_label("Commencer la session").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Session);
    for _ in 0..80 {
        session(&mut harness).advance_by(15_000);
    }
    harness.run();
    harness
}

#[test]
fn the_trainee_takes_seat_1_and_four_scripted_colleagues_share_the_queue() {
    let mut harness = cell();
    let desk = session(&mut harness);
    assert_eq!(desk.crowd, Crowd::Cell);
    assert_eq!(desk.seat, Some(SeatId(0)));
    let names: Vec<&str> = desk.sim.seats().iter().map(|s| s.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "Camille Martin",
            "Collègue 2",
            "Collègue 3",
            "Collègue 4",
            "Collègue 5"
        ]
    );
    harness.get_by_label_contains("Cellule de 5 · environ");

    // The colleagues answer at a person's pace, every one of them.
    let desk = session(&mut harness);
    for seat in 1..5 {
        let answered =
            desk.sim.records().iter().any(
                |r| matches!(r.event, Event::Reply { seat: Some(s), .. } if s == SeatId(seat)),
            );
        assert!(answered, "colleague {seat} answered nobody in 20 minutes");
    }
    // What a colleague answers is theirs: the open queue leaves it out, "all" shows whose.
    let held: Vec<_> = desk
        .sim
        .customers()
        .iter()
        .filter(|c| desk.held_elsewhere(c.id).is_some())
        .map(|c| c.id)
        .collect();
    assert!(!held.is_empty());
    assert!(
        desk.queue_rows()
            .iter()
            .all(|row| !held.contains(&row.customer))
    );
    desk.filter = QueueFilter::All;
    let row = desk
        .queue_rows()
        .into_iter()
        .find(|row| row.held_by.is_some())
        .expect("a colleague's conversation in the full list");
    assert!(
        row.held_by
            .as_deref()
            .is_some_and(|s| s.starts_with("Collègue "))
    );
    harness.run();
    assert!(harness.get_all_by_label_contains("🔒 Collègue").count() > 0);
}

#[test]
fn a_reply_to_a_colleague_s_conversation_is_refused_with_their_name() {
    let mut harness = cell();
    let desk = session(&mut harness);
    let (customer, holder, handle) = desk
        .sim
        .customers()
        .iter()
        .find_map(|c| {
            let holder = desk.held_elsewhere(c.id)?;
            (!c.stage.is_closed()).then(|| (c.id, holder.to_string(), c.handle.clone()))
        })
        .expect("a conversation a colleague holds");
    desk.select(customer);
    desk.composer.private = false;
    harness.run();
    harness.get_by_label(&format!("{holder} répond à ce client."));
    let replies_before = session(&mut harness).sim.records().len();
    focus_and_type(
        &mut harness,
        Role::MultilineTextInput,
        "Bonjour, je regarde cela.",
    );
    harness.get_by_label("Envoyer").click();
    harness.run();
    harness.get_by_label_contains(&format!("{holder} répond déjà à {handle}"));
    let desk = session(&mut harness);
    let mine = desk.sim.records()[replies_before..].iter().any(|r| {
        matches!(
            r.event,
            Event::Reply {
                seat: Some(SeatId(0)),
                ..
            }
        )
    });
    assert!(!mine);
    assert!(
        desk.sim.records()[replies_before..]
            .iter()
            .any(|r| matches!(
                r.event,
                Event::Collision {
                    seat: SeatId(0),
                    ..
                }
            )),
        "the collision is recorded for the debrief"
    );
}

#[test]
fn the_trainee_takes_answers_and_hands_over_a_conversation_and_the_debrief_shows_the_cell() {
    let mut harness = cell();
    // A conversation nobody holds yet: take it before a colleague does.
    let desk = session(&mut harness);
    let free = desk
        .sim
        .customers()
        .iter()
        .find(|c| desk.sim.holder(c.id).is_none() && !c.stage.is_closed())
        .map(|c| c.id);
    let customer = free.unwrap_or_else(|| {
        // At most an hour more for a newcomer nobody has taken yet.
        for _ in 0..720 {
            desk.advance_by(5_000);
            if let Some(c) = desk
                .sim
                .customers()
                .iter()
                .find(|c| desk.sim.holder(c.id).is_none() && !c.stage.is_closed())
            {
                return c.id;
            }
        }
        panic!("no conversation left free for the trainee");
    });
    desk.select(customer);
    desk.composer.private = false;
    harness.run();
    harness.get_by_label("Prendre la conversation").click();
    harness.run();
    assert_eq!(session(&mut harness).sim.holder(customer), Some(SeatId(0)));
    harness.get_by_label("Vous répondez à ce client.");
    // The colleagues leave it alone while the trainee writes.
    session(&mut harness).advance_by(120_000);
    harness.run();
    assert_eq!(session(&mut harness).sim.holder(customer), Some(SeatId(0)));
    focus_and_type(
        &mut harness,
        Role::MultilineTextInput,
        "Bonjour, je suis désolée pour ce souci. Écrivez-nous en message privé, je m'en occupe.",
    );
    harness.get_by_label("Envoyer").click();
    harness.run();
    let desk = session(&mut harness);
    assert!(desk.sim.records().iter().any(|r| matches!(
        r.event,
        Event::Reply { customer: c, seat: Some(SeatId(0)), .. } if c == customer
    )));
    harness.get_by_label("Passer à…").click();
    harness.run();
    harness.get_by_label("Collègue 3").click();
    harness.run();
    assert_eq!(session(&mut harness).sim.holder(customer), Some(SeatId(2)));
    harness.get_by_label("Collègue 3 répond à ce client.");

    harness.get_by_label("Débriefing").click();
    harness.run();
    assert_eq!(harness.state().screen, Screen::Debrief);
    harness.get_by_label("La cellule");
    let team = harness
        .state()
        .debrief
        .as_ref()
        .and_then(|d| d.debrief.team.clone())
        .expect("the cell's debrief");
    assert_eq!(team.seats.len(), 5);
    assert_eq!(team.seats[0].seat, "Camille Martin");
    assert_eq!(
        (
            team.seats[0].replies,
            team.seats[0].claims,
            team.seats[0].handed_over
        ),
        (1, 1, 1)
    );
    assert!(team.seats[1..].iter().all(|s| s.replies > 0));
    // The exported page holds the cell too, each seat's name escaped.
    let html = harness.state().debrief.as_ref().unwrap().html();
    assert!(html.contains("<h2>La cellule</h2>"), "{html}");
    assert!(html.contains("<td>Collègue 5</td>"));
}
