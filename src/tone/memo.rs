//! One analysis per reply for a whole run. The engine reads each reply as it is sent; the
//! debrief of the same run asks the same question of the same reply. A `Memo` answers the
//! second from the first: the report of an input already analysed is handed back as it was
//! (the analysis is a pure function of its input, so nothing else can differ).

use super::{ToneAnalyser, ToneInput, ToneReport};
use crate::engine::copy::TemplateShape;
use crate::engine::scenario::Lang;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hash, Hasher};
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
    /// Reports by the hash of their input; a bucket holds every input of that hash (one,
    /// unless two inputs collide), each checked field by field before its report is used.
    reports: Mutex<HashMap<u64, Bucket, BuildHasherDefault<WordHasher>>>,
}

/// The inputs of one hash with their reports.
type Bucket = Vec<(Key, ToneReport)>;

/// Everything a report depends on, owned.
struct Key {
    text: String,
    lang: Lang,
    public: bool,
    customer: Option<String>,
    customer_earlier: Vec<String>,
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
            customer_earlier: input
                .customer_earlier
                .iter()
                .map(|t| t.to_string())
                .collect(),
            earlier: input.earlier.iter().map(|t| t.to_string()).collect(),
            seen: input.seen.iter().map(|s| (*s).clone()).collect(),
            char_limit: input.char_limit,
            care_handles: input.care_handles.iter().map(|h| h.to_string()).collect(),
        }
    }

    /// Whether this is the key of that input, without making one.
    fn matches(&self, input: &ToneInput) -> bool {
        self.text == input.text
            && self.lang == input.lang
            && self.public == input.public
            && self.customer.as_deref() == input.customer
            && self
                .customer_earlier
                .iter()
                .map(String::as_str)
                .eq(input.customer_earlier.iter().copied())
            && self
                .earlier
                .iter()
                .map(String::as_str)
                .eq(input.earlier.iter().copied())
            && self.seen.iter().eq(input.seen.iter().copied())
            && self.char_limit == input.char_limit
            && self
                .care_handles
                .iter()
                .map(String::as_str)
                .eq(input.care_handles.iter().copied())
    }
}

/// The hash of everything a report depends on, read from the input where it is.
fn hash_of(input: &ToneInput) -> u64 {
    let mut hasher = WordHasher::default();
    input.text.hash(&mut hasher);
    (input.lang as u8, input.public, input.char_limit).hash(&mut hasher);
    input.customer.hash(&mut hasher);
    input.customer_earlier.hash(&mut hasher);
    input.earlier.hash(&mut hasher);
    input.seen.hash(&mut hasher);
    input.care_handles.hash(&mut hasher);
    hasher.finish()
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
        self.lock().values().map(Vec::len).sum()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// What `look` takes from the report of this input: the one made before, or a new one.
    pub fn read_with<R>(&self, input: &ToneInput, look: impl FnOnce(&ToneReport) -> R) -> R {
        let hash = hash_of(input);
        {
            let reports = self.lock();
            if let Some((_, report)) = reports
                .get(&hash)
                .and_then(|bucket| bucket.iter().find(|(key, _)| key.matches(input)))
            {
                return look(report);
            }
        }
        // Analysed without the lock: a run writes and reads its transcript on another thread
        // through this memo while the engine analyses the next replies.
        let report = self.analyser.analyse(input);
        let looked = look(&report);
        let mut reports = self.lock();
        let bucket = reports.entry(hash).or_default();
        // (another thread may have read the same input meanwhile: its report is this one)
        if !bucket.iter().any(|(key, _)| key.matches(input)) {
            bucket.push((Key::of(input), report));
        }
        looked
    }

    fn lock(
        &self,
    ) -> std::sync::MutexGuard<'_, HashMap<u64, Bucket, BuildHasherDefault<WordHasher>>> {
        // A poisoned lock only means another thread panicked mid-insert: the map is whole.
        self.reports.lock().unwrap_or_else(|e| e.into_inner())
    }
}

impl Reader for Memo {
    fn read(&self, input: &ToneInput) -> ToneReport {
        self.read_with(input, ToneReport::clone)
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
