//! Clipping from the web, against a scripted server on 127.0.0.1: the happy path with images,
//! duplicates, and the bad-input table. Host names resolve only through `static_hosts`, so no
//! test ever asks real DNS or reaches the internet.

use std::time::Duration;

use quire::{AddOptions, FetchConfig, Library};
use quire_doc::BlockKind;
use quire_tests::server::{tiny_png, Reply, Server};
use quire_tests::{data, reference_page, REFERENCE_TITLE};

use crate::temp_library;

const HOST: &str = "news.quire.test";

fn page_with_images() -> Vec<u8> {
    let page = std::fs::read_to_string(reference_page()).unwrap();
    // Point the figure at the test server, and add a data: image and a missing one.
    let page = page.replace("https://worlddesk.example/media/vilnius-summit.jpg\" alt", "/media/summit.png\" alt");
    let extra = r#"<figure><img src="data:image/png;base64,DATA" alt="inline chart"><figcaption>An inline chart.</figcaption></figure>
      <figure><img src="/media/missing.png" alt="A missing photo"><figcaption>A photo that is gone.</figcaption></figure>
      <p>While he thanked Biden"#;
    use base64::Engine;
    let data_png = base64::engine::general_purpose::STANDARD.encode(tiny_png(2));
    page.replacen("<p>While he thanked Biden", &extra.replace("DATA", &data_png), 1).into_bytes()
}

fn routes(path: &str) -> Option<Reply> {
    let html = |body: &str| Reply::Body(200, Some("text/html; charset=utf-8"), body.as_bytes().to_vec());
    Some(match path {
        "/2023/07/12/ukraine-closer-to-nato/" => Reply::Body(200, Some("text/html; charset=utf-8"), page_with_images()),
        "/moved" => Reply::Redirect("/2023/07/12/ukraine-closer-to-nato/"),
        "/media/summit.png" => Reply::Body(200, Some("image/png"), tiny_png(1)),
        "/404" => Reply::Body(404, Some("text/html"), b"<h1>Not found</h1>".to_vec()),
        "/500" => Reply::Body(500, Some("text/html"), b"<h1>Oops</h1>".to_vec()),
        "/silent" => Reply::Silent(Duration::from_secs(10)),
        "/loop" => Reply::Redirect("/loop"),
        "/report.pdf" => Reply::Body(200, Some("application/pdf"), b"%PDF-1.7\n...".to_vec()),
        "/photo" => Reply::Body(200, Some("image/jpeg"), b"\xFF\xD8\xFF\xE0 jpeg".to_vec()),
        "/api" => Reply::Body(200, Some("application/json"), b"{\"a\": 1}".to_vec()),
        "/huge" => Reply::Endless(100 * 1024 * 1024),
        "/binary" => Reply::Body(200, Some("text/html"), (0..4096u32).map(|i| (i % 7) as u8).collect()),
        "/empty" => Reply::Body(200, Some("text/html"), Vec::new()),
        "/cp1251" => Reply::Body(200, Some("text/html"), cyrillic_page(None)),
        "/wrong-charset" => Reply::Body(200, Some("text/html; charset=utf-8"), cyrillic_page(Some("utf-8"))),
        "/nested" => html(&format!(
            "<html><head><title>Deep page</title></head><body>{}<p>Text at the bottom of a very deep page about NATO.</p>{}</body></html>",
            "<div>".repeat(200_000),
            "</div>".repeat(200_000)
        )),
        "/hostile" => html(HOSTILE),
        _ => return None,
    })
}

const CYRILLIC: &str =
    "Генеральний секретар НАТО Єнс Столтенберг заявив, що Україна зараз ближче до альянсу, ніж будь-коли.";

fn cyrillic_page(declared: Option<&str>) -> Vec<u8> {
    let meta = declared.map(|c| format!("<meta charset=\"{c}\">")).unwrap_or_default();
    let html = format!(
        "<html><head>{meta}<title>Україна і НАТО</title></head><body><article><h1>Україна і НАТО</h1><p>{}</p><p>{}</p></article></body></html>",
        CYRILLIC.repeat(3),
        CYRILLIC.repeat(2)
    );
    encoding_rs::WINDOWS_1251.encode(&html).0.into_owned()
}

