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
pub mod text;

mod address;
mod findings;
mod reading;
mod report;
mod template;

use address::{Register, address, emphatic};
use findings::{Findings, ReportParts};
pub use report::{
    ExplainedFinding, Finding, Flags, RegisterReading, ToneInput, ToneJson, ToneReport, ToneScores,
};
use template::{signature, template_tokens};

use crate::engine::Lang;
use crate::engine::copy::{self, TemplateShape};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use lexicon::{Cue, FindingId, Lexicon, LexiconError};
use pii::PiiKind;
use text::{Folded, emoticon_spans, is_word_byte, sentences};

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
            let tagged = list
                .any
                .iter()
                .map(|p| (p, None))
                .chain(list.fr.iter().map(|p| (p, Some(Lang::Fr))))
                .chain(list.en.iter().map(|p| (p, Some(Lang::En))));
            for (phrase, lang) in tagged {
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
        }
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
        let original = input.text;
        let folded = Folded::new(original);
        let hits = self.hits(&folded.text, input.lang);
        let first = |cue: Cue| hits.iter().find(|h| h.cue == cue).copied();
        let mut findings = Findings::new(self);
        let add_hit = |findings: &mut Findings, id: FindingId, hit: Option<Hit>| {
            if let Some(hit) = hit {
                let (start, end) = folded.span(hit.start, hit.end);
                findings.add(id, start, end);
            }
        };

        add_hit(&mut findings, FindingId::Greeting, first(Cue::Greeting));
        let (thanks, request_by_thanks) = self.thanks(&folded.text, &hits);
        add_hit(&mut findings, FindingId::Thanks, thanks);
        add_hit(
            &mut findings,
            FindingId::Please,
            first(Cue::Please).or(request_by_thanks),
        );
        let sentence_ranges = sentences(&folded.text);
        let sentence_of = |position: usize| {
            sentence_ranges
                .partition_point(|(_, end)| *end <= position)
                .min(sentence_ranges.len().saturating_sub(1))
        };
        // What each sentence holds, gathered in one pass: the rules below ask it of every hit,
        // and a long sentence full of cues must not cost its length once per hit.
        let mut summaries = vec![SentenceSummary::default(); sentence_ranges.len()];
        for hit in &hits {
            if let Some(summary) = summaries.get_mut(sentence_of(hit.start)) {
                summary.apology |= hit.cue == Cue::Apology;
                summary.request |= hit.cue == Cue::Request;
                // Hits come sorted by start: the first seen is the first.
                if hit.cue == Cue::Negation {
                    summary.first_negation.get_or_insert(hit.start);
                }
            }
        }
        for (summary, (start, end)) in summaries.iter_mut().zip(&sentence_ranges) {
            let text = folded.text.get(*start..*end).unwrap_or("");
            summary.question = text.contains('?');
            summary.first_word = text
                .bytes()
                .position(is_word_byte)
                .map_or(*end, |i| start + i);
        }
        let summary_of = |position: usize| {
            summaries
                .get(sentence_of(position))
                .copied()
                .unwrap_or_default()
        };
        // Where each brand-owned possessive ("notre", "nos") ends, to find the one just before
        // a data noun.
        let own_ends: Vec<usize> = {
            let mut ends: Vec<usize> = hits
                .iter()
                .filter(|h| h.cue == Cue::OwnPossessive)
                .map(|h| h.end)
                .collect();
            ends.sort_unstable();
            ends
        };
        let apology = first(Cue::Apology);
        add_hit(&mut findings, FindingId::Apology, apology);
        let apology_wait = hits
            .iter()
            .find(|h| h.cue == Cue::Wait && summary_of(h.start).apology);
        add_hit(&mut findings, FindingId::ApologyWait, apology_wait.copied());
        add_hit(&mut findings, FindingId::Empathy, first(Cue::Empathy));
        add_hit(
            &mut findings,
            FindingId::Reassurance,
            first(Cue::Reassurance),
        );
        add_hit(&mut findings, FindingId::NextStep, first(Cue::NextStep));
        add_hit(
            &mut findings,
            FindingId::SoftenedRequest,
            first(Cue::Indirect).or(first(Cue::Hedge)),
        );
        let register = self.register(original, &folded, &hits, input.lang);
        if let Some((start, end)) = register.conditional_span {
            findings.add(FindingId::SoftenedRequest, start, end);
        }
        add_hit(&mut findings, FindingId::Goodwill, first(Cue::Deference));
        let dm = first(Cue::Dm);
        add_hit(&mut findings, FindingId::DmInvitation, dm);
        let explains_private = first(Cue::ExplainsPrivate);
        add_hit(&mut findings, FindingId::ExplainsPrivate, explains_private);

        // A request for personal data: a data noun that is not the brand's own ("notre
        // adresse"), in a sentence that asks for something, with no negation before it ("ne
        // communiquez jamais votre mot de passe").
        let asks = hits.iter().find(|noun| {
            if noun.cue != Cue::DataNoun {
                return false;
            }
            let summary = summary_of(noun.start);
            let (s_start, _) = sentence_ranges
                .get(sentence_of(noun.start))
                .copied()
                .unwrap_or((0, 0));
            // Only blanks between the possessive and the noun, within the sentence.
            let before = folded.text.get(..noun.start).unwrap_or("");
            let blanks_from = before.trim_end().len().max(s_start);
            let from = own_ends.partition_point(|end| *end < blanks_from);
            let brand_owned = own_ends.get(from).is_some_and(|end| *end <= noun.start);
            let requested = summary.request || summary.question;
            let negated = summary.first_negation.is_some_and(|n| n < noun.start);
            !brand_owned && requested && !negated
        });
        add_hit(&mut findings, FindingId::AsksPersonalData, asks.copied());
        if input.public && dm.is_none() {
            add_hit(&mut findings, FindingId::PersonalDataPublic, asks.copied());
        }
        let service_line = first(Cue::ServiceLine);
        for found in pii::scan(original, &self.lexicon.role_mailboxes) {
            let id = match found.kind {
                PiiKind::Card => FindingId::CardNumber,
                PiiKind::Iban => FindingId::Iban,
                PiiKind::Phone => FindingId::PhoneNumber,
                PiiKind::Email => FindingId::EmailAddress,
            };
            // "Appelez le 01 23 45 67 89": the brand's line, not a person's.
            let brand_line = found.kind == PiiKind::Phone
                && service_line.is_some_and(|h| folded.span(h.start, h.end).0 < found.start);
            if !brand_line {
                findings.add(id, found.start, found.end);
            }
        }

        if let Some((start, end)) = register.tu_span {
            findings.add(FindingId::Tutoiement, start, end);
        }
        if let Some((start, end)) = register.vous_span {
            findings.add(FindingId::Vouvoiement, start, end);
        }
        if let (Some(tu), Some(vous)) = (register.tu_span, register.vous_span) {
            findings.add(FindingId::AddressMixed, tu.0.min(vous.0), tu.1.max(vous.1));
        }
        let sign_off = signature(original, &folded, &hits);
        match sign_off {
            Some((start, end)) => findings.add(FindingId::Signed, start, end),
            None => findings.add(FindingId::Unsigned, original.len(), original.len()),
        }
        let humour = first(Cue::Humour);
        add_hit(&mut findings, FindingId::Humour, humour);
        add_hit(&mut findings, FindingId::Blame, first(Cue::Blame));
        add_hit(&mut findings, FindingId::Insult, first(Cue::Insult));
        if let Some((start, end)) = register.shouting_span {
            findings.add(FindingId::Shouting, start, end);
        }
        if let Some((start, end)) = register.emphatic_span {
            findings.add(FindingId::Emphatic, start, end);
        }
        // "Pourquoi… ?" asks bluntly; "c'est pourquoi je pense…" explains.
        let blunt = hits.iter().find(|h| {
            h.cue == Cue::DirectQuestion
                && sentence_ranges
                    .get(sentence_of(h.start))
                    .is_some_and(|(_, end)| folded.text[..*end].trim_end().ends_with(['?', '!']))
        });
        add_hit(&mut findings, FindingId::BluntQuestion, blunt.copied());
        add_hit(
            &mut findings,
            FindingId::NegativeWording,
            first(Cue::Negative),
        );
        add_hit(
            &mut findings,
            FindingId::PositiveWording,
            first(Cue::Positive),
        );
        // Openings: "Mais…", "Donc…" retort; "Je…", "Nous…" give the brand a voice.
        let opens_sentence = |h: &&Hit| summary_of(h.start).first_word >= h.start;
        let retort = hits
            .iter()
            .filter(opens_sentence)
            .find(|h| h.cue == Cue::DirectStart)
            .or(hits.iter().find(|h| h.cue == Cue::Factual));
        add_hit(&mut findings, FindingId::BluntOpening, retort.copied());
        let voice = hits
            .iter()
            .filter(opens_sentence)
            .find(|h| h.cue == Cue::FirstPerson);
        add_hit(&mut findings, FindingId::PersonalVoice, voice.copied());

        // The customer's register: matching a familiar customer is fine, being more familiar
        // than a formal or virulent one is not.
        let customer_register = input.customer.map(|message| {
            let folded_customer = Folded::new(message);
            let customer_hits = self.hits(&folded_customer.text, input.lang);
            self.register(message, &folded_customer, &customer_hits, input.lang)
                .reading
        });
        let reading = register.reading;
        if let Some(customer) = customer_register {
            if reading.tutoiement && !customer.tutoiement {
                let (start, end) = register.tu_span.unwrap_or((0, 0));
                findings.add(FindingId::TutoiementUnmatched, start, end);
            }
            let relaxed = reading.familiarity > 0 && !reading.tutoiement;
            if relaxed && (customer.familiarity == 0 || customer.virulent) {
                let (start, end) = register.familiar_span.unwrap_or((0, 0));
                findings.add(FindingId::RegisterTooFamiliar, start, end);
            } else if reading.familiarity > 0 && customer.familiarity > 0 && !customer.virulent {
                let (start, end) = register
                    .familiar_span
                    .or(register.tu_span)
                    .unwrap_or((0, 0));
                findings.add(FindingId::RegisterMatched, start, end);
            }
            if let Some(generic) = self.generic(&folded, input.customer, original) {
                findings.add(FindingId::Generic, generic.0, generic.1);
            }
        }
        if let Some(limit) = input.char_limit {
            let length = original.chars().count();
            if length > limit {
                let cut = original
                    .char_indices()
                    .nth(limit)
                    .map_or(original.len(), |(i, _)| i);
                findings.add(FindingId::OverLimit, cut, original.len());
            }
        }
        // The template of this reply, from the folding and cues already at hand.
        let shape = TemplateShape::of(&template_tokens(self, original, &folded, sign_off));
        let copy_of_text = || {
            input.earlier.iter().any(|earlier| {
                let folded_earlier = Folded::new(earlier);
                let earlier_hits = self.hits(&folded_earlier.text, input.lang);
                let earlier_signature = signature(earlier, &folded_earlier, &earlier_hits);
                shape.is_copy_of(&TemplateShape::of(&template_tokens(
                    self,
                    earlier,
                    &folded_earlier,
                    earlier_signature,
                )))
            })
        };
        if copy::is_copy(&shape, input.seen) || copy_of_text() {
            findings.add(FindingId::Copy, 0, original.len());
        }

        let mentions_care = input.care_handles.iter().any(|handle| {
            let handle = handle.trim();
            !handle.is_empty() && folded.text.contains(&fold(handle))
        });
        findings.finish(ReportParts {
            humour: humour.is_some(),
            explains_private: explains_private.is_some(),
            mentions_care,
            register: reading,
            customer_register,
            shape,
        })
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

    /// The content words of the customer's message that the reply takes up; None when it takes
    /// up none of them (and the customer wrote some).
    fn generic(
        &self,
        reply: &Folded,
        customer: Option<&str>,
        original: &str,
    ) -> Option<(usize, usize)> {
        let customer = Folded::new(customer?);
        let mut customer_stems: Vec<&str> = customer
            .words()
            .map(|(s, e)| &customer.text[s..e])
            .filter(|w| self.is_content_word(w))
            .map(stem)
            .collect();
        if customer_stems.is_empty() {
            return None;
        }
        customer_stems.sort_unstable();
        let shared = reply
            .words()
            .map(|(s, e)| &reply.text[s..e])
            .filter(|w| self.is_content_word(w))
            .any(|w| customer_stems.binary_search(&stem(w)).is_ok());
        (!shared).then_some((0, original.len()))
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

/// What one sentence of a reply holds, for the rules that look at a hit's sentence.
#[derive(Clone, Copy, Debug, Default)]
struct SentenceSummary {
    apology: bool,
    request: bool,
    question: bool,
    /// Where its first negation cue starts.
    first_negation: Option<usize>,
    /// Where its first word starts (its end if it has none).
    first_word: usize,
}
