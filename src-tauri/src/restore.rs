//! Restoring a backup from the app. The library cannot be replaced while the app has it open,
//! so `restore_backup` checks the backup, leaves a marker beside the library naming it
//! (`<library>.restore-pending`) and restarts the app; at the next start, before the library
//! is opened, [`apply_pending`] restores it and removes the marker (also when the restore
//! fails: a marker is acted on once). The marker holds only the backup's file name, and only a
//! file of the library's backups folder is restored.

use std::path::{Path, PathBuf};

/// The marker file of `library`: it holds the file name of the backup to restore.
pub fn marker(library: &Path) -> PathBuf {
    let name = library.file_name().map_or_else(|| "library".into(), |n| n.to_string_lossy().into_owned());
    library.with_file_name(format!("{name}.restore-pending"))
}

/// Asks for `from`, a backup in the library's backups folder, to replace the library at the
/// next start.
pub fn request(library: &Path, from: &Path) -> std::io::Result<()> {
    let name =
        from.file_name().and_then(|n| n.to_str()).filter(|_| from.parent() == Some(&quire::backup_folder(library)));
    let name = name.ok_or_else(|| {
        std::io::Error::new(std::io::ErrorKind::InvalidInput, "only a backup of the backups folder is restored")
    })?;
    std::fs::write(marker(library), name)
}

/// Restores the backup a marker names, if there is one, and removes the marker: `None` when
/// no restore was pending, else what happened, in words for the user.
pub fn apply_pending(library: &Path) -> Option<Result<String, String>> {
    let marker = marker(library);
    let named = match std::fs::read(&marker) {
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return None,
        Err(e) => Err(format!("Quire could not read {}: {e}", marker.display())),
        Ok(bytes) => {
            let name = String::from_utf8_lossy(&bytes).trim().to_owned();
            let plain = Path::new(&name).file_name().is_some_and(|n| n == name.as_str());
            if plain {
                Ok(quire::backup_folder(library).join(name))
            } else {
                Err(format!("Quire did not restore a backup: {} names no backup", marker.display()))
            }
        }
    };
    let outcome = named.and_then(|from| match quire::restore(library, &from) {
        Ok(report) => Ok(format!(
            "The library was restored from the backup {} ({} articles, {} highlights). The library as it was is kept as {}.",
            file_name(&from),
            report.restored.articles,
            report.restored.highlights,
            report.before.display()
        )),
        Err(e) => Err(format!("The backup {} was not restored: {e}. Your library is as it was.", file_name(&from))),
    });
    if let Err(e) = std::fs::remove_file(&marker) {
        if e.kind() != std::io::ErrorKind::NotFound {
            eprintln!("quire-desktop: cannot remove {}: {e}", marker.display());
        }
    }
    Some(outcome)
}

fn file_name(path: &Path) -> String {
    path.file_name().unwrap_or(path.as_os_str()).to_string_lossy().into_owned()
}

#[cfg(test)]
mod tests {
    use super::{apply_pending, marker, request};
    use std::path::PathBuf;

    fn temp_dir(name: &str) -> PathBuf {
        let dir = std::env::temp_dir().join(format!("quire-desktop-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn titles(library: &quire::Library) -> Vec<String> {
        let mut titles: Vec<String> =
            library.list_articles(&quire::ArticleFilter::default()).unwrap().into_iter().map(|a| a.title).collect();
        titles.sort();
        titles
    }

    #[test]
    fn a_pending_restore_replaces_the_library_once() {
        let dir = temp_dir("restore");
        let path = dir.join("library.sqlite3");
        let (backup, saved) = {
            let library = quire::Library::open(&path).unwrap();
            library.add_sample_article().unwrap();
            let backup = library.backup(None).unwrap();
            let saved = titles(&library);
            // Changed after the backup.
            let later = "After the backup\n\nA paragraph written after the backup was made.".to_owned();
            library.add(&quire::AddSource::Pasted(later), &Default::default()).unwrap();
            assert_ne!(titles(&library), saved);
            (backup, saved)
        };
        assert_eq!(saved.len(), 1);
        assert!(apply_pending(&path).is_none(), "no marker, nothing happens");

        request(&path, &backup.path).unwrap();
        assert!(marker(&path).exists());
        let outcome = apply_pending(&path).expect("the marker is acted on");
        assert!(outcome.as_ref().is_ok_and(|m| m.contains("restored")), "{outcome:?}");
        assert!(!marker(&path).exists(), "the marker is gone");
        let library = quire::Library::open(&path).unwrap();
        assert_eq!(titles(&library), saved, "the library is the backup");
        drop(library);
        let kept: Vec<_> = std::fs::read_dir(&dir)
            .unwrap()
            .flatten()
            .filter(|e| e.file_name().to_string_lossy().starts_with("library.sqlite3.before-restore-"))
            .collect();
        assert_eq!(kept.len(), 1, "the library as it was is kept");
        let before = quire::check_backup(&kept[0].path()).unwrap();
        assert_eq!(before.articles, 2);

        // A marker naming something that is not a library: refused, the library untouched,
        // the marker gone all the same.
        let bogus = quire::backup_folder(&path).join("library-20260101-000000.sqlite3");
        std::fs::write(&bogus, "hello").unwrap();
        request(&path, &bogus).unwrap();
        let outcome = apply_pending(&path).expect("the marker is acted on");
        assert!(outcome.is_err(), "{outcome:?}");
        assert!(!marker(&path).exists());
        assert_eq!(titles(&quire::Library::open(&path).unwrap()), saved);

        // Only the backups folder's files: a path elsewhere is not asked for, and a marker that
        // names one is refused.
        assert!(request(&path, &dir.join("elsewhere.sqlite3")).is_err());
        std::fs::write(marker(&path), dir.join("elsewhere.sqlite3").as_os_str().as_encoded_bytes()).unwrap();
        assert!(apply_pending(&path).expect("the marker is acted on").is_err());
        assert!(!marker(&path).exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
