//! What can go wrong on the console, for the screens to show and the window to report.

use crate::academy::store::StoreError;
use crate::engine::ScenarioError;
use crate::engine::sim::SessionError;
use std::path::PathBuf;

#[derive(Debug, thiserror::Error)]
pub enum DeskError {
    /// The scenario file does not load: every fault with its place, one per line.
    #[error("{}", lines(.0))]
    Scenario(Vec<ScenarioError>),
    /// The session cannot start on this scenario with these settings.
    #[error(transparent)]
    Session(#[from] SessionError),
    /// The academy's records cannot be opened or written.
    #[error(transparent)]
    Records(#[from] StoreError),
    /// A seat of a team exercise cannot be joined.
    #[error("cannot join the exercise: {0}")]
    Join(String),
    #[error("cannot encode the debrief: {0}")]
    Encode(#[from] serde_json::Error),
    #[error("{}: {source}", path.display())]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

fn lines(errors: &[ScenarioError]) -> String {
    errors
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}
