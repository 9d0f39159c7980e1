//! Copies of the library file: made with SQLite's online backup API from a connection of
//! their own (one step, so one read transaction: a consistent snapshot while others write),
//! and checked before anyone relies on them.

use std::path::Path;

use rusqlite::{Connection, OpenFlags};

use super::migrate::SCHEMA_VERSION;
use crate::{Error, Result};

/// What a checked library file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Contents {
    pub(crate) schema: i64,
    pub(crate) articles: i64,
    pub(crate) highlights: i64,
    pub(crate) tags: i64,
}

/// Copies the library at `from` into a new file `to` (which must not exist).
pub(crate) fn copy(from: &Path, to: &Path) -> Result<()> {
    let open_err = |source| Error::Open { path: from.to_owned(), source };
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_URI)
        .map_err(open_err)?;
    source.busy_timeout(super::BUSY_TIMEOUT).map_err(open_err)?;
    let mut dest = Connection::open(to).map_err(|source| Error::Open { path: to.to_owned(), source })?;
    run(&source, &mut dest)?;
    // A copy is one self-contained file, whatever the source's journal mode.
    dest.pragma_update(None, "journal_mode", "delete")?;
    Ok(())
}

/// Replaces what the live library at `to` holds with the library file `from` (a private,
/// checked file of the same schema and page size), through the online backup API: the copy is
/// one write transaction on `to`, so every other connection, in this process or another, sees
/// the library as it was or as restored, never a mix, and a writer waits for it as it waits
/// for any other writer.
pub(crate) fn copy_into(from: &Path, to: &Path) -> Result<()> {
    let source = Connection::open_with_flags(from, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|source| Error::Open { path: from.to_owned(), source })?;
    let open_err = |source| Error::Open { path: to.to_owned(), source };
    let mut dest = Connection::open_with_flags(to, OpenFlags::SQLITE_OPEN_READ_WRITE).map_err(open_err)?;
    dest.busy_timeout(super::BUSY_TIMEOUT).map_err(open_err)?;
    run(&source, &mut dest)
}

/// The page size of the library file at `path`.
pub(crate) fn page_size(path: &Path) -> Result<i64> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|source| Error::Open { path: path.to_owned(), source })?;
    Ok(conn.pragma_query_value(None, "page_size", |r| r.get(0))?)
}

/// Makes the private library file at `path` one self-contained file (no WAL) with pages of
/// `size` bytes, as a live library in WAL mode must have to take it through the backup API.
pub(crate) fn settle(path: &Path, size: i64) -> Result<()> {
    let conn = Connection::open(path).map_err(|source| Error::Open { path: path.to_owned(), source })?;
    conn.pragma_update(None, "journal_mode", "delete")?;
    let current: i64 = conn.pragma_query_value(None, "page_size", |r| r.get(0))?;
    if current != size {
        conn.pragma_update(None, "page_size", size)?;
        conn.execute_batch("VACUUM")?;
    }
    Ok(())
}

/// Copies every page of `source` into `dest` in one step: one read transaction on the source,
/// so the copy is one committed state however much is written meanwhile (WAL readers never
/// block writers), and one write transaction on the destination.
fn run(source: &Connection, dest: &mut Connection) -> Result<()> {
    let backup = rusqlite::backup::Backup::new(source, dest)?;
    let give_up = std::time::Instant::now() + super::BUSY_TIMEOUT;
    loop {
        match backup.step(-1)? {
            rusqlite::backup::StepResult::Done => return Ok(()),
            rusqlite::backup::StepResult::More => {}
            // A writer holds a lock the copy needs for a moment: wait as a busy timeout would.
            _ if std::time::Instant::now() < give_up => std::thread::sleep(std::time::Duration::from_millis(10)),
            _ => {
                return Err(Error::Database(rusqlite::Error::SqliteFailure(
                    rusqlite::ffi::Error::new(rusqlite::ffi::SQLITE_BUSY),
                    Some("the library stayed locked".to_owned()),
                )))
            }
        }
    }
}

/// Checks that `path` is a sound Quire library (integrity, a schema this build can open) and
/// says what it holds; opens it read-only.
pub(crate) fn check(path: &Path) -> Result<Contents> {
    let not_library = |why: String| Error::NotALibrary { path: path.to_owned(), why };
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)
        .map_err(|e| not_library(format!("it cannot be opened ({e})")))?;
    let integrity: String = conn
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .map_err(|e| not_library(format!("it is not an SQLite database ({e})")))?;
    if integrity != "ok" {
        return Err(not_library(format!("its integrity check failed: {integrity}")));
    }
    let schema: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    if schema > SCHEMA_VERSION {
        return Err(Error::LibraryTooNew { path: path.to_owned(), found: schema, supported: SCHEMA_VERSION });
    }
    let has = |table: &str| -> Result<bool> {
        Ok(conn.query_row("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", [table], |r| {
            r.get::<_, i64>(0)
        })? == 1)
    };
    if schema < 1 || !has("articles")? || !has("highlights")? || !has("tags")? {
        return Err(not_library("it holds no Quire library".to_owned()));
    }
    let count = |table: &str| -> Result<i64> {
        Ok(conn.query_row(&format!("SELECT count(*) FROM {table}"), [], |r| r.get(0))?)
    };
    Ok(Contents { schema, articles: count("articles")?, highlights: count("highlights")?, tags: count("tags")? })
}

/// The schema version of the library file at `path`, without changing it (`None` when there is
/// no file yet or it is not a database).
pub(crate) fn schema_of(path: &Path) -> Option<i64> {
    if !path.is_file() {
        return None;
    }
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    conn.pragma_query_value(None, "user_version", |r| r.get(0)).ok()
}

/// Starts a new content generation in the library at `path` (after a restore replaced its
/// content), so that its search index is rebuilt.
pub(crate) fn renew_generation(path: &Path) -> Result<()> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_WRITE)
        .map_err(|source| Error::Open { path: path.to_owned(), source })?;
    conn.busy_timeout(super::BUSY_TIMEOUT).map_err(|source| Error::Open { path: path.to_owned(), source })?;
    super::fulltext::renew_generation(&conn)
}

/// Whether the file at `path` opens as a database and passes SQLite's quick check.
pub(crate) fn is_sound_database(path: &Path) -> bool {
    let Ok(conn) = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY) else { return false };
    let _ = conn.busy_timeout(super::BUSY_TIMEOUT);
    conn.query_row("PRAGMA quick_check", [], |r| r.get::<_, String>(0)).is_ok_and(|s| s == "ok")
}
