//! The desk on a seat of a team exercise (`raleur play --join`): the same desk, its
//! simulation a replica kept in step with the server (docs/protocol.md). The server's ticks
//! move the clock, not the wall clock; the trainee's actions go to the server and come back
//! in its order, like every seat's; a refusal shows beside the composer as solo. A lost
//! connection is joined again in the background, and the replica rebuilt from the welcome.

use super::{Crowd, Mode, SessionDesk};
use crate::desk::error::DeskError;
use crate::engine::Action;
use crate::exercise::client::{self, ClientError, Link, LinkEvent};
use crate::exercise::replica::{Applied, Follower};
use crate::exercise::spec::ExerciseMode;
use crate::exercise::wire::{ClientMessage, Status, Welcome};
use crate::tone::ToneAnalyser;
use std::collections::BTreeMap;
use std::sync::Arc;
use std::sync::Mutex;
use std::sync::mpsc::{Receiver, TryRecvError};

/// Wall-clock time between two attempts to join again.
const REJOIN_EVERY_MS: f64 = 2_000.0;

type Joined = Result<(Link, Welcome), ClientError>;

/// The seat's connection to the server and what the desk awaits from it.
pub struct Remote {
    url: String,
    code: String,
    link: Option<Link>,
    pub follower: Follower,
    next_ref: u64,
    /// The trainee's actions sent and not yet answered.
    pending: BTreeMap<u64, Action>,
    /// A join under way on its own thread (the desk keeps drawing meanwhile).
    joining: Option<Mutex<Receiver<Joined>>>,
    since_attempt_ms: f64,
    /// Why the connection was lost, while it is.
    pub lost: Option<String>,
}

impl SessionDesk {
    /// Joins the exercise at `url` with the seat's `code` and opens the desk on that seat.
    pub fn join(
        url: &str,
        code: &str,
        trainee: &str,
        analyser: Arc<ToneAnalyser>,
    ) -> Result<SessionDesk, DeskError> {
        let (link, welcome) =
            client::join(url, code).map_err(|e| DeskError::Join(e.to_string()))?;
        let (sim, header, follower) = Follower::start(&welcome, analyser.clone())
            .map_err(|e| DeskError::Join(e.to_string()))?;
        let spec = &welcome.spec;
        let mode = match spec.mode {
            ExerciseMode::Training => Mode::Training,
            ExerciseMode::Exam => Mode::Exam,
        };
        let seat = welcome.seat;
        // The sign-off and the records name the trainee; the seat's name if none is given.
        let seat_name = seat
            .and_then(|s| spec.seats.get(s.index()))
            .map_or_else(String::new, |s| s.name.clone());
        let trainee = if trainee.trim().is_empty() {
            seat_name
        } else {
            trainee.to_string()
        };
        let mut desk = SessionDesk::assemble(
            super::Assembly {
                sim,
                header,
                trainee,
                mode,
                lang: spec.lang,
                scripted: None,
                seat,
                autoplay: None,
                crowd: Crowd::Cell,
            },
            analyser,
        );
        desk.remote = Some(Remote {
            url: url.to_string(),
            code: code.to_string(),
            link: Some(link),
            follower,
            next_ref: 0,
            pending: BTreeMap::new(),
            joining: None,
            since_attempt_ms: 0.0,
            lost: None,
        });
        Ok(desk)
    }

    /// The exercise's status as the server last said it, on a seat; none solo.
    pub fn remote_status(&self) -> Option<Status> {
        self.remote.as_ref().map(|r| r.follower.status)
    }

    /// Sends the trainee's action to the server. Refused at once only if the desk is not
    /// connected; otherwise the answer comes with the server's next messages.
    pub(super) fn send_remote(&mut self, action: Action) -> Result<(), String> {
        let Some(remote) = &mut self.remote else {
            return Ok(());
        };
        let Some(link) = remote.link.as_ref().filter(|_| remote.lost.is_none()) else {
            return Err(self.texts.t("remote-offline"));
        };
        remote.next_ref += 1;
        let reference = remote.next_ref;
        if !link.send(&ClientMessage::Act {
            reference,
            action: action.clone(),
        }) {
            return Err(self.texts.t("remote-offline"));
        }
        remote.pending.insert(reference, action);
        Ok(())
    }

