//! The customers' behaviour model: every number the engine's rules use, with its default
//! (documented in docs/scenarios.md, checked by `engine::load::model`).

use super::{Followers, Range};
use serde::{Deserialize, Serialize};

/// The customers' behaviour model. Every number has a default; see docs/scenarios.md.
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Model {
    /// Anger added per later customer seen answered first (the page is public).
    pub unfair_order_anger: f64,
    /// Relief when a first answer shows someone is on it.
    pub acknowledgement_relief: f64,
    /// Relief of an apology for a wait that exceeded the customer's expectation.
    pub apology_relief: f64,
    pub template_irritation: f64,
    pub tutoiement_irritation: f64,
    pub humour_relief: f64,
    pub humour_backfire: f64,
    /// Anger from which a customer counts as furious (humour backfires).
    pub furious_from: f64,
    pub annoyed_from: f64,
    /// Anger added when the case comes back from the wrong service or without its details.
    pub bounce_anger: f64,
    pub hide_anger: f64,
    pub like_complaint_anger: f64,
    pub resolution_relief: f64,
    /// Anger relaxes towards this baseline after an answer...
    pub baseline_anger: f64,
    /// ...halving its distance every so many minutes.
    pub relax_half_life_min: f64,
    /// Anger per hour the first reply took that stays after it: the baseline the customer
    /// relaxes towards rises by it (the value of a reply falls with its delay, Twitter / AMS).
    pub wait_grudge_per_hour: f64,
    /// Share of the anger gained while waiting for the first reply that stays after it
    /// (disconfirmation: waiting past one's expectation hurts most).
    pub wait_grudge_share: f64,
    /// A customer taken in charge waits this many times longer before relaunching.
    pub acknowledged_patience: f64,
    /// Mean minutes between relaunches at anger 50 (shorter when angrier).
    pub relaunch_mean_min: f64,
    /// Relaunches before a customer stops writing.
    pub max_relaunches: u32,
    /// Hazards per relaunch: churn (silent exit) and quiet abandonment.
    pub churn_hazard: f64,
    pub abandon_hazard: f64,
    /// Churn probability, at anger 100, after a bad experience (wrong service, copy-paste...).
    pub disappointment_churn: f64,
    /// Probability that a relaunch is an escalation, at anger 100.
    pub escalation_hazard: f64,
    /// Probability that a relaunch is a public shaming, at anger 100, times the persona's.
    pub shame_hazard: f64,
    /// Probability that a resolved, calm customer thanks in public, times the persona's.
    pub thanks_probability: f64,
    /// Minutes a customer takes to answer the adviser.
    pub response_delay_min: Range,
    /// A customer's expectation is never shorter than this many seconds.
    pub min_expectation_s: f64,
    /// Seconds after arriving at which a bad-faith customer writes again, answered or not.
    pub bad_faith_delay_s: Range,
    /// Minutes after arriving at which a customer who expects a template refuses it in
    /// advance ("et ne me répondez pas par un message automatique").
    pub preempt_after_min: f64,
    /// Relief of a reply past the first that gives a next step, as a share of
    /// `acknowledgement_relief`.
    pub later_step_relief_share: f64,
    /// A template's irritation is multiplied by this after the customer refused templates in
    /// advance.
    pub preempted_template_factor: f64,
    /// Share of `tutoiement_irritation` a neutral-register customer feels (formal: all of it).
    pub tutoiement_neutral_share: f64,
    /// Probability that a customer who wrote to the corporate account follows a public reply
    /// that names the care account.
    pub redirect_probability: f64,
    /// Probability that a customer taken in charge by a first reply says so in public.
    pub acknowledged_post_probability: f64,
    /// Probability that a customer who accepts to go private first says so in public
    /// (`texts.dm_accept`), where the other customers see the case taken in hand.
    pub dm_accept_public_probability: f64,
    /// Share of a customer's reluctance to go private that saying why (personal data,
    /// security) overcomes.
    pub explanation_persuasion: f64,
    /// A copied reply that irritated the customer multiplies their willingness to go private
    /// by this.
    pub irritated_dm_factor: f64,
    /// Anger of a customer who refuses to go private or to give their data in public.
    pub refusal_anger: f64,
    /// Added to the persona's `shame`: the probability that a censored customer protests.
    pub censorship_protest: f64,
    /// The kinds of escalation a relaunch may take, as weights.
    pub escalation: Escalation,
    pub cascade: Cascade,
    /// How customers read the brand's statements and escalations.
    pub statement: StatementModel,
    /// Half-life of the buzz index.
    pub buzz_half_life_min: f64,
    /// Minutes between the samples of waiting customers, anger and buzz.
    pub sample_every_min: f64,
}

impl Default for Model {
    fn default() -> Self {
        Model {
            unfair_order_anger: 1.5,
            acknowledgement_relief: 25.0,
            apology_relief: 12.0,
            template_irritation: 15.0,
            tutoiement_irritation: 12.0,
            humour_relief: 15.0,
            humour_backfire: 20.0,
            furious_from: 70.0,
            annoyed_from: 35.0,
            bounce_anger: 25.0,
            hide_anger: 30.0,
            like_complaint_anger: 5.0,
            resolution_relief: 40.0,
            baseline_anger: 15.0,
            relax_half_life_min: 20.0,
            wait_grudge_per_hour: 35.0,
            wait_grudge_share: 0.5,
            acknowledged_patience: 6.0,
            relaunch_mean_min: 12.0,
            max_relaunches: 8,
            churn_hazard: 0.15,
            abandon_hazard: 0.10,
            disappointment_churn: 0.08,
            escalation_hazard: 0.15,
            shame_hazard: 0.18,
            thanks_probability: 0.6,
            response_delay_min: Range { min: 1.0, max: 6.0 },
            min_expectation_s: 30.0,
            bad_faith_delay_s: Range {
                min: 90.0,
                max: 150.0,
            },
            preempt_after_min: 1.0,
            later_step_relief_share: 0.5,
            preempted_template_factor: 2.0,
            tutoiement_neutral_share: 0.5,
            redirect_probability: 0.85,
            acknowledged_post_probability: 0.3,
            dm_accept_public_probability: 0.3,
            explanation_persuasion: 0.5,
            irritated_dm_factor: 0.5,
            refusal_anger: 5.0,
            censorship_protest: 0.3,
            escalation: Escalation::default(),
            cascade: Cascade::default(),
            statement: StatementModel::default(),
            buzz_half_life_min: 60.0,
            sample_every_min: 5.0,
        }
    }
}

