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

use crate::engine::copy::{self, TemplateShape};
use crate::engine::{Lang, ReplyAnalyser, ReplyContext, ReplyFlags, ReplyReading};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use lexicon::{Cue, FindingId, Lexicon, LexiconError, Severity};
use pii::PiiKind;
use serde::Serialize;
use text::{Folded, emoticon_spans, is_word_byte, sentences};

/// One reply to analyse, with what is known around it.
#[derive(Clone, Copy)]
pub struct ToneInput<'a> {
    pub text: &'a str,
    pub lang: Lang,
    pub public: bool,
    /// The customer message the reply answers.
    pub customer: Option<&'a str>,
    /// The trainee's earlier replies this one could be a copy of, as texts...
    pub earlier: &'a [&'a str],
    /// ...or as the templates already read (`engine::copy::candidates`).
    pub seen: &'a [&'a TemplateShape],
    /// The channel's character limit, when known.
    pub char_limit: Option<usize>,
    /// The brand's customer-care handles ("@Telvia_Client"), to spot a redirection.
    pub care_handles: &'a [&'a str],
}

impl<'a> ToneInput<'a> {
    pub fn new(text: &'a str, lang: Lang) -> ToneInput<'a> {
        ToneInput {
            text,
            lang,
            public: true,
            customer: None,
            earlier: &[],
            seen: &[],
            char_limit: None,
            care_handles: &[],
        }
    }
}

/// The flags of `raleur tone`, with exactly these names (scripts depend on them).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Flags {
    pub greeting: bool,
    pub thanks: bool,
    pub apology: bool,
    pub empathy: bool,
    pub next_step: bool,
    pub dm_invitation: bool,
    pub asks_personal_data: bool,
    pub personal_data_public: bool,
    pub contains_personal_data: bool,
    pub tutoiement: bool,
    pub vouvoiement: bool,
    pub signed: bool,
    pub blame: bool,
    pub insult: bool,
    pub shouting: bool,
}

impl Flags {
    pub const NAMES: [&'static str; 15] = [
        "greeting",
        "thanks",
        "apology",
        "empathy",
        "next_step",
        "dm_invitation",
        "asks_personal_data",
        "personal_data_public",
        "contains_personal_data",
        "tutoiement",
        "vouvoiement",
        "signed",
        "blame",
        "insult",
        "shouting",
    ];

    pub fn get(&self, name: &str) -> Option<bool> {
        Some(match name {
            "greeting" => self.greeting,
            "thanks" => self.thanks,
            "apology" => self.apology,
            "empathy" => self.empathy,
            "next_step" => self.next_step,
            "dm_invitation" => self.dm_invitation,
            "asks_personal_data" => self.asks_personal_data,
            "personal_data_public" => self.personal_data_public,
            "contains_personal_data" => self.contains_personal_data,
            "tutoiement" => self.tutoiement,
            "vouvoiement" => self.vouvoiement,
            "signed" => self.signed,
            "blame" => self.blame,
            "insult" => self.insult,
            "shouting" => self.shouting,
            _ => return None,
        })
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Finding {
    pub id: FindingId,
    /// Byte span of the evidence in the reply.
    pub start: usize,
    pub end: usize,
    pub severity: Severity,
}

/// How familiar a text sounds: 0 formal or neutral, 1 relaxed (emoticons, slang), 2 or more
/// familiar (tutoiement).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct RegisterReading {
    pub familiarity: u8,
    pub tutoiement: bool,
    pub vouvoiement: bool,
    /// Capitals, "!!!", insults: a virulent message calls for a formal answer.
    pub virulent: bool,
}

#[derive(Clone, Debug, PartialEq)]
pub struct ToneReport {
    pub flags: Flags,
    /// Sorted by span, then id.
    pub findings: Vec<Finding>,
    /// 0 to 100, 50 neutral.
    pub politeness: u8,
    pub humour: bool,
    pub explains_private: bool,
    pub mentions_care: bool,
    pub register: RegisterReading,
    pub customer_register: Option<RegisterReading>,
    /// The reply's template, for the copy rule (`engine::copy`).
    pub shape: TemplateShape,
}

impl ToneReport {
    pub fn has(&self, id: FindingId) -> bool {
        self.findings.iter().any(|f| f.id == id)
    }
}

/// A finding with its explanation, as `raleur tone` and `raleur score` print it.
#[derive(Clone, Debug, Serialize)]
pub struct ExplainedFinding<'a> {
    pub id: FindingId,
    /// Byte span `[start, end)` of the evidence in the reply.
    pub span: [usize; 2],
    pub severity: Severity,
    pub message: &'a str,
}

#[derive(Clone, Copy, Debug, Serialize)]
pub struct ToneScores {
    pub politeness: u8,
}

/// One line of `raleur tone --json` / `--jsonl`.
#[derive(Clone, Debug, Serialize)]
pub struct ToneJson<'a> {
    pub scores: ToneScores,
    pub flags: Flags,
    pub findings: Vec<ExplainedFinding<'a>>,
}

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

