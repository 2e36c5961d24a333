//! Verification: signature, structure, dates, results and, given the transcripts, a replay of
//! every counted session.

use super::credential::{EvidenceSession, competence_means, result_id, scores_map};
use super::key::{decode_part, did_public_key};
use super::{CLOCK_SKEW_S, PassportError, SESSION_TERM, VC_CONTEXT, parse_time, rescore, rfc3339};
use crate::engine::load_scenario;
use crate::engine::scenario::Scenario;
use crate::engine::transcript::{read_jsonl, sha256_hex};
use crate::score::Competence;
use ed25519_dalek::Signature;
use serde_json::Value;
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::OffsetDateTime;

/// What a verification found valid.
#[derive(Debug)]
pub struct Verified {
    pub credential: Value,
    pub trainee: String,
    pub issuer: String,
    pub valid_from: String,
    pub valid_until: Option<String>,
    pub sessions: Vec<EvidenceSession>,
    /// Sessions replayed and scored again (0 without transcripts).
    pub replayed: usize,
}

pub struct VerifyOptions<'a> {
    /// The academy whose passports are trusted.
    pub trusted_issuer: &'a str,
    pub now: OffsetDateTime,
    /// A folder holding the counted transcripts as `<sha256>.jsonl`.
    pub transcripts: Option<&'a Path>,
    /// Folders searched for the scenarios the transcripts were played on (by SHA-256).
    pub scenarios: &'a [PathBuf],
}

/// Verifies a passport. The error is the first reason it is not valid.
pub fn verify(jwt: &str, options: &VerifyOptions) -> Result<Verified, PassportError> {
    check(jwt, options).map_err(PassportError::Invalid)
}

fn check(jwt: &str, options: &VerifyOptions) -> Result<Verified, String> {
    let (payload, iss) = signed_payload(jwt, options.trusted_issuer)?;
    check_structure(&payload)?;
    let (valid_from, valid_until) = check_dates(&payload, options.now)?;
    let sessions = payload["evidence"]
        .as_array()
        .map(|items| {
            items
                .iter()
                .enumerate()
                .map(|(i, item)| {
                    EvidenceSession::from_json(&item[SESSION_TERM], &format!("evidence[{i}]"))
                })
                .collect::<Result<Vec<_>, String>>()
        })
        .unwrap_or_else(|| Err("the credential has no evidence".into()))?;
    if sessions.is_empty() {
        return Err("the credential counts no session".into());
    }
    for (i, session) in sessions.iter().enumerate() {
        let expected_id = format!("urn:raleur:transcript:sha256:{}", session.transcript_sha256);
        if payload["evidence"][i]["id"].as_str() != Some(expected_id.as_str()) {
            return Err(format!(
                "evidence[{i}].id does not name its session's transcript"
            ));
        }
        let started = parse_time(&session.started_at, &format!("evidence[{i}] startedAt"))?;
        let ended = parse_time(&session.ended_at, &format!("evidence[{i}] endedAt"))?;
        if started > ended || ended > valid_from {
            return Err(format!(
                "evidence[{i}]: the session's dates ({} to {}) do not fall before the passport's issue ({})",
                session.started_at,
                session.ended_at,
                rfc3339(valid_from)
            ));
        }
    }
    check_results(&payload, &sessions)?;
    let mut replayed = 0;
    if let Some(dir) = options.transcripts {
        let scenarios = scenario_index(options.scenarios);
        for (i, session) in sessions.iter().enumerate() {
            check_transcript(i, session, dir, &scenarios)?;
            replayed += 1;
        }
    }
    let trainee = payload["credentialSubject"]["identifier"][0]["identityHash"]
        .as_str()
        .unwrap_or_default()
        .to_string();
    Ok(Verified {
        trainee,
        issuer: iss,
        valid_from: rfc3339(valid_from),
        valid_until: valid_until.map(rfc3339),
        sessions,
        replayed,
        credential: payload,
    })
}

