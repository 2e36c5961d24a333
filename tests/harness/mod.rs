//! What must hold for any input, surface by surface: each function drives the real code path
//! on one input and panics if an invariant breaks (a panic inside raleur is a failure too).
//!
//! The same functions serve the bounded property tests of `tests/robustness.rs` (inside
//! `cargo test`) and the cargo-fuzz targets of `fuzz/` (which include this file by path), so
//! both check the same things. `RISKY_PIECES` and `RISKY_NUMBERS` are the shapes generators
//! draw from; `fuzz/dict` holds them for libFuzzer.
// Each user (a test crate, a fuzz target) uses only some of these.
#![allow(dead_code)]

#[cfg(feature = "desk")]
pub mod desk;

use raleur::academy::curriculum::Curriculum;
use raleur::academy::passport::{AcademyKey, VerifyOptions, sign_jwt, verify};
use raleur::academy::progress;
use raleur::academy::store::Store;
use raleur::engine::load::parse_scenario;
use raleur::engine::run::{RunSpec, ScriptedTeam, header_for, replay, run};
use raleur::engine::scenario::{Lang, Scenario};
use raleur::engine::sim::{SessionConfig, Simulation};
use raleur::engine::transcript::{read_jsonl, write_jsonl};
use raleur::engine::{PolicyConfig, PolicyKind, ReplyAnalyser, ScriptedTrainee};
use raleur::score::{ScoringSpec, score};
use raleur::tone::{ToneAnalyser, ToneInput};
use std::path::{Path, PathBuf};
use std::sync::{Arc, OnceLock};

/// Pieces of text the analyser, the desk and the readers treat specially, or that break naive
/// code: closing formulas and sign-offs, emoji with modifiers and joiners, combining marks,
/// zero-width and right-to-left characters, NUL, characters whose case mapping changes their
/// length, personal data, French cue words and punctuation.
pub const RISKY_PIECES: &[&str] = &[
    "Cordialement",
    "Cordialement, Julie",
    "Merci. Cordialement",
    "Cheers",
    "Regards",
    "Best regards",
    "Bien à vous",
    "Bonne journée",
    "^Julie",
    "^JM",
    "- JM",
    "/Tanguy",
    "~Léa",
    "^",
    "-",
    "—",
    "😀",
    "👍🏽",
    "👨‍👩‍👧",
    "🇫🇷",
    "e\u{301}",
    "\u{301}",
    "\u{200b}",
    "\u{200d}",
    "\u{feff}",
    "\u{202e}",
    "\u{2066}",
    "مرحبا",
    "שלום",
    "\0",
    "İ",
    "ß",
    "ﬃ",
    "Ⅻ",
    "\u{a0}",
    "\u{202f}",
    "’",
    "«",
    "»",
    "…",
    "!!!",
    "?!",
    "...",
    ",",
    ";",
    ":",
    " ",
    "\n",
    "\t",
    "\r\n",
    "vous",
    "tu",
    "t'",
    "Bonjour",
    "Désolé",
    "merci de",
    "MP",
    "DM",
    "message privé",
    "numéro de contrat",
    "4970 1012 3456 7893",
    "FR76 3000 6000 0112 3456 7890 189",
    "06 12 34 56 78",
    "+33 6 12 34 56 78",
    "a@b.fr",
    "@",
    "@Telvia_Client",
    "#panne",
    "{brand}",
    "{wait}",
    "{",
    "}",
    "JULIE",
    "Julie M.",
    "ça ?",
    "pourquoi",
    "3.5",
    "z",
];

/// Numbers (and things in their place) that break arithmetic and parsers: zero, negative,
/// past `u32` and `u64`, tiny and huge floats, NaN and infinities, and values of the wrong
/// type.
pub const RISKY_NUMBERS: &[&str] = &[
    "0",
    "-1",
    "-360",
    "1",
    "6",
    "4000000000",
    "4294967295",
    "4294967296",
    "18446744073709551615",
    "18446744073709551616",
    "-9223372036854775809",
    "1e308",
    "-1e308",
    "1e-320",
    "NaN",
    "inf",
    "-inf",
    "0.0",
    "-0.0",
    "0.5",
    "100.0001",
    "\"6h\"",
    "null",
    "[]",
    "()",
    "true",
];

