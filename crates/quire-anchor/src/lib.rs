//! Highlight selectors (W3C Web Annotation TextQuoteSelector and TextPositionSelector) and
//! anchoring them to an article's canonical text.
//!
//! All offsets are **Unicode scalar values** (Rust `char`s) into the canonical text
//! (see `quire-doc`). The UI, which counts in UTF-16 code units, converts at its own edge
//! (`ui/src/lib/segments.ts`, tested there); nothing in Rust sees UTF-16 offsets.
//!
//! [`Text::reanchor`] re-anchors a stored highlight against a possibly changed text and says
//! what happened ([`AnchorKind`]: exact, moved, fuzzy with an edit distance, or orphan); see
//! the `reanchor` module for the order of attempts and the matching normalization.
//!
//! This crate is pure: no I/O, no database.

use std::sync::OnceLock;

use serde::{Deserialize, Serialize};
use ts_rs::TS;

mod myers;
mod normalize;
mod reanchor;

pub use reanchor::{AnchorKind, Anchored};

/// How many characters of context a [`TextQuoteSelector`] keeps on each side.
pub const CONTEXT_CHARS: usize = 32;

/// W3C TextQuoteSelector: the quoted text with some context before and after it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextQuoteSelector {
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
}

/// W3C TextPositionSelector: `[start, end)` in scalar values of the canonical text.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct TextPositionSelector {
    pub start: usize,
    pub end: usize,
}

/// What the user asked to highlight when creating a highlight by quote.
#[derive(Debug, Clone, Default)]
pub struct QuoteRequest<'a> {
    pub exact: &'a str,
    /// Text that must come right before the quote (a suffix of the preceding text).
    pub prefix: Option<&'a str>,
    /// Text that must come right after the quote.
    pub suffix: Option<&'a str>,
    /// 1-based occurrence to pick when the quote appears more than once.
    pub occurrence: Option<usize>,
}

/// One place where a quote occurs, for error messages that let the user choose.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Occurrence {
    pub start: usize,
    pub end: usize,
    /// Some text around the occurrence, for a human to tell them apart.
    pub context: String,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("the quote is empty: select some text to highlight")]
    EmptyQuote,
    #[error("quote not found in the article")]
    NotFound,
    #[error("the quote occurs {} times; choose one occurrence (1 to {}) or give the words just before or after it", .0.len(), .0.len())]
    Ambiguous(Vec<Occurrence>),
    #[error("occurrence {asked} does not exist: the quote occurs {found} time(s)")]
    NoSuchOccurrence { asked: usize, found: usize },
    #[error("range {start}..{end} is not inside the article text of {len} characters")]
    OutOfRange { start: usize, end: usize, len: usize },
}

pub type Result<T> = std::result::Result<T, Error>;

/// A canonical text prepared for anchoring: holds the char ↔ byte mapping and, built on first
/// use by [`Text::reanchor`], a normalized copy for matching.
pub struct Text<'a> {
    text: &'a str,
    /// Byte offset of each char, plus the total length at the end.
    char_bytes: Vec<usize>,
    index: OnceLock<normalize::Normalized>,
    /// Positions of every q-gram of the normalized text, built on the first far fuzzy search.
    grams: OnceLock<reanchor::Grams>,
}

impl<'a> Text<'a> {
    pub fn new(text: &'a str) -> Self {
        let mut char_bytes: Vec<usize> = text.char_indices().map(|(i, _)| i).collect();
        char_bytes.push(text.len());
        Self { text, char_bytes, index: OnceLock::new(), grams: OnceLock::new() }
    }

    /// Length in scalar values.
    pub fn len(&self) -> usize {
        self.char_bytes.len() - 1
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The text between two scalar offsets.
    pub fn slice(&self, start: usize, end: usize) -> &'a str {
        &self.text[self.char_bytes[start]..self.char_bytes[end]]
    }

