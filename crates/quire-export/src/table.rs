//! Highlights as a table: one CSV row per highlight, with the columns Readwise's CSV import
//! reads (Highlight, Title, Author, URL, Note, tags, dates) and where the quote starts.
//!
//! Spreadsheet programs run a cell that starts with `=`, `+`, `-`, `@`, a tab or a carriage
//! return as a formula; such cells get a leading `'` so that a quote stays text.

use crate::{Article, Result};

/// The header row.
pub const HEADER: [&str; 9] =
    ["Highlight", "Title", "Author", "URL", "Note", "Tags", "Color", "Highlighted at", "Location"];

/// Every highlight of every article, in order, as CSV (header first, CRLF-free `\n` rows,
/// fields quoted when they hold commas, quotes or line breaks). Tags are joined with `, `;
/// Location is the highlight's start offset in the article's canonical text.
pub fn highlights_csv(articles: &[Article]) -> Result<String> {
    let mut w = csv::WriterBuilder::new().terminator(csv::Terminator::Any(b'\n')).from_writer(Vec::new());
    w.write_record(HEADER)?;
    for a in articles {
        for h in &a.highlights {
            let tags = h.tags.iter().map(|t| t.trim()).filter(|t| !t.is_empty()).collect::<Vec<_>>().join(", ");
            let row = [
                h.exact.as_str(),
                a.title.as_str(),
                a.author.as_deref().unwrap_or(""),
                a.web_address().unwrap_or(""),
                h.note.as_str(),
                tags.as_str(),
                h.color.as_str(),
                h.created.as_str(),
                &h.start.to_string(),
            ];
            w.write_record(row.iter().map(|cell| defuse(cell)))?;
        }
    }
    let bytes = w.into_inner().map_err(|e| crate::Error::Csv(csv::Error::from(e.into_error())))?;
    // Every field came from a `&str`, so the bytes are UTF-8.
    Ok(String::from_utf8_lossy(&bytes).into_owned())
}

/// A cell that a spreadsheet would run as a formula, made text with a leading `'`.
fn defuse(cell: &str) -> String {
    match cell.chars().next() {
        Some('=' | '+' | '-' | '@' | '\t' | '\r') => format!("'{cell}"),
        _ => cell.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::defuse;

    #[test]
    fn formulas_are_defused() {
        for bad in ["=1+1", "+1", "-2", "@SUM(A1)", "\tx", "\rx"] {
            assert_eq!(defuse(bad), format!("'{bad}"));
        }
        assert_eq!(defuse("plain = text"), "plain = text");
        assert_eq!(defuse(""), "");
    }
}
