//! How customers write: each register's style (typos, abbreviations, accents, emoji, shouting,
//! signatures) and the names and handles they go by, read from `assets/voice/`. Every choice
//! is drawn from the customer's voice stream, so the same seed writes the same words, and what
//! a customer writes never moves what they do.

use super::rng::Stream;
use super::scenario::{Lang, Level, Register};
use serde::Deserialize;
use std::sync::OnceLock;

/// How one register writes in one language (`assets/voice/styles.ron` explains each rate).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterStyle {
    pub typos: f64,
    pub signs: f64,
    pub strip_accents: bool,
    pub lowercase: bool,
    /// Phrases written shorter, as whole words, in the order given.
    pub abbreviations: Vec<(String, String)>,
    pub abbreviate: f64,
    pub emoji: f64,
    pub calm_emoji: Vec<String>,
    pub annoyed_emoji: Vec<String>,
    pub furious_emoji: Vec<String>,
    pub shout_when_furious: f64,
    pub exclaim_when_furious: f64,
    pub sign_offs: Vec<String>,
    pub handle_shapes: Vec<String>,
    pub handle_words: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LangStyles {
    /// What a furious customer ends a sentence with.
    pub exclamations: Vec<String>,
    pub formal: RegisterStyle,
    pub neutral: RegisterStyle,
    pub familiar: RegisterStyle,
    pub teen: RegisterStyle,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NamePool {
    pub first: Vec<String>,
    pub last: Vec<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct ByLang<T> {
    fr: T,
    en: T,
}

/// The bundled styles and name pools.
#[derive(Debug)]
pub struct Voices {
    styles: ByLang<LangStyles>,
    names: ByLang<NamePool>,
}

pub const STYLES: &str = include_str!("../../assets/voice/styles.ron");
pub const NAMES: &str = include_str!("../../assets/voice/names.ron");

impl Voices {
    /// Reads the two files; an error names the file and the place.
    pub fn parse(styles: &str, names: &str) -> Result<Voices, String> {
        let read = |origin: &str, e: ron::error::SpannedError| {
            format!(
                "{origin}:{}:{}: {}",
                e.span.start.line, e.span.start.col, e.code
            )
        };
        let voices = Voices {
            styles: ron::from_str(styles).map_err(|e| read("assets/voice/styles.ron", e))?,
            names: ron::from_str(names).map_err(|e| read("assets/voice/names.ron", e))?,
        };
        for lang in [Lang::Fr, Lang::En] {
            let pool = voices.names(lang);
            if pool.first.is_empty() || pool.last.is_empty() {
                return Err(
                    "assets/voice/names.ron: every language needs first and last names".into(),
                );
            }
        }
        Ok(voices)
    }

    pub fn bundled() -> &'static Voices {
        static VOICES: OnceLock<Voices> = OnceLock::new();
        // Both files are part of the binary and checked by a test: failing is a build defect.
        VOICES.get_or_init(|| Voices::parse(STYLES, NAMES).expect("assets/voice/ is valid"))
    }

    pub fn styles(&self, lang: Lang) -> &LangStyles {
        match lang {
            Lang::Fr => &self.styles.fr,
            Lang::En => &self.styles.en,
        }
    }

    pub fn style(&self, lang: Lang, register: Register) -> &RegisterStyle {
        let styles = self.styles(lang);
        match register {
            Register::Formal => &styles.formal,
            Register::Neutral => &styles.neutral,
            Register::Familiar => &styles.familiar,
            Register::Teen => &styles.teen,
        }
    }

    pub fn names(&self, lang: Lang) -> &NamePool {
        match lang {
            Lang::Fr => &self.names.fr,
            Lang::En => &self.names.en,
        }
    }
}

/// One of a list, drawn; `None` for an empty list.
pub fn pick<'a>(rng: &mut Stream, list: &'a [String]) -> Option<&'a str> {
    if list.is_empty() {
        return None;
    }
    list.get(rng.below(list.len() as u64) as usize)
        .map(String::as_str)
}

