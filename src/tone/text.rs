//! Text preparation: a folded copy of a reply (lowercase, no accents, one kind of apostrophe,
//! hyphens as spaces) that remembers where each byte came from, so that evidence found in the
//! folded copy is reported as a byte span of the original.

/// The folded text and, for each of its bytes, the offset of the original character.
pub struct Folded {
    pub text: String,
    origin: Vec<u32>,
    original_len: usize,
}

impl Folded {
    pub fn new(original: &str) -> Folded {
        let bytes = original.as_bytes();
        let mut text: Vec<u8> = Vec::with_capacity(original.len() + 8);
        let mut origin = Vec::with_capacity(original.len() + 8);
        let mut offset = 0;
        while offset < bytes.len() {
            // Most of a reply is ASCII: a byte in, a byte out, without decoding a character.
            let ascii = bytes[offset..].iter().take_while(|b| b.is_ascii()).count();
            let run = &bytes[offset..offset + ascii];
            text.extend(
                run.iter()
                    .map(|&byte| FOLDED_ASCII[usize::from(byte & 0x7f)]),
            );
            origin.extend((offset..offset + ascii).map(|o| o as u32));
            offset += ascii;
            let Some(c) = original.get(offset..).and_then(|rest| rest.chars().next()) else {
                break;
            };
            let before = text.len();
            fold_char(c, &mut text);
            origin.extend(std::iter::repeat_n(offset as u32, text.len() - before));
            offset += c.len_utf8();
        }
        // Only whole characters were written: the bytes are UTF-8.
        let text = String::from_utf8(text)
            .unwrap_or_else(|error| String::from_utf8_lossy(error.as_bytes()).into_owned());
        Folded {
            text,
            origin,
            original_len: original.len(),
        }
    }

    /// The original byte span of the folded range `start..end`.
    pub fn span(&self, start: usize, end: usize) -> (usize, usize) {
        let from = self
            .origin
            .get(start)
            .map_or(self.original_len, |o| *o as usize);
        let to = self
            .origin
            .get(end)
            .map_or(self.original_len, |o| *o as usize);
        (from, to.max(from))
    }

    /// Words of the folded text: (start, end) byte ranges of ASCII alphanumeric runs.
    pub fn words(&self) -> impl Iterator<Item = (usize, usize)> + '_ {
        word_ranges(&self.text)
    }
}

pub fn word_ranges(text: &str) -> impl Iterator<Item = (usize, usize)> + '_ {
    let bytes = text.as_bytes();
    let mut i = 0;
    std::iter::from_fn(move || {
        while i < bytes.len() && !is_word_byte(bytes[i]) {
            i += 1;
        }
        if i >= bytes.len() {
            return None;
        }
        let start = i;
        while i < bytes.len() && is_word_byte(bytes[i]) {
            i += 1;
        }
        Some((start, i))
    })
}

/// Letters and digits of the folded text; everything else (and any byte of a character the
/// folding kept, such as an emoji) separates words.
pub fn is_word_byte(byte: u8) -> bool {
    byte.is_ascii_alphanumeric()
}

/// ASCII folded: lower case, a hyphen as a space, a backtick as an apostrophe.
const FOLDED_ASCII: [u8; 128] = {
    let mut table = [0u8; 128];
    let mut byte = 0;
    while byte < 128 {
        table[byte as usize] = match byte {
            b'-' => b' ',
            b'`' => b'\'',
            _ => byte.to_ascii_lowercase(),
        };
        byte += 1;
    }
    table
};

/// A character that is not ASCII, folded.
fn fold_char(c: char, out: &mut Vec<u8>) {
    let folded: &str = match c {
        'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => "a",
        'ç' | 'Ç' => "c",
        'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' => "e",
        'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => "i",
        'ñ' | 'Ñ' => "n",
        'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' => "o",
        'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => "u",
        'ý' | 'ÿ' | 'Ý' | 'Ÿ' => "y",
        'œ' | 'Œ' => "oe",
        'æ' | 'Æ' => "ae",
        '’' | '‘' | 'ʼ' | '´' => "'",
        '«' | '»' | '“' | '”' => "\"",
        '‐' | '‑' | '–' | '—' => " ",
        '\u{a0}' | '\u{202f}' | '\u{2009}' => " ",
        '…' => "...",
        _ => {
            for lower in c.to_lowercase() {
                out.extend_from_slice(lower.encode_utf8(&mut [0; 4]).as_bytes());
            }
            return;
        }
    };
    out.extend_from_slice(folded.as_bytes());
}

