//! What customers write: a template picked by anger band and register, its placeholders
//! filled, the details they give, and the post itself (which may spread and wait for an answer).

use super::MINUTE_MS;
use super::Simulation;
use super::state::Message;
use crate::engine::ids::{CustomerId, MessageId};
use crate::engine::scenario::{Channel, Lang, Level, Register, Template};
use crate::engine::transcript::{Event, PostAct};

impl Simulation {
    /// Picks a template by the customer's anger band and register, then fills it in.
    pub(super) fn compose(&mut self, id: CustomerId, templates: &[Template]) -> String {
        let model = &self.scenario.model;
        let c = &self.customers[id.index()];
        let level = if c.anger >= model.furious_from {
            Level::Furious
        } else if c.anger >= model.annoyed_from {
            Level::Annoyed
        } else {
            Level::Calm
        };
        let register = self.scenario.personas[c.persona].register;
        let fits = |t: &Template| {
            t.level.is_none_or(|l| l == level) && t.register.is_none_or(|r| r == register)
        };
        let specificity = |t: &Template| t.level.is_some() as u8 + t.register.is_some() as u8;
        let best = templates.iter().filter(|t| fits(t)).map(specificity).max();
        let pool: Vec<&Template> = match best {
            Some(best) => templates
                .iter()
                .filter(|t| fits(t) && specificity(t) == best)
                .collect(),
            None => templates.iter().collect(),
        };
        if pool.is_empty() {
            return String::new();
        }
        let c = &mut self.customers[id.index()];
        let template = pool[c.rng.below(pool.len() as u64) as usize];
        let raw = if c.lang == Lang::Fr {
            &template.fr
        } else {
            &template.en
        };
        let mut text = self.write(id, raw);
        if template.register.is_none() {
            text = decorate(text, register, level);
        }
        text
    }

    /// A customer's text from its template: alternatives drawn from the customer's
    /// generator, then placeholders filled.
    pub(super) fn write(&mut self, id: CustomerId, raw: &str) -> String {
        let rng = &mut self.customers[id.index()].rng;
        let chosen = choose_alternatives(rng, raw);
        self.fill(id, &chosen)
    }

    /// Fills a template's placeholders in one pass: what a value contains is never read as a
    /// placeholder, and an unknown one is left as written.
    pub(super) fn fill(&self, id: CustomerId, raw: &str) -> String {
        let mut text = String::with_capacity(raw.len() + 32);
        let mut rest = raw;
        while let Some(open) = rest.find('{') {
            text.push_str(&rest[..open]);
            let after = &rest[open..];
            let placeholder = after.find('}').map(|close| &after[..=close]);
            match placeholder {
                Some(placeholder) if self.fill_placeholder(id, placeholder, &mut text) => {
                    rest = &after[placeholder.len()..];
                }
                _ => {
                    text.push('{');
                    rest = &after[1..];
                }
            }
        }
        text.push_str(rest);
        text
    }

    /// Writes the value of one placeholder (`{brand}`); false if there is no such placeholder.
    fn fill_placeholder(&self, id: CustomerId, placeholder: &str, text: &mut String) -> bool {
        use std::fmt::Write;
        let c = &self.customers[id.index()];
        let brand = &self.scenario.brand;
        let (care, corporate) = match c.channel {
            Channel::Twitter => (&brand.care.twitter, &brand.corporate.twitter),
            Channel::Facebook => (&brand.care.facebook, &brand.corporate.facebook),
        };
        match placeholder {
            "{brand}" => text.push_str(&brand.name),
            "{care}" => text.push_str(care),
            "{corporate}" => text.push_str(corporate),
            "{competitor}" => text.push_str(&brand.competitor_handle),
            "{handle}" => text.push_str(&c.handle),
            "{wait}" => {
                let waited_min = c.waiting_since.map_or(0, |s| (self.now_ms - s) / MINUTE_MS);
                // Writing to a String cannot fail.
                let _ = if waited_min >= 120 {
                    write!(text, "{} h", waited_min / 60)
                } else {
                    write!(text, "{} min", waited_min.max(1))
                };
            }
            "{details}" => {
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
            _ => return false,
        }
        true
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
        let text = self.compose(id, templates);
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

/// Adds the register's cues to a template written for any register.
fn decorate(text: String, register: Register, level: Level) -> String {
    match (register, level) {
        (Register::Teen, Level::Furious) => format!("{} 😡😡", text.to_uppercase()),
        (Register::Teen, Level::Annoyed) => format!("{text} 😤"),
        (Register::Teen, Level::Calm) => format!("{text} 🙂"),
        (Register::Familiar, Level::Furious) => format!("{text} !!!"),
        _ => text,
    }
}

/// A template's alternatives chosen: each `[a|b|c]` becomes one of its parts, drawn from the
/// customer's generator (`[|, vraiment]` is an optional part). A text without brackets is
/// returned as written and draws nothing, so plain templates play as they always have.
/// Brackets are checked at load (`load::checker`): balanced, not nested.
fn choose_alternatives<'t>(
    rng: &mut crate::engine::rng::Stream,
    raw: &'t str,
) -> std::borrow::Cow<'t, str> {
    if !raw.contains('[') {
        return std::borrow::Cow::Borrowed(raw);
    }
    let mut text = String::with_capacity(raw.len());
    let mut rest = raw;
    while let Some(open) = rest.find('[') {
        text.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let Some(close) = after.find(']') else {
            // Refused at load; written as is should one come through.
            text.push_str(&rest[open..]);
            return std::borrow::Cow::Owned(text);
        };
        let parts: Vec<&str> = after[..close].split('|').collect();
        let pick = rng.below(parts.len() as u64) as usize;
        text.push_str(parts.get(pick).copied().unwrap_or(""));
        rest = &after[close + 1..];
    }
    text.push_str(rest);
    std::borrow::Cow::Owned(text)
}

#[cfg(test)]
mod tests {
    use super::choose_alternatives;
    use crate::engine::rng::Stream;

    #[test]
    fn alternatives_are_drawn_and_plain_text_draws_nothing() {
        let mut seen = std::collections::BTreeSet::new();
        for index in 0..200 {
            let mut rng = Stream::new(1, "test", index);
            seen.insert(
                choose_alternatives(&mut rng, "[Bonjour|Salut], [|vraiment ]déçu.").into_owned(),
            );
        }
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
        // A plain template leaves the generator as it was: old scenarios play unchanged.
        let (mut a, mut b) = (Stream::new(1, "test", 0), Stream::new(1, "test", 0));
        assert_eq!(
            choose_alternatives(&mut a, "Bonjour {brand}"),
            "Bonjour {brand}"
        );
        assert_eq!(a.below(1_000_000), b.below(1_000_000));
    }
}
