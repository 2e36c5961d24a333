//! Set-up shared by the integration tests.
// Each test crate uses only some of these.
#![allow(dead_code)]

use raleur::engine::scenario::{Lang, Scenario};
use raleur::engine::sim::{SessionConfig, Simulation};
use raleur::engine::{ReplyAnalyser, load_scenario};
use raleur::tone::ToneAnalyser;
use std::sync::Arc;

/// A bundled scenario, which must be valid.
pub fn bundled(path: &str) -> Arc<Scenario> {
    Arc::new(
        load_scenario(std::path::Path::new(path))
            .unwrap_or_else(|e| panic!("{path}: {e:?}"))
            .scenario,
    )
}

pub fn analyser() -> Arc<dyn ReplyAnalyser> {
    Arc::new(ToneAnalyser::bundled())
}

/// A French session with the scenario's own arrival rates.
pub fn session(seed: u64) -> SessionConfig {
    SessionConfig {
        seed,
        lang: Lang::Fr,
        customers_target: None,
    }
}

/// The session's state as a refused action must leave it: every customer (stage, details,
/// private conversation, wait, holder, anger), the messages and the counters; not the records.
pub fn state_fingerprint(sim: &Simulation) -> String {
    let customers: Vec<String> = sim
        .customers()
        .iter()
        .map(|c| {
            format!(
                "{:?}{}{}{:?}{:?}{}",
                c.stage,
                c.provided,
                c.dm_open,
                c.waiting_since,
                sim.holder(c.id),
                sim.anger(c.id).unwrap_or(f64::NAN)
            )
        })
        .collect();
    format!(
        "{} {} {:?}",
        sim.messages().len(),
        customers.join(","),
        sim.counters()
    )
}
