//! The analyser's data: cue phrases, politeness weights and the explanation of each finding,
//! in `assets/tone/lexicon.ron` (documented in `docs/tone.md`). Trainers extend the phrase
//! lists there; the code only knows the categories.

use crate::engine::Lang;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// A category of phrases. The analyser combines them with rules (a data noun and a request in
/// one sentence make a request for personal data, an apology and a wait word an apology for
/// the wait...).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Cue {
    Greeting,
    Thanks,
    Please,
    Apology,
    Wait,
    Empathy,
    Reassurance,
    NextStep,
    Dm,
    ExplainsPrivate,
    DataNoun,
    Request,
    Negation,
    OwnPossessive,
    ServiceLine,
    Blame,
    Insult,
    Humour,
    Hedge,
    Deference,
    Indirect,
    DirectQuestion,
    Negative,
    Familiar,
    Closing,
    Positive,
    Factual,
    DirectStart,
    FirstPerson,
}

/// Everything the analyser reports on. The ids are stable: scripts and saved debriefs use them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingId {
    Greeting,
    Thanks,
    Please,
    Apology,
    ApologyWait,
    Empathy,
    Reassurance,
    NextStep,
    SoftenedRequest,
    Goodwill,
    PositiveWording,
    PersonalVoice,
    Vouvoiement,
    Tutoiement,
    TutoiementUnmatched,
    AddressMixed,
    Signed,
    Unsigned,
    RegisterMatched,
    RegisterTooFamiliar,
    Humour,
    DmInvitation,
    ExplainsPrivate,
    AsksPersonalData,
    PersonalDataPublic,
    CardNumber,
    Iban,
    PhoneNumber,
    EmailAddress,
    Blame,
    Insult,
    Shouting,
    Emphatic,
    BluntQuestion,
    BluntOpening,
    NegativeWording,
    OverLimit,
    Generic,
    Copy,
}

