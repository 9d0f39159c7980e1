//! The hostile-page check (issue 15): the pages of `tests/data/hostile/` — scripts in every
//! form, event handlers, script, data and vbscript links with their obfuscations, SVG with
//! scripts (inline, stored as an image, archived), CSS and font exfiltration, meta refresh,
//! forms, frames, base hijacks, bidi titles, `quire-image:` traversal, PDF string injection —
//! are added to a library as files, then opened, scrolled, hovered and clicked through in the
//! real app, while a canary server on 127.0.0.1 (the address every page aims at) counts each
//! request it gets. Then:
//!
//! - the canary got no request at all, from the import to the last click;
//! - no script ran: no mark on the window, nothing in its storage or cookies, no `pwned` tag;
//! - the webview never left the app's page;
//! - every link the app handed to the system browser (a stand-in `xdg-open` records them) is
//!   http(s), and the ordinary web links clicked were handed there, not opened in the webview;
//! - the library holds what it held before the app opened (reading positions aside);
//! - each article's PDF has no action but a link to http(s)/mailto or a page of its own, and
//!   none of the keys through which a PDF runs or launches anything.

use std::collections::{BTreeSet, HashMap};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use serde_json::json;

use quire_tests::server::{Reply, Server};

use crate::launch_with;
use crate::webdriver::{Session, ESCAPE};

const WAIT: Duration = Duration::from_secs(30);

const PROSE: &str = "The allies met in Vilnius and spoke at length about guarantees, about the road to membership \
    and about what each of them would send next, and then they spoke some more, so that this paragraph is long \
    enough for the extractor to take it as the article's text rather than as page chrome around it.";

/// What a hostile script would do if it ran: call the canary, mark the window, tag an
/// article through the app's command bridge. No double quote, no space, no `<`: it fits any
/// attribute, URL or script context of the pages.
fn payload(canary: &str, page: &str) -> String {
    format!(
        "top.__pwned=(top.__pwned||0)+1;fetch('{canary}/exec/{page}');\
         try{{window.__TAURI_INTERNALS__.invoke('tag_article',{{id:1,tags:['pwned']}})}}catch(e){{}}"
    )
}

/// The page with its placeholders filled in (see the corpus's README).
fn expand(template: &str, canary: &str, page: &str) -> String {
    use base64::Engine;
    let b64 = |s: &str| base64::engine::general_purpose::STANDARD.encode(s);
    let js = payload(canary, page);
    let svg = format!(
        "<svg xmlns='http://www.w3.org/2000/svg' width='200' height='100' onload=\"{js}\">\
         <script>{js}</script><rect width='200' height='100' fill='#36c'/>\
         <image href='{canary}/svg-image-{page}' width='10' height='10'/></svg>"
    );
    let deep = format!("{}<p>The deepest paragraph.</p>{}", "<div><span>".repeat(3000), "</span></div>".repeat(3000));
    template
        .replace("{{JS_B64}}", &b64(&format!("<script>{js}</script>")))
        .replace("{{SVG_B64}}", &b64(&svg))
        .replace("{{JS}}", &js)
        .replace("{{CANARY_HOST}}", canary.trim_start_matches("http://"))
        .replace("{{CANARY}}", canary)
        .replace("{{PROSE}}", &format!("{PROSE} This is {page}."))
        .replace("{{LONG}}", &"a".repeat(100_000))
        .replace("{{DEEP}}", &deep)
        .replace("{{HUGE_TITLE}}", &"An enormous title ".repeat(1000))
        .replace("{{HUGE_WORD}}", &"x".repeat(20_000))
}

/// The corpus's pages, by file name, in order.
fn corpus() -> Vec<(String, String)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("data/hostile");
    let mut pages: Vec<(String, String)> = std::fs::read_dir(&dir)
        .expect("the hostile corpus")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "html" || e == "mhtml"))
        .map(|p| (p.file_name().unwrap().to_string_lossy().into_owned(), std::fs::read_to_string(&p).unwrap()))
        .collect();
    pages.sort();
    pages
}

/// A server on 127.0.0.1 that answers everything with an image and remembers every path asked.
fn canary() -> (Server, Arc<Mutex<Vec<String>>>) {
    let hits = Arc::new(Mutex::new(Vec::new()));
    let seen = hits.clone();
    let server = Server::start(move |path| {
        seen.lock().unwrap().push(path.to_owned());
        Some(Reply::Body(200, Some("image/png"), quire_tests::server::tiny_png(1)))
    });
    (server, hits)
}

