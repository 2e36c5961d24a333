//! `raleur tone`: analyse one reply, or a stream of JSON lines.

use crate::engine::scenario::Lang;
use crate::tone::lexicon::Severity;
use crate::tone::{Flags, ToneAnalyser, ToneInput};
use serde::Deserialize;
use std::io::{BufRead, Write};
use std::process::ExitCode;

/// Longer texts are refused: no channel takes them, and the analysis stays bounded.
pub const MAX_TEXT_BYTES: usize = 64 * 1024;

pub struct ToneArgs {
    pub text: Option<String>,
    pub lang: Lang,
    pub private: bool,
    pub customer: Option<String>,
    /// The channel's character limit, to flag a reply over it.
    pub limit: Option<usize>,
    pub json: bool,
    pub jsonl: bool,
}

/// Checks a text the analyser is given.
pub fn check_text(what: &str, text: &str) -> Result<(), String> {
    if text.len() > MAX_TEXT_BYTES {
        return Err(format!(
            "{what} is {} bytes long, over the limit of {MAX_TEXT_BYTES}",
            text.len()
        ));
    }
    Ok(())
}

pub fn tone_command(analyser: &ToneAnalyser, args: ToneArgs) -> ExitCode {
    if args.jsonl {
        if args.text.is_some() {
            warn!("raleur tone: give either TEXT or --jsonl, not both");
            return ExitCode::from(2);
        }
        return jsonl(analyser);
    }
    let Some(text) = args.text else {
        warn!("raleur tone: give the reply as TEXT, or --jsonl to read JSON lines on stdin");
        return ExitCode::from(2);
    };
    let checked = check_text("the reply", &text).and_then(|()| match &args.customer {
        Some(customer) => check_text("the customer message", customer),
        None => Ok(()),
    });
    if let Err(message) = checked {
        warn!("raleur tone: {message}");
        return ExitCode::from(1);
    }
    let input = ToneInput {
        public: !args.private,
        customer: args.customer.as_deref(),
        char_limit: args.limit,
        ..ToneInput::new(&text, args.lang)
    };
    let report = analyser.analyse(&input);
    if args.json {
        match serde_json::to_string(&analyser.to_json(&report, args.lang)) {
            Ok(line) => say!("{line}"),
            Err(error) => {
                warn!("raleur tone: cannot encode the report: {error}");
                return ExitCode::from(2);
            }
        }
        return ExitCode::SUCCESS;
    }
    say!("politeness  {}/100 (50 is neutral)", report.politeness);
    let raised: Vec<&str> = Flags::NAMES
        .iter()
        .copied()
        .filter(|name| report.flags.get(name) == Some(true))
        .collect();
    say!("flags       {}", raised.join(" "));
    for finding in analyser.explain(&report, args.lang) {
        let mark = match finding.severity {
            Severity::Good => "+",
            Severity::Note => "·",
            Severity::Minor => "-",
            Severity::Major => "--",
            Severity::Critical => "!!",
        };
        let evidence = text.get(finding.span[0]..finding.span[1]).unwrap_or("");
        let evidence: String = evidence.chars().take(40).collect();
        say!(
            "{mark:>2} {:<24} {:?}\n   {}",
            serde_json::to_value(finding.id)
                .ok()
                .and_then(|v| v.as_str().map(str::to_string))
                .unwrap_or_default(),
            evidence,
            finding.message
        );
    }
    ExitCode::SUCCESS
}

/// One request of `raleur tone --jsonl`.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Request {
    text: String,
    #[serde(default)]
    lang: Option<String>,
    #[serde(default)]
    public: Option<bool>,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    limit: Option<usize>,
    #[serde(default)]
    earlier: Vec<String>,
}

