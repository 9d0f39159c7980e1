//! The full-text index (`articles_fts`, `highlights_fts`): rewritten in the same transaction as
//! the rows they mirror, and queried for search. Every FTS5 expression reaching this module was
//! compiled by `search.rs` from quoted terms; user text is never spliced into SQL.

use std::collections::HashMap;

use rusqlite::{Connection, Transaction};

use super::filter::Filter;

use crate::Result;

/// Rewrites an article's index row from its current state (title, byline, text, and its
/// highlights' quotes and notes).
pub(crate) fn reindex_article(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM articles_fts WHERE rowid = ?", [id])?;
    tx.execute(
        "INSERT INTO articles_fts (rowid, title, byline, body, quotes, notes)
         SELECT a.id, a.title, coalesce(a.byline, ''), a.canonical_text,
                coalesce((SELECT group_concat(h.exact, char(10)) FROM highlights h WHERE h.article_id = a.id), ''),
                coalesce((SELECT group_concat(h.note, char(10)) FROM highlights h WHERE h.article_id = a.id AND h.note != ''), '')
         FROM articles a WHERE a.id = ?",
        [id],
    )?;
    Ok(())
}

/// Rewrites a highlight's index row.
pub(crate) fn reindex_highlight(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM highlights_fts WHERE rowid = ?", [id])?;
    tx.execute(
        "INSERT INTO highlights_fts (rowid, quote, note) SELECT id, exact, note FROM highlights WHERE id = ?",
        [id],
    )?;
    Ok(())
}

/// Drops a deleted article's row and those of its (deleted) highlights.
pub(crate) fn forget_article(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM articles_fts WHERE rowid = ?", [id])?;
    tx.execute("DELETE FROM highlights_fts WHERE rowid NOT IN (SELECT id FROM highlights)", [])?;
    Ok(())
}

pub(crate) fn forget_highlight(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM highlights_fts WHERE rowid = ?", [id])?;
    Ok(())
}

/// Article ids that match `fts` (when given) and pass the filter, with their bm25 rank (title
/// weighs most; lower is better): ranked when there is an expression, newest clipped first
/// otherwise. At most `limit`, after skipping `offset`.
pub(crate) fn ranked(
    conn: &Connection,
    fts: Option<&str>,
    filter: &Filter,
    limit: usize,
    offset: usize,
) -> Result<Vec<(i64, f64)>> {
    let (head, first, order) = match fts {
        Some(expr) => (
            "SELECT a.id, bm25(articles_fts, 10.0, 4.0, 1.0, 3.0, 3.0) AS rank FROM articles_fts
             JOIN articles a ON a.id = articles_fts.rowid WHERE articles_fts MATCH ? AND ",
            vec![expr.to_owned().into()],
            " ORDER BY rank, a.id DESC",
        ),
        None => {
            ("SELECT a.id, 0.0 AS rank FROM articles a WHERE ", Vec::new(), " ORDER BY a.clipped_at DESC, a.id DESC")
        }
    };
    let sql = format!("{head}{}{order} LIMIT {} OFFSET {offset}", filter.condition(), limit.max(1));
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map(filter.args_after(first), |r| Ok((r.get("id")?, r.get("rank")?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The columns of `articles_fts` that snippets are made of, by index.
pub(crate) const TITLE: usize = 0;
pub(crate) const BYLINE: usize = 1;
pub(crate) const BODY: usize = 2;
pub(crate) const QUOTES: usize = 3;
pub(crate) const NOTES: usize = 4;

/// Marks around matched words in snippets.
pub(crate) const OPEN: char = '\u{2}';
pub(crate) const CLOSE: char = '\u{3}';

/// The snippet of each of `columns` (empty where it did not match) of the given articles for
/// an FTS5 expression: one pass over the match. (`+rowid` keeps the id list away from FTS5,
/// which would otherwise run the whole match once per id.)
pub(crate) fn snippets(
    conn: &Connection,
    fts: &str,
    columns: &[usize],
    ids: &[i64],
) -> Result<HashMap<i64, Vec<String>>> {
    if ids.is_empty() {
        return Ok(HashMap::new());
    }
    let wanted: Vec<String> =
        columns.iter().map(|col| format!("snippet(articles_fts, {col}, char(2), char(3), '…', 16)")).collect();
    let ids: Vec<String> = ids.iter().map(i64::to_string).collect();
    let sql = format!(
        "SELECT rowid, {} FROM articles_fts WHERE articles_fts MATCH ?1 AND +rowid IN ({})",
        wanted.join(", "),
        ids.join(", ")
    );
    let mut stmt = conn.prepare(&sql)?;
    let rows = stmt.query_map([fts], |r| {
        let texts = (1..=columns.len()).map(|i| r.get(i)).collect::<rusqlite::Result<Vec<String>>>()?;
        Ok((r.get::<_, i64>(0)?, texts))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// The ids of an article's highlights whose quote or note matches an FTS5 expression.
pub(crate) fn matching_highlights(conn: &Connection, fts: &str, article: i64) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare_cached(
        "SELECT rowid FROM highlights_fts WHERE highlights_fts MATCH ?
         AND rowid IN (SELECT id FROM highlights WHERE article_id = ?)",
    )?;
    let ids = stmt.query_map(rusqlite::params![fts, article], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}
