//! The client's end of the wire: a WebSocket to the server on a thread of its own, so that a
//! desk drawing frames or a bot never waits on the network; and a minimal HTTP client for
//! the facilitator's calls (creating and steering exercises) from the command line and tests.

use super::wire::{ClientMessage, PROTOCOL, ServerMessage, Welcome};
use std::io::{Read, Write};
use std::net::TcpStream;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender, TryRecvError};
use std::thread::JoinHandle;
use std::time::Duration;
use tungstenite::stream::MaybeTlsStream;
use tungstenite::{Message, WebSocket};

/// How long a join waits for the server's welcome.
const WELCOME_TIMEOUT: Duration = Duration::from_secs(20);
/// How often the link's thread looks for messages to send while waiting for the server's.
const POLL: Duration = Duration::from_millis(5);

#[derive(Debug, thiserror::Error)]
pub enum ClientError {
    #[error("cannot reach {url}: {message}")]
    Connect { url: String, message: String },
    #[error("the server refused to join: {code}: {message}")]
    Refused { code: String, message: String },
    #[error("the server said something this client does not understand: {0}")]
    Protocol(String),
    #[error("the connection closed: {0}")]
    Closed(String),
}

/// What the link's thread hands to its owner.
#[derive(Debug)]
pub enum LinkEvent {
    /// A message, and its size on the wire in bytes.
    Message(Box<ServerMessage>, usize),
    /// The connection is gone, for this reason; the owner may join again.
    Closed(String),
}

/// A joined connection to an exercise.
pub struct Link {
    incoming: Receiver<LinkEvent>,
    outgoing: Option<Sender<String>>,
    thread: Option<JoinHandle<()>>,
}

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// Joins the exercise at `url` (`ws://host:port/ws`) with `code`; returns the link and the
/// server's welcome, from which the replica is built.
pub fn join(url: &str, code: &str) -> Result<(Link, Welcome), ClientError> {
    let connect = |message: String| ClientError::Connect {
        url: url.to_string(),
        message,
    };
    let (mut socket, _) = tungstenite::connect(url).map_err(|e| connect(e.to_string()))?;
    let hello = ClientMessage::Hello {
        protocol: PROTOCOL,
        code: code.to_string(),
    };
    let hello = serde_json::to_string(&hello).map_err(|e| ClientError::Protocol(e.to_string()))?;
    socket
        .send(Message::text(hello))
        .map_err(|e| connect(e.to_string()))?;
    set_read_timeout(&socket, Some(WELCOME_TIMEOUT));
    let welcome = loop {
        match read_message(&mut socket)? {
            Some((ServerMessage::Welcome(welcome), _)) => break *welcome,
            Some((ServerMessage::Error { code, message }, _)) => {
                return Err(ClientError::Refused { code, message });
            }
            Some((other, _)) => {
                return Err(ClientError::Protocol(format!(
                    "expected a welcome, got {}",
                    other.to_json()
                )));
            }
            None => continue,
        }
    };
    set_read_timeout(&socket, Some(POLL));
    let (to_owner, incoming) = mpsc::channel();
    let (outgoing, from_owner) = mpsc::channel::<String>();
    let thread = std::thread::Builder::new()
        .name("raleur-link".into())
        .spawn(move || pump(socket, &to_owner, &from_owner))
        .map_err(|e| connect(e.to_string()))?;
    Ok((
        Link {
            incoming,
            outgoing: Some(outgoing),
            thread: Some(thread),
        },
        welcome,
    ))
}

fn set_read_timeout(socket: &Socket, timeout: Option<Duration>) {
    if let MaybeTlsStream::Plain(stream) = socket.get_ref() {
        let _ = stream.set_read_timeout(timeout);
    }
}

/// One server message and its size, or none if the read timed out or brought a control
/// frame.
fn read_message(socket: &mut Socket) -> Result<Option<(ServerMessage, usize)>, ClientError> {
    match socket.read() {
        Ok(Message::Text(text)) => serde_json::from_str(text.as_str())
            .map(|message| Some((message, text.len())))
            .map_err(|e| ClientError::Protocol(format!("{e}: {}", preview(text.as_str())))),
        Ok(Message::Close(frame)) => Err(ClientError::Closed(
            frame.map_or_else(|| "closed by the server".into(), |f| f.reason.to_string()),
        )),
        Ok(_) => Ok(None),
        Err(tungstenite::Error::Io(e))
            if matches!(
                e.kind(),
                std::io::ErrorKind::WouldBlock | std::io::ErrorKind::TimedOut
            ) =>
        {
            Ok(None)
        }
        Err(e) => Err(ClientError::Closed(e.to_string())),
    }
}

