//! The records' schema, one numbered step per version, and the write transaction.

use super::{Result, StoreError, db_error};
use rusqlite::{Connection, TransactionBehavior};
use std::path::Path;

/// The schema, one step per version: version N is reached by running `MIGRATIONS[N - 1]`.
/// Never edit a published step; add one.
const MIGRATIONS: &[&str] = &[
    // 1: trainees, sessions with their transcript in chunks, passports.
    "CREATE TABLE trainees (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL UNIQUE,
        created_at TEXT NOT NULL
    );
    CREATE TABLE sessions (
        id INTEGER PRIMARY KEY,
        trainee_id INTEGER NOT NULL REFERENCES trainees(id),
        scenario_id TEXT NOT NULL,
        scenario_sha256 TEXT NOT NULL,
        seed INTEGER NOT NULL,
        mode TEXT NOT NULL CHECK (mode IN ('training', 'exam')),
        player TEXT NOT NULL,
        status TEXT NOT NULL CHECK (status IN ('recording', 'complete', 'abandoned')),
        started_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        ended_at TEXT,
        header TEXT NOT NULL,
        events INTEGER NOT NULL DEFAULT 0,
        transcript_sha256 TEXT,
        scores TEXT
    );
    CREATE INDEX sessions_by_trainee ON sessions (trainee_id, id);
    CREATE TABLE transcript_chunks (
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        seq INTEGER NOT NULL,
        first_event INTEGER NOT NULL,
        lines TEXT NOT NULL,
        PRIMARY KEY (session_id, seq)
    ) WITHOUT ROWID;
    CREATE TABLE passports (
        id INTEGER PRIMARY KEY,
        trainee_id INTEGER NOT NULL REFERENCES trainees(id),
        credential_id TEXT NOT NULL UNIQUE,
        issuer TEXT NOT NULL,
        issued_at TEXT NOT NULL,
        jwt TEXT NOT NULL
    );
    CREATE TABLE passport_sessions (
        passport_id INTEGER NOT NULL REFERENCES passports(id),
        session_id INTEGER NOT NULL REFERENCES sessions(id),
        PRIMARY KEY (passport_id, session_id)
    ) WITHOUT ROWID;",
    // 2: why a session stopped when the console failed under it (it is then abandoned).
    "ALTER TABLE sessions ADD COLUMN interruption TEXT;",
    // 3: an ended session's transcript compressed in one archive (`archive.rs`); the sessions
    // that ended before are archived by the same migration.
    "CREATE TABLE transcript_archives (
        session_id INTEGER PRIMARY KEY REFERENCES sessions(id),
        codec TEXT NOT NULL,
        raw_bytes INTEGER NOT NULL,
        data BLOB NOT NULL
    );",
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: usize = MIGRATIONS.len();

/// A write transaction that takes the database's write lock at once (waiting up to the busy
/// timeout for another process's), so it never fails half-way on a lock upgrade.
pub(super) fn begin_immediate<'c>(
    conn: &'c mut Connection,
    path: &Path,
) -> Result<rusqlite::Transaction<'c>> {
    conn.transaction_with_behavior(TransactionBehavior::Immediate)
        .map_err(db_error(path))
}

pub(super) fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let error = db_error(path);
    let version = |conn: &Connection| -> rusqlite::Result<usize> {
        conn.query_row("PRAGMA user_version", [], |row| row.get::<_, i64>(0))
            .map(|v| v.max(0) as usize)
    };
    if version(conn).map_err(&error)? == SCHEMA_VERSION {
        return Ok(());
    }
    // Another process may migrate at the same moment: read the version again under the lock.
    let tx = begin_immediate(conn, path)?;
    let current = version(&tx).map_err(&error)?;
    if current > SCHEMA_VERSION {
        return Err(StoreError(format!(
            "{}: the database has schema version {current}, newer than this raleur's ({SCHEMA_VERSION}); update raleur",
            path.display()
        )));
    }
    for (step, sql) in MIGRATIONS.iter().enumerate().skip(current) {
        tx.execute_batch(sql).map_err(|e| {
            StoreError(format!(
                "{}: migration to version {}: {e}",
                path.display(),
                step + 1
            ))
        })?;
    }
    if current < 3 {
        super::archive::archive_ended(&tx, path)?;
    }
    tx.pragma_update(None, "user_version", SCHEMA_VERSION as i64)
        .map_err(&error)?;
    tx.commit().map_err(&error)
}
