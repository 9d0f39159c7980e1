//! Addresses as an attacker writes them: a web archive whose `Content-Location` is
//! `javascript:`, `--url javascript:…`, pages whose links and images use every other scheme,
//! and an empty `<img src="">`. Nothing but http(s) (and mailto for links) is stored, and no
//! export — PDF, Markdown, W3C, CSL, BibTeX, CSV, archive — carries anything else.

use std::path::Path;

use quire::{
    AddOptions, AddSource, CitationStyle, ExportRequest, FormatRequest, Library, MarkdownStyle, OpenFormat, Selection,
};
use quire_doc::BlockKind;

use crate::temp_library;

const PROSE: &str = "The allies met in Vilnius and spoke at length about guarantees, about the road to membership \
    and about what each of them would send next, and then they spoke some more, so that this paragraph is long \
    enough for the extractor to take it as the article's text rather than as page chrome around it.";

/// A page with a link and an image in every scheme that must not be kept, and one of each
/// that may.
fn hostile_page() -> String {
    format!(
        "<html><head><title>Hostile addresses</title>\
         <link rel=canonical href='javascript:alert(document.domain)'></head><body><article><h1>Hostile addresses</h1>\
         <p>{PROSE} <a href='javascript:alert(1)'>script</a>, <a href=' JavaScript:alert(2)'>spaced</a>, \
         <a href='java&#x09;script:alert(3)'>tabbed</a>, <a href='vbscript:msgbox(4)'>vb</a>, \
         <a href='data:text/html,&lt;script&gt;alert(5)&lt;/script&gt;'>data</a>, <a href='file:///etc/passwd'>file</a>, \
         <a href='https://example.org/safe'>safe</a> and <a href='mailto:editor@example.org'>mail</a>.</p>\
         <figure><img src='javascript:alert(6)' alt='script image'><figcaption>A script image.</figcaption></figure>\
         <figure><img src='' alt='empty image'><figcaption>An empty image.</figcaption></figure>\
         <p>{PROSE}</p></article></body></html>"
    )
}

fn web_archive(location: &str, html: &str) -> String {
    use base64::Engine;
    let page = base64::engine::general_purpose::STANDARD.encode(html.as_bytes());
    format!(
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: {location}\r\nSubject: Hostile\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/related; type=\"text/html\"; boundary=\"----B\"\r\n\r\n\
         ------B\r\nContent-Type: text/html\r\nContent-Transfer-Encoding: base64\r\n\
         Content-Location: {location}\r\n\r\n{page}\r\n------B--\r\n"
    )
}

/// Every address the library holds for an article: source, canonical, links, image sources.
fn stored_addresses(lib: &Library, id: i64) -> Vec<String> {
    let view = lib.article(id).unwrap();
    let mut all: Vec<String> =
        [view.summary.source_url.clone(), view.canonical_url.clone()].into_iter().flatten().collect();
    for block in &view.document.blocks {
        if let BlockKind::Image { src, .. } = &block.kind {
            all.push(src.clone());
        }
        all.extend(block.spans.iter().filter_map(|s| s.marks.link.clone()));
    }
    all
}

fn assert_only_web(addresses: &[String]) {
    for a in addresses {
        let ok = quire::address::is_link(a) || quire::address::is_stored_image(a);
        assert!(ok, "stored address {a:?} is neither http(s), mailto nor a stored image");
    }
}

/// Every file an export wrote, as text (lossy for the PDF and the zip's stored entries).
fn exported_text(path: &Path) -> String {
    if path.is_dir() {
        let mut all = String::new();
        for entry in std::fs::read_dir(path).unwrap() {
            all.push_str(&exported_text(&entry.unwrap().path()));
        }
        return all;
    }
    let bytes = std::fs::read(path).unwrap();
    if path.extension().is_some_and(|e| e == "zip") {
        let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut all = String::new();
        for i in 0..zip.len() {
            let mut entry = zip.by_index(i).unwrap();
            // The original pages are kept as they were: they are the record, never a link.
            if entry.name().unwrap().starts_with("snapshots/") {
                continue;
            }
            let mut text = Vec::new();
            std::io::Read::read_to_end(&mut entry, &mut text).unwrap();
            all.push_str(&String::from_utf8_lossy(&text));
        }
        return all;
    }
    String::from_utf8_lossy(&bytes).into_owned()
}

