//! Crisis communication: how the brand spoke to everyone about the scenario's incidents (the
//! first statement on each channel against the incident's norm, the statements' quality, the
//! promised updates kept) and escalated what had to go inside the company (to the right desk,
//! in time). Every point lost says why; the weights and messages are in `assets/scoring.ron`.

use super::read::{Session, Speech};
use super::rules::CrisisFault;
use super::{Scorer, round1};
use crate::engine::ids::CustomerId;
use crate::engine::scenario::{Channel, Desk, Incident, minutes_to_ms};
use serde::Serialize;
use std::collections::BTreeMap;

/// One channel's statements about one incident.
#[derive(Clone, Debug, Serialize)]
pub struct IncidentSpeech {
    pub incident: String,
    /// The incident's label, in the session's language.
    pub label: String,
    pub channel: Channel,
    /// Minutes from the incident's start to the first statement about it, if any.
    pub first_statement_min: Option<f64>,
    pub norm_min: f64,
    pub statements: u32,
    /// Mean quality of the statements, 0-100.
    pub quality: Option<f64>,
    pub updates_promised: u32,
    pub updates_missed: u32,
}

/// A point of crisis communication lost, and why.
#[derive(Clone, Debug, Serialize)]
pub struct CrisisLoss {
    pub fault: CrisisFault,
    pub message: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct CrisisScore {
    /// 0-100.
    pub score: f64,
    pub incidents: Vec<IncidentSpeech>,
    /// Posts that had to be escalated, and how many went to the right desk in time.
    pub escalations_due: u32,
    pub escalations_in_time: u32,
    pub articles: u32,
    pub lost: Vec<CrisisLoss>,
}

impl Scorer<'_, '_> {
    fn crisis_message(&self, fault: CrisisFault, fill: &[(&str, String)]) -> CrisisLoss {
        let mut message = self.spec.crisis.messages[&fault].get(self.lang).to_string();
        for (key, value) in fill {
            message = message.replace(&format!("{{{key}}}"), value);
        }
        CrisisLoss { fault, message }
    }

    /// Crisis communication, in a scenario with incidents or posts to escalate; None
    /// otherwise.
    pub(super) fn crisis(&self, session: &Session) -> Option<CrisisScore> {
        let mut lost = Vec::new();
        let incidents: Vec<IncidentSpeech> = self
            .scenario
            .incidents
            .iter()
            .flat_map(|incident| {
                [Channel::Twitter, Channel::Facebook]
                    .into_iter()
                    .filter(|&channel| self.customers_wrote(session, incident, channel))
                    .map(move |channel| (incident, channel))
            })
            .map(|(incident, channel)| self.incident_speech(session, incident, channel, &mut lost))
            .collect();
        let (due, in_time) = self.escalations(session, &mut lost);
        if incidents.is_empty() && due == 0 {
            return None;
        }
        let spec = &self.spec.crisis;
        let mean = |values: Vec<f64>| -> Option<f64> {
            (!values.is_empty()).then(|| values.iter().sum::<f64>() / values.len() as f64)
        };
        let timing = mean(
            incidents
                .iter()
                .map(|i| {
                    i.first_statement_min.map_or(0.0, |minutes| {
                        self.time_score(minutes_to_ms(minutes), minutes_to_ms(i.norm_min))
                    })
                })
                .collect(),
        );
        let quality = mean(incidents.iter().map(|i| i.quality.unwrap_or(0.0)).collect());
        let (promised, missed) = incidents.iter().fold((0, 0), |(p, m), i| {
            (p + i.updates_promised, m + i.updates_missed)
        });
        let spoke = incidents.iter().any(|i| i.statements > 0);
        let updates = (!incidents.is_empty()).then(|| match (spoke, promised) {
            (false, _) => 0.0,
            (true, 0) => 100.0,
            (true, _) => 100.0 * f64::from(promised - missed) / f64::from(promised),
        });
        let escalations = (due > 0).then(|| 100.0 * f64::from(in_time) / f64::from(due));
        let parts = [
            (timing, spec.first_statement),
            (quality, spec.quality),
            (updates, spec.updates),
            (escalations, spec.escalations),
        ];
        let weight: f64 = parts.iter().filter(|(v, _)| v.is_some()).map(|p| p.1).sum();
        let score = parts
            .iter()
            .filter_map(|(value, w)| value.map(|v| v * w))
            .sum::<f64>()
            / weight.max(f64::MIN_POSITIVE);
        Some(CrisisScore {
            score: round1(score),
            incidents,
            escalations_due: due,
            escalations_in_time: in_time,
            articles: session.speech.articles.len() as u32,
            lost,
        })
    }

    /// Whether a customer about the incident wrote on this channel while it lasted.
    fn customers_wrote(&self, session: &Session, incident: &Incident, channel: Channel) -> bool {
        let (start, end) = span_ms(incident, session.end_ms);
        session.conversations.iter().any(|c| {
            c.channel == Some(channel)
                && incident.about.contains(&c.kind)
                && c.posts
                    .first()
                    .is_some_and(|p| start <= p.t_ms && p.t_ms < end)
        })
    }

