//! The gather phase: from a source to everything an article will be stored with. No
//! database, no lock: reading files, fetching, decoding and extracting (pure, in
//! `quire-clip`), downloading images (`images.rs`).

use std::collections::HashMap;
use std::path::Path;

use quire_clip::{Decoded, Extracted, Format, HtmlOptions};
use quire_doc::BlockKind;
use sha2::{Digest, Sha256};

pub(crate) use crate::fetch::Network;
use crate::fetch::Want;
use crate::store::articles::ArticleContent;
use crate::store::media::Snapshot;
use crate::{AddOptions, AddSource, CapturedPage, Error, Origin, Result, StoredImage, IMAGE_SCHEME};

use super::images::{self, LocalImages};

/// The largest page, text file or input read as one article (as a page fetched from the
/// web, `FetchConfig::max_page_bytes`' default). Larger text is no article but a book or a
/// dump; reading it whole would take seconds and close to a gigabyte.
pub const MAX_INPUT_BYTES: u64 = 25 * 1024 * 1024;

/// The largest web archive (`.mhtml`) read: it carries its images.
pub const MAX_WEB_ARCHIVE_BYTES: u64 = 100 * 1024 * 1024;

/// The format of a file Quire reads, by its extension.
pub(crate) fn format_of(path: &Path) -> Option<Format> {
    path.extension().and_then(|e| e.to_str()).and_then(quire_clip::format_of_extension)
}

/// A source read and extracted, before its images are loaded.
pub(crate) struct Page {
    pub(crate) url: Option<String>,
    pub(crate) extracted: Extracted,
    snapshot: Option<Snapshot>,
    local: LocalImages,
    /// Whether images on the web are downloaded (pages from the web, or when asked).
    remote_images: bool,
    /// Its canonical text and what tells it from other articles, made once here (loading
    /// images changes only image sources, never the text).
    canonical_text: String,
    pub(crate) key: DuplicateKey,
}

impl Page {
    /// Every source becomes a page here, so here is where what entered is made fit to keep:
    /// no credentials in its addresses, and `quire_clip::tidy`'s rules (no control characters,
    /// a language tag or none, no canonical address on another site) for what this library
    /// built itself or took from the browser, as for what `quire-clip` extracted.
    fn new(
        url: Option<String>,
        mut extracted: Extracted,
        mut snapshot: Option<Snapshot>,
        local: LocalImages,
        remote_images: bool,
    ) -> Self {
        let url = url.map(|u| quire_clip::without_credentials(&u).into_owned());
        let url = match url {
            Some(u) if !quire_doc::address::is_web(&u) => {
                let shown: String = u.chars().take(60).collect();
                extracted.warnings.push(format!("ignored the address {shown:?}: only http(s) addresses are kept"));
                None
            }
            url => url,
        };
        if let Some(snapshot) = &mut snapshot {
            snapshot.url = url.clone();
        }
        quire_clip::tidy(&mut extracted, url.as_deref());
        let canonical_text = extracted.document.canonical_text();
        let key = DuplicateKey::new(&extracted, url.as_deref(), &canonical_text);
        Self { url, extracted, snapshot, local, remote_images, canonical_text, key }
    }
}

/// Everything one article is stored with.
pub(crate) struct Gathered {
    pub(crate) url: Option<String>,
    pub(crate) extracted: Extracted,
    pub(crate) snapshot: Option<Snapshot>,
    pub(crate) images: Vec<(String, StoredImage)>,
    canonical_text: String,
    key: DuplicateKey,
}

/// What tells an article from the others: its text and its addresses.
pub(crate) struct DuplicateKey {
    pub(crate) content_hash: String,
    /// The source address, normalized.
    pub(crate) source: Option<String>,
    /// The canonical address (the page's own, else the source), as given and normalized.
    pub(crate) canonical_url: Option<String>,
    pub(crate) canonical: Option<String>,
}

