//! Instapaper's CSV export: `URL,Title,Selection,Folder` and, in exports since late 2025,
//! `URL,Title,Selection,Folder,Timestamp,Tags` (Unix seconds; tags a JSON array such as
//! `["nato","ukraine"]`).
//!
//! Kept: address, title, when it was saved, the folder as state (`Unread`, `Archive`), as a
//! favorite (`Starred`, left unread) or as a tag (any other folder, left unread), tags, and the
//! selection as a highlight. Rows with the same address are one item, their highlights merged.

use std::collections::HashMap;

use crate::pocket::table;
use crate::{dates, text, Export, Format, Highlight, Item, ReadState, Result, Skipped};

pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    let (text, _) = text::decode(bytes);
    let csv = table::read(&text, &["url", "title", "selection", "folder"], "")?;
    let (url, title, selection, folder) = (csv.col("url"), csv.col("title"), csv.col("selection"), csv.col("folder"));
    let (timestamp, tags) = (csv.col("timestamp"), csv.col("tags"));
    let mut export = Export { format: Format::Instapaper, items: Vec::new(), skipped: Vec::new() };
    let mut by_url: HashMap<String, usize> = HashMap::new();
    for row in &csv.rows {
        let row = match row {
            Ok(row) => row,
            Err(skipped) => {
                export.skipped.push(skipped.clone());
                continue;
            }
        };
        let at = format!("row {}", row.n);
        let Some(address) = text::clean(row.get(url)) else {
            export.skipped.push(Skipped { at, reason: "no URL".into() });
            continue;
        };
        let saved_at = match dates::column(row.get(timestamp), "Timestamp", dates::unix) {
            Ok(date) => date,
            Err(reason) => {
                export.skipped.push(Skipped { at, reason });
                continue;
            }
        };
        let mut row_tags = parse_tags(row.get(tags));
        let (state, favorite) = match row.get(folder).trim() {
            f if f.eq_ignore_ascii_case("unread") || f.is_empty() => (ReadState::Unread, false),
            f if f.eq_ignore_ascii_case("archive") => (ReadState::Archived, false),
            f if f.eq_ignore_ascii_case("starred") => (ReadState::Unread, true),
            f => {
                row_tags.insert(0, f.to_owned());
                (ReadState::Unread, false)
            }
        };
        let quote = row.get(selection).trim();
        let highlight = (!quote.is_empty()).then(|| Highlight::quote(quote));

        if let Some(&i) = by_url.get(&address) {
            let Some(item) = export.items.get_mut(i) else { continue };
            item.favorite |= favorite;
            if state == ReadState::Archived {
                item.state = Some(state);
            }
            item.saved_at = match (item.saved_at, saved_at) {
                (Some(a), Some(b)) => Some(a.min(b)),
                (a, b) => a.or(b),
            };
            if item.title.is_none() {
                item.title = text::clean(row.get(title));
            }
            item.tags = text::tags(item.tags.iter().chain(row_tags.iter()));
            if let Some(h) = highlight {
                if !item.highlights.iter().any(|old| old.quote == h.quote) {
                    item.highlights.push(h);
                }
            }
            continue;
        }
        let mut item = Item::at(at);
        item.title = text::clean(row.get(title)).filter(|t| *t != address);
        item.url = Some(address.clone());
        item.saved_at = saved_at;
        item.state = Some(state);
        item.favorite = favorite;
        item.tags = text::tags(row_tags);
        item.highlights.extend(highlight);
        by_url.insert(address, export.items.len());
        export.items.push(item);
    }
    Ok(export)
}

/// The Tags column: a JSON array of strings; anything else is read as comma-separated tags.
fn parse_tags(s: &str) -> Vec<String> {
    let s = s.trim();
    if s.is_empty() {
        return Vec::new();
    }
    match serde_json::from_str::<Vec<String>>(s) {
        Ok(tags) => tags,
        Err(_) => s
            .trim_start_matches('[')
            .trim_end_matches(']')
            .split(',')
            .map(|t| t.trim().trim_matches('"').to_owned())
            .collect(),
    }
}
