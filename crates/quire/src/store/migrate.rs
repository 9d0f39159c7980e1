//! Schema migrations: append-only SQL files under `migrations/`, embedded in the binary; the
//! schema version lives in `PRAGMA user_version`.

use std::path::Path;

use rusqlite::{Connection, TransactionBehavior};

use crate::{Error, Result};

/// Every migration, in order; migration `i` brings the schema to version `i + 1`.
pub const MIGRATIONS: &[&str] = &[
    include_str!("../../../../migrations/0001_init.sql"),
    include_str!("../../../../migrations/0002_clipping.sql"),
    include_str!("../../../../migrations/0003_reanchoring.sql"),
    include_str!("../../../../migrations/0004_saved_searches.sql"),
    include_str!("../../../../migrations/0005_saved_search_filters.sql"),
    include_str!("../../../../migrations/0006_imports.sql"),
    include_str!("../../../../migrations/0007_endpoint.sql"),
    include_str!("../../../../migrations/0008_endpoint_listeners.sql"),
    include_str!("../../../../migrations/0009_fulltext.sql"),
    include_str!("../../../../migrations/0010_list_order.sql"),
    include_str!("../../../../migrations/0011_text_once.sql"),
    include_str!("../../../../migrations/0012_list_orders.sql"),
    include_str!("../../../../migrations/0013_list_order_filters.sql"),
];

/// The schema version this build writes.
pub const SCHEMA_VERSION: i64 = MIGRATIONS.len() as i64;

/// Refuses a library written by a newer Quire before anything opens it: its version is read
/// from the file's header (`user_version`, 4 bytes at offset 60), so not even the journal mode
/// is changed. A header older than the WAL is fine here: versions only grow, and `migrate`
/// checks again inside its transaction. A file too short to be a database (or none) passes:
/// it is new, or SQLite says what is wrong with it.
pub(crate) fn refuse_newer(path: &Path) -> Result<()> {
    use std::io::Read;
    let mut header = [0u8; 100];
    let read = std::fs::File::open(path).and_then(|mut f| {
        let mut n = 0;
        while n < header.len() {
            match f.read(&mut header[n..])? {
                0 => break,
                k => n += k,
            }
        }
        Ok(n)
    });
    let n = match read {
        Ok(n) => n,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(()),
        Err(source) => return Err(Error::Io { path: path.to_owned(), source }),
    };
    if n < header.len() || !header.starts_with(b"SQLite format 3\0") {
        return Ok(());
    }
    let found = i64::from(i32::from_be_bytes([header[60], header[61], header[62], header[63]]));
    if found > SCHEMA_VERSION {
        return Err(Error::LibraryTooNew { path: path.to_owned(), found, supported: SCHEMA_VERSION });
    }
    Ok(())
}

/// Brings the database up to [`SCHEMA_VERSION`], one transaction per migration.
pub fn migrate(conn: &mut Connection, path: &Path) -> Result<()> {
    let before: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
    migrate_to(conn, path, SCHEMA_VERSION)?;
    if before > 0 && before < SCHEMA_VERSION {
        compact_after_upgrade(conn);
    }
    Ok(())
}

/// Gives the space an upgrade freed back to the file system when it is a good part of the
/// file (0011 stores every text once: a library shrinks to about a third). Best effort: when
/// another connection is busy with the file, the space is reused by later writes instead.
fn compact_after_upgrade(conn: &Connection) {
    let pages = |pragma: &str| conn.pragma_query_value(None, pragma, |r| r.get::<_, i64>(0)).unwrap_or(0);
    let (free, total) = (pages("freelist_count"), pages("page_count"));
    if total > 0 && free * 4 > total {
        // In WAL mode the whole file passes through the WAL: give that space back too.
        let _ = conn.execute_batch("VACUUM; PRAGMA wal_checkpoint(TRUNCATE);");
    }
}

/// Brings the database to `target` (for tests that build every earlier version). Each step
/// reads the version inside its own `IMMEDIATE` transaction, so processes opening a new file at
/// the same moment run each migration once.
pub fn migrate_to(conn: &mut Connection, path: &Path, target: i64) -> Result<()> {
    register_functions(conn)?;
    loop {
        let found: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if found > SCHEMA_VERSION {
            return Err(Error::LibraryTooNew { path: path.to_owned(), found, supported: SCHEMA_VERSION });
        }
        if found >= target {
            return Ok(());
        }
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let version: i64 = tx.pragma_query_value(None, "user_version", |r| r.get(0))?;
        if version == found {
            tx.execute_batch(MIGRATIONS[version as usize])?;
            tx.pragma_update(None, "user_version", version + 1)?;
        }
        tx.commit()?;
    }
}

/// The Rust functions migrations call: `quire_body(document, canonical_text)` (0011) builds an
/// article's stored body from the JSON document and the text kept beside it.
fn register_functions(conn: &Connection) -> Result<()> {
    use rusqlite::functions::FunctionFlags;
    conn.create_scalar_function(
        "quire_body",
        2,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC | FunctionFlags::SQLITE_DIRECTONLY,
        |ctx| {
            // Whatever the old columns hold (text that is not UTF-8, a blob): the text is kept
            // as well as it can be read, and a document that cannot be read becomes paragraphs.
            let lossy = |i: usize| match ctx.get_raw(i) {
                rusqlite::types::ValueRef::Text(b) | rusqlite::types::ValueRef::Blob(b) => {
                    String::from_utf8_lossy(b).into_owned()
                }
                _ => String::new(),
            };
            let (document, text) = (lossy(0), lossy(1));
            super::body::from_legacy(&document, &text).map_err(|e| rusqlite::Error::UserFunctionError(Box::new(e)))
        },
    )?;
    Ok(())
}