impl DuplicateKey {
    /// The article this key matches, if any.
    pub(crate) fn find(&self, conn: &crate::store::Conn) -> Result<Option<(i64, String)>> {
        crate::store::articles::find_duplicate(
            conn,
            &self.content_hash,
            self.source.as_deref(),
            self.canonical.as_deref(),
        )
    }

    fn new(extracted: &Extracted, url: Option<&str>, canonical_text: &str) -> Self {
        let canonical_url = extracted.meta.canonical_url.clone().or_else(|| url.map(str::to_owned));
        Self {
            content_hash: content_hash(canonical_text),
            source: url.and_then(quire_clip::normalize_url),
            canonical: canonical_url.as_deref().and_then(quire_clip::normalize_url),
            canonical_url,
        }
    }
}

impl Gathered {
    /// What is stored, once images are loaded or will not be: an image is a stored copy or a
    /// web address, nothing else (a `data:` image or a file that could not be kept leaves its
    /// caption only).
    fn settled(
        url: Option<String>,
        mut extracted: Extracted,
        snapshot: Option<Snapshot>,
        images: Vec<(String, StoredImage)>,
        canonical_text: String,
        key: DuplicateKey,
    ) -> Self {
        quire_clip::keep_images(&mut extracted, quire_doc::address::is_image_source);
        Self { url, extracted, snapshot, images, canonical_text, key }
    }

    /// What tells this article from the others.
    pub(crate) fn key(&self) -> &DuplicateKey {
        &self.key
    }

    pub(crate) fn canonical_text(&self) -> &str {
        &self.canonical_text
    }

    /// The columns the article is stored with.
    pub(crate) fn content(&self) -> ArticleContent<'_> {
        let (meta, key) = (&self.extracted.meta, &self.key);
        ArticleContent {
            title: &meta.title,
            byline: meta.byline.as_deref(),
            site_name: meta.site_name.as_deref(),
            canonical_url: key.canonical_url.as_deref(),
            normalized_url: key.canonical.as_deref().or(key.source.as_deref()),
            language: meta.language.as_deref(),
            direction: meta.direction.as_deref(),
            published_at: meta.published.as_deref(),
            excerpt: meta.excerpt.as_deref(),
            document: &self.extracted.document,
            canonical_text: &self.canonical_text,
            content_hash: &key.content_hash,
        }
    }
}

pub(crate) fn content_hash(canonical_text: &str) -> String {
    hex::encode(Sha256::digest(canonical_text.as_bytes()))
}

/// Reads, fetches and extracts a source. An input without text is refused here.
pub(crate) fn read(source: &AddSource, options: &AddOptions, network: &mut Network) -> Result<Page> {
    network.begin(None);
    let page = match source {
        AddSource::Path(path) => read_file(path, options)?,
        AddSource::Url(url) => fetch_page(url, network)?,
        AddSource::Stdin(bytes) => {
            check_input(bytes, MAX_INPUT_BYTES, || Origin::Stdin)?;
            from_bytes(bytes, quire_clip::sniff(bytes), options.url.clone(), LocalImages::None)
        }
        AddSource::Pasted(input) if quire_clip::looks_like_address(input) => fetch_page(input.trim(), network)?,
        AddSource::Pasted(input) if input.trim().is_empty() => return Err(Error::EmptyInput(Origin::Pasted)),
        AddSource::Pasted(input) => {
            let bytes = input.as_bytes();
            from_bytes(bytes, quire_clip::sniff(bytes), options.url.clone(), LocalImages::None)
        }
        AddSource::Captured(page) => captured(page)?,
    };
    if page.extracted.is_empty() {
        return Err(Error::EmptyInput(origin_of(source)));
    }
    Ok(Page { remote_images: page.remote_images || options.fetch_images, ..page })
}

fn origin_of(source: &AddSource) -> Origin {
    match source {
        AddSource::Path(path) => Origin::File(path.clone()),
        AddSource::Url(url) => Origin::Web(url.clone()),
        AddSource::Stdin(_) => Origin::Stdin,
        AddSource::Pasted(input) if quire_clip::looks_like_address(input) => Origin::Web(input.trim().to_owned()),
        AddSource::Pasted(_) => Origin::Pasted,
        AddSource::Captured(page) => Origin::Web(page.url.clone()),
    }
}

