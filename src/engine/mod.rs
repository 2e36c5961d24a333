//! The crisis engine: pure and deterministic. Scenario, seed and trainee actions in,
//! transcript out. No Bevy, no wall clock, no OS randomness, no hash-order dependence.

pub mod action;
pub mod analysis;
pub mod colleagues;
pub mod copy;
pub mod direction;
pub mod ids;
pub mod load;
pub mod names;
pub mod plan;
pub mod policy;
pub mod rng;
pub mod run;
pub mod scenario;
pub mod seats;
pub mod sim;
pub mod speech;
pub mod style;
pub mod template;
pub mod transcript;

pub use action::{Action, ActionError};
pub use analysis::{
    NextUpdate, ReplyAnalyser, ReplyContext, ReplyFlags, ReplyReading, StatementFlags,
};
pub use ids::{CustomerId, MessageId};
pub use load::{ScenarioError, load_scenario, parse_scenario};
pub use policy::{PolicyConfig, PolicyKind, ScriptedTrainee};
pub use run::{
    RunOutcome, RunSpec, ScriptedTeam, Summary, TranscriptPart, replay, run, run_handing_out,
    run_team_handing_out, summarise,
};
pub use scenario::{Lang, Scenario};
pub use sim::{SessionConfig, Simulation};
pub use transcript::{Event, Header, Record};
