//! The library's one error type. Messages are lower case, say what went wrong and what to do
//! in words that fit every shell (they name no command, flag or button: the CLI and the app
//! add their own hints), and never mean that the library was changed: every write is one
//! transaction. [`Error::kind`] is the typed kind that shells map to exit codes and UI states.

use std::fmt;
use std::path::PathBuf;

use quire_anchor::Occurrence;

/// Where an input came from, for messages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Origin {
    File(PathBuf),
    Web(String),
    Stdin,
    Pasted,
    /// An article's own stored page (re-extraction).
    Article(i64),
}

impl fmt::Display for Origin {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Origin::File(path) => write!(f, "{}", path.display()),
            Origin::Web(url) => f.write_str(url),
            Origin::Stdin => f.write_str("stdin"),
            Origin::Pasted => f.write_str("the pasted text"),
            Origin::Article(id) => write!(f, "the stored page of article {id}"),
        }
    }
}

/// Everything that can go wrong in the library.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("article {0} not found")]
    ArticleNotFound(i64),
    #[error("highlight {0} not found")]
    HighlightNotFound(i64),
    #[error("saved search {0} not found")]
    SavedSearchNotFound(i64),
    #[error("image {0} is not in the library")]
    ImageNotFound(String),
    #[error("tag \"{0}\" not found")]
    TagNotFound(String),
    #[error("tag \"{tag}\" not found on article {article}")]
    TagNotOnArticle { tag: String, article: i64 },
    #[error("tag \"{0}\" already exists: merge the two tags instead")]
    TagExists(String),
    #[error("invalid tag name {0:?}: a tag needs at least one non-blank segment, e.g. \"NATO accession/Finland\"")]
    InvalidTag(String),
    /// An input over one of the library's limits, or without the text it needs.
    #[error("{0}")]
    Refused(Refusal),
    #[error("invalid tag name \"{under}\": a tag cannot move under itself (\"{tag}\")")]
    TagUnderItself { tag: String, under: String },
    #[error("quote not found in article {article}: copy the exact text from the article")]
    QuoteNotFound { article: i64 },
    #[error("the quote occurs {} times in article {article}; choose one occurrence or give the words just before or after it: {}", .occurrences.len(), describe_occurrences(.occurrences))]
    AmbiguousQuote { article: i64, occurrences: Vec<Occurrence> },
    #[error("cannot highlight in article {article}: {problem}")]
    Anchor { article: i64, problem: quire_anchor::Error },
    #[error("invalid search query: {0}")]
    Query(String),
    #[error("invalid {what} {value:?}: expected one of {expected}")]
    InvalidValue { what: &'static str, value: String, expected: &'static str },
    #[error("nothing to import from {0}: it holds no text")]
    EmptyInput(Origin),
    #[error("nothing to import from {}: the folder holds no .html, .htm, .mhtml, .txt or .md files", .0.display())]
    EmptyFolder(PathBuf),
    #[error("cannot import {0}: it is not text (a binary file, e.g. a program or an image); Quire reads web pages and text files")]
    NotText(Origin),
    #[error("cannot import {origin}: it is larger than the limit of {} MB for one article; split it into smaller files", .limit / (1024 * 1024))]
    InputTooLarge { origin: Origin, limit: u64 },
    #[error("{} is a folder: import it as a folder to add the files in it", .0.display())]
    IsFolder(PathBuf),
    #[error("cannot import {0}: only .txt, .md, .html, .htm and .mhtml files are supported")]
    UnsupportedFile(PathBuf),
    #[error("nothing to import from {} (not a web archive with an HTML page)", .0.display())]
    NotWebArchive(PathBuf),
    #[error("cannot import {}: {source}", .path.display())]
    ImportFile { path: PathBuf, source: quire_import::Error },
    #[error("article {0} has no web address to fetch")]
    NoAddress(i64),
    #[error("article {0} already has its page: to update it, clip its address again")]
    NotLinkOnly(i64),
    #[error("cannot clip {input:?}: {problem}")]
    Address { input: String, problem: quire_clip::AddressProblem },
    #[error("cannot fetch {url}: {message}")]
    Network { url: String, message: String },
    #[error("{}", private_address(.url, .host, *.redirect))]
    PrivateAddress { url: String, host: String, redirect: bool },
    #[error("cannot start the network worker: {0}")]
    NetworkRuntime(std::io::Error),
    #[error("cannot set up HTTP: {0}")]
    HttpClient(reqwest::Error),
    #[error("cannot fetch {url}: the server answered {status} {reason}")]
    HttpStatus { url: String, status: u16, reason: String },
    #[error(
        "{url} is not an HTML page ({content_type}): Quire clips web pages; if it is text, save it and import the file"
    )]
    NotHtml { url: String, content_type: String },
    #[error("{url} is not an image ({content_type})")]
    NotImage { url: String, content_type: String },
    #[error("{url} is larger than the limit of {} MB", .limit / (1024 * 1024))]
    TooLarge { url: String, limit: u64 },
    #[error(
        "article {0} has no original page to extract again (it was added as text); clip its address again to update it"
    )]
    NoSnapshot(i64),
    #[error("the new text of article {article} is the text of article {twin}")]
    SameTextAs { article: i64, twin: i64 },
    #[error("cannot export: {0}")]
    Export(#[from] quire_pdf::Error),
    #[error("cannot export: {0}")]
    Format(#[from] quire_export::Error),
    #[error("nothing to export: choose articles, or a tag that articles carry")]
    NothingToExport,
    #[error("stopped: everything done before is kept")]
    Cancelled,
    #[error("{}: {source}", .path.display())]
    Io { path: PathBuf, source: std::io::Error },
    #[error("will not write over {}: it is {what}, not a file; choose a file name", .path.display())]
    NotARegularFile { path: PathBuf, what: &'static str },
    #[error("{} is not a Quire library to restore: {why}", .path.display())]
    NotALibrary { path: PathBuf, why: String },
    #[error(
        "the search index is being written by another Quire (the app, or another command): try again when it is done"
    )]
    IndexBusy,
    /// The search index beside the library could not be read or written.
    #[error("the search index {} could not be used: {why}", path.display())]
    Index { path: PathBuf, why: String },
    /// The search index is being built (after a restore, or when it was missing or damaged)
    /// and the library is too large to search without it meanwhile.
    #[error("{}", index_building(progress))]
    IndexBuilding { progress: Option<crate::IndexProgress> },
    #[error("the library {} was written by a newer Quire (schema {found}, this one knows {supported}): update Quire", .path.display())]
    LibraryTooNew { path: PathBuf, found: i64, supported: i64 },
    #[error("the library {} is read-only here (its file or its folder cannot be written): it can be read but not changed", .path.display())]
    ReadOnly { path: PathBuf },
    #[error("no library at {}: its folder {} does not exist", .path.display(), .folder.display())]
    NoLibraryFolder { path: PathBuf, folder: PathBuf },
    #[error("cannot open the library {}: {source}", .path.display())]
    Open { path: PathBuf, source: rusqlite::Error },
    #[error("could not switch {} to WAL mode (got {mode})", .path.display())]
    NotWal { path: PathBuf, mode: String },
    #[error("database error: {0}")]
    Database(rusqlite::Error),
    #[error("stored data is corrupt: the document of article {article}: {source}")]
    CorruptDocument { article: i64, source: crate::BodyError },
    #[error("cannot store an article's body: {source}")]
    EncodeBody { source: crate::BodyError },
    #[error("stored data is corrupt: the snapshot of article {article}: {source}")]
    CorruptSnapshot { article: i64, source: std::io::Error },
    #[error("stored data is corrupt: {what} {word:?} is not a value Quire knows")]
    CorruptValue { what: &'static str, word: String },
    #[error("cannot write {what}: {source}")]
    Serialize { what: &'static str, source: serde_json::Error },
    #[error("token {0} not found")]
    TokenNotFound(i64),
    #[error("the pairing code is wrong or has expired: ask for a new code")]
    PairingRefused,
    #[error("no article in the library has the address {0}: send the page with it")]
    NotInLibrary(String),
    #[error("cannot draw random numbers from the system: {0}")]
    Randomness(String),
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Why an input was refused: each limit is a constant of the module that keeps it
/// ([`MAX_TAG_CHARS`](crate::MAX_TAG_CHARS), [`MAX_TAG_LEVELS`](crate::MAX_TAG_LEVELS),
/// [`MAX_TAGS`](crate::MAX_TAGS), [`MAX_QUOTE_CHARS`](crate::MAX_QUOTE_CHARS),
/// [`MAX_NOTE_CHARS`](crate::MAX_NOTE_CHARS)).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Refusal {
    /// A tag name longer than `MAX_TAG_CHARS` (the start of it).
    TagTooLong(String),
    /// A tag with more levels than `MAX_TAG_LEVELS` (the start of it).
    TagTooDeep(String),
    /// More distinct tags than `MAX_TAGS` given at once.
    TooManyTags(usize),
    /// A highlight's quote of this many characters.
    QuoteTooLong(usize),
    /// A note of this many characters.
    NoteTooLong(usize),
    /// A selection with nothing but whitespace, invisible or control characters.
    EmptySelection,
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use crate::{MAX_NOTE_CHARS, MAX_QUOTE_CHARS, MAX_TAGS, MAX_TAG_CHARS, MAX_TAG_LEVELS};
        match self {
            Refusal::TagTooLong(start) => {
                write!(f, "the tag name \"{start}…\" is too long: a tag name has at most {MAX_TAG_CHARS} characters")
            }
            Refusal::TagTooDeep(start) => {
                write!(f, "the tag \"{start}\" has too many levels: a tag has at most {MAX_TAG_LEVELS}")
            }
            Refusal::TooManyTags(n) => {
                write!(f, "too many tags ({n}): at most {MAX_TAGS} can be given at once")
            }
            Refusal::QuoteTooLong(n) => write!(
                f,
                "the quote is too long ({n} characters): a highlight's quote has at most {MAX_QUOTE_CHARS} characters"
            ),
            Refusal::NoteTooLong(n) => {
                write!(f, "the note is too long ({n} characters): a note has at most {MAX_NOTE_CHARS} characters")
            }
            Refusal::EmptySelection => f.write_str("the selection holds no text"),
        }
    }
}

/// What kind of error it is: shells map it to exit codes and UI states; `--json` and the app
/// see it as a snake_case word.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    /// An article, highlight, tag, saved search or image that does not exist.
    NotFound,
    QuoteNotFound,
    AmbiguousQuote,
    /// The change clashes with what the library holds.
    Conflict,
    InvalidInput,
    InvalidQuery,
    /// A file or page of a kind Quire does not read.
    Unsupported,
    /// A file could not be read or written.
    Io,
    Network,
    Cancelled,
    Export,
    /// The library file cannot be opened or is too new.
    Library,
    /// SQLite failed or stored data is corrupt.
    Database,
    /// Work that must finish first is under way (the search index is being built): the same
    /// request succeeds a little later.
    Busy,
}

