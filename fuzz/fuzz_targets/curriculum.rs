//! Curriculum files, loaded with the scenarios they name, and the progress of a new trainee.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use libfuzzer_sys::fuzz_target;
use std::path::PathBuf;
use std::sync::OnceLock;

fuzz_target!(|data: &[u8]| {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    let dir = DIR.get_or_init(|| harness::curriculum_dir("fuzz-curriculum"));
    if let Ok(source) = std::str::from_utf8(data) {
        harness::curriculum(source, dir);
    }
});