    /// The server's messages since the last frame, applied; a lost or drifted connection
    /// joined again.
    pub(super) fn follow_server(&mut self, real_ms: f64) {
        let Some(remote) = &mut self.remote else {
            return;
        };
        if remote.lost.is_some() {
            self.rejoin(real_ms);
            return;
        }
        let mut events = Vec::new();
        if let Some(link) = &remote.link {
            while let Some(event) = link.try_next() {
                // A closed link says so at every call: once is enough.
                let closed = matches!(event, LinkEvent::Closed(_));
                events.push(event);
                if closed {
                    break;
                }
            }
        }
        for event in events {
            match event {
                LinkEvent::Message(message, _, _) => {
                    let Some(remote) = &mut self.remote else {
                        return;
                    };
                    match remote.follower.apply(&mut self.sim, &message) {
                        Ok(applied) => self.take(applied),
                        Err(error) => {
                            self.lose(error.to_string());
                            return;
                        }
                    }
                }
                LinkEvent::Closed(reason) => {
                    self.lose(reason);
                    return;
                }
            }
        }
        self.follow_conversation();
    }

    fn take(&mut self, applied: Applied) {
        let Some(remote) = &mut self.remote else {
            return;
        };
        match applied {
            Applied::Acted(acted) if acted.seat.is_some() && acted.seat == remote.follower.seat => {
                if let Some(reference) = acted.reference {
                    remote.pending.remove(&reference);
                }
            }
            Applied::Refused {
                reference, fr, en, ..
            } => {
                let action = remote.pending.remove(&reference);
                // The reply comes back to the composer if nothing was typed since.
                if let Some(Action::Reply { text, .. }) = action
                    && self.composer.text.is_empty()
                {
                    self.composer.text = text;
                }
                self.composer.error = Some(match self.lang() {
                    crate::engine::Lang::Fr => fr,
                    crate::engine::Lang::En => en,
                });
            }
            Applied::Error { message, .. } => self.composer.error = Some(message),
            Applied::Acted(_) | Applied::Moved | Applied::Welcome => {}
        }
    }

    /// The connection is gone (or the replica drifted): join again in a moment.
    fn lose(&mut self, reason: String) {
        if let Some(remote) = &mut self.remote {
            remote.link = None;
            remote.lost = Some(reason);
            remote.pending.clear();
            remote.since_attempt_ms = REJOIN_EVERY_MS;
        }
    }

    fn rejoin(&mut self, real_ms: f64) {
        let Some(remote) = &mut self.remote else {
            return;
        };
        let outcome = match &remote.joining {
            Some(receiver) => {
                let receiver = receiver.lock().unwrap_or_else(|p| p.into_inner());
                match receiver.try_recv() {
                    Ok(joined) => Some(joined),
                    Err(TryRecvError::Empty) => return,
                    Err(TryRecvError::Disconnected) => {
                        Some(Err(ClientError::Closed("the join stopped".into())))
                    }
                }
            }
            None => None,
        };
        match outcome {
            None => {
                remote.since_attempt_ms += real_ms;
                if remote.since_attempt_ms < REJOIN_EVERY_MS {
                    return;
                }
                remote.since_attempt_ms = 0.0;
                let (url, code) = (remote.url.clone(), remote.code.clone());
                let (tx, rx) = std::sync::mpsc::channel();
                std::thread::spawn(move || {
                    let _ = tx.send(client::join(&url, &code));
                });
                remote.joining = Some(Mutex::new(rx));
            }
            Some(Ok((link, welcome))) => {
                remote.joining = None;
                match Follower::start(&welcome, self.analyser.clone()) {
                    Ok((sim, header, follower)) => {
                        self.sim = sim;
                        self.header = header;
                        remote.follower = follower;
                        remote.link = Some(link);
                        remote.lost = None;
                        self.follow_conversation();
                    }
                    Err(error) => remote.lost = Some(error.to_string()),
                }
            }
            Some(Err(error)) => {
                remote.joining = None;
                remote.lost = Some(error.to_string());
            }
        }
    }
}
