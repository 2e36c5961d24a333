//! The debrief's advice: the rules that cost the most, with an example each, completed by
//! the weakest competences' general advice.

use super::rules::{Rule, ScoringSpec};
use super::{Advice, ConversationScore, Scores, round1};
use crate::engine::scenario::{Lang, Scenario};
use std::collections::BTreeMap;

/// Occurrences, points lost and a first example of one rule.
type Tally = (u32, f64, Option<String>);

/// The three to five rules that cost the most points, with an example each; when fewer
/// rules were broken, advice on the weakest competences completes the list.
pub(super) fn advice<'a>(
    spec: &'a ScoringSpec,
    scenario: &Scenario,
    lang: Lang,
    scored: &[ConversationScore<'a>],
    scores: &Scores,
) -> Vec<Advice<'a>> {
    let mut totals: BTreeMap<Rule, Tally> = BTreeMap::new();
    for c in scored {
        // The request as the scenario names it for trainees, never its id.
        let conversation_example = || match scenario.kinds.iter().find(|k| k.id == c.kind) {
            Some(kind) => format!("{} ({})", c.handle, kind.label.get(lang)),
            None => c.handle.clone(),
        };
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
