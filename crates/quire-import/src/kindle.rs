//! A Kindle's `My Clippings.txt`: entries separated by `==========` lines, each a
//! `Title (Author)` line, a metadata line (`- Your Highlight on page 12 | Location 180-183 |
//! Added on …`, also in German, French and Spanish), a blank line and the text. One item per
//! book (title and author), its content the highlighted passages in location order, each also a
//! highlight with its location and date. A note goes to the highlight whose locations hold the
//! note's location, else it is a note on the book. When a passage was highlighted again (its
//! locations overlap and one text holds the other) only the later clipping is kept. Bookmarks
//! have no text and are skipped. Dates are the device's local time, without an offset: they are
//! taken as UTC.

use time::{Date, Month, OffsetDateTime, PrimitiveDateTime, Time};

use crate::{text, Content, Export, Format, Highlight, Item, Passage, Result, Skipped};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Highlight,
    Note,
    Bookmark,
}

/// What a metadata line says.
#[derive(Debug, PartialEq, Eq)]
struct Meta {
    kind: Kind,
    page: Option<String>,
    location: Option<(u64, u64)>,
    added: Option<OffsetDateTime>,
}

/// A highlight or note of a book, in the file's order.
struct Clip {
    order: usize,
    location: Option<(u64, u64)>,
    page: Option<String>,
    text: String,
    added: Option<OffsetDateTime>,
}

struct Book {
    item: Item,
    highlights: Vec<Clip>,
    notes: Vec<Clip>,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    let (text, _) = text::decode(bytes);
    let mut export = Export { format: Format::Kindle, items: Vec::new(), skipped: Vec::new() };
    let mut books: Vec<Book> = Vec::new();

    let mut entry: Vec<(usize, &str)> = Vec::new();
    let mut number = 0;
    let mut order = 0;
    let lines = text.lines().enumerate().map(|(i, l)| (i + 1, l)).chain(std::iter::once((0, "==========")));
    for (line_number, line) in lines {
        if line.trim().trim_start_matches('\u{feff}') != "==========" {
            entry.push((line_number, line));
            continue;
        }
        let lines = std::mem::take(&mut entry);
        let mut lines =
            lines.iter().map(|(n, l)| (*n, l.trim_start_matches('\u{feff}'))).skip_while(|(_, l)| l.trim().is_empty());
        let Some((first_line, head)) = lines.next() else { continue };
        number += 1;
        let at = format!("entry {number} (line {first_line})");
        let Some(meta) = lines.next().map(|(_, l)| l.trim()).filter(|l| l.starts_with('-')).and_then(metadata) else {
            export
                .skipped
                .push(Skipped {
                    at, reason: "not a clipping: no “- Your Highlight …” line after the title".into()
                });
            continue;
        };
        if meta.kind == Kind::Bookmark {
            export.skipped.push(Skipped { at, reason: "a bookmark (no text)".into() });
            continue;
        }
        let body: Vec<&str> = lines.map(|(_, l)| l).collect();
        let body = body.join("\n");
        let body = body.trim();
        if body.is_empty() {
            export.skipped.push(Skipped { at, reason: "a clipping without text".into() });
            continue;
        }
        let (title, author) = title_author(head.trim());
        let index = match books.iter().position(|b| b.item.title.as_deref() == Some(&title) && b.item.author == author)
        {
            Some(i) => i,
            None => {
                let mut item = Item::at(at.clone());
                item.title = Some(title);
                item.author = author;
                books.push(Book { item, highlights: Vec::new(), notes: Vec::new() });
                books.len() - 1
            }
        };
        let Some(book) = books.get_mut(index) else { continue };
        order += 1;
        let clip = Clip { order, location: meta.location, page: meta.page, text: body.to_owned(), added: meta.added };
        if let Some(added) = clip.added {
            if book.item.saved_at.is_none_or(|t| added < t) {
                book.item.saved_at = Some(added);
            }
        }
        match meta.kind {
            Kind::Highlight => {
                book.highlights.retain(|kept| !same_passage(kept, &clip));
                book.highlights.push(clip);
            }
            _ => book.notes.push(clip),
        }
    }

