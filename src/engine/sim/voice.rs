//! What customers write: a template picked by their situation, written in their voice
//! (`engine::style`), its placeholders filled, the details they give, and the post itself
//! (which may spread and wait for an answer).

use super::MINUTE_MS;
use super::Simulation;
use super::state::Message;
use crate::engine::ids::{CustomerId, MessageId};
use crate::engine::rng::Stream;
use crate::engine::scenario::{Channel, Lang, Level, Template};
use crate::engine::style::{self, Restyle, TypoRate, Voices, Writer};
use crate::engine::template::{Piece, Slot, compile};
use crate::engine::transcript::{Event, PostAct};

impl Simulation {
    /// Picks a template by the customer's situation (anger band, register, persona, request,
    /// whether the brand has replied, public or private), among the most specific that fit,
    /// then writes it in the customer's voice.
    pub(super) fn compose(
        &mut self,
        id: CustomerId,
        templates: &[Template],
        private: bool,
    ) -> String {
        let scenario = &*self.scenario;
        let model = &scenario.model;
        let c = &self.customers[id.index()];
        let level = if c.anger >= model.furious_from {
            Level::Furious
        } else if c.anger >= model.annoyed_from {
            Level::Annoyed
        } else {
            Level::Calm
        };
        let persona = &scenario.personas[c.persona];
        let kind = &scenario.kinds[c.kind].id;
        let answered = c.first_reply_ms.is_some();
        let fits = |t: &Template| {
            t.level.is_none_or(|l| l == level)
                && t.register.is_none_or(|r| r == persona.register)
                && (t.personas.is_empty() || t.personas.contains(&persona.id))
                && (t.kinds.is_empty() || t.kinds.contains(kind))
                && t.answered.is_none_or(|a| a == answered)
                && t.private.is_none_or(|p| p == private)
        };
        let specificity = |t: &Template| {
            [
                t.level.is_some(),
                t.register.is_some(),
                !t.personas.is_empty(),
                !t.kinds.is_empty(),
                t.answered.is_some(),
                t.private.is_some(),
            ]
            .into_iter()
            .filter(|set| *set)
            .count()
        };
        // The most specific that fit (any of the list if none fits), counted, then one drawn.
        let (mut best, mut count) = (None, 0u64);
        for t in templates.iter().filter(|t| fits(t)) {
            let s = specificity(t);
            if best.is_none_or(|b| s > b) {
                (best, count) = (Some(s), 1);
            } else if best == Some(s) {
                count += 1;
            }
        }
        let in_pool = |t: &&Template| best.is_none_or(|b| fits(t) && specificity(t) == b);
        if best.is_none() {
            count = templates.len() as u64;
        }
        if count == 0 {
            return String::new();
        }
        let c = &mut self.customers[id.index()];
        let pick = c.voice.below(count) as usize;
        let Some(template) = templates.iter().filter(in_pool).nth(pick) else {
            return String::new();
        };
        let lang = c.lang;
        let voices = Voices::bundled();
        let style = voices.style(lang, persona.register);
        let how = Restyle {
            rewrite: template.register.is_none(),
            typos: persona.typos.map_or(style.typo_rate, TypoRate::of),
            furious: level == Level::Furious,
        };
        // The voice is set aside while the text is written, so that the placeholders can be
        // filled from the session as it stands.
        let mut voice = std::mem::replace(&mut c.voice, Stream::idle());
        let mut writer = Writer::new(&mut voice, style, persona.register, how);
        self.write_pieces(id, &mut voice, template.pieces(lang), &mut writer);
        let mut text = writer.finish(&mut voice, &voices.styles(lang).exclamations);
        // An empty last alternative may leave a space behind.
        text.truncate(text.trim_end().len());
        if how.rewrite
            && let Some(emoji) = style::emoji_for(&mut voice, &text, style, level)
        {
            text.push(' ');
            text.push_str(emoji);
        }
        let c = &mut self.customers[id.index()];
        // People sign a Facebook comment or a private message, not a tweet.
        let signs_here = private || c.channel == Channel::Facebook;
        if signs_here
            && voice.chance(persona.signs.unwrap_or(style.signs))
            && let Some(sign_off) = style::pick(&mut voice, &style.sign_offs)
        {
            text.push('\n');
            text.push_str(sign_off);
            text.push(' ');
            text.push_str(&c.name);
        }
        c.voice = voice;
        text
    }

    /// A scripted post, as written: its alternatives drawn from the customer's voice, its
    /// placeholders filled, no style.
    pub(super) fn write(&mut self, id: CustomerId, raw: &str) -> String {
        let pieces = compile(raw, self.customers[id.index()].lang);
        let mut voice = std::mem::replace(&mut self.customers[id.index()].voice, Stream::idle());
        let mut text = String::with_capacity(raw.len() + 32);
        self.write_plain(id, &mut voice, &pieces, &mut text);
        self.customers[id.index()].voice = voice;
        text
    }