/// A stand-in for `xdg-open` (what the app's opener runs on Linux) that records the address
/// it is given instead of starting a browser; returns its folder (for `PATH`) and its log.
fn recording_opener(dir: &Path) -> (PathBuf, PathBuf) {
    use std::os::unix::fs::PermissionsExt;
    let bin = dir.join("opener-bin");
    std::fs::create_dir_all(&bin).unwrap();
    let log = dir.join("opened.txt");
    std::fs::write(&log, "").unwrap();
    let script = format!("#!/bin/sh\nprintf '%s\\n' \"$1\" >> '{}'\n", log.display());
    for name in ["xdg-open", "gio", "gnome-open", "kde-open", "wslview"] {
        let path = bin.join(name);
        std::fs::write(&path, &script).unwrap();
        std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    (bin, log)
}

/// A hash of what the library holds for its reader: every table but the app's bookkeeping
/// (its endpoint's port, the index's change journal), and articles without their reading
/// position (which opening and scrolling an article rightly keeps).
fn holdings(library: &Path) -> u64 {
    quire_tests::library_hash(
        library,
        &["endpoint_listeners", "fulltext_changes", "fulltext_state", "sqlite_sequence"],
        &[("articles", "progress"), ("articles", "updated_at")],
    )
}

/// Adds the corpus to a new library (each page as a file, with a highlight whose note is
/// hostile too); returns the article ids by file name.
fn hostile_library(library: &Path, pages_dir: &Path, canary: &str) -> Vec<(String, i64)> {
    std::fs::create_dir_all(pages_dir).unwrap();
    let lib = quire::Library::open(library).unwrap();
    let mut added = Vec::new();
    for (name, template) in corpus() {
        let stem = name.split('.').next().unwrap().to_owned();
        let mut page = expand(&template, canary, &stem);
        if name.ends_with(".mhtml") {
            page = page.replace('\n', "\r\n");
        }
        let path = pages_dir.join(&name);
        std::fs::write(&path, page).unwrap();
        let outcome = lib
            .add(&quire::AddSource::Path(path), &quire::AddOptions::default())
            .unwrap_or_else(|e| panic!("{name} is refused: {e}"));
        assert!(outcome.created, "{name} is taken for an article already added: {outcome:?}");
        let note = format!("<script>{}</script> ) /JS (app.alert(1)) javascript:alert(2)", payload(canary, &stem));
        let target = quire::HighlightTarget::Quote {
            exact: "spoke at length about guarantees".to_owned(),
            prefix: None,
            suffix: None,
            occurrence: Some(1),
        };
        lib.add_highlight(&quire::NewHighlight {
            article_id: outcome.id,
            target,
            color: quire::Color::Yellow,
            note,
            tags: vec!["hostile".to_owned()],
        })
        .unwrap_or_else(|e| panic!("cannot highlight {name}: {e}"));
        added.push((name, outcome.id));
    }
    added
}

/// How many links and figures the reader shows for the article: one element per linked span
/// and per image block.
fn clickables(lib: &quire::Library, id: i64) -> usize {
    let document = lib.article(id).unwrap().document;
    let images = document.blocks.iter().filter(|b| matches!(b.kind, quire_doc::BlockKind::Image { .. })).count();
    let links = document.blocks.iter().flat_map(|b| &b.spans).filter(|s| s.marks.link.is_some()).count();
    images + links
}

/// Every action and every dangerous key of a PDF, read object by object (streams inflated):
/// returns what is wrong with it.
fn pdf_problems(pdf: &[u8]) -> Vec<String> {
    use lopdf::Object;
    let doc = match lopdf::Document::load_mem(pdf) {
        Ok(doc) => doc,
        Err(e) => return vec![format!("not a readable PDF: {e}")],
    };
    const RUNS: [&[u8]; 11] = [
        b"JS",
        b"JavaScript",
        b"Launch",
        b"SubmitForm",
        b"ImportData",
        b"OpenAction",
        b"AA",
        b"GoToR",
        b"GoToE",
        b"RichMedia",
        b"EmbeddedFiles",
    ];
    let mut problems = Vec::new();
    let mut check = |dict: &lopdf::Dictionary| {
        for (key, value) in dict.iter() {
            if RUNS.contains(&key.as_slice()) {
                problems.push(format!("a /{} key", String::from_utf8_lossy(key)));
            }
            if key == b"S" {
                if let Ok(name) = value.as_name() {
                    if !matches!(name, b"URI" | b"GoTo") {
                        problems.push(format!("an action of type /{}", String::from_utf8_lossy(name)));
                    }
                }
            }
            if key == b"URI" {
                let uri = value.as_str().map(|b| String::from_utf8_lossy(b).into_owned()).unwrap_or_default();
                if !quire::address::is_link(&uri) {
                    problems.push(format!("a link to {uri:?}"));
                }
            }
        }
    };
    for object in doc.objects.values() {
        match object {
            Object::Dictionary(d) => visit(d, &mut check),
            Object::Stream(s) => visit(&s.dict, &mut check),
            _ => {}
        }
    }
    problems
}

/// Calls `check` on `dict` and on every dictionary nested in it (directly or in arrays).
fn visit(dict: &lopdf::Dictionary, check: &mut impl FnMut(&lopdf::Dictionary)) {
    fn inner(object: &lopdf::Object, check: &mut dyn FnMut(&lopdf::Dictionary)) {
        match object {
            lopdf::Object::Dictionary(d) => {
                check(d);
                d.iter().for_each(|(_, v)| inner(v, check));
            }
            lopdf::Object::Array(items) => items.iter().for_each(|v| inner(v, check)),
            _ => {}
        }
    }
    check(dict);
    dict.iter().for_each(|(_, v)| inner(v, check));
}

/// Moves the pointer onto the element (scrolled into view), then clicks it. A link under an
/// overlay or a fake button cannot always be clicked; what matters is what happens when it
/// is, so a refused click is not a failure.
fn hover_and_click(s: &Session, element: &crate::webdriver::Element) {
    s.hover(element).unwrap();
    let _ = s.click(element);
}

/// Waits until the focused list row is one `wanted` accepts; returns its article id.
fn wait_focus(s: &Session, wanted: impl Fn(Option<i64>) -> bool) -> i64 {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        let focused = s.execute("return document.activeElement?.dataset?.articleId ?? null", vec![]).unwrap();
        let id = focused.as_str().and_then(|f| f.parse().ok());
        if let Some(id) = id.filter(|_| wanted(id)) {
            return id;
        }
        assert!(std::time::Instant::now() < deadline, "the list's focus stays on {focused}");
        std::thread::sleep(Duration::from_millis(50));
    }
}

