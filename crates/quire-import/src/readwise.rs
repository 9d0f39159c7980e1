//! Readwise's highlights CSV: `Highlight,Book Title,Book Author,Amazon Book ID,Note,Color,Tags,
//! Location Type,Location,Highlighted at,Document tags`, one row per highlight.
//!
//! The rows of one (title, author) are one item: a book or other source without an address,
//! whose content is its highlighted passages in location order (numerically, ties in file
//! order, rows without a location last). Kept per highlight: the text, its location as a label
//! ("Location 1234", "Page 12", "At 1:02:03" for a time offset; none for `order` or no type),
//! the note, tags, color (orange read as yellow), when it was made. Kept per item: title,
//! author, document tags, and the earliest highlight's date as when it was saved.

use std::collections::HashMap;

use time::OffsetDateTime;

use crate::pocket::table;
use crate::{dates, text, Color, Content, Export, Format, Highlight, Item, Passage, Result, Skipped};

pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    let (text, _) = text::decode(bytes);
    let csv = table::read(&text, &["highlight", "book title"], "")?;
    let col = |name: &str| csv.col(name);
    let (quote_c, title_c, author_c, note_c) = (col("highlight"), col("book title"), col("book author"), col("note"));
    let (color_c, tags_c, type_c, loc_c) = (col("color"), col("tags"), col("location type"), col("location"));
    let (date_c, doc_tags_c) = (col("highlighted at"), col("document tags"));
    let mut export = Export { format: Format::Readwise, items: Vec::new(), skipped: Vec::new() };
    // Per item: its highlights with their sort key (location, file order).
    let mut books: Vec<Vec<(Option<f64>, Highlight)>> = Vec::new();
    let mut by_key: HashMap<(String, String), usize> = HashMap::new();
    for row in &csv.rows {
        let row = match row {
            Ok(row) => row,
            Err(skipped) => {
                export.skipped.push(skipped.clone());
                continue;
            }
        };
        let at = format!("row {}", row.n);
        let quote = row.get(quote_c).trim();
        if quote.is_empty() {
            export.skipped.push(Skipped { at, reason: "the highlight has no text".into() });
            continue;
        }
        let created_at = match dates::column(row.get(date_c), "Highlighted at", dates::any) {
            Ok(date) => date,
            Err(reason) => {
                export.skipped.push(Skipped { at, reason });
                continue;
            }
        };
        let title = text::clean(row.get(title_c));
        let author = text::clean(row.get(author_c));
        let location = row.get(loc_c).trim();
        let mut highlight = Highlight::quote(quote);
        highlight.location = label(row.get(type_c), location);
        highlight.note = row.get(note_c).trim().to_owned();
        highlight.tags = text::tags(row.get(tags_c).split(','));
        highlight.color = color(row.get(color_c));
        highlight.created_at = created_at;

        let key = (title.clone().unwrap_or_default().to_lowercase(), author.clone().unwrap_or_default().to_lowercase());
        let i = match by_key.get(&key) {
            Some(&i) => i,
            None => {
                let mut item = Item::at(at);
                item.title = title;
                item.author = author;
                by_key.insert(key, export.items.len());
                export.items.push(item);
                books.push(Vec::new());
                export.items.len() - 1
            }
        };
        if let Some(item) = export.items.get_mut(i) {
            item.tags = text::tags(item.tags.iter().map(String::as_str).chain(row.get(doc_tags_c).split(',')));
            item.saved_at = earliest(item.saved_at, created_at);
        }
        if let Some(book) = books.get_mut(i) {
            book.push((location.parse::<f64>().ok().filter(|l| l.is_finite()), highlight));
        }
    }
    for (item, mut book) in export.items.iter_mut().zip(books) {
        // Stable: equal locations keep the file's order; no location goes last.
        book.sort_by(|(a, _), (b, _)| match (a, b) {
            (Some(a), Some(b)) => a.total_cmp(b),
            (Some(_), None) => std::cmp::Ordering::Less,
            (None, Some(_)) => std::cmp::Ordering::Greater,
            (None, None) => std::cmp::Ordering::Equal,
        });
        let passages = book.iter().map(|(_, h)| Passage { label: h.location.clone(), text: h.quote.clone() }).collect();
        item.content = Content::Passages(passages);
        item.highlights = book.into_iter().map(|(_, h)| h).collect();
    }
    Ok(export)
}

fn earliest(a: Option<OffsetDateTime>, b: Option<OffsetDateTime>) -> Option<OffsetDateTime> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// "Location 1234", "Page 12", "At 1:02:03"; none for `order`, an unknown type or no location.
fn label(kind: &str, location: &str) -> Option<String> {
    if location.is_empty() {
        return None;
    }
    match kind.trim().to_ascii_lowercase().as_str() {
        "location" => Some(format!("Location {location}")),
        "page" => Some(format!("Page {location}")),
        "time_offset" => match location.parse::<f64>() {
            Ok(secs) if secs.is_finite() && secs >= 0.0 => {
                let secs = secs as u64;
                let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
                Some(if h > 0 { format!("At {h}:{m:02}:{s:02}") } else { format!("At {m}:{s:02}") })
            }
            _ => None,
        },
        _ => None,
    }
}

/// Readwise's highlight colors as Quire's: orange is closest to yellow; others unknown.
fn color(s: &str) -> Option<Color> {
    match s.trim().to_ascii_lowercase().as_str() {
        "yellow" | "orange" => Some(Color::Yellow),
        "green" => Some(Color::Green),
        "blue" => Some(Color::Blue),
        "pink" => Some(Color::Pink),
        "purple" => Some(Color::Purple),
        "red" => Some(Color::Red),
        _ => None,
    }
}
