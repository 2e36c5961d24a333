//! Interface texts from the Fluent files `assets/i18n/{fr,en}/desk.ftl`.
//!
//! The files are bundled into the binary, so the console works from any directory; a
//! missing key shows as its id (and a test keeps the two files and the code in step).

use crate::engine::Lang;
use fluent_bundle::concurrent::FluentBundle;
use fluent_bundle::{FluentArgs, FluentResource, FluentValue};

pub const FRENCH: &str = include_str!("../../assets/i18n/fr/desk.ftl");
pub const ENGLISH: &str = include_str!("../../assets/i18n/en/desk.ftl");

/// The interface texts of one language.
pub struct Texts {
    lang: Lang,
    bundle: FluentBundle<FluentResource>,
}

impl Texts {
    pub fn new(lang: Lang) -> Texts {
        let (source, locale) = match lang {
            Lang::Fr => (FRENCH, "fr-FR"),
            Lang::En => (ENGLISH, "en-GB"),
        };
        Texts::from_source(lang, source, locale).unwrap_or_else(|errors| {
            // The bundled files are checked by tests; should one still fail, the console
            // shows the text ids rather than stopping.
            eprintln!("raleur: the bundled interface texts for {lang:?} do not parse: {errors}");
            Texts {
                lang,
                bundle: FluentBundle::new_concurrent(Vec::new()),
            }
        })
    }

    /// Texts from a Fluent source; an error lists every line that does not parse.
    pub fn from_source(lang: Lang, source: &str, locale: &str) -> Result<Texts, String> {
        let resource =
            FluentResource::try_new(source.to_string()).map_err(|(_, errors)| joined(&errors))?;
        let locale = locale
            .parse()
            .map_err(|e| format!("bad locale {locale}: {e}"))?;
        let mut bundle = FluentBundle::new_concurrent(vec![locale]);
        // egui would draw Unicode isolation marks as boxes.
        bundle.set_use_isolating(false);
        // Fluent writes numbers the Rust way ("93.5", "12000"), whatever the locale.
        bundle.set_formatter(Some(match lang {
            Lang::Fr => french_number,
            Lang::En => english_number,
        }));
        bundle
            .add_resource(resource)
            .map_err(|errors| joined(&errors))?;
        Ok(Texts { lang, bundle })
    }

    pub fn lang(&self) -> Lang {
        self.lang
    }

    /// `value` with `digits` decimals, as this language writes it ([`decimal`]).
    pub fn decimal(&self, value: f64, digits: usize) -> String {
        decimal(self.lang, value, digits)
    }

    /// The text of `id`, or the id itself if it is missing.
    pub fn t(&self, id: &str) -> String {
        self.format(id, None)
    }

    /// The text of `id` with its variables.
    pub fn t_with(&self, id: &str, args: &[(&str, FluentValue<'_>)]) -> String {
        let mut fluent_args = FluentArgs::new();
        for (name, value) in args {
            fluent_args.set(*name, value.clone());
        }
        self.format(id, Some(&fluent_args))
    }

    pub fn has(&self, id: &str) -> bool {
        self.bundle.has_message(id)
    }

    fn format(&self, id: &str, args: Option<&FluentArgs>) -> String {
        let Some(pattern) = self.bundle.get_message(id).and_then(|m| m.value()) else {
            return id.to_string();
        };
        let mut errors = Vec::new();
        self.bundle
            .format_pattern(pattern, args, &mut errors)
            .into_owned()
    }
}

/// `value` with `digits` decimals, as the language writes numbers: "93,5" and "12 000" in
/// French, "93.5" and "12,000" in English.
pub fn decimal(lang: Lang, value: f64, digits: usize) -> String {
    written(lang, &format!("{value:.digits$}"))
}

/// A number Rust wrote ("-1234.5") as the language writes it.
fn written(lang: Lang, rust: &str) -> String {
    let (sign, unsigned) = match rust.strip_prefix('-') {
        Some(rest) => ("\u{2212}", rest),
        None => ("", rust),
    };
    let (whole, fraction) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let (group, point) = match lang {
        // A no-break space, so that a number never wraps over two lines.
        Lang::Fr => ('\u{a0}', ','),
        Lang::En => (',', '.'),
    };
    let mut out = String::from(sign);
    let digits = whole.len();
    for (i, c) in whole.chars().enumerate() {
        if i > 0 && digits >= 5 && (digits - i) % 3 == 0 {
            out.push(group);
        }
        out.push(c);
    }
    if !fraction.is_empty() {
        out.push(point);
        out.push_str(fraction);
    }
    out
}

/// Fluent's hooks for numbers: each number of a text written as the language writes it.
fn french_number<M>(value: &FluentValue, _: &M) -> Option<String> {
    number_in(Lang::Fr, value)
}

fn english_number<M>(value: &FluentValue, _: &M) -> Option<String> {
    number_in(Lang::En, value)
}

fn number_in(lang: Lang, value: &FluentValue) -> Option<String> {
    match value {
        FluentValue::Number(number) => Some(written(lang, &number.as_string())),
        _ => None,
    }
}

fn joined(errors: &[impl std::fmt::Debug]) -> String {
    errors
        .iter()
        .map(|e| format!("{e:?}"))
        .collect::<Vec<_>>()
        .join("; ")
}

/// Shorthand for a number argument.
pub fn num(value: impl Into<f64>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}

/// Shorthand for a text argument.
pub fn text(value: impl Into<String>) -> FluentValue<'static> {
    FluentValue::from(value.into())
}
