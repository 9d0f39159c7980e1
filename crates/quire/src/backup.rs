//! Backups that cannot lose a library: [`Library::backup`] copies it with SQLite's online
//! backup API (a consistent state while the app and the CLI write), checks the copy
//! (integrity, schema) and only then puts it in place; [`restore`] refuses anything that is
//! not a sound Quire library of this or an older schema, keeps the current file as a dated
//! `.before-restore` copy, and swaps the files with one rename.

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
                dir.join(format!("library-{}.sqlite3", stamp()))
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
/// library (integrity check, a schema this build knows); the current file is kept as
/// `<library>.before-restore-<UTC time>`; the swap is one rename. An older schema is brought up
/// to date when the library is next opened. No process may have the library open meanwhile.
pub fn restore(library: &Path, from: &Path) -> Result<RestoreReport> {
    backup::check(from)?;
    // A clean, self-contained copy beside the library, checked again.
    let tmp = files::temporary_beside(library)?;
    let _ = std::fs::remove_file(&tmp);
    if let Err(e) = backup::copy(from, &tmp).and_then(|()| backup::check(&tmp).map(|_| ())) {
        let _ = std::fs::remove_file(&tmp);
        return Err(e);
    }
    let name = library.file_name().map_or_else(|| "library".into(), |n| n.to_string_lossy().into_owned());
    let before = library.with_file_name(format!("{name}.before-restore-{}", stamp()));
    if library.exists() {
        // The current library, whole (its WAL included), as one file.
        if let Err(e) = backup::copy(library, &before) {
            let _ = std::fs::remove_file(&tmp);
            return Err(e);
        }
    }
    std::fs::rename(&tmp, library).map_err(|source| {
        let _ = std::fs::remove_file(&tmp);
        Error::Io { path: library.to_owned(), source }
    })?;
    // The old file's journal belongs to the old file.
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", library.display()));
    }
    let restored = check_backup(library)?;
    Ok(RestoreReport { restored, before })
}