fn preview(text: &str) -> String {
    text.chars().take(120).collect()
}

/// The link's thread: sends what the owner queued, hands over what the server sent, until
/// either side goes.
fn pump(mut socket: Socket, to_owner: &Sender<LinkEvent>, from_owner: &Receiver<String>) {
    let reason = loop {
        match from_owner.try_recv() {
            Ok(text) => {
                if let Err(e) = socket.send(Message::text(text)) {
                    break e.to_string();
                }
                continue;
            }
            Err(TryRecvError::Disconnected) => {
                let _ = socket.close(None);
                let _ = socket.flush();
                return;
            }
            Err(TryRecvError::Empty) => {}
        }
        match read_message(&mut socket) {
            Ok(Some((message, bytes))) => {
                if to_owner
                    .send(LinkEvent::Message(Box::new(message), bytes))
                    .is_err()
                {
                    return;
                }
            }
            Ok(None) => {}
            Err(ClientError::Closed(reason)) => break reason,
            Err(e) => break e.to_string(),
        }
    };
    let _ = to_owner.send(LinkEvent::Closed(reason));
}

impl Link {
    /// Queues a message for the server; false if the connection is gone.
    pub fn send(&self, message: &ClientMessage) -> bool {
        let Ok(text) = serde_json::to_string(message) else {
            return false;
        };
        self.send_text(text)
    }

    /// Queues raw text (tests send malformed messages with it).
    pub fn send_text(&self, text: String) -> bool {
        self.outgoing.as_ref().is_some_and(|o| o.send(text).is_ok())
    }

    /// The next event if one has come.
    pub fn try_next(&self) -> Option<LinkEvent> {
        match self.incoming.try_recv() {
            Ok(event) => Some(event),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(LinkEvent::Closed("the link stopped".into())),
        }
    }

    /// The next event, waiting up to `timeout`.
    pub fn next_within(&self, timeout: Duration) -> Option<LinkEvent> {
        match self.incoming.recv_timeout(timeout) {
            Ok(event) => Some(event),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => {
                Some(LinkEvent::Closed("the link stopped".into()))
            }
        }
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // Dropping the sender tells the thread to close the socket and end.
        self.outgoing = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

/// An HTTP/1.1 request to the server at `base` (`http://host:port`), with a bearer token
/// and a JSON body; returns the status and the body. Enough for the server's own API.
pub fn http(
    method: &str,
    base: &str,
    path: &str,
    token: Option<&str>,
    body: Option<&str>,
) -> Result<(u16, String), ClientError> {
    let authority = base
        .strip_prefix("http://")
        .unwrap_or(base)
        .trim_end_matches('/');
    let connect = |message: String| ClientError::Connect {
        url: format!("{base}{path}"),
        message,
    };
    let mut stream = TcpStream::connect(authority).map_err(|e| connect(e.to_string()))?;
    let _ = stream.set_read_timeout(Some(Duration::from_secs(30)));
    let body = body.unwrap_or("");
    let mut request = format!(
        "{method} {path} HTTP/1.1\r\nHost: {authority}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    if let Some(token) = token {
        request.push_str(&format!("Authorization: Bearer {token}\r\n"));
    }
    request.push_str("\r\n");
    request.push_str(body);
    stream
        .write_all(request.as_bytes())
        .map_err(|e| connect(e.to_string()))?;
    let mut response = Vec::new();
    stream
        .read_to_end(&mut response)
        .map_err(|e| connect(e.to_string()))?;
    let response = String::from_utf8_lossy(&response);
    let (head, rest) = response
        .split_once("\r\n\r\n")
        .ok_or_else(|| ClientError::Protocol("an HTTP answer without headers".into()))?;
    let status = head
        .split_whitespace()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .ok_or_else(|| ClientError::Protocol(format!("no HTTP status in {head:?}")))?;
    let chunked = head
        .lines()
        .any(|l| l.eq_ignore_ascii_case("transfer-encoding: chunked"));
    let body = if chunked {
        dechunk(rest)
    } else {
        rest.to_string()
    };
    Ok((status, body))
}

fn dechunk(mut rest: &str) -> String {
    let mut out = String::new();
    while let Some((size, after)) = rest.split_once("\r\n") {
        let Ok(size) = usize::from_str_radix(size.trim(), 16) else {
            break;
        };
        let (Some(chunk), Some(next)) = (after.get(..size), after.get(size..)) else {
            break;
        };
        if size == 0 {
            break;
        }
        out.push_str(chunk);
        rest = next.trim_start_matches("\r\n");
    }
    out
}
