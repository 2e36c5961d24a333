//! The validator's notebook: each fault with the path it is at, and the checks every section
//! shares (texts, templates, probabilities, ranges, ids).

use super::super::scenario::{Range, Template, Text};
use super::MAX_TEXT_CHARS;
use std::collections::BTreeSet;

/// Placeholders a customer's text may hold (filled in `engine::sim::voice`).
pub(super) const PLACEHOLDERS: &[&str] = &[
    "brand",
    "care",
    "corporate",
    "competitor",
    "handle",
    "wait",
    "details",
    "name",
    "first_name",
    "amount",
    "detail",
    "time_of_day",
    "since_first",
    "reply_ago",
];

/// What a persona's `handle_shapes` may hold (made in `engine::style`).
pub(super) const HANDLE_TOKENS: &[&str] = &["first", "last", "f", "l", "word", "nn", "year"];

/// A semantic fault at a path such as `personas[2].weight`.
#[derive(Clone, Debug)]
pub struct Problem {
    pub path: String,
    pub message: String,
}

#[derive(Default)]
pub(super) struct Checker {
    pub(super) problems: Vec<Problem>,
}

impl Checker {
    pub(super) fn fail(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Problem {
            path: path.into(),
            message: message.into(),
        });
    }
    pub(super) fn text(&mut self, path: &str, text: &Text) {
        for (lang, value) in [("fr", &text.fr), ("en", &text.en)] {
            self.string(&format!("{path}.{lang}"), value, lang);
        }
    }
    pub(super) fn string(&mut self, path: &str, value: &str, lang: &str) {
        if value.trim().is_empty() {
            let name = if lang == "fr" { "French" } else { "English" };
            self.fail(path, format!("the {name} text is missing"));
        } else if value.chars().count() > MAX_TEXT_CHARS {
            self.fail(
                path,
                format!(
                    "text of {} characters; at most {MAX_TEXT_CHARS}",
                    value.chars().count()
                ),
            );
        }
    }
    pub(super) fn templates(&mut self, path: &str, templates: &[Template]) {
        if templates.is_empty() {
            self.fail(path, "needs at least one text");
        }
        for (i, t) in templates.iter().enumerate() {
            let here = format!("{path}[{i}]");
            for (lang, value) in [("fr", &t.fr), ("en", &t.en)] {
                self.string(&format!("{here}.{lang}"), value, lang);
                self.known_placeholders(&format!("{here}.{lang}"), value);
            }
        }
    }

    /// A template's conditions name personas and request kinds that exist.
    pub(super) fn template_conditions(
        &mut self,
        path: &str,
        templates: &[Template],
        personas: &BTreeSet<&str>,
        kinds: &BTreeSet<&str>,
    ) {
        for (i, t) in templates.iter().enumerate() {
            for (j, p) in t.personas.iter().enumerate() {
                self.known(format!("{path}[{i}].personas[{j}]"), p, personas, "persona");
            }
            for (j, k) in t.kinds.iter().enumerate() {
                self.known(format!("{path}[{i}].kinds[{j}]"), k, kinds, "kind");
            }
        }
    }

    /// A customer's first post (a request kind's message, a scripted post) has no
    /// `{details}`: it lists what the customer has given, and nothing is given yet.
    pub(super) fn first_post(&mut self, path: &str, texts: &[(&str, &str)]) {
        for (lang, value) in texts {
            let here = format!("{path}.{lang}");
            if placeholders(value).any(|p| p == "details") {
                self.fail(
                    here,
                    "{details} lists the details the customer has given, and a first post has given none: write them in the text, or use {details} in texts.dm_details or texts.public_data",
                );
            }
        }
    }

    /// Alternatives (`[a|b]`): balanced, not nested, at most 32 parts each.
    fn alternatives(&mut self, path: &str, value: &str) {
        let mut depth = 0u32;
        let mut parts = 0usize;
        for c in value.chars() {
            match c {
                '[' if depth > 0 => {
                    return self.fail(path, "alternatives [a|b] cannot be nested");
                }
                '[' => {
                    depth = 1;
                    parts = 1;
                }
                ']' if depth == 0 => {
                    return self.fail(path, "a ] closes no [ (alternatives are written [a|b])");
                }
                ']' => depth = 0,
                '|' if depth > 0 => parts += 1,
                _ => {}
            }
            if parts > 32 {
                return self.fail(path, "at most 32 alternatives in one [a|b]");
            }
        }
        if depth > 0 {
            self.fail(path, "a [ is not closed (alternatives are written [a|b])");
        }
    }

    pub(super) fn known_placeholders(&mut self, path: &str, value: &str) {
        self.alternatives(path, value);
        for placeholder in placeholders(value) {
            if !PLACEHOLDERS.contains(&placeholder) {
                self.fail(
                    path,
                    format!(
                        "unknown placeholder {{{placeholder}}}; known: {}",
                        PLACEHOLDERS.join(", ")
                    ),
                );
            }
        }
    }
    pub(super) fn probability(&mut self, path: String, value: f64) {
        if !(0.0..=1.0).contains(&value) {
            self.fail(
                path,
                format!("{value} is not a probability between 0 and 1"),
            );
        }
    }
    pub(super) fn positive(&mut self, path: String, value: f64) {
        if !(value.is_finite() && value > 0.0) {
            self.fail(path, format!("{value} must be a positive number"));
        }
    }
    pub(super) fn non_negative(&mut self, path: String, value: f64, max: f64) {
        if !(value.is_finite() && value >= 0.0) {
            self.fail(path, format!("{value} must be zero or more"));
        } else if value > max {
            self.fail(path, format!("{value} is more than the limit of {max}"));
        }
    }
    pub(super) fn range(&mut self, path: &str, range: Range, max: f64) {
        self.non_negative(format!("{path}.min"), range.min, max);
        self.non_negative(format!("{path}.max"), range.max, max);
        if range.max < range.min {
            self.fail(
                format!("{path}.max"),
                format!("max {} is below min {}", range.max, range.min),
            );
        }
    }
    pub(super) fn unique_ids<'a>(
        &mut self,
        path: &str,
        ids: impl Iterator<Item = &'a String>,
    ) -> BTreeSet<&'a str> {
        let mut seen = BTreeSet::new();
        for (i, id) in ids.enumerate() {
            if id.is_empty()
                || !id
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
            {
                self.fail(
                    format!("{path}[{i}].id"),
                    format!("id {id:?} must be letters, digits, '_' or '-'"),
                );
            }
            if !seen.insert(id.as_str()) {
                self.fail(
                    format!("{path}[{i}].id"),
                    format!("id {id:?} is used twice"),
                );
            }
        }
        seen
    }
    pub(super) fn known(&mut self, path: String, id: &str, known: &BTreeSet<&str>, what: &str) {
        if !known.contains(id) {
            let list: Vec<&str> = known.iter().copied().collect();
            self.fail(
                path,
                format!("unknown {what} {id:?}; known: {}", list.join(", ")),
            );
        }
    }
}

pub(super) fn placeholders(text: &str) -> impl Iterator<Item = &str> {
    text.split('{')
        .skip(1)
        .filter_map(|rest| rest.split_once('}').map(|(name, _)| name))
}
