//! Team exercises over the network, without the network: what an exercise is (`spec`), the
//! messages of its protocol (`wire`, docs/protocol.md), the server's deciding copy
//! (`authority`) and how it is hosted and kept on disk (`hosted`, `files`), a client's
//! replica (`replica`) and its end of the wire (`client`). `raleur serve` (module `serve`)
//! is the tokio and axum shell around `hosted`.

pub mod authority;
pub mod bot;
pub mod client;
pub mod codes;
pub mod files;
pub mod hosted;
pub mod notes;
pub mod replica;
pub mod spec;
pub mod view;
pub mod wire;

pub use authority::{Exercise, Input, Outcome};
pub use hosted::{Hosted, Role};
pub use replica::{Applied, Replica, ReplicaError};
pub use spec::{ExerciseMode, ExerciseSpec, SeatSpec};
pub use wire::{Acted, ClientMessage, ServerMessage, Status, Welcome};
