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

/// A migration that has landed is never edited: a library already at its version would never
/// run the new text. Each file's SHA-256 is pinned here; a change to the schema is a new
/// migration (and a new line here).
#[test]
fn landed_migrations_are_never_edited() {
    use sha2::{Digest, Sha256};
    let hashes: Vec<String> = MIGRATIONS
        .iter()
        .enumerate()
        .map(|(i, sql)| format!("{:04} {}", i + 1, &hex::encode(Sha256::digest(sql.as_bytes()))[..16]))
        .collect();
    expect_test::expect![[r#"
        0001 1ef36fe2136bf6f9
        0002 b3b10220ce79e182
        0003 5800d5e472104d3e
        0004 0d559249b7428101
        0005 41fed473c9e8b19c
        0006 3ae2816f3158ef2c
        0007 34df2e41806d3b79
        0008 8ae196d5141e9ba1
        0009 f7000ef950a51882
        0010 d4dad43b1ae0bf73
        0011 569afe6df1064f5a
        0012 e5a59532e45fc22a
        0013 995c7256333cfe9c"#]]
    .assert_eq(&hashes.join("\n"));
}

/// Upgrading gives the schema a new library has: no index, trigger or table differs.
#[test]
fn an_upgraded_schema_is_the_schema_of_a_new_library() {
    let schema = |path: &std::path::Path| -> Vec<(String, String)> {
        let conn = rusqlite_conn(path);
        let mut stmt =
            conn.prepare("SELECT name, sql FROM sqlite_master WHERE sql IS NOT NULL ORDER BY type, name").unwrap();
        stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let dir = tempfile::tempdir().unwrap();
    let new = dir.path().join("new.sqlite3");
    drop(Library::open(&new).unwrap());
    let want = schema(&new);
    for from in 1..SCHEMA_VERSION {
        let path = dir.path().join(format!("from-{from}.sqlite3"));
        quire::migrate_to(&mut rusqlite_conn(&path), &path, from).unwrap();
        drop(Library::open(&path).unwrap());
        assert_eq!(schema(&path), want, "upgraded from version {from}");
    }
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

/// The document an article had when a version-1 Quire stored it: marks, a link, an image,
/// a list, non-Latin text.
fn old_document() -> quire_doc::Document {
    use quire_doc::{BlockKind, DocumentBuilder, Marks};
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Heading { level: 1 }, "Allies meet in Vilnius");
    b.start_block(BlockKind::Paragraph);
    b.push_text("Зеленський said Ukraine will join ", Marks::default());
    b.push_text("NATO", Marks { strong: true, ..Marks::default() });
    b.push_text(" after the war, ", Marks::default());
    b.push_text("reports say", Marks { link: Some("https://example.org/r".into()), ..Marks::default() });
    b.push_block(BlockKind::Image { src: "https://example.org/map.png".into(), alt: "a map".into() }, "");
    b.push_block(BlockKind::ListItem { ordered: false, depth: 1 }, "membership action plan waived");
    b.finish()
}

/// Writes, at schema `version`, the rows a Quire of that version wrote (with its columns).
fn fill_at(version: i64, conn: &rusqlite::Connection) {
    use rusqlite::params;
    let doc = old_document();
    let json = serde_json::to_string(&doc).unwrap();
    let text = doc.canonical_text();
    let at = "2024-03-01T10:00:00Z";
    let sql = |q: &str, p: &[&dyn rusqlite::ToSql]| {
        conn.execute(q, p).unwrap_or_else(|e| panic!("at version {version}: {q}: {e}"));
    };
    match version {
        1 => {
            sql(
                "INSERT INTO articles (id, title, byline, site_name, source_url, canonical_url, clipped_at, updated_at,
                                       excerpt, document, canonical_text, text_version, content_hash, word_count,
                                       status, favorite, progress)
                 VALUES (1, 'Allies meet', 'A. Writer', 'Example', 'https://example.org/a', 'https://example.org/a',
                         ?1, ?1, 'Allies', ?2, ?3, 1, 'hash-1', 20, 'read', 1, 0.5)",
                &[&at, &json, &text],
            );
            sql("INSERT INTO tags (id, name, key) VALUES (1, 'NATO/Vilnius', 'nato/vilnius')", &[]);
            sql("INSERT INTO article_tags VALUES (1, 1)", &[]);
            let start = text[..text.find("Ukraine").unwrap()].chars().count();
            sql(
                "INSERT INTO highlights (id, article_id, exact, prefix, suffix, start_offset, end_offset, text_version,
                                         color, note, created_at, updated_at)
                 VALUES (1, 1, 'Ukraine will join', 'said ', ' NATO', ?1, ?2, 1, 'green', 'the key line', ?3, ?3)",
                params![start as i64, (start + "Ukraine will join".chars().count()) as i64, at],
            );
            sql("INSERT INTO highlight_tags VALUES (1, 1)", &[]);
        }
        2 => {
            sql("UPDATE articles SET normalized_url = 'example.org/a', lead_image = 'https://example.org/map.png' WHERE id = 1", &[]);
            sql(
                "INSERT INTO images (hash, mime, size, data, created_at) VALUES ('h1', 'image/png', 3, x'010203', ?1)",
                &[&at],
            );
            sql("INSERT INTO article_images VALUES (1, 'h1', 'https://example.org/map.png')", &[]);
        }
        3 => {
            sql(
                "INSERT INTO article_versions (article_id, title, document, canonical_text, text_version, content_hash, replaced_at)
                 VALUES (1, 'Allies meet (first draft)', ?1, ?2, 1, 'hash-0', ?3)",
                &[&json, &text, &at],
            );
            sql("UPDATE highlights SET anchor = 'moved', anchor_distance = 3 WHERE id = 1", &[]);
        }
        4 => sql(
            "INSERT INTO saved_searches (id, name, query, created_at) VALUES (1, 'Accession', 'join NATO', ?1)",
            &[&at],
        ),
        5 => sql("UPDATE saved_searches SET tag = 'NATO', status = 'read', favorite = 1 WHERE id = 1", &[]),
        6 => {
            let empty = serde_json::to_string(&quire_doc::Document::default()).unwrap();
            sql(
                "INSERT INTO articles (id, title, source_url, clipped_at, updated_at, document, canonical_text, text_version,
                                       content_hash, word_count, link_only, link_reason, note)
                 VALUES (2, 'Kept as a link', 'https://example.org/gone', ?1, ?1, ?2, '', 1, 'link:https://example.org/gone', 0,
                         1, 'the page answered 404', 'read later')",
                &[&at, &empty],
            );
        }
        7 => sql(
            "INSERT INTO endpoint_tokens (id, name, secret_hash, created_at) VALUES (1, 'old browser', ?1, ?2)",
            &[&"ab".repeat(32), &at],
        ),
        8 => sql("INSERT INTO endpoint_listeners (port, started_at) VALUES (47713, ?1)", &[&at]),
        _ => {}
    }
}