/// Weights of the kinds of escalation. A cancellation threat weighs the persona's
/// `cancel_threat` plus `cancel_threat`, an insult the persona's `insult`.
#[derive(Clone, Copy, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Escalation {
    pub cancel_threat: f64,
    pub tag_competitor: f64,
    pub witnesses: f64,
}

impl Default for Escalation {
    fn default() -> Self {
        Escalation {
            cancel_threat: 0.05,
            tag_competitor: 0.25,
            witnesses: 0.25,
        }
    }
}

/// Reshares as a self-exciting branching process with the SEISMIC kernel (figures.md).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct Cascade {
    /// Reshare probability per follower of a calm public post.
    pub reshare_probability: f64,
    /// How much anger raises it: p = base * (1 + gain * anger / 100).
    pub anger_gain: f64,
    /// Kernel: c per second for s <= s0, then c * (s/s0)^-(1+theta).
    pub kernel_c_per_s: f64,
    pub kernel_s0_s: f64,
    pub kernel_theta: f64,
    /// A shaming post's reshare probability is multiplied by this.
    pub shaming_boost: f64,
    /// Probability that a reshare of an angry post draws a new complainer.
    pub pile_on: f64,
    /// Reshares one post may cause at most.
    pub max_reshares_per_post: u32,
    /// Followers of the people who reshare (a power law, Kwak et al.).
    pub resharer_followers: Followers,
}

impl Cascade {
    /// Reshare probability per follower of a public post, at this anger (0-100), shaming or
    /// not, under this buzz multiplier. The engine draws with it; the validator checks the
    /// worst case with it.
    pub fn reshare_probability_at(&self, anger: f64, shaming: bool, buzz_multiplier: f64) -> f64 {
        let gain = 1.0 + self.anger_gain * anger / 100.0;
        let boost = if shaming { self.shaming_boost } else { 1.0 };
        self.reshare_probability * gain * boost * buzz_multiplier
    }

    /// The kernel's head (up to s0) and its whole mass: the mean reshares per unit of
    /// reshare probability and follower.
    pub fn kernel_head_and_mass(&self) -> (f64, f64) {
        let head = self.kernel_c_per_s * self.kernel_s0_s;
        (head, head * (1.0 + 1.0 / self.kernel_theta))
    }
}

impl Default for Cascade {
    fn default() -> Self {
        Cascade {
            reshare_probability: 0.0012,
            anger_gain: 3.0,
            kernel_c_per_s: 6.27e-4,
            kernel_s0_s: 300.0,
            kernel_theta: 0.242,
            shaming_boost: 2.0,
            pile_on: 0.03,
            max_reshares_per_post: 2000,
            resharer_followers: Followers {
                min: 10,
                max: 100_000,
                exponent: 2.3,
            },
        }
    }
}

/// How customers read the brand's statements (docs/scenarios.md, "Incidents and statements").
/// Effects scale with the statement's quality (0-1, `StatementFlags::quality`).
#[derive(Clone, Debug, Deserialize, Serialize)]
#[serde(deny_unknown_fields, default)]
pub struct StatementModel {
    /// Share of the "is it down?" questions a perfect pinned statement spares: the customer
    /// reads it and does not write.
    pub question_cut: f64,
    /// Anger a perfect pinned statement takes off a new customer about the incident.
    pub arrival_relief: f64,
    /// Share of the pile-ons on posts about the incident a perfect statement prevents.
    pub pile_on_cut: f64,
    /// Minutes past a promised update after which it counts as missed.
    pub update_grace_min: f64,
    /// Anger a missed update adds to every open customer about the incident on its channel;
    /// the statement then no longer reassures anyone.
    pub missed_update_anger: f64,
    /// Anger a blaming or denying statement adds to open and new customers about the
    /// incident on its channel.
    pub bad_statement_anger: f64,
    /// Buzz a blaming or denying statement adds at once (the index's units: followers times
    /// anger / 100), before the customers' own posts.
    pub bad_statement_buzz: f64,
    /// Minutes the press office takes to answer a journalist escalated to it.
    pub press_answer_min: f64,
    /// Minutes after a journalist's first post by which, neither escalated to the press
    /// office nor given its contact, they write their article.
    pub article_after_min: f64,
    /// Buzz a journalist's article adds, times the journalist's followers / 100.
    pub article_buzz_per_follower: f64,
}

impl Default for StatementModel {
    fn default() -> Self {
        StatementModel {
            question_cut: 0.6,
            arrival_relief: 15.0,
            pile_on_cut: 0.5,
            update_grace_min: 10.0,
            missed_update_anger: 15.0,
            bad_statement_anger: 15.0,
            bad_statement_buzz: 3000.0,
            press_answer_min: 20.0,
            article_after_min: 90.0,
            article_buzz_per_follower: 0.5,
        }
    }
}
