//! The customers' behaviour model: every number in its range, and cascades that end.

use super::MAX_FOLLOWERS;
use super::checker::Checker;
use crate::engine::scenario::Followers;
use crate::engine::scenario::Scenario;

pub(super) fn check(c: &mut Checker, s: &Scenario) {
    let m = &s.model;
    for (field, value, max) in [
        ("unfair_order_anger", m.unfair_order_anger, 100.0),
        ("acknowledgement_relief", m.acknowledgement_relief, 100.0),
        ("apology_relief", m.apology_relief, 100.0),
        ("template_irritation", m.template_irritation, 100.0),
        ("tutoiement_irritation", m.tutoiement_irritation, 100.0),
        ("humour_relief", m.humour_relief, 100.0),
        ("humour_backfire", m.humour_backfire, 100.0),
        ("furious_from", m.furious_from, 100.0),
        ("annoyed_from", m.annoyed_from, 100.0),
        ("bounce_anger", m.bounce_anger, 100.0),
        ("hide_anger", m.hide_anger, 100.0),
        ("like_complaint_anger", m.like_complaint_anger, 100.0),
        ("resolution_relief", m.resolution_relief, 100.0),
        ("baseline_anger", m.baseline_anger, 100.0),
        ("wait_grudge_per_hour", m.wait_grudge_per_hour, 1000.0),
        ("acknowledged_patience", m.acknowledged_patience, 1000.0),
        ("min_expectation_s", m.min_expectation_s, 86_400.0),
        ("preempt_after_min", m.preempt_after_min, 24.0 * 60.0),
        (
            "preempted_template_factor",
            m.preempted_template_factor,
            10.0,
        ),
        ("refusal_anger", m.refusal_anger, 100.0),
        (
            "escalation.cancel_threat",
            m.escalation.cancel_threat,
            100.0,
        ),
        (
            "escalation.tag_competitor",
            m.escalation.tag_competitor,
            100.0,
        ),
        ("escalation.witnesses", m.escalation.witnesses, 100.0),
        ("cascade.shaming_boost", m.cascade.shaming_boost, 100.0),
    ] {
        c.non_negative(format!("model.{field}"), value, max);
    }
    for (field, value) in [
        ("relax_half_life_min", m.relax_half_life_min),
        ("relaunch_mean_min", m.relaunch_mean_min),
        ("buzz_half_life_min", m.buzz_half_life_min),
    ] {
        c.positive(format!("model.{field}"), value);
    }
    if !(m.sample_every_min.is_finite() && m.sample_every_min >= 0.1) {
        c.fail(
            "model.sample_every_min",
            format!("{} must be at least 0.1 minute", m.sample_every_min),
        );
    }
    if m.max_relaunches == 0 || m.max_relaunches > 100 {
        c.fail(
            "model.max_relaunches",
            format!("{}; between 1 and 100", m.max_relaunches),
        );
    }
    for (field, value) in [
        ("churn_hazard", m.churn_hazard),
        ("abandon_hazard", m.abandon_hazard),
        ("disappointment_churn", m.disappointment_churn),
        ("escalation_hazard", m.escalation_hazard),
        ("shame_hazard", m.shame_hazard),
        ("thanks_probability", m.thanks_probability),
        ("wait_grudge_share", m.wait_grudge_share),
        ("later_step_relief_share", m.later_step_relief_share),
        ("tutoiement_neutral_share", m.tutoiement_neutral_share),
        ("redirect_probability", m.redirect_probability),
        (
            "acknowledged_post_probability",
            m.acknowledged_post_probability,
        ),
        (
            "dm_accept_public_probability",
            m.dm_accept_public_probability,
        ),
        ("explanation_persuasion", m.explanation_persuasion),
        ("irritated_dm_factor", m.irritated_dm_factor),
        ("censorship_protest", m.censorship_protest),
    ] {
        c.probability(format!("model.{field}"), value);
    }
    c.range(
        "model.response_delay_min",
        m.response_delay_min,
        24.0 * 60.0,
    );
    c.range("model.bad_faith_delay_s", m.bad_faith_delay_s, 86_400.0);
    check_cascade(c, s);
    check_statement(c, s);
}

