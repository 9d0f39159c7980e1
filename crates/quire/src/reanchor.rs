//! Replacing an article's content (re-extraction, re-clipping) without losing a highlight:
//! the old text is kept as a version, and every highlight is re-anchored against the new text
//! in the same transaction. A highlight whose quote is gone becomes an orphan: kept with its
//! quote, note and tags, listed, and re-attachable to a new selection.

use quire_anchor::{AnchorKind, Text, TextPositionSelector, TextQuoteSelector};
use quire_clip::Extracted;
use rusqlite::{params, OptionalExtension};

use crate::import::{content_hash, insert_snapshot, store_images, urls_of, Incoming};
use crate::{
    anchor_error, now, reindex_article, reindex_highlight, AddOutcome, Error, Highlight, HighlightTarget, Library,
    ReanchorReport, ReanchoredHighlight, Result,
};

impl Library {
    /// Replaces article `id`'s content with `incoming` and re-anchors its highlights.
    pub(crate) fn replace_content(&mut self, id: i64, incoming: Incoming) -> Result<AddOutcome> {
        let Incoming { extracted, source, tags, snapshot, images } = incoming;
        if extracted.is_empty() {
            return Err(Error::EmptyInput(source.name));
        }
        let urls = urls_of(&extracted, &source);
        let Extracted { meta, document, warnings } = extracted;
        let new_text = document.canonical_text();
        let new_hash = content_hash(&new_text);
        let tx = self.conn.transaction()?;
        let now = now();
        let (old_hash, title): (String, String) = tx
            .query_row("SELECT content_hash, title FROM articles WHERE id = ?", [id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?
            .ok_or(Error::ArticleNotFound(id))?;
        let twin: Option<i64> = tx
            .query_row("SELECT id FROM articles WHERE content_hash = ? AND id != ?", params![new_hash, id], |r| {
                r.get(0)
            })
            .optional()?;
        if let Some(twin) = twin {
            return Err(Error::Conflict(format!("the new text of article {id} is the text of article {twin}")));
        }
        let text_changed = old_hash != new_hash;
        if text_changed {
            tx.execute(
                "INSERT INTO article_versions (article_id, title, document, canonical_text, text_version, content_hash, replaced_at)
                 SELECT id, title, document, canonical_text, text_version, content_hash, ? FROM articles WHERE id = ?",
                params![now, id],
            )?;
        }
        let document_json = serde_json::to_string(&document).map_err(|e| Error::Corrupt(e.to_string()))?;
        tx.execute(
            "UPDATE articles SET title = ?, byline = ?, site_name = ?, canonical_url = coalesce(?, canonical_url),
                    normalized_url = coalesce(?, normalized_url), language = ?, direction = ?, published_at = ?,
                    excerpt = ?, lead_image = ?, document = ?, canonical_text = ?, text_version = ?, content_hash = ?,
                    word_count = ?, updated_at = ?
             WHERE id = ?",
            params![
                if meta.title.is_empty() { title } else { meta.title.clone() },
                meta.byline,
                meta.site_name,
                urls.canonical,
                urls.normalized_canonical.or(urls.normalized_source),
                meta.language,
                meta.direction,
                meta.published,
                meta.excerpt,
                meta.lead_image,
                document_json,
                new_text,
                quire_doc::CANONICAL_TEXT_VERSION,
                new_hash,
                document.word_count() as i64,
                now,
                id
            ],
        )?;
        store_images(&tx, id, &images, &now)?;
        if let Some(snapshot) = &snapshot {
            insert_snapshot(&tx, id, snapshot, &now)?;
        }
        crate::tags::add_article_tags(&tx, id, &tags)?;

        // Re-anchor every highlight (orphans too: their quote may be back).
        let olds: Vec<(i64, TextQuoteSelector, TextPositionSelector, String)> = tx
            .prepare(
                "SELECT id, exact, prefix, suffix, start_offset, end_offset, anchor FROM highlights
                 WHERE article_id = ? ORDER BY start_offset, end_offset, id",
            )?
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    TextQuoteSelector { exact: r.get(1)?, prefix: r.get(2)?, suffix: r.get(3)? },
                    TextPositionSelector { start: r.get::<_, i64>(4)? as usize, end: r.get::<_, i64>(5)? as usize },
                    r.get(6)?,
                ))
            })?
            .collect::<rusqlite::Result<_>>()?;
        let text = Text::new(&new_text);
        let mut report = ReanchorReport { article_id: id, text_changed, ..ReanchorReport::default() };
        // In stored order, so that each search starts where the previous highlight moved to.
        let items: Vec<(TextQuoteSelector, Option<TextPositionSelector>)> =
            olds.iter().map(|(_, quote, old, was)| (quote.clone(), (was != "orphan").then_some(*old))).collect();
        let anchored_all = text.reanchor_all(&items);
        for ((hid, quote, _, _), anchored) in olds.into_iter().zip(anchored_all) {
            let (kind, after) = match (anchored.kind, anchored.position) {
                (AnchorKind::Orphan, _) | (_, None) => {
                    tx.execute("UPDATE highlights SET anchor = 'orphan', anchor_distance = 0 WHERE id = ?", [hid])?;
                    (AnchorKind::Orphan, String::new())
                }
                (kind, Some(position)) => {
                    let (selector, position) =
                        text.selectors(position.start, position.end).map_err(|e| anchor_error(id, e))?;
                    write_anchor(&tx, hid, &selector, position, kind)?;
                    reindex_highlight(&tx, hid)?;
                    (kind, selector.exact)
                }
            };
            match kind {
                AnchorKind::Exact => report.exact += 1,
                AnchorKind::Moved => report.moved += 1,
                AnchorKind::Fuzzy { .. } => report.fuzzy += 1,
                AnchorKind::Orphan => report.orphaned += 1,
            }
            report.highlights.push(ReanchoredHighlight { id: hid, before: quote.exact, after, anchor: kind });
        }
        reindex_article(&tx, id)?;
        tx.commit()?;
        let title: String = self.conn.query_row("SELECT title FROM articles WHERE id = ?", [id], |r| r.get(0))?;
        Ok(AddOutcome { id, title, created: false, warnings, reanchored: Some(report) })
    }

    /// Attaches a highlight (usually an orphan) to a new place in its article's current text;
    /// its note, color and tags stay.
    pub fn reattach_highlight(&mut self, id: i64, target: &HighlightTarget) -> Result<Highlight> {
        let article: i64 = self
            .conn
            .query_row("SELECT article_id FROM highlights WHERE id = ?", [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::HighlightNotFound(id))?;
        let (selector, position) = self.resolve_target(article, target)?;
        let tx = self.conn.transaction()?;
        write_anchor(&tx, id, &selector, position, AnchorKind::Exact)?;
        tx.execute("UPDATE highlights SET updated_at = ? WHERE id = ?", params![now(), id])?;
        reindex_highlight(&tx, id)?;
        reindex_article(&tx, article)?;
        tx.commit()?;
        self.highlight(id)
    }
}

/// Stores where a highlight now anchors (its selectors on the current text) and how.
fn write_anchor(
    tx: &rusqlite::Transaction<'_>,
    id: i64,
    selector: &TextQuoteSelector,
    position: TextPositionSelector,
    kind: AnchorKind,
) -> Result<()> {
    let (name, distance) = match kind {
        AnchorKind::Exact => ("exact", 0),
        AnchorKind::Moved => ("moved", 0),
        AnchorKind::Fuzzy { distance } => ("fuzzy", distance),
        AnchorKind::Orphan => ("orphan", 0),
    };
    tx.execute(
        "UPDATE highlights SET exact = ?, prefix = ?, suffix = ?, start_offset = ?, end_offset = ?,
                text_version = ?, anchor = ?, anchor_distance = ? WHERE id = ?",
        params![
            selector.exact,
            selector.prefix,
            selector.suffix,
            position.start as i64,
            position.end as i64,
            quire_doc::CANONICAL_TEXT_VERSION,
            name,
            distance,
            id
        ],
    )?;
    Ok(())
}
