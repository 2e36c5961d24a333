//! A bot on a seat: joins over the network, keeps its replica in step, and answers a free
//! customer when asked, as a person at a desk would. The loopback tests and the network
//! benchmark play seats with it; it also measures what a client sees (how long its actions
//! take to come back, the bytes it receives).

use super::client::{self, ClientError, Link, LinkEvent};
use super::replica::{Applied, Replica, ReplicaError};
use super::wire::{ClientMessage, Status};
use crate::engine::action::Action;
use crate::engine::ids::CustomerId;
use crate::engine::{ReplyAnalyser, Simulation};
use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::{Duration, Instant};

#[derive(Debug, thiserror::Error)]
pub enum BotError {
    #[error(transparent)]
    Client(#[from] ClientError),
    #[error(transparent)]
    Replica(#[from] ReplicaError),
}

pub struct Bot {
    url: String,
    code: String,
    analyser: Arc<dyn ReplyAnalyser>,
    link: Link,
    pub replica: Replica,
    next_ref: u64,
    sent: BTreeMap<u64, Instant>,
    /// From each action sent to its `acted` coming back, in milliseconds.
    pub round_trips_ms: Vec<f64>,
    /// This bot's actions the server took: their number in the exercise, and when sent.
    pub acknowledged: Vec<(u64, Instant)>,
    /// Refusals of this bot's actions: (ref, code).
    pub refused: Vec<(u64, String)>,
    /// Errors the server sent: (code, message).
    pub errors: Vec<(String, String)>,
    /// Bytes of messages received since joining (the welcome included).
    pub bytes: u64,
    /// When each action of the exercise arrived, by its number.
    pub arrivals: BTreeMap<u64, Instant>,
}

impl Bot {
    pub fn join(url: &str, code: &str, analyser: Arc<dyn ReplyAnalyser>) -> Result<Bot, BotError> {
        let (link, welcome) = client::join(url, code)?;
        let bytes = serde_json::to_string(&welcome).map_or(0, |t| t.len() as u64);
        let replica = Replica::from_welcome(&welcome, analyser.clone())?;
        Ok(Bot {
            url: url.to_string(),
            code: code.to_string(),
            analyser,
            link,
            replica,
            next_ref: 0,
            sent: BTreeMap::new(),
            round_trips_ms: Vec::new(),
            acknowledged: Vec::new(),
            refused: Vec::new(),
            errors: Vec::new(),
            bytes,
            arrivals: BTreeMap::new(),
        })
    }

    /// Joins again on a new connection and rebuilds the replica from the welcome.
    pub fn rejoin(&mut self) -> Result<(), BotError> {
        let (link, welcome) = client::join(&self.url, &self.code)?;
        self.replica = Replica::from_welcome(&welcome, self.analyser.clone())?;
        self.link = link;
        Ok(())
    }

    /// Applies every message that has come, waiting up to `wait` for the first.
    pub fn pump(&mut self, wait: Duration) -> Result<usize, BotError> {
        let mut count = 0;
        let mut next = self.link.next_within(wait);
        while let Some(event) = next {
            match event {
                LinkEvent::Message(message, bytes, arrived) => {
                    self.bytes += bytes as u64;
                    let applied = self.replica.apply(&message)?;
                    self.take(applied, arrived);
                    count += 1;
                }
                LinkEvent::Closed(reason) => return Err(ClientError::Closed(reason).into()),
            }
            next = self.link.try_next();
        }
        Ok(count)
    }

    fn take(&mut self, applied: Applied, now: Instant) {
        match applied {
            Applied::Acted(acted) => {
                self.arrivals.insert(acted.n, now);
                if let Some(sent) = acted
                    .reference
                    .filter(|_| acted.seat.is_some() && acted.seat == self.replica.follow.seat)
                    .and_then(|r| self.sent.remove(&r))
                {
                    self.round_trips_ms
                        .push(now.duration_since(sent).as_secs_f64() * 1_000.0);
                    self.acknowledged.push((acted.n, sent));
                }
            }
            Applied::Refused {
                reference, code, ..
            } => {
                self.sent.remove(&reference);
                self.refused.push((reference, code));
            }
            Applied::Error { code, message } => self.errors.push((code, message)),
            Applied::Moved | Applied::Welcome => {}
        }
    }

    /// Sends an action of the bot's seat; returns its reference.
    pub fn act(&mut self, action: Action) -> u64 {
        self.next_ref += 1;
        let reference = self.next_ref;
        self.sent.insert(reference, Instant::now());
        self.link.send(&ClientMessage::Act { reference, action });
        reference
    }

    /// Sends raw text, as a broken or hostile client would.
    pub fn send_raw(&self, text: String) -> bool {
        self.link.send_text(text)
    }

    /// Answers the customer waiting longest that no seat holds, if there is one.
    pub fn answer_someone(&mut self) -> Option<(u64, CustomerId)> {
        let customer = free_customer(&self.replica.sim)?;
        let text = match self.replica.header.lang {
            crate::engine::Lang::Fr => {
                "Bonjour, je suis désolée pour ce souci. Écrivez-nous en privé, je regarde votre dossier tout de suite."
            }
            crate::engine::Lang::En => {
                "Hello, I am sorry about this. Please send us a private message and I will look into your account right away."
            }
        };
        let reference = self.act(Action::Reply {
            customer,
            private: false,
            text: text.into(),
        });
        Some((reference, customer))
    }

    pub fn is_over(&self) -> bool {
        self.replica.follow.status == Status::Ended
    }
}

/// The first open customer nobody holds and no brand reply has answered yet.
pub fn free_customer(sim: &Simulation) -> Option<CustomerId> {
    sim.customers()
        .iter()
        .find(|c| !c.stage.is_closed() && sim.holder(c.id).is_none() && c.replies == 0)
        .map(|c| c.id)
}
