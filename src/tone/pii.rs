//! Personal data written in a reply: card numbers (Luhn-valid), IBANs (mod-97 valid), phone
//! numbers and e-mail addresses. Hand-written scanners: one pass each, linear in the text.

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum PiiKind {
    Card,
    Iban,
    Phone,
    Email,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Pii {
    pub kind: PiiKind,
    pub start: usize,
    pub end: usize,
}

/// Finds personal data in `text`. `role_mailboxes` are the local parts of a company's shared
/// addresses (contact@, sav@...), which are not personal.
pub fn scan(text: &str, role_mailboxes: &[String]) -> Vec<Pii> {
    let mut found = Vec::new();
    scan_ibans(text, &mut found);
    scan_digit_groups(text, &mut found);
    scan_emails(text, role_mailboxes, &mut found);
    found.sort_by_key(|p| p.start);
    found
}

fn overlaps(found: &[Pii], start: usize, end: usize) -> bool {
    found.iter().any(|p| start < p.end && p.start < end)
}

/// Runs of digits joined by single spaces, dots or dashes (and a leading "+").
fn scan_digit_groups(text: &str, found: &mut Vec<Pii>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i < bytes.len() {
        let starts_here =
            bytes[i].is_ascii_digit() || (bytes[i] == b'+' && next_is_digit(bytes, i));
        let glued_to_word = i > 0 && (bytes[i - 1].is_ascii_alphanumeric() || bytes[i - 1] == b'+');
        if !starts_here || glued_to_word {
            i += 1;
            continue;
        }
        let start = i;
        let mut digits: Vec<u8> = Vec::with_capacity(20);
        let plus = bytes[i] == b'+';
        if plus {
            i += 1;
        }
        let mut end = i;
        while i < bytes.len() {
            if bytes[i].is_ascii_digit() {
                digits.push(bytes[i] - b'0');
                i += 1;
                end = i;
            } else if matches!(bytes[i], b' ' | b'.' | b'-') && next_is_digit(bytes, i) {
                i += 1;
            } else {
                break;
            }
            if digits.len() > 24 {
                break;
            }
        }
        // A run glued to letters ("123abc") is a reference code, not one of these.
        if bytes.get(end).is_some_and(u8::is_ascii_alphabetic) || overlaps(found, start, end) {
            continue;
        }
        let kind = if plus {
            is_international_phone(&digits).then_some(PiiKind::Phone)
        } else if is_french_phone(&digits) {
            Some(PiiKind::Phone)
        } else if (13..=19).contains(&digits.len()) && luhn_valid(&digits) {
            Some(PiiKind::Card)
        } else {
            None
        };
        if let Some(kind) = kind {
            found.push(Pii { kind, start, end });
        }
    }
}

fn next_is_digit(bytes: &[u8], i: usize) -> bool {
    bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
}

/// 0X XX XX XX XX with X not 0; 08 numbers are companies' service lines, not a person's.
fn is_french_phone(digits: &[u8]) -> bool {
    digits.len() == 10 && digits[0] == 0 && digits[1] != 0 && digits[1] != 8
}

/// "+33 6 12 34 56 78", "+44 20 7946 0958": a country code and 8 to 12 more digits.
fn is_international_phone(digits: &[u8]) -> bool {
    (9..=15).contains(&digits.len()) && digits[0] != 0
}

pub fn luhn_valid(digits: &[u8]) -> bool {
    let sum: u32 = digits
        .iter()
        .rev()
        .enumerate()
        .map(|(i, d)| {
            let d = *d as u32;
            if i % 2 == 1 {
                let doubled = d * 2;
                if doubled > 9 { doubled - 9 } else { doubled }
            } else {
                d
            }
        })
        .sum();
    sum.is_multiple_of(10) && digits.iter().any(|d| *d != 0)
}

/// Two letters, two check digits, then 11 to 30 letters or digits, optionally in groups of
/// four separated by spaces; valid when the ISO 13616 remainder is 1.
fn scan_ibans(text: &str, found: &mut Vec<Pii>) {
    let bytes = text.as_bytes();
    let mut i = 0;
    while i + 4 <= bytes.len() {
        let at_boundary = i == 0 || !bytes[i - 1].is_ascii_alphanumeric();
        if !(at_boundary
            && bytes[i].is_ascii_alphabetic()
            && bytes[i + 1].is_ascii_alphabetic()
            && bytes[i + 2].is_ascii_digit()
            && bytes[i + 3].is_ascii_digit())
        {
            i += 1;
            continue;
        }
        let mut chars: Vec<u8> = Vec::with_capacity(34);
        let mut j = i;
        let mut end = i;
        while j < bytes.len() && chars.len() < 34 {
            if bytes[j].is_ascii_alphanumeric() {
                chars.push(bytes[j].to_ascii_uppercase());
                j += 1;
                end = j;
            } else if bytes[j] == b' ' && bytes.get(j + 1).is_some_and(u8::is_ascii_alphanumeric) {
                j += 1;
            } else {
                break;
            }
        }
        // Trailing words are not part of the IBAN: try the longest prefix that checks.
        let mut matched = None;
        let mut length = chars.len();
        while length >= 15 {
            if iban_valid(&chars[..length]) {
                matched = Some(length);
                break;
            }
            length -= 1;
        }
        if let Some(length) = matched {
            let mut taken = 0;
            let mut k = i;
            while taken < length {
                if bytes[k].is_ascii_alphanumeric() {
                    taken += 1;
                }
                k += 1;
            }
            found.push(Pii {
                kind: PiiKind::Iban,
                start: i,
                end: k,
            });
            i = k;
        } else {
            i = end.max(i + 1);
        }
    }
}

fn iban_valid(chars: &[u8]) -> bool {
    let mut remainder: u32 = 0;
    let rotated = chars[4..].iter().chain(&chars[..4]);
    for c in rotated {
        let value = if c.is_ascii_digit() {
            (c - b'0') as u32
        } else {
            (c - b'A') as u32 + 10
        };
        remainder = if value >= 10 {
            (remainder * 100 + value) % 97
        } else {
            (remainder * 10 + value) % 97
        };
    }
    remainder == 1
}

/// local@domain.tld, personal unless the local part is a company's shared mailbox.
fn scan_emails(text: &str, role_mailboxes: &[String], found: &mut Vec<Pii>) {
    let bytes = text.as_bytes();
    let is_local = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'+');
    let is_domain = |b: u8| b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-');
    for (at, _) in text.match_indices('@') {
        let mut start = at;
        while start > 0 && is_local(bytes[start - 1]) {
            start -= 1;
        }
        let mut end = at + 1;
        while end < bytes.len() && is_domain(bytes[end]) {
            end += 1;
        }
        while end > at + 1 && bytes[end - 1] == b'.' {
            end -= 1;
        }
        let local = &text[start..at];
        let domain = &text[at + 1..end];
        let has_tld = domain
            .rsplit_once('.')
            .is_some_and(|(name, tld)| !name.is_empty() && tld.len() >= 2);
        if local.is_empty() || !has_tld {
            continue;
        }
        let role = role_mailboxes.iter().any(|r| r.eq_ignore_ascii_case(local));
        if !role {
            found.push(Pii {
                kind: PiiKind::Email,
                start,
                end,
            });
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kinds(text: &str) -> Vec<PiiKind> {
        scan(text, &["contact".to_string(), "sav".to_string()])
            .iter()
            .map(|p| p.kind)
            .collect()
    }

    #[test]
    fn cards_need_a_valid_luhn_sum() {
        assert_eq!(kinds("ma carte 4970 1012 3456 7893 merci"), [PiiKind::Card]);
        assert!(kinds("ma carte 4970 1012 3456 7890 merci").is_empty());
        assert_eq!(kinds("4970-1012-3456-7893"), [PiiKind::Card]);
    }

    #[test]
    fn ibans_need_a_valid_checksum() {
        assert_eq!(
            kinds("IBAN FR76 3000 6000 0112 3456 7890 189 merci"),
            [PiiKind::Iban]
        );
        assert!(kinds("IBAN FR76 3000 6000 0112 3456 7890 180").is_empty());
    }

    #[test]
    fn phones_and_emails() {
        assert_eq!(kinds("appelez-moi au 06 12 34 56 78"), [PiiKind::Phone]);
        assert_eq!(kinds("+33 6 12 34 56 78"), [PiiKind::Phone]);
        assert_eq!(kinds("06.12.34.56.78"), [PiiKind::Phone]);
        assert!(kinds("le 0800 123 456 est gratuit").is_empty());
        assert!(kinds("commande 123456, ticket 2024").is_empty());
        assert_eq!(kinds("écrivez à julie.martin@gmail.com"), [PiiKind::Email]);
        assert!(kinds("écrivez à contact@telvia.fr ou @Telvia_Client").is_empty());
    }
}
