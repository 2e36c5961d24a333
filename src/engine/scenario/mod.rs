//! The scenario format: what a trainer writes in a RON file under `scenarios/`.
//!
//! Every field is documented in `docs/scenarios.md`. Authored durations are in minutes
//! (`_min`), converted once to integer simulated milliseconds by [`minutes_to_ms`].

mod incidents;
mod injects;
mod model;

pub use incidents::{Desk, Incident};
pub use injects::{Inject, MAX_SURGE_MULTIPLIER, MAX_WAVE_CUSTOMERS, Surge, Wave};
pub use model::{Cascade, Escalation, Model, StatementModel};

use serde::{Deserialize, Serialize};

/// A text in both languages of the product: French first, English too.
#[derive(Clone, Debug, Default, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Text {
    pub fr: String,
    pub en: String,
}

/// The language customers write in and the trainee reads.
#[derive(
    Clone, Copy, Debug, Default, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash,
)]
#[serde(rename_all = "lowercase")]
pub enum Lang {
    #[default]
    Fr,
    En,
}

impl Text {
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

impl Lang {
    pub fn parse(code: &str) -> Option<Lang> {
        match code {
            "fr" => Some(Lang::Fr),
            "en" => Some(Lang::En),
            _ => None,
        }
    }
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Twitter,
    Facebook,
}

/// Which of the brand's two presences a customer wrote to.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Account {
    Corporate,
    Care,
}

/// How a customer writes, and so how formal a good answer must be.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Register {
    Formal,
    Neutral,
    Familiar,
    Teen,
}

/// Anger bands used to pick a message template.
#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Calm,
    Annoyed,
    Furious,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub id: String,
    pub title: Text,
    pub description: Text,
    #[serde(default)]
    pub learning_goals: Vec<Text>,
    /// 1 (first steps) to 5 (crisis lead).
    #[serde(default = "default_difficulty")]
    pub difficulty: u8,
    pub duration_min: f64,
    /// The wall-clock label of minute 0, for clocks and night/weekend cues.
    #[serde(default)]
    pub start: StartTime,
    /// Advisers the scripted trainees have in headless runs.
    #[serde(default = "default_team")]
    pub team_size: u32,
    /// Customers an hour one adviser can take at a person's pace: the crowd offered to one
    /// trainee (times N for a team of N). Absent: the scenario is played at its own size only.
    #[serde(default)]
    pub solo_customers_per_hour: Option<f64>,
    pub brand: Brand,
    pub channels: Channels,
    pub details: Vec<Detail>,
    pub services: Vec<Service>,
    pub personas: Vec<Persona>,
    pub kinds: Vec<RequestKind>,
    pub texts: CustomerTexts,
    pub timeline: Timeline,
    /// What a facilitator may fire during a live exercise (docs/scenarios.md, "Injects").
    #[serde(default)]
    pub injects: Vec<Inject>,
    /// Problems that call for a public statement (docs/scenarios.md, "Incidents").
    #[serde(default)]
    pub incidents: Vec<Incident>,
    #[serde(default)]
    pub model: Model,
}

impl Scenario {
    /// What an inject is called, for the console, the debrief and the review; its id if the
    /// scenario has no such inject (a transcript from another version).
    pub fn inject_label<'a>(&'a self, id: &'a str, lang: Lang) -> &'a str {
        self.injects
            .iter()
            .find(|i| i.id == id)
            .map_or(id, |i| i.label.get(lang))
    }

    /// What a persona is called; its id if the scenario has no such persona.
    pub fn persona_label<'a>(&'a self, id: &'a str, lang: Lang) -> &'a str {
        self.personas
            .iter()
            .find(|p| p.id == id)
            .map_or(id, |p| p.label.get(lang))
    }

    /// The crowd for a team of `advisers` at a person's pace, as a customers target for the
    /// whole session (`SessionConfig::customers_target`); None if the scenario gives no solo
    /// rate. The target counts the scripted customers (`Simulation::new` scales the drawn
    /// arrivals to what is left).
    pub fn crowd_for(&self, advisers: u32) -> Option<u64> {
        let per_hour = self.solo_customers_per_hour?;
        let customers = per_hour * f64::from(advisers.max(1)) * self.duration_min / 60.0;
        Some(customers.round().max(1.0) as u64)
    }
}

