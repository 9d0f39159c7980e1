//! Other apps' export files read into one model: what each saved item was (its address,
//! title, dates, state, tags, content if the file carries it) and its highlights (the quote,
//! its context or position when the file has them, notes, tags, colors).
//!
//! One module per source app, each a function from the file's bytes to an [`Export`]; [`detect`]
//! tells the format from the name and the first bytes, [`parse`] reads a file of a known or
//! detected format. Nothing here fetches, stores or anchors: the `quire` library does that
//! with what an [`Export`] holds.
//!
//! Bad input is never a panic and never silently dropped: a file that cannot be read at all is
//! an [`Error`] naming what is wrong; one bad row or entry is a [`Skipped`] (where it is, why),
//! and the rest is read.
//!
//! This crate is pure: no I/O.

use serde::Serialize;
use time::OffsetDateTime;
use ts_rs::TS;

mod bookmarks;
mod dates;
mod detect;
mod hypothesis;
mod instapaper;
mod kindle;
mod omnivore;
mod passages;
mod pocket;
mod readwise;
mod text;
mod w3c;
mod wallabag;
mod zipped;

pub use detect::detect;
pub use passages::passages_document;
pub use quire_doc::Color;
pub use zipped::Zip;

/// The apps whose exports Quire reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    Pocket,
    Omnivore,
    Instapaper,
    Readwise,
    Hypothesis,
    Kindle,
    Wallabag,
    Bookmarks,
    /// W3C Web Annotations (JSON-LD), e.g. Quire's own export.
    W3c,
}

impl Format {
    pub const ALL: &'static [Format] = &[
        Format::Pocket,
        Format::Omnivore,
        Format::Instapaper,
        Format::Readwise,
        Format::Hypothesis,
        Format::Kindle,
        Format::Wallabag,
        Format::Bookmarks,
        Format::W3c,
    ];

    /// The name used on the command line (`--from`).
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Pocket => "pocket",
            Format::Omnivore => "omnivore",
            Format::Instapaper => "instapaper",
            Format::Readwise => "readwise",
            Format::Hypothesis => "hypothesis",
            Format::Kindle => "kindle",
            Format::Wallabag => "wallabag",
            Format::Bookmarks => "bookmarks",
            Format::W3c => "w3c",
        }
    }

    /// The app's name as people write it.
    pub fn label(self) -> &'static str {
        match self {
            Format::Pocket => "Pocket",
            Format::Omnivore => "Omnivore",
            Format::Instapaper => "Instapaper",
            Format::Readwise => "Readwise",
            Format::Hypothesis => "Hypothesis",
            Format::Kindle => "Kindle",
            Format::Wallabag => "wallabag",
            Format::Bookmarks => "Browser bookmarks",
            Format::W3c => "Web Annotations (W3C)",
        }
    }

    /// Which file to give, and how to get it from the app.
    pub fn how_to(self) -> &'static str {
        match self {
            Format::Pocket => "The zip (part_000000.csv) or the older ril_export.html from Pocket's export page (getpocket.com/export); saved before Pocket closed in July 2025.",
            Format::Omnivore => "The zip from Omnivore's Settings → Export Data (metadata_*.json, content/, highlights/); saved before Omnivore closed in November 2024.",
            Format::Instapaper => "The CSV from Instapaper's Settings → Export → Download .CSV file.",
            Format::Readwise => "The CSV from readwise.io/export → Export to CSV.",
            Format::Hypothesis => "The JSON from the Hypothesis sidebar: your profile → Export annotations → JSON.",
            Format::Kindle => "The file documents/My Clippings.txt on the Kindle (connect it by USB).",
            Format::Wallabag => "The JSON of all entries from wallabag: Unread, All entries… → Export → JSON.",
            Format::Bookmarks => "The bookmarks HTML file your browser exports (Bookmarks manager → Export); folders become tags.",
            Format::W3c => "A W3C Web Annotation file (JSON-LD), such as Quire's own export of highlights: each quote lands on its words in the page it annotates.",
        }
    }
}

