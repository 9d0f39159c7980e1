//! The Quire library: the one API that every shell (the CLI, the desktop app) calls.
//!
//! It owns the SQLite file and all I/O. Only [`store`] knows SQL; every write is one
//! `IMMEDIATE` transaction, so an error never leaves anything half-written and a second
//! process writing at the same time waits instead of failing. Adding an article happens in two
//! phases ([`add`]): *gather* (read, fetch, decode, extract, download images) holds no lock and
//! touches no database; *store* writes the result in one short transaction. A [`Library`] is
//! shared between threads as it is (`&self` everywhere): its connection is behind a mutex that
//! is held only while SQL runs, never while waiting on the network. Extraction (`quire-clip`),
//! the document model (`quire-doc`) and anchoring (`quire-anchor`) are pure crates it calls.

mod add;
mod archive;
mod articles;
mod backup;
mod capture;
mod error;
mod export;
mod fetch;
mod files;
mod formats;
mod fulltext;
mod highlights;
mod import;
mod model;
mod reanchor;
mod sample;
mod saved;
mod search;
mod store;
mod tags;
mod tokens;
mod topic;

use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard, PoisonError};

pub use add::{
    articles_in, AddOptions, AddSource, ImportEvent, ImportSummary, ItemOutcome, StoredImage, IMAGE_SCHEME,
    MAX_INPUT_BYTES, MAX_WEB_ARCHIVE_BYTES,
};
pub use backup::{
    backup_folder, check_backup, list_backups, restore, BackupEntry, BackupKind, BackupReport, RestoreReport, Retention,
};
pub use capture::{
    CapturedHighlight, CapturedImage, CapturedPage, SavedHighlight, SavedPage, MAX_CAPTURED_IMAGES,
    MAX_CAPTURED_IMAGE_BYTES,
};
pub use error::{describe_occurrences, Error, ErrorKind, Origin, Refusal, Result};
pub use export::{ExportReport, ExportRequest, Margins, Paper, PdfOptions};
pub use fetch::{is_public, FetchConfig, Reach};
pub use formats::{FormatReport, FormatRequest, OpenFormat, Selection};
pub use fulltext::{index_folder, IndexCheck, IndexHold, IndexProgress, IndexSync, IndexUpkeep};
pub use highlights::{MAX_NOTE_CHARS, MAX_QUOTE_CHARS};
pub use import::{
    HighlightTally, ImportFormat, ImportOptions, ImportReport, ImportedArticle, ImportedOrphan, LinkOnlyArticle,
    Politeness, Skipped,
};
pub use model::*;
pub use quire_anchor::{AnchorKind, TextQuoteSelector};
/// The one check of which addresses are kept and written out (`quire-doc`'s).
pub use quire_doc::address;
pub use quire_export::cite::CitationStyle;
pub use quire_export::markdown::MarkdownStyle;
pub use sample::SAMPLE_URL;
pub use search::{as_you_type, parse_query, Query, SearchRequest};
pub use store::body::BodyError;
pub use store::migrate::{migrate_to, MIGRATIONS, SCHEMA_VERSION};
pub use tags::{normalize_tag, MAX_TAGS, MAX_TAG_CHARS, MAX_TAG_LEVELS};
pub use tokens::{
    hello_proof, hmac_sha256, pairing_code_port, token_hash, CodePort, TokenInfo, ENDPOINT_FALLBACK_PORTS,
    ENDPOINT_PORT, HELLO_CONTEXT, PAIRING_ATTEMPTS, PAIRING_CODE_MINUTES,
};

use store::Store;

/// Environment variable that overrides the default library path.
pub const LIBRARY_ENV: &str = "QUIRE_LIBRARY";

/// The library used when none is given: `$QUIRE_LIBRARY`, else
/// `<OS data dir>/Quire/library.sqlite3` (e.g. `~/.local/share/Quire/library.sqlite3`).
pub fn default_library_path() -> PathBuf {
    match std::env::var_os(LIBRARY_ENV) {
        Some(p) if !p.is_empty() => PathBuf::from(p),
        _ => dirs::data_dir().unwrap_or_else(|| PathBuf::from(".")).join("Quire").join("library.sqlite3"),
    }
}

/// How to open a library.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct OpenOptions {
    /// Before an older library is migrated to this version's schema, keep a checked copy in
    /// `backups/` beside it (on by default).
    pub backup_before_migration: bool,
    /// Create the library's folder when it does not exist (on by default). Off, a library in
    /// a folder that does not exist is refused with [`Error::NoLibraryFolder`], so a mistyped
    /// path does not quietly become a new, empty library.
    pub create_folder: bool,
    /// Who rebuilds the search index when it must be built again.
    pub index_upkeep: IndexUpkeep,
}

impl Default for OpenOptions {
    fn default() -> Self {
        OpenOptions { backup_before_migration: true, create_folder: true, index_upkeep: IndexUpkeep::default() }
    }
}

/// An open library. Share it between threads by reference (or in an `Arc`): each call takes
/// the connection only for the SQL it runs.
pub struct Library {
    store: Mutex<Store>,
    /// The full-text index, opened on first use.
    fulltext: fulltext::Slot,
    index_upkeep: IndexUpkeep,
    path: PathBuf,
}

impl Library {
    /// Opens (creating it and its folder on first use) the library at `path` and brings its
    /// schema up to date, keeping a checked backup of an older library before migrating it.
    /// A library written by a newer Quire is refused before anything in it changes; one whose
    /// file or folder cannot be written is opened read-only (see [`Error::ReadOnly`]).
    pub fn open(path: &Path) -> Result<Self> {
        Self::open_with(path, &OpenOptions::default())
    }

    /// [`Library::open`] with options.
    pub fn open_with(path: &Path, options: &OpenOptions) -> Result<Self> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty() && !d.is_dir()) {
            if !options.create_folder {
                return Err(Error::NoLibraryFolder { path: path.to_owned(), folder: dir.to_owned() });
            }
            std::fs::create_dir_all(dir).map_err(|source| Error::Io { path: dir.to_owned(), source })?;
        }
        if options.backup_before_migration {
            backup::before_migration(path)?;
        }
        Ok(Self {
            store: Mutex::new(Store::open(path)?),
            fulltext: fulltext::Slot::default(),
            index_upkeep: options.index_upkeep,
            path: path.to_owned(),
        })
    }

    /// Where the library file is.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The schema version of the open file.
    pub fn schema_version(&self) -> Result<i64> {
        self.store().schema_version()
    }

    /// Whether this library wrote anything (the search index may have to catch up).
    fn wrote(&self) -> bool {
        self.store().wrote
    }

    /// The store, for the duration of one call's SQL. A panic on another thread while it held
    /// the store cannot leave a transaction open (it rolls back when dropped), so a poisoned
    /// lock is taken over as it is.
    fn store(&self) -> MutexGuard<'_, Store> {
        self.store.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

impl Drop for Library {
    /// A process that wrote leaves the search index caught up, when there is one (a library
    /// never searched gets its index at its first search); nothing is lost if it cannot.
    fn drop(&mut self) {
        if self.wrote() && fulltext::index_folder(&self.path).join("meta.json").exists() {
            let _ = self.sync_index();
        }
    }
}
