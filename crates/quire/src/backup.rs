//! Backups that cannot lose a library: [`Library::backup`] copies it with SQLite's online
//! backup API (a consistent state while the app and the CLI write), checks the copy
//! (integrity, schema) and only then puts it in place; [`restore`] refuses anything that is
//! not a sound Quire library of this or an older schema, keeps the current file as a dated
//! `.before-restore` copy, and puts the backup's content into the live file in one write
//! transaction (so it works while the app and the CLI have the library open).

use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::store::backup::{self, Contents};
use crate::{files, Error, Library, Result};

/// What a backup (or a restored library) holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BackupReport {
    #[ts(type = "string")]
    pub path: PathBuf,
    #[ts(type = "number")]
    pub bytes: u64,
    #[ts(type = "number")]
    pub schema: i64,
    #[ts(type = "number")]
    pub articles: i64,
    #[ts(type = "number")]
    pub highlights: i64,
    #[ts(type = "number")]
    pub tags: i64,
}

impl BackupReport {
    fn new(path: &Path, c: Contents) -> Self {
        let bytes = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
        BackupReport {
            path: path.to_owned(),
            bytes,
            schema: c.schema,
            articles: c.articles,
            highlights: c.highlights,
            tags: c.tags,
        }
    }
}

/// What a restore did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct RestoreReport {
    /// The library as it is now.
    pub restored: BackupReport,
    /// Where the library as it was before is kept.
    #[ts(type = "string")]
    pub before: PathBuf,
}

/// The folder backups go to by default: `backups/` beside the library.
pub fn backup_folder(library: &Path) -> PathBuf {
    library.parent().unwrap_or(Path::new(".")).join("backups")
}

/// Why a backup in the backups folder was made (from its file name).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, ts_rs::TS)]
#[serde(rename_all = "snake_case")]
pub enum BackupKind {
    /// Asked for (`quire backup`, or from the app).
    Manual,
    /// The daily automatic backup.
    Daily,
    /// Before the library was migrated to a newer schema.
    BeforeMigration,
}

/// A backup in the backups folder.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, ts_rs::TS)]
pub struct BackupEntry {
    #[ts(type = "string")]
    pub path: PathBuf,
    pub kind: BackupKind,
    /// When it was made, RFC 3339 UTC (from its name).
    pub taken_at: String,
    #[ts(type = "number")]
    pub bytes: u64,
}

/// The backups in the backups folder of `library`, newest first. Files that are not Quire's
/// backups are left out.
pub fn list_backups(library: &Path) -> Result<Vec<BackupEntry>> {
    let dir = backup_folder(library);
    let entries = match std::fs::read_dir(&dir) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(source) => return Err(Error::Io { path: dir, source }),
        Ok(entries) => entries,
    };
    let mut out = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        let Some((kind, stamp)) = parse_name(&name) else { continue };
        let bytes = entry.metadata().map(|m| m.len()).unwrap_or(0);
        out.push(BackupEntry { path: entry.path(), kind, taken_at: stamp, bytes });
    }
    // Newest first; within one second, the later copy (`-2` after the time, `-3`…) first.
    let sequence = |e: &BackupEntry| -> u64 {
        let stem = e.path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
        stem.rsplit_once('-')
            .filter(|(head, _)| head.len() >= 15 && head.as_bytes()[head.len() - 7] == b'-')
            .and_then(|(_, n)| n.parse().ok())
            .unwrap_or(1)
    };
    out.sort_by(|a, b| {
        b.taken_at.cmp(&a.taken_at).then_with(|| sequence(b).cmp(&sequence(a))).then_with(|| b.path.cmp(&a.path))
    });
    Ok(out)
}

