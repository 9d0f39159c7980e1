//! The `highlights` table, read by column name.

use quire_anchor::{AnchorKind, TextPositionSelector, TextQuoteSelector};
use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use super::now;
use super::tags::{key_or_sub, KEY_OR_SUB};
use super::values::{anchor_columns, anchor_kind, Anchor, Sql, SqlWord};
use crate::{Color, Error, Highlight, HighlightInContext, Result};

const COLUMNS: &str = "h.id, h.article_id, h.exact, h.prefix, h.suffix, h.start_offset, h.end_offset,
    h.text_version, h.color, h.note, h.created_at, h.updated_at, h.anchor, h.anchor_distance";

fn from_row(r: &Row<'_>) -> rusqlite::Result<Highlight> {
    Ok(Highlight {
        id: r.get("id")?,
        article_id: r.get("article_id")?,
        quote: TextQuoteSelector { exact: r.get("exact")?, prefix: r.get("prefix")?, suffix: r.get("suffix")? },
        position: TextPositionSelector { start: r.get("start_offset")?, end: r.get("end_offset")? },
        text_version: r.get("text_version")?,
        anchor: anchor_kind(r.get::<_, Sql<Anchor>>("anchor")?.0, r.get("anchor_distance")?),
        color: r.get::<_, Sql<Color>>("color")?.0,
        note: r.get("note")?,
        tags: Vec::new(),
        created_at: r.get("created_at")?,
        updated_at: r.get("updated_at")?,
    })
}

fn select(conn: &Connection, cond: &str, args: impl rusqlite::Params) -> Result<Vec<Highlight>> {
    let mut stmt = conn.prepare_cached(&format!(
        "SELECT {COLUMNS} FROM highlights h WHERE {cond} ORDER BY h.start_offset, h.end_offset, h.id"
    ))?;
    let mut out = stmt.query_map(args, from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    fill_tags(conn, out.iter_mut())?;
    Ok(out)
}

fn fill_tags<'h>(conn: &Connection, highlights: impl Iterator<Item = &'h mut Highlight>) -> Result<()> {
    let mut tags = conn.prepare_cached(
        "SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.highlight_id = ? ORDER BY t.key",
    )?;
    for h in highlights {
        h.tags = tags.query_map([h.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    }
    Ok(())
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<Highlight> {
    select(conn, "h.id = ?", [id])?.pop().ok_or(Error::HighlightNotFound(id))
}

/// An article's highlights in text order.
pub(crate) fn of_article(conn: &Connection, article: i64) -> Result<Vec<Highlight>> {
    select(conn, "h.article_id = ?", [article])
}

/// The article a highlight belongs to.
pub(crate) fn article_of(conn: &Connection, id: i64) -> Result<i64> {
    conn.query_row("SELECT article_id FROM highlights WHERE id = ?", [id], |r| r.get(0))
        .optional()?
        .ok_or(Error::HighlightNotFound(id))
}

/// What a new highlight is.
pub(crate) struct NewRow<'a> {
    pub(crate) article: i64,
    pub(crate) quote: &'a TextQuoteSelector,
    pub(crate) position: TextPositionSelector,
    pub(crate) color: Color,
    pub(crate) note: &'a str,
}

/// Stores a highlight whose quote and note are within the library's limits
/// (`highlights::check_quote`, `highlights::fit_note`), else nothing.
pub(crate) fn insert(tx: &Transaction<'_>, new: &NewRow<'_>) -> Result<i64> {
    crate::highlights::check_quote(&new.quote.exact)?;
    let note = crate::highlights::fit_note(new.note)?;
    let now = now();
    tx.execute(
        "INSERT INTO highlights (article_id, exact, prefix, suffix, start_offset, end_offset, text_version, color, note,
                                 created_at, updated_at)
         VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        params![
            new.article,
            new.quote.exact,
            new.quote.prefix,
            new.quote.suffix,
            new.position.start,
            new.position.end,
            quire_doc::CANONICAL_TEXT_VERSION,
            Sql(new.color),
            note,
            now,
            now
        ],
    )?;
    Ok(tx.last_insert_rowid())
}

/// A highlight brought from another app: anchored as found (or an orphan), dated when it was
/// made there.
pub(crate) struct ImportedRow<'a> {
    pub(crate) row: NewRow<'a>,
    pub(crate) anchor: AnchorKind,
    /// RFC 3339; `None` is now.
    pub(crate) created_at: Option<&'a str>,
}

