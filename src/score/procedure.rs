//! The procedure, per conversation: contractual (why private, what happens next), technical
//! (the details the service needs, handed over) and redirection (the right service, personal
//! data kept private, corporate posts sent to customer care). Quality is judged on the turns
//! the trainee had: a customer who left before the team reached them costs speed, not
//! technique.

use super::Loss;
use super::Scorer;
use super::courtesy::Done;
use super::read::Conversation;
use super::rules::Rule;
use crate::engine::scenario::{Account, RequestKind};
use crate::engine::transcript::PostAct;

/// What the conversation's request calls for.
pub(super) struct Needs<'s> {
    pub(super) kind: Option<&'s RequestKind>,
    pub(super) service: bool,
    pub(super) private: bool,
    pub(super) corporate: bool,
}

impl<'s> Needs<'s> {
    pub(super) fn of(scorer: &Scorer<'s, '_>, c: &Conversation) -> Needs<'s> {
        let kind = scorer.scenario.kinds.iter().find(|k| k.id == c.kind);
        let service = kind.is_some_and(|k| k.service.is_some());
        Needs {
            kind,
            service,
            private: service || kind.is_some_and(|k| k.personal_data),
            corporate: c.account == Some(Account::Corporate),
        }
    }
}

impl<'a> Scorer<'_, 'a> {
    pub(super) fn contractual(
        &self,
        c: &Conversation,
        needs: &Needs,
        done: &Done,
        lost: &mut Vec<Loss<'a>>,
    ) -> Option<f64> {
        if !needs.private || needs.corporate || c.replies.is_empty() {
            return None;
        }
        let dm_opened = c.posts.iter().any(|p| p.private);
        let replied_in_private = c.replies.iter().any(|r| r.private);
        let mut score: f64 = 100.0;
        for (ok, rule) in [
            (done.invited || dm_opened, Rule::NoDmInvitation),
            (done.explained, Rule::NoPrivateExplanation),
            (
                done.private_next_step || !replied_in_private,
                Rule::NoPrivateNextStep,
            ),
        ] {
            if !ok {
                score -= self.take(lost, rule);
            }
        }
        Some(score.max(0.0))
    }

    pub(super) fn technical(
        &self,
        c: &Conversation,
        needs: &Needs,
        lost: &mut Vec<Loss<'a>>,
    ) -> Option<f64> {
        let details_given_at = c
            .posts
            .iter()
            .find(|p| p.act == PostAct::DmDetails)
            .map(|p| p.t_ms);
        let had_turn_after_details =
            details_given_at.is_some_and(|t| c.replies.iter().any(|r| r.private && r.t_ms >= t));
        if !needs.service || needs.corporate || (c.transfers.is_empty() && !had_turn_after_details)
        {
            return None;
        }
        let required = self.required_details(needs);
        // A transfer to the wrong service is one mistake, charged under redirection: the
        // details are judged on the first transfer to the right service, if any.
        let right_service = needs.kind.and_then(|k| k.service.as_ref());
        let judged = match right_service {
            Some(right) => c.transfers.iter().find(|(service, _)| service == right),
            None => c.transfers.first(),
        };
        if judged.is_none() && !c.transfers.is_empty() {
            return None;
        }
        Some(match judged {
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
    }

    /// The details the service and the request need, sorted, each once.
    fn required_details(&self, needs: &Needs) -> Vec<String> {
        needs
            .kind
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
            .unwrap_or_default()
    }

    pub(super) fn redirection(
        &self,
        c: &Conversation,
        needs: &Needs,
        done: &Done,
        lost: &mut Vec<Loss<'a>>,
    ) -> Option<f64> {
        if c.replies.is_empty() {
            return None;
        }
        if needs.corporate && needs.private {
            if c.redirected {
                return Some(100.0);
            }
            lost.push(self.fixed(Rule::NotRedirected));
            return Some(0.0);
        }
        let exposed = c.posts.iter().any(|p| p.exposes_details);
        if !(needs.private || done.asked_in_public || done.leaked || exposed) {
            return None;
        }
        let mut score: f64 = 100.0;
        let right_service = needs.kind.and_then(|k| k.service.as_ref());
        if let (Some(right), Some((service, _))) = (right_service, c.transfers.first())
            && service != right
        {
            score -= self.take(lost, Rule::WrongService);
        }
        if c.bounced_for_details {
            score -= self.take(lost, Rule::BouncedForDetails);
        }
        // Personal data in public is lost on the reply that did it; here it costs the
        // conversation's redirection too.
        if done.asked_in_public {
            score -= self.spec.rules[&Rule::PersonalDataPublic].points as f64;
        }
        if done.leaked {
            score -= self.spec.rules[&Rule::ContainsPersonalData].points as f64;
        }
        score -= self.exposed_details(c, lost);
        Some(score.max(0.0))
    }

    /// Details the customer exposed in public themselves: nothing lost when hidden in time,
    /// some when hidden late, more when left visible.
    fn exposed_details(&self, c: &Conversation, lost: &mut Vec<Loss<'a>>) -> f64 {
        let in_time_ms = (self.spec.moderation.hide_within_min * 60_000.0) as u64;
        let mut points = 0.0;
        for post in c.posts.iter().filter(|p| p.exposes_details) {
            points += match post.hidden_ms {
                Some(hidden) if hidden <= post.t_ms + in_time_ms => 0.0,
                Some(_) => self.take(lost, Rule::ExposedDataHiddenLate),
                None => self.take(lost, Rule::ExposedDataVisible),
            };
        }
        points
    }

    fn take(&self, lost: &mut Vec<Loss<'a>>, rule: Rule) -> f64 {
        let loss = self.fixed(rule);
        let points = loss.points;
        lost.push(loss);
        points
    }
}