    /// Pieces written in a style: alternatives drawn, literals styled, placeholders filled.
    fn write_pieces(
        &self,
        id: CustomerId,
        voice: &mut Stream,
        pieces: &[Piece],
        writer: &mut Writer,
    ) {
        for piece in pieces {
            match piece {
                Piece::Text(literal) => writer.literal(voice, literal),
                Piece::Slot(slot) => self.fill_slot(id, slot, &mut writer.out),
                Piece::Choice(parts) => {
                    let pick = voice.below(parts.len() as u64) as usize;
                    if let Some(part) = parts.get(pick) {
                        self.write_pieces(id, voice, part, writer);
                    }
                }
            }
        }
    }

    /// Pieces written as they are: alternatives drawn, placeholders filled.
    fn write_plain(&self, id: CustomerId, voice: &mut Stream, pieces: &[Piece], text: &mut String) {
        for piece in pieces {
            match piece {
                Piece::Text(literal) => text.push_str(&literal.text),
                Piece::Slot(slot) => self.fill_slot(id, slot, text),
                Piece::Choice(parts) => {
                    let pick = voice.below(parts.len() as u64) as usize;
                    if let Some(part) = parts.get(pick) {
                        self.write_plain(id, voice, part, text);
                    }
                }
            }
        }
    }

    /// Writes the value of one placeholder.
    fn fill_slot(&self, id: CustomerId, slot: &Slot, text: &mut String) {
        use std::fmt::Write;
        let c = &self.customers[id.index()];
        let brand = &self.scenario.brand;
        let (care, corporate) = match c.channel {
            Channel::Twitter => (&brand.care.twitter, &brand.corporate.twitter),
            Channel::Facebook => (&brand.care.facebook, &brand.corporate.facebook),
        };
        // Writing to a String cannot fail.
        match slot {
            Slot::Brand => text.push_str(&brand.name),
            Slot::Care => text.push_str(care),
            Slot::Corporate => text.push_str(corporate),
            Slot::Competitor => text.push_str(&brand.competitor_handle),
            Slot::Handle => text.push_str(&c.handle),
            Slot::Wait => {
                let waited_min = c.waiting_since.map_or(0, |s| (self.now_ms - s) / MINUTE_MS);
                let _ = if waited_min >= 120 {
                    write!(text, "{} h", waited_min / 60)
                } else {
                    write!(text, "{} min", waited_min.max(1))
                };
            }
            Slot::Name => text.push_str(&c.name),
            Slot::FirstName => text.push_str(c.name.split(' ').next().unwrap_or_default()),
            Slot::Amount => {
                let _ = match c.lang {
                    Lang::Fr => write!(text, "{} €", c.amount_eur),
                    Lang::En => write!(text, "€{}", c.amount_eur),
                };
            }
            Slot::Detail => {
                let kind = &self.scenario.kinds[c.kind];
                let detail = kind
                    .needed_details
                    .first()
                    .and_then(|id| self.scenario.details.iter().find(|d| d.id == *id))
                    .or(self.scenario.details.first());
                if let Some(detail) = detail {
                    text.push_str(detail.label.get(c.lang));
                }
            }
            Slot::TimeOfDay => text.push_str(self.clock.part_of_day(self.now_ms).said(c.lang)),
            Slot::SinceFirst => self.clock.since(c.arrived_ms, self.now_ms, c.lang, text),
            Slot::ReplyAgo => {
                let since = c.last_reply_ms.unwrap_or(c.arrived_ms);
                self.clock.since(since, self.now_ms, c.lang, text);
            }
            Slot::Details => {
                let given = self
                    .scenario
                    .details
                    .iter()
                    .enumerate()
                    .filter_map(|(i, d)| c.detail_value(i).map(|v| (d.label.get(c.lang), v)));
                for (n, (label, value)) in given.enumerate() {
                    let separator = if n == 0 { "" } else { ", " };
                    let _ = write!(text, "{separator}{label} {value}");
                }
            }
        }
    }

    pub(super) fn post(
        &mut self,
        id: CustomerId,
        act: PostAct,
        private: bool,
        templates: &[Template],
        provides: u64,
    ) {
        self.give_details(id, provides);
        let text = self.compose(id, templates, private);
        self.post_text(id, act, private, text, provides);
    }

    pub(super) fn give_details(&mut self, id: CustomerId, provides: u64) {
        let patterns: Vec<(usize, String)> = self
            .scenario
            .details
            .iter()
            .enumerate()
            .filter(|(i, _)| provides & (1 << i) != 0)
            .map(|(i, d)| (i, d.pattern.clone()))
            .collect();
        let c = &mut self.customers[id.index()];
        for (index, pattern) in patterns {
            if c.details[index].is_none() {
                let value = pattern
                    .chars()
                    .map(|ch| {
                        if ch == '#' {
                            char::from(b'0' + c.rng.below(10) as u8)
                        } else {
                            ch
                        }
                    })
                    .collect();
                c.details[index] = Some(value);
            }
        }
        c.provided |= provides;
    }

