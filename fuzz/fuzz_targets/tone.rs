//! The reply analyser on any reply, customer message, language, channel side and earlier
//! replies (`raleur tone`, the desk's hint line, the scorer).
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Input {
    reply: String,
    customer: Option<String>,
    english: bool,
    public: bool,
    earlier: Vec<String>,
    limit: Option<u16>,
}

fuzz_target!(|input: Input| {
    harness::tone(&harness::ToneCase {
        reply: input.reply,
        customer: input.customer,
        english: input.english,
        public: input.public,
        earlier: input.earlier.into_iter().take(4).collect(),
        limit: input.limit.map(usize::from),
    });
});
