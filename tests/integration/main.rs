//! Integration tests of the Quire library and the `quire` CLI. One test binary with modules
//! (faster to build than one binary per file).

mod addresses;
mod backup;
#[cfg(unix)]
mod bad_input;
mod browse;
mod cli;
mod clip;
mod concurrency;
mod crash;
mod endpoint;
mod export;
mod exports;
mod extraction;
mod fulltext;
mod highlights;
mod hygiene;
mod imports;
mod library;
mod reach;
mod reanchor;
mod search;
mod tags;

use quire::Library;
use tempfile::TempDir;

/// A fresh library in a temporary folder (kept alive by the returned guard).
pub fn temp_library() -> (TempDir, Library) {
    let dir = tempfile::tempdir().expect("a temporary folder");
    let library = Library::open(&dir.path().join("library.sqlite3")).expect("open a new library");
    (dir, library)
}

/// Adds a plain-text article from a string; returns its id.
pub fn add_text(library: &Library, text: &str) -> i64 {
    library.add(&quire::AddSource::Stdin(text.as_bytes().to_vec()), &quire::AddOptions::default()).expect("add text").id
}
