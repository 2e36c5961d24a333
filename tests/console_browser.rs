//! The facilitator's console in headless Chromium (Debian's `chromium` and
//! `chromium-driver`, which `.ci/run` installs), against the real server over loopback: the
//! facilitator creates an exercise in the page, one desk (egui_kittest) and two scripted
//! colleagues play, the journalist's article is injected and shows in the feed and on the
//! desk, a pause stops the desk's clock, a note is written, the exercise ends and the review
//! holds the inject, the note and the scores. An observer's code cannot pause; a wrong code
//! is refused.
//!
//! `RALEUR_SCREENSHOTS=DIR` saves the console and the review there (docs/ has them).

mod webdriver;

mod joined_desk;

use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use joined_desk::desk_on;
use joined_desk::session;
use raleur::desk::Desk;
use raleur::exercise::Status;
use raleur::exercise::client;
use raleur::serve::{ServeOptions, Server};
use serde_json::json;
use std::path::PathBuf;
use std::time::{Duration, Instant};
use webdriver::Browser;

const ARTICLE: &str = "article sur vos abonnés";
const NOTE: &str = "Réponse rapide et posée à la journaliste";

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("raleur-console-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Desk frames until `done`, failing after `seconds`.
fn frames_until(
    harness: &mut Harness<'static, Desk>,
    seconds: u64,
    what: &str,
    mut done: impl FnMut(&mut Harness<'static, Desk>) -> bool,
) {
    let deadline = Instant::now() + Duration::from_secs(seconds);
    while !done(harness) {
        assert!(
            Instant::now() < deadline,
            "the desk: not {what} in {seconds} s"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn save(dir: &Option<PathBuf>, name: &str, browser: &Browser) {
    if let Some(dir) = dir {
        browser.script("window.scrollTo(0, 0)", json!([]));
        let png = browser.screenshot();
        std::fs::create_dir_all(dir).unwrap();
        std::fs::write(dir.join(name), png).unwrap();
    }
}

/// The HTTP status of a request the page makes itself with `code`.
fn status_from_page(browser: &Browser, method: &str, path: &str, code: &str, body: &str) -> u64 {
    browser
        .script_async(
            "const [method, path, code, body, done] = arguments;\
             fetch(path, {method, headers: {'Authorization': 'Bearer ' + code, 'Content-Type': 'application/json'}, body: method === 'GET' ? undefined : body})\
               .then(r => done(r.status), e => done(String(e)));",
            json!([method, path, code, body]),
        )
        .as_u64()
        .unwrap_or_default()
}

struct Codes {
    id: String,
    observer: String,
    seat_code: String,
}

/// The facilitator creates the exercise in the page: the price war, one seat for a person,
/// two scripted colleagues; the page hands out the codes.
fn create_in_page(browser: &Browser, server: &Server) -> Codes {
    browser.fill("#host-token", &server.hub.host_token);
    browser.click("#load-scenarios");
    browser.wait("the library", 10, || {
        let n = browser.script(
            "return [...document.querySelectorAll('#scenario option')].filter(o => o.value === 'price_war').length",
            json!([]),
        );
        (n.as_u64() == Some(1)).then_some(())
    });
    browser.script(
        "document.getElementById('scenario').value = 'price_war'",
        json!([]),
    );
    browser.fill("#seed", "7");
    browser.fill("#people", "1");
    browser.fill("#colleagues", "2");
    browser.fill("#roles", "front");
    browser.script(
        "document.getElementById('create-speed').value = '16'",
        json!([]),
    );
    browser.click("#create-btn");
    let facilitator = browser.wait("the codes", 10, || {
        let code = browser.text("#code-facilitator");
        (!code.is_empty()).then_some(code)
    });
    let observer = browser.text("#code-observer");
    let seat_code = browser.text("#code-seat-0");
    let id = browser
        .script("return document.getElementById('open-id').value", json!([]))
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(facilitator, observer);
    browser.wait_text("#codes", "Poste 1 (front)", 5);
    browser.wait_text("#codes", "Collègue 3", 5);
    assert_ne!(facilitator, seat_code);

    Codes {
        id,
        observer,
        seat_code,
    }
}

/// Pause: the console's clock and every desk's stop.
fn pause_stops_every_clock(browser: &Browser, desk: &mut Harness<'static, Desk>) {
    browser.click("#btn-pause");
    browser.wait_text("#status", "en pause", 10);
    frames_until(desk, 10, "paused", |h| {
        h.run();
        h.query_all_by_label_contains("En pause").next().is_some()
    });
    let stopped_at = session(desk).sim.now_ms();
    let console_clock = browser.text("#clock");
    let until = Instant::now() + Duration::from_millis(1500);
    while Instant::now() < until {
        desk.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    assert_eq!(
        session(desk).sim.now_ms(),
        stopped_at,
        "the desk's clock stopped"
    );
    assert_eq!(
        browser.text("#clock"),
        console_clock,
        "the console's clock stopped"
    );
    assert_eq!(
        session(desk).remote.as_ref().map(|r| r.follower.status),
        Some(Status::Paused)
    );
}

/// The observer's code looks but cannot steer; a seat's code does not see the console's
/// view; a wrong code is refused.
fn codes_open_only_their_part(
    browser: &Browser,
    base: &str,
    id: &str,
    observer: &str,
    seat_code: &str,
) {
    let control = format!("/api/exercises/{id}/control");
    let pause = r#"{"command":"pause"}"#;
    assert_eq!(
        status_from_page(browser, "POST", &control, observer, pause),
        403
    );
    assert_eq!(
        status_from_page(browser, "POST", &control, "WRONGCODE", pause),
        401
    );
    let live = format!("/api/exercises/{id}/live");
    assert_eq!(status_from_page(browser, "GET", &live, observer, ""), 200);
    assert_eq!(status_from_page(browser, "GET", &live, seat_code, ""), 403);
    let (status, _) = client::http("GET", base, &live, Some("0000000000"), None).unwrap();
    assert_eq!(status, 401);
}

/// End, then the after-action review, opened from the page in a window of its own.
fn review_holds_the_inject_the_note_and_the_scores(
    browser: &Browser,
    screenshots: &Option<PathBuf>,
) {
    browser.click("#btn-end");
    browser.wait_text("#status", "terminé", 10);
    browser.click("#review-btn");
    browser.wait("the review's links", 20, || {
        let shown = browser.script(
            "return !document.getElementById('review-links').hidden",
            json!([]),
        );
        (shown.as_bool() == Some(true)).then_some(())
    });
    let before = browser.windows();
    browser.click("#review-open");
    let review = browser.wait("the review's window", 10, || {
        browser.windows().into_iter().find(|w| !before.contains(w))
    });
    browser.switch_to(&review);
    let text = browser.wait_text("body", "Retour d'expérience", 10);
    for needle in [
        "Article : « Guerre des prix",
        NOTE,
        "Claire",
        "Scores de l'équipe",
        "Débriefing : Poste 1",
        "Collègue 2",
    ] {
        assert!(
            text.contains(needle),
            "the review lacks {needle:?}:\n{text}"
        );
    }
    save(screenshots, "console-review.png", browser);

    browser.switch_to(&before[0]);
}

/// The observer's console: a wrong code is refused, the right one opens without controls.
fn observer_console_has_no_controls(browser: &Browser, base: &str, id: &str, observer: &str) {
    browser.goto(&format!("{base}/console"));
    browser.click("#lang-fr");
    browser.fill("#open-id", id);
    browser.fill("#open-code", "NOT-A-CODE");
    browser.click("#open-btn");
    browser.wait_text("#message", "401", 10);
    browser.fill("#open-code", observer);
    browser.click("#open-btn");
    browser.wait_text("#role", "observateur", 10);
    let pause_shown = browser.script(
        "return document.getElementById('btn-pause').offsetParent !== null",
        json!([]),
    );
    assert_eq!(
        pause_shown.as_bool(),
        Some(false),
        "an observer has no controls"
    );
}

#[test]
fn the_facilitator_runs_a_crisis_from_the_browser_and_reviews_it() {
    let screenshots = std::env::var_os("RALEUR_SCREENSHOTS").map(PathBuf::from);
    let dir = tempdir("run");
    let server = Server::start(ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: dir.join("data"),
        scenarios: PathBuf::from("scenarios"),
        records: None,
    })
    .unwrap();
    let base = format!("http://{}", server.addr);
    let browser = Browser::start(1600, 1000);
    browser.goto(&format!("{base}/console"));
    browser.click("#lang-en");
    browser.wait_text("h1", "Facilitator's console", 5);
    browser.click("#lang-fr");
    browser.wait_text("h1", "Console de l'animateur", 5);

    let codes = create_in_page(&browser, &server);
    let Codes {
        id,
        observer,
        seat_code,
    } = codes;
    save(&screenshots, "console-create.png", &browser);

    // The desk joins its seat; the facilitator opens the console and starts.
    let ws = format!("{}/exercises/{id}/ws", base.replace("http://", "ws://"));
    let mut desk = desk_on(&ws, &seat_code, "Léa");
    browser.click("#open-created");
    browser.wait_text("#role", "animateur", 10);
    browser.click("#btn-start");
    browser.wait_text("#status", "en direct", 10);
    frames_until(&mut desk, 20, "running", |h| {
        h.run();
        session(h).sim.now_ms() > 60_000
    });

    // The journalist's article: in the console's feed, then on the desk.
    browser.click("button[data-inject='journalist_article']");
    browser.wait_text("#feed", ARTICLE, 10);
    browser.wait_text("#alerts", "Journaliste", 10);
    // The desk: the journalist comes in the queue; the public feed shows the article.
    frames_until(&mut desk, 20, "receiving the article", |h| {
        h.run();
        session(h)
            .sim
            .messages()
            .iter()
            .any(|m| m.text.contains(ARTICLE))
    });
    desk.get_all_by_label("Fil public")
        .next()
        .expect("the feed's toggle")
        .click();
    desk.run();
    frames_until(&mut desk, 10, "showing the article", |h| {
        h.run();
        h.query_all_by_label_contains(ARTICLE).next().is_some()
    });
    let injected = session(&mut desk)
        .sim
        .records()
        .iter()
        .any(|r| matches!(&r.event, raleur::engine::transcript::Event::Inject { inject, .. } if inject == "journalist_article"));
    assert!(injected, "the desk's replica has the inject");

    pause_stops_every_clock(&browser, &mut desk);

    // A note, marked 👍, about the seat.
    browser.fill("#note-by", "Claire");
    browser.script(
        "document.getElementById('note-seat').value = '0'; document.getElementById('note-mark').value = 'up'",
        json!([]),
    );
    browser.fill("#note-text", NOTE);
    browser.click("#note-btn");
    browser.wait_text("#notes", NOTE, 10);
    browser.click("#btn-resume");
    browser.wait_text("#status", "en direct", 10);
    // For the pictures, a few more minutes of the crisis in the feed.
    let settle_ms = if screenshots.is_some() { 8_000 } else { 1_000 };
    std::thread::sleep(Duration::from_millis(settle_ms));
    save(&screenshots, "console-live.png", &browser);

    codes_open_only_their_part(&browser, &base, &id, &observer, &seat_code);

    review_holds_the_inject_the_note_and_the_scores(&browser, &screenshots);
    // The desk's own debrief marks the inject on its charts.
    frames_until(&mut desk, 20, "on its debrief", |h| {
        h.run();
        h.state().screen == raleur::desk::Screen::Debrief
    });
    let marks = &desk.state().debrief.as_ref().expect("a debrief").marks;
    assert!(
        marks
            .iter()
            .any(|m| m.label.starts_with("Article : « Guerre des prix")),
        "{marks:?}"
    );
    observer_console_has_no_controls(&browser, &base, &id, &observer);
    drop(browser);
    server.stop();
}
