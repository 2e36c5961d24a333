//! Transcripts as `raleur score` and `raleur replay` read them, against the tutorial.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;
use std::sync::{Arc, OnceLock};

fuzz_target!(|data: &[u8]| {
    static TUTORIAL: OnceLock<Arc<raleur::engine::Scenario>> = OnceLock::new();
    let tutorial = TUTORIAL.get_or_init(|| harness::bundled_scenario("tutorial.ron"));
    if let Ok(text) = std::str::from_utf8(data) {
        harness::transcript(text, tutorial);
    }
});
