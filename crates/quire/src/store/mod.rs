//! The store: the only place that knows SQL. It owns the SQLite connection (WAL, foreign keys,
//! busy timeout, migrations), maps rows to the library's types by column name, and defines
//! the SQL form of every enum once (`ToSql`/`FromSql` in `values.rs`).
//!
//! Every write runs in one `IMMEDIATE` transaction ([`Store::write`]): the write lock is taken
//! before the first read, so another process writing at the same time makes SQLite wait (the
//! busy timeout) instead of failing with "database is locked", and an error leaves the file as
//! it was.
//!
//! Submodules hold the SQL of one part of the schema each, as functions over a `&Connection`
//! (a transaction derefs to one): `articles`, `highlights`, `tags`, `fulltext` (what the search
//! index is derived from),
//! `media` (images and snapshots), `saved` (saved searches), `filter` (the one builder of
//! article filters, used by list, count, search and export).

pub(crate) mod articles;
pub(crate) mod backup;
pub(crate) mod body;
pub(crate) mod filter;
pub(crate) mod fulltext;
pub(crate) mod highlights;
pub(crate) mod media;
pub(crate) mod migrate;
pub(crate) mod saved;
pub(crate) mod tags;
pub(crate) mod tokens;
mod values;

pub(crate) use values::BadWord;

use std::path::{Path, PathBuf};
use std::time::Duration;

use rusqlite::{Connection, ErrorCode, OpenFlags, Transaction, TransactionBehavior};

use crate::{Error, Result};

/// How long a write waits for another process's write to finish before it gives up.
const BUSY_TIMEOUT: Duration = Duration::from_secs(10);

/// A write transaction, as the store's functions take it.
pub(crate) type Tx<'c> = Transaction<'c>;
/// The connection, as the store's reading functions take it (a `Tx` derefs to one).
pub(crate) type Conn = Connection;

/// The open database.
pub(crate) struct Store {
    conn: Connection,
    path: PathBuf,
    /// Opened read-only: the file or its folder cannot be written (see [`Store::open`]).
    read_only: bool,
    /// A write was committed through this store (the search index may need to catch up).
    pub(crate) wrote: bool,
}

impl Store {
    /// Opens (creating it on first use) the database at `path` and brings its schema up to
    /// date. Nothing is changed in a file written by a newer Quire: its version is read from
    /// the file's header first ([`migrate::refuse_newer`]). A library whose file or folder
    /// cannot be written is opened read-only when its schema is current: it can be read, and
    /// each write is refused with [`Error::ReadOnly`] naming it.
    pub(crate) fn open(path: &Path) -> Result<Self> {
        migrate::refuse_newer(path)?;
        match Self::open_writable(path) {
            Err(e) if cannot_write(&e) && path.is_file() => Self::open_read_only(path).map_err(|_| e),
            opened => opened,
        }
    }

    fn open_writable(path: &Path) -> Result<Self> {
        let open_err = |source| Error::Open { path: path.to_owned(), source };
        let mut conn = Connection::open(path).map_err(open_err)?;
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        conn.pragma_update(None, "foreign_keys", true).map_err(open_err)?;
        let mode: String = conn.pragma_update_and_check(None, "journal_mode", "wal", |r| r.get(0)).map_err(open_err)?;
        if !mode.eq_ignore_ascii_case("wal") && !mode.eq_ignore_ascii_case("memory") {
            return Err(Error::NotWal { path: path.to_owned(), mode });
        }
        conn.pragma_update(None, "synchronous", "normal").map_err(open_err)?;
        migrate::migrate(&mut conn, path)?;
        Ok(Self { conn, path: path.to_owned(), read_only: false, wrote: false })
    }

