//! The academy end to end, through the `raleur` binary: a curriculum played by scripted teams,
//! records in SQLite that survive a killed process and concurrent writers, and a passport that
//! verifies, here and with an independent JOSE library, and fails on any tampering.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use raleur::academy::certificate::{qr_codes, qr_parts};
use raleur::academy::passport::{self, AcademyKey, VerifyOptions, sign_jwt};
use raleur::academy::store::{SessionStatus, Store};
use raleur::engine::transcript::{read_jsonl, sha256_hex};
use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::OnceLock;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_raleur");

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("raleur-academy-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `raleur ARGS --db DIR/academy.sqlite3 --key DIR/key.pem`.
fn raleur(dir: &Path, args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .arg("--db")
        .arg(dir.join("academy.sqlite3"))
        .arg("--key")
        .arg(dir.join("key.pem"))
        .output()
        .expect("raleur runs")
}

fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

fn ok(output: Output) -> String {
    assert!(
        output.status.success(),
        "exit {:?}\nstdout: {}\nstderr: {}",
        output.status.code(),
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    stdout(&output)
}

/// An academy whose trainee played the whole curriculum with the expert team and got a
/// passport; shared by the tests that verify or tamper with it.
struct Issued {
    dir: PathBuf,
    jwt: String,
    did: String,
}

fn issued() -> &'static Issued {
    static ISSUED: OnceLock<Issued> = OnceLock::new();
    ISSUED.get_or_init(|| {
        let dir = temp_dir("expert");
        let did = ok(raleur(&dir, &["academy", "keygen"])).trim().to_string();
        assert!(did.starts_with("did:key:z6Mk"), "{did}");
        ok(raleur(&dir, &["academy", "trainee", "add", "Léa Martin"]));
        let played = ok(raleur(
            &dir,
            &[
                "academy",
                "play",
                "Léa Martin",
                "--policy",
                "expert",
                "--sessions",
                "10",
            ],
        ));
        assert!(played.contains("6 of 6 levels passed"), "{played}");
        assert_eq!(played.matches("session #").count(), 7, "{played}");
        let progress = ok(raleur(&dir, &["academy", "progress", "Léa Martin"]));
        assert_eq!(progress.matches("[passed]").count(), 6, "{progress}");
        let out = dir.join("passport");
        ok(raleur(
            &dir,
            &[
                "passport",
                "issue",
                "Léa Martin",
                "--out",
                out.to_str().unwrap(),
            ],
        ));
        let jwt = std::fs::read_to_string(out.join("passport.jwt"))
            .unwrap()
            .trim()
            .to_string();
        Issued { dir, jwt, did }
    })
}

fn verify_file(dir: &Path, jwt: &str, name: &str, transcripts: Option<&Path>) -> (bool, String) {
    let file = dir.join(name);
    std::fs::write(&file, jwt).unwrap();
    let mut args = vec!["passport", "verify", file.to_str().unwrap()];
    if let Some(t) = transcripts {
        args.extend(["--transcripts", t.to_str().unwrap()]);
    }
    let output = raleur(dir, &args);
    (output.status.success(), stdout(&output))
}

fn payload(jwt: &str) -> Value {
    let part = jwt.split('.').nth(1).unwrap();
    serde_json::from_slice(&URL_SAFE_NO_PAD.decode(part).unwrap()).unwrap()
}

/// The same token with its payload replaced and the original signature kept.
fn with_payload(jwt: &str, payload: &Value) -> String {
    let parts: Vec<&str> = jwt.split('.').collect();
    format!(
        "{}.{}.{}",
        parts[0],
        URL_SAFE_NO_PAD.encode(payload.to_string()),
        parts[2]
    )
}

fn python_verifies(jwt: &str, did: &str, dir: &Path) -> (bool, String) {
    // Tests run in parallel: one file per token.
    let file = dir.join(format!("python-{}.jwt", &sha256_hex(jwt.as_bytes())[..16]));
    std::fs::write(&file, jwt).unwrap();
    let output = Command::new("python3")
        .arg(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/verify_passport.py"))
        .arg(&file)
        .arg(did)
        .output()
        .expect("python3 runs (CI installs pyjwt and cryptography)");
    let text = format!(
        "{}{}",
        stdout(&output),
        String::from_utf8_lossy(&output.stderr)
    );
    assert!(
        !text.contains("ModuleNotFoundError"),
        "PyJWT and cryptography are needed: python3 -m pip install pyjwt cryptography\n{text}"
    );
    (output.status.success(), text)
}

#[test]
fn the_expert_earns_a_passport_that_verifies_with_its_transcripts() {
    let issued = issued();
    let transcripts = issued.dir.join("passport/transcripts");
    let (valid, text) = verify_file(&issued.dir, &issued.jwt, "good.jwt", Some(&transcripts));
    assert!(valid, "{text}");
    assert!(text.contains("passport of Léa Martin"), "{text}");
    assert!(
        text.contains("7 transcripts replayed in the engine; every score recomputed identical"),
        "{text}"
    );
    // The credential: Open Badges 3.0, signed by the academy, counting the seven sessions.
    let vc = payload(&issued.jwt);
    assert_eq!(vc["iss"], issued.did.as_str());
    assert_eq!(vc["issuer"]["id"], issued.did.as_str());
    assert_eq!(vc["type"][1], "OpenBadgeCredential");
    assert_eq!(vc["evidence"].as_array().unwrap().len(), 7);
    let exam: Vec<&Value> = vc["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["raleurSession"]["level"] == "examen")
        .collect();
    assert_eq!(exam.len(), 2);
    assert!(exam.iter().all(|e| e["raleurSession"]["mode"] == "exam"));
    // Every transcript handed over is the one the passport hashes.
    for evidence in vc["evidence"].as_array().unwrap() {
        let sha = evidence["raleurSession"]["transcriptSha256"]
            .as_str()
            .unwrap();
        let bytes = std::fs::read(transcripts.join(format!("{sha}.jsonl"))).unwrap();
        assert_eq!(sha256_hex(&bytes), sha);
    }
}

#[test]
fn an_independent_jose_library_accepts_the_passport_and_its_open_badges_fields() {
    let issued = issued();
    let (valid, text) = python_verifies(&issued.jwt, &issued.did, &issued.dir);
    assert!(valid, "{text}");
    assert_eq!(text.trim(), "ok");
    // And it is not a verifier that accepts anything.
    let mut vc = payload(&issued.jwt);
    vc["credentialSubject"]["identifier"][0]["identityHash"] = "Someone Else".into();
    let (valid, text) = python_verifies(&with_payload(&issued.jwt, &vc), &issued.did, &issued.dir);
    assert!(!valid && text.contains("InvalidSignatureError"), "{text}");
}

#[test]
fn tampered_score_name_or_date_fails_on_the_signature() {
    let issued = issued();
    let original = payload(&issued.jwt);
    type Edit = fn(&mut Value);
    let edits: [(&str, Edit); 4] = [
        ("score", |vc| {
            vc["credentialSubject"]["result"][1]["value"] = "100.0".into();
        }),
        ("session score", |vc| {
            vc["evidence"][1]["raleurSession"]["scores"]["civil"] = 99.9.into();
        }),
        ("name", |vc| {
            vc["credentialSubject"]["identifier"][0]["identityHash"] = "Léo Martin".into();
        }),
        ("date", |vc| {
            vc["validFrom"] = "2030-01-01T00:00:00Z".into();
        }),
    ];
    for (what, edit) in edits {
        let mut vc = original.clone();
        edit(&mut vc);
        let (valid, text) = verify_file(
            &issued.dir,
            &with_payload(&issued.jwt, &vc),
            &format!("tampered-{}.jwt", what.replace(' ', "-")),
            None,
        );
        assert!(!valid, "a tampered {what} verified: {text}");
        assert!(
            text.contains("the signature does not match the academy's key")
                && text.contains("altered after it was signed"),
            "{what}: {text}"
        );
    }
    // One flipped character of the signature, too.
    let mut bytes = issued.jwt.clone().into_bytes();
    let last = bytes.len() - 2;
    bytes[last] = if bytes[last] == b'A' { b'B' } else { b'A' };
    let (valid, text) = verify_file(
        &issued.dir,
        &String::from_utf8(bytes).unwrap(),
        "tampered-signature.jwt",
        None,
    );
    assert!(!valid, "{text}");
}

#[test]
fn a_tampered_transcript_fails_with_the_session_named() {
    let issued = issued();
    let source = issued.dir.join("passport/transcripts");
    let copy = issued.dir.join("tampered-transcripts");
    let _ = std::fs::remove_dir_all(&copy);
    std::fs::create_dir_all(&copy).unwrap();
    for entry in std::fs::read_dir(&source).unwrap() {
        let path = entry.unwrap().path();
        std::fs::copy(&path, copy.join(path.file_name().unwrap())).unwrap();
    }
    // Make the price war's first reply a little less polite: one changed byte.
    let vc = payload(&issued.jwt);
    let sha = vc["evidence"][3]["raleurSession"]["transcriptSha256"]
        .as_str()
        .unwrap();
    let file = copy.join(format!("{sha}.jsonl"));
    let text = std::fs::read_to_string(&file).unwrap();
    let at = text.find("\"type\":\"reply\"").unwrap();
    let bonjour = at + text[at..].find("Bonjour").unwrap();
    let mut altered = text.clone();
    altered.replace_range(bonjour..bonjour + 1, "b");
    std::fs::write(&file, altered).unwrap();
    let (valid, out) = verify_file(&issued.dir, &issued.jwt, "for-transcripts.jwt", Some(&copy));
    assert!(!valid, "{out}");
    assert!(
        out.contains("session 4 (price_war") && out.contains("the transcript was altered"),
        "{out}"
    );
    // A missing transcript is named too.
    std::fs::remove_file(&file).unwrap();
    let (valid, out) = verify_file(&issued.dir, &issued.jwt, "for-transcripts.jwt", Some(&copy));
    assert!(
        !valid && out.contains("cannot read its transcript"),
        "{out}"
    );
}

#[test]
fn scores_the_academy_signed_but_the_transcript_does_not_give_fail_on_replay() {
    // Even with the academy's own key, a passport claiming more than its sessions earned is
    // caught once the transcripts are replayed.
    let issued = issued();
    let key = AcademyKey::load(&issued.dir.join("key.pem")).unwrap();
    let mut vc = payload(&issued.jwt);
    let civil = vc["evidence"][0]["raleurSession"]["scores"]["civil"]
        .as_f64()
        .unwrap();
    vc["evidence"][0]["raleurSession"]["scores"]["civil"] = (civil + 10.0).into();
    // The stated result follows the inflated session, as the issuer would have written it.
    let evidence = vc["evidence"].as_array().unwrap();
    let civil_sum: f64 = evidence
        .iter()
        .map(|e| e["raleurSession"]["scores"]["civil"].as_f64().unwrap())
        .sum();
    let sessions = evidence.len() as f64;
    vc["credentialSubject"]["result"][1]["value"] = format!("{:.1}", civil_sum / sessions).into();
    let forged = sign_jwt(&key, &vc);
    let (valid, text) = verify_file(&issued.dir, &forged, "inflated.jwt", None);
    assert!(
        valid,
        "without transcripts only the signature and structure are checked: {text}"
    );
    let transcripts = issued.dir.join("passport/transcripts");
    let (valid, text) = verify_file(&issued.dir, &forged, "inflated.jwt", Some(&transcripts));
    assert!(!valid, "{text}");
    assert!(
        text.contains("session 1 (tutorial") && text.contains("its civil score is"),
        "{text}"
    );
}

#[test]
fn a_passport_from_another_key_fails() {
    let issued = issued();
    let other_dir = temp_dir("other-key");
    let other = AcademyKey::generate(&other_dir.join("key.pem")).unwrap();
    // Re-signed by another key, still claiming to be the academy.
    let resigned = sign_jwt(&other, &payload(&issued.jwt));
    let (valid, text) = verify_file(&issued.dir, &resigned, "other-key.jwt", None);
    assert!(
        !valid && text.contains("the signature does not match"),
        "{text}"
    );
    let (valid, text) = python_verifies(&resigned, &issued.did, &issued.dir);
    assert!(!valid, "{text}");
    // Issued in the other academy's own name: its signature holds, but it is not trusted.
    let mut vc = payload(&issued.jwt);
    vc["iss"] = other.did().into();
    vc["issuer"]["id"] = other.did().into();
    let own = sign_jwt(&other, &vc);
    let (valid, text) = verify_file(&issued.dir, &own, "other-issuer.jwt", None);
    assert!(!valid, "{text}");
    assert!(
        text.contains(&format!("issued by {}", other.did()))
            && text.contains("not by the trusted academy"),
        "{text}"
    );
}

#[test]
fn dates_outside_the_validity_fail() {
    let issued = issued();
    let key = AcademyKey::load(&issued.dir.join("key.pem")).unwrap();
    let vc = payload(&issued.jwt);
    let valid_from = time::OffsetDateTime::parse(
        vc["validFrom"].as_str().unwrap(),
        &time::format_description::well_known::Rfc3339,
    )
    .unwrap();
    let options = |now| VerifyOptions {
        trusted_issuer: &issued.did,
        now,
        transcripts: None,
        scenarios: &[],
    };
    assert!(passport::verify(&issued.jwt, &options(valid_from)).is_ok());
    let before = passport::verify(&issued.jwt, &options(valid_from - time::Duration::days(1)));
    assert!(before.unwrap_err().to_string().contains("in the future"));
    let after = passport::verify(
        &issued.jwt,
        &options(valid_from + time::Duration::days(1200)),
    );
    assert!(after.unwrap_err().to_string().contains("expired"));
    // Signed, but with claims that contradict the credential's dates.
    let mut inconsistent = vc.clone();
    inconsistent["nbf"] = (valid_from.unix_timestamp() - 3600).into();
    let error = passport::verify(&sign_jwt(&key, &inconsistent), &options(valid_from)).unwrap_err();
    assert!(error.to_string().contains("nbf"), "{error}");
    // A session that ended after the passport was issued.
    let mut late = vc.clone();
    late["evidence"][0]["raleurSession"]["endedAt"] = "2099-01-01T00:00:00Z".into();
    let error = passport::verify(&sign_jwt(&key, &late), &options(valid_from)).unwrap_err();
    assert!(
        error
            .to_string()
            .contains("do not fall before the passport's issue"),
        "{error}"
    );
}

#[test]
fn the_certificate_carries_the_passport_and_its_qr_codes_read_back_to_the_credential() {
    let issued = issued();
    let html = std::fs::read_to_string(issued.dir.join("passport/certificate.html")).unwrap();
    assert!(html.contains("Léa Martin"));
    assert!(html.contains(&issued.did));
    assert!(!html.contains("<script"));
    let codes = qr_codes(&issued.jwt).unwrap();
    assert_eq!(codes.len(), qr_parts(&issued.jwt).len());
    assert_eq!(html.matches("<figure>").count(), codes.len());
    // Read each code back as a camera would see it, and join the parts.
    let mut read = String::new();
    for code in &codes {
        let scale = 4;
        let side = ((code.size() + 8) * scale) as usize;
        let mut image = rqrr::PreparedImage::prepare_from_greyscale(side, side, |x, y| {
            let (mx, my) = (x as i32 / scale - 4, y as i32 / scale - 4);
            if code.get_module(mx, my) { 0 } else { 255 }
        });
        let grids = image.detect_grids();
        assert_eq!(grids.len(), 1);
        read.push_str(&grids[0].decode().unwrap().1);
    }
    assert_eq!(read, issued.jwt);
}

#[test]
fn keygen_makes_an_owner_only_key_and_never_overwrites_it() {
    let issued = issued();
    let key = issued.dir.join("key.pem");
    let before = std::fs::read(&key).unwrap();
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        assert_eq!(
            std::fs::metadata(&key).unwrap().permissions().mode() & 0o777,
            0o600
        );
    }
    let again = raleur(&issued.dir, &["academy", "keygen"]);
    assert_eq!(again.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&again.stderr).contains("never replaces an academy key"));
    assert_eq!(std::fs::read(&key).unwrap(), before);
    // A key others can read is refused.
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let dir = temp_dir("open-key");
        let open = dir.join("key.pem");
        std::fs::write(&open, &before).unwrap();
        std::fs::set_permissions(&open, std::fs::Permissions::from_mode(0o644)).unwrap();
        let error = AcademyKey::load(&open).err().unwrap();
        assert!(error.to_string().contains("chmod 600"), "{error}");
    }
}

