//! The portable archive: one zip that holds a library (or part of it) in open formats and
//! rebuilds it. Layout (also explained by the `README.md` inside):
//!
//! - `quire-archive.json` — what the archive is: format, version, when, which articles;
//! - `articles/<id>.json` — one per article: its metadata, the document model, tags, dates,
//!   state, note, its images and snapshots (by file), and its highlights as a W3C Web
//!   Annotation collection;
//! - `notes/<title>.md` — the Markdown export of each article, `notes/assets/` its images;
//! - `snapshots/<id>-<n>.html` — the original pages the articles were extracted from.
//!
//! Importing an archive goes through the import pipeline ([`crate::import`]): each article in
//! its own transaction, its text exactly the archived document, so every highlight anchors at
//! its archived offsets.

use std::io::Write;
use std::path::Path;

use quire_clip::{Extracted, Metadata};
use quire_doc::Document;
use quire_import::{Content, Highlight as ImportedHighlight, Item, PositionUnit, ReadState};

use serde::{Deserialize, Serialize};

use crate::add::gather;
use crate::store::media::{self, Snapshot};
use crate::{files, Error, FormatReport, Library, Result, Selection, StoredImage};

/// The manifest's name: a zip holding it is a Quire archive.
pub(crate) const MANIFEST: &str = "quire-archive.json";
const FORMAT: &str = "quire-archive";
const VERSION: u32 = 1;

const README: &str = "# A Quire archive

This zip holds articles from a Quire library, with their highlights, in open formats. Quire
rebuilds them with `quire import THIS.zip` (or File → Import from Another App in the desktop
app): the same articles, text, highlights (at the same places), notes, tags, states and dates.

- `quire-archive.json` — what this is: format `quire-archive`, its version, when it was made
  and which articles it holds.
- `articles/<id>.json` — one file per article: its metadata (title, byline, site, addresses,
  language, dates, status, favorite, reading progress, note), its tags, the document model
  Quire keeps (`document`: blocks of text spans; the canonical text is the blocks' texts
  joined by a blank line, and every offset counts Unicode code points of it), its images and
  original pages (files in this zip), and its highlights as a W3C Web Annotation collection
  (`annotations`: each quote with TextQuoteSelector and TextPositionSelector, its note and
  tags as bodies, its color as `styleClass`).
- `notes/` — each article as Markdown (front matter, text with highlights marked `==…==`, a
  Highlights section); `notes/assets/` holds the images they show.
- `snapshots/` — the original web pages the articles were extracted from.
";

#[derive(Serialize, Deserialize)]
struct Manifest {
    format: String,
    version: u32,
    exported_at: String,
    articles: Vec<i64>,
}

#[derive(Serialize, Deserialize)]
struct ArchivedImage {
    hash: String,
    mime: String,
    /// Where it was downloaded from.
    source: String,
    file: String,
}

#[derive(Serialize, Deserialize)]
struct ArchivedSnapshot {
    file: String,
    url: Option<String>,
    fetched_at: String,
    content_type: Option<String>,
    encoding: String,
}

#[derive(Serialize, Deserialize)]
struct ArchivedArticle {
    id: i64,
    title: String,
    byline: Option<String>,
    site_name: Option<String>,
    source_url: Option<String>,
    canonical_url: Option<String>,
    language: Option<String>,
    direction: Option<String>,
    published_at: Option<String>,
    clipped_at: String,
    excerpt: Option<String>,
    status: crate::Status,
    favorite: bool,
    progress: f64,
    note: String,
    link_only: bool,
    link_reason: String,
    tags: Vec<String>,
    document: Document,
    markdown: String,
    images: Vec<ArchivedImage>,
    snapshots: Vec<ArchivedSnapshot>,
    annotations: serde_json::Value,
}

fn extension(mime: &str) -> &'static str {
    match mime {
        "image/png" => "png",
        "image/jpeg" => "jpg",
        "image/gif" => "gif",
        "image/webp" => "webp",
        "image/svg+xml" => "svg",
        "image/avif" => "avif",
        _ => "bin",
    }
}

fn zip_err(path: &Path) -> impl Fn(zip::result::ZipError) -> Error + '_ {
    move |e| Error::Io { path: path.to_owned(), source: std::io::Error::other(e) }
}

