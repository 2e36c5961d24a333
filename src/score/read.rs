//! A transcript read into conversations, in the order things happened. Each reply is
//! analysed here, once, with what was on the page at that moment: the copy rule
//! (`engine::copy`) sees the same candidates as the customers did.

use crate::engine::StatementFlags;
use crate::engine::copy::{self, PublicPage};
use crate::engine::ids::{CustomerId, SeatId};
use crate::engine::scenario::{Account, Channel, Desk, Lang, Scenario};
use crate::engine::transcript::{BounceReason, Event, PostAct, Record};
use crate::tone::{Reader, ToneInput, ToneReport};

pub(super) struct Post {
    pub(super) t_ms: u64,
    pub(super) private: bool,
    pub(super) text: String,
    pub(super) act: PostAct,
    pub(super) anger: u8,
    /// A public post with the customer's details in it, and when the brand hid it.
    pub(super) exposes_details: bool,
    pub(super) hidden_ms: Option<u64>,
}

pub(super) struct ReplyRecord {
    pub(super) t_ms: u64,
    pub(super) private: bool,
    pub(super) text: String,
    /// The analyser's reading, made when the reply was sent.
    pub(super) report: ToneReport,
    /// The customer post it answered: the latest before it.
    pub(super) answered: Option<usize>,
    /// The seat that sent it, in a team session.
    pub(super) seat: Option<SeatId>,
}

#[derive(Default)]
pub(super) struct Conversation {
    pub(super) handle: String,
    pub(super) channel: Option<Channel>,
    pub(super) account: Option<Account>,
    pub(super) kind: String,
    pub(super) lang: Option<Lang>,
    pub(super) posts: Vec<Post>,
    pub(super) replies: Vec<ReplyRecord>,
    pub(super) transfers: Vec<(String, Vec<String>)>,
    pub(super) bounced_for_details: bool,
    pub(super) redirected: bool,
}

/// What the session's records say, per conversation and in all.
#[derive(Default)]
pub struct Session {
    pub(super) conversations: Vec<Conversation>,
    pub(super) end_ms: u64,
    pub(super) churned: u32,
    pub(super) ambassadors: u32,
    pub(super) peak_buzz: u64,
    /// Each customer post's place (conversation, post), by message id, for moderation.
    post_of_message: Vec<Option<(usize, usize)>>,
    /// A team session's moves other than replies, by seat.
    pub(super) seat_tallies: Vec<SeatTally>,
    /// The brand's statements, escalations and the articles written.
    pub(super) speech: Speech,
}

/// What the brand said to everyone and escalated, as the records tell it.
#[derive(Default)]
pub(super) struct Speech {
    pub(super) statements: Vec<StatementRecord>,
    /// (when, customer, desk), in order.
    pub(super) escalations: Vec<(u64, CustomerId, Desk)>,
    pub(super) articles: Vec<CustomerId>,
}

pub(super) struct StatementRecord {
    pub(super) t_ms: u64,
    pub(super) channel: Channel,
    pub(super) flags: StatementFlags,
    pub(super) incidents: Vec<String>,
    pub(super) missed: bool,
}

/// What one seat of a team did besides replying.
#[derive(Clone, Copy, Debug, Default)]
pub(super) struct SeatTally {
    pub(super) transfers: u32,
    pub(super) claims: u32,
    pub(super) handed_over: u32,
    pub(super) received: u32,
    pub(super) collisions: u32,
}

/// A transcript read record by record, in order: all at once for a transcript at hand, or
/// as a headless run hands its records out.
pub struct SessionReader<'r> {
    analyser: &'r dyn Reader,
    scenario: &'r Scenario,
    session_lang: Lang,
    session: Session,
    page: PublicPage,
}

impl<'r> SessionReader<'r> {
    pub fn new(analyser: &'r dyn Reader, scenario: &'r Scenario, session_lang: Lang) -> Self {
        SessionReader {
            analyser,
            scenario,
            session_lang,
            session: Session::default(),
            page: PublicPage::default(),
        }
    }

    /// What the records read so far say.
    pub fn finish(self) -> Session {
        self.session
    }

