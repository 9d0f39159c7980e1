//! Replacing an article's content (re-extraction, re-clipping) without losing a highlight:
//! the old text is kept as a version, and every highlight is re-anchored against the new text
//! in the same transaction. A highlight whose quote is gone becomes an orphan: kept with its
//! quote, note and tags, listed, and re-attachable to a new selection.

use quire_anchor::{AnchorKind, Text, TextPositionSelector};

use crate::add::Gathered;
use crate::highlights::anchor_error;
use crate::store::articles::LINK_HASH_PREFIX;
use crate::store::{articles, highlights, media, Tx};
use crate::{AddOutcome, Error, ReanchorReport, ReanchoredHighlight, Result};

/// Replaces article `id`'s content with what was gathered and re-anchors its highlights, in
/// the caller's transaction.
pub(crate) fn replace_content(tx: &Tx<'_>, id: i64, gathered: Gathered) -> Result<AddOutcome> {
    let key = gathered.key();
    let current = articles::current(tx, id)?;
    if let Some(twin) = articles::with_text_other_than(tx, &key.content_hash, id)? {
        return Err(Error::SameTextAs { article: id, twin });
    }
    let text_changed = current.content_hash != key.content_hash;
    // An article kept only as a link had no text: there is no earlier version to keep, and a
    // quote found in its first text is exactly where it belongs, not "moved".
    let first_text = current.content_hash.starts_with(LINK_HASH_PREFIX);
    if text_changed && !first_text {
        articles::keep_version(tx, id)?;
    }
    let mut content = gathered.content();
    if content.title.is_empty() {
        content.title = &current.title;
    }
    articles::replace(tx, id, &content)?;
    media::add_images(tx, id, &gathered.images)?;
    if let Some(snapshot) = &gathered.snapshot {
        media::add_snapshot(tx, id, snapshot)?;
    }

    // Re-anchor every highlight (orphans too: their quote may be back), in stored order, so
    // that each search starts where the previous highlight moved to.
    let olds = highlights::of_article(tx, id)?;
    let text = Text::new(gathered.canonical_text());
    let items: Vec<_> =
        olds.iter().map(|h| (h.quote.clone(), (h.anchor != AnchorKind::Orphan).then_some(h.position))).collect();
    let mut report = ReanchorReport { article_id: id, text_changed, ..ReanchorReport::default() };
    for (old, anchored) in olds.into_iter().zip(text.reanchor_all(&items)) {
        let (kind, after) = match (anchored.kind, anchored.position) {
            (AnchorKind::Orphan, _) | (_, None) => {
                highlights::set_orphan(tx, old.id)?;
                (AnchorKind::Orphan, String::new())
            }
            (kind, Some(TextPositionSelector { start, end })) => {
                let kind = if first_text && kind == AnchorKind::Moved { AnchorKind::Exact } else { kind };
                let (selector, position) = text.selectors(start, end).map_err(|e| anchor_error(id, e))?;
                highlights::set_anchor(tx, old.id, &selector, position, kind)?;
                (kind, selector.exact)
            }
        };
        match kind {
            AnchorKind::Exact => report.exact += 1,
            AnchorKind::Moved => report.moved += 1,
            AnchorKind::Fuzzy { .. } => report.fuzzy += 1,
            AnchorKind::Orphan => report.orphaned += 1,
        }
        report.highlights.push(ReanchoredHighlight { id: old.id, before: old.quote.exact, after, anchor: kind });
    }
    let title = content.title.to_owned();
    Ok(AddOutcome { id, title, created: false, warnings: gathered.extracted.warnings, reanchored: Some(report) })
}
