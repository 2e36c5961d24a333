//! A syntax or type error in a scenario, said for a trainer: RON's own message, with the
//! path of the value it is about ("duration_min: Expected float") and, for a misspelt
//! field or variant, the closest known name.

use super::locate::locate_paths;

/// The message for RON's error `code` at `line`:`col` of `source`.
pub(super) fn explain(source: &str, code: &ron::error::Error, line: usize, col: usize) -> String {
    use ron::error::Error;
    let own = code.to_string();
    // Only errors about a value name it; a syntax error ("Expected comma") is about the
    // text between values, and its place says enough.
    let about_a_value = matches!(
        code,
        Error::ExpectedFloat
            | Error::ExpectedInteger
            | Error::ExpectedString
            | Error::ExpectedBoolean
            | Error::MissingStructField { .. }
            | Error::NoSuchEnumVariant { .. }
    );
    let missing = matches!(code, Error::MissingStructField { .. });
    let place = about_a_value
        .then(|| path_at(source, line, col, missing))
        .flatten();
    let in_minutes = place.as_deref().is_some_and(|p| p.ends_with("_min"));
    let said = match place {
        Some(path) if !path.is_empty() => format!("{path}: {own}"),
        _ => own,
    };
    match code {
        Error::NoSuchStructField {
            expected, found, ..
        }
        | Error::NoSuchEnumVariant {
            expected, found, ..
        } => match closest(found, expected) {
            Some(name) => format!("{said}; did you mean `{name}`?"),
            None => said,
        },
        Error::MissingStructField { field, .. } if matches!(*field, "fr" | "en") => {
            format!("{said} (every text gives both: (fr: \"…\", en: \"…\"))")
        }
        Error::ExpectedFloat | Error::ExpectedInteger if in_minutes => {
            format!("{said}: write a number of minutes, without quotes or units (360 for 6 hours)")
        }
        Error::ExpectedFloat | Error::ExpectedInteger => {
            format!("{said}: write a number, without quotes or units")
        }
        _ => said,
    }
}

/// The path of the value the error is about. A field missing ends its struct: the struct is
/// the parent of the last value before the error (none at the top level). Otherwise the
/// error points at the value: the first one at or after it on its line, else the last one
/// before it.
fn path_at(source: &str, line: usize, col: usize, missing: bool) -> Option<String> {
    let positions = locate_paths(source);
    let before = || {
        positions
            .iter()
            .filter(|(_, at)| **at < (line, col))
            .max_by_key(|(_, at)| **at)
    };
    if missing {
        let (path, _) = before()?;
        let cut = path.rfind(['.', '['])?;
        return Some(path[..cut].to_string());
    }
    let here = positions
        .iter()
        .filter(|(_, at)| at.0 == line && at.1 >= col)
        .min_by_key(|(_, at)| at.1);
    here.or_else(before).map(|(path, _)| path.clone())
}

/// The known name a misspelt one most likely meant: at most a third of its letters off.
fn closest<'a>(found: &str, known: &[&'a str]) -> Option<&'a str> {
    known
        .iter()
        .map(|name| (edit_distance(found, name), *name))
        .filter(|(distance, name)| *distance * 3 <= name.chars().count().max(3))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Levenshtein distance over characters.
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row[0];
        row[0] = i + 1;
        for (j, cb) in b.iter().enumerate() {
            let above = row[j + 1];
            row[j + 1] = (diagonal + usize::from(ca != *cb))
                .min(row[j] + 1)
                .min(above + 1);
            diagonal = above;
        }
    }
    row[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_closest_name_is_a_small_edit_away_or_none() {
        let known = ["id", "difficulty", "duration_min", "team_size"];
        assert_eq!(closest("dificulty", &known), Some("difficulty"));
        assert_eq!(closest("duraton_min", &known), Some("duration_min"));
        assert_eq!(closest("colour", &known), None);
        assert_eq!(edit_distance("kitten", "sitting"), 3);
        assert_eq!(edit_distance("", "abc"), 3);
    }
}