#[test]
fn the_naive_team_does_not_pass_and_gets_no_passport() {
    let dir = temp_dir("naive");
    ok(raleur(&dir, &["academy", "keygen"]));
    ok(raleur(&dir, &["academy", "trainee", "add", "Naïf"]));
    let played = ok(raleur(
        &dir,
        &[
            "academy",
            "play",
            "Naïf",
            "--policy",
            "naive",
            "--sessions",
            "3",
        ],
    ));
    assert_eq!(played.matches("not passed").count(), 3, "{played}");
    assert!(played.contains("0 of 6 levels passed"), "{played}");
    let progress = ok(raleur(&dir, &["academy", "progress", "Naïf"]));
    assert!(progress.contains("[current] 1."), "{progress}");
    assert!(
        progress.contains("3 attempt(s)") && progress.contains("civil"),
        "{progress}"
    );
    // Each attempt was on its own seed.
    let sessions = ok(raleur(
        &dir,
        &["academy", "sessions", "--trainee", "Naïf", "--json"],
    ));
    let sessions: Value = serde_json::from_str(&sessions).unwrap();
    let mut seeds: Vec<u64> = sessions
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["seed"].as_u64().unwrap())
        .collect();
    seeds.dedup();
    assert_eq!(seeds.len(), 3);
    let refused = raleur(&dir, &["passport", "issue", "Naïf"]);
    assert_eq!(refused.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(stderr.contains("has not passed every level"), "{stderr}");
    assert!(!dir.join("passport-naïf").exists());
}

