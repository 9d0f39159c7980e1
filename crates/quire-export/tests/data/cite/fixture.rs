//! The articles the W3C and citation tests export (included with `#[path]` by both).
#![allow(dead_code)]

use quire_doc::{BlockKind, Color, DocumentBuilder};
use quire_export::{Article, Highlight};

const CONTEXT: usize = 32;

fn document(paragraphs: &[&str]) -> quire_doc::Document {
    let mut b = DocumentBuilder::new();
    for p in paragraphs {
        b.push_block(BlockKind::Paragraph, p);
    }
    b.finish()
}

/// A highlight on `exact` in the article's canonical text, offsets and context in scalar values.
fn highlight(text: &str, id: i64, exact: &str, color: Color, note: &str, tags: &[&str], day: &str) -> Highlight {
    let chars: Vec<char> = text.chars().collect();
    let byte = text.find(exact).unwrap_or_else(|| panic!("{exact:?} is not in the text"));
    let start = text[..byte].chars().count();
    let end = start + exact.chars().count();
    Highlight {
        id,
        exact: exact.to_owned(),
        prefix: chars[start.saturating_sub(CONTEXT)..start].iter().collect(),
        suffix: chars[end..(end + CONTEXT).min(chars.len())].iter().collect(),
        start,
        end,
        color,
        note: note.to_owned(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        created: format!("{day}T09:{:02}:00Z", id % 60),
        updated: format!("{day}T10:{:02}:00Z", id % 60),
        orphan: false,
    }
}

/// The reference article: a news article with four highlights (tests/data/highlights.json).
pub fn nato() -> Article {
    let document = document(&[
        "Ukraine is now closer to NATO than ever before",
        "VILNIUS, Lithuania — NATO leaders said on Wednesday that Ukraine's future is in the \
         alliance, without giving a date. \"I look forward to the day when we meet as allies,\" \
         Secretary General Jens Stoltenberg told President Volodymyr Zelensky at the summit.",
        "Zelensky welcomed the statement. \"I am confident that Ukraine will become a member of \
         NATO after the war.\" He added that the security guarantees are very important to the \
         Ukrainian people, but they are guarantees for Ukraine towards its membership in NATO.",
        "The Kremlin said the G7 plan would undermine Russia’s security and make Europe much \
         more dangerous for years. Moscow has long opposed the alliance's expansion.",
    ]);
    let text = document.canonical_text();
    let highlights = vec![
        highlight(
            &text,
            101,
            "I look forward to the day when we meet as allies,",
            Color::Yellow,
            "Stoltenberg gives no date for membership.",
            &["NATO accession"],
            "2023-07-13",
        ),
        highlight(
            &text,
            102,
            "I am confident that Ukraine will become a member of NATO after the war.",
            Color::Green,
            "Zelensky ties accession to the end of the war.",
            &["NATO accession", "Zelensky"],
            "2023-07-13",
        ),
        highlight(
            &text,
            103,
            "security guarantees are very important to the Ukrainian people, but they are \
             guarantees for Ukraine towards its membership in NATO",
            Color::Blue,
            "",
            &["security guarantees", "NATO accession"],
            "2023-07-14",
        ),
        highlight(
            &text,
            104,
            "undermine Russia’s security and make Europe much more dangerous for years.",
            Color::Red,
            "Kremlin reaction to the G7 plan.",
            &["Kremlin"],
            "2023-07-14",
        ),
    ];
    Article {
        id: 1,
        title: "Ukraine is now closer to NATO than ever before".into(),
        author: Some("By Olena Kovalenko and Mark Ellison".into()),
        site: Some("The World Ledger".into()),
        url: Some("https://www.worldledger.example/2023/07/12/europe/ukraine-nato-closer".into()),
        published: Some("2023-07-12T14:05:00Z".into()),
        clipped: "2023-07-13T08:30:00Z".into(),
        status: "read".into(),
        favorite: true,
        tags: vec!["ukraine".into(), "nato".into()],
        language: Some("en".into()),
        note: String::new(),
        document,
        highlights,
        images: Vec::new(),
    }
}

/// A blog post (its path has /blog/), with a note holding specials and an orphaned highlight.
pub fn blog() -> Article {
    let document = document(&[
        "Why I keep a commonplace book",
        "A commonplace book is a notebook of quotes worth keeping — ideas you want to meet again. \
         Mine has 10% quotes & 90% margin notes.",
    ]);
    let text = document.canonical_text();
    let mut orphan = highlight(&text, 202, "ideas you want to meet again", Color::Purple, "", &[], "2024-02-20");
    orphan.exact = "a passage that was edited away".into();
    orphan.orphan = true;
    Article {
        id: 2,
        title: "Why I keep a commonplace book".into(),
        author: Some("Zoë Brontë-Müller".into()),
        site: Some("Field Notes".into()),
        url: Some("https://fieldnotes.example.org/blog/commonplace-book?ref=rss".into()),
        published: Some("2024-02-03".into()),
        clipped: "2024-02-05T19:00:00Z".into(),
        status: "unread".into(),
        favorite: false,
        tags: Vec::new(),
        language: None,
        note: String::new(),
        document,
        highlights: vec![
            highlight(
                &text,
                201,
                "a notebook of quotes worth keeping",
                Color::Pink,
                "Use \"quotes\" & {braces} — 100%.\nSecond line.",
                &["reading"],
                "2024-02-20",
            ),
            orphan,
        ],
        images: Vec::new(),
    }
}

/// A page with no author, no site, no date and no address.
pub fn page() -> Article {
    let document = document(&["Frequently asked questions", "Fees are charged monthly."]);
    let text = document.canonical_text();
    Article {
        id: 3,
        title: "Frequently asked questions".into(),
        author: None,
        site: None,
        url: None,
        published: None,
        clipped: "2025-01-09T12:00:00Z".into(),
        status: "archived".into(),
        favorite: false,
        tags: Vec::new(),
        language: None,
        note: String::new(),
        highlights: vec![highlight(&text, 301, "charged monthly", Color::Yellow, "", &[], "2025-01-09")],
        document,
        images: Vec::new(),
    }
}

pub fn all() -> Vec<Article> {
    vec![nato(), blog(), page()]
}
