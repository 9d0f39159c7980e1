//! The desktop app's scenario, from an empty library to an exported PDF and a restart, and
//! focused tests: keyboard-only navigation, importing through the open dialog (the code path
//! a drop takes), the empty state's sample article.

use std::collections::BTreeMap;
use std::path::Path;
use std::time::Duration;

use serde_json::{json, Value};

use crate::webdriver::{Session, ESCAPE};
use crate::{launch, launch_with, marked_texts, save_screenshot};
use quire_tests::server::{Reply, Server};
use quire_tests::REFERENCE_TITLE as TITLE;

const WAIT: Duration = Duration::from_secs(30);

/// Selects `quote` in the reader with a real DOM selection range over its text nodes.
const SELECT_QUOTE: &str = r#"
const [quote] = arguments;
const root = document.querySelector("article.reader .document");
const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
const nodes = [];
let text = "";
for (let n = walker.nextNode(); n; n = walker.nextNode()) { nodes.push([n, text.length]); text += n.textContent; }
const at = text.indexOf(quote);
if (at < 0) return "not found";
const point = (offset, isEnd) => {
  for (const [n, start] of nodes) {
    const len = n.textContent.length;
    if (offset < start + len || (isEnd && offset === start + len)) return [n, offset - start];
  }
  return null;
};
const [sn, so] = point(at, false);
const [en, eo] = point(at + quote.length, true);
const range = document.createRange();
range.setStart(sn, so);
range.setEnd(en, eo);
const selection = window.getSelection();
selection.removeAllRanges();
selection.addRange(range);
sn.parentElement.scrollIntoView({ block: "center" });
return selection.toString();
"#;

