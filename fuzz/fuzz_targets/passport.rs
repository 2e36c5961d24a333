//! `passport verify` on any string, and on any payload the trusted academy's key signed
//! (a genuine credential forged at up to four places), with any transcript in the folder.
#![no_main]

#[path = "../../tests/harness/mod.rs"]
mod harness;

use arbitrary::{Arbitrary, Unstructured};
use libfuzzer_sys::fuzz_target;
use serde_json::Value;
use std::sync::OnceLock;

#[derive(Arbitrary, Debug)]
enum Forged {
    Null,
    Bool(bool),
    Int(i64),
    Unsigned(u64),
    Float(f64),
    Text(String),
    List,
    Object,
    Date(u8),
}

impl Forged {
    fn value(&self) -> Value {
        const DATES: [&str; 4] = [
            "2026-13-45T99:99:99Z",
            "9999-12-31T23:59:59Z",
            "0000-01-01T00:00:00Z",
            "2026-11-30T09:00:00+14:00",
        ];
        match self {
            Forged::Null => Value::Null,
            Forged::Bool(b) => Value::from(*b),
            Forged::Int(n) => Value::from(*n),
            Forged::Unsigned(n) => Value::from(*n),
            Forged::Float(x) => Value::from(*x),
            Forged::Text(t) => Value::from(t.as_str()),
            Forged::List => serde_json::json!([]),
            Forged::Object => serde_json::json!({}),
            Forged::Date(i) => Value::from(DATES[usize::from(*i) % DATES.len()]),
        }
    }
}

#[derive(Arbitrary, Debug)]
struct Edit {
    path: Vec<u8>,
    value: Option<Forged>,
}

#[derive(Arbitrary, Debug)]
enum Input {
    Text(String),
    Signed {
        edits: Vec<Edit>,
        transcript: Option<String>,
        point_at_transcript: bool,
    },
}

fuzz_target!(|data: &[u8]| {
    static BENCH: OnceLock<(harness::PassportBench, Value, String)> = OnceLock::new();
    let (bench, payload, transcript) = BENCH.get_or_init(|| {
        let bench = harness::PassportBench::new("fuzz-passport");
        let (payload, transcript) = harness::sample_credential(&bench);
        (bench, payload, transcript)
    });
    let Ok(input) = Input::arbitrary_take_rest(Unstructured::new(data)) else {
        return;
    };
    match input {
        Input::Text(text) => harness::passport_text(bench, &text),
        Input::Signed {
            edits,
            transcript: forged_transcript,
            point_at_transcript,
        } => {
            let mut forged = payload.clone();
            for edit in edits.iter().take(4) {
                let path: Vec<usize> = edit.path.iter().take(6).map(|i| usize::from(*i)).collect();
                let change = match &edit.value {
                    Some(value) => harness::JsonEdit::Replace(path.clone(), value.value()),
                    None => harness::JsonEdit::Remove(path.clone()),
                };
                harness::edit_json(&mut forged, &path, &change);
            }
            let text = forged_transcript.unwrap_or_else(|| transcript.clone());
            if point_at_transcript {
                let original = raleur::engine::transcript::sha256_hex(transcript.as_bytes());
                let sha = raleur::engine::transcript::sha256_hex(text.as_bytes());
                let renamed = forged.to_string().replace(&original, &sha);
                forged = serde_json::from_str(&renamed).unwrap_or(forged);
            }
            harness::passport_signed(bench, &forged, &[text]);
        }
    }
});