/// The bundled reply analyser, built once.
pub fn analyser() -> &'static Arc<ToneAnalyser> {
    static ANALYSER: OnceLock<Arc<ToneAnalyser>> = OnceLock::new();
    ANALYSER.get_or_init(|| Arc::new(ToneAnalyser::bundled()))
}

fn engine_analyser() -> Arc<dyn ReplyAnalyser> {
    analyser().clone()
}

fn scoring() -> &'static ScoringSpec {
    static SPEC: OnceLock<ScoringSpec> = OnceLock::new();
    SPEC.get_or_init(ScoringSpec::bundled)
}

/// The project's folder, wherever the test or fuzz target runs from.
pub fn project_dir() -> PathBuf {
    let here = Path::new(env!("CARGO_MANIFEST_DIR"));
    // The fuzz crate lives in `fuzz/`, one level down.
    if here.join("scenarios").is_dir() {
        here.to_path_buf()
    } else {
        here.join("..")
    }
}

pub fn bundled_source(name: &str) -> String {
    std::fs::read_to_string(project_dir().join("scenarios").join(name))
        .unwrap_or_else(|e| panic!("{name}: {e}"))
}

pub fn bundled_scenario(name: &str) -> Arc<Scenario> {
    Arc::new(parse_scenario(&bundled_source(name), name).unwrap_or_else(|e| panic!("{e:?}")))
}

// ----- replies -----

/// One reply to analyse, with what surrounds it.
#[derive(Clone, Debug)]
pub struct ToneCase {
    pub reply: String,
    pub customer: Option<String>,
    pub english: bool,
    pub public: bool,
    pub earlier: Vec<String>,
    pub limit: Option<usize>,
}

/// The analyser on any reply: evidence spans inside the reply and on character boundaries,
/// a politeness within 0-100, every finding explained in both languages, the JSON report
/// encodable, and the same report twice.
pub fn tone(case: &ToneCase) {
    let analyser = analyser();
    let earlier: Vec<&str> = case.earlier.iter().map(String::as_str).collect();
    let lang = if case.english { Lang::En } else { Lang::Fr };
    let input = ToneInput {
        text: &case.reply,
        lang,
        public: case.public,
        customer: case.customer.as_deref(),
        // Any texts will do as the customer's earlier messages too.
        customer_earlier: &earlier,
        earlier: &earlier,
        seen: &[],
        char_limit: case.limit,
        care_handles: &["@Telvia_Client", "Telvia Client"],
    };
    let report = analyser.analyse(&input);
    let text = &case.reply;
    for f in &report.findings {
        assert!(
            f.start <= f.end && f.end <= text.len(),
            "span {}..{} outside a reply of {} bytes",
            f.start,
            f.end,
            text.len()
        );
        assert!(text.is_char_boundary(f.start) && text.is_char_boundary(f.end));
    }
    assert!(report.politeness <= 100);
    for lang in [Lang::Fr, Lang::En] {
        for finding in analyser.explain(&report, lang) {
            assert!(!finding.message.is_empty(), "{:?} unexplained", finding.id);
        }
        serde_json::to_string(&analyser.to_json(&report, lang)).expect("the report encodes");
    }
    assert_eq!(
        analyser.analyse(&input),
        report,
        "the analysis is deterministic"
    );
}

// ----- scenarios -----

/// Simulated time each scripted team plays a scenario that loads.
pub const BRIEF_PLAY_MS: u64 = 5 * 60_000;

/// Events after which a brief play stops early (a scenario may be a flood).
pub const BRIEF_PLAY_RECORDS: usize = 20_000;

/// A scenario file's text: either errors that each name a place in the file and say what is
/// wrong, or a scenario every scripted team plays for a few simulated minutes, whose
/// transcript reads back through the transcript checks unchanged and scores.
pub fn scenario(source: &str) {
    match parse_scenario(source, "fuzz.ron") {
        Err(errors) => {
            assert!(!errors.is_empty(), "refused without a reason");
            let lines = source.lines().count().max(1) + 1;
            for e in &errors {
                assert!(e.line >= 1 && e.col >= 1, "{e:?}");
                assert!(e.line <= lines, "{e:?} past the file's {lines} lines");
                assert!(!e.message.trim().is_empty(), "{e:?}");
            }
        }
        Ok(scenario) => play_briefly(&Arc::new(scenario)),
    }
}

