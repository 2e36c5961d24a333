//! The transcript: every event of a session with its simulated time, as JSON lines.
//!
//! The first line is a [`Header`]; each further line is a [`Record`]. Field order is fixed by
//! the structs, numbers are integers, so the same session always gives the same bytes.

use super::analysis::{ReplyFlags, StatementFlags};
use super::ids::{CustomerId, MessageId, SeatId};
use super::scenario::{Account, Channel, Desk, Lang};
use super::seats::Seat;
use super::sim::MAX_CUSTOMERS_TARGET;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

mod check;
mod wire;

use check::Checker;

pub const FORMAT: &str = "raleur-transcript/2";

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Header {
    pub format: String,
    pub engine: String,
    pub scenario_id: String,
    /// Where the scenario was read from, as given to the command.
    pub scenario_path: String,
    pub scenario_sha256: String,
    pub seed: u64,
    /// The `--customers` target the arrival rates were scaled to, if any.
    pub customers_target: Option<u64>,
    pub lang: Lang,
    /// The reply analyser and its data (`ReplyAnalyser::id`): a replay needs the same one.
    pub analyser: String,
    /// A team session's seats, in id order; a solo session has none (and writes none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub seats: Vec<Seat>,
}

#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Record {
    pub t_ms: u64,
    pub seq: u64,
    pub event: Event,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    Arrival,
    Scripted,
    PileOn,
    /// Brought by the facilitator: an inject's post, wave or surge, or a post typed live.
    Inject,
}

/// What a customer's post does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PostAct {
    Complaint,
    Followup,
    CancelThreat,
    Insult,
    TagCompetitor,
    Witnesses,
    Shame,
    PreemptTemplate,
    DmOpen,
    /// In public: "OK, I'm writing to you privately."
    DmAccept,
    DmDetails,
    DmRefuse,
    PublicData,
    RefusePublicData,
    Acknowledged,
    ThanksPublic,
    BounceBack,
    Redirected,
    Censored,
}

impl PostAct {
    pub fn is_escalation(self) -> bool {
        matches!(
            self,
            PostAct::CancelThreat | PostAct::Insult | PostAct::TagCompetitor | PostAct::Witnesses
        )
    }
    /// Posts that call for an answer from the brand.
    pub fn needs_answer(self) -> bool {
        !matches!(
            self,
            PostAct::ThanksPublic | PostAct::Acknowledged | PostAct::DmAccept
        )
    }
}

/// Why a customer's anger moved after something the brand did.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cause {
    Acknowledged,
    ApologyRepair,
    Template,
    Tutoiement,
    HumourWorked,
    HumourBackfired,
    Blame,
    Hidden,
    LikedComplaint,
    Resolved,
    WrongService,
    MissingDetails,
    AskedDataInPublic,
    /// The brand's statement blamed someone or denied the problem.
    BadStatement,
    /// The update the brand's statement promised did not come.
    UpdateMissed,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BounceReason {
    WrongService,
    MissingDetails,
}

