//! The exercise server under load, over loopback: `raleur serve` (the release binary, its own
//! process) with N exercises of the price war, five bots on each (every seat a person's, each
//! answering a customer at a person's pace), at 8x. For each configuration it measures, over
//! a window of wall-clock time after a warm-up that brings the crisis to its busy hours:
//! - from an action sent to every client of its exercise having it (median, p99, max);
//! - bytes received per second per seat;
//! - the server's CPU (user + system, % of one core) and memory (peak and current RSS).
//!
//! - the facilitator's console under that load: from a post the facilitator makes to the
//!   live view (`GET /api/exercises/ID/live`) showing it, and how long the live view takes.
//!
//!   cargo bench --bench serve -- [--exercises 1,10,50] [--seconds 60] [--warm-up 10]
//!
//! Prints two Markdown tables (BENCHMARKS.md, "The exercise server" and "The facilitator's
//! console"). Bots run in this process, one thread pair each; the machine's two cores are
//! shared by the server and the bots.

use raleur::exercise::bot::Bot;
use raleur::exercise::client;
use serde_json::{Value, json};
use std::io::BufRead;
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::time::{Duration, Instant};

const SEATS: usize = 5;
/// Posts the facilitator makes to time the console.
const CONSOLE_PROBES: usize = 20;
/// A person answers a customer about every 30 simulated seconds: 3.75 s at 8x.
const ACT_EVERY: Duration = Duration::from_millis(3_750);

struct Args {
    exercises: Vec<usize>,
    seconds: u64,
    warm_up: u64,
}

fn args() -> Args {
    let mut args = Args {
        exercises: vec![1, 10, 50],
        seconds: 60,
        warm_up: 10,
    };
    let mut given = std::env::args().skip(1);
    while let Some(flag) = given.next() {
        let mut value = || given.next().unwrap_or_default();
        match flag.as_str() {
            "--exercises" => {
                args.exercises = value()
                    .split(',')
                    .filter_map(|n| n.trim().parse().ok())
                    .collect();
            }
            "--seconds" => args.seconds = value().parse().unwrap_or(args.seconds),
            "--warm-up" => args.warm_up = value().parse().unwrap_or(args.warm_up),
            // What cargo bench passes on (`--bench`) is not ours.
            _ => {}
        }
    }
    args
}

fn spawn_server(data: &std::path::Path) -> (Child, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_raleur"))
        .args([
            "serve",
            "--json",
            "--no-record",
            "--listen",
            "127.0.0.1:0",
            "--data",
        ])
        .arg(data)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("raleur serve starts");
    let mut line = String::new();
    std::io::BufReader::new(child.stdout.take().expect("its output"))
        .read_line(&mut line)
        .expect("its first line");
    let ready: Value = serde_json::from_str(&line).expect("a JSON line");
    (
        child,
        format!("http://{}", ready["listening"].as_str().unwrap_or_default()),
        ready["host_token"].as_str().unwrap_or_default().to_string(),
    )
}

/// User + system CPU seconds of a process so far.
fn cpu_s(pid: u32) -> f64 {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    // Fields after the command's closing parenthesis; utime and stime are the 12th and 13th.
    let after = stat.rsplit_once(')').map_or("", |(_, rest)| rest);
    let fields: Vec<&str> = after.split_whitespace().collect();
    let ticks = |i: usize| {
        fields
            .get(i)
            .and_then(|f| f.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    (ticks(11) + ticks(12)) / 100.0
}

/// Peak and current resident memory of a process, in MB.
fn memory_mb(pid: u32) -> (f64, f64) {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).unwrap_or_default();
    let field = |name: &str| {
        status
            .lines()
            .find(|l| l.starts_with(name))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|kb| kb.parse::<f64>().ok())
            .unwrap_or(0.0)
            / 1024.0
    };
    (field("VmHWM:"), field("VmRSS:"))
}

struct Exercise {
    bots: Vec<Bot>,
}

fn create(base: &str, host: &str, seed: usize) -> client::Created {
    let body = json!({"scenario": "price_war", "seed": seed, "people": SEATS, "speed": 512});
    client::create_exercise(base, host, &body).expect("the exercise is created")
}

