//! Locating a path (`personas[2].weight`) in RON text: a small scanner maps each value's
//! path to its line and column, so every fault names its place in the file.

use std::collections::BTreeMap;

/// Maps each value's path (`personas[2].weight`) to its 1-based line and column.
pub fn locate_paths(source: &str) -> BTreeMap<String, (usize, usize)> {
    let mut scanner = Scanner {
        bytes: source.as_bytes(),
        pos: 0,
        found: BTreeMap::new(),
        source,
        depth: 0,
    };
    scanner.value(String::new());
    scanner.found
}

pub fn nearest_position(
    positions: &BTreeMap<String, (usize, usize)>,
    path: &str,
) -> (usize, usize) {
    let mut candidate = path;
    loop {
        if let Some(position) = positions.get(candidate) {
            return *position;
        }
        match candidate.rfind(['.', '[']) {
            Some(cut) => candidate = &candidate[..cut],
            None => return positions.get("").copied().unwrap_or((1, 1)),
        }
    }
}

pub(super) fn line_col(source: &str, byte: usize) -> (usize, usize) {
    let prefix = &source[..byte.min(source.len())];
    let line = prefix.matches('\n').count() + 1;
    let col = prefix.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, col)
}

struct Scanner<'a> {
    bytes: &'a [u8],
    pos: usize,
    found: BTreeMap<String, (usize, usize)>,
    source: &'a str,
    depth: usize,
}

impl Scanner<'_> {
    fn skip_blank(&mut self) {
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b' ' | b'\t' | b'\n' | b'\r' => self.pos += 1,
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'/') => {
                    while self.pos < self.bytes.len() && self.bytes[self.pos] != b'\n' {
                        self.pos += 1;
                    }
                }
                b'/' if self.bytes.get(self.pos + 1) == Some(&b'*') => {
                    self.pos += 2;
                    while self.pos + 1 < self.bytes.len()
                        && !(self.bytes[self.pos] == b'*' && self.bytes[self.pos + 1] == b'/')
                    {
                        self.pos += 1;
                    }
                    self.pos += 2;
                }
                _ => break,
            }
        }
    }

    fn mark(&mut self, path: &str) {
        let position = line_col(self.source, self.pos);
        self.found.entry(path.to_string()).or_insert(position);
    }

    fn value(&mut self, path: String) {
        self.skip_blank();
        if self.pos >= self.bytes.len() || self.depth > 200 {
            return;
        }
        self.mark(&path);
        match self.bytes[self.pos] {
            b'(' => self.group(&path, b')'),
            b'[' => self.group(&path, b']'),
            b'{' => self.group(&path, b'}'),
            b'"' => self.string(),
            b'r' if matches!(self.bytes.get(self.pos + 1), Some(b'"' | b'#')) => self.raw_string(),
            c if c.is_ascii_alphabetic() || c == b'_' => {
                let wraps = self.ident() == "Some";
                self.skip_blank();
                if self.bytes.get(self.pos) == Some(&b'(') {
                    if wraps {
                        // `Some(value)`: the value keeps the option's path.
                        self.pos += 1;
                        self.value(path);
                        self.skip_blank();
                        if self.bytes.get(self.pos) == Some(&b')') {
                            self.pos += 1;
                        }
                    } else {
                        self.group(&path, b')');
                    }
                }
            }
            _ => {
                while self.pos < self.bytes.len()
                    && !matches!(
                        self.bytes[self.pos],
                        b',' | b')' | b']' | b'}' | b' ' | b'\n' | b'\r' | b'\t'
                    )
                {
                    self.pos += 1;
                }
            }
        }
    }

    fn ident(&mut self) -> &str {
        let start = self.pos;
        while self.pos < self.bytes.len()
            && (self.bytes[self.pos].is_ascii_alphanumeric() || self.bytes[self.pos] == b'_')
        {
            self.pos += 1;
        }
        &self.source[start..self.pos]
    }

    fn string(&mut self) {
        self.pos += 1;
        while self.pos < self.bytes.len() {
            match self.bytes[self.pos] {
                b'\\' => self.pos += 2,
                b'"' => {
                    self.pos += 1;
                    return;
                }
                _ => self.pos += 1,
            }
        }
    }

    fn raw_string(&mut self) {
        self.pos += 1;
        let hashes = self.bytes[self.pos..]
            .iter()
            .take_while(|b| **b == b'#')
            .count();
        self.pos += hashes + 1;
        let closing: Vec<u8> = std::iter::once(b'"')
            .chain(std::iter::repeat_n(b'#', hashes))
            .collect();
        while self.pos < self.bytes.len() && !self.bytes[self.pos..].starts_with(&closing) {
            self.pos += 1;
        }
        self.pos = (self.pos + closing.len()).min(self.bytes.len());
    }

    /// A struct, tuple, list or map: fields become `path.name`, elements `path[i]`.
    fn group(&mut self, path: &str, close: u8) {
        self.pos += 1;
        self.depth += 1;
        let mut index = 0;
        loop {
            self.skip_blank();
            if self.pos >= self.bytes.len() {
                break;
            }
            if self.bytes[self.pos] == close {
                self.pos += 1;
                break;
            }
            if self.bytes[self.pos] == b',' {
                self.pos += 1;
                continue;
            }
            let start = self.pos;
            // A field `name: value` in a struct.
            if self.bytes[self.pos].is_ascii_alphabetic() || self.bytes[self.pos] == b'_' {
                let name = self.ident().to_string();
                self.skip_blank();
                if self.bytes.get(self.pos) == Some(&b':') && close == b')' {
                    self.pos += 1;
                    self.value(if path.is_empty() {
                        name
                    } else {
                        format!("{path}.{name}")
                    });
                    continue;
                }
                self.pos = start;
            }
            let element = format!("{path}[{index}]");
            index += 1;
            self.value(element);
            if close == b'}' {
                self.skip_blank();
                if self.bytes.get(self.pos) == Some(&b':') {
                    self.pos += 1;
                    self.value(format!("{path}[{index}]"));
                }
            }
            if self.pos == start {
                self.pos += 1;
            }
        }
        self.depth -= 1;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_are_located() {
        let source = "(\n  id: \"x\",\n  personas: [\n    (id: \"a\", weight: 1.0),\n    (id: \"b\", weight: -2.0),\n  ],\n  opt: Some((n: 3)),\n)";
        let positions = locate_paths(source);
        assert_eq!(positions["id"], (2, 7));
        assert_eq!(positions["personas[1].weight"], (5, 23));
        assert_eq!(positions["opt.n"], (7, 17));
        assert_eq!(nearest_position(&positions, "personas[1].missing"), (5, 5));
    }
}
