//! The desk on a seat of a team exercise (`raleur play --join`), without a window
//! (egui_kittest), against the real server over loopback: two desks and two scripted
//! colleagues play one crisis to the same transcript; a reply to the other desk's
//! conversation is refused on screen, naming its seat; a server restarted under the desks is
//! joined again and the crisis goes on.

mod joined_desk;

use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joined_desk::session;
use raleur::desk::{Desk, Screen};
use raleur::engine::transcript::{sha256_hex, write_jsonl};
use raleur::exercise::Status;
use raleur::exercise::client;
use raleur::serve::{ServeOptions, Server};
use serde_json::json;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn tempdir(name: &str) -> PathBuf {
    let dir =
        std::env::temp_dir().join(format!("raleur-desk-remote-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn start_server(dir: &Path, port: u16) -> Server {
    Server::start(ServeOptions {
        listen: format!("127.0.0.1:{port}").parse().unwrap(),
        data: dir.join("data"),
        scenarios: PathBuf::from("scenarios"),
        records: None,
    })
    .unwrap()
}

struct Exercise {
    base: String,
    id: String,
    facilitator: String,
    codes: Vec<String>,
}

impl Exercise {
    fn create(server: &Server, speed: u32, colleagues: usize) -> Exercise {
        let base = format!("http://{}", server.addr);
        let body = json!({"scenario": "food_delivery", "seed": 5, "people": 2, "colleagues": colleagues,
                          "pace": "human", "speed": speed, "customers": 120});
        let created = client::create_exercise(&base, &server.hub.host_token, &body).unwrap();
        Exercise {
            base,
            codes: created.codes(),
            id: created.id,
            facilitator: created.facilitator,
        }
    }

    fn ws(&self) -> String {
        format!(
            "{}/exercises/{}/ws",
            self.base.replace("http://", "ws://"),
            self.id
        )
    }

    fn control(&self, command: &str) {
        let path = format!("/api/exercises/{}/control", self.id);
        let body = json!({ "command": command }).to_string();
        let (status, text) = client::http(
            "POST",
            &self.base,
            &path,
            Some(&self.facilitator),
            Some(&body),
        )
        .unwrap();
        assert_eq!(status, 200, "{text}");
    }

    fn transcript_sha(&self) -> String {
        let path = format!("/api/exercises/{}/transcript", self.id);
        let (_, body) =
            client::http("GET", &self.base, &path, Some(&self.facilitator), None).unwrap();
        sha256_hex(body.as_bytes())
    }
}

/// A desk joined to a seat, as `raleur play --join` opens it.
fn desk_on(exercise: &Exercise, seat: usize, trainee: &str) -> Harness<'static, Desk> {
    joined_desk::desk_on(&exercise.ws(), &exercise.codes[seat], trainee)
}

/// Frames until `done`, failing after `seconds`.
fn frames_until(
    harnesses: &mut [Harness<'static, Desk>],
    seconds: u64,
    mut done: impl FnMut(&mut [Harness<'static, Desk>]) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done(harnesses) {
        assert!(Instant::now() < deadline, "not in {seconds} s");
        for harness in harnesses.iter_mut() {
            harness.step();
        }
        std::thread::sleep(Duration::from_millis(2));
    }
}

fn transcript_sha(harness: &mut Harness<'static, Desk>) -> String {
    let desk = session(harness);
    let mut out = Vec::new();
    write_jsonl(&desk.header, desk.sim.records(), &mut out).unwrap()
}

/// The trainee answers the customer waiting longest, typing in the composer and sending (a
/// colleague may take the customer meanwhile: then the reply is refused, or there is no
/// composer to type in and nothing is sent).
fn answer_next(harness: &mut Harness<'static, Desk>) -> bool {
    if !session(harness).select_next_waiting() {
        return false;
    }
    // What a refusal gave back to the composer is not this customer's.
    session(harness).composer.text.clear();
    harness.run();
    // Another seat may have taken the conversation meanwhile: then there is no composer.
    let Some(composer) = harness.query_by_role(Role::MultilineTextInput) else {
        return false;
    };
    composer.focus();
    harness.run();
    let Some(composer) = harness.query_by_role(Role::MultilineTextInput) else {
        return false;
    };
    composer.type_text("Bonjour, je suis désolée pour ce retard. Écrivez-nous en privé, je regarde votre commande.");
    harness.run();
    let Some(send) = harness.query_by_label("Envoyer") else {
        return false;
    };
    send.click();
    harness.run();
    true
}

#[test]
fn two_desks_and_two_colleagues_play_one_crisis_to_the_servers_transcript() {
    let dir = tempdir("play");
    let server = start_server(&dir, 0);
    let exercise = Exercise::create(&server, 128, 2);
    let mut desks = vec![
        desk_on(&exercise, 0, "Léa Martin"),
        desk_on(&exercise, 1, "Malik Benali"),
    ];
    // Joined before the start: the desks wait, and say so.
    desks[0].get_by_label_contains("l'animateur n'a pas lancé");
    exercise.control("start");
    let mut answered = [0u32; 2];
    let mut round = 0u32;
    frames_until(&mut desks, 240, |desks| {
        round += 1;
        // The desks answer in turn, half a cycle apart: the one answering second would
        // otherwise pick the customer the first has just answered, before hearing of it.
        for (i, desk) in desks.iter_mut().enumerate() {
            if (round + 3 * i as u32).is_multiple_of(6)
                && desk.state().screen == Screen::Session
                && answer_next(desk)
            {
                answered[i] += 1;
            }
        }
        desks.iter().all(|d| d.state().screen == Screen::Debrief)
    });
    let sha = exercise.transcript_sha();
    for desk in &mut desks {
        assert_eq!(transcript_sha(desk), sha, "a desk's replica drifted");
    }
    // Each trainee's replies are theirs, on their seat, and the debrief shows the cell.
    for (i, desk) in desks.iter_mut().enumerate() {
        assert!(answered[i] > 0);
        let seat = session(desk).seat.unwrap();
        let replies = session(desk)
            .sim
            .records()
            .iter()
            .filter(|r| matches!(r.event, raleur::engine::Event::Reply { seat: Some(s), .. } if s == seat))
            .count();
        assert!(replies > 0, "seat {seat} has no reply");
        desk.run();
        desk.get_by_label_contains("La cellule");
    }
    server.stop();
}

#[test]
fn a_reply_to_the_other_desks_conversation_is_refused_on_screen_naming_its_seat() {
    let dir = tempdir("collision");
    let server = start_server(&dir, 0);
    // No colleague: the customer Léa takes cannot be taken by one first.
    let exercise = Exercise::create(&server, 16, 0);
    let mut desks = vec![
        desk_on(&exercise, 0, "Léa Martin"),
        desk_on(&exercise, 1, "Malik Benali"),
    ];
    exercise.control("start");
    // Léa takes the first customer waiting.
    frames_until(&mut desks, 60, |desks| {
        session(&mut desks[0]).select_next_waiting()
    });
    let customer = session(&mut desks[0]).selected.unwrap();
    desks[0].run();
    desks[0].get_by_label("Prendre la conversation").click();
    desks[0].run();
    frames_until(&mut desks, 30, |desks| {
        session(&mut desks[1]).sim.holder(customer).is_some()
    });
    // Malik sees who answers, writes to the customer anyway: refused, his text kept.
    session(&mut desks[1]).select(customer);
    desks[1].run();
    desks[1].get_by_label_contains("Poste 1 répond");
    session(&mut desks[1]).composer.text = "Bonjour, je regarde.".into();
    assert!(session(&mut desks[1]).send_reply());
    frames_until(&mut desks, 30, |desks| {
        session(&mut desks[1]).composer.error.is_some()
    });
    let desk = session(&mut desks[1]);
    let error = desk.composer.error.clone().unwrap();
    assert!(error.contains("Poste 1 répond déjà"), "{error}");
    assert_eq!(desk.composer.text, "Bonjour, je regarde. ^Malik");
    server.stop();
}

#[test]
fn desks_join_a_restarted_server_again_and_the_crisis_goes_on() {
    let dir = tempdir("restart");
    let server = start_server(&dir, 0);
    let port = server.addr.port();
    let exercise = Exercise::create(&server, 256, 2);
    let mut desks = vec![
        desk_on(&exercise, 0, "Léa Martin"),
        desk_on(&exercise, 1, "Malik Benali"),
    ];
    exercise.control("start");
    frames_until(&mut desks, 60, |desks| {
        session(&mut desks[0]).sim.now_ms() > 1_800_000
    });
    server.stop();
    frames_until(&mut desks, 30, |desks| {
        desks
            .iter_mut()
            .all(|d| session(d).remote.as_ref().is_some_and(|r| r.lost.is_some()))
    });
    desks[0].run();
    desks[0].get_by_label_contains("Connexion perdue");
    let before = session(&mut desks[0]).sim.now_ms();
    let server = start_server(&dir, port);
    frames_until(&mut desks, 240, |desks| {
        desks.iter().all(|d| d.state().screen == Screen::Debrief)
    });
    let sha = exercise.transcript_sha();
    for desk in &mut desks {
        assert!(session(desk).sim.now_ms() > before);
        assert_eq!(session(desk).remote_status(), Some(Status::Ended));
        assert_eq!(transcript_sha(desk), sha);
    }
    server.stop();
}
