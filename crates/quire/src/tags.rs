//! Tags: paths with `/` for hierarchy ("NATO accession/Finland"), unique case-insensitively.

use std::collections::{BTreeMap, BTreeSet};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::{now, Error, Library, Result, TagCount};

/// Articles carrying a tag or a sub-tag, on the article or on one of its highlights; bind
/// [`articles_with_tag_args`] to its four `?`.
pub(crate) const ARTICLES_WITH_TAG_SQL: &str = "
    SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE t.key = ? OR t.key LIKE ? ESCAPE '\\'
    UNION
    SELECT h.article_id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id JOIN highlights h ON h.id = ht.highlight_id
    WHERE t.key = ? OR t.key LIKE ? ESCAPE '\\'";

/// The parameters of [`ARTICLES_WITH_TAG_SQL`] for a tag key.
pub(crate) fn articles_with_tag_args(key: &str) -> [rusqlite::types::Value; 4] {
    let sub = format!("{key}/%");
    [key.to_owned().into(), sub.clone().into(), key.to_owned().into(), sub.into()]
}

/// Highlights carrying a tag (`?` = key) or a sub-tag (`?` = key + "/%").
pub(crate) const HIGHLIGHTS_WITH_TAG_SQL: &str = "
    SELECT ht.highlight_id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id WHERE t.key = ? OR t.key LIKE ? ESCAPE '\\'";

/// Trims every `/`-separated segment, collapses inner whitespace and drops empty segments:
/// `" NATO  accession / Finland/ "` → `"NATO accession/Finland"`.
pub fn normalize_tag(name: &str) -> Result<String> {
    let segments: Vec<String> =
        name.split('/').map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err(Error::InvalidTag(name.to_owned()));
    }
    Ok(segments.join("/"))
}

/// The case-insensitive identity of a normalized tag name. `%` and `_` are escaped so the key
/// can be used in a LIKE pattern.
pub(crate) fn key_of(normalized: &str) -> String {
    normalized.to_lowercase().replace('\\', "\\\\").replace('%', "\\%").replace('_', "\\_")
}

pub(crate) fn exists_with_children(conn: &Connection, key: &str) -> Result<bool> {
    Ok(conn.query_row(
        "SELECT EXISTS (SELECT 1 FROM tags WHERE key = ?1 OR key LIKE ?2 ESCAPE '\\')",
        params![key, format!("{key}/%")],
        |r| r.get(0),
    )?)
}

/// The id of a tag, created if needed (with the given spelling).
fn ensure_tag(tx: &Transaction<'_>, name: &str) -> Result<i64> {
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
        let relative: Option<String> = tx
            .query_row(
                "SELECT name FROM tags WHERE key = ?1 OR key LIKE ?2 ESCAPE '\\' ORDER BY length(key) LIMIT 1",
                params![parent_key, format!("{parent_key}/%")],
                |r| r.get(0),
            )
            .optional()?;
        if let Some(relative) = relative {
            let spelled: Vec<&str> = relative.split('/').take(depth).collect();
            return Ok(spelled.into_iter().chain(segments[depth..].iter().copied()).collect::<Vec<_>>().join("/"));
        }
    }
    Ok(name.to_owned())
}

pub(crate) fn add_article_tags(tx: &Transaction<'_>, article: i64, names: &[String]) -> Result<()> {
    for name in names {
        let tag = ensure_tag(tx, name)?;
        tx.execute("INSERT OR IGNORE INTO article_tags (article_id, tag_id) VALUES (?, ?)", [article, tag])?;
    }
    Ok(())
}