#[test]
fn a_killed_process_loses_no_earlier_session_and_leaves_a_sound_database() {
    let dir = temp_dir("sigkill");
    ok(raleur(&dir, &["academy", "trainee", "add", "Kim"]));
    // The tutorial and the two levels played alone, however many attempts they take.
    for _ in 0..8 {
        let progress = ok(raleur(&dir, &["academy", "progress", "Kim"]));
        if progress.contains("[current] 4.") {
            break;
        }
        ok(raleur(
            &dir,
            &["academy", "play", "Kim", "--policy", "expert"],
        ));
    }
    let before = Store::open(&dir.join("academy.sqlite3"))
        .unwrap()
        .sessions(Some("Kim"))
        .unwrap()
        .len();
    // The price war (8 simulated hours) at 2,000x: about 14 s, written every second.
    let mut child = Command::new(BIN)
        .args([
            "academy", "play", "Kim", "--policy", "expert", "--pace", "2000",
        ])
        .arg("--db")
        .arg(dir.join("academy.sqlite3"))
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let db = dir.join("academy.sqlite3");
    let started = Instant::now();
    loop {
        let store = Store::open(&db).unwrap();
        let sessions = store.sessions(Some("Kim")).unwrap();
        if sessions.len() == before + 1 && sessions[before].events > 500 {
            break;
        }
        assert!(
            started.elapsed() < Duration::from_secs(60),
            "the second session never recorded"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let sessions = store.sessions(Some("Kim")).unwrap();
    assert_eq!(sessions.len(), before + 1);
    let first = &sessions[0];
    assert_eq!(first.status, SessionStatus::Complete);
    assert_eq!(
        Some(sha256_hex(store.transcript(first.id).unwrap().as_bytes())),
        first.transcript_sha256
    );
    let cut = &sessions[before];
    assert_eq!(cut.status, SessionStatus::Recording);
    assert!(cut.ended_at.is_none());
    let (_, records) = read_jsonl(&store.transcript(cut.id).unwrap()).unwrap();
    assert_eq!(records.len() as u64, cut.events);
    assert!(records.last().unwrap().t_ms < 8 * 3_600_000);
    // It can be reviewed: what was played, and its scores so far.
    let review = ok(raleur(&dir, &["academy", "session", &cut.id.to_string()]));
    assert!(review.contains("price_war"), "{review}");
    assert!(review.contains("scores of the part played"), "{review}");
    // And the trainee goes on: the next session is the price war again, on a new seed.
    ok(raleur(
        &dir,
        &["academy", "play", "Kim", "--policy", "expert"],
    ));
    let sessions = store.sessions(Some("Kim")).unwrap();
    assert_eq!(sessions.len(), before + 2);
    assert_eq!(sessions[before + 1].status, SessionStatus::Complete);
    assert_eq!(sessions[before + 1].scenario_id, "price_war");
}

#[test]
fn two_processes_recording_at_once_lose_nothing() {
    let dir = temp_dir("concurrent");
    let db = dir.join("academy.sqlite3");
    // Both start on a database that does not exist yet: they also race to create it.
    let spawn = |name: &str| {
        ok(Command::new(BIN)
            .args(["academy", "trainee", "add", name])
            .arg("--db")
            .arg(&db)
            .output()
            .unwrap());
        Command::new(BIN)
            .args([
                "academy",
                "play",
                name,
                "--policy",
                "expert",
                "--sessions",
                "10",
            ])
            .args(["--pace", "40000"])
            .arg("--db")
            .arg(&db)
            .output()
    };
    let (a, b) = std::thread::scope(|scope| {
        let a = scope.spawn(|| spawn("Ana"));
        let b = scope.spawn(|| spawn("Bob"));
        (a.join().unwrap().unwrap(), b.join().unwrap().unwrap())
    });
    assert!(ok(a).contains("6 of 6 levels passed"));
    assert!(ok(b).contains("6 of 6 levels passed"));
    let store = Store::open(&db).unwrap();
    assert_eq!(store.integrity_check().unwrap(), "ok");
    let sessions = store.sessions(None).unwrap();
    assert_eq!(sessions.len(), 14);
    for name in ["Ana", "Bob"] {
        assert_eq!(sessions.iter().filter(|s| s.trainee == name).count(), 7);
    }
    for session in &sessions {
        assert_eq!(session.status, SessionStatus::Complete);
        let text = store.transcript(session.id).unwrap();
        assert_eq!(
            Some(sha256_hex(text.as_bytes())),
            session.transcript_sha256,
            "session {}",
            session.id
        );
        let (_, records) = read_jsonl(&text).unwrap();
        assert_eq!(records.len() as u64, session.events);
    }
}

#[test]
fn a_database_from_a_newer_raleur_is_refused_untouched() {
    let dir = temp_dir("newer");
    let db = dir.join("academy.sqlite3");
    drop(Store::open(&db).unwrap());
    let conn = rusqlite::Connection::open(&db).unwrap();
    conn.pragma_update(None, "user_version", 99).unwrap();
    drop(conn);
    let error = Store::open(&db).err().unwrap().to_string();
    assert!(
        error.contains("schema version 99, newer than this raleur's"),
        "{error}"
    );
}

#[test]
fn a_broken_curriculum_is_reported_with_its_place() {
    let dir = temp_dir("curriculum");
    let bundled = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("curricula/webconseiller.ron"),
    )
    .unwrap();
    let broken = bundled
        .replace(
            "../scenarios/",
            &format!("{}/scenarios/", env!("CARGO_MANIFEST_DIR")),
        )
        .replace("civil: 75, technical: 80", "civil: 175, technical: 80")
        // The tutorial gives no crowd for one person.
        .replacen(
            "id: \"premiers-pas\",",
            "id: \"premiers-pas\", crowd: Solo,",
            1,
        )
        .replacen("id: \"guerre-des-prix\"", "id: \"premiers-pas\"", 1);
    let path = dir.join("broken.ron");
    std::fs::write(&path, broken).unwrap();
    let errors = raleur::academy::Curriculum::load(&path).unwrap_err();
    let text: Vec<String> = errors.iter().map(|e| e.to_string()).collect();
    let file = path.display().to_string();
    assert!(
        text.iter()
            .any(|e| e.starts_with(&file) && e.contains("levels[3].id: two levels have this id")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains("levels[5].pass.civil: a threshold is a score from 0 to 100")),
        "{text:?}"
    );
    assert!(
        text.iter()
            .any(|e| e.contains("levels[0].crowd") && e.contains("has no solo_customers_per_hour")),
        "{text:?}"
    );
    // The bundled curriculum loads.
    raleur::academy::Curriculum::load(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("curricula/webconseiller.ron"),
    )
    .unwrap();
}

/// Rows of a session in a table of the records.
fn rows_of(db: &Path, table: &str, session: i64) -> i64 {
    let conn = rusqlite::Connection::open(db).unwrap();
    conn.query_row(
        &format!("SELECT count(*) FROM {table} WHERE session_id = ?1"),
        [session],
        |row| row.get(0),
    )
    .unwrap()
}

#[test]
fn ended_sessions_are_kept_compressed_and_come_back_byte_for_byte() {
    let dir = temp_dir("archive");
    let db = dir.join("academy.sqlite3");
    ok(raleur(&dir, &["academy", "trainee", "add", "Zoé"]));
    // The tutorial, the two levels played alone, then the price war.
    ok(raleur(
        &dir,
        &[
            "academy",
            "play",
            "Zoé",
            "--policy",
            "expert",
            "--sessions",
            "4",
        ],
    ));
    let store = Store::open(&db).unwrap();
    let sessions = store.sessions(Some("Zoé")).unwrap();
    assert_eq!(sessions.len(), 4);
    for session in &sessions {
        let text = store.transcript(session.id).unwrap();
        assert_eq!(
            Some(sha256_hex(text.as_bytes())),
            session.transcript_sha256,
            "session {} comes back as it was hashed when it ended",
            session.id
        );
        assert_eq!(rows_of(&db, "transcript_chunks", session.id), 0);
        assert_eq!(rows_of(&db, "transcript_archives", session.id), 1);
    }
    let price_war = &sessions[3];
    assert_eq!(price_war.scenario_id, "price_war");
    let conn = rusqlite::Connection::open(&db).unwrap();
    let (raw, kept): (i64, i64) = conn
        .query_row(
            "SELECT raw_bytes, length(data) FROM transcript_archives WHERE session_id = ?1",
            [price_war.id],
            |row| Ok((row.get(0)?, row.get(1)?)),
        )
        .unwrap();
    assert!(kept < 200_000, "a price war keeps {kept} bytes of {raw}");

    // A database from before archives (schema 2, the price war in chunks) is migrated in
    // place: the session archived, its bytes unchanged.
    let text = store.transcript(price_war.id).unwrap();
    drop(store);
    let lines = text.split_once('\n').unwrap().1;
    conn.execute_batch(&format!(
        "DELETE FROM transcript_archives; DROP TABLE transcript_archives;
         INSERT INTO transcript_chunks (session_id, seq, first_event, lines)
         VALUES ({}, 0, 0, '{}'); PRAGMA user_version = 2;",
        price_war.id,
        lines.replace('\'', "''")
    ))
    .unwrap();
    drop(conn);
    let store = Store::open(&db).unwrap();
    assert_eq!(store.transcript(price_war.id).unwrap(), text);
    assert_eq!(rows_of(&db, "transcript_chunks", price_war.id), 0);
    assert_eq!(rows_of(&db, "transcript_archives", price_war.id), 1);
    assert_eq!(store.integrity_check().unwrap(), "ok");
}
