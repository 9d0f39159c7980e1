//! The Quire library: the one API that both shells (CLI and desktop) call.
//!
//! It owns the SQLite file (WAL, foreign keys, FTS5) and all I/O: reading files to import,
//! the schema and its migrations, the full-text index. Every write is one transaction, so an
//! error never leaves anything half-written. Extraction (`quire-clip`), the document model
//! (`quire-doc`) and anchoring (`quire-anchor`) are pure crates it calls.

mod error;
mod export;
mod fetch;
mod import;
mod migrate;
mod model;
mod reanchor;
mod sample;
mod saved;
mod search;
mod tags;

use std::path::{Path, PathBuf};
use std::time::Duration;

use quire_anchor::{QuoteRequest, Text, TextPositionSelector, TextQuoteSelector};
use quire_doc::Document;
use rusqlite::{params, Connection, OptionalExtension, Transaction};

pub use error::{Error, Result};
pub use export::{ExportReport, ExportRequest, Margins, Paper, PdfOptions};
pub use fetch::FetchConfig;
pub use import::{AddOptions, ImportEvent, ImportSummary, ItemOutcome, Source, StoredImage, IMAGE_SCHEME};
pub use migrate::{migrate_to, MIGRATIONS, SCHEMA_VERSION};
pub use model::*;
pub use quire_anchor::AnchorKind;
pub use search::{parse_query, Query};
pub use tags::normalize_tag;

/// Environment variable that overrides the default library path.
pub const LIBRARY_ENV: &str = "QUIRE_LIBRARY";

/// The library used when none is given: `$QUIRE_LIBRARY`, else
/// `<OS data dir>/Quire/library.sqlite3` (e.g. `~/.local/share/Quire/library.sqlite3`).
pub fn default_library_path() -> PathBuf {
    match std::env::var_os(LIBRARY_ENV) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("Quire").join("library.sqlite3"),
    }
}

/// An open library.
pub struct Library {
    conn: Connection,
    path: PathBuf,
}

/// Which articles to list (also the desktop app's request, hence the serde and TS twins).
#[derive(Debug, Clone, Default, serde::Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct ArticleFilter {
    /// Only articles carrying this tag or one of its sub-tags.
    #[ts(optional)]
    pub tag: Option<String>,
    #[ts(optional)]
    pub status: Option<Status>,
    #[ts(optional)]
    pub favorite: Option<bool>,
    #[ts(as = "Option<Sort>", optional)]
    pub sort: Sort,
    /// At most this many, after skipping `offset` (the desktop list loads pages).
    #[ts(optional)]
    pub limit: Option<usize>,
    #[ts(optional)]
    pub offset: Option<usize>,
}

/// How to pick the text of a new highlight.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum HighlightTarget {
    /// By quoting it; it must occur once, or be told apart by prefix/suffix/occurrence.
    Quote { exact: String, prefix: Option<String>, suffix: Option<String>, occurrence: Option<usize> },
    /// By range in the canonical text (scalar values), as the reader's selection gives it.
    Range { start: usize, end: usize },
}

/// A highlight to create.
#[derive(Debug, Clone, serde::Deserialize, ts_rs::TS)]
pub struct NewHighlight {
    #[ts(type = "number")]
    pub article_id: i64,
    pub target: HighlightTarget,
    pub color: Color,
    pub note: String,
    pub tags: Vec<String>,
}

/// Changes to a highlight; `None` leaves a field as it is.
#[derive(Debug, Clone, Default, serde::Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct HighlightEdit {
    #[ts(optional)]
    pub note: Option<String>,
    #[ts(optional)]
    pub color: Option<Color>,
    /// Replaces the highlight's tags.
    #[ts(optional)]
    pub tags: Option<Vec<String>>,
}

/// Which highlights to list across the library.
#[derive(Debug, Clone, Default)]
pub struct HighlightFilter {
    pub article_id: Option<i64>,
    /// This tag or one of its sub-tags, on the highlight itself.
    pub tag: Option<String>,
    /// Only highlights whose quote is no longer in their article.
    pub orphans: bool,
}