    for mut book in books {
        book.highlights.sort_by_key(|c| (c.location.map_or(u64::MAX, |l| l.0), c.order));
        let mut highlights: Vec<Highlight> = book
            .highlights
            .iter()
            .map(|clip| {
                let mut highlight = Highlight::quote(clip.text.clone());
                highlight.location = label(clip);
                highlight.created_at = clip.added;
                highlight
            })
            .collect();
        for note in &book.notes {
            let target = note.location.and_then(|(at, _)| {
                let holds = |c: &&Clip| c.location.is_some_and(|(start, end)| start <= at && at <= end);
                let ends_there = book
                    .highlights
                    .iter()
                    .filter(holds)
                    .filter(|c| c.location.is_some_and(|l| l.1 == at))
                    .max_by_key(|c| c.order);
                let best = ends_there.or_else(|| book.highlights.iter().filter(holds).max_by_key(|c| c.order))?;
                book.highlights.iter().position(|c| c.order == best.order)
            });
            match target.and_then(|i| highlights.get_mut(i)) {
                Some(highlight) => {
                    if !highlight.note.is_empty() {
                        highlight.note.push_str("\n\n");
                    }
                    highlight.note.push_str(&note.text);
                }
                None => book.item.notes.push(note.text.clone()),
            }
        }
        book.item.content = Content::Passages(
            book.highlights.iter().map(|clip| Passage { label: label(clip), text: clip.text.clone() }).collect(),
        );
        book.item.highlights = highlights;
        export.items.push(book.item);
    }
    Ok(export)
}

/// Whether a new clipping highlights again what `kept` did: their locations overlap and one text
/// holds the other.
fn same_passage(kept: &Clip, new: &Clip) -> bool {
    let overlap = match (kept.location, new.location) {
        (Some((a, b)), Some((c, d))) => a <= d && c <= b,
        _ => kept.page == new.page,
    };
    overlap && (kept.text.contains(&new.text) || new.text.contains(&kept.text))
}

/// "Page 12 · Location 180–183", "Location 180–183", "Page 12".
fn label(clip: &Clip) -> Option<String> {
    let location =
        clip.location.map(
            |(start, end)| {
                if start == end {
                    format!("Location {start}")
                } else {
                    format!("Location {start}–{end}")
                }
            },
        );
    match (&clip.page, location) {
        (Some(page), Some(location)) => Some(format!("Page {page} · {location}")),
        (Some(page), None) => Some(format!("Page {page}")),
        (None, location) => location,
    }
}

/// `Title (Author)`: the author is the last parenthesized group.
fn title_author(line: &str) -> (String, Option<String>) {
    if let Some(inner) = line.strip_suffix(')') {
        let mut depth = 0usize;
        for (i, c) in inner.char_indices().rev() {
            match c {
                ')' => depth += 1,
                '(' if depth > 0 => depth -= 1,
                '(' => {
                    let title = inner.get(..i).and_then(text::clean);
                    let author = inner.get(i + 1..).and_then(text::clean);
                    if let Some(title) = title {
                        return (title, author);
                    }
                    break;
                }
                _ => {}
            }
        }
    }
    (text::clean(line).unwrap_or_default(), None)
}

const BOOKMARK: &[&str] = &["bookmark", "lesezeichen", "signet", "marcador", "marque-page", "segnalibro"];
const NOTE: &[&str] = &["note", "notiz", "nota"];
const HIGHLIGHT: &[&str] = &["highlight", "markierung", "surlignement", "subrayado", "evidenziazione", "destaque"];
const PAGE: &[&str] = &["page", "seite", "página", "pagina"];
const LOCATION: &[&str] = &["location", "loc.", "position", "emplacement", "posición", "posizione", "posição"];
const ADDED: &[&str] = &["added on", "hinzugefügt am", "ajouté le", "añadido el", "aggiunto il", "adicionado"];

