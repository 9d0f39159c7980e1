//! The `articles` table: one article's content columns are written in one place
//! ([`ArticleContent`], for both a new article and a replaced one), and rows are read by
//! column name.

use std::collections::HashMap;

use quire_doc::Document;
use rusqlite::{params, params_from_iter, Connection, OptionalExtension, Row, Transaction};

use super::filter::Filter;
use super::values::Sql;
use super::{body, highlights, now};
use crate::{ArticleCount, ArticleSummary, ArticleView, Error, Result, Sort, Status};

/// What an article's text and metadata are, as stored.
pub(crate) struct ArticleContent<'a> {
    pub(crate) title: &'a str,
    pub(crate) byline: Option<&'a str>,
    pub(crate) site_name: Option<&'a str>,
    pub(crate) canonical_url: Option<&'a str>,
    pub(crate) normalized_url: Option<&'a str>,
    pub(crate) language: Option<&'a str>,
    pub(crate) direction: Option<&'a str>,
    pub(crate) published_at: Option<&'a str>,
    pub(crate) excerpt: Option<&'a str>,
    pub(crate) document: &'a Document,
    pub(crate) canonical_text: &'a str,
    pub(crate) content_hash: &'a str,
}

/// The content columns, in the order of [`content_params`]. `canonical_url` and
/// `normalized_url` keep their stored value when a replacement has none.
const CONTENT_COLUMNS: [&str; 13] = [
    "title",
    "byline",
    "site_name",
    "canonical_url",
    "normalized_url",
    "language",
    "direction",
    "published_at",
    "excerpt",
    "body",
    "text_version",
    "content_hash",
    "word_count",
];
const KEPT_WHEN_MISSING: [&str; 2] = ["canonical_url", "normalized_url"];

fn content_params(c: &ArticleContent<'_>) -> Result<Vec<rusqlite::types::Value>> {
    let body = body::encode(c.document, c.canonical_text).map_err(|source| Error::EncodeBody { source })?;
    let text = |s: Option<&str>| s.map(str::to_owned).into();
    Ok(vec![
        c.title.to_owned().into(),
        text(c.byline),
        text(c.site_name),
        text(c.canonical_url),
        text(c.normalized_url),
        text(c.language),
        text(c.direction),
        text(c.published_at),
        text(c.excerpt),
        body.into(),
        i64::from(quire_doc::CANONICAL_TEXT_VERSION).into(),
        c.content_hash.to_owned().into(),
        (c.document.word_count() as i64).into(),
    ])
}

/// Stores a new article; returns its id.
pub(crate) fn insert(tx: &Transaction<'_>, content: &ArticleContent<'_>, source_url: Option<&str>) -> Result<i64> {
    let mut values = content_params(content)?;
    let now = now();
    values.extend([source_url.map(str::to_owned).into(), now.clone().into(), now.into()]);
    let columns = CONTENT_COLUMNS.join(", ");
    let marks = vec!["?"; values.len()].join(", ");
    tx.execute(
        &format!("INSERT INTO articles ({columns}, source_url, clipped_at, updated_at) VALUES ({marks})"),
        rusqlite::params_from_iter(values),
    )?;
    Ok(tx.last_insert_rowid())
}

/// Replaces an article's content (its status, tags, highlights and clipping time stay).
pub(crate) fn replace(tx: &Transaction<'_>, id: i64, content: &ArticleContent<'_>) -> Result<()> {
    let mut values = content_params(content)?;
    values.extend([now().into(), id.into()]);
    let set: Vec<String> = CONTENT_COLUMNS
        .iter()
        .map(|c| if KEPT_WHEN_MISSING.contains(c) { format!("{c} = coalesce(?, {c})") } else { format!("{c} = ?") })
        .collect();
    let n = tx.execute(
        &format!(
            "UPDATE articles SET {}, link_only = 0, link_reason = '', updated_at = ? WHERE id = ?",
            set.join(", ")
        ),
        rusqlite::params_from_iter(values),
    )?;
    if n == 0 {
        return Err(Error::ArticleNotFound(id));
    }
    Ok(())
}

/// How the content hash of an article kept only as a link starts (its text is empty; the hash
/// is of its address).
pub(crate) const LINK_HASH_PREFIX: &str = "link:";

