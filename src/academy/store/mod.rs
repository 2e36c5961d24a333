//! The academy's records: one SQLite file holding trainees, their sessions (with the full
//! transcript, written as the session goes) and the passports issued.
//!
//! The file is created on first use and its schema migrated in numbered steps
//! (`PRAGMA user_version`). It runs in WAL mode with a busy timeout, so several processes can
//! record at once; every write is one short transaction, so a killed process loses at most what
//! it had not flushed yet.

use crate::engine::transcript::Header;
use crate::score::Scores;
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::time::Duration;

mod archive;
mod recorder;
mod schema;

pub use recorder::Recorder;
pub use schema::SCHEMA_VERSION;
use schema::{begin_immediate, migrate};

/// How long a write waits for another process's transaction before giving up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(30);

/// The longest trainee name.
pub const MAX_NAME_CHARS: usize = 80;

/// What went wrong with the records, naming the file or the session.
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StoreError(pub String);

pub type Result<T> = std::result::Result<T, StoreError>;

fn db_error(path: &Path) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
    move |error| StoreError(format!("{}: {error}", path.display()))
}

/// The current time, UTC, to the second, as RFC 3339 (`2026-11-22T09:30:00Z`).
pub fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    now.replace_nanosecond(0)
        .unwrap_or(now)
        .format(&time::format_description::well_known::Rfc3339)
        .unwrap_or_default()
}

/// Where the academy keeps its files unless told: `RALEUR_HOME`, else `$XDG_DATA_HOME/raleur`,
/// else `~/.local/share/raleur`, else `.raleur`.
pub fn data_dir() -> PathBuf {
    if let Some(dir) = std::env::var_os("RALEUR_HOME") {
        return PathBuf::from(dir);
    }
    if let Some(dir) = std::env::var_os("XDG_DATA_HOME") {
        return PathBuf::from(dir).join("raleur");
    }
    match std::env::var_os("HOME") {
        Some(home) => PathBuf::from(home).join(".local/share/raleur"),
        None => PathBuf::from(".raleur"),
    }
}

/// The default database: `RALEUR_DB`, else `academy.sqlite3` in the data directory.
pub fn default_db_path() -> PathBuf {
    std::env::var_os("RALEUR_DB")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir().join("academy.sqlite3"))
}

#[derive(Clone, Debug, Serialize)]
pub struct Trainee {
    pub id: i64,
    pub name: String,
    pub created_at: String,
}

/// Whether a session was played in training or exam mode.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionMode {
    Training,
    Exam,
}

