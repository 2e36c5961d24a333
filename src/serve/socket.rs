//! One client's WebSocket: it proves who it is (`hello`), gets the welcome, then receives
//! every message of the exercise and sends its seat's actions, within bounds of size and rate.

use super::Live;
use crate::exercise::authority::Input;
use crate::exercise::hosted::Role;
use crate::exercise::wire::{
    ClientMessage, MAX_CLIENT_MESSAGE_BYTES, MAX_READ_BYTES, PROTOCOL, ServerMessage,
};
use axum::extract::ws::{CloseFrame, Message, WebSocket};
use std::net::SocketAddr;
use std::sync::Arc;
use std::time::{Duration, Instant};
use tokio::sync::broadcast::error::RecvError;

/// How long a new connection has to say who it is.
const HELLO_TIMEOUT: Duration = Duration::from_secs(10);
/// A seat's sustained rate of messages, and the burst it may send at once.
const MESSAGES_PER_S: f64 = 10.0;
const BURST: f64 = 30.0;
/// Messages dropped for rate in a row before the connection is closed.
const MAX_DROPPED: u32 = 200;

/// WebSocket close codes (RFC 6455, 7.4.1).
const CLOSE_POLICY: u16 = 1008;
const CLOSE_TOO_BIG: u16 = 1009;

fn error(code: &str, message: &str) -> Message {
    Message::text(
        ServerMessage::Error {
            code: code.into(),
            message: message.into(),
        }
        .to_json(),
    )
}

async fn close_with(socket: &mut WebSocket, code: &str, message: &str, close: u16) {
    let _ = socket.send(error(code, message)).await;
    let _ = socket
        .send(Message::Close(Some(CloseFrame {
            code: close,
            reason: code.to_string().into(),
        })))
        .await;
}

/// Serves one connection to exercise `live` until it closes.
pub async fn serve(mut socket: WebSocket, live: Arc<Live>, peer: SocketAddr) {
    let Some(role) = hello(&mut socket, &live, peer).await else {
        return;
    };
    let seat = match role {
        Role::Seat(seat) => Some(seat),
        Role::Facilitator | Role::Observer => None,
    };
    let mut rx = match welcome(&mut socket, &live, seat).await {
        Some(rx) => rx,
        None => return,
    };
    if let Some(seat) = seat {
        live.lock().connected[seat.index()] += 1;
    }
    let mut bucket = Bucket::new();
    loop {
        tokio::select! {
            incoming = socket.recv() => {
                let Some(incoming) = incoming else { break };
                let text = match incoming {
                    Ok(Message::Text(text)) => text,
                    Ok(Message::Close(_)) => break,
                    Ok(Message::Binary(_)) => {
                        let _ = socket.send(error("bad_message", "messages are JSON text")).await;
                        continue;
                    }
                    Ok(_) => continue,
                    Err(e) => {
                        // Too large, or broken: the connection cannot be read further.
                        let message = e.to_string();
                        eprintln!("raleur serve: {peer}: {message}");
                        let (code, close) = if message.contains("too long") || message.contains("too big") {
                            ("message_too_large", CLOSE_TOO_BIG)
                        } else {
                            ("bad_message", CLOSE_POLICY)
                        };
                        close_with(&mut socket, code, &format!("{message}; at most {MAX_READ_BYTES} bytes are read"), close).await;
                        break;
                    }
                };
                match bucket.take() {
                    Take::Ok => {}
                    Take::Dropped { tell } => {
                        if tell {
                            let _ = socket.send(error("rate_limited", "too many messages; wait a moment")).await;
                        }
                        continue;
                    }
                    Take::Flood => {
                        eprintln!("raleur serve: {peer}: closed for flooding");
                        close_with(&mut socket, "rate_limited", "too many messages", CLOSE_POLICY).await;
                        break;
                    }
                }
                if text.len() > MAX_CLIENT_MESSAGE_BYTES {
                    let message = format!("{} bytes; a message may hold {MAX_CLIENT_MESSAGE_BYTES}", text.len());
                    let _ = socket.send(error("message_too_large", &message)).await;
                    continue;
                }
                if let Some(answer) = handle(text.as_str(), seat, &live) {
                    let _ = socket.send(Message::text(answer.to_json())).await;
                }
            }
            outgoing = rx.recv() => {
                match outgoing {
                    Ok(text) => {
                        if socket.send(Message::text(text.as_ref())).await.is_err() {
                            break;
                        }
                    }
                    // Fallen too far behind: a fresh welcome brings the client level.
                    Err(RecvError::Lagged(_)) => {
                        match welcome(&mut socket, &live, seat).await {
                            Some(fresh) => rx = fresh,
                            None => break,
                        }
                    }
                    Err(RecvError::Closed) => break,
                }
            }
        }
    }
    if let Some(seat) = seat {
        let mut state = live.lock();
        if let Some(count) = state.connected.get_mut(seat.index()) {
            *count = count.saturating_sub(1);
        }
    }
}

