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
    /// A message, its size on the wire in bytes, and when it arrived.
    Message(Box<ServerMessage>, usize, std::time::Instant),
    /// The connection is gone, for this reason; the owner may join again.
    Closed(String),
}

/// A joined connection to an exercise.
pub struct Link {
    // Behind a lock so that a link may sit in a shared resource (the window's desk).
    incoming: std::sync::Mutex<Receiver<LinkEvent>>,
    outgoing: Option<Sender<String>>,
    /// One thread blocked reading the server, one blocked waiting for what to send: an idle
    /// link costs no wake-ups, and an action leaves at once.
    threads: Vec<JoinHandle<()>>,
}

type Socket = WebSocket<MaybeTlsStream<TcpStream>>;

/// Joins the exercise at `url` (`ws://host:port/ws`) with `code`; returns the link and the
/// server's welcome, from which the replica is built.
pub fn join(url: &str, code: &str) -> Result<(Link, Welcome), ClientError> {
    let connect = |message: String| ClientError::Connect {
        url: url.to_string(),
        message,
    };
    if url.starts_with("wss://") {
        return Err(connect(
            "this client speaks ws:// only; reach a TLS server through an SSH tunnel (docs/protocol.md)"
                .into(),
        ));
    }
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
    set_read_timeout(&socket, None);
    let MaybeTlsStream::Plain(stream) = socket.get_ref() else {
        return Err(connect(
            "only ws:// is spoken; put TLS in front of the server".into(),
        ));
    };
    // An action leaves at once, not after the previous message's acknowledgement.
    let _ = stream.set_nodelay(true);
    let stream = stream.try_clone().map_err(|e| connect(e.to_string()))?;
    let writer = WebSocket::from_raw_socket(
        MaybeTlsStream::Plain(stream.try_clone().map_err(|e| connect(e.to_string()))?),
        tungstenite::protocol::Role::Client,
        None,
    );
    let (to_owner, incoming) = mpsc::channel();
    let (outgoing, from_owner) = mpsc::channel::<String>();
    let spawn = |name: &str, work: Box<dyn FnOnce() + Send>| {
        std::thread::Builder::new()
            .name(name.into())
            .spawn(work)
            .map_err(|e| connect(e.to_string()))
    };
    let reader = spawn(
        "raleur-link-read",
        Box::new(move || read_all(socket, &to_owner)),
    )?;
    let writer = spawn(
        "raleur-link-write",
        Box::new(move || write_all(writer, &stream, &from_owner)),
    )?;
    Ok((
        Link {
            incoming: std::sync::Mutex::new(incoming),
            outgoing: Some(outgoing),
            threads: vec![reader, writer],
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

/// The reading thread: hands over what the server sends until the connection goes.
fn read_all(mut socket: Socket, to_owner: &Sender<LinkEvent>) {
    let reason = loop {
        match read_message(&mut socket) {
            Ok(Some((message, bytes))) => {
                if to_owner
                    .send(LinkEvent::Message(
                        Box::new(message),
                        bytes,
                        std::time::Instant::now(),
                    ))
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

/// The writing thread: sends what the owner queues; when the owner lets the link go, closes
/// the connection, which ends the reading thread too.
fn write_all(mut writer: Socket, stream: &TcpStream, from_owner: &Receiver<String>) {
    while let Ok(text) = from_owner.recv() {
        if writer.send(Message::text(text)).is_err() {
            break;
        }
    }
    let _ = writer.close(None);
    let _ = writer.flush();
    let _ = stream.shutdown(std::net::Shutdown::Both);
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

    fn receiver(&self) -> std::sync::MutexGuard<'_, Receiver<LinkEvent>> {
        self.incoming.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The next event if one has come.
    pub fn try_next(&self) -> Option<LinkEvent> {
        match self.receiver().try_recv() {
            Ok(event) => Some(event),
            Err(TryRecvError::Empty) => None,
            Err(TryRecvError::Disconnected) => Some(LinkEvent::Closed("the link stopped".into())),
        }
    }

    /// The next event, waiting up to `timeout`.
    pub fn next_within(&self, timeout: Duration) -> Option<LinkEvent> {
        match self.receiver().recv_timeout(timeout) {
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
        // Dropping the sender tells the writer to close the socket, and so the reader to end.
        self.outgoing = None;
        for thread in self.threads.drain(..) {
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
    let response = read_response(&mut stream).map_err(|e| connect(e.to_string()))?;
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

/// The answer's bytes: up to its `Content-Length` if it gives one (a server may keep the
/// connection open after it), else up to the end of the connection.
fn read_response(stream: &mut TcpStream) -> std::io::Result<Vec<u8>> {
    let mut response = Vec::new();
    let mut chunk = [0u8; 16 * 1024];
    loop {
        let read = stream.read(&mut chunk)?;
        if read == 0 {
            return Ok(response);
        }
        response.extend_from_slice(&chunk[..read]);
        let Some(end) = response.windows(4).position(|w| w == b"\r\n\r\n") else {
            continue;
        };
        let head = String::from_utf8_lossy(&response[..end]).to_ascii_lowercase();
        let length = head.lines().find_map(|l| {
            l.strip_prefix("content-length:")
                .and_then(|v| v.trim().parse::<usize>().ok())
        });
        if let Some(length) = length {
            let total = end + 4 + length;
            while response.len() < total {
                let read = stream.read(&mut chunk)?;
                if read == 0 {
                    break;
                }
                response.extend_from_slice(&chunk[..read]);
            }
            response.truncate(total);
            return Ok(response);
        }
        stream.read_to_end(&mut response)?;
        return Ok(response);
    }
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

/// What creating an exercise answers (docs/protocol.md, `POST /api/exercises`).
#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct Created {
    pub id: String,
    /// The join path, `/exercises/ID/ws`.
    pub ws: String,
    pub facilitator: String,
    pub observer: String,
    pub seats: Vec<CreatedSeat>,
}

#[derive(Clone, Debug, serde::Deserialize, serde::Serialize)]
pub struct CreatedSeat {
    pub seat: usize,
    pub name: String,
    #[serde(default)]
    pub role: Option<crate::engine::seats::SeatRole>,
    pub scripted: bool,
    /// The seat's join code; none for a scripted colleague's.
    pub code: Option<String>,
}

impl Created {
    /// The join codes of the people's seats, in seat order.
    pub fn codes(&self) -> Vec<String> {
        self.seats.iter().filter_map(|s| s.code.clone()).collect()
    }
}

/// Creates an exercise on the server at `base` with the host token; `request` is the JSON
/// body the API takes.
pub fn create_exercise(
    base: &str,
    host_token: &str,
    request: &serde_json::Value,
) -> Result<Created, ClientError> {
    let (status, text) = http(
        "POST",
        base,
        "/api/exercises",
        Some(host_token),
        Some(&request.to_string()),
    )?;
    if status != 201 {
        return Err(ClientError::Refused {
            code: status.to_string(),
            message: text,
        });
    }
    serde_json::from_str(&text).map_err(|e| ClientError::Protocol(e.to_string()))
}
