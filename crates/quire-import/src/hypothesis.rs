//! Hypothesis's JSON export (`{export_date, export_userid, client_version, annotations: [...]}`;
//! a bare array of annotations is read too). Annotations are grouped into one item per page
//! (`uri`, in the order pages first appear; title from `document.title`). Kept: an annotation
//! with a quote (TextQuoteSelector) is a highlight with its prefix, suffix, position
//! (TextPositionSelector, UTF-16 offsets), text as its note, tags and date. An annotation
//! without a quote (a page note, or one with only a RangeSelector) is a note on the item, its
//! tags added to the item's tags. A reply is appended to the note of the annotation it answers
//! ("Reply: …"). An item's saved date is its earliest annotation's.

use std::collections::HashMap;

use serde::Deserialize;
use serde_json::Value;
use time::OffsetDateTime;

use crate::wallabag::{entry_error, json_error};
use crate::{dates, text, Error, Export, Format, Highlight, Item, Result, Skipped};

#[derive(Deserialize)]
struct Annotation {
    id: Option<String>,
    uri: Option<String>,
    text: Option<String>,
    #[serde(default)]
    tags: Option<Vec<String>>,
    #[serde(default)]
    target: Option<Vec<Target>>,
    #[serde(default)]
    references: Option<Vec<String>>,
    created: Option<String>,
    document: Option<Document>,
}

#[derive(Deserialize)]
struct Target {
    source: Option<String>,
    #[serde(default)]
    selector: Option<Vec<Value>>,
}

#[derive(Deserialize)]
struct Document {
    title: Option<Value>,
}

/// Where an annotation's text went: item, and a highlight or a note of it.
#[derive(Clone, Copy)]
enum Place {
    Highlight(usize, usize),
    Note(usize, usize),
}

pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    let (json, _) = text::decode(bytes);
    let doc: Value = serde_json::from_str(&json).map_err(|e| json_error(None, &e))?;
    let annotations = match doc {
        Value::Array(list) => list,
        Value::Object(mut map) => match map.remove("annotations") {
            Some(Value::Array(list)) => list,
            _ => {
                return Err(Error::Malformed {
                    at: "annotations".into(),
                    reason: "the file has no list of annotations".into(),
                })
            }
        },
        _ => {
            return Err(Error::Malformed {
                at: "line 1 column 1".into(),
                reason: "not a Hypothesis export (expected an object with annotations)".into(),
            })
        }
    };

    let mut export = Export { format: Format::Hypothesis, items: Vec::new(), skipped: Vec::new() };
    let mut by_uri: HashMap<String, usize> = HashMap::new();
    let mut places: HashMap<String, Place> = HashMap::new();
    let mut replies: Vec<(String, Annotation)> = Vec::new();
    let mut earliest: Vec<Option<OffsetDateTime>> = Vec::new();

    for (i, value) in annotations.into_iter().enumerate() {
        let at = format!("annotation {}", i + 1);
        if !value.is_object() {
            export.skipped.push(Skipped { at, reason: "not an annotation (expected an object)".into() });
            continue;
        }
        let annotation: Annotation = match serde_json::from_value(value) {
            Ok(a) => a,
            Err(e) => {
                export.skipped.push(Skipped { at, reason: entry_error(&e) });
                continue;
            }
        };
        if annotation.references.as_ref().is_some_and(|r| !r.is_empty()) {
            replies.push((at, annotation));
            continue;
        }
        let source = annotation.target.as_ref().and_then(|t| t.iter().find_map(|t| t.source.clone()));
        let Some(uri) =
            annotation.uri.as_deref().and_then(text::clean).or_else(|| source.as_deref().and_then(text::clean))
        else {
            export.skipped.push(Skipped { at, reason: "no page address".into() });
            continue;
        };
        let tags = text::tags(annotation.tags.iter().flatten());
        let note = annotation.text.as_deref().map(str::trim).unwrap_or("").to_owned();
        let selectors: Vec<&Value> =
            annotation.target.iter().flatten().flat_map(|t| t.selector.iter().flatten()).collect();
        let quote = selectors
            .iter()
            .find(|s| kind(s) == Some("TextQuoteSelector"))
            .and_then(|s| s.get("exact").and_then(Value::as_str))
            .map(str::trim)
            .filter(|q| !q.is_empty());
        if quote.is_none() && note.is_empty() {
            export.skipped.push(Skipped { at, reason: "an annotation with neither a quote nor text".into() });
            continue;
        }
        let created = annotation.created.as_deref().and_then(dates::any);
        let index = *by_uri.entry(uri.clone()).or_insert_with(|| {
            let mut item = Item::at(at.clone());
            item.url = Some(uri.clone());
            export.items.push(item);
            earliest.push(None);
            export.items.len() - 1
        });
        let (Some(item), Some(first)) = (export.items.get_mut(index), earliest.get_mut(index)) else { continue };
        if item.title.is_none() {
            item.title = annotation.document.as_ref().and_then(|d| d.title.as_ref()).and_then(title);
        }
        if let Some(created) = created {
            if first.is_none_or(|t| created < t) {
                *first = Some(created);
            }
        }
        let place = if let Some(quote) = quote {
            let quote_selector = selectors.iter().find(|s| kind(s) == Some("TextQuoteSelector"));
            let context = |key: &str| {
                quote_selector
                    .and_then(|s| s.get(key))
                    .and_then(Value::as_str)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
            };
            let mut highlight = Highlight::quote(quote);
            highlight.prefix = context("prefix");
            highlight.suffix = context("suffix");
            highlight.position = selectors.iter().find(|s| kind(s) == Some("TextPositionSelector")).and_then(|s| {
                let start = usize::try_from(s.get("start")?.as_u64()?).ok()?;
                let end = usize::try_from(s.get("end")?.as_u64()?).ok()?;
                (start <= end).then_some((start, end))
            });
            highlight.note = note;
            highlight.tags = tags;
            highlight.created_at = created;
            item.highlights.push(highlight);
            Place::Highlight(index, item.highlights.len() - 1)
        } else {
            item.notes.push(note);
            let mut all = std::mem::take(&mut item.tags);
            all.extend(tags);
            item.tags = text::tags(all);
            Place::Note(index, item.notes.len() - 1)
        };
        if let Some(id) = annotation.id {
            places.insert(id, place);
        }
    }

    // Replies to replies after the replies they answer.
    replies.sort_by_key(|(_, a)| a.references.as_ref().map_or(0, Vec::len));
    for (at, reply) in replies {
        let parent = reply.references.as_ref().and_then(|r| r.last());
        let Some(place) = parent.and_then(|p| places.get(p)).copied() else {
            export.skipped.push(Skipped { at, reason: "a reply to an annotation not in this file".into() });
            continue;
        };
        let target = match place {
            Place::Highlight(i, j) => {
                export.items.get_mut(i).and_then(|item| item.highlights.get_mut(j)).map(|h| &mut h.note)
            }
            Place::Note(i, j) => export.items.get_mut(i).and_then(|item| item.notes.get_mut(j)),
        };
        let text = reply.text.as_deref().map(str::trim).unwrap_or("");
        if let Some(note) = target {
            if !text.is_empty() {
                if !note.is_empty() {
                    note.push_str("\n\n");
                }
                note.push_str("Reply: ");
                note.push_str(text);
            }
        }
        if let Some(id) = reply.id {
            places.insert(id, place);
        }
    }

    for (item, first) in export.items.iter_mut().zip(earliest) {
        item.saved_at = first;
    }
    Ok(export)
}

fn kind(selector: &Value) -> Option<&str> {
    selector.get("type").and_then(Value::as_str)
}

/// `document.title`: a list of titles (the first is taken) or a string.
fn title(value: &Value) -> Option<String> {
    match value {
        Value::String(s) => text::clean(s),
        Value::Array(list) => list.iter().filter_map(Value::as_str).find_map(text::clean),
        _ => None,
    }
}
