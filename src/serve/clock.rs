//! The servers' clock: every few milliseconds of wall-clock time, each running exercise moves
//! on by that much at its speed; every few seconds each sends the hash of its transcript so
//! far, and writes its seats' records.

use super::{Hub, LiveState};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Wall-clock time between two ticks.
pub const TICK: Duration = Duration::from_millis(100);
/// Ticks between two hashes (2 s).
const HASH_EVERY_TICKS: u64 = 20;

pub async fn run(hub: Arc<Hub>) {
    let mut interval = tokio::time::interval(TICK);
    interval.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Skip);
    let mut last = Instant::now();
    let mut count: u64 = 0;
    loop {
        interval.tick().await;
        let now = Instant::now();
        let real_ms = now.duration_since(last).as_secs_f64() * 1_000.0;
        last = now;
        count += 1;
        for live in hub.all() {
            let mut state = live.lock();
            let state: &mut LiveState = &mut state;
            if let Some(tick) = state.hosted.clock(real_ms)
                && let Err(error) = live.input(state, &tick)
            {
                eprintln!(
                    "raleur serve: exercise {} ended: {error}",
                    state.hosted.saved.id
                );
            }
            let records = state.hosted.exercise.sim().records().len() as u64;
            if count.is_multiple_of(HASH_EVERY_TICKS) && state.hashed_records != Some(records) {
                state.hashed_records = Some(records);
                let hash = state.hosted.exercise.hash_message();
                live.send(&hash);
            }
            state.records.tick(real_ms, &state.hosted.exercise);
        }
    }
}
