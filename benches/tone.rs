//! Reply analysis throughput: tweet-length replies through the library on one core, with the
//! TyDiP sentences (longer) as a second corpus. `cargo bench --bench tone`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use raleur::engine::Lang;
use raleur::tone::{ToneAnalyser, ToneInput};
use std::hint::black_box;

/// The labelled replies (customer-care, mostly under 280 characters) with their customer
/// messages, as the scorer sees them.
fn replies() -> Vec<(String, Option<String>)> {
    std::fs::read_to_string("tests/data/replies.jsonl")
        .unwrap()
        .lines()
        .map(|line| {
            let row: serde_json::Value = serde_json::from_str(line).unwrap();
            (
                row["t"].as_str().unwrap().to_string(),
                row["c"].as_str().map(str::to_string),
            )
        })
        .collect()
}

fn analyse(c: &mut Criterion) {
    let analyser = ToneAnalyser::bundled();
    let corpus = replies();
    let tweet_length: Vec<&(String, Option<String>)> = corpus
        .iter()
        .filter(|(t, _)| t.chars().count() <= 280)
        .collect();
    let mean_chars = tweet_length
        .iter()
        .map(|(t, _)| t.chars().count())
        .sum::<usize>()
        / tweet_length.len();
    println!(
        "{} tweet-length replies, {mean_chars} characters on average",
        tweet_length.len()
    );
    let mut group = c.benchmark_group("tone");
    group.throughput(Throughput::Elements(tweet_length.len() as u64));
    group.bench_function("replies_alone", |b| {
        b.iter(|| {
            for (text, _) in &tweet_length {
                black_box(analyser.analyse(&ToneInput::new(text, Lang::Fr)));
            }
        })
    });
    group.bench_function("replies_with_customer_message", |b| {
        b.iter(|| {
            for (text, customer) in &tweet_length {
                black_box(analyser.analyse(&ToneInput {
                    customer: customer.as_deref(),
                    ..ToneInput::new(text, Lang::Fr)
                }));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, analyse);
criterion_main!(benches);
