//! Bringing a reading life in from other apps: an export file (Pocket, Omnivore, Instapaper,
//! Readwise, Hypothesis, Kindle, wallabag, bookmarks) is read by the pure `quire-import`
//! crate; here each of its items becomes an article, in its own transaction:
//!
//! - an item that carries its page (Omnivore, wallabag) is extracted from it like a clipped
//!   page; a book (Kindle, Readwise) becomes an article of its highlighted passages; an item
//!   with only an address is fetched (several at once, politely per host: [`pool`]), and kept as
//!   a link-only article when it cannot be (or `fetch` is off), to be completed by
//!   [`Library::refetch`];
//! - its highlights are anchored with `quire-anchor` (exact, else fuzzy, else kept as orphans,
//!   listed in the report), with their notes, tags, colors and dates;
//! - it keeps its save date, read/archived/favorite state, progress, tags and page notes.
//!
//! Importing the same file again adds nothing: an item whose address (or book title and
//! author) is already in the library only gets the highlights it does not have yet.

mod pool;

use std::collections::HashSet;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use quire_anchor::{AnchorKind, Text, TextPositionSelector};
use quire_clip::{Extracted, Metadata};
use quire_import::{Content, Export, Item, PositionUnit, ReadState};
use serde::Serialize;
use time::format_description::well_known::Rfc3339;
use time::OffsetDateTime;

pub use pool::Politeness;
pub use quire_import::{Format as ImportFormat, Skipped};

use crate::add::gather::{self, Gathered};
use crate::highlights::{anchor_quote, squash, squashed_selector};
use crate::store::articles::{self, ArticleContent, Imported};
use crate::store::highlights::{self, ImportedRow, NewRow};
use crate::store::media::Snapshot;
use crate::store::{media, tags, Tx};
use crate::{reanchor, AddOptions, Color, Error, FetchConfig, ImportEvent, ItemOutcome, Library, Result, Status};

/// How to import a file.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// The app that wrote the file; `None` detects it.
    pub from: Option<ImportFormat>,
    /// Tags to put on every imported article (besides the file's own).
    pub tags: Vec<String>,
    /// Whether items with only an address are fetched (else they are kept as links).
    pub fetch: bool,
    pub network: FetchConfig,
    pub politeness: Politeness,
}

/// An article an import touched.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportedArticle {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
}

/// An article kept only as a link, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct LinkOnlyArticle {
    #[ts(type = "number")]
    pub id: i64,
    pub title: String,
    pub url: Option<String>,
    pub reason: String,
}

/// A highlight whose quote was not found in its article.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct ImportedOrphan {
    #[ts(type = "number")]
    pub article_id: i64,
    #[ts(type = "number")]
    pub highlight_id: i64,
    pub quote: String,
}

/// How the imported highlights anchored.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct HighlightTally {
    pub exact: usize,
    pub fuzzy: usize,
    pub orphaned: usize,
    /// Already in the library (imported before).
    pub already: usize,
}

/// What an import did.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct ImportReport {
    /// The app the file came from (`pocket`, …).
    pub format: String,
    /// Items the file holds.
    pub items: usize,
    pub added: Vec<ImportedArticle>,
    /// Articles that were already in the library (they got only new highlights).
    pub already: Vec<ImportedArticle>,
    /// Added as links only (counted in `added` too).
    pub link_only: Vec<LinkOnlyArticle>,
    pub highlights: HighlightTally,
    pub orphans: Vec<ImportedOrphan>,
    /// Rows and items not imported, with where and why.
    pub skipped: Vec<Skipped>,
    /// Stopped before the end: what was imported stays, complete.
    pub cancelled: bool,
}

/// What an item's text will be.
enum Prepared {
    Page(Box<Gathered>),
    /// Only its address; why it was not fetched.
    Link(String),
}

