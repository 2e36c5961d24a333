//! What the analyser is given and what it gives back: the input, the flags, the findings and
//! the report, with the shapes `raleur tone` prints.

use super::lexicon::{FindingId, Severity};
use crate::engine::Lang;
use crate::engine::copy::TemplateShape;
use serde::Serialize;

/// One reply to analyse, with what is known around it.
#[derive(Clone, Copy)]
pub struct ToneInput<'a> {
    pub text: &'a str,
    pub lang: Lang,
    pub public: bool,
    /// The customer message the reply answers.
    pub customer: Option<&'a str>,
    /// The customer's earlier messages in the conversation, oldest first (see
    /// `engine::ReplyContext::customer_earlier`).
    pub customer_earlier: &'a [&'a str],
    /// The trainee's earlier replies this one could be a copy of, as texts...
    pub earlier: &'a [&'a str],
    /// ...or as the templates already read (`engine::copy::candidates`).
    pub seen: &'a [&'a TemplateShape],
    /// The channel's character limit, when known.
    pub char_limit: Option<usize>,
    /// The brand's customer-care handles ("@Telvia_Client"), to spot a redirection.
    pub care_handles: &'a [&'a str],
}

impl<'a> ToneInput<'a> {
    pub fn new(text: &'a str, lang: Lang) -> ToneInput<'a> {
        ToneInput {
            text,
            lang,
            public: true,
            customer: None,
            customer_earlier: &[],
            earlier: &[],
            seen: &[],
            char_limit: None,
            care_handles: &[],
        }
    }
}

/// The flags of `raleur tone`, with exactly these names (scripts depend on them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flags {
    pub greeting: bool,
    pub thanks: bool,
    pub apology: bool,
    pub empathy: bool,
    pub next_step: bool,
    pub dm_invitation: bool,
    pub asks_personal_data: bool,
    pub personal_data_public: bool,
    pub contains_personal_data: bool,
    pub tutoiement: bool,
    pub vouvoiement: bool,
    pub signed: bool,
    pub blame: bool,
    pub insult: bool,
    pub shouting: bool,
}

impl Flags {
    pub const NAMES: [&'static str; 15] = [
        "greeting",
        "thanks",
        "apology",
        "empathy",
        "next_step",
        "dm_invitation",
        "asks_personal_data",
        "personal_data_public",
        "contains_personal_data",
        "tutoiement",
        "vouvoiement",
        "signed",
        "blame",
        "insult",
        "shouting",
    ];

    pub fn get(&self, name: &str) -> Option<bool> {
        Some(match name {
            "greeting" => self.greeting,
            "thanks" => self.thanks,
            "apology" => self.apology,
            "empathy" => self.empathy,
            "next_step" => self.next_step,
            "dm_invitation" => self.dm_invitation,
            "asks_personal_data" => self.asks_personal_data,
            "personal_data_public" => self.personal_data_public,
            "contains_personal_data" => self.contains_personal_data,
            "tutoiement" => self.tutoiement,
            "vouvoiement" => self.vouvoiement,
            "signed" => self.signed,
            "blame" => self.blame,
            "insult" => self.insult,
            "shouting" => self.shouting,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    pub id: FindingId,
    /// Byte span of the evidence in the reply.
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
}

/// How familiar a text sounds: 0 formal or neutral, 1 relaxed (emoticons, slang), 2 or more
/// familiar (tutoiement).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegisterReading {
    pub familiarity: u8,
    pub tutoiement: bool,
    pub vouvoiement: bool,
    /// Capitals, "!!!", insults: a virulent message calls for a formal answer.
    pub virulent: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ToneReport {
    pub flags: Flags,
    /// Sorted by span, then id.
    pub findings: Vec<Finding>,
    /// 0 to 100, 50 neutral.
    pub politeness: u8,
    pub humour: bool,
    pub explains_private: bool,
    pub mentions_care: bool,
    pub register: RegisterReading,
    pub customer_register: Option<RegisterReading>,
    /// The reply's template, for the copy rule (`engine::copy`).
    pub shape: TemplateShape,
}

impl ToneReport {
    pub fn has(&self, id: FindingId) -> bool {
        self.findings.iter().any(|f| f.id == id)
    }
}

/// A finding with its explanation, as `raleur tone` and `raleur score` print it.
#[derive(Clone, Debug, Serialize)]
pub struct ExplainedFinding<'a> {
    pub id: FindingId,
    /// Byte span `[start, end)` of the evidence in the reply.
    pub span: [usize; 2],
    pub severity: Severity,
    pub message: &'a str,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct ToneScores {
    pub politeness: u8,
}

/// One line of `raleur tone --json` / `--jsonl`.
#[derive(Clone, Debug, Serialize)]
pub struct ToneJson<'a> {
    pub scores: ToneScores,
    pub flags: Flags,
    pub findings: Vec<ExplainedFinding<'a>>,
}