/// What an imported article keeps from the app it was saved in.
pub(crate) struct Imported<'a> {
    /// When it was saved there (RFC 3339); becomes its clipping time.
    pub(crate) saved_at: Option<&'a str>,
    pub(crate) status: Option<Status>,
    pub(crate) favorite: bool,
    pub(crate) progress: Option<f64>,
    pub(crate) note: &'a str,
    /// Why only its link is kept; `None` when it has its page.
    pub(crate) link_only: Option<&'a str>,
}

/// Sets what an imported article keeps from its source app (on a new article only).
pub(crate) fn set_imported(tx: &Transaction<'_>, id: i64, i: &Imported<'_>) -> Result<()> {
    let n = tx.execute(
        "UPDATE articles SET clipped_at = coalesce(?, clipped_at), status = coalesce(?, status), favorite = ?,
                progress = coalesce(?, progress), note = ?, link_only = ?, link_reason = ?
         WHERE id = ?",
        params![
            i.saved_at,
            i.status.map(Sql),
            i.favorite,
            i.progress.map(|p| p.clamp(0.0, 1.0)),
            i.note,
            i.link_only.is_some(),
            i.link_only.unwrap_or_default(),
            id
        ],
    )?;
    if n == 0 {
        return Err(Error::ArticleNotFound(id));
    }
    Ok(())
}

/// Whether the article is kept only as a link, and its address.
pub(crate) fn link_of(conn: &Connection, id: i64) -> Result<(bool, Option<String>)> {
    conn.query_row("SELECT link_only, source_url FROM articles WHERE id = ?", [id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .ok_or(Error::ArticleNotFound(id))
}

/// The articles kept only as links, oldest first.
pub(crate) fn link_only_ids(conn: &Connection) -> Result<Vec<i64>> {
    let mut stmt = conn.prepare("SELECT id FROM articles WHERE link_only = 1 ORDER BY clipped_at, id")?;
    let ids = stmt.query_map([], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
    Ok(ids)
}

/// Keeps the article's current text as a version before it is replaced.
pub(crate) fn keep_version(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute(
        "INSERT INTO article_versions (article_id, title, body, text_version, content_hash, replaced_at)
         SELECT id, title, body, text_version, content_hash, ? FROM articles WHERE id = ?",
        params![now(), id],
    )?;
    Ok(())
}

/// The article with this text, or whose normalized address is one of these.
pub(crate) fn find_duplicate(
    conn: &Connection,
    content_hash: &str,
    normalized_source: Option<&str>,
    normalized_canonical: Option<&str>,
) -> Result<Option<(i64, String)>> {
    Ok(conn
        .query_row(
            "SELECT id, title FROM articles
             WHERE content_hash = ?1 OR (?2 IS NOT NULL AND normalized_url IN (?2, ?3)) OR (?3 IS NOT NULL AND normalized_url = ?3)
             ORDER BY id LIMIT 1",
            params![content_hash, normalized_source, normalized_canonical],
            |r| Ok((r.get("id")?, r.get("title")?)),
        )
        .optional()?)
}

/// A book already in the library: an article with no address, this title and this author.
pub(crate) fn find_book(conn: &Connection, title: &str, author: Option<&str>) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM articles WHERE source_url IS NULL AND title = ? AND byline IS ? ORDER BY id LIMIT 1",
            params![title, author],
            |r| r.get(0),
        )
        .optional()?)
}

/// Another article than `id` with this text.
pub(crate) fn with_text_other_than(conn: &Connection, content_hash: &str, id: i64) -> Result<Option<i64>> {
    Ok(conn
        .query_row("SELECT id FROM articles WHERE content_hash = ? AND id != ?", params![content_hash, id], |r| {
            r.get(0)
        })
        .optional()?)
}

/// Where an article's stored state starts from, before it is replaced.
pub(crate) struct Current {
    pub(crate) title: String,
    pub(crate) content_hash: String,
    pub(crate) source_url: Option<String>,
}

pub(crate) fn current(conn: &Connection, id: i64) -> Result<Current> {
    conn.query_row("SELECT title, content_hash, source_url FROM articles WHERE id = ?", [id], |r| {
        Ok(Current { title: r.get("title")?, content_hash: r.get("content_hash")?, source_url: r.get("source_url")? })
    })
    .optional()?
    .ok_or(Error::ArticleNotFound(id))
}

