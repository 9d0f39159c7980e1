//! `quire export` end to end: the library gathers articles, highlights and images, and the file
//! appears only when the export succeeded. (The PDF's content is tested in `quire-pdf`.)

use std::process::Command;

use quire::{ExportRequest, PdfOptions};
use quire_tests::{add_reference_article, reference_page, workspace_root, REFERENCE_TITLE};

use crate::temp_library;

fn pdftotext(path: &std::path::Path) -> String {
    let out =
        Command::new("pdftotext").args(["-layout"]).arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

fn page_text(path: &std::path::Path, page: u32) -> String {
    let p = page.to_string();
    let out = Command::new("pdftotext").args(["-layout", "-f", &p, "-l", &p]).arg(path).arg("-").output().unwrap();
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn pdfinfo(path: &std::path::Path) -> String {
    let out = Command::new("pdfinfo").arg(path).output().expect("pdfinfo (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn export_writes_a_valid_annotated_pdf_and_never_a_broken_one() {
    let (dir, lib) = temp_library();
    let (id, _) = add_reference_article(&lib);
    let other = lib.add(&quire::AddSource::Path(reference_page().to_owned()), &Default::default()).unwrap().id;
    let path = dir.path().join("reference.pdf");
    let report = lib
        .export_pdf(&ExportRequest {
            ids: vec![id],
            path: path.clone(),
            options: PdfOptions::default(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((report.articles, report.highlights), (1, 4));
    assert!(report.bytes <= 80 * 1024, "{} bytes", report.bytes);
    let check = Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf");
    assert!(check.status.success(), "{}", String::from_utf8_lossy(&check.stdout));
    let text = pdftotext(&path);
    assert!(text.contains(REFERENCE_TITLE), "{text}");
    assert!(text.contains("Stoltenberg gives no date for membership."), "the notes are listed: {text}");

    // A topic dossier: every article with the tag (on the article or a highlight), no repeats.
    let dossier = dir.path().join("dossier.pdf");
    let report = lib
        .export_pdf(&ExportRequest {
            ids: vec![other],
            tag: Some("NATO accession".into()),
            path: dossier.clone(),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(report.articles, 2);
    assert!(report.warnings.iter().any(|w| w.contains("vilnius-summit.jpg")), "{:?}", report.warnings);
    // A contents page first, listing both articles with the pages they start on.
    let contents = page_text(&dossier, 1);
    assert!(contents.trim_start().starts_with("Contents"), "{contents}");
    // (Both articles are the reference article, one from its text and one from its page.)
    let entries: Vec<(String, u32)> = contents
        .lines()
        .filter_map(|l| {
            let (title, number) = l.trim().rsplit_once(' ')?;
            Some((title.trim_end_matches([' ', '.']).to_owned(), number.parse().ok()?))
        })
        .collect();
    let pages: Vec<u32> = entries.iter().map(|e| e.1).collect();
    assert!(entries.iter().all(|e| e.0 == REFERENCE_TITLE), "{contents}");
    assert!(pages.len() == 2 && pages[0] == 2 && pages[1] > 2, "{contents}");
    let second = page_text(&dossier, pages[1]);
    let second = second.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(second.starts_with(REFERENCE_TITLE), "page {}: {second}", pages[1]);
    assert!(pdfinfo(&dossier).contains("CreationDate:"), "the export time is in the document info");

    // Errors leave nothing behind and an existing file untouched.
    std::fs::write(dir.path().join("keep.pdf"), b"precious").unwrap();
    let err = lib
        .export_pdf(&ExportRequest { ids: vec![id, 999], path: dir.path().join("keep.pdf"), ..Default::default() })
        .unwrap_err();
    assert_eq!(err.kind(), quire::ErrorKind::NotFound);
    assert_eq!(std::fs::read(dir.path().join("keep.pdf")).unwrap(), b"precious");
    let err = lib
        .export_pdf(&ExportRequest {
            ids: vec![id],
            path: dir.path().join("no/such/folder/x.pdf"),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), quire::ErrorKind::Io);
    assert!(err.to_string().contains("no/such/folder/x.pdf"), "{err}");
    assert_eq!(
        lib.export_pdf(&ExportRequest { path: path.clone(), ..Default::default() }).unwrap_err().kind(),
        quire::ErrorKind::InvalidInput
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}

#[test]
fn export_embeds_stored_images_and_falls_back_for_glyphs_the_fonts_lack() {
    let (dir, lib) = temp_library();
    let page = dir.path().join("page");
    std::fs::create_dir(&page).unwrap();
    let jpeg = std::fs::read(workspace_root().join("crates/quire-pdf/tests/data/figure.jpg")).unwrap();
    std::fs::write(page.join("figure.jpg"), &jpeg).unwrap();
    // U+0378 is unassigned: no font has it. The arrow is in the bundled monospace font.
    let html = "<html><head><title>Glyphs and figures</title></head><body><article><h1>Glyphs and figures</h1>\
        <p>An arrow → points at a character no font has: \u{378}, and the text goes on long enough for \
        readability to keep it as the article, with a second sentence about the figure below.</p>\
        <figure><img src=\"figure.jpg\" alt=\"A page\"><figcaption>A figure.</figcaption></figure>\
        <p>A last paragraph after the figure, also long enough to be kept as part of the article.</p>\
        </article></body></html>";
    std::fs::write(page.join("index.html"), html).unwrap();
    let id = lib.add(&quire::AddSource::Path(page.join("index.html").to_owned()), &Default::default()).unwrap().id;
    let path = dir.path().join("glyphs.pdf");
    let report = lib.export_pdf(&ExportRequest { ids: vec![id], path: path.clone(), ..Default::default() }).unwrap();
    assert_eq!(report.warnings.len(), 1, "{:?}", report.warnings);
    assert!(report.warnings[0].contains('\u{378}') && !report.warnings[0].contains('→'), "{:?}", report.warnings);
    let text = pdftotext(&path);
    assert!(text.contains("An arrow → points"), "{text}");
    let images = Command::new("pdfimages").arg("-list").arg(&path).output().unwrap();
    let images = String::from_utf8_lossy(&images.stdout).into_owned();
    assert_eq!(images.lines().filter(|l| l.contains(" jpeg ")).count(), 1, "the stored image is embedded: {images}");
}

/// A topic's PDF quotes what is on the topic: an article that does not carry the tag brings
/// only its highlights that do; asked for by id, it brings them all.
#[test]
fn a_topic_pdf_quotes_only_what_is_on_the_topic() {
    let dir = tempfile::tempdir().unwrap();
    let lib = quire::Library::open(&dir.path().join("library.sqlite3")).unwrap();
    let (id, highlights) = quire_tests::add_reference_article(&lib);
    let on_topic = highlights.iter().filter(|h| h.tags.iter().any(|t| t == "NATO accession")).count();
    assert!(on_topic > 0 && on_topic < highlights.len());
    let topic = lib
        .export_pdf(&ExportRequest {
            tag: Some("NATO accession".into()),
            path: dir.path().join("t.pdf"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!((topic.articles, topic.highlights), (1, on_topic));
    let whole = lib
        .export_pdf(&ExportRequest {
            ids: vec![id],
            tag: Some("NATO accession".into()),
            path: dir.path().join("w.pdf"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(whole.highlights, highlights.len());
    // An article carrying the tag brings every highlight.
    lib.tag_article(id, &["NATO accession/Vilnius".to_owned()]).unwrap();
    let tagged = lib
        .export_pdf(&ExportRequest {
            tag: Some("nato accession".into()),
            path: dir.path().join("a.pdf"),
            ..Default::default()
        })
        .unwrap();
    assert_eq!(tagged.highlights, highlights.len());
}