/// `library-<stamp>.sqlite3` (manual), `daily-<stamp>.sqlite3`, `before-v<N>-<stamp>.sqlite3`.
fn parse_name(name: &str) -> Option<(BackupKind, String)> {
    let stem = name.strip_suffix(".sqlite3")?;
    let (kind, stamp) = if let Some(s) = stem.strip_prefix("library-") {
        (BackupKind::Manual, s)
    } else if let Some(s) = stem.strip_prefix("daily-") {
        (BackupKind::Daily, s)
    } else {
        let rest = stem.strip_prefix("before-v")?;
        let (_, s) = rest.split_once('-')?;
        (BackupKind::BeforeMigration, s)
    };
    // A second backup in the same second has `-N` after the time.
    let stamp = match stamp.get(15..) {
        Some(rest) if rest.len() > 1 && rest.starts_with('-') && rest[1..].bytes().all(|c| c.is_ascii_digit()) => {
            &stamp[..15]
        }
        _ => stamp,
    };
    let b = stamp.as_bytes();
    if b.len() != 15 || b[8] != b'-' || !b.iter().enumerate().all(|(i, c)| i == 8 || c.is_ascii_digit()) {
        return None;
    }
    Some((
        kind,
        format!(
            "{}-{}-{}T{}:{}:{}Z",
            &stamp[0..4],
            &stamp[4..6],
            &stamp[6..8],
            &stamp[9..11],
            &stamp[11..13],
            &stamp[13..15]
        ),
    ))
}

/// How many automatic backups are kept.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retention {
    /// The newest daily backups.
    pub daily: usize,
    /// Beyond those, the newest backup of each of this many earlier weeks.
    pub weekly: usize,
}

impl Default for Retention {
    fn default() -> Self {
        Retention { daily: 7, weekly: 4 }
    }
}

/// The daily backups to delete under `keep`, given them newest first.
fn to_prune(daily: &[BackupEntry], keep: Retention) -> Vec<PathBuf> {
    let mut weeks_kept = std::collections::BTreeSet::new();
    let mut out = Vec::new();
    for (i, b) in daily.iter().enumerate() {
        if i < keep.daily {
            continue;
        }
        let week = time::OffsetDateTime::parse(&b.taken_at, &time::format_description::well_known::Rfc3339)
            .map(|t| (t.year(), t.iso_week()))
            .unwrap_or((0, 0));
        if weeks_kept.len() < keep.weekly && weeks_kept.insert(week) {
            continue;
        }
        out.push(b.path.clone());
    }
    out
}

impl Library {
    /// The daily backup: when none was made today (UTC), makes one (`backups/daily-<time>`),
    /// then deletes daily backups beyond `keep` (the newest 7, and one for each of 4 earlier
    /// weeks by default). Returns the new backup, if one was made.
    pub fn daily_backup(&self, keep: Retention) -> Result<Option<BackupReport>> {
        let today = crate::store::now()[..10].to_owned();
        let daily: Vec<BackupEntry> =
            list_backups(self.path())?.into_iter().filter(|b| b.kind == BackupKind::Daily).collect();
        if daily.first().is_some_and(|b| b.taken_at.starts_with(&today)) {
            return Ok(None);
        }
        let dir = backup_folder(self.path());
        std::fs::create_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
        let made = self.backup(Some(&free_name(&dir, "daily")))?;
        let daily: Vec<BackupEntry> =
            list_backups(self.path())?.into_iter().filter(|b| b.kind == BackupKind::Daily).collect();
        for old in to_prune(&daily, keep) {
            std::fs::remove_file(&old).map_err(|source| Error::Io { path: old.clone(), source })?;
        }
        Ok(Some(made))
    }
}

/// Before an older library is migrated: a checked copy as `backups/before-v<N>-<time>.sqlite3`.
pub(crate) fn before_migration(library: &Path) -> Result<()> {
    let Some(version) = backup::schema_of(library) else { return Ok(()) };
    if version == 0 || version >= crate::SCHEMA_VERSION {
        return Ok(());
    }
    let dir = backup_folder(library);
    std::fs::create_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
    let to = dir.join(format!("before-v{version}-{}.sqlite3", stamp()));
    let tmp = files::temporary_beside(&to)?;
    let _ = std::fs::remove_file(&tmp);
    if let Err(e) = backup::copy(library, &tmp).and_then(|()| backup::check(&tmp).map(|_| ())) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    std::fs::rename(&tmp, &to).map_err(|source| Error::Io { path: to, source })
}

