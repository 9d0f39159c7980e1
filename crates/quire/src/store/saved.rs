//! The `saved_searches` table.

use rusqlite::{params, Connection, Row, Transaction};

use super::now;
use super::values::Sql;
use crate::{Error, Result, SavedSearch, Status};

const COLUMNS: &str = "id, name, query, tag, status, favorite, created_at";

fn from_row(r: &Row<'_>) -> rusqlite::Result<SavedSearch> {
    Ok(SavedSearch {
        id: r.get("id")?,
        name: r.get("name")?,
        query: r.get("query")?,
        tag: r.get("tag")?,
        status: r.get::<_, Option<Sql<Status>>>("status")?.map(|s| s.0),
        favorite: r.get("favorite")?,
        created_at: r.get("created_at")?,
    })
}

/// Saved searches, by name.
pub(crate) fn all(conn: &Connection) -> Result<Vec<SavedSearch>> {
    let mut stmt = conn.prepare(&format!("SELECT {COLUMNS} FROM saved_searches ORDER BY name COLLATE NOCASE"))?;
    let rows = stmt.query_map([], from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

/// What a saved search keeps.
pub(crate) struct Saving<'a> {
    pub(crate) name: &'a str,
    pub(crate) query: &'a str,
    pub(crate) tag: Option<&'a str>,
    pub(crate) status: Option<Status>,
    pub(crate) favorite: Option<bool>,
}

/// Saves a search; one of the same name (any case) gets the new query and filter.
pub(crate) fn upsert(tx: &Transaction<'_>, s: &Saving<'_>) -> Result<SavedSearch> {
    tx.execute(
        "INSERT INTO saved_searches (name, query, tag, status, favorite, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (name) DO UPDATE SET query = excluded.query, tag = excluded.tag, status = excluded.status,
                                          favorite = excluded.favorite",
        params![s.name, s.query, s.tag, s.status.map(Sql), s.favorite, now()],
    )?;
    Ok(tx.query_row(&format!("SELECT {COLUMNS} FROM saved_searches WHERE name = ?1"), [s.name], from_row)?)
}

pub(crate) fn delete(tx: &Transaction<'_>, id: i64) -> Result<()> {
    if tx.execute("DELETE FROM saved_searches WHERE id = ?", [id])? == 0 {
        return Err(Error::SavedSearchNotFound(id));
    }
    Ok(())
}