/// Reads JSON lines on stdin, writes one JSON object per line; a bad line gets
/// `{"line": N, "error": "..."}` in its place and the rest go on. Exit 1 if any line failed.
fn jsonl(analyser: &ToneAnalyser) -> ExitCode {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut buffer = Vec::with_capacity(4096);
    let mut line_number = 0;
    let mut failed = false;
    loop {
        buffer.clear();
        // Reads at most one line past the limit, so a huge line costs bounded memory.
        let read = read_line_bounded(&mut input, &mut buffer, MAX_TEXT_BYTES * 4);
        let (length, truncated) = match read {
            Ok(result) => result,
            Err(error) => {
                warn!("raleur tone: cannot read stdin: {error}");
                return ExitCode::from(2);
            }
        };
        if length == 0 {
            break;
        }
        line_number += 1;
        let result = if truncated {
            Err(format!(
                "the line is over {} bytes: not analysed",
                MAX_TEXT_BYTES * 4
            ))
        } else {
            analyse_line(analyser, &buffer)
        };
        let written = match result {
            Ok(None) => Ok(()),
            Ok(Some(json)) => writeln!(out, "{json}"),
            Err(message) => {
                failed = true;
                let error = serde_json::json!({"line": line_number, "error": message});
                writeln!(out, "{error}")
            }
        };
        if let Err(error) = written {
            crate::cli::stdout_failed(&error);
        }
    }
    if let Err(error) = out.flush() {
        crate::cli::stdout_failed(&error);
    }
    if failed {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

/// Reads up to and including `\n`; beyond `limit` bytes the rest of the line is skipped.
/// Returns the bytes consumed and whether the line was cut.
fn read_line_bounded(
    input: &mut impl BufRead,
    buffer: &mut Vec<u8>,
    limit: usize,
) -> std::io::Result<(usize, bool)> {
    let mut consumed = 0;
    let mut truncated = false;
    loop {
        let available = input.fill_buf()?;
        if available.is_empty() {
            return Ok((consumed, truncated));
        }
        let (chunk, done) = match memchr_newline(available) {
            Some(i) => (&available[..=i], true),
            None => (available, false),
        };
        let room = limit.saturating_sub(buffer.len());
        if chunk.len() > room {
            truncated = true;
        }
        buffer.extend_from_slice(&chunk[..chunk.len().min(room)]);
        let used = chunk.len();
        consumed += used;
        input.consume(used);
        if done {
            return Ok((consumed, truncated));
        }
    }
}

fn memchr_newline(bytes: &[u8]) -> Option<usize> {
    bytes.iter().position(|b| *b == b'\n')
}

/// Analyses one line; `Ok(None)` for a blank line.
fn analyse_line(analyser: &ToneAnalyser, line: &[u8]) -> Result<Option<String>, String> {
    let line = std::str::from_utf8(line)
        .map_err(|e| format!("not valid UTF-8 (byte {} of the line)", e.valid_up_to() + 1))?;
    if line.trim().is_empty() {
        return Ok(None);
    }
    let request: Request =
        serde_json::from_str(line).map_err(|e| format!("not a JSON request: {e}"))?;
    let lang = match request.lang.as_deref() {
        None => Lang::Fr,
        Some(code) => {
            Lang::parse(code).ok_or_else(|| format!("unknown lang {code:?} (fr or en)"))?
        }
    };
    check_text("text", &request.text)?;
    if let Some(customer) = &request.customer {
        check_text("customer", customer)?;
    }
    for earlier in &request.earlier {
        check_text("an earlier reply", earlier)?;
    }
    let earlier: Vec<&str> = request.earlier.iter().map(String::as_str).collect();
    let public = request.public.unwrap_or(true);
    let input = ToneInput {
        public,
        customer: request.customer.as_deref(),
        earlier: &earlier,
        seen: &[],
        char_limit: request.limit,
        ..ToneInput::new(&request.text, lang)
    };
    let report = analyser.analyse(&input);
    serde_json::to_string(&analyser.to_json(&report, lang))
        .map(Some)
        .map_err(|e| format!("cannot encode the report: {e}"))
}
