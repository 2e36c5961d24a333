//! One reply under analysis: its folding, its cues and its sentences, gathered once, and one
//! method per kind of finding (courtesy, personal data, register, wording, the customer's
//! register, limits and copies).

use super::address::Register;
use super::findings::{Findings, ReportParts};
use super::lexicon::{Cue, FindingId};
use super::pii::{self, PiiKind};
use super::template::{signature, template_tokens};
use super::text::{Folded, is_word_byte, sentences};
use super::{Hit, ToneAnalyser, ToneInput, ToneReport, fold};
use crate::engine::copy::{self, TemplateShape};

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

pub(super) struct Draft<'a> {
    analyser: &'a ToneAnalyser,
    input: &'a ToneInput<'a>,
    folded: Folded,
    hits: Vec<Hit>,
    sentence_ranges: Vec<(usize, usize)>,
    summaries: Vec<SentenceSummary>,
    /// Where each brand-owned possessive ("notre", "nos") ends, to find the one just before
    /// a data noun.
    own_ends: Vec<usize>,
    register: Register,
    findings: Findings<'a>,
}

impl<'a> Draft<'a> {
    pub(super) fn new(analyser: &'a ToneAnalyser, input: &'a ToneInput<'a>) -> Draft<'a> {
        let folded = Folded::new(input.text);
        let hits = analyser.hits(&folded.text, input.lang);
        let sentence_ranges = sentences(&folded.text);
        let mut own_ends: Vec<usize> = hits
            .iter()
            .filter(|h| h.cue == Cue::OwnPossessive)
            .map(|h| h.end)
            .collect();
        own_ends.sort_unstable();
        let register = analyser.register(input.text, &folded, &hits, input.lang);
        let mut draft = Draft {
            analyser,
            input,
            folded,
            hits,
            summaries: Vec::new(),
            sentence_ranges,
            own_ends,
            register,
            findings: Findings::new(analyser),
        };
        draft.summaries = draft.summarise_sentences();
        draft
    }

    /// Every finding, then the report.
    pub(super) fn report(mut self) -> ToneReport {
        self.courtesy();
        self.personal_data();
        self.address();
        let sign_off = signature(self.input.text, &self.folded, &self.hits);
        match sign_off {
            Some((start, end)) => self.findings.add(FindingId::Signed, start, end),
            None => {
                let end = self.input.text.len();
                self.findings.add(FindingId::Unsigned, end, end);
            }
        }
        let humour = self.first(Cue::Humour);
        self.add_hit(FindingId::Humour, humour);
        self.wording();
        let customer_register = self.customer_register();
        self.over_limit();
        let shape = self.copy(sign_off);
        let mentions_care = self.input.care_handles.iter().any(|handle| {
            let handle = handle.trim();
            !handle.is_empty() && self.folded.text.contains(&fold(handle))
        });
        let parts = ReportParts {
            humour: humour.is_some(),
            explains_private: self.first(Cue::ExplainsPrivate).is_some(),
            mentions_care,
            register: self.register.reading,
            customer_register,
            shape,
        };
        self.findings.finish(parts)
    }

    /// What each sentence holds, gathered in one pass: the rules ask it of every hit, and a
    /// long sentence full of cues must not cost its length once per hit.
    fn summarise_sentences(&self) -> Vec<SentenceSummary> {
        let mut summaries = vec![SentenceSummary::default(); self.sentence_ranges.len()];
        for hit in &self.hits {
            if let Some(summary) = summaries.get_mut(self.sentence_of(hit.start)) {
                summary.apology |= hit.cue == Cue::Apology;
                summary.request |= hit.cue == Cue::Request;
                // Hits come sorted by start: the first seen is the first.
                if hit.cue == Cue::Negation {
                    summary.first_negation.get_or_insert(hit.start);
                }
            }
        }
        for (summary, (start, end)) in summaries.iter_mut().zip(&self.sentence_ranges) {
            let text = self.folded.text.get(*start..*end).unwrap_or("");
            summary.question = text.contains('?');
            summary.first_word = text
                .bytes()
                .position(is_word_byte)
                .map_or(*end, |i| start + i);
        }
        summaries
    }

    fn first(&self, cue: Cue) -> Option<Hit> {
        self.hits.iter().find(|h| h.cue == cue).copied()
    }

    fn add_hit(&mut self, id: FindingId, hit: Option<Hit>) {
        if let Some(hit) = hit {
            let (start, end) = self.folded.span(hit.start, hit.end);
            self.findings.add(id, start, end);
        }
    }

    fn add_span(&mut self, id: FindingId, span: Option<(usize, usize)>) {
        if let Some((start, end)) = span {
            self.findings.add(id, start, end);
        }
    }

    fn sentence_of(&self, position: usize) -> usize {
        self.sentence_ranges
            .partition_point(|(_, end)| *end <= position)
            .min(self.sentence_ranges.len().saturating_sub(1))
    }

    fn summary_of(&self, position: usize) -> SentenceSummary {
        self.summaries
            .get(self.sentence_of(position))
            .copied()
            .unwrap_or_default()
    }

    /// Greeting, thanks, please, apology, empathy, reassurance, next step, softened request,
    /// goodwill, invitation to private messages and why.
    fn courtesy(&mut self) {
        self.add_hit(FindingId::Greeting, self.first(Cue::Greeting));
        let (thanks, request_by_thanks) = self.analyser.thanks(&self.folded.text, &self.hits);
        self.add_hit(FindingId::Thanks, thanks);
        self.add_hit(
            FindingId::Please,
            self.first(Cue::Please).or(request_by_thanks),
        );
        self.add_hit(FindingId::Apology, self.first(Cue::Apology));
        let apology_wait = self
            .hits
            .iter()
            .find(|h| h.cue == Cue::Wait && self.summary_of(h.start).apology)
            .copied();
        self.add_hit(FindingId::ApologyWait, apology_wait);
        self.add_hit(FindingId::Empathy, self.first(Cue::Empathy));
        self.add_hit(FindingId::Reassurance, self.first(Cue::Reassurance));
        self.add_hit(FindingId::NextStep, self.first(Cue::NextStep));
        self.add_hit(
            FindingId::SoftenedRequest,
            self.first(Cue::Indirect).or(self.first(Cue::Hedge)),
        );
        self.add_span(FindingId::SoftenedRequest, self.register.conditional_span);
        self.add_hit(FindingId::Goodwill, self.first(Cue::Deference));
        self.add_hit(FindingId::DmInvitation, self.first(Cue::Dm));
        self.add_hit(FindingId::ExplainsPrivate, self.first(Cue::ExplainsPrivate));
    }

    /// A request for personal data: a data noun that is not the brand's own ("notre
    /// adresse"), in a sentence that asks for something, with no negation before it ("ne
    /// communiquez jamais votre mot de passe"); and the numbers and addresses written out.
    fn personal_data(&mut self) {
        let asks = self
            .hits
            .iter()
            .find(|noun| noun.cue == Cue::DataNoun && self.asks_for(noun))
            .copied();
        self.add_hit(FindingId::AsksPersonalData, asks);
        if self.input.public && self.first(Cue::Dm).is_none() {
            self.add_hit(FindingId::PersonalDataPublic, asks);
        }
        let service_line = self.first(Cue::ServiceLine);
        let original = self.input.text;
        for found in pii::scan(original, &self.analyser.lexicon.role_mailboxes) {
            let id = match found.kind {
                PiiKind::Card => FindingId::CardNumber,
                PiiKind::Iban => FindingId::Iban,
                PiiKind::Phone => FindingId::PhoneNumber,
                PiiKind::Email => FindingId::EmailAddress,
            };
            // "Appelez le 01 23 45 67 89": the brand's line, not a person's.
            let brand_line = found.kind == PiiKind::Phone
                && service_line.is_some_and(|h| self.folded.span(h.start, h.end).0 < found.start);
            if !brand_line {
                self.findings.add(id, found.start, found.end);
            }
        }
    }

    fn asks_for(&self, noun: &Hit) -> bool {
        let summary = self.summary_of(noun.start);
        let (s_start, _) = self
            .sentence_ranges
            .get(self.sentence_of(noun.start))
            .copied()
            .unwrap_or((0, 0));
        // Only blanks between the possessive and the noun, within the sentence.
        let before = self.folded.text.get(..noun.start).unwrap_or("");
        let blanks_from = before.trim_end().len().max(s_start);
        let from = self.own_ends.partition_point(|end| *end < blanks_from);
        let brand_owned = self
            .own_ends
            .get(from)
            .is_some_and(|end| *end <= noun.start);
        let requested = summary.request || summary.question;
        let negated = summary.first_negation.is_some_and(|n| n < noun.start);
        !brand_owned && requested && !negated
    }

    /// Tu or vous, and both at once.
    fn address(&mut self) {
        let (tu, vous) = (self.register.tu_span, self.register.vous_span);
        self.add_span(FindingId::Tutoiement, tu);
        self.add_span(FindingId::Vouvoiement, vous);
        if let (Some(tu), Some(vous)) = (tu, vous) {
            self.findings
                .add(FindingId::AddressMixed, tu.0.min(vous.0), tu.1.max(vous.1));
        }
    }

    /// Blame, insults, shouting, emphasis, blunt questions and openings, negative or
    /// positive wording, the brand's own voice.
    fn wording(&mut self) {
        self.add_hit(FindingId::Blame, self.first(Cue::Blame));
        self.add_hit(FindingId::Insult, self.first(Cue::Insult));
        self.add_span(FindingId::Shouting, self.register.shouting_span);
        self.add_span(FindingId::Emphatic, self.register.emphatic_span);
        // "Pourquoi… ?" asks bluntly; "c'est pourquoi je pense…" explains.
        let blunt = self
            .hits
            .iter()
            .find(|h| {
                h.cue == Cue::DirectQuestion
                    && self
                        .sentence_ranges
                        .get(self.sentence_of(h.start))
                        .and_then(|(_, end)| self.folded.text.get(..*end))
                        .is_some_and(|text| text.trim_end().ends_with(['?', '!']))
            })
            .copied();
        self.add_hit(FindingId::BluntQuestion, blunt);
        self.add_hit(FindingId::NegativeWording, self.first(Cue::Negative));
        self.add_hit(FindingId::PositiveWording, self.first(Cue::Positive));
        // Openings: "Mais…", "Donc…" retort; "Je…", "Nous…" give the brand a voice.
        let opens_sentence = |h: &&Hit| self.summary_of(h.start).first_word >= h.start;
        let retort = self
            .hits
            .iter()
            .filter(opens_sentence)
            .find(|h| h.cue == Cue::DirectStart)
            .or(self.hits.iter().find(|h| h.cue == Cue::Factual))
            .copied();
        let voice = self
            .hits
            .iter()
            .filter(opens_sentence)
            .find(|h| h.cue == Cue::FirstPerson)
            .copied();
        self.add_hit(FindingId::BluntOpening, retort);
        self.add_hit(FindingId::PersonalVoice, voice);
    }

    /// The customer's register: matching a familiar customer is fine, being more familiar
    /// than a formal or virulent one is not; and a reply that could answer anyone.
    fn customer_register(&mut self) -> Option<super::RegisterReading> {
        let input = self.input;
        let message = input.customer?;
        // Folded once for both readers of the customer's words: their register and the
        // words a specific reply shares with them.
        let folded_customer = Folded::new(message);
        let customer_hits = self.analyser.hits(&folded_customer.text, input.lang);
        let customer = self
            .analyser
            .register(message, &folded_customer, &customer_hits, input.lang)
            .reading;
        let reading = self.register.reading;
        let nowhere = (0, 0);
        if reading.tutoiement && !customer.tutoiement {
            let (start, end) = self.register.tu_span.unwrap_or(nowhere);
            self.findings
                .add(FindingId::TutoiementUnmatched, start, end);
        }
        let relaxed = reading.familiarity > 0 && !reading.tutoiement;
        if relaxed && (customer.familiarity == 0 || customer.virulent) {
            let (start, end) = self.register.familiar_span.unwrap_or(nowhere);
            self.findings
                .add(FindingId::RegisterTooFamiliar, start, end);
        } else if reading.familiarity > 0 && customer.familiarity > 0 && !customer.virulent {
            let (start, end) = self
                .register
                .familiar_span
                .or(self.register.tu_span)
                .unwrap_or(nowhere);
            self.findings.add(FindingId::RegisterMatched, start, end);
        }
        if customer.familiarity == 0 {
            self.formal_greeting_only();
        }
        let generic = self.analyser.generic(
            &self.folded,
            &folded_customer,
            input.customer_earlier,
            input.text,
        );
        self.add_span(FindingId::Generic, generic);
        Some(customer)
    }

    /// To a customer who writes formally, "salut" or "coucou" is familiar, not a polite
    /// greeting: the greeting counts only if the reply has a greeting that is not familiar.
    fn formal_greeting_only(&mut self) {
        let familiar_at = |start: usize| {
            self.hits
                .iter()
                .any(|h| h.cue == Cue::Familiar && h.start == start)
        };
        let Some(greeting) = self.findings.get(FindingId::Greeting) else {
            return;
        };
        if !familiar_at(greeting.start) {
            return;
        }
        let formal = self
            .hits
            .iter()
            .find(|h| h.cue == Cue::Greeting && !familiar_at(h.start))
            .map(|h| (h.start, h.end));
        self.findings.remove(FindingId::Greeting);
        if let Some((start, end)) = formal {
            self.findings.add(FindingId::Greeting, start, end);
        }
    }

    /// Longer than the place allows: the part past the limit.
    fn over_limit(&mut self) {
        let original = self.input.text;
        if let Some(limit) = self.input.char_limit
            && original.chars().count() > limit
        {
            let cut = original
                .char_indices()
                .nth(limit)
                .map_or(original.len(), |(i, _)| i);
            self.findings.add(FindingId::OverLimit, cut, original.len());
        }
    }

    /// The template of this reply, from the folding and cues already at hand, and whether it
    /// copies one the customer has seen (`engine::copy`) or one of the earlier texts given.
    fn copy(&mut self, sign_off: Option<(usize, usize)>) -> TemplateShape {
        let analyser = self.analyser;
        let input = self.input;
        let shape = TemplateShape::of(&template_tokens(
            analyser,
            input.text,
            &self.folded,
            sign_off,
        ));
        let copy_of_text = || {
            input.earlier.iter().any(|earlier| {
                let folded_earlier = Folded::new(earlier);
                let earlier_hits = analyser.hits(&folded_earlier.text, input.lang);
                let earlier_signature = signature(earlier, &folded_earlier, &earlier_hits);
                shape.is_copy_of(&TemplateShape::of(&template_tokens(
                    analyser,
                    earlier,
                    &folded_earlier,
                    earlier_signature,
                )))
            })
        };
        if copy::is_copy(&shape, input.seen) || copy_of_text() {
            self.findings.add(FindingId::Copy, 0, input.text.len());
        }
        shape
    }
}
