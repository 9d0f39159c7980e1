//! Adding articles: from files, folders, stdin and the web; extraction, images, snapshots and
//! duplicate detection. Each article is stored in one transaction with everything it owns.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

use quire_clip::{Decoded, Extracted, HtmlOptions};
use quire_doc::BlockKind;
use rusqlite::{params, OptionalExtension, Transaction};
use serde::Serialize;
use sha2::{Digest, Sha256};
use url::Url;

use crate::fetch::{self, FetchConfig, Want};
use crate::{now, reindex_article, AddOutcome, Error, Library, Result};

/// The scheme of document image sources that point at a copy stored in the library:
/// `quire-image:<sha256 hex>`.
pub const IMAGE_SCHEME: &str = "quire-image:";

/// Where an article comes from, for its metadata and for messages.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// A name for messages: a file path, a URL or "stdin".
    pub name: String,
    /// The page's address, when known.
    pub url: Option<String>,
}

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
    /// Network limits, for `clip` and `fetch_images`.
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

/// Progress of a folder import or a multi-page clip.
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

/// An article ready to be stored.
pub(crate) struct Incoming {
    pub(crate) extracted: Extracted,
    pub(crate) source: Source,
    pub(crate) tags: Vec<String>,
    pub(crate) snapshot: Option<Snapshot>,
    pub(crate) images: Vec<(String, StoredImage)>,
}

pub(crate) struct Snapshot {
    url: Option<String>,
    content_type: Option<String>,
    encoding: &'static str,
    html: String,
}

/// The kind of content an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Text,
    /// A web archive (`.mhtml`/`.mht`): the page and its images in one MIME message.
    Mhtml,
}

fn format_of(path: &Path) -> Option<Format> {
    match path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase).as_deref() {
        Some("html" | "htm" | "xhtml") => Some(Format::Html),
        Some("txt" | "text" | "md" | "markdown") => Some(Format::Text),
        Some("mhtml" | "mht") => Some(Format::Mhtml),
        _ => None,
    }
}

/// Where images that are not on the web come from.
#[derive(Clone, Copy)]
enum LocalImages<'a> {
    None,
    /// Files beside a saved page (and only there).
    Folder(&'a Path),
    /// The parts of a web archive, by `Content-Location` (and `cid:` + `Content-ID`).
    Parts(&'a HashMap<String, Vec<u8>>),
}

impl<'a> LocalImages<'a> {
    fn part(self, src: &str) -> Option<&'a [u8]> {
        match self {
            LocalImages::Parts(parts) => parts.get(src).map(Vec::as_slice),
            _ => None,
        }
    }
}

/// A web archive split into its page and its parts.
struct Archive {
    html: Vec<u8>,
    location: Option<String>,
    parts: HashMap<String, Vec<u8>>,
}

fn split_mhtml(bytes: &[u8]) -> Option<Archive> {
    use mail_parser::MimeHeaders;
    let message = mail_parser::MessageParser::default().parse(bytes)?;
    let mut archive: Option<Archive> = None;
    let mut parts = HashMap::new();
    for part in &message.parts {
        if part.is_multipart() {
            continue;
        }
        let is_html = part.content_type().is_some_and(|ct| {
            ct.c_type.eq_ignore_ascii_case("text")
                && ct.c_subtype.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("html"))
        });
        if is_html && archive.is_none() {
            // mail-parser decodes text parts to UTF-8 whatever their charset.
            let html = part.text_contents().map(|t| t.as_bytes().to_vec()).unwrap_or_else(|| part.contents().to_vec());
            archive =
                Some(Archive { html, location: part.content_location().map(str::to_owned), parts: HashMap::new() });
            continue;
        }
        if let Some(location) = part.content_location() {
            parts.insert(location.to_owned(), part.contents().to_vec());
        }
        if let Some(id) = part.content_id() {
            parts.insert(format!("cid:{}", id.trim_matches(['<', '>'])), part.contents().to_vec());
        }
    }
    archive.map(|a| Archive { parts, ..a })
}

