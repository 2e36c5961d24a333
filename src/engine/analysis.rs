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

pub trait ReplyAnalyser: Send + Sync {
    /// Reads a reply once for everything the engine needs.
    fn analyse(&self, context: &ReplyContext) -> ReplyReading;

    /// Names the analyser and its data, recorded in transcripts: a replay needs the same one.
    fn id(&self) -> String;
}
