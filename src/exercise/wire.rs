//! The messages of the exercise protocol (docs/protocol.md), one JSON object per WebSocket
//! text message, tagged by `type`.

use super::spec::{ExerciseMode, ExerciseSpec};
use crate::engine::action::Action;
use crate::engine::ids::SeatId;
use serde::{Deserialize, Serialize};

/// The protocol's version, sent in `hello` and `welcome`.
pub const PROTOCOL: u32 = 2;
/// The largest message a client may send, in bytes (a reply is at most a few thousand). A
/// larger one is refused with an error and the connection goes on.
pub const MAX_CLIENT_MESSAGE_BYTES: usize = 64 * 1024;
/// Beyond this the server does not even read a message: it closes the connection (1009).
pub const MAX_READ_BYTES: usize = 16 * 1024 * 1024;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case", deny_unknown_fields)]
pub enum ClientMessage {
    /// The first message: who the client is. Nothing else is read before it.
    Hello { protocol: u32, code: String },
    /// An action of the client's seat. `ref` comes back in the `acted` or `refused` answer.
    Act {
        #[serde(rename = "ref")]
        reference: u64,
        action: Action,
    },
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum ServerMessage {
    Welcome(Box<Welcome>),
    /// Simulated time has reached `t_ms`: every event up to it has happened.
    Tick {
        t_ms: u64,
    },
    Acted(Acted),
    /// The transcript so far (header and `records` events) hashes to `sha256`.
    Hash {
        t_ms: u64,
        records: u64,
        sha256: String,
    },
    /// The exercise was started, paused, resumed, sped up or ended.
    State {
        status: Status,
        speed: u32,
    },
    /// The action `ref` of this client was refused; nothing changed (but a recorded collision).
    Refused {
        #[serde(rename = "ref")]
        reference: u64,
        code: String,
        fr: String,
        en: String,
    },
    /// The client's message was not understood or not allowed; nothing changed.
    Error {
        code: String,
        message: String,
    },
}

/// Everything a client needs to build its replica: the exercise's definition, the actions so
/// far, and where the clock is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Welcome {
    pub protocol: u32,
    pub exercise: String,
    /// The seat this client acts as; none for an observer or the facilitator.
    pub seat: Option<SeatId>,
    pub spec: WelcomeSpec,
    pub scenario_sha256: String,
    /// The reply analyser the server scores with: a replica needs the same.
    pub analyser: String,
    pub status: Status,
    pub speed: u32,
    pub now_ms: u64,
    /// Every action so far, in order.
    pub actions: Vec<Acted>,
}

/// The exercise's definition as sent to clients (the spec less nothing: codes live apart).
pub type WelcomeSpec = ExerciseSpec;

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Acted {
    /// 1 for the exercise's first action, then each next; a gap means a message was lost.
    pub n: u64,
    pub t_ms: u64,
    /// The seat that acted; none for the facilitator's injects and posts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub seat: Option<SeatId>,
    /// The client's reference, on the answer to a person's action.
    #[serde(rename = "ref", default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<u64>,
    pub action: Action,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// Created, the clock not started: clients may join and look.
    Waiting,
    Running,
    Paused,
    Ended,
}

impl ServerMessage {
    pub fn to_json(&self) -> String {
        // Plain data with string keys: encoding cannot fail.
        serde_json::to_string(self).unwrap_or_default()
    }
}

impl ExerciseMode {
    pub fn name(self) -> &'static str {
        match self {
            ExerciseMode::Training => "training",
            ExerciseMode::Exam => "exam",
        }
    }
}
