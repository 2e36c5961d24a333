//! The reply's sign-off and its template: the words before the signature with handles,
//! numbers and names masked, hashed for the copy rule (`engine::copy`).

use super::lexicon::Cue;
use super::text::Folded;
use super::{Hit, ToneAnalyser, fold};

/// A sign-off: "^Julie", "^JM", "- JM", "/Tanguy", "Cordialement, Julie" at the end.
pub(super) fn signature(original: &str, folded: &Folded, hits: &[Hit]) -> Option<(usize, usize)> {
    let end = original
        .trim_end_matches(|c: char| {
            c.is_whitespace() || matches!(c, '.' | '!' | ')' | '(' | ':' | ';') || is_emoji(c)
        })
        .len();
    let body = &original[..end];
    let mut window = end.saturating_sub(40);
    while !body.is_char_boundary(window) {
        window += 1;
    }
    let tail = &body[window..];
    if let Some(position) = tail.rfind(['^', '-', '–', '—', '/', '~']) {
        let marker = tail[position..].chars().next()?;
        let name = tail[position + marker.len_utf8()..].trim();
        let before = tail[..position].chars().next_back();
        let valid = if marker == '^' {
            // "^Julie", "^JM", "^EMMA", "^Julie M." — a person, not a team ("^Service presse").
            let first_word = name.split_whitespace().next().unwrap_or("");
            let team = matches!(
                fold(first_word).as_str(),
                "service" | "equipe" | "team" | "sav" | "le" | "la" | "l'equipe" | "support"
            );
            !team
                && (looks_like_name(name)
                    || (name.chars().count() <= 12 && name.chars().all(char::is_uppercase)))
        } else {
            (before.is_none() || before.is_some_and(char::is_whitespace)) && looks_like_name(name)
        };
        if valid {
            return Some((window + position, end));
        }
    }
    // "Cordialement, Julie": a closing formula followed by a name.
    let last_word_start = body
        .trim_end()
        .char_indices()
        .rfind(|(_, c)| c.is_whitespace() || *c == ',')
        .map_or(0, |(i, c)| i + c.len_utf8());
    let name = &body[last_word_start..];
    if looks_like_name(name) {
        let closing = hits.iter().any(|h| {
            h.cue == Cue::Closing && {
                // The formula must end before the name: "Merci. Cordialement" alone is the
                // formula, not a formula and a name.
                let (_, closing_end) = folded.span(h.start, h.end);
                body.get(closing_end..last_word_start)
                    .is_some_and(|gap| gap.chars().all(|c| c.is_whitespace() || c == ','))
            }
        });
        if closing {
            return Some((last_word_start, end));
        }
    }
    None
}

/// One or two capitalised words ("Julie", "Julie M.") or two or three initials ("JM").
pub(super) fn looks_like_name(name: &str) -> bool {
    let words: Vec<&str> = name.split_whitespace().collect();
    if words.is_empty() || words.len() > 2 || name.chars().count() > 24 {
        return false;
    }
    words.iter().all(|word| {
        let mut chars = word.chars();
        let first_upper = chars.next().is_some_and(char::is_uppercase);
        let letters = word.trim_end_matches('.').chars().count();
        let rest_ok = word.chars().all(|c| c.is_alphabetic() || c == '.');
        let initials = letters <= 3 && word.chars().all(|c| c.is_uppercase() || c == '.');
        let capitalised = word.chars().skip(1).all(|c| c.is_lowercase() || c == '.');
        first_upper && rest_ok && (initials || capitalised)
    })
}

pub(super) fn is_emoji(c: char) -> bool {
    let code = c as u32;
    (0x1F300..=0x1FAFF).contains(&code) || (0x2600..=0x27BF).contains(&code) || code == 0xFE0F
}

/// The words of a reply before its signature, with handles, numbers and names masked.
pub(super) fn template_tokens(
    analyser: &ToneAnalyser,
    text: &str,
    folded: &Folded,
    signature: Option<(usize, usize)>,
) -> Vec<u64> {
    let cut = signature.map_or(text.len(), |(start, _)| start);
    let bytes = folded.text.as_bytes();
    let original = text.as_bytes();
    let mut tokens = Vec::new();
    let mut sentence_start = true;
    let mut last = 0;
    let mut handle_end = 0;
    for (start, end) in folded.words() {
        let (original_start, _) = folded.span(start, end);
        if original_start >= cut {
            break;
        }
        let between = &folded.text[last..start];
        if between.contains(['.', '!', '?', '\n']) {
            sentence_start = true;
        }
        last = end;
        let word = &folded.text[start..end];
        // A handle runs from "@" to the next space ("@Marie_L93"); an "@" inside the handle
        // being read starts no new one (a search from each would be quadratic).
        if start >= handle_end && start > 0 && bytes[start - 1] == b'@' {
            handle_end = folded.text[start..]
                .find(char::is_whitespace)
                .map_or(folded.text.len(), |i| start + i);
        }
        let handle = start < handle_end;
        let number = word.bytes().any(|b| b.is_ascii_digit());
        let capitalised = original
            .get(original_start)
            .is_some_and(|b| b.is_ascii_uppercase());
        let name = capitalised
            && !sentence_start
            && analyser.acronyms.binary_search(&word.to_string()).is_err();
        sentence_start = false;
        let masked = if handle {
            "@"
        } else if number {
            "#"
        } else if name {
            "N"
        } else {
            word
        };
        tokens.push(fnv(masked.as_bytes()));
    }
    tokens
}

pub(super) fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= *byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}