pub(crate) fn insert_imported(tx: &Transaction<'_>, new: &ImportedRow<'_>) -> Result<i64> {
    let id = insert(tx, &new.row)?;
    let (anchor, distance) = anchor_columns(new.anchor);
    tx.execute(
        "UPDATE highlights SET anchor = ?, anchor_distance = ?, created_at = coalesce(?, created_at),
                updated_at = coalesce(?, updated_at) WHERE id = ?",
        params![anchor, distance, new.created_at, new.created_at, id],
    )?;
    Ok(id)
}

/// The quotes of an article's highlights (what an import compares with, to add each once).
pub(crate) fn quotes_of(conn: &Connection, article: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached("SELECT exact FROM highlights WHERE article_id = ?")?;
    let quotes = stmt.query_map([article], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(quotes)
}

/// Sets the note and/or color (`None` keeps it) and the time of the change.
pub(crate) fn edit(tx: &Transaction<'_>, id: i64, note: Option<&str>, color: Option<Color>) -> Result<()> {
    let note = note.map(crate::highlights::fit_note).transpose()?;
    let n = tx.execute(
        "UPDATE highlights SET note = coalesce(?, note), color = coalesce(?, color), updated_at = ? WHERE id = ?",
        params![note, color.map(Sql), now(), id],
    )?;
    if n == 0 {
        return Err(Error::HighlightNotFound(id));
    }
    Ok(())
}

/// Deletes a highlight; a tag that only it carried goes with it.
pub(crate) fn delete(tx: &Transaction<'_>, id: i64) -> Result<()> {
    if tx.execute("DELETE FROM highlights WHERE id = ?", [id])? == 0 {
        return Err(Error::HighlightNotFound(id));
    }
    super::tags::delete_unused(tx)
}

/// Where a highlight now anchors (its selectors on the current text), and how.
pub(crate) fn set_anchor(
    tx: &Transaction<'_>,
    id: i64,
    selector: &TextQuoteSelector,
    position: TextPositionSelector,
    kind: AnchorKind,
) -> Result<()> {
    let (anchor, distance) = anchor_columns(kind);
    tx.execute(
        "UPDATE highlights SET exact = ?, prefix = ?, suffix = ?, start_offset = ?, end_offset = ?,
                text_version = ?, anchor = ?, anchor_distance = ? WHERE id = ?",
        params![
            selector.exact,
            selector.prefix,
            selector.suffix,
            position.start,
            position.end,
            quire_doc::CANONICAL_TEXT_VERSION,
            anchor,
            distance,
            id
        ],
    )?;
    Ok(())
}

/// Marks a highlight as an orphan: its quote, note and tags stay, its place is the old one.
pub(crate) fn set_orphan(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let (anchor, distance) = anchor_columns(AnchorKind::Orphan);
    tx.execute("UPDATE highlights SET anchor = ?, anchor_distance = ? WHERE id = ?", params![anchor, distance, id])?;
    Ok(())
}

pub(crate) fn touch(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("UPDATE highlights SET updated_at = ? WHERE id = ?", params![now(), id])?;
    Ok(())
}

/// Which highlights to list across the library.
#[derive(Default)]
pub(crate) struct Selection<'a> {
    pub(crate) article: Option<i64>,
    /// Only highlights of these articles (with `article`, of both).
    pub(crate) articles: Option<&'a [i64]>,
    /// The tag key (see `tags::key_of`): this tag or a sub-tag, on the highlight.
    pub(crate) tag_key: Option<&'a str>,
    pub(crate) orphans: bool,
    /// At most this many, after skipping `offset`, in the listing's order.
    pub(crate) limit: Option<usize>,
    pub(crate) offset: usize,
}

/// A page of a topic: the articles whose highlights carry the tag (newest clipped first), and
/// how many articles and highlights the whole topic has.
pub(crate) struct TopicPage {
    pub(crate) articles: Vec<i64>,
    pub(crate) total_articles: usize,
    pub(crate) total_highlights: usize,
}

