//! Articles and their highlights out to open formats, as values: the `quire` library gathers
//! an [`Article`] per article (metadata, the document model, highlights, which stored images
//! it has) and writes what these functions return. Nothing here reads or writes a file.
//!
//! - [`markdown`]: one Markdown file per article (YAML front matter, the text with highlights
//!   marked, a Highlights section), in a plain, Obsidian or Logseq [`MarkdownStyle`]; and a
//!   topic dossier (every quote on a topic, grouped by article, each with its citation).
//! - [`w3c`]: a W3C Web Annotation `AnnotationCollection` (JSON-LD), and reading one back.
//! - [`cite`]: CSL-JSON, BibTeX/BibLaTeX, and citations formatted by a CSL engine.
//! - [`table`]: one CSV row per highlight, with the columns Readwise imports.
//!
//! Every exported quote links back to itself in the app ([`highlight_link`]).
//!
//! This crate is pure: no I/O.

use quire_doc::{Color, Document};
use serde::Serialize;

pub mod cite;
pub mod markdown;
pub mod table;
pub mod w3c;

/// The scheme of links that open a highlight or an article in the desktop app.
pub const LINK_SCHEME: &str = "quire";

/// `quire://highlight/ID`: opens the quote in the app.
pub fn highlight_link(id: i64) -> String {
    format!("{LINK_SCHEME}://highlight/{id}")
}

/// `quire://article/ID`: opens the article in the app.
pub fn article_link(id: i64) -> String {
    format!("{LINK_SCHEME}://article/{id}")
}

/// An article as the exporters see it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Article {
    pub id: i64,
    pub title: String,
    /// The byline, as the page gave it ("Ana Example and Jon Doe").
    pub author: Option<String>,
    pub site: Option<String>,
    /// Where it was clipped from (the canonical address when known).
    pub url: Option<String>,
    /// As stored: usually RFC 3339, sometimes only a date.
    pub published: Option<String>,
    /// RFC 3339 UTC.
    pub clipped: String,
    /// `unread`, `read` or `archived`.
    pub status: String,
    pub favorite: bool,
    pub tags: Vec<String>,
    pub language: Option<String>,
    pub note: String,
    pub document: Document,
    /// In text order.
    pub highlights: Vec<Highlight>,
    /// The stored images the document points at (`quire-image:<hash>`): hash and MIME type.
    pub images: Vec<(String, String)>,
}

impl Article {
    /// Its address when it is an http(s) address, else `None`: every exporter writes the
    /// address through this, so nothing but a web address leaves as the article's source.
    pub fn web_address(&self) -> Option<&str> {
        quire_doc::address::web(self.url.as_deref().map(str::trim))
    }
}

/// A highlight as the exporters see it. Offsets are Unicode scalar values of the canonical
/// text (see `quire-doc`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Highlight {
    pub id: i64,
    pub exact: String,
    pub prefix: String,
    pub suffix: String,
    pub start: usize,
    pub end: usize,
    pub color: Color,
    pub note: String,
    pub tags: Vec<String>,
    /// RFC 3339 UTC.
    pub created: String,
    pub updated: String,
    /// Its quote is no longer in the article's text (it is listed, not marked).
    pub orphan: bool,
}

/// Why an export could not be made.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot write {what}: {source}")]
    Json { what: &'static str, source: serde_json::Error },
    #[error("cannot write the CSV: {0}")]
    Csv(#[from] csv::Error),
    #[error("not a W3C annotation collection: {0}")]
    NotAnnotations(String),
    #[error("unknown citation style \"{0}\": use apa, chicago, mla or harvard")]
    UnknownStyle(String),
}

pub type Result<T> = std::result::Result<T, Error>;
