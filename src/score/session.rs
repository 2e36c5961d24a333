//! The session's scores from its conversations' and its outcomes. The quality competences
//! are judged on the conversations the trainee took part in, then scaled by the share of
//! customers due an answer who got one: answering three customers perfectly and ignoring the
//! rest is not a good session. Nothing to judge: 0 if the trainee answered no one, 100 if the
//! competence never applied.

use super::read::Session;
use super::rules::ScoringSpec;
use super::{Competences, ConversationScore, Scores, round1};

pub(super) fn session_scores(
    spec: &ScoringSpec,
    session: &Session,
    scored: &[ConversationScore],
) -> Scores {
    let customers = scored.len() as u32;
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
    let buzz_per_customer = session.peak_buzz as f64 / customers.max(1) as f64;
    let outcomes: f64 = (100.0 - o.churn_points_per_percent * share(session.churned)
        + o.ambassador_points_per_percent * share(session.ambassadors)
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
        + w.outcomes * outcomes)
        / total_weight;
    Scores {
        overall: round1(overall),
        speed: round1(speed),
        civil: round1(civil),
        technical: round1(technical),
        contractual: round1(contractual),
        redirection: round1(redirection),
        outcomes: round1(outcomes),
        tone: round1(if politeness.is_empty() {
            50.0
        } else {
            politeness.iter().sum::<f64>() / politeness.len() as f64
        }),
        answered_share: round1(100.0 * answered_share),
    }
}