/// A page a browser captured: its HTML as the user saw it, extracted like any page; its images
/// are the ones the browser sent (within limits), nothing is fetched.
fn captured(page: &CapturedPage) -> Result<Page> {
    let url = quire_clip::parse_web_address(&page.url)
        .map_err(|problem| Error::Address { input: page.url.clone(), problem })?
        .to_string();
    let mut extracted = extract_html(&page.html, Some(&url));
    let given = |s: &Option<String>| s.as_deref().map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if extracted.meta.title.trim().is_empty() {
        if let Some(title) = given(&page.title) {
            extracted.meta.title = title;
        }
    }
    if extracted.meta.language.is_none() {
        extracted.meta.language = given(&page.language);
    }
    let (local, warnings) = images::captured(&page.images);
    extracted.warnings.extend(warnings);
    let snapshot = Snapshot {
        url: Some(url.clone()),
        content_type: Some("text/html; charset=utf-8".to_owned()),
        encoding: "UTF-8".to_owned(),
        html: page.html.clone(),
    };
    Ok(Page::new(Some(url), extracted, Some(snapshot), local, false))
}

/// The article at this address (normalized as the add pipeline's duplicate check does), if any.
pub(crate) fn article_at(conn: &crate::store::Conn, url: &str) -> Result<Option<i64>> {
    let normalized = quire_clip::normalize_url(url);
    let found = crate::store::articles::find_duplicate(conn, "", normalized.as_deref().or(Some(url)), None)?;
    Ok(found.map(|(id, _)| id))
}

/// Refuses input over `limit` bytes or that is not text ([`quire_clip::is_binary`]).
fn check_input(bytes: &[u8], limit: u64, origin: impl Fn() -> Origin) -> Result<()> {
    if bytes.len() as u64 > limit {
        return Err(Error::InputTooLarge { origin: origin(), limit });
    }
    if quire_clip::is_binary(bytes) {
        return Err(Error::NotText(origin()));
    }
    Ok(())
}

