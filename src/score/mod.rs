//! Session scoring: from a transcript, scores of 0-100 per reply, per conversation and
//! overall for speed, the three competences of the trade (civil, technical, contractual),
//! redirection and outcomes, with every point lost tied to a rule that says why, and the
//! most useful advice. Pure and deterministic; weights and messages in `assets/scoring.ron`.

use crate::engine::scenario::{Account, Channel, Lang, Scenario};
use crate::engine::transcript::{BounceReason, Event, Header, PostAct, Record};
use crate::tone::lexicon::{FindingId, Severity};
use crate::tone::{ExplainedFinding, ToneAnalyser, ToneInput};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Competence {
    Speed,
    Civil,
    Technical,
    Contractual,
    Redirection,
}

impl Competence {
    /// The five competences, in the order the debrief lists them.
    pub const ALL: [Competence; 5] = [
        Competence::Speed,
        Competence::Civil,
        Competence::Technical,
        Competence::Contractual,
        Competence::Redirection,
    ];

    /// The name used in files and on the command line.
    pub fn id(self) -> &'static str {
        match self {
            Competence::Speed => "speed",
            Competence::Civil => "civil",
            Competence::Technical => "technical",
            Competence::Contractual => "contractual",
            Competence::Redirection => "redirection",
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    Unanswered,
    LateFirstResponse,
    LateFollowup,
    MissingGreeting,
    MissingThanksOrApology,
    LateWithoutApology,
    NoEmpathyForAngry,
    Unsigned,
    Generic,
    Copy,
    Blame,
    Insult,
    Shouting,
    Emphatic,
    BluntQuestion,
    NegativeWording,
    TutoiementUnmatched,
    RegisterTooFamiliar,
    AddressMixed,
    OverLimit,
    NoDmInvitation,
    NoPrivateExplanation,
    NoPrivateNextStep,
    NotTransferred,
    MissingDetails,
    WrongService,
    BouncedForDetails,
    PersonalDataPublic,
    ContainsPersonalData,
    NotRedirected,
}

impl Rule {
    /// The rule a reply's finding breaks, if any.
    fn of_finding(id: FindingId) -> Option<Rule> {
        Some(match id {
            FindingId::Unsigned => Rule::Unsigned,
            FindingId::Generic => Rule::Generic,
            FindingId::Copy => Rule::Copy,
            FindingId::Blame => Rule::Blame,
            FindingId::Insult => Rule::Insult,
            FindingId::Shouting => Rule::Shouting,
            FindingId::Emphatic => Rule::Emphatic,
            FindingId::BluntQuestion => Rule::BluntQuestion,
            FindingId::NegativeWording => Rule::NegativeWording,
            FindingId::TutoiementUnmatched => Rule::TutoiementUnmatched,
            FindingId::RegisterTooFamiliar => Rule::RegisterTooFamiliar,
            FindingId::AddressMixed => Rule::AddressMixed,
            FindingId::OverLimit => Rule::OverLimit,
            FindingId::PersonalDataPublic => Rule::PersonalDataPublic,
            FindingId::CardNumber
            | FindingId::Iban
            | FindingId::PhoneNumber
            | FindingId::EmailAddress => Rule::ContainsPersonalData,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleSpec {
    pub competence: Competence,
    /// Points taken off; 0 when the loss is computed (a response time, a share of details).
    pub points: u32,
    pub fr: String,
    pub en: String,
    pub advice_fr: String,
    pub advice_en: String,
}

impl RuleSpec {
    fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
    fn advice(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.advice_fr,
            Lang::En => &self.advice_en,
        }
    }
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Weights {
    pub speed: f64,
    pub civil: f64,
    pub technical: f64,
    pub contractual: f64,
    pub redirection: f64,
    pub outcomes: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SpeedSpec {
    pub first_response: f64,
    pub zero_after_norms: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OutcomeSpec {
    pub churn_points_per_percent: f64,
    pub ambassador_points_per_percent: f64,
    pub buzz_half_per_customer: f64,
    pub buzz_points: f64,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSpec {
    pub weights: Weights,
    pub speed: SpeedSpec,
    pub outcomes: OutcomeSpec,
    pub rules: BTreeMap<Rule, RuleSpec>,
}

pub const BUNDLED: &str = include_str!("../../assets/scoring.ron");

impl ScoringSpec {
    pub fn parse(source: &str, origin: &str) -> Result<ScoringSpec, String> {
        let spec: ScoringSpec = ron::from_str(source).map_err(|e| {
            format!(
                "{origin}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        })?;
        let w = &spec.weights;
        let weights = [
            w.speed,
            w.civil,
            w.technical,
            w.contractual,
            w.redirection,
            w.outcomes,
        ];
        if weights.iter().any(|x| !x.is_finite() || *x < 0.0) || weights.iter().sum::<f64>() <= 0.0
        {
            return Err(format!(
                "{origin}: weights must be non-negative and not all zero"
            ));
        }
        if !(spec.speed.zero_after_norms > 1.0 && (0.0..=1.0).contains(&spec.speed.first_response))
        {
            return Err(format!(
                "{origin}: speed.zero_after_norms must be over 1 and first_response within 0..1"
            ));
        }
        let missing: Vec<String> = ALL_RULES
            .iter()
            .filter(|r| !spec.rules.contains_key(r))
            .map(|r| format!("{r:?}"))
            .collect();
        if !missing.is_empty() {
            return Err(format!("{origin}: rules missing: {}", missing.join(", ")));
        }
        Ok(spec)
    }

    pub fn bundled() -> ScoringSpec {
        // Compiled in and checked by a test: failing here is a build defect.
        ScoringSpec::parse(BUNDLED, "assets/scoring.ron").expect("bundled scoring is valid")
    }
}

const ALL_RULES: [Rule; 30] = [
    Rule::Unanswered,
    Rule::LateFirstResponse,
    Rule::LateFollowup,
    Rule::MissingGreeting,
    Rule::MissingThanksOrApology,
    Rule::LateWithoutApology,
    Rule::NoEmpathyForAngry,
    Rule::Unsigned,
    Rule::Generic,
    Rule::Copy,
    Rule::Blame,
    Rule::Insult,
    Rule::Shouting,
    Rule::Emphatic,
    Rule::BluntQuestion,
    Rule::NegativeWording,
    Rule::TutoiementUnmatched,
    Rule::RegisterTooFamiliar,
    Rule::AddressMixed,
    Rule::OverLimit,
    Rule::NoDmInvitation,
    Rule::NoPrivateExplanation,
    Rule::NoPrivateNextStep,
    Rule::NotTransferred,
    Rule::MissingDetails,
    Rule::WrongService,
    Rule::BouncedForDetails,
    Rule::PersonalDataPublic,
    Rule::ContainsPersonalData,
    Rule::NotRedirected,
];

/// Points lost, and why.
#[derive(Clone, Debug, Serialize)]
pub struct Loss<'a> {
    pub competence: Competence,
    pub rule: Rule,
    pub points: f64,
    pub message: &'a str,
}

#[derive(Clone, Debug, Serialize)]
pub struct ReplyScore<'a> {
    pub t_ms: u64,
    pub private: bool,
    pub text: String,
    pub politeness: u8,
    /// 0-100: courtesy and repair in this reply.
    pub civil: f64,
    pub findings: Vec<ExplainedFinding<'a>>,
    pub lost: Vec<Loss<'a>>,
}

/// Scores of one conversation; `None` where a competence does not apply to it.
#[derive(Clone, Debug, Default, Serialize)]
pub struct Competences {
    pub speed: Option<f64>,
    pub civil: Option<f64>,
    pub technical: Option<f64>,
    pub contractual: Option<f64>,
    pub redirection: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct ConversationScore<'a> {
    pub customer: u32,
    pub handle: String,
    pub channel: Channel,
    pub account: Account,
    pub kind: String,
    pub first_response_s: Option<f64>,
    pub scores: Competences,
    pub replies: Vec<ReplyScore<'a>>,
    /// Losses of the conversation as a whole (unanswered, not transferred...).
    pub lost: Vec<Loss<'a>>,
}

#[derive(Clone, Debug, Serialize, Deserialize, PartialEq)]
pub struct Scores {
    pub overall: f64,
    pub speed: f64,
    pub civil: f64,
    pub technical: f64,
    pub contractual: f64,
    pub redirection: f64,
    pub outcomes: f64,
    /// Mean politeness of the replies (0-100, 50 neutral).
    pub tone: f64,
    /// Share (0-100) of the customers due an answer who got one; the quality competences
    /// (civil, technical, contractual, redirection) are scaled by it.
    pub answered_share: f64,
}

impl Scores {
    pub fn of(&self, competence: Competence) -> f64 {
        match competence {
            Competence::Speed => self.speed,
            Competence::Civil => self.civil,
            Competence::Technical => self.technical,
            Competence::Contractual => self.contractual,
            Competence::Redirection => self.redirection,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct ChannelSpeed {
    pub channel: Channel,
    pub norm_min: f64,
    pub customers: u32,
    pub answered: u32,
    pub within_norm_share: f64,
    pub median_first_response_s: Option<f64>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Outcomes {
    pub customers: u32,
    pub churned: u32,
    pub ambassadors: u32,
    pub peak_buzz: u64,
}

#[derive(Clone, Debug, Serialize)]
pub struct Advice<'a> {
    pub rule: Rule,
    pub competence: Competence,
    pub advice: &'a str,
    pub occurrences: u32,
    pub points_lost: f64,
    /// A reply (or customer) where it happened.
    pub example: Option<String>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Debrief<'a> {
    pub scenario: String,
    pub seed: u64,
    pub lang: Lang,
    pub scores: Scores,
    pub speed: Vec<ChannelSpeed>,
    pub outcomes: Outcomes,
    pub advice: Vec<Advice<'a>>,
    pub conversations: Vec<ConversationScore<'a>>,
}

struct Post {
    t_ms: u64,
    private: bool,
    text: String,
    act: PostAct,
    anger: u8,
}

struct ReplyRecord {
    t_ms: u64,
    private: bool,
    text: String,
}

#[derive(Default)]
struct Conversation {
    handle: String,
    channel: Option<Channel>,
    account: Option<Account>,
    kind: String,
    lang: Option<Lang>,
    posts: Vec<Post>,
    replies: Vec<ReplyRecord>,
    transfers: Vec<(String, Vec<String>)>,
    bounced_for_details: bool,
    redirected: bool,
}

/// Scores a session. `scenario` must be the one the transcript was played on.
pub fn score<'a>(
    spec: &'a ScoringSpec,
    analyser: &'a ToneAnalyser,
    scenario: &Scenario,
    header: &Header,
    records: &[Record],
) -> Debrief<'a> {
    let lang = header.lang;
    let mut conversations: Vec<Conversation> = Vec::new();
    let mut end_ms = 0;
    let mut churned = 0;
    let mut ambassadors = 0;
    let mut peak_buzz = 0;
    for record in records {
        end_ms = end_ms.max(record.t_ms);
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
                let c = conversation_mut(&mut conversations, *customer);
                c.handle = handle.clone();
                c.kind = kind.clone();
                c.channel = Some(*channel);
                c.account = Some(*account);
                c.lang = Some(*lang);
            }
            Event::Post {
                customer,
                private,
                text,
                act,
                anger,
                ..
            } => {
                let c = conversation_mut(&mut conversations, *customer);
                c.posts.push(Post {
                    t_ms: record.t_ms,
                    private: *private,
                    text: text.clone(),
                    act: *act,
                    anger: *anger,
                });
            }
            Event::Reply {
                customer,
                private,
                text,
                ..
            } => {
                let c = conversation_mut(&mut conversations, *customer);
                c.replies.push(ReplyRecord {
                    t_ms: record.t_ms,
                    private: *private,
                    text: text.clone(),
                });
            }
            Event::Transfer {
                customer,
                service,
                details,
            } => {
                let c = conversation_mut(&mut conversations, *customer);
                c.transfers.push((service.clone(), details.clone()));
            }
            Event::Bounced {
                customer, reason, ..
            } => {
                let c = conversation_mut(&mut conversations, *customer);
                if *reason == BounceReason::MissingDetails {
                    c.bounced_for_details = true;
                }
            }
            Event::Redirected { customer } => {
                let c = conversation_mut(&mut conversations, *customer);
                c.redirected = true;
            }
            Event::Churned { .. } => churned += 1,
            Event::Ambassador { .. } => ambassadors += 1,
            Event::Sample { buzz, .. } => peak_buzz = peak_buzz.max(*buzz),
            _ => {}
        }
    }

    let scorer = Scorer {
        spec,
        analyser,
        scenario,
        lang,
        end_ms,
    };
    let mut public_page: Vec<String> = Vec::new();
    let mut scored = Vec::new();
    for (id, conversation) in conversations.iter().enumerate() {
        let Some(channel) = conversation.channel else {
            continue;
        };
        if conversation.posts.is_empty() {
            continue;
        }
        scored.push(scorer.conversation(id as u32, conversation, channel, &mut public_page));
    }

    let customers = scored.len() as u32;
    // The quality competences are judged on the conversations the trainee took part in, then
    // scaled by the share of customers due an answer who got one: answering three customers
    // perfectly and ignoring the rest is not a good session. Nothing to judge: 0 if the
    // trainee answered no one, 100 if the competence never applied.
    let answered_anyone = scored.iter().any(|c| !c.replies.is_empty());
    let due = scored.iter().filter(|c| c.scores.speed.is_some()).count();
    let answered_due = scored
        .iter()
        .filter(|c| c.scores.speed.is_some() && !c.replies.is_empty())
        .count();
    let answered_share = if due == 0 {
        1.0
    } else {
        answered_due as f64 / due as f64
    };
    let mean = |pick: fn(&Competences) -> Option<f64>| {
        let values: Vec<f64> = scored.iter().filter_map(|c| pick(&c.scores)).collect();
        match (values.is_empty(), answered_anyone) {
            (false, _) => values.iter().sum::<f64>() / values.len() as f64,
            (true, true) => 100.0,
            (true, false) => 0.0,
        }
    };
    let quality = |pick: fn(&Competences) -> Option<f64>| mean(pick) * answered_share;
    let o = &spec.outcomes;
    let share = |n: u32| 100.0 * n as f64 / customers.max(1) as f64;
    let buzz_per_customer = peak_buzz as f64 / customers.max(1) as f64;
    let outcomes_score = (100.0 - o.churn_points_per_percent * share(churned)
        + o.ambassador_points_per_percent * share(ambassadors)
        - o.buzz_points * buzz_per_customer / (buzz_per_customer + o.buzz_half_per_customer))
        .clamp(0.0, 100.0);
    let politeness: Vec<f64> = scored
        .iter()
        .flat_map(|c| c.replies.iter().map(|r| r.politeness as f64))
        .collect();
    let w = &spec.weights;
    let (speed, civil, technical, contractual, redirection) = (
        mean(|c| c.speed),
        quality(|c| c.civil),
        quality(|c| c.technical),
        quality(|c| c.contractual),
        quality(|c| c.redirection),
    );
    let total_weight = w.speed + w.civil + w.technical + w.contractual + w.redirection + w.outcomes;
    let overall = (w.speed * speed
        + w.civil * civil
        + w.technical * technical
        + w.contractual * contractual
        + w.redirection * redirection
        + w.outcomes * outcomes_score)
        / total_weight;
    let scores = Scores {
        overall: round1(overall),
        speed: round1(speed),
        civil: round1(civil),
        technical: round1(technical),
        contractual: round1(contractual),
        redirection: round1(redirection),
        outcomes: round1(outcomes_score),
        tone: round1(if politeness.is_empty() {
            50.0
        } else {
            politeness.iter().sum::<f64>() / politeness.len() as f64
        }),
        answered_share: round1(100.0 * answered_share),
    };
    let speed_table = [Channel::Twitter, Channel::Facebook]
        .into_iter()
        .filter_map(|channel| scorer.channel_speed(channel, &scored))
        .collect();
    let advice = advice(spec, lang, &scored, &scores);
    Debrief {
        scenario: header.scenario_id.clone(),
        seed: header.seed,
        lang,
        scores,
        speed: speed_table,
        outcomes: Outcomes {
            customers,
            churned,
            ambassadors,
            peak_buzz,
        },
        advice,
        conversations: scored,
    }
}

fn conversation_mut(list: &mut Vec<Conversation>, id: u32) -> &mut Conversation {
    let index = id as usize;
    if list.len() <= index {
        list.resize_with(index + 1, Conversation::default);
    }
    &mut list[index]
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

struct Scorer<'s, 'a> {
    spec: &'a ScoringSpec,
    analyser: &'a ToneAnalyser,
    scenario: &'s Scenario,
    lang: Lang,
    end_ms: u64,
}

/// How many recent public replies a customer is assumed to see on the page.
pub const VISIBLE_PUBLIC_REPLIES: usize = 20;

impl<'a> Scorer<'_, 'a> {
    fn loss(&self, rule: Rule, points: f64) -> Loss<'a> {
        let spec = &self.spec.rules[&rule];
        Loss {
            competence: spec.competence,
            rule,
            points: round1(points),
            message: spec.message(self.lang),
        }
    }

    fn fixed(&self, rule: Rule) -> Loss<'a> {
        self.loss(rule, self.spec.rules[&rule].points as f64)
    }

    /// 100 within the norm, 0 at `zero_after_norms` times it, log-linear between.
    fn time_score(&self, wait_ms: u64, norm_ms: u64) -> f64 {
        if wait_ms <= norm_ms {
            return 100.0;
        }
        let ratio = wait_ms as f64 / norm_ms.max(1) as f64;
        (100.0 * (1.0 - libm::log(ratio) / libm::log(self.spec.speed.zero_after_norms)))
            .clamp(0.0, 100.0)
    }

    fn conversation(
        &self,
        id: u32,
        c: &Conversation,
        channel: Channel,
        public_page: &mut Vec<String>,
    ) -> ConversationScore<'a> {
        let channel_spec = self.scenario.channels.get(channel);
        let norm_ms = (channel_spec.response_norm_min * 60_000.0).round() as u64;
        let kind = self.scenario.kinds.iter().find(|k| k.id == c.kind);
        let needs_service = kind.is_some_and(|k| k.service.is_some());
        let needs_private = needs_service || kind.is_some_and(|k| k.personal_data);
        let corporate = c.account == Some(Account::Corporate);
        let mut lost: Vec<Loss<'a>> = Vec::new();
        let first_post = &c.posts[0];
        let care_handles = [
            self.scenario.brand.care.twitter.as_str(),
            self.scenario.brand.care.facebook.as_str(),
        ];

        // Speed: the first response, then each follow-up that waited for an answer.
        let answerable = |t_ms: u64| self.end_ms.saturating_sub(t_ms) >= norm_ms;
        let first_reply = c.replies.first();
        let first_response_s =
            first_reply.map(|r| r.t_ms.saturating_sub(first_post.t_ms) as f64 / 1000.0);
        let first_score = match first_reply {
            Some(r) => Some(self.time_score(r.t_ms.saturating_sub(first_post.t_ms), norm_ms)),
            None if answerable(first_post.t_ms) => Some(0.0),
            None => None,
        };
        let mut followup_scores = Vec::new();
        if let Some(first) = first_reply {
            let mut replies = c.replies.iter().peekable();
            for post in c
                .posts
                .iter()
                .filter(|p| p.t_ms > first.t_ms && p.act.needs_answer())
            {
                while replies.peek().is_some_and(|r| r.t_ms < post.t_ms) {
                    replies.next();
                }
                match replies.peek() {
                    Some(r) => {
                        followup_scores
                            .push(self.time_score(r.t_ms.saturating_sub(post.t_ms), norm_ms));
                    }
                    None if answerable(post.t_ms) => followup_scores.push(0.0),
                    None => {}
                }
            }
        }
        let speed = first_score.map(|first| {
            let weight = self.spec.speed.first_response;
            match followup_scores.len() {
                0 => first,
                n => {
                    weight * first + (1.0 - weight) * followup_scores.iter().sum::<f64>() / n as f64
                }
            }
        });
        match (first_reply, first_score) {
            (None, Some(_)) => lost.push(self.fixed(Rule::Unanswered)),
            (Some(_), Some(first)) if first < 100.0 => {
                lost.push(self.loss(Rule::LateFirstResponse, 100.0 - first));
            }
            _ => {}
        }
        let followup_loss: f64 = followup_scores.iter().map(|s| 100.0 - s).sum();
        if followup_loss > 0.0 {
            lost.push(self.loss(
                Rule::LateFollowup,
                followup_loss / followup_scores.len() as f64,
            ));
        }

        // Each reply: its findings, and the courtesy expected of it.
        let furious = self.scenario.model.furious_from;
        let mut replies = Vec::new();
        let mut own_earlier: Vec<&str> = Vec::new();
        let mut invited = false;
        let mut explained = false;
        let mut private_next_step = false;
        let mut asked_in_public = false;
        let mut leaked = false;
        for (index, reply) in c.replies.iter().enumerate() {
            let answered = c.posts.iter().rev().find(|p| p.t_ms <= reply.t_ms);
            let limit = if reply.private {
                channel_spec.private_char_limit
            } else {
                channel_spec.public_char_limit
            };
            let mut earlier: Vec<&str> = own_earlier.clone();
            if !reply.private {
                let from = public_page.len().saturating_sub(VISIBLE_PUBLIC_REPLIES);
                earlier.extend(public_page[from..].iter().map(String::as_str));
            }
            let report = self.analyser.analyse(&ToneInput {
                text: &reply.text,
                lang: c.lang.unwrap_or(self.lang),
                public: !reply.private,
                customer: answered.map(|p| p.text.as_str()),
                earlier: &earlier,
                char_limit: Some(limit as usize),
                care_handles: &care_handles,
            });
            let flags = report.flags;
            invited |= flags.dm_invitation && !reply.private;
            explained |= report.explains_private;
            private_next_step |= reply.private && flags.next_step;
            asked_in_public |= flags.personal_data_public;
            leaked |= flags.contains_personal_data;

            let mut reply_lost = Vec::new();
            // A reply that ignores the customer's words matters in the first public answer;
            // later replies follow the exchange.
            let mut broken: Vec<Rule> = report
                .findings
                .iter()
                .filter(|f| f.severity >= Severity::Minor)
                .filter(|f| f.id != FindingId::Generic || index == 0)
                .filter_map(|f| Rule::of_finding(f.id))
                .collect();
            broken.dedup();
            if index == 0 {
                if !flags.greeting {
                    broken.push(Rule::MissingGreeting);
                }
                if !(flags.thanks || flags.apology) {
                    broken.push(Rule::MissingThanksOrApology);
                }
            }
            let waited_ms = answered.map_or(0, |p| reply.t_ms.saturating_sub(p.t_ms));
            let apologised_for_wait = report.has(FindingId::ApologyWait);
            if waited_ms > norm_ms && !apologised_for_wait && (index == 0 || !reply.private) {
                broken.push(Rule::LateWithoutApology);
            }
            if answered.is_some_and(|p| p.anger as f64 >= furious)
                && !(flags.empathy || flags.apology)
            {
                broken.push(Rule::NoEmpathyForAngry);
            }
            let mut civil_lost = 0.0;
            for rule in broken {
                let loss = self.fixed(rule);
                if loss.competence == Competence::Civil {
                    civil_lost += loss.points;
                }
                reply_lost.push(loss);
            }
            replies.push(ReplyScore {
                t_ms: reply.t_ms,
                private: reply.private,
                text: reply.text.clone(),
                politeness: report.politeness,
                civil: (100.0 - civil_lost).max(0.0),
                findings: self.analyser.explain(&report, self.lang),
                lost: reply_lost,
            });
            own_earlier.push(&reply.text);
            if !reply.private {
                public_page.push(reply.text.clone());
            }
        }
        let answered_any = !c.replies.is_empty();
        let civil = answered_any
            .then(|| replies.iter().map(|r| r.civil).sum::<f64>() / replies.len() as f64);
        // Quality is judged on the turns the trainee had: a customer who left before the
        // team reached them costs speed, not technique.
        let dm_opened = c.posts.iter().any(|p| p.private);
        let replied_in_private = c.replies.iter().any(|r| r.private);
        let details_given_at = c
            .posts
            .iter()
            .find(|p| p.act == PostAct::DmDetails)
            .map(|p| p.t_ms);
        let had_turn_after_details =
            details_given_at.is_some_and(|t| c.replies.iter().any(|r| r.private && r.t_ms >= t));

        // Contractual: the procedure explained (why private, what happens next).
        let contractual = if needs_private && !corporate && answered_any {
            let mut score: f64 = 100.0;
            for (done, rule) in [
                (invited || dm_opened, Rule::NoDmInvitation),
                (explained, Rule::NoPrivateExplanation),
                (
                    private_next_step || !replied_in_private,
                    Rule::NoPrivateNextStep,
                ),
            ] {
                if !done {
                    let loss = self.fixed(rule);
                    score -= loss.points;
                    lost.push(loss);
                }
            }
            Some(score.max(0.0))
        } else {
            None
        };

        // Technical: the details the service needs, collected and handed over.
        let required: Vec<String> = kind
            .and_then(|k| {
                let service = self
                    .scenario
                    .services
                    .iter()
                    .find(|s| Some(&s.id) == k.service.as_ref())?;
                let mut ids: Vec<String> = service.required_details.clone();
                ids.extend(k.needed_details.iter().cloned());
                ids.sort();
                ids.dedup();
                Some(ids)
            })
            .unwrap_or_default();
        let technical =
            if needs_service && !corporate && (!c.transfers.is_empty() || had_turn_after_details) {
                Some(match c.transfers.first() {
                    None => {
                        lost.push(self.fixed(Rule::NotTransferred));
                        0.0
                    }
                    Some((_, details)) if !required.is_empty() => {
                        let given = required.iter().filter(|d| details.contains(d)).count();
                        let score = 100.0 * given as f64 / required.len() as f64;
                        if score < 100.0 {
                            lost.push(self.loss(Rule::MissingDetails, 100.0 - score));
                        }
                        score
                    }
                    Some(_) => 100.0,
                })
            } else {
                None
            };

        // Redirection: the right service, personal data kept private, corporate posts sent
        // to customer care.
        let redirection = if !answered_any {
            None
        } else if corporate && needs_private {
            if c.redirected {
                Some(100.0)
            } else {
                lost.push(self.fixed(Rule::NotRedirected));
                Some(0.0)
            }
        } else if needs_private || asked_in_public || leaked {
            let mut score: f64 = 100.0;
            let right_service = kind.and_then(|k| k.service.as_ref());
            if let (Some(right), Some((service, _))) = (right_service, c.transfers.first())
                && service != right
            {
                score -= self.take(&mut lost, Rule::WrongService);
            }
            if c.bounced_for_details {
                score -= self.take(&mut lost, Rule::BouncedForDetails);
            }
            if asked_in_public {
                score -= self.spec.rules[&Rule::PersonalDataPublic].points as f64;
            }
            if leaked {
                score -= self.spec.rules[&Rule::ContainsPersonalData].points as f64;
            }
            Some(score.max(0.0))
        } else {
            None
        };

        ConversationScore {
            customer: id,
            handle: c.handle.clone(),
            channel,
            account: c.account.unwrap_or(Account::Care),
            kind: c.kind.clone(),
            first_response_s,
            scores: Competences {
                speed: speed.map(round1),
                civil: civil.map(round1),
                technical: technical.map(round1),
                contractual: contractual.map(round1),
                redirection: redirection.map(round1),
            },
            replies,
            lost,
        }
    }

    fn take(&self, lost: &mut Vec<Loss<'a>>, rule: Rule) -> f64 {
        let loss = self.fixed(rule);
        let points = loss.points;
        lost.push(loss);
        points
    }

    fn channel_speed(
        &self,
        channel: Channel,
        scored: &[ConversationScore],
    ) -> Option<ChannelSpeed> {
        let on_channel: Vec<&ConversationScore> =
            scored.iter().filter(|c| c.channel == channel).collect();
        if on_channel.is_empty() {
            return None;
        }
        let norm_min = self.scenario.channels.get(channel).response_norm_min;
        let mut times: Vec<f64> = on_channel
            .iter()
            .filter_map(|c| c.first_response_s)
            .collect();
        times.sort_by(f64::total_cmp);
        let within = times.iter().filter(|t| **t <= norm_min * 60.0).count();
        Some(ChannelSpeed {
            channel,
            norm_min,
            customers: on_channel.len() as u32,
            answered: times.len() as u32,
            within_norm_share: round3(within as f64 / on_channel.len() as f64),
            median_first_response_s: (!times.is_empty()).then(|| round1(times[times.len() / 2])),
        })
    }
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// Occurrences, points lost and a first example of one rule.
type Tally = (u32, f64, Option<String>);

/// The three to five rules that cost the most points, with an example each; when fewer
/// rules were broken, advice on the weakest competences completes the list.
fn advice<'a>(
    spec: &'a ScoringSpec,
    lang: Lang,
    scored: &[ConversationScore<'a>],
    scores: &Scores,
) -> Vec<Advice<'a>> {
    let mut totals: BTreeMap<Rule, Tally> = BTreeMap::new();
    for c in scored {
        let conversation_example = || format!("{} ({})", c.handle, c.kind);
        for loss in &c.lost {
            let entry = totals.entry(loss.rule).or_insert((0, 0.0, None));
            entry.0 += 1;
            entry.1 += loss.points;
            entry.2.get_or_insert_with(conversation_example);
        }
        for reply in &c.replies {
            for loss in &reply.lost {
                let entry = totals.entry(loss.rule).or_insert((0, 0.0, None));
                entry.0 += 1;
                entry.1 += loss.points;
                entry.2.get_or_insert_with(|| reply.text.clone());
            }
        }
    }
    let mut ranked: Vec<(Rule, Tally)> = totals.into_iter().collect();
    // Costliest first; ties by rule order, so the list is the same every time.
    ranked.sort_by(|a, b| b.1.1.total_cmp(&a.1.1).then(a.0.cmp(&b.0)));
    let mut list: Vec<Advice<'a>> = ranked
        .into_iter()
        .filter(|(_, (_, points, _))| *points > 0.0)
        .take(5)
        .map(|(rule, (occurrences, points, example))| {
            let rule_spec = &spec.rules[&rule];
            Advice {
                rule,
                competence: rule_spec.competence,
                advice: rule_spec.advice(lang),
                occurrences,
                points_lost: round1(points),
                example,
            }
        })
        .collect();
    // Fewer than three: add the general advice of the weakest competences.
    let mut weakest = [
        (scores.speed, Rule::LateFirstResponse),
        (scores.civil, Rule::NoEmpathyForAngry),
        (scores.contractual, Rule::NoPrivateExplanation),
        (scores.technical, Rule::MissingDetails),
        (scores.redirection, Rule::PersonalDataPublic),
    ];
    weakest.sort_by(|a, b| a.0.total_cmp(&b.0));
    for (_, rule) in weakest {
        if list.len() >= 3 {
            break;
        }
        if list.iter().all(|a| a.rule != rule) {
            let rule_spec = &spec.rules[&rule];
            list.push(Advice {
                rule,
                competence: rule_spec.competence,
                advice: rule_spec.advice(lang),
                occurrences: 0,
                points_lost: 0.0,
                example: None,
            });
        }
    }
    list
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scoring_has_every_rule() {
        let spec = ScoringSpec::bundled();
        assert_eq!(spec.rules.len(), ALL_RULES.len());
    }

    #[test]
    fn response_time_curve() {
        let spec = ScoringSpec::bundled();
        let analyser = ToneAnalyser::bundled();
        let scenario_text = include_str!("../../scenarios/price_war.ron");
        let scenario = crate::engine::parse_scenario(scenario_text, "price_war.ron").unwrap();
        let scorer = Scorer {
            spec: &spec,
            analyser: &analyser,
            scenario: &scenario,
            lang: Lang::Fr,
            end_ms: 0,
        };
        let norm = 5 * 60_000;
        assert_eq!(scorer.time_score(60_000, norm), 100.0);
        assert_eq!(scorer.time_score(norm, norm), 100.0);
        assert!(scorer.time_score(norm * 2, norm) > scorer.time_score(norm * 4, norm));
        assert_eq!(scorer.time_score(norm * 12, norm), 0.0);
        assert_eq!(scorer.time_score(norm * 100, norm), 0.0);
    }
}
