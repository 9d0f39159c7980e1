//! Annotated PDF export: gathers articles, their anchored highlights and stored images, finds
//! system fonts for characters the bundled fonts lack, hands it all to the pure `quire-pdf`
//! exporter, and writes the file atomically.

use std::borrow::Cow;
use std::collections::{BTreeSet, HashMap};
use std::path::PathBuf;

use quire_doc::BlockKind;
use serde::Serialize;

use crate::{AnchorKind, Error, Library, Result, IMAGE_SCHEME};

use quire_pdf::FallbackFace;
pub use quire_pdf::{Margins, Options as PdfOptions, Paper};

/// What to export, and where.
#[derive(Debug, Clone, Default)]
pub struct ExportRequest {
    /// Articles in this order…
    pub ids: Vec<i64>,
    /// …then every article with this tag or a sub-tag (newest first)…
    pub tag: Option<String>,
    /// …then the articles this search finds among those `filter` picks…
    pub query: Option<String>,
    pub filter: crate::ArticleFilter,
    /// …then the whole library; without repeats (see [`Library::select`]).
    pub all: bool,
    pub path: PathBuf,
    pub options: PdfOptions,
}

/// What an export did.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct ExportReport {
    #[ts(type = "string")]
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
        quire_pdf::check_options(&request.options)?;
        crate::files::destination(&request.path)?;
        let ids = self.select(&crate::Selection {
            ids: request.ids.clone(),
            tag: request.tag.clone(),
            query: request.query.clone(),
            filter: request.filter.clone(),
            all: request.all,
        })?;
        if ids.is_empty() {
            return Err(Error::NothingToExport);
        }
        // A topic's dossier quotes what is on the topic: every highlight of an article that
        // carries the tag, only the tagged highlights of the others (articles asked for by id
        // keep all theirs).
        let topic = request.tag.as_deref().map(crate::tags::Topic::new).transpose()?;
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
                                // quire-pdf looks images up by hash, the part after the scheme.
                                images.insert(hash.to_owned(), (image.mime, image.data));
                            }
                            Err(_) => warnings.push(format!("article {id}: image {hash} is missing from the library")),
                        }
                    }
                }
            }
            let orphans = view.highlights.iter().filter(|h| h.anchor == AnchorKind::Orphan).count();
            if orphans > 0 {
                warnings.push(format!(
                    "article {id}: {orphans} orphaned highlight(s) left out (their quotes are no longer in the text)"
                ));
            }
            let only_on_topic = topic.as_ref().filter(|t| !request.ids.contains(id) && !t.among(&view.summary.tags));
            let highlights = view
                .highlights
                .iter()
                .filter(|h| h.anchor != AnchorKind::Orphan)
                .filter(|h| only_on_topic.is_none_or(|t| t.among(&h.tags)))
                .map(|h| quire_pdf::Highlight {
                    id: h.id,
                    start: h.position.start,
                    end: h.position.end,
                    color: h.color,
                    note: h.note.clone(),
                    tags: h.tags.clone(),
                    created_at: h.created_at.clone(),
                    updated_at: h.updated_at.clone(),
                    author: author.clone(),
                })
                .collect();
            // APA, the most common author-date style, until the export asks for another.
            let citation =
                quire_export::cite::format(&crate::formats::metadata_of(&view), quire_export::cite::CitationStyle::Apa)
                    .ok();
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
                citation,
            });
        }
        let highlights = articles.iter().map(|a| a.highlights.len()).sum();
        let fallback_data = fallback_faces(&articles)?;
        let mut fonts = quire_pdf::fonts::bundled();
        fonts.fallbacks = fallback_data.iter().map(|(data, index)| FallbackFace { data, index: *index }).collect();
        let mut options = request.options.clone();
        options.created_at = options.created_at.or_else(|| Some(crate::store::now()));
        let input = quire_pdf::ExportInput { articles, options, images, fonts };
        let out = quire_pdf::export(&input)?;
        crate::files::write_atomically(&request.path, &out.pdf)?;
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

