//! Property tests: edits away from a quote never lose it; nothing ever panics.

use proptest::prelude::*;
use proptest::sample::Index;
use quire_anchor::{AnchorKind, Text, TextPositionSelector, TextQuoteSelector};

fn word() -> impl Strategy<Value = String> {
    proptest::string::string_regex("[a-zа-яё😀🇺🇦é]{1,8}[.,]?").expect("regex")
}

fn words(range: std::ops::Range<usize>) -> impl Strategy<Value = Vec<(String, bool)>> {
    prop::collection::vec((word(), prop::bool::weighted(0.08)), range)
}

fn join(ws: &[(String, bool)]) -> String {
    let mut s = String::new();
    for (i, (w, para)) in ws.iter().enumerate() {
        if i > 0 {
            s.push_str(if *para { "\n\n" } else { " " });
        }
        s.push_str(w);
    }
    s
}

#[derive(Debug, Clone)]
enum Edit {
    Insert(Index, String),
    Delete(Index, usize),
    Replace(Index, usize, String),
}

fn edit() -> impl Strategy<Value = Edit> {
    prop_oneof![
        (any::<Index>(), words(1..12)).prop_map(|(i, w)| Edit::Insert(i, format!(" {} ", join(&w)))),
        (any::<Index>(), 1usize..80).prop_map(|(i, n)| Edit::Delete(i, n)),
        (any::<Index>(), 1usize..20, words(1..4)).prop_map(|(i, n, w)| Edit::Replace(i, n, join(&w))),
    ]
}