/// The articles of a topic (`key` or a sub-tag on their highlights), `limit` of them after
/// skipping `offset`, with the topic's totals, in one pass over the topic's highlights.
pub(crate) fn topic_page(conn: &Connection, key: &str, limit: Option<usize>, offset: usize) -> Result<TopicPage> {
    let limit = limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
    let offset = i64::try_from(offset).unwrap_or(i64::MAX);
    let sql = format!(
        "WITH tagged AS (SELECT ht.highlight_id AS id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
                         WHERE {KEY_OR_SUB}),
              per_article AS (SELECT h.article_id AS id, count(*) AS n FROM highlights h
                              WHERE h.id IN (SELECT id FROM tagged) GROUP BY h.article_id)
         SELECT p.id, count(*) OVER () AS articles, sum(p.n) OVER () AS highlights
         FROM per_article p JOIN articles a ON a.id = p.id
         ORDER BY a.clipped_at DESC, a.id DESC LIMIT ? OFFSET ?"
    );
    let [key, sub] = key_or_sub(key);
    let mut stmt = conn.prepare(&sql)?;
    let mut page = TopicPage { articles: Vec::new(), total_articles: 0, total_highlights: 0 };
    let mut rows = stmt.query(params![key, sub, limit, offset])?;
    while let Some(r) = rows.next()? {
        page.articles.push(r.get(0)?);
        page.total_articles = r.get::<_, i64>(1)? as usize;
        page.total_highlights = r.get::<_, i64>(2)? as usize;
    }
    if page.articles.is_empty() && offset > 0 {
        // Past the end: the totals still tell the whole topic.
        let totals = topic_page(conn, &key, Some(1), 0)?;
        page.total_articles = totals.total_articles;
        page.total_highlights = totals.total_highlights;
    }
    Ok(page)
}

/// Highlights with their article's title, site and date: of one article in text order, else
/// newest first.
pub(crate) fn select_in_context(conn: &Connection, sel: &Selection<'_>) -> Result<Vec<HighlightInContext>> {
    let mut sql = format!(
        "SELECT {COLUMNS}, a.title AS article_title, a.site_name, a.published_at
         FROM highlights h JOIN articles a ON a.id = h.article_id WHERE 1"
    );
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(article) = sel.article {
        sql.push_str(" AND h.article_id = ?");
        args.push(article.into());
    }
    if let Some(ids) = sel.articles {
        sql.push_str(&format!(" AND h.article_id IN ({})", vec!["?"; ids.len()].join(", ")));
        args.extend(ids.iter().map(|&id| id.into()));
    }
    if let Some(key) = sel.tag_key {
        sql.push_str(&format!(
            // `+`: newest first, SQLite reads `highlights_created` in order and looks each
            // highlight up in the topic's (gathered once) until it has a page.
            " AND +h.id IN (SELECT ht.highlight_id FROM highlight_tags ht
                            WHERE ht.tag_id IN (SELECT t.id FROM tags t WHERE {KEY_OR_SUB}))"
        ));
        args.extend(key_or_sub(key).map(Into::into));
    }
    if sel.orphans {
        sql.push_str(" AND h.anchor = ?");
        args.push(Anchor::Orphan.word().to_owned().into());
    }
    sql.push_str(if sel.article.is_some() && sel.tag_key.is_none() {
        " ORDER BY h.start_offset, h.end_offset, h.id"
    } else {
        " ORDER BY h.created_at DESC, h.id DESC"
    });
    if sel.limit.is_some() || sel.offset > 0 {
        let limit = sel.limit.map_or(-1, |n| i64::try_from(n).unwrap_or(i64::MAX));
        sql.push_str(" LIMIT ? OFFSET ?");
        args.extend([limit.into(), i64::try_from(sel.offset).unwrap_or(i64::MAX).into()]);
    }
    let mut stmt = conn.prepare(&sql)?;
    let mut rows = stmt
        .query_map(rusqlite::params_from_iter(args), |r| {
            Ok(HighlightInContext {
                highlight: from_row(r)?,
                article_title: r.get("article_title")?,
                site_name: r.get("site_name")?,
                published_at: r.get("published_at")?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    fill_tags(conn, rows.iter_mut().map(|r| &mut r.highlight))?;
    Ok(rows)
}