fn index_building(progress: &Option<crate::IndexProgress>) -> String {
    match progress {
        Some(p) if p.total > 0 => format!(
            "the search index is being built ({} of {} articles, {} %): search again in a moment",
            p.done,
            p.total,
            p.done * 100 / p.total
        ),
        _ => "the search index is being built: search again in a moment".to_owned(),
    }
}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        match e {
            rusqlite::Error::FromSqlConversionFailure(index, ty, source) => {
                match source.downcast::<crate::store::BadWord>() {
                    Ok(bad) => Error::CorruptValue { what: bad.what, word: bad.word },
                    Err(source) => Error::Database(rusqlite::Error::FromSqlConversionFailure(index, ty, source)),
                }
            }
            e => Error::Database(e),
        }
    }
}

impl From<quire_doc::UnknownColor> for Error {
    fn from(e: quire_doc::UnknownColor) -> Self {
        Error::InvalidValue { what: "color", value: e.0, expected: "yellow green blue pink purple red" }
    }
}

impl Error {
    /// The kind of error, for machines.
    pub fn kind(&self) -> ErrorKind {
        use ErrorKind as K;
        match self {
            Error::ArticleNotFound(_)
            | Error::HighlightNotFound(_)
            | Error::SavedSearchNotFound(_)
            | Error::ImageNotFound(_)
            | Error::TagNotFound(_)
            | Error::TagNotOnArticle { .. }
            | Error::TokenNotFound(_)
            | Error::NotInLibrary(_) => K::NotFound,
            Error::QuoteNotFound { .. } => K::QuoteNotFound,
            Error::AmbiguousQuote { .. } => K::AmbiguousQuote,
            Error::TagExists(_) | Error::SameTextAs { .. } => K::Conflict,
            Error::InvalidTag(_)
            | Error::Refused(_)
            | Error::TagUnderItself { .. }
            | Error::Anchor { .. }
            | Error::InvalidValue { .. }
            | Error::EmptyInput(_)
            | Error::EmptyFolder(_)
            | Error::InputTooLarge { .. }
            | Error::IsFolder(_)
            | Error::NotWebArchive(_)
            | Error::Address { .. }
            | Error::NoSnapshot(_)
            | Error::NoAddress(_)
            | Error::NotLinkOnly(_)
            | Error::PairingRefused
            | Error::NothingToExport => K::InvalidInput,
            Error::ImportFile { source, .. } => match source.kind() {
                quire_import::ErrorKind::UnknownFormat => K::InvalidInput,
                quire_import::ErrorKind::Unrecognized => K::Unsupported,
                quire_import::ErrorKind::BadArchive | quire_import::ErrorKind::Malformed => K::InvalidInput,
            },
            Error::Query(_) => K::InvalidQuery,
            Error::UnsupportedFile(_) | Error::NotText(_) | Error::NotHtml { .. } | Error::NotImage { .. } => {
                K::Unsupported
            }
            Error::Io { .. } | Error::NotARegularFile { .. } | Error::Randomness(_) | Error::Index { .. } => K::Io,
            Error::IndexBuilding { .. } => K::Busy,
            Error::IndexBusy => K::Conflict,
            Error::Network { .. }
            | Error::PrivateAddress { .. }
            | Error::NetworkRuntime(_)
            | Error::HttpClient(_)
            | Error::HttpStatus { .. }
            | Error::TooLarge { .. } => K::Network,
            Error::Cancelled => K::Cancelled,
            Error::Export(quire_pdf::Error::FontSize(_) | quire_pdf::Error::Margins { .. }) => K::InvalidInput,
            Error::Export(_) => K::Export,
            Error::Format(e) => match e {
                quire_export::Error::UnknownStyle(_) => K::InvalidInput,
                quire_export::Error::NotAnnotations(_) => K::Unsupported,
                _ => K::Export,
            },
            Error::LibraryTooNew { .. }
            | Error::Open { .. }
            | Error::NotWal { .. }
            | Error::NotALibrary { .. }
            | Error::ReadOnly { .. }
            | Error::NoLibraryFolder { .. } => K::Library,
            Error::Database(_)
            | Error::CorruptDocument { .. }
            | Error::EncodeBody { .. }
            | Error::CorruptSnapshot { .. }
            | Error::CorruptValue { .. }
            | Error::Serialize { .. } => K::Database,
        }
    }
}

fn private_address(url: &str, host: &str, redirect: bool) -> String {
    if redirect {
        format!(
            "cannot fetch {url}: it redirects to {host}, an address on this computer or a private network, which a \
             page cannot send Quire to"
        )
    } else {
        format!(
            "cannot fetch {url}: {host} is on this computer or a private network; Quire goes there only for an \
             address typed by you"
        )
    }
}

/// The places a quote occurs, numbered from 1, each with the text around it: "1. at 0: …".
pub fn describe_occurrences(occurrences: &[Occurrence]) -> String {
    occurrences
        .iter()
        .enumerate()
        .map(|(i, o)| format!("{}. at {}: {}", i + 1, o.start, o.context))
        .collect::<Vec<_>>()
        .join("; ")
}