const HOSTILE: &str = r#"<html><head><title>A hostile page about the summit</title><script>steal()</script></head>
<body onload="steal()"><article><h1>A hostile page about the summit</h1>
<p onclick="steal()">This paragraph talks about the Vilnius summit at length, so that readability keeps it as the article,
with <a href="javascript:steal()">a script link</a>, <a href="https://example.org/safe">a safe link</a> and
<a href="data:text/html,<script>x</script>">a data link</a>.</p>
<iframe src="https://evil.example/frame"></iframe>
<form action="https://evil.example/post"><input name="q"><button>Send</button></form>
<p>More words about allies and guarantees, so that the article is long enough to be taken as one by the extractor.
<img src="https://evil.example/track.gif" onerror="steal()" alt="tracker"></p>
<object data="x.swf"></object><embed src="y.swf"><svg><script>steal()</script></svg>
</article></body></html>"#;

fn options(server: &Server) -> AddOptions {
    AddOptions {
        fetch: FetchConfig {
            static_hosts: Some(vec![(HOST.to_owned(), server.addr)]),
            timeout: Duration::from_secs(3),
            connect_timeout: Duration::from_secs(2),
            ..FetchConfig::default()
        },
        ..AddOptions::default()
    }
}

#[test]
fn clipping_a_page_saves_the_article_its_images_and_a_snapshot() {
    let server = Server::start(routes);
    let (_dir, lib) = temp_library();
    let opts = options(&server);
    let url = server.url(HOST, "/2023/07/12/ukraine-closer-to-nato/");
    let added = lib.add(&quire::AddSource::Url(url.to_string()), &opts).unwrap();
    assert!(added.created);
    assert_eq!(added.title, REFERENCE_TITLE);
    // The reference page names its canonical address on worlddesk.example, but this copy is
    // served from another host: a page cannot speak for another site's article.
    assert_eq!(added.warnings.len(), 2, "{:?}", added.warnings);
    assert!(
        added.warnings[0].starts_with("ignored the page's canonical address \"https://worlddesk.example/")
            && added.warnings[0].ends_with("it is on another site than the page"),
        "{:?}",
        added.warnings
    );
    assert!(
        added.warnings[1].starts_with("image /media/missing.png not saved")
            || added.warnings[1].contains("missing.png"),
        "{:?}",
        added.warnings
    );
    let view = lib.article(added.id).unwrap();
    assert_eq!(view.summary.site_name.as_deref(), Some("World Desk Daily"));
    assert_eq!(view.summary.source_url.as_deref(), Some(url.as_str()));
    let images: Vec<(&str, &str)> = view
        .document
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Image { src, alt } => Some((src.as_str(), alt.as_str())),
            _ => None,
        })
        .collect();
    assert_eq!(images.len(), 3, "{images:?}");
    let stored: Vec<&str> = images.iter().filter_map(|(src, _)| src.strip_prefix(quire::IMAGE_SCHEME)).collect();
    assert_eq!(stored.len(), 2, "the served and the data: image are stored: {images:?}");
    for hash in stored {
        let image = lib.image(hash).unwrap();
        assert_eq!(image.mime, "image/png");
        assert!(image.data.starts_with(b"\x89PNG"));
    }
    let failed = images.iter().find(|(_, alt)| *alt == "A missing photo").unwrap();
    assert!(failed.0.ends_with("/media/missing.png"), "a failed image keeps its source and alt: {failed:?}");
    let snapshot = lib.snapshot_html(added.id).unwrap().expect("a snapshot");
    assert!(snapshot.contains("Leave a Reply"), "the snapshot is the whole original page");

    // The same page again — through a redirect, with tracking parameters — is the same article.
    for again in [server.url(HOST, "/moved"), format!("{url}?utm_source=x&fbclid=y#comments")] {
        let outcome = lib.add(&quire::AddSource::Url(again.to_string()), &opts).unwrap();
        assert_eq!((outcome.id, outcome.created), (added.id, false), "{again}");
    }
    assert_eq!(lib.list_articles(&Default::default()).unwrap().len(), 1);
}