pub(crate) fn exists(conn: &Connection, id: i64) -> Result<bool> {
    super::exists(conn, "articles", id)
}

/// Fails with `ArticleNotFound` unless the article exists.
pub(crate) fn ensure(conn: &Connection, id: i64) -> Result<()> {
    if exists(conn, id)? {
        Ok(())
    } else {
        Err(Error::ArticleNotFound(id))
    }
}

pub(crate) fn canonical_text(conn: &Connection, id: i64) -> Result<String> {
    let blob: Vec<u8> = conn
        .query_row("SELECT body FROM articles WHERE id = ?", [id], |r| r.get(0))
        .optional()?
        .ok_or(Error::ArticleNotFound(id))?;
    body::text(&blob).map_err(|source| Error::CorruptDocument { article: id, source })
}

/// Deletes an article with everything it owns (highlights, tag links, images links,
/// snapshots, versions); tags nothing carries any more go too.
pub(crate) fn delete(tx: &Transaction<'_>, id: i64) -> Result<()> {
    let n = tx.execute("DELETE FROM articles WHERE id = ?", [id])?;
    if n == 0 {
        return Err(Error::ArticleNotFound(id));
    }
    super::tags::delete_unused(tx)
}

/// One changeable field of an article.
pub(crate) enum Change {
    Status(Status),
    Favorite(bool),
    Progress(f64),
    /// Only `updated_at`.
    Touch,
}

pub(crate) fn change(tx: &Transaction<'_>, id: i64, change: Change) -> Result<()> {
    let n = match change {
        Change::Status(s) => {
            tx.execute("UPDATE articles SET status = ?, updated_at = ? WHERE id = ?", params![Sql(s), now(), id])?
        }
        Change::Favorite(f) => {
            tx.execute("UPDATE articles SET favorite = ?, updated_at = ? WHERE id = ?", params![f, now(), id])?
        }
        Change::Progress(p) => {
            tx.execute("UPDATE articles SET progress = ?, updated_at = ? WHERE id = ?", params![p, now(), id])?
        }
        Change::Touch => tx.execute("UPDATE articles SET updated_at = ? WHERE id = ?", params![now(), id])?,
    };
    if n == 0 {
        return Err(Error::ArticleNotFound(id));
    }
    Ok(())
}

// ---- reading ---------------------------------------------------------------------------------

const SUMMARY_COLUMNS: &str = "a.id, a.title, a.byline, a.site_name, a.source_url, a.published_at, a.clipped_at,
    a.status, a.favorite, a.word_count, a.link_only, (SELECT count(*) FROM highlights h WHERE h.article_id = a.id) AS highlight_count";

fn summary_from_row(r: &Row<'_>) -> rusqlite::Result<ArticleSummary> {
    Ok(ArticleSummary {
        id: r.get("id")?,
        title: r.get("title")?,
        byline: r.get("byline")?,
        site_name: r.get("site_name")?,
        source_url: r.get("source_url")?,
        published_at: r.get("published_at")?,
        clipped_at: r.get("clipped_at")?,
        status: r.get::<_, Sql<Status>>("status")?.0,
        favorite: r.get("favorite")?,
        word_count: r.get("word_count")?,
        highlight_count: r.get("highlight_count")?,
        tags: Vec::new(),
        link_only: r.get("link_only")?,
    })
}

/// Which part of the filtered list.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Page {
    pub(crate) limit: Option<usize>,
    pub(crate) offset: Option<usize>,
}

impl Page {
    fn sql(self) -> String {
        match (self.limit, self.offset) {
            (Some(limit), offset) => format!(" LIMIT {limit} OFFSET {}", offset.unwrap_or(0)),
            (None, Some(offset)) => format!(" LIMIT -1 OFFSET {offset}"),
            (None, None) => String::new(),
        }
    }
}

pub(crate) fn order_by(sort: Sort) -> &'static str {
    match sort {
        Sort::Clipped => " ORDER BY a.clipped_at DESC, a.id DESC",
        Sort::Published => " ORDER BY a.published_at IS NULL, a.published_at DESC, a.clipped_at DESC, a.id DESC",
        Sort::Title => " ORDER BY a.title COLLATE NOCASE, a.id",
        Sort::Site => " ORDER BY a.site_name IS NULL, a.site_name COLLATE NOCASE, a.clipped_at DESC, a.id DESC",
    }
}

