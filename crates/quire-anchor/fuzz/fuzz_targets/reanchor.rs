//! Fuzz target for `Text::reanchor`: arbitrary texts, selectors and edits.
//!
//! Checks, besides "never panics": a position is returned exactly when the kind is not
//! `Orphan`, it lies inside the text, is non-empty and not only whitespace (`selectors` accepts
//! it); a selector made from the text itself
//! anchors `Exact` at its own position; after an edit that leaves the quote and its position
//! alone (an append), it is still `Exact`.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use quire_anchor::{AnchorKind, Anchored, Text, TextPositionSelector, TextQuoteSelector};

#[derive(Debug, Arbitrary)]
struct Input {
    text: String,
    exact: String,
    prefix: String,
    suffix: String,
    start: usize,
    end: usize,
    has_position: bool,
    /// A range of `text` to quote (taken modulo its length).
    quote_at: (u16, u16),
    /// An edit: replace `[at, at + del)` by `insert` (char offsets modulo the length).
    at: u16,
    del: u8,
    insert: String,
}

fn check(t: &Text<'_>, a: &Anchored) {
    assert_eq!(a.position.is_none(), a.kind == AnchorKind::Orphan);
    if let Some(p) = a.position {
        assert!(p.start < p.end && p.end <= t.len(), "{p:?} in {}", t.len());
        assert!(t.selectors(p.start, p.end).is_ok(), "{p:?}: {:?}", t.slice(p.start, p.end));
    }
}

fuzz_target!(|input: Input| {
    let t = Text::new(&input.text);
    let quote = TextQuoteSelector { exact: input.exact, prefix: input.prefix, suffix: input.suffix };
    let old = input.has_position.then_some(TextPositionSelector { start: input.start, end: input.end });
    check(&t, &t.reanchor(&quote, old));
    let _ = t.anchor(&quote, old);

    let len = t.len();
    if len == 0 {
        return;
    }
    let (a, b) = (usize::from(input.quote_at.0) % len, usize::from(input.quote_at.1) % len + 1);
    let Ok((quote, pos)) = t.selectors(a.min(b), a.max(b)) else { return };
    assert_eq!(t.reanchor(&quote, Some(pos)).kind, AnchorKind::Exact);
    let found = t.reanchor(&quote, None);
    check(&t, &found);

    // An edit somewhere, then re-anchor against the edited text.
    let mut chars: Vec<char> = input.text.chars().collect();
    let at = usize::from(input.at) % (len + 1);
    let end = (at + usize::from(input.del)).min(len);
    chars.splice(at..end, input.insert.chars());
    let edited: String = chars.into_iter().collect();
    let e = Text::new(&edited);
    let got = e.reanchor(&quote, Some(pos));
    check(&e, &got);
    let all = e.reanchor_all(&[(quote.clone(), Some(pos)), (quote.clone(), None)]);
    assert_eq!(all[0], got);
    all.iter().for_each(|a| check(&e, a));

    // Appending leaves everything before in place: still exact.
    let appended = format!("{}\n\n{}", input.text, input.insert);
    let ap = Text::new(&appended);
    assert_eq!(ap.reanchor(&quote, Some(pos)).kind, AnchorKind::Exact);
});