/// Every way clipping can go wrong: a clear one-line error or a usable article with warnings,
/// and the library unchanged after an error.
#[test]
fn bad_input_table() {
    let server = Server::start(routes);
    let (_dir, lib) = temp_library();
    let opts = options(&server);
    let url = |path: &str| server.url(HOST, path);
    let refused = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        format!("http://127.0.0.1:{port}/")
    };
    // The closed port is on this computer: reached only because the user typed it.
    let opts =
        AddOptions { fetch: FetchConfig { reach: quire::Reach::typed([refused.as_str()]), ..opts.fetch }, ..opts };
    // (address, Ok(warning fragment or "") | Err(message fragment))
    let cases: Vec<(String, Result<&str, &str>)> = vec![
        ("http://dead.quire.test/article".into(), Err("host not found: check the address")),
        (refused, Err("connection refused")),
        (url("/404"), Err("the server answered 404 Not Found")),
        (url("/500"), Err("the server answered 500 Internal Server Error")),
        (url("/silent"), Err("the server did not answer within 3 s")),
        (url("/loop"), Err("too many redirects (more than 10)")),
        (url("/report.pdf"), Err("is not an HTML page (application/pdf)")),
        (url("/photo"), Err("is not an HTML page (image/jpeg)")),
        (url("/api"), Err("is not an HTML page (application/json)")),
        (url("/huge"), Err("is larger than the limit of 25 MB")),
        (url("/binary"), Err("is not an HTML page (binary data)")),
        (url("/empty"), Err("holds no text")),
        ("htp:/broken url".into(), Err("htp: addresses cannot be clipped")),
        ("http://exa mple.com/".into(), Err("not a web address")),
        ("http://".into(), Err("not a web address")),
        ("file:///etc/passwd".into(), Err("file: addresses cannot be clipped")),
        ("javascript:alert(1)".into(), Err("javascript: addresses cannot be clipped")),
        (url("/cp1251"), Ok("")),
        (url("/wrong-charset"), Ok("the page says UTF-8 but is not; decoded it as windows-1251")),
        (url("/nested"), Ok("nests elements more than 256 deep")),
    ];
    let mut failures = Vec::new();
    for (address, expected) in cases {
        let before = lib.list_articles(&Default::default()).unwrap().len();
        match (lib.add(&quire::AddSource::Url(address.to_string()), &opts), expected) {
            (Err(e), Err(fragment)) => {
                let message = e.to_string();
                if !message.contains(fragment) || message.contains('\n') {
                    failures.push(format!("{address}: expected an error with {fragment:?}, got {message:?}"));
                }
                if lib.list_articles(&Default::default()).unwrap().len() != before {
                    failures.push(format!("{address}: the library changed after an error"));
                }
            }
            (Ok(outcome), Ok(warning)) => {
                let text = lib.canonical_text(outcome.id).unwrap();
                if warning.is_empty() && !outcome.warnings.is_empty() {
                    failures.push(format!("{address}: unexpected warnings {:?}", outcome.warnings));
                }
                if !warning.is_empty() && !outcome.warnings.iter().any(|w| w.contains(warning)) {
                    failures
                        .push(format!("{address}: expected a warning with {warning:?}, got {:?}", outcome.warnings));
                }
                if address.contains("charset") || address.contains("cp1251") {
                    if !text.contains(CYRILLIC) || outcome.title != "Україна і НАТО" {
                        failures.push(format!("{address}: Cyrillic came out wrong: {:?} / {text:?}", outcome.title));
                    }
                } else if !text.contains("Text at the bottom of a very deep page about NATO.") {
                    failures.push(format!("{address}: the text was lost: {text:?}"));
                }
            }
            (got, expected) => {
                failures.push(format!("{address}: expected {expected:?}, got {:?}", got.map(|o| o.title)))
            }
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn the_stored_document_holds_nothing_that_runs_or_loads() {
    let server = Server::start(routes);
    let (_dir, lib) = temp_library();
    let added = lib.add(&quire::AddSource::Url(server.url(HOST, "/hostile")), &options(&server)).unwrap();
    let view = lib.article(added.id).unwrap();
    let json = serde_json::to_string(&view.document).unwrap().to_lowercase();
    for bad in [
        "<script",
        "steal()",
        "onclick",
        "onload",
        "onerror",
        "javascript:",
        "data:text/html",
        "iframe",
        "<form",
        "evil.example/frame",
        "evil.example/post",
        ".swf",
    ] {
        assert!(!json.contains(bad), "the stored document contains {bad:?}: {json}");
    }
    let links: Vec<String> =
        view.document.blocks.iter().flat_map(|b| &b.spans).filter_map(|s| s.marks.link.clone()).collect();
    assert_eq!(links, ["https://example.org/safe"]);
    // The tracker could not be fetched (host not found): it stays a remote address that the
    // reader never loads, with a warning.
    assert!(added.warnings.iter().any(|w| w.contains("evil.example/track.gif")), "{:?}", added.warnings);
}

#[test]
fn folder_import_reports_added_duplicates_and_failures_and_can_be_cancelled() {
    let (dir, lib) = temp_library();
    let folder = dir.path().join("saved");
    std::fs::create_dir_all(folder.join("page_files")).unwrap();
    std::fs::create_dir_all(folder.join("more")).unwrap();
    std::fs::copy(reference_page(), folder.join("a-page.html")).unwrap();
    std::fs::copy(data("article.txt"), folder.join("more/b-article.txt")).unwrap();
    std::fs::copy(reference_page(), folder.join("c-copy.htm")).unwrap();
    std::fs::write(folder.join("d-empty.md"), "  \n").unwrap();
    std::fs::write(folder.join("notes.json"), "{}").unwrap();
    std::fs::write(folder.join("page_files/ad.html"), "<p>an ad frame</p>").unwrap();
    let mut events = Vec::new();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let sources = [quire::AddSource::Path(folder.clone())];
    let summary = lib.add_all(&sources, &AddOptions::default(), &mut |e| events.push(format!("{e:?}")), &cancel);
    assert_eq!(
        (summary.added.len(), summary.duplicates.len(), summary.failed.len(), summary.cancelled),
        (2, 1, 1, false)
    );
    assert_eq!(summary.failed[0].0, "saved/d-empty.md");
    assert!(summary.failed[0].1.contains("holds no text"));
    assert_eq!(events.len(), 5, "started + one per file: {events:?}");
    assert!(events[0].contains("Started { total: 4 }"));

    // Cancelling after the first file keeps it and stops there.
    let (_dir2, lib2) = temp_library();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let summary = lib2.add_all(
        &sources,
        &AddOptions::default(),
        &mut |e| {
            if matches!(e, quire::ImportEvent::Item { .. }) {
                cancel.store(true, std::sync::atomic::Ordering::SeqCst);
            }
        },
        &cancel,
    );
    assert!(summary.cancelled);
    assert_eq!(summary.added.len(), 1);
    assert_eq!(lib2.list_articles(&Default::default()).unwrap().len(), 1);
    let missing = lib2.add(&quire::AddSource::Path(dir.path().join("nope")), &AddOptions::default());
    assert_eq!(missing.unwrap_err().kind(), quire::ErrorKind::Io);
}

#[test]
fn local_pages_keep_images_beside_them_but_never_outside() {
    let (dir, lib) = temp_library();
    let folder = dir.path().join("saved");
    std::fs::create_dir_all(folder.join("page_files")).unwrap();
    std::fs::write(folder.join("page_files/chart%201.png"), tiny_png(3)).unwrap();
    std::fs::write(folder.join("page_files/chart 1.png"), tiny_png(3)).unwrap();
    std::fs::write(dir.path().join("secret.png"), tiny_png(4)).unwrap();
    let page = std::fs::read_to_string(reference_page())
        .unwrap()
        .replace("https://worlddesk.example/media/vilnius-summit.jpg", "page_files/chart%201.png")
        .replace("<h2>Long range weapons</h2>", "<figure><img src=\"../secret.png\" alt=\"outside\"><figcaption>Not allowed.</figcaption></figure><h2>Long range weapons</h2>");
    let path = folder.join("page.html");
    std::fs::write(&path, page).unwrap();
    let added = lib.add(&quire::AddSource::Path(path.to_owned()), &AddOptions::default()).unwrap();
    let view = lib.article(added.id).unwrap();
    let srcs: Vec<String> = view
        .document
        .blocks
        .iter()
        .filter_map(|b| match &b.kind {
            BlockKind::Image { src, .. } => Some(src.clone()),
            _ => None,
        })
        .collect();
    // The image outside the folder is not kept, nor is its address (only stored copies and web
    // addresses are image sources); its caption stays in the text.
    assert_eq!(srcs.len(), 1, "{srcs:?}");
    assert!(srcs[0].starts_with(quire::IMAGE_SCHEME), "{srcs:?}");
    assert!(view.document.canonical_text().contains("Not allowed."));
    assert!(
        added.warnings.iter().any(|w| w.contains("../secret.png") && w.contains("not a file beside the page")),
        "{:?}",
        added.warnings
    );
    let _ = Library::open(&dir.path().join("library.sqlite3")).unwrap();
}

#[test]
fn web_archives_import_with_their_images_offline() {
    use base64::Engine;
    let (dir, lib) = temp_library();
    let page = std::fs::read_to_string(reference_page())
        .unwrap()
        .replace("https://worlddesk.example/media/vilnius-summit.jpg", "https://worlddesk.example/media/summit.png");
    let png = base64::engine::general_purpose::STANDARD.encode(tiny_png(5));
    let b64_page = base64::engine::general_purpose::STANDARD.encode(page.as_bytes());
    let mhtml = format!(
        "From: <Saved by Blink>\r\nSnapshot-Content-Location: https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/\r\n\
         Subject: Ukraine is now closer to NATO than ever before\r\nMIME-Version: 1.0\r\n\
         Content-Type: multipart/related; type=\"text/html\"; boundary=\"----B\"\r\n\r\n\
         ------B\r\nContent-Type: text/html\r\nContent-ID: <frame-1@mhtml.blink>\r\nContent-Transfer-Encoding: base64\r\n\
         Content-Location: https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/\r\n\r\n{b64_page}\r\n\
         ------B\r\nContent-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\
         Content-Location: https://worlddesk.example/media/summit.png\r\n\r\n{png}\r\n------B--\r\n"
    );
    let path = dir.path().join("saved.mhtml");
    std::fs::write(&path, mhtml).unwrap();
    let added = lib.add(&quire::AddSource::Path(path.to_owned()), &AddOptions::default()).unwrap();
    assert_eq!(added.title, REFERENCE_TITLE);
    assert!(added.warnings.is_empty(), "{:?}", added.warnings);
    let view = lib.article(added.id).unwrap();
    assert_eq!(
        view.summary.source_url.as_deref(),
        Some("https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/")
    );
    let src = view.document.blocks.iter().find_map(|b| match &b.kind {
        BlockKind::Image { src, .. } => Some(src.clone()),
        _ => None,
    });
    let hash =
        src.as_deref().and_then(|s| s.strip_prefix(quire::IMAGE_SCHEME)).expect("the image came from the archive");
    assert_eq!(lib.image(hash).unwrap().data, tiny_png(5));
    let not_archive = dir.path().join("broken.mht");
    std::fs::write(&not_archive, "just some text, no MIME at all").unwrap();
    assert_eq!(
        lib.add(&quire::AddSource::Path(not_archive.to_owned()), &AddOptions::default()).unwrap_err().kind(),
        quire::ErrorKind::InvalidInput
    );
}