#[derive(Default)]
struct Register {
    reading: RegisterReading,
    tu_span: Option<(usize, usize)>,
    vous_span: Option<(usize, usize)>,
    familiar_span: Option<(usize, usize)>,
    shouting_span: Option<(usize, usize)>,
    emphatic_span: Option<(usize, usize)>,
    /// A question in the conditional ("pourrais-tu", "auriez-vous"): a softened request.
    conditional_span: Option<(usize, usize)>,
}

struct Address {
    tu: Option<(usize, usize)>,
    vous: Option<(usize, usize)>,
    conditional: Option<(usize, usize)>,
}

/// "!!", "??", "?!": a raised voice.
fn emphatic(original: &str) -> Option<(usize, usize)> {
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
fn address(original: &str, folded: &Folded) -> Address {
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

/// A sign-off: "^Julie", "^JM", "- JM", "/Tanguy", "Cordialement, Julie" at the end.
fn signature(original: &str, folded: &Folded, hits: &[Hit]) -> Option<(usize, usize)> {
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
fn looks_like_name(name: &str) -> bool {
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

fn is_emoji(c: char) -> bool {
    let code = c as u32;
    (0x1F300..=0x1FAFF).contains(&code) || (0x2600..=0x27BF).contains(&code) || code == 0xFE0F
}

/// The words of a reply before its signature, with handles, numbers and names masked.
fn template_tokens(
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

fn fnv(bytes: &[u8]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in bytes {
        hash ^= *byte as u64;
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

struct ReportParts {
    shape: TemplateShape,
    humour: bool,
    explains_private: bool,
    mentions_care: bool,
    register: RegisterReading,
    customer_register: Option<RegisterReading>,
}

/// Findings as they are found: one of each id, its first evidence.
struct Findings<'a> {
    analyser: &'a ToneAnalyser,
    list: Vec<Finding>,
}

impl<'a> Findings<'a> {
    fn new(analyser: &'a ToneAnalyser) -> Findings<'a> {
        Findings {
            analyser,
            list: Vec::with_capacity(12),
        }
    }

    fn add(&mut self, id: FindingId, start: usize, end: usize) {
        if self.list.iter().all(|f| f.id != id) {
            let severity = self.analyser.lexicon.explanation(id).severity;
            self.list.push(Finding {
                id,
                start,
                end,
                severity,
            });
        }
    }

    fn finish(mut self, parts: ReportParts) -> ToneReport {
        let lexicon = &self.analyser.lexicon;
        self.list.sort_by_key(|f| (f.start, f.end, f.id));
        let has = |id| self.list.iter().any(|f| f.id == id);
        let flags = Flags {
            greeting: has(FindingId::Greeting),
            thanks: has(FindingId::Thanks),
            apology: has(FindingId::Apology),
            empathy: has(FindingId::Empathy),
            next_step: has(FindingId::NextStep),
            dm_invitation: has(FindingId::DmInvitation),
            asks_personal_data: has(FindingId::AsksPersonalData),
            personal_data_public: has(FindingId::PersonalDataPublic),
            contains_personal_data: has(FindingId::CardNumber)
                || has(FindingId::Iban)
                || has(FindingId::PhoneNumber)
                || has(FindingId::EmailAddress),
            tutoiement: has(FindingId::Tutoiement),
            vouvoiement: has(FindingId::Vouvoiement),
            signed: has(FindingId::Signed),
            blame: has(FindingId::Blame),
            insult: has(FindingId::Insult),
            shouting: has(FindingId::Shouting),
        };
        let sum: f64 = self
            .list
            .iter()
            .filter_map(|f| lexicon.politeness.weights.get(&f.id))
            .sum();
        let politeness = 50.0 + 50.0 * libm::tanh(sum / lexicon.politeness.scale);
        ToneReport {
            flags,
            findings: self.list,
            politeness: politeness.round().clamp(0.0, 100.0) as u8,
            humour: parts.humour,
            explains_private: parts.explains_private,
            mentions_care: parts.mentions_care,
            register: parts.register,
            customer_register: parts.customer_register,
            shape: parts.shape,
        }
    }
}

/// The analyser as the engine uses it, to make customers react to replies.
impl ReplyAnalyser for ToneAnalyser {
    fn analyse(&self, context: &ReplyContext) -> ReplyReading {
        let report = ToneAnalyser::analyse(
            self,
            &ToneInput {
                text: context.text,
                lang: context.lang,
                public: context.public,
                customer: context.customer_message,
                earlier: &[],
                seen: &[],
                char_limit: None,
                care_handles: context.care_handles,
            },
        );
        let f = report.flags;
        let flags = ReplyFlags {
            greeting: f.greeting,
            thanks: f.thanks,
            apology: f.apology,
            next_step: f.next_step,
            dm_invitation: f.dm_invitation,
            explains_private: report.explains_private,
            asks_personal_data: f.asks_personal_data,
            tutoiement: f.tutoiement,
            vouvoiement: f.vouvoiement,
            signed: f.signed,
            humour: report.humour,
            blame: f.blame || f.insult,
            mentions_care: report.mentions_care,
        };
        ReplyReading {
            flags,
            shape: report.shape,
        }
    }

    fn id(&self) -> String {
        format!("raleur-tone lexicon sha256:{}", self.lexicon_sha256)
    }
}