/// What every version's rows must still say after the upgrade.
fn check_filled(lib: &Library, filled_up_to: i64) {
    let doc = old_document();
    let view = lib.article(1).unwrap();
    assert_eq!(view.document, doc, "filled up to {filled_up_to}");
    assert_eq!(lib.canonical_text(1).unwrap(), doc.canonical_text());
    assert_eq!(view.summary.tags, ["NATO/Vilnius"]);
    assert_eq!(view.summary.status, quire::Status::Read);
    assert!(view.summary.favorite);
    assert_eq!(view.progress, 0.5);
    let h = &view.highlights[0];
    assert_eq!((h.quote.exact.as_str(), h.note.as_str()), ("Ukraine will join", "the key line"));
    let chars: Vec<char> = doc.canonical_text().chars().collect();
    assert_eq!(chars[h.position.start..h.position.end].iter().collect::<String>(), "Ukraine will join");
    assert_eq!(h.tags, ["NATO/Vilnius"]);
    // The index is built from what the upgrade kept: text, quotes and notes are found.
    for q in ["Зеленський", "membership", "\"key line\"", "vilnius"] {
        assert_eq!(lib.search(q, 10).unwrap().iter().map(|hit| hit.article.id).collect::<Vec<_>>(), [1], "{q}");
    }
    if filled_up_to >= 3 {
        assert_eq!(h.anchor, quire::AnchorKind::Moved);
    }
    if filled_up_to >= 4 {
        let saved = lib.saved_searches().unwrap();
        assert_eq!((saved[0].name.as_str(), saved[0].query.as_str()), ("Accession", "join NATO"));
        if filled_up_to >= 5 {
            assert_eq!((saved[0].tag.as_deref(), saved[0].favorite), (Some("NATO"), Some(true)));
        }
    }
    if filled_up_to >= 6 {
        let link = lib.article(2).unwrap();
        assert!(link.summary.link_only);
        assert_eq!((link.link_reason.as_str(), link.note.as_str()), ("the page answered 404", "read later"));
        assert!(link.document.blocks.is_empty());
    }
    if filled_up_to >= 7 {
        assert_eq!(lib.tokens().unwrap()[0].name, "old browser");
    }
}

