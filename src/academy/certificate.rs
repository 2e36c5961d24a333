//! The printable certificate: one self-contained HTML page (inline CSS and SVG, no script)
//! with the passport's content and its credential as QR codes.

use super::passport::PassportError;
use super::passport::{SESSION_TERM, competence_label};
use crate::engine::scenario::Lang;
use crate::score::Competence;
use qrcodegen::{QrCode, QrCodeEcc};
use serde_json::Value;
use std::fmt::Write as _;

/// The most bytes of the credential one QR code holds. A longer credential is split over
/// several codes, read in order and joined; at this size and error correction M each stays a
/// version-36 code or smaller (161 modules), which a phone reads from paper at 70 mm.
pub const QR_PART_BYTES: usize = 2_000;

/// The credential cut into the pieces the QR codes hold, in order.
pub fn qr_parts(jwt: &str) -> Vec<&str> {
    // A compact JWT is ASCII, so any byte offset is a character boundary.
    jwt.as_bytes()
        .chunks(QR_PART_BYTES)
        .map(|chunk| std::str::from_utf8(chunk).unwrap_or_default())
        .collect()
}

/// A QR code (error correction M) as an SVG of dark modules, with the 4-module quiet zone.
pub fn qr_svg(code: &QrCode) -> String {
    let size = code.size();
    // One rectangle per horizontal run of dark modules keeps the page small.
    let mut path = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if !code.get_module(x, y) {
                x += 1;
                continue;
            }
            let start = x;
            while x < size && code.get_module(x, y) {
                x += 1;
            }
            let _ = write!(
                path,
                "M{},{}h{}v1h-{}z",
                start + 4,
                y + 4,
                x - start,
                x - start
            );
        }
    }
    let full = size + 8;
    format!(
        r##"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {full} {full}" shape-rendering="crispEdges" role="img"><rect width="{full}" height="{full}" fill="#fff"/><path d="{path}" fill="#000"/></svg>"##
    )
}

pub fn qr_codes(jwt: &str) -> Result<Vec<QrCode>, PassportError> {
    qr_parts(jwt)
        .into_iter()
        .map(|part| {
            QrCode::encode_binary(part.as_bytes(), QrCodeEcc::Medium)
                .map_err(|e| PassportError::QrCode(format!("{e:?}")))
        })
        .collect()
}

/// Text made safe inside HTML elements and quoted attributes.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

fn words(lang: Lang) -> [&'static str; 16] {
    match lang {
        Lang::Fr => [
            "Passeport numérique",
            "décerné à",
            "par",
            "le",
            "Compétences (moyenne des sessions retenues)",
            "Sessions retenues",
            "Niveau",
            "Scénario",
            "Mode",
            "Date",
            "Scores (rapidité, civil, technique, contractuel, orientation)",
            "Empreinte SHA-256 de la transcription",
            "Vérifier",
            "Critères",
            "valable jusqu'au",
            "Le code QR contient le justificatif signé (JWT). S'il est réparti sur plusieurs codes, lisez-les dans l'ordre et mettez leurs textes bout à bout.",
        ],
        Lang::En => [
            "Digital passport",
            "awarded to",
            "by",
            "on",
            "Competences (mean of the counted sessions)",
            "Counted sessions",
            "Level",
            "Scenario",
            "Mode",
            "Date",
            "Scores (speed, civil, technical, contractual, redirection)",
            "SHA-256 of the transcript",
            "Verify",
            "Criteria",
            "valid until",
            "The QR code holds the signed credential (JWT). If it is spread over several codes, read them in order and join their texts.",
        ],
    }
}

