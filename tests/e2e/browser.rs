//! The browser extension saving into the running app: the app's "Connect a Browser" dialog
//! shows its endpoint and a pairing code; the extension's real-browser harness
//! (`extension/test/e2e.mjs`: headless Chromium with the unpacked extension, a test site whose
//! article and image need a login) pairs with that code, saves the page and a selection as a
//! highlight; the app's list shows the page at once, its reader shows the highlight, and the
//! dialog lists the browser, whose token can be revoked.

use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

use crate::webdriver::{Session, ESCAPE};
use crate::{launch_with, reference_library, save_screenshot};

const WAIT: Duration = Duration::from_secs(30);
const SAVED_TITLE: &str = "Behind the paywall: the Vilnius minutes";

fn first(s: &Session, css: &str) -> crate::webdriver::Element {
    s.wait_for(css, WAIT).unwrap_or_else(|e| panic!("{e}")).remove(0)
}

/// The `quire` CLI beside the app binary (the harness reads the library through it).
fn quire_cli() -> PathBuf {
    let app = crate::harness::app_binary().unwrap_or_else(|e| panic!("{e}"));
    let cli = app.with_file_name("quire");
    assert!(cli.is_file(), "{} is missing: cargo build -p quire-cli", cli.display());
    cli
}

#[test]
fn the_extension_saves_into_the_running_app() {
    let root = quire_tests::workspace_root();
    let extension = root.join("extension");
    assert!(
        extension.join("dist/chromium/manifest.json").is_file() && extension.join("node_modules").is_dir(),
        "the extension is not built: (cd extension && npm ci && npm run build)"
    );
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    reference_library(&library);
    let port = crate::harness::free_port().unwrap_or_else(|e| panic!("{e}"));
    let port_text = port.to_string();
    let app = launch_with(&library, temp.path(), &[("QUIRE_ENDPOINT_PORT", port_text.as_ref())])
        .unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    first(s, "button.row");

    // The dialog: the endpoint runs on the port asked for; no browser is paired yet.
    s.click(&first(s, "[data-action=browser]")).unwrap();
    let status = first(s, "[data-testid=endpoint-status]");
    assert_eq!(s.attribute(&status, "data-port").unwrap().as_deref(), Some(port_text.as_str()));
    first(s, "[data-testid=tokens-empty]");
    s.click(&first(s, "[data-action=pair-browser]")).unwrap();
    let code = s.text(&first(s, "[data-testid=pairing-code]")).unwrap();
    assert!(code.len() == 9 && code.as_bytes()[4] == b'-', "a code to type: {code:?}");
    save_screenshot(s, "browser-pairing.png");

    // The extension, in a real browser, pairs with that code and saves.
    let out = Command::new("node")
        .arg("test/e2e.mjs")
        .current_dir(&extension)
        .env("QUIRE_BIN", quire_cli())
        .env("QUIRE_LIBRARY", &library)
        .env("QUIRE_ATTACH", "1")
        .env("QUIRE_PAIRING_CODE", &code)
        .env("QUIRE_ENDPOINT_PORT", &port_text)
        .output()
        .expect("node runs the extension's harness");
    let report = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "the extension's harness failed:\n{report}\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(report.contains("checks passed"), "{report}");

    // The dialog shows the paired browser; the list behind it already has the page.
    crate::harness::wait_until(WAIT, || {
        Ok(!s.find_all("[data-testid=tokens] li.token").map_err(|e| e.to_string())?.is_empty())
    })
    .unwrap_or_else(|e| panic!("the paired browser is listed: {e}"));
    let token = s.text(&first(s, "[data-testid=tokens] li.token")).unwrap();
    assert!(token.contains("last used"), "{token}");
    save_screenshot(s, "browser-paired.png");
    s.press_key(ESCAPE).unwrap();
    crate::harness::wait_until(WAIT, || Ok(s.find_all("button.row").map_err(|e| e.to_string())?.len() == 2))
        .unwrap_or_else(|e| panic!("the list shows the saved page: {e}"));
    let rows = s.find_all("button.row").unwrap();
    let texts: Vec<String> = rows.iter().map(|r| s.property(r, "textContent").unwrap()).collect();
    let at = texts.iter().position(|t| t.contains(SAVED_TITLE)).unwrap_or_else(|| panic!("{texts:?}"));

    // Its reader shows the logged-in text and the highlight made in the browser.
    s.click(&rows[at]).unwrap();
    let title = s.text(&first(s, "article.reader h1.title")).unwrap();
    assert_eq!(title, SAVED_TITLE);
    let mark = s.text(&first(s, "article.reader mark[data-highlight-id]")).unwrap();
    assert!(mark.contains("security guarantees"), "{mark}");
    save_screenshot(s, "browser-saved.png");

    // Revoking the browser's token: it is gone from the library's tokens.
    s.press_key(ESCAPE).unwrap();
    s.click(&first(s, "[data-action=browser]")).unwrap();
    s.click(&first(s, "[data-action=revoke-browser]")).unwrap();
    first(s, "[data-testid=tokens-empty]");
    let lib = quire::Library::open(&library).unwrap();
    assert!(lib.tokens().unwrap().is_empty(), "the token is revoked");
    drop(app);
}