impl FindingId {
    pub const COUNT: usize = FindingId::Copy as usize + 1;
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    /// Something done well.
    Good,
    /// Worth knowing, neither good nor bad in itself.
    Note,
    Minor,
    Major,
    /// Never acceptable: an insult, personal data exposed.
    Critical,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CueList {
    pub cue: Cue,
    /// Phrases in any language (code-switching is common: "sorry", "ok").
    #[serde(default)]
    pub any: Vec<String>,
    #[serde(default)]
    pub fr: Vec<String>,
    #[serde(default)]
    pub en: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Explanation {
    pub severity: Severity,
    pub fr: String,
    pub en: String,
}

impl Explanation {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

/// How much each finding moves the politeness score, and how fast the score saturates.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Politeness {
    /// Points per finding; the sum `s` gives `50 + 50 * tanh(s / scale)`.
    pub weights: BTreeMap<FindingId, f64>,
    pub scale: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Lexicon {
    pub cues: Vec<CueList>,
    /// Capitalised words that are not shouting: SAV, MP, IBAN, SNCF...
    pub acronyms: Vec<String>,
    /// Shared mailboxes of a company (contact@, sav@): their addresses are not personal data.
    pub role_mailboxes: Vec<String>,
    /// Words too common to show that a reply refers to the customer's message.
    pub stopwords: Vec<String>,
    pub politeness: Politeness,
    pub findings: BTreeMap<FindingId, Explanation>,
}

pub const BUNDLED: &str = include_str!("../../assets/tone/lexicon.ron");

#[derive(Debug)]
pub struct LexiconError(pub String);

impl std::fmt::Display for LexiconError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

impl Lexicon {
    /// Reads a lexicon; `origin` names the file in errors.
    pub fn parse(source: &str, origin: &str) -> Result<Lexicon, LexiconError> {
        let lexicon: Lexicon = ron::from_str(source).map_err(|e| {
            LexiconError(format!(
                "{origin}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            ))
        })?;
        let missing: Vec<String> = all_findings()
            .filter(|id| !lexicon.findings.contains_key(id))
            .map(|id| format!("{id:?}"))
            .collect();
        if !missing.is_empty() {
            return Err(LexiconError(format!(
                "{origin}: findings without an explanation: {}",
                missing.join(", ")
            )));
        }
        if !(lexicon.politeness.scale.is_finite() && lexicon.politeness.scale > 0.0) {
            return Err(LexiconError(format!(
                "{origin}: politeness.scale must be a positive number"
            )));
        }
        if let Some((id, _)) = lexicon
            .politeness
            .weights
            .iter()
            .find(|(_, w)| !w.is_finite())
        {
            return Err(LexiconError(format!(
                "{origin}: politeness weight of {id:?} is not a number"
            )));
        }
        for list in &lexicon.cues {
            if let Some(empty) = list
                .any
                .iter()
                .chain(&list.fr)
                .chain(&list.en)
                .find(|p| p.trim_matches(['*', ' ']).is_empty())
            {
                return Err(LexiconError(format!(
                    "{origin}: cue {:?} has an empty phrase {empty:?}",
                    list.cue
                )));
            }
        }
        Ok(lexicon)
    }

    pub fn bundled() -> Lexicon {
        // The file is compiled in and checked by a test: failing here is a build defect.
        Lexicon::parse(BUNDLED, "assets/tone/lexicon.ron").expect("bundled lexicon is valid")
    }

    pub fn explanation(&self, id: FindingId) -> &Explanation {
        &self.findings[&id]
    }
}

/// A cue list's phrases with the language each is for (none: any), in the file's order.
pub fn tagged<'a>(
    any: &'a [String],
    fr: &'a [String],
    en: &'a [String],
) -> impl Iterator<Item = (&'a String, Option<Lang>)> {
    any.iter()
        .map(|p| (p, None))
        .chain(fr.iter().map(|p| (p, Some(Lang::Fr))))
        .chain(en.iter().map(|p| (p, Some(Lang::En))))
}

pub fn all_findings() -> impl Iterator<Item = FindingId> {
    ALL_FINDINGS.into_iter()
}

const ALL_FINDINGS: [FindingId; FindingId::COUNT] = [
    FindingId::Greeting,
    FindingId::Thanks,
    FindingId::Please,
    FindingId::Apology,
    FindingId::ApologyWait,
    FindingId::Empathy,
    FindingId::Reassurance,
    FindingId::NextStep,
    FindingId::SoftenedRequest,
    FindingId::Goodwill,
    FindingId::PositiveWording,
    FindingId::PersonalVoice,
    FindingId::Vouvoiement,
    FindingId::Tutoiement,
    FindingId::TutoiementUnmatched,
    FindingId::AddressMixed,
    FindingId::Signed,
    FindingId::Unsigned,
    FindingId::RegisterMatched,
    FindingId::RegisterTooFamiliar,
    FindingId::Humour,
    FindingId::DmInvitation,
    FindingId::ExplainsPrivate,
    FindingId::AsksPersonalData,
    FindingId::PersonalDataPublic,
    FindingId::CardNumber,
    FindingId::Iban,
    FindingId::PhoneNumber,
    FindingId::EmailAddress,
    FindingId::Blame,
    FindingId::Insult,
    FindingId::Shouting,
    FindingId::Emphatic,
    FindingId::BluntQuestion,
    FindingId::BluntOpening,
    FindingId::NegativeWording,
    FindingId::OverLimit,
    FindingId::Generic,
    FindingId::Copy,
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_lexicon_is_complete() {
        let lexicon = Lexicon::bundled();
        for (i, id) in all_findings().enumerate() {
            assert_eq!(id as usize, i);
            assert!(!lexicon.explanation(id).fr.is_empty());
            assert!(!lexicon.explanation(id).en.is_empty());
        }
    }

    #[test]
    fn errors_name_the_place() {
        let error = Lexicon::parse("(cues: [(cue: shouty)])", "x.ron").unwrap_err();
        assert!(error.0.starts_with("x.ron:1:"), "{}", error.0);
    }
}
