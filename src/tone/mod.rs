//! Reply analysis: what a trainee's reply does (greets, thanks, apologises, invites to private
//! messages, asks for personal data...) and what it gets wrong (blame, insult, shouting,
//! tutoiement with a formal customer, a copy of an earlier reply...), each finding with a
//! stable id, the byte span of its evidence, a severity and an explanation in French and
//! English. Pure and deterministic: the same input always gives the same report.
//!
//! One Aho-Corasick pass over a folded copy of the text finds the cue phrases of the lexicon
//! (`assets/tone/lexicon.ron`); rules combine them; hand-written scanners find personal data.

pub mod lexicon;
pub mod pii;
pub mod statement;
pub mod text;

mod address;
mod draft;
mod findings;
mod memo;
mod reading;
mod report;
mod template;

use address::{Register, address, emphatic};
pub use memo::{Memo, Reader};
pub use report::{
    ExplainedFinding, Finding, Flags, RegisterReading, ToneInput, ToneJson, ToneReport, ToneScores,
};

use crate::engine::Lang;
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use lexicon::{Cue, FindingId, Lexicon, LexiconError};
use text::{Folded, emoticon_spans, is_word_byte};

struct Pattern {
    cue: Cue,
    lang: Option<Lang>,
    /// Matches the start of longer words too ("excus*").
    prefix: bool,
    starts_with_word: bool,
    ends_with_word: bool,
}

#[derive(Clone, Copy, Debug)]
struct Hit {
    cue: Cue,
    start: usize,
    end: usize,
}

/// The analyser: built once from a lexicon, then shared (it is immutable).
pub struct ToneAnalyser {
    lexicon: Lexicon,
    matcher: AhoCorasick,
    patterns: Vec<Pattern>,
    acronyms: Vec<String>,
    stopwords: Vec<String>,
    lexicon_sha256: String,
    longest_phrase: usize,
    statements: statement::StatementReader,
}

impl ToneAnalyser {
    pub fn bundled() -> ToneAnalyser {
        ToneAnalyser::new(Lexicon::bundled(), lexicon::BUNDLED)
    }

    /// Reads a lexicon file; `origin` names it in errors.
    pub fn from_source(source: &str, origin: &str) -> Result<ToneAnalyser, LexiconError> {
        Ok(ToneAnalyser::new(Lexicon::parse(source, origin)?, source))
    }