#[test]
fn data_written_at_every_earlier_version_survives_the_upgrade() {
    for last in 1..SCHEMA_VERSION {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("old.sqlite3");
        {
            let mut conn = rusqlite_conn(&path);
            for version in 1..=last {
                quire::migrate_to(&mut conn, &path, version).unwrap();
                fill_at(version, &conn);
            }
        }
        let lib = Library::open(&path).unwrap_or_else(|e| panic!("upgrade after filling up to {last}: {e}"));
        check_filled(&lib, last);
        if last >= 3 {
            let conn = rusqlite_conn(&path);
            let versions: i64 = conn.query_row("SELECT count(*) FROM article_versions", [], |r| r.get(0)).unwrap();
            assert_eq!(versions, 1);
        }
        let integrity: String = rusqlite_conn(&path).query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
        assert_eq!(integrity, "ok");
    }
}

#[test]
fn an_upgraded_library_gives_back_the_space_of_the_second_copy_of_its_texts() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("old.sqlite3");
    let size = || {
        let conn = rusqlite_conn(&path);
        conn.query_row("PRAGMA wal_checkpoint(TRUNCATE)", [], |_| Ok(())).unwrap();
        std::fs::metadata(&path).unwrap().len()
    };
    {
        let mut conn = rusqlite_conn(&path);
        quire::migrate_to(&mut conn, &path, 10).unwrap();
        let sentences = std::fs::read_to_string(data("article.txt")).unwrap();
        let tx = conn.transaction().unwrap();
        for i in 0..200i64 {
            let mut b = quire_doc::DocumentBuilder::new();
            for (n, line) in sentences.lines().filter(|l| !l.trim().is_empty()).enumerate() {
                b.push_block(quire_doc::BlockKind::Paragraph, &format!("{i}.{n} {line}"));
            }
            let doc = b.finish();
            tx.execute(
                "INSERT INTO articles (title, clipped_at, updated_at, document, canonical_text, text_version, content_hash, word_count)
                 VALUES (?1, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', ?2, ?3, 1, ?1, 0)",
                rusqlite::params![format!("article {i}"), serde_json::to_string(&doc).unwrap(), doc.canonical_text()],
            )
            .unwrap();
        }
        tx.commit().unwrap();
    }
    let before = size();
    let lib = Library::open(&path).unwrap();
    assert!(lib.canonical_text(200).unwrap().starts_with("199.0 "));
    drop(lib);
    let after = size();
    assert!(after * 2 < before, "{before} bytes before the upgrade, {after} after");
}
