//! Backups and restores while the library is in use: a writer process adds articles and
//! highlights while `quire backup` runs 50 times; every backup is sound and holds every
//! article committed before it started, and restoring it gives exactly its content. Restore
//! refuses what is not a sound Quire library, and touches nothing then.

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use quire::{ErrorKind, Library};

use crate::cli::quire_bin;

fn ids(lib: &Path) -> Vec<i64> {
    let conn = rusqlite::Connection::open_with_flags(lib, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut stmt = conn.prepare("SELECT id FROM articles ORDER BY id").unwrap();
    stmt.query_map([], |r| r.get(0)).unwrap().collect::<rusqlite::Result<_>>().unwrap()
}

/// Everything a user would miss: articles with their text, highlights, tags.
fn content(lib: &Path) -> Vec<String> {
    let conn = rusqlite::Connection::open_with_flags(lib, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
    let mut out = Vec::new();
    for sql in [
        "SELECT id || ' ' || title || ' ' || content_hash || ' ' || status FROM articles ORDER BY id",
        "SELECT id || ' ' || article_id || ' ' || exact || ' ' || start_offset || ' ' || note FROM highlights ORDER BY id",
        "SELECT article_id || ' ' || tag_id FROM article_tags ORDER BY 1",
    ] {
        let mut stmt = conn.prepare(sql).unwrap();
        out.extend(stmt.query_map([], |r| r.get::<_, String>(0)).unwrap().map(Result::unwrap));
    }
    out
}

/// Adds a text through `quire --json add -` (with these extra arguments) in a process of its
/// own; returns the new article's id.
fn add_through_cli(lib: &Path, text: &str, extra: &[&str]) -> i64 {
    let mut child = Command::new(quire_bin())
        .args(["--json", "add", "-"])
        .args(extra)
        .env("QUIRE_LIBRARY", lib)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    serde_json::from_slice::<serde_json::Value>(&out.stdout).unwrap()[0]["id"].as_i64().unwrap()
}

#[test]
fn fifty_backups_while_a_writer_writes_are_all_sound_and_complete() {
    let dir = tempfile::tempdir().unwrap();
    let lib_path = dir.path().join("library.sqlite3");
    drop(Library::open(&lib_path).unwrap());
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (stop, lib_path) = (stop.clone(), lib_path.clone());
        std::thread::spawn(move || {
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let text = format!("Article {n}\n\nThe alliance met for the {n}th time to talk about the summit.\n");
                let id = add_through_cli(&lib_path, &text, &["--tag", "backup"]).to_string();
                let ok = Command::new(quire_bin())
                    .args(["highlight", &id, "--quote", "The alliance met", "--note", "n"])
                    .env("QUIRE_LIBRARY", &lib_path)
                    .output()
                    .unwrap();
                assert!(ok.status.success(), "{}", String::from_utf8_lossy(&ok.stderr));
                n += 1;
            }
            n
        })
    };
    let backups = dir.path().join("backups");
    std::fs::create_dir(&backups).unwrap();
    let mut checked = 0;
    for i in 0..50 {
        let before = ids(&lib_path);
        let to = backups.join(format!("b{i}.sqlite3"));
        let out = Command::new(quire_bin())
            .args(["--json", "backup", to.to_str().unwrap()])
            .env("QUIRE_LIBRARY", &lib_path)
            .output()
            .unwrap();
        assert!(out.status.success(), "backup {i}: {}", String::from_utf8_lossy(&out.stderr));
        let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        let check = quire::check_backup(&to).unwrap_or_else(|e| panic!("backup {i} is not sound: {e}"));
        assert_eq!(report["articles"].as_i64(), Some(check.articles));
        let held = ids(&to);
        assert!(before.iter().all(|id| held.contains(id)), "backup {i} misses articles committed before it started");
        checked += usize::from(!before.is_empty());
    }
    stop.store(true, Ordering::SeqCst);
    let written = writer.join().unwrap();
    assert!(written > 5 && checked > 40, "the writer wrote during the backups ({written} articles, {checked} checked)");

    // Restoring each backup gives exactly its content.
    for i in (0..50).step_by(7) {
        let from = backups.join(format!("b{i}.sqlite3"));
        let want = content(&from);
        let out = Command::new(quire_bin())
            .args(["restore", from.to_str().unwrap()])
            .env("QUIRE_LIBRARY", &lib_path)
            .output()
            .unwrap();
        assert!(out.status.success(), "restore {i}: {}", String::from_utf8_lossy(&out.stderr));
        assert_eq!(content(&lib_path), want, "restore {i}");
        let lib = Library::open(&lib_path).unwrap();
        assert_eq!(
            lib.count_articles(&Default::default()).unwrap().articles as usize,
            want.iter().filter(|l| l.contains(" unread")).count()
        );
    }
    let kept = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .filter(|e| e.file_name().to_string_lossy().contains(".before-restore-"))
        .count();
    assert!(kept >= 1, "the library before each restore is kept");
}

