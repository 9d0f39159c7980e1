//! Highlights as a W3C Web Annotation Data Model `AnnotationCollection` (JSON-LD), and reading
//! such annotations back from Quire or from other producers.
//!
//! The shapes are the standard ones, with nothing Quire-specific added:
//!
//! - the collection (`id` `quire://collection/LABEL`, percent-encoded) has a `label`, a `total`
//!   and **one** embedded `AnnotationPage` as `first`, holding every annotation whatever their
//!   number (`startIndex` 0, no `next`): an export is one file, read whole;
//! - each highlight is an `Annotation` whose `id` is its deep link `quire://highlight/ID`
//!   (stable across exports), `motivation` `highlighting`, or `commenting` when it has a note;
//! - its `body` (omitted when there is neither note nor tag) lists a `TextualBody` with
//!   `purpose` `commenting` and `format` `text/plain` for the note, and one `TextualBody` with
//!   `purpose` `tagging` per tag;
//! - its `target` is a `SpecificResource`: `source` the article's URL (its
//!   `quire://article/ID` link when it has none), `styleClass` `quire-COLOR`, and a `selector`
//!   list of a `TextQuoteSelector` and a `TextPositionSelector`;
//! - `created` and `modified` are RFC 3339.
//!
//! Positions are counted in Unicode code points, as the model requires, **of Quire's
//! canonical text of the article** (its blocks joined by blank lines), not of the source page's
//! DOM: a consumer should anchor by the quote selector first and use the positions as a hint.
//! Orphaned highlights (whose quote is no longer in the text) are exported with the selectors
//! they last had.

use crate::{Article, Error, Result};
use quire_doc::Color;
use serde::Serialize;
use serde_json::Value;

/// The JSON-LD context of the Web Annotation model.
pub const CONTEXT: &str = "http://www.w3.org/ns/anno.jsonld";

/// The prefix of the `styleClass` that carries a highlight's color (`quire-yellow`).
pub const STYLE_CLASS_PREFIX: &str = "quire-";

/// An annotation read back: the quote it targets and what the annotator added.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Annotation {
    /// The target's `source` (an address, or a `quire://article/ID` link).
    pub source: String,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    /// From a `TextPositionSelector`, when there was one.
    pub start: Option<usize>,
    pub end: Option<usize>,
    /// The commenting bodies' text, joined by blank lines.
    pub note: String,
    pub tags: Vec<String>,
    /// From a `styleClass` `quire-COLOR`.
    pub color: Option<Color>,
    pub created: Option<String>,
    pub modified: Option<String>,
}

/// The articles' highlights, in order, as one `AnnotationCollection` labelled `label`.
pub fn collection(articles: &[Article], label: &str) -> Result<String> {
    let items: Vec<AnnotationOut<'_>> =
        articles.iter().flat_map(|article| article.highlights.iter().map(move |h| annotation(article, h))).collect();
    let id = format!("{}://collection/{}", crate::LINK_SCHEME, percent_encode(label));
    let doc = CollectionOut {
        context: CONTEXT,
        id: id.clone(),
        kind: "AnnotationCollection",
        label,
        total: items.len(),
        first: PageOut { id: format!("{id}?page=0"), kind: "AnnotationPage", start_index: 0, items },
    };
    serde_json::to_string_pretty(&doc).map_err(|source| Error::Json { what: "the annotation collection", source })
}

/// Every byte of `s` but RFC 3986's unreserved characters as `%XX`, so that the label is one
/// path segment.
fn percent_encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => char::from(b).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

// The written shapes, as structs so that keys come in the model's order (`id`, `type` first).

#[derive(Serialize)]
struct CollectionOut<'a> {
    #[serde(rename = "@context")]
    context: &'static str,
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    label: &'a str,
    total: usize,
    first: PageOut<'a>,
}

#[derive(Serialize)]
struct PageOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    #[serde(rename = "startIndex")]
    start_index: usize,
    items: Vec<AnnotationOut<'a>>,
}

#[derive(Serialize)]
struct AnnotationOut<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    motivation: &'static str,
    created: &'a str,
    modified: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    body: Vec<BodyOut<'a>>,
    target: TargetOut<'a>,
}

#[derive(Serialize)]
struct BodyOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    purpose: &'static str,
    value: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    format: Option<&'static str>,
}

#[derive(Serialize)]
struct TargetOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    source: String,
    #[serde(rename = "styleClass")]
    style_class: String,
    selector: (QuoteOut<'a>, PositionOut),
}

#[derive(Serialize)]
struct QuoteOut<'a> {
    #[serde(rename = "type")]
    kind: &'static str,
    exact: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

#[derive(Serialize)]
struct PositionOut {
    #[serde(rename = "type")]
    kind: &'static str,
    start: usize,
    end: usize,
}

fn annotation<'a>(article: &Article, h: &'a crate::Highlight) -> AnnotationOut<'a> {
    let has_note = !h.note.trim().is_empty();
    let mut body = Vec::new();
    if has_note {
        body.push(BodyOut { kind: "TextualBody", purpose: "commenting", value: &h.note, format: Some("text/plain") });
    }
    for tag in &h.tags {
        body.push(BodyOut { kind: "TextualBody", purpose: "tagging", value: tag, format: None });
    }
    AnnotationOut {
        id: crate::highlight_link(h.id),
        kind: "Annotation",
        motivation: if has_note { "commenting" } else { "highlighting" },
        created: &h.created,
        modified: &h.updated,
        body,
        target: TargetOut {
            kind: "SpecificResource",
            source: article.web_address().map_or_else(|| crate::article_link(article.id), str::to_owned),
            style_class: format!("{STYLE_CLASS_PREFIX}{}", h.color),
            selector: (
                QuoteOut { kind: "TextQuoteSelector", exact: &h.exact, prefix: &h.prefix, suffix: &h.suffix },
                PositionOut { kind: "TextPositionSelector", start: h.start, end: h.end },
            ),
        },
    }
}

