//! Importing other apps' exports into a library: the reference article's highlights from a
//! Hypothesis export land exactly on a page fetched from a loopback server; pages that cannot be
//! fetched are kept as links and completed later; books become their passages; a second
//! import adds nothing; bad files are refused without touching the library; cancel keeps
//! what was imported.

use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use quire::{AnchorKind, ErrorKind, FetchConfig, ImportEvent, ImportOptions, ImportReport, Library, Status};
use quire_tests::server::{Reply, Server};
use serde_json::json;

use crate::temp_library;

const HOST: &str = "news.test";
const PAGE: &str = "/2023/07/12/ukraine-closer-to-nato/";

fn options(server: &Server) -> ImportOptions {
    ImportOptions {
        fetch: true,
        network: FetchConfig {
            static_hosts: Some(vec![(HOST.to_owned(), server.addr)]),
            timeout: Duration::from_secs(5),
            connect_timeout: Duration::from_secs(2),
            ..FetchConfig::default()
        },
        ..ImportOptions::default()
    }
}

fn import(lib: &Library, dir: &std::path::Path, name: &str, body: &[u8], options: &ImportOptions) -> ImportReport {
    let path = dir.join(name);
    std::fs::write(&path, body).unwrap();
    lib.import_file(&path, options, &mut |_| {}, &AtomicBool::new(false))
        .unwrap_or_else(|e| panic!("import {name}: {e}"))
}

/// A Hypothesis export of the four reference quotes, with the context and UTF-16 positions
/// the client would record on the page's text.
fn hypothesis_export(uri: &str) -> String {
    let text = std::fs::read_to_string(quire_tests::data("article.txt")).unwrap();
    let annotations: Vec<_> = quire_tests::reference_quotes()
        .iter()
        .map(|q| {
            let at = text.find(&q.exact).expect("the quote is in the article");
            let before = &text[..at];
            let after = &text[at + q.exact.len()..];
            let prefix: String = before.chars().rev().take(32).collect::<Vec<_>>().into_iter().rev().collect();
            let suffix: String = after.chars().take(32).collect();
            let start = before.encode_utf16().count();
            json!({
                "uri": uri,
                "text": q.note,
                "tags": q.tags,
                "created": "2023-07-12T10:00:00.000000+00:00",
                "updated": "2023-07-12T10:00:00.000000+00:00",
                "references": [],
                "document": {"title": [quire_tests::REFERENCE_TITLE]},
                "target": [{"source": uri, "selector": [
                    {"type": "RangeSelector", "startContainer": "/main[1]/p[2]", "startOffset": 0, "endContainer": "/main[1]/p[2]", "endOffset": 10},
                    {"type": "TextPositionSelector", "start": start, "end": start + q.exact.encode_utf16().count()},
                    {"type": "TextQuoteSelector", "exact": q.exact, "prefix": prefix, "suffix": suffix}
                ]}]
            })
        })
        .collect();
    json!({"export_date": "2024-01-05T12:00:00Z", "export_userid": "acct:reader@hypothes.is", "client_version": "1.1400.0", "annotations": annotations}).to_string()
}

fn reference_server() -> Server {
    let page = std::fs::read(quire_tests::reference_page()).unwrap();
    Server::start(move |path| (path == PAGE).then(|| Reply::Body(200, Some("text/html; charset=utf-8"), page.clone())))
}

