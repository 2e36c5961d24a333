//! The digital passport: an Open Badges 3.0 credential (a W3C Verifiable Credential) signed
//! as a compact JWT with EdDSA by the academy's Ed25519 key, whose issuer is a `did:key`.
//!
//! The credential names the trainee, the curriculum's achievement and each competence's score,
//! and carries one piece of evidence per counted session: its level, scenario, seed, mode,
//! dates, scores and the SHA-256 of its transcript. Verification checks the signature, the
//! structure and the dates; given the transcripts, it replays each session in the engine and
//! scores it again.

use super::curriculum::Curriculum;
use super::progress::progress;
use super::store::{IssuedPassport, SessionRow, Store, data_dir};
use crate::engine::load_scenario;
use crate::engine::run::replay;
use crate::engine::scenario::{Lang, Scenario};
use crate::engine::transcript::{read_jsonl, sha256_hex};
use crate::score::{Competence, Scores, ScoringSpec, score};
use crate::tone::ToneAnalyser;
use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use ed25519_dalek::pkcs8::{DecodePrivateKey, EncodePrivateKey};
use ed25519_dalek::{Signature, Signer, SigningKey, VerifyingKey};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use time::OffsetDateTime;
use time::format_description::well_known::Rfc3339;

pub const VC_CONTEXT: &str = "https://www.w3.org/ns/credentials/v2";
pub const OB_CONTEXT: &str = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json";
/// The JSON-LD term under which each piece of evidence carries its session's data.
pub const SESSION_TERM: &str = "raleurSession";
const SESSION_TERM_IRI: &str = "urn:raleur:vocab:session";
/// The multicodec prefix of an Ed25519 public key in a `did:key`.
const ED25519_MULTICODEC: [u8; 2] = [0xed, 0x01];
/// Clock difference tolerated between the issuer and the verifier.
const CLOCK_SKEW_S: i64 = 300;

/// The academy's signing key: `RALEUR_ACADEMY_KEY`, else `academy-key.pem` in the data
/// directory.
pub fn default_key_path() -> PathBuf {
    std::env::var_os("RALEUR_ACADEMY_KEY")
        .map(PathBuf::from)
        .unwrap_or_else(|| data_dir().join("academy-key.pem"))
}

/// The academy's Ed25519 signing key, kept as a PKCS#8 PEM file only its owner can read.
pub struct AcademyKey {
    key: SigningKey,
}

impl AcademyKey {
    /// Creates a new key file; refuses to replace one.
    pub fn generate(path: &Path) -> Result<AcademyKey, String> {
        let mut secret = [0u8; 32];
        getrandom::fill(&mut secret)
            .map_err(|e| format!("no randomness from the operating system: {e}"))?;
        let key = AcademyKey {
            key: SigningKey::from_bytes(&secret),
        };
        let pem = key
            .key
            .to_pkcs8_pem(ed25519_dalek::pkcs8::spki::der::pem::LineEnding::LF)
            .map_err(|e| format!("cannot encode the key: {e}"))?;
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .map_err(|e| format!("{}: cannot create: {e}", dir.display()))?;
        }
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create_new(true);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        let mut file = options.open(path).map_err(|e| {
            if e.kind() == std::io::ErrorKind::AlreadyExists {
                format!(
                    "{} already exists: raleur never replaces an academy key, or the passports it signed could no longer be told from forgeries",
                    path.display()
                )
            } else {
                format!("{}: cannot create: {e}", path.display())
            }
        })?;
        std::io::Write::write_all(&mut file, pem.as_bytes())
            .and_then(|()| file.sync_all())
            .map_err(|e| format!("{}: cannot write: {e}", path.display()))?;
        Ok(key)
    }

    /// Reads the key file; refuses one that others can read.
    pub fn load(path: &Path) -> Result<AcademyKey, String> {
        let metadata = std::fs::metadata(path).map_err(|e| {
            format!(
                "{}: {e} (create the academy's key with `raleur academy keygen`)",
                path.display()
            )
        })?;
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = metadata.permissions().mode() & 0o777;
            if mode & 0o077 != 0 {
                return Err(format!(
                    "{} can be read by others (mode {mode:o}); the academy's key must be readable by its owner only: chmod 600 {}",
                    path.display(),
                    path.display()
                ));
            }
        }
        #[cfg(not(unix))]
        let _ = metadata;
        let pem = std::fs::read_to_string(path)
            .map_err(|e| format!("{}: cannot read: {e}", path.display()))?;
        let key = SigningKey::from_pkcs8_pem(&pem)
            .map_err(|e| format!("{}: not an Ed25519 PKCS#8 key: {e}", path.display()))?;
        Ok(AcademyKey { key })
    }

    pub fn did(&self) -> String {
        did_key(&self.key.verifying_key())
    }
}

