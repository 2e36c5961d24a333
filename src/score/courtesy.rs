//! Courtesy, reply by reply: the analyser's findings that cost points, the greeting and
//! thanks of a first answer, an apology for a wait past the norm, empathy for the furious.
//! Also notes, for the procedure, what the replies did (invited to private, explained why...).

use super::read::{Conversation, ReplyRecord};
use super::rules::{Competence, Rule};
use super::{ReplyScore, Scorer};
use crate::tone::lexicon::{FindingId, Severity};

/// What the trainee's replies did in a conversation, for the procedure's competences.
#[derive(Default)]
pub(super) struct Done {
    pub(super) invited: bool,
    pub(super) explained: bool,
    pub(super) private_next_step: bool,
    pub(super) asked_in_public: bool,
    pub(super) leaked: bool,
}

impl<'a> Scorer<'_, 'a> {
    pub(super) fn replies(&self, c: &Conversation, norm_ms: u64) -> (Vec<ReplyScore<'a>>, Done) {
        let mut done = Done::default();
        let mut replies = Vec::with_capacity(c.replies.len());
        for (index, reply) in c.replies.iter().enumerate() {
            let (flags, report) = (reply.report.flags, &reply.report);
            done.invited |= flags.dm_invitation && !reply.private;
            done.explained |= report.explains_private;
            done.private_next_step |= reply.private && flags.next_step;
            done.asked_in_public |= flags.personal_data_public;
            done.leaked |= flags.contains_personal_data;
            let mut civil_lost = 0.0;
            let mut lost = Vec::new();
            for rule in self.broken_rules(c, index, reply, norm_ms) {
                let loss = self.fixed(rule);
                if loss.competence == Competence::Civil {
                    civil_lost += loss.points;
                }
                lost.push(loss);
            }
            replies.push(ReplyScore {
                t_ms: reply.t_ms,
                private: reply.private,
                text: reply.text.clone(),
                politeness: report.politeness,
                civil: (100.0 - civil_lost).max(0.0),
                findings: self.analyser.explain(report, self.lang),
                lost,
            });
        }
        (replies, done)
    }

    /// The rules one reply breaks, each once.
    fn broken_rules(
        &self,
        c: &Conversation,
        index: usize,
        reply: &ReplyRecord,
        norm_ms: u64,
    ) -> Vec<Rule> {
        let (flags, report) = (reply.report.flags, &reply.report);
        let answered = reply.answered.and_then(|p| c.posts.get(p));
        let mut broken: Vec<Rule> = Vec::new();
        let mut add = |rule: Rule| {
            if !broken.contains(&rule) {
                broken.push(rule);
            }
        };
        // A reply that ignores the customer's words matters in the first public answer;
        // later replies follow the exchange.
        report
            .findings
            .iter()
            .filter(|f| f.severity >= Severity::Minor)
            .filter(|f| f.id != FindingId::Generic || index == 0)
            .filter_map(|f| Rule::of_finding(f.id))
            .for_each(&mut add);
        if index == 0 {
            if !flags.greeting {
                add(Rule::MissingGreeting);
            }
            if !(flags.thanks || flags.apology) {
                add(Rule::MissingThanksOrApology);
            }
        }
        let waited_ms = answered.map_or(0, |p| reply.t_ms.saturating_sub(p.t_ms));
        let apologised_for_wait = report.has(FindingId::ApologyWait);
        if waited_ms > norm_ms && !apologised_for_wait && (index == 0 || !reply.private) {
            add(Rule::LateWithoutApology);
        }
        if answered.is_some_and(|p| p.anger as f64 >= self.scenario.model.furious_from)
            && !(flags.empathy || flags.apology)
        {
            add(Rule::NoEmpathyForAngry);
        }
        broken
    }
}