/// The metadata line of a clipping, `None` when it names no kind Quire knows.
fn metadata(line: &str) -> Option<Meta> {
    let mut parts = line.trim_start_matches('-').split('|').map(str::trim);
    let first = parts.next()?.to_lowercase();
    let words: Vec<&str> = first.split_whitespace().collect();
    let has = |list: &[&str]| words.iter().any(|w| list.contains(w));
    let kind = if has(BOOKMARK) {
        Kind::Bookmark
    } else if has(HIGHLIGHT) {
        Kind::Highlight
    } else if has(NOTE) {
        Kind::Note
    } else {
        return None;
    };
    let mut meta = Meta { kind, page: None, location: None, added: None };
    for part in
        std::iter::once(first.as_str()).chain(parts.map(|p| p.trim())).map(str::to_lowercase).collect::<Vec<_>>()
    {
        if let Some(added) = ADDED.iter().find_map(|k| part.find(k).map(|i| (i, k.len()))) {
            meta.added = part.get(added.0 + added.1..).and_then(date);
            continue;
        }
        let words: Vec<&str> = part.split_whitespace().collect();
        for (i, word) in words.iter().enumerate() {
            let next = words.get(i + 1).copied();
            if PAGE.contains(word) && meta.page.is_none() {
                meta.page = next.map(|n| n.trim_end_matches([',', '.']).to_owned()).filter(|n| !n.is_empty());
            }
            if LOCATION.contains(word) && meta.location.is_none() {
                meta.location = next.and_then(range);
            }
        }
    }
    Some(meta)
}

/// `180-183` (also `180-83`, the old Kindles' short form, and a single `183`).
fn range(s: &str) -> Option<(u64, u64)> {
    let s = s.trim_end_matches([',', '.']);
    let (start, end) = match s.split_once(['-', '–']) {
        Some((a, b)) => (a, b),
        None => (s, s),
    };
    let a: u64 = start.parse().ok()?;
    let mut b: u64 = end.parse().ok()?;
    if b < a && end.len() < start.len() {
        // "180-83": the end's missing digits are the start's.
        let digits = u32::try_from(end.len()).ok()?;
        let scale = 10u64.checked_pow(digits)?;
        b += a / scale * scale;
        if b < a {
            b += scale;
        }
    }
    (a <= b).then_some((a, b))
}

#[rustfmt::skip]
const MONTHS: &[(&str, u8)] = &[
    ("january", 1), ("jan", 1), ("januar", 1), ("jänner", 1), ("janvier", 1), ("enero", 1),
    ("february", 2), ("feb", 2), ("februar", 2), ("février", 2), ("fevrier", 2), ("febrero", 2),
    ("march", 3), ("mar", 3), ("märz", 3), ("mars", 3), ("marzo", 3),
    ("april", 4), ("apr", 4), ("avril", 4), ("abril", 4),
    ("may", 5), ("mai", 5), ("mayo", 5),
    ("june", 6), ("jun", 6), ("juni", 6), ("juin", 6), ("junio", 6),
    ("july", 7), ("jul", 7), ("juli", 7), ("juillet", 7), ("julio", 7),
    ("august", 8), ("aug", 8), ("août", 8), ("aout", 8), ("agosto", 8),
    ("september", 9), ("sep", 9), ("sept", 9), ("septembre", 9), ("septiembre", 9), ("setiembre", 9),
    ("october", 10), ("oct", 10), ("oktober", 10), ("octobre", 10), ("octubre", 10),
    ("november", 11), ("nov", 11), ("novembre", 11), ("noviembre", 11),
    ("december", 12), ("dec", 12), ("dezember", 12), ("décembre", 12), ("decembre", 12), ("diciembre", 12),
];

