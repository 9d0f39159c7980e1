//! Importing another app's export through the "Import from another app" dialog: an Omnivore
//! zip built here (pages kept in the export, highlights as Markdown, one item with only its
//! address, one row that is not an item), the report's counts and lists, an imported article
//! with its highlights drawn, and a link-only article completed with "Fetch the page".

use std::io::Write as _;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::Duration;

use quire_tests::server::{Reply, Server};

use crate::webdriver::{Session, ESCAPE};
use crate::{launch_with, marked_texts, save_screenshot};

const WAIT: Duration = Duration::from_secs(30);

const TIDES: &str = "<div class=\"article\"><h1>How Tides Work</h1>\
    <p>Twice a day the sea rises and falls along most coasts. Sailors, fishers and anyone who has \
    left a towel too close to the water know the rhythm, even if few could say where it comes from.</p>\
    <p>The moon pulls the water nearest to it, and the water on the far side lags behind. The earth \
    turns beneath these two bulges of water, so most shores pass under a high tide twice a day.</p>\
    <p>The sun pulls too, less than half as hard. When sun and moon line up, at new and full moon, \
    their pulls add up to the large spring tides; at the quarter moons they work against each other \
    and the tides are small.</p>\
    <p>The shape of the coast decides the rest: a wide bay can funnel the water into a range of many \
    metres, while an enclosed sea barely notices the moon at all.</p></div>";

const TIDES_HIGHLIGHTS: &str = "# How Tides Work\n\n\
    > Twice a day the sea rises and falls along most coasts.\n\n#tides #physics/gravity\n\n\
    > The moon pulls the water nearest to it,\n> and the water on the far side lags behind.\n\n#moon\n\n\
    Compare with the bulge explanation\nin the textbook.\n\n\
    > their pulls add up to the large spring tides\n\n\
    > The tide tables of 1921 were printed in red.\n";

const MORNINGS: &str = "<article><h1>Quiet Mornings</h1>\
    <p>Before the house wakes, the kettle is the loudest thing in it. The light comes in sideways, \
    the street is still blue, and for half an hour nothing needs an answer.</p>\
    <p>I used to spend that half hour on the news. Now I spend it on a single page of a book, \
    read slowly, and the day that follows is longer for it.</p></article>";

const MORNINGS_HIGHLIGHTS: &str = "> the kettle is the loudest thing in it\n";

const OWNERSHIP_HIGHLIGHTS: &str = "> Every value has exactly one owner.\n\nWorth remembering.\n";

const OWNERSHIP_PAGE: &str = "<html><head><title>Ownership in Practice</title></head><body><article>\
    <h1>Ownership in Practice</h1><p>Rust's rules fit on an index card. Every value has exactly one owner. \
    When the owner goes out of scope, the value is dropped, and nothing else has to remember to free it.</p>\
    <p>Borrowing lends a value without giving it away: many readers at once, or a single writer, never \
    both. The compiler checks the loans before the program ever runs.</p></article></body></html>";

/// An Omnivore export as its Settings → Export Data zip holds it; the item without a page
/// points at `ownership_url`.
fn omnivore_zip(path: &Path, ownership_url: &str) {
    let metadata = serde_json::json!([
        {
            "id": "7d9c1a52-3b1e-4c8e-9f0a-1b2c3d4e5f60", "slug": "how-tides-work-18c2f1a9b3d",
            "title": "How Tides Work", "author": "Ada Marsh",
            "url": "https://example.org/science/how-tides-work", "state": "ARCHIVED", "readingProgress": 100,
            "labels": ["Science", {"name": "Oceans/Tides"}],
            "savedAt": "2023-07-11T09:30:00.000Z", "publishedAt": "2023-06-01T00:00:00.000Z"
        },
        {
            "id": "5e6f7a8b-9c0d-4e1f-a2b3-c4d5e6f7a8b9", "slug": "quiet-mornings-18c2f1ab7c4",
            "title": "Quiet Mornings", "author": "Lena Ortiz",
            "url": "https://essays.example.com/quiet-mornings", "state": "SUCCEEDED", "readingProgress": 30,
            "labels": [{"name": "essays"}], "savedAt": "2022-12-24T07:15:00+01:00"
        },
        {
            "id": "0a1b2c3d-4e5f-6071-8293-a4b5c6d7e8f9", "slug": "ownership-in-practice-18c2f1aa001",
            "title": "Ownership in Practice", "url": ownership_url, "state": "SUCCEEDED",
            "labels": ["rust"], "savedAt": "2024-02-29T18:05:07.250Z"
        },
        "not an item"
    ]);
    let file = std::fs::File::create(path).expect("create the zip");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let entries = [
        ("metadata_0_to_20.json", serde_json::to_string_pretty(&metadata).unwrap()),
        ("content/how-tides-work-18c2f1a9b3d.html", TIDES.to_owned()),
        ("content/quiet-mornings-18c2f1ab7c4.html", MORNINGS.to_owned()),
        ("highlights/how-tides-work-18c2f1a9b3d.md", TIDES_HIGHLIGHTS.to_owned()),
        ("highlights/quiet-mornings-18c2f1ab7c4.md", MORNINGS_HIGHLIGHTS.to_owned()),
        ("highlights/ownership-in-practice-18c2f1aa001.md", OWNERSHIP_HIGHLIGHTS.to_owned()),
    ];
    for (name, text) in entries {
        zip.start_file(name, options).expect("start a zip entry");
        zip.write_all(text.as_bytes()).expect("write a zip entry");
    }
    zip.finish().expect("finish the zip");
}

fn first(s: &Session, css: &str) -> crate::webdriver::Element {
    s.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}")).remove(0)
}

