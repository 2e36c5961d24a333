//! A team session's debrief: each seat (who answered whom, how fast, how well) and the team
//! (collisions, hand-offs, conversations several seats answered). A solo session has none.

use super::read::{SeatTally, Session};
use super::{ConversationScore, round1};
use crate::engine::seats::{Seat, SeatRole};
use serde::Serialize;

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct SeatScore {
    pub seat: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub role: Option<SeatRole>,
    /// Replies the seat sent, public and private.
    pub replies: u32,
    /// Conversations the seat answered at least once.
    pub conversations: u32,
    /// Conversations whose first answer was the seat's, and the median time to it.
    pub first_answers: u32,
    pub median_first_response_s: Option<f64>,
    /// Mean civil score (0-100) of the seat's replies.
    pub civil: Option<f64>,
    pub transfers: u32,
    pub claims: u32,
    /// Conversations the seat handed to another (or, as the lead, assigned).
    pub handed_over: u32,
    /// Conversations handed to the seat.
    pub received: u32,
    /// Times the seat ran into a conversation another seat held.
    pub collisions: u32,
}

#[derive(Clone, Debug, Serialize, PartialEq)]
pub struct TeamScore {
    pub seats: Vec<SeatScore>,
    pub collisions: u32,
    pub hand_overs: u32,
    /// Conversations more than one seat answered.
    pub shared_conversations: u32,
}

/// The team's debrief, from the header's seats, the session as read and its scored
/// conversations (`scored` follows `session.conversations`, skipping those with no post).
pub(super) fn team_score(
    seats: &[Seat],
    session: &Session,
    scored: &[ConversationScore],
) -> Option<TeamScore> {
    if seats.is_empty() {
        return None;
    }
    let mut civil: Vec<(f64, u32)> = vec![(0.0, 0); seats.len()];
    let mut first: Vec<Vec<f64>> = vec![Vec::new(); seats.len()];
    let mut replies = vec![0u32; seats.len()];
    let mut conversations = vec![0u32; seats.len()];
    let mut shared_conversations = 0;
    for score in scored {
        let Some(c) = session.conversations.get(score.customer.index()) else {
            continue;
        };
        let mut answered_by: Vec<usize> = Vec::new();
        for (reply, reply_score) in c.replies.iter().zip(&score.replies) {
            let Some(seat) = reply.seat.map(|s| s.index()).filter(|&s| s < seats.len()) else {
                continue;
            };
            replies[seat] += 1;
            civil[seat].0 += reply_score.civil;
            civil[seat].1 += 1;
            if !answered_by.contains(&seat) {
                answered_by.push(seat);
                conversations[seat] += 1;
            }
        }
        if answered_by.len() > 1 {
            shared_conversations += 1;
        }
        if let (Some(&seat), Some(seconds)) = (answered_by.first(), score.first_response_s) {
            first[seat].push(seconds);
        }
    }
    let tally = |index: usize| session.seat_tallies.get(index).copied().unwrap_or_default();
    let seat_scores: Vec<SeatScore> = seats
        .iter()
        .enumerate()
        .map(|(index, seat)| {
            let SeatTally {
                transfers,
                claims,
                handed_over,
                received,
                collisions,
            } = tally(index);
            let times = &mut first[index];
            times.sort_by(f64::total_cmp);
            SeatScore {
                seat: seat.name.clone(),
                role: seat.role,
                replies: replies[index],
                conversations: conversations[index],
                first_answers: times.len() as u32,
                median_first_response_s: times.get(times.len() / 2).copied().map(round1),
                civil: (civil[index].1 > 0)
                    .then(|| round1(civil[index].0 / f64::from(civil[index].1))),
                transfers,
                claims,
                handed_over,
                received,
                collisions,
            }
        })
        .collect();
    Some(TeamScore {
        collisions: seat_scores.iter().map(|s| s.collisions).sum(),
        hand_overs: seat_scores.iter().map(|s| s.handed_over).sum(),
        shared_conversations,
        seats: seat_scores,
    })
}
