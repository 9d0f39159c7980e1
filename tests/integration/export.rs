//! `quire export` end to end: the library gathers articles, highlights and images, and the file
//! appears only when the export succeeded. (The PDF's content is tested in `quire-pdf`.)

use std::process::Command;

use quire::{ExportRequest, PdfOptions};
use quire_tests::{add_reference_article, data, REFERENCE_TITLE};

use crate::temp_library;

fn pdftotext(path: &std::path::Path) -> String {
    let out =
        Command::new("pdftotext").args(["-layout"]).arg(path).arg("-").output().expect("pdftotext (poppler-utils)");
    String::from_utf8_lossy(&out.stdout).split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn export_writes_a_valid_annotated_pdf_and_never_a_broken_one() {
    let (dir, mut lib) = temp_library();
    let (id, _) = add_reference_article(&mut lib);
    let other = lib.add_file(&data("page.html"), &Default::default()).unwrap().id;
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

    // Errors leave nothing behind and an existing file untouched.
    std::fs::write(dir.path().join("keep.pdf"), b"precious").unwrap();
    let err = lib
        .export_pdf(&ExportRequest { ids: vec![id, 999], path: dir.path().join("keep.pdf"), ..Default::default() })
        .unwrap_err();
    assert_eq!(err.kind(), "not_found");
    assert_eq!(std::fs::read(dir.path().join("keep.pdf")).unwrap(), b"precious");
    let err = lib
        .export_pdf(&ExportRequest {
            ids: vec![id],
            path: dir.path().join("no/such/folder/x.pdf"),
            ..Default::default()
        })
        .unwrap_err();
    assert_eq!(err.kind(), "io");
    assert!(err.to_string().contains("no/such/folder/x.pdf"), "{err}");
    assert_eq!(
        lib.export_pdf(&ExportRequest { path: path.clone(), ..Default::default() }).unwrap_err().kind(),
        "invalid_input"
    );
    let leftovers: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| e.file_name().to_string_lossy().ends_with(".tmp"))
        .collect();
    assert!(leftovers.is_empty(), "{leftovers:?}");
}