impl Library {
    /// Imports an export file of another app. `progress` hears about each item (`Started`, then
    /// `Item` as each is stored, in the order they finish); setting `cancel` stops before the
    /// next item and keeps everything imported so far. A file that cannot be read at all is an
    /// error; a bad row or item is skipped and listed in the report.
    pub fn import_file(
        &self,
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
        let name = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into_owned());
        let report = if crate::archive::is_archive(&bytes) {
            self.import_archive(&bytes, path, options, progress, cancel)?
        } else {
            let export = quire_import::parse(&name, &bytes, options.from, &quire_import::Limits::default())
                .map_err(|source| Error::ImportFile { path: path.to_owned(), source })?;
            drop(bytes);
            self.import_export(export, options, progress, cancel)
        };
        // What was imported is searchable at once (a failure here leaves it to the next search).
        let _ = self.sync_index();
        Ok(report)
    }

    /// Imports what was read from an export file.
    pub(crate) fn import_export(
        &self,
        export: Export,
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
    ) -> ImportReport {
        let Export { format, items, skipped } = export;
        let mut report =
            ImportReport { format: format.as_str().to_owned(), items: items.len(), skipped, ..ImportReport::default() };
        progress(&ImportEvent::Started { total: items.len() });
        let add = AddOptions { fetch: options.network.clone(), ..AddOptions::default() };

        // Items with only an address that is not in the library yet are fetched by the pool
        // while the others are stored.
        let mut to_fetch = Vec::new();
        for (index, item) in items.iter().enumerate() {
            if options.fetch && matches!(item.content, Content::None) {
                if let Some(url) = quire_doc::address::web(item.url.as_deref()) {
                    if matches!(self.existing(item), Ok(None)) {
                        to_fetch.push((index, url.to_owned()));
                    }
                }
            }
        }
        let fetching: HashSet<usize> = to_fetch.iter().map(|(i, _)| *i).collect();
        let stop = Arc::new(AtomicBool::new(false));
        let pool = (!to_fetch.is_empty()).then(|| pool::Pool::start(to_fetch, &add, options.politeness, stop.clone()));

        let mut items: Vec<Option<Item>> = items.into_iter().map(Some).collect();
        for (index, slot) in items.iter_mut().enumerate() {
            if cancel.load(Ordering::SeqCst) {
                report.cancelled = true;
                break;
            }
            if fetching.contains(&index) {
                continue;
            }
            let Some(item) = slot.take() else { continue };
            let prepared = prepare(&item, options);
            self.import_item(index, item, prepared, options, &[], &mut report, progress);
        }
        if let Some(pool) = pool {
            while !report.cancelled {
                let Ok((index, page)) = pool.results.recv() else { break };
                let Some(item) = items[index].take() else { continue };
                let prepared = match page {
                    Ok(page) if !page.extracted.is_empty() => Prepared::Page(Box::new(page)),
                    Ok(_) => Prepared::Link("the page holds no text".to_owned()),
                    Err(e) => Prepared::Link(e.to_string()),
                };
                self.import_item(index, item, prepared, options, &[], &mut report, progress);
                if cancel.load(Ordering::SeqCst) {
                    report.cancelled = true;
                }
            }
            stop.store(true, Ordering::SeqCst);
            pool.join();
        }
        // Pages no worker could take (the system refused the threads) are kept as links.
        if !report.cancelled {
            for (index, slot) in items.iter_mut().enumerate() {
                if let Some(item) = slot.take() {
                    let prepared = Prepared::Link("it could not be fetched".to_owned());
                    self.import_item(index, item, prepared, options, &[], &mut report, progress);
                }
            }
        }
        report
    }

    #[allow(clippy::too_many_arguments)]
    fn import_item(
        &self,
        index: usize,
        item: Item,
        prepared: Prepared,
        options: &ImportOptions,
        snapshots: &[(Snapshot, String)],
        report: &mut ImportReport,
        progress: &mut dyn FnMut(&ImportEvent),
    ) {
        let item = tidy_item(item);
        let name = item.title.clone().or_else(|| item.url.clone()).unwrap_or_else(|| item.at.clone());
        let outcome = match self.store().write(|tx| store_item(tx, &item, prepared, options, snapshots)) {
            Ok(stored) => {
                report.highlights.exact += stored.tally.exact;
                report.highlights.fuzzy += stored.tally.fuzzy;
                report.highlights.orphaned += stored.tally.orphaned;
                report.highlights.already += stored.tally.already;
                report.orphans.extend(stored.orphans);
                let article = ImportedArticle { id: stored.id, title: stored.title.clone() };
                match stored.kind {
                    StoredKind::New => {
                        report.added.push(article);
                        ItemOutcome::Added { id: stored.id, title: stored.title, warnings: stored.warnings }
                    }
                    StoredKind::Link(reason) => {
                        report.added.push(article);
                        report.link_only.push(LinkOnlyArticle {
                            id: stored.id,
                            title: stored.title.clone(),
                            url: item.url.clone(),
                            reason: reason.clone(),
                        });
                        ItemOutcome::LinkOnly { id: stored.id, title: stored.title, reason }
                    }
                    StoredKind::Existing => {
                        report.already.push(article);
                        ItemOutcome::Duplicate { id: stored.id, title: stored.title }
                    }
                }
            }
            Err(e) => {
                report.skipped.push(Skipped { at: item.at.clone(), reason: e.to_string() });
                ItemOutcome::Failed { reason: e.to_string() }
            }
        };
        progress(&ImportEvent::Item { index, name, outcome });
    }

    /// Rebuilds articles from a Quire archive: each with exactly its archived text, so its
    /// highlights anchor at their archived offsets.
    fn import_archive(
        &self,
        bytes: &[u8],
        path: &Path,
        options: &ImportOptions,
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
    ) -> Result<ImportReport> {
        let (articles, skipped) = crate::archive::read(bytes, path)?;
        let mut report = ImportReport {
            format: "quire-archive".to_owned(),
            items: articles.len(),
            skipped,
            ..ImportReport::default()
        };
        progress(&ImportEvent::Started { total: articles.len() });
        for (index, a) in articles.into_iter().enumerate() {
            if cancel.load(Ordering::SeqCst) {
                report.cancelled = true;
                break;
            }
            let prepared = match a.page {
                Some(page) => Prepared::Page(Box::new(page)),
                None if a.link_reason.is_empty() => Prepared::Link("kept only as a link in the archive".to_owned()),
                None => Prepared::Link(a.link_reason),
            };
            self.import_item(index, a.item, prepared, options, &a.snapshots, &mut report, progress);
        }
        Ok(report)
    }

    /// The article an item is already in the library as, if any.
    fn existing(&self, item: &Item) -> Result<Option<i64>> {
        existing(self.store().read(), item)
    }

    /// Fetches the page of an article kept only as a link and puts it in the article; its
    /// highlights are anchored again (orphans find their quotes).
    pub fn refetch(&self, id: i64, network: &FetchConfig) -> Result<crate::AddOutcome> {
        let (link_only, url) = articles::link_of(self.store().read(), id)?;
        let url = url.ok_or(Error::NoAddress(id))?;
        if !link_only {
            return Err(Error::NotLinkOnly(id));
        }
        let options = AddOptions { fetch: network.clone(), ..AddOptions::default() };
        let mut network = gather::Network::new(network);
        let page = gather::read(&crate::AddSource::Url(url.clone()), &options, &mut network)?;
        if page.extracted.is_empty() {
            return Err(Error::EmptyInput(crate::Origin::Web(url)));
        }
        let mut gathered = gather::complete(page, &options, &mut network);
        self.store().write(|tx| {
            // The title it was saved under stays (the user saw it in the app it came from).
            gathered.extracted.meta.title = articles::current(tx, id)?.title;
            reanchor::replace_content(tx, id, gathered)
        })
    }

    /// The articles kept only as links, oldest first.
    pub fn link_only_articles(&self) -> Result<Vec<i64>> {
        articles::link_only_ids(self.store().read())
    }
}

