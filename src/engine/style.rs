//! How customers write: each register's style (typos, abbreviations, accents, emoji, shouting,
//! signatures) and the names and handles they go by, read from `assets/voice/`. Every choice
//! is drawn from the customer's voice stream, so the same seed writes the same words, and what
//! a customer writes never moves what they do.

use super::rng::Stream;
use super::scenario::{Lang, Level, Register};
use super::template::Literal;
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
    /// Each abbreviation's long form as it reads once the register has recased the text
    /// (lower case, no accents): what is looked for.
    #[serde(skip)]
    pub recased_abbreviations: Vec<String>,
    /// `typos` with its logarithm worked out once.
    #[serde(skip)]
    pub typo_rate: TypoRate,
}

/// A typo rate per long word, and `ln(1 - rate)` for drawing the words to skip.
#[derive(Clone, Copy, Debug, Default)]
pub struct TypoRate {
    rate: f64,
    log_keep: f64,
}

impl TypoRate {
    pub fn of(rate: f64) -> TypoRate {
        TypoRate {
            rate,
            log_keep: libm::log1p(-rate.clamp(0.0, 1.0)),
        }
    }
}

impl RegisterStyle {
    /// The text in the register's case and accents, if it changes them.
    pub fn recase(&self, text: &str) -> Option<String> {
        if !(self.lowercase || self.strip_accents) {
            return None;
        }
        let mut written = if self.lowercase {
            text.to_lowercase()
        } else {
            text.to_string()
        };
        if self.strip_accents {
            written = strip_accents(&written);
        }
        Some(written)
    }
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
        let mut voices = Voices {
            styles: ron::from_str(styles).map_err(|e| read("assets/voice/styles.ron", e))?,
            names: ron::from_str(names).map_err(|e| read("assets/voice/names.ron", e))?,
        };
        for styles in [&mut voices.styles.fr, &mut voices.styles.en] {
            for style in [
                &mut styles.formal,
                &mut styles.neutral,
                &mut styles.familiar,
                &mut styles.teen,
            ] {
                style.typo_rate = TypoRate::of(style.typos);
                style.recased_abbreviations = style
                    .abbreviations
                    .iter()
                    .map(|(long, _)| style.recase(long).unwrap_or_else(|| long.clone()))
                    .collect();
            }
        }
        for lang in [Lang::Fr, Lang::En] {
            for register in [
                Register::Formal,
                Register::Neutral,
                Register::Familiar,
                Register::Teen,
            ] {
                if voices.style(lang, register).abbreviations.len() > 32 {
                    return Err(format!(
                        "assets/voice/styles.ron: {lang:?} {register:?}: at most 32 abbreviations"
                    ));
                }
            }
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

/// What shapes a text beyond its register: the persona's typing and the customer's anger.
#[derive(Clone, Copy)]
pub struct Restyle {
    /// The template was written for any register: write it in this one's voice.
    pub rewrite: bool,
    pub typos: TypoRate,
    pub furious: bool,
}

/// One post being written in a style, a piece at a time: literal words get the register's
/// abbreviations, accents and case (when `rewrite`), typos, and a furious customer's
/// capitals; what is pushed raw (a placeholder's value: a name, a detail) is never touched.
pub struct Writer<'s> {
    style: &'s RegisterStyle,
    register: Register,
    how: Restyle,
    shout: bool,
    exclaim: bool,
    typos: Typos,
    pub out: String,
}

impl<'s> Writer<'s> {
    pub fn new(
        rng: &mut Stream,
        style: &'s RegisterStyle,
        register: Register,
        how: Restyle,
    ) -> Self {
        let shout = how.furious && rng.chance(style.shout_when_furious);
        let exclaim = how.furious && rng.chance(style.exclaim_when_furious);
        Writer {
            style,
            register,
            how,
            shout,
            exclaim,
            typos: Typos::new(rng, how.typos),
            out: String::with_capacity(128),
        }
    }