/// The `did:key` of an Ed25519 public key (multicodec 0xed01, base58btc multibase).
pub fn did_key(public: &VerifyingKey) -> String {
    let mut bytes = ED25519_MULTICODEC.to_vec();
    bytes.extend_from_slice(public.as_bytes());
    format!("did:key:z{}", bs58::encode(bytes).into_string())
}

/// The Ed25519 public key a `did:key` names.
pub fn did_public_key(did: &str) -> Result<VerifyingKey, String> {
    let encoded = did
        .strip_prefix("did:key:z")
        .ok_or_else(|| format!("{did:?} is not a base58 did:key"))?;
    let bytes = bs58::decode(encoded)
        .into_vec()
        .map_err(|e| format!("{did:?}: bad base58: {e}"))?;
    let raw: [u8; 32] = bytes
        .strip_prefix(&ED25519_MULTICODEC[..])
        .and_then(|key| key.try_into().ok())
        .ok_or_else(|| format!("{did:?} is not an Ed25519 did:key"))?;
    VerifyingKey::from_bytes(&raw).map_err(|e| format!("{did:?}: not a valid Ed25519 key: {e}"))
}

fn b64(bytes: &[u8]) -> String {
    URL_SAFE_NO_PAD.encode(bytes)
}

/// Signs a payload as a compact JWS (`header.payload.signature`) with EdDSA.
pub fn sign_jwt(key: &AcademyKey, payload: &Value) -> String {
    let did = key.did();
    let header = json!({
        "alg": "EdDSA",
        "typ": "JWT",
        "kid": format!("{did}#{}", &did["did:key:".len()..]),
        "jwk": {"kty": "OKP", "crv": "Ed25519", "x": b64(key.key.verifying_key().as_bytes())},
    });
    let input = format!(
        "{}.{}",
        b64(header.to_string().as_bytes()),
        b64(payload.to_string().as_bytes())
    );
    let signature = key.key.sign(input.as_bytes());
    format!("{input}.{}", b64(&signature.to_bytes()))
}

fn rfc3339(t: OffsetDateTime) -> String {
    t.format(&Rfc3339).unwrap_or_default()
}

fn parse_time(text: &str, field: &str) -> Result<OffsetDateTime, String> {
    OffsetDateTime::parse(text, &Rfc3339)
        .map_err(|e| format!("{field} {text:?} is not an RFC 3339 date: {e}"))
}

/// A competence's name in the passport, in the trainee's language.
pub fn competence_label(competence: Competence, lang: Lang) -> &'static str {
    match (competence, lang) {
        (Competence::Speed, Lang::Fr) => "Rapidité",
        (Competence::Speed, Lang::En) => "Speed",
        (Competence::Civil, Lang::Fr) => "Compétence civile (courtoisie)",
        (Competence::Civil, Lang::En) => "Civil competence (courtesy)",
        (Competence::Technical, Lang::Fr) => "Compétence technique",
        (Competence::Technical, Lang::En) => "Technical competence",
        (Competence::Contractual, Lang::Fr) => "Compétence contractuelle",
        (Competence::Contractual, Lang::En) => "Contractual competence",
        (Competence::Redirection, Lang::Fr) => "Orientation vers le bon canal",
        (Competence::Redirection, Lang::En) => "Redirection to the right channel",
    }
}

fn result_id(competence: Competence) -> String {
    format!("urn:raleur:competence:{}", competence.id())
}

fn round1(x: f64) -> f64 {
    (x * 10.0).round() / 10.0
}

/// One counted session, as the passport records it.
#[derive(Clone, Debug, PartialEq)]
pub struct EvidenceSession {
    pub level: String,
    pub scenario: String,
    pub seed: u64,
    pub mode: String,
    pub player: String,
    pub started_at: String,
    pub ended_at: String,
    pub transcript_sha256: String,
    /// The five competences and `overall`.
    pub scores: BTreeMap<String, f64>,
}

impl EvidenceSession {
    fn to_json(&self) -> Value {
        json!({
            "level": self.level,
            "scenario": self.scenario,
            "seed": self.seed,
            "mode": self.mode,
            "player": self.player,
            "startedAt": self.started_at,
            "endedAt": self.ended_at,
            "transcriptSha256": self.transcript_sha256,
            "scores": self.scores,
        })
    }