fn existing(conn: &rusqlite::Connection, item: &Item) -> Result<Option<i64>> {
    if let Some(url) = item.url.as_deref() {
        return gather::article_at(conn, url);
    }
    match (&item.content, item.title.as_deref()) {
        (Content::Passages(_), Some(title)) => articles::find_book(conn, title, item.author.as_deref()),
        _ => Ok(None),
    }
}

/// The text of an item that is not fetched.
fn prepare(item: &Item, options: &ImportOptions) -> Prepared {
    match &item.content {
        Content::Html(html) => {
            let page = gather::from_kept_html(html, item.url.clone());
            if page.extracted.is_empty() {
                Prepared::Link("the page the file holds has no text".to_owned())
            } else {
                Prepared::Page(Box::new(page))
            }
        }
        Content::Passages(passages) => {
            let document = quire_import::passages_document(passages);
            let meta = Metadata {
                title: item.title.clone().unwrap_or_default(),
                byline: item.author.clone(),
                ..Metadata::default()
            };
            Prepared::Page(Box::new(gather::from_document(Extracted { meta, document, warnings: Vec::new() }, None)))
        }
        Content::None if item.url.is_none() => Prepared::Link("the file gives no web address".to_owned()),
        Content::None if !options.fetch => Prepared::Link("not fetched (fetching was turned off)".to_owned()),
        Content::None => Prepared::Link("not a web address".to_owned()),
    }
}