impl std::fmt::Display for Format {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for Format {
    type Err = Error;
    fn from_str(s: &str) -> Result<Self> {
        let key = s.trim().to_ascii_lowercase();
        Format::ALL
            .iter()
            .copied()
            .find(|f| f.as_str() == key || (key == "hypothes.is" && *f == Format::Hypothesis))
            .ok_or_else(|| Error::UnknownFormat(s.to_owned()))
    }
}

/// Everything read from one export file.
#[derive(Debug, Clone, PartialEq)]
pub struct Export {
    pub format: Format,
    /// In the order of the file.
    pub items: Vec<Item>,
    /// Rows or entries that could not be read, each with where and why; the rest was read.
    pub skipped: Vec<Skipped>,
}

/// A row or entry of the file that was not read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
pub struct Skipped {
    /// Where in the file, for a person: "row 12", "part_000001.csv row 3", "entry 7 (line 40)".
    pub at: String,
    pub reason: String,
}

/// Whether an item was read, as the source app said.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ReadState {
    Unread,
    Read,
    Archived,
}

/// One saved item: a web page (with or without its content) or a book.
#[derive(Debug, Clone, PartialEq)]
pub struct Item {
    /// Where it is in the file, for messages ("row 4", "content/my-slug.html").
    pub at: String,
    pub title: Option<String>,
    /// The page's address; `None` for a book.
    pub url: Option<String>,
    pub author: Option<String>,
    /// When the user saved it in the source app.
    pub saved_at: Option<OffsetDateTime>,
    pub published_at: Option<OffsetDateTime>,
    pub state: Option<ReadState>,
    pub favorite: bool,
    /// How far it was read, 0 to 1.
    pub progress: Option<f64>,
    /// Tags and labels on the item (`/` is hierarchy, as in Quire).
    pub tags: Vec<String>,
    pub content: Content,
    pub highlights: Vec<Highlight>,
    /// Notes on the whole item (Hypothesis page notes), in the file's order.
    pub notes: Vec<String>,
}

impl Item {
    /// An item with only where it is in the file; the parsers fill in the rest.
    pub fn at(at: impl Into<String>) -> Self {
        Item {
            at: at.into(),
            title: None,
            url: None,
            author: None,
            saved_at: None,
            published_at: None,
            state: None,
            favorite: false,
            progress: None,
            tags: Vec::new(),
            content: Content::None,
            highlights: Vec::new(),
            notes: Vec::new(),
        }
    }
}

/// What the file holds of the item's text.
#[derive(Debug, Clone, PartialEq)]
pub enum Content {
    /// Only the address: the page is to be fetched.
    None,
    /// The page as the source app kept it.
    Html(String),
    /// A book or other source without a page: the highlighted passages, in reading order
    /// (see [`passages_document`]).
    Passages(Vec<Passage>),
}

/// A passage of a book, with where it is in the book.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Passage {
    /// "Location 120–125", "Page 4"; `None` when the source gives none.
    pub label: Option<String>,
    pub text: String,
}

/// What a highlight's position counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PositionUnit {
    /// UTF-16 code units, as browsers count (Hypothesis).
    Utf16,
    /// Unicode scalar values (code points), as W3C selectors and Quire count.
    Scalar,
}

/// A highlight as the source app exported it.
#[derive(Debug, Clone, PartialEq)]
pub struct Highlight {
    /// The highlighted text.
    pub quote: String,
    /// Text just before and after the quote in the page, when the file has it.
    pub prefix: Option<String>,
    pub suffix: Option<String>,
    /// `[start, end)` in the page's text as the source app saw it, counted in
    /// [`Highlight::unit`]s: a hint where to look first.
    pub position: Option<(usize, usize)>,
    pub unit: PositionUnit,
    pub note: String,
    pub tags: Vec<String>,
    pub color: Option<Color>,
    pub created_at: Option<OffsetDateTime>,
    /// Where it is in a book ("Location 120–125"), shown with the passage.
    pub location: Option<String>,
}