fn control(base: &str, id: &str, token: &str, command: Value) {
    let path = format!("/api/exercises/{id}/control");
    let (status, text) = client::http("POST", base, &path, Some(token), Some(&command.to_string()))
        .expect("the server answers");
    assert_eq!(status, 200, "{text}");
}

/// Pumps every bot, each acting every `ACT_EVERY`, until `until`.
fn play(exercises: &mut [Exercise], until: Instant, last_act: &mut [Instant]) {
    while Instant::now() < until {
        let mut index = 0;
        for exercise in exercises.iter_mut() {
            for bot in &mut exercise.bots {
                bot.pump(Duration::ZERO)
                    .expect("a bot keeps its replica in step");
                if last_act[index].elapsed() >= ACT_EVERY {
                    last_act[index] = Instant::now();
                    bot.answer_someone();
                }
                index += 1;
            }
        }
        std::thread::sleep(Duration::from_millis(1));
    }
}

fn percentile(sorted: &[f64], p: f64) -> f64 {
    if sorted.is_empty() {
        return f64::NAN;
    }
    let rank = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[rank.min(sorted.len() - 1)]
}

fn measure(count: usize, args: &Args) -> (String, String) {
    let data =
        std::env::temp_dir().join(format!("raleur-bench-serve-{}-{count}", std::process::id()));
    let _ = std::fs::remove_dir_all(&data);
    let (mut child, base, host) = spawn_server(&data);
    let analyser: Arc<dyn raleur::engine::ReplyAnalyser> =
        Arc::new(raleur::tone::ToneAnalyser::bundled());
    let ws = base.replace("http://", "ws://");
    let mut exercises = Vec::new();
    let mut facilitators = Vec::new();
    for seed in 1..=count {
        let created = create(&base, &host, seed);
        let url = format!("{ws}{}", created.ws);
        let bots = created
            .codes()
            .iter()
            .map(|code| Bot::join(&url, code, analyser.clone()).expect("a bot joins"))
            .collect();
        exercises.push(Exercise { bots });
        facilitators.push((created.id, created.facilitator));
    }
    for (id, facilitator) in &facilitators {
        control(&base, id, facilitator, json!({"command": "start"}));
    }
    let mut last_act = vec![Instant::now(); count * SEATS];
    play(
        &mut exercises,
        Instant::now() + Duration::from_secs(args.warm_up),
        &mut last_act,
    );
    for (id, facilitator) in &facilitators {
        control(
            &base,
            id,
            facilitator,
            json!({"command": "speed", "speed": 8}),
        );
    }
    // The window: what came before is forgotten.
    for bot in exercises.iter_mut().flat_map(|e| e.bots.iter_mut()) {
        bot.pump(Duration::from_millis(50)).expect("in step");
        bot.acknowledged.clear();
        bot.bytes = 0;
    }
    let (cpu_before, start) = (cpu_s(child.id()), Instant::now());
    play(
        &mut exercises,
        start + Duration::from_secs(args.seconds),
        &mut last_act,
    );
    let window_s = start.elapsed().as_secs_f64();
    let cpu = (cpu_s(child.id()) - cpu_before) / window_s * 100.0;
    let (peak_mb, rss_mb) = memory_mb(child.id());
    // Let the last actions reach everyone before reading the arrivals.
    let settle = Instant::now() + Duration::from_millis(500);
    while Instant::now() < settle {
        for bot in exercises.iter_mut().flat_map(|e| e.bots.iter_mut()) {
            bot.pump(Duration::from_millis(1)).expect("in step");
        }
    }
    let mut latencies = Vec::new();
    let mut actions = 0;
    for exercise in &exercises {
        for sender in &exercise.bots {
            for (n, sent) in &sender.acknowledged {
                actions += 1;
                let last = exercise.bots.iter().filter_map(|b| b.arrivals.get(n)).max();
                if let Some(last) = last {
                    latencies.push(last.duration_since(*sent).as_secs_f64() * 1_000.0);
                }
            }
        }
    }
    latencies.sort_by(f64::total_cmp);
    let mut rates: Vec<f64> = exercises
        .iter()
        .flat_map(|e| e.bots.iter())
        .map(|b| b.bytes as f64 / window_s)
        .collect();
    rates.sort_by(f64::total_cmp);
    // The console is timed after the window: its posts count in none of the figures above.
    let console = console_probe(&base, &facilitators[0], &mut exercises, &mut last_act);
    let _ = child.kill();
    let _ = child.wait();
    let _ = std::fs::remove_dir_all(&data);
    let row = format!(
        "| {count} | {} | {actions} | {:.1} | {:.1} | {:.1} | {:.0} | {:.0} | {cpu:.0} % | {peak_mb:.0} / {rss_mb:.0} |",
        count * SEATS,
        percentile(&latencies, 0.5),
        percentile(&latencies, 0.99),
        latencies.last().copied().unwrap_or(f64::NAN),
        percentile(&rates, 0.5),
        rates.last().copied().unwrap_or(f64::NAN),
    );
    (row, console)
}

