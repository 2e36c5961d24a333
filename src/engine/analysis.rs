//! How the engine reads the trainee's replies: a trait. The engine only needs a few facts
//! about a reply to make customers react (was it an acknowledgement, an apology, a DM
//! invitation...); the analyser itself lives in [`crate::tone`].

use super::copy::TemplateShape;
use super::scenario::Lang;
use serde::{Deserialize, Serialize};

pub struct ReplyContext<'a> {
    pub text: &'a str,
    pub lang: Lang,
    pub public: bool,
    /// The customer's latest message, if any.
    pub customer_message: Option<&'a str>,
    /// The customer's earlier messages in the conversation, oldest first: a reply that
    /// takes up their first message answers them as much as one that takes up the last.
    pub customer_earlier: &'a [&'a str],
    /// The brand's customer-care handles, to spot a redirection from the corporate account.
    pub care_handles: &'a [&'a str],
    /// The templates the customer has seen (`copy::candidates`), and the place's character
    /// limit: the engine judges copies and lengths itself, but handing the analyser what the
    /// debrief will hand it lets one reading serve both (`tone::memo`).
    pub seen: &'a [&'a TemplateShape],
    pub char_limit: Option<usize>,
}

/// What the engine needs to know about one reply. Serialised into the transcript.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ReplyFlags {
    pub greeting: bool,
    pub thanks: bool,
    pub apology: bool,
    /// Shows someone is on it: "je m'en occupe", "je transmets", "un conseiller revient vers vous".
    pub next_step: bool,
    pub dm_invitation: bool,
    /// Says why the conversation must go private (personal data, security).
    pub explains_private: bool,
    pub asks_personal_data: bool,
    pub tutoiement: bool,
    pub vouvoiement: bool,
    pub signed: bool,
    pub humour: bool,
    pub blame: bool,
    pub mentions_care: bool,
}

impl ReplyFlags {
    /// Anything that shows the customer they are taken in charge.
    pub fn acknowledges(&self) -> bool {
        self.thanks || self.apology || self.next_step || self.dm_invitation
    }
}

/// One reading of a reply: its flags and its template.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ReplyReading {
    pub flags: ReplyFlags,
    /// The reply with names, handles, numbers and the signature masked, for the copy rule.
    pub shape: TemplateShape,
    /// Whether it copies one of the replies the customer has seen (`copy::is_copy` over
    /// `ReplyContext::seen`).
    pub copy: bool,
}

/// When a statement promises its next update: in so many minutes, or at a time of day (the
/// scenario's clock).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum NextUpdate {
    InMinutes(u32),
    At { hour: u8, minute: u8 },
}

/// What the engine needs to know about a brand statement (a post to the whole community, not
/// an answer to one customer). Serialised into the transcript.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct StatementFlags {
    /// Names the problem: "incident", "panne", "we are aware".
    pub acknowledges: bool,
    pub apology: bool,
    /// Says what is being done: "nos équipes sont mobilisées".
    pub action: bool,
    /// Promises the next update, and when.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub next_update: Option<NextUpdate>,
    /// Promises what nobody can promise in a crisis: a time of repair, "guaranteed", "never again".
    pub unkeepable_promise: bool,
    /// Blames someone: a contractor, the weather, the customers.
    pub blame: bool,
    /// Denies the problem: "aucune panne", "nothing is wrong".
    pub denial: bool,
    pub legalese: bool,
}

impl StatementFlags {
    /// Blame or denial: a statement that feeds the fire instead of calming it.
    pub fn is_bad(&self) -> bool {
        self.blame || self.denial
    }

    /// How much the statement reassures its readers, 0 to 1: naming the problem and what is
    /// being done weigh most, then the promised update and the apology; legalese and a
    /// promise that cannot be kept take away; a bad statement reassures nobody. The engine
    /// makes customers react by it and the debrief scores by it (docs/scoring.md).
    pub fn quality(&self) -> f64 {
        if self.is_bad() {
            return 0.0;
        }
        let mut quality = 0.3 * f64::from(u8::from(self.acknowledges))
            + 0.3 * f64::from(u8::from(self.action))
            + 0.25 * f64::from(u8::from(self.next_update.is_some()))
            + 0.15 * f64::from(u8::from(self.apology));
        if self.legalese {
            quality -= 0.2;
        }
        if self.unkeepable_promise {
            quality -= 0.4;
        }
        quality.clamp(0.0, 1.0)
    }
}

pub trait ReplyAnalyser: Send + Sync {
    /// Reads a reply once for everything the engine needs.
    fn analyse(&self, context: &ReplyContext) -> ReplyReading;

    /// Reads a brand statement by its own rules (`tone::statement`).
    fn read_statement(&self, text: &str, lang: Lang) -> StatementFlags;

    /// Names the analyser and its data, recorded in transcripts: a replay needs the same one.
    fn id(&self) -> String;
}
