//! raleur: a training simulator for social-media customer care under crisis.
//!
//! [`engine`] is the pure simulation; [`cli`] is the headless shell around it; `desk`
//! (feature `desk`) is the console's screens as egui widgets, and `gui` (feature `gui`, on by
//! default) the Bevy window around them.

pub mod academy;
pub mod calibrate;
pub mod cli;
#[cfg(feature = "desk")]
pub mod desk;
pub mod engine;
pub mod exercise;
#[cfg(feature = "gui")]
pub mod gui;
pub mod score;
#[cfg(feature = "serve")]
pub mod serve;
pub mod tone;