    pub fn read(&mut self, record: &Record) {
        let SessionReader {
            analyser,
            scenario,
            session_lang,
            session,
            page,
        } = self;
        session.end_ms = session.end_ms.max(record.t_ms);
        match &record.event {
            Event::Arrival {
                customer,
                handle,
                kind,
                channel,
                account,
                lang,
                ..
            } => {
                let c = session.conversation(*customer);
                c.handle = handle.clone();
                c.kind = kind.clone();
                c.channel = Some(*channel);
                c.account = Some(*account);
                c.lang = Some(*lang);
            }
            Event::Post {
                customer,
                message,
                private,
                text,
                act,
                anger,
                details,
            } => {
                let c = session.conversation(*customer);
                c.posts.push(Post {
                    t_ms: record.t_ms,
                    private: *private,
                    text: text.clone(),
                    act: *act,
                    anger: *anger,
                    exposes_details: !*private && !details.is_empty(),
                    hidden_ms: None,
                });
                let place = (customer.index(), c.posts.len() - 1);
                let index = message.index();
                if session.post_of_message.len() <= index {
                    session.post_of_message.resize(index + 1, None);
                }
                session.post_of_message[index] = Some(place);
            }
            Event::Hide { message, .. } => {
                let place = session
                    .post_of_message
                    .get(message.index())
                    .copied()
                    .flatten();
                if let Some((conversation, post)) = place
                    && let Some(p) = session
                        .conversations
                        .get_mut(conversation)
                        .and_then(|c| c.posts.get_mut(post))
                {
                    p.hidden_ms.get_or_insert(record.t_ms);
                }
            }
            Event::Reply {
                customer,
                private,
                text,
                seat,
                ..
            } => {
                let c = session.conversation(*customer);
                let report =
                    analyse_reply(*analyser, scenario, *session_lang, c, page, *private, text);
                if !*private {
                    page.push(report.shape.clone());
                }
                c.replies.push(ReplyRecord {
                    t_ms: record.t_ms,
                    private: *private,
                    text: text.clone(),
                    report,
                    answered: c.posts.len().checked_sub(1),
                    seat: *seat,
                });
            }
            other => session.note(record.t_ms, other),
        }
    }
}

/// One reply read as the debrief judges it: against the customer's latest post, the
/// channel's limit, and the replies the customer could see (the copy rule).
fn analyse_reply(
    analyser: &dyn Reader,
    scenario: &Scenario,
    session_lang: Lang,
    c: &Conversation,
    page: &PublicPage,
    private: bool,
    text: &str,
) -> ToneReport {
    let care_handles = [
        scenario.brand.care.twitter.as_str(),
        scenario.brand.care.facebook.as_str(),
    ];
    let limit = c
        .channel
        .map(|channel| scenario.channels.char_limit(channel, private));
    let seen = copy::candidates(c.replies.iter().map(|r| &r.report.shape), page, private);
    let earlier: Vec<&str> = c
        .posts
        .split_last()
        .map(|(_, before)| before.iter().map(|p| p.text.as_str()).collect())
        .unwrap_or_default();
    analyser.read(&ToneInput {
        text,
        lang: c.lang.unwrap_or(session_lang),
        public: !private,
        customer: c.posts.last().map(|p| p.text.as_str()),
        customer_earlier: &earlier,
        earlier: &[],
        seen: &seen,
        char_limit: limit.map(|l| l as usize),
        care_handles: &care_handles,
    })
}

impl Session {
    fn conversation(&mut self, id: CustomerId) -> &mut Conversation {
        let index = id.index();
        if self.conversations.len() <= index {
            self.conversations
                .resize_with(index + 1, Conversation::default);
        }
        &mut self.conversations[index]
    }

    /// The seat's tally; a transcript read back names only its header's seats.
    fn tally(&mut self, seat: SeatId) -> &mut SeatTally {
        let index = seat.index();
        if self.seat_tallies.len() <= index {
            self.seat_tallies.resize(index + 1, SeatTally::default());
        }
        &mut self.seat_tallies[index]
    }

    /// The events that are not posts or replies: the workflow and the session's outcomes.
    fn note(&mut self, t_ms: u64, event: &Event) {
        match event {
            Event::Transfer {
                customer,
                service,
                details,
                seat,
            } => {
                if let Some(seat) = seat {
                    self.tally(*seat).transfers += 1;
                }
                self.conversation(*customer)
                    .transfers
                    .push((service.clone(), details.clone()));
            }
            Event::Claim { seat, .. } => self.tally(*seat).claims += 1,
            Event::HandOver { seat, to, .. } => {
                self.tally(*seat).handed_over += 1;
                self.tally(*to).received += 1;
            }
            Event::Collision { seat, .. } => self.tally(*seat).collisions += 1,
            Event::Bounced {
                customer,
                reason: BounceReason::MissingDetails,
                ..
            } => self.conversation(*customer).bounced_for_details = true,
            Event::Redirected { customer } => self.conversation(*customer).redirected = true,
            Event::Churned { .. } => self.churned += 1,
            Event::Ambassador { .. } => self.ambassadors += 1,
            Event::Sample { buzz, .. } => self.peak_buzz = self.peak_buzz.max(*buzz),
            Event::Statement {
                channel,
                flags,
                incidents,
                ..
            } => self.speech.statements.push(StatementRecord {
                t_ms,
                channel: *channel,
                flags: *flags,
                incidents: incidents.clone(),
                missed: false,
            }),
            Event::UpdateMissed { statement } => {
                if let Some(s) = self.speech.statements.get_mut(*statement as usize) {
                    s.missed = true;
                }
            }
            Event::Escalated { customer, to, .. } => {
                self.speech.escalations.push((t_ms, *customer, *to));
            }
            Event::Article { customer, .. } => self.speech.articles.push(*customer),
            _ => {}
        }
    }
}