    /// The library as it is, for reading only: no journal mode set, no migration (an older
    /// schema is refused, since it would have to be written). A WAL library in a folder where
    /// SQLite cannot make its shared-memory file is read as immutable, which is sound only
    /// when no write-ahead log is waiting beside it (and none can be made there meanwhile).
    fn open_read_only(path: &Path) -> Result<Self> {
        let open_err = |source| Error::Open { path: path.to_owned(), source };
        let flags = OpenFlags::SQLITE_OPEN_READ_ONLY | OpenFlags::SQLITE_OPEN_NO_MUTEX | OpenFlags::SQLITE_OPEN_URI;
        let version_of = |conn: &Connection| conn.pragma_query_value(None, "user_version", |r| r.get::<_, i64>(0));
        let read_only =
            Connection::open_with_flags(path, flags).and_then(|conn| version_of(&conn).map(|version| (conn, version)));
        let wal = PathBuf::from(format!("{}-wal", path.display()));
        let (conn, version) = match read_only {
            Err(_) if !wal.exists() => {
                let conn =
                    Connection::open_with_flags(format!("{}?immutable=1", file_uri(path)), flags).map_err(open_err)?;
                let version = version_of(&conn).map_err(open_err)?;
                (conn, version)
            }
            opened => opened.map_err(open_err)?,
        };
        conn.busy_timeout(BUSY_TIMEOUT).map_err(open_err)?;
        if version != migrate::SCHEMA_VERSION {
            return Err(Error::ReadOnly { path: path.to_owned() });
        }
        Ok(Self { conn, path: path.to_owned(), read_only: true, wrote: false })
    }

    /// The connection, for reads.
    pub(crate) fn read(&self) -> &Connection {
        &self.conn
    }

    /// Runs `work` in one `IMMEDIATE` transaction and commits it; an error rolls it back.
    /// On a library opened read-only, nothing runs: [`Error::ReadOnly`].
    pub(crate) fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        if self.read_only {
            return Err(Error::ReadOnly { path: self.path.clone() });
        }
        let read_only = |e: rusqlite::Error| match e.sqlite_error_code() {
            Some(ErrorCode::ReadOnly) => Error::ReadOnly { path: self.path.clone() },
            _ => Error::from(e),
        };
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate).map_err(read_only)?;
        let value = work(&tx)?;
        tx.commit().map_err(read_only)?;
        self.wrote = true;
        Ok(value)
    }

    /// The schema version of the open file.
    pub(crate) fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
}

/// `path` as an SQLite `file:` URI (the characters a URI gives a meaning escaped).
fn file_uri(path: &Path) -> String {
    let mut text = path.to_string_lossy().into_owned();
    if cfg!(windows) {
        text = text.replace('\\', "/");
    }
    let escaped = text.replace('%', "%25").replace('?', "%3f").replace('#', "%23");
    if escaped.as_bytes().get(1) == Some(&b':') {
        format!("file:///{escaped}")
    } else {
        format!("file:{escaped}")
    }
}

/// Whether opening failed because the file or its folder cannot be written (SQLite reports
/// it as read-only, cannot-open or permission denied).
fn cannot_write(e: &Error) -> bool {
    let source = match e {
        Error::Open { source, .. } | Error::Database(source) => source,
        _ => return false,
    };
    matches!(
        source.sqlite_error_code(),
        Some(ErrorCode::ReadOnly | ErrorCode::CannotOpen | ErrorCode::PermissionDenied)
    )
}

/// Now, as RFC 3339 UTC with seconds: the form of every stored time.
pub(crate) fn now() -> String {
    let t = time::OffsetDateTime::now_utc().replace_nanosecond(0).unwrap_or_else(|_| time::OffsetDateTime::now_utc());
    t.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// Whether a row with this id exists in `table` (a fixed table name, never user text).
fn exists(conn: &Connection, table: &'static str, id: i64) -> Result<bool> {
    Ok(conn.query_row(&format!("SELECT EXISTS (SELECT 1 FROM {table} WHERE id = ?)"), [id], |r| r.get(0))?)
}
