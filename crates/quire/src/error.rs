use std::path::PathBuf;

use quire_anchor::Occurrence;

/// Everything that can go wrong in the library. Messages are lower case, say what to do, and
/// never mean that the library was changed: every write is one transaction.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("article {0} not found (see `quire list`)")]
    ArticleNotFound(i64),
    #[error("highlight {0} not found (see `quire highlights`)")]
    HighlightNotFound(i64),
    #[error("saved search {0} not found")]
    SavedSearchNotFound(i64),
    #[error("tag \"{0}\" not found (see `quire tag list`)")]
    TagNotFound(String),
    #[error("tag \"{0}\" already exists: use `quire tag merge` to combine two tags")]
    TagExists(String),
    #[error("invalid tag name {0:?}: a tag needs at least one non-blank segment, e.g. \"NATO accession/Finland\"")]
    InvalidTag(String),
    #[error("quote not found in article {article}: copy the exact text from `quire show {article}`")]
    QuoteNotFound { article: i64 },
    #[error("the quote occurs {} times in article {article}; choose one with --occurrence K (or give --prefix/--suffix): {}", .occurrences.len(), format_occurrences(.occurrences))]
    AmbiguousQuote { article: i64, occurrences: Vec<Occurrence> },
    #[error("cannot highlight in article {article}: {problem}")]
    Anchor { article: i64, problem: quire_anchor::Error },
    #[error("invalid search query: {0}")]
    Query(String),
    #[error("invalid {what} {value:?}: expected one of {expected}")]
    InvalidValue { what: &'static str, value: String, expected: &'static str },
    #[error("nothing to import from {0}: it holds no text")]
    EmptyInput(String),
    #[error("nothing to import from {}: the folder holds no .html, .htm, .mhtml, .txt or .md files", .0.display())]
    EmptyFolder(PathBuf),
    #[error("cannot import {0}: only .txt, .md, .html, .htm and .mhtml files are supported")]
    UnsupportedFile(PathBuf),
    #[error("cannot clip {input:?}: {problem}")]
    Address { input: String, problem: quire_clip::AddressProblem },
    #[error("cannot fetch {url}: {message}")]
    Network { url: String, message: String },
    #[error("cannot fetch {url}: the server answered {status} {reason}")]
    HttpStatus { url: String, status: u16, reason: String },
    #[error("{url} is not an HTML page ({content_type}): Quire clips web pages; save the file and add it with `quire add` if it is text")]
    NotHtml { url: String, content_type: String },
    #[error("{url} is not an image ({content_type})")]
    NotImage { url: String, content_type: String },
    #[error("{url} is larger than the limit of {} MB", .limit / (1024 * 1024))]
    TooLarge { url: String, limit: u64 },
    #[error("article {0} has no original page to extract again (it was added as text); clip its address with --update instead")]
    NoSnapshot(i64),
    #[error("{0}")]
    Conflict(String),
    #[error("cannot export: {0}")]
    Export(#[from] quire_pdf::Error),
    #[error("nothing to export: give article ids or a tag that articles carry")]
    NothingToExport,
    #[error("stopped: {0}")]
    Cancelled(String),
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("the library {} was written by a newer Quire (schema {found}, this one knows {supported}): update Quire", .path.display())]
    LibraryTooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("cannot open the library {}: {source}", .path.display())]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("database error: {0}")]
    Database(#[from] rusqlite::Error),
    #[error("stored data is corrupt: {0}")]
    Corrupt(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

impl From<quire_doc::UnknownColor> for Error {
    fn from(e: quire_doc::UnknownColor) -> Self {
        Error::InvalidValue { what: "color", value: e.0, expected: "yellow green blue pink purple red" }
    }
}

impl Error {
    /// A stable, machine-readable name for the kind of error (used by the CLI's JSON output,
    /// its exit codes, and the desktop app's `{kind, message}` errors).
    pub fn kind(&self) -> &'static str {
        match self {
            Error::ArticleNotFound(_)
            | Error::HighlightNotFound(_)
            | Error::TagNotFound(_)
            | Error::SavedSearchNotFound(_) => "not_found",
            Error::QuoteNotFound { .. } => "quote_not_found",
            Error::AmbiguousQuote { .. } => "ambiguous_quote",
            Error::TagExists(_) | Error::Conflict(_) => "conflict",
            Error::InvalidTag(_) | Error::Anchor { .. } | Error::InvalidValue { .. } | Error::EmptyInput(_) => {
                "invalid_input"
            }
            Error::UnsupportedFile(_) => "unsupported",
            Error::EmptyFolder(_) => "invalid_input",
            Error::Query(_) => "invalid_query",
            Error::Io { .. } => "io",
            Error::Address { .. } => "invalid_input",
            Error::Network { .. } | Error::HttpStatus { .. } | Error::TooLarge { .. } => "network",
            Error::NotHtml { .. } | Error::NotImage { .. } => "unsupported",
            Error::Cancelled(_) => "cancelled",
            Error::NoSnapshot(_) | Error::NothingToExport => "invalid_input",
            Error::Export(_) => "export",
            Error::LibraryTooNew { .. } | Error::Open { .. } => "library",
            Error::Database(_) | Error::Corrupt(_) => "database",
        }
    }
}

fn format_occurrences(occurrences: &[Occurrence]) -> String {
    occurrences
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{}. at {}: {}", i + 1, o.start, o.context))
        .collect::<Vec<_>>()
        .join("; ")
}