/// A first and a last name from the language's pools.
pub fn draw_name(rng: &mut Stream, pool: &NamePool) -> (String, String) {
    let first = pick(rng, &pool.first).unwrap_or("Camille").to_string();
    let last = pick(rng, &pool.last).unwrap_or("Martin").to_string();
    (first, last)
}

/// A handle made from a name by a shape (`{first}.{last}`, `{word}_{first}{nn}`...), without
/// its `@`: lower case, no accents, no spaces. An unknown `{...}` is dropped.
pub fn handle_from_shape(
    rng: &mut Stream,
    shape: &str,
    (first, last): (&str, &str),
    words: &[String],
) -> String {
    let plain = |name: &str| -> String {
        strip_accents(name)
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .flat_map(|c| c.to_lowercase())
            .collect()
    };
    let initial = |name: &str| {
        plain(name)
            .chars()
            .next()
            .map(String::from)
            .unwrap_or_default()
    };
    let mut handle = String::with_capacity(shape.len() + 16);
    let mut rest = shape;
    while let Some(open) = rest.find('{') {
        handle.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            break;
        };
        match &after[..=close] {
            "{first}" => handle.push_str(&plain(first)),
            "{last}" => handle.push_str(&plain(last)),
            "{f}" => handle.push_str(&initial(first)),
            "{l}" => handle.push_str(&initial(last)),
            "{word}" => handle.push_str(pick(rng, words).unwrap_or("")),
            "{nn}" => handle.push_str(&format!("{:02}", rng.below(100))),
            "{year}" => handle.push_str(&format!("{:02}", (55 + rng.below(52)) % 100)),
            _ => {}
        }
        rest = &after[close + 1..];
    }
    if !rest.contains('{') {
        handle.push_str(rest);
    }
    handle
}

/// What shapes a text beyond its register: the persona's typing and the customer's anger.
#[derive(Clone, Copy)]
pub struct Restyle {
    /// The template was written for any register: write it in this one's voice.
    pub rewrite: bool,
    pub typos: f64,
    pub furious: bool,
}

/// A template's text written in a style: abbreviations, accents and case (when `rewrite`),
/// typos, and a furious customer's capitals and exclamations. Placeholders (`{brand}`) are
/// left as they are, so names and details are never mistyped.
pub fn restyle(
    rng: &mut Stream,
    text: &str,
    style: &RegisterStyle,
    exclamations: &[String],
    how: Restyle,
) -> String {
    let shout = how.furious && rng.chance(style.shout_when_furious);
    let exclaim = how.furious && rng.chance(style.exclaim_when_furious);
    let mut out = String::with_capacity(text.len() + 8);
    for (literal, segment) in segments(text) {
        if !literal {
            out.push_str(segment);
            continue;
        }
        let mut piece = if how.rewrite && style.lowercase {
            segment.to_lowercase()
        } else {
            segment.to_string()
        };
        if how.rewrite {
            for (long, short) in &style.abbreviations {
                piece = abbreviate(rng, &piece, long, short, style.abbreviate);
            }
            if style.strip_accents {
                piece = strip_accents(&piece);
            }
        }
        if how.typos > 0.0 {
            piece = mistype(rng, &piece, how.typos);
        }
        if shout {
            piece = piece.to_uppercase();
        }
        out.push_str(&piece);
    }
    if exclaim && let Some(mark) = pick(rng, exclamations) {
        exclaim_at_end(&mut out, mark);
    }
    out
}

/// The emoji a register ends a post with, at its rate, unless the text ends with one.
pub fn emoji_for<'a>(
    rng: &mut Stream,
    text: &str,
    style: &'a RegisterStyle,
    level: Level,
) -> Option<&'a str> {
    let list = match level {
        Level::Calm => &style.calm_emoji,
        Level::Annoyed => &style.annoyed_emoji,
        Level::Furious => &style.furious_emoji,
    };
    if list.is_empty() || ends_with_symbol(text) || !rng.chance(style.emoji) {
        return None;
    }
    pick(rng, list)
}