/// `<kind>-<time>.sqlite3` in `dir`, or with `-2`, `-3`… when a backup was already made in
/// that second: a second backup never replaces the first.
fn free_name(dir: &Path, kind: &str) -> PathBuf {
    let stamp = stamp();
    let mut path = dir.join(format!("{kind}-{stamp}.sqlite3"));
    let mut n = 2;
    while path.exists() {
        path = dir.join(format!("{kind}-{stamp}-{n}.sqlite3"));
        n += 1;
    }
    path
}

fn stamp() -> String {
    let now = time::OffsetDateTime::now_utc();
    format!(
        "{:04}{:02}{:02}-{:02}{:02}{:02}",
        now.year(),
        u8::from(now.month()),
        now.day(),
        now.hour(),
        now.minute(),
        now.second()
    )
}

impl Library {
    /// Copies the library to `to` (default: `backups/library-<UTC time>.sqlite3` beside it),
    /// checks the copy and says what it holds. An existing file at `to` is replaced only by a
    /// checked copy, in one rename.
    pub fn backup(&self, to: Option<&Path>) -> Result<BackupReport> {
        let to = match to {
            Some(path) => path.to_owned(),
            None => {
                let dir = backup_folder(self.path());
                std::fs::create_dir_all(&dir).map_err(|source| Error::Io { path: dir.clone(), source })?;
                free_name(&dir, "library")
            }
        };
        let to = files::destination(&to)?;
        let tmp = files::temporary_beside(&to)?;
        let _ = std::fs::remove_file(&tmp);
        let made = backup::copy(self.path(), &tmp).and_then(|()| backup::check(&tmp));
        let contents = match made {
            Ok(contents) => contents,
            Err(e) => {
                let _ = std::fs::remove_file(&tmp);
                return Err(e);
            }
        };
        std::fs::rename(&tmp, &to).map_err(|source| {
            let _ = std::fs::remove_file(&tmp);
            Error::Io { path: to.clone(), source }
        })?;
        Ok(BackupReport::new(&to, contents))
    }
}

/// Says what the library file at `path` holds after checking it as [`restore`] would.
pub fn check_backup(path: &Path) -> Result<BackupReport> {
    Ok(BackupReport::new(path, backup::check(path)?))
}

/// Replaces the library at `library` with the backup `from`: `from` must be a sound Quire
/// library (integrity check, a schema this build knows; an older one is brought up to date on
/// a private copy first); the current library is kept as `<library>.before-restore-<UTC
/// time>`. The library may be open meanwhile, in this process or others (the app, its daily
/// backup, a CLI command): the backup's pages go into the live file in one write transaction,
/// which waits for any writer and which every connection sees whole at its next read. Only a
/// library that is no longer a database at all is set aside by renaming it instead.
pub fn restore(library: &Path, from: &Path) -> Result<RestoreReport> {
    backup::check(from)?;
    // A clean, self-contained copy beside the library, at this build's schema, checked again.
    let tmp = files::temporary_beside(library)?;
    let discard = |tmp: &Path| {
        for suffix in ["", "-wal", "-shm", "-journal"] {
            let _ = std::fs::remove_file(format!("{}{suffix}", tmp.display()));
        }
    };
    discard(&tmp);
    let prepared = backup::copy(from, &tmp)
        .and_then(|()| {
            Library::open_with(&tmp, &crate::OpenOptions { backup_before_migration: false, ..Default::default() })
                .map(drop)
        })
        .and_then(|()| {
            let size = if library.exists() { backup::page_size(library).ok() } else { None };
            backup::settle(&tmp, size.unwrap_or(DEFAULT_PAGE_SIZE))
        })
        // A new content generation, restored with the content in one transaction: the search
        // index built from what it replaces is rebuilt, whatever happens after.
        .and_then(|()| backup::renew_generation(&tmp))
        .and_then(|()| backup::check(&tmp).map(drop));
    if let Err(e) = prepared {
        discard(&tmp);
        return Err(e);
    }
    let name = library.file_name().map_or_else(|| "library".into(), |n| n.to_string_lossy().into_owned());
    let before = library.with_file_name(format!("{name}.before-restore-{}", stamp()));
    let result = if !library.exists() {
        std::fs::rename(&tmp, library).map_err(|source| Error::Io { path: library.to_owned(), source })
    } else {
        match backup::copy(library, &before) {
            // The current library, whole (its WAL included), is kept; now the backup's pages
            // go in. Should that fail, the library is as it was and the copy is not needed.
            Ok(()) => backup::copy_into(&tmp, library).inspect_err(|_| {
                let _ = std::fs::remove_file(&before);
            }),
            // A library that opens and passes its check could not be copied (a full disk, a
            // lock held too long): it stays where it is, untouched.
            Err(e) if backup::is_sound_database(library) => {
                let _ = std::fs::remove_file(&before);
                Err(e)
            }
            // Not readable as a database any more: nobody can be using it; set it aside whole.
            Err(_) => {
                let _ = std::fs::remove_file(&before);
                set_aside(library, &before).and_then(|()| {
                    std::fs::rename(&tmp, library).map_err(|source| Error::Io { path: library.to_owned(), source })
                })
            }
        }
    };
    discard(&tmp);
    result?;
    let restored = check_backup(library)?;
    Ok(RestoreReport { restored, before })
}

