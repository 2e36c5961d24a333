//! The digital passport: an Open Badges 3.0 credential (a W3C Verifiable Credential) signed
//! as a compact JWT with EdDSA by the academy's Ed25519 key, whose issuer is a `did:key`.
//!
//! The credential names the trainee, the curriculum's achievement and each competence's score,
//! and carries one piece of evidence per counted session: its level, scenario, seed, mode,
//! dates, scores and the SHA-256 of its transcript. Verification checks the signature, the
//! structure and the dates; given the transcripts, it replays each session in the engine and
//! scores it again.

mod credential;
mod key;
mod verify;

pub use credential::{CredentialInput, EvidenceSession, competence_label, credential};
pub use key::{AcademyKey, default_key_path, did_key, sign_jwt};
pub use verify::{Verified, VerifyOptions, verify};

use super::curriculum::Curriculum;
use super::progress::progress;
use super::store::{IssuedPassport, SessionRow, Store, StoreError};
use crate::engine::run::replay;
use crate::engine::scenario::{Lang, Scenario};
use crate::engine::transcript::{read_jsonl, sha256_hex};
use crate::score::{Scores, ScoringSpec, score};
use crate::tone::{Memo, ToneAnalyser};
use credential::{new_credential_id, scores_map};
use serde_json::Value;
use std::collections::BTreeMap;
use std::sync::Arc;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The JSON-LD term under which each piece of evidence carries its session's data.
pub const SESSION_TERM: &str = "raleurSession";
const SESSION_TERM_IRI: &str = "urn:raleur:vocab:session";
/// Clock difference tolerated between the issuer and the verifier.
const CLOCK_SKEW_S: i64 = 300;

/// Why a passport could not be made, read or trusted.
#[derive(Debug, thiserror::Error)]
pub enum PassportError {
    /// The academy's key cannot be made, read or used.
    #[error("{0}")]
    Key(String),
    #[error("no randomness from the operating system: {0}")]
    NoRandomness(getrandom::Error),
    #[error(transparent)]
    Records(#[from] StoreError),
    /// The trainee has not earned a passport, or their records no longer prove it.
    #[error("{0}")]
    NotEarned(String),
    /// The certificate's QR codes cannot hold the credential.
    #[error("cannot draw the QR code: {0}")]
    QrCode(String),
    /// The first reason a passport is not valid.
    #[error("{0}")]
    Invalid(String),
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn parse_time(text: &str, field: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("{field} {text:?} is not an RFC 3339 date: {e}"))
}

/// An issued passport, with the transcripts it counts (by SHA-256) to hand over with it.
pub struct Issued {
    pub jwt: String,
    pub credential: Value,
    pub transcripts: Vec<(String, String)>,
    pub passport_id: i64,
}

/// Replays a recorded transcript on its scenario and scores it again.
fn rescore(scenario: &Arc<Scenario>, transcript: &str) -> Result<Scores, String> {
    let (header, records) = read_jsonl(transcript).map_err(|e| format!("line {e}"))?;
    // The replay reads each reply; the rescoring gets the replay's readings back.
    let analyser = Arc::new(Memo::new(Arc::new(ToneAnalyser::bundled())));
    replay(scenario.clone(), analyser.clone(), &header, &records).map_err(|d| {
        format!(
            "line {}: the replay differs from the record: {}",
            d.line, d.reason
        )
    })?;
    let spec = ScoringSpec::bundled();
    Ok(score(&spec, &analyser, scenario, &header, &records).scores)
}

/// Issues the passport of a trainee who passed every level: each counted session's transcript
/// is read back, its hash checked, replayed and scored again before it is signed for.
pub fn issue(
    store: &mut Store,
    curriculum: &Curriculum,
    key: &AcademyKey,
    trainee: &str,
    lang: Lang,
    now: OffsetDateTime,
) -> Result<Issued, PassportError> {
    let person = store
        .trainee(trainee)?
        .ok_or_else(|| PassportError::NotEarned(format!("no trainee named {trainee:?}")))?;
    let sessions = store.sessions(Some(&person.name))?;
    let standing = progress(curriculum, &person.name, &sessions);
    if !standing.passed_all() {
        let missing: Vec<String> = standing
            .levels
            .iter()
            .filter(|l| l.state != super::progress::LevelState::Passed)
            .map(|l| l.id.clone())
            .collect();
        return Err(PassportError::NotEarned(format!(
            "{} has not passed every level yet (missing: {}); see `raleur academy progress`",
            person.name,
            missing.join(", ")
        )));
    }
    let by_id: BTreeMap<i64, &SessionRow> = sessions.iter().map(|s| (s.id, s)).collect();
    let mut evidence = Vec::new();
    let mut transcripts = Vec::new();
    let mut counted = Vec::new();
    for (level, level_progress) in curriculum.levels.iter().zip(&standing.levels) {
        for (entry, scenario_progress) in level.scenarios.iter().zip(&level_progress.scenarios) {
            let Some(id) = scenario_progress.passed_by else {
                continue;
            };
            let row = by_id.get(&id).ok_or_else(|| {
                PassportError::NotEarned(format!("session {id} is counted but not in the records"))
            })?;
            let text = store.transcript(id)?;
            let sha = sha256_hex(text.as_bytes());
            if row.transcript_sha256.as_deref() != Some(sha.as_str()) {
                return Err(PassportError::NotEarned(format!(
                    "session {id}: its recorded transcript no longer matches the SHA-256 kept when it ended; the records were altered"
                )));
            }
            let scores = rescore(&entry.scenario, &text)
                .map_err(|e| PassportError::NotEarned(format!("session {id}: {e}")))?;
            if Some(&scores) != row.scores.as_ref() {
                return Err(PassportError::NotEarned(format!(
                    "session {id}: the scores kept in the records differ from its transcript's"
                )));
            }
            evidence.push(EvidenceSession {
                level: level.id.clone(),
                scenario: row.scenario_id.clone(),
                seed: row.seed,
                mode: row.mode.id().into(),
                player: row.player.clone(),
                started_at: row.started_at.clone(),
                ended_at: row.ended_at.clone().unwrap_or_default(),
                transcript_sha256: sha.clone(),
                scores: scores_map(&scores),
            });
            transcripts.push((sha, text));
            counted.push(id);
        }
    }
    let issued_at = now.replace_nanosecond(0).unwrap_or(now);
    let credential_id = new_credential_id()?;
    let did = key.did();
    let credential = credential(&CredentialInput {
        curriculum,
        trainee: &person.name,
        issuer_did: &did,
        credential_id: &credential_id,
        issued_at,
        lang,
        sessions: &evidence,
    });
    let jwt = sign_jwt(key, &credential);
    let passport_id = store.record_passport(&IssuedPassport {
        trainee_id: person.id,
        credential_id,
        issuer: did,
        issued_at: rfc3339(issued_at),
        jwt: jwt.clone(),
        sessions: counted,
    })?;
    Ok(Issued {
        jwt,
        credential,
        transcripts,
        passport_id,
    })
}