    fn from_json(value: &Value, at: &str) -> Result<EvidenceSession, String> {
        let text = |field: &str| {
            value
                .get(field)
                .and_then(Value::as_str)
                .map(str::to_string)
                .ok_or_else(|| format!("{at}.{field} is missing or not text"))
        };
        let seed = value
            .get("seed")
            .and_then(Value::as_u64)
            .ok_or_else(|| format!("{at}.seed is missing or not a whole number"))?;
        let scores = value
            .get("scores")
            .and_then(Value::as_object)
            .ok_or_else(|| format!("{at}.scores is missing"))?;
        let mut parsed = BTreeMap::new();
        for name in Competence::ALL
            .iter()
            .map(|c| c.id())
            .chain(std::iter::once("overall"))
        {
            let score = scores
                .get(name)
                .and_then(Value::as_f64)
                .ok_or_else(|| format!("{at}.scores.{name} is missing or not a number"))?;
            parsed.insert(name.to_string(), score);
        }
        let sha = text("transcriptSha256")?;
        if sha.len() != 64 || !sha.bytes().all(|b| b.is_ascii_hexdigit()) {
            return Err(format!("{at}.transcriptSha256 is not a SHA-256 in hex"));
        }
        Ok(EvidenceSession {
            level: text("level")?,
            scenario: text("scenario")?,
            seed,
            mode: text("mode")?,
            player: text("player")?,
            started_at: text("startedAt")?,
            ended_at: text("endedAt")?,
            transcript_sha256: sha,
            scores: parsed,
        })
    }
}

fn scores_map(scores: &Scores) -> BTreeMap<String, f64> {
    let mut map: BTreeMap<String, f64> = Competence::ALL
        .iter()
        .map(|c| (c.id().to_string(), scores.of(*c)))
        .collect();
    map.insert("overall".into(), scores.overall);
    map
}

/// What the passport awards, per competence: the mean over the counted sessions.
fn competence_means(sessions: &[EvidenceSession]) -> BTreeMap<String, f64> {
    Competence::ALL
        .iter()
        .map(|c| {
            let sum: f64 = sessions.iter().map(|s| s.scores[c.id()]).sum();
            (
                c.id().to_string(),
                round1(sum / sessions.len().max(1) as f64),
            )
        })
        .collect()
}

pub struct CredentialInput<'a> {
    pub curriculum: &'a Curriculum,
    pub trainee: &'a str,
    pub issuer_did: &'a str,
    pub credential_id: &'a str,
    pub issued_at: OffsetDateTime,
    pub lang: Lang,
    pub sessions: &'a [EvidenceSession],
}

/// The Open Badges 3.0 credential, with the JWT registered claims (`iss`, `jti`, `nbf`, `exp`)
/// its VC-JWT form adds.
pub fn credential(input: &CredentialInput) -> Value {
    let lang = input.lang;
    let spec = &input.curriculum.file;
    let valid_until = spec
        .passport
        .valid_days
        .map(|days| input.issued_at + time::Duration::days(i64::from(days)));
    let criteria: Vec<String> = input
        .curriculum
        .levels
        .iter()
        .enumerate()
        .map(|(i, level)| {
            let thresholds: Vec<String> = Competence::ALL
                .iter()
                .map(|c| format!("{} {}", c.id(), level.pass.of(*c)))
                .collect();
            let scenarios: Vec<&str> = level
                .scenarios
                .iter()
                .map(|s| s.scenario.id.as_str())
                .collect();
            let exam = level.mode == super::curriculum::LevelMode::Exam;
            let (exam_words, at_least) = match lang {
                Lang::Fr => (", en mode examen", "minimum :"),
                Lang::En => (", in exam mode", "at least:"),
            };
            format!(
                "{}. {} ({}{}), {at_least} {}",
                i + 1,
                level.title.get(lang),
                scenarios.join(", "),
                if exam { exam_words } else { "" },
                thresholds.join(", ")
            )
        })
        .collect();
    let means = competence_means(input.sessions);
    let result_descriptions: Vec<Value> = Competence::ALL
        .iter()
        .map(|c| {
            json!({
                "id": result_id(*c),
                "type": ["ResultDescription"],
                "name": competence_label(*c, lang),
                "resultType": "Percent",
                "valueMin": "0",
                "valueMax": "100",
            })
        })
        .collect();
    let results: Vec<Value> = Competence::ALL
        .iter()
        .map(|c| {
            json!({
                "type": ["Result"],
                "resultDescription": result_id(*c),
                "value": format!("{:.1}", means[c.id()]),
            })
        })
        .collect();
    let evidence: Vec<Value> = input
        .sessions
        .iter()
        .map(|s| {
            let title = input
                .curriculum
                .levels
                .iter()
                .flat_map(|l| &l.scenarios)
                .find(|e| e.scenario.id == s.scenario)
                .map_or(s.scenario.as_str(), |e| e.scenario.title.get(lang));
            json!({
                "id": format!("urn:raleur:transcript:sha256:{}", s.transcript_sha256),
                "type": ["Evidence"],
                "name": match lang {
                    Lang::Fr => format!("{title}, graine {}", s.seed),
                    Lang::En => format!("{title}, seed {}", s.seed),
                },
                "genre": s.mode,
                SESSION_TERM: s.to_json(),
            })
        })
        .collect();
    let mut credential = json!({
        "@context": [VC_CONTEXT, OB_CONTEXT, {SESSION_TERM: {"@id": SESSION_TERM_IRI, "@type": "@json"}}],
        "id": input.credential_id,
        "type": ["VerifiableCredential", "OpenBadgeCredential"],
        "name": spec.passport.name.get(lang),
        "description": spec.passport.description.get(lang),
        "issuer": {
            "id": input.issuer_did,
            "type": ["Profile"],
            "name": spec.passport.issuer_name,
        },
        "validFrom": rfc3339(input.issued_at),
        "credentialSubject": {
            "type": ["AchievementSubject"],
            "identifier": [{
                "type": "IdentityObject",
                "identityHash": input.trainee,
                "identityType": "name",
                "hashed": false,
            }],
            "achievement": {
                "id": format!("urn:raleur:curriculum:{}", spec.id),
                "type": ["Achievement"],
                "achievementType": "Certificate",
                "name": spec.passport.name.get(lang),
                "description": spec.passport.description.get(lang),
                "criteria": {"narrative": criteria.join("\n")},
                "resultDescription": result_descriptions,
            },
            "result": results,
        },
        "evidence": evidence,
        "iss": input.issuer_did,
        "jti": input.credential_id,
        "nbf": input.issued_at.unix_timestamp(),
    });
    if let Some(until) = valid_until {
        credential["validUntil"] = json!(rfc3339(until));
        credential["exp"] = json!(until.unix_timestamp());
    }
    credential
}

