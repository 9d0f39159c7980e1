//! Played as an attacker in the real app: a stored SVG with a script, a script that sends the
//! webview away, a title with a right-to-left override, an 18,000-character title and a long
//! site name. The webview stays on Quire's own page and user text stays in its box.

use std::time::Duration;

use serde_json::{json, Value};

use crate::launch;

const WAIT: Duration = Duration::from_secs(30);

const PROSE: &str = "The allies met in Vilnius and spoke at length about guarantees, about the road to membership \
    and about what each of them would send next, and then they spoke some more, so that this paragraph is long \
    enough for the extractor to take it as the article's text rather than as page chrome around it.";

fn add_page(lib: &quire::Library, title: &str, site: &str, body: &str) -> i64 {
    let html = format!(
        "<html><head><title>{title}</title><meta property='og:site_name' content='{site}'></head><body><article>\
         <p>{PROSE}</p>{body}<p>{PROSE}</p></article></body></html>"
    );
    lib.add(&quire::AddSource::Stdin(html.into_bytes()), &quire::AddOptions::default()).unwrap().id
}

#[test]
fn the_webview_stays_home_and_user_text_stays_in_its_box() {
    let temp = tempfile::tempdir().expect("a temporary directory");
    let library = temp.path().join("library.sqlite3");
    let svg_hash = {
        use base64::Engine;
        let lib = quire::Library::open(&library).unwrap();
        let svg = "<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10'><script>\
                   window.__TAURI_INTERNALS__.invoke('tag_article', {id: 1, tags: ['pwned']})</script></svg>";
        let data = base64::engine::general_purpose::STANDARD.encode(svg);
        let id = add_page(
            &lib,
            "\u{202e}ERUCES example.org",
            &"A very long site name that goes on and on ".repeat(8),
            &format!("<figure><img src='data:image/svg+xml;base64,{data}' alt='chart'><figcaption>A chart.</figcaption></figure>"),
        );
        add_page(&lib, &"Unbroken".repeat(2250), "Example", "");
        let view = lib.article(id).unwrap();
        view.document
            .blocks
            .iter()
            .find_map(|b| match &b.kind {
                quire_doc::BlockKind::Image { src, .. } => src.strip_prefix(quire::IMAGE_SCHEME).map(str::to_owned),
                _ => None,
            })
            .expect("the SVG is stored")
    };
    let app = launch(&library, temp.path()).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
    let s = &app.session;
    s.wait_for("button.row", WAIT).unwrap();
    let rows = s
        .execute(
            "return [...document.querySelectorAll('button.row')].map(row => {
               const title = row.querySelector('.card-title');
               const bdi = title.querySelector('bdi');
               const site = row.querySelector('.site bdi');
               const r = row.getBoundingClientRect(), t = title.getBoundingClientRect();
               return {
                 isolated: !!bdi && getComputedStyle(bdi).unicodeBidi === 'isolate'
                   && !!site && getComputedStyle(site).unicodeBidi === 'isolate',
                 inside: t.left >= r.left && t.right <= r.right + 1,
                 visible: t.width > 100 && t.height > 0,
               };
             })",
            vec![],
        )
        .unwrap();
    let rows = rows.as_array().expect("a list");
    assert_eq!(rows.len(), 2);
    for row in rows {
        assert_eq!(row, &json!({"isolated": true, "inside": true, "visible": true}), "{rows:?}");
    }
    // Away to the stored SVG (which Tauri would count as a local origin): refused.
    let wait_then = |script: &str| -> Value {
        s.execute_async(
            &format!(
                "const done = arguments[arguments.length - 1]; {script}; setTimeout(() => done(location.href), 1500);"
            ),
            vec![],
        )
        .unwrap()
    };
    let at = wait_then(&format!("location.href = 'quire-image://localhost/{svg_hash}'"));
    assert!(at.as_str().is_some_and(|u| u.starts_with("tauri://localhost")), "{at}");
    let at = wait_then(&format!("window.open('quire-image://localhost/{svg_hash}')"));
    assert!(at.as_str().is_some_and(|u| u.starts_with("tauri://localhost")), "{at}");
    s.wait_for("button.row", WAIT).unwrap();
    drop(app);
    let lib = quire::Library::open(&library).unwrap();
    assert!(lib.tags().unwrap().iter().all(|t| t.name != "pwned"), "the SVG's script ran");
}