impl SessionMode {
    pub fn id(self) -> &'static str {
        match self {
            SessionMode::Training => "training",
            SessionMode::Exam => "exam",
        }
    }
    fn parse(text: &str) -> SessionMode {
        if text == "exam" {
            SessionMode::Exam
        } else {
            SessionMode::Training
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SessionStatus {
    /// Being written, or cut short by a crash (see `updated_at`).
    Recording,
    Complete,
    /// Left before the end (the window closed); what was played is kept.
    Abandoned,
}

impl SessionStatus {
    pub fn id(self) -> &'static str {
        match self {
            SessionStatus::Recording => "recording",
            SessionStatus::Complete => "complete",
            SessionStatus::Abandoned => "abandoned",
        }
    }
    fn parse(text: &str) -> SessionStatus {
        match text {
            "complete" => SessionStatus::Complete,
            "abandoned" => SessionStatus::Abandoned,
            _ => SessionStatus::Recording,
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct SessionRow {
    pub id: i64,
    pub trainee: String,
    pub scenario_id: String,
    pub scenario_sha256: String,
    pub seed: u64,
    pub mode: SessionMode,
    /// `desk` for a person at the console, `policy:NAME` for a scripted team.
    pub player: String,
    pub status: SessionStatus,
    pub started_at: String,
    pub updated_at: String,
    pub ended_at: Option<String>,
    /// Events recorded so far.
    pub events: u64,
    pub transcript_sha256: Option<String>,
    pub scores: Option<Scores>,
    /// The `--customers` scaling the session was played with (sessions so scaled never count).
    pub customers_target: Option<u64>,
    /// Why the session stopped, when an internal error of the console ended it.
    pub interruption: Option<String>,
}

/// A new session's identity.
pub struct NewSession<'a> {
    pub trainee: &'a str,
    pub header: &'a Header,
    pub mode: SessionMode,
    pub player: &'a str,
}

pub struct Store {
    conn: Connection,
    path: PathBuf,
}

const SESSION_COLUMNS: &str = "s.id, t.name, s.scenario_id, s.scenario_sha256, s.seed, s.mode, \
     s.player, s.status, s.started_at, s.updated_at, s.ended_at, s.header, s.events, \
     s.transcript_sha256, s.scores, s.interruption";

/// Switches a database to write-ahead logging. SQLite answers "busy" at once, without
/// waiting, when another process is switching the same new database: try again until the
/// busy timeout.
fn switch_to_wal(conn: &Connection) -> rusqlite::Result<String> {
    let started = std::time::Instant::now();
    loop {
        match conn.query_row("PRAGMA journal_mode = WAL", [], |row| row.get(0)) {
            Err(rusqlite::Error::SqliteFailure(e, _))
                if e.code == rusqlite::ErrorCode::DatabaseBusy
                    && started.elapsed() < BUSY_TIMEOUT =>
            {
                std::thread::sleep(Duration::from_millis(5));
            }
            result => return result,
        }
    }
}

impl Store {
    /// Opens the database, creating the file (and its folder) on first use and bringing its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Store> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| StoreError(format!("{}: cannot create: {e}", dir.display())))?;
        }
        let error = db_error(path);
        let mut conn = Connection::open(path).map_err(&error)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(&error)?;
        let mode = switch_to_wal(&conn).map_err(&error)?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(StoreError(format!(
                "{}: cannot use write-ahead logging (journal mode {mode})",
                path.display()
            )));
        }
        // In WAL mode, NORMAL loses nothing a crashed process committed; only a power cut can
        // take the last transactions.
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(&error)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(&error)?;
        migrate(&mut conn, path)?;
        Ok(Store {
            conn,
            path: path.to_path_buf(),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn error(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        db_error(&self.path)
    }

    /// Adds a trainee; `Ok(false)` if the name was already there.
    pub fn add_trainee(&self, name: &str) -> Result<bool> {
        let name = check_name(name)?;
        let added = self
            .conn
            .execute(
                "INSERT OR IGNORE INTO trainees (name, created_at) VALUES (?1, ?2)",
                params![name, now_rfc3339()],
            )
            .map_err(self.error())?;
        Ok(added == 1)
    }

    pub fn trainee(&self, name: &str) -> Result<Option<Trainee>> {
        self.conn
            .query_row(
                "SELECT id, name, created_at FROM trainees WHERE name = ?1",
                params![name.trim()],
                trainee_row,
            )
            .optional()
            .map_err(self.error())
    }

    pub fn trainees(&self) -> Result<Vec<Trainee>> {
        let mut statement = self
            .conn
            .prepare("SELECT id, name, created_at FROM trainees ORDER BY name")
            .map_err(self.error())?;
        let rows = statement.query_map([], trainee_row).map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.error())
    }

    /// Registers a session about to be played; its transcript starts with the header.
    pub fn begin_session(&self, new: &NewSession) -> Result<i64> {
        let trainee = self.trainee(new.trainee)?.ok_or_else(|| {
            StoreError(format!(
                "no trainee named {:?}; add them with `raleur academy trainee add`",
                new.trainee
            ))
        })?;
        let header = serde_json::to_string(new.header)
            .map_err(|e| StoreError(format!("cannot encode the transcript header: {e}")))?;
        let now = now_rfc3339();
        self.conn
            .execute(
                "INSERT INTO sessions (trainee_id, scenario_id, scenario_sha256, seed, mode, player,
                    status, started_at, updated_at, header)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'recording', ?7, ?7, ?8)",
                params![
                    trainee.id,
                    new.header.scenario_id,
                    new.header.scenario_sha256,
                    new.header.seed as i64,
                    new.mode.id(),
                    new.player,
                    now,
                    header
                ],
            )
            .map_err(self.error())?;
        Ok(self.conn.last_insert_rowid())
    }

    pub fn sessions(&self, trainee: Option<&str>) -> Result<Vec<SessionRow>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN trainees t ON t.id = s.trainee_id
             WHERE ?1 IS NULL OR t.name = ?1 ORDER BY s.id"
        );
        let mut statement = self.conn.prepare(&sql).map_err(self.error())?;
        let rows = statement
            .query_map(params![trainee.map(str::trim)], session_row)
            .map_err(self.error())?;
        rows.collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.error())
    }

    /// The session started last, whoever played it.
    pub fn latest_session(&self) -> Result<Option<SessionRow>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN trainees t ON t.id = s.trainee_id
             ORDER BY s.id DESC LIMIT 1"
        );
        self.conn
            .query_row(&sql, [], session_row)
            .optional()
            .map_err(self.error())
    }

    pub fn session(&self, id: i64) -> Result<Option<SessionRow>> {
        let sql = format!(
            "SELECT {SESSION_COLUMNS} FROM sessions s JOIN trainees t ON t.id = s.trainee_id
             WHERE s.id = ?1"
        );
        self.conn
            .query_row(&sql, params![id], session_row)
            .optional()
            .map_err(self.error())
    }

    /// The session's transcript as recorded so far: the header line, then every event line.
    pub fn transcript(&self, session: i64) -> Result<String> {
        let header: String = self
            .conn
            .query_row(
                "SELECT header FROM sessions WHERE id = ?1",
                params![session],
                |row| row.get(0),
            )
            .optional()
            .map_err(self.error())?
            .ok_or_else(|| StoreError(format!("no session {session}")))?;
        let mut text = header;
        text.push('\n');
        if let Some((codec, raw_bytes, data)) =
            archive::archived_lines(&self.conn, session).map_err(self.error())?
        {
            text.push_str(&archive::unpack_archive(&codec, raw_bytes, &data, session)?);
            return Ok(text);
        }
        let mut statement = self
            .conn
            .prepare("SELECT lines FROM transcript_chunks WHERE session_id = ?1 ORDER BY seq")
            .map_err(self.error())?;
        let chunks = statement
            .query_map(params![session], |row| row.get::<_, String>(0))
            .map_err(self.error())?;
        for chunk in chunks {
            text.push_str(&chunk.map_err(self.error())?);
        }
        Ok(text)
    }

    /// Keeps an issued passport and the sessions it counts.
    pub fn record_passport(&mut self, passport: &IssuedPassport) -> Result<i64> {
        let error = db_error(&self.path);
        let tx = begin_immediate(&mut self.conn, &self.path)?;
        tx.execute(
            "INSERT INTO passports (trainee_id, credential_id, issuer, issued_at, jwt)
             VALUES (?1, ?2, ?3, ?4, ?5)",
            params![
                passport.trainee_id,
                passport.credential_id,
                passport.issuer,
                passport.issued_at,
                passport.jwt
            ],
        )
        .map_err(&error)?;
        let id = tx.last_insert_rowid();
        for session in &passport.sessions {
            tx.execute(
                "INSERT INTO passport_sessions (passport_id, session_id) VALUES (?1, ?2)",
                params![id, session],
            )
            .map_err(&error)?;
        }
        tx.commit().map_err(&error)?;
        Ok(id)
    }

    /// `PRAGMA integrity_check`: `ok`, or what is wrong.
    pub fn integrity_check(&self) -> Result<String> {
        let mut statement = self
            .conn
            .prepare("PRAGMA integrity_check")
            .map_err(self.error())?;
        let lines = statement
            .query_map([], |row| row.get::<_, String>(0))
            .map_err(self.error())?
            .collect::<rusqlite::Result<Vec<_>>>()
            .map_err(self.error())?;
        Ok(lines.join("\n"))
    }
}

