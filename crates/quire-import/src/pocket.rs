//! Pocket's exports. The newer one is a zip of CSV parts (`part_000000.csv`, `part_000001.csv`…,
//! read in order), columns `title,url,time_added,tags,status` (Unix seconds, tags separated by
//! `|`, `unread` or `archive`); the CSV may also be given on its own. The older one is
//! `ril_export.html` (on its own or in a zip): a list of links under the headings "Unread" and
//! "Read Archive", each with `time_added` and comma-separated `tags` attributes.
//!
//! Kept: address, title (none when Pocket wrote the address as the title), when it was saved,
//! tags, read state. Pocket exports no highlights nor content.

use dom_query::Document;

use crate::zipped::{is_zip, Zip};
use crate::{dates, text, Error, Export, Format, Item, Limits, ReadState, Result, Skipped};

pub(crate) fn parse(name: &str, bytes: &[u8], limits: &Limits) -> Result<Export> {
    let mut export = Export { format: Format::Pocket, items: Vec::new(), skipped: Vec::new() };
    if is_zip(bytes) {
        let mut zip = Zip::open(bytes, limits)?;
        let names = zip.names();
        let mut parts: Vec<(u64, String)> =
            names.iter().filter_map(|n| part_number(n).map(|k| (k, n.clone()))).collect();
        parts.sort();
        if !parts.is_empty() {
            for (_, part) in &parts {
                let data = zip.read(part)?;
                let base = part.rsplit('/').next().unwrap_or(part);
                read_csv(&data, &format!("{base} "), &mut export)?;
            }
            return Ok(export);
        }
        let html =
            names.iter().find(|n| n.rsplit('/').next().is_some_and(|b| b.eq_ignore_ascii_case("ril_export.html")));
        return match html {
            Some(html) => {
                let data = zip.read(html)?;
                read_html(&data, &mut export);
                Ok(export)
            }
            None => Err(Error::Unrecognized(format!("{name} holds neither part_000000.csv nor ril_export.html"))),
        };
    }
    let (head, _) = text::decode(&bytes[..bytes.len().min(4096)]);
    if head.trim_start().starts_with('<') {
        read_html(bytes, &mut export);
    } else {
        read_csv(bytes, "", &mut export)?;
    }
    Ok(export)
}

/// `part_000012.csv` (in any folder) → 12.
fn part_number(name: &str) -> Option<u64> {
    let base = name.rsplit('/').next()?.to_ascii_lowercase();
    base.strip_prefix("part_")?.strip_suffix(".csv")?.parse().ok()
}

fn read_csv(bytes: &[u8], prefix: &str, export: &mut Export) -> Result<()> {
    let (text, _) = text::decode(bytes);
    let csv = table::read(&text, &["title", "url", "time_added"], prefix)?;
    let (title, url, added) = (csv.col("title"), csv.col("url"), csv.col("time_added"));
    let (tags, status) = (csv.col("tags"), csv.col("status"));
    for row in &csv.rows {
        let row = match row {
            Ok(row) => row,
            Err(skipped) => {
                export.skipped.push(skipped.clone());
                continue;
            }
        };
        let at = format!("{prefix}row {}", row.n);
        let Some(address) = text::clean(row.get(url)) else {
            export.skipped.push(Skipped { at, reason: "no URL".into() });
            continue;
        };
        let saved_at = match dates::column(row.get(added), "time_added", dates::unix) {
            Ok(date) => date,
            Err(reason) => {
                export.skipped.push(Skipped { at, reason });
                continue;
            }
        };
        let mut item = Item::at(at);
        item.title = text::clean(row.get(title)).filter(|t| *t != address);
        item.url = Some(address);
        item.saved_at = saved_at;
        item.tags = text::tags(row.get(tags).split('|'));
        item.state = state(row.get(status));
        export.items.push(item);
    }
    Ok(())
}

fn state(status: &str) -> Option<ReadState> {
    match status.trim().to_ascii_lowercase().as_str() {
        "unread" => Some(ReadState::Unread),
        "archive" | "archived" => Some(ReadState::Archived),
        "read" => Some(ReadState::Read),
        _ => None,
    }
}

