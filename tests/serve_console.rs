//! The console's endpoints over loopback, without a browser: the facilitator's inject comes
//! back to a seat's replica and into the transcript, a post typed live and a note are kept,
//! the live view and the review hold them; each code opens only what it is for, and hostile
//! bodies are refused with nothing changed. The page itself is tested in console_browser.rs.

mod common;

use common::analyser;
use proptest::prelude::*;
use raleur::exercise::bot::Bot;
use raleur::exercise::client;
use raleur::serve::{ServeOptions, Server};
use serde_json::{Value, json};
use std::path::PathBuf;
use std::time::{Duration, Instant};

struct Setup {
    server: Server,
    base: String,
    id: String,
    facilitator: String,
    observer: String,
    seat: String,
}

fn setup(name: &str) -> Setup {
    let dir =
        std::env::temp_dir().join(format!("raleur-console-api-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    let server = Server::start(ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: dir.join("data"),
        scenarios: PathBuf::from("scenarios"),
        records: None,
    })
    .unwrap();
    let base = format!("http://{}", server.addr);
    let body =
        json!({"scenario": "price_war", "seed": 2, "people": 1, "colleagues": 2, "speed": 64});
    let created = client::create_exercise(&base, &server.hub.host_token, &body).unwrap();
    Setup {
        base,
        seat: created.codes()[0].clone(),
        id: created.id,
        facilitator: created.facilitator,
        observer: created.observer,
        server,
    }
}

impl Setup {
    fn call(&self, method: &str, what: &str, code: &str, body: Option<Value>) -> (u16, String) {
        let path = format!("/api/exercises/{}/{what}", self.id);
        let body = body.map(|b| b.to_string());
        client::http(method, &self.base, &path, Some(code), body.as_deref()).unwrap()
    }

    fn live(&self) -> Value {
        let (status, body) = self.call("GET", "live", &self.observer, None);
        assert_eq!(status, 200, "{body}");
        serde_json::from_str(&body).unwrap()
    }
}

#[test]
fn an_inject_a_post_and_a_note_reach_the_seats_the_live_view_and_the_review() {
    let s = setup("flow");
    let ws = format!(
        "{}/exercises/{}/ws",
        s.base.replace("http://", "ws://"),
        s.id
    );
    let mut bot = Bot::join(&ws, &s.seat, analyser()).unwrap();
    assert_eq!(
        s.call(
            "POST",
            "control",
            &s.facilitator,
            Some(json!({"command": "start"}))
        )
        .0,
        200
    );
    let inject = json!({"action": {"action": "inject", "inject": "journalist_article"}});
    let (status, body) = s.call("POST", "direct", &s.facilitator, Some(inject.clone()));
    assert_eq!(status, 200, "{body}");
    let (status, body) = s.call("POST", "direct", &s.facilitator, Some(inject));
    assert_eq!(status, 422);
    assert!(
        body.contains("inject_spent") && body.contains("déjà"),
        "{body}"
    );
    let typed = "@Telvia_Client trois jours sans réseau, vous comptez faire quelque chose ?";
    let post = json!({"action": {"action": "post_as", "persona": "busy_pro", "channel": "twitter", "account": "care", "text": typed}});
    assert_eq!(s.call("POST", "direct", &s.facilitator, Some(post)).0, 200);
    let note = json!({"by": "Marc", "seat": 0, "mark": "down", "text": "Le poste 1 n'a pas vu la journaliste."});
    let (status, body) = s.call("POST", "notes", &s.observer, Some(note));
    assert_eq!(status, 201, "{body}");

    // The seat's replica receives the facilitator's moves, in order, and stays in step.
    let deadline = Instant::now() + Duration::from_secs(30);
    let journalist = |sim: &raleur::engine::Simulation| {
        sim.customers()
            .iter()
            .any(|c| sim.scenario().personas[c.persona].id == "journalist")
    };
    while !bot.replica.sim.messages().iter().any(|m| m.text == typed)
        || !journalist(&bot.replica.sim)
    {
        assert!(
            Instant::now() < deadline,
            "the seat never saw the typed post"
        );
        bot.pump(Duration::from_millis(50)).unwrap();
    }
    let view = s.live();
    assert_eq!(view["fired"][0]["inject"], "journalist_article");
    assert_eq!(view["fired"][1]["post_as"], "busy_pro");
    assert_eq!(view["notes"][0]["author"], "observer");
    assert_eq!(view["injects"][0]["fired"], 1);
    assert!(
        view["feed"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["text"] == typed)
    );
    assert!(
        view["alerts"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["kind"] == "press"),
        "{}",
        view
    );
    let transcript = s.call("GET", "transcript", &s.facilitator, None).1;
    assert!(transcript.contains("\"type\":\"inject\""));
    assert!(transcript.contains("\"type\":\"post_as\""));

    assert_eq!(
        s.call(
            "POST",
            "control",
            &s.facilitator,
            Some(json!({"command": "end"}))
        )
        .0,
        200
    );
    let (status, review) = s.call("GET", "review?lang=en", &s.observer, None);
    assert_eq!(status, 200);
    for needle in [
        "After-action review",
        "Price war: long-time subscribers",
        "Le poste 1 n&#39;a pas vu",
        "👎",
        "Debrief: Poste 1",
        "class=\"mark\"><title>Article: &quot;Price war",
    ] {
        assert!(review.contains(needle), "the review lacks {needle:?}");
    }
    assert!(!review.contains("<script"), "the review runs nothing");
    s.server.stop();
}