fn assert_no_hostile_scheme(what: &str, text: &str) {
    let lower = text.to_ascii_lowercase();
    for scheme in ["javascript", "vbscript", "file:///", "data:text"] {
        assert!(!lower.contains(scheme), "{what} carries {scheme}");
    }
}

#[test]
fn a_web_archive_at_a_script_address_keeps_no_script_address_anywhere() {
    let (dir, lib) = temp_library();
    let path = dir.path().join("hostile.mhtml");
    std::fs::write(&path, web_archive("javascript:alert(document.cookie)", &hostile_page())).unwrap();
    let added = lib.add(&AddSource::Path(path), &AddOptions::default()).unwrap();
    let view = lib.article(added.id).unwrap();
    assert_eq!(view.summary.source_url, None);
    assert!(
        added
            .warnings
            .iter()
            .any(|w| w.starts_with("ignored the address \"javascript:")
                && w.ends_with("only http(s) addresses are kept")),
        "{:?}",
        added.warnings
    );
    let addresses = stored_addresses(&lib, added.id);
    assert_only_web(&addresses);
    assert!(
        addresses.contains(&"https://example.org/safe".to_owned())
            && addresses.contains(&"mailto:editor@example.org".to_owned())
    );
    // The links' and images' words stay; their addresses are gone.
    let text = view.document.canonical_text();
    for words in ["script", "spaced", "tabbed", "A script image.", "An empty image."] {
        assert!(text.contains(words), "{words}");
    }
    export_everything(&lib, dir.path());
}

#[test]
fn a_script_address_given_for_a_file_is_not_its_source() {
    let (dir, lib) = temp_library();
    let path = dir.path().join("page.html");
    std::fs::write(&path, hostile_page()).unwrap();
    for url in
        ["javascript:alert(1)", "JAVASCRIPT:alert(1)", "data:text/html,x", "file:///etc/passwd", "java\tscript:x"]
    {
        let options = AddOptions { url: Some(url.to_owned()), ..AddOptions::default() };
        let added = lib.add(&AddSource::Path(path.clone()), &options).unwrap();
        assert_eq!(lib.article(added.id).unwrap().summary.source_url, None, "{url:?}");
        assert_only_web(&stored_addresses(&lib, added.id));
        lib.remove_article(added.id).unwrap();
    }
    // An http(s) address is kept, and an empty image is not the page fetched as an image.
    let options = AddOptions { url: Some("https://example.org/a".to_owned()), ..AddOptions::default() };
    let added = lib.add(&AddSource::Path(path), &options).unwrap();
    let view = lib.article(added.id).unwrap();
    assert_eq!(view.summary.source_url.as_deref(), Some("https://example.org/a"));
    let images: Vec<&str> = view
        .document
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Image { src, .. } => Some(src.as_str()),
            _ => None,
        })
        .collect();
    assert!(images.is_empty(), "neither the script image nor the empty one is an image: {images:?}");
    assert_only_web(&stored_addresses(&lib, added.id));
    export_everything(&lib, dir.path());
}

fn export_everything(lib: &Library, dir: &Path) {
    let pdf = dir.join("all.pdf");
    lib.export_pdf(&ExportRequest { all: true, path: pdf.clone(), ..Default::default() }).unwrap();
    assert_no_hostile_scheme("the PDF", &exported_text(&pdf));
    for (format, name) in [
        (OpenFormat::Md, "notes"),
        (OpenFormat::W3c, "a.json"),
        (OpenFormat::Csl, "c.json"),
        (OpenFormat::Bibtex, "b.bib"),
        (OpenFormat::Csv, "h.csv"),
        (OpenFormat::Archive, "library.zip"),
    ] {
        let path = dir.join(name);
        lib.export_to(&FormatRequest {
            format,
            selection: Selection { all: true, ..Selection::default() },
            path: path.clone(),
            style: MarkdownStyle::Obsidian,
            citation: CitationStyle::Apa,
        })
        .unwrap();
        assert_no_hostile_scheme(name, &exported_text(&path));
    }
}
