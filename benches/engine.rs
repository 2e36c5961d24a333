//! `cargo bench`: the price war at 10,000 customers played by the expert team, beside a bare
//! binary-heap push/pop of as many events (the floor of any event-queue simulator); then its
//! transcript scored (`raleur score`: read, then debriefed) and replayed (`raleur replay`).

use criterion::{Criterion, criterion_group, criterion_main};
use raleur::engine::policy::{PolicyConfig, PolicyKind};
use raleur::engine::run::{RunSpec, replay, run};
use raleur::engine::scenario::Lang;
use raleur::engine::sim::SessionConfig;
use raleur::engine::transcript::{read_jsonl, write_jsonl};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
use std::hint::black_box;
use std::path::Path;
use std::sync::Arc;

fn price_war_10k(c: &mut Criterion) {
    let scenario = Arc::new(
        raleur::engine::load_scenario(Path::new("scenarios/price_war.ron"))
            .unwrap()
            .scenario,
    );
    let analyser: Arc<dyn raleur::engine::ReplyAnalyser> =
        Arc::new(raleur::tone::ToneAnalyser::bundled());
    let spec = || RunSpec {
        session: SessionConfig {
            seed: 1,
            lang: Lang::Fr,
            customers_target: Some(10_000),
        },
        policy: PolicyConfig::new(PolicyKind::Expert, scenario.team_size),
        scenario_path: "scenarios/price_war.ron".into(),
        scenario_sha256: String::new(),
        analyser: Arc::clone(&analyser),
    };
    let sample = run(Arc::clone(&scenario), spec()).unwrap();
    let events = sample.sim.records().len();
    println!(
        "price war at 10,000 customers (expert): {} customers, {events} transcript events",
        sample.sim.customers().len()
    );

    let mut group = c.benchmark_group("price_war_10k");
    group.sample_size(20);
    group.bench_function("expert_run", |b| {
        b.iter(|| {
            black_box(
                run(Arc::clone(&scenario), spec())
                    .unwrap()
                    .sim
                    .records()
                    .len(),
            )
        })
    });
    group.bench_function("expert_run_and_jsonl", |b| {
        b.iter(|| {
            let outcome = run(Arc::clone(&scenario), spec()).unwrap();
            let mut sink = std::io::sink();
            black_box(write_jsonl(&outcome.header, outcome.sim.records(), &mut sink).unwrap())
        })
    });
    group.bench_function("heap_floor_same_event_count", |b| {
        b.iter(|| {
            let mut heap = BinaryHeap::with_capacity(1024);
            let mut total = 0u64;
            for i in 0..events as u64 {
                heap.push(Reverse((i.wrapping_mul(2_654_435_761) % 28_800_000, i)));
                if heap.len() > 512 {
                    total = total.wrapping_add(heap.pop().unwrap().0.0);
                }
            }
            black_box(total)
        })
    });
    group.finish();

    let mut jsonl = Vec::new();
    write_jsonl(&sample.header, sample.sim.records(), &mut jsonl).unwrap();
    let text = String::from_utf8(jsonl).unwrap();
    println!("its transcript: {} bytes", text.len());
    let tone = raleur::tone::ToneAnalyser::bundled();
    let rules = raleur::score::ScoringSpec::bundled();
    let mut group = c.benchmark_group("transcript_10k");
    group.sample_size(20);
    group.bench_function("score", |b| {
        b.iter(|| {
            let (header, records) = read_jsonl(&text).unwrap();
            let debrief = raleur::score::score(&rules, &tone, &scenario, &header, &records);
            black_box(debrief.scores.overall)
        })
    });
    group.bench_function("replay", |b| {
        b.iter(|| {
            let (header, records) = read_jsonl(&text).unwrap();
            black_box(
                replay(
                    Arc::clone(&scenario),
                    Arc::clone(&analyser),
                    &header,
                    &records,
                )
                .is_ok(),
            )
        })
    });
    group.finish();
}

criterion_group!(benches, price_war_10k);
criterion_main!(benches);
