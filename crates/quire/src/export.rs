//! Annotated PDF export: gathers articles, their anchored highlights and stored images, hands
//! them to the pure `quire-pdf` exporter, and writes the file atomically.

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use quire_doc::BlockKind;
use serde::Serialize;

use crate::{AnchorKind, ArticleFilter, Error, Library, Result, IMAGE_SCHEME};

pub use quire_pdf::{Options as PdfOptions, Paper};

/// What to export, and where.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    /// Articles in this order…
    pub ids: Vec<i64>,
    /// …then every article with this tag or a sub-tag (newest first), without repeats.
    pub tag: Option<String>,
    pub path: PathBuf,
    pub options: PdfOptions,
}

/// What an export did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ExportReport {
    pub path: PathBuf,
    pub articles: usize,
    pub highlights: usize,
    pub pages: usize,
    pub bytes: usize,
    pub warnings: Vec<String>,
}

impl Library {
    /// Exports articles with their highlights to one PDF. The file is written next to its
    /// destination and renamed into place, so a failed export never leaves a broken PDF and
    /// never touches an existing file; the library is only read.
    pub fn export_pdf(&self, request: &ExportRequest) -> Result<ExportReport> {
        let mut ids = request.ids.clone();
        if let Some(tag) = &request.tag {
            let tagged = self.list_articles(&ArticleFilter { tag: Some(tag.clone()), ..ArticleFilter::default() })?;
            ids.extend(tagged.iter().map(|a| a.id).filter(|id| !request.ids.contains(id)));
        }
        if ids.is_empty() {
            return Err(Error::NothingToExport);
        }
        let author = std::env::var("USER").or_else(|_| std::env::var("USERNAME")).ok().filter(|u| !u.is_empty());
        let mut articles = Vec::with_capacity(ids.len());
        let mut images = HashMap::new();
        let mut warnings = Vec::new();
        for id in &ids {
            let view = self.article(*id)?;
            for block in &view.document.blocks {
                if let BlockKind::Image { src, .. } = &block.kind {
                    if let Some(hash) = src.strip_prefix(IMAGE_SCHEME) {
                        match self.image(hash) {
                            Ok(image) => {
                                images.insert(src.clone(), (image.mime, image.data));
                            }
                            Err(_) => warnings.push(format!("article {id}: image {hash} is missing from the library")),
                        }
                    }
                }
            }
            let orphans = view.highlights.iter().filter(|h| h.anchor == AnchorKind::Orphan).count();
            if orphans > 0 {
                warnings.push(format!(
                    "article {id}: {orphans} orphaned highlight(s) left out (see `quire highlights --orphans`)"
                ));
            }
            let highlights = view
                .highlights
                .iter()
                .filter(|h| h.anchor != AnchorKind::Orphan)
                .map(|h| quire_pdf::Highlight {
                    id: h.id,
                    start: h.position.start,
                    end: h.position.end,
                    color: quire_pdf::Color::from_name(h.color.as_str()).unwrap_or_default(),
                    note: h.note.clone(),
                    tags: h.tags.clone(),
                    created_at: h.created_at.clone(),
                    updated_at: h.updated_at.clone(),
                    author: author.clone(),
                })
                .collect();
            let s = view.summary;
            articles.push(quire_pdf::Article {
                title: s.title,
                byline: s.byline,
                site_name: s.site_name,
                url: view.canonical_url.or(s.source_url),
                published_at: s.published_at,
                clipped_at: Some(s.clipped_at),
                tags: s.tags,
                document: view.document,
                highlights,
            });
        }
        let highlights = articles.iter().map(|a| a.highlights.len()).sum();
        let input = quire_pdf::ExportInput {
            articles,
            options: request.options.clone(),
            images,
            fonts: quire_pdf::fonts::bundled(),
        };
        let out = quire_pdf::export(&input)?;
        write_atomically(&request.path, &out.pdf)?;
        warnings.extend(out.warnings);
        Ok(ExportReport {
            path: request.path.clone(),
            articles: ids.len(),
            highlights,
            pages: out.pages,
            bytes: out.pdf.len(),
            warnings,
        })
    }
}

/// Writes `bytes` to a temporary file beside `path`, syncs it, and renames it over `path`.
fn write_atomically(path: &Path, bytes: &[u8]) -> Result<()> {
    let io = |source| Error::Io { path: path.to_owned(), source };
    let dir = path.parent().filter(|d| !d.as_os_str().is_empty()).unwrap_or(Path::new("."));
    let name = path.file_name().ok_or_else(|| io(std::io::Error::other("the path names no file")))?;
    let tmp = dir.join(format!(".{}.{}.tmp", name.to_string_lossy(), std::process::id()));
    let result = std::fs::File::create(&tmp)
        .and_then(|mut f| f.write_all(bytes).and_then(|()| f.sync_all()))
        .and_then(|()| std::fs::rename(&tmp, path));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result.map_err(io)
}