/// The text split into literal parts (`true`) and placeholders (`false`), in order.
fn segments(text: &str) -> Vec<(bool, &str)> {
    let mut parts = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        if open > 0 {
            parts.push((true, &rest[..open]));
        }
        parts.push((false, &rest[open..=open + close]));
        rest = &rest[open + close + 1..];
    }
    if !rest.is_empty() {
        parts.push((true, rest));
    }
    parts
}

/// Each whole-word `long` written `short`, each at the rate.
fn abbreviate(rng: &mut Stream, text: &str, long: &str, short: &str, rate: f64) -> String {
    if long.is_empty() || !text.contains(long) {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(at) = rest.find(long) {
        let before = rest[..at].chars().next_back();
        let after = rest[at + long.len()..].chars().next();
        let whole =
            !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric);
        out.push_str(&rest[..at]);
        if whole && rng.chance(rate) {
            out.push_str(short);
        } else {
            out.push_str(long);
        }
        rest = &rest[at + long.len()..];
    }
    out.push_str(rest);
    out
}

/// Words of four letters or more get one typo each at the rate: two letters swapped, one
/// doubled or one dropped.
fn mistype(rng: &mut Stream, text: &str, rate: f64) -> String {
    let mut out = String::with_capacity(text.len() + 4);
    let mut word: Vec<char> = Vec::new();
    let flush = |word: &mut Vec<char>, out: &mut String, rng: &mut Stream| {
        if word.len() >= 4 && rng.chance(rate) {
            let at = rng.below(word.len() as u64 - 1) as usize;
            match rng.below(3) {
                0 => word.swap(at, at + 1),
                1 => word.insert(at, word[at]),
                _ => {
                    word.remove(at);
                }
            }
        }
        out.extend(word.drain(..));
    };
    for c in text.chars() {
        if c.is_alphabetic() {
            word.push(c);
        } else {
            flush(&mut word, &mut out, rng);
            out.push(c);
        }
    }
    flush(&mut word, &mut out, rng);
    out
}

/// The final punctuation replaced by an exclamation, or the exclamation added after the last
/// word; a text ending with an emoji keeps it.
fn exclaim_at_end(text: &mut String, mark: &str) {
    let trimmed = text.trim_end_matches(['.', '!', '?', ' ']).len();
    let ends_in_word = text[..trimmed]
        .chars()
        .next_back()
        .is_some_and(char::is_alphanumeric);
    if ends_in_word {
        text.truncate(trimmed);
        text.push_str(mark);
    }
}

fn ends_with_symbol(text: &str) -> bool {
    text.trim_end()
        .chars()
        .next_back()
        .is_some_and(|c| c as u32 >= 0x2190 && !c.is_alphanumeric())
}