    fn new(lexicon: Lexicon, source: &str) -> ToneAnalyser {
        let mut phrases = Vec::new();
        let mut patterns = Vec::new();
        for list in &lexicon.cues {
            for (phrase, lang) in lexicon::tagged(&list.any, &list.fr, &list.en) {
                let prefix = phrase.ends_with('*');
                let folded = Folded::new(phrase.trim_end_matches('*').trim()).text;
                let bytes = folded.as_bytes();
                patterns.push(Pattern {
                    cue: list.cue,
                    lang,
                    prefix,
                    starts_with_word: bytes.first().is_some_and(|b| is_word_byte(*b)),
                    ends_with_word: bytes.last().is_some_and(|b| is_word_byte(*b)),
                });
                phrases.push(folded);
            }
        }
        let matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&phrases)
            // Phrases are non-empty (checked when parsing) and few: building cannot fail.
            .expect("the lexicon's phrases build an automaton");
        let mut acronyms: Vec<String> = lexicon.acronyms.iter().map(|a| fold(a)).collect();
        acronyms.sort_unstable();
        let mut stopwords: Vec<String> = lexicon.stopwords.iter().map(|w| fold(w)).collect();
        stopwords.sort_unstable();
        let longest_phrase = phrases.iter().map(String::len).max().unwrap_or(0);
        ToneAnalyser {
            longest_phrase,
            lexicon,
            matcher,
            patterns,
            acronyms,
            stopwords,
            lexicon_sha256: crate::engine::transcript::sha256_hex(source.as_bytes()),
            statements: statement::StatementReader::bundled(),
        }
    }

    /// The reader of brand statements (`tone::statement`).
    pub fn statements(&self) -> &statement::StatementReader {
        &self.statements
    }

    /// SHA-256 of the lexicon file: two analysers with the same one give the same reports.
    pub fn lexicon_sha256(&self) -> &str {
        &self.lexicon_sha256
    }

    /// The explanation of a finding in a language.
    pub fn message(&self, id: FindingId, lang: Lang) -> &str {
        self.lexicon.explanation(id).get(lang)
    }

    pub fn explain(&self, report: &ToneReport, lang: Lang) -> Vec<ExplainedFinding<'_>> {
        report
            .findings
            .iter()
            .map(|f| ExplainedFinding {
                id: f.id,
                span: [f.start, f.end],
                severity: f.severity,
                message: self.message(f.id, lang),
            })
            .collect()
    }

    pub fn to_json(&self, report: &ToneReport, lang: Lang) -> ToneJson<'_> {
        ToneJson {
            scores: ToneScores {
                politeness: report.politeness,
            },
            flags: report.flags,
            findings: self.explain(report, lang),
        }
    }

    fn hits(&self, folded: &str, lang: Lang) -> Vec<Hit> {
        let bytes = folded.as_bytes();
        let mut hits = Vec::new();
        for m in self.matcher.find_overlapping_iter(folded) {
            let pattern = &self.patterns[m.pattern().as_usize()];
            if pattern.lang.is_some_and(|l| l != lang) {
                continue;
            }
            let (start, end) = (m.start(), m.end());
            let starts_clean =
                !pattern.starts_with_word || start == 0 || !is_word_byte(bytes[start - 1]);
            let ends_clean = pattern.prefix
                || !pattern.ends_with_word
                || end == bytes.len()
                || !is_word_byte(bytes[end]);
            if starts_clean && ends_clean {
                hits.push(Hit {
                    cue: pattern.cue,
                    start,
                    end,
                });
            }
        }
        hits.sort_unstable_by_key(|h| (h.start, h.end, h.cue));
        // A harsh cue inside a kind phrase yields to it: "pourquoi" in "pourquoi pas",
        // "grave" in "ce n'est pas grave".
        let kind = |h: &Hit| {
            matches!(
                h.cue,
                Cue::Hedge | Cue::Deference | Cue::Indirect | Cue::Empathy | Cue::Reassurance
            )
        };
        let harsh = |h: &Hit| {
            matches!(
                h.cue,
                Cue::DirectQuestion | Cue::Negative | Cue::DirectStart | Cue::Factual | Cue::Blame
            )
        };
        let covered: Vec<bool> = hits
            .iter()
            .map(|h| {
                // Only hits starting at most one phrase length before can contain this one.
                let from = hits.partition_point(|k| k.start + self.longest_phrase < h.start);
                harsh(h)
                    && hits[from..]
                        .iter()
                        .take_while(|k| k.start <= h.start)
                        .any(|k| kind(k) && h.end <= k.end && k.end - k.start > h.end - h.start)
            })
            .collect();
        let mut index = 0;
        hits.retain(|_| {
            index += 1;
            !covered[index - 1]
        });
        hits
    }

    /// Analyses one reply.
    pub fn analyse(&self, input: &ToneInput) -> ToneReport {
        draft::Draft::new(self, input).report()
    }

    /// "merci" thanks, except "merci de + verb", a polite way to ask ("merci de nous écrire").
    fn thanks(&self, folded: &str, hits: &[Hit]) -> (Option<Hit>, Option<Hit>) {
        const PRONOUNS: [&str; 12] = [
            "m'", "me", "nous", "vous", "t'", "te", "l'", "le", "la", "les", "y", "en",
        ];
        const THANKS_OBJECTS: [&str; 20] = [
            "avoir", "etre", "votre", "vos", "ton", "ta", "tes", "ce", "cette", "cet", "ces", "la",
            "le", "les", "l'", "un", "une", "tout", "avance", "rien",
        ];
        let mut thanks = None;
        let mut request = None;
        for hit in hits.iter().filter(|h| h.cue == Cue::Thanks) {
            let phrase = &folded[hit.start..hit.end];
            let rest = folded[hit.end..].trim_start();
            let after_de = if phrase == "merci" {
                rest.strip_prefix("de ").or_else(|| rest.strip_prefix("d'"))
            } else {
                None
            };
            let Some(mut tail) = after_de else {
                thanks.get_or_insert(*hit);
                continue;
            };
            // Skip object pronouns: "merci de nous avoir écrit", "merci de m'indiquer".
            loop {
                tail = tail.trim_start();
                let next = PRONOUNS.iter().find(|p| {
                    tail.starts_with(**p)
                        && (p.ends_with('\'')
                            || !tail[p.len()..].starts_with(|c: char| c.is_ascii_alphanumeric()))
                });
                match next {
                    Some(p) => tail = &tail[p.len()..],
                    None => break,
                }
            }
            let word: &str = tail
                .split(|c: char| !(c.is_ascii_alphanumeric() || c == '\''))
                .next()
                .unwrap_or("");
            let word = if word.starts_with("l'") { "l'" } else { word };
            if THANKS_OBJECTS.contains(&word) {
                thanks.get_or_insert(*hit);
            } else {
                request.get_or_insert(*hit);
            }
        }
        (thanks, request)
    }

    fn register(&self, original: &str, folded: &Folded, hits: &[Hit], lang: Lang) -> Register {
        let mut register = Register::default();
        if lang == Lang::Fr {
            let found = address(original, folded);
            register.tu_span = found.tu;
            register.vous_span = found.vous;
            register.conditional_span = found.conditional;
        }
        let emoticons = emoticon_spans(original);
        let familiar = hits.iter().find(|h| h.cue == Cue::Familiar);
        register.familiar_span = emoticons
            .first()
            .copied()
            .or(familiar.map(|h| folded.span(h.start, h.end)));
        register.shouting_span = self.shouting(original);
        register.emphatic_span = emphatic(original);
        let tutoiement = register.tu_span.is_some();
        register.reading = RegisterReading {
            familiarity: 2 * u8::from(tutoiement)
                + u8::from(!emoticons.is_empty())
                + u8::from(familiar.is_some()),
            tutoiement,
            vouvoiement: register.vous_span.is_some(),
            virulent: register.shouting_span.is_some()
                || register.emphatic_span.is_some()
                || hits.iter().any(|h| h.cue == Cue::Insult),
        };
        register
    }

    /// Capitals: ten or more letters in words written all in capitals (acronyms aside), or most
    /// of a message of some length.
    fn shouting(&self, original: &str) -> Option<(usize, usize)> {
        let mut caps_letters = 0;
        let mut letters = 0;
        let mut span: Option<(usize, usize)> = None;
        let mut word_start = None;
        let mut check = |start: usize, end: usize, span: &mut Option<(usize, usize)>| {
            let word = &original[start..end];
            let count = word.chars().count();
            letters += count;
            let all_caps = count >= 2 && word.chars().all(|c| !c.is_lowercase());
            if all_caps && self.acronyms.binary_search(&fold(word)).is_err() {
                caps_letters += count;
                *span = Some(span.map_or((start, end), |(s, _)| (s, end)));
            }
        };
        for (offset, c) in original.char_indices() {
            if c.is_alphabetic() {
                word_start.get_or_insert(offset);
            } else if let Some(start) = word_start.take() {
                check(start, offset, &mut span);
            }
        }
        if let Some(start) = word_start {
            check(start, original.len(), &mut span);
        }
        let shouting = caps_letters >= 10 || (letters >= 12 && caps_letters * 2 >= letters);
        if shouting { span } else { None }
    }

    /// Whether the reply takes up a content word of the customer's messages: the latest,
    /// then the earlier ones, folded only while none has been found. The whole reply when it
    /// takes up none of them (and the customer wrote some); None otherwise.
    fn generic(
        &self,
        reply: &Folded,
        latest: &Folded,
        earlier: &[&str],
        original: &str,
    ) -> Option<(usize, usize)> {
        let mut reply_stems: Vec<&str> = reply
            .words()
            .map(|(s, e)| &reply.text[s..e])
            .filter(|w| self.is_content_word(w))
            .map(stem)
            .collect();
        reply_stems.sort_unstable();
        // (the message has content words, the reply takes one up)
        let read = |message: &Folded| {
            let mut content = false;
            for (s, e) in message.words() {
                let word = &message.text[s..e];
                if self.is_content_word(word) {
                    content = true;
                    if reply_stems.binary_search(&stem(word)).is_ok() {
                        return (true, true);
                    }
                }
            }
            (content, false)
        };
        let (mut content, shared) = read(latest);
        if shared {
            return None;
        }
        for message in earlier {
            let (has, shared) = read(&Folded::new(message));
            if shared {
                return None;
            }
            content |= has;
        }
        content.then_some((0, original.len()))
    }

    fn is_content_word(&self, word: &str) -> bool {
        word.len() >= 4
            && !word.bytes().all(|b| b.is_ascii_digit())
            && self
                .stopwords
                .binary_search_by(|s| s.as_str().cmp(word))
                .is_err()
    }
}

/// The first five letters stand for the word: "facture", "facturation", "facturé".
fn stem(word: &str) -> &str {
    &word[..word.len().min(5)]
}

pub fn fold(text: &str) -> String {
    Folded::new(text).text
}
