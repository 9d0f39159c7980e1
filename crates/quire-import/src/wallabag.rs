//! wallabag's JSON export (Export → JSON): an array of entries, each with its address, title,
//! content (HTML), tags, archived and starred flags, dates, authors (`published_by`) and
//! annotations. Kept: all of these; an annotation becomes a highlight (its quote, its text as
//! the note, its date). The annotations' `ranges` are offsets inside XPath-addressed elements,
//! not in the page's text, so no position is kept. The wallabag API's own form
//! (`{"_embedded": {"items": [...]}}`) is read too.

use serde::Deserialize;
use serde_json::Value;

use crate::{dates, text, Content, Error, Export, Format, Highlight, Item, ReadState, Result, Skipped};

/// A JSON document that is not valid, as an error naming where (`line L column C`, after
/// `file` when given) and what is wrong.
pub(crate) fn json_error(file: Option<&str>, e: &serde_json::Error) -> Error {
    let place = format!("line {} column {}", e.line(), e.column());
    let message = e.to_string();
    let message = message.strip_suffix(&format!(" at {place}")).unwrap_or(&message).to_owned();
    Error::Malformed {
        at: match file {
            Some(file) => format!("{file} {place}"),
            None => place,
        },
        reason: format!("not valid JSON ({message})"),
    }
}

/// A serde error about one entry, in words (the position inside a re-read value means nothing).
pub(crate) fn entry_error(e: &serde_json::Error) -> String {
    let message = e.to_string();
    let message = match message.find(" at line ") {
        Some(i) => message.get(..i).unwrap_or(&message),
        None => &message,
    };
    format!("could not be read: {message}")
}

#[derive(Deserialize)]
struct Entry {
    title: Option<String>,
    url: Option<String>,
    content: Option<String>,
    #[serde(default)]
    tags: Option<Vec<Tag>>,
    is_archived: Option<Flag>,
    is_starred: Option<Flag>,
    created_at: Option<String>,
    published_at: Option<String>,
    published_by: Option<Authors>,
    #[serde(default)]
    annotations: Option<Vec<Value>>,
}

/// A tag: a string in the export, an object with a label in the API.
#[derive(Deserialize)]
#[serde(untagged)]
enum Tag {
    Name(String),
    Object { label: Option<String> },
}

/// 0/1, true/false, or "0"/"1".
#[derive(Deserialize)]
#[serde(untagged)]
enum Flag {
    Bool(bool),
    Number(i64),
    Text(String),
}

impl Flag {
    fn is_set(&self) -> bool {
        match self {
            Flag::Bool(b) => *b,
            Flag::Number(n) => *n != 0,
            Flag::Text(s) => matches!(s.trim(), "1" | "true"),
        }
    }
}

#[derive(Deserialize)]
#[serde(untagged)]
enum Authors {
    One(String),
    Many(Vec<Value>),
}

#[derive(Deserialize)]
struct Annotation {
    text: Option<String>,
    quote: Option<String>,
    created_at: Option<String>,
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    let (json, _) = text::decode(bytes);
    let doc: Value = serde_json::from_str(&json).map_err(|e| json_error(None, &e))?;
    let entries = match doc {
        Value::Array(entries) => entries,
        Value::Object(mut map) => match map.get_mut("_embedded").and_then(|e| e.get_mut("items")).map(Value::take) {
            Some(Value::Array(entries)) => entries,
            _ => {
                return Err(Error::Malformed {
                    at: "line 1 column 1".into(),
                    reason: "not a list of wallabag entries (the export is a JSON array)".into(),
                })
            }
        },
        _ => {
            return Err(Error::Malformed {
                at: "line 1 column 1".into(),
                reason: "not a list of wallabag entries (the export is a JSON array)".into(),
            })
        }
    };
    let mut export = Export { format: Format::Wallabag, items: Vec::new(), skipped: Vec::new() };
    for (i, value) in entries.into_iter().enumerate() {
        let at = format!("entry {}", i + 1);
        if !value.is_object() {
            export.skipped.push(Skipped { at, reason: "not an entry (expected an object with a url)".into() });
            continue;
        }
        let entry: Entry = match serde_json::from_value(value) {
            Ok(entry) => entry,
            Err(e) => {
                export.skipped.push(Skipped { at, reason: entry_error(&e) });
                continue;
            }
        };
        if let Some(item) = read_entry(entry, &at, &mut export.skipped) {
            export.items.push(item);
        } else {
            export.skipped.push(Skipped { at, reason: "no address and no title".into() });
        }
    }
    Ok(export)
}

fn read_entry(entry: Entry, at: &str, skipped: &mut Vec<Skipped>) -> Option<Item> {
    let url = entry.url.as_deref().and_then(text::clean);
    let title = entry.title.as_deref().and_then(text::clean);
    if url.is_none() && title.is_none() {
        return None;
    }
    let mut item = Item::at(at);
    item.url = url;
    item.title = title;
    item.saved_at = entry.created_at.as_deref().and_then(dates::any);
    item.published_at = entry.published_at.as_deref().and_then(dates::any);
    let archived = entry.is_archived.as_ref().is_some_and(Flag::is_set);
    item.state = Some(if archived { ReadState::Archived } else { ReadState::Unread });
    item.favorite = entry.is_starred.as_ref().is_some_and(Flag::is_set);
    item.author = match entry.published_by {
        Some(Authors::One(name)) => text::clean(&name),
        Some(Authors::Many(names)) => {
            let names: Vec<String> = names.iter().filter_map(Value::as_str).filter_map(text::clean).collect();
            (!names.is_empty()).then(|| names.join(", "))
        }
        None => None,
    };
    item.tags = text::tags(entry.tags.unwrap_or_default().into_iter().filter_map(|t| match t {
        Tag::Name(name) => Some(name),
        Tag::Object { label } => label,
    }));
    item.content = match entry.content {
        Some(html) if !html.trim().is_empty() => Content::Html(html),
        _ => Content::None,
    };
    for (j, value) in entry.annotations.unwrap_or_default().into_iter().enumerate() {
        let at = format!("{at} annotation {}", j + 1);
        let annotation: Annotation = match serde_json::from_value(value) {
            Ok(a) => a,
            Err(e) => {
                skipped.push(Skipped { at, reason: entry_error(&e) });
                continue;
            }
        };
        let quote = annotation.quote.as_deref().map(str::trim).unwrap_or("");
        if quote.is_empty() {
            skipped.push(Skipped { at, reason: "an annotation without a quote".into() });
            continue;
        }
        let mut highlight = Highlight::quote(quote);
        highlight.note = annotation.text.as_deref().map(str::trim).unwrap_or("").to_owned();
        highlight.created_at = annotation.created_at.as_deref().and_then(dates::any);
        item.highlights.push(highlight);
    }
    Some(item)
}
