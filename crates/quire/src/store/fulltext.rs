//! What the full-text index is derived from: each article's entry (its texts, its highlights'
//! quotes and notes, its tags and those of its highlights, its site and address, status,
//! favorite, date), the journal of articles whose entry is stale (`fulltext_changes`, written
//! by triggers in the same transaction as every change: migration 0009), and the generation of
//! the library's content (`fulltext_state`), which a restore renews.

use rusqlite::{params_from_iter, Connection, OptionalExtension};

use super::values::Sql;
use crate::{Result, Status};

/// An article as the full-text index holds it.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Entry {
    pub(crate) id: i64,
    pub(crate) title: String,
    pub(crate) byline: String,
    pub(crate) body: String,
    /// Its highlights' quotes, one per line.
    pub(crate) quotes: String,
    /// Its highlights' notes, one per line.
    pub(crate) notes: String,
    /// Keys (`tags.key`) of its own tags and its highlights' tags.
    pub(crate) tags: Vec<String>,
    /// Lower-cased site name and address (canonical, else source), as `site:` matches them.
    pub(crate) sites: Vec<String>,
    pub(crate) status: Status,
    pub(crate) favorite: bool,
    pub(crate) has_highlights: bool,
    pub(crate) has_notes: bool,
    /// When it was clipped, as stored (RFC 3339 UTC): newest first is its order.
    pub(crate) clipped_at: String,
}

/// The entries of these articles (those that exist), in id order.
pub(crate) fn entries(conn: &Connection, ids: &[i64]) -> Result<Vec<Entry>> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let mut out: Vec<Entry> = {
        let sql = format!(
            "SELECT a.id, a.title, coalesce(a.byline, '') AS byline, a.body,
                    lower(coalesce(a.site_name, '')) AS site, lower(coalesce(a.canonical_url, a.source_url, '')) AS url,
                    a.status, a.favorite, a.clipped_at,
                    coalesce((SELECT group_concat(h.exact, char(30) ORDER BY h.id) FROM highlights h WHERE h.article_id = a.id), '') AS quotes,
                    coalesce((SELECT group_concat(h.note, char(30) ORDER BY h.id) FROM highlights h
                              WHERE h.article_id = a.id AND h.note != ''), '') AS notes,
                    EXISTS (SELECT 1 FROM highlights h WHERE h.article_id = a.id) AS has_highlights
             FROM articles a WHERE a.id IN ({marks}) ORDER BY a.id"
        );
        let mut stmt = conn.prepare(&sql)?;
        let rows = stmt.query_map(params_from_iter(ids.iter()), |r| {
            let notes: String = r.get("notes")?;
            let sites: Vec<String> = [r.get::<_, String>("site")?, r.get::<_, String>("url")?]
                .into_iter()
                .filter(|s| !s.is_empty())
                .collect();
            Ok(Entry {
                id: r.get("id")?,
                title: r.get("title")?,
                byline: r.get("byline")?,
                // An article whose stored body cannot be read is still found by its title,
                // quotes and notes; opening it reports the damage.
                body: super::body::text(&r.get::<_, Vec<u8>>("body")?).unwrap_or_default(),
                quotes: r.get("quotes")?,
                has_notes: !notes.is_empty(),
                notes,
                tags: Vec::new(),
                sites,
                status: r.get::<_, Sql<Status>>("status")?.0,
                favorite: r.get::<_, i64>("favorite")? != 0,
                has_highlights: r.get::<_, i64>("has_highlights")? != 0,
                clipped_at: r.get("clipped_at")?,
            })
        })?;
        rows.collect::<rusqlite::Result<_>>()?
    };
    let sql = format!(
        "SELECT at.article_id, t.key FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id IN ({marks})
         UNION
         SELECT h.article_id, t.key FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id
         JOIN tags t ON t.id = ht.tag_id WHERE h.article_id IN ({marks})"
    );
    let mut stmt = conn.prepare(&sql)?;
    let tags = stmt.query_map(params_from_iter(ids.iter().chain(ids.iter())), |r| {
        Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?))
    })?;
    for tag in tags {
        let (id, key) = tag?;
        if let Ok(at) = out.binary_search_by_key(&id, |e| e.id) {
            out[at].tags.push(key);
        }
    }
    Ok(out)
}

/// Every article id, in order.
pub(crate) fn all_ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM articles ORDER BY id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// The last change recorded (0 when none ever was).
pub(crate) fn last_change(conn: &Connection) -> Result<i64> {
    Ok(conn.query_row("SELECT coalesce(max(seq), 0) FROM fulltext_changes", [], |r| r.get(0))?)
}

/// The articles changed after `seq` (each once), and the last change.
pub(crate) fn changed_since(conn: &Connection, seq: i64) -> Result<(Vec<i64>, i64)> {
    let mut stmt = conn.prepare_cached(
        "SELECT article_id, max(seq) FROM fulltext_changes WHERE seq > ? GROUP BY article_id ORDER BY article_id",
    )?;
    let mut last = seq;
    let mut ids = Vec::new();
    for row in stmt.query_map([seq], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, i64>(1)?)))? {
        let (id, at) = row?;
        ids.push(id);
        last = last.max(at);
    }
    Ok((ids, last))
}

/// Forgets the changes the index has applied before `seq` (the change `seq` itself is kept,
/// to recognize the journal the index followed).
pub(crate) fn prune(conn: &Connection, seq: i64) -> Result<()> {
    conn.execute("DELETE FROM fulltext_changes WHERE seq < ?", [seq])?;
    Ok(())
}

/// The article of change `seq`, if the journal still holds it.
pub(crate) fn change_at(conn: &Connection, seq: i64) -> Result<Option<i64>> {
    Ok(conn.query_row("SELECT article_id FROM fulltext_changes WHERE seq = ?", [seq], |r| r.get(0)).optional()?)
}

/// The generation of the library's content.
pub(crate) fn generation(conn: &Connection) -> Result<String> {
    let found: Option<String> =
        conn.query_row("SELECT generation FROM fulltext_state WHERE id = 1", [], |r| r.get(0)).optional()?;
    Ok(found.unwrap_or_default())
}

/// Starts a new generation: any index built before is stale as a whole.
pub(crate) fn renew_generation(conn: &Connection) -> Result<()> {
    conn.execute(
        "INSERT INTO fulltext_state (id, generation) VALUES (1, lower(hex(randomblob(16))))
         ON CONFLICT (id) DO UPDATE SET generation = excluded.generation",
        [],
    )?;
    Ok(())
}

/// When these articles were clipped, as seconds since the epoch.
pub(crate) fn clipped(conn: &Connection, ids: &[i64]) -> Result<std::collections::HashMap<i64, i64>> {
    if ids.is_empty() {
        return Ok(Default::default());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let mut stmt = conn.prepare(&format!("SELECT id, clipped_at FROM articles WHERE id IN ({marks})"))?;
    let rows = stmt.query_map(params_from_iter(ids.iter()), |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?;
    let mut out = std::collections::HashMap::new();
    for row in rows {
        let (id, at) = row?;
        out.insert(id, clipped_seconds(&at));
    }
    Ok(out)
}

/// A stored time (RFC 3339) as seconds since the epoch (0 when it does not read as one).
pub(crate) fn clipped_seconds(stored: &str) -> i64 {
    time::OffsetDateTime::parse(stored, &time::format_description::well_known::Rfc3339)
        .map_or(0, |t| t.unix_timestamp())
}
