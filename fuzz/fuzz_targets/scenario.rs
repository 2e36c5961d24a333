//! Scenario files: bytes, validated, planned, then a few simulated minutes with each scripted
//! team, the transcript read back and scored.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(source) = std::str::from_utf8(data) {
        harness::scenario(source);
    }
});
