//! Images (stored once by SHA-256, linked to the articles that show them) and snapshots (the
//! original page of an article, deflate-compressed).

use std::collections::HashMap;
use std::io::{Read, Write};

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use super::now;
use crate::{Error, Result, StoredImage};

/// The original page of an article, as it was fetched or read.
#[derive(Debug, Clone)]
pub(crate) struct Snapshot {
    pub(crate) url: Option<String>,
    pub(crate) content_type: Option<String>,
    pub(crate) encoding: String,
    pub(crate) html: String,
}

pub(crate) fn add_images(tx: &Transaction<'_>, article: i64, images: &[(String, StoredImage)]) -> Result<()> {
    let now = now();
    for (source_url, image) in images {
        tx.execute(
            "INSERT OR IGNORE INTO images (hash, mime, size, data, created_at) VALUES (?, ?, ?, ?, ?)",
            params![image.hash, image.mime, image.data.len() as i64, image.data, now],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO article_images (article_id, hash, source_url) VALUES (?, ?, ?)",
            params![article, image.hash, source_url],
        )?;
    }
    Ok(())
}

/// A stored image by hash.
pub(crate) fn image(conn: &Connection, hash: &str) -> Result<StoredImage> {
    conn.query_row("SELECT hash, mime, data FROM images WHERE hash = ?", [hash], |r| {
        Ok(StoredImage { hash: r.get("hash")?, mime: r.get("mime")?, data: r.get("data")? })
    })
    .optional()?
    .ok_or_else(|| Error::ImageNotFound(hash.to_owned()))
}

/// Where each image an article shows was downloaded from → its hash.
pub(crate) fn article_images(conn: &Connection, article: i64) -> Result<HashMap<String, String>> {
    let mut stmt = conn.prepare("SELECT source_url, hash FROM article_images WHERE article_id = ?")?;
    let map = stmt.query_map([article], |r| Ok((r.get("source_url")?, r.get("hash")?)))?;
    Ok(map.collect::<rusqlite::Result<_>>()?)
}

pub(crate) fn add_snapshot(tx: &Transaction<'_>, article: i64, s: &Snapshot) -> Result<()> {
    add_snapshot_at(tx, article, s, &now())
}

/// Adds a snapshot fetched at `fetched_at` (RFC 3339), e.g. one restored from an archive.
pub(crate) fn add_snapshot_at(tx: &Transaction<'_>, article: i64, s: &Snapshot, fetched_at: &str) -> Result<()> {
    tx.execute(
        "INSERT INTO snapshots (article_id, url, fetched_at, content_type, encoding, html_deflate) VALUES (?, ?, ?, ?, ?, ?)",
        params![article, s.url, fetched_at, s.content_type, s.encoding, deflate(&s.html)],
    )?;
    Ok(())
}

/// Every snapshot of an article, oldest first, with when it was fetched.
pub(crate) fn snapshots_of(conn: &Connection, article: i64) -> Result<Vec<(Snapshot, String)>> {
    let mut stmt = conn.prepare(
        "SELECT url, fetched_at, content_type, encoding, html_deflate FROM snapshots WHERE article_id = ?
         ORDER BY fetched_at, id",
    )?;
    let rows = stmt.query_map([article], |r| {
        Ok((
            r.get::<_, Option<String>>("url")?,
            r.get::<_, String>("fetched_at")?,
            r.get::<_, Option<String>>("content_type")?,
            r.get::<_, String>("encoding")?,
            r.get::<_, Vec<u8>>("html_deflate")?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (url, fetched_at, content_type, encoding, blob) = row?;
        out.push((Snapshot { url, content_type, encoding, html: inflate(&blob, article)? }, fetched_at));
    }
    Ok(out)
}

/// The original HTML of an article's newest snapshot, if it was clipped from HTML.
pub(crate) fn newest_snapshot_html(conn: &Connection, article: i64) -> Result<Option<String>> {
    let blob: Option<Vec<u8>> = conn
        .query_row(
            "SELECT html_deflate FROM snapshots WHERE article_id = ? ORDER BY fetched_at DESC, id DESC LIMIT 1",
            [article],
            |r| r.get(0),
        )
        .optional()?;
    blob.map(|b| inflate(&b, article)).transpose()
}

fn deflate(text: &str) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
    // Writing to a Vec cannot fail.
    encoder.write_all(text.as_bytes()).and_then(|()| encoder.finish()).unwrap_or_default()
}

fn inflate(blob: &[u8], article: i64) -> Result<String> {
    let mut out = String::new();
    flate2::read::DeflateDecoder::new(blob)
        .read_to_string(&mut out)
        .map_err(|source| Error::CorruptSnapshot { article, source })?;
    Ok(out)
}
