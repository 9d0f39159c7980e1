use quire::{Library, MIGRATIONS, SCHEMA_VERSION};
use quire_tests::{add_reference_article, data, reference_quotes, REFERENCE_TITLE};

use crate::temp_library;

#[test]
fn a_new_file_is_migrated_and_reopening_is_idempotent() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/folder/library.sqlite3");
    let lib = Library::open(&path).expect("creates folders and file");
    assert_eq!(lib.schema_version().unwrap(), SCHEMA_VERSION);
    drop(lib);
    for _ in 0..2 {
        let lib = Library::open(&path).expect("reopens");
        assert_eq!(lib.schema_version().unwrap(), SCHEMA_VERSION);
    }
    let conn = rusqlite_conn(&path);
    let mode: String = conn.query_row("PRAGMA journal_mode", [], |r| r.get(0)).unwrap();
    assert_eq!(mode, "wal");
}

#[test]
fn upgrades_from_every_earlier_version_keep_data() {
    for from in 0..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let mut conn = rusqlite_conn(&path);
            quire::migrate_to(&mut conn, &path, from).unwrap();
            let v: i64 = conn.query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
            assert_eq!(v, from);
        }
        let lib = Library::open(&path).expect("upgrade");
        assert_eq!(lib.schema_version().unwrap(), SCHEMA_VERSION, "from version {from}");
        let (id, _) = add_reference_article(&lib);
        let (_, secret) = lib.new_token("after the upgrade").unwrap();
        lib.endpoint_listening(47712).unwrap();
        let code = lib.new_pairing_code().unwrap();
        assert_eq!(quire::pairing_code_port(&code), Some(quire::CodePort::Default(47712)), "from version {from}");
        drop(lib);
        let lib = Library::open(&path).unwrap();
        assert_eq!(lib.article(id).unwrap().highlights.len(), 4);
        assert!(lib.check_token(&secret).unwrap().is_some(), "from version {from}");
        assert_eq!(lib.endpoint_port().unwrap(), Some(47712), "from version {from}");
        lib.redeem_pairing_code_on(&code, "a client", 47712).unwrap();
    }
    assert_eq!(MIGRATIONS.len() as i64, SCHEMA_VERSION);
}

#[test]
fn a_library_from_a_newer_quire_is_refused_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new.sqlite3");
    rusqlite_conn(&path).execute_batch("PRAGMA user_version = 999; CREATE TABLE future (x);").unwrap();
    let err = Library::open(&path).err().expect("refused");
    assert_eq!(err.kind(), quire::ErrorKind::Library);
    assert!(err.to_string().contains("newer Quire"), "{err}");
    let v: i64 = rusqlite_conn(&path).query_row("PRAGMA user_version", [], |r| r.get(0)).unwrap();
    assert_eq!(v, 999);
}

#[test]
fn a_file_that_is_not_a_database_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("notes.txt");
    std::fs::write(&path, "this is not SQLite, and it must stay as it is ".repeat(200)).unwrap();
    let before = std::fs::read(&path).unwrap();
    let err = Library::open(&path).err().expect("refused");
    assert!(err.to_string().contains(&path.display().to_string()), "{err}");
    assert_eq!(std::fs::read(&path).unwrap(), before);
}

#[test]
fn the_reference_article_round_trips() {
    let (_dir, lib) = temp_library();
    let (id, highlights) = add_reference_article(&lib);
    let view = lib.article(id).unwrap();
    assert_eq!(view.summary.title, REFERENCE_TITLE);
    // The canonical text is the article's paragraphs (everything after the title line),
    // verbatim, joined by blank lines.
    let source = std::fs::read_to_string(data("article.txt")).unwrap();
    let paragraphs: Vec<&str> = source.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).skip(1).collect();
    assert_eq!(paragraphs.len(), 21);
    assert_eq!(lib.canonical_text(id).unwrap(), paragraphs.join("\n\n"));
    assert_eq!(view.document.canonical_text(), paragraphs.join("\n\n"));
    assert_eq!(view.document.blocks.len(), paragraphs.len());
    assert_eq!(view.summary.word_count, 418 - 9);
    // Each highlight anchors exactly on its quote, and survives reopening.
    let text: Vec<char> = lib.canonical_text(id).unwrap().chars().collect();
    for (h, q) in highlights.iter().zip(reference_quotes()) {
        let slice: String = text[h.position.start..h.position.end].iter().collect();
        assert_eq!(slice, q.exact);
        assert_eq!(h.quote.exact, q.exact);
        assert!(!h.quote.prefix.is_empty() && h.quote.prefix.chars().count() <= 32);
        assert!(!h.quote.suffix.is_empty() && h.quote.suffix.chars().count() <= 32);
        assert_eq!((h.color, &h.note), (q.color, &q.note));
    }
    let path = lib.path().to_owned();
    drop(lib);
    let lib = Library::open(&path).unwrap();
    let reopened = lib.article(id).unwrap();
    let mut expected = highlights.clone();
    expected.sort_by_key(|h| h.position.start);
    assert_eq!(reopened.highlights, expected);
    assert_eq!(reopened.summary.highlight_count, 4);
}

#[test]
fn adding_the_same_content_again_reports_the_existing_article() {
    let (_dir, lib) = temp_library();
    let first = lib.add(&quire::AddSource::Path(data("article.txt").to_owned()), &Default::default()).unwrap();
    let again = lib.add(&quire::AddSource::Path(data("article.txt").to_owned()), &Default::default()).unwrap();
    assert!(first.created);
    assert!(!again.created);
    assert_eq!(again.id, first.id);
    assert_eq!(lib.list_articles(&Default::default()).unwrap().len(), 1);
}

