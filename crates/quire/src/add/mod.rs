//! Adding articles, in two phases. *Gather* ([`gather`]) reads a file, fetches a page,
//! decodes, extracts and downloads images: it touches no database and holds no lock, however
//! slow the network is. *Store* writes what was gathered in one short `IMMEDIATE` transaction
//! (the article, its images, its snapshot, its tags and its index row; or, for an update, the
//! new content with every highlight re-anchored). Between the two, a short read asks whether
//! the page is already in the library, so a duplicate's images are never downloaded; the
//! store phase asks again inside its transaction, so two processes adding the same page at
//! once still make one article.
//!
//! One entry point serves every shell: [`Library::add`] for one source, [`Library::add_all`]
//! for many (folders expanded, progress reported, cancellable between items).

pub(crate) mod gather;
pub(crate) mod images;

pub use gather::{MAX_INPUT_BYTES, MAX_WEB_ARCHIVE_BYTES};

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use serde::Serialize;

use crate::store::{articles, media, tags};
use crate::{reanchor, AddOutcome, Error, FetchConfig, Library, Origin, Result};

pub(crate) use gather::Gathered;
use gather::Network;

/// The scheme of document image sources that point at a copy stored in the library:
/// `quire-image:<sha256 hex>`.
pub const IMAGE_SCHEME: &str = quire_doc::address::STORED_IMAGE_SCHEME;

/// What to add.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddSource {
    /// A `.html`/`.htm`/`.xhtml`, `.mhtml`/`.mht` (web archive), `.txt`/`.md` file; for
    /// [`Library::add_all`], also a folder of them (searched recursively).
    Path(PathBuf),
    /// A web page to fetch.
    Url(String),
    /// Bytes read from standard input: HTML when they look like it, else text.
    Stdin(Vec<u8>),
    /// What a user typed or pasted into a clip box: a web address is fetched, anything else is
    /// taken as pasted HTML or text.
    Pasted(String),
    /// A page as a browser rendered it, with the images it sent: nothing is fetched.
    Captured(Box<crate::CapturedPage>),
}

/// A bulk add brings the search index up to date after this many items.
const SYNC_EVERY: usize = 2000;

/// Options for adding articles.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// The page's address, used to resolve relative links and as the source URL.
    pub url: Option<String>,
    /// Tags to put on the new articles.
    pub tags: Vec<String>,
    /// Also download images that local HTML files link on the web (off by default: adding a
    /// file works offline; images beside the file and `data:` images are always kept).
    pub fetch_images: bool,
    /// Network limits, for web pages and `fetch_images`.
    pub fetch: FetchConfig,
    /// When the page is already in the library, replace its content with the new one (keeping
    /// the old version) and re-anchor its highlights, instead of only reporting it.
    pub update: bool,
}

/// A stored image, as the library keeps it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StoredImage {
    pub hash: String,
    pub mime: String,
    pub data: Vec<u8>,
}

/// Progress of adding several sources.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum ImportEvent {
    /// `total` items will be tried.
    Started { total: usize },
    /// Item `index` (0-based) is done.
    Item { index: usize, name: String, outcome: ItemOutcome },
}

/// What happened to one item of a bulk import.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
#[serde(tag = "result", rename_all = "snake_case")]
pub enum ItemOutcome {
    Added {
        #[ts(type = "number")]
        id: i64,
        title: String,
        warnings: Vec<String>,
    },
    Duplicate {
        #[ts(type = "number")]
        id: i64,
        title: String,
    },
    Failed {
        reason: String,
    },
    /// Imported as a link only: its page could not be fetched (or was not, on request).
    LinkOnly {
        #[ts(type = "number")]
        id: i64,
        title: String,
        reason: String,
    },
}

/// The end of a bulk import.
#[derive(Debug, Clone, Default, PartialEq, Serialize, ts_rs::TS)]
pub struct ImportSummary {
    #[ts(type = "number[]")]
    pub added: Vec<i64>,
    #[ts(type = "number[]")]
    pub duplicates: Vec<i64>,
    /// `(name, reason)` of each item that could not be added.
    pub failed: Vec<(String, String)>,
    /// True when the import was stopped before the end; what was added stays.
    pub cancelled: bool,
}

impl Library {
    /// Adds one source (a folder is refused: see [`Library::add_all`]); a page already in the
    /// library (same normalized or canonical URL, or same text) is reported instead, or, with
    /// `update`, replaced with its highlights re-anchored.
    pub fn add(&self, source: &AddSource, options: &AddOptions) -> Result<AddOutcome> {
        self.add_with(source, options, &mut Network::new(&options.fetch))
    }

    /// Adds every source in order, each in its own transaction: files, every supported file
    /// under each folder (by name), web pages, input. `progress` hears about each item;
    /// setting `cancel` stops before the next one and keeps everything already added. An
    /// unsupported or unreadable path is reported as failed, never silently skipped.
    pub fn add_all(
        &self,
        sources: &[AddSource],
        options: &AddOptions,
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
    ) -> ImportSummary {
        let items = expand(sources);
        progress(&ImportEvent::Started { total: items.len() });
        // One network client for the whole run, made only if something is fetched.
        let mut network = Network::new(&options.fetch);
        let mut summary = ImportSummary::default();
        for (index, (name, item)) in items.into_iter().enumerate() {
            if cancel.load(Ordering::SeqCst) {
                summary.cancelled = true;
                break;
            }
            let result = item.and_then(|source| self.add_with(&source, options, &mut network));
            let outcome = record(&mut summary, &name, result);
            progress(&ImportEvent::Item { index, name, outcome });
            if (index + 1) % SYNC_EVERY == 0 {
                // Searches meanwhile find what is already added without matching it one by one.
                let _ = self.sync_index();
            }
        }
        let _ = self.sync_index();
        summary
    }