pub(crate) fn set_highlight_tags(tx: &Transaction<'_>, highlight: i64, names: &[String]) -> Result<()> {
    tx.execute("DELETE FROM highlight_tags WHERE highlight_id = ?", [highlight])?;
    for name in names {
        let tag = ensure_tag(tx, name)?;
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

impl Library {
    /// Adds tags to an article (existing ones are kept).
    pub fn tag_article(&mut self, article: i64, names: &[String]) -> Result<Vec<String>> {
        let tx = self.conn.transaction()?;
        if !tx.query_row("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", [article], |r| r.get::<_, bool>(0))? {
            return Err(Error::ArticleNotFound(article));
        }
        add_article_tags(&tx, article, names)?;
        tx.execute("UPDATE articles SET updated_at = ? WHERE id = ?", params![now(), article])?;
        tx.commit()?;
        Ok(self.article(article)?.summary.tags)
    }

    /// Removes tags from an article.
    pub fn untag_article(&mut self, article: i64, names: &[String]) -> Result<Vec<String>> {
        let tx = self.conn.transaction()?;
        if !tx.query_row("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", [article], |r| r.get::<_, bool>(0))? {
            return Err(Error::ArticleNotFound(article));
        }
        for name in names {
            let key = key_of(&normalize_tag(name)?);
            let n = tx.execute(
                "DELETE FROM article_tags WHERE article_id = ? AND tag_id = (SELECT id FROM tags WHERE key = ?)",
                params![article, key],
            )?;
            if n == 0 {
                return Err(Error::TagNotFound(format!("{} on article {article}", name.trim())));
            }
        }
        delete_unused(&tx)?;
        tx.commit()?;
        Ok(self.article(article)?.summary.tags)
    }

    /// Every tag, with parents that exist only through their children, sorted by name. Counts
    /// include sub-tags: "NATO" counts what "NATO/Finland" carries.
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        let mut stmt = self.conn.prepare(
            "SELECT t.name, 'a', at.article_id FROM tags t JOIN article_tags at ON at.tag_id = t.id
             UNION ALL
             SELECT t.name, 'h', ht.highlight_id FROM tags t JOIN highlight_tags ht ON ht.tag_id = t.id
             UNION ALL
             SELECT t.name, '', 0 FROM tags t",
        )?;
        // key → (display name, explicit, articles, highlights)
        type Entry = (String, bool, BTreeSet<i64>, BTreeSet<i64>);
        let mut map: BTreeMap<String, Entry> = BTreeMap::new();
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?, r.get::<_, i64>(2)?)))?;
        for row in rows {
            let (name, what, id) = row?;
            let segments: Vec<&str> = name.split('/').collect();
            for depth in 1..=segments.len() {
                let prefix = segments[..depth].join("/");
                let entry = map
                    .entry(prefix.to_lowercase())
                    .or_insert_with(|| (prefix.clone(), false, BTreeSet::new(), BTreeSet::new()));
                if depth == segments.len() {
                    entry.0 = prefix;
                    entry.1 = true;
                }
                match what.as_str() {
                    "a" => entry.2.insert(id),
                    "h" => entry.3.insert(id),
                    _ => false,
                };
            }
        }
        Ok(map
            .into_values()
            .map(|(name, explicit, a, h)| TagCount {
                name,
                articles: a.len() as i64,
                highlights: h.len() as i64,
                explicit,
            })
            .collect())
    }

    /// Renames a tag and its sub-tags ("NATO accession/Finland" follows "NATO accession").
    /// Fails if the new name is already taken: merge instead.
    pub fn rename_tag(&mut self, from: &str, to: &str) -> Result<()> {
        self.move_tag(from, to, false)
    }

    /// Moves everything tagged `from` (and its sub-tags) to `into`, then deletes `from`.
    pub fn merge_tags(&mut self, from: &str, into: &str) -> Result<()> {
        self.move_tag(from, into, true)
    }

    fn move_tag(&mut self, from: &str, to: &str, merge: bool) -> Result<()> {
        let from = normalize_tag(from)?;
        let to = normalize_tag(to)?;
        let (from_key, to_key) = (key_of(&from), key_of(&to));
        let tx = self.conn.transaction()?;
        let affected: Vec<(i64, String)> = tx
            .prepare("SELECT id, name FROM tags WHERE key = ?1 OR key LIKE ?2 ESCAPE '\\' ORDER BY length(key)")?
            .query_map(params![from_key, format!("{from_key}/%")], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        if affected.is_empty() {
            return Err(Error::TagNotFound(from));
        }
        if to_key == from_key {
            // Only the spelling changes ("nato" → "NATO").
            tx.execute("UPDATE tags SET name = ? WHERE key = ?", params![to, from_key])?;
        } else {
            if to_key.starts_with(&format!("{from_key}/")) {
                return Err(Error::InvalidTag(format!("{to} (a tag cannot move under itself)")));
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
                        tx.execute("INSERT OR IGNORE INTO article_tags (article_id, tag_id) SELECT article_id, ? FROM article_tags WHERE tag_id = ?", [target, id])?;
                        tx.execute("INSERT OR IGNORE INTO highlight_tags (highlight_id, tag_id) SELECT highlight_id, ? FROM highlight_tags WHERE tag_id = ?", [target, id])?;
                        tx.execute("DELETE FROM tags WHERE id = ?", [id])?;
                    }
                    None => {
                        tx.execute("UPDATE tags SET name = ?, key = ? WHERE id = ?", params![new_name, new_key, id])?;
                    }
                }
            }
        }
        tx.commit()?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_normalize() {
        let cases = [
            (" NATO  accession / Finland/ ", Ok("NATO accession/Finland")),
            ("Zelensky", Ok("Zelensky")),
            ("//a//b//", Ok("a/b")),
            ("   ", Err(())),
            (" / / ", Err(())),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_tag(input).map_err(|_| ()), expected.map(str::to_owned), "{input:?}");
        }
        assert_eq!(key_of("Україна/100%_sure"), "україна/100\\%\\_sure");
    }
}