fn play_briefly(scenario: &Arc<Scenario>) {
    for kind in [
        PolicyKind::Ignore,
        PolicyKind::Naive,
        PolicyKind::Expert,
        PolicyKind::Slow,
    ] {
        let config = SessionConfig {
            seed: 1,
            lang: Lang::Fr,
            customers_target: None,
        };
        let Ok(mut sim) = Simulation::new(scenario.clone(), config, engine_analyser()) else {
            return;
        };
        let policy = PolicyConfig::new(kind, scenario.team_size);
        let mut team = ScriptedTeam::new(ScriptedTrainee::new(policy));
        let mut t_ms = 0;
        while t_ms < BRIEF_PLAY_MS && sim.records().len() < BRIEF_PLAY_RECORDS && !sim.is_over() {
            t_ms += 15_000;
            team.advance_to(&mut sim, t_ms);
        }
        let header = header_for(&sim, "fuzz.ron", "fuzz");
        let mut bytes = Vec::new();
        write_jsonl(&header, sim.records(), &mut bytes).expect("writes to memory");
        let text = String::from_utf8(bytes).expect("the transcript is UTF-8");
        let (read_header, records) = read_jsonl(&text)
            .unwrap_or_else(|e| panic!("the engine's own transcript is refused: {e}"));
        assert_eq!(read_header, header);
        assert_eq!(records, sim.records());
        score(scoring(), analyser(), scenario, &read_header, &records);
    }
}

// ----- transcripts -----

/// A transcript file's text, as `raleur score` and `raleur replay` read it against
/// `scenario`: refused with the line at fault, or scored and replayed (a replay may diverge;
/// it must not crash).
pub fn transcript(text: &str, scenario: &Arc<Scenario>) {
    match read_jsonl(text) {
        Err(error) => {
            assert!(error.line >= 1 && error.line <= text.lines().count().max(1));
            assert!(!error.message.is_empty());
        }
        Ok((header, records)) => {
            let debrief = score(scoring(), analyser(), scenario, &header, &records);
            assert!((0.0..=100.0).contains(&debrief.scores.overall));
            serde_json::to_string(&debrief).expect("the debrief encodes");
            // Rescaled sessions replay whole crowds: legitimate work, too slow to fuzz.
            if header.customers_target.is_none_or(|n| n <= 2_000) {
                let _ = replay(scenario.clone(), engine_analyser(), &header, &records);
            }
        }
    }
}

// ----- curricula -----

/// A folder laid out as the project is (`curricula/`, `scenarios/`), for curricula that name
/// the bundled scenarios by their relative path.
pub fn curriculum_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("raleur-harness-{name}-{}", std::process::id()));
    let _ = std::fs::create_dir_all(dir.join("curricula"));
    let link = dir.join("scenarios");
    if !link.exists() {
        let _ = std::os::unix::fs::symlink(project_dir().join("scenarios"), &link);
    }
    dir
}

/// A curriculum file's text: errors naming their place, or a curriculum whose progress can be
/// read for a new trainee.
pub fn curriculum(source: &str, dir: &Path) {
    let path = dir.join("curricula").join("fuzz.ron");
    std::fs::write(&path, source).expect("writes the curriculum");
    match Curriculum::load(&path) {
        Err(errors) => {
            assert!(!errors.is_empty());
            for e in &errors {
                assert!(e.line >= 1 && e.col >= 1 && !e.message.is_empty(), "{e:?}");
            }
        }
        Ok(curriculum) => {
            let standing = progress(&curriculum, "Camille Martin", &[]);
            assert!(!standing.passed_all() || curriculum.levels.is_empty());
            let _ = standing.next();
            assert!(standing.counted_sessions().is_empty());
        }
    }
}

// ----- passports -----

/// A trusted academy key and a folder for transcripts, for verifying forged passports.
pub struct PassportBench {
    pub key: AcademyKey,
    pub did: String,
    pub dir: PathBuf,
}