fn wait_count(s: &Session, css: &str, n: usize) -> Vec<crate::webdriver::Element> {
    let mut found = Vec::new();
    for _ in 0..300 {
        found = s.find_all(css).expect("find");
        if found.len() == n {
            return found;
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    panic!("expected {n} elements matching {css:?}, found {}", found.len());
}

fn first(s: &Session, css: &str) -> crate::webdriver::Element {
    s.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}")).remove(0)
}

fn sorted(tags: &[String]) -> Vec<String> {
    let mut tags = tags.to_vec();
    tags.sort_by_key(|t| t.to_lowercase());
    tags
}

fn qpdf_check(path: &Path) {
    let out =
        std::process::Command::new("qpdf").arg("--check").arg(path).output().expect("run qpdf (apt install qpdf)");
    assert!(out.status.success(), "qpdf --check {}: {}", path.display(), String::from_utf8_lossy(&out.stdout));
}

#[test]
fn scenario_from_an_empty_library_to_an_exported_topic_and_a_restart() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let page = std::fs::read(quire_tests::reference_page()).expect("the reference page");
    let server = Server::start(move |path| {
        (path == "/2023/07/12/ukraine-closer-to-nato/")
            .then(|| Reply::Body(200, Some("text/html; charset=utf-8"), page.clone()))
    });
    let url = server.url("127.0.0.1", "/2023/07/12/ukraine-closer-to-nato/");
    let pdf = temp.path().join("out").join("NATO accession.pdf");
    std::fs::create_dir_all(pdf.parent().unwrap()).unwrap();
    let app = launch_with(&library, temp.path(), &[("QUIRE_DIALOG_SAVE", pdf.as_os_str())])
        .unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;

    // An empty library welcomes the user with three ways in.
    first(s, "[data-testid=open-sample]");
    assert!(s.find_all("button.row").unwrap().is_empty());
    save_screenshot(s, "empty.png");

    // Clip the page from the local server through the clip box.
    s.click(&first(s, "[data-action=open-clip]")).unwrap();
    s.send_keys(&first(s, "#clip-input"), &url).unwrap();
    s.click(&first(s, "button[data-action=clip]")).unwrap();
    let title = first(s, "article.reader h1.title");
    assert_eq!(s.text(&title).unwrap(), TITLE);

    // Highlight the four quotes with real selections, colors, notes and tags.
    let quotes = quire_tests::reference_quotes();
    for (i, quote) in quotes.iter().enumerate() {
        let selected = s.execute(SELECT_QUOTE, vec![json!(quote.exact)]).unwrap();
        assert_eq!(selected, Value::String(quote.exact.clone()), "the quote is selected in the page");
        s.press_key("h").unwrap();
        let popover = first(s, ".popover");
        let _ = popover;
        s.click(&first(s, &format!(".popover [data-color={}]", quote.color))).unwrap();
        if !quote.note.is_empty() {
            s.send_keys(&first(s, "#highlight-note"), &quote.note).unwrap();
        }
        let tag_input = first(s, ".popover .tag-input input");
        for tag in &quote.tags {
            s.send_keys(&tag_input, &format!("{tag}\u{E007}")).unwrap();
        }
        wait_count(s, ".popover .tag-input .chip", quote.tags.len());
        if i == 0 {
            save_screenshot(s, "reader-popover.png");
        }
        s.click(&first(s, ".popover [data-action=save]")).unwrap();
        wait_count(s, "aside.panel [data-highlight-card]", i + 1);
    }
    let marked = marked_texts(s);
    let mut expected: Vec<String> = quotes.iter().map(|q| q.exact.clone()).collect();
    let mut got: Vec<String> = marked.values().cloned().collect();
    expected.sort();
    got.sort();
    assert_eq!(got, expected, "each highlight is drawn over exactly its quote");
    s.execute(
        "const sc = document.querySelector('.scroller'); const m = document.querySelector('article.reader mark');
         sc.scrollTop += m.getBoundingClientRect().top - sc.getBoundingClientRect().top - 120;",
        vec![],
    )
    .unwrap();
    save_screenshot(s, "reader-highlights.png");

    // The library agrees with what the reader shows.
    {
        let lib = quire::Library::open(&library).unwrap();
        let article = lib.list_articles(&Default::default()).unwrap().remove(0);
        let view = lib.article(article.id).unwrap();
        let stored: BTreeMap<String, (String, String, Vec<String>)> = view
            .highlights
            .iter()
            .map(|h| (h.quote.exact.clone(), (h.color.to_string(), h.note.clone(), sorted(&h.tags))))
            .collect();
        for q in &quotes {
            assert_eq!(stored[&q.exact], (q.color.to_string(), q.note.clone(), sorted(&q.tags)), "{}", q.exact);
        }
    }

    // Search finds the highlight that says "allies".
    s.press_key(ESCAPE).unwrap();
    first(s, "button.row");
    s.send_keys(&first(s, "#search"), "allies").unwrap();
    let hit = first(s, "[data-hit-highlight]");
    let hit_text = s.text(&hit).unwrap();
    let allies = quotes.iter().find(|q| q.exact.contains("allies")).expect("a reference quote mentions allies");
    assert!(hit_text.contains(&allies.exact), "the highlight is shown as a hit: {hit_text:?}");
    save_screenshot(s, "search.png");

    // The "NATO accession" topic shows its three quotes.
    s.click(&first(s, "[data-topic=\"NATO accession\"]")).unwrap();
    wait_count(s, "[data-topic-quote]", 3);
    save_screenshot(s, "topic.png");

    // Export the topic: the save dialog is answered by QUIRE_DIALOG_SAVE.
    s.click(&first(s, "[data-action=export-topic]")).unwrap();
    s.click(&first(s, "[data-format=pdf]")).unwrap();
    s.click(&first(s, "[data-action=export-start]")).unwrap();
    let result = first(s, "[data-testid=export-result]");
    // The topic's PDF quotes the topic's three quotes, as the topic view shows them.
    assert!(s.text(&result).unwrap().contains("3 highlights"), "{}", s.text(&result).unwrap());
    assert!(pdf.is_file(), "the PDF was written to {}", pdf.display());
    qpdf_check(&pdf);
    s.press_key(ESCAPE).unwrap();

    // Dark mode.
    s.execute(
        "const t = document.querySelector('select.theme'); t.value = 'dark'; t.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .unwrap();
    s.click(&first(s, "[data-topic=\"NATO accession\"]")).unwrap();
    s.press_key(ESCAPE).unwrap();
    // Back from the topic, the search is still there: open the article from its result.
    s.click(&first(s, "button.result")).unwrap();
    first(s, "article.reader mark[data-highlight-id]");
    std::thread::sleep(Duration::from_millis(500));
    let theme = s.execute("return document.documentElement.dataset.theme", vec![]).unwrap();
    assert_eq!(theme, json!("dark"));
    save_screenshot(s, "reader-dark.png");
    drop(app);

    // Restart: everything is still there, the theme too.
    let app = launch(&library, temp.path()).unwrap_or_else(|e| panic!("cannot relaunch the app: {e}"));
    let s = &app.session;
    let count = first(s, "button.row [data-testid=highlight-count]");
    assert_eq!(s.text(&count).unwrap(), "4");
    s.click(&first(s, "button.row")).unwrap();
    wait_count(s, "aside.panel [data-highlight-card]", 4);
    let theme = s.execute("return document.documentElement.dataset.theme", vec![]).unwrap();
    assert_eq!(theme, json!("dark"), "the theme is remembered");
    drop(app);
}

fn library_of(path: &Path, titles: &[&str]) {
    let lib = quire::Library::open(path).unwrap();
    for title in titles {
        let text = format!("{title}\n\nA short article called {title}, with a paragraph of text to read.");
        lib.add(&quire::AddSource::Stdin(text.as_bytes().to_vec()), &quire::AddOptions::default()).unwrap();
    }
}

#[test]
fn keyboard_only_list_navigation_and_import_through_the_open_dialog() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    library_of(&library, &["First", "Second", "Third"]);
    let folder = temp.path().join("to-import");
    std::fs::create_dir_all(&folder).unwrap();
    std::fs::write(folder.join("a.txt"), "Imported one\n\nThe first imported text.").unwrap();
    std::fs::write(folder.join("b.md"), "Imported two\n\nThe second imported text.").unwrap();
    let pdf = temp.path().join("c.pdf");
    std::fs::write(&pdf, "%PDF-1.7").unwrap();
    let picked = std::env::join_paths([folder.as_path(), pdf.as_path()]).unwrap();
    let app = launch_with(&library, temp.path(), &[("QUIRE_DIALOG_OPEN", picked.as_os_str())])
        .unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    wait_count(s, "button.row", 3);
    let focused = || s.execute("return document.activeElement?.dataset?.articleId ?? null", vec![]).unwrap();
    let rows: Vec<String> =
        s.find_all("button.row").unwrap().iter().map(|r| s.attribute(r, "data-article-id").unwrap().unwrap()).collect();
    s.press_key("j").unwrap();
    assert_eq!(focused(), json!(rows[0]), "j focuses the list");
    s.press_key("j").unwrap();
    assert_eq!(focused(), json!(rows[1]));
    s.press_key("\u{E015}").unwrap(); // ArrowDown
    s.press_key("k").unwrap();
    assert_eq!(focused(), json!(rows[1]));
    s.press_key("\u{E007}").unwrap(); // Enter
    assert_eq!(s.text(&first(s, "article.reader h1.title")).unwrap(), "Second");
    s.press_key(ESCAPE).unwrap();
    wait_count(s, "button.row", 3);
    std::thread::sleep(Duration::from_millis(300));
    assert_eq!(focused(), json!(rows[1]), "Esc returns to the row the article was opened from");
    // "?" shows the shortcuts; Esc closes them.
    s.press_key("?").unwrap();
    first(s, "#help-title");
    s.press_key(ESCAPE).unwrap();

    // Importing a folder: the open dialog is answered by QUIRE_DIALOG_OPEN.
    s.click(&first(s, "[data-action=import-files]")).unwrap();
    let summary = first(s, "[data-testid=import-summary]");
    assert_eq!(s.text(&summary).unwrap(), "2 articles added · 0 duplicates · 1 failed");
    let failed = first(s, ".failed li");
    assert!(s.text(&failed).unwrap().contains("c.pdf"));
    save_screenshot(s, "import.png");
    s.click(&first(s, ".dialog .btn.primary")).unwrap();
    wait_count(s, "button.row", 5);
    drop(app);
}