    /// Builds both selectors for the range `[start, end)`.
    pub fn selectors(&self, start: usize, end: usize) -> Result<(TextQuoteSelector, TextPositionSelector)> {
        if start >= end || end > self.len() {
            return Err(Error::OutOfRange { start, end, len: self.len() });
        }
        let exact = self.slice(start, end);
        if exact.trim().is_empty() {
            return Err(Error::EmptyQuote);
        }
        let quote = TextQuoteSelector {
            exact: exact.to_owned(),
            prefix: self.slice(start.saturating_sub(CONTEXT_CHARS), start).to_owned(),
            suffix: self.slice(end, (end + CONTEXT_CHARS).min(self.len())).to_owned(),
        };
        Ok((quote, TextPositionSelector { start, end }))
    }

    /// Every place where `exact` occurs, in scalar offsets (overlapping occurrences included).
    pub fn occurrences(&self, exact: &str) -> Vec<TextPositionSelector> {
        let n = exact.chars().count();
        let mut out = Vec::new();
        if n == 0 {
            return out;
        }
        let mut from = 0;
        while let Some(pos) = self.text[from..].find(exact) {
            let byte = from + pos;
            let start = self.char_index(byte);
            out.push(TextPositionSelector { start, end: start + n });
            // Step one char forward so that overlapping occurrences are found too.
            from = byte + self.text[byte..].chars().next().map_or(1, char::len_utf8);
        }
        out
    }

    /// Resolves a quote the user typed to exactly one range, or says why it cannot.
    pub fn locate(&self, req: &QuoteRequest<'_>) -> Result<TextPositionSelector> {
        if req.exact.trim().is_empty() {
            return Err(Error::EmptyQuote);
        }
        let all = self.occurrences(req.exact);
        if all.is_empty() {
            return Err(Error::NotFound);
        }
        let fitting: Vec<TextPositionSelector> = all
            .iter()
            .copied()
            .filter(|p| req.prefix.is_none_or(|pre| self.slice(0, p.start).ends_with(pre)))
            .filter(|p| req.suffix.is_none_or(|suf| self.slice(p.end, self.len()).starts_with(suf)))
            .collect();
        if fitting.is_empty() {
            return Err(Error::NotFound);
        }
        match req.occurrence {
            Some(k) if k >= 1 && k <= fitting.len() => Ok(fitting[k - 1]),
            Some(k) => Err(Error::NoSuchOccurrence { asked: k, found: fitting.len() }),
            None if fitting.len() == 1 => Ok(fitting[0]),
            None => Err(Error::Ambiguous(fitting.iter().map(|p| self.occurrence(*p)).collect())),
        }
    }

    /// Anchors a stored selector to this text when the text is unchanged or the quote is still
    /// present verbatim (up to typography and whitespace): first the stored position if it still
    /// holds the exact quote, then the occurrence whose context and position fit best. `None`
    /// when the quote is gone or only approximately present (see [`Text::reanchor`] for that).
    pub fn anchor(
        &self,
        quote: &TextQuoteSelector,
        position: Option<TextPositionSelector>,
    ) -> Option<TextPositionSelector> {
        match self.reanchor(quote, position) {
            Anchored { kind: AnchorKind::Exact | AnchorKind::Moved, position } => position,
            _ => None,
        }
    }

    fn occurrence(&self, p: TextPositionSelector) -> Occurrence {
        let a = p.start.saturating_sub(20);
        let b = (p.end + 20).min(self.len());
        let context = format!(
            "{}{}[{}]{}{}",
            if a > 0 { "…" } else { "" },
            self.slice(a, p.start),
            self.slice(p.start, p.end),
            self.slice(p.end, b),
            if b < self.len() { "…" } else { "" },
        )
        .replace('\n', " ");
        Occurrence { start: p.start, end: p.end, context }
    }

