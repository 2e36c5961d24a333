//! Session scoring: from a transcript, scores of 0-100 per reply, per conversation and
//! overall for speed, the three competences of the trade (civil, technical, contractual),
//! redirection and outcomes, with every point lost tied to a rule that says why, and the
//! most useful advice. Pure and deterministic; weights and messages in `assets/scoring.ron`.
//!
//! One file per part of the judgement:
//! - `read.rs`: the transcript read into conversations, each reply analysed once, in order;
//! - `speed.rs`: first responses and follow-ups against the channel's norm;
//! - `courtesy.rs`: the civil competence, reply by reply;
//! - `procedure.rs`: the contractual, technical and redirection competences;
//! - `session.rs`: the session's scores and outcomes;
//! - `team.rs`: a team session's seats and team;
//! - `crisis.rs`: crisis communication (statements about incidents, escalations);
//! - `advice.rs`: the advice that would have saved the most points;
//! - `rules.rs`: the competences, rules, weights and messages.

mod advice;
mod courtesy;
mod crisis;
mod procedure;
mod read;
mod rules;
mod session;
mod speed;
mod team;

pub use crisis::{CrisisLoss, CrisisScore, IncidentSpeech};
pub use rules::{
    BUNDLED, Competence, CrisisFault, OutcomeSpec, Rule, RuleSpec, ScoringSpec, SpeedSpec, Weights,
};

use crate::engine::ids::CustomerId;
use crate::engine::scenario::{Account, Channel, Lang, Scenario};
use crate::engine::transcript::{Header, Record};
use crate::tone::{ExplainedFinding, Reader, ToneAnalyser};
use procedure::Needs;
use read::Conversation;
pub use read::{Session, SessionReader};
use serde::{Deserialize, Serialize};
pub use team::{SeatScore, TeamScore};

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
    pub customer: CustomerId,
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
    /// A team session's seats and team; none for a solo session.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub team: Option<TeamScore>,
    /// Crisis communication, in a scenario with incidents or posts to escalate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub crisis: Option<CrisisScore>,
    pub conversations: Vec<ConversationScore<'a>>,
}

/// Scores a session. `scenario` must be the one the transcript was played on. `reader` is
/// the analyser, or the `tone::Memo` the run was played with (each reply read once).
pub fn score<'a>(
    spec: &'a ScoringSpec,
    reader: &'a dyn Reader,
    scenario: &Scenario,
    header: &Header,
    records: &[Record],
) -> Debrief<'a> {
    let mut session = SessionReader::new(reader, scenario, header.lang);
    for record in records {
        session.read(record);
    }
    debrief(spec, reader, scenario, header, session.finish())
}

/// The debrief of a session whose records were read (`SessionReader`) as it went on.
pub fn debrief<'a>(
    spec: &'a ScoringSpec,
    reader: &'a dyn Reader,
    scenario: &Scenario,
    header: &Header,
    session: Session,
) -> Debrief<'a> {
    let lang = header.lang;
    let scorer = Scorer {
        spec,
        analyser: reader.analyser(),
        scenario,
        lang,
        end_ms: session.end_ms,
    };
    let scored: Vec<ConversationScore> = session
        .conversations
        .iter()
        .enumerate()
        .filter_map(|(id, c)| {
            let channel = c.channel.filter(|_| !c.posts.is_empty())?;
            Some(scorer.conversation(CustomerId(id as u32), c, channel))
        })
        .collect();
    let scores = session::session_scores(spec, &session, &scored);
    let speed_table = [Channel::Twitter, Channel::Facebook]
        .into_iter()
        .filter_map(|channel| scorer.channel_speed(channel, &scored))
        .collect();
    let advice = advice::advice(spec, scenario, lang, &scored, &scores);
    let team = team::team_score(&header.seats, &session, &scored);
    let crisis = scorer.crisis(&session);
    Debrief {
        scenario: header.scenario_id.clone(),
        seed: header.seed,
        lang,
        scores,
        speed: speed_table,
        outcomes: Outcomes {
            customers: scored.len() as u32,
            churned: session.churned,
            ambassadors: session.ambassadors,
            peak_buzz: session.peak_buzz,
        },
        advice,
        team,
        crisis,
        conversations: scored,
    }
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

fn round3(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

struct Scorer<'s, 'a> {
    spec: &'a ScoringSpec,
    analyser: &'a ToneAnalyser,
    scenario: &'s Scenario,
    lang: Lang,
    end_ms: u64,
}

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

    fn conversation(
        &self,
        id: CustomerId,
        c: &Conversation,
        channel: Channel,
    ) -> ConversationScore<'a> {
        let norm_min = self.scenario.channels.get(channel).response_norm_min;
        let norm_ms = (norm_min * 60_000.0).round() as u64;
        let needs = Needs::of(self, c);
        let mut lost = Vec::new();
        let speed = self.speed(c, norm_ms, &mut lost);
        let (replies, done) = self.replies(c, norm_ms);
        let civil = (!replies.is_empty())
            .then(|| replies.iter().map(|r| r.civil).sum::<f64>() / replies.len() as f64);
        let contractual = self.contractual(c, &needs, &done, &mut lost);
        let technical = self.technical(c, &needs, &mut lost);
        let redirection = self.redirection(c, &needs, &done, &mut lost);
        ConversationScore {
            customer: id,
            handle: c.handle.clone(),
            channel,
            account: c.account.unwrap_or(Account::Care),
            kind: c.kind.clone(),
            first_response_s: speed.first_response_s,
            scores: Competences {
                speed: speed.score.map(round1),
                civil: civil.map(round1),
                technical: technical.map(round1),
                contractual: contractual.map(round1),
                redirection: redirection.map(round1),
            },
            replies,
            lost,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bundled_scoring_has_every_rule() {
        let spec = ScoringSpec::bundled();
        assert_eq!(spec.rules.len(), rules::ALL_RULES.len());
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