/// The facilitator posts as a customer, then asks for the live view until it shows the post;
/// the bots of every exercise go on meanwhile. Gives the console's table row.
fn console_probe(
    base: &str,
    (id, facilitator): &(String, String),
    exercises: &mut [Exercise],
    last_act: &mut [Instant],
) -> String {
    let mut reflect = Vec::new();
    let mut views = Vec::new();
    let mut bytes = 0;
    for probe in 0..CONSOLE_PROBES {
        let text = format!("Sonde {probe} de la console : toujours rien ?");
        let body = json!({"action": {"action": "post_as", "persona": "teen", "channel": "twitter",
                                      "account": "care", "text": text}});
        let sent = Instant::now();
        let (status, answer) = client::http(
            "POST",
            base,
            &format!("/api/exercises/{id}/direct"),
            Some(facilitator),
            Some(&body.to_string()),
        )
        .expect("the server answers");
        assert_eq!(status, 200, "{answer}");
        loop {
            let asked = Instant::now();
            let (_, view) = client::http(
                "GET",
                base,
                &format!("/api/exercises/{id}/live"),
                Some(facilitator),
                None,
            )
            .expect("the live view");
            views.push(asked.elapsed().as_secs_f64() * 1_000.0);
            bytes = view.len();
            if view.contains(&text) {
                reflect.push(sent.elapsed().as_secs_f64() * 1_000.0);
                break;
            }
            play(
                exercises,
                Instant::now() + Duration::from_millis(5),
                last_act,
            );
        }
        play(
            exercises,
            Instant::now() + Duration::from_millis(500),
            last_act,
        );
    }
    reflect.sort_by(f64::total_cmp);
    views.sort_by(f64::total_cmp);
    format!(
        "| {} | {:.1} | {:.1} | {:.1} | {:.1} | {:.0} |",
        exercises.len(),
        percentile(&reflect, 0.5),
        percentile(&reflect, 0.99),
        percentile(&views, 0.5),
        percentile(&views, 0.99),
        bytes as f64 / 1024.0,
    )
}

fn main() {
    let args = args();
    println!(
        "price war at 8x after {} s at 512x, window {} s; bots act every {} ms",
        args.warm_up,
        args.seconds,
        ACT_EVERY.as_millis()
    );
    println!(
        "| exercises | seats | actions | to every client, median ms | p99 ms | max ms | bytes/s a seat, median | max | server CPU (one core) | server RSS peak / now, MB |"
    );
    println!("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
    let mut consoles = Vec::new();
    for &count in &args.exercises {
        let (row, console) = measure(count, &args);
        println!("{row}");
        consoles.push(console);
    }
    println!();
    println!(
        "The facilitator's console of one exercise meanwhile ({CONSOLE_PROBES} posts; the page asks every 500 ms)"
    );
    println!(
        "| exercises running | post to live view showing it, median ms | p99 ms | live view answer, median ms | p99 ms | live view, KiB |"
    );
    println!("| --- | --- | --- | --- | --- | --- |");
    for console in consoles {
        println!("{console}");
    }
}