fn read_file(path: &Path, options: &AddOptions) -> Result<Page> {
    let io = |source| Error::Io { path: path.to_owned(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(Error::IsFolder(path.to_owned()));
    }
    let format = format_of(path).ok_or_else(|| Error::UnsupportedFile(path.to_owned()))?;
    let origin = || Origin::File(path.to_owned());
    let limit = if format == Format::WebArchive { MAX_WEB_ARCHIVE_BYTES } else { MAX_INPUT_BYTES };
    // Checked before reading, and again on what was read (a file that grew, a device).
    if meta.len() > limit {
        return Err(Error::InputTooLarge { origin: origin(), limit });
    }
    let mut bytes = Vec::new();
    std::io::Read::read_to_end(&mut std::io::Read::take(std::fs::File::open(path).map_err(io)?, limit + 1), &mut bytes)
        .map_err(io)?;
    match format {
        Format::WebArchive => {
            if bytes.len() as u64 > limit {
                return Err(Error::InputTooLarge { origin: origin(), limit });
            }
            let archive = quire_clip::split_web_archive(&bytes).ok_or_else(|| Error::NotWebArchive(path.to_owned()))?;
            check_input(&archive.html, limit, origin)?;
            let url = options.url.clone().or(archive.location);
            Ok(from_bytes(&archive.html, Format::Html, url, LocalImages::Parts(archive.parts)))
        }
        format => {
            check_input(&bytes, limit, origin)?;
            let local = path.parent().map_or(LocalImages::None, |dir| LocalImages::Folder(dir.to_owned()));
            Ok(from_bytes(&bytes, format, options.url.clone(), local))
        }
    }
}

/// Decodes and extracts HTML or text that came from a file, stdin or the clipboard.
fn from_bytes(bytes: &[u8], format: Format, url: Option<String>, local: LocalImages) -> Page {
    let is_html = format != Format::Text;
    let decoded = if is_html { quire_clip::decode_html(bytes, None) } else { quire_clip::decode_text(bytes, None) };
    let mut extracted =
        if is_html { extract_html(&decoded.text, url.as_deref()) } else { quire_clip::from_text(&decoded.text) };
    extracted.warnings.splice(0..0, decoded.warnings.iter().cloned());
    let Decoded { text, encoding, .. } = decoded;
    let snapshot =
        is_html.then(|| Snapshot { url: url.clone(), content_type: None, encoding: encoding.to_owned(), html: text });
    Page::new(url, extracted, snapshot, local, false)
}

/// A page another app kept (its HTML), extracted like a clipped page; its images stay where
/// they are on the web (nothing is fetched).
pub(crate) fn from_kept_html(html: &str, url: Option<String>) -> Gathered {
    let page = from_bytes(html.as_bytes(), Format::Html, url, LocalImages::None);
    let Page { url, extracted, snapshot, canonical_text, key, .. } = page;
    Gathered::settled(url, extracted, snapshot, Vec::new(), canonical_text, key)
}

/// An article made here (a book's passages), with no page behind it.
pub(crate) fn from_document(extracted: Extracted, url: Option<String>) -> Gathered {
    let Page { url, extracted, canonical_text, key, .. } = Page::new(url, extracted, None, LocalImages::None, false);
    Gathered::settled(url, extracted, None, Vec::new(), canonical_text, key)
}

/// Fetches a web page and extracts it (HTML, or plain text when the server says so).
fn fetch_page(input: &str, network: &mut Network) -> Result<Page> {
    let url =
        quire_clip::parse_web_address(input).map_err(|problem| Error::Address { input: input.to_owned(), problem })?;
    network.begin(Some(&url));
    let page = network.run(|fetcher, cfg| crate::fetch::fetch(fetcher, &url, Want::Page, cfg))??;
    let page_url = page.url.to_string();
    let is_text = page.content_type.as_deref().is_some_and(|ct| ct.trim_start().starts_with("text/plain"));
    let decoded = if is_text {
        quire_clip::decode_text(&page.bytes, page.content_type.as_deref())
    } else {
        quire_clip::decode_html(&page.bytes, page.content_type.as_deref())
    };
    let mut extracted =
        if is_text { quire_clip::from_text(&decoded.text) } else { extract_html(&decoded.text, Some(&page_url)) };
    extracted.warnings.splice(0..0, decoded.warnings.iter().cloned());
    let snapshot = (!is_text).then(|| Snapshot {
        url: Some(page_url.clone()),
        content_type: page.content_type.clone(),
        encoding: decoded.encoding.to_owned(),
        html: decoded.text,
    });
    Ok(Page::new(Some(page_url), extracted, snapshot, LocalImages::None, true))
}

/// Loads the page's images (beside the file, in the archive, `data:`, and from the web when
/// allowed) and points the document at the stored copies.
pub(crate) fn complete(page: Page, options: &AddOptions, network: &mut Network) -> Gathered {
    let Page { url, mut extracted, snapshot, local, remote_images, canonical_text, key } = page;
    let images = if snapshot.is_some() {
        let max_remote = if remote_images { options.fetch.max_images } else { 0 };
        images::load(&mut extracted, &local, max_remote, network)
    } else {
        Vec::new()
    };
    Gathered::settled(url, extracted, snapshot, images, canonical_text, key)
}

/// An article extracted again from its stored page; images it already has are reused.
pub(crate) fn reextract(html: &str, source_url: Option<String>, stored_images: &HashMap<String, String>) -> Gathered {
    let mut extracted = extract_html(html, source_url.as_deref());
    for block in &mut extracted.document.blocks {
        if let BlockKind::Image { src, .. } = &mut block.kind {
            if let Some(hash) = stored_images.get(src.as_str()) {
                *src = format!("{IMAGE_SCHEME}{hash}");
            }
        }
    }
    let Page { url, extracted, canonical_text, key, .. } =
        Page::new(source_url, extracted, None, LocalImages::None, false);
    Gathered::settled(url, extracted, None, Vec::new(), canonical_text, key)
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