fn location(s: &Session) -> String {
    s.execute("return location.href", vec![]).unwrap().as_str().unwrap_or_default().to_owned()
}

/// Back from the reader (closing whatever a click opened) to the list, the row focused.
fn back_to_list(s: &Session) {
    for _ in 0..4 {
        if s.find_all(".reader-screen").unwrap().is_empty() {
            break;
        }
        s.press_key(ESCAPE).unwrap();
        std::thread::sleep(Duration::from_millis(150));
    }
    s.wait_for("button.row", WAIT).unwrap();
    assert!(s.find_all(".reader-screen").unwrap().is_empty(), "Esc leads back to the library");
}

#[test]
fn hostile_pages_run_nothing_and_reach_nothing() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let (canary_server, hits) = canary();
    let canary = format!("http://{}", canary_server.addr);
    // The canary counts: a request from here is seen, then forgotten.
    ureq::get(&format!("{canary}/control")).call().expect("the canary answers");
    assert_eq!(hits.lock().unwrap().drain(..).collect::<Vec<_>>(), ["/control"]);

    let added = hostile_library(&library, &temp.path().join("pages"), &canary);
    assert!(added.len() >= 40, "the corpus has {} pages", added.len());
    let names: HashMap<i64, String> = added.iter().map(|(n, id)| (*id, n.clone())).collect();
    assert_eq!(*hits.lock().unwrap(), Vec::<String>::new(), "adding the pages made requests");

    // Every PDF: no action but web links and pages of its own.
    let expected_clicks: usize = {
        let lib = quire::Library::open(&library).unwrap();
        for (name, id) in &added {
            let path = temp.path().join(format!("{id}.pdf"));
            lib.export_pdf(&quire::ExportRequest { ids: vec![*id], path: path.clone(), ..Default::default() })
                .unwrap_or_else(|e| panic!("cannot export {name}: {e}"));
            let problems = pdf_problems(&std::fs::read(&path).unwrap());
            assert!(problems.is_empty(), "the PDF of {name} has {problems:?}");
        }
        added.iter().map(|(_, id)| clickables(&lib, *id)).sum()
    };
    let before = holdings(&library);

    let (opener_bin, opened_log) = recording_opener(temp.path());
    let path = std::env::join_paths(
        std::iter::once(opener_bin).chain(std::env::split_paths(&std::env::var_os("PATH").unwrap_or_default())),
    )
    .unwrap();
    let app = launch_with(&library, temp.path(), &[("PATH", path.as_os_str())])
        .unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    s.wait_for("button.row", WAIT).unwrap();

    // Through the list with the keyboard, opening each article in turn.
    let mut visited = BTreeSet::new();
    let mut clicked_links = 0;
    let mut previous = None;
    for i in 0..added.len() {
        if i > 0 {
            back_to_list(s);
            // Esc gives the focus back to the row the article was opened from.
            wait_focus(s, |id| id == previous);
        }
        s.press_key("j").unwrap();
        let id = wait_focus(s, |id| id != previous);
        previous = Some(id);
        let name = names.get(&id).unwrap_or_else(|| panic!("an article not of the corpus: {id}"));
        s.press_key("\u{E007}").unwrap(); // Enter
        s.wait_for("article.reader h1.title", WAIT).unwrap_or_else(|e| panic!("{name} does not open: {e}"));
        assert!(visited.insert(id), "{name} opened twice");

        // Scroll to the end in steps, as a reader does.
        s.execute(
            "const sc = document.querySelector('.scroller');
             for (let y = 0; y <= sc.scrollHeight; y += 400) sc.scrollTop = y;
             sc.scrollTop = sc.scrollHeight;",
            vec![],
        )
        .unwrap();
        // Hover over every block and mark, then over and onto every link, image and button
        // of the article's own text.
        for element in s.find_all("article.reader .document > *, article.reader mark").unwrap().iter().take(40) {
            s.hover(element).unwrap();
        }
        for element in s.find_all("article.reader .document a, article.reader .document figure").unwrap() {
            hover_and_click(s, &element);
            clicked_links += 1;
            assert!(location(s).starts_with("tauri://localhost"), "{name}: the webview left: {}", location(s));
            // A click on a mark opens its highlight; back to the article itself.
            if s.find_all("article.reader").unwrap().is_empty() {
                break;
            }
        }
        if let Some(source) = s.find_all("article.reader button.source").unwrap().first() {
            hover_and_click(s, source);
        }
        assert!(location(s).starts_with("tauri://localhost"), "{name}: the webview left: {}", location(s));
    }
    assert_eq!(visited.len(), added.len(), "every article opened");
    assert_eq!(clicked_links, expected_clicks, "every link and figure was clicked");
    assert!(expected_clicks >= 20, "the corpus keeps {expected_clicks} links and figures");

    // Give anything delayed (a refresh after 2 s, a timer) the time to fire.
    std::thread::sleep(Duration::from_secs(3));
    back_to_list(s);
    let marks = s
        .execute(
            "let stored = null; try { stored = localStorage.getItem('pwned'); } catch (e) {}
             return [typeof top.__pwned, stored, document.cookie, location.href.startsWith('tauri://localhost')]",
            vec![],
        )
        .unwrap();
    assert_eq!(marks, json!(["undefined", null, "", true]), "a script ran in the app's window");

    // `quire-image:` serves stored images only, never a file by a path.
    let traversal = s
        .execute_async(
            "const done = arguments[arguments.length - 1];
             const urls = ['quire-image://localhost/../../../../etc/passwd',
                           'quire-image://localhost/%2e%2e%2f%2e%2e%2f%2e%2e%2fetc%2fpasswd',
                           'quire-image://localhost/..%2F..%2F..%2F..%2Fetc%2Fpasswd'];
             Promise.all(urls.map(u => fetch(u).then(r => r.text()).catch(e => 'refused: ' + e)))
               .then(texts => done(texts.map(t => t.includes('root:') ? 'LEAKED' : 'ok')));",
            vec![],
        )
        .unwrap();
    assert_eq!(traversal, json!(["ok", "ok", "ok"]));
    drop(app);

    // The canary got nothing, not one request, from the import to the last click.
    let hits = hits.lock().unwrap().clone();
    assert!(hits.is_empty(), "the canary was reached: {hits:?}");

    // What went to the system browser: http(s) only, the corpus's web links among them.
    let opened = std::fs::read_to_string(&opened_log).unwrap();
    let opened: Vec<&str> = opened.lines().collect();
    for address in &opened {
        assert!(
            address.starts_with("https://") || address.starts_with("http://"),
            "the system browser was handed {address:?}"
        );
        assert!(quire::address::without_invisible(address) == *address, "{address:?} has invisible characters");
    }
    assert!(
        opened.iter().any(|a| a.ends_with("/plain-link")) && opened.iter().any(|a| a.ends_with("/base/relative/page")),
        "the ordinary web links went to the system browser: {opened:?}"
    );

    eprintln!(
        "hostile: {} pages opened, {clicked_links} links and figures clicked, {} addresses handed to the browser, \
         0 canary requests",
        added.len(),
        opened.len()
    );

    // The library holds what it held, and no script tagged anything.
    assert_eq!(holdings(&library), before, "the library changed");
    let lib = quire::Library::open(&library).unwrap();
    assert!(lib.tags().unwrap().iter().all(|t| t.name != "pwned"), "a script tagged an article");
}