/// `ril_export.html`: every link, its state from the heading above it.
fn read_html(bytes: &[u8], export: &mut Export) {
    let (html, _) = text::decode(bytes);
    // Folders nested past any real file (a crafted one) are flattened first, as for pages.
    let doc = Document::from(quire_clip::limit_nesting(&html).0.as_ref());
    let mut current: Option<ReadState> = None;
    let mut n = 0;
    for node in doc.root().descendants_it() {
        let Some(tag) = node.node_name() else { continue };
        if tag.eq_ignore_ascii_case("h1") {
            let heading = node.text().to_lowercase();
            current = if heading.contains("unread") {
                Some(ReadState::Unread)
            } else if heading.contains("archive") || heading.contains("read") {
                Some(ReadState::Archived)
            } else {
                None
            };
            continue;
        }
        if !tag.eq_ignore_ascii_case("a") {
            continue;
        }
        n += 1;
        let at = format!("link {n}");
        let Some(address) = node.attr("href").and_then(|h| text::clean(&h)) else {
            export.skipped.push(Skipped { at, reason: "no URL".into() });
            continue;
        };
        let added = node.attr("time_added").map(|t| t.trim().to_owned()).unwrap_or_default();
        let saved_at = if added.is_empty() {
            None
        } else {
            match dates::unix(&added) {
                Some(t) => Some(t),
                None => {
                    export.skipped.push(Skipped { at, reason: format!("time_added \"{added}\" is not a date") });
                    continue;
                }
            }
        };
        let mut item = Item::at(at);
        item.title = text::clean(&node.text()).filter(|t| *t != address);
        item.url = Some(address);
        item.saved_at = saved_at;
        item.tags = text::tags(node.attr("tags").as_deref().unwrap_or("").split(','));
        item.state = current;
        export.items.push(item);
    }
}

/// A CSV file read for the parsers of this crate that read CSV: the header checked for the
/// columns a format needs, rows numbered from 1 after the header, rows whose number of fields is
/// not the header's set aside as [`Skipped`].
pub(crate) mod table {
    use std::collections::HashMap;

    use crate::{Error, Result, Skipped};

    pub(crate) struct Table {
        index: HashMap<String, usize>,
        /// In the file's order; a row that could not be read as a row of this table is a
        /// [`Skipped`].
        pub(crate) rows: Vec<std::result::Result<Row, Skipped>>,
    }

    pub(crate) struct Row {
        /// 1-based data row.
        pub(crate) n: usize,
        fields: csv::StringRecord,
    }

    impl Table {
        /// The index of column `name` (lowercase).
        pub(crate) fn col(&self, name: &str) -> Option<usize> {
            self.index.get(name).copied()
        }
    }

    impl Row {
        /// The field of column `col`, "" when the file has no such column.
        pub(crate) fn get(&self, col: Option<usize>) -> &str {
            col.and_then(|c| self.fields.get(c)).unwrap_or("")
        }
    }

    /// Reads `text` as CSV with a header naming at least the `required` columns (lowercase;
    /// the header is compared trimmed and ignoring case). `prefix` goes before "row N" in
    /// skipped rows.
    pub(crate) fn read(text: &str, required: &[&str], prefix: &str) -> Result<Table> {
        let mut reader = csv::ReaderBuilder::new().has_headers(true).flexible(true).from_reader(text.as_bytes());
        let header: Vec<String> = match reader.headers() {
            Ok(h) => {
                h.iter().map(|c| c.trim_matches(|c: char| c.is_whitespace() || c == '\u{feff}').to_owned()).collect()
            }
            Err(e) => return Err(Error::Malformed { at: format!("{prefix}header"), reason: e.to_string() }),
        };
        let mut index = HashMap::new();
        for (i, name) in header.iter().enumerate() {
            index.entry(name.to_lowercase()).or_insert(i);
        }
        if required.iter().any(|c| !index.contains_key(*c)) {
            let found = header.iter().filter(|h| !h.is_empty()).cloned().collect::<Vec<_>>();
            let found = if found.is_empty() { "none".to_owned() } else { found.join(", ") };
            return Err(Error::Malformed {
                at: format!("{prefix}header"),
                reason: format!("expected columns {}, found {found}", required.join(", ")),
            });
        }
        let width = header.len();
        let mut table = Table { index, rows: Vec::new() };
        for (i, record) in reader.records().enumerate() {
            let n = i + 1;
            let at = format!("{prefix}row {n}");
            match record {
                Err(e) => table.rows.push(Err(Skipped { at, reason: format!("not a CSV row: {e}") })),
                Ok(fields) => {
                    let extra_empty = fields.iter().skip(width).all(|f| f.trim().is_empty());
                    if fields.len() < width || !extra_empty {
                        let reason = format!("{} fields where the header has {width}", fields.len());
                        table.rows.push(Err(Skipped { at, reason }));
                    } else {
                        table.rows.push(Ok(Row { n, fields }));
                    }
                }
            }
        }
        Ok(table)
    }
}