wire::events! {
pub enum Event {
    /// A phase or timeline event begins or ends.
    Timeline {
        id: String,
        begins: bool,
    },
    Arrival {
        customer: CustomerId,
        handle: String,
        persona: String,
        kind: String,
        channel: Channel,
        account: Account,
        followers: u32,
        expectation_ms: u64,
        lang: Lang,
        source: Source,
        /// The firing (`Event::Inject`'s) that brought the customer, if an inject did.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        firing: Option<u32>,
    },
    Post {
        customer: CustomerId,
        message: MessageId,
        private: bool,
        act: PostAct,
        text: String,
        anger: u8,
        /// Detail ids this message gives.
        details: Vec<String>,
    },
    Reply {
        customer: CustomerId,
        message: MessageId,
        private: bool,
        text: String,
        copy: bool,
        flags: ReplyFlags,
        /// The seat that acted, in a team session.
        #[serde(skip_serializing_if = "Option::is_none")]
        seat: Option<SeatId>,
    },
    Transfer {
        customer: CustomerId,
        service: String,
        details: Vec<String>,
        /// The seat that acted, in a team session.
        #[serde(skip_serializing_if = "Option::is_none")]
        seat: Option<SeatId>,
    },
    Hide {
        message: MessageId,
        /// The seat that acted, in a team session.
        #[serde(skip_serializing_if = "Option::is_none")]
        seat: Option<SeatId>,
    },
    Like {
        message: MessageId,
        /// The seat that acted, in a team session.
        #[serde(skip_serializing_if = "Option::is_none")]
        seat: Option<SeatId>,
    },
    /// A seat takes a conversation.
    Claim {
        customer: CustomerId,
        seat: SeatId,
    },
    /// A seat gives a conversation back to the queue (`from` held it).
    Release {
        customer: CustomerId,
        seat: SeatId,
        from: SeatId,
    },
    /// A seat hands a conversation over (its own, or any as the lead assigns).
    HandOver {
        customer: CustomerId,
        seat: SeatId,
        from: Option<SeatId>,
        to: SeatId,
    },
    /// The facilitator fired an inject: the session's `firing`-th firing (from 0), which
    /// the customers it brings name.
    Inject {
        inject: String,
        firing: u32,
    },
    /// The facilitator posted as a new customer; their arrival and post follow.
    PostAs {
        persona: String,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        kind: Option<String>,
        channel: Channel,
        account: Account,
        text: String,
    },
    /// The brand published a statement on a channel and pinned it (the `statement`-th of
    /// the session, from 0; `incidents` are the ids of those it speaks about, under way).
    Statement {
        statement: u32,
        channel: Channel,
        text: String,
        flags: StatementFlags,
        incidents: Vec<String>,
        /// The seat that acted, in a team session.
        #[serde(skip_serializing_if = "Option::is_none")]
        seat: Option<SeatId>,
    },
    /// A statement's promised update did not come: it reassures nobody any more.
    UpdateMissed {
        statement: u32,
    },
    /// A post escalated inside the company.
    Escalated {
        customer: CustomerId,
        to: Desk,
        /// The seat that acted, in a team session.
        #[serde(skip_serializing_if = "Option::is_none")]
        seat: Option<SeatId>,
    },
    /// The press office answered a journalist escalated to it.
    PressAnswered {
        customer: CustomerId,
    },
    /// A journalist published an article about the brand's handling.
    Article {
        customer: CustomerId,
        buzz: u64,
    },
    /// A seat tried to answer, transfer or take a conversation another seat holds; refused.
    Collision {
        customer: CustomerId,
        seat: SeatId,
        holder: SeatId,
    },
    Reaction {
        customer: CustomerId,
        causes: Vec<Cause>,
        anger: u8,
    },
    Redirected {
        customer: CustomerId,
    },
    PrivacyLeak {
        customer: CustomerId,
        message: MessageId,
    },
    Resolved {
        customer: CustomerId,
        service: Option<String>,
    },
    Bounced {
        customer: CustomerId,
        service: String,
        reason: BounceReason,
    },
    Ambassador {
        customer: CustomerId,
    },
    Churned {
        customer: CustomerId,
        anger: u8,
    },
    Abandoned {
        customer: CustomerId,
        anger: u8,
    },
    Reshare {
        customer: CustomerId,
        message: MessageId,
        followers: u32,
        depth: u16,
    },
    Sample {
        waiting: u32,
        answered: u32,
        churned: u32,
        ambassadors: u32,
        mean_anger: u8,
        buzz: u64,
        reach: u64,
    },
    End,
}
}

impl Event {
    /// Whether the trainee caused this event (the inputs a replay re-applies).
    pub fn is_action(&self) -> bool {
        matches!(
            self,
            Event::Reply { .. }
                | Event::Transfer { .. }
                | Event::Hide { .. }
                | Event::Like { .. }
                | Event::Claim { .. }
                | Event::Release { .. }
                | Event::HandOver { .. }
                | Event::Collision { .. }
                | Event::Inject { .. }
                | Event::PostAs { .. }
                | Event::Statement { .. }
                | Event::Escalated { .. }
        )
    }
}

/// Writes a transcript as JSON lines and hashes exactly the bytes written.
pub fn write_jsonl(
    header: &Header,
    records: &[Record],
    out: &mut impl std::io::Write,
) -> std::io::Result<String> {
    let mut writer = JsonlWriter::new(header, out)?;
    for record in records {
        writer.write(record)?;
    }
    Ok(writer.finish().0)
}

/// A transcript written line by line as its records come (a headless run writes it while the
/// session goes on), hashing exactly the bytes written.
pub struct JsonlWriter<W: std::io::Write> {
    hasher: Sha256,
    line: Vec<u8>,
    out: W,
}

impl<W: std::io::Write> JsonlWriter<W> {
    /// A writer that has written the header line.
    pub fn new(header: &Header, out: W) -> std::io::Result<JsonlWriter<W>> {
        let mut writer = JsonlWriter {
            hasher: Sha256::new(),
            line: Vec::with_capacity(256),
            out,
        };
        serde_json::to_writer(&mut writer.line, header)?;
        writer.emit()?;
        Ok(writer)
    }

    pub fn write(&mut self, record: &Record) -> std::io::Result<()> {
        serde_json::to_writer(&mut self.line, record)?;
        self.emit()
    }

