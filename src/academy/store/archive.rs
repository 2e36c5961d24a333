//! Ended sessions' transcripts, compressed. While a session is recorded its events go in as
//! plain chunks (a killed process loses at most the last flush); when it ends, its chunks are
//! compressed with zstd into one archive, checked to come back byte for byte, and dropped, all
//! in the transaction that ends it. A price war's 1.7 MB of JSON lines keeps about 130 kB.

use super::{Result, StoreError, db_error};
use rusqlite::{OptionalExtension, Transaction, params};
use std::path::Path;

/// zstd's level: 9 keeps a price war in about 130 kB in 70 ms; 19 would save a tenth more in
/// two seconds, which a trainee would wait at the end of every session.
const LEVEL: i32 = 9;

/// The codec an archive is written with, recorded beside it.
const CODEC: &str = "zstd";

/// The session's events so far, as JSON lines, from its chunks.
fn chunk_lines(tx: &Transaction, session: i64) -> rusqlite::Result<String> {
    let mut statement =
        tx.prepare("SELECT lines FROM transcript_chunks WHERE session_id = ?1 ORDER BY seq")?;
    let mut lines = String::new();
    for chunk in statement.query_map(params![session], |row| row.get::<_, String>(0))? {
        lines.push_str(&chunk?);
    }
    Ok(lines)
}

/// Compresses an ended session's chunks into its archive and drops them, inside `tx`.
pub(super) fn archive(tx: &Transaction, path: &Path, session: i64) -> Result<()> {
    let fail = db_error(path);
    let lines = chunk_lines(tx, session).map_err(&fail)?;
    let data = zstd::bulk::compress(lines.as_bytes(), LEVEL).map_err(|e| {
        StoreError(format!(
            "session {session}: cannot compress its transcript: {e}"
        ))
    })?;
    // Nothing is dropped before the archive is known to give the same bytes back.
    if unpack(&data, lines.len(), session)? != lines {
        return Err(StoreError(format!(
            "session {session}: its compressed transcript does not come back identical; kept as it was"
        )));
    }
    tx.execute(
        "INSERT INTO transcript_archives (session_id, codec, raw_bytes, data) VALUES (?1, ?2, ?3, ?4)",
        params![session, CODEC, lines.len() as i64, data],
    )
    .map_err(&fail)?;
    tx.execute(
        "DELETE FROM transcript_chunks WHERE session_id = ?1",
        params![session],
    )
    .map_err(&fail)?;
    Ok(())
}

/// The archived events of a session, if it has an archive.
pub(super) fn archived_lines(
    conn: &rusqlite::Connection,
    session: i64,
) -> rusqlite::Result<Option<(String, i64, Vec<u8>)>> {
    conn.query_row(
        "SELECT codec, raw_bytes, data FROM transcript_archives WHERE session_id = ?1",
        params![session],
        |row| Ok((row.get(0)?, row.get(1)?, row.get(2)?)),
    )
    .optional()
}

/// An archive's lines, refused if the codec is unknown or the bytes are not what was kept.
pub(super) fn unpack_archive(
    codec: &str,
    raw_bytes: i64,
    data: &[u8],
    session: i64,
) -> Result<String> {
    if codec != CODEC {
        return Err(StoreError(format!(
            "session {session}: its transcript is kept with codec {codec:?}, which this raleur cannot read"
        )));
    }
    let raw = usize::try_from(raw_bytes).map_err(|_| {
        StoreError(format!(
            "session {session}: its archive gives a negative size"
        ))
    })?;
    unpack(data, raw, session)
}

fn unpack(data: &[u8], raw_bytes: usize, session: i64) -> Result<String> {
    let bytes = zstd::bulk::decompress(data, raw_bytes).map_err(|e| {
        StoreError(format!(
            "session {session}: its compressed transcript is damaged: {e}"
        ))
    })?;
    if bytes.len() != raw_bytes {
        return Err(StoreError(format!(
            "session {session}: its compressed transcript gives {} bytes, {raw_bytes} were kept",
            bytes.len()
        )));
    }
    String::from_utf8(bytes).map_err(|_| {
        StoreError(format!(
            "session {session}: its compressed transcript is not UTF-8"
        ))
    })
}

/// Every ended session still kept in chunks (recorded before archives existed), archived.
pub(super) fn archive_ended(tx: &Transaction, path: &Path) -> Result<()> {
    let fail = db_error(path);
    let ended: Vec<i64> = {
        let mut statement = tx
            .prepare(
                "SELECT DISTINCT c.session_id FROM transcript_chunks c
                 JOIN sessions s ON s.id = c.session_id
                 WHERE s.status != 'recording' ORDER BY c.session_id",
            )
            .map_err(&fail)?;
        statement
            .query_map([], |row| row.get(0))
            .map_err(&fail)?
            .collect::<rusqlite::Result<_>>()
            .map_err(&fail)?
    };
    for session in ended {
        archive(tx, path, session)?;
    }
    Ok(())
}
