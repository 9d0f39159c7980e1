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

use std::path::Path;
use std::time::Duration;

use rusqlite::{Connection, Transaction, TransactionBehavior};

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
    /// A write was committed through this store (the search index may need to catch up).
    pub(crate) wrote: bool,
}

impl Store {
    /// Opens (creating it on first use) the database at `path` and brings its schema up to date.
    pub(crate) fn open(path: &Path) -> Result<Self> {
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
        Ok(Self { conn, wrote: false })
    }

    /// The connection, for reads.
    pub(crate) fn read(&self) -> &Connection {
        &self.conn
    }

    /// Runs `work` in one `IMMEDIATE` transaction and commits it; an error rolls it back.
    pub(crate) fn write<T>(&mut self, work: impl FnOnce(&Transaction<'_>) -> Result<T>) -> Result<T> {
        let tx = self.conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let value = work(&tx)?;
        tx.commit()?;
        self.wrote = true;
        Ok(value)
    }

    /// The schema version of the open file.
    pub(crate) fn schema_version(&self) -> Result<i64> {
        Ok(self.conn.pragma_query_value(None, "user_version", |r| r.get(0))?)
    }
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
