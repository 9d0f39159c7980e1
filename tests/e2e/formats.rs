//! A `quire://highlight/ID` link at start (as Linux passes it: an argument) opens the reader at
//! that highlight, a malformed link beside it only shows a notice; "Copy with citation" puts
//! the quote and its citation on the clipboard; the Export dialog writes the reference article
//! as Markdown (a folder) and as CSL-JSON, where the save dialog (answered by
//! `QUIRE_DIALOG_SAVE`) says.

use std::time::Duration;

use crate::webdriver::{Session, ESCAPE};
use crate::{launch_with_args, reference_library, save_screenshot, TITLE};

const WAIT: Duration = Duration::from_secs(30);

fn first(s: &Session, css: &str) -> crate::webdriver::Element {
    s.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}")).remove(0)
}

/// Waits until the element's attribute is set, and returns it.
fn wait_attribute(s: &Session, css: &str, name: &str) -> String {
    let deadline = std::time::Instant::now() + WAIT;
    loop {
        if let Some(element) = s.find_all(css).unwrap().first() {
            if let Some(value) = s.attribute(element, name).unwrap() {
                return value;
            }
        }
        if std::time::Instant::now() > deadline {
            let toast = s.find_all(".toast").unwrap().first().map(|t| s.text(t).unwrap());
            panic!("{css} never got {name}; the notice says {toast:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
}

#[test]
fn a_quire_link_at_start_opens_the_reader_at_its_highlight() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let highlights = reference_library(&library);
    let (id, _) = highlights[2].clone();
    let out = temp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // One answer for every save dialog: the Markdown folder, and `export.json` for CSL-JSON.
    let answer = out.join("export");
    let link = format!("quire://highlight/{id}");
    let app = launch_with_args(
        &library,
        temp.path(),
        &[("QUIRE_DIALOG_SAVE", answer.as_os_str())],
        &["quire://highlight/99999999999999999999999", &link],
    )
    .unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;

    // The link opened the reader at its highlight, which flashes.
    first(s, &format!("article.reader mark.flash[data-highlight-id=\"{id}\"]"));
    assert_eq!(s.text(&first(s, "article.reader h1.title")).unwrap(), TITLE);
    // The malformed link only told the user.
    let notice = s.text(&first(s, ".toast")).unwrap();
    assert!(notice.contains("does not name a highlight or article"), "{notice}");

    drop(app);
}

/// A `quire://` link clicked while Quire runs starts the app a second time; that start hands
/// the link to the running window (the single-instance plugin, over the session bus) and
/// exits, and the running window opens the highlight.
#[test]
fn a_quire_link_while_quire_runs_opens_in_the_running_window() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let highlights = reference_library(&library);
    let (id, _) = highlights[1].clone();
    // A private session bus, so that this test's app is the only Quire on it.
    let bus_path = temp.path().join("bus");
    let bus = format!("unix:path={}", bus_path.display());
    let dbus = crate::harness::find_program("dbus-daemon", &[]).unwrap_or_else(|e| panic!("{e}"));
    let mut daemon = std::process::Command::new(dbus);
    daemon.args(["--session", "--nofork", "--nopidfile", &format!("--address={bus}")]);
    let _daemon = crate::harness::Guarded::spawn("dbus-daemon", daemon, &temp.path().join("dbus.log"))
        .unwrap_or_else(|e| panic!("{e}"));
    crate::harness::wait_until(Duration::from_secs(10), || Ok(bus_path.exists())).expect("the bus starts");
    let env = [("DBUS_SESSION_BUS_ADDRESS", std::ffi::OsStr::new(&bus)), ("QUIRE_SINGLE_INSTANCE", "1".as_ref())];
    let app =
        launch_with_args(&library, temp.path(), &env, &[]).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    first(s, "button.row");

    let second = std::process::Command::new(crate::harness::app_binary().unwrap())
        .arg(format!("quire://highlight/{id}"))
        .env("DISPLAY", format!(":{}", app.display()))
        .env("GDK_BACKEND", "x11")
        .env("QUIRE_LIBRARY", &library)
        .env("DBUS_SESSION_BUS_ADDRESS", &bus)
        .env("QUIRE_SINGLE_INSTANCE", "1")
        .env("XDG_DATA_HOME", temp.path().join("xdg-data"))
        .stdin(std::process::Stdio::null())
        .output()
        .expect("the second start runs");
    assert!(second.status.success(), "the second start hands over and exits: {second:?}");
    // The running window opened the reader at the highlight.
    first(s, &format!("article.reader mark.flash[data-highlight-id=\"{id}\"]"));
    assert_eq!(s.text(&first(s, "article.reader h1.title")).unwrap(), TITLE);
    drop(app);
}

#[test]
fn citations_and_exports_to_open_formats() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let highlights = reference_library(&library);
    let (id, quote) = highlights[2].clone();
    let out = temp.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    // One answer for every save dialog: the Markdown folder, and `export.json` for CSL-JSON.
    let answer = out.join("export");
    let app = launch_with_args(&library, temp.path(), &[("QUIRE_DIALOG_SAVE", answer.as_os_str())], &[])
        .unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    s.click(&first(s, "button.row")).unwrap();
    first(s, "article.reader mark[data-highlight-id]");

    // Export the article as Markdown (for Obsidian) into the folder the dialog names.
    s.click(&first(s, "[data-action=export-pdf]")).unwrap();
    s.click(&first(s, "[data-format=md]")).unwrap();
    s.execute(
        "const m = document.querySelector('[data-option=markdown]'); m.value = 'obsidian'; m.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .unwrap();
    save_screenshot(s, "export-dialog.png");
    s.click(&first(s, "[data-action=export-start]")).unwrap();
    let result = s.text(&first(s, "[data-testid=export-result]")).unwrap();
    assert!(result.contains("1 article") && result.contains("4 highlights"), "{result}");
    save_screenshot(s, "export-done.png");
    let notes: Vec<_> = std::fs::read_dir(&answer)
        .expect("the Markdown folder")
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "md"))
        .collect();
    assert_eq!(notes.len(), 1, "one note: {notes:?}");
    let note = std::fs::read_to_string(&notes[0]).unwrap();
    assert!(note.starts_with("---\n"), "front matter first: {note}");
    assert!(note.contains(TITLE), "{note}");
    assert!(note.contains(&quote), "the quote is in the note");
    assert!(note.contains(&format!("quire://highlight/{id}")), "the quote links back: {note}");
    s.press_key(ESCAPE).unwrap();

    // And as CSL-JSON.
    s.click(&first(s, "[data-action=export-pdf]")).unwrap();
    s.click(&first(s, "[data-format=csl]")).unwrap();
    s.click(&first(s, "[data-action=export-start]")).unwrap();
    first(s, "[data-testid=export-result]");
    let csl_path = out.join("export.json");
    let csl: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&csl_path).expect("the CSL-JSON file")).expect("CSL-JSON parses");
    assert_eq!(csl[0]["title"], TITLE, "{csl}");
    let shown = s.text(&first(s, "[data-testid=export-path]")).unwrap();
    assert!(shown.ends_with("export.json"), "{shown}");
    s.press_key(ESCAPE).unwrap();
    // Copy with citation, in the remembered style (MLA chosen here).
    s.execute(
        "const c = document.querySelector('[data-option=cite-style]'); c.value = 'mla'; c.dispatchEvent(new Event('change', { bubbles: true }));",
        vec![],
    )
    .unwrap();
    s.click(&first(s, &format!("[data-cite=\"{id}\"]"))).unwrap();
    let copied = wait_attribute(s, ".toast[data-copied]", "data-copied");
    assert!(copied.contains(&quote), "the quote is copied: {copied:?}");
    assert!(copied.to_lowercase().contains("ukraine is now closer to nato"), "with its citation: {copied:?}");
    assert!(copied.contains("Accessed"), "in MLA: {copied:?}");
    let notice = s.text(&first(s, ".toast")).unwrap();
    assert!(notice.starts_with("Copied the quote with its citation"), "{notice}");
    // It is on the system clipboard: another program pastes exactly that text.
    let pasted = app.clipboard_text().unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(pasted, copied, "the clipboard holds the quote with its citation");
    save_screenshot(s, "reader-copied-citation.png");
    let stored = s.execute("return localStorage.getItem('quire.settings')", vec![]).unwrap();
    assert!(stored.as_str().unwrap_or_default().contains("\"citation\":\"mla\""), "{stored}");

    drop(app);
}