impl Library {
    /// Writes the selected articles to a portable archive at `path` (through a temporary file
    /// beside it, renamed into place).
    pub fn export_archive(&self, selection: &Selection, path: &Path) -> Result<FormatReport> {
        let ids = self.select(selection)?;
        if ids.is_empty() {
            return Err(Error::NothingToExport);
        }
        let path = files::destination(path)?;
        let tmp = files::temporary_beside(&path)?;
        let result = self.write_archive(&ids, &tmp);
        match result.and_then(|report| {
            std::fs::rename(&tmp, &path).map_err(|source| Error::Io { path: path.clone(), source })?;
            Ok(report)
        }) {
            Ok((highlights, files)) => Ok(FormatReport { path: path.clone(), articles: ids.len(), highlights, files }),
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                Err(e)
            }
        }
    }

    fn write_archive(&self, ids: &[i64], tmp: &Path) -> Result<(usize, usize)> {
        let io = |source| Error::Io { path: tmp.to_owned(), source };
        let file = std::fs::File::create(tmp).map_err(io)?;
        let mut zip = zip::ZipWriter::new(file);
        let deflated = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
        let stored = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
        let put = |zip: &mut zip::ZipWriter<std::fs::File>, name: &str, bytes: &[u8], compress: bool| -> Result<()> {
            zip.start_file(name, if compress { deflated } else { stored }).map_err(zip_err(tmp))?;
            zip.write_all(bytes).map_err(io)
        };
        let manifest = Manifest {
            format: FORMAT.into(),
            version: VERSION,
            exported_at: crate::store::now(),
            articles: ids.to_vec(),
        };
        put(&mut zip, MANIFEST, &to_json(&manifest)?, true)?;
        put(&mut zip, "README.md", README.as_bytes(), true)?;
        let (mut highlights, mut files) = (0, 2);
        let mut names = std::collections::BTreeMap::new();
        let mut images_written = std::collections::HashSet::new();
        for &id in ids {
            let view = self.article(id)?;
            let article = self.export_view(view.clone());
            highlights += article.highlights.len();
            let md = quire_export::markdown::article(
                &article,
                &quire_export::markdown::MarkdownOptions {
                    style: quire_export::markdown::MarkdownStyle::Plain,
                    citation: None,
                },
            );
            let md_name = format!("notes/{}", crate::formats::unique_name(&mut names, &md.name, id));
            put(&mut zip, &md_name, md.text.as_bytes(), true)?;
            files += 1;
            let sources = self.image_sources(id)?;
            let mut images = Vec::new();
            for (hash, mime) in &article.images {
                let file = format!("notes/assets/{hash}.{}", extension(mime));
                if images_written.insert(hash.clone()) {
                    let image = self.image(hash)?;
                    put(&mut zip, &file, &image.data, false)?;
                    files += 1;
                }
                let source = sources
                    .iter()
                    .find(|(s, h)| h == hash && quire_doc::address::is_web(s))
                    .map(|(s, _)| s.clone())
                    .unwrap_or_default();
                images.push(ArchivedImage { hash: hash.clone(), mime: mime.clone(), source, file });
            }
            let mut snapshots = Vec::new();
            for (n, (snapshot, fetched_at)) in media::snapshots_of(self.store().read(), id)?.into_iter().enumerate() {
                let file = format!("snapshots/{id}-{}.html", n + 1);
                put(&mut zip, &file, snapshot.html.as_bytes(), true)?;
                files += 1;
                snapshots.push(ArchivedSnapshot {
                    file,
                    url: snapshot.url.filter(|u| quire_doc::address::is_web(u)),
                    fetched_at,
                    content_type: snapshot.content_type,
                    encoding: snapshot.encoding,
                });
            }
            let annotations: serde_json::Value = serde_json::from_str(&quire_export::w3c::collection(
                std::slice::from_ref(&article),
                &view.summary.title,
            )?)
            .map_err(|source| Error::Serialize { what: "the annotations", source })?;
            let s = view.summary;
            let archived = ArchivedArticle {
                id,
                title: s.title,
                byline: s.byline,
                site_name: s.site_name,
                source_url: s.source_url.filter(|u| quire_doc::address::is_web(u)),
                canonical_url: view.canonical_url.filter(|u| quire_doc::address::is_web(u)),
                language: view.language,
                direction: view.direction,
                published_at: s.published_at,
                clipped_at: s.clipped_at,
                excerpt: view.excerpt,
                status: s.status,
                favorite: s.favorite,
                progress: view.progress,
                note: view.note,
                link_only: s.link_only,
                link_reason: view.link_reason,
                tags: s.tags,
                document: view.document,
                markdown: md_name,
                images,
                snapshots,
                annotations,
            };
            put(&mut zip, &format!("articles/{id}.json"), &to_json(&archived)?, true)?;
            files += 1;
        }
        let file = zip.finish().map_err(zip_err(tmp))?;
        file.sync_all().map_err(io)?;
        Ok((highlights, files))
    }

    /// Where each image an article shows was downloaded from, with its hash.
    fn image_sources(&self, id: i64) -> Result<Vec<(String, String)>> {
        Ok(media::article_images(self.store().read(), id)?.into_iter().collect())
    }
}

fn to_json<T: Serialize>(value: &T) -> Result<Vec<u8>> {
    serde_json::to_vec_pretty(value).map_err(|source| Error::Serialize { what: "the archive", source })
}

/// Whether `bytes` are a Quire archive (a zip holding the manifest).
pub(crate) fn is_archive(bytes: &[u8]) -> bool {
    bytes.starts_with(b"PK")
        && zip::ZipArchive::new(std::io::Cursor::new(bytes)).is_ok_and(|z| z.index_for_name(MANIFEST).is_some())
}

