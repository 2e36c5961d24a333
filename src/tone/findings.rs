//! Findings as they are found, one of each id with its first evidence, and the report they
//! make: the flags and the politeness score.

use super::lexicon::FindingId;
use super::{Finding, Flags, RegisterReading, ToneAnalyser, ToneReport};
use crate::engine::copy::TemplateShape;

pub(super) struct ReportParts {
    pub(super) shape: TemplateShape,
    pub(super) humour: bool,
    pub(super) explains_private: bool,
    pub(super) mentions_care: bool,
    pub(super) register: RegisterReading,
    pub(super) customer_register: Option<RegisterReading>,
}

/// Findings as they are found: one of each id, its first evidence.
pub(super) struct Findings<'a> {
    analyser: &'a ToneAnalyser,
    list: Vec<Finding>,
}

impl<'a> Findings<'a> {
    pub(super) fn new(analyser: &'a ToneAnalyser) -> Findings<'a> {
        Findings {
            analyser,
            list: Vec::with_capacity(12),
        }
    }

    pub(super) fn add(&mut self, id: FindingId, start: usize, end: usize) {
        if self.list.iter().all(|f| f.id != id) {
            let severity = self.analyser.lexicon.explanation(id).severity;
            self.list.push(Finding {
                id,
                start,
                end,
                severity,
            });
        }
    }

    pub(super) fn get(&self, id: FindingId) -> Option<Finding> {
        self.list.iter().find(|f| f.id == id).copied()
    }

    pub(super) fn remove(&mut self, id: FindingId) {
        self.list.retain(|f| f.id != id);
    }

    pub(super) fn finish(mut self, parts: ReportParts) -> ToneReport {
        let lexicon = &self.analyser.lexicon;
        self.list.sort_by_key(|f| (f.start, f.end, f.id));
        let has = |id| self.list.iter().any(|f| f.id == id);
        let flags = Flags {
            greeting: has(FindingId::Greeting),
            thanks: has(FindingId::Thanks),
            apology: has(FindingId::Apology),
            empathy: has(FindingId::Empathy),
            next_step: has(FindingId::NextStep),
            dm_invitation: has(FindingId::DmInvitation),
            asks_personal_data: has(FindingId::AsksPersonalData),
            personal_data_public: has(FindingId::PersonalDataPublic),
            contains_personal_data: has(FindingId::CardNumber)
                || has(FindingId::Iban)
                || has(FindingId::PhoneNumber)
                || has(FindingId::EmailAddress),
            tutoiement: has(FindingId::Tutoiement),
            vouvoiement: has(FindingId::Vouvoiement),
            signed: has(FindingId::Signed),
            blame: has(FindingId::Blame),
            insult: has(FindingId::Insult),
            shouting: has(FindingId::Shouting),
        };
        let sum: f64 = self
            .list
            .iter()
            .filter_map(|f| lexicon.politeness.weights.get(&f.id))
            .sum();
        let politeness = 50.0 + 50.0 * libm::tanh(sum / lexicon.politeness.scale);
        ToneReport {
            flags,
            findings: self.list,
            politeness: politeness.round().clamp(0.0, 100.0) as u8,
            humour: parts.humour,
            explains_private: parts.explains_private,
            mentions_care: parts.mentions_care,
            register: parts.register,
            customer_register: parts.customer_register,
            shape: parts.shape,
        }
    }
}