enum StoredKind {
    New,
    Link(String),
    Existing,
}

struct Stored {
    id: i64,
    title: String,
    kind: StoredKind,
    warnings: Vec<String>,
    tally: HighlightTally,
    orphans: Vec<ImportedOrphan>,
}

/// One item, in one transaction: the article (new, or the one already there), its state,
/// tags and notes, and each highlight it does not have yet.
fn store_item(
    tx: &Tx<'_>,
    item: &Item,
    prepared: Prepared,
    options: &ImportOptions,
    snapshots: &[(Snapshot, String)],
) -> Result<Stored> {
    let title = item_title(item);
    let (id, kind, warnings) = match existing(tx, item)? {
        Some(id) => {
            // A book with new passages grows: its text is the old one with the new passages
            // after it, so every earlier highlight still anchors exactly.
            if let (Content::Passages(_), Prepared::Page(page)) = (&item.content, &prepared) {
                grow_book(tx, id, item, page)?;
            }
            (id, StoredKind::Existing, Vec::new())
        }
        None => match prepared {
            Prepared::Page(page) => {
                let gathered = *page;
                // Duplicate text under another address: the same article.
                if let Some((id, _)) = gathered.key().find(tx)? {
                    (id, StoredKind::Existing, Vec::new())
                } else {
                    let id = insert_page(tx, item, &gathered)?;
                    set_state(tx, id, item, None)?;
                    add_snapshots(tx, id, snapshots)?;
                    (id, StoredKind::New, gathered.extracted.warnings)
                }
            }
            Prepared::Link(reason) => {
                let id = insert_link(tx, item, &title)?;
                set_state(tx, id, item, Some(&reason))?;
                add_snapshots(tx, id, snapshots)?;
                (id, StoredKind::Link(reason), Vec::new())
            }
        },
    };
    let mut names = item.tags.clone();
    names.extend(options.tags.iter().cloned());
    tags::add_to_article(tx, id, &names)?;
    let (tally, orphans) = add_highlights(tx, id, item)?;
    let title = articles::current(tx, id)?.title;
    Ok(Stored { id, title, kind, warnings, tally, orphans })
}

fn add_snapshots(tx: &Tx<'_>, id: i64, snapshots: &[(Snapshot, String)]) -> Result<()> {
    for (snapshot, fetched_at) in snapshots {
        media::add_snapshot_at(tx, id, snapshot, fetched_at)?;
    }
    Ok(())
}