/// Applies edits to `chars` that leave `[s, e)` alone; returns the quote's new range.
fn apply(chars: &mut Vec<char>, mut s: usize, mut e: usize, edits: &[Edit]) -> (usize, usize) {
    for ed in edits {
        let (at, del, ins): (usize, usize, Vec<char>) = match ed {
            Edit::Insert(i, w) => (i.index(chars.len() + 1), 0, w.chars().collect()),
            Edit::Delete(i, n) => (i.index(chars.len() + 1), *n, Vec::new()),
            Edit::Replace(i, n, w) => (i.index(chars.len() + 1), *n, w.chars().collect()),
        };
        let mut end = (at + del).min(chars.len());
        if at < s {
            end = end.min(s);
        } else if at < e {
            continue; // inside the quote: not this property's business
        }
        let removed = end - at;
        chars.splice(at..end, ins.iter().copied());
        if at < s {
            s = s + ins.len() - removed;
            e = e + ins.len() - removed;
        }
    }
    (s, e)
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 512, max_global_rejects: 1_000_000, failure_persistence: None, ..ProptestConfig::default() })]

    #[test]
    fn edits_away_from_the_quote_never_lose_it(
        text in words(10..160),
        a in any::<Index>(),
        len in 3usize..12,
        edits in prop::collection::vec(edit(), 0..12),
        keep_position in any::<bool>(),
    ) {
        let old = join(&text);
        // The quote: whole words a..a+len.
        let first = a.index(text.len());
        let last = (first + len).min(text.len());
        let s = join(&text[..first]).chars().count() + usize::from(first > 0) * if text[first].1 { 2 } else { 1 };
        let e = join(&text[..last]).chars().count();
        prop_assume!(e > s + 15);
        let (quote, pos) = Text::new(&old).selectors(s, e).expect("selectors");
        let mut chars: Vec<char> = old.chars().collect();
        let (ns, ne) = apply(&mut chars, s, e, &edits);
        let new: String = chars.into_iter().collect();
        let t = Text::new(&new);
        prop_assert_eq!(t.slice(ns, ne), quote.exact.as_str());
        // Unique, also with paragraph breaks counted as spaces (as matching does).
        let flat = |x: &str| x.replace("\n\n", " ");
        prop_assume!(flat(&new).matches(&flat(&quote.exact)).count() == 1);
        // Long enough not to need its context (as matching counts: a paragraph break is a space).
        prop_assume!(flat(&quote.exact).chars().count() >= 16);
        let old_pos = keep_position.then_some(pos);
        let got = t.reanchor(&quote, old_pos);
        prop_assert_eq!(got.position, Some(TextPositionSelector { start: ns, end: ne }));
        prop_assert!(matches!(got.kind, AnchorKind::Exact | AnchorKind::Moved), "{:?}", got.kind);
        prop_assert_eq!(got.kind == AnchorKind::Exact, old_pos == Some(TextPositionSelector { start: ns, end: ne }));
    }

    #[test]
    fn one_char_changed_inside_the_quote_is_fuzzy_at_the_same_range(
        text in words(10..120),
        a in any::<Index>(),
        len in 6usize..16,
        at in any::<Index>(),
        c in proptest::char::ranges(vec!['a'..='z', 'а'..='я'].into()),
        keep_position in any::<bool>(),
    ) {
        let old = join(&text);
        let first = a.index(text.len());
        let last = (first + len).min(text.len());
        let s = join(&text[..first]).chars().count() + usize::from(first > 0) * if text[first].1 { 2 } else { 1 };
        let e = join(&text[..last]).chars().count();
        prop_assume!(e > s + 24);
        let (quote, pos) = Text::new(&old).selectors(s, e).expect("selectors");
        let mut chars: Vec<char> = old.chars().collect();
        let i = s + 2 + at.index(e - s - 4);
        prop_assume!(chars[i] != c && !chars[i].is_whitespace());
        chars[i] = c;
        let new: String = chars.into_iter().collect();
        let got = Text::new(&new).reanchor(&quote, keep_position.then_some(pos));
        prop_assert_eq!(got.kind, AnchorKind::Fuzzy { distance: 1 });
        prop_assert_eq!(got.position, Some(pos));
    }

    #[test]
    fn never_panics_on_arbitrary_input(
        text in ".{0,300}",
        exact in ".{0,60}",
        prefix in ".{0,40}",
        suffix in ".{0,40}",
        start in any::<usize>(),
        width in prop_oneof![Just(0usize), 0usize..80, any::<usize>()],
        small in any::<bool>(),
    ) {
        let t = Text::new(&text);
        let quote = TextQuoteSelector { exact, prefix, suffix };
        let start = if small { start % (t.len() + 5) } else { start };
        let old = TextPositionSelector { start, end: start.saturating_add(width) };
        for p in [Some(old), None] {
            let got = t.reanchor(&quote, p);
            prop_assert_eq!(got.position.is_none(), got.kind == AnchorKind::Orphan);
            if let Some(q) = got.position {
                prop_assert!(q.start < q.end && q.end <= t.len(), "{:?}", q);
                // The library rebuilds the selectors from the new range: that must work.
                prop_assert!(t.selectors(q.start, q.end).is_ok(), "{:?} {:?}", q, t.slice(q.start, q.end));
            }
            let _ = t.anchor(&quote, p);
        }
        let _ = t.reanchor_all(&[(quote.clone(), Some(old)), (quote, None)]);
    }

    #[test]
    fn quotes_taken_from_the_text_anchor_exactly(
        text in ".{1,200}",
        a in any::<Index>(),
        b in any::<Index>(),
    ) {
        let t = Text::new(&text);
        let s = a.index(t.len());
        let e = s + 1 + b.index(t.len() - s);
        if let Ok((quote, pos)) = t.selectors(s, e) {
            prop_assert_eq!(t.reanchor(&quote, Some(pos)).kind, AnchorKind::Exact);
            let got = t.reanchor(&quote, None);
            let invisible = |c: char| c.is_whitespace() || matches!(c, '\u{ad}' | '\u{200b}' | '\u{200c}' | '\u{2060}' | '\u{feff}');
            if quote.exact.chars().all(invisible) {
                prop_assert_eq!(got.kind, AnchorKind::Orphan);
                return Ok(());
            }
            let p = got.position.expect("found");
            // Found verbatim or up to normalization; a short quote may be an orphan only if
            // its context is empty, which cannot happen with text around it.
            prop_assert!(matches!(got.kind, AnchorKind::Moved), "{:?}", got);
            prop_assert!(p.end <= t.len());
        }
    }
}