impl Highlight {
    /// A highlight of `quote` with nothing else known.
    pub fn quote(quote: impl Into<String>) -> Self {
        Highlight {
            quote: quote.into(),
            prefix: None,
            suffix: None,
            position: None,
            unit: PositionUnit::Utf16,
            note: String::new(),
            tags: Vec::new(),
            color: None,
            created_at: None,
            location: None,
        }
    }
}

/// Limits on what a file may make the parser hold (a zip bomb or a giant file is an error, not
/// an exhausted machine).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    /// Bytes of all the zip's entries once decompressed.
    pub max_unzipped: u64,
    /// Bytes of one entry once decompressed: no metadata file or kept page of an export comes
    /// near it, while a zip bomb's one huge entry is refused before it fills memory.
    pub max_entry: u64,
    /// Entries in a zip.
    pub max_entries: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_unzipped: 4 << 30, max_entry: 256 << 20, max_entries: 1_000_000 }
    }
}

/// Why a file could not be read at all.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Error {
    #[error("unknown format \"{0}\": use one of pocket, omnivore, instapaper, readwise, hypothesis, kindle, wallabag, bookmarks, w3c")]
    UnknownFormat(String),
    #[error("not an export Quire knows: {0}")]
    Unrecognized(String),
    #[error("not a readable zip file ({0}); it may be truncated: download the export again")]
    BadZip(String),
    #[error("the zip holds more than {limit} bytes once unpacked: it is not an export, or it is damaged")]
    ZipTooLarge { limit: u64 },
    #[error("{name} in the zip is larger than {limit} bytes once unpacked: it is not part of an export")]
    ZipEntryTooLarge { name: String, limit: u64 },
    #[error("{at}: {reason}")]
    Malformed { at: String, reason: String },
    #[error("{0} holds no item to import")]
    Empty(&'static str),
}

impl Error {
    pub fn kind(&self) -> ErrorKind {
        match self {
            Error::UnknownFormat(_) => ErrorKind::UnknownFormat,
            Error::Unrecognized(_) => ErrorKind::Unrecognized,
            Error::BadZip(_) | Error::ZipTooLarge { .. } | Error::ZipEntryTooLarge { .. } => ErrorKind::BadArchive,
            Error::Malformed { .. } | Error::Empty(_) => ErrorKind::Malformed,
        }
    }
}

/// What kind of problem an [`Error`] is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ErrorKind {
    UnknownFormat,
    Unrecognized,
    BadArchive,
    Malformed,
}

pub type Result<T> = std::result::Result<T, Error>;

/// Reads an export file: `name` is its file name (for detection and messages), `format` forces
/// a format instead of detecting it.
pub fn parse(name: &str, bytes: &[u8], format: Option<Format>, limits: &Limits) -> Result<Export> {
    // A damaged zip is that, whatever app wrote it.
    if zipped::is_zip(bytes) {
        zipped::Zip::open(bytes, limits)?;
    }
    let format = match format {
        Some(f) => f,
        None => detect(name, bytes).ok_or_else(|| Error::Unrecognized(detect::why_unrecognized(name, bytes)))?,
    };
    let export = match format {
        Format::Pocket => pocket::parse(name, bytes, limits),
        Format::Omnivore => omnivore::parse(bytes, limits),
        Format::Instapaper => instapaper::parse(bytes),
        Format::Readwise => readwise::parse(bytes),
        Format::Hypothesis => hypothesis::parse(bytes),
        Format::Kindle => kindle::parse(bytes),
        Format::Wallabag => wallabag::parse(bytes),
        Format::Bookmarks => bookmarks::parse(bytes),
        Format::W3c => w3c::parse(bytes),
    }?;
    if export.items.is_empty() && export.skipped.is_empty() {
        return Err(Error::Empty(format.label()));
    }
    Ok(export)
}
