//! Exports to open formats from a library: W3C annotations restore every highlight in another
//! library holding the same article; Markdown notes keep their names, so exporting again
//! updates them in place; every format through the CLI; citations ready to paste.

use std::path::Path;
use std::sync::atomic::AtomicBool;

use quire::{AnchorKind, CitationStyle, ErrorKind, FormatRequest, ImportOptions, MarkdownStyle, OpenFormat, Selection};

use crate::temp_library;

const URL: &str = "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/";

fn request(format: OpenFormat, path: &Path) -> FormatRequest {
    FormatRequest {
        format,
        selection: Selection { all: true, ..Selection::default() },
        path: path.to_owned(),
        style: MarkdownStyle::Plain,
        citation: CitationStyle::Apa,
    }
}

#[test]
fn w3c_annotations_restore_every_highlight_in_another_library() {
    let with_url = quire::AddOptions { url: Some(URL.to_owned()), ..quire::AddOptions::default() };
    let (dir, a) = temp_library();
    let (id, made) = quire_tests::add_reference_article_with(&a, &with_url);
    let file = dir.path().join("highlights.jsonld");
    let report = a.export_to(&request(OpenFormat::W3c, &file)).unwrap();
    assert_eq!((report.articles, report.highlights), (1, 4));

    let (_dir_b, b) = temp_library();
    let article = b.add(&quire::AddSource::Path(quire_tests::data("article.txt")), &with_url).unwrap().id;
    let imported = b.import_file(&file, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(imported.format, "w3c");
    assert_eq!((imported.added.len(), imported.already.len()), (0, 1), "{imported:?}");
    assert_eq!(imported.highlights.exact, 4);
    let restored = b.article(article).unwrap().highlights;
    let original = a.article(id).unwrap().highlights;
    assert_eq!(restored.len(), made.len());
    for (r, o) in restored.iter().zip(&original) {
        assert_eq!((&r.quote, r.position, r.anchor), (&o.quote, o.position, AnchorKind::Exact));
        assert_eq!((&r.note, &r.tags, r.color, &r.created_at), (&o.note, &o.tags, o.color, &o.created_at));
    }
    // Again: nothing twice.
    let again = b.import_file(&file, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!((again.highlights.exact, again.highlights.already), (0, 4));
}

#[test]
fn markdown_notes_keep_their_names_and_a_topic_gets_its_dossier() {
    let (dir, lib) = temp_library();
    let (id, _) = quire_tests::add_reference_article(&lib);
    let folder = dir.path().join("vault");
    let mut req = request(OpenFormat::Md, &folder);
    req.style = MarkdownStyle::Obsidian;
    req.selection = Selection { tag: Some("NATO accession".into()), ..Selection::default() };
    let first = lib.export_to(&req).unwrap();
    assert_eq!((first.articles, first.highlights, first.files), (1, 4, 2));
    let names = |folder: &Path| {
        let mut n: Vec<String> = std::fs::read_dir(folder)
            .unwrap()
            .flatten()
            .map(|e| e.file_name().to_string_lossy().into_owned())
            .collect();
        n.sort();
        n
    };
    let title = lib.article(id).unwrap().summary.title;
    assert_eq!(names(&folder), ["NATO accession.md".to_owned(), format!("{title}.md")]);
    let note = std::fs::read_to_string(folder.join(format!("{title}.md"))).unwrap();
    assert!(note.starts_with("---\ntitle: "), "{note}");
    assert!(note.contains("==I look forward to the day when we meet as allies,=="), "highlights are marked");
    assert!(note.contains("quire://highlight/"), "quotes link back to the app");
    let dossier = std::fs::read_to_string(folder.join("NATO accession.md")).unwrap();
    assert_eq!(dossier.matches("\n> ").count(), 3, "the three quotes tagged NATO accession:\n{dossier}");
    assert!(dossier.contains(&format!("[[{title}]]")));

    // A highlight changes; exporting again updates the same files.
    let h = lib.article(id).unwrap().highlights[0].id;
    lib.update_highlight(h, &quire::HighlightEdit { note: Some("Changed note.".into()), ..Default::default() })
        .unwrap();
    lib.export_to(&req).unwrap();
    assert_eq!(names(&folder), ["NATO accession.md".to_owned(), format!("{title}.md")]);
    assert!(std::fs::read_to_string(folder.join(format!("{title}.md"))).unwrap().contains("Changed note."));

    // A file where the folder should be is refused, nothing written.
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "keep").unwrap();
    let err = lib.export_to(&request(OpenFormat::Md, &file)).unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Io);
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep");
}

#[test]
fn selections_add_up_without_repeats_and_nothing_is_an_error() {
    let (dir, lib) = temp_library();
    let (id, _) = quire_tests::add_reference_article(&lib);
    let other = crate::add_text(&lib, "Another article\n\nAbout the summit in Madrid, not Vilnius.\n");
    let both = Selection {
        ids: vec![other],
        query: Some("Vilnius".into()),
        tag: Some("Kremlin".into()),
        ..Selection::default()
    };
    assert_eq!(lib.select(&both).unwrap(), [other, id]);
    // A search's export keeps to the list's filter.
    lib.set_status(other, quire::Status::Archived).unwrap();
    let summit = |status| Selection {
        query: Some("summit".into()),
        filter: quire::ArticleFilter { status, limit: Some(1), ..Default::default() },
        ..Selection::default()
    };
    assert_eq!(lib.select(&summit(Some(quire::Status::Archived))).unwrap(), [other]);
    assert_eq!(lib.select(&summit(Some(quire::Status::Unread))).unwrap(), [id]);
    let mut every = lib.select(&summit(None)).unwrap();
    every.sort();
    assert_eq!(every, [id, other], "the screen's page size does not limit an export");
    let err = lib
        .export_to(&FormatRequest {
            selection: Selection::default(),
            ..request(OpenFormat::Csv, &dir.path().join("x.csv"))
        })
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput);
    assert!(!dir.path().join("x.csv").exists());
}

