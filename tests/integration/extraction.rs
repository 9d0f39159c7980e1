use quire_doc::BlockKind;
use quire_tests::{data, reference_page, REFERENCE_TITLE};

use crate::temp_library;

/// The reference news page: title, the five sub-headings and every paragraph of the article,
/// none of the page chrome; metadata from OpenGraph / JSON-LD / <meta>.
#[test]
fn the_reference_page_extracts_to_the_article() {
    let (_dir, lib) = temp_library();
    let added = lib.add(&quire::AddSource::Path(reference_page().to_owned()), &Default::default()).unwrap();
    assert!(added.created);
    let view = lib.article(added.id).unwrap();
    let s = &view.summary;
    assert_eq!(s.title, REFERENCE_TITLE);
    assert_eq!(s.byline.as_deref(), Some("World Desk Staff"));
    assert_eq!(s.site_name.as_deref(), Some("World Desk Daily"));
    assert_eq!(s.published_at.as_deref(), Some("2023-07-12T18:04:00+03:00"));
    assert_eq!(view.canonical_url.as_deref(), Some("https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/"));
    assert_eq!(view.language.as_deref(), Some("en"));

    let headings: Vec<String> =
        view.document.blocks.iter().filter(|b| matches!(b.kind, BlockKind::Heading { .. })).map(|b| b.text()).collect();
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

    // Every paragraph of the plain-text article (the last three are page chrome there).
    let source = std::fs::read_to_string(data("article.txt")).unwrap();
    let blocks: Vec<&str> = source.split("\n\n").map(str::trim).filter(|p| !p.is_empty()).collect();
    let article_blocks = &blocks[1..blocks.len() - 3];
    let text = view.document.canonical_text();
    let mut at = 0;
    for block in article_blocks {
        let found = text[at..].find(block).unwrap_or_else(|| panic!("missing or out of order: {block}"));
        at += found + block.len();
    }
    for chrome in [
        "Leave a Reply",
        "Back to top",
        "Related Articles",
        "Advertisement",
        "Most Read",
        "Sign in",
        "Facebook",
        "All rights reserved",
        "Tags:",
        "3 min read",
    ] {
        assert!(!text.contains(chrome), "page chrome kept: {chrome}");
    }
    // The figure is kept as an image block with its caption.
    let figure = view.document.blocks.iter().find(|b| matches!(b.kind, BlockKind::Image { .. })).expect("the figure");
    assert_eq!(figure.text(), "Jens Stoltenberg and Volodymyr Zelensky at a joint press conference in Vilnius.");
}

#[test]
fn html_from_stdin_is_detected_and_bad_html_still_imports() {
    let (_dir, lib) = temp_library();
    let html = std::fs::read(reference_page()).unwrap();
    let added = lib.add(&quire::AddSource::Stdin(html.to_vec()), &Default::default()).unwrap();
    assert_eq!(added.title, REFERENCE_TITLE);
    let broken = b"<div><p>Unclosed <b>bold <i>and italic text about the Vilnius summit";
    let added = lib.add(&quire::AddSource::Stdin(broken.to_vec()), &Default::default()).unwrap();
    assert!(lib.canonical_text(added.id).unwrap().contains("and italic text about the Vilnius summit"));
}
