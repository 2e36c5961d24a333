//! The academy: a curriculum of levels, every trainee's sessions recorded in SQLite as they
//! are played, and a signed digital passport anyone can verify offline. No Bevy; the wall
//! clock and the operating system's randomness are used here (dates, keys), never in the
//! engine.

pub mod certificate;
pub mod curriculum;
pub mod passport;
pub mod play;
pub mod progress;
pub mod store;

pub use curriculum::Curriculum;
pub use progress::{LevelState, Progress, progress};
pub use store::{Recorder, SessionMode, Store};