pub fn strip_accents(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            'à' | 'â' | 'ä' | 'á' => out.push('a'),
            'é' | 'è' | 'ê' | 'ë' => out.push('e'),
            'î' | 'ï' | 'í' => out.push('i'),
            'ô' | 'ö' | 'ó' => out.push('o'),
            'ù' | 'û' | 'ü' | 'ú' => out.push('u'),
            'ç' => out.push('c'),
            'ÿ' => out.push('y'),
            'œ' => out.push_str("oe"),
            'À' | 'Â' | 'Ä' => out.push('A'),
            'É' | 'È' | 'Ê' | 'Ë' => out.push('E'),
            'Î' | 'Ï' => out.push('I'),
            'Ô' | 'Ö' => out.push('O'),
            'Ù' | 'Û' | 'Ü' => out.push('U'),
            'Ç' => out.push('C'),
            'Œ' => out.push_str("OE"),
            other => out.push(other),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(index: u64) -> Stream {
        Stream::new(1, "style-test", index)
    }

    #[test]
    fn the_bundled_voices_read() {
        let voices = Voices::parse(STYLES, NAMES).expect("bundled voices parse");
        assert!(voices.names(Lang::Fr).first.len() > 100);
        assert!(
            !voices
                .style(Lang::Fr, Register::Teen)
                .abbreviations
                .is_empty()
        );
    }

    #[test]
    fn placeholders_are_never_restyled() {
        let voices = Voices::bundled();
        let teen = voices.style(Lang::Fr, Register::Teen);
        let how = Restyle {
            rewrite: true,
            typos: 1.0,
            furious: true,
        };
        for index in 0..50 {
            let text = restyle(
                &mut stream(index),
                "Bonjour {brand}, voici {details}.",
                teen,
                &voices.styles(Lang::Fr).exclamations,
                how,
            );
            assert!(
                text.contains("{brand}") && text.contains("{details}"),
                "{text}"
            );
        }
    }

    #[test]
    fn the_teen_voice_abbreviates_lowers_and_drops_accents() {
        let voices = Voices::bundled();
        let teen = voices.style(Lang::Fr, Register::Teen);
        let how = Restyle {
            rewrite: true,
            typos: 0.0,
            furious: false,
        };
        let seen: Vec<String> = (0..40)
            .map(|i| {
                restyle(
                    &mut stream(i),
                    "Pourquoi c'est toujours coupé aujourd'hui ?",
                    teen,
                    &[],
                    how,
                )
            })
            .collect();
        assert!(
            seen.iter()
                .all(|t| !t.contains('é') && t == &t.to_lowercase())
        );
        assert!(seen.iter().any(|t| t.contains("pk") && t.contains("tjrs")));
        // Whole words only: "pour" is not abbreviated inside "pourquoi".
        assert!(seen.iter().all(|t| !t.contains("prquoi")));
    }

    #[test]
    fn typos_change_a_letter_of_a_long_word_and_none_at_rate_zero() {
        let mut changed = 0;
        for i in 0..100 {
            let text = mistype(&mut stream(i), "Toujours aucune nouvelle", 0.5);
            assert_eq!(text.split(' ').count(), 3);
            changed += usize::from(text != "Toujours aucune nouvelle");
        }
        assert!(changed > 50, "{changed}");
        assert_eq!(
            mistype(&mut stream(0), "Toujours aucune nouvelle", 0.0),
            "Toujours aucune nouvelle"
        );
    }

    #[test]
    fn a_furious_customer_shouts_and_ends_with_an_exclamation() {
        let voices = Voices::bundled();
        let familiar = voices.style(Lang::Fr, Register::Familiar);
        let how = Restyle {
            rewrite: false,
            typos: 0.0,
            furious: true,
        };
        let marks = &voices.styles(Lang::Fr).exclamations;
        let seen: Vec<String> = (0..60)
            .map(|i| {
                restyle(
                    &mut stream(i),
                    "Rendez-moi mon argent.",
                    familiar,
                    marks,
                    how,
                )
            })
            .collect();
        assert!(seen.iter().any(|t| t.starts_with("RENDEZ-MOI")));
        assert!(seen.iter().any(|t| t.ends_with("!!!")));
        assert!(seen.iter().all(|t| !t.ends_with(".!!!")));
        let calm = Restyle {
            furious: false,
            ..how
        };
        assert_eq!(
            restyle(
                &mut stream(0),
                "Rendez-moi mon argent.",
                familiar,
                marks,
                calm
            ),
            "Rendez-moi mon argent."
        );
    }

    #[test]
    fn handles_are_made_from_the_name_in_plain_letters() {
        let words = vec!["bff".to_string()];
        let mut rng = stream(0);
        let name = ("Hélène", "Da Silva");
        assert_eq!(
            handle_from_shape(&mut rng, "{first}.{last}", name, &words),
            "helene.dasilva"
        );
        assert_eq!(
            handle_from_shape(&mut rng, "{f}_{last}", name, &words),
            "h_dasilva"
        );
        assert_eq!(
            handle_from_shape(&mut rng, "{first}_{word}", name, &words),
            "helene_bff"
        );
        let numbered = handle_from_shape(&mut rng, "{first}{nn}", name, &words);
        assert!(
            numbered.starts_with("helene") && numbered.len() == 8,
            "{numbered}"
        );
    }
}