/// Fallback faces (file bytes and face index) for the characters some bundled font lacks:
/// the bundled monospace font for those it has (arrows, geometric shapes), then faces of the
/// installed fonts, found with fontdb, for the rest. The system's fonts are looked at only
/// when there are characters left; those no installed font has are left to quire-pdf, which
/// draws a box and warns.
fn fallback_faces(articles: &[quire_pdf::Article]) -> Result<Vec<(Cow<'static, [u8]>, u32)>> {
    let bundled = quire_pdf::fonts::bundled();
    let mut lacking = bundled.lacking(exported_chars(articles))?;
    let mut faces = Vec::new();
    let in_mono = FallbackFace { data: bundled.mono, index: 0 }.covers(&lacking);
    if !in_mono.is_empty() {
        faces.push((Cow::Borrowed(bundled.mono), 0));
        lacking.retain(|c| !in_mono.contains(c));
    }
    if !lacking.is_empty() {
        let mut db = fontdb::Database::new();
        db.load_system_fonts();
        faces.extend(choose_faces(&db, lacking).into_iter().map(|(data, index)| (Cow::Owned(data), index)));
    }
    Ok(faces)
}

/// Every character the PDF may show: titles, metadata, text, image descriptions, notes, tags.
fn exported_chars(articles: &[quire_pdf::Article]) -> BTreeSet<char> {
    let mut chars = BTreeSet::new();
    for a in articles {
        let fields = [Some(&a.title), a.byline.as_ref(), a.site_name.as_ref(), a.url.as_ref(), a.published_at.as_ref()];
        let texts = fields.into_iter().flatten().map(String::as_str).chain(a.tags.iter().map(String::as_str));
        chars.extend(texts.flat_map(str::chars));
        for block in &a.document.blocks {
            chars.extend(block.spans.iter().flat_map(|s| s.text.chars()));
            if let BlockKind::Image { alt, .. } = &block.kind {
                chars.extend(alt.chars());
            }
        }
        for h in &a.highlights {
            chars.extend(h.note.chars().chain(h.tags.iter().flat_map(|t| t.chars())));
        }
    }
    chars
}

/// Picks installed faces for the wanted characters, greedily: the face that has the most of
/// those still wanted, among upright regular faces first, ties going to the most fitting
/// (proportional, Noto before others, general before specialised), until none is left or no
/// face has any of them.
fn choose_faces(db: &fontdb::Database, wanted: Vec<char>) -> Vec<(Vec<u8>, u32)> {
    let mut candidates: Vec<(&fontdb::FaceInfo, Vec<char>)> = db
        .faces()
        .filter_map(|f| {
            let covered = db.with_face_data(f.id, |data, index| FallbackFace { data, index }.covers(&wanted))?;
            (!covered.is_empty()).then_some((f, covered))
        })
        .collect();
    candidates.sort_by_cached_key(|(f, _)| preference(f));
    let mut wanted: BTreeSet<char> = wanted.into_iter().collect();
    let mut chosen = Vec::new();
    for regular in [true, false] {
        loop {
            let best = candidates
                .iter()
                .enumerate()
                .filter(|(_, (f, _))| is_regular(f) == regular)
                .map(|(i, (_, covered))| (i, covered.iter().filter(|c| wanted.contains(c)).count()))
                .filter(|(_, n)| *n > 0)
                .max_by_key(|(i, n)| (*n, std::cmp::Reverse(*i)));
            let Some((i, _)) = best else { break };
            let (face, covered) = candidates.remove(i);
            for c in &covered {
                wanted.remove(c);
            }
            if let Some(data) = db.with_face_data(face.id, |data, index| (data.to_vec(), index)) {
                chosen.push(data);
            }
        }
    }
    chosen
}

fn is_regular(f: &fontdb::FaceInfo) -> bool {
    f.style == fontdb::Style::Normal && f.weight.0.abs_diff(400) <= 100 && f.stretch == fontdb::Stretch::Normal
}

/// Sort key of a face as a fallback: smaller is better.
fn preference(f: &fontdb::FaceInfo) -> (bool, u16, bool, usize, usize, String, u32) {
    let family = f.families.first().map(|(name, _)| name.as_str()).unwrap_or_default();
    let rank =
        ["Noto Sans", "Noto Serif", "Noto", "DejaVu Sans"].iter().position(|p| family.starts_with(p)).unwrap_or(4);
    (
        f.style != fontdb::Style::Normal,
        f.weight.0.abs_diff(400),
        f.monospaced,
        rank,
        family.len(),
        family.to_owned(),
        f.index,
    )
}
