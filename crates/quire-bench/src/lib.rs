//! Scoring for `quire-bench`: the visible text of an HTML fragment, token-level F1 between two
//! texts, metadata comparison, percentiles. Pure functions, unit-tested here; the binary
//! (`main.rs`) does the I/O, the timing and the printing.

pub mod corpus;
pub mod library;

use std::collections::HashMap;

use dom_query::{Document as Dom, NodeRef};
use unicode_segmentation::UnicodeSegmentation;

/// Elements whose boundaries separate words in rendered text (so that `<p>a</p><p>b</p>` is
/// two words, while `Ukr<b>aine</b>` stays one).
const BLOCKISH: &[&str] = &[
    "address",
    "article",
    "aside",
    "blockquote",
    "br",
    "caption",
    "dd",
    "details",
    "div",
    "dl",
    "dt",
    "figcaption",
    "figure",
    "footer",
    "h1",
    "h2",
    "h3",
    "h4",
    "h5",
    "h6",
    "header",
    "hr",
    "img",
    "li",
    "main",
    "nav",
    "ol",
    "p",
    "pre",
    "section",
    "summary",
    "table",
    "tbody",
    "td",
    "tfoot",
    "th",
    "thead",
    "tr",
    "ul",
];

/// The visible text of an HTML document or fragment: every text node except those inside
/// `script`, `style`, `noscript` and `template`, a space at block boundaries, whitespace
/// collapsed to single spaces.
pub fn visible_text(html: &str) -> String {
    let dom = Dom::from(html);
    let mut out = String::with_capacity(html.len() / 2);
    collect_text(&dom.root(), &mut out);
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn collect_text(node: &NodeRef<'_>, out: &mut String) {
    for child in node.children_it(false) {
        if child.is_text() {
            out.push_str(&child.text());
        } else if child.is_element() {
            let name = child.node_name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
            if matches!(name.as_str(), "script" | "style" | "noscript" | "template") {
                continue;
            }
            let blockish = BLOCKISH.contains(&name.as_str());
            if blockish {
                out.push(' ');
            }
            collect_text(&child, out);
            if blockish {
                out.push(' ');
            }
        } else if child.is_document() || child.is_fragment() {
            collect_text(&child, out);
        }
    }
}

/// Unicode words (UAX #29) of a text, lowercased; only words holding a letter or a digit count
/// (punctuation never does). Ideographs are one word each, as UAX #29 says.
pub fn tokens(text: &str) -> Vec<String> {
    text.unicode_words().filter(|w| w.chars().any(char::is_alphanumeric)).map(str::to_lowercase).collect()
}

/// Token-level F1 of `got` against `expected`: precision and recall of the multiset overlap.
/// Two empty texts agree (1.0); one empty text against a non-empty one scores 0.0.
pub fn f1(got: &str, expected: &str) -> f64 {
    let got = tokens(got);
    let expected = tokens(expected);
    if got.is_empty() && expected.is_empty() {
        return 1.0;
    }
    if got.is_empty() || expected.is_empty() {
        return 0.0;
    }
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for t in &expected {
        *counts.entry(t).or_default() += 1;
    }
    let mut overlap = 0usize;
    for t in &got {
        if let Some(c) = counts.get_mut(t.as_str()) {
            if *c > 0 {
                *c -= 1;
                overlap += 1;
            }
        }
    }
    if overlap == 0 {
        return 0.0;
    }
    let precision = overlap as f64 / got.len() as f64;
    let recall = overlap as f64 / expected.len() as f64;
    2.0 * precision * recall / (precision + recall)
}

/// Whitespace-normalized text, `None` when empty.
pub fn normalized(s: Option<&str>) -> Option<String> {
    let s = s?.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// The metadata rule: both sides whitespace-normalized (trimmed, runs of whitespace → one
/// space), then equal, case-sensitively. An expected `null` (or empty) is matched only by no
/// value (or an empty one).
pub fn meta_matches(got: Option<&str>, expected: Option<&str>) -> bool {
    normalized(got) == normalized(expected)
}

/// Nearest-rank percentile (`p` in 0..=100) of unsorted values; 0 for no values.
pub fn percentile(values: &[f64], p: f64) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    let rank = ((p / 100.0) * v.len() as f64).ceil().max(1.0) as usize;
    v[rank.min(v.len()) - 1]
}

/// Median of unsorted values; 0 for none.
pub fn median(values: &[f64]) -> f64 {
    percentile(values, 50.0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn visible_text_skips_scripts_and_separates_blocks() {
        let html = "<div><p>One <b>Ukr</b>aine</p><p>two</p><script>var x = 1;</script>\
                    <style>p{}</style><ul><li>three</li><li>four<br>five</li></ul></div>";
        assert_eq!(visible_text(html), "One Ukraine two three four five");
    }

    #[test]
    fn tokens_are_lowercased_unicode_words() {
        assert_eq!(tokens("Hello, World! It's 3.5 — “ok”"), ["hello", "world", "it's", "3.5", "ok"]);
        assert_eq!(tokens("日本語テキスト"), ["日", "本", "語", "テキスト"]);
    }

    #[test]
    fn f1_is_multiset_overlap() {
        assert_eq!(f1("a b c", "a b c"), 1.0);
        assert_eq!(f1("", ""), 1.0);
        assert_eq!(f1("a", ""), 0.0);
        // got: a a b (3), expected: a b c d (4), overlap a b = 2 → p 2/3, r 1/2 → 4/7.
        assert!((f1("a a b", "a b c d") - 4.0 / 7.0).abs() < 1e-12);
    }

    #[test]
    fn metadata_rule() {
        assert!(meta_matches(Some("  A\n title "), Some("A title")));
        assert!(!meta_matches(Some("a title"), Some("A title")));
        assert!(meta_matches(None, None));
        assert!(meta_matches(Some(" "), None));
        assert!(!meta_matches(Some("By Me"), None));
        assert!(!meta_matches(None, Some("By Me")));
    }

    #[test]
    fn percentiles() {
        let v = [5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(median(&v), 3.0);
        assert_eq!(percentile(&v, 95.0), 5.0);
        assert_eq!(percentile(&[], 50.0), 0.0);
    }
}
