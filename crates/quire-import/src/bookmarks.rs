//! A browser's bookmarks file (the Netscape bookmark format every browser exports):
//! `<DT><H3>Folder</H3><DL><p><DT><A HREF="…" ADD_DATE="…" TAGS="a,b">Title</A>…</DL>`, nested.
//!
//! Every link to a web page (http or https) is an item. Kept: address, title, `ADD_DATE` as when
//! it was saved (Unix seconds), the `TAGS` attribute (Firefox) as tags, and the folder the link
//! is in as one more tag, its path joined with `/` ("Research/NATO", a sub-tag in Quire). The
//! browser's own top folders (Bookmarks bar, Bookmarks Toolbar, Other bookmarks, Bookmarks Menu,
//! Mobile bookmarks, Favorites bar…) are left out of the path when they are its first segment,
//! so a link directly in one of them has no folder tag. Other links (javascript:, place:,
//! file:…) are skipped, each with its reason.

use dom_query::{Document, NodeRef};
use time::OffsetDateTime;

use crate::{text, Export, Format, Item, Result, Skipped};

/// The browsers' top folders (compared ignoring case).
const ROOTS: &[&str] = &[
    "bookmarks bar",
    "bookmarks toolbar",
    "other bookmarks",
    "bookmarks menu",
    "mobile bookmarks",
    "favorites bar",
    "other favorites",
    "favorites",
    "bookmarks",
];

pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    let (html, _) = text::decode(bytes);
    // Folders nested past any real file (a crafted one) are flattened first, as for pages.
    let doc = Document::from(quire_clip::limit_nesting(&html).0.as_ref());
    let mut export = Export { format: Format::Bookmarks, items: Vec::new(), skipped: Vec::new() };
    let mut n = 0;
    for node in doc.root().descendants_it() {
        if !node.node_name().is_some_and(|t| t.eq_ignore_ascii_case("a")) {
            continue;
        }
        n += 1;
        let at = format!("bookmark {n}");
        let href = node.attr("href").map(|h| h.trim().to_owned()).unwrap_or_default();
        if href.is_empty() {
            export.skipped.push(Skipped { at, reason: "no address".into() });
            continue;
        }
        let scheme = href.split_once(':').map(|(s, _)| s.to_ascii_lowercase());
        if !matches!(scheme.as_deref(), Some("http" | "https")) {
            let shown: String = href.chars().take(60).collect();
            let reason = match scheme {
                Some(s) if !s.is_empty() && s.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c)) => {
                    format!("a {s}: link, not a web page ({shown})")
                }
                _ => format!("not a web address ({shown})"),
            };
            export.skipped.push(Skipped { at, reason });
            continue;
        }
        let added = node.attr("add_date").map(|d| d.trim().to_owned()).unwrap_or_default();
        let saved_at = if added.is_empty() {
            None
        } else {
            match date(&added) {
                Some(t) => Some(t),
                None => {
                    export.skipped.push(Skipped { at, reason: format!("ADD_DATE \"{added}\" is not a date") });
                    continue;
                }
            }
        };
        let mut item = Item::at(at);
        item.title = text::clean(&node.text()).filter(|t| *t != href);
        item.saved_at = saved_at;
        let folder = folder_path(&node);
        let attr_tags = node.attr("tags").map(|t| t.to_string()).unwrap_or_default();
        item.tags = text::tags(folder.into_iter().chain(attr_tags.split(',').map(str::to_owned)));
        item.url = Some(href);
        export.items.push(item);
    }
    Ok(export)
}

/// Unix seconds (or milliseconds, or the microseconds some browsers write).
fn date(s: &str) -> Option<OffsetDateTime> {
    let n: i64 = s.parse().ok()?;
    let secs = match n.unsigned_abs() {
        m if m > 100_000_000_000_000 => n / 1_000_000,
        m if m > 100_000_000_000 => n / 1000,
        _ => n,
    };
    OffsetDateTime::from_unix_timestamp(secs).ok()
}

/// The folders around a link, outermost first, joined with `/`; the browser's top folder left
/// out. Each folder is a `<DL>` whose previous sibling is its `<H3>` name.
fn folder_path(link: &NodeRef) -> Option<String> {
    let mut names: Vec<(String, bool)> = Vec::new();
    for dl in link.ancestors_it(None) {
        if !dl.node_name().is_some_and(|t| t.eq_ignore_ascii_case("dl")) {
            continue;
        }
        let Some(h3) = dl.prev_element_sibling() else { continue };
        if !h3.node_name().is_some_and(|t| t.eq_ignore_ascii_case("h3")) {
            continue;
        }
        let Some(name) = text::clean(&h3.text()) else { continue };
        let is_root = h3.has_attr("personal_toolbar_folder")
            || h3.has_attr("unfiled_bookmarks_folder")
            || ROOTS.iter().any(|r| name.eq_ignore_ascii_case(r));
        names.push((name, is_root));
    }
    names.reverse();
    let mut names = names.into_iter().peekable();
    if names.peek().is_some_and(|(_, root)| *root) {
        names.next();
    }
    let path: Vec<String> = names.map(|(n, _)| n).collect();
    (!path.is_empty()).then(|| path.join("/"))
}