/// One archived article, ready for the import pipeline.
pub(crate) struct Restorable {
    pub(crate) item: Item,
    pub(crate) page: Option<gather::Gathered>,
    pub(crate) link_reason: String,
    /// Its original pages, with when each was fetched.
    pub(crate) snapshots: Vec<(Snapshot, String)>,
}

/// Reads an archive's articles; a bad article is skipped with where and why.
pub(crate) fn read(bytes: &[u8], path: &Path) -> Result<(Vec<Restorable>, Vec<quire_import::Skipped>)> {
    let bad = |why: String| Error::ImportFile {
        path: path.to_owned(),
        source: quire_import::Error::Malformed { at: MANIFEST.to_owned(), reason: why },
    };
    // Within the import limits (each entry, and all of them together), like any export file.
    let mut zip = quire_import::Zip::open(bytes, &quire_import::Limits::default()).map_err(|e| bad(e.to_string()))?;
    let mut read_entry = |name: &str| zip.read(name).map_err(|e| e.to_string());
    let manifest: Manifest =
        serde_json::from_slice(&read_entry(MANIFEST).map_err(bad)?).map_err(|e| bad(e.to_string()))?;
    if manifest.format != FORMAT || manifest.version > VERSION {
        return Err(bad(format!(
            "a {} archive of version {}: this Quire reads {FORMAT} up to version {VERSION}",
            manifest.format, manifest.version
        )));
    }
    let mut out = Vec::new();
    let mut skipped = Vec::new();
    for id in manifest.articles {
        let at = format!("articles/{id}.json");
        match restorable(&at, &mut read_entry) {
            Ok(r) => out.push(r),
            Err(reason) => skipped.push(quire_import::Skipped { at, reason }),
        }
    }
    Ok((out, skipped))
}

fn restorable(
    at: &str,
    read_entry: &mut dyn FnMut(&str) -> std::result::Result<Vec<u8>, String>,
) -> std::result::Result<Restorable, String> {
    let a: ArchivedArticle =
        serde_json::from_slice(&read_entry(at)?).map_err(|e| format!("not an archived article: {e}"))?;
    let annotations = quire_export::w3c::read(&a.annotations.to_string()).map_err(|e| e.to_string())?;
    let mut item = Item::at(at);
    item.title = Some(a.title.clone());
    item.url = a.source_url.clone();
    item.author = a.byline.clone();
    item.saved_at = time::OffsetDateTime::parse(&a.clipped_at, &time::format_description::well_known::Rfc3339).ok();
    item.state = Some(match a.status {
        crate::Status::Unread => ReadState::Unread,
        crate::Status::Read => ReadState::Read,
        crate::Status::Archived => ReadState::Archived,
    });
    item.favorite = a.favorite;
    item.progress = Some(a.progress);
    item.tags = a.tags.clone();
    if !a.note.is_empty() {
        item.notes = vec![a.note.clone()];
    }
    item.highlights = annotations
        .into_iter()
        .map(|n| ImportedHighlight {
            quote: n.exact,
            prefix: Some(n.prefix),
            suffix: Some(n.suffix),
            position: n.start.zip(n.end),
            unit: PositionUnit::Scalar,
            note: n.note,
            tags: n.tags,
            color: n.color,
            created_at: n
                .created
                .and_then(|c| time::OffsetDateTime::parse(&c, &time::format_description::well_known::Rfc3339).ok()),
            location: None,
        })
        .collect();
    // The archived text is the article's text (in `page`): nothing is extracted or fetched.
    item.content = Content::None;
    let mut snapshots = Vec::new();
    for s in &a.snapshots {
        let html = String::from_utf8(read_entry(&s.file)?).map_err(|_| format!("{} is not UTF-8 text", s.file))?;
        let snapshot = Snapshot {
            url: quire_doc::address::web(s.url.as_deref()).map(str::to_owned),
            content_type: s.content_type.clone(),
            encoding: s.encoding.clone(),
            html,
        };
        snapshots.push((snapshot, s.fetched_at.clone()));
    }
    let page = (!a.link_only).then(|| {
        let meta = Metadata {
            title: a.title.clone(),
            byline: a.byline.clone(),
            site_name: a.site_name.clone(),
            published: a.published_at.clone(),
            language: a.language.clone(),
            direction: a.direction.clone(),
            excerpt: a.excerpt.clone(),
            canonical_url: a.canonical_url.clone(),
        };
        gather::from_document(
            Extracted { meta, document: a.document.clone(), warnings: Vec::new() },
            a.source_url.clone(),
        )
    });
    let mut page = page;
    if let Some(page) = page.as_mut() {
        for image in &a.images {
            let data = read_entry(&image.file)?;
            page.images
                .push((image.source.clone(), StoredImage { hash: image.hash.clone(), mime: image.mime.clone(), data }));
        }
    }
    Ok(Restorable { item, page, link_reason: a.link_reason, snapshots })
}
