//! The secrets of an exercise: the facilitator's token, the observer's code and one join code
//! a seat, drawn from the operating system's generator and compared in constant time.

use sha2::{Digest, Sha256};

/// Random bytes in a code: 128 bits, far beyond guessing at any rate a server answers.
const CODE_BYTES: usize = 16;
/// Crockford's base 32: no I, L, O or U, so a code read aloud or copied by hand survives.
const ALPHABET: &[u8; 32] = b"0123456789ABCDEFGHJKMNPQRSTVWXYZ";

/// A fresh code: 26 characters of Crockford base 32 (128 random bits).
pub fn fresh() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; CODE_BYTES];
    getrandom::fill(&mut bytes)?;
    Ok(base32(&bytes))
}

/// A fresh exercise id: 10 characters (50 bits), to name it, not to protect it.
pub fn fresh_id() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 7];
    getrandom::fill(&mut bytes)?;
    Ok(base32(&bytes).chars().take(10).collect())
}

fn base32(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len() * 8 / 5 + 1);
    let (mut buffer, mut bits) = (0u32, 0u32);
    for &byte in bytes {
        buffer = (buffer << 8) | byte as u32;
        bits += 8;
        while bits >= 5 {
            bits -= 5;
            out.push(ALPHABET[((buffer >> bits) & 31) as usize] as char);
        }
    }
    if bits > 0 {
        out.push(ALPHABET[((buffer << (5 - bits)) & 31) as usize] as char);
    }
    out
}

/// Whether `given` is `expected`, in time that depends on neither: both are hashed first, so
/// lengths and common prefixes leak nothing.
pub fn same(given: &str, expected: &str) -> bool {
    let (a, b) = (
        Sha256::digest(given.as_bytes()),
        Sha256::digest(expected.as_bytes()),
    );
    a.iter()
        .zip(b.iter())
        .fold(0u8, |diff, (x, y)| diff | (x ^ y))
        == 0
}

/// The index of the code `given` matches among `codes`, every one compared.
pub fn find(given: &str, codes: &[&str]) -> Option<usize> {
    let mut found = None;
    for (index, code) in codes.iter().enumerate() {
        if same(given, code) && found.is_none() {
            found = Some(index);
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_long_distinct_and_in_the_alphabet() {
        let a = fresh().expect("the OS generator");
        let b = fresh().expect("the OS generator");
        assert_eq!(a.len(), 26);
        assert_ne!(a, b);
        assert!(a.bytes().all(|c| ALPHABET.contains(&c)));
    }

    #[test]
    fn base32_packs_five_bits_a_character() {
        assert_eq!(base32(&[0xff]), "ZW");
        assert_eq!(base32(&[0, 0, 0, 0, 0]), "00000000");
    }

    #[test]
    fn find_matches_only_the_exact_code() {
        let codes = ["AAAA", "BBBB", "CCCC"];
        assert_eq!(find("BBBB", &codes), Some(1));
        assert_eq!(find("BBBBX", &codes), None);
        assert_eq!(find("bbbb", &codes), None);
        assert_eq!(find("", &codes), None);
    }
}
