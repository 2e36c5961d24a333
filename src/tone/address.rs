//! How a reply addresses the customer: tutoiement or vouvoiement (pronouns, possessives,
//! imperatives, inversions), conditional questions, and a raised voice.

use super::RegisterReading;
use super::text::Folded;

#[derive(Default)]
pub(super) struct Register {
    pub(super) reading: RegisterReading,
    pub(super) tu_span: Option<(usize, usize)>,
    pub(super) vous_span: Option<(usize, usize)>,
    pub(super) familiar_span: Option<(usize, usize)>,
    pub(super) shouting_span: Option<(usize, usize)>,
    pub(super) emphatic_span: Option<(usize, usize)>,
    /// A question in the conditional ("pourrais-tu", "auriez-vous"): a softened request.
    pub(super) conditional_span: Option<(usize, usize)>,
}

pub(super) struct Address {
    pub(super) tu: Option<(usize, usize)>,
    pub(super) vous: Option<(usize, usize)>,
    pub(super) conditional: Option<(usize, usize)>,
}

/// "!!", "??", "?!": a raised voice.
pub(super) fn emphatic(original: &str) -> Option<(usize, usize)> {
    let bytes = original.as_bytes();
    let mut i = 0;
    while i + 1 < bytes.len() {
        if matches!(bytes[i], b'!' | b'?') {
            let start = i;
            let mut bangs = 0;
            let mut questions = 0;
            while i < bytes.len() && matches!(bytes[i], b'!' | b'?' | b' ') {
                match bytes[i] {
                    b'!' => bangs += 1,
                    b'?' => questions += 1,
                    _ => {}
                }
                i += 1;
            }
            if bangs + questions >= 2 {
                let end = original[..i].trim_end().len();
                return Some((start, end));
            }
        }
        i += 1;
    }
    None
}

/// Tutoiement and vouvoiement in French: pronouns and possessives, imperatives with a hyphen
/// ("envoie-moi" / "envoyez-moi"), and inversions written without it ("pensestu").
pub(super) fn address(original: &str, folded: &Folded) -> Address {
    const TU: [&str; 6] = ["tu", "toi", "te", "ta", "tes", "ton"];
    const VOUS: [&str; 4] = ["vous", "votre", "vos", "vs"];
    const CLITICS: [&str; 10] = [
        "moi", "nous", "toi", "le", "la", "les", "lui", "leur", "en", "y",
    ];
    const TON_NOUN_BEFORE: [&str; 7] = ["le", "un", "du", "de", "ce", "mon", "son"];
    let text = &folded.text;
    let bytes = original.as_bytes();
    let words: Vec<(usize, usize)> = folded.words().collect();
    let mut tu = None;
    let mut vous = None;
    let mut conditional = None;
    for (index, &(start, end)) in words.iter().enumerate() {
        let word = &text[start..end];
        let previous = index.checked_sub(1).map(|i| &text[words[i].0..words[i].1]);
        let next = words.get(index + 1).map(|(s, e)| &text[*s..*e]);
        let hyphen_after = {
            let (_, original_end) = folded.span(start, end);
            bytes.get(original_end) == Some(&b'-')
        };
        let mut is_tu = match word {
            "ton" => !previous.is_some_and(|p| TON_NOUN_BEFORE.contains(&p)),
            // "t'" before a vowel ("t'inquiète"), but not the euphonic "-t-" ("va-t-il").
            "t" => text.as_bytes().get(end) == Some(&b'\'') && !hyphen_after,
            _ => TU.contains(&word),
        };
        // Second person plural verbs end in "-ez" ("voyez", "arrêtez"): chez, assez, nez aside.
        let ez_verb =
            (word.len() >= 4 && word.ends_with("ez") && !matches!(word, "chez" | "assez"))
                || matches!(word, "dites" | "faites" | "etes");
        let mut is_vous = (VOUS.contains(&word) || ez_verb)
            && !(matches!(word, "vous" | "rendez") && previous == Some("rendez"));
        // Imperatives: "envoie-moi" (tu), "envoyez-moi" (vous), "allons-y" (neither).
        if hyphen_after
            && let Some(clitic) = next
            && CLITICS.contains(&clitic)
            && word.len() >= 3
            && !(word == "rendez" && clitic == "vous")
        {
            if word.ends_with("ez") {
                is_vous = true;
            } else if !word.ends_with("ons") && !ez_verb && !matches!(word, "peut" | "est" | "c") {
                is_tu = true;
            }
        }
        // Inversions written without a hyphen: "pensezvous", "auraistu".
        if word.len() >= 7 && word.ends_with("vous") && word[..word.len() - 4].ends_with('z') {
            is_vous = true;
        }
        if word.len() >= 4
            && word.ends_with("tu")
            && matches!(word.as_bytes()[word.len() - 3], b's' | b'x')
        {
            is_tu = true;
        }
        if is_tu && tu.is_none() {
            tu = Some(folded.span(start, end));
        }
        if is_vous && vous.is_none() {
            vous = Some(folded.span(start, end));
        }
        // "voterais-tu", "auriez-vous", "envisageraistu": conditional inversions.
        const CONDITIONAL: [(&str, &str); 4] = [
            ("rais", "tu"),
            ("riez", "vous"),
            ("rait", "il"),
            ("rait", "on"),
        ];
        let inverted = CONDITIONAL.iter().any(|(verb, pronoun)| {
            let separate = word.len() > verb.len() + 1
                && word.ends_with(verb)
                && hyphen_after
                && next == Some(*pronoun);
            let joined = word.len() > verb.len() + pronoun.len() + 1
                && word
                    .strip_suffix(pronoun)
                    .is_some_and(|stem| stem.ends_with(verb));
            separate || joined
        });
        if inverted && conditional.is_none() {
            conditional = Some(folded.span(start, end));
        }
    }
    Address {
        tu,
        vous,
        conditional,
    }
}
