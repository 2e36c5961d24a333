//! raleur: a training simulator for social-media customer care under crisis.
//!
//! [`engine`] is the pure simulation; [`cli`] is the headless shell around it.

pub mod calibrate;
pub mod cli;
pub mod engine;
pub mod score;
pub mod tone;
