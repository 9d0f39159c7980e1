//! Data-driven extraction tests: every `tests/cases/NAME.html` is extracted (page address
//! `https://example.org/news/`) and rendered as an outline — metadata, then one line per block
//! with links as `[text](href)` — that must equal `tests/cases/NAME.txt`.
//! `UPDATE_EXPECT=1 cargo test -p quire-clip --test cases` rewrites the `.txt` files.
//! Every case also checks the security invariant: links only http(s)/mailto, images only
//! http(s) or inline `data:image/`.

use std::fmt::Write;
use std::path::Path;

use quire_clip::{from_html, Extracted, HtmlOptions};
use quire_doc::BlockKind;

fn outline(e: &Extracted) -> String {
    let m = &e.meta;
    let mut out = String::new();
    let opt = |o: &Option<String>| o.clone().unwrap_or_else(|| "-".to_owned());
    writeln!(out, "title: {}", m.title).unwrap();
    writeln!(out, "byline: {}", opt(&m.byline)).unwrap();
    writeln!(out, "site: {}", opt(&m.site_name)).unwrap();
    writeln!(out, "published: {}", opt(&m.published)).unwrap();
    writeln!(out, "language: {}", opt(&m.language)).unwrap();
    writeln!(out, "--").unwrap();
    for b in &e.document.blocks {
        let kind = match &b.kind {
            BlockKind::Heading { level } => format!("h{level}"),
            BlockKind::Paragraph => "p".to_owned(),
            BlockKind::Quote => "quote".to_owned(),
            BlockKind::ListItem { ordered, depth } => format!("li{}{depth}", if *ordered { "#" } else { "*" }),
            BlockKind::Preformatted => "pre".to_owned(),
            BlockKind::Image { src, alt } => format!("img {src} {alt:?}"),
        };
        let mut text = String::new();
        for s in &b.spans {
            match &s.marks.link {
                Some(href) => write!(text, "[{}]({href})", s.text).unwrap(),
                None => text.push_str(&s.text),
            }
        }
        writeln!(out, "{kind}: {text}").unwrap();
    }
    out
}

fn check_invariants(name: &str, e: &Extracted) {
    for b in &e.document.blocks {
        if let BlockKind::Image { src, .. } = &b.kind {
            assert!(
                src.starts_with("http://") || src.starts_with("https://") || src.starts_with("data:image/"),
                "{name}: image {src}"
            );
        }
        for s in &b.spans {
            if let Some(href) = &s.marks.link {
                assert!(
                    href.starts_with("http://") || href.starts_with("https://") || href.starts_with("mailto:"),
                    "{name}: link {href}"
                );
            }
        }
    }
}

#[test]
fn cases() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/cases");
    let update = std::env::var_os("UPDATE_EXPECT").is_some();
    let mut names: Vec<_> = std::fs::read_dir(&dir)
        .unwrap()
        .filter_map(|e| e.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|x| x == "html"))
        .collect();
    names.sort();
    assert!(!names.is_empty());
    let mut failures = Vec::new();
    for path in names {
        let name = path.file_stem().unwrap().to_string_lossy().into_owned();
        let html = std::fs::read_to_string(&path).unwrap();
        let e = from_html(&html, &HtmlOptions { url: Some("https://example.org/news/") });
        check_invariants(&name, &e);
        let got = outline(&e);
        let expected_path = path.with_extension("txt");
        if update {
            std::fs::write(&expected_path, &got).unwrap();
            continue;
        }
        let expected = std::fs::read_to_string(&expected_path).unwrap_or_default();
        if got != expected {
            failures.push(format!("== {name}: expected\n{expected}\n== got\n{got}"));
        }
    }
    assert!(failures.is_empty(), "{}\n(UPDATE_EXPECT=1 to accept)", failures.join("\n"));
}

/// The reference page of the integration suite, at the crate's level: the title, the five
/// sub-headings, the figure with its caption, and none of the chrome.
#[test]
fn reference_page() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../quire/sample/vilnius.html");
    let html = std::fs::read_to_string(path).unwrap();
    let e = from_html(&html, &HtmlOptions::default());
    assert_eq!(e.meta.title, "Ukraine is now closer to NATO than ever before");
    let headings: Vec<String> =
        e.document.blocks.iter().filter(|b| matches!(b.kind, BlockKind::Heading { .. })).map(|b| b.text()).collect();
    assert_eq!(
        headings,
        [
            "support the war effort",
            "“after the war”",
            "not an “alternative”",
            "Long range weapons",
            "Long term commitment plan"
        ]
    );
    let text = e.document.canonical_text();
    for chrome in ["Leave a Reply", "Back to top", "Related Articles", "Advertisement", "Most Read", "Sign in"] {
        assert!(!text.contains(chrome), "page chrome kept: {chrome}");
    }
    let figure = e.document.blocks.iter().find(|b| matches!(b.kind, BlockKind::Image { .. })).expect("the figure");
    assert_eq!(figure.text(), "Jens Stoltenberg and Volodymyr Zelensky at a joint press conference in Vilnius.");
    assert_eq!(e.meta.byline.as_deref(), Some("World Desk Staff"));
    assert_eq!(e.meta.published.as_deref(), Some("2023-07-12T18:04:00+03:00"));
}