fn default_difficulty() -> u8 {
    2
}
fn default_team() -> u32 {
    3
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct StartTime {
    /// ISO date of minute 0, shown to the trainee.
    pub date: String,
    /// 0 = Monday ... 6 = Sunday.
    pub weekday: u8,
    pub hour: u8,
    pub minute: u8,
}

impl Default for StartTime {
    fn default() -> Self {
        StartTime {
            date: "2012-01-10".into(),
            weekday: 1,
            hour: 9,
            minute: 0,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Brand {
    pub name: String,
    pub corporate: Handles,
    pub care: Handles,
    pub competitor: String,
    pub competitor_handle: String,
    /// The brand's promotional Facebook posts, under which customers comment.
    #[serde(default)]
    pub promo_posts: Vec<PromoPost>,
    /// The sign-off the brand expects (for texts shown to the trainee).
    #[serde(default)]
    pub sign_off_hint: Option<Text>,
    /// Where journalists are sent ("presse@telvia.fr"): the press office answers them, not
    /// customer care.
    #[serde(default)]
    pub press_contact: Option<String>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Handles {
    pub twitter: String,
    pub facebook: String,
}

impl Handles {
    /// The account's handle on a network.
    pub fn on(&self, channel: Channel) -> &str {
        match channel {
            Channel::Twitter => &self.twitter,
            Channel::Facebook => &self.facebook,
        }
    }
}

impl Brand {
    /// The brand's handles of an account (care or corporate).
    pub fn account(&self, account: Account) -> &Handles {
        match account {
            Account::Care => &self.care,
            Account::Corporate => &self.corporate,
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct PromoPost {
    pub id: String,
    pub text: Text,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    pub twitter: ChannelSpec,
    pub facebook: ChannelSpec,
}

impl Channels {
    pub fn get(&self, channel: Channel) -> &ChannelSpec {
        match channel {
            Channel::Twitter => &self.twitter,
            Channel::Facebook => &self.facebook,
        }
    }

    /// The characters a reply may hold on this channel, in public or in private: the one
    /// definition the engine refuses by, the desk counts against and the debrief checks.
    pub fn char_limit(&self, channel: Channel, private: bool) -> u32 {
        let spec = self.get(channel);
        if private {
            spec.private_char_limit
        } else {
            spec.public_char_limit
        }
    }
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ChannelSpec {
    /// Characters allowed in a public post (Twitter: 140 until 2017, then 280).
    pub public_char_limit: u32,
    /// Characters allowed in a private message.
    pub private_char_limit: u32,
    /// When customers expect an answer: cumulative shares, e.g. 20% within 30 min.
    pub expectation: Vec<Quantile>,
    /// Anger points gained per hour once a customer's own expectation is exceeded.
    pub anger_growth_per_hour: f64,
    /// The response-time norm the trade applies on this channel (Facebook's badge: 15).
    pub response_norm_min: f64,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Quantile {
    pub share: f64,
    pub within_min: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Detail {
    pub id: String,
    pub label: Text,
    /// How a value looks: `#` is replaced by a digit, e.g. "HX-########".
    pub pattern: String,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Service {
    pub id: String,
    pub name: Text,
    /// What the service handles, shown to the trainee when transferring.
    pub handles: Text,
    /// Details a transfer to this service must carry.
    pub required_details: Vec<String>,
    /// How long the service takes to resolve a case, drawn uniformly.
    pub resolution_min: Range,
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq)]
#[serde(deny_unknown_fields)]
pub struct Range {
    pub min: f64,
    pub max: f64,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Persona {
    pub id: String,
    pub label: Text,
    /// The profile cue the adviser sees (bio, picture).
    pub bio: Text,
    /// Relative share among arrivals.
    pub weight: f64,
    pub register: Register,
    /// Handle stems; a number is appended to make each customer unique. Without them, each
    /// customer gets a name from the bundled pools and a handle made from it
    /// (`handle_shapes`, or the register's shapes in `assets/voice/styles.ron`).
    #[serde(default)]
    pub handles: Vec<String>,
    /// How handles are made from a drawn name: `{first}`, `{last}`, `{f}`, `{l}` (initials),
    /// `{word}` (one of the register's handle words), `{nn}` (two digits), `{year}` (a birth
    /// year's two digits). Empty: the register's shapes.
    #[serde(default)]
    pub handle_shapes: Vec<String>,
    /// Writes always in this language, whatever the session's.
    #[serde(default)]
    pub language: Option<Lang>,
    /// Multiplies the channel's expected reply time (0.5 = twice as impatient).
    #[serde(default = "one")]
    pub patience: f64,
    /// Multiplies the channel's anger growth.
    #[serde(default = "one")]
    pub irritability: f64,
    /// Anger (0-100) at the first post, before the request kind's own.
    pub initial_anger: Range,
    pub followers: Followers,
    /// Probability of moving to private messages when invited.
    pub dm_willingness: f64,
    /// Probability of being irritated by a copy-pasted reply.
    #[serde(default)]
    pub dislikes_templates: f64,
    /// Probability of rejecting the DM template before it comes (bank card case).
    #[serde(default)]
    pub preempts_template: f64,
    /// Probability of posting personal data in public when asked for it publicly.
    #[serde(default)]
    pub posts_data_in_public: f64,
    /// Probability of giving the details in the first private message, unasked.
    #[serde(default = "half")]
    pub spontaneous_details: f64,
    /// Probability of following up within two minutes, whatever the channel's norm.
    #[serde(default)]
    pub bad_faith: f64,
    /// Propensities (0-1) that weigh the customer's escalations and outcomes.
    #[serde(default)]
    pub insult: f64,
    #[serde(default)]
    pub cancel_threat: f64,
    #[serde(default)]
    pub shame: f64,
    #[serde(default)]
    pub thanks: f64,
    /// Share of words the customer mistypes (a swapped, doubled or dropped letter); without
    /// it, the register's rate.
    #[serde(default)]
    pub typos: Option<f64>,
    /// Probability of signing a post where people sign (Facebook, private messages) with
    /// their name; without it, the register's.
    #[serde(default)]
    pub signs: Option<f64>,
    /// Probability of pasting their details in their first public post, unasked (a request
    /// with personal data only; the text comes from `texts.unasked_data`).
    #[serde(default)]
    pub unasked_public_data: f64,
}

fn one() -> f64 {
    1.0
}
fn half() -> f64 {
    0.5
}

/// A power law of follower counts (Kwak et al.: exponent about 2.3).
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Followers {
    pub min: u32,
    pub max: u32,
    #[serde(default = "default_exponent")]
    pub exponent: f64,
}

fn default_exponent() -> f64 {
    2.3
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RequestKind {
    pub id: String,
    pub label: Text,
    /// How an adviser names the request after "votre" / "your" ("demande de résiliation");
    /// without it, the label in lower case.
    #[serde(default)]
    pub topic: Option<Text>,
    pub weight: f64,
    /// The service that must receive the case; none when the adviser answers it publicly.
    #[serde(default)]
    pub service: Option<String>,
    /// Personal data involved: the conversation must go private.
    #[serde(default)]
    pub personal_data: bool,
    /// Details the service needs to resolve this case.
    #[serde(default)]
    pub needed_details: Vec<String>,
    /// Mockery or teasing: humour works on it.
    #[serde(default)]
    pub teasing: bool,
    /// A journalist's question: answered in public with the brand's press contact, never
    /// taken in private as a customer's case.
    #[serde(default)]
    pub press: bool,
    /// Anger added to the persona's at the first post.
    #[serde(default)]
    pub anger: f64,
    /// Where inside the company the trainee must escalate it (a journalist's question: the
    /// press office, whatever this says).
    #[serde(default)]
    pub escalate_to: Option<Desk>,
    /// Personas who bring this request; empty means all.
    #[serde(default)]
    pub personas: Vec<String>,
    /// Share of these customers who write to the corporate account instead of the care one.
    #[serde(default)]
    pub corporate_share: Option<f64>,
    /// The euros at stake (`{amount}`), drawn once per customer; without it, 15 to 120.
    #[serde(default)]
    pub amount_eur: Option<Range>,
    pub messages: Vec<Template>,
}

/// A customer text with its conditions of use; the most specific texts that fit are drawn
/// from. Placeholders and alternatives: `docs/scenarios.md`, "Customer texts".
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Template {
    #[serde(default)]
    pub level: Option<Level>,
    #[serde(default)]
    pub register: Option<Register>,
    /// Only these personas (ids) write it; empty: anyone.
    #[serde(default)]
    pub personas: Vec<String>,
    /// Only about these request kinds (ids); empty: any.
    #[serde(default)]
    pub kinds: Vec<String>,
    /// Only once the brand has replied to the customer (`true`), or before (`false`).
    #[serde(default)]
    pub answered: Option<bool>,
    /// Only in private messages (`true`), or in public (`false`).
    #[serde(default)]
    pub private: Option<bool>,
    pub fr: String,
    pub en: String,
    /// The texts read into pieces, once, on first use.
    #[serde(skip)]
    pub compiled: std::sync::OnceLock<crate::engine::template::Compiled>,
}

impl Template {
    pub fn pieces(&self, lang: Lang) -> &[crate::engine::template::Piece] {
        self.compiled
            .get_or_init(|| crate::engine::template::Compiled::new(&self.fr, &self.en))
            .get(lang)
    }
}

/// What customers say besides their first post, chosen by anger level and register.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct CustomerTexts {
    pub followup: Vec<Template>,
    pub cancel_threat: Vec<Template>,
    pub insult: Vec<Template>,
    pub tag_competitor: Vec<Template>,
    pub witnesses: Vec<Template>,
    pub shame: Vec<Template>,
    pub preempt_template: Vec<Template>,
    pub dm_accept: Vec<Template>,
    pub dm_open: Vec<Template>,
    pub dm_details: Vec<Template>,
    pub dm_refuse: Vec<Template>,
    pub public_data: Vec<Template>,
    pub refuse_public_data: Vec<Template>,
    pub acknowledged: Vec<Template>,
    pub thanks_public: Vec<Template>,
    pub bounce_back: Vec<Template>,
    pub redirected: Vec<Template>,
    pub censored: Vec<Template>,
    /// Appended to the first post of a customer who pastes their details unasked
    /// (`personas[].unasked_public_data`): "{details}" and how they say it.
    #[serde(default)]
    pub unasked_data: Vec<Template>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Timeline {
    pub phases: Vec<Phase>,
    #[serde(default)]
    pub scripted: Vec<ScriptedPost>,
    #[serde(default)]
    pub events: Vec<TimelineEvent>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Phase {
    pub id: String,
    pub label: Text,
    pub start_min: f64,
    pub end_min: f64,
    /// Arrival-rate curve: (minute, customers per hour) points, linear in between.
    pub rate_per_hour: Vec<(f64, f64)>,
    /// Share of arrivals on Twitter (the rest on Facebook).
    #[serde(default = "half")]
    pub twitter_share: f64,
    /// Share of arrivals on the corporate account, unless the kind says otherwise.
    #[serde(default)]
    pub corporate_share: f64,
    /// Multiplies request kinds' weights during the phase, by kind id.
    #[serde(default)]
    pub kind_weights: Vec<(String, f64)>,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ScriptedPost {
    pub at_min: f64,
    pub persona: String,
    pub kind: String,
    pub channel: Channel,
    #[serde(default = "care")]
    pub account: Account,
    #[serde(default)]
    pub followers: Option<u32>,
    #[serde(default)]
    pub anger: Option<f64>,
    #[serde(default)]
    pub text: Option<Text>,
    /// What this customer teaches, shown to the trainee in training mode (the tutorial).
    #[serde(default)]
    pub lesson: Option<Text>,
}

fn care() -> Account {
    Account::Care
}

#[derive(Clone, Copy, Debug, Deserialize, Serialize, PartialEq, Eq)]
#[serde(rename_all = "lowercase")]
pub enum EventKind {
    Article,
    Influencer,
    Night,
    Weekend,
    Outage,
    Lull,
    Other,
}

#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TimelineEvent {
    pub id: String,
    pub kind: EventKind,
    pub label: Text,
    pub start_min: f64,
    pub end_min: f64,
    /// Multiplies the arrival rate while the event lasts.
    #[serde(default = "one")]
    pub rate_multiplier: f64,
    /// Multiplies anger growth while the event lasts (the weekend: nobody answers).
    #[serde(default = "one")]
    pub anger_multiplier: f64,
    /// Multiplies the reshare probability of angry posts while the event lasts.
    #[serde(default = "one")]
    pub buzz_multiplier: f64,
}

/// Authored seconds to integer simulated milliseconds.
pub fn seconds_to_ms(seconds: f64) -> u64 {
    if seconds.is_finite() && seconds > 0.0 {
        (seconds * 1000.0).round() as u64
    } else {
        0
    }
}

/// Authored minutes to integer simulated milliseconds.
pub fn minutes_to_ms(minutes: f64) -> u64 {
    if minutes.is_finite() && minutes > 0.0 {
        (minutes * 60_000.0).round() as u64
    } else {
        0
    }
}