impl Library {
    /// Opens (creating it and its folder on first use) the library at `path` and brings its
    /// schema up to date.
    pub fn open(path: &Path) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
        }
        let open_err = |source| Error::Open { path: path.to_owned(), source };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(Duration::from_secs(5)).map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(open_err)?;
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0)).map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            return Err(Error::Corrupt(format!("could not switch {} to WAL mode (got {mode})", path.display())));
        }
        conn.pragma_update(None, "synchronous", "normal").map_err(open_err)?;
        migrate::migrate(&mut conn, path)?;
        Ok(Self { conn, path: path.to_owned() })
    }

    /// Where the library file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }

    // ---- articles -------------------------------------------------------------------------

    /// Lists the articles that pass the filter, in its order.
    pub fn list_articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>> {
        let (cond, args) = filter_condition(filter)?;
        let mut sql = format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {cond}");
        sql.push_str(match filter.sort {
            Sort::Clipped => " ORDER BY a.clipped_at DESC, a.id DESC",
            Sort::Published => " ORDER BY a.published_at IS NULL, a.published_at DESC, a.clipped_at DESC, a.id DESC",
            Sort::Title => " ORDER BY a.title COLLATE NOCASE, a.id",
            Sort::Site => " ORDER BY a.site_name IS NULL, a.site_name COLLATE NOCASE, a.clipped_at DESC, a.id DESC",
        });
        match (filter.limit, filter.offset) {
            (Some(limit), offset) => sql.push_str(&format!(" LIMIT {limit} OFFSET {}", offset.unwrap_or(0))),
            (None, Some(offset)) => sql.push_str(&format!(" LIMIT -1 OFFSET {offset}")),
            (None, None) => {}
        }
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt.query_map(rusqlite::params_from_iter(args), summary_from_row)?;
        let mut out = rows.collect::<rusqlite::Result<Vec<_>>>()?;
        self.fill_article_tags(&mut out)?;
        Ok(out)
    }

    /// How many articles pass the filter (its `limit` and `offset` aside), and their highlights.
    pub fn count_articles(&self, filter: &ArticleFilter) -> Result<ArticleCount> {
        let (cond, args) = filter_condition(filter)?;
        let sql = format!(
            "SELECT count(*), coalesce(sum((SELECT count(*) FROM highlights h WHERE h.article_id = a.id)), 0)
             FROM articles a WHERE {cond}"
        );
        Ok(self.conn.query_row(&sql, rusqlite::params_from_iter(args), |r| {
            Ok(ArticleCount { articles: r.get::<_, i64>(0)? as usize, highlights: r.get::<_, i64>(1)? as usize })
        })?)
    }

    /// One article's row of the list.
    pub fn article_summary(&self, id: i64) -> Result<ArticleSummary> {
        let summary = self
            .conn
            .query_row(&format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.id = ?"), [id], summary_from_row)
            .optional()?
            .ok_or(Error::ArticleNotFound(id))?;
        let mut summaries = vec![summary];
        self.fill_article_tags(&mut summaries)?;
        Ok(summaries.pop().expect("one summary was pushed"))
    }

    /// One article with its document and highlights.
    pub fn article(&self, id: i64) -> Result<ArticleView> {
        let row = self
            .conn
            .query_row(
                &format!(
                    "SELECT {SUMMARY_COLUMNS}, a.canonical_url, a.language, a.direction, a.excerpt, a.progress,
                            a.content_hash, a.text_version, a.document
                     FROM articles a WHERE a.id = ?"
                ),
                [id],
                |r| {
                    let summary = summary_from_row(r)?;
                    Ok((
                        summary,
                        r.get(12)?,
                        r.get(13)?,
                        r.get(14)?,
                        r.get(15)?,
                        r.get(16)?,
                        r.get(17)?,
                        r.get::<_, i64>(18)?,
                        r.get::<_, String>(19)?,
                    ))
                },
            )
            .optional()?
            .ok_or(Error::ArticleNotFound(id))?;
        let (summary, canonical_url, language, direction, excerpt, progress, content_hash, text_version, document) =
            row;
        let mut summaries = vec![summary];
        self.fill_article_tags(&mut summaries)?;
        let document: Document =
            serde_json::from_str(&document).map_err(|e| Error::Corrupt(format!("document of article {id}: {e}")))?;
        let highlights = self.highlights_where("h.article_id = ?", [id])?;
        Ok(ArticleView {
            summary: summaries.pop().expect("one summary was pushed"),
            canonical_url,
            language,
            direction,
            excerpt,
            progress,
            content_hash,
            text_version: text_version as u32,
            document,
            highlights,
        })
    }

    /// The canonical text of an article.
    pub fn canonical_text(&self, id: i64) -> Result<String> {
        self.conn
            .query_row("SELECT canonical_text FROM articles WHERE id = ?", [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::ArticleNotFound(id))
    }

    /// Deletes an article with its highlights and tag links.
    pub fn remove_article(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let n = tx.execute("DELETE FROM articles WHERE id = ?", [id])?;
        if n == 0 {
            return Err(Error::ArticleNotFound(id));
        }
        tx.execute("DELETE FROM articles_fts WHERE rowid = ?", [id])?;
        tx.execute("DELETE FROM highlights_fts WHERE rowid NOT IN (SELECT id FROM highlights)", [])?;
        tags::delete_unused(&tx)?;
        tx.commit()?;
        Ok(())
    }

    pub fn set_status(&mut self, id: i64, status: Status) -> Result<()> {
        self.update_article(id, "status = ?", status.as_str())
    }

    pub fn set_favorite(&mut self, id: i64, favorite: bool) -> Result<()> {
        self.update_article(id, "favorite = ?", i64::from(favorite))
    }

    /// Reading progress, from 0 (start) to 1 (end).
    pub fn set_progress(&mut self, id: i64, progress: f64) -> Result<()> {
        if !(0.0..=1.0).contains(&progress) {
            return Err(Error::InvalidValue {
                what: "progress",
                value: progress.to_string(),
                expected: "a number from 0 to 1",
            });
        }
        self.update_article(id, "progress = ?", progress)
    }

    fn update_article(&mut self, id: i64, set: &str, value: impl rusqlite::ToSql) -> Result<()> {
        let n = self
            .conn
            .execute(&format!("UPDATE articles SET {set}, updated_at = ? WHERE id = ?"), params![value, now(), id])?;
        if n == 0 {
            return Err(Error::ArticleNotFound(id));
        }
        Ok(())
    }

    fn fill_article_tags(&self, summaries: &mut [ArticleSummary]) -> Result<()> {
        let mut stmt = self.conn.prepare_cached(
            "SELECT t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE at.article_id = ? ORDER BY t.key",
        )?;
        for s in summaries {
            s.tags = stmt.query_map([s.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
        }
        Ok(())
    }

    // ---- highlights -----------------------------------------------------------------------

    /// Creates a highlight; the quote must be found in the article's canonical text.
    pub fn add_highlight(&mut self, new: &NewHighlight) -> Result<Highlight> {
        let article = new.article_id;
        let (quote, position) = self.resolve_target(article, &new.target)?;
        let tx = self.conn.transaction()?;
        let now = now();
        tx.execute(
            "INSERT INTO highlights (article_id, exact, prefix, suffix, start_offset, end_offset, text_version, color, note, created_at, updated_at)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                article,
                quote.exact,
                quote.prefix,
                quote.suffix,
                position.start as i64,
                position.end as i64,
                quire_doc::CANONICAL_TEXT_VERSION,
                new.color.as_str(),
                new.note.trim(),
                now,
                now
            ],
        )?;
        let id = tx.last_insert_rowid();
        tags::set_highlight_tags(&tx, id, &new.tags)?;
        reindex_highlight(&tx, id)?;
        reindex_article(&tx, article)?;
        tx.commit()?;
        self.highlight(id)
    }

    /// The selectors of what a user picked in an article: a quote (which must occur once, or be
    /// told apart) or a range of the canonical text.
    pub(crate) fn resolve_target(
        &self,
        article: i64,
        target: &HighlightTarget,
    ) -> Result<(TextQuoteSelector, TextPositionSelector)> {
        let text = self.canonical_text(article)?;
        let text = Text::new(&text);
        let position = match target {
            HighlightTarget::Quote { exact, prefix, suffix, occurrence } => {
                let req = QuoteRequest {
                    exact,
                    prefix: prefix.as_deref(),
                    suffix: suffix.as_deref(),
                    occurrence: *occurrence,
                };
                text.locate(&req).map_err(|e| anchor_error(article, e))?
            }
            HighlightTarget::Range { start, end } => TextPositionSelector { start: *start, end: *end },
        };
        text.selectors(position.start, position.end).map_err(|e| anchor_error(article, e))
    }

    pub fn highlight(&self, id: i64) -> Result<Highlight> {
        self.highlights_where("h.id = ?", [id])?.pop().ok_or(Error::HighlightNotFound(id))
    }

    /// Changes a highlight's note, color or tags.
    pub fn update_highlight(&mut self, id: i64, edit: &HighlightEdit) -> Result<Highlight> {
        let tx = self.conn.transaction()?;
        let article: i64 = tx
            .query_row("SELECT article_id FROM highlights WHERE id = ?", [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::HighlightNotFound(id))?;
        if let Some(note) = &edit.note {
            tx.execute("UPDATE highlights SET note = ? WHERE id = ?", params![note.trim(), id])?;
        }
        if let Some(color) = edit.color {
            tx.execute("UPDATE highlights SET color = ? WHERE id = ?", params![color.as_str(), id])?;
        }
        if let Some(tags) = &edit.tags {
            tags::set_highlight_tags(&tx, id, tags)?;
        }
        tx.execute("UPDATE highlights SET updated_at = ? WHERE id = ?", params![now(), id])?;
        reindex_highlight(&tx, id)?;
        reindex_article(&tx, article)?;
        tx.commit()?;
        self.highlight(id)
    }

    pub fn delete_highlight(&mut self, id: i64) -> Result<()> {
        let tx = self.conn.transaction()?;
        let article: i64 = tx
            .query_row("SELECT article_id FROM highlights WHERE id = ?", [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::HighlightNotFound(id))?;
        tx.execute("DELETE FROM highlights WHERE id = ?", [id])?;
        tx.execute("DELETE FROM highlights_fts WHERE rowid = ?", [id])?;
        reindex_article(&tx, article)?;
        tx.commit()?;
        Ok(())
    }

    /// Highlights across the library: of one article in text order, or, for a topic, every
    /// highlight with the tag or a sub-tag, newest first, with its article.
    pub fn highlights(&self, filter: &HighlightFilter) -> Result<Vec<HighlightInContext>> {
        let mut sql = String::from(
            "SELECT h.id, a.title, a.site_name, a.published_at FROM highlights h JOIN articles a ON a.id = h.article_id WHERE 1",
        );
        let mut args: Vec<rusqlite::types::Value> = Vec::new();
        if let Some(article) = filter.article_id {
            if !self.article_exists(article)? {
                return Err(Error::ArticleNotFound(article));
            }
            sql.push_str(" AND h.article_id = ?");
            args.push(article.into());
        }
        if let Some(tag) = &filter.tag {
            let key = tags::key_of(&normalize_tag(tag)?);
            if !tags::exists_with_children(&self.conn, &key)? {
                return Err(Error::TagNotFound(tag.trim().to_owned()));
            }
            sql.push_str(&format!(" AND h.id IN ({})", tags::HIGHLIGHTS_WITH_TAG_SQL));
            args.push(key.clone().into());
            args.push(format!("{key}/%").into());
        }
        if filter.orphans {
            sql.push_str(" AND h.anchor = 'orphan'");
        }
        sql.push_str(if filter.article_id.is_some() && filter.tag.is_none() {
            " ORDER BY h.start_offset, h.end_offset, h.id"
        } else {
            " ORDER BY h.created_at DESC, h.id DESC"
        });
        let mut stmt = self.conn.prepare(&sql)?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok((r.get::<_, i64>(0)?, r.get(1)?, r.get(2)?, r.get(3)?))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        rows.into_iter()
            .map(|(id, article_title, site_name, published_at)| {
                Ok(HighlightInContext { highlight: self.highlight(id)?, article_title, site_name, published_at })
            })
            .collect()
    }

    fn highlights_where(&self, cond: &str, args: impl rusqlite::Params) -> Result<Vec<Highlight>> {
        let mut stmt = self.conn.prepare_cached(&format!(
            "SELECT h.id, h.article_id, h.exact, h.prefix, h.suffix, h.start_offset, h.end_offset, h.text_version,
                    h.color, h.note, h.created_at, h.updated_at, h.anchor, h.anchor_distance
             FROM highlights h WHERE {cond} ORDER BY h.start_offset, h.end_offset, h.id"
        ))?;
        let rows = stmt
            .query_map(args, |r| {
                Ok((
                    Highlight {
                        id: r.get(0)?,
                        article_id: r.get(1)?,
                        quote: TextQuoteSelector { exact: r.get(2)?, prefix: r.get(3)?, suffix: r.get(4)? },
                        position: TextPositionSelector {
                            start: r.get::<_, i64>(5)? as usize,
                            end: r.get::<_, i64>(6)? as usize,
                        },
                        text_version: r.get::<_, i64>(7)? as u32,
                        anchor: match r.get::<_, String>(12)?.as_str() {
                            "moved" => AnchorKind::Moved,
                            "fuzzy" => AnchorKind::Fuzzy { distance: r.get(13)? },
                            "orphan" => AnchorKind::Orphan,
                            _ => AnchorKind::Exact,
                        },
                        color: Color::default(),
                        note: r.get(9)?,
                        tags: Vec::new(),
                        created_at: r.get(10)?,
                        updated_at: r.get(11)?,
                    },
                    r.get::<_, String>(8)?,
                ))
            })?
            .collect::<rusqlite::Result<Vec<_>>>()?;
        let mut tag_stmt = self.conn.prepare_cached(
            "SELECT t.name FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id WHERE ht.highlight_id = ? ORDER BY t.key",
        )?;
        rows.into_iter()
            .map(|(mut h, color)| {
                h.color =
                    color.parse().map_err(|_| Error::Corrupt(format!("color {color:?} of highlight {}", h.id)))?;
                h.tags = tag_stmt.query_map([h.id], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                Ok(h)
            })
            .collect()
    }

    fn article_exists(&self, id: i64) -> Result<bool> {
        Ok(self.conn.query_row("SELECT EXISTS (SELECT 1 FROM articles WHERE id = ?)", [id], |r| r.get(0))?)
    }
}

/// The `WHERE` condition of a list filter and its parameters.
fn filter_condition(filter: &ArticleFilter) -> Result<(String, Vec<rusqlite::types::Value>)> {
    let mut cond = String::from("1");
    let mut args: Vec<rusqlite::types::Value> = Vec::new();
    if let Some(tag) = &filter.tag {
        let key = tags::key_of(&normalize_tag(tag)?);
        cond.push_str(&format!(" AND a.id IN ({})", tags::ARTICLES_WITH_TAG_SQL));
        args.extend(tags::articles_with_tag_args(&key));
    }
    if let Some(status) = filter.status {
        cond.push_str(" AND a.status = ?");
        args.push(status.as_str().to_owned().into());
    }
    if let Some(fav) = filter.favorite {
        cond.push_str(" AND a.favorite = ?");
        args.push(i64::from(fav).into());
    }
    Ok((cond, args))
}

pub(crate) fn anchor_error(article: i64, e: quire_anchor::Error) -> Error {
    match e {
        quire_anchor::Error::NotFound => Error::QuoteNotFound { article },
        quire_anchor::Error::Ambiguous(occurrences) => Error::AmbiguousQuote { article, occurrences },
        problem => Error::Anchor { article, problem },
    }
}

const SUMMARY_COLUMNS: &str = "a.id, a.title, a.byline, a.site_name, a.source_url, a.published_at, a.clipped_at,
    a.status, a.favorite, a.word_count, (SELECT count(*) FROM highlights h WHERE h.article_id = a.id), NULL";

fn summary_from_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<ArticleSummary> {
    let status: String = r.get(7)?;
    Ok(ArticleSummary {
        id: r.get(0)?,
        title: r.get(1)?,
        byline: r.get(2)?,
        site_name: r.get(3)?,
        source_url: r.get(4)?,
        published_at: r.get(5)?,
        clipped_at: r.get(6)?,
        status: status.parse().unwrap_or_default(),
        favorite: r.get(8)?,
        word_count: r.get(9)?,
        highlight_count: r.get(10)?,
        tags: Vec::new(),
    })
}

/// Rewrites the article's row in the full-text index from its current state.
fn reindex_article(tx: &Transaction<'_>, id: i64) -> Result<()> {
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

pub(crate) fn reindex_highlight(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM highlights_fts WHERE rowid = ?", [id])?;
    tx.execute(
        "INSERT INTO highlights_fts (rowid, quote, note) SELECT id, exact, note FROM highlights WHERE id = ?",
        [id],
    )?;
    Ok(())
}

/// Now, as RFC 3339 UTC with seconds.
fn now() -> String {
    let t = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

#[cfg(test)]
mod bindings {
    //! `ui/src/bindings.ts` holds the TypeScript twins of the wire types. This test regenerates
    //! it and fails when the committed file is stale; `UPDATE_EXPECT=1` rewrites it.

    use ts_rs::TS;

    use super::*;

    #[test]
    fn typescript_bindings_are_fresh() {
        let decls = [
            quire_doc::Document::decl(),
            quire_doc::Block::decl(),
            quire_doc::BlockKind::decl(),
            quire_doc::Span::decl(),
            quire_doc::Marks::decl(),
            TextQuoteSelector::decl(),
            TextPositionSelector::decl(),
            Status::decl(),
            Color::decl(),
            ArticleSummary::decl(),
            ArticleView::decl(),
            Highlight::decl(),
            HighlightInContext::decl(),
            TagCount::decl(),
            Field::decl(),
            SnippetPart::decl(),
            SearchHit::decl(),
            AddOutcome::decl(),
            quire_anchor::AnchorKind::decl(),
            ReanchorReport::decl(),
            ReanchoredHighlight::decl(),
            Sort::decl(),
            SavedSearch::decl(),
            Topic::decl(),
            TopicArticle::decl(),
            ImportEvent::decl(),
            ItemOutcome::decl(),
            ImportSummary::decl(),
            ArticleFilter::decl(),
            HighlightTarget::decl(),
            NewHighlight::decl(),
            HighlightEdit::decl(),
            ArticleCount::decl(),
            ExportReport::decl(),
        ];
        let mut out = String::from(
            "// Generated from the Rust wire types by `cargo test -p quire typescript_bindings_are_fresh`\n\
             // (UPDATE_EXPECT=1 to rewrite). Do not edit by hand.\n\
             // Offsets (`start`, `end`) count Unicode scalar values of the canonical text, not UTF-16 units.\n",
        );
        for decl in decls {
            out.push_str("\nexport ");
            out.push_str(&decl);
            out.push('\n');
        }
        expect_test::expect_file!["../../../ui/src/bindings.ts"].assert_eq(&out);
    }
}