impl PassportBench {
    pub fn new(name: &str) -> PassportBench {
        let dir =
            std::env::temp_dir().join(format!("raleur-harness-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("transcripts")).expect("creates the folder");
        let key = AcademyKey::generate(&dir.join("key.pem")).expect("a key");
        let did = key.did();
        PassportBench { key, did, dir }
    }

    fn verify(&self, jwt: &str, with_transcripts: bool) -> Result<(), String> {
        let transcripts = self.dir.join("transcripts");
        let scenarios = [project_dir().join("scenarios")];
        verify(
            jwt,
            &VerifyOptions {
                trusted_issuer: &self.did,
                now: time::OffsetDateTime::now_utc(),
                transcripts: with_transcripts.then_some(transcripts.as_path()),
                scenarios: &scenarios,
            },
        )
        .map(|_| ())
        .map_err(|e| e.to_string())
    }
}

/// `passport verify` on any string: refused with a reason (nothing random can carry the
/// trusted academy's signature).
pub fn passport_text(bench: &PassportBench, jwt: &str) {
    let result = bench.verify(jwt, false);
    assert!(
        matches!(&result, Err(reason) if !reason.is_empty()),
        "{result:?}"
    );
}

/// A payload the trusted academy signed, whatever it holds, verified against a transcript
/// folder holding `transcripts` (named by their SHA-256, as `passport issue` writes them):
/// accepted or refused with a reason, never a crash.
pub fn passport_signed(bench: &PassportBench, payload: &serde_json::Value, transcripts: &[String]) {
    let folder = bench.dir.join("transcripts");
    let _ = std::fs::remove_dir_all(&folder);
    std::fs::create_dir_all(&folder).expect("creates the folder");
    for text in transcripts {
        let name = raleur::engine::transcript::sha256_hex(text.as_bytes());
        std::fs::write(folder.join(format!("{name}.jsonl")), text).expect("writes");
    }
    let jwt = sign_jwt(&bench.key, payload);
    for with_transcripts in [false, true] {
        if let Err(reason) = bench.verify(&jwt, with_transcripts) {
            assert!(!reason.is_empty());
        }
    }
}

// ----- the records -----

/// One way of damaging the academy's records.
#[derive(Clone, Debug)]
pub enum Damage {
    /// `UPDATE table SET column = value` on every row (the value as SQL).
    Set {
        table: &'static str,
        column: &'static str,
        value: String,
    },
    DeleteChunk(i64),
    DuplicateChunk,
    /// A table of the same name with other columns.
    ForeignTable(&'static str),
    UserVersion(i64),
    /// The file cut to this share of its length.
    Truncate(f64),
    /// One byte of the file changed.
    FlipByte {
        at_share: f64,
        value: u8,
    },
}

pub const DAMAGEABLE: &[(&str, &[&str])] = &[
    (
        "sessions",
        &[
            "trainee_id",
            "scenario_id",
            "scenario_sha256",
            "seed",
            "mode",
            "player",
            "status",
            "started_at",
            "updated_at",
            "ended_at",
            "header",
            "events",
            "transcript_sha256",
            "scores",
            "interruption",
        ],
    ),
    ("trainees", &["name", "created_at"]),
    ("transcript_chunks", &["seq", "first_event", "lines"]),
    ("transcript_archives", &["codec", "raw_bytes", "data"]),
    (
        "passports",
        &["credential_id", "issuer", "issued_at", "jwt"],
    ),
];

/// Values written over a column: wrong types, out of range, broken JSON and JSON lines.
pub const DAMAGE_VALUES: &[&str] = &[
    "NULL",
    "''",
    "'x'",
    "-1",
    "0",
    "9223372036854775807",
    "-9223372036854775808",
    "1e308",
    "X'00FF'",
    "'recording'",
    "'complete'",
    "'abandoned'",
    "'exam'",
    "'{}'",
    "'{\"format\":\"raleur-transcript/2\"}'",
    "'not json'",
    "'{\"t_ms\":1,\"seq\":1,\"event\":{\"type\":\"hide\",\"message\":4000000000}}\n'",
    "'{\"overall\":\"NaN\"}'",
    "'2026-13-45T99:99:99Z'",
];

/// Records holding one complete session of the tutorial and its transcript, copied to `path`.
pub fn sample_records(path: &Path) {
    static SAMPLE: OnceLock<Vec<u8>> = OnceLock::new();
    let bytes = SAMPLE.get_or_init(|| {
        let dir =
            std::env::temp_dir().join(format!("raleur-harness-records-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let db = dir.join("sample.sqlite3");
        let mut store = Store::open(&db).expect("opens");
        let curriculum = Curriculum::load(&project_dir().join("curricula/webconseiller.ron"))
            .expect("the bundled curriculum loads");
        store.add_trainee("Camille Martin").expect("adds");
        let options = raleur::academy::play::PlayOptions {
            policy: PolicyKind::Expert,
            lang: Lang::Fr,
            pace: None,
        };
        raleur::academy::play::play_next(&mut store, &curriculum, "Camille Martin", &options)
            .expect("plays");
        drop(store);
        // One file, without its write-ahead log beside it.
        let conn = rusqlite::Connection::open(&db).expect("opens");
        conn.execute_batch("PRAGMA wal_checkpoint(TRUNCATE); PRAGMA journal_mode = DELETE;")
            .expect("checkpoints");
        drop(conn);
        std::fs::read(&db).expect("reads")
    });
    let _ = std::fs::remove_file(path.with_extension("sqlite3-wal"));
    let _ = std::fs::remove_file(path.with_extension("sqlite3-shm"));
    std::fs::write(path, bytes).expect("writes");
}

/// The records damaged as `damage` says, then read every way raleur reads them: opening (and
/// migrating), trainees, sessions, the latest, each transcript (through the transcript
/// checks, then scored), progress through the bundled curriculum. Each either works or says
/// what is wrong.
pub fn records(path: &Path, damage: &[Damage]) {
    sample_records(path);
    apply_damage(path, damage);
    let Ok(store) = Store::open(path) else {
        return;
    };
    let _ = store.trainees();
    let _ = store.latest_session();
    let _ = store.integrity_check();
    let Ok(sessions) = store.sessions(None) else {
        return;
    };
    let tutorial = bundled_scenario("tutorial.ron");
    for session in &sessions {
        let _ = store.session(session.id);
        if let Ok(text) = store.transcript(session.id) {
            transcript(&text, &tutorial);
        }
    }
    static CURRICULUM: OnceLock<Curriculum> = OnceLock::new();
    let curriculum = CURRICULUM.get_or_init(|| {
        Curriculum::load(&project_dir().join("curricula/webconseiller.ron")).expect("loads")
    });
    let _ = progress(curriculum, "Camille Martin", &sessions);
}

fn apply_damage(path: &Path, damage: &[Damage]) {
    for d in damage {
        match d {
            Damage::Truncate(share) => {
                if let Ok(bytes) = std::fs::read(path) {
                    let keep = (bytes.len() as f64 * share.clamp(0.0, 1.0)) as usize;
                    let _ = std::fs::write(path, &bytes[..keep.min(bytes.len())]);
                }
            }
            Damage::FlipByte { at_share, value } => {
                if let Ok(mut bytes) = std::fs::read(path)
                    && !bytes.is_empty()
                {
                    let at = ((bytes.len() - 1) as f64 * at_share.clamp(0.0, 1.0)) as usize;
                    bytes[at] = *value;
                    let _ = std::fs::write(path, &bytes);
                }
            }
            _ => {
                let Ok(conn) = rusqlite::Connection::open(path) else {
                    return;
                };
                let sql = match d {
                    Damage::Set {
                        table,
                        column,
                        value,
                    } => format!("UPDATE {table} SET {column} = {value}"),
                    Damage::DeleteChunk(seq) => {
                        format!("DELETE FROM transcript_chunks WHERE seq = {seq}")
                    }
                    Damage::DuplicateChunk => "INSERT INTO transcript_chunks \
                         SELECT session_id, seq + 1000, first_event, lines FROM transcript_chunks"
                        .to_string(),
                    Damage::ForeignTable(table) => {
                        format!("DROP TABLE IF EXISTS {table}; CREATE TABLE {table} (other TEXT)")
                    }
                    Damage::UserVersion(v) => format!("PRAGMA user_version = {v}"),
                    Damage::Truncate(_) | Damage::FlipByte { .. } => unreachable!(),
                };
                // Constraints may refuse a damage: then the records stay as they were.
                let _ = conn.execute_batch(&format!("PRAGMA foreign_keys = OFF; {sql}"));
            }
        }
    }
}

// ----- forging JSON -----

/// A JSON value changed at one place: a risky value put there, or the key removed.
#[derive(Clone, Debug)]
pub enum JsonEdit {
    Replace(Vec<usize>, serde_json::Value),
    Remove(Vec<usize>),
}

pub fn edit_json(value: &mut serde_json::Value, path: &[usize], edit: &JsonEdit) {
    let (first, rest) = match path.split_first() {
        Some(split) => split,
        None => return,
    };
    let child = match value {
        serde_json::Value::Object(map) if !map.is_empty() => {
            let key = map
                .keys()
                .nth(first % map.len())
                .cloned()
                .unwrap_or_default();
            if rest.is_empty() {
                match edit {
                    JsonEdit::Replace(_, v) => {
                        map.insert(key, v.clone());
                    }
                    JsonEdit::Remove(_) => {
                        map.remove(&key);
                    }
                }
                return;
            }
            map.get_mut(&key)
        }
        serde_json::Value::Array(items) if !items.is_empty() => {
            let n = items.len();
            if rest.is_empty() {
                match edit {
                    JsonEdit::Replace(_, v) => items[first % n] = v.clone(),
                    JsonEdit::Remove(_) => {
                        items.remove(first % n);
                    }
                }
                return;
            }
            items.get_mut(first % n)
        }
        _ => None,
    };
    if let Some(child) = child {
        edit_json(child, rest, edit);
    }
}

// ----- samples to damage -----

/// The tutorial played by the expert: a real transcript to damage.
pub fn tutorial_transcript() -> &'static String {
    static TEXT: OnceLock<String> = OnceLock::new();
    TEXT.get_or_init(|| {
        let scenario = bundled_scenario("tutorial.ron");
        let outcome = run(
            scenario,
            RunSpec {
                session: raleur::engine::SessionConfig {
                    seed: 1,
                    lang: Lang::Fr,
                    customers_target: None,
                },
                policy: PolicyConfig::new(PolicyKind::Expert, 1),
                scenario_path: "scenarios/tutorial.ron".into(),
                scenario_sha256: "test".into(),
                analyser: analyser().clone(),
            },
        )
        .unwrap();
        let mut bytes = Vec::new();
        write_jsonl(&outcome.header, outcome.sim.records(), &mut bytes).unwrap();
        String::from_utf8(bytes).unwrap()
    })
}

/// A credential the academy would sign for one tutorial session, to forge from.
pub fn sample_credential(bench: &PassportBench) -> (serde_json::Value, String) {
    use raleur::academy::passport::{CredentialInput, EvidenceSession, credential};
    let curriculum =
        raleur::academy::Curriculum::load(&project_dir().join("curricula/webconseiller.ron"))
            .unwrap();
    let transcript = tutorial_transcript().clone();
    let sha = raleur::engine::transcript::sha256_hex(transcript.as_bytes());
    let scores = [
        "speed",
        "civil",
        "technical",
        "contractual",
        "redirection",
        "overall",
    ]
    .iter()
    .map(|name| (name.to_string(), 90.0))
    .collect();
    let session = EvidenceSession {
        level: "premiers-pas".into(),
        scenario: "tutorial".into(),
        seed: 1,
        mode: "training".into(),
        player: "policy:expert".into(),
        started_at: "2026-11-30T09:00:00Z".into(),
        ended_at: "2026-11-30T09:20:00Z".into(),
        transcript_sha256: sha,
        scores,
    };
    let payload = credential(&CredentialInput {
        curriculum: &curriculum,
        trainee: "Camille Martin",
        issuer_did: &bench.did,
        credential_id: "urn:uuid:00000000-0000-4000-8000-000000000000",
        issued_at: time::OffsetDateTime::now_utc() - time::Duration::hours(1),
        lang: Lang::Fr,
        sessions: &[session],
    });
    (payload, transcript)
}

// ----- team exercises on the wire -----

/// The tutorial as a team exercise: one person's seat, one scripted colleague's, started.
pub fn tutorial_exercise() -> raleur::exercise::Exercise {
    use raleur::exercise::{Exercise, ExerciseMode, ExerciseSpec, Input, SeatSpec};
    let seat = |name: &str, scripted| SeatSpec {
        name: name.into(),
        role: None,
        scripted,
    };
    let spec = ExerciseSpec {
        scenario_path: "scenarios/tutorial.ron".into(),
        scenario: bundled_source("tutorial.ron"),
        seed: 1,
        lang: Lang::Fr,
        mode: ExerciseMode::Training,
        customers_target: None,
        seats: vec![seat("Léa", false), seat("Collègue 2", true)],
        scripted_pace: "human".into(),
        speed: 8,
    };
    let mut exercise = Exercise::new("FUZZ", spec, engine_analyser()).expect("the tutorial");
    exercise.apply(&Input::Start);
    exercise
}

/// Lines as they cross the wire: what a client sends and what the server sends, from a
/// tutorial exercise played a few minutes (the seeds the fuzzers edit).
pub fn exercise_wire_sample() -> String {
    use raleur::exercise::{ClientMessage, Input};
    let mut exercise = tutorial_exercise();
    let mut lines = vec![
        serde_json::to_string(&ClientMessage::Hello {
            protocol: 1,
            code: "Y5T9V76QK7KS1DV9GP4YJGTNX0".into(),
        })
        .expect("encodes"),
    ];
    for minute in 1..=6u64 {
        let outcome = exercise.apply(&Input::Tick {
            t_ms: minute * 60_000,
        });
        lines.extend(outcome.broadcast.iter().map(|m| m.to_json()));
        if let Some(customer) = exercise.sim().customers().first() {
            let act = ClientMessage::Act {
                reference: minute,
                action: raleur::engine::Action::Reply {
                    customer: customer.id,
                    private: minute % 2 == 0,
                    text: "Bonjour, je regarde votre dossier.".into(),
                },
            };
            lines.push(serde_json::to_string(&act).expect("encodes"));
        }
    }
    lines.push(exercise.hash_message().to_json());
    lines.join("\n")
}

/// Any lines on the wire: each is read as a client's message by the server (an action is
/// applied to a person's seat, then the clock moves) and as a server's message by a replica.
/// Nothing panics; the server's messages always keep a replica that follows them in step;
/// a replica fed anything else either applies it or says why it no longer can.
pub fn exercise_wire(text: &str) {
    use raleur::exercise::{ClientMessage, Input, Replica, ServerMessage};
    let mut server = tutorial_exercise();
    let mut follower = Replica::from_welcome(&server.welcome(None), engine_analyser())
        .expect("the server's own welcome");
    let mut stranger = Replica::from_welcome(&server.welcome(None), engine_analyser())
        .expect("the server's own welcome");
    let mut now_ms = server.now_ms();
    for line in text.lines().take(200) {
        if let Ok(ClientMessage::Act { reference, action }) = serde_json::from_str(line) {
            let seat = raleur::engine::ids::SeatId(0);
            let outcome = server.apply(&Input::Act {
                seat,
                reference,
                action,
            });
            now_ms += 7_000;
            let tick = server.apply(&Input::Tick { t_ms: now_ms });
            for message in outcome.broadcast.iter().chain(&tick.broadcast) {
                follower
                    .apply(message)
                    .expect("a replica follows the server");
            }
        }
        if let Ok(message) = serde_json::from_str::<ServerMessage>(line) {
            if let ServerMessage::Welcome(welcome) = &message {
                let _ = Replica::from_welcome(welcome, engine_analyser());
            }
            if stranger.apply(&message).is_err() {
                stranger = Replica::from_welcome(&server.welcome(None), engine_analyser())
                    .expect("the server's own welcome");
            }
        }
    }
    let hash = server.hash_message();
    follower
        .apply(&hash)
        .expect("the replica hashes as the server");
}