/// Drags the row of article `id` onto the sidebar's tag `tag` with the DOM's drag events
/// (WebKitWebDriver has no native drag and drop).
const DRAG_TO_TAG: &str = r#"
const [id, tag] = arguments;
const row = document.querySelector(`button.row[data-article-id="${id}"]`);
const target = document.querySelector(`[data-tag="${tag}"]`).closest("li");
const data = new DataTransfer();
const fire = (el, type) => el.dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
fire(row, "dragstart");
fire(target, "dragenter");
fire(target, "dragover");
fire(target, "drop");
fire(row, "dragend");
return data.getData("application/x-quire-article");
"#;

#[test]
fn saved_searches_and_dropping_an_article_on_a_tag() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    library_of(&library, &["Alliance notes", "Summit diary", "Weather report"]);
    let (notes, diary) = {
        let lib = quire::Library::open(&library).unwrap();
        let all = lib.list_articles(&Default::default()).unwrap();
        let id = |title: &str| all.iter().find(|a| a.title == title).unwrap().id;
        lib.tag_article(id("Alliance notes"), &["Reading/Later".into()]).unwrap();
        (id("Alliance notes"), id("Summit diary"))
    };
    let app = launch(&library, temp.path()).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    wait_count(s, "button.row", 3);

    // Drop "Summit diary" on the tag "Reading/Later" (shown nested under "Reading").
    let dragged = s.execute(DRAG_TO_TAG, vec![json!(diary), json!("Reading/Later")]).unwrap();
    assert_eq!(dragged, json!(diary.to_string()), "the row carries its article id");
    for _ in 0..100 {
        let tags = quire::Library::open(&library).unwrap().article(diary).unwrap().summary.tags;
        if tags == ["Reading/Later"] {
            break;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
    let tags = quire::Library::open(&library).unwrap().article(diary).unwrap().summary.tags;
    assert_eq!(tags, ["Reading/Later"], "the dropped article carries the tag");
    // The tag's filter now lists both articles.
    s.click(&first(s, "[data-tag=\"Reading/Later\"]")).unwrap();
    let rows = wait_count(s, "button.row", 2);
    let mut ids: Vec<String> = rows.iter().map(|r| s.attribute(r, "data-article-id").unwrap().unwrap()).collect();
    ids.sort();
    let mut expected = vec![notes.to_string(), diary.to_string()];
    expected.sort();
    assert_eq!(ids, expected);

    // Save a search, leave it, and come back to it from the sidebar.
    s.click(&first(s, ".sidebar .item")).unwrap(); // All articles
    wait_count(s, "button.row", 3);
    s.send_keys(&first(s, "#search"), "summit").unwrap();
    first(s, "ol.results[data-query=\"summit\"] button.result");
    s.click(&first(s, ".tools .btn")).unwrap(); // Save search
    let saved = first(s, "[data-saved-search=summit]");
    s.execute("const b = document.querySelector('#search'); b.value = ''; b.dispatchEvent(new Event('input', { bubbles: true }));", vec![])
        .unwrap();
    wait_count(s, "button.row", 3);
    s.click(&saved).unwrap();
    let results = wait_count(s, "button.result", 1);
    assert!(s.property(&results[0], "textContent").unwrap().contains("Summit diary"));
    assert_eq!(quire::Library::open(&library).unwrap().saved_searches().unwrap()[0].query, "summit");
    drop(app);
}

#[test]
fn the_empty_state_opens_the_sample_article_in_one_click() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let app = launch(&library, temp.path()).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    s.click(&first(s, "[data-testid=open-sample]")).unwrap();
    assert_eq!(s.text(&first(s, "article.reader h1.title")).unwrap(), TITLE);
    s.press_key(ESCAPE).unwrap();
    wait_count(s, "button.row", 1);
    drop(app);
}

