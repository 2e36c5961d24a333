//! Brand statements read by their own rules: a holding statement, an update or a resolution
//! notice speaks to the whole community, so it must name the problem, say what is being done
//! and when the next update comes, keep no promise it cannot keep, blame no one, deny
//! nothing, avoid legalese and fit the channel. The phrases are data
//! (`assets/tone/statements.ron`, documented in `docs/tone.md`, "Statements").

use super::lexicon::{self, Severity};
use super::text::{Folded, is_word_byte};
use crate::engine::{Lang, NextUpdate, StatementFlags};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

pub const BUNDLED: &str = include_str!("../../assets/tone/statements.ron");

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementCue {
    Acknowledges,
    Apology,
    Action,
    Update,
    Unkeepable,
    Blame,
    Denial,
    Legalese,
}

/// What the reader reports on a statement; the ids are stable.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Deserialize, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum StatementFindingId {
    Acknowledges,
    NoAcknowledgement,
    Apology,
    Action,
    NoAction,
    NextUpdate,
    NoNextUpdate,
    UnkeepablePromise,
    Blame,
    Denial,
    Legalese,
    OverLimit,
}

const ALL_FINDINGS: [StatementFindingId; 12] = [
    StatementFindingId::Acknowledges,
    StatementFindingId::NoAcknowledgement,
    StatementFindingId::Apology,
    StatementFindingId::Action,
    StatementFindingId::NoAction,
    StatementFindingId::NextUpdate,
    StatementFindingId::NoNextUpdate,
    StatementFindingId::UnkeepablePromise,
    StatementFindingId::Blame,
    StatementFindingId::Denial,
    StatementFindingId::Legalese,
    StatementFindingId::OverLimit,
];

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct CueList {
    cue: StatementCue,
    #[serde(default)]
    any: Vec<String>,
    #[serde(default)]
    fr: Vec<String>,
    #[serde(default)]
    en: Vec<String>,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct Explanation {
    severity: Severity,
    fr: String,
    en: String,
}

#[derive(Clone, Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct StatementLexicon {
    cues: Vec<CueList>,
    findings: BTreeMap<StatementFindingId, Explanation>,
}

struct Pattern {
    cue: StatementCue,
    lang: Option<Lang>,
    prefix: bool,
}

/// One finding on a statement: what, where (a byte span of the statement, if it is
/// something said) and how much it matters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StatementFinding {
    pub id: StatementFindingId,
    pub span: Option<(usize, usize)>,
    pub severity: Severity,
}

/// The reading of one statement: the facts the engine reacts to, the findings the desk's
/// hint and the debrief show, and its quality out of 100 (`StatementFlags::quality`).
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct StatementReport {
    pub flags: StatementFlags,
    pub findings: Vec<StatementFinding>,
    pub quality: u8,
}

impl StatementReport {
    pub fn has(&self, id: StatementFindingId) -> bool {
        self.findings.iter().any(|f| f.id == id)
    }
}

#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct StatementLexiconError(String);

/// The statement reader: built once from its lexicon, then shared (it is immutable).
pub struct StatementReader {
    lexicon: StatementLexicon,
    matcher: AhoCorasick,
    patterns: Vec<Pattern>,
    sha256: String,
}

#[derive(Clone, Copy, Debug)]
struct Hit {
    cue: StatementCue,
    start: usize,
    end: usize,
}

impl StatementReader {
    pub fn bundled() -> StatementReader {
        // Compiled in and checked by a test: failing here is a build defect.
        StatementReader::from_source(BUNDLED, "assets/tone/statements.ron")
            .expect("the bundled statement lexicon is valid")
    }

