//! Speed: the first response and each follow-up that waited for an answer, against the
//! channel's norm; and the speed table per channel.

use super::read::Conversation;
use super::rules::Rule;
use super::{ChannelSpeed, ConversationScore, Loss, Scorer, round1, round3};
use crate::engine::scenario::Channel;

/// The speed of one conversation.
pub(super) struct Speed {
    pub(super) score: Option<f64>,
    pub(super) first_response_s: Option<f64>,
}

impl<'a> Scorer<'_, 'a> {
    /// 100 within the norm, 0 at `zero_after_norms` times it, log-linear between.
    pub(super) fn time_score(&self, wait_ms: u64, norm_ms: u64) -> f64 {
        if wait_ms <= norm_ms {
            return 100.0;
        }
        let ratio = wait_ms as f64 / norm_ms.max(1) as f64;
        (100.0 * (1.0 - libm::log(ratio) / libm::log(self.spec.speed.zero_after_norms)))
            .clamp(0.0, 100.0)
    }

    /// A customer who posted too late for anyone to answer within the norm is not due one.
    fn answerable(&self, t_ms: u64, norm_ms: u64) -> bool {
        self.end_ms.saturating_sub(t_ms) >= norm_ms
    }

    pub(super) fn speed(&self, c: &Conversation, norm_ms: u64, lost: &mut Vec<Loss<'a>>) -> Speed {
        let first_post = &c.posts[0];
        let first_reply = c.replies.first();
        let first_response_s =
            first_reply.map(|r| r.t_ms.saturating_sub(first_post.t_ms) as f64 / 1000.0);
        let first_score = match first_reply {
            Some(r) => Some(self.time_score(r.t_ms.saturating_sub(first_post.t_ms), norm_ms)),
            None if self.answerable(first_post.t_ms, norm_ms) => Some(0.0),
            None => None,
        };
        let followup_scores = self.followup_scores(c, norm_ms);
        let score = first_score.map(|first| {
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
        Speed {
            score,
            first_response_s,
        }
    }

    /// After the first reply: each post that waits for an answer, scored by the next reply.
    fn followup_scores(&self, c: &Conversation, norm_ms: u64) -> Vec<f64> {
        let mut scores = Vec::new();
        let Some(first) = c.replies.first() else {
            return scores;
        };
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
                Some(r) => scores.push(self.time_score(r.t_ms.saturating_sub(post.t_ms), norm_ms)),
                None if self.answerable(post.t_ms, norm_ms) => scores.push(0.0),
                None => {}
            }
        }
        scores
    }

    pub(super) fn channel_speed(
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