#[test]
fn a_link_dropped_from_a_browser_is_clipped() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let page = std::fs::read(quire_tests::reference_page()).expect("the reference page");
    let server =
        Server::start(move |path| (path == "/story").then(|| Reply::Body(200, Some("text/html"), page.clone())));
    let url = server.url("127.0.0.1", "/story");
    let app = launch(&library, temp.path()).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    first(s, "[data-testid=open-sample]");
    // What a browser hands over when a link is dragged out of it (WebKitWebDriver cannot drag
    // between applications, so the page gets the same DOM events).
    let drop_link = |link: &str| {
        s.execute(
            "const data = new DataTransfer();
             data.setData('text/uri-list', '# a comment line\\n' + arguments[0]);
             for (const type of ['dragenter', 'dragover', 'drop']) {
               document.querySelector('main, .body').dispatchEvent(new DragEvent(type, { dataTransfer: data, bubbles: true, cancelable: true }));
             }",
            vec![json!(link)],
        )
        .unwrap();
    };
    // A link that cannot be clipped says why, and adds nothing.
    drop_link(&server.url("127.0.0.1", "/missing"));
    let notice = s.text(&first(s, ".toast")).unwrap();
    assert!(notice.starts_with("Could not clip the dropped link: ") && notice.contains("404"), "{notice}");
    assert!(quire::Library::open(&library).unwrap().list_articles(&Default::default()).unwrap().is_empty());
    drop_link(&url);
    assert_eq!(s.text(&first(s, "article.reader h1.title")).unwrap(), TITLE);
    let lib = quire::Library::open(&library).unwrap();
    let articles = lib.list_articles(&Default::default()).unwrap();
    assert_eq!(articles.len(), 1);
    assert_eq!(articles[0].source_url.as_deref(), Some(url.as_str()));
    drop(app);
}
