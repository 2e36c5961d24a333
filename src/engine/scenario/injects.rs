//! The injects a facilitator may fire during a live exercise (`injects:`): a journalist's
//! article, an influencer's post, an outage update, a wave of one persona, a surge of
//! arrivals. Each is fired by an engine action (`Action::Inject`), so the transcript records
//! it and a replay fires it again at the same time.

use super::{EventKind, ScriptedPost, Text};
use serde::{Deserialize, Serialize};

/// Customers one wave may bring at most.
pub const MAX_WAVE_CUSTOMERS: u32 = 500;
/// The largest rate multiplier of a surge.
pub const MAX_SURGE_MULTIPLIER: f64 = 20.0;

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Inject {
    pub id: String,
    /// What it is, for the console's and the debrief's icons: `article`, `influencer`,
    /// `outage` or `other`.
    pub kind: EventKind,
    pub label: Text,
    /// What the facilitator reads before firing it.
    #[serde(default)]
    pub description: Option<Text>,
    /// Whether it may be fired more than once.
    #[serde(default)]
    pub repeatable: bool,
    /// Posts made when it fires; `at_min` counts minutes after the firing.
    #[serde(default)]
    pub posts: Vec<ScriptedPost>,
    #[serde(default)]
    pub wave: Option<Wave>,
    #[serde(default)]
    pub surge: Option<Surge>,
}

/// Customers of one persona arriving over the next minutes.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Wave {
    pub persona: String,
    /// Their request kind; absent: drawn by weight among the kinds open to the persona.
    #[serde(default)]
    pub kind: Option<String>,
    pub customers: u32,
    pub over_min: f64,
}

/// The arrival rate multiplied for a while from the firing (`rate_multiplier: 2.0` doubles it).
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Surge {
    pub rate_multiplier: f64,
    pub for_min: f64,
}
