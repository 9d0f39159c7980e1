//! The `saved_searches` table.

use rusqlite::{params, Connection, Row, Transaction};

use super::now;
use crate::{Error, Result, SavedSearch};

fn from_row(r: &Row<'_>) -> rusqlite::Result<SavedSearch> {
    Ok(SavedSearch { id: r.get("id")?, name: r.get("name")?, query: r.get("query")?, created_at: r.get("created_at")? })
}

/// Saved searches, by name.
pub(crate) fn all(conn: &Connection) -> Result<Vec<SavedSearch>> {
    let mut stmt =
        conn.prepare("SELECT id, name, query, created_at FROM saved_searches ORDER BY name COLLATE NOCASE")?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// Saves `query` under `name`; a search of the same name (any case) gets the new query.
pub(crate) fn upsert(tx: &Transaction<'_>, name: &str, query: &str) -> Result<SavedSearch> {
    tx.execute(
        "INSERT INTO saved_searches (name, query, created_at) VALUES (?1, ?2, ?3)
         ON CONFLICT (name) DO UPDATE SET query = excluded.query",
        params![name, query, now()],
    )?;
    Ok(tx.query_row("SELECT id, name, query, created_at FROM saved_searches WHERE name = ?1", [name], from_row)?)
}

pub(crate) fn delete(tx: &Transaction<'_>, id: i64) -> Result<()> {
    if tx.execute("DELETE FROM saved_searches WHERE id = ?", [id])? == 0 {
        return Err(Error::SavedSearchNotFound(id));
    }
    Ok(())
}