/// Reads the hello and checks its code against this exercise's; refuses and logs otherwise.
async fn hello(socket: &mut WebSocket, live: &Live, peer: SocketAddr) -> Option<Role> {
    let first = tokio::time::timeout(HELLO_TIMEOUT, socket.recv()).await;
    let text = match first {
        Ok(Some(Ok(Message::Text(text)))) => text,
        Ok(Some(Err(_))) => {
            close_with(
                socket,
                "message_too_large",
                "the hello is too large",
                CLOSE_TOO_BIG,
            )
            .await;
            return None;
        }
        Ok(_) | Err(_) => {
            close_with(socket, "hello_expected", "send hello first", CLOSE_POLICY).await;
            return None;
        }
    };
    let code = match serde_json::from_str::<ClientMessage>(text.as_str()) {
        Ok(ClientMessage::Hello { protocol, .. }) if protocol != PROTOCOL => {
            let message = format!("this server speaks protocol {PROTOCOL}, not {protocol}");
            close_with(socket, "protocol", &message, CLOSE_POLICY).await;
            return None;
        }
        Ok(ClientMessage::Hello { code, .. }) => code,
        Ok(_) | Err(_) => {
            close_with(socket, "hello_expected", "send hello first", CLOSE_POLICY).await;
            return None;
        }
    };
    let role = live.lock().hosted.who(&code);
    if role.is_none() {
        let id = live.lock().hosted.saved.id.clone();
        eprintln!("raleur serve: {peer}: refused: a code that is not exercise {id}'s");
        close_with(
            socket,
            "unauthorized",
            "this code does not open this exercise",
            CLOSE_POLICY,
        )
        .await;
    }
    role
}

/// Sends the welcome and subscribes, under one lock: no message falls between the two.
async fn welcome(
    socket: &mut WebSocket,
    live: &Live,
    seat: Option<crate::engine::ids::SeatId>,
) -> Option<tokio::sync::broadcast::Receiver<Arc<str>>> {
    let (welcome, rx) = {
        let state = live.lock();
        let welcome = ServerMessage::Welcome(Box::new(state.hosted.exercise.welcome(seat)));
        (welcome.to_json(), live.subscribe())
    };
    socket.send(Message::text(welcome)).await.ok()?;
    Some(rx)
}

/// One message after the hello; the answer for this client, if any.
fn handle(
    text: &str,
    seat: Option<crate::engine::ids::SeatId>,
    live: &Live,
) -> Option<ServerMessage> {
    let error = |code: &str, message: String| {
        Some(ServerMessage::Error {
            code: code.into(),
            message,
        })
    };
    let message = match serde_json::from_str::<ClientMessage>(text) {
        Ok(message) => message,
        Err(e) => return error("bad_message", format!("not a message of the protocol: {e}")),
    };
    match message {
        ClientMessage::Hello { .. } => error("bad_message", "already joined".into()),
        ClientMessage::Act { reference, action } => {
            let Some(seat) = seat else {
                return error("forbidden", "only a seat acts; this code watches".into());
            };
            let mut state = live.lock();
            let input = Input::Act {
                seat,
                reference,
                action,
            };
            match live.input(&mut state, &input) {
                Ok(answer) => answer,
                Err(e) => error("server_error", e.to_string()),
            }
        }
    }
}

/// A token bucket: `MESSAGES_PER_S` sustained, `BURST` at once.
struct Bucket {
    tokens: f64,
    at: Instant,
    dropped: u32,
    told_at: Option<Instant>,
}

enum Take {
    Ok,
    /// Over the rate: dropped; `tell` once a second at most.
    Dropped {
        tell: bool,
    },
    Flood,
}

impl Bucket {
    fn new() -> Bucket {
        Bucket {
            tokens: BURST,
            at: Instant::now(),
            dropped: 0,
            told_at: None,
        }
    }

    fn take(&mut self) -> Take {
        let now = Instant::now();
        self.tokens =
            (self.tokens + now.duration_since(self.at).as_secs_f64() * MESSAGES_PER_S).min(BURST);
        self.at = now;
        if self.tokens >= 1.0 {
            self.tokens -= 1.0;
            self.dropped = 0;
            return Take::Ok;
        }
        self.dropped += 1;
        if self.dropped > MAX_DROPPED {
            return Take::Flood;
        }
        let tell = self
            .told_at
            .is_none_or(|t| now.duration_since(t) >= Duration::from_secs(1));
        if tell {
            self.told_at = Some(now);
        }
        Take::Dropped { tell }
    }
}
