//! Messages of a team exercise's wire, as the server reads a client's and a replica reads the
//! server's, against the tutorial played as an exercise.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(text) = std::str::from_utf8(data) {
        harness::exercise_wire(text);
    }
});
