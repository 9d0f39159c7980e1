//! End-to-end tests of the desktop app: the real `quire-desktop` binary in a real WebKitGTK
//! window under Xvfb, driven through tauri-driver and WebKitWebDriver.
//!
//! Prerequisites (the test fails, never skips, when one is missing):
//! `(cd ui && npm ci && npm run build) && cargo build -p quire-desktop`,
//! `cargo install tauri-driver --locked --version 2.1.0`, and the Debian packages `xvfb` and
//! `webkit2gtk-driver`. `scripts/e2e.sh` does all of it.
//!
//! Screenshots of the screens it visits are saved to `target/screenshots/` (running the tests
//! changes no tracked file); `QUIRE_SCREENSHOTS=docs/screenshots` refreshes the README's.

mod app;
mod backups;
mod browser;
mod formats;
mod from_apps;
mod guard;
mod harness;
mod hostile;
mod scenario;
mod webdriver;

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

pub(crate) use app::{launch, launch_with, launch_with_args, save_screenshot};
use webdriver::Session;

pub(crate) use quire_tests::REFERENCE_TITLE as TITLE;

/// Creates a library at `path` holding the reference article and its four highlights;
/// returns the highlight ids with their quotes.
pub(crate) fn reference_library(path: &Path) -> Vec<(i64, String)> {
    let library = quire::Library::open(path).expect("open the temporary library");
    // A source URL and article tags, so that the list shows a site and tag chips.
    let options = quire::AddOptions {
        url: Some("https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/".to_owned()),
        tags: vec!["Ukraine".to_owned(), "NATO".to_owned()],
        ..Default::default()
    };
    let (_, highlights) = quire_tests::add_reference_article_with(&library, &options);
    highlights.into_iter().map(|h| (h.id, h.quote.exact)).collect()
}

const PICTURES_TITLE: &str = "The Vilnius summit in pictures";

/// Adds a saved web page whose figure is a file beside it (the library stores the image and
/// the reader must show it through the `quire-image` protocol), with highlights across a
/// heading and the paragraph after it, in a list item, in a block quote and nested in another;
/// returns them as (id, quote).
fn add_picture_article(path: &Path, folder: &Path) -> Vec<(i64, String)> {
    std::fs::create_dir_all(folder).expect("create the page folder");
    let png = quire_tests::server::gradient_png(640, 360, [28, 63, 110], [214, 170, 60]);
    std::fs::write(folder.join("summit.png"), png).expect("write the image");
    let paragraph = "Leaders of the alliance gathered in Vilnius for two days of talks on Ukraine, \
        security guarantees and the long road to membership, while the city hosted protests, \
        concerts and a crowd of journalists from every member state.";
    let html = format!(
        "<html lang=\"en\"><head><title>{PICTURES_TITLE}</title></head><body><article><h1>{PICTURES_TITLE}</h1>\
         <p>{paragraph}</p><figure><img src=\"summit.png\" alt=\"The summit venue\" width=\"640\" height=\"360\">\
         <figcaption>The summit venue in Vilnius, photographed on the first evening.</figcaption></figure>\
         <h2>Inside the venue</h2><p>Delegations met in the main hall of the exhibition centre. {paragraph}</p>\
         <ul><li>First day: talks on Ukraine.</li><li>Second day: the G7 declaration on security guarantees.</li></ul>\
         <blockquote><p>We meet as allies in Vilnius, and we will meet as allies again.</p></blockquote>\
         <p>{paragraph}</p></article></body></html>"
    );
    let page = folder.join("pictures.html");
    std::fs::write(&page, html).expect("write the page");
    let library = quire::Library::open(path).expect("open the temporary library");
    let added = library
        .add(&quire::AddSource::Path(page.to_owned()), &quire::AddOptions::default())
        .expect("add the picture page");
    assert!(added.warnings.is_empty(), "the image is stored: {:?}", added.warnings);
    let quotes = [
        ("Inside the venue\n\nDelegations met in the main hall", quire::Color::Purple),
        ("the G7 declaration on security guarantees", quire::Color::Blue),
        ("We meet as allies in Vilnius, and we will meet as allies again.", quire::Color::Yellow),
        ("meet as allies in Vilnius", quire::Color::Pink),
    ];
    quotes
        .into_iter()
        .map(|(exact, color)| {
            let target =
                quire::HighlightTarget::Quote { exact: exact.to_owned(), prefix: None, suffix: None, occurrence: None };
            let new =
                quire::NewHighlight { article_id: added.id, target, color, note: String::new(), tags: Vec::new() };
            let h = library.add_highlight(&new).expect("highlight the picture page");
            (h.id, h.quote.exact)
        })
        .collect()
}

/// The text of each highlight's marks in the reader, in document order, by highlight id.
pub(crate) fn marked_texts(s: &Session) -> BTreeMap<i64, String> {
    let mut texts: BTreeMap<i64, String> = BTreeMap::new();
    for mark in s.find_all("article.reader mark[data-highlight-id]").expect("find marks") {
        let id = s.attribute(&mark, "data-highlight-id").expect("attribute").expect("the mark has an id");
        let id: i64 = id.parse().expect("a numeric highlight id");
        // Nested marks: each (highlight, segment) pair has its own element, so the texts of one
        // highlight's marks, in document order, make up its quote.
        let text = s.property(&mark, "textContent").expect("mark text");
        texts.entry(id).or_default().push_str(&text);
    }
    texts
}