#[test]
fn bad_files_are_clear_errors_and_change_nothing() {
    let (dir, lib) = temp_library();
    let (id, _) = add_reference_article(&lib);
    let cases: Vec<(std::path::PathBuf, quire::ErrorKind, &str)> = vec![
        (dir.path().join("missing.txt"), quire::ErrorKind::Io, "missing.txt"),
        (data("highlights.json"), quire::ErrorKind::Unsupported, "only .txt, .md, .html, .htm and .mhtml"),
        (
            {
                let p = dir.path().join("empty.txt");
                std::fs::write(&p, "\n  \n").unwrap();
                p
            },
            quire::ErrorKind::InvalidInput,
            "holds no text",
        ),
        (
            {
                let p = dir.path().join("empty.html");
                std::fs::write(&p, "<html><body><script>x()</script></body></html>").unwrap();
                p
            },
            quire::ErrorKind::InvalidInput,
            "holds no text",
        ),
    ];
    for (path, kind, message) in cases {
        let err = lib.add(&quire::AddSource::Path(path.to_owned()), &Default::default()).expect_err("refused");
        assert_eq!(err.kind(), kind, "{path:?}: {err}");
        assert!(err.to_string().contains(message), "{path:?}: {err}");
    }
    // A bad tag refuses the whole add: no article without its tags.
    let options = quire::AddOptions { tags: vec!["ok".into(), " / ".into()], ..Default::default() };
    let err = lib.add(&quire::AddSource::Stdin(b"A title\n\nSome body text".to_vec()), &options).expect_err("refused");
    assert_eq!(err.kind(), quire::ErrorKind::InvalidInput);
    let list = lib.list_articles(&Default::default()).unwrap();
    assert_eq!(list.iter().map(|a| a.id).collect::<Vec<_>>(), [id]);
    assert!(lib.tags().unwrap().iter().all(|t| t.name != "ok"));
}

#[test]
fn status_favorite_progress_and_removal() {
    let (_dir, lib) = temp_library();
    let (id, _) = add_reference_article(&lib);
    lib.set_status(id, quire::Status::Archived).unwrap();
    lib.set_favorite(id, true).unwrap();
    lib.set_progress(id, 0.5).unwrap();
    let view = lib.article(id).unwrap();
    assert_eq!((view.summary.status, view.summary.favorite, view.progress), (quire::Status::Archived, true, 0.5));
    assert_eq!(lib.set_progress(id, 1.5).unwrap_err().kind(), quire::ErrorKind::InvalidInput);
    assert_eq!(lib.set_status(999, quire::Status::Read).unwrap_err().to_string(), "article 999 not found");
    let filter = |status| quire::ArticleFilter { status: Some(status), ..Default::default() };
    assert_eq!(lib.list_articles(&filter(quire::Status::Archived)).unwrap().len(), 1);
    assert_eq!(lib.list_articles(&filter(quire::Status::Unread)).unwrap().len(), 0);
    lib.remove_article(id).unwrap();
    assert_eq!(lib.article(id).unwrap_err().kind(), quire::ErrorKind::NotFound);
    assert!(lib.highlights(&Default::default()).unwrap().is_empty());
    assert_eq!(lib.tags().unwrap(), [], "tags nothing carries any more disappear");
    assert!(lib.search("allies", 10).unwrap().is_empty());
    assert_eq!(lib.remove_article(id).unwrap_err().kind(), quire::ErrorKind::NotFound);
}

#[test]
fn the_default_library_path_honours_the_environment() {
    // The CLI tests check the override through QUIRE_LIBRARY; this one checks the fallback.
    let default = quire::default_library_path();
    if std::env::var_os(quire::LIBRARY_ENV).is_none() {
        assert!(default.ends_with("Quire/library.sqlite3"), "{default:?}");
    }
}

fn rusqlite_conn(path: &std::path::Path) -> rusqlite::Connection {
    rusqlite::Connection::open(path).unwrap()
}

#[test]
fn a_bad_stored_value_is_a_corrupt_library_error_never_a_default() {
    let (dir, lib) = temp_library();
    let (id, highlights) = add_reference_article(&lib);
    let path = dir.path().join("library.sqlite3");
    let conn = rusqlite_conn(&path);
    conn.execute_batch("PRAGMA ignore_check_constraints = ON").unwrap();
    conn.execute("UPDATE articles SET status = 'maybe' WHERE id = ?", [id]).unwrap();
    let err = lib.list_articles(&Default::default()).unwrap_err();
    assert_eq!(err.kind(), quire::ErrorKind::Database);
    assert_eq!(err.to_string(), "stored data is corrupt: status \"maybe\" is not a value Quire knows");
    conn.execute("UPDATE articles SET status = 'read' WHERE id = ?", [id]).unwrap();
    conn.execute("UPDATE highlights SET color = 'mauve' WHERE id = ?", [highlights[0].id]).unwrap();
    let err = lib.article(id).unwrap_err();
    assert_eq!(err.to_string(), "stored data is corrupt: color \"mauve\" is not a value Quire knows");
    conn.execute("UPDATE highlights SET color = 'blue', anchor = 'lost' WHERE id = ?", [highlights[0].id]).unwrap();
    assert!(lib.highlight(highlights[0].id).unwrap_err().to_string().contains("anchor \"lost\""));
}