#[test]
fn restore_refuses_what_is_not_a_sound_library_and_touches_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let lib_path = dir.path().join("library.sqlite3");
    let lib = Library::open(&lib_path).unwrap();
    quire_tests::add_reference_article(&lib);
    drop(lib);
    let before = content(&lib_path);

    let garbage = dir.path().join("garbage.sqlite3");
    std::fs::write(&garbage, b"not a database at all, just bytes").unwrap();
    let other = dir.path().join("other.sqlite3");
    rusqlite::Connection::open(&other)
        .unwrap()
        .execute_batch("CREATE TABLE notes (x); PRAGMA user_version = 3;")
        .unwrap();
    let newer = dir.path().join("newer.sqlite3");
    drop(Library::open(&newer).unwrap());
    rusqlite::Connection::open(&newer).unwrap().pragma_update(None, "user_version", 999).unwrap();
    let truncated = dir.path().join("truncated.sqlite3");
    let whole = std::fs::read(&lib_path).unwrap();
    std::fs::write(&truncated, &whole[..whole.len() / 3]).unwrap();

    for (file, kind) in [
        (&garbage, ErrorKind::Library),
        (&other, ErrorKind::Library),
        (&newer, ErrorKind::Library),
        (&truncated, ErrorKind::Library),
        (&dir.path().join("missing.sqlite3"), ErrorKind::Library),
    ] {
        let err = quire::restore(&lib_path, file).unwrap_err();
        assert_eq!(err.kind(), kind, "{}: {err}", file.display());
        assert_eq!(content(&lib_path), before, "{} changed the library", file.display());
    }
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".tmp") || n.contains("before-restore"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

/// The app keeps the library open (its window, its daily backup) while a restore runs, and
/// other processes keep writing: the restore goes into the live file, so the open connection
/// sees the restored library and what it writes afterwards lands in it, and every write a
/// process finished after the restore is there.
#[test]
fn restore_while_the_library_is_open_and_written_keeps_every_later_write() {
    let dir = tempfile::tempdir().unwrap();
    let lib_path = dir.path().join("library.sqlite3");
    let app = Library::open(&lib_path).unwrap();
    quire_tests::add_reference_article(&app);
    let backup = app.backup(None).unwrap();
    let between = add_through_cli(
        &lib_path,
        "Written after the backup\n\nThis article was added after the backup was made.\n",
        &[],
    );

    // A writer process keeps adding while the restore runs; it records which adds finished
    // after the restore returned.
    let restored = Arc::new(AtomicBool::new(false));
    let stop = Arc::new(AtomicBool::new(false));
    let writer = {
        let (restored, stop, lib_path) = (restored.clone(), stop.clone(), lib_path.clone());
        std::thread::spawn(move || {
            let mut after = Vec::new();
            let mut n = 0;
            while !stop.load(Ordering::SeqCst) {
                let started_after = restored.load(Ordering::SeqCst);
                let text = format!("Writer article {n}\n\nThe writer process added article number {n} here.\n");
                let id = add_through_cli(&lib_path, &text, &[]);
                if started_after {
                    after.push(id);
                }
                n += 1;
            }
            after
        })
    };
    std::thread::sleep(std::time::Duration::from_millis(300));
    let report = quire::restore(&lib_path, &backup.path).unwrap();
    restored.store(true, Ordering::SeqCst);
    // The connection opened before the restore sees the restored library...
    let titles: Vec<String> = app.list_articles(&Default::default()).unwrap().into_iter().map(|a| a.title).collect();
    assert!(!titles.iter().any(|t| t == "Written after the backup"), "{titles:?}");
    assert!(titles.iter().any(|t| t.contains("NATO") || t.contains("Ukraine")), "{titles:?}");
    // ...and what it writes now is in the library file, not in a file set aside.
    let later = app
        .add(
            &quire::AddSource::Pasted("Written by the app after the restore\n\nThe open window added this.".into()),
            &Default::default(),
        )
        .unwrap();
    std::thread::sleep(std::time::Duration::from_millis(600));
    stop.store(true, Ordering::SeqCst);
    let after = writer.join().unwrap();
    drop(app);

    let integrity: String =
        rusqlite::Connection::open(&lib_path).unwrap().query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok");
    let held = ids(&lib_path);
    assert!(!after.is_empty(), "the writer wrote after the restore");
    for id in &after {
        assert!(held.contains(id), "article {id}, added after the restore, is missing");
    }
    let titles_in = |lib: &Path| -> Vec<String> {
        let conn = rusqlite::Connection::open_with_flags(lib, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).unwrap();
        let mut stmt = conn.prepare("SELECT title FROM articles").unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().map(Result::unwrap).collect()
    };
    let title = "Written after the backup".to_owned();
    assert!(!titles_in(&lib_path).contains(&title), "the restore brought back the backup's state");
    assert!(titles_in(&report.before).contains(&title), "the library as it was is kept");
    assert!(ids(&report.before).contains(&between));
    let later_title = "Written by the app after the restore".to_owned();
    assert!(titles_in(&lib_path).contains(&later_title), "the app's write after the restore is in the library");
    assert!(held.contains(&later.id));
}

/// A library file that is no longer a database (a bad disk, a bad copy) is exactly when a
/// restore is needed: it is set aside whole and the backup takes its place.
#[test]
fn restore_replaces_a_library_that_is_not_a_database_any_more() {
    let dir = tempfile::tempdir().unwrap();
    let lib_path = dir.path().join("library.sqlite3");
    let lib = Library::open(&lib_path).unwrap();
    quire_tests::add_reference_article(&lib);
    let backup = lib.backup(None).unwrap();
    drop(lib);
    let want = content(&backup.path);
    std::fs::write(&lib_path, b"this was a library before the disk went bad").unwrap();
    let report = quire::restore(&lib_path, &backup.path).unwrap();
    assert_eq!(content(&lib_path), want);
    assert_eq!(std::fs::read(&report.before).unwrap(), b"this was a library before the disk went bad");
    assert_eq!(Library::open(&lib_path).unwrap().count_articles(&Default::default()).unwrap().articles, 1);
}

#[cfg(unix)]
#[test]
fn exports_and_backups_never_replace_a_device() {
    use std::os::unix::fs::FileTypeExt;
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(&dir.path().join("library.sqlite3")).unwrap();
    let (id, _) = quire_tests::add_reference_article(&lib);
    let err = lib.backup(Some(Path::new("/dev/full"))).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io, "{err}");
    let out = Command::new(quire_bin())
        .args(["export", &id.to_string(), "-o", "/dev/full"])
        .env("QUIRE_LIBRARY", dir.path().join("library.sqlite3"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(5), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(String::from_utf8_lossy(&out.stderr).contains("not a file"));
    assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device(), "/dev/full is still a device");
}

/// An older library gets a checked backup before it is upgraded (unless asked not to); the
/// daily backup is made once a day; `quire backups` lists them all.
#[test]
fn upgrades_and_days_leave_backups_behind() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    {
        let mut conn = rusqlite::Connection::open(&path).unwrap();
        quire::migrate_to(&mut conn, &path, 3).unwrap();
        conn.execute(
            "INSERT INTO articles (title, clipped_at, updated_at, document, canonical_text, text_version, content_hash, word_count)
             VALUES ('Old one', '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', '{\"blocks\":[]}', '', 1, 'h1', 0)",
            [],
        )
        .unwrap();
    }
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.schema_version().unwrap(), quire::SCHEMA_VERSION);
    let backups = quire::list_backups(&path).unwrap();
    assert_eq!(backups.len(), 1, "{backups:?}");
    assert_eq!(backups[0].kind, quire::BackupKind::BeforeMigration);
    let kept = quire::check_backup(&backups[0].path).unwrap();
    assert_eq!((kept.schema, kept.articles), (3, 1), "the backup is the library as it was");

    let made = lib.daily_backup(quire::Retention::default()).unwrap();
    assert!(made.is_some());
    assert!(lib.daily_backup(quire::Retention::default()).unwrap().is_none(), "once a day");
    let out = std::process::Command::new(crate::cli::quire_bin())
        .args(["backups"])
        .env("QUIRE_LIBRARY", &path)
        .output()
        .unwrap();
    let listed = String::from_utf8_lossy(&out.stdout);
    assert!(listed.contains("daily") && listed.contains("before an upgrade"), "{listed}");

    // Opting out.
    let other = dir.path().join("other").join("library.sqlite3");
    std::fs::create_dir_all(other.parent().unwrap()).unwrap();
    {
        let mut conn = rusqlite::Connection::open(&other).unwrap();
        quire::migrate_to(&mut conn, &other, 2).unwrap();
    }
    let out = std::process::Command::new(crate::cli::quire_bin())
        .args(["--no-backup", "list"])
        .env("QUIRE_LIBRARY", &other)
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(quire::list_backups(&other).unwrap().is_empty());
}

#[test]
fn two_backups_in_one_second_are_two_files() {
    let dir = tempfile::tempdir().unwrap();
    let lib = Library::open(&dir.path().join("library.sqlite3")).unwrap();
    let a = lib.backup(None).unwrap();
    let b = lib.backup(None).unwrap();
    assert_ne!(a.path, b.path);
    let listed = quire::list_backups(lib.path()).unwrap();
    assert_eq!(listed.len(), 2);
    assert_eq!(listed[0].path, b.path, "the later backup is listed first, also within one second");
    // Three in one second: `-3` before `-2` before the first.
    let c = lib.backup(None).unwrap();
    let listed = quire::list_backups(lib.path()).unwrap();
    assert_eq!(listed[0].path, c.path);
}
