//! The `endpoint_tokens` and `pairing_codes` tables. Only hashes are stored: a secret or a code
//! never reaches the database.

use rusqlite::{params, Connection, OptionalExtension, Row, Transaction};

use crate::{Error, Result, TokenInfo};

fn token_from_row(r: &Row<'_>) -> rusqlite::Result<TokenInfo> {
    Ok(TokenInfo {
        id: r.get("id")?,
        name: r.get("name")?,
        created_at: r.get("created_at")?,
        last_used_at: r.get("last_used_at")?,
    })
}

pub(crate) fn insert_token(tx: &Transaction<'_>, name: &str, secret_hash: &str, now: &str) -> Result<i64> {
    tx.execute(
        "INSERT INTO endpoint_tokens (name, secret_hash, created_at) VALUES (?, ?, ?)",
        params![name, secret_hash, now],
    )?;
    Ok(tx.last_insert_rowid())
}

/// Every token, oldest first.
pub(crate) fn all(conn: &Connection) -> Result<Vec<TokenInfo>> {
    let mut stmt = conn.prepare_cached("SELECT id, name, created_at, last_used_at FROM endpoint_tokens ORDER BY id")?;
    let rows = stmt.query_map([], token_from_row)?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn get(conn: &Connection, id: i64) -> Result<TokenInfo> {
    conn.query_row("SELECT id, name, created_at, last_used_at FROM endpoint_tokens WHERE id = ?", [id], token_from_row)
        .optional()?
        .ok_or(Error::TokenNotFound(id))
}

/// Every token's id and secret hash (few rows: each is compared in constant time).
pub(crate) fn hashes(conn: &Connection) -> Result<Vec<(i64, String)>> {
    let mut stmt = conn.prepare_cached("SELECT id, secret_hash FROM endpoint_tokens ORDER BY id")?;
    let rows = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?;
    Ok(rows.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn delete(tx: &Transaction<'_>, id: i64) -> Result<()> {
    if tx.execute("DELETE FROM endpoint_tokens WHERE id = ?", [id])? == 0 {
        return Err(Error::TokenNotFound(id));
    }
    Ok(())
}

/// Records a use, unless one was recorded since `since` (a use a second is not worth a write).
pub(crate) fn touch(tx: &Transaction<'_>, id: i64, now: &str, since: &str) -> Result<()> {
    tx.execute(
        "UPDATE endpoint_tokens SET last_used_at = ?1
         WHERE id = ?2 AND (last_used_at IS NULL OR last_used_at < ?3)",
        params![now, id, since],
    )?;
    Ok(())
}

pub(crate) fn insert_code(tx: &Transaction<'_>, code_hash: &str, now: &str, expires_at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO pairing_codes (code_hash, created_at, expires_at) VALUES (?, ?, ?)",
        params![code_hash, now, expires_at],
    )?;
    Ok(())
}

/// Forgets the codes that expired before `now`.
pub(crate) fn delete_expired_codes(tx: &Transaction<'_>, now: &str) -> Result<()> {
    tx.execute("DELETE FROM pairing_codes WHERE expires_at <= ?", [now])?;
    Ok(())
}

/// The pending code with this hash (not expired), if any.
pub(crate) fn pending_code(conn: &Connection, code_hash: &str, now: &str) -> Result<Option<i64>> {
    Ok(conn
        .query_row(
            "SELECT id FROM pairing_codes WHERE code_hash = ? AND expires_at > ?",
            params![code_hash, now],
            |r| r.get(0),
        )
        .optional()?)
}

pub(crate) fn delete_code(tx: &Transaction<'_>, id: i64) -> Result<()> {
    tx.execute("DELETE FROM pairing_codes WHERE id = ?", [id])?;
    Ok(())
}

/// Counts a wrong code against every pending code; when they have had `limit` wrong attempts,
/// deletes them all.
pub(crate) fn wrong_attempt(tx: &Transaction<'_>, limit: i64) -> Result<()> {
    tx.execute("UPDATE pairing_codes SET wrong_attempts = wrong_attempts + 1", [])?;
    let worst: i64 = tx.query_row("SELECT coalesce(max(wrong_attempts), 0) FROM pairing_codes", [], |r| r.get(0))?;
    if worst >= limit {
        tx.execute("DELETE FROM pairing_codes", [])?;
    }
    Ok(())
}

/// The secret hash of one token, if it exists (a revoked token does not).
pub(crate) fn hash_of(conn: &Connection, id: i64) -> Result<Option<String>> {
    Ok(conn.query_row("SELECT secret_hash FROM endpoint_tokens WHERE id = ?", [id], |r| r.get(0)).optional()?)
}

/// Records an endpoint listening on `port` (the latest one started comes last).
pub(crate) fn insert_listener(tx: &Transaction<'_>, port: u16, now: &str) -> Result<()> {
    tx.execute("DELETE FROM endpoint_listeners WHERE port = ?", [port])?;
    tx.execute("INSERT INTO endpoint_listeners (port, started_at) VALUES (?, ?)", params![port, now])?;
    Ok(())
}

pub(crate) fn delete_listener(tx: &Transaction<'_>, port: u16) -> Result<()> {
    tx.execute("DELETE FROM endpoint_listeners WHERE port = ?", [port])?;
    Ok(())
}

/// The port of the endpoint started last, if one is recorded.
pub(crate) fn latest_listener(conn: &Connection) -> Result<Option<u16>> {
    Ok(conn.query_row("SELECT port FROM endpoint_listeners ORDER BY id DESC LIMIT 1", [], |r| r.get(0)).optional()?)
}