/// A date as the Kindle writes it in its language: `Tuesday, 11 July 2023 09:30:00`,
/// `Tuesday, July 11, 2023 9:30:00 AM`, `Dienstag, 11. Juli 2023 09:30:00`,
/// `mardi 11 juillet 2023 09:30:00`, `martes, 11 de julio de 2023 9:30:00`.
fn date(s: &str) -> Option<OffsetDateTime> {
    let (mut year, mut month, mut day, mut clock, mut pm) = (None, None, None, None, None);
    for token in s.split(|c: char| c.is_whitespace() || c == ',').filter(|t| !t.is_empty()) {
        let token = token.trim_end_matches('.').to_lowercase();
        if token.contains(':') {
            let mut parts = token.split(':').map(|p| p.parse::<u8>().ok());
            let h = parts.next().flatten()?;
            let m = parts.next().flatten()?;
            let sec = parts.next().flatten().unwrap_or(0);
            clock = Some((h, m, sec));
        } else if token == "am" || token == "a.m" {
            pm = Some(false);
        } else if token == "pm" || token == "p.m" {
            pm = Some(true);
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            if token.len() == 4 {
                year = token.parse::<i32>().ok();
            } else if day.is_none() {
                day = token.parse::<u8>().ok();
            }
        } else if month.is_none() {
            month = MONTHS.iter().find(|(name, _)| *name == token).map(|(_, n)| *n);
        }
    }
    let date = Date::from_calendar_date(year?, Month::try_from(month?).ok()?, day?).ok()?;
    let (mut h, m, sec) = clock.unwrap_or((0, 0, 0));
    match pm {
        Some(true) if h < 12 => h += 12,
        Some(false) if h == 12 => h = 0,
        _ => {}
    }
    let time = Time::from_hms(h, m, sec).ok()?;
    Some(PrimitiveDateTime::new(date, time).assume_utc())
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    #[test]
    fn metadata_lines_in_four_languages() {
        let t = Some(datetime!(2023-07-11 09:30:00 UTC));
        let m = metadata("- Your Highlight on page 12 | Location 180-183 | Added on Tuesday, 11 July 2023 09:30:00")
            .unwrap();
        assert_eq!(m, Meta { kind: Kind::Highlight, page: Some("12".into()), location: Some((180, 183)), added: t });
        let m = metadata("- Your Highlight at location 180-183 | Added on Tuesday, July 11, 2023 9:30:00 AM").unwrap();
        assert_eq!(m, Meta { kind: Kind::Highlight, page: None, location: Some((180, 183)), added: t });
        let m = metadata("- Ihre Notiz bei Position 183 | Hinzugefügt am Dienstag, 11. Juli 2023 09:30:00").unwrap();
        assert_eq!(m, Meta { kind: Kind::Note, page: None, location: Some((183, 183)), added: t });
        let m = metadata("- Votre signet sur la page 3 | emplacement 40 | Ajouté le mardi 11 juillet 2023 09:30:00")
            .unwrap();
        assert_eq!(m, Meta { kind: Kind::Bookmark, page: Some("3".into()), location: Some((40, 40)), added: t });
        let m = metadata(
            "- Tu subrayado en la página 12 | posición 180-183 | Añadido el martes, 11 de julio de 2023 9:30:00",
        )
        .unwrap();
        assert_eq!(m, Meta { kind: Kind::Highlight, page: Some("12".into()), location: Some((180, 183)), added: t });
        let m = metadata("- Highlight Loc. 1180-83 | Added on Tuesday, 11 July 2023 9:30:00 PM").unwrap();
        assert_eq!(m.location, Some((1180, 1183)));
        assert_eq!(m.added, Some(datetime!(2023-07-11 21:30:00 UTC)));
        let m = metadata("- Your Note on page 12 | Location 183 | Added on someday").unwrap();
        assert_eq!(m.added, None);
        assert_eq!(metadata("- Something else | Added on Tuesday, 11 July 2023 09:30:00"), None);
    }

    #[test]
    fn title_and_author() {
        assert_eq!(title_author("Dune (Herbert, Frank)"), ("Dune".into(), Some("Herbert, Frank".into())));
        assert_eq!(
            title_author("A (Very) Long Title (Doe (Jr.))"),
            ("A (Very) Long Title".into(), Some("Doe (Jr.)".into()))
        );
        assert_eq!(title_author("No author"), ("No author".into(), None));
        assert_eq!(title_author("(Only parens)"), ("(Only parens)".into(), None));
        assert_eq!(title_author("Odd) ("), ("Odd) (".into(), None));
    }
}
