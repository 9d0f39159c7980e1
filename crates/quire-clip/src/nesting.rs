//! A guard against pathologically deep pages (200,000 nested `<div>`s): HTML parsing and
//! readability scoring both cost time proportional to nesting depth per element, so such a page
//! would take minutes. Before parsing, container tags nested deeper than [`MAX_DEPTH`] are
//! dropped (with their end tags); their text stays. Ordinary pages are never that deep and
//! pass through untouched.

use std::borrow::Cow;

/// Deepest nesting of container elements kept.
pub const MAX_DEPTH: usize = 256;

/// Elements whose end tag is optional or that have none: they do not count towards depth.
fn counts(name: &str) -> bool {
    !matches!(
        name,
        "p" | "li"
            | "dt"
            | "dd"
            | "tr"
            | "td"
            | "th"
            | "option"
            | "optgroup"
            | "thead"
            | "tbody"
            | "tfoot"
            | "colgroup"
            | "caption"
            | "rb"
            | "rt"
            | "rp"
            | "br"
            | "img"
            | "input"
            | "meta"
            | "link"
            | "hr"
            | "wbr"
            | "source"
            | "area"
            | "base"
            | "col"
            | "embed"
            | "param"
            | "track"
            | "html"
            | "head"
            | "body"
    )
}

/// `html` with container tags deeper than [`MAX_DEPTH`] removed; borrowed when nothing changed.
/// Returns the number of tags removed too.
pub fn limit_nesting(html: &str) -> (Cow<'_, str>, usize) {
    // Cheap exit: a page with fewer tags than the limit cannot exceed it.
    if html.matches('<').count() <= MAX_DEPTH {
        return (Cow::Borrowed(html), 0);
    }
    let bytes = html.as_bytes();
    let mut out = String::new();
    let mut copied = 0; // bytes of `html` already handled
    let mut depth = 0usize;
    let mut dropped_open = 0usize;
    let mut removed = 0usize;
    let mut i = 0;
    while let Some(pos) = memchr(b'<', &bytes[i..]) {
        let lt = i + pos;
        let rest = &html[lt..];
        if rest.starts_with("<!--") {
            i = rest.find("-->").map_or(bytes.len(), |e| lt + e + 3);
            continue;
        }
        let closing = rest.starts_with("</");
        let name_start = lt + if closing { 2 } else { 1 };
        let name_len = bytes[name_start..].iter().take_while(|b| b.is_ascii_alphanumeric() || **b == b'-').count();
        if name_len == 0 {
            i = lt + 1;
            continue;
        }
        let name = html[name_start..name_start + name_len].to_ascii_lowercase();
        let Some(gt) = memchr(b'>', &bytes[name_start..]).map(|p| name_start + p) else { break };
        let end = gt + 1;
        // Raw-text elements: skip their content entirely.
        if !closing && matches!(name.as_str(), "script" | "style" | "textarea" | "title" | "xmp" | "noscript") {
            let close = format!("</{name}");
            let lower_rest = html[end..].to_ascii_lowercase();
            i = lower_rest.find(&close).map_or(bytes.len(), |p| end + p);
            continue;
        }
        let self_closing = bytes[gt.saturating_sub(1)] == b'/';
        if counts(&name) && !self_closing {
            let drop = if closing {
                if dropped_open > 0 {
                    dropped_open -= 1;
                    true
                } else {
                    depth = depth.saturating_sub(1);
                    false
                }
            } else if depth >= MAX_DEPTH {
                dropped_open += 1;
                true
            } else {
                depth += 1;
                false
            };
            if drop {
                out.push_str(&html[copied..lt]);
                copied = end;
                removed += 1;
            }
        }
        i = end;
    }
    if removed == 0 {
        return (Cow::Borrowed(html), 0);
    }
    out.push_str(&html[copied..]);
    (Cow::Owned(out), removed)
}

fn memchr(needle: u8, haystack: &[u8]) -> Option<usize> {
    haystack.iter().position(|&b| b == needle)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deep_pages_are_flattened_and_ordinary_pages_untouched() {
        let ordinary = format!(
            "<html><body>{}<script>if (a<b) {{ '<div>' }}</script></body></html>",
            "<div><p>x</div>".repeat(1000)
        );
        assert!(matches!(limit_nesting(&ordinary), (Cow::Borrowed(_), 0)));
        let deep = format!("<body>{}<p>bottom</p>{}</body>", "<div class=\"a\">".repeat(1000), "</div>".repeat(1000));
        let (flat, removed) = limit_nesting(&deep);
        assert_eq!(removed, 2 * (1000 - MAX_DEPTH));
        assert_eq!(flat.matches("<div").count(), MAX_DEPTH);
        assert_eq!(flat.matches("</div>").count(), MAX_DEPTH);
        assert!(flat.contains("<p>bottom</p>"));
        // Many unclosed paragraphs are not nesting.
        let old_style = format!("<body>{}</body>", "<p>para".repeat(2000));
        assert!(matches!(limit_nesting(&old_style), (Cow::Borrowed(_), 0)));
    }
}
