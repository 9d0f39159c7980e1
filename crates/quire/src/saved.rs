//! Saved searches (shown in the desktop app's sidebar) and topic views (every quote carrying a
//! tag, grouped by article).

use std::collections::BTreeMap;

use rusqlite::{params, OptionalExtension};

use crate::{parse_query, Error, Highlight, HighlightFilter, Library, Result, SavedSearch, Topic, TopicArticle};

impl Library {
    /// Saved searches, by name.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        let mut stmt =
            self.conn.prepare("SELECT id, name, query, created_at FROM saved_searches ORDER BY name COLLATE NOCASE")?;
        let rows = stmt.query_map([], |r| {
            Ok(SavedSearch { id: r.get(0)?, name: r.get(1)?, query: r.get(2)?, created_at: r.get(3)? })
        })?;
        Ok(rows.collect::<rusqlite::Result<_>>()?)
    }

    /// Saves `query` under `name`; a search of the same name (any case) gets the new query.
    /// The query must parse: a saved search never fails later for its syntax.
    pub fn save_search(&mut self, name: &str, query: &str) -> Result<SavedSearch> {
        let (name, query) = (name.trim(), query.trim());
        if name.is_empty() {
            return Err(Error::InvalidValue {
                what: "search name",
                value: name.to_owned(),
                expected: "a non-blank name",
            });
        }
        parse_query(query)?;
        if query.is_empty() {
            return Err(Error::Query("an empty query cannot be saved: type some words first".into()));
        }
        let tx = self.conn.transaction()?;
        tx.execute(
            "INSERT INTO saved_searches (name, query, created_at) VALUES (?1, ?2, ?3)
             ON CONFLICT (name) DO UPDATE SET query = excluded.query",
            params![name, query, crate::now()],
        )?;
        let saved =
            tx.query_row("SELECT id, name, query, created_at FROM saved_searches WHERE name = ?1", [name], |r| {
                Ok(SavedSearch { id: r.get(0)?, name: r.get(1)?, query: r.get(2)?, created_at: r.get(3)? })
            })?;
        tx.commit()?;
        Ok(saved)
    }

    /// Forgets a saved search.
    pub fn delete_saved_search(&mut self, id: i64) -> Result<()> {
        let found: Option<i64> =
            self.conn.query_row("SELECT id FROM saved_searches WHERE id = ?", [id], |r| r.get(0)).optional()?;
        if found.is_none() {
            return Err(Error::SavedSearchNotFound(id));
        }
        self.conn.execute("DELETE FROM saved_searches WHERE id = ?", [id])?;
        Ok(())
    }

    /// Every highlight carrying `tag` or one of its sub-tags, grouped by article (articles
    /// newest clipped first, highlights in text order; orphans last in their article).
    pub fn topic(&self, tag: &str) -> Result<Topic> {
        let highlights = self.highlights(&HighlightFilter { tag: Some(tag.to_owned()), ..Default::default() })?;
        let mut by_article: BTreeMap<i64, Vec<Highlight>> = BTreeMap::new();
        for h in highlights {
            by_article.entry(h.highlight.article_id).or_default().push(h.highlight);
        }
        let mut groups = Vec::with_capacity(by_article.len());
        for (id, mut own) in by_article {
            own.sort_by_key(|h| (h.anchor == crate::AnchorKind::Orphan, h.position.start, h.position.end, h.id));
            groups.push(TopicArticle { article: self.article_summary(id)?, highlights: own });
        }
        groups.sort_by(|a, b| b.article.clipped_at.cmp(&a.article.clipped_at).then(b.article.id.cmp(&a.article.id)));
        let count = groups.iter().map(|g| g.highlights.len()).sum();
        Ok(Topic { tag: crate::normalize_tag(tag)?, highlights: count, articles: groups })
    }
}