    fn emit(&mut self) -> std::io::Result<()> {
        self.line.push(b'\n');
        self.hasher.update(&self.line[..]);
        self.out.write_all(&self.line)?;
        self.line.clear();
        Ok(())
    }

    /// The SHA-256 of everything written so far, in hex (a team exercise compares replicas
    /// with it as the session goes on).
    pub fn sha256_so_far(&self) -> String {
        hex(&self.hasher.clone().finalize())
    }

    /// The SHA-256 of everything written, in hex, and the output (to flush).
    pub fn finish(self) -> (String, W) {
        (hex(&self.hasher.finalize()), self.out)
    }
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex(&Sha256::digest(bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[derive(Debug)]
pub struct TranscriptError {
    pub line: usize,
    pub message: String,
}

impl std::fmt::Display for TranscriptError {
    fn fmt(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
        write!(f, "line {}: {}", self.line, self.message)
    }
}

/// The longest text a transcript may hold in one field (a post, a reply, a handle...): far
/// above any channel's limit, low enough that a forged file cannot make the scorer crawl.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

/// The most detail ids one post or transfer may name.
pub const MAX_DETAILS: usize = 64;

/// Reads a transcript back and checks it can be trusted as a session's record: the header's
/// format and bounds, records in time order, every customer and message id one the transcript
/// introduced before, bounded texts. The error names the line at fault.
pub fn read_jsonl(text: &str) -> Result<(Header, Vec<Record>), TranscriptError> {
    let mut lines = text
        .lines()
        .enumerate()
        .filter(|(_, l)| !l.trim().is_empty());
    let (_, first) = lines.next().ok_or(TranscriptError {
        line: 1,
        message: "empty transcript".into(),
    })?;
    let header: Header = serde_json::from_str(first).map_err(|e| TranscriptError {
        line: 1,
        message: format!("not a transcript header: {e}"),
    })?;
    if header.format != FORMAT {
        return Err(TranscriptError {
            line: 1,
            message: format!("format {:?}, expected {FORMAT:?}", header.format),
        });
    }
    if let Some(target) = header.customers_target
        && target > MAX_CUSTOMERS_TARGET
    {
        return Err(TranscriptError {
            line: 1,
            message: format!(
                "customers_target {target} is above the most a session may ask for ({MAX_CUSTOMERS_TARGET})"
            ),
        });
    }
    if let Err(fault) = super::seats::validate(&header.seats) {
        return Err(TranscriptError {
            line: 1,
            message: fault.to_string(),
        });
    }
    let lines: Vec<(usize, &str)> = lines.collect();
    let mut checker = Checker::with_seats(header.seats.len() as u32);
    let mut records = Vec::with_capacity(lines.len());
    // Parsed on every core, checked in order: the first faulty line is the one reported.
    for ((index, _), parsed) in lines.iter().zip(parse_lines(&lines)) {
        let fault = |message: String| TranscriptError {
            line: index + 1,
            message,
        };
        let record = parsed.map_err(fault)?;
        checker.check(&record).map_err(fault)?;
        records.push(record);
    }
    Ok((header, records))
}

/// Lines below this are parsed on one thread: a short transcript would wait on the others.
const PARALLEL_FROM_LINES: usize = 20_000;

/// Each line's record, in order, or the reason it is not one; a part stops at its first
/// fault (nothing after it is read).
fn parse_lines(lines: &[(usize, &str)]) -> Vec<Result<Record, String>> {
    let parse_part = |part: &[(usize, &str)]| {
        let mut parsed = Vec::with_capacity(part.len());
        for (_, line) in part {
            let record = serde_json::from_str::<Record>(line).map_err(|e| e.to_string());
            let failed = record.is_err();
            parsed.push(record);
            if failed {
                break;
            }
        }
        parsed
    };
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(4));
    if threads == 1 || lines.len() < PARALLEL_FROM_LINES {
        return parse_part(lines);
    }
    let part_len = lines.len().div_ceil(threads);
    let parts: Vec<Vec<Result<Record, String>>> = std::thread::scope(|scope| {
        let handles: Vec<_> = lines
            .chunks(part_len)
            .map(|part| scope.spawn(move || parse_part(part)))
            .collect();
        handles
            .into_iter()
            .map(|handle| {
                handle
                    .join()
                    .unwrap_or_else(|_| vec![Err("the reader stopped on an internal error".into())])
            })
            .collect()
    });
    let mut parsed = Vec::with_capacity(lines.len());
    for part in parts {
        parsed.extend(part);
        // A part that stopped on a fault ends the reading: later lines are never looked at.
        if parsed.last().is_some_and(Result::is_err) {
            break;
        }
    }
    parsed
}