#[test]
fn hypothesis_highlights_land_exactly_on_the_fetched_page_and_a_second_import_adds_nothing() {
    let server = reference_server();
    let (dir, lib) = temp_library();
    let opts = options(&server);
    let uri = server.url(HOST, PAGE);
    let report = import(&lib, dir.path(), "hypothesis.json", hypothesis_export(&uri).as_bytes(), &opts);
    assert_eq!(report.format, "hypothesis");
    assert_eq!((report.items, report.added.len(), report.link_only.len()), (1, 1, 0), "{report:?}");
    assert_eq!((report.highlights.exact, report.highlights.fuzzy, report.highlights.orphaned), (4, 0, 0));
    let view = lib.article(report.added[0].id).unwrap();
    assert_eq!(view.summary.title, quire_tests::REFERENCE_TITLE);
    let quotes = quire_tests::reference_quotes();
    for q in &quotes {
        let h = view
            .highlights
            .iter()
            .find(|h| h.quote.exact == q.exact)
            .unwrap_or_else(|| panic!("{} is highlighted", q.exact));
        assert_eq!(h.anchor, AnchorKind::Exact);
        assert_eq!(h.note, q.note);
        let mut want = q.tags.clone();
        want.sort_by_key(|t| t.to_lowercase());
        assert_eq!(h.tags, want);
        assert_eq!(h.created_at, "2023-07-12T10:00:00Z");
        let text: String = view.document.blocks.iter().map(|b| b.text()).collect::<Vec<_>>().join("\n\n");
        let found: String = text.chars().skip(h.position.start).take(h.position.end - h.position.start).collect();
        assert_eq!(found, q.exact);
    }

    let again = import(&lib, dir.path(), "hypothesis.json", hypothesis_export(&uri).as_bytes(), &opts);
    assert_eq!((again.added.len(), again.already.len()), (0, 1));
    assert_eq!((again.highlights.exact, again.highlights.already), (0, 4));
    assert_eq!(lib.article(view.summary.id).unwrap().highlights.len(), 4);
}

#[test]
fn unreachable_pages_become_links_that_refetch_completes() {
    let page = std::fs::read(quire_tests::reference_page()).unwrap();
    let back = Arc::new(AtomicBool::new(false));
    let online = back.clone();
    let server = Server::start(move |path| match path {
        "/gone" if online.load(Ordering::SeqCst) => Some(Reply::Body(200, Some("text/html"), page.clone())),
        "/gone" => Some(Reply::Body(404, Some("text/html"), b"<h1>Not found</h1>".to_vec())),
        _ => None,
    });
    let (dir, lib) = temp_library();
    let opts = ImportOptions { tags: vec!["from Pocket".into()], ..options(&server) };
    let gone = server.url(HOST, "/gone");
    let csv =
        format!("title,url,time_added,tags,status\nA page that moved,{gone},1689067800,nato|reading/later,archive\n");
    let report = import(&lib, dir.path(), "part_000000.csv", csv.as_bytes(), &opts);
    assert_eq!(report.link_only.len(), 1, "{report:?}");
    let link = &report.link_only[0];
    assert!(link.reason.contains("404"), "{}", link.reason);
    let view = lib.article(link.id).unwrap();
    assert!(view.summary.link_only);
    assert_eq!(view.link_reason, link.reason, "the article says why only its link is kept");
    assert_eq!(view.summary.title, "A page that moved");
    assert_eq!(view.summary.status, Status::Archived);
    assert_eq!(view.summary.clipped_at, "2023-07-11T09:30:00Z");
    assert_eq!(view.summary.tags, ["from Pocket", "nato", "reading/later"]);
    assert_eq!(lib.link_only_articles().unwrap(), [link.id]);

    // Not there yet: refetching fails and changes nothing.
    let err = lib.refetch(link.id, &opts.network).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(lib.article(link.id).unwrap().summary.link_only);

    back.store(true, Ordering::SeqCst);
    lib.refetch(link.id, &opts.network).unwrap();
    let view = lib.article(link.id).unwrap();
    assert!(!view.summary.link_only);
    assert_eq!(view.link_reason, "");
    assert_eq!(view.summary.title, "A page that moved", "the user's title stays");
    assert_eq!(view.summary.status, Status::Archived);
    assert!(view.summary.word_count > 300);
    assert!(lib.link_only_articles().unwrap().is_empty());
    let err = lib.refetch(link.id, &opts.network).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
}

