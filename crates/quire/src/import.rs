//! Adding articles: reading files and stdin, extraction, duplicate detection.

use std::path::Path;

use quire_clip::{Extracted, HtmlOptions};
use rusqlite::{params, OptionalExtension};
use sha2::{Digest, Sha256};

use crate::{now, reindex_article, AddOutcome, Error, Library, Result};

/// Where an article comes from, for its metadata and for messages.
#[derive(Debug, Clone, Default)]
pub struct Source {
    /// A name for messages: a file path or "stdin".
    pub name: String,
    /// The page's address, when known.
    pub url: Option<String>,
}

/// Options for adding articles.
#[derive(Debug, Clone, Default)]
pub struct AddOptions {
    /// The page's address, used to resolve relative links and as the source URL.
    pub url: Option<String>,
    /// Tags to put on the new article.
    pub tags: Vec<String>,
}

/// What kind of content an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Format {
    Html,
    Text,
}

impl Library {
    /// Adds a `.txt`/`.md` (plain text) or `.html`/`.htm` file.
    pub fn add_file(&mut self, path: &Path, options: &AddOptions) -> Result<AddOutcome> {
        let ext = path.extension().and_then(|e| e.to_str()).map(str::to_ascii_lowercase);
        let format = match ext.as_deref() {
            Some("html" | "htm" | "xhtml") => Format::Html,
            Some("txt" | "text" | "md" | "markdown") => Format::Text,
            _ => return Err(Error::UnsupportedFile(path.to_owned())),
        };
        let bytes = std::fs::read(path).map_err(|source| Error::Io { path: path.to_owned(), source })?;
        let source = Source { name: path.display().to_string(), url: options.url.clone() };
        self.add_bytes_as(&bytes, format, &source, options)
    }

    /// Adds content read from stdin or the clipboard: HTML when it looks like HTML, else text.
    pub fn add_bytes(&mut self, bytes: &[u8], options: &AddOptions) -> Result<AddOutcome> {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).trim_start().to_ascii_lowercase();
        let looks_html = ["<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p "]
            .iter()
            .any(|t| head.starts_with(t));
        let format = if looks_html { Format::Html } else { Format::Text };
        let source = Source { name: "stdin".to_owned(), url: options.url.clone() };
        self.add_bytes_as(bytes, format, &source, options)
    }

    fn add_bytes_as(
        &mut self,
        bytes: &[u8],
        format: Format,
        source: &Source,
        options: &AddOptions,
    ) -> Result<AddOutcome> {
        let text = decode(bytes);
        let extracted = match format {
            Format::Html => quire_clip::from_html(&text, &HtmlOptions { url: source.url.as_deref() }),
            Format::Text => quire_clip::from_text(&text),
        };
        self.add_extracted(extracted, source, options)
    }

    /// Stores an extracted article, or returns the existing one with the same content or
    /// canonical URL.
    pub fn add_extracted(&mut self, extracted: Extracted, source: &Source, options: &AddOptions) -> Result<AddOutcome> {
        if extracted.is_empty() {
            return Err(Error::EmptyInput(source.name.clone()));
        }
        let Extracted { meta, document, warnings } = extracted;
        let canonical_text = document.canonical_text();
        let hash = hex::encode(Sha256::digest(canonical_text.as_bytes()));
        let canonical_url = meta.canonical_url.clone().or_else(|| source.url.clone());
        let tx = self.conn.transaction()?;
        let existing: Option<(i64, String)> = tx
            .query_row(
                "SELECT id, title FROM articles WHERE content_hash = ?1 OR (?2 IS NOT NULL AND canonical_url = ?2) ORDER BY id LIMIT 1",
                params![hash, canonical_url],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .optional()?;
        if let Some((id, title)) = existing {
            return Ok(AddOutcome { id, title, created: false, warnings });
        }
        let document_json = serde_json::to_string(&document).map_err(|e| Error::Corrupt(e.to_string()))?;
        let now = now();
        tx.execute(
            "INSERT INTO articles (title, byline, site_name, source_url, canonical_url, language, direction, published_at,
                                   clipped_at, updated_at, excerpt, document, canonical_text, text_version, content_hash, word_count)
             VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            params![
                meta.title,
                meta.byline,
                meta.site_name,
                source.url,
                canonical_url,
                meta.language,
                meta.direction,
                meta.published,
                now,
                now,
                meta.excerpt,
                document_json,
                canonical_text,
                quire_doc::CANONICAL_TEXT_VERSION,
                hash,
                document.word_count() as i64
            ],
        )?;
        let id = tx.last_insert_rowid();
        crate::tags::add_article_tags(&tx, id, &options.tags)?;
        reindex_article(&tx, id)?;
        tx.commit()?;
        Ok(AddOutcome { id, title: meta.title, created: true, warnings })
    }
}

/// Decodes bytes as UTF-8 (dropping a BOM); invalid sequences become U+FFFD rather than failing.
fn decode(bytes: &[u8]) -> String {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    String::from_utf8_lossy(bytes).into_owned()
}
