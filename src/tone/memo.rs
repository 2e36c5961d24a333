//! One analysis per reply for a whole run. The engine reads each reply as it is sent; the
//! debrief of the same run asks the same question of the same reply. A `Memo` answers the
//! second from the first: the report of an input already analysed is handed back as it was
//! (the analysis is a pure function of its input, so nothing else can differ).

use super::{ToneAnalyser, ToneInput, ToneReport};
use crate::engine::copy::TemplateShape;
use crate::engine::scenario::Lang;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::{Arc, Mutex};

/// Reads replies: the analyser itself, or a memo around it.
pub trait Reader {
    fn read(&self, input: &ToneInput) -> ToneReport;
    /// The analyser, for what is not a reading (explaining findings).
    fn analyser(&self) -> &ToneAnalyser;
}

impl Reader for ToneAnalyser {
    fn read(&self, input: &ToneInput) -> ToneReport {
        self.analyse(input)
    }

    fn analyser(&self) -> &ToneAnalyser {
        self
    }
}

impl<T: Reader + ?Sized> Reader for Arc<T> {
    fn read(&self, input: &ToneInput) -> ToneReport {
        (**self).read(input)
    }

    fn analyser(&self) -> &ToneAnalyser {
        (**self).analyser()
    }
}

/// An analyser that keeps every report it made, for one run and its debrief.
pub struct Memo {
    analyser: Arc<ToneAnalyser>,
    reports: Mutex<HashMap<Key, ToneReport, BuildHasherDefault<WordHasher>>>,
}

/// Everything a report depends on, owned.
#[derive(PartialEq, Eq, Hash)]
struct Key {
    text: String,
    lang: Lang,
    public: bool,
    customer: Option<String>,
    earlier: Vec<String>,
    seen: Vec<TemplateShape>,
    char_limit: Option<usize>,
    care_handles: Vec<String>,
}

impl Key {
    fn of(input: &ToneInput) -> Key {
        Key {
            text: input.text.to_string(),
            lang: input.lang,
            public: input.public,
            customer: input.customer.map(str::to_string),
            earlier: input.earlier.iter().map(|t| t.to_string()).collect(),
            seen: input.seen.iter().map(|s| (*s).clone()).collect(),
            char_limit: input.char_limit,
            care_handles: input.care_handles.iter().map(|h| h.to_string()).collect(),
        }
    }
}

impl Memo {
    pub fn new(analyser: Arc<ToneAnalyser>) -> Memo {
        Memo {
            analyser,
            reports: Mutex::new(HashMap::default()),
        }
    }

    /// Reports made once and handed back since.
    pub fn len(&self) -> usize {
        self.reports.lock().map_or(0, |r| r.len())
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}

impl Reader for Memo {
    fn read(&self, input: &ToneInput) -> ToneReport {
        let key = Key::of(input);
        // A poisoned lock only means another thread panicked mid-insert: the map is whole.
        let mut reports = self.reports.lock().unwrap_or_else(|e| e.into_inner());
        reports
            .entry(key)
            .or_insert_with(|| self.analyser.analyse(input))
            .clone()
    }

    fn analyser(&self) -> &ToneAnalyser {
        &self.analyser
    }
}

/// A multiply-rotate hash a word at a time (the Fx hash of rustc): the keys are long (the
/// templates seen weigh kilobytes) and come from the engine itself, so SipHash's defence
/// against chosen keys buys nothing here and costs most of a lookup.
#[derive(Default)]
struct WordHasher {
    hash: u64,
}

impl WordHasher {
    const SEED: u64 = 0x51_7c_c1_b7_27_22_0a_95;

    fn add(&mut self, word: u64) {
        self.hash = (self.hash.rotate_left(5) ^ word).wrapping_mul(Self::SEED);
    }
}

impl Hasher for WordHasher {
    fn write(&mut self, bytes: &[u8]) {
        let mut chunks = bytes.chunks_exact(8);
        for chunk in &mut chunks {
            let mut word = [0u8; 8];
            word.copy_from_slice(chunk);
            self.add(u64::from_le_bytes(word));
        }
        let mut last = [0u8; 8];
        let rest = chunks.remainder();
        last[..rest.len()].copy_from_slice(rest);
        self.add(u64::from_le_bytes(last));
    }

    fn write_u64(&mut self, word: u64) {
        self.add(word);
    }

    fn write_usize(&mut self, word: usize) {
        self.add(word as u64);
    }

    fn finish(&self) -> u64 {
        self.hash
    }
}