/// Annotations from a collection (its embedded pages), a single `AnnotationPage`, an array of
/// annotations or one annotation. Annotations without a text quote (a target that is only an
/// address, or only other kinds of selectors) are skipped; anything that is not JSON or holds
/// no annotation structure is [`Error::NotAnnotations`].
pub fn read(json: &str) -> Result<Vec<Annotation>> {
    let value: Value = serde_json::from_str(json).map_err(|e| Error::NotAnnotations(format!("not JSON: {e}")))?;
    let mut raw = Vec::new();
    match &value {
        Value::Array(items) => raw.extend(items.iter()),
        Value::Object(_) if has_type(&value, "AnnotationCollection") => {
            let mut page = value.get("first");
            while let Some(p) = page {
                match p {
                    Value::Object(_) => raw.extend(items_of(p)),
                    Value::String(iri) => {
                        return Err(Error::NotAnnotations(format!("its pages are not embedded (page {iri})")))
                    }
                    _ => break,
                }
                // Embedded `next` pages are followed (a parsed value cannot be cyclic).
                page = p.get("next").filter(|n| n.is_object());
            }
        }
        Value::Object(_) if has_type(&value, "AnnotationPage") => raw.extend(items_of(&value)),
        Value::Object(_) if has_type(&value, "Annotation") => raw.push(&value),
        _ => {
            return Err(Error::NotAnnotations(
                "expected an AnnotationCollection, an AnnotationPage, an Annotation or an array".into(),
            ))
        }
    }
    Ok(raw.into_iter().filter_map(read_annotation).collect())
}

fn items_of(page: &Value) -> impl Iterator<Item = &Value> {
    page.get("items").and_then(Value::as_array).into_iter().flatten()
}

/// `type` (or `@type`) is `name`, alone or in a list, possibly prefixed (`oa:Annotation`).
fn has_type(v: &Value, name: &str) -> bool {
    let matches =
        |t: &Value| t.as_str().is_some_and(|s| s == name || s.rsplit_once(':').is_some_and(|(_, n)| n == name));
    [v.get("type"), v.get("@type")].into_iter().flatten().any(|t| match t {
        Value::Array(ts) => ts.iter().any(matches),
        t => matches(t),
    })
}

fn one_or_many(v: Option<&Value>) -> Vec<&Value> {
    match v {
        None | Some(Value::Null) => Vec::new(),
        Some(Value::Array(vs)) => vs.iter().collect(),
        Some(v) => vec![v],
    }
}

fn string(v: Option<&Value>) -> Option<String> {
    v.and_then(Value::as_str).map(str::to_owned)
}

fn read_annotation(a: &Value) -> Option<Annotation> {
    if !a.is_object() {
        return None;
    }
    // The first target that carries a text quote.
    let (target, quote) = one_or_many(a.get("target")).into_iter().find_map(|t| {
        let quote = one_or_many(t.get("selector"))
            .into_iter()
            .find(|s| has_type(s, "TextQuoteSelector") && s.get("exact").is_some_and(Value::is_string))?;
        Some((t, quote))
    })?;
    let position = one_or_many(target.get("selector")).into_iter().find(|s| has_type(s, "TextPositionSelector"));
    let offset =
        |key: &str| position.and_then(|p| p.get(key)).and_then(Value::as_u64).and_then(|n| usize::try_from(n).ok());
    let source = match target.get("source") {
        Some(Value::String(s)) => s.clone(),
        Some(o @ Value::Object(_)) => string(o.get("id").or_else(|| o.get("@id"))).unwrap_or_default(),
        _ => string(target.get("id").or_else(|| target.get("@id"))).unwrap_or_default(),
    };
    let color = one_or_many(target.get("styleClass"))
        .into_iter()
        .filter_map(Value::as_str)
        .find_map(|c| c.strip_prefix(STYLE_CLASS_PREFIX)?.parse::<Color>().ok());

    let mut notes: Vec<String> = Vec::new();
    let mut tags = Vec::new();
    if let Some(v) = a.get("bodyValue").and_then(Value::as_str) {
        notes.push(v.to_owned());
    }
    for body in one_or_many(a.get("body")) {
        match body {
            // A string body is an IRI by the model; some producers put the text there.
            Value::String(s) if !looks_like_iri(s) => notes.push(s.clone()),
            Value::Object(_) => {
                let Some(value) = body.get("value").and_then(Value::as_str) else { continue };
                let purposes: Vec<&str> =
                    one_or_many(body.get("purpose")).into_iter().filter_map(Value::as_str).collect();
                if purposes.iter().any(|p| is_term(p, "tagging")) {
                    tags.push(value.to_owned());
                } else {
                    notes.push(value.to_owned());
                }
            }
            _ => {}
        }
    }
    Some(Annotation {
        source,
        exact: string(quote.get("exact")).unwrap_or_default(),
        prefix: string(quote.get("prefix")).unwrap_or_default(),
        suffix: string(quote.get("suffix")).unwrap_or_default(),
        start: offset("start"),
        end: offset("end"),
        note: notes.join("\n\n"),
        tags,
        color,
        created: string(a.get("created")),
        modified: string(a.get("modified")),
    })
}

fn is_term(s: &str, name: &str) -> bool {
    s == name || s.rsplit_once(':').is_some_and(|(_, n)| n == name)
}

fn looks_like_iri(s: &str) -> bool {
    !s.contains(char::is_whitespace)
        && s.split_once(':').is_some_and(|(scheme, _)| {
            !scheme.is_empty() && scheme.chars().all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        })
}