#[test]
fn without_fetching_highlights_wait_as_orphans_and_come_back_with_the_page() {
    let server = reference_server();
    let (dir, lib) = temp_library();
    let opts = ImportOptions { fetch: false, ..options(&server) };
    let url = server.url(HOST, PAGE);
    let quote = &quire_tests::reference_quotes()[0].exact;
    let csv = format!("URL,Title,Selection,Folder\n{url},Ukraine and NATO,\"{quote}\",Starred\n");
    let report = import(&lib, dir.path(), "instapaper-export.csv", csv.as_bytes(), &opts);
    assert_eq!((report.link_only.len(), report.highlights.orphaned, report.orphans.len()), (1, 1, 1), "{report:?}");
    let id = report.link_only[0].id;
    assert!(lib.article(id).unwrap().summary.favorite);
    lib.refetch(id, &options(&server).network).unwrap();
    let view = lib.article(id).unwrap();
    assert_eq!(view.highlights.len(), 1);
    assert_eq!(view.highlights[0].anchor, AnchorKind::Exact);
    assert_eq!(&view.highlights[0].quote.exact, quote);
}

const CLIPPINGS: &str = "\u{feff}The Bridge (Ana Example)
- Your Highlight on page 3 | Location 40-42 | Added on Tuesday, 11 July 2023 09:30:00

Leaders met in the old town to talk about the future of the alliance.
==========
The Bridge (Ana Example)
- Your Highlight on page 5 | Location 70-73 | Added on Tuesday, 11 July 2023 10:00:00

Nobody at the summit expected a date for membership.
==========
";

const MORE_CLIPPINGS: &str = "The Bridge (Ana Example)
- Your Highlight on page 9 | Location 120-121 | Added on Wednesday, 12 July 2023 08:00:00

The treaty was signed before dawn.
==========
";

#[test]
fn a_book_becomes_its_passages_and_grows_with_a_newer_export() {
    let (dir, lib) = temp_library();
    let opts = ImportOptions::default();
    let report = import(&lib, dir.path(), "My Clippings.txt", CLIPPINGS.as_bytes(), &opts);
    assert_eq!(report.format, "kindle");
    assert_eq!((report.added.len(), report.highlights.exact), (1, 2), "{report:?}");
    let id = report.added[0].id;
    let view = lib.article(id).unwrap();
    assert_eq!(view.summary.title, "The Bridge");
    assert_eq!(view.summary.byline.as_deref(), Some("Ana Example"));
    assert!(view.highlights.iter().all(|h| h.anchor == AnchorKind::Exact));

    let newer = format!("{CLIPPINGS}{MORE_CLIPPINGS}");
    let again = import(&lib, dir.path(), "My Clippings.txt", newer.as_bytes(), &opts);
    assert_eq!((again.added.len(), again.already.len()), (0, 1), "{again:?}");
    assert_eq!((again.highlights.exact, again.highlights.already), (1, 2));
    let view = lib.article(id).unwrap();
    assert_eq!(view.highlights.len(), 3);
    assert!(view.highlights.iter().all(|h| h.anchor == AnchorKind::Exact), "{:?}", view.highlights);
    let text: String = view.document.blocks.iter().map(|b| b.text()).collect::<Vec<_>>().join("\n\n");
    assert!(text.starts_with("Page 3"), "{text}");
    assert!(text.ends_with("The treaty was signed before dawn."), "{text}");
}

#[test]
fn bad_files_are_refused_and_the_library_is_untouched() {
    let (dir, lib) = temp_library();
    quire_tests::add_reference_article(&lib);
    let cases: [(&str, &[u8], ErrorKind); 4] = [
        ("notes.csv", b"name,phone\nAna,123\n", ErrorKind::Unsupported),
        ("export.zip", b"PK\x03\x04\x14\x00\x00\x00\x08\x00truncated", ErrorKind::InvalidInput),
        ("empty.json", b"", ErrorKind::Unsupported),
        ("random.bin", &[0u8, 159, 146, 150, 255, 0, 1, 2], ErrorKind::Unsupported),
    ];
    for (name, body, kind) in cases {
        let path = dir.path().join(name);
        std::fs::write(&path, body).unwrap();
        let err = lib.import_file(&path, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap_err();
        assert_eq!(err.kind(), kind, "{name}: {err}");
        assert!(err.to_string().contains(name), "{name}: the message names the file: {err}");
    }
    let err = lib
        .import_file(&dir.path().join("missing.csv"), &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false))
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(lib.count_articles(&Default::default()).unwrap().articles, 1);
}

