//! `raleur serve` over loopback, with the real server: bots on the seats people take,
//! scripted colleagues on the others. Every replica ends with the server's transcript, which
//! replays; a client dropped mid-way rejoins; a server killed mid-way resumes with nothing
//! lost; codes open only what they are for; oversized and malformed messages change nothing.

mod common;

use common::analyser;
use raleur::engine::run::replay;
use raleur::engine::transcript::{read_jsonl, sha256_hex};
use raleur::exercise::bot::{Bot, BotError};
use raleur::exercise::client::{self, ClientError};
use raleur::serve::{ServeOptions, Server};
use serde_json::{Value, json};
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

fn tempdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("raleur-serve-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

fn options(dir: &Path, records: bool) -> ServeOptions {
    ServeOptions {
        listen: "127.0.0.1:0".parse().unwrap(),
        data: dir.join("data"),
        scenarios: PathBuf::from("scenarios"),
        records: records.then(|| dir.join("academy.sqlite3")),
    }
}

struct Created {
    base: String,
    id: String,
    facilitator: String,
    observer: String,
    codes: Vec<String>,
}

impl Created {
    fn ws(&self) -> String {
        format!(
            "{}/exercises/{}/ws",
            self.base.replace("http://", "ws://"),
            self.id
        )
    }

    fn control(&self, token: &str, command: Value) -> u16 {
        let path = format!("/api/exercises/{}/control", self.id);
        client::http(
            "POST",
            &self.base,
            &path,
            Some(token),
            Some(&command.to_string()),
        )
        .unwrap()
        .0
    }

    fn transcript(&self) -> String {
        let path = format!("/api/exercises/{}/transcript", self.id);
        let (status, body) =
            client::http("GET", &self.base, &path, Some(&self.facilitator), None).unwrap();
        assert_eq!(status, 200, "{body}");
        body
    }
}

fn create(base: &str, host_token: &str, body: Value) -> Created {
    let created = client::create_exercise(base, host_token, &body).unwrap();
    Created {
        base: base.to_string(),
        codes: created.codes(),
        id: created.id,
        facilitator: created.facilitator,
        observer: created.observer,
    }
}

/// Two people and two scripted colleagues on the food-delivery crisis, fast.
fn two_and_two() -> Value {
    json!({"scenario": "food_delivery", "seed": 3, "people": 2, "colleagues": 2,
           "pace": "human", "speed": 512, "customers": 120})
}

impl Created {
    /// A bot on each person's seat, then the clock started.
    fn join_all_and_start(&self) -> Vec<Bot> {
        let bots = self
            .codes
            .iter()
            .map(|code| Bot::join(&self.ws(), code, analyser()).unwrap())
            .collect();
        assert_eq!(
            self.control(&self.facilitator, json!({"command": "start"})),
            200
        );
        bots
    }
}

/// A server of its own, on any port, and the two-and-two exercise on it.
fn server_with_exercise(dir: &Path, records: bool) -> (Server, Created) {
    let server = Server::start(options(dir, records)).unwrap();
    let base = format!("http://{}", server.addr);
    let exercise = create(&base, &server.hub.host_token, two_and_two());
    (server, exercise)
}

/// Plays the bots until every one has seen the end, each answering someone now and then.
fn play_to_the_end(bots: &mut [Bot], mut between: impl FnMut(&mut [Bot], u32)) {
    let deadline = Instant::now() + Duration::from_secs(240);
    let mut round = 0;
    while !bots.iter().all(Bot::is_over) {
        assert!(
            Instant::now() < deadline,
            "the exercise did not end in time"
        );
        round += 1;
        for bot in bots.iter_mut() {
            bot.pump(Duration::from_millis(20)).unwrap();
            if round % 5 == 0 && !bot.is_over() {
                bot.answer_someone();
            }
        }
        between(bots, round);
    }
    // The last messages (the end's hash) may still be on the way.
    for bot in bots.iter_mut() {
        let _ = bot.pump(Duration::from_millis(300));
    }
}

fn check_replays(transcript: &str) {
    let (header, records) = read_jsonl(transcript).unwrap();
    let scenario = raleur::engine::load_scenario(Path::new(&header.scenario_path)).unwrap();
    replay(
        std::sync::Arc::new(scenario.scenario),
        analyser(),
        &header,
        &records,
    )
    .unwrap();
}

#[test]
fn two_bots_and_two_colleagues_end_with_the_servers_transcript_which_replays() {
    let dir = tempdir("play");
    let (server, exercise) = server_with_exercise(&dir, true);
    let mut bots = exercise.join_all_and_start();
    play_to_the_end(&mut bots, |_, _| {});
    let transcript = exercise.transcript();
    let sha = sha256_hex(transcript.as_bytes());
    for bot in &mut bots {
        assert_eq!(bot.replica.sha256(), sha, "a replica drifted");
        assert!(
            bot.replica.follow.hashes_matched > 0,
            "the server's hashes were checked"
        );
        assert!(
            !bot.round_trips_ms.is_empty(),
            "the bot's actions came back"
        );
    }
    // Every seat acted: the people's bots and the scripted colleagues.
    let (_, records) = read_jsonl(&transcript).unwrap();
    let seats: std::collections::BTreeSet<u32> = records
        .iter()
        .filter_map(|r| raleur::engine::run::action_of(&r.event))
        .filter_map(|(seat, _)| seat.map(|s| s.0))
        .collect();
    assert_eq!(seats.len(), 4, "{seats:?}");
    check_replays(&transcript);
    // Each person's seat is in the academy's records, complete, with the same transcript.
    server.stop();
    let store = raleur::academy::store::Store::open(&dir.join("academy.sqlite3")).unwrap();
    let sessions = store.sessions(None).unwrap();
    assert_eq!(sessions.len(), 2, "one session a person's seat");
    for session in sessions {
        assert_eq!(store.transcript(session.id).unwrap(), transcript);
    }
}

#[test]
fn a_client_dropped_mid_exercise_rejoins_and_catches_up() {
    let dir = tempdir("rejoin");
    let (_server, exercise) = server_with_exercise(&dir, false);
    let mut bots = exercise.join_all_and_start();
    let mut rejoined = false;
    play_to_the_end(&mut bots, |bots, round| {
        if round == 40 {
            // The connection goes (a laptop's lid shut); a moment later it comes back.
            bots[1].rejoin().unwrap();
            rejoined = true;
        }
    });
    assert!(rejoined);
    let sha = sha256_hex(exercise.transcript().as_bytes());
    for bot in &mut bots {
        assert_eq!(bot.replica.sha256(), sha);
    }
}

#[test]
fn a_reply_to_another_seats_conversation_is_refused_naming_the_seat() {
    let dir = tempdir("collision");
    let (_server, exercise) = server_with_exercise(&dir, false);
    let mut bots = exercise.join_all_and_start();
    let deadline = Instant::now() + Duration::from_secs(60);
    let customer = loop {
        assert!(Instant::now() < deadline);
        bots[0].pump(Duration::from_millis(20)).unwrap();
        if let Some(c) = raleur::exercise::bot::free_customer(&bots[0].replica.sim) {
            break c;
        }
    };
    exercise.control(&exercise.facilitator, json!({"command": "pause"}));
    exercise.control(&exercise.facilitator, json!({"command": "resume"}));
    bots[0].act(raleur::engine::Action::Claim { customer });
    // Seat 2 replies once the claim has reached it.
    let deadline = Instant::now() + Duration::from_secs(30);
    while bots[1].replica.sim.holder(customer).is_none() {
        assert!(Instant::now() < deadline, "the claim never arrived");
        bots[0].pump(Duration::from_millis(5)).unwrap();
        bots[1].pump(Duration::from_millis(20)).unwrap();
    }
    let reference = bots[1].act(raleur::engine::Action::Reply {
        customer,
        private: false,
        text: "Bonjour, je regarde votre dossier.".into(),
    });
    let deadline = Instant::now() + Duration::from_secs(30);
    while bots[1].refused.is_empty() {
        assert!(Instant::now() < deadline, "no refusal came");
        bots[1].pump(Duration::from_millis(20)).unwrap();
    }
    assert_eq!(
        bots[1].refused[0],
        (reference, "held_by_another_seat".into())
    );
}

#[test]
fn codes_open_only_what_they_are_for() {
    let dir = tempdir("codes");
    let server = Server::start(options(&dir, false)).unwrap();
    let base = format!("http://{}", server.addr);
    let host = server.hub.host_token.clone();
    let exercise = create(&base, &host, two_and_two());
    let other = create(&base, &host, two_and_two());
    let refused = |code: &str| match Bot::join(&exercise.ws(), code, analyser()) {
        Err(BotError::Client(ClientError::Refused { code, .. })) => code,
        Err(other) => panic!("{other}"),
        Ok(_) => panic!("a bad code joined"),
    };
    let mut forged = exercise.codes[0].clone();
    forged.pop();
    forged.push(if exercise.codes[0].ends_with('0') {
        '1'
    } else {
        '0'
    });
    assert_eq!(refused(&forged), "unauthorized");
    assert_eq!(refused(&other.codes[0]), "unauthorized");
    assert_eq!(refused(""), "unauthorized");
    // Creating needs the host token; steering the facilitator's; an observer only looks.
    let (status, _) = client::http(
        "POST",
        &base,
        "/api/exercises",
        Some(&exercise.facilitator),
        Some(&two_and_two().to_string()),
    )
    .unwrap();
    assert_eq!(status, 401);
    assert_eq!(
        exercise.control(&exercise.observer, json!({"command": "start"})),
        403
    );
    assert_eq!(
        exercise.control(&exercise.codes[0], json!({"command": "start"})),
        403
    );
    assert_eq!(
        exercise.control(&other.facilitator, json!({"command": "start"})),
        401
    );
    assert_eq!(exercise.control("", json!({"command": "start"})), 401);
    let path = format!("/api/exercises/{}", exercise.id);
    assert_eq!(
        client::http("GET", &base, &path, None, None).unwrap().0,
        401
    );
    assert_eq!(
        client::http("GET", &base, &path, Some(&exercise.observer), None)
            .unwrap()
            .0,
        200
    );
    // An observer joins and watches, but cannot act.
    let mut observer = Bot::join(&exercise.ws(), &exercise.observer, analyser()).unwrap();
    observer.act(raleur::engine::Action::Claim {
        customer: raleur::engine::CustomerId(0),
    });
    let deadline = Instant::now() + Duration::from_secs(20);
    while observer.errors.is_empty() {
        assert!(Instant::now() < deadline);
        observer.pump(Duration::from_millis(20)).unwrap();
    }
    assert_eq!(observer.errors[0].0, "forbidden");
    // After the end, a seat's action is refused.
    assert_eq!(
        exercise.control(&exercise.facilitator, json!({"command": "start"})),
        200
    );
    assert_eq!(
        exercise.control(&exercise.facilitator, json!({"command": "end"})),
        200
    );
    let mut seat = Bot::join(&exercise.ws(), &exercise.codes[0], analyser()).unwrap();
    let reference = seat.act(raleur::engine::Action::Claim {
        customer: raleur::engine::CustomerId(0),
    });
    while seat.refused.is_empty() {
        assert!(Instant::now() < deadline);
        seat.pump(Duration::from_millis(20)).unwrap();
    }
    assert_eq!(seat.refused[0], (reference, "exercise_over".into()));
}

#[test]
fn a_10_mb_message_or_a_malformed_one_is_refused_and_the_exercise_goes_on() {
    let dir = tempdir("big");
    let (_server, exercise) = server_with_exercise(&dir, false);
    let mut bots = exercise.join_all_and_start();
    bots[0].send_raw("{\"type\":\"act\",\"ref\":1,\"action\":{\"action\":\"fly\"}}".into());
    bots[0].send_raw("not json".into());
    let deadline = Instant::now() + Duration::from_secs(30);
    while bots[0].errors.len() < 2 {
        assert!(
            Instant::now() < deadline,
            "no error came for the malformed messages"
        );
        bots[0].pump(Duration::from_millis(20)).unwrap();
    }
    assert!(bots[0].errors.iter().all(|(code, _)| code == "bad_message"));
    let huge = format!(
        "{{\"type\":\"act\",\"ref\":2,\"action\":{{\"action\":\"reply\",\"customer\":0,\"private\":false,\"text\":\"{}\"}}}}",
        "a".repeat(10 * 1024 * 1024)
    );
    bots[0].send_raw(huge);
    let deadline = Instant::now() + Duration::from_secs(60);
    while bots[0].errors.len() < 3 {
        assert!(
            Instant::now() < deadline,
            "the huge message was not refused"
        );
        bots[0].pump(Duration::from_millis(20)).unwrap();
    }
    assert_eq!(
        bots[0].errors[2].0, "message_too_large",
        "{:?}",
        bots[0].errors
    );
    assert!(bots[0].refused.is_empty() && bots[0].round_trips_ms.is_empty());
    // The exercise went on for both, the refused one's connection included.
    play_to_the_end(&mut bots, |_, _| {});
    let sha = sha256_hex(exercise.transcript().as_bytes());
    for bot in &mut bots {
        assert_eq!(bot.replica.sha256(), sha);
    }
}

#[test]
fn a_seats_flood_is_cut_to_its_rate_and_the_other_seats_go_on() {
    let dir = tempdir("flood");
    let (_server, exercise) = server_with_exercise(&dir, false);
    let mut bots = exercise.join_all_and_start();
    let started = Instant::now();
    // 500 claims at once from seat 1: beyond the burst, dropped with `rate_limited`; 200
    // dropped in a row close the connection.
    for customer in 0..500 {
        bots[0].act(raleur::engine::Action::Claim {
            customer: raleur::engine::CustomerId(customer),
        });
    }
    let deadline = Instant::now() + Duration::from_secs(60);
    let closed = loop {
        assert!(Instant::now() < deadline, "the flood was never cut");
        if let Err(error) = bots[0].pump(Duration::from_millis(10)) {
            break error.to_string();
        }
    };
    assert!(closed.contains("rate_limited"), "{closed}");
    assert!(
        bots[0]
            .errors
            .iter()
            .any(|(code, _)| code == "rate_limited")
    );
    let answered = bots[0].round_trips_ms.len() + bots[0].refused.len();
    // The burst (30) and 10 a second since: far fewer than sent.
    let allowed = 30 + (started.elapsed().as_secs_f64() * 10.0).ceil() as usize;
    assert!(
        answered <= allowed,
        "{answered} of 500 answered, {allowed} allowed"
    );
    // Seat 2 went on all along: its action comes back; seat 1 may join again.
    let deadline = Instant::now() + Duration::from_secs(60);
    // Seat 1 claimed customers in its burst: a reply of seat 2's to one of them is refused
    // (held by another seat), and seat 2 answers someone else.
    let mut tried = 0;
    while bots[1].round_trips_ms.is_empty() {
        assert!(
            Instant::now() < deadline,
            "seat 2 was slowed to a stop: {:?}",
            bots[1].refused
        );
        bots[1].pump(Duration::from_millis(20)).unwrap();
        // One reply at a time: the next once the last came back refused.
        if bots[1].refused.len() < tried {
            continue;
        }
        if bots[1].answer_someone().is_some() {
            tried += 1;
        }
    }
    bots[0].rejoin().unwrap();
}

/// `raleur serve` as a process, on `port` (0: any), with its data and its academy's records in
/// `dir`.
fn spawn_server(dir: &Path, port: u16) -> (std::process::Child, String, String) {
    use std::io::BufRead;
    let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_raleur"))
        .args(["serve", "--json", "--listen"])
        .arg(format!("127.0.0.1:{port}"))
        .arg("--data")
        .arg(dir.join("data"))
        .arg("--db")
        .arg(dir.join("academy.sqlite3"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let ready: Value = serde_json::from_str(&line).unwrap();
    (
        child,
        format!("http://{}", ready["listening"].as_str().unwrap()),
        ready["host_token"].as_str().unwrap().into(),
    )
}

#[test]
fn a_server_killed_mid_exercise_resumes_with_nothing_lost() {
    let dir = tempdir("restart");
    let (mut child, base, host) = spawn_server(&dir, 0);
    let exercise = create(&base, &host, two_and_two());
    let mut bots: Vec<Bot> = exercise
        .codes
        .iter()
        .map(|code| Bot::join(&exercise.ws(), code, analyser()).unwrap())
        .collect();
    exercise.control(&exercise.facilitator, json!({"command": "start"}));
    // Play a while: each bot's actions come back acknowledged.
    let deadline = Instant::now() + Duration::from_secs(60);
    while bots.iter().any(|b| b.round_trips_ms.len() < 2) {
        assert!(Instant::now() < deadline);
        for bot in bots.iter_mut() {
            bot.pump(Duration::from_millis(20)).unwrap();
            bot.answer_someone();
        }
    }
    for bot in bots.iter_mut() {
        let _ = bot.pump(Duration::from_millis(50));
    }
    let clocks: Vec<u64> = bots.iter().map(|b| b.replica.sim.now_ms()).collect();
    let max_seen = bots
        .iter()
        .filter_map(|b| b.arrivals.keys().max().copied())
        .max()
        .unwrap();
    child.kill().unwrap();
    child.wait().unwrap();
    let port: u16 = base.rsplit(':').next().unwrap().parse().unwrap();
    let (mut child, _, _) = spawn_server(&dir, port);
    // Everything a client saw is still there: every action, and the clock not behind.
    for (bot, now_ms) in bots.iter_mut().zip(&clocks) {
        bot.rejoin().unwrap();
        assert!(bot.replica.sim.now_ms() >= *now_ms);
    }
    let status_path = format!("/api/exercises/{}", exercise.id);
    let (_, status) = client::http(
        "GET",
        &base,
        &status_path,
        Some(&exercise.facilitator),
        None,
    )
    .unwrap();
    let status: Value = serde_json::from_str(&status).unwrap();
    assert!(status["actions"].as_u64().unwrap() >= max_seen, "{status}");
    assert_eq!(status["status"], "running");
    play_to_the_end(&mut bots, |_, _| {});
    let transcript = exercise.transcript();
    let sha = sha256_hex(transcript.as_bytes());
    for bot in &mut bots {
        assert_eq!(bot.replica.sha256(), sha);
    }
    check_replays(&transcript);
    child.kill().unwrap();
    let _ = child.wait();
    // The seats' sessions went on being written after the restart: the same two sessions,
    // complete, each holding the whole transcript.
    let store = raleur::academy::store::Store::open(&dir.join("academy.sqlite3")).unwrap();
    let sessions = store.sessions(None).unwrap();
    assert_eq!(
        sessions.len(),
        2,
        "one session a person's seat, restart or not"
    );
    for session in sessions {
        assert_eq!(session.status.id(), "complete");
        assert_eq!(store.transcript(session.id).unwrap(), transcript);
    }
}