/// The page's look: A4, inline, no outside resource.
const STYLE: &str = r#"
@page { size: A4; margin: 14mm; }
body { font-family: "DejaVu Sans", Arial, sans-serif; color: #1d2733; max-width: 180mm; margin: 0 auto; }
header { border-bottom: 3px solid #1f6feb; padding-bottom: 6mm; margin-bottom: 6mm; }
h1 { font-size: 22pt; margin: 0 0 2mm 0; }
.who { font-size: 16pt; } .who strong { font-size: 20pt; }
table { border-collapse: collapse; width: 100%; font-size: 9pt; margin-bottom: 5mm; }
th, td { border-bottom: 1px solid #c9d1d9; padding: 1.5mm 2mm; text-align: left; vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
code { font-size: 7pt; word-break: break-all; }
.criteria { white-space: pre-line; font-size: 9pt; }
.qr { display: flex; flex-wrap: wrap; gap: 6mm; page-break-inside: avoid; }
.qr figure { margin: 0; width: 70mm; text-align: center; font-size: 8pt; }
.qr svg { width: 70mm; height: 70mm; }
.small { font-size: 8pt; color: #57606a; }
"#;

/// The certificate page for a signed passport.
pub fn certificate_html(
    credential: &Value,
    jwt: &str,
    lang: Lang,
) -> Result<String, PassportError> {
    let w = words(lang);
    let text = |value: &Value| escape(value.as_str().unwrap_or_default());
    let subject = &credential["credentialSubject"];
    let achievement = &subject["achievement"];
    let trainee = text(&subject["identifier"][0]["identityHash"]);
    let issuer_name = text(&credential["issuer"]["name"]);
    let issuer_id = text(&credential["issuer"]["id"]);
    let date = |value: &Value| escape(value.as_str().unwrap_or_default().get(..10).unwrap_or(""));
    let mut html = String::new();
    let _ = write!(
        html,
        r#"<!DOCTYPE html>
<html lang="{lang}"><head><meta charset="utf-8"><title>{title} — {trainee}</title>
<style>{STYLE}</style></head><body>
<header><h1>{title}</h1>
<p class="who">{awarded} <strong>{trainee}</strong></p>
<p>{name}<br>{by} {issuer_name}, {on} {issued}{until}</p>
<p class="small">{description}</p></header>
"#,
        lang = match lang {
            Lang::Fr => "fr",
            Lang::En => "en",
        },
        title = w[0],
        awarded = w[1],
        name = text(&achievement["name"]),
        by = w[2],
        on = w[3],
        issued = date(&credential["validFrom"]),
        until = match credential.get("validUntil") {
            Some(until) => format!(" · {} {}", w[14], date(until)),
            None => String::new(),
        },
        description = text(&achievement["description"]),
    );
    results_table(&mut html, subject, &w, lang);
    let _ = write!(
        html,
        "</table><h2>{}</h2><table><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
        w[5], w[6], w[7], w[8], w[9], w[10]
    );
    for evidence in credential["evidence"]
        .as_array()
        .cloned()
        .unwrap_or_default()
    {
        let session = &evidence[SESSION_TERM];
        let scores: Vec<String> = Competence::ALL
            .iter()
            .map(|c| format!("{}", session["scores"][c.id()]))
            .collect();
        let _ = write!(
            html,
            r#"<tr><td>{}</td><td>{}<br><span class="small">{}: <code>{}</code></span></td><td>{}</td><td>{}</td><td class="num">{}</td></tr>"#,
            text(&session["level"]),
            text(&evidence["name"]),
            w[11],
            text(&session["transcriptSha256"]),
            text(&session["mode"]),
            date(&session["endedAt"]),
            scores.join(" · ")
        );
    }
    let _ = write!(
        html,
        r#"</table><h2>{}</h2><p class="criteria">{}</p><h2>{}</h2><p class="small">{}</p><div class="qr">"#,
        w[13],
        text(&achievement["criteria"]["narrative"]),
        w[12],
        w[15]
    );
    let codes = qr_codes(jwt)?;
    let count = codes.len();
    for (i, code) in codes.iter().enumerate() {
        let _ = write!(
            html,
            "<figure>{}<figcaption>{}/{count}</figcaption></figure>",
            qr_svg(code),
            i + 1
        );
    }
    let _ = write!(
        html,
        r#"</div><p class="small"><code>raleur passport verify passport.jwt --issuer {issuer_id}</code></p>
<p class="small">{}: <code>{issuer_id}</code> · <code>{}</code></p></body></html>
"#,
        w[2],
        text(&credential["id"]),
    );
    Ok(html)
}

/// The competences and the passport's result for each.
fn results_table(html: &mut String, subject: &Value, w: &[&str], lang: Lang) {
    let text = |value: &Value| escape(value.as_str().unwrap_or_default());
    let _ = write!(html, "<h2>{}</h2><table>", w[4]);
    let results = subject["result"].as_array().cloned().unwrap_or_default();
    for competence in Competence::ALL {
        let id = format!("urn:raleur:competence:{}", competence.id());
        let value = results
            .iter()
            .find(|r| r["resultDescription"].as_str() == Some(id.as_str()))
            .map(|r| text(&r["value"]))
            .unwrap_or_default();
        let _ = write!(
            html,
            r#"<tr><th>{}</th><td class="num">{value} / 100</td></tr>"#,
            escape(competence_label(competence, lang))
        );
    }
}