/// The payload of a compact JWS signed with EdDSA by the trusted academy, and its issuer.
fn signed_payload(jwt: &str, trusted_issuer: &str) -> Result<(Value, String), String> {
    let jwt = jwt.trim();
    let parts: Vec<&str> = jwt.split('.').collect();
    let [header_b64, payload_b64, signature_b64] = parts[..] else {
        return Err("not a compact JWT: expected three parts separated by dots".into());
    };
    let header: Value = serde_json::from_slice(&decode_part(header_b64, "JOSE header")?)
        .map_err(|e| format!("the JOSE header is not JSON: {e}"))?;
    if header.get("alg").and_then(Value::as_str) != Some("EdDSA") {
        return Err(format!(
            "the signature algorithm is {}, not EdDSA",
            header.get("alg").unwrap_or(&Value::Null)
        ));
    }
    let payload: Value = serde_json::from_slice(&decode_part(payload_b64, "payload")?)
        .map_err(|e| format!("the payload is not JSON: {e}"))?;
    let iss = payload
        .get("iss")
        .and_then(Value::as_str)
        .ok_or("the payload has no iss (issuer) claim")?;
    if iss != trusted_issuer {
        return Err(format!(
            "issued by {iss}, not by the trusted academy {}",
            trusted_issuer
        ));
    }
    let public = did_public_key(iss)?;
    let signature: [u8; 64] = decode_part(signature_b64, "signature")?
        .try_into()
        .map_err(|_| "the signature is not 64 bytes long".to_string())?;
    public
        .verify_strict(
            format!("{header_b64}.{payload_b64}").as_bytes(),
            &Signature::from_bytes(&signature),
        )
        .map_err(|_| {
            format!(
                "the signature does not match the academy's key {iss}: the credential was altered after it was signed, or signed with another key"
            )
        })?;
    if let Some(kid) = header.get("kid").and_then(Value::as_str)
        && !kid.starts_with(&format!("{iss}#"))
    {
        return Err(format!("the header's kid {kid} is not a key of {iss}"));
    }
    let iss = iss.to_string();
    Ok((payload, iss))
}

/// Each competence's result is the mean of the sessions' scores.
fn check_results(payload: &Value, sessions: &[EvidenceSession]) -> Result<(), String> {
    let means = competence_means(sessions);
    let results = payload["credentialSubject"]["result"]
        .as_array()
        .cloned()
        .unwrap_or_default();
    for competence in Competence::ALL {
        let id = result_id(competence);
        let stated = results
            .iter()
            .find(|r| r["resultDescription"].as_str() == Some(id.as_str()))
            .and_then(|r| r["value"].as_str())
            .ok_or_else(|| format!("no result for the {} competence", competence.id()))?;
        let expected = format!("{:.1}", means[competence.id()]);
        if stated != expected {
            return Err(format!(
                "the {} result says {stated}, but the sessions' scores average {expected}",
                competence.id()
            ));
        }
    }
    Ok(())
}

/// The scenarios found in the given folders, by the SHA-256 of their file.
fn scenario_index(dirs: &[PathBuf]) -> BTreeMap<String, Arc<Scenario>> {
    let mut index = BTreeMap::new();
    for dir in dirs {
        let Ok(entries) = std::fs::read_dir(dir) else {
            continue;
        };
        let mut paths: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|e| e == "ron"))
            .collect();
        paths.sort();
        for path in paths {
            if let Ok(loaded) = load_scenario(&path) {
                index
                    .entry(loaded.sha256)
                    .or_insert_with(|| Arc::new(loaded.scenario));
            }
        }
    }
    index
}

fn check_transcript(
    i: usize,
    session: &EvidenceSession,
    dir: &Path,
    scenarios: &BTreeMap<String, Arc<Scenario>>,
) -> Result<(), String> {
    let name = format!("{}.jsonl", session.transcript_sha256);
    let path = dir.join(&name);
    let what = format!(
        "session {} ({}, seed {})",
        i + 1,
        session.scenario,
        session.seed
    );
    let bytes = std::fs::read(&path)
        .map_err(|e| format!("{what}: cannot read its transcript {}: {e}", path.display()))?;
    let sha = sha256_hex(&bytes);
    if sha != session.transcript_sha256 {
        return Err(format!(
            "{what}: the transcript {} has SHA-256 {sha}, the passport records {}: the transcript was altered",
            path.display(),
            session.transcript_sha256
        ));
    }
    let text =
        String::from_utf8(bytes).map_err(|_| format!("{what}: the transcript is not UTF-8"))?;
    let (header, _) = read_jsonl(&text).map_err(|e| format!("{what}: transcript line {e}"))?;
    if header.scenario_id != session.scenario || header.seed != session.seed {
        return Err(format!(
            "{what}: the transcript is of {} seed {}",
            header.scenario_id, header.seed
        ));
    }
    let scenario = scenarios.get(&header.scenario_sha256).ok_or_else(|| {
        format!(
            "{what}: no scenario file with SHA-256 {} in the scenario folders to replay it on",
            header.scenario_sha256
        )
    })?;
    let scores = rescore(scenario, &text).map_err(|e| format!("{what}: transcript {e}"))?;
    for (name, recomputed) in scores_map(&scores) {
        let stated = session.scores[&name];
        if (recomputed - stated).abs() > 1e-9 {
            return Err(format!(
                "{what}: replayed, its {name} score is {recomputed}, the passport says {stated}"
            ));
        }
    }
    Ok(())
}