    fn add_with(&self, source: &AddSource, options: &AddOptions, network: &mut Network) -> Result<AddOutcome> {
        let page = gather::read(source, options, network)?;
        if let Some((id, title)) = self.duplicate_of(&page.key)? {
            if !options.update {
                return Ok(AddOutcome {
                    id,
                    title,
                    created: false,
                    warnings: page.extracted.warnings,
                    reanchored: None,
                });
            }
        }
        let gathered = gather::complete(page, options, network);
        self.store_gathered(gathered, options)
    }

    /// Extracts an article again from its original page (kept since it was clipped), keeps the
    /// previous text as a version, and re-anchors every highlight in the same transaction.
    /// Offline: images already stored for this article are reused, others stay remote.
    pub fn reextract(&self, id: i64) -> Result<AddOutcome> {
        let (html, source_url, stored_images) = {
            let store = self.store();
            let conn = store.read();
            let current = articles::current(conn, id)?;
            let html = media::newest_snapshot_html(conn, id)?.ok_or(Error::NoSnapshot(id))?;
            (html, current.source_url, media::article_images(conn, id)?)
        };
        let gathered = gather::reextract(&html, source_url, &stored_images);
        if gathered.extracted.is_empty() {
            return Err(Error::EmptyInput(Origin::Article(id)));
        }
        self.store().write(|tx| reanchor::replace_content(tx, id, gathered))
    }

    /// A stored image by hash (for the reader and the exporters).
    pub fn image(&self, hash: &str) -> Result<StoredImage> {
        media::image(self.store().read(), hash)
    }

    /// The original HTML of an article's newest snapshot, if it was clipped from HTML.
    pub fn snapshot_html(&self, article: i64) -> Result<Option<String>> {
        media::newest_snapshot_html(self.store().read(), article)
    }

    /// The article with the same text, or whose normalized source or canonical URL matches.
    fn duplicate_of(&self, key: &gather::DuplicateKey) -> Result<Option<(i64, String)>> {
        key.find(self.store().read())
    }

    /// The store phase: one `IMMEDIATE` transaction.
    fn store_gathered(&self, gathered: Gathered, options: &AddOptions) -> Result<AddOutcome> {
        self.store().write(|tx| match gathered.key().find(tx)? {
            Some((id, _)) if options.update => reanchor::replace_content(tx, id, gathered),
            Some((id, title)) => {
                Ok(AddOutcome { id, title, created: false, warnings: gathered.extracted.warnings, reanchored: None })
            }
            None => {
                let id = articles::insert(tx, &gathered.content(), gathered.url.as_deref())?;
                media::add_images(tx, id, &gathered.images)?;
                if let Some(snapshot) = &gathered.snapshot {
                    media::add_snapshot(tx, id, snapshot)?;
                }
                tags::add_to_article(tx, id, &options.tags)?;
                let Gathered { extracted, .. } = gathered;
                Ok(AddOutcome {
                    id,
                    title: extracted.meta.title,
                    created: true,
                    warnings: extracted.warnings,
                    reanchored: None,
                })
            }
        })
    }
}

/// Each item to try, with its name for progress: folders become their files; a path that
/// cannot be added keeps its error for the report.
fn expand(sources: &[AddSource]) -> Vec<(String, Result<AddSource>)> {
    let mut items = Vec::new();
    for source in sources {
        match source {
            AddSource::Path(path) if path.is_dir() => {
                let shown = shown_name(path);
                match articles_in(path) {
                    Ok(files) => {
                        for file in files {
                            let inner = file.strip_prefix(path).unwrap_or(&file).display().to_string();
                            items.push((format!("{shown}/{inner}"), Ok(AddSource::Path(file))));
                        }
                    }
                    Err(e) => items.push((shown, Err(e))),
                }
            }
            AddSource::Path(path) => items.push((shown_name(path), Ok(source.clone()))),
            AddSource::Url(url) => items.push((url.clone(), Ok(source.clone()))),
            AddSource::Stdin(_) => items.push((Origin::Stdin.to_string(), Ok(source.clone()))),
            AddSource::Pasted(_) => items.push((Origin::Pasted.to_string(), Ok(source.clone()))),
            AddSource::Captured(page) => items.push((page.url.clone(), Ok(source.clone()))),
        }
    }
    items
}

/// Every file under `folder` that [`Library::add_all`] adds from it, in the order it adds
/// them; a folder with none is [`Error::EmptyFolder`]. Shells can check a folder with it
/// before adding anything.
pub fn articles_in(folder: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    collect_files(folder, &mut files)?;
    if files.is_empty() {
        return Err(Error::EmptyFolder(folder.to_owned()));
    }
    files.sort();
    Ok(files)
}

fn shown_name(path: &Path) -> String {
    path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into())
}

fn record(summary: &mut ImportSummary, name: &str, outcome: Result<AddOutcome>) -> ItemOutcome {
    match outcome {
        Ok(o) if o.created => {
            summary.added.push(o.id);
            ItemOutcome::Added { id: o.id, title: o.title, warnings: o.warnings }
        }
        Ok(o) => {
            summary.duplicates.push(o.id);
            ItemOutcome::Duplicate { id: o.id, title: o.title }
        }
        Err(e) => {
            summary.failed.push((name.to_owned(), e.to_string()));
            ItemOutcome::Failed { reason: e.to_string() }
        }
    }
}

/// Every supported file under `dir`, recursively; browsers' `<name>_files` asset folders and
/// hidden folders are skipped.
fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io { path: dir.to_owned(), source })?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| Error::Io { path: path.clone(), source })?;
        if kind.is_dir() {
            if !path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_files") || n.starts_with('.')) {
                collect_files(&path, out)?;
            }
        } else if gather::format_of(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}
