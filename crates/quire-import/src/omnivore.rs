//! Omnivore's export zip: `metadata_<from>_to_<to>.json` files (arrays of saved items: id, slug,
//! title, description, author, url, state, readingProgress, labels, savedAt, publishedAt…),
//! `content/<slug>.html` (the page as Omnivore kept it) and `highlights/<slug>.md` (each
//! highlight a `> quote` block, then optional `#label` lines, then an optional note). The files
//! may sit under one top folder. Kept: address, title, author, dates, state (ARCHIVED →
//! archived, 100 % read → read), progress, labels as tags, content, highlights with their labels
//! and notes. Omnivore does not export highlight colors or positions. DELETED items are skipped.

use std::collections::HashSet;

use serde::Deserialize;
use serde_json::Value;

use crate::wallabag::{entry_error, json_error};
use crate::zipped::Zip;
use crate::{dates, text, Content, Error, Export, Format, Highlight, Item, Limits, ReadState, Result, Skipped};

#[derive(Deserialize)]
struct Meta {
    title: Option<String>,
    author: Option<String>,
    url: Option<String>,
    state: Option<String>,
    #[serde(rename = "readingProgress")]
    reading_progress: Option<f64>,
    #[serde(default)]
    labels: Option<Vec<Label>>,
    #[serde(rename = "savedAt")]
    saved_at: Option<String>,
    #[serde(rename = "publishedAt")]
    published_at: Option<String>,
}

/// A label: a string, or an object with a name.
#[derive(Deserialize)]
#[serde(untagged)]
enum Label {
    Name(String),
    Object { name: Option<String> },
}

/// A metadata file of the zip: its full name, folder (with the trailing `/`), base name.
struct MetaFile {
    name: String,
    dir: String,
    base: String,
    from: u64,
}

pub(crate) fn parse(bytes: &[u8], limits: &Limits) -> Result<Export> {
    let mut zip = Zip::open(bytes, limits)?;
    let names = zip.names();
    let present: HashSet<&str> = names.iter().map(String::as_str).collect();
    let mut metas: Vec<MetaFile> = names
        .iter()
        .filter_map(|name| {
            let (dir, base) = match name.rfind('/') {
                Some(i) => (name.get(..=i)?, name.get(i + 1..)?),
                None => ("", name.as_str()),
            };
            let lower = base.to_ascii_lowercase();
            let range = lower.strip_prefix("metadata_")?.strip_suffix(".json")?;
            let from = range.split('_').next().and_then(|n| n.parse().ok()).unwrap_or(u64::MAX);
            Some(MetaFile { name: name.clone(), dir: dir.to_owned(), base: base.to_owned(), from })
        })
        .collect();
    if metas.is_empty() {
        return Err(Error::Unrecognized(
            "the zip holds no metadata_*.json file, so it is not an Omnivore export".into(),
        ));
    }
    metas.sort_by(|a, b| a.from.cmp(&b.from).then_with(|| a.name.cmp(&b.name)));

    let mut export = Export { format: Format::Omnivore, items: Vec::new(), skipped: Vec::new() };
    for meta in &metas {
        let (json, _) = text::decode(&zip.read(&meta.name)?);
        let doc: Value = serde_json::from_str(&json).map_err(|e| json_error(Some(&meta.base), &e))?;
        let Value::Array(entries) = doc else {
            return Err(Error::Malformed {
                at: meta.base.clone(),
                reason: "not a list of saved items (Omnivore writes a JSON array)".into(),
            });
        };
        for (i, value) in entries.into_iter().enumerate() {
            let slug = value.get("slug").and_then(Value::as_str).map(str::to_owned);
            let at = match &slug {
                Some(slug) => format!("{} item {} ({slug})", meta.base, i + 1),
                None => format!("{} item {}", meta.base, i + 1),
            };
            if !value.is_object() {
                export.skipped.push(Skipped { at, reason: "not a saved item (expected an object)".into() });
                continue;
            }
            let entry: Meta = match serde_json::from_value(value) {
                Ok(entry) => entry,
                Err(e) => {
                    export.skipped.push(Skipped { at, reason: entry_error(&e) });
                    continue;
                }
            };
            if entry.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("DELETED")) {
                export.skipped.push(Skipped { at, reason: "deleted in Omnivore".into() });
                continue;
            }
            let url = entry.url.as_deref().and_then(text::clean);
            let title = entry.title.as_deref().and_then(text::clean);
            if url.is_none() && title.is_none() {
                export.skipped.push(Skipped { at, reason: "no address and no title".into() });
                continue;
            }
            let mut item = Item::at(at);
            item.url = url;
            item.title = title;
            item.author = entry.author.as_deref().and_then(text::clean);
            item.saved_at = entry.saved_at.as_deref().and_then(dates::any);
            item.published_at = entry.published_at.as_deref().and_then(dates::any);
            item.tags = text::tags(entry.labels.unwrap_or_default().into_iter().filter_map(|l| match l {
                Label::Name(name) => Some(name),
                Label::Object { name } => name,
            }));
            let progress = entry.reading_progress.filter(|p| p.is_finite()).map(|p| (p / 100.0).clamp(0.0, 1.0));
            item.progress = progress;
            let archived = entry.state.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("ARCHIVED"));
            item.state = Some(if archived {
                ReadState::Archived
            } else if progress.is_some_and(|p| p >= 1.0) {
                ReadState::Read
            } else {
                ReadState::Unread
            });
            if let Some(slug) = slug.as_deref().filter(|s| !s.is_empty()) {
                let content = format!("{}content/{slug}.html", meta.dir);
                if present.contains(content.as_str()) {
                    let (html, _) = text::decode(&zip.read(&content)?);
                    if !html.trim().is_empty() {
                        item.content = Content::Html(html);
                    }
                }
                let highlights = format!("{}highlights/{slug}.md", meta.dir);
                if present.contains(highlights.as_str()) {
                    let (md, _) = text::decode(&zip.read(&highlights)?);
                    item.highlights = highlights_md(&md);
                }
            }
            export.items.push(item);
        }
    }
    Ok(export)
}