/// SQLite's default page size, for a library restored where there was none.
const DEFAULT_PAGE_SIZE: i64 = 4096;

/// Moves a broken library file and its journal files to `before`.
fn set_aside(library: &Path, before: &Path) -> Result<()> {
    std::fs::rename(library, before).map_err(|source| Error::Io { path: library.to_owned(), source })?;
    for suffix in ["-wal", "-shm"] {
        let from = format!("{}{suffix}", library.display());
        if Path::new(&from).exists() {
            let _ = std::fs::rename(&from, format!("{}{suffix}", before.display()));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn daily(day: u32) -> BackupEntry {
        // Days of 2026: 1 January is a Thursday; day N is N days later.
        let t = time::macros::datetime!(2026-01-01 03:00 UTC) + time::Duration::days(i64::from(day));
        let taken_at = t.format(&time::format_description::well_known::Rfc3339).unwrap();
        BackupEntry { path: PathBuf::from(format!("d{day}")), kind: BackupKind::Daily, taken_at, bytes: 1 }
    }

    #[test]
    fn keeps_seven_days_then_one_per_week_for_four_weeks() {
        let backups: Vec<BackupEntry> = (0..60).rev().map(daily).collect(); // newest first
        let pruned = to_prune(&backups, Retention::default());
        let kept: Vec<_> = backups.iter().map(|b| b.path.clone()).filter(|p| !pruned.contains(p)).collect();
        assert_eq!(kept.len(), 11, "{kept:?}");
        assert_eq!(&kept[..7], (53..60).rev().map(|d| PathBuf::from(format!("d{d}"))).collect::<Vec<_>>().as_slice());
        // Then the newest of each earlier week (weeks run Monday to Sunday).
        let weeks: Vec<_> = kept[7..].iter().map(|p| p.to_string_lossy().into_owned()).collect();
        assert_eq!(weeks.len(), 4);
        assert_eq!(pruned.len(), 49);
    }

    #[test]
    fn backup_names_are_read_and_others_ignored() {
        assert_eq!(
            parse_name("daily-20260102-030405.sqlite3"),
            Some((BackupKind::Daily, "2026-01-02T03:04:05Z".into()))
        );
        assert_eq!(parse_name("library-20260102-030405.sqlite3").map(|p| p.0), Some(BackupKind::Manual));
        assert_eq!(
            parse_name("library-20260102-030405-2.sqlite3"),
            Some((BackupKind::Manual, "2026-01-02T03:04:05Z".into()))
        );
        assert_eq!(parse_name("before-v3-20260102-030405.sqlite3").map(|p| p.0), Some(BackupKind::BeforeMigration));
        for other in
            ["notes.txt", "daily-2026.sqlite3", "daily-20260102x030405.sqlite3", ".daily-20260102-030405.sqlite3.9.tmp"]
        {
            assert_eq!(parse_name(other), None, "{other}");
        }
    }
}
