//! The scoring's data: the competences, the rules that lose points, and their weights and
//! messages read from `assets/scoring.ron`.

use crate::engine::scenario::{Lang, Text};
use crate::tone::lexicon::FindingId;
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
    ExposedDataVisible,
    ExposedDataHiddenLate,
}

impl Rule {
    /// The rule a reply's finding breaks, if any.
    pub(super) fn of_finding(id: FindingId) -> Option<Rule> {
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
    pub(super) fn message(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
    pub(super) fn advice(&self, lang: Lang) -> &str {
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

/// Moderating what customers expose about themselves.
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ModerationSpec {
    /// A public post with the customer's own details is hidden in time within this many
    /// minutes of being posted.
    pub hide_within_min: f64,
}

impl Default for ModerationSpec {
    fn default() -> ModerationSpec {
        ModerationSpec {
            hide_within_min: 10.0,
        }
    }
}

/// Crisis communication: statements about the scenario's incidents and escalations inside
/// the company (docs/scoring.md, "Crisis communication").
#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CrisisSpec {
    /// Shares of the score (normalised): the first statement's timing, the statements'
    /// quality, the updates kept, the escalations made in time to the right desk.
    pub first_statement: f64,
    pub quality: f64,
    pub updates: f64,
    pub escalations: f64,
    /// An escalation counts in time within this many minutes of the customer's first post.
    pub escalate_within_min: f64,
    /// What each point lost says, in French and in English; `{incident}`, `{channel}`,
    /// `{minutes}`, `{norm}`, `{handle}` and `{desk}` are filled in.
    pub messages: BTreeMap<CrisisFault, Text>,
}

/// A fault of crisis communication.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CrisisFault {
    NoStatement,
    LateStatement,
    WeakStatement,
    BadStatement,
    UpdateMissed,
    NotEscalated,
    WrongDesk,
    LateEscalation,
    Article,
}

impl CrisisFault {
    pub const ALL: [CrisisFault; 9] = [
        CrisisFault::NoStatement,
        CrisisFault::LateStatement,
        CrisisFault::WeakStatement,
        CrisisFault::BadStatement,
        CrisisFault::UpdateMissed,
        CrisisFault::NotEscalated,
        CrisisFault::WrongDesk,
        CrisisFault::LateEscalation,
        CrisisFault::Article,
    ];
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScoringSpec {
    pub weights: Weights,
    pub speed: SpeedSpec,
    pub outcomes: OutcomeSpec,
    #[serde(default)]
    pub moderation: ModerationSpec,
    pub crisis: CrisisSpec,
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
        let c = &spec.crisis;
        let shares = [c.first_statement, c.quality, c.updates, c.escalations];
        if shares.iter().any(|x| !x.is_finite() || *x < 0.0)
            || shares.iter().sum::<f64>() <= 0.0
            || !(c.escalate_within_min.is_finite() && c.escalate_within_min > 0.0)
        {
            return Err(format!(
                "{origin}: crisis shares must be non-negative and not all zero, escalate_within_min above 0"
            ));
        }
        if let Some(missing) = CrisisFault::ALL
            .iter()
            .find(|f| !c.messages.contains_key(f))
        {
            return Err(format!("{origin}: crisis.messages lacks {missing:?}"));
        }
        if !(spec.moderation.hide_within_min.is_finite() && spec.moderation.hide_within_min > 0.0) {
            return Err(format!(
                "{origin}: moderation.hide_within_min must be a number of minutes above 0"
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

pub(super) const ALL_RULES: [Rule; 32] = [
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
    Rule::ExposedDataVisible,
    Rule::ExposedDataHiddenLate,
];