    fn incident_speech(
        &self,
        session: &Session,
        incident: &Incident,
        channel: Channel,
        lost: &mut Vec<CrisisLoss>,
    ) -> IncidentSpeech {
        let (start, _) = span_ms(incident, session.end_ms);
        let about: Vec<_> = session
            .speech
            .statements
            .iter()
            .filter(|s| s.channel == channel && s.incidents.contains(&incident.id))
            .collect();
        let first_statement_min = about
            .first()
            .map(|s| round1((s.t_ms - start.min(s.t_ms)) as f64 / 60_000.0));
        let quality = (!about.is_empty()).then(|| {
            round1(
                100.0 * about.iter().map(|s| s.flags.quality()).sum::<f64>() / about.len() as f64,
            )
        });
        let fill = |extra: &[(&'static str, String)]| {
            let mut fill = vec![
                ("incident", incident.label.get(self.lang).to_string()),
                ("channel", channel_name(channel).to_string()),
            ];
            fill.extend_from_slice(extra);
            fill
        };
        match first_statement_min {
            None => lost.push(self.crisis_message(CrisisFault::NoStatement, &fill(&[]))),
            Some(minutes) if minutes > incident.statement_within_min => {
                lost.push(self.crisis_message(
                    CrisisFault::LateStatement,
                    &fill(&[
                        ("minutes", format!("{minutes:.0}")),
                        ("norm", format!("{:.0}", incident.statement_within_min)),
                    ]),
                ))
            }
            Some(_) => {}
        }
        if about.iter().any(|s| s.flags.is_bad()) {
            lost.push(self.crisis_message(CrisisFault::BadStatement, &fill(&[])));
        } else if quality.is_some_and(|q| q < 70.0) {
            lost.push(self.crisis_message(CrisisFault::WeakStatement, &fill(&[])));
        }
        let updates_missed = about.iter().filter(|s| s.missed).count() as u32;
        if updates_missed > 0 {
            lost.push(self.crisis_message(CrisisFault::UpdateMissed, &fill(&[])));
        }
        IncidentSpeech {
            incident: incident.id.clone(),
            label: incident.label.get(self.lang).to_string(),
            channel,
            first_statement_min,
            norm_min: incident.statement_within_min,
            statements: about.len() as u32,
            quality,
            updates_promised: about
                .iter()
                .filter(|s| s.flags.next_update.is_some())
                .count() as u32,
            updates_missed,
        }
    }

    /// Posts due an escalation (a journalist's, a kind's `escalate_to`) and those escalated
    /// to the right desk in time.
    fn escalations(&self, session: &Session, lost: &mut Vec<CrisisLoss>) -> (u32, u32) {
        let within_ms = minutes_to_ms(self.spec.crisis.escalate_within_min);
        let (mut due, mut in_time) = (0, 0);
        // The desk each request kind must go to, looked up once for all conversations.
        let desks: BTreeMap<&str, Desk> = self
            .scenario
            .kinds
            .iter()
            .filter_map(|k| {
                let desk = if k.press {
                    Some(Desk::PressOffice)
                } else {
                    k.escalate_to
                };
                desk.map(|d| (k.id.as_str(), d))
            })
            .collect();
        if desks.is_empty() {
            return (0, 0);
        }
        for (index, c) in session.conversations.iter().enumerate() {
            let (Some(&desk), Some(first)) = (desks.get(c.kind.as_str()), c.posts.first()) else {
                continue;
            };
            // Posted too late for anyone to escalate it in time: not due.
            if session.end_ms.saturating_sub(first.t_ms) < within_ms {
                continue;
            }
            due += 1;
            let id = CustomerId(index as u32);
            let fill = |extra: Option<(&'static str, String)>| {
                let mut fill = vec![
                    ("handle", c.handle.clone()),
                    ("desk", desk.towards(self.lang).to_string()),
                ];
                fill.extend(extra);
                fill
            };
            if session.speech.articles.contains(&id) {
                lost.push(self.crisis_message(CrisisFault::Article, &fill(None)));
            }
            match escalation_of(&session.speech, id) {
                None => lost.push(self.crisis_message(CrisisFault::NotEscalated, &fill(None))),
                Some((_, to)) if to != desk => {
                    lost.push(self.crisis_message(CrisisFault::WrongDesk, &fill(None)));
                }
                Some((t_ms, _)) if t_ms - first.t_ms.min(t_ms) > within_ms => {
                    let minutes = (t_ms - first.t_ms.min(t_ms)) / 60_000;
                    let mut fill = fill(Some(("minutes", minutes.to_string())));
                    fill.push((
                        "norm",
                        format!("{:.0}", self.spec.crisis.escalate_within_min),
                    ));
                    lost.push(self.crisis_message(CrisisFault::LateEscalation, &fill));
                }
                Some(_) => in_time += 1,
            }
        }
        (due, in_time)
    }
}

fn escalation_of(speech: &Speech, id: CustomerId) -> Option<(u64, Desk)> {
    speech
        .escalations
        .iter()
        .find(|(_, customer, _)| *customer == id)
        .map(|&(t_ms, _, to)| (t_ms, to))
}

/// An incident's start and end in simulated milliseconds (its end, or the session's).
fn span_ms(incident: &Incident, session_end_ms: u64) -> (u64, u64) {
    let end = incident
        .end_min
        .map_or(session_end_ms.saturating_add(1), minutes_to_ms);
    (minutes_to_ms(incident.start_min), end)
}

fn channel_name(channel: Channel) -> &'static str {
    match channel {
        Channel::Twitter => "Twitter",
        Channel::Facebook => "Facebook",
    }
}