/// Sentence ranges of a text: each ends after its run of `.`, `!`, `?`, `;` or a line break.
/// A dot between two digits ("3.5") does not end a sentence.
pub fn sentences(text: &str) -> Vec<(usize, usize)> {
    let bytes = text.as_bytes();
    let mut out = Vec::new();
    let mut start = 0;
    let mut i = 0;
    while i < bytes.len() {
        let b = bytes[i];
        let decimal = b == b'.'
            && i > 0
            && bytes[i - 1].is_ascii_digit()
            && bytes.get(i + 1).is_some_and(|n| n.is_ascii_digit());
        if matches!(b, b'.' | b'!' | b'?' | b';' | b'\n') && !decimal {
            while i + 1 < bytes.len() && matches!(bytes[i + 1], b'.' | b'!' | b'?' | b'\n') {
                i += 1;
            }
            out.push((start, i + 1));
            start = i + 1;
        }
        i += 1;
    }
    if start < bytes.len() {
        out.push((start, bytes.len()));
    }
    out
}

/// Emoji and text emoticons, the visual cues of a familiar register.
pub fn emoticon_spans(original: &str) -> Vec<(usize, usize)> {
    /// By first byte: none of these overlaps another, and only "^^" can overlap itself.
    const EMOTICONS: [&str; 14] = [
        ":)", ":-)", ";)", ";-)", ":(", ":-(", ":D", ":p", ":P", "xD", "XD", "^^", "<3", ":'(",
    ];
    let bytes = original.as_bytes();
    let mut spans = Vec::new();
    // One pass: emoji by code point, emoticons by their first byte.
    let mut carets_from = 0;
    for (offset, c) in original.char_indices() {
        let code = c as u32;
        if (0x1F300..=0x1FAFF).contains(&code) || (0x2600..=0x27BF).contains(&code) {
            spans.push((offset, offset + c.len_utf8()));
            continue;
        }
        if !matches!(c, ':' | ';' | 'x' | 'X' | '^' | '<') {
            continue;
        }
        let rest = &bytes[offset..];
        let Some(emoticon) = EMOTICONS.iter().find(|e| rest.starts_with(e.as_bytes())) else {
            continue;
        };
        if *emoticon == "^^" {
            // "^^^^" is two, not three; "^^" right before a name is a signature mark.
            if offset < carets_from {
                continue;
            }
            carets_from = offset + 2;
            if original[offset + 2..]
                .chars()
                .next()
                .is_some_and(char::is_alphabetic)
            {
                continue;
            }
        }
        spans.push((offset, offset + emoticon.len()));
    }
    spans
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_and_maps_back() {
        let original = "Désolé pour l’attente — Écrivez-nous";
        let folded = Folded::new(original);
        assert_eq!(folded.text, "desole pour l'attente   ecrivez nous");
        let start = folded.text.find("ecrivez").unwrap();
        let (from, to) = folded.span(start, start + "ecrivez".len());
        assert_eq!(&original[from..to], "Écrivez");
        let (from, to) = folded.span(0, folded.text.len());
        assert_eq!(&original[from..to], original);
    }

    proptest::proptest! {
        /// Folding a byte at a time where the text is ASCII gives what folding it character
        /// by character gives: the same text, each byte traced to the same original offset.
        #[test]
        fn the_ascii_path_folds_as_characters_do(original in "[a-zA-Z0-9 '`.,!?-]{0,12}(\\PC{0,4}[a-zA-Z -]{0,12}){0,6}") {
            let mut text = Vec::new();
            let mut origin = Vec::new();
            for (offset, c) in original.char_indices() {
                let before = text.len();
                match u8::try_from(c) {
                    Ok(byte) if byte.is_ascii() => text.push(FOLDED_ASCII[usize::from(byte)]),
                    _ => fold_char(c, &mut text),
                }
                origin.extend(std::iter::repeat_n(offset as u32, text.len() - before));
            }
            let folded = Folded::new(&original);
            proptest::prop_assert_eq!(folded.text.as_bytes(), &text[..]);
            proptest::prop_assert_eq!(&folded.origin, &origin);
        }
    }

    #[test]
    fn sentences_keep_decimals_together() {
        let text = "Le forfait passe à 3.5 Go. Pourquoi ?! Bon";
        let parts: Vec<&str> = sentences(text).iter().map(|(s, e)| &text[*s..*e]).collect();
        assert_eq!(
            parts,
            ["Le forfait passe à 3.5 Go.", " Pourquoi ?!", " Bon"]
        );
    }

    #[test]
    fn finds_emoji_and_emoticons() {
        assert_eq!(emoticon_spans("super 😀 merci :)").len(), 2);
        assert!(emoticon_spans("^^Julie").is_empty());
        assert_eq!(
            emoticon_spans("^^^^ ;-) <3 xD:'("),
            [(0, 2), (2, 4), (5, 8), (9, 11), (12, 14), (14, 17)]
        );
        assert_eq!(emoticon_spans("^^^Julie"), [(0, 2)]);
    }
}
