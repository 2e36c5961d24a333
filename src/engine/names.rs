//! The names customers go by: a first and a last name from the language's pools
//! (`assets/voice/names.ron`), and a handle made from them by a shape.

use super::rng::Stream;
use super::style::{NamePool, pick, unaccented};

/// A first and a last name from the language's pools.
pub fn draw_name<'p>(rng: &mut Stream, pool: &'p NamePool) -> (&'p str, &'p str) {
    let first = pick(rng, &pool.first).unwrap_or("Camille");
    let last = pick(rng, &pool.last).unwrap_or("Martin");
    (first, last)
}

/// A handle made from a name by a shape (`{first}.{last}`, `{word}_{first}{nn}`...), with
/// its `@`: lower case, no accents, no spaces. An unknown `{...}` is dropped.
pub fn handle_from_shape(
    rng: &mut Stream,
    shape: &str,
    (first, last): (&str, &str),
    words: &[String],
) -> String {
    let mut handle = String::with_capacity(shape.len() + 16);
    handle.push('@');
    let mut rest = shape;
    while let Some(open) = rest.find('{') {
        handle.push_str(&rest[..open]);
        let after = &rest[open..];
        let Some(close) = after.find('}') else {
            break;
        };
        match &after[..=close] {
            "{first}" => push_plain(&mut handle, first, usize::MAX),
            "{last}" => push_plain(&mut handle, last, usize::MAX),
            "{f}" => push_plain(&mut handle, first, 1),
            "{l}" => push_plain(&mut handle, last, 1),
            "{word}" => handle.push_str(pick(rng, words).unwrap_or("")),
            "{nn}" => push_two_digits(&mut handle, rng.below(100)),
            "{year}" => push_two_digits(&mut handle, (55 + rng.below(52)) % 100),
            _ => {}
        }
        rest = &after[close + 1..];
    }
    if !rest.contains('{') {
        handle.push_str(rest);
    }
    handle
}

/// At most `letters` of a name as a handle writes it: lower case, no accents, letters and
/// digits only ("Da Silva" is "dasilva").
fn push_plain(handle: &mut String, name: &str, letters: usize) {
    let mut written = 0;
    for c in name.chars() {
        let plain = unaccented(c)
            .and_then(|plain| plain.chars().next())
            .unwrap_or(c)
            .to_ascii_lowercase();
        if written < letters && plain.is_ascii_alphanumeric() {
            handle.push(plain);
            written += 1;
        }
    }
}

fn push_two_digits(handle: &mut String, n: u64) {
    handle.push(char::from(b'0' + (n / 10 % 10) as u8));
    handle.push(char::from(b'0' + (n % 10) as u8));
}

#[cfg(test)]
mod tests {
    use super::*;

    fn stream(index: u64) -> Stream {
        Stream::new(1, "style-test", index)
    }

    #[test]
    fn handles_are_made_from_the_name_in_plain_letters() {
        let words = vec!["bff".to_string()];
        let mut rng = stream(0);
        let name = ("Hélène", "Da Silva");
        assert_eq!(
            handle_from_shape(&mut rng, "{first}.{last}", name, &words),
            "@helene.dasilva"
        );
        assert_eq!(
            handle_from_shape(&mut rng, "{f}_{last}", name, &words),
            "@h_dasilva"
        );
        assert_eq!(
            handle_from_shape(&mut rng, "{first}_{word}", name, &words),
            "@helene_bff"
        );
        let numbered = handle_from_shape(&mut rng, "{first}{nn}", name, &words);
        assert!(
            numbered.starts_with("@helene") && numbered.len() == 9,
            "{numbered}"
        );
    }
}