    pub(super) fn post_text(
        &mut self,
        id: CustomerId,
        act: PostAct,
        private: bool,
        text: String,
        provides: u64,
    ) {
        let message = MessageId(self.messages.len() as u32);
        let anger = self.anger_u8(id);
        let now = self.now_ms;
        self.messages.push(Message {
            id: message,
            customer: Some(id),
            conversation: id,
            private,
            act: Some(act),
            text: text.clone(),
            t_ms: now,
            anger,
            hidden: false,
            liked: false,
            personal_data: !private && provides != 0,
            shape: None,
        });
        let details = self.detail_ids(provides);
        let c = &mut self.customers[id.index()];
        c.messages.push(message);
        c.posts += 1;
        match act {
            PostAct::Shame => c.shamed = true,
            a if a.is_escalation() => c.escalated = true,
            _ => {}
        }
        self.record(Event::Post {
            customer: id,
            message,
            private,
            act,
            text,
            anger,
            details,
        });
        if !private
            && !matches!(
                act,
                PostAct::ThanksPublic
                    | PostAct::Acknowledged
                    | PostAct::DmAccept
                    | PostAct::Redirected
            )
        {
            self.spread(id, message, anger, act == PostAct::Shame);
        }
        if act.needs_answer() {
            self.start_waiting(id);
        }
    }
}

#[cfg(test)]
mod tests {
    use crate::engine::ids::CustomerId;
    use crate::engine::scenario::{Channel, Register, Template};
    use crate::engine::sim::{SessionConfig, Simulation};
    use std::sync::Arc;

    /// The guide's example with one scripted customer at minute 0 (formal, on Facebook, who
    /// never mistypes nor signs unless told), arrived.
    fn guide_sim(persona: &str) -> Simulation {
        let guide = include_str!("../../../docs/scenarios.md");
        let start = guide.find("```ron\n").expect("an example") + "```ron\n".len();
        let end = start + guide[start..].find("```").expect("closed");
        let source = guide[start..end]
            .replace(
                "weight: 1, register: neutral, handles: [\"alex_r\", \"nina_b\"],",
                &format!("weight: 1, {persona}"),
            )
            .replace(
                "twitter_share: 0.6),\n        ],",
                "twitter_share: 0.6),\n        ],\n        scripted: [(at_min: 0, persona: \"customer\", kind: \"locked_parcel\", channel: facebook)],",
            );
        let scenario = crate::engine::parse_scenario(&source, "guide.ron").expect("valid");
        let config = SessionConfig {
            seed: 1,
            lang: crate::engine::scenario::Lang::Fr,
            customers_target: None,
        };
        let analyser = Arc::new(crate::tone::ToneAnalyser::bundled());
        let mut sim = Simulation::new(Arc::new(scenario), config, analyser).expect("starts");
        sim.advance_to(1);
        assert_eq!(sim.customers.len(), 1);
        sim
    }

    const FORMAL: &str = "register: formal, typos: Some(0.0), signs: Some(0.0),";

    fn template(fr: &str) -> Template {
        Template {
            level: None,
            register: None,
            personas: Vec::new(),
            kinds: Vec::new(),
            answered: None,
            private: None,
            fr: fr.into(),
            en: fr.into(),
            compiled: Default::default(),
        }
    }

    #[test]
    fn the_most_specific_text_that_fits_the_situation_is_written() {
        let mut sim = guide_sim(FORMAL);
        let id = CustomerId(0);
        let for_persona = Template {
            personas: vec!["customer".into()],
            ..template("persona")
        };
        let other_kind = Template {
            kinds: vec!["when_fixed".into()],
            ..template("other kind")
        };
        let both = Template {
            kinds: vec!["locked_parcel".into()],
            personas: vec!["customer".into()],
            ..template("persona and kind")
        };
        let list = [template("any"), for_persona.clone(), other_kind.clone()];
        assert_eq!(sim.compose(id, &list, false), "persona");
        assert_eq!(
            sim.compose(id, &[for_persona, both], false),
            "persona and kind"
        );
        // Nothing fits: anything is better than silence.
        assert_eq!(sim.compose(id, &[other_kind], false), "other kind");

        let answered = Template {
            answered: Some(true),
            ..template("after a reply")
        };
        let unanswered = Template {
            answered: Some(false),
            ..template("before any reply")
        };
        let pair = [answered, unanswered];
        assert_eq!(sim.compose(id, &pair, false), "before any reply");
        sim.customers[0].first_reply_ms = Some(1);
        assert_eq!(sim.compose(id, &pair, false), "after a reply");

        let private = Template {
            private: Some(true),
            ..template("in private")
        };
        let public = Template {
            private: Some(false),
            ..template("in public")
        };
        let places = [private, public];
        assert_eq!(sim.compose(id, &places, true), "in private");
        assert_eq!(sim.compose(id, &places, false), "in public");
    }