fn text_of(s: &Session, css: &str) -> String {
    s.text(&first(s, css)).unwrap()
}

#[test]
fn an_omnivore_export_is_imported_reported_read_and_completed() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    // The page of the link-only item: missing during the import, there when it is fetched again.
    let online = Arc::new(AtomicBool::new(false));
    let serving = Arc::clone(&online);
    let server = Server::start(move |path| {
        (path == "/ownership-in-practice" && serving.load(Ordering::SeqCst))
            .then(|| Reply::Body(200, Some("text/html; charset=utf-8"), OWNERSHIP_PAGE.as_bytes().to_vec()))
    });
    // The export names a web host; in the app (as in the library's tests) only that name is
    // pointed at the local server: an import never reaches 127.0.0.1 by itself.
    let host = "blog.quire.test";
    let ownership_url = server.url(host, "/ownership-in-practice");
    let static_hosts = std::ffi::OsString::from(format!("{host}={}", server.addr));
    let export = temp.path().join("Omnivore-export-2024-10-30.zip");
    omnivore_zip(&export, &ownership_url);
    let app = launch_with(
        &library,
        temp.path(),
        &[("QUIRE_DIALOG_OPEN", export.as_os_str()), ("QUIRE_STATIC_HOSTS", static_hosts.as_os_str())],
    )
    .unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;

    // The empty library offers the import; the dialog lists the apps with their how-to.
    s.click(&first(s, "[data-testid=open-app-import]")).unwrap();
    let how = text_of(s, "[data-app=omnivore] .how");
    assert!(how.contains("Export Data"), "the how-to comes from the library: {how}");
    assert_eq!(s.find_all("[data-app]").unwrap().len(), quire::ImportFormat::ALL.len());
    s.click(&first(s, "[data-app=omnivore] input")).unwrap();
    save_screenshot(s, "import-from-app-choose.png");
    // The open dialog is answered by QUIRE_DIALOG_OPEN.
    s.click(&first(s, "[data-action=choose-export]")).unwrap();

    let articles = text_of(s, "[data-testid=app-import-articles]");
    assert_eq!(articles, "2 articles added · 1 article kept as a link");
    let highlights = text_of(s, "[data-testid=app-import-highlights]");
    assert_eq!(highlights, "6 highlights imported · 4 placed exactly · 2 not found in the text");
    let links = s.find_all("[data-testid=app-import-links] li").unwrap();
    assert_eq!(links.len(), 1);
    let link = s.text(&links[0]).unwrap();
    assert!(link.contains("Ownership in Practice") && link.contains("404"), "{link}");
    let orphans = s.find_all("[data-testid=app-import-orphans] li").unwrap();
    let orphan_texts: Vec<String> = orphans.iter().map(|o| s.text(o).unwrap()).collect();
    assert_eq!(orphans.len(), 2, "{orphan_texts:?}");
    assert!(orphan_texts.iter().any(|t| t.contains("The tide tables of 1921")), "{orphan_texts:?}");
    let skipped = text_of(s, "[data-testid=app-import-skipped] li");
    assert!(skipped.contains("metadata_0_to_20.json"), "{skipped}");
    save_screenshot(s, "import-from-app.png");

    // Opening an article from the report: its highlights are drawn over their quotes.
    let tides_orphan = orphans.iter().position(|o| s.text(o).unwrap().contains("1921")).unwrap();
    let open = s.find_all("[data-testid=app-import-orphans] li button").unwrap();
    s.click(&open[tides_orphan]).unwrap();
    assert_eq!(text_of(s, "article.reader h1.title"), "How Tides Work");
    s.wait_for("article.reader mark[data-highlight-id]", WAIT).unwrap();
    let mut marked: Vec<String> = marked_texts(s).into_values().collect();
    marked.sort();
    assert_eq!(
        marked,
        [
            "The moon pulls the water nearest to it, and the water on the far side lags behind.",
            "Twice a day the sea rises and falls along most coasts.",
            "their pulls add up to the large spring tides",
        ]
    );
    assert!(s.find_all("[data-testid=app-import]").unwrap().is_empty(), "the dialog closed");
    std::thread::sleep(Duration::from_millis(800));
    save_screenshot(s, "reader-imported.png");

    // The list marks the link-only article; its reader says so and fetches the page.
    s.press_key(ESCAPE).unwrap();
    first(s, "button.row");
    let badges = s.find_all("button.row [data-testid=link-only]").unwrap();
    assert_eq!(badges.len(), 1, "one row is marked as a link only");
    let rows = s.find_all("button.row").unwrap();
    let row = rows.iter().find(|r| s.property(r, "textContent").unwrap().contains("Ownership in Practice")).unwrap();
    s.click(row).unwrap();
    let notice = text_of(s, "[data-testid=link-only-notice]");
    assert!(notice.starts_with("Only the link was kept when this was imported"), "{notice}");
    assert!(notice.contains("404"), "the notice says why: {notice}");
    // While the page is still missing, the failure is said in plain words.
    s.click(&first(s, "[data-action=refetch]")).unwrap();
    let error = text_of(s, "[data-testid=link-only-notice] .error-text");
    assert!(error.contains("404") && error.contains("connection"), "{error}");
    save_screenshot(s, "reader-link-only.png");
    online.store(true, Ordering::SeqCst);
    s.click(&first(s, "[data-action=refetch]")).unwrap();
    let mark = first(s, "article.reader mark[data-highlight-id]");
    assert_eq!(s.text(&mark).unwrap(), "Every value has exactly one owner.");
    assert!(s.find_all("[data-testid=link-only-notice]").unwrap().is_empty(), "the notice is gone");
    drop(app);
}