    fn char_index(&self, byte: usize) -> usize {
        self.char_bytes.binary_search(&byte).unwrap_or_else(|i| i)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const T: &str = "NATO said NATO. Then 🇺🇦 Україна joined NATO.";

    #[test]
    fn locate_cases() {
        let t = Text::new(T);
        type Case<'a> = (QuoteRequest<'a>, std::result::Result<(usize, usize), &'a str>);
        let cases: &[Case<'_>] = &[
            (QuoteRequest { exact: "Україна", ..Default::default() }, Ok((24, 31))),
            (
                QuoteRequest { exact: "NATO", ..Default::default() },
                Err("the quote occurs 3 times; choose one occurrence (1 to 3) or give the words just before or after it"),
            ),
            (QuoteRequest { exact: "NATO", occurrence: Some(2), ..Default::default() }, Ok((10, 14))),
            (
                QuoteRequest { exact: "NATO", occurrence: Some(4), ..Default::default() },
                Err("occurrence 4 does not exist: the quote occurs 3 time(s)"),
            ),
            (QuoteRequest { exact: "NATO", prefix: Some("joined "), ..Default::default() }, Ok((39, 43))),
            (QuoteRequest { exact: "NATO", suffix: Some(" said"), ..Default::default() }, Ok((0, 4))),
            (
                QuoteRequest { exact: "NATO", prefix: Some("nobody "), ..Default::default() },
                Err("quote not found in the article"),
            ),
            (QuoteRequest { exact: "Finland", ..Default::default() }, Err("quote not found in the article")),
            (
                QuoteRequest { exact: "  \n", ..Default::default() },
                Err("the quote is empty: select some text to highlight"),
            ),
            (
                QuoteRequest { exact: "", ..Default::default() },
                Err("the quote is empty: select some text to highlight"),
            ),
        ];
        for (req, expected) in cases {
            let got = t.locate(req).map(|p| (p.start, p.end)).map_err(|e| e.to_string());
            assert_eq!(got, expected.map_err(str::to_owned), "{req:?}");
        }
    }

    #[test]
    fn ambiguous_lists_occurrences_with_context() {
        let err = Text::new(T).locate(&QuoteRequest { exact: "NATO", ..Default::default() }).unwrap_err();
        let Error::Ambiguous(occ) = err else { panic!("{err:?}") };
        let contexts: Vec<&str> = occ.iter().map(|o| o.context.as_str()).collect();
        assert_eq!(
            contexts,
            ["[NATO] said NATO. Then 🇺🇦 …", "NATO said [NATO]. Then 🇺🇦 Україна jo…", "…n 🇺🇦 Україна joined [NATO]."]
        );
    }

    #[test]
    fn selectors_carry_context_and_anchor_back() {
        let t = Text::new(T);
        let (q, p) = t.selectors(39, 43).unwrap();
        assert_eq!(q.exact, "NATO");
        assert_eq!(q.suffix, ".");
        assert!(q.prefix.ends_with("Україна joined "));
        // Wrong stored position: context decides.
        assert_eq!(t.anchor(&q, Some(TextPositionSelector { start: 0, end: 3 })), Some(p));
        assert_eq!(t.anchor(&q, None), Some(p));
        assert_eq!(Text::new("nothing here").anchor(&q, Some(p)), None);
        assert!(matches!(t.selectors(5, 5), Err(Error::OutOfRange { .. })));
        assert!(matches!(t.selectors(40, 99), Err(Error::OutOfRange { .. })));
        assert_eq!(t.selectors(4, 5), Err(Error::EmptyQuote));
    }

    #[test]
    fn anchored_wire_format() {
        let fuzzy = Anchored {
            kind: AnchorKind::Fuzzy { distance: 3 },
            position: Some(TextPositionSelector { start: 1, end: 9 }),
        };
        let json = serde_json::to_string(&fuzzy).unwrap();
        assert_eq!(json, r#"{"kind":{"kind":"fuzzy","distance":3},"position":{"start":1,"end":9}}"#);
        assert_eq!(serde_json::from_str::<Anchored>(&json).unwrap(), fuzzy);
        assert_eq!(serde_json::to_string(&Anchored::ORPHAN).unwrap(), r#"{"kind":{"kind":"orphan"},"position":null}"#);
        assert_eq!(
            AnchorKind::decl(),
            r#"type AnchorKind = { "kind": "exact" } | { "kind": "moved" } | { "kind": "fuzzy", distance: number, } | { "kind": "orphan" };"#
        );
        assert_eq!(Anchored::decl(), "type Anchored = { kind: AnchorKind, position: TextPositionSelector | null, };");
    }

    #[test]
    fn overlapping_occurrences_are_found() {
        let got: Vec<_> = Text::new("aaaa").occurrences("aa").iter().map(|p| p.start).collect();
        assert_eq!(got, [0, 1, 2]);
    }
}