/// A passport to keep in the records.
pub struct IssuedPassport {
    pub trainee_id: i64,
    pub credential_id: String,
    pub issuer: String,
    pub issued_at: String,
    pub jwt: String,
    pub sessions: Vec<i64>,
}

fn trainee_row(row: &rusqlite::Row) -> rusqlite::Result<Trainee> {
    Ok(Trainee {
        id: row.get(0)?,
        name: row.get(1)?,
        created_at: row.get(2)?,
    })
}

fn session_row(row: &rusqlite::Row) -> rusqlite::Result<SessionRow> {
    let header: String = row.get(11)?;
    let scores: Option<String> = row.get(14)?;
    let customers_target = serde_json::from_str::<Header>(&header)
        .map(|h| h.customers_target)
        .unwrap_or(None);
    Ok(SessionRow {
        id: row.get(0)?,
        trainee: row.get(1)?,
        scenario_id: row.get(2)?,
        scenario_sha256: row.get(3)?,
        seed: row.get::<_, i64>(4)? as u64,
        mode: SessionMode::parse(&row.get::<_, String>(5)?),
        player: row.get(6)?,
        status: SessionStatus::parse(&row.get::<_, String>(7)?),
        started_at: row.get(8)?,
        updated_at: row.get(9)?,
        ended_at: row.get(10)?,
        events: row.get::<_, i64>(12)? as u64,
        transcript_sha256: row.get(13)?,
        scores: scores.and_then(|s| serde_json::from_str(&s).ok()),
        customers_target,
        interruption: row.get(15)?,
    })
}

fn check_name(name: &str) -> Result<&str> {
    let name = name.trim();
    if name.is_empty() {
        return Err(StoreError("a trainee needs a name".into()));
    }
    if name.chars().count() > MAX_NAME_CHARS {
        return Err(StoreError(format!(
            "a trainee's name has at most {MAX_NAME_CHARS} characters"
        )));
    }
    if name.chars().any(char::is_control) {
        return Err(StoreError(
            "a trainee's name cannot hold control characters".into(),
        ));
    }
    Ok(name)
}