impl Library {
    /// Adds a `.txt`/`.md` (plain text) or `.html`/`.htm` file.
    pub fn add_file(&mut self, path: &Path, options: &AddOptions) -> Result<AddOutcome> {
        let format = format_of(path).ok_or_else(|| Error::UnsupportedFile(path.to_owned()))?;
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
        let source = Source { name: path.display().to_string(), url: options.url.clone() };
        if format == Format::Mhtml {
            let archive = split_mhtml(&bytes).ok_or_else(|| {
                Error::EmptyInput(format!("{} (not a web archive with an HTML page)", path.display()))
            })?;
            let source = Source { url: options.url.clone().or(archive.location.clone()), ..source };
            return self.add_bytes_as(&archive.html, Format::Html, source, LocalImages::Parts(&archive.parts), options);
        }
        let local = path.parent().map_or(LocalImages::None, LocalImages::Folder);
        self.add_bytes_as(&bytes, format, source, local, options)
    }

    /// Adds content read from stdin or the clipboard: HTML when it looks like HTML, else text.
    pub fn add_bytes(&mut self, bytes: &[u8], options: &AddOptions) -> Result<AddOutcome> {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).trim_start().to_ascii_lowercase();
        let looks_html =
            ["<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p ", "<meta", "<!--"]
                .iter()
                .any(|t| head.starts_with(t));
        let format = if looks_html { Format::Html } else { Format::Text };
        let source = Source { name: "stdin".to_owned(), url: options.url.clone() };
        self.add_bytes_as(bytes, format, source, LocalImages::None, options)
    }

    /// Imports every `.html`/`.htm`/`.txt`/`.md` file under `dir` (recursively, in name order),
    /// each in its own transaction. `progress` hears about each file; setting `cancel` stops
    /// before the next file and leaves everything already added in place.
    pub fn import_folder(
        &mut self,
        dir: &Path,
        options: &AddOptions,
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
    ) -> Result<ImportSummary> {
        let mut files = Vec::new();
        collect_files(dir, &mut files)?;
        files.sort();
        let names: Vec<String> = files.iter().map(|f| f.strip_prefix(dir).unwrap_or(f).display().to_string()).collect();
        Ok(self.bulk(&names, progress, cancel, |lib, i| lib.add_file(&files[i], options)))
    }

    /// Imports files and folders (what a user drops on the window or picks in a dialog): each
    /// supported file, and every supported file under each folder, in the order given and then
    /// by name, each in its own transaction. An unsupported or unreadable path is reported as
    /// failed, never silently skipped.
    pub fn import_paths(
        &mut self,
        paths: &[PathBuf],
        options: &AddOptions,
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
    ) -> ImportSummary {
        // (path to add, name to show); a path that cannot be added keeps its error for the report.
        let mut items: Vec<(Result<PathBuf, Error>, String)> = Vec::new();
        for path in paths {
            let shown = path.file_name().map_or_else(|| path.display().to_string(), |n| n.to_string_lossy().into());
            if path.is_dir() {
                let mut files = Vec::new();
                match collect_files(path, &mut files) {
                    Ok(()) if files.is_empty() => items.push((Err(Error::EmptyFolder(path.clone())), shown)),
                    Ok(()) => {
                        files.sort();
                        for file in files {
                            let inner = file.strip_prefix(path).unwrap_or(&file).display().to_string();
                            items.push((Ok(file), format!("{shown}/{inner}")));
                        }
                    }
                    Err(e) => items.push((Err(e), shown)),
                }
            } else if format_of(path).is_none() {
                items.push((Err(Error::UnsupportedFile(path.clone())), shown));
            } else {
                items.push((Ok(path.clone()), shown));
            }
        }
        let names: Vec<String> = items.iter().map(|(_, name)| name.clone()).collect();
        // Each item is tried once: a path that could not be listed hands over its own error.
        self.bulk(&names, progress, cancel, |lib, i| match std::mem::replace(&mut items[i].0, Ok(PathBuf::new())) {
            Ok(file) => lib.add_file(&file, options),
            Err(e) => Err(e),
        })
    }

    /// Adds what a user typed or pasted into the clip box: a web address is clipped (fetched),
    /// anything else is taken as pasted HTML or text.
    pub fn add_input(&mut self, input: &str, options: &AddOptions) -> Result<AddOutcome> {
        let trimmed = input.trim();
        if trimmed.is_empty() {
            return Err(Error::EmptyInput("the clip box: paste a web address, HTML or text".to_owned()));
        }
        let one_word = !trimmed.contains(char::is_whitespace);
        let looks_like_address = one_word
            && (trimmed.contains("://")
                || trimmed.starts_with("www.")
                || trimmed.split('/').next().is_some_and(|h| h.contains('.')));
        if looks_like_address {
            self.clip_url(trimmed, options)
        } else {
            self.add_bytes(input.as_bytes(), options)
        }
    }

    /// Clips web pages one after another; `progress` hears about each, `cancel` stops before
    /// the next one.
    pub fn clip_urls(
        &mut self,
        urls: &[String],
        options: &AddOptions,
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
    ) -> ImportSummary {
        self.bulk(urls, progress, cancel, |lib, i| lib.clip_url(&urls[i], options))
    }

    /// Adds `names.len()` items one by one (each its own transaction), reporting each and
    /// stopping before the next when `cancel` is set.
    fn bulk(
        &mut self,
        names: &[String],
        progress: &mut dyn FnMut(&ImportEvent),
        cancel: &AtomicBool,
        mut add: impl FnMut(&mut Self, usize) -> Result<AddOutcome>,
    ) -> ImportSummary {
        progress(&ImportEvent::Started { total: names.len() });
        let mut summary = ImportSummary::default();
        for (index, name) in names.iter().enumerate() {
            if cancel.load(Ordering::SeqCst) {
                summary.cancelled = true;
                break;
            }
            let outcome = record(&mut summary, name, add(self, index));
            progress(&ImportEvent::Item { index, name: name.clone(), outcome });
        }
        summary
    }

    /// Fetches a web page, extracts its article, downloads its images and stores it all; a
    /// page already in the library (same normalized or canonical URL, or same text) is
    /// reported instead.
    pub fn clip_url(&mut self, input: &str, options: &AddOptions) -> Result<AddOutcome> {
        let url = quire_clip::parse_web_address(input)
            .map_err(|problem| Error::Address { input: input.to_owned(), problem })?;
        let runtime = runtime()?;
        let client = fetch::client(&options.fetch)?;
        let page = runtime.block_on(fetch::fetch(&client, &url, Want::Page, &options.fetch))?;
        let page_url = page.url.to_string();
        let is_text = page.content_type.as_deref().is_some_and(|ct| ct.trim_start().starts_with("text/plain"));
        let decoded = if is_text {
            quire_clip::decode_text(&page.bytes, page.content_type.as_deref())
        } else {
            quire_clip::decode_html(&page.bytes, page.content_type.as_deref())
        };
        let source = Source { name: page_url.clone(), url: Some(page_url.clone()) };
        let mut extracted =
            if is_text { quire_clip::from_text(&decoded.text) } else { extract_html(&decoded.text, Some(&page_url)) };
        extracted.warnings.splice(0..0, decoded.warnings.iter().cloned());
        let existing = self.find_duplicate(&extracted, &source)?;
        if let Some(existing) = existing.as_ref().filter(|_| !options.update) {
            return Ok(AddOutcome { created: false, warnings: extracted.warnings, ..existing.clone() });
        }
        let images = runtime.block_on(download_images(&client, &mut extracted, LocalImages::None, &options.fetch));
        let snapshot = (!is_text).then(|| Snapshot {
            url: Some(page_url),
            content_type: page.content_type.clone(),
            encoding: decoded.encoding,
            html: decoded.text,
        });
        let incoming = Incoming { extracted, source, tags: options.tags.clone(), snapshot, images };
        match existing {
            Some(existing) => self.replace_content(existing.id, incoming),
            None => self.store(incoming),
        }
    }

    /// Extracts an article again from its original page (kept since it was clipped), keeps the
    /// previous text as a version, and re-anchors every highlight in the same transaction.
    pub fn reextract(&mut self, id: i64) -> Result<AddOutcome> {
        let source_url: Option<String> = self
            .conn
            .query_row("SELECT source_url FROM articles WHERE id = ?", [id], |r| r.get(0))
            .optional()?
            .ok_or(Error::ArticleNotFound(id))?;
        let html = self.snapshot_html(id)?.ok_or(Error::NoSnapshot(id))?;
        let mut extracted = extract_html(&html, source_url.as_deref());
        // Offline: images already stored for this article are reused; others stay remote.
        let stored: HashMap<String, String> = self
            .conn
            .prepare("SELECT source_url, hash FROM article_images WHERE article_id = ?")?
            .query_map([id], |r| Ok((r.get(0)?, r.get(1)?)))?
            .collect::<rusqlite::Result<_>>()?;
        for block in &mut extracted.document.blocks {
            if let BlockKind::Image { src, .. } = &mut block.kind {
                if let Some(hash) = stored.get(src.as_str()) {
                    *src = format!("{IMAGE_SCHEME}{hash}");
                }
            }
        }
        let source = Source { name: format!("article {id}"), url: source_url };
        self.replace_content(id, Incoming { extracted, source, tags: Vec::new(), snapshot: None, images: Vec::new() })
    }

    /// A stored image by hash (for the reader and the exporters).
    pub fn image(&self, hash: &str) -> Result<StoredImage> {
        self.conn
            .query_row("SELECT hash, mime, data FROM images WHERE hash = ?", [hash], |r| {
                Ok(StoredImage { hash: r.get(0)?, mime: r.get(1)?, data: r.get(2)? })
            })
            .optional()?
            .ok_or_else(|| Error::Corrupt(format!("image {hash} is not in the library")))
    }

    /// The original HTML of an article's newest snapshot, if it was clipped from HTML.
    pub fn snapshot_html(&self, article: i64) -> Result<Option<String>> {
        let blob: Option<Vec<u8>> = self
            .conn
            .query_row(
                "SELECT html_deflate FROM snapshots WHERE article_id = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
                [article],
                |r| r.get(0),
            )
            .optional()?;
        blob.map(|b| inflate(&b)).transpose()
    }

    fn add_bytes_as(
        &mut self,
        bytes: &[u8],
        format: Format,
        source: Source,
        local: LocalImages<'_>,
        options: &AddOptions,
    ) -> Result<AddOutcome> {
        let (decoded, mut extracted) = match format {
            Format::Html => {
                let decoded = quire_clip::decode_html(bytes, None);
                let extracted = extract_html(&decoded.text, source.url.as_deref());
                (decoded, extracted)
            }
            Format::Text | Format::Mhtml => {
                let decoded = quire_clip::decode_text(bytes, None);
                let extracted = quire_clip::from_text(&decoded.text);
                (decoded, extracted)
            }
        };
        extracted.warnings.splice(0..0, decoded.warnings.iter().cloned());
        if extracted.is_empty() {
            return Err(Error::EmptyInput(source.name));
        }
        if let Some(existing) = self.find_duplicate(&extracted, &source)? {
            return Ok(AddOutcome { created: false, warnings: extracted.warnings, ..existing });
        }
        let images = if format == Format::Html {
            let client = fetch::client(&options.fetch)?;
            let fetch_cfg = FetchConfig {
                max_images: if options.fetch_images { options.fetch.max_images } else { 0 },
                ..options.fetch.clone()
            };
            runtime()?.block_on(download_images(&client, &mut extracted, local, &fetch_cfg))
        } else {
            Vec::new()
        };
        let Decoded { text, encoding, .. } = decoded;
        let snapshot = (format == Format::Html).then(|| Snapshot {
            url: source.url.clone(),
            content_type: None,
            encoding,
            html: text,
        });
        self.store(Incoming { extracted, source, tags: options.tags.clone(), snapshot, images })
    }

    /// The article with the same text, or whose normalized source or canonical URL matches.
    fn find_duplicate(&self, extracted: &Extracted, source: &Source) -> Result<Option<AddOutcome>> {
        let hash = content_hash(&extracted.document.canonical_text());
        let urls = urls_of(extracted, source);
        let found: Option<(i64, String)> = self
            .conn
            .query_row(
                "SELECT id, title FROM articles
                 WHERE content_hash = ?1 OR (?2 IS NOT NULL AND normalized_url IN (?2, ?3)) OR (?3 IS NOT NULL AND normalized_url = ?3)
                 ORDER BY id LIMIT 1",
                params![hash, urls.normalized_source, urls.normalized_canonical],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        Ok(found.map(|(id, title)| AddOutcome { id, title, created: false, warnings: Vec::new(), reanchored: None }))
    }

    fn store(&mut self, incoming: Incoming) -> Result<AddOutcome> {
        let Incoming { extracted, source, tags, snapshot, images } = incoming;
        if extracted.is_empty() {
            return Err(Error::EmptyInput(source.name));
        }
        let urls = urls_of(&extracted, &source);
        let Extracted { meta, document, warnings } = extracted;
        let canonical_text = document.canonical_text();
        let hash = content_hash(&canonical_text);
        let document_json = serde_json::to_string(&document).map_err(|e| Error::Corrupt(e.to_string()))?;
        let tx = self.conn.transaction()?;
        let now = now();
        tx.execute(
            "INSERT INTO articles (title, byline, site_name, source_url, canonical_url, normalized_url, language, direction,
                                   published_at, clipped_at, updated_at, excerpt, lead_image, document, canonical_text,
                                   text_version, content_hash, word_count)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                meta.title,
                meta.byline,
                meta.site_name,
                source.url,
                urls.canonical,
                urls.normalized_canonical.or(urls.normalized_source),
                meta.language,
                meta.direction,
                meta.published,
                now,
                now,
                meta.excerpt,
                meta.lead_image,
                document_json,
                canonical_text,
                quire_doc::CANONICAL_TEXT_VERSION,
                hash,
                document.word_count() as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        store_images(&tx, id, &images, &now)?;
        if let Some(snapshot) = &snapshot {
            insert_snapshot(&tx, id, snapshot, &now)?;
        }
        crate::tags::add_article_tags(&tx, id, &tags)?;
        reindex_article(&tx, id)?;
        tx.commit()?;
        Ok(AddOutcome { id, title: meta.title, created: true, warnings, reanchored: None })
    }
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

fn collect_files(dir: &Path, out: &mut Vec<PathBuf>) -> Result<()> {
    let entries = std::fs::read_dir(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
    for entry in entries {
        let entry = entry.map_err(|source| Error::Io { path: dir.to_owned(), source })?;
        let path = entry.path();
        let kind = entry.file_type().map_err(|source| Error::Io { path: path.clone(), source })?;
        if kind.is_dir() {
            // Browsers save a page's assets in "<name>_files"; those are not articles.
            if !path.file_name().and_then(|n| n.to_str()).is_some_and(|n| n.ends_with("_files") || n.starts_with('.')) {
                collect_files(&path, out)?;
            }
        } else if format_of(&path).is_some() {
            out.push(path);
        }
    }
    Ok(())
}

pub(crate) struct Urls {
    pub(crate) canonical: Option<String>,
    pub(crate) normalized_source: Option<String>,
    pub(crate) normalized_canonical: Option<String>,
}

pub(crate) fn urls_of(extracted: &Extracted, source: &Source) -> Urls {
    let canonical = extracted.meta.canonical_url.clone().or_else(|| source.url.clone());
    Urls {
        normalized_source: source.url.as_deref().and_then(quire_clip::normalize_url),
        normalized_canonical: canonical.as_deref().and_then(quire_clip::normalize_url),
        canonical,
    }
}

pub(crate) fn content_hash(canonical_text: &str) -> String {
    hex::encode(Sha256::digest(canonical_text.as_bytes()))
}

/// Extraction runs on a thread with a large stack: pathological pages (200,000 nested
/// elements) must not overflow it.
fn extract_html(html: &str, url: Option<&str>) -> Extracted {
    let html = html.to_owned();
    let url = url.map(str::to_owned);
    let worker = std::thread::Builder::new()
        .name("quire-extract".to_owned())
        .stack_size(256 << 20)
        .spawn(move || quire_clip::from_html(&html, &HtmlOptions { url: url.as_deref() }));
    match worker.map(|w| w.join()) {
        Ok(Ok(extracted)) => extracted,
        _ => Extracted { warnings: vec!["the page could not be read".to_owned()], ..Extracted::default() },
    }
}

fn runtime() -> Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(|source| Error::Io { path: PathBuf::from("<tokio runtime>"), source })
}

/// Downloads (or reads from `folder`, or decodes from `data:`) the document's images, at most
/// `cfg.max_images`, `cfg.image_concurrency` at a time, and points the document at the stored
/// copies. An image that fails keeps its original source and alt text, with a warning.
async fn download_images(
    client: &reqwest::Client,
    extracted: &mut Extracted,
    local: LocalImages<'_>,
    cfg: &FetchConfig,
) -> Vec<(String, StoredImage)> {
    use futures_util::StreamExt;
    let mut sources: Vec<String> = Vec::new();
    for block in &extracted.document.blocks {
        if let BlockKind::Image { src, .. } = &block.kind {
            if !src.starts_with(IMAGE_SCHEME) && !sources.contains(src) {
                sources.push(src.clone());
            }
        }
    }
    let mut warnings = Vec::new();
    let local_or_data = |src: &str| src.starts_with("data:") || Url::parse(src).is_err() || local.part(src).is_some();
    let remote_budget = cfg.max_images;
    let (mut wanted, mut remote) = (Vec::new(), 0usize);
    for src in sources {
        if local_or_data(&src) {
            wanted.push(src);
        } else if remote < remote_budget {
            remote += 1;
            wanted.push(src);
        } else if cfg.max_images > 0 {
            warnings.push(format!("image {src} not saved: more than {} images in the article", cfg.max_images));
        }
    }
    let results: Vec<(String, std::result::Result<StoredImage, String>)> = futures_util::stream::iter(wanted)
        .map(|src| async move {
            let result = load_image(client, &src, local, cfg).await;
            (src, result)
        })
        .buffer_unordered(cfg.image_concurrency.max(1))
        .collect()
        .await;
    let mut stored = Vec::new();
    for (src, result) in results {
        match result {
            Ok(image) => stored.push((src, image)),
            Err(reason) => warnings.push(format!("image {} not saved: {reason}", shorten(&src))),
        }
    }
    for block in &mut extracted.document.blocks {
        if let BlockKind::Image { src, .. } = &mut block.kind {
            if let Some((_, image)) = stored.iter().find(|(s, _)| s == src) {
                *src = format!("{IMAGE_SCHEME}{}", image.hash);
            }
        }
    }
    warnings.sort();
    extracted.warnings.extend(warnings);
    stored
}

async fn load_image(
    client: &reqwest::Client,
    src: &str,
    local: LocalImages<'_>,
    cfg: &FetchConfig,
) -> std::result::Result<StoredImage, String> {
    let (data, declared) = if let Some(rest) = src.strip_prefix("data:") {
        decode_data_url(rest)?
    } else if let Some(data) = local.part(src) {
        (data.to_vec(), None)
    } else if let Ok(url) = Url::parse(src) {
        match url.scheme() {
            "http" | "https" => {
                let fetched = fetch::fetch(client, &url, Want::Image, cfg).await.map_err(|e| e.to_string())?;
                (fetched.bytes, fetched.content_type)
            }
            other => return Err(format!("{other}: images are not fetched")),
        }
    } else {
        let LocalImages::Folder(folder) = local else {
            return Err("a relative address with no page address to resolve it".to_owned());
        };
        let relative = src.split(['?', '#']).next().unwrap_or(src);
        let relative = percent_decode(relative);
        let path = folder.join(&relative);
        // Only files inside the page's folder: a page must not make Quire read other files.
        let inside = path.canonicalize().ok().zip(folder.canonicalize().ok()).is_some_and(|(p, f)| p.starts_with(f));
        if !inside {
            return Err("not a file beside the page".to_owned());
        }
        let data = std::fs::read(&path).map_err(|e| e.to_string())?;
        if data.len() as u64 > cfg.max_image_bytes {
            return Err(format!("larger than {} MB", cfg.max_image_bytes / (1024 * 1024)));
        }
        (data, None)
    };
    let mime = fetch::sniff_image(&data)
        .map(str::to_owned)
        .or_else(|| {
            declared
                .filter(|d| d.starts_with("image/"))
                .map(|d| d.split(';').next().unwrap_or_default().trim().to_owned())
        })
        .ok_or("not an image Quire can show")?;
    let hash = hex::encode(Sha256::digest(&data));
    Ok(StoredImage { hash, mime, data })
}

fn decode_data_url(rest: &str) -> std::result::Result<(Vec<u8>, Option<String>), String> {
    use base64::Engine;
    let (meta, payload) = rest.split_once(',').ok_or("a malformed data: URL")?;
    let mime = meta.split(';').next().filter(|m| !m.is_empty()).map(str::to_owned);
    let data = if meta.ends_with(";base64") {
        let clean: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(clean.as_bytes())
            .map_err(|e| format!("bad base64 in a data: URL ({e})"))?
    } else {
        percent_decode(payload).into_bytes()
    };
    Ok((data, mime))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn shorten(src: &str) -> String {
    if src.chars().count() > 80 {
        format!("{}…", src.chars().take(80).collect::<String>())
    } else {
        src.to_owned()
    }
}

pub(crate) fn insert_snapshot(tx: &Transaction<'_>, article: i64, s: &Snapshot, now: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO snapshots (article_id, url, fetched_at, content_type, encoding, html_deflate) VALUES (?, ?, ?, ?, ?, ?)",
        params![article, s.url, now, s.content_type, s.encoding, deflate(&s.html)?],
    )?;
    Ok(())
}

pub(crate) fn store_images(
    tx: &Transaction<'_>,
    article: i64,
    images: &[(String, StoredImage)],
    now: &str,
) -> Result<()> {
    for (source_url, image) in images {
        tx.execute(
            "INSERT OR IGNORE INTO images (hash, mime, size, data, created_at) VALUES (?, ?, ?, ?, ?)",
            params![image.hash, image.mime, image.data.len() as i64, image.data, now],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO article_images (article_id, hash, source_url) VALUES (?, ?, ?)",
            params![article, image.hash, source_url],
        )?;
    }
    Ok(())
}

fn deflate(text: &str) -> Result<Vec<u8>> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    encoder
        .write_all(text.as_bytes())
        .and_then(|()| encoder.finish())
        .map_err(|e| Error::Corrupt(format!("compressing a snapshot: {e}")))
}

fn inflate(blob: &[u8]) -> Result<String> {
    use std::io::Read;
    let mut out = String::new();
    flate2::read::DeflateDecoder::new(blob)
        .read_to_string(&mut out)
        .map_err(|e| Error::Corrupt(format!("a snapshot: {e}")))?;
    Ok(out)
}