#[test]
fn a_bad_row_is_skipped_and_reported_and_the_rest_imported() {
    let (dir, lib) = temp_library();
    let csv = "title,url,time_added,tags,status\n\
               First,https://example.org/a,1689067800,,unread\n\
               Broken,https://example.org/b,not-a-date,,unread\n\
               Third,https://example.org/c,1689067900,,unread\n";
    let report = import(&lib, dir.path(), "part_000000.csv", csv.as_bytes(), &ImportOptions::default());
    assert_eq!(report.added.len(), 2, "{report:?}");
    assert_eq!(report.skipped.len(), 1);
    assert!(report.skipped[0].at.contains('2') || report.skipped[0].at.contains('3'), "{:?}", report.skipped);
}

#[test]
fn cancelling_keeps_what_was_imported_complete() {
    let (dir, lib) = temp_library();
    let rows: String = (0..20).map(|i| format!("Page {i},https://example.org/{i},16890678{i:02},,unread\n")).collect();
    let path = dir.path().join("part_000000.csv");
    std::fs::write(&path, format!("title,url,time_added,tags,status\n{rows}")).unwrap();
    let cancel = AtomicBool::new(false);
    let mut seen = 0;
    let report = lib
        .import_file(
            &path,
            &ImportOptions::default(),
            &mut |e| {
                if let ImportEvent::Item { .. } = e {
                    seen += 1;
                    if seen == 3 {
                        cancel.store(true, Ordering::SeqCst);
                    }
                }
            },
            &cancel,
        )
        .unwrap();
    assert!(report.cancelled);
    assert_eq!(report.added.len(), 3);
    assert_eq!(lib.count_articles(&Default::default()).unwrap().articles, 3);
    // The rest comes in with the next import, nothing twice.
    let rest = lib.import_file(&path, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!((rest.added.len(), rest.already.len()), (17, 3));
}

/// A 200 MB file is read without trouble: one enormous row is skipped with a short reason
/// (not the row echoed back), and a 200 MB file of no known app is refused by its first bytes.
#[test]
fn a_200_mb_file_is_handled_and_explained() {
    let (dir, lib) = temp_library();
    let mut body = b"title,url,time_added,tags,status\n".to_vec();
    body.resize(body.len() + (200 << 20), b'x');
    body.extend_from_slice(b"\nSmall,https://example.org/small,1689067800,,unread\n");
    let report = import(&lib, dir.path(), "part_000000.csv", &body, &ImportOptions::default());
    assert_eq!(report.added.len(), 1, "{:?}", report.skipped.iter().map(|s| s.reason.len()).collect::<Vec<_>>());
    assert_eq!(report.skipped.len(), 1);
    assert!(
        report.skipped[0].reason.len() < 300,
        "a short reason, not the row: {} bytes",
        report.skipped[0].reason.len()
    );

    let garbage = vec![b'z'; 200 << 20];
    let path = dir.path().join("huge.bin");
    std::fs::write(&path, &garbage).unwrap();
    let err = lib.import_file(&path, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Unsupported, "{err}");
    assert!(err.to_string().len() < 400, "{err}");
}

/// Every sample export of `crates/quire-import/tests/fixtures` imported into a library (no
/// fetching: pages only the address of are kept as links), and the library described as a
/// user would check it: articles with their state, dates, tags and notes, each highlight with
/// how it anchored, its note, tags and color. Expected output in `tests/data/imports/`.
#[test]
fn each_apps_sample_export_lands_in_the_library_as_expected() {
    let fixtures = quire_tests::workspace_root().join("crates/quire-import/tests/fixtures");
    let cases = [
        "bookmarks/bookmarks.html",
        "hypothesis/hypothesis-export.json",
        "instapaper/new.csv",
        "instapaper/old.csv",
        "instapaper/windows1252.csv",
        "kindle/My Clippings.txt",
        "omnivore/export",
        "pocket/part_000000.csv",
        "pocket/ril_export.html",
        "readwise/highlights.csv",
        "wallabag/wallabag-export.json",
    ];
    for case in cases {
        let (dir, lib) = temp_library();
        // Times from the import itself (no date in the file) are shown as such.
        let started = (time::OffsetDateTime::now_utc() - time::Duration::seconds(2))
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap();
        let source = fixtures.join(case);
        let file = if source.is_dir() { zip_folder(&source, &dir.path().join("omnivore-export.zip")) } else { source };
        let report = lib
            .import_file(&file, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false))
            .unwrap_or_else(|e| panic!("{case}: {e}"));
        let mut out = format!(
            "{} items: {} added ({} links), {} already; highlights {} exact, {} fuzzy, {} orphaned\n",
            report.items,
            report.added.len(),
            report.link_only.len(),
            report.already.len(),
            report.highlights.exact,
            report.highlights.fuzzy,
            report.highlights.orphaned
        );
        for s in &report.skipped {
            out.push_str(&format!("skipped {}: {}\n", s.at, s.reason));
        }
        for a in &report.added {
            out.push_str(&describe(&lib, a.id, &started));
        }
        let name = case.replace(['/', ' '], "_");
        expect_test::expect_file![quire_tests::data(&format!("imports/{name}.txt"))].assert_eq(&out);
    }
}

