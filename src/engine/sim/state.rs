//! The session's plain data: customers, messages and counters. The rules that change them
//! live in the other rooms.

use crate::engine::copy::TemplateShape;
use crate::engine::ids::{CustomerId, MessageId, SeatId};
use crate::engine::rng::Stream;
use crate::engine::scenario::{Account, Channel, Desk, Lang};
use crate::engine::transcript::PostAct;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stage {
    Open,
    Transferred { service: usize, details: u64 },
    Resolved,
    Churned,
    Abandoned,
}

impl Stage {
    pub fn is_closed(self) -> bool {
        matches!(self, Stage::Resolved | Stage::Churned | Stage::Abandoned)
    }
}

pub struct Customer {
    pub id: CustomerId,
    pub handle: String,
    pub persona: usize,
    pub kind: usize,
    /// The scripted post they came from (`timeline.scripted[i]`), if any.
    pub scripted: Option<usize>,
    pub channel: Channel,
    pub account: Account,
    pub lang: Lang,
    pub followers: u32,
    pub expectation_ms: u64,
    pub arrived_ms: u64,
    pub stage: Stage,
    pub dm_open: bool,
    /// Details given so far (bits by index in the scenario's details).
    pub provided: u64,
    pub first_reply_ms: Option<u64>,
    pub replies: u32,
    pub acknowledged: bool,
    pub preempted: bool,
    pub escalated: bool,
    pub shamed: bool,
    pub ambassador: bool,
    pub leaked_data: bool,
    pub relaunches: u32,
    /// In a team session, the seat that holds the conversation.
    pub held_by: Option<SeatId>,
    /// Where inside the company the brand escalated their post.
    pub escalated_to: Option<Desk>,
    /// A journalist given the press office's contact.
    pub press_contact_given: bool,
    /// A journalist who wrote their article.
    pub article: bool,
    /// Message ids of the whole conversation, public and private, in order.
    pub messages: Vec<MessageId>,
    /// Since when the customer waits for the brand, and how long they accept to wait.
    pub waiting_since: Option<u64>,
    pub(super) wait_budget_ms: u64,
    pub(super) anger: f64,
    pub(super) anger_at_ms: u64,
    /// Anger that stays above the baseline after a late first reply.
    pub(super) grudge: f64,
    pub(super) arrival_anger: f64,
    pub(super) unfair_seen: u64,
    pub(super) posts: u32,
    pub(super) details: Vec<Option<String>>,
    pub(super) rng: Stream,
    /// The name the customer signs with (drawn from the pools even when the handle is not).
    pub name: String,
    /// The euros at stake in their request (`{amount}`).
    pub(super) amount_eur: u32,
    /// When the brand last replied to them, public or private.
    pub(super) last_reply_ms: Option<u64>,
    /// Draws everything they write: which words, typos, signature. Apart from `rng`, so that
    /// how a customer writes never moves what they do.
    pub(super) voice: Stream,
}

/// Who the customer is on the page, drawn from their voice stream.
pub(super) struct Identity {
    pub(super) handle: String,
    pub(super) name: String,
    pub(super) amount_eur: u32,
}

/// What a new customer's stream drew about them.
pub(super) struct Profile {
    pub(super) persona: usize,
    pub(super) kind: usize,
    pub(super) scripted: Option<usize>,
    pub(super) lang: Lang,
    pub(super) channel: Channel,
    pub(super) account: Account,
    pub(super) followers: u32,
    pub(super) expectation_ms: u64,
    pub(super) anger: f64,
}

impl Customer {
    /// A customer at their arrival, before their first post.
    pub(super) fn arrive(
        id: CustomerId,
        profile: Profile,
        now_ms: u64,
        unfair_seen: u64,
        details: usize,
        (rng, voice): (Stream, Stream),
        identity: Identity,
    ) -> Customer {
        Customer {
            id,
            handle: identity.handle,
            persona: profile.persona,
            kind: profile.kind,
            scripted: profile.scripted,
            channel: profile.channel,
            account: profile.account,
            lang: profile.lang,
            followers: profile.followers,
            expectation_ms: profile.expectation_ms,
            arrived_ms: now_ms,
            stage: Stage::Open,
            dm_open: false,
            provided: 0,
            first_reply_ms: None,
            replies: 0,
            acknowledged: false,
            preempted: false,
            escalated: false,
            shamed: false,
            ambassador: false,
            leaked_data: false,
            relaunches: 0,
            held_by: None,
            escalated_to: None,
            press_contact_given: false,
            article: false,
            messages: Vec::new(),
            waiting_since: None,
            wait_budget_ms: profile.expectation_ms,
            anger: profile.anger,
            anger_at_ms: now_ms,
            grudge: 0.0,
            arrival_anger: profile.anger,
            unfair_seen,
            posts: 0,
            details: vec![None; details],
            rng,
            name: identity.name,
            amount_eur: identity.amount_eur,
            last_reply_ms: None,
            voice,
        }
    }

    pub fn is_waiting(&self) -> bool {
        self.waiting_since.is_some() && !self.stage.is_closed()
    }
    pub fn negative(&self) -> bool {
        self.escalated || self.shamed || self.stage == Stage::Churned
    }
    /// Anger at the first post, before any waiting.
    pub fn arrival_anger(&self) -> f64 {
        self.arrival_anger
    }
    /// The value the customer gave for a detail, once given.
    pub fn detail_value(&self, index: usize) -> Option<&str> {
        self.details.get(index).and_then(|v| v.as_deref())
    }
}

pub struct Message {
    pub id: MessageId,
    /// None for the brand's replies.
    pub customer: Option<CustomerId>,
    /// The conversation it belongs to.
    pub conversation: CustomerId,
    pub private: bool,
    pub act: Option<PostAct>,
    pub text: String,
    pub t_ms: u64,
    pub anger: u8,
    pub hidden: bool,
    pub liked: bool,
    /// A public post with the customer's details in it: hiding it is moderation.
    pub personal_data: bool,
    /// For the brand's replies: the template (names, handles, numbers masked).
    pub shape: Option<TemplateShape>,
}

/// Counts kept as the session goes, for samples and summaries.
#[derive(Clone, Copy, Debug, Default)]
pub struct Counters {
    pub answered: u32,
    pub churned: u32,
    pub abandoned: u32,
    pub ambassadors: u32,
    pub resolved: u32,
    pub transfers: u32,
    pub bounces: u32,
    pub privacy_leaks: u32,
    /// First posts with the customer's details pasted in public, unasked, and how many of
    /// those the brand hid.
    pub unasked_data: u32,
    pub unasked_data_hidden: u32,
    pub reshares: u64,
    /// New customers who read a pinned statement and did not need to ask.
    pub questions_spared: u32,
}
