//! Matching normalization: typographic variants become one form, runs of whitespace become one
//! space, invisible characters disappear. The normalized text keeps, for each of its chars, the
//! range of original chars it came from, so a match maps back to the original offsets.

/// What one original char becomes.
enum Norm {
    Char(char),
    Space,
    Expand(&'static str),
    Drop,
}

fn norm(c: char) -> Norm {
    match c {
        '\u{2018}' | '\u{2019}' | '\u{201A}' | '\u{201B}' | '\u{2032}' | '\u{02BC}' | '`' | '\u{00B4}' => {
            Norm::Char('\'')
        }
        '\u{201C}' | '\u{201D}' | '\u{201E}' | '\u{201F}' | '\u{2033}' | '\u{00AB}' | '\u{00BB}' => Norm::Char('"'),
        '\u{2010}' | '\u{2011}' | '\u{2012}' | '\u{2013}' | '\u{2014}' | '\u{2015}' | '\u{2212}' => Norm::Char('-'),
        '\u{2026}' => Norm::Expand("..."),
        '\u{00AD}' | '\u{200B}' | '\u{200C}' | '\u{2060}' | '\u{FEFF}' => Norm::Drop,
        c if c.is_whitespace() => Norm::Space,
        c => Norm::Char(c),
    }
}

/// Normalizes a pattern (quote, prefix, suffix) the same way as the text.
pub(crate) fn normalize(s: &str) -> Vec<char> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match norm(c) {
            Norm::Char(c) => out.push(c),
            Norm::Space => {
                if out.last() != Some(&' ') {
                    out.push(' ');
                }
            }
            Norm::Expand(s) => out.extend(s.chars()),
            Norm::Drop => {}
        }
    }
    out
}

/// The normalized form of a canonical text with its offset maps.
pub(crate) struct Normalized {
    pub chars: Vec<char>,
    /// The same chars as a string, for fast exact search.
    pub string: String,
    /// Byte offset in `string` of each normalized char, plus the total length.
    pub bytes: Vec<u32>,
    /// Original char range `[start, end)` of each normalized char.
    pub start: Vec<u32>,
    pub end: Vec<u32>,
    /// For each original offset `0..=len`, the first normalized char that starts at or after it.
    pub from_orig: Vec<u32>,
}

impl Normalized {
    pub(crate) fn new(text: &str, orig_len: usize) -> Self {
        let mut n = Normalized {
            chars: Vec::with_capacity(orig_len),
            string: String::with_capacity(text.len()),
            bytes: Vec::with_capacity(orig_len + 1),
            start: Vec::with_capacity(orig_len),
            end: Vec::with_capacity(orig_len),
            from_orig: Vec::with_capacity(orig_len + 1),
        };
        let push = |n: &mut Normalized, c: char, i: usize| {
            n.chars.push(c);
            n.bytes.push(n.string.len() as u32);
            n.string.push(c);
            n.start.push(i as u32);
            n.end.push(i as u32 + 1);
        };
        for (i, c) in text.chars().enumerate() {
            n.from_orig.push(n.chars.len() as u32);
            match norm(c) {
                Norm::Char(c) => push(&mut n, c, i),
                Norm::Space => {
                    // The last normalized char is a space only if the last visible one was
                    // whitespace (dropped chars in between do not end the run).
                    if n.chars.last() == Some(&' ') {
                        // Extend the run: the space now covers this char too.
                        *n.end.last_mut().expect("nonempty") = i as u32 + 1;
                        *n.from_orig.last_mut().expect("pushed") -= 1;
                    } else {
                        push(&mut n, ' ', i);
                    }
                }
                Norm::Expand(s) => {
                    for c in s.chars() {
                        push(&mut n, c, i);
                    }
                }
                Norm::Drop => {}
            }
        }
        n.from_orig.push(n.chars.len() as u32);
        n.bytes.push(n.string.len() as u32);
        n
    }

    pub(crate) fn len(&self) -> usize {
        self.chars.len()
    }

    /// Normalized char index of a byte offset of `string` (which is on a char boundary).
    pub(crate) fn char_at_byte(&self, byte: usize) -> usize {
        self.bytes.binary_search(&(byte as u32)).unwrap_or_else(|i| i)
    }

    /// Original range of the normalized range `[s, e)`, `s < e`.
    pub(crate) fn to_orig(&self, s: usize, e: usize) -> (usize, usize) {
        (self.start[s] as usize, self.end[e - 1] as usize)
    }

    /// Normalized range of the original range `[s, e)` (clamped).
    pub(crate) fn orig_to_norm(&self, s: usize, e: usize) -> (usize, usize) {
        let last = self.from_orig.len() - 1;
        let ns = self.from_orig[s.min(last)] as usize;
        // The end: one past the last normalized char whose original start is before `e`.
        let ne = if e == 0 { 0 } else { self.norm_end_before(e.min(last)) };
        (ns, ne.max(ns))
    }

    fn norm_end_before(&self, e: usize) -> usize {
        // Normalized chars whose start < e.
        self.start.partition_point(|&st| (st as usize) < e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_back_to_original_offsets() {
        let t = "a\u{a0} “b”…\n\nc\u{ad}d";
        let n = Normalized::new(t, t.chars().count());
        assert_eq!(n.string, "a \"b\"... cd");
        assert_eq!(normalize(t).into_iter().collect::<String>(), n.string);
        // "\"b\"" is normalized 2..5, original 3..6.
        assert_eq!(n.to_orig(2, 5), (3, 6));
        // The whitespace run "\u{a0} " is one space covering 1..3.
        assert_eq!(n.to_orig(1, 2), (1, 3));
        // The ellipsis is three dots for one original char.
        assert_eq!(n.to_orig(5, 8), (6, 7));
        assert_eq!(n.orig_to_norm(3, 6), (2, 5));
        assert_eq!(n.orig_to_norm(6, 7), (5, 8));
        assert_eq!(n.orig_to_norm(0, 99), (0, n.len()));
    }
}
