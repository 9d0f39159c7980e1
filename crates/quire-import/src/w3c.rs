//! W3C Web Annotation files (JSON-LD: a collection, a page, an array or one annotation) —
//! Quire's own `w3c` export and other annotators' — read by `quire-export`'s reader. Each
//! annotated page is an item (its address; the page is fetched or already in the library),
//! each annotation with a quote a highlight with its context, position, note, tags, color and
//! date. Annotations on an article with no web address (`quire://article/ID`) cannot be matched
//! to another library's articles and are listed as skipped.

use crate::{dates, text, Error, Export, Format, Highlight, Item, Result, Skipped};

pub(crate) fn parse(bytes: &[u8]) -> Result<Export> {
    let (json, _) = text::decode(bytes);
    let annotations = quire_export::w3c::read(&json)
        .map_err(|e| Error::Malformed { at: "the file".into(), reason: e.to_string() })?;
    let mut export = Export { format: Format::W3c, items: Vec::new(), skipped: Vec::new() };
    for (n, a) in annotations.into_iter().enumerate() {
        let at = format!("annotation {}", n + 1);
        if !(a.source.starts_with("http://") || a.source.starts_with("https://")) {
            let shown: String = a.source.chars().take(80).collect();
            export.skipped.push(Skipped { at, reason: format!("its target has no web address ({shown})") });
            continue;
        }
        let index = match export.items.iter().position(|i| i.url.as_deref() == Some(a.source.as_str())) {
            Some(i) => i,
            None => {
                let mut item = Item::at(at);
                item.url = Some(a.source.clone());
                export.items.push(item);
                export.items.len() - 1
            }
        };
        let created_at = a.created.as_deref().and_then(dates::any);
        let item = &mut export.items[index];
        if let Some(t) = created_at {
            item.saved_at = Some(item.saved_at.map_or(t, |s| s.min(t)));
        }
        item.highlights.push(Highlight {
            quote: a.exact,
            prefix: (!a.prefix.is_empty()).then_some(a.prefix),
            suffix: (!a.suffix.is_empty()).then_some(a.suffix),
            position: a.start.zip(a.end),
            unit: crate::PositionUnit::Scalar,
            note: a.note,
            tags: text::tags(a.tags),
            color: a.color,
            created_at,
            location: None,
        });
    }
    Ok(export)
}