/// The cascades' numbers (whether they end is `cascade_is_stable`).
fn check_cascade(c: &mut Checker, s: &Scenario) {
    let k = &s.model.cascade;
    c.probability(
        "model.cascade.reshare_probability".into(),
        k.reshare_probability,
    );
    c.probability("model.cascade.pile_on".into(), k.pile_on);
    c.non_negative("model.cascade.anger_gain".into(), k.anger_gain, 100.0);
    c.positive("model.cascade.kernel_c_per_s".into(), k.kernel_c_per_s);
    c.positive("model.cascade.kernel_s0_s".into(), k.kernel_s0_s);
    c.positive("model.cascade.kernel_theta".into(), k.kernel_theta);
    if k.max_reshares_per_post > 100_000 {
        c.fail("model.cascade.max_reshares_per_post", "at most 100000");
    }
}

/// How customers read statements: shares are probabilities, the rest bounded.
fn check_statement(c: &mut Checker, s: &Scenario) {
    let m = &s.model.statement;
    for (field, value) in [
        ("question_cut", m.question_cut),
        ("pile_on_cut", m.pile_on_cut),
    ] {
        c.probability(format!("model.statement.{field}"), value);
    }
    for (field, value, max) in [
        ("arrival_relief", m.arrival_relief, 100.0),
        ("missed_update_anger", m.missed_update_anger, 100.0),
        ("bad_statement_anger", m.bad_statement_anger, 100.0),
        ("bad_statement_buzz", m.bad_statement_buzz, 1e9),
        ("update_grace_min", m.update_grace_min, 24.0 * 60.0),
        (
            "article_buzz_per_follower",
            m.article_buzz_per_follower,
            100.0,
        ),
    ] {
        c.non_negative(format!("model.statement.{field}"), value, max);
    }
    for (field, value) in [
        ("press_answer_min", m.press_answer_min),
        ("article_after_min", m.article_after_min),
    ] {
        c.positive(format!("model.statement.{field}"), value);
    }
}

pub(super) fn cascade_is_stable(c: &mut Checker, s: &Scenario) {
    let k = &s.model.cascade;
    let (_, kernel_mass) = k.kernel_head_and_mass();
    let max_buzz = s
        .timeline
        .events
        .iter()
        .map(|e| e.buzz_multiplier)
        .fold(1.0f64, f64::max);
    let f = k.resharer_followers;
    if f.min == 0
        || f.max < f.min
        || f.max > MAX_FOLLOWERS
        || !(f.exponent > 1.0 && f.exponent <= 10.0)
    {
        c.fail(
            "model.cascade.resharer_followers",
            "min 1 or more, max at least min, exponent above 1",
        );
    } else {
        // The worst post: a shaming one at anger 100, in the buzziest event.
        let worst = k
            .reshare_probability_at(100.0, true, max_buzz)
            .max(k.reshare_probability_at(100.0, false, max_buzz));
        let branching = worst * mean_followers(&f) * kernel_mass;
        if branching >= 1.0 {
            c.fail(
                "model.cascade.reshare_probability",
                format!("an angry shaming post would be reshared {branching:.2} times per reshare: cascades would never end (lower the probability or the resharers' followers)"),
            );
        }
    }
}

/// Mean of a bounded power law, for the cascade stability check.
fn mean_followers(f: &Followers) -> f64 {
    let (a, b, k) = (f.min.max(1) as f64, f.max.max(f.min + 1) as f64, f.exponent);
    if (k - 2.0).abs() < 1e-9 {
        return (libm::log(b) - libm::log(a)) / (1.0 / a - 1.0 / b);
    }
    let norm = (1.0 - k) / (libm::pow(b, 1.0 - k) - libm::pow(a, 1.0 - k));
    norm * (libm::pow(b, 2.0 - k) - libm::pow(a, 2.0 - k)) / (2.0 - k)
}