/// An item as the library keeps it, whatever the file said: title and author without control
/// characters, the address without credentials and only when it is an http(s) address, notes
/// without control characters (tags and highlights are checked where they are stored, the page
/// where it is gathered).
fn tidy_item(mut item: Item) -> Item {
    item.title = item.title.as_deref().and_then(quire_clip::clean_line);
    item.author = item.author.as_deref().and_then(quire_clip::clean_line);
    item.url =
        item.url.map(|u| quire_clip::without_credentials(&u).into_owned()).filter(|u| quire_doc::address::is_web(u));
    for note in &mut item.notes {
        *note = quire_clip::strip_controls(note).into_owned();
    }
    item
}

fn item_title(item: &Item) -> String {
    item.title
        .clone()
        .filter(|t| !t.trim().is_empty())
        .or_else(|| item.url.clone())
        .unwrap_or_else(|| "Untitled".to_owned())
}

/// A time as the library stores times: RFC 3339 in UTC, whole seconds.
fn rfc3339(t: Option<OffsetDateTime>) -> Option<String> {
    t.map(|t| t.to_offset(time::UtcOffset::UTC))
        .and_then(|t| t.replace_nanosecond(0).ok())
        .and_then(|t| t.format(&Rfc3339).ok())
}

fn insert_page(tx: &Tx<'_>, item: &Item, gathered: &Gathered) -> Result<i64> {
    let mut content = gathered.content();
    // The title the user saw in the app they saved it with.
    let title = item.title.as_deref().filter(|t| !t.trim().is_empty());
    if let Some(title) = title {
        content.title = title;
    }
    let author = item.author.as_deref();
    if content.byline.is_none() {
        content.byline = author;
    }
    let published = rfc3339(item.published_at);
    if content.published_at.is_none() {
        content.published_at = published.as_deref();
    }
    let fallback = item_title(item);
    if content.title.trim().is_empty() {
        content.title = &fallback;
    }
    let id = articles::insert(tx, &content, gathered.url.as_deref().or(item.url.as_deref()))?;
    media::add_images(tx, id, &gathered.images)?;
    if let Some(snapshot) = &gathered.snapshot {
        media::add_snapshot(tx, id, snapshot)?;
    }
    Ok(id)
}

fn insert_link(tx: &Tx<'_>, item: &Item, title: &str) -> Result<i64> {
    let document = quire_doc::Document::default();
    let normalized = item.url.as_deref().and_then(quire_clip::normalize_url);
    // The text is empty; what tells it apart is its address (or, without one, where it was in
    // the file and its title).
    let identity =
        normalized.clone().or_else(|| item.url.clone()).unwrap_or_else(|| format!("{title}\u{0}{}", item.at));
    let hash = format!("{}{}", articles::LINK_HASH_PREFIX, gather::content_hash(&identity));
    let published = rfc3339(item.published_at);
    let content = ArticleContent {
        title,
        byline: item.author.as_deref(),
        site_name: None,
        canonical_url: item.url.as_deref(),
        normalized_url: normalized.as_deref(),
        language: None,
        direction: None,
        published_at: published.as_deref(),
        excerpt: None,
        document: &document,
        canonical_text: "",
        content_hash: &hash,
    };
    articles::insert(tx, &content, item.url.as_deref())
}

fn set_state(tx: &Tx<'_>, id: i64, item: &Item, link_only: Option<&str>) -> Result<()> {
    let saved_at = rfc3339(item.saved_at);
    let note = item.notes.join("\n\n");
    let status = item.state.map(|s| match s {
        ReadState::Unread => Status::Unread,
        ReadState::Read => Status::Read,
        ReadState::Archived => Status::Archived,
    });
    articles::set_imported(
        tx,
        id,
        &Imported {
            saved_at: saved_at.as_deref(),
            status,
            favorite: item.favorite,
            progress: item.progress.filter(|p| p.is_finite()),
            note: note.trim(),
            link_only,
        },
    )
}

