//! Exports to open formats (Markdown for Obsidian and Logseq, W3C Web Annotations, CSL-JSON,
//! BibTeX, CSV) and formatted citations: the library picks the articles (ids, a tag with its
//! sub-tags, a search, or everything), gathers each as a `quire_export::Article`, hands them
//! to the pure exporters and writes what they return, atomically and only over regular files.

use std::collections::{BTreeMap, HashSet};
use std::path::{Path, PathBuf};

use quire_doc::BlockKind;
use quire_export::cite::CitationStyle;
use quire_export::markdown::{DossierEntry, MarkdownOptions, MarkdownStyle};
use serde::Serialize;

use crate::{files, AnchorKind, ArticleFilter, ArticleView, Error, Library, Result, SearchRequest, IMAGE_SCHEME};

/// The open formats Quire writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "lowercase")]
pub enum OpenFormat {
    /// A folder of Markdown files (and `assets/`).
    Md,
    /// A W3C Web Annotation collection (JSON-LD).
    W3c,
    /// CSL-JSON, for Zotero, pandoc and every CSL processor.
    Csl,
    /// BibLaTeX.
    Bibtex,
    /// One row per highlight, with the columns Readwise imports.
    Csv,
    /// A portable archive (zip) that rebuilds the articles: see `archive.rs`.
    Archive,
}

impl std::str::FromStr for OpenFormat {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        match s.trim().to_ascii_lowercase().as_str() {
            "md" | "markdown" => Ok(OpenFormat::Md),
            "w3c" | "jsonld" | "json-ld" => Ok(OpenFormat::W3c),
            "csl" | "csl-json" | "csljson" => Ok(OpenFormat::Csl),
            "bibtex" | "biblatex" | "bib" => Ok(OpenFormat::Bibtex),
            "csv" => Ok(OpenFormat::Csv),
            "archive" | "zip" => Ok(OpenFormat::Archive),
            _ => Err(Error::InvalidValue {
                what: "export format",
                value: s.to_owned(),
                expected: "pdf md w3c csl bibtex csv archive",
            }),
        }
    }
}

/// Which articles to export; several parts add up, without repeats, in this order.
#[derive(Debug, Clone, Default)]
pub struct Selection {
    pub ids: Vec<i64>,
    /// Every article with this tag or a sub-tag (on the article or a highlight), newest first.
    pub tag: Option<String>,
    /// The articles a search finds, best first…
    pub query: Option<String>,
    /// …among those this filter picks (tag, status, favorites), as the search screen shows.
    pub filter: ArticleFilter,
    /// The whole library, newest first.
    pub all: bool,
}

/// An export to an open format.
#[derive(Debug, Clone)]
pub struct FormatRequest {
    pub format: OpenFormat,
    pub selection: Selection,
    /// A file, or for Markdown a folder (created if missing).
    pub path: PathBuf,
    /// For Markdown.
    pub style: MarkdownStyle,
    /// The citation style of the Markdown export's citations.
    pub citation: CitationStyle,
}

/// What an export to an open format wrote.
#[derive(Debug, Clone, PartialEq, Serialize, ts_rs::TS)]
pub struct FormatReport {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub articles: usize,
    pub highlights: usize,
    /// The files written (for Markdown: the notes, the dossier and the images).
    pub files: usize,
}

impl Library {
    /// The ids a selection picks, in order, without repeats.
    pub fn select(&self, selection: &Selection) -> Result<Vec<i64>> {
        let mut ids = Vec::new();
        let mut seen = HashSet::new();
        let mut push = |id: i64, ids: &mut Vec<i64>| {
            if seen.insert(id) {
                ids.push(id);
            }
        };
        for &id in &selection.ids {
            push(id, &mut ids);
        }
        if let Some(tag) = &selection.tag {
            for a in self.list_articles(&ArticleFilter { tag: Some(tag.clone()), ..ArticleFilter::default() })? {
                push(a.id, &mut ids);
            }
        }
        if let Some(query) = &selection.query {
            // Every hit: the screen's page size does not limit an export.
            let filter = ArticleFilter { limit: Some(i64::MAX as usize), offset: None, ..selection.filter.clone() };
            let request = SearchRequest { text: query.clone(), filter, as_you_type: false };
            for hit in self.search_with(&request)? {
                push(hit.article.id, &mut ids);
            }
        }
        if selection.all {
            for a in self.list_articles(&ArticleFilter::default())? {
                push(a.id, &mut ids);
            }
        }
        Ok(ids)
    }

