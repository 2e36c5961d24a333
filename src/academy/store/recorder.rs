//! Recording a session as it is played: chunks of transcript appended in one transaction each.

use super::schema::begin_immediate;
use super::{NewSession, Result, SessionStatus, Store, StoreError, db_error, now_rfc3339};
use crate::engine::transcript::Record;
use crate::score::Scores;
use rusqlite::{OptionalExtension, params};
use sha2::{Digest, Sha256};

struct Chunk {
    seq: u32,
    first_event: u64,
    events_total: u64,
    lines: String,
}

struct SessionEnd<'a> {
    status: SessionStatus,
    transcript_sha256: Option<String>,
    scores: Option<&'a Scores>,
    interruption: Option<&'a str>,
}

/// Writes a session's transcript into the store as it is played: each `flush` appends the
/// events since the last one in a single transaction; `finish` adds the rest with the scores.
pub struct Recorder {
    session: i64,
    written: usize,
    seq: u32,
    /// Hash of every byte written so far, header line included (`write_jsonl`'s bytes).
    hasher: Sha256,
}

impl Recorder {
    pub fn start(store: &Store, new: &NewSession) -> Result<Recorder> {
        let session = store.begin_session(new)?;
        let mut hasher = Sha256::new();
        let header = serde_json::to_string(new.header)
            .map_err(|e| StoreError(format!("cannot encode the transcript header: {e}")))?;
        hasher.update(header.as_bytes());
        hasher.update(b"\n");
        Ok(Recorder {
            session,
            written: 0,
            seq: 0,
            hasher,
        })
    }

    /// Goes on writing a session still being recorded (a server restarted under it): what
    /// was written stays, the next flush appends after it.
    pub fn resume(store: &Store, session: i64) -> Result<Recorder> {
        let text = store.transcript(session)?;
        let next_seq: u32 = store
            .conn
            .query_row(
                "SELECT COALESCE(MAX(seq) + 1, 0) FROM transcript_chunks WHERE session_id = ?1",
                params![session],
                |row| row.get(0),
            )
            .map_err(db_error(store.path()))?;
        let mut hasher = Sha256::new();
        hasher.update(text.as_bytes());
        Ok(Recorder {
            session,
            written: text.lines().count().saturating_sub(1),
            seq: next_seq,
            hasher,
        })
    }

    pub fn session(&self) -> i64 {
        self.session
    }

    /// Events written so far.
    pub fn written(&self) -> usize {
        self.written
    }

    fn next_chunk(&mut self, records: &[Record]) -> Result<Chunk> {
        let fresh = records.get(self.written..).unwrap_or_default();
        let mut lines = String::with_capacity(fresh.len() * 160);
        for record in fresh {
            let line = serde_json::to_string(record)
                .map_err(|e| StoreError(format!("cannot encode an event: {e}")))?;
            lines.push_str(&line);
            lines.push('\n');
        }
        Ok(Chunk {
            seq: self.seq,
            first_event: self.written as u64,
            events_total: records.len() as u64,
            lines,
        })
    }

    fn written_chunk(&mut self, chunk: &Chunk, total: usize) {
        self.hasher.update(chunk.lines.as_bytes());
        self.written = total;
        if !chunk.lines.is_empty() {
            self.seq += 1;
        }
    }

    /// Appends the events recorded since the last flush.
    pub fn flush(&mut self, store: &mut Store, records: &[Record]) -> Result<()> {
        if records.len() <= self.written {
            return Ok(());
        }
        let chunk = self.next_chunk(records)?;
        store.append(self.session, &chunk, None)?;
        self.written_chunk(&chunk, records.len());
        Ok(())
    }

    /// Writes the last events and closes the session as complete with its scores; returns the
    /// transcript's SHA-256.
    pub fn finish(self, store: &mut Store, records: &[Record], scores: &Scores) -> Result<String> {
        self.close(
            store,
            records,
            SessionEnd {
                status: SessionStatus::Complete,
                transcript_sha256: None,
                scores: Some(scores),
                interruption: None,
            },
        )
    }

    /// Writes the last events and closes the session as left before its end.
    pub fn abandon(self, store: &mut Store, records: &[Record]) -> Result<String> {
        self.interrupt(store, records, None)
    }

    /// Writes the last events and closes the session as abandoned, saying why when the
    /// console failed under it.
    pub fn interrupt(
        self,
        store: &mut Store,
        records: &[Record],
        interruption: Option<&str>,
    ) -> Result<String> {
        self.close(
            store,
            records,
            SessionEnd {
                status: SessionStatus::Abandoned,
                transcript_sha256: None,
                scores: None,
                interruption,
            },
        )
    }

    fn close(mut self, store: &mut Store, records: &[Record], end: SessionEnd) -> Result<String> {
        let chunk = self.next_chunk(records)?;
        let mut hasher = self.hasher.clone();
        hasher.update(chunk.lines.as_bytes());
        let sha256: String = hasher
            .finalize()
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        store.append(
            self.session,
            &chunk,
            Some(&SessionEnd {
                transcript_sha256: Some(sha256.clone()),
                ..end
            }),
        )?;
        self.written_chunk(&chunk, records.len());
        Ok(sha256)
    }
}

impl Store {
    /// Appends transcript lines (each ending in a newline) and, when `end` is given, closes the
    /// session, all in one transaction.
    fn append(&mut self, session: i64, chunk: &Chunk, end: Option<&SessionEnd>) -> Result<()> {
        let error = db_error(&self.path);
        let tx = begin_immediate(&mut self.conn, &self.path)?;
        let status: Option<String> = tx
            .query_row(
                "SELECT status FROM sessions WHERE id = ?1",
                params![session],
                |row| row.get(0),
            )
            .optional()
            .map_err(&error)?;
        match status.as_deref() {
            Some("recording") => {}
            Some(other) => {
                return Err(StoreError(format!(
                    "session {session} is {other}; it cannot be written to"
                )));
            }
            None => return Err(StoreError(format!("no session {session}"))),
        }
        let now = now_rfc3339();
        if !chunk.lines.is_empty() {
            tx.execute(
                "INSERT INTO transcript_chunks (session_id, seq, first_event, lines)
                 VALUES (?1, ?2, ?3, ?4)",
                params![session, chunk.seq, chunk.first_event as i64, chunk.lines],
            )
            .map_err(&error)?;
        }
        tx.execute(
            "UPDATE sessions SET events = ?2, updated_at = ?3 WHERE id = ?1",
            params![session, chunk.events_total as i64, now],
        )
        .map_err(&error)?;
        if let Some(end) = end {
            let scores = match end.scores {
                Some(scores) => Some(
                    serde_json::to_string(scores)
                        .map_err(|e| StoreError(format!("cannot encode the scores: {e}")))?,
                ),
                None => None,
            };
            tx.execute(
                "UPDATE sessions SET status = ?2, ended_at = ?3, transcript_sha256 = ?4, scores = ?5,
                 interruption = ?6 WHERE id = ?1",
                params![
                    session,
                    end.status.id(),
                    now,
                    end.transcript_sha256,
                    scores,
                    end.interruption
                ],
            )
            .map_err(&error)?;
            super::archive::archive(&tx, &self.path, session)?;
        }
        tx.commit().map_err(&error)
    }
}