    #[test]
    fn slots_say_the_amount_the_detail_the_time_and_the_earlier_reply() {
        let mut sim = guide_sim(FORMAL);
        let id = CustomerId(0);
        let written = |sim: &mut Simulation, text: &str| sim.compose(id, &[template(text)], false);
        let name = sim.customers[0].name.clone();
        let first = name.split(' ').next().unwrap().to_string();
        assert_eq!(
            written(&mut sim, "{name}|{first_name}"),
            format!("{name}|{first}")
        );
        let amount = sim.customers[0].amount_eur;
        assert!((15..=120).contains(&amount), "{amount}");
        assert_eq!(written(&mut sim, "{amount}"), format!("{amount} €"));
        assert_eq!(written(&mut sim, "mon {detail}"), "mon numéro de colis");
        // The example starts at 9:00.
        assert_eq!(written(&mut sim, "{time_of_day}"), "ce matin");
        sim.now_ms = 2 * 60_000;
        assert_eq!(written(&mut sim, "{since_first}"), "il y a 2 min");
        // Never replied: the earlier reply reads as the first message.
        assert_eq!(written(&mut sim, "{reply_ago}"), "il y a 2 min");
        sim.customers[0].last_reply_ms = Some(60_000);
        sim.now_ms = 11 * 60_000;
        assert_eq!(written(&mut sim, "{reply_ago}"), "il y a 10 min");
        sim.now_ms = 4 * 60 * 60_000;
        assert_eq!(written(&mut sim, "{time_of_day}"), "cet après-midi");
        assert_eq!(written(&mut sim, "écrit {since_first}"), "écrit ce matin");
    }

    #[test]
    fn a_customer_writes_in_their_register_and_signs_where_people_sign() {
        let teen = guide_sim("register: teen, typos: Some(0.0),");
        let mut teen = teen;
        assert_eq!(teen.scenario.personas[0].register, Register::Teen);
        let said = teen.compose(
            CustomerId(0),
            &[template("Pourquoi c'est déjà coupé ?")],
            false,
        );
        assert!(
            said.starts_with("pourquoi") || said.starts_with("pk"),
            "{said}"
        );
        assert!(!said.contains('é') && !said.contains('P'), "{said}");
        // A text written for the register is in its voice already.
        let own = Template {
            register: Some(Register::Teen),
            ..template("Déjà")
        };
        assert!(
            teen.compose(CustomerId(0), &[own], false)
                .starts_with("Déjà")
        );

        let mut formal = guide_sim("register: formal, typos: Some(0.0), signs: Some(1.0),");
        let name = formal.customers[0].name.clone();
        let signed = formal.compose(CustomerId(0), &[template("Merci.")], false);
        assert!(
            signed.starts_with("Merci.\n") && signed.ends_with(&name),
            "{signed}"
        );
        formal.customers[0].channel = Channel::Twitter;
        assert_eq!(
            formal.compose(CustomerId(0), &[template("Merci.")], false),
            "Merci."
        );
        // In private, people sign on either network.
        assert!(
            formal
                .compose(CustomerId(0), &[template("Merci.")], true)
                .ends_with(&name)
        );
    }

    #[test]
    fn a_scripted_post_is_posted_as_written() {
        let mut sim = guide_sim("register: teen, typos: Some(1.0),");
        assert_eq!(
            sim.write(CustomerId(0), "Pourquoi {brand} ?"),
            "Pourquoi Casier+ ?"
        );
    }

    #[test]
    fn alternatives_are_drawn_and_plain_text_draws_nothing() {
        let mut sim = guide_sim(FORMAL);
        let seen: std::collections::BTreeSet<String> = (0..200)
            .map(|_| sim.write(CustomerId(0), "[Bonjour|Salut], [|vraiment ]déçu."))
            .collect();
        let expected: std::collections::BTreeSet<String> = [
            "Bonjour, déçu.",
            "Bonjour, vraiment déçu.",
            "Salut, déçu.",
            "Salut, vraiment déçu.",
        ]
        .into_iter()
        .map(String::from)
        .collect();
        assert_eq!(seen, expected);
        // A plain text leaves the voice as it was.
        let (mut a, mut b) = (guide_sim(FORMAL), guide_sim(FORMAL));
        assert_eq!(a.write(CustomerId(0), "Bonjour {brand}"), "Bonjour Casier+");
        assert_eq!(
            a.customers[0].voice.below(1_000_000),
            b.customers[0].voice.below(1_000_000)
        );
    }
}
