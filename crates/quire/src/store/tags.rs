//! The `tags`, `article_tags` and `highlight_tags` tables. A tag's `key` is its lower-cased
//! name with LIKE's wildcards escaped, so a sub-tag is `key LIKE '<key>/%'`.

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::tags::normalize_tags;
use crate::{normalize_tag, Error, Result};

/// The case-insensitive identity of a normalized tag name. `%` and `_` are escaped so the key
/// can be used in a LIKE pattern.
pub(crate) fn key_of(normalized: &str) -> String {
    normalized.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

/// The condition "the tag `t` is the one of a key or one of its sub-tags"; bind
/// [`key_or_sub`] to its two `?`.
pub(crate) const KEY_OR_SUB: &str = "(t.key = ? OR t.key LIKE ? ESCAPE '\\')";

/// The parameters of [`KEY_OR_SUB`] for a key. Stored keys hold the escapes `key_of` added
/// (`a\_b`), so the sub-tag pattern escapes the key once more: `a\\\_b/%` matches `a\_b/…` and
/// nothing else.
pub(crate) fn key_or_sub(key: &str) -> [String; 2] {
    let literal = key.replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_");
    [key.to_owned(), format!("{literal}/%")]
}

/// Whether the tag or a sub-tag exists.
pub(crate) fn exists_with_children(conn: &Connection, key: &str) -> Result<bool> {
    let sql = format!("SELECT EXISTS (SELECT 1 FROM tags t WHERE {KEY_OR_SUB})");
    Ok(conn.query_row(&sql, key_or_sub(key), |r| r.get(0))?)
}

/// The id of a tag, created if needed (with the given spelling).
fn ensure(tx: &Transaction<'_>, name: &str) -> Result<i64> {
    let name = normalize_tag(name)?;
    let key = key_of(&name);
    if let Some(id) = tx.query_row("SELECT id FROM tags WHERE key = ?", [&key], |r| r.get(0)).optional()? {
        return Ok(id);
    }
    let name = spell_like_relatives(tx, &name)?;
    tx.execute("INSERT INTO tags (name, key) VALUES (?, ?)", params![name, key])?;
    Ok(tx.last_insert_rowid())
}

/// A new tag under an existing parent keeps the parent's spelling: "nato accession/Finland"
/// becomes "NATO accession/Finland" when "NATO accession" (or a sibling) exists.
fn spell_like_relatives(tx: &Transaction<'_>, name: &str) -> Result<String> {
    let segments: Vec<&str> = name.split('/').collect();
    for depth in (1..segments.len()).rev() {
        let parent = segments[..depth].join("/");
        let parent_key = key_of(&parent);
        let sql = format!("SELECT t.name FROM tags t WHERE {KEY_OR_SUB} ORDER BY length(t.key) LIMIT 1");
        let relative: Option<String> = tx.query_row(&sql, key_or_sub(&parent_key), |r| r.get(0)).optional()?;
        if let Some(relative) = relative {
            let spelled: Vec<&str> = relative.split('/').take(depth).collect();
            return Ok(spelled.into_iter().chain(segments[depth..].iter().copied()).collect::<Vec<_>>().join("/"));
        }
    }
    Ok(name.to_owned())
}

/// Adds tags to an article: at most [`MAX_TAGS`](crate::MAX_TAGS) at once
/// ([`normalize_tags`]), else none (the transaction fails).
pub(crate) fn add_to_article(tx: &Transaction<'_>, article: i64, names: &[String]) -> Result<()> {
    for name in normalize_tags(names)? {
        let tag = ensure(tx, &name)?;
        tx.execute("INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?, ?)", [article, tag])?;
    }
    Ok(())
}

/// Removes one tag from an article; false when the article did not carry it.
pub(crate) fn remove_from_article(tx: &Transaction<'_>, article: i64, key: &str) -> Result<bool> {
    let n = tx.execute(
        "DELETE FROM article_tags WHERE article_id = ? AND tag_id = (SELECT id FROM tags WHERE key = ?)",
        params![article, key],
    )?;
    Ok(n > 0)
}

/// An article's tags, by name.
pub(crate) fn of_article(conn: &Connection, article: i64) -> Result<Vec<String>> {
    let mut stmt = conn.prepare_cached(
        "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY t.key",
    )?;
    let names = stmt.query_map([article], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(names)
}

pub(crate) fn set_on_highlight(tx: &Transaction<'_>, highlight: i64, names: &[String]) -> Result<()> {
    let names = normalize_tags(names)?;
    tx.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", [highlight])?;
    for name in &names {
        let tag = ensure(tx, name)?;
        tx.execute("INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) VALUES (?, ?)", [highlight, tag])?;
    }
    delete_unused(tx)
}

/// Tags that nothing carries any more disappear.
pub(crate) fn delete_unused(tx: &Transaction<'_>) -> Result<()> {
    tx.execute(
        "DELETE FROM tags WHERE id NOT IN (SELECT tag_id FROM article_tags) AND id NOT IN (SELECT tag_id FROM highlight_tags)",
        [],
    )?;
    Ok(())
}

/// What carries a tag: an article or a highlight.
pub(crate) enum Carrier {
    Article(i64),
    Highlight(i64),
    /// The tag itself, once, so that every tag is listed.
    Itself,
}

/// Every (tag name, carrier) pair.
pub(crate) fn carriers(conn: &Connection) -> Result<Vec<(String, Carrier)>> {
    let mut stmt = conn.prepare(
        "SELECT t.name, 'a' AS what, at.article_id AS id FROM tags t JOIN article_tags at ON at.tag_id = t.id
         UNION ALL
         SELECT t.name, 'h', ht.highlight_id FROM tags t JOIN highlight_tags ht ON ht.tag_id = t.id
         UNION ALL
         SELECT t.name, '', 0 FROM tags t",
    )?;
    let rows = stmt.query_map([], |r| {
        let id = r.get("id")?;
        let carrier = match r.get_ref("what")?.as_str()? {
            "a" => Carrier::Article(id),
            "h" => Carrier::Highlight(id),
            _ => Carrier::Itself,
        };
        Ok((r.get("name")?, carrier))
    })?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Renames `from` (a normalized name) and its sub-tags to `to`; with `merge`, a name that is
/// taken gets the other tag's articles and highlights, else it is an error.
pub(crate) fn rename(tx: &Transaction<'_>, from: &str, to: &str, merge: bool) -> Result<()> {
    let (from_key, to_key) = (key_of(from), key_of(to));
    let affected: Vec<(i64, String)> = tx
        .prepare(&format!("SELECT t.id, t.name FROM tags t WHERE {KEY_OR_SUB} ORDER BY length(t.key)"))?
        .query_map(key_or_sub(&from_key), |r| Ok((r.get("id")?, r.get("name")?)))?
        .collect::<rusqlite::Result<_>>()?;
    if affected.is_empty() {
        return Err(Error::TagNotFound(from.to_owned()));
    }
    if to_key == from_key {
        // Only the spelling changes ("nato" → "NATO").
        tx.execute("UPDATE tags SET name = ? WHERE key = ?", params![to, from_key])?;
        return Ok(());
    }
    if to_key.starts_with(&format!("{from_key}/")) {
        return Err(Error::TagUnderItself { tag: from.to_owned(), under: to.to_owned() });
    }
    let from_len = from.chars().count();
    for (id, name) in affected {
        let rest: String = name.chars().skip(from_len).collect();
        let new_name = format!("{to}{rest}");
        let new_key = key_of(&new_name);
        let existing: Option<i64> =
            tx.query_row("SELECT id FROM tags WHERE key = ?", [&new_key], |r| r.get(0)).optional()?;
        match existing {
            Some(_) if !merge => return Err(Error::TagExists(new_name)),
            Some(target) => {
                tx.execute(
                    "INSERT OR IGNORE INTO article_tags (article_id, tag_id) SELECT article_id, ? FROM article_tags WHERE tag_id = ?",
                    [target, id],
                )?;
                tx.execute(
                    "INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) SELECT highlight_id, ? FROM highlight_tags WHERE tag_id = ?",
                    [target, id],
                )?;
                tx.execute("DELETE FROM tags WHERE id = ?", [id])?;
            }
            None => {
                tx.execute("UPDATE tags SET name = ?, key = ? WHERE id = ?", params![new_name, new_key, id])?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_escape_like_wildcards() {
        assert_eq!(key_of("Україна/100%_sure"), "україна/100\\%\\_sure");
    }
}