/// Appends the passages a book article does not hold yet, re-anchoring what it has.
fn grow_book(tx: &Tx<'_>, id: i64, item: &Item, page: &Gathered) -> Result<()> {
    let Content::Passages(passages) = &item.content else { return Ok(()) };
    let current = articles::canonical_text(tx, id)?;
    let known = squash(&current);
    let new: Vec<_> = passages.iter().filter(|p| !known.contains(&squash(&p.text))).cloned().collect();
    if new.is_empty() {
        return Ok(());
    }
    let view = articles::view(tx, id)?;
    let mut document = view.document;
    let added = quire_import::passages_document(&new);
    let offset =
        if current.is_empty() { 0 } else { current.chars().count() + quire_doc::BLOCK_SEPARATOR.chars().count() };
    for mut block in added.blocks {
        block.start += offset;
        block.end += offset;
        for span in &mut block.spans {
            span.start += offset;
        }
        document.blocks.push(block);
    }
    let meta = Metadata { title: view.summary.title, byline: view.summary.byline, ..page.extracted.meta.clone() };
    let grown = gather::from_document(Extracted { meta, document, warnings: Vec::new() }, None);
    reanchor::replace_content(tx, id, grown).map(|_| ())
}

/// Adds each highlight the article does not have yet, anchored where its quote is.
fn add_highlights(tx: &Tx<'_>, article: i64, item: &Item) -> Result<(HighlightTally, Vec<ImportedOrphan>)> {
    let mut tally = HighlightTally::default();
    let mut orphans = Vec::new();
    if item.highlights.is_empty() {
        return Ok((tally, orphans));
    }
    let mut have: Vec<String> = highlights::quotes_of(tx, article)?.iter().map(|q| squash(q)).collect();
    let canonical = articles::canonical_text(tx, article)?;
    let text = Text::new(&canonical);
    for h in &item.highlights {
        let quote = squash(&h.quote);
        if !quire_clip::has_visible_text(&quote) {
            continue;
        }
        if have.contains(&quote) {
            tally.already += 1;
            continue;
        }
        let wanted = squashed_selector(&h.quote, h.prefix.as_deref(), h.suffix.as_deref());
        // A position counts the other app's page text; read in this text (the closest measure
        // there is) it says roughly where to prefer among repeats. UTF-16 units are converted.
        let hint = h.position.map(|(start, end)| match h.unit {
            PositionUnit::Utf16 => {
                TextPositionSelector { start: scalar_offset(&canonical, start), end: scalar_offset(&canonical, end) }
            }
            PositionUnit::Scalar => TextPositionSelector { start, end },
        });
        let (selector, position, anchor) = anchor_quote(&text, wanted, hint);
        let color = h.color.unwrap_or(Color::Yellow);
        // Without its own date, a highlight is as old as the save (it cannot be older).
        let created = rfc3339(h.created_at.or(item.saved_at));
        let id = highlights::insert_imported(
            tx,
            &ImportedRow {
                row: NewRow { article, quote: &selector, position, color, note: h.note.trim() },
                anchor,
                created_at: created.as_deref(),
            },
        )?;
        tags::set_on_highlight(tx, id, &h.tags)?;
        match anchor {
            AnchorKind::Exact | AnchorKind::Moved => tally.exact += 1,
            AnchorKind::Fuzzy { .. } => tally.fuzzy += 1,
            AnchorKind::Orphan => {
                tally.orphaned += 1;
                orphans.push(ImportedOrphan { article_id: article, highlight_id: id, quote: selector.exact.clone() });
            }
        }
        have.push(quote);
    }
    Ok((tally, orphans))
}

/// The scalar-value offset of the UTF-16 offset `utf16` in `text` (clamped to its end).
fn scalar_offset(text: &str, utf16: usize) -> usize {
    let mut units = 0;
    for (scalars, c) in text.chars().enumerate() {
        if units >= utf16 {
            return scalars;
        }
        units += c.len_utf16();
    }
    text.chars().count()
}

#[cfg(test)]
mod tests {
    use super::scalar_offset;

    #[test]
    fn utf16_offsets_become_scalar_offsets() {
        let text = "a😀b€c";
        // UTF-16: a=0, 😀=1..3, b=3, €=4, c=5.
        assert_eq!([0, 1, 3, 4, 5, 6, 99].map(|u| scalar_offset(text, u)), [0, 1, 2, 3, 4, 5, 5]);
    }
}