fn describe(lib: &Library, id: i64, started: &str) -> String {
    let when = |t: &str| if t >= started { "(at import)".to_owned() } else { t.to_owned() };
    let v = lib.article(id).unwrap();
    let s = &v.summary;
    let mut out = format!(
        "\n# {}\n  url {} | by {} | saved {} | {:?}{}{} | progress {} | tags [{}]\n",
        s.title,
        s.source_url.as_deref().unwrap_or("-"),
        s.byline.as_deref().unwrap_or("-"),
        when(&s.clipped_at),
        s.status,
        if s.favorite { " | favorite" } else { "" },
        if s.link_only { " | link only" } else { "" },
        v.progress,
        s.tags.join(", ")
    );
    if !v.note.is_empty() {
        out.push_str(&format!("  note: {}\n", v.note.replace('\n', " / ")));
    }
    for h in &v.highlights {
        let quote: String = h.quote.exact.chars().take(60).collect();
        out.push_str(&format!(
            "  - {:?} {} \"{quote}\" note \"{}\" tags [{}] at {}\n",
            h.anchor,
            h.color,
            h.note.replace('\n', " / "),
            h.tags.join(", "),
            when(&h.created_at)
        ));
    }
    out
}

fn zip_folder(folder: &std::path::Path, to: &std::path::Path) -> std::path::PathBuf {
    use std::io::Write;
    let mut zip = zip::ZipWriter::new(std::fs::File::create(to).unwrap());
    let mut files = Vec::new();
    let mut stack = vec![folder.to_owned()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap().flatten() {
            let path = entry.path();
            if path.is_dir() {
                stack.push(path)
            } else {
                files.push(path)
            }
        }
    }
    files.sort();
    for file in files {
        let name = file.strip_prefix(folder).unwrap().to_string_lossy().replace('\\', "/");
        zip.start_file(name, zip::write::SimpleFileOptions::default()).unwrap();
        zip.write_all(&std::fs::read(&file).unwrap()).unwrap();
    }
    zip.finish().unwrap();
    to.to_owned()
}