    /// Literal words of the template, written in the style.
    pub fn literal(&mut self, rng: &mut Stream, literal: &Literal) {
        let style = self.style;
        let register = self.register as usize;
        let (text, found) = if self.how.rewrite {
            let recased = literal.recased[register].as_deref();
            (
                recased.unwrap_or(&literal.text),
                literal.abbreviations[register],
            )
        } else {
            (&*literal.text, 0)
        };
        if found == 0 && !self.shout {
            // Most literals are written as they are (recased once, at load): no typo falls
            // in them.
            if !self.typos.passes_over(literal.long_words) {
                self.typos.write(rng, text, &mut self.out);
            } else {
                self.out.push_str(text);
            }
            return;
        }
        let mut piece = text.to_string();
        let phrases = style.recased_abbreviations.iter().zip(&style.abbreviations);
        for (j, (long, (_, short))) in phrases.enumerate().take(32) {
            if found & (1 << j) != 0 {
                abbreviate(rng, &mut piece, long, short, style.abbreviate);
            }
        }
        if self.shout {
            piece = piece.to_uppercase();
        }
        self.typos.write(rng, &piece, &mut self.out);
    }

    /// The post, with a furious customer's exclamation at its end.
    pub fn finish(mut self, rng: &mut Stream, exclamations: &[String]) -> String {
        if self.exclaim
            && let Some(mark) = pick(rng, exclamations)
        {
            exclaim_at_end(&mut self.out, mark);
        }
        self.out
    }
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

/// Each whole-word `long` written `short`, each at the rate.
fn abbreviate(rng: &mut Stream, text: &mut String, long: &str, short: &str, rate: f64) {
    if long.is_empty() || !text.contains(long) {
        return;
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text.as_str();
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
    *text = out;
}

/// Which words of a post are mistyped: each word of four letters or more at the rate, drawn
/// as the number of such words to skip before the next typo (one draw per typo, not one per
/// word). A typo swaps two letters, doubles one or drops one.
struct Typos {
    rate: TypoRate,
    /// Eligible words still to pass before the next typo; `None`: no more typos.
    skip: Option<u64>,
}

impl Typos {
    fn new(rng: &mut Stream, rate: TypoRate) -> Typos {
        let mut typos = Typos { rate, skip: None };
        typos.draw_skip(rng);
        typos
    }

    fn draw_skip(&mut self, rng: &mut Stream) {
        self.skip = if self.rate.rate <= 0.0 {
            None
        } else if self.rate.rate >= 1.0 {
            Some(0)
        } else {
            // Geometric: the count of failures before a success of probability `rate`.
            let u = 1.0 - rng.unit();
            let skip = (libm::log(u) / self.rate.log_keep).floor();
            (skip < 1e9).then_some(skip as u64)
        };
    }

    /// Whether the next typo falls beyond these many long words: if so they are passed over
    /// (counted as written), and the caller writes them unchanged.
    fn passes_over(&mut self, long_words: u32) -> bool {
        match &mut self.skip {
            None => true,
            Some(skip) if *skip >= u64::from(long_words) => {
                *skip -= u64::from(long_words);
                true
            }
            Some(_) => false,
        }
    }

    /// The text appended to `out`, with the typos that fall in it.
    fn write(&mut self, rng: &mut Stream, text: &str, out: &mut String) {
        let Some(mut skip) = self.skip else {
            out.push_str(text);
            return;
        };
        let mut written = 0;
        let mut word_start = 0;
        let mut letters = 0;
        // A sentinel space ends the last word.
        for (at, c) in text
            .char_indices()
            .chain(std::iter::once((text.len(), ' ')))
        {
            if c.is_alphabetic() {
                if letters == 0 {
                    word_start = at;
                }
                letters += 1;
                continue;
            }
            if letters >= 4 {
                if skip == 0 {
                    out.push_str(&text[written..word_start]);
                    mistype_word(rng, &text[word_start..at], out);
                    written = at;
                    self.draw_skip(rng);
                    match self.skip {
                        Some(next) => skip = next,
                        None => break,
                    }
                } else {
                    skip -= 1;
                }
            }
            letters = 0;
        }
        out.push_str(&text[written..]);
        if self.skip.is_some() {
            self.skip = Some(skip);
        }
    }
}

fn mistype_word(rng: &mut Stream, word: &str, out: &mut String) {
    let mut chars: Vec<char> = word.chars().collect();
    let at = rng.below(chars.len() as u64 - 1) as usize;
    match rng.below(3) {
        0 => chars.swap(at, at + 1),
        1 => chars.insert(at, chars[at]),
        _ => {
            chars.remove(at);
        }
    }
    out.extend(chars);
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
        match unaccented(c) {
            Some(plain) => out.push_str(plain),
            None => out.push(c),
        }
    }
    out
}

/// A French letter without its accent ("é" is "e", "œ" is "oe"); `None` for any other.
pub(crate) fn unaccented(c: char) -> Option<&'static str> {
    Some(match c {
        'à' | 'â' | 'ä' | 'á' => "a",
        'é' | 'è' | 'ê' | 'ë' => "e",
        'î' | 'ï' | 'í' => "i",
        'ô' | 'ö' | 'ó' => "o",
        'ù' | 'û' | 'ü' | 'ú' => "u",
        'ç' => "c",
        'ÿ' => "y",
        'œ' => "oe",
        'À' | 'Â' | 'Ä' => "A",
        'É' | 'È' | 'Ê' | 'Ë' => "E",
        'Î' | 'Ï' => "I",
        'Ô' | 'Ö' => "O",
        'Ù' | 'Û' | 'Ü' => "U",
        'Ç' => "C",
        'Œ' => "OE",
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::template::{Piece, compile};

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

    /// A text written by a French customer of this register; placeholders shown by name.
    fn written(rng: &mut Stream, text: &str, register: Register, how: Restyle) -> String {
        fn walk(rng: &mut Stream, pieces: &[Piece], writer: &mut Writer) {
            for piece in pieces {
                match piece {
                    Piece::Text(literal) => writer.literal(rng, literal),
                    Piece::Slot(slot) => writer.out.push_str(&format!("{{{slot:?}}}")),
                    Piece::Choice(parts) => walk(rng, &parts[0], writer),
                }
            }
        }
        let voices = Voices::bundled();
        let mut writer = Writer::new(rng, voices.style(Lang::Fr, register), register, how);
        walk(rng, &compile(text, Lang::Fr), &mut writer);
        writer.finish(rng, &voices.styles(Lang::Fr).exclamations)
    }

    #[test]
    fn placeholders_are_never_restyled() {
        let how = Restyle {
            rewrite: true,
            typos: TypoRate::of(1.0),
            furious: true,
        };
        for index in 0..50 {
            let text = written(
                &mut stream(index),
                "Bonjour {brand}, voici {details}.",
                Register::Teen,
                how,
            );
            assert!(
                text.contains("{Brand}") && text.contains("{Details}"),
                "{text}"
            );
        }
    }

    #[test]
    fn the_teen_voice_abbreviates_lowers_and_drops_accents() {
        let how = Restyle {
            rewrite: true,
            typos: TypoRate::of(0.0),
            furious: false,
        };
        let seen: Vec<String> = (0..40)
            .map(|i| {
                written(
                    &mut stream(i),
                    "Pourquoi c'est toujours coupé aujourd'hui ?",
                    Register::Teen,
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
            let mut text = String::new();
            let mut rng = stream(i);
            Typos::new(&mut rng, TypoRate::of(0.5)).write(
                &mut rng,
                "Toujours aucune nouvelle",
                &mut text,
            );
            assert_eq!(text.split(' ').count(), 3);
            changed += usize::from(text != "Toujours aucune nouvelle");
        }
        assert!(changed > 50, "{changed}");
        let mut text = String::new();
        let mut rng = stream(0);
        Typos::new(&mut rng, TypoRate::of(0.0)).write(
            &mut rng,
            "Toujours aucune nouvelle",
            &mut text,
        );
        assert_eq!(text, "Toujours aucune nouvelle");
    }

    #[test]
    fn a_furious_customer_shouts_and_ends_with_an_exclamation() {
        let how = Restyle {
            rewrite: false,
            typos: TypoRate::of(0.0),
            furious: true,
        };
        let seen: Vec<String> = (0..60)
            .map(|i| {
                written(
                    &mut stream(i),
                    "Rendez-moi mon argent.",
                    Register::Familiar,
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
            written(
                &mut stream(0),
                "Rendez-moi mon argent.",
                Register::Familiar,
                calm
            ),
            "Rendez-moi mon argent."
        );
    }

    proptest::proptest! {
        /// Whatever the text, every register writes it without failing, a furious customer
        /// with typos on every word included; without rewriting, shouting or typos, it is
        /// written as it is.
        #[test]
        fn any_text_is_written_in_any_voice(text in "\\PC{0,60}", index in 0u64..1000) {
            for register in [Register::Formal, Register::Neutral, Register::Familiar, Register::Teen] {
                let how = Restyle { rewrite: true, typos: TypoRate::of(1.0), furious: true };
                written(&mut stream(index), &text, register, how);
            }
            let plain = Restyle { rewrite: false, typos: TypoRate::of(0.0), furious: false };
            let as_is = written(&mut stream(index), "texte", Register::Teen, plain);
            proptest::prop_assert_eq!(as_is, "texte");
        }
    }
}
