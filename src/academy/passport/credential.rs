//! The Open Badges 3.0 credential: its achievement, results and evidence.

use super::{OB_CONTEXT, PassportError, SESSION_TERM, SESSION_TERM_IRI, VC_CONTEXT, rfc3339};
use crate::academy::curriculum::{Curriculum, LevelMode};
use crate::engine::scenario::Lang;
use crate::score::{Competence, Scores};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use time::OffsetDateTime;

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

pub(super) fn result_id(competence: Competence) -> String {
    format!("urn:raleur:competence:{}", competence.id())
}

pub(super) fn round1(x: f64) -> f64 {
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

    pub(super) fn from_json(value: &Value, at: &str) -> Result<EvidenceSession, String> {
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

pub(super) fn scores_map(scores: &Scores) -> BTreeMap<String, f64> {
    let mut map: BTreeMap<String, f64> = Competence::ALL
        .iter()
        .map(|c| (c.id().to_string(), scores.of(*c)))
        .collect();
    map.insert("overall".into(), scores.overall);
    map
}

/// What the passport awards, per competence: the mean over the counted sessions.
pub(super) fn competence_means(sessions: &[EvidenceSession]) -> BTreeMap<String, f64> {
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
    let criteria = criteria(input);
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
    let evidence = evidence(input);
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

/// One line per level: its scenarios, whether in exam mode, and the scores it asks for.
fn criteria(input: &CredentialInput) -> Vec<String> {
    let lang = input.lang;
    input
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
            let exam = level.mode == LevelMode::Exam;
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
        .collect()
}

/// One piece of evidence per counted session, with its data under [`SESSION_TERM`].
fn evidence(input: &CredentialInput) -> Vec<Value> {
    let lang = input.lang;
    input
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
        .collect()
}

/// A new credential id, `urn:uuid:` with a random (version 4) UUID.
pub(super) fn new_credential_id() -> Result<String, PassportError> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes).map_err(PassportError::NoRandomness)?;
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
