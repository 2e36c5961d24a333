//! The desk's text fields (trainee name, composer, signature) and intents (select, send,
//! transfer, wait, draw a frame), through the desk's own methods.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use arbitrary::Arbitrary;
use harness::desk::{DeskCase, DeskStep};
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
enum Step {
    Type(String),
    SignOff(String),
    Select(u32),
    TogglePrivate,
    Send,
    Transfer(u8, Vec<bool>),
    Wait(u16),
    Frame,
}

#[derive(Arbitrary, Debug)]
struct Input {
    trainee: String,
    english: bool,
    steps: Vec<Step>,
}

fuzz_target!(|input: Input| {
    let steps = input
        .steps
        .into_iter()
        .take(24)
        .map(|step| match step {
            Step::Type(text) => DeskStep::Type(text),
            Step::SignOff(text) => DeskStep::SignOff(text),
            Step::Select(n) => DeskStep::Select(n),
            Step::TogglePrivate => DeskStep::TogglePrivate,
            Step::Send => DeskStep::Send,
            Step::Transfer(service, ticks) => DeskStep::Transfer {
                service: usize::from(service),
                ticks,
            },
            Step::Wait(seconds) => DeskStep::Wait(seconds % 900),
            Step::Frame => DeskStep::Frame,
        })
        .collect();
    harness::desk::desk(&DeskCase {
        trainee: input.trainee,
        english: input.english,
        steps,
    });
});
