//! One analysis per reply for a whole run. The engine reads each reply as it is sent; the
//! debrief of the same run asks the same question of the same reply. A `Memo` answers the
//! second from the first: the report of an input already analysed is handed back as it was
//! (the analysis is a pure function of its input, so nothing else can differ).

use super::{ToneAnalyser, ToneInput, ToneReport};
use crate::engine::copy::TemplateShape;
use crate::engine::scenario::Lang;
use std::collections::HashMap;
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
    reports: Mutex<HashMap<Key, ToneReport>>,
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
            reports: Mutex::new(HashMap::new()),
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
        if let Some(report) = reports.get(&key) {
            return report.clone();
        }
        let report = self.analyser.analyse(input);
        reports.insert(key, report.clone());
        report
    }

    fn analyser(&self) -> &ToneAnalyser {
        &self.analyser
    }
}