    /// An article as the open-format exporters take it.
    pub(crate) fn export_article(&self, id: i64) -> Result<quire_export::Article> {
        Ok(self.export_view(self.article(id)?))
    }

    /// An article already read, as the open-format exporters take it.
    pub(crate) fn export_view(&self, view: ArticleView) -> quire_export::Article {
        let mut images = Vec::new();
        for block in &view.document.blocks {
            if let BlockKind::Image { src, .. } = &block.kind {
                if let Some(hash) = src.strip_prefix(IMAGE_SCHEME) {
                    if let Ok(image) = self.image(hash) {
                        images.push((hash.to_owned(), image.mime));
                    }
                }
            }
        }
        let mut article = metadata_of(&view);
        article.note = view.note;
        article.document = view.document;
        article.images = images;
        article.highlights = view
            .highlights
            .into_iter()
            .map(|h| quire_export::Highlight {
                id: h.id,
                exact: h.quote.exact,
                prefix: h.quote.prefix,
                suffix: h.quote.suffix,
                start: h.position.start,
                end: h.position.end,
                color: h.color,
                note: h.note,
                tags: h.tags,
                created: h.created_at,
                updated: h.updated_at,
                orphan: h.anchor == AnchorKind::Orphan,
            })
            .collect();
        article
    }

    /// Exports the selected articles to an open format.
    pub fn export_to(&self, request: &FormatRequest) -> Result<FormatReport> {
        if request.format == OpenFormat::Archive {
            return self.export_archive(&request.selection, &request.path);
        }
        let ids = self.select(&request.selection)?;
        if ids.is_empty() {
            return Err(Error::NothingToExport);
        }
        let articles = ids.iter().map(|&id| self.export_article(id)).collect::<Result<Vec<_>>>()?;
        let highlights = articles.iter().map(|a| a.highlights.len()).sum();
        let single = |text: String| -> Result<usize> {
            files::write_atomically(&request.path, text.as_bytes())?;
            Ok(1)
        };
        let files = match request.format {
            OpenFormat::W3c => single(quire_export::w3c::collection(&articles, "Quire highlights")?)?,
            OpenFormat::Csl => single(quire_export::cite::csl_json(&articles)?)?,
            OpenFormat::Bibtex => single(quire_export::cite::bibtex(&articles))?,
            OpenFormat::Csv => single(quire_export::table::highlights_csv(&articles)?)?,
            OpenFormat::Md => self.write_markdown(&articles, request)?,
            // (Returned above, before the articles were gathered.)
            OpenFormat::Archive => return self.export_archive(&request.selection, &request.path),
        };
        Ok(FormatReport { path: request.path.clone(), articles: articles.len(), highlights, files })
    }