/// A new credential id, `urn:uuid:` with a random (version 4) UUID.
pub fn new_credential_id() -> Result<String, String> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(|e| format!("no randomness from the system: {e}"))?;
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
    Ok(format!(
        "urn:uuid:{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    ))
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
    let analyser = Arc::new(ToneAnalyser::bundled());
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
) -> Result<Issued, String> {
    let person = store
        .trainee(trainee)
        .map_err(|e| e.to_string())?
        .ok_or_else(|| format!("no trainee named {trainee:?}"))?;
    let sessions = store
        .sessions(Some(&person.name))
        .map_err(|e| e.to_string())?;
    let standing = progress(curriculum, &person.name, &sessions);
    if !standing.passed_all() {
        let missing: Vec<String> = standing
            .levels
            .iter()
            .filter(|l| l.state != super::progress::LevelState::Passed)
            .map(|l| l.id.clone())
            .collect();
        return Err(format!(
            "{} has not passed every level yet (missing: {}); see `raleur academy progress`",
            person.name,
            missing.join(", ")
        ));
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
            let row = by_id[&id];
            let text = store.transcript(id).map_err(|e| e.to_string())?;
            let sha = sha256_hex(text.as_bytes());
            if row.transcript_sha256.as_deref() != Some(sha.as_str()) {
                return Err(format!(
                    "session {id}: its recorded transcript no longer matches the SHA-256 kept when it ended; the records were altered"
                ));
            }
            let scores =
                rescore(&entry.scenario, &text).map_err(|e| format!("session {id}: {e}"))?;
            if Some(&scores) != row.scores.as_ref() {
                return Err(format!(
                    "session {id}: the scores kept in the records differ from its transcript's"
                ));
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
    let passport_id = store
        .record_passport(&IssuedPassport {
            trainee_id: person.id,
            credential_id,
            issuer: did,
            issued_at: rfc3339(issued_at),
            jwt: jwt.clone(),
            sessions: counted,
        })
        .map_err(|e| e.to_string())?;
    Ok(Issued {
        jwt,
        credential,
        transcripts,
        passport_id,
    })
}

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

fn decode_part(part: &str, what: &str) -> Result<Vec<u8>, String> {
    URL_SAFE_NO_PAD
        .decode(part)
        .map_err(|e| format!("the {what} is not base64url: {e}"))
}

/// Verifies a passport. The error is the first reason it is not valid.
pub fn verify(jwt: &str, options: &VerifyOptions) -> Result<Verified, String> {
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
    if iss != options.trusted_issuer {
        return Err(format!(
            "issued by {iss}, not by the trusted academy {}",
            options.trusted_issuer
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
    let means = competence_means(&sessions);
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
        issuer: iss.to_string(),
        valid_from: rfc3339(valid_from),
        valid_until: valid_until.map(rfc3339),
        sessions,
        replayed,
        credential: payload,
    })
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
pub fn check_structure(credential: &Value) -> Result<(), String> {
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
