//! A customer text template read once into pieces: literal text, placeholders and
//! alternatives, so that writing a post walks the pieces instead of searching the text. The
//! syntax is checked at load (`load::checker`); this reading never fails: what it does not
//! know it keeps as written.

use super::scenario::{Lang, Register};
use super::style::Voices;

/// A text's pieces in reading order.
#[derive(Clone, Debug)]
pub enum Piece {
    Text(Literal),
    Slot(Slot),
    /// `[a|b|c]`: one of the parts, each its own pieces (a part may hold placeholders).
    Choice(Box<[Box<[Piece]>]>),
}

/// Literal words, with what styling needs to know about them, found once.
#[derive(Clone, Debug)]
pub struct Literal {
    pub text: Box<str>,
    /// Words of four letters or more: those a typo may fall on.
    pub long_words: u32,
    /// Per register (`register as usize`), the text in its case and accents when that
    /// register rewrites them (a teen's lower case without accents); `None`: as written.
    pub recased: [Option<Box<str>>; 4],
    /// Per register (`register as usize`), bit `j`: that register's abbreviation `j` occurs
    /// here (in lower case for a register that writes in lower case).
    pub abbreviations: [u32; 4],
}

/// What a placeholder stands for (filled in `engine::sim::voice`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Slot {
    Brand,
    Care,
    Corporate,
    Competitor,
    Handle,
    Wait,
    Details,
    Name,
    FirstName,
    Amount,
    Detail,
    TimeOfDay,
    SinceFirst,
    ReplyAgo,
}

impl Slot {
    fn named(name: &str) -> Option<Slot> {
        Some(match name {
            "brand" => Slot::Brand,
            "care" => Slot::Care,
            "corporate" => Slot::Corporate,
            "competitor" => Slot::Competitor,
            "handle" => Slot::Handle,
            "wait" => Slot::Wait,
            "details" => Slot::Details,
            "name" => Slot::Name,
            "first_name" => Slot::FirstName,
            "amount" => Slot::Amount,
            "detail" => Slot::Detail,
            "time_of_day" => Slot::TimeOfDay,
            "since_first" => Slot::SinceFirst,
            "reply_ago" => Slot::ReplyAgo,
            _ => return None,
        })
    }
}

/// Both languages of a template, read.
#[derive(Clone, Debug)]
pub struct Compiled {
    pub fr: Box<[Piece]>,
    pub en: Box<[Piece]>,
}

impl Compiled {
    pub fn new(fr: &str, en: &str) -> Compiled {
        Compiled {
            fr: compile(fr, Lang::Fr),
            en: compile(en, Lang::En),
        }
    }

    pub fn get(&self, lang: Lang) -> &[Piece] {
        match lang {
            Lang::Fr => &self.fr,
            Lang::En => &self.en,
        }
    }
}

/// Reads a text: `[a|b]` alternatives (not nested), `{name}` placeholders; an unknown
/// placeholder or an unclosed bracket stays as written.
pub fn compile(raw: &str, lang: Lang) -> Box<[Piece]> {
    let mut pieces = Vec::new();
    let mut rest = raw;
    while let Some(open) = rest.find('[') {
        let Some(close) = rest[open..].find(']') else {
            break;
        };
        placeholders(&rest[..open], lang, &mut pieces);
        let parts = rest[open + 1..open + close]
            .split('|')
            .map(|part| {
                let mut inner = Vec::new();
                placeholders(part, lang, &mut inner);
                inner.into_boxed_slice()
            })
            .collect();
        pieces.push(Piece::Choice(parts));
        rest = &rest[open + close + 1..];
    }
    placeholders(rest, lang, &mut pieces);
    pieces.into_boxed_slice()
}

fn placeholders(text: &str, lang: Lang, pieces: &mut Vec<Piece>) {
    let mut literal = String::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let Some(close) = rest[open..].find('}') else {
            break;
        };
        match Slot::named(&rest[open + 1..open + close]) {
            Some(slot) => {
                literal.push_str(&rest[..open]);
                push_literal(&mut literal, lang, pieces);
                pieces.push(Piece::Slot(slot));
            }
            None => literal.push_str(&rest[..=open + close]),
        }
        rest = &rest[open + close + 1..];
    }
    literal.push_str(rest);
    push_literal(&mut literal, lang, pieces);
}

fn push_literal(literal: &mut String, lang: Lang, pieces: &mut Vec<Piece>) {
    if literal.is_empty() {
        return;
    }
    let text = std::mem::take(literal);
    let voices = Voices::bundled();
    let mut abbreviations = [0; 4];
    let mut recased: [Option<Box<str>>; 4] = Default::default();
    for register in [
        Register::Formal,
        Register::Neutral,
        Register::Familiar,
        Register::Teen,
    ] {
        let style = voices.style(lang, register);
        let written = style.recase(&text);
        let seen = written.as_deref().unwrap_or(&text);
        for (j, long) in style.recased_abbreviations.iter().enumerate().take(32) {
            if !long.is_empty() && seen.contains(long.as_str()) {
                abbreviations[register as usize] |= 1 << j;
            }
        }
        recased[register as usize] = written.map(String::into_boxed_str);
    }
    pieces.push(Piece::Text(Literal {
        long_words: long_words(&text),
        text: text.into_boxed_str(),
        abbreviations,
        recased,
    }));
}

/// Words of four letters or more (letters as `char::is_alphabetic` says).
pub fn long_words(text: &str) -> u32 {
    let (mut words, mut letters) = (0, 0);
    for c in text.chars() {
        if c.is_alphabetic() {
            letters += 1;
        } else {
            words += u32::from(letters >= 4);
            letters = 0;
        }
    }
    words + u32::from(letters >= 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_template_reads_into_text_slots_and_choices() {
        let pieces = compile(
            "[Bonjour|Salut] {brand}, mon {oops} [|vraiment ]pour {care}",
            Lang::Fr,
        );
        let shape: Vec<String> = pieces
            .iter()
            .map(|p| match p {
                Piece::Text(l) => format!("T({})", l.text),
                Piece::Slot(s) => format!("S({s:?})"),
                Piece::Choice(parts) => format!("C({})", parts.len()),
            })
            .collect();
        assert_eq!(
            shape,
            [
                "C(2)",
                "T( )",
                "S(Brand)",
                "T(, mon {oops} )",
                "C(2)",
                "T(pour )",
                "S(Care)"
            ]
        );
        // "pourquoi" holds no whole abbreviation, but the teen register checks in lower case.
        let Piece::Text(literal) = &compile("Pourquoi c'est", Lang::Fr)[0] else {
            panic!("one literal");
        };
        assert!(literal.abbreviations[Register::Teen as usize] != 0);
        assert_eq!(literal.abbreviations[Register::Formal as usize], 0);
    }

    proptest::proptest! {
        /// Any text reads (what is not syntax stays as written), and a text without brackets
        /// or braces is one literal, itself.
        #[test]
        fn any_text_reads_and_plain_text_is_itself(text in "[a-zé{}\\[\\]| ]{0,40}") {
            let pieces = compile(&text, Lang::Fr);
            if !text.contains(['[', '{']) && !text.is_empty() {
                proptest::prop_assert_eq!(pieces.len(), 1);
                let Piece::Text(literal) = &pieces[0] else {
                    return Err(proptest::test_runner::TestCaseError::fail("not a literal"));
                };
                proptest::prop_assert_eq!(&*literal.text, text.as_str());
            }
        }
    }
}