    /// Reads a statement lexicon; `origin` names the file in errors.
    pub fn from_source(
        source: &str,
        origin: &str,
    ) -> Result<StatementReader, StatementLexiconError> {
        let lexicon: StatementLexicon = ron::from_str(source).map_err(|e| {
            StatementLexiconError(format!(
                "{origin}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            ))
        })?;
        if let Some(missing) = ALL_FINDINGS
            .iter()
            .find(|id| !lexicon.findings.contains_key(id))
        {
            return Err(StatementLexiconError(format!(
                "{origin}: finding {missing:?} has no explanation"
            )));
        }
        let mut phrases = Vec::new();
        let mut patterns = Vec::new();
        for list in &lexicon.cues {
            for (phrase, lang) in lexicon::tagged(&list.any, &list.fr, &list.en) {
                let folded = Folded::new(phrase.trim_end_matches('*').trim()).text;
                if folded.is_empty() {
                    return Err(StatementLexiconError(format!(
                        "{origin}: cue {:?} has an empty phrase",
                        list.cue
                    )));
                }
                patterns.push(Pattern {
                    cue: list.cue,
                    lang,
                    prefix: phrase.ends_with('*'),
                });
                phrases.push(folded);
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&phrases)
            .map_err(|e| StatementLexiconError(format!("{origin}: {e}")))?;
        Ok(StatementReader {
            lexicon,
            matcher,
            patterns,
            sha256: crate::engine::transcript::sha256_hex(source.as_bytes()),
        })
    }

    /// SHA-256 of the lexicon file: part of the analyser's id, so replays read alike.
    pub fn sha256(&self) -> &str {
        &self.sha256
    }

    /// The explanation of a finding.
    pub fn message(&self, id: StatementFindingId, lang: Lang) -> &str {
        let explanation = &self.lexicon.findings[&id];
        match lang {
            Lang::Fr => &explanation.fr,
            Lang::En => &explanation.en,
        }
    }

    fn hits(&self, folded: &str, lang: Lang) -> Vec<Hit> {
        let bytes = folded.as_bytes();
        let mut hits: Vec<Hit> = self
            .matcher
            .find_overlapping_iter(folded)
            .filter_map(|m| {
                let pattern = &self.patterns[m.pattern().as_usize()];
                let (start, end) = (m.start(), m.end());
                let starts_clean = start == 0 || !is_word_byte(bytes[start - 1]);
                let ends_clean = pattern.prefix || end == bytes.len() || !is_word_byte(bytes[end]);
                (pattern.lang.is_none_or(|l| l == lang) && starts_clean && ends_clean).then_some(
                    Hit {
                        cue: pattern.cue,
                        start,
                        end,
                    },
                )
            })
            .collect();
        hits.sort_unstable_by_key(|h| (h.start, h.end, h.cue));
        hits
    }

    /// Reads one statement; `char_limit` is the channel's for a public post.
    pub fn read(&self, text: &str, lang: Lang, char_limit: Option<usize>) -> StatementReport {
        let folded = Folded::new(text);
        let hits = self.hits(&folded.text, lang);
        let first = |cue: StatementCue| hits.iter().find(|h| h.cue == cue);
        let denials: Vec<&Hit> = hits
            .iter()
            .filter(|h| h.cue == StatementCue::Denial)
            .collect();
        // "aucune panne" names no problem: it denies one.
        let acknowledges = hits.iter().find(|h| {
            h.cue == StatementCue::Acknowledges
                && !denials.iter().any(|d| d.start <= h.start && h.end <= d.end)
        });
        let unkeepable = first(StatementCue::Unkeepable);
        let next_update = hits
            .iter()
            .filter(|h| h.cue == StatementCue::Update)
            .find_map(|h| time_after(&folded.text, h.end).map(|(when, end)| (h.start, end, when)));
        let flags = StatementFlags {
            acknowledges: acknowledges.is_some(),
            apology: first(StatementCue::Apology).is_some(),
            action: first(StatementCue::Action).is_some(),
            next_update: next_update.map(|(_, _, when)| when),
            unkeepable_promise: unkeepable.is_some(),
            blame: first(StatementCue::Blame).is_some(),
            denial: !denials.is_empty(),
            legalese: first(StatementCue::Legalese).is_some(),
        };
        let span = |hit: Option<&Hit>| hit.map(|h| folded.span(h.start, h.end));
        let mut found: Vec<(StatementFindingId, Option<(usize, usize)>)> = Vec::new();
        let mut either = |present: Option<(usize, usize)>, good, missing| match present {
            Some(at) => found.push((good, Some(at))),
            None => found.push((missing, None)),
        };
        either(
            span(acknowledges),
            StatementFindingId::Acknowledges,
            StatementFindingId::NoAcknowledgement,
        );
        either(
            span(first(StatementCue::Action)),
            StatementFindingId::Action,
            StatementFindingId::NoAction,
        );
        either(
            next_update.map(|(start, end, _)| folded.span(start, end)),
            StatementFindingId::NextUpdate,
            StatementFindingId::NoNextUpdate,
        );
        let said = [
            (StatementCue::Apology, StatementFindingId::Apology),
            (
                StatementCue::Unkeepable,
                StatementFindingId::UnkeepablePromise,
            ),
            (StatementCue::Blame, StatementFindingId::Blame),
            (StatementCue::Denial, StatementFindingId::Denial),
            (StatementCue::Legalese, StatementFindingId::Legalese),
        ];
        for (cue, id) in said {
            if let Some(hit) = first(cue) {
                found.push((id, Some(folded.span(hit.start, hit.end))));
            }
        }
        if char_limit.is_some_and(|limit| text.chars().count() > limit) {
            found.push((StatementFindingId::OverLimit, None));
        }
        let findings = found
            .into_iter()
            .map(|(id, span)| StatementFinding {
                id,
                span,
                severity: self.lexicon.findings[&id].severity,
            })
            .collect();
        StatementReport {
            flags,
            findings,
            quality: (flags.quality() * 100.0).round() as u8,
        }
    }
}

/// How far after an update cue its time may come ("prochain point ce soir à 20 h").
const TIME_WITHIN_BYTES: usize = 40;

/// A time said right after `from` in a folded text: a time of day ("à 20h30", "at 8 pm",
/// "14:00") or a delay ("dans une heure", "in 30 minutes", "within the hour"), with the end
/// of its words.
fn time_after(folded: &str, from: usize) -> Option<(NextUpdate, usize)> {
    let window_end = folded.floor_char_boundary(from + TIME_WITHIN_BYTES);
    let tokens: Vec<(usize, usize)> = tokens(folded)
        .filter(|(s, _)| *s >= from && *s < window_end)
        .collect();
    let word = |i: usize| tokens.get(i).map(|(s, e)| &folded[*s..*e]);
    for i in 0..tokens.len() {
        let token = word(i)?;
        let end = |j: usize| tokens.get(j).map_or(folded.len(), |(_, e)| *e);
        // Delays: "dans 30 minutes", "in an hour", "d'ici une heure", "within 2 hours".
        if matches!(token, "dans" | "in" | "within" | "ici")
            && let Some(count) = word(i + 1).and_then(count_word)
            && let Some(unit) = word(i + 2).and_then(unit_minutes)
        {
            return Some((NextUpdate::InMinutes(count * unit), end(i + 2)));
        }
        if token == "within" && word(i + 1) == Some("the") && word(i + 2) == Some("hour") {
            return Some((NextUpdate::InMinutes(60), end(i + 2)));
        }
        if let Some((hour, minute, used)) = clock(token, word(i + 1), word(i + 2)) {
            return Some((NextUpdate::At { hour, minute }, end(i + used - 1)));
        }
    }
    None
}

/// Words of a folded text, digits with their colon ("14:30") kept whole.
fn tokens(folded: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = folded.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        while at < bytes.len() && !bytes[at].is_ascii_alphanumeric() {
            at += 1;
        }
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len()
            && (bytes[at].is_ascii_alphanumeric()
                || (bytes[at] == b':' && bytes.get(at + 1).is_some_and(u8::is_ascii_digit)))
        {
            at += 1;
        }
        Some((start, at))
    })
}

fn count_word(word: &str) -> Option<u32> {
    match word {
        "un" | "une" | "an" | "a" | "one" => Some(1),
        "deux" | "two" => Some(2),
        "trois" | "three" => Some(3),
        "quatre" | "four" => Some(4),
        _ => word.parse().ok().filter(|n| (1..=1440).contains(n)),
    }
}

fn unit_minutes(word: &str) -> Option<u32> {
    match word {
        "minute" | "minutes" | "min" | "mins" | "mn" => Some(1),
        "heure" | "heures" | "h" | "hour" | "hours" => Some(60),
        _ => None,
    }
}

/// A time of day starting at `token`: "20h", "20h30", "20 h 30", "14:30", "8pm", "8 pm",
/// "8:30 am"; with the tokens it used.
fn clock(token: &str, next: Option<&str>, after: Option<&str>) -> Option<(u8, u8, usize)> {
    let digits = token.bytes().take_while(u8::is_ascii_digit).count();
    if digits == 0 || digits > 2 {
        return None;
    }
    let hour: u8 = token[..digits].parse().ok()?;
    let rest = &token[digits..];
    let minutes = |text: &str| -> Option<u8> {
        (text.len() == 2)
            .then(|| text.parse().ok())
            .flatten()
            .filter(|m| *m < 60)
    };
    let meridiem = |hour: u8, word: &str| match word {
        "am" if hour <= 12 => Some(hour % 12),
        "pm" if hour <= 12 => Some(hour % 12 + 12),
        _ => None,
    };
    let (hour, minute, used) = match rest {
        "h" => match next.and_then(minutes) {
            Some(minute) => (hour, minute, 2),
            None => (hour, 0, 1),
        },
        "" if next == Some("h") => match after.and_then(minutes) {
            Some(minute) => (hour, minute, 3),
            None => (hour, 0, 2),
        },
        "am" | "pm" => (meridiem(hour, rest)?, 0, 1),
        "" if next.is_some_and(|n| n == "am" || n == "pm") => {
            (meridiem(hour, next.unwrap_or_default())?, 0, 2)
        }
        _ if rest.starts_with(':') => {
            // "14:30", "8:30am", "8:30 pm"
            let minute = minutes(rest.get(1..3)?)?;
            match (rest.get(3..).unwrap_or_default(), next) {
                ("", Some(word)) if meridiem(hour, word).is_some() => {
                    (meridiem(hour, word)?, minute, 2)
                }
                ("", _) => (hour, minute, 1),
                (suffix, _) => (meridiem(hour, suffix)?, minute, 1),
            }
        }
        _ if rest.starts_with('h') => (hour, minutes(&rest[1..])?, 1),
        _ => return None,
    };
    (hour < 24).then_some((hour, minute, used))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn times_are_read_in_both_languages() {
        let at = |hour, minute| Some(NextUpdate::At { hour, minute });
        let read = |text: &str| time_after(&Folded::new(text).text, 0).map(|(when, _)| when);
        assert_eq!(read("à 20h"), at(20, 0));
        assert_eq!(read("vers 20 h 30"), at(20, 30));
        assert_eq!(read("à 9h05 ce soir"), at(9, 5));
        assert_eq!(read("at 8 pm"), at(20, 0));
        assert_eq!(read("at 8:30am"), at(8, 30));
        assert_eq!(read("at 14:00"), at(14, 0));
        assert_eq!(read("dans une heure"), Some(NextUpdate::InMinutes(60)));
        assert_eq!(read("d'ici 30 minutes"), Some(NextUpdate::InMinutes(30)));
        assert_eq!(read("within the hour"), Some(NextUpdate::InMinutes(60)));
        assert_eq!(read("in 2 hours"), Some(NextUpdate::InMinutes(120)));
        assert_eq!(read("bientôt"), None);
        assert_eq!(read("à 25h"), None);
    }

    #[test]
    fn the_bundled_lexicon_explains_every_finding() {
        let reader = StatementReader::bundled();
        for id in ALL_FINDINGS {
            assert!(!reader.message(id, Lang::Fr).is_empty());
            assert!(!reader.message(id, Lang::En).is_empty());
        }
    }
}