/// The articles that pass the filter, in order, with their tags.
pub(crate) fn list(conn: &Connection, filter: &Filter, sort: Sort, page: Page) -> Result<Vec<ArticleSummary>> {
    let (cond, args) = filter.resolve_sorted(conn, sort)?;
    let sql = format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE {cond}{}{}", order_by(sort), page.sql());
    let mut stmt = conn.prepare(&sql)?;
    let mut out =
        stmt.query_map(params_from_iter(args.iter()), summary_from_row)?.collect::<rusqlite::Result<Vec<_>>>()?;
    fill_tags(conn, &mut out)?;
    Ok(out)
}

/// How many articles pass the filter, and how many highlights they have.
pub(crate) fn count(conn: &Connection, filter: &Filter) -> Result<ArticleCount> {
    let (cond, args) = filter.resolve(conn)?;
    let sql = format!(
        "SELECT count(*) AS articles,
                coalesce(sum((SELECT count(*) FROM highlights h WHERE h.article_id = a.id)), 0) AS highlights
         FROM articles a WHERE {cond}"
    );
    Ok(conn.query_row(&sql, params_from_iter(args.iter()), |r| {
        Ok(ArticleCount {
            articles: r.get::<_, i64>("articles")? as usize,
            highlights: r.get::<_, i64>("highlights")? as usize,
        })
    })?)
}

/// One article's row of the list.
pub(crate) fn summary(conn: &Connection, id: i64) -> Result<ArticleSummary> {
    let summary = conn
        .prepare_cached(&format!("SELECT {SUMMARY_COLUMNS} FROM articles a WHERE a.id = ?"))?
        .query_row([id], summary_from_row)
        .optional()?
        .ok_or(Error::ArticleNotFound(id))?;
    let mut summary = summary;
    fill_tags(conn, std::slice::from_mut(&mut summary))?;
    Ok(summary)
}

/// One article with its document and highlights.
pub(crate) fn view(conn: &Connection, id: i64) -> Result<ArticleView> {
    let (mut view, document) = conn
        .query_row(
            &format!(
                "SELECT {SUMMARY_COLUMNS}, a.canonical_url, a.language, a.direction, a.excerpt, a.progress,
                        a.content_hash, a.text_version, a.note, a.link_reason, a.body
                 FROM articles a WHERE a.id = ?"
            ),
            [id],
            |r| {
                let view = ArticleView {
                    summary: summary_from_row(r)?,
                    canonical_url: r.get("canonical_url")?,
                    language: r.get("language")?,
                    direction: r.get("direction")?,
                    excerpt: r.get("excerpt")?,
                    progress: r.get("progress")?,
                    content_hash: r.get("content_hash")?,
                    text_version: r.get("text_version")?,
                    note: r.get("note")?,
                    link_reason: r.get("link_reason")?,
                    document: Document::default(),
                    highlights: Vec::new(),
                };
                Ok((view, r.get::<_, Vec<u8>>("body")?))
            },
        )
        .optional()?
        .ok_or(Error::ArticleNotFound(id))?;
    view.document = body::document(&document).map_err(|source| Error::CorruptDocument { article: id, source })?;
    fill_tags(conn, std::slice::from_mut(&mut view.summary))?;
    view.highlights = highlights::of_article(conn, id)?;
    Ok(view)
}

fn fill_tags(conn: &Connection, summaries: &mut [ArticleSummary]) -> Result<()> {
    // One statement for a page of articles (a list shows 50): each run of a statement costs
    // more than the rows it reads here.
    for chunk in summaries.chunks_mut(500) {
        let marks = vec!["?"; chunk.len()].join(", ");
        let mut stmt = conn.prepare_cached(&format!(
            "SELECT at.article_id, t.name FROM article_tags at JOIN tags t ON t.id = at.tag_id
             WHERE at.article_id IN ({marks}) ORDER BY at.article_id, t.key"
        ))?;
        let mut tags: HashMap<i64, Vec<String>> = HashMap::new();
        let mut rows = stmt.query(params_from_iter(chunk.iter().map(|s| s.id)))?;
        while let Some(row) = rows.next()? {
            tags.entry(row.get(0)?).or_default().push(row.get(1)?);
        }
        for s in chunk {
            s.tags = tags.remove(&s.id).unwrap_or_default();
        }
    }
    Ok(())
}