#[test]
fn citations_are_ready_to_paste() {
    let (_dir, lib) = temp_library();
    let with_url = quire::AddOptions { url: Some(URL.to_owned()), ..quire::AddOptions::default() };
    let (id, highlights) = quire_tests::add_reference_article_with(&lib, &with_url);
    let quote = lib.cite(id, Some(highlights[0].id), CitationStyle::Apa).unwrap();
    assert!(quote.starts_with("\"I look forward to the day when we meet as allies,\" — "), "{quote}");
    assert!(quote.contains(URL), "{quote}");
    for style in [CitationStyle::Apa, CitationStyle::Chicago, CitationStyle::Mla, CitationStyle::Harvard] {
        let c = lib.cite(id, None, style).unwrap();
        assert!(c.to_lowercase().contains("ukraine is now closer to nato"), "{style:?}: {c}");
    }
    assert_eq!(lib.cite(id, Some(999_999), CitationStyle::Apa).unwrap_err().kind(), ErrorKind::NotFound);
}

/// Everything a library holds about its articles, as comparable text (ids left out: a rebuilt
/// library numbers its own).
fn everything(lib: &quire::Library) -> Vec<String> {
    let mut out = Vec::new();
    let mut list = lib.list_articles(&Default::default()).unwrap();
    list.sort_by(|a, b| a.title.cmp(&b.title));
    for s in list {
        let v = lib.article(s.id).unwrap();
        let text: Vec<String> = v.document.blocks.iter().map(|b| b.text()).collect();
        out.push(format!(
            "{} | {:?} | {:?} | {:?} | {:?} | {:?} | {} | {:?} | fav {} | progress {} | note {:?} | link {} {:?} | tags {:?} | words {} | hash {}",
            s.title,
            s.byline,
            s.site_name,
            s.source_url,
            v.canonical_url,
            s.published_at,
            s.clipped_at,
            s.status,
            s.favorite,
            v.progress,
            v.note,
            s.link_only,
            v.link_reason,
            s.tags,
            s.word_count,
            if s.link_only { "-".to_owned() } else { v.content_hash.clone() },
        ));
        out.push(text.join("\n\n"));
        for h in &v.highlights {
            out.push(format!(
                "  {:?} {:?} {:?} {}..{} {:?} {} {:?} {:?} {}",
                h.quote.exact,
                h.quote.prefix,
                h.quote.suffix,
                h.position.start,
                h.position.end,
                h.anchor,
                h.color,
                h.note,
                h.tags,
                h.created_at
            ));
        }
    }
    out
}

#[test]
fn an_archive_rebuilds_the_library_it_was_made_from() {
    let (dir, a) = temp_library();
    let with_url =
        quire::AddOptions { url: Some(URL.to_owned()), tags: vec!["Europe/Ukraine".into()], ..Default::default() };
    let (id, highlights) = quire_tests::add_reference_article_with(&a, &with_url);
    a.set_status(id, quire::Status::Archived).unwrap();
    a.set_favorite(id, true).unwrap();
    a.set_progress(id, 0.4).unwrap();
    // An article clipped from a saved page (with its original page kept), and one kept only as
    // a link with a highlight waiting as an orphan.
    let page = quire_tests::workspace_root().join("../shared/fixtures/readability/001/source.html");
    let added = a
        .add(
            &quire::AddSource::Path(page),
            &quire::AddOptions { url: Some("https://mirror.example/vilnius".into()), ..Default::default() },
        )
        .unwrap();
    assert!(added.created);
    let links = dir.path().join("instapaper.csv");
    std::fs::write(
        &links,
        "URL,Title,Selection,Folder\nhttps://example.org/gone,Gone away,A quote never seen,Unread\n",
    )
    .unwrap();
    a.import_file(&links, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert!(!highlights.is_empty());
    let before = everything(&a);

    let zip = dir.path().join("library.zip");
    let report =
        a.export_to(&FormatRequest { format: OpenFormat::Archive, ..request(OpenFormat::Archive, &zip) }).unwrap();
    assert_eq!((report.articles, report.highlights), (3, 5));
    // The consumers' own tool (scripts/deps.sh installs unzip).
    let out = std::process::Command::new("unzip").arg("-t").arg(&zip).output().expect("unzip is installed");
    assert!(out.status.success(), "unzip -t: {}", String::from_utf8_lossy(&out.stdout));

    let (_dir_b, b) = temp_library();
    let rebuilt = b.import_file(&zip, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!(rebuilt.format, "quire-archive");
    assert_eq!((rebuilt.added.len(), rebuilt.link_only.len(), rebuilt.skipped.len()), (3, 1, 0), "{rebuilt:?}");
    assert_eq!(everything(&b), before);
    let clipped = b
        .list_articles(&Default::default())
        .unwrap()
        .into_iter()
        .find(|s| s.source_url.as_deref() == Some("https://mirror.example/vilnius"))
        .unwrap();
    assert!(
        b.snapshot_html(clipped.id).unwrap().is_some_and(|html| html.contains("<html")),
        "the original page travels too"
    );

    // Importing it again adds nothing.
    let again = b.import_file(&zip, &ImportOptions::default(), &mut |_| {}, &AtomicBool::new(false)).unwrap();
    assert_eq!((again.added.len(), again.already.len(), again.highlights.already), (0, 3, 5));
    assert_eq!(everything(&b), before);
}
