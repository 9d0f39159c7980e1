//! The highlights CSV, parsed back with the csv crate: every field as written, one row per
//! highlight in order, hard values quoted, formulas defused.

use quire_doc::{BlockKind, Color, DocumentBuilder};
use quire_export::table::{highlights_csv, HEADER};
use quire_export::{Article, Highlight};

fn highlight(id: i64, exact: &str, start: usize, note: &str, tags: &[&str], color: Color) -> Highlight {
    Highlight {
        id,
        exact: exact.into(),
        prefix: String::new(),
        suffix: String::new(),
        start,
        end: start + exact.chars().count(),
        color,
        note: note.into(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        created: format!("2024-03-0{id}T10:00:00Z"),
        updated: "2024-03-09T10:00:00Z".into(),
        orphan: false,
    }
}

fn article(id: i64, title: &str, author: Option<&str>, url: Option<&str>, highlights: Vec<Highlight>) -> Article {
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Paragraph, "Body.");
    Article {
        id,
        title: title.into(),
        author: author.map(str::to_owned),
        site: None,
        url: url.map(str::to_owned),
        published: None,
        clipped: "2024-03-01T09:30:00Z".into(),
        status: "unread".into(),
        favorite: false,
        tags: vec![],
        language: None,
        note: String::new(),
        document: b.finish(),
        highlights,
        images: vec![],
    }
}

fn parse(csv_text: &str) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(csv_text.as_bytes())
        .records()
        .map(|r| r.expect("a valid CSV record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn one_row_per_highlight_round_trips() {
    let articles = [
        article(
            1,
            "Ukraine is now closer to NATO than ever before",
            Some("World Desk Staff"),
            Some("https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/"),
            vec![
                highlight(
                    1,
                    "I look forward to the day when we meet as allies,",
                    190,
                    "Stoltenberg gives no date for membership.",
                    &["NATO accession"],
                    Color::Yellow,
                ),
                highlight(
                    2,
                    "I am confident that Ukraine will become a member of NATO after the war.",
                    1093,
                    "Zelensky ties accession to the end of the war.",
                    &["NATO accession", "Zelensky"],
                    Color::Green,
                ),
            ],
        ),
        article(2, "No highlights, no row", None, None, vec![]),
        article(
            3,
            "Commas, \"quotes\" and\nnewlines",
            Some("Ana, Jon"),
            None,
            vec![highlight(
                3,
                "He said: \"yes, and\"\nthen\r\nleft",
                0,
                "multi\nline, note",
                &[" spaced ", "a,b"],
                Color::Red,
            )],
        ),
    ];
    let text = highlights_csv(&articles).expect("CSV");
    let rows = parse(&text);
    assert_eq!(rows[0], HEADER);
    assert_eq!(rows.len(), 4);
    assert_eq!(
        rows[1],
        [
            "I look forward to the day when we meet as allies,",
            "Ukraine is now closer to NATO than ever before",
            "World Desk Staff",
            "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/",
            "Stoltenberg gives no date for membership.",
            "NATO accession",
            "yellow",
            "2024-03-01T10:00:00Z",
            "190",
        ]
    );
    assert_eq!(rows[2][5], "NATO accession, Zelensky");
    assert_eq!(rows[2][8], "1093");
    assert_eq!(
        rows[3],
        [
            "He said: \"yes, and\"\nthen\r\nleft",
            "Commas, \"quotes\" and\nnewlines",
            "Ana, Jon",
            "",
            "multi\nline, note",
            "spaced, a,b",
            "red",
            "2024-03-03T10:00:00Z",
            "0",
        ]
    );
    assert!(text.starts_with("Highlight,Title,Author,URL,Note,Tags,Color,Highlighted at,Location\n"));
}

#[test]
fn formula_injection_is_defused() {
    let articles = [article(
        1,
        "=HYPERLINK(\"http://evil.example\",\"click\")",
        Some("+1 555"),
        Some("@SUM(A1:A9)"),
        vec![
            highlight(1, "-2+3", 0, "\tTabbed", &["=cmd|' /C calc'!A0"], Color::Blue),
            highlight(2, "\rcarriage", 5, "safe = note", &[], Color::Blue),
        ],
    )];
    let rows = parse(&highlights_csv(&articles).expect("CSV"));
    assert_eq!(rows[1][0], "'-2+3");
    assert_eq!(rows[1][1], "'=HYPERLINK(\"http://evil.example\",\"click\")");
    assert_eq!(rows[1][2], "'+1 555");
    // Not an http(s) address: the URL column stays empty (an exporter writes only those).
    assert_eq!(rows[1][3], "");
    assert_eq!(rows[1][4], "'\tTabbed");
    assert_eq!(rows[1][5], "'=cmd|' /C calc'!A0");
    assert_eq!(rows[2][0], "'\rcarriage");
    assert_eq!(rows[2][4], "safe = note");
    for row in &rows[1..] {
        for cell in row {
            assert!(!cell.starts_with(['=', '+', '-', '@', '\t', '\r']), "{cell:?}");
        }
    }
}

#[test]
fn no_articles_is_just_the_header() {
    let text = highlights_csv(&[]).expect("CSV");
    assert_eq!(parse(&text), [HEADER.map(String::from).to_vec()]);
}