/// The Open Badges 3.0 fields an OpenBadgeCredential must have.
fn check_structure(credential: &Value) -> Result<(), String> {
    let mut missing = Vec::new();
    let contexts = credential["@context"].as_array();
    if contexts.and_then(|c| c.first()).and_then(Value::as_str) != Some(VC_CONTEXT) {
        missing.push(format!("@context must begin with {VC_CONTEXT}"));
    }
    if !contexts.is_some_and(|c| {
        c.iter().any(|v| {
            v.as_str()
                .is_some_and(|s| s.starts_with("https://purl.imsglobal.org/spec/ob/v3p0/context"))
        })
    }) {
        missing.push("@context must hold the Open Badges 3.0 context".into());
    }
    let has_type = |value: &Value, wanted: &str| {
        value["type"]
            .as_array()
            .is_some_and(|t| t.iter().any(|v| v == wanted))
            || value["type"] == wanted
    };
    let text = |value: &Value, field: &str| value[field].as_str().is_some_and(|s| !s.is_empty());
    if !has_type(credential, "VerifiableCredential") || !has_type(credential, "OpenBadgeCredential")
    {
        missing.push("type must hold VerifiableCredential and OpenBadgeCredential".into());
    }
    for field in ["id", "name", "validFrom"] {
        if !text(credential, field) {
            missing.push(format!("{field} is required"));
        }
    }
    let issuer = &credential["issuer"];
    if !text(issuer, "id") || !has_type(issuer, "Profile") {
        missing.push("issuer must be a Profile with an id".into());
    }
    let subject = &credential["credentialSubject"];
    if !has_type(subject, "AchievementSubject") {
        missing.push("credentialSubject must be an AchievementSubject".into());
    }
    let achievement = &subject["achievement"];
    if !has_type(achievement, "Achievement") {
        missing.push("credentialSubject.achievement must be an Achievement".into());
    }
    for field in ["id", "name", "description"] {
        if !text(achievement, field) {
            missing.push(format!("credentialSubject.achievement.{field} is required"));
        }
    }
    if !text(&achievement["criteria"], "narrative") && !text(&achievement["criteria"], "id") {
        missing.push("credentialSubject.achievement.criteria needs a narrative or an id".into());
    }
    if credential["jti"] != credential["id"] {
        missing.push("jti must equal id".into());
    }
    if credential["iss"] != issuer["id"] {
        missing.push("iss must equal issuer.id".into());
    }
    if missing.is_empty() {
        Ok(())
    } else {
        Err(format!(
            "not a valid Open Badges 3.0 credential: {}",
            missing.join("; ")
        ))
    }
}

fn check_dates(
    credential: &Value,
    now: OffsetDateTime,
) -> Result<(OffsetDateTime, Option<OffsetDateTime>), String> {
    let valid_from = parse_time(
        credential["validFrom"].as_str().unwrap_or_default(),
        "validFrom",
    )?;
    if credential["nbf"].as_i64() != Some(valid_from.unix_timestamp()) {
        return Err("the nbf claim does not match validFrom".into());
    }
    if valid_from.unix_timestamp() > now.unix_timestamp() + CLOCK_SKEW_S {
        return Err(format!(
            "the passport is dated {}, in the future",
            rfc3339(valid_from)
        ));
    }
    let valid_until = match credential.get("validUntil") {
        None => {
            if credential.get("exp").is_some() {
                return Err("the exp claim has no validUntil".into());
            }
            None
        }
        Some(value) => {
            let until = parse_time(value.as_str().unwrap_or_default(), "validUntil")?;
            if credential["exp"].as_i64() != Some(until.unix_timestamp()) {
                return Err("the exp claim does not match validUntil".into());
            }
            if until <= valid_from {
                return Err("validUntil is not after validFrom".into());
            }
            if until.unix_timestamp() + CLOCK_SKEW_S < now.unix_timestamp() {
                return Err(format!("the passport expired on {}", rfc3339(until)));
            }
            Some(until)
        }
    };
    Ok((valid_from, valid_until))
}
