//! Which app wrote a file: by what is inside it (a zip's file names, a CSV's header row, a
//! JSON document's keys, the markers of a text or HTML file), the file name only breaking ties.

use crate::zipped::{is_zip, Zip};
use crate::{text, Format, Limits};

/// The format of an export file, or `None` when it is none Quire knows.
pub fn detect(name: &str, bytes: &[u8]) -> Option<Format> {
    if is_zip(bytes) {
        let zip = Zip::open(bytes, &Limits::default()).ok()?;
        let names = zip.names();
        let base = |n: &str| n.rsplit('/').next().unwrap_or(n).to_ascii_lowercase();
        if names.iter().any(|n| base(n).starts_with("metadata_") && n.ends_with(".json")) {
            return Some(Format::Omnivore);
        }
        if names.iter().any(|n| base(n).starts_with("part_") && n.ends_with(".csv") || base(n) == "ril_export.html") {
            return Some(Format::Pocket);
        }
        return None;
    }
    // The first 64 KiB tell; a BOM or legacy encoding must not hide the markers.
    let head = &bytes[..bytes.len().min(64 << 10)];
    let (text, _) = text::decode(head);
    let trimmed = text.trim_start();
    let lower_name = name.to_ascii_lowercase();
    if trimmed.starts_with('{') || trimmed.starts_with('[') {
        if trimmed.starts_with('{')
            && text.contains("\"annotations\"")
            && (text.contains("\"export_userid\"") || text.contains("\"export_date\""))
        {
            return Some(Format::Hypothesis);
        }
        if text.contains("AnnotationCollection") || (text.contains("ns/anno.jsonld") && text.contains("\"Annotation")) {
            return Some(Format::W3c);
        }
        if text.contains("\"is_archived\"") || text.contains("\"is_starred\"") {
            return Some(Format::Wallabag);
        }
        if text.contains("\"savedAt\"") && text.contains("\"slug\"") {
            return Some(Format::Omnivore);
        }
        return None;
    }
    let lower = trimmed.to_ascii_lowercase();
    if lower.starts_with("<!doctype netscape-bookmark-file") {
        return Some(Format::Bookmarks);
    }
    if lower.starts_with('<') {
        if lower.contains("time_added=") || lower.contains("<title>pocket export</title>") {
            return Some(Format::Pocket);
        }
        if lower.contains("<dt><a ") && lower.contains("add_date=") {
            return Some(Format::Bookmarks);
        }
        return None;
    }
    if text.contains("==========") && (lower_name.contains("clippings") || kindle_like(&text)) {
        return Some(Format::Kindle);
    }
    let header = lower.lines().next().unwrap_or("").replace(['"', ' '], "");
    let columns: Vec<&str> = header.split(',').collect();
    let has = |c: &str| columns.contains(&c);
    if has("url") && has("title") && has("selection") && has("folder") {
        return Some(Format::Instapaper);
    }
    if has("highlight") && has("booktitle") {
        return Some(Format::Readwise);
    }
    if has("url") && has("title") && has("time_added") {
        return Some(Format::Pocket);
    }
    None
}

/// A Kindle clippings file: separator lines, and a "- …" metadata line after the title.
fn kindle_like(text: &str) -> bool {
    let mut lines = text.lines().map(str::trim).skip_while(|l| l.is_empty());
    lines.next().is_some() && lines.next().is_some_and(|l| l.starts_with("- "))
}

/// Why a file was not recognized, in words that say what to do.
pub(crate) fn why_unrecognized(name: &str, bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return format!("{name} is empty");
    }
    if is_zip(bytes) {
        return match Zip::open(bytes, &Limits::default()) {
            Err(e) => e.to_string(),
            Ok(_) => {
                format!("{name} is a zip, but not a Pocket or Omnivore export; choose the app with --from if it is one")
            }
        };
    }
    format!(
        "{name} is not an export of Pocket, Omnivore, Instapaper, Readwise, Hypothesis, Kindle, wallabag or a browser's bookmarks; choose the app if it is one of them"
    )
}