#[test]
fn each_code_opens_only_what_it_is_for() {
    let s = setup("codes");
    let inject = json!({"action": {"action": "inject", "inject": "loyal_wave"}});
    let note = json!({"text": "Une note"});
    let (observer, seat, facilitator) =
        (s.observer.as_str(), s.seat.as_str(), s.facilitator.as_str());
    for (code, what, method, body, expected) in [
        (observer, "direct", "POST", Some(inject.clone()), 403),
        (seat, "direct", "POST", Some(inject.clone()), 403),
        (
            "NOTACODE0000000000000000000",
            "direct",
            "POST",
            Some(inject),
            401,
        ),
        (seat, "notes", "POST", Some(note.clone()), 403),
        (facilitator, "notes", "POST", Some(note), 201),
        (seat, "live", "GET", None, 403),
        (seat, "review", "GET", None, 403),
        ("", "review", "GET", None, 401),
        (observer, "live", "GET", None, 200),
    ] {
        let (status, text) = s.call(method, what, code, body);
        assert_eq!(status, expected, "{method} {what}: {text}");
    }
    // The library needs the host token, not an exercise's code.
    let (status, _) =
        client::http("GET", &s.base, "/api/scenarios", Some(&s.facilitator), None).unwrap();
    assert_eq!(status, 401);
    let (status, body) = client::http(
        "GET",
        &s.base,
        "/api/scenarios",
        Some(&s.server.hub.host_token),
        None,
    )
    .unwrap();
    assert_eq!(status, 200);
    assert!(body.contains("\"name\":\"price_war\""));
    // The page: its own script only, nothing from elsewhere.
    let (status, page) = client::http("GET", &s.base, "/console", None, None).unwrap();
    assert_eq!(status, 200);
    assert!(
        !page.contains("http://") && !page.contains("https://"),
        "the page loads nothing from elsewhere"
    );
    s.server.stop();
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 24, ..ProptestConfig::default() })]

    /// Whatever the body, the facilitator's endpoints answer 4xx or succeed, never 5xx, and a
    /// refused body changes nothing the live view shows.
    #[test]
    fn hostile_bodies_are_refused_and_change_nothing(
        body in prop_oneof![
            ".{0,200}",
            Just("{\"action\":{\"action\":\"inject\",\"inject\":\"\\u0000\"}}".to_string()),
            Just("{\"action\":{\"action\":\"reply\",\"customer\":0,\"private\":false,\"text\":\"x\"}}".to_string()),
            Just(format!("{{\"text\":\"{}\"}}", "é".repeat(3000))),
            Just("{\"text\":\"ok\",\"seat\":99}".to_string()),
            Just("{\"text\":\"ok\",\"customer\":4000000000}".to_string()),
            Just("{\"action\":{\"action\":\"post_as\",\"persona\":\"teen\",\"channel\":\"twitter\",\"account\":\"care\",\"text\":\"\"}}".to_string()),
        ],
        what in prop_oneof![Just("direct"), Just("notes")],
    ) {
        let s = SETUP.with(|s| s.clone());
        let (_, before) = client::http("GET", &s.0, &format!("/api/exercises/{}/live", s.1), Some(&s.2), None).unwrap();
        let (status, _) = client::http("POST", &s.0, &format!("/api/exercises/{}/{what}", s.1), Some(&s.2), Some(&body)).unwrap();
        prop_assert!(status < 500, "{status}");
        let (_, after) = client::http("GET", &s.0, &format!("/api/exercises/{}/live", s.1), Some(&s.2), None).unwrap();
        let pick = |text: &str| {
            let v: Value = serde_json::from_str(text).unwrap();
            (v["fired"].clone(), v["notes"].clone())
        };
        if status >= 400 {
            prop_assert_eq!(pick(&before), pick(&after));
        }
    }
}

thread_local! {
    /// One running exercise for the property test's cases: (base, id, facilitator code).
    /// Its server lives as long as the test process.
    static SETUP: (String, String, String) = {
        let s = setup("hostile");
        assert_eq!(s.call("POST", "control", &s.facilitator, Some(json!({"command": "start"}))).0, 200);
        let keep = (s.base.clone(), s.id.clone(), s.facilitator.clone());
        std::mem::forget(s);
        keep
    };
}