#[test]
fn library_list_and_reader_show_the_reference_article_and_its_highlights() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let picture_highlights = add_picture_article(&library, &temp.path().join("saved-page"));
    let highlights = reference_library(&library);
    assert_eq!(highlights.len(), 4);

    let app = launch(&library, temp.path()).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    let wait = Duration::from_secs(30);

    // The library list shows the article with its highlight count.
    let rows = s.wait_for("button.row", wait).expect("the library list shows articles");
    assert_eq!(rows.len(), 2, "two articles in the library");
    save_screenshot(s, "library.png");
    // Newest first: the reference article was added last.
    let row_text = s.property(&rows[0], "textContent").expect("row text");
    assert!(row_text.contains(TITLE), "the first row shows the title; it says {row_text:?}");
    let count = s.find_all("button.row [data-testid=highlight-count]").expect("find the count");
    assert_eq!(count.len(), 2, "each row shows a highlight count");
    assert_eq!(s.text(&count[0]).expect("count text"), "4");
    assert_eq!(s.text(&count[1]).expect("count text"), "4");
    save_screenshot(s, "library.png");

    // The reader shows the document with one mark per highlight whose text is the quote.
    s.click(&rows[0]).expect("open the article");
    s.wait_for("article.reader mark[data-highlight-id]", wait).expect("the reader shows highlight marks");
    let expected: BTreeMap<i64, String> = highlights.into_iter().collect();
    assert_eq!(marked_texts(s), expected, "each highlight is marked exactly over its quote");

    let heading = s.find_all("article.reader h1").expect("find the title");
    assert_eq!(s.text(&heading[0]).expect("title text"), TITLE);
    let cards = s.find_all("aside.panel [data-highlight-card]").expect("find the highlight cards");
    assert_eq!(cards.len(), 4, "the side panel lists the four highlights");
    // A card of the side panel scrolls the article to its highlight.
    s.click(&cards[1]).expect("click the second highlight card");
    std::thread::sleep(Duration::from_millis(1500));
    save_screenshot(s, "reader.png");

    // Esc goes back to the list.
    s.press_key(webdriver::ESCAPE).expect("press Esc");
    s.wait_for("button.row", wait).expect("Esc returns to the library list");
    assert!(s.find_all("article.reader").expect("find the reader").is_empty(), "the reader is closed");

    // The picture article's image comes from the library through the quire-image protocol.
    let rows = s.find_all("button.row").expect("find the rows");
    assert!(s.property(&rows[1], "textContent").expect("row text").contains(PICTURES_TITLE));
    s.click(&rows[1]).expect("open the picture article");
    let images = s.wait_for("article.reader figure img", wait).expect("the reader shows the figure");
    let src = s.attribute(&images[0], "src").expect("src").unwrap_or_default();
    assert!(
        src.starts_with("quire-image://localhost/") || src.starts_with("http://quire-image.localhost/"),
        "the image is served by the library: {src}"
    );
    let mut width = String::new();
    for _ in 0..50 {
        width = s.property(&images[0], "naturalWidth").expect("naturalWidth");
        if width == "640" {
            break;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    assert_eq!(width, "640", "the stored image loaded in the webview");
    // Highlights across a heading and the next paragraph, in a list item, in a quote, and one
    // nested in another are all drawn over exactly their text (blocks are separate elements,
    // so the "\n\n" between blocks is not in the page).
    let expected: BTreeMap<i64, String> =
        picture_highlights.iter().map(|(id, quote)| (*id, quote.replace("\n\n", ""))).collect();
    assert_eq!(marked_texts(s), expected, "the picture page's highlights are marked over their quotes");
    let (outer, inner) = (picture_highlights[2].0, picture_highlights[3].0);
    let nested = s
        .find_all(&format!("blockquote mark[data-highlight-id=\"{outer}\"] mark[data-highlight-id=\"{inner}\"]"))
        .expect("find nested marks");
    assert!(!nested.is_empty(), "the nested highlight is drawn inside the outer one");
    let id = picture_highlights[0].0;
    let across = s.find_all(&format!(":is(h2, h3, h4) mark[data-highlight-id=\"{id}\"]")).expect("find");
    let after = s.find_all(&format!(":is(h2, h3, h4) + p mark[data-highlight-id=\"{id}\"]")).expect("find");
    assert!(!across.is_empty() && !after.is_empty(), "a highlight across a heading and a paragraph marks both");
    assert!(!s.find_all("li mark.hl").expect("find").is_empty(), "the list item's highlight is drawn");
    let cards = s.find_all("aside.panel [data-highlight-card]").expect("find the highlight cards");
    s.click(&cards[3]).expect("scroll to the nested highlight");
    std::thread::sleep(Duration::from_millis(1200));
    save_screenshot(s, "reader-structures.png");
    // Loaded is not yet painted: give the webview a moment before the screenshot.
    std::thread::sleep(Duration::from_millis(800));
    save_screenshot(s, "reader-figure.png");
    drop(app);
}