/// A highlight being read from the markdown file.
struct Draft {
    quote: Vec<String>,
    in_quote: bool,
    tags: Vec<String>,
    note: Vec<String>,
}

impl Draft {
    fn finish(self) -> Option<Highlight> {
        let quote = self.quote.join("\n");
        let quote = strip_link(quote.trim()).trim();
        if quote.is_empty() {
            return None;
        }
        let mut highlight = Highlight::quote(quote);
        highlight.tags = text::tags(self.tags);
        highlight.note = self.note.join("\n").trim().to_owned();
        Some(highlight)
    }
}

/// Omnivore's highlights file: `> quote` blocks (a quote over several `>` lines is joined with
/// newlines), each followed by optional `#label` lines, then optional note lines up to the next
/// quote.
pub(crate) fn highlights_md(md: &str) -> Vec<Highlight> {
    let mut out = Vec::new();
    let mut current: Option<Draft> = None;
    for line in md.lines() {
        let line = line.strip_prefix('\u{feff}').unwrap_or(line);
        if let Some(rest) = line.strip_prefix('>') {
            let rest = rest.strip_prefix(' ').unwrap_or(rest);
            match current.as_mut() {
                Some(draft) if draft.in_quote => draft.quote.push(rest.to_owned()),
                _ => {
                    out.extend(current.take().and_then(Draft::finish));
                    current = Some(Draft {
                        quote: vec![rest.to_owned()],
                        in_quote: true,
                        tags: Vec::new(),
                        note: Vec::new(),
                    });
                }
            }
            continue;
        }
        // Lines before the first quote (a heading) are not part of any highlight.
        let Some(draft) = current.as_mut() else { continue };
        draft.in_quote = false;
        let trimmed = line.trim();
        let words: Vec<&str> = trimmed.split_whitespace().collect();
        let is_labels = draft.note.iter().all(|l| l.trim().is_empty())
            && !words.is_empty()
            && words.iter().all(|w| w.len() > 1 && w.starts_with('#') && !w.starts_with("##"));
        if is_labels {
            draft.tags.extend(words.iter().filter_map(|w| w.strip_prefix('#')).map(str::to_owned));
        } else if !trimmed.is_empty() || !draft.note.is_empty() {
            draft.note.push(line.trim_end().to_owned());
        }
    }
    out.extend(current.and_then(Draft::finish));
    out
}

/// Omnivore may end a quote with a link back to the highlight: ` [⤴️](https://…)`.
fn strip_link(quote: &str) -> &str {
    if let Some(i) = quote.rfind(" [⤴️](") {
        if quote.ends_with(')') {
            return quote.get(..i).unwrap_or(quote);
        }
    }
    quote
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn highlights_with_labels_notes_and_long_quotes() {
        let md = "# Title\n\n> First line\n> second line\n\n#nato #ukraine\n#war/history\n\nA note\non two lines\n\n> Plain [⤴️](https://omnivore.app/me/x#1)\n\n>\n\n> Last\nnote #not-a-label\n";
        let h = highlights_md(md);
        assert_eq!(h.len(), 3);
        assert_eq!(h[0].quote, "First line\nsecond line");
        assert_eq!(h[0].tags, ["nato", "ukraine", "war/history"]);
        assert_eq!(h[0].note, "A note\non two lines");
        assert_eq!(h[1].quote, "Plain");
        assert_eq!(h[1].note, "");
        assert_eq!(h[2].quote, "Last");
        assert_eq!(h[2].note, "note #not-a-label");
        assert!(highlights_md("").is_empty());
        assert!(highlights_md("no quotes at all").is_empty());
    }
}