    /// One note per article (same name every time: exporting again updates them), their images
    /// under `assets/`, and for a tag the topic's dossier.
    fn write_markdown(&self, articles: &[quire_export::Article], request: &FormatRequest) -> Result<usize> {
        let folder = &request.path;
        if folder.exists() && !folder.is_dir() {
            return Err(Error::NotARegularFile { path: folder.clone(), what: "a file, not a folder" });
        }
        std::fs::create_dir_all(folder).map_err(|source| Error::Io { path: folder.clone(), source })?;
        let mut written = 0;
        let mut names: BTreeMap<String, i64> = BTreeMap::new();
        let mut citations = Vec::with_capacity(articles.len());
        let mut stems = Vec::with_capacity(articles.len());
        let mut assets = BTreeMap::new();
        for article in articles {
            let citation = quire_export::cite::format(article, request.citation).ok();
            let options = MarkdownOptions { style: request.style, citation: citation.clone() };
            let file = quire_export::markdown::article(article, &options);
            let name = unique_name(&mut names, &file.name, article.id);
            files::write_atomically(&folder.join(&name), file.text.as_bytes())?;
            stems.push(name.strip_suffix(".md").unwrap_or(&name).to_owned());
            written += 1;
            for asset in file.assets {
                assets.insert(asset.path, asset.hash);
            }
            citations.push(citation.unwrap_or_default());
        }
        for (path, hash) in assets {
            let target = folder.join(&path);
            if let Some(dir) = target.parent() {
                std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
            }
            let image = self.image(&hash)?;
            files::write_atomically(&target, &image.data)?;
            written += 1;
        }
        if let Some(tag) = &request.selection.tag {
            let topic = crate::tags::Topic::new(tag)?;
            let on_topic = |tags: &[String]| topic.among(tags);
            let entries: Vec<DossierEntry<'_>> = articles
                .iter()
                .zip(citations.iter().zip(&stems))
                .filter_map(|(article, (citation, stem))| {
                    let article_on_topic = on_topic(&article.tags);
                    let highlights: Vec<_> =
                        article.highlights.iter().filter(|h| article_on_topic || on_topic(&h.tags)).collect();
                    (!highlights.is_empty()).then(|| DossierEntry {
                        article,
                        highlights,
                        citation: citation.clone(),
                        note_stem: stem.clone(),
                    })
                })
                .collect();
            let dossier = quire_export::markdown::dossier(tag, &entries, request.style);
            let name = unique_name(&mut names, &dossier.name, 0);
            files::write_atomically(&folder.join(name), dossier.text.as_bytes())?;
            written += 1;
        }
        Ok(written)
    }

    /// A quote (a highlight's, or else the article's title) with its source's citation, ready
    /// to paste.
    pub fn cite(&self, article: i64, highlight: Option<i64>, style: CitationStyle) -> Result<String> {
        let a = self.export_article(article)?;
        match highlight {
            Some(h) => {
                let found = a.highlights.iter().find(|x| x.id == h).ok_or(Error::HighlightNotFound(h))?;
                Ok(quire_export::cite::quote_with_citation(&found.exact, &a, style)?)
            }
            None => Ok(quire_export::cite::format(&a, style)?),
        }
    }
}

/// `name`, or when another article already took it, `name` with the article's id before the
/// extension: stable between exports of the same selection.
pub(crate) fn unique_name(names: &mut BTreeMap<String, i64>, name: &str, id: i64) -> String {
    if let std::collections::btree_map::Entry::Vacant(free) = names.entry(name.to_lowercase()) {
        free.insert(id);
        return name.to_owned();
    }
    let path = Path::new(name);
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    let ext = path.extension().map(|e| format!(".{}", e.to_string_lossy())).unwrap_or_default();
    let unique = format!("{stem} ({id}){ext}");
    names.insert(unique.to_lowercase(), id);
    unique
}

/// An article's metadata as the exporters take it (no text, highlights or images): enough for
/// its citation.
pub(crate) fn metadata_of(view: &ArticleView) -> quire_export::Article {
    let s = &view.summary;
    quire_export::Article {
        id: s.id,
        title: s.title.clone(),
        author: s.byline.clone(),
        site: s.site_name.clone(),
        url: view.canonical_url.clone().or_else(|| s.source_url.clone()),
        published: s.published_at.clone(),
        clipped: s.clipped_at.clone(),
        status: s.status.as_str().to_owned(),
        favorite: s.favorite,
        tags: s.tags.clone(),
        language: view.language.clone(),
        note: String::new(),
        document: quire_doc::Document::default(),
        highlights: Vec::new(),
        images: Vec::new(),
    }
}
