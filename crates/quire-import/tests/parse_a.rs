//! Pocket, Instapaper, Readwise and browser bookmarks files read to the field, through
//! `quire_import::parse` with detection (the fixtures are in tests/fixtures/<format>/).

use std::io::Write;

use quire_import::{
    detect, parse, Color, Content, Error, Export, Format, Highlight, Item, Limits, Passage, ReadState, Skipped,
};
use time::macros::datetime;
use time::OffsetDateTime;

fn fixture(path: &str) -> Vec<u8> {
    let full = format!("{}/tests/fixtures/{path}", env!("CARGO_MANIFEST_DIR"));
    std::fs::read(&full).unwrap_or_else(|e| panic!("{full}: {e}"))
}

/// Parses with detection, checking it detects `format`.
fn read(name: &str, bytes: &[u8], format: Format) -> Export {
    assert_eq!(detect(name, bytes), Some(format), "{name} detected");
    let export = parse(name, bytes, None, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"));
    assert_eq!(export.format, format);
    export
}

fn zip_of(files: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(method);
    for (name, bytes) in files {
        zip.start_file(*name, options).expect("start file");
        zip.write_all(bytes).expect("write");
    }
    zip.finish().expect("finish").into_inner()
}

fn item(
    at: &str,
    title: Option<&str>,
    url: &str,
    saved_at: Option<OffsetDateTime>,
    state: Option<ReadState>,
    tags: &[&str],
) -> Item {
    let mut item = Item::at(at);
    item.title = title.map(str::to_owned);
    item.url = Some(url.to_owned());
    item.saved_at = saved_at;
    item.state = state;
    item.tags = tags.iter().map(|t| t.to_string()).collect();
    item
}

fn skipped(at: &str, reason: &str) -> Skipped {
    Skipped { at: at.into(), reason: reason.into() }
}

use ReadState::{Archived, Unread};

#[test]
fn pocket_zip_reads_every_part_in_order() {
    let (p0, p1) = (fixture("pocket/part_000000.csv"), fixture("pocket/part_000001.csv"));
    // The zip lists the second part first: parts are read by their number.
    for method in [zip::CompressionMethod::Stored, zip::CompressionMethod::Deflated] {
        let zip = zip_of(&[("part_000001.csv", &p1), ("part_000000.csv", &p0)], method);
        let export = read("pocket.zip", &zip, Format::Pocket);
        assert_eq!(
            export.items,
            vec![
                item(
                    "part_000000.csv row 1",
                    Some("Why NATO Expanded"),
                    "https://example.org/nato-expansion",
                    Some(datetime!(2023-07-11 09:30:00 UTC)),
                    Some(Unread),
                    &["nato", "history"],
                ),
                // Pocket writes the address as the title of an untitled page.
                item(
                    "part_000000.csv row 2",
                    None,
                    "https://example.com/untitled",
                    Some(datetime!(2023-07-11 10:30:00 UTC)),
                    Some(Archived),
                    &[],
                ),
                item(
                    "part_000000.csv row 3",
                    Some("Café, crème et \"brioche\""),
                    "https://example.fr/cafe",
                    Some(datetime!(2023-07-11 11:30:00 UTC)),
                    Some(Archived),
                    &["food", "paris"],
                ),
                item(
                    "part_000001.csv row 1",
                    Some("Long read on energy"),
                    "https://example.net/energy",
                    Some(datetime!(2023-07-11 12:30:00 UTC)),
                    Some(Unread),
                    &["energy"],
                ),
                item(
                    "part_000001.csv row 5",
                    Some("Last one"),
                    "https://example.net/last",
                    Some(datetime!(2023-07-11 14:30:00 UTC)),
                    Some(Archived),
                    &[],
                ),
            ]
        );
        assert_eq!(
            export.skipped,
            vec![
                skipped("part_000001.csv row 2", "no URL"),
                skipped("part_000001.csv row 3", "time_added \"yesterday\" is not a date"),
                skipped("part_000001.csv row 4", "2 fields where the header has 5"),
            ]
        );
        assert!(export.items.iter().all(|i| i.highlights.is_empty() && i.content == Content::None));
    }
}

#[test]
fn pocket_bare_csv_with_a_bom() {
    let bytes = fixture("pocket/pocket_bom.csv");
    assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
    let export = read("part_000000.csv", &bytes, Format::Pocket);
    assert_eq!(
        export.items,
        vec![
            item(
                "row 1",
                Some("Déjà vu"),
                "https://example.org/deja-vu",
                Some(datetime!(2023-07-11 09:30:00 UTC)),
                Some(Unread),
                &["memory"]
            ),
            item(
                "row 2",
                Some("Second"),
                "https://example.org/second",
                Some(datetime!(2023-07-11 10:30:00 UTC)),
                Some(Archived),
                &["a", "b"]
            ),
        ]
    );
    assert_eq!(export.skipped, vec![]);
}

fn ril_items() -> Vec<Item> {
    vec![
        item(
            "link 1",
            Some("Article A"),
            "https://example.org/a",
            Some(datetime!(2017-07-14 02:39:59 UTC)),
            Some(Unread),
            &["nato", "history"],
        ),
        item(
            "link 2",
            Some("Article B"),
            "https://example.org/b",
            Some(datetime!(2017-07-14 02:40:00 UTC)),
            Some(Unread),
            &[],
        ),
        item(
            "link 3",
            Some("Article C & friends"),
            "https://example.org/c",
            Some(datetime!(2014-05-13 16:53:20 UTC)),
            Some(Archived),
            &["x"],
        ),
    ]
}

fn ril_skipped() -> Vec<Skipped> {
    vec![skipped("link 4", "no URL"), skipped("link 5", "time_added \"when\" is not a date")]
}

#[test]
fn pocket_ril_export_html_under_both_headings() {
    let export = read("ril_export.html", &fixture("pocket/ril_export.html"), Format::Pocket);
    assert_eq!(export.items, ril_items());
    assert_eq!(export.skipped, ril_skipped());
}

#[test]
fn pocket_ril_export_html_in_a_zip() {
    let zip = zip_of(&[("ril_export.html", &fixture("pocket/ril_export.html"))], zip::CompressionMethod::Deflated);
    let export = read("pocket.zip", &zip, Format::Pocket);
    assert_eq!(export.items, ril_items());
    assert_eq!(export.skipped, ril_skipped());
}

#[test]
fn pocket_truncated_zip_is_a_bad_zip() {
    let p0 = fixture("pocket/part_000000.csv");
    let zip = zip_of(&[("part_000000.csv", &p0)], zip::CompressionMethod::Deflated);
    let truncated = &zip[..zip.len() / 2];
    let err = parse("pocket.zip", truncated, Some(Format::Pocket), &Limits::default()).unwrap_err();
    assert!(matches!(err, Error::BadZip(_)), "{err:?}");
    // Detection cannot open it either: the message still says the zip is unreadable.
    let err = parse("pocket.zip", truncated, None, &Limits::default()).unwrap_err();
    assert!(err.to_string().contains("not a readable zip file"), "{err}");
}

#[test]
fn pocket_zip_within_limits() {
    let p0 = fixture("pocket/part_000000.csv");
    let zip = zip_of(&[("part_000000.csv", &p0)], zip::CompressionMethod::Deflated);
    let limits = Limits { max_unzipped: 10, ..Limits::default() };
    let err = parse("pocket.zip", &zip, None, &limits).unwrap_err();
    assert_eq!(err, Error::ZipTooLarge { limit: 10 });
}

#[test]
fn pocket_wrong_columns() {
    let bytes = b"title,address,added\nA,https://example.com,1\n";
    let err = parse("pocket.csv", bytes, Some(Format::Pocket), &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            at: "header".into(),
            reason: "expected columns title, url, time_added, found title, address, added".into()
        }
    );
}

fn with_highlights(mut item: Item, quotes: &[&str]) -> Item {
    item.highlights = quotes.iter().map(|q| Highlight::quote(*q)).collect();
    item
}

#[test]
fn instapaper_four_columns() {
    let export = read("instapaper-export.csv", &fixture("instapaper/old.csv"), Format::Instapaper);
    let mut starred = item("row 3", Some("Three"), "https://example.com/three", None, Some(Unread), &[]);
    starred.favorite = true;
    assert_eq!(
        export.items,
        vec![
            item("row 1", Some("One, with a comma"), "https://example.com/one", None, Some(Unread), &[]),
            // Rows 2 and 5 are the same page: one item, both highlights.
            with_highlights(
                item("row 2", Some("Two"), "https://example.com/two", None, Some(Archived), &[]),
                &["A sentence worth keeping.", "Another passage, later."]
            ),
            starred,
            item("row 4", Some("Four"), "https://example.com/four", None, Some(Unread), &["Research"]),
        ]
    );
    assert_eq!(export.skipped, vec![skipped("row 6", "no URL"), skipped("row 7", "5 fields where the header has 4")]);
}

#[test]
fn instapaper_six_columns_with_timestamps_and_tags() {
    let export = read("instapaper-export.csv", &fixture("instapaper/new.csv"), Format::Instapaper);
    let mut starred = item(
        "row 2",
        Some("Starred one"),
        "https://example.com/star",
        Some(datetime!(2025-11-01 13:26:40 UTC)),
        Some(Unread),
        &[],
    );
    starred.favorite = true;
    assert_eq!(
        export.items,
        vec![
            with_highlights(
                item(
                    "row 1",
                    Some("NATO summit"),
                    "https://example.com/nato",
                    Some(datetime!(2025-11-01 12:26:40 UTC)),
                    Some(Unread),
                    &["nato", "ukraine"],
                ),
                &["The alliance agreed."]
            ),
            starred,
            // The folder is a tag, once even when a tag has its name.
            item(
                "row 4",
                Some("In a folder"),
                "https://example.com/folder",
                Some(datetime!(2025-11-01 14:26:40 UTC)),
                Some(Unread),
                &["Reading List", "long read"],
            ),
        ]
    );
    assert_eq!(export.skipped, vec![skipped("row 3", "Timestamp \"not-a-time\" is not a date")]);
}

#[test]
fn instapaper_windows_1252() {
    let bytes = fixture("instapaper/windows1252.csv");
    assert!(std::str::from_utf8(&bytes).is_err());
    let export = read("instapaper-export.csv", &bytes, Format::Instapaper);
    assert_eq!(
        export.items,
        vec![
            with_highlights(
                item("row 1", Some("Café crème à la française"), "https://example.fr/cafe", None, Some(Unread), &[]),
                &["“Déjà vu” — naïve résumé"]
            ),
            item("row 2", Some("L’été à Zürich"), "https://example.fr/ete", None, Some(Archived), &[]),
        ]
    );
}

#[test]
fn instapaper_utf16() {
    let export = read("instapaper-export.csv", &fixture("instapaper/utf16.csv"), Format::Instapaper);
    assert_eq!(
        export.items,
        vec![with_highlights(
            item("row 1", Some("Ünïcödé title"), "https://example.org/utf16", None, Some(Unread), &[]),
            &["Ça va"]
        )]
    );
}

#[test]
fn instapaper_wrong_columns() {
    let bytes = fixture("instapaper/wrong_columns.csv");
    assert_eq!(detect("instapaper-export.csv", &bytes), None);
    let err = parse("instapaper-export.csv", &bytes, Some(Format::Instapaper), &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            at: "header".into(),
            reason: "expected columns url, title, selection, folder, found URL, Name, Folder".into()
        }
    );
}

#[allow(clippy::too_many_arguments)]
fn rw(
    quote: &str,
    location: Option<&str>,
    note: &str,
    tags: &[&str],
    color: Option<Color>,
    created_at: OffsetDateTime,
) -> Highlight {
    let mut h = Highlight::quote(quote);
    h.location = location.map(str::to_owned);
    h.note = note.into();
    h.tags = tags.iter().map(|t| t.to_string()).collect();
    h.color = color;
    h.created_at = Some(created_at);
    h
}

fn book(at: &str, title: &str, author: Option<&str>, tags: &[&str], highlights: Vec<Highlight>) -> Item {
    let mut item = Item::at(at);
    item.title = Some(title.into());
    item.author = author.map(str::to_owned);
    item.tags = tags.iter().map(|t| t.to_string()).collect();
    item.saved_at = highlights.iter().filter_map(|h| h.created_at).min();
    item.content = Content::Passages(
        highlights.iter().map(|h| Passage { label: h.location.clone(), text: h.quote.clone() }).collect(),
    );
    item.highlights = highlights;
    item
}

#[test]
fn readwise_books_with_passages_in_location_order() {
    let export = read("readwise-data.csv", &fixture("readwise/highlights.csv"), Format::Readwise);
    let expected = vec![
        book(
            "row 1",
            "Nineteen Eighty-Four",
            Some("George Orwell"),
            &["fiction", "classics"],
            vec![
                rw(
                    "It was a bright cold day in April, and the clocks were striking thirteen.",
                    Some("Location 12"),
                    "",
                    &[],
                    Some(Color::Yellow),
                    datetime!(2023-07-11 09:30:00 UTC),
                ),
                rw(
                    "War is peace.",
                    Some("Location 120"),
                    "",
                    &[],
                    Some(Color::Blue),
                    datetime!(2023-07-10 08:00:00 UTC),
                ),
                rw(
                    "Who controls the past controls the future.",
                    Some("Location 3020"),
                    "Party slogan",
                    &["power", "memory"],
                    Some(Color::Yellow),
                    datetime!(2023-07-12 10:00:00 UTC),
                ),
            ],
        ),
        book(
            "row 4",
            "Sapiens",
            Some("Yuval Noah Harari"),
            &["history"],
            vec![
                rw("Earlier page", Some("Page 7"), "", &[], None, datetime!(2023-08-01 12:10:00 UTC)),
                rw(
                    "A passage\n\nin two paragraphs.",
                    Some("Page 45"),
                    "My note",
                    &[],
                    Some(Color::Pink),
                    datetime!(2023-08-01 12:00:00 UTC),
                ),
                rw("Second at the same page", Some("Page 45"), "", &[], None, datetime!(2023-08-01 12:05:00 UTC)),
            ],
        ),
        book(
            "row 7",
            "Some Podcast",
            Some("Host"),
            &[],
            vec![rw("A podcast moment", Some("At 1:02:03"), "", &[], None, datetime!(2023-09-01 00:00:00 UTC))],
        ),
        book(
            "row 8",
            "An Article",
            None,
            &[],
            vec![rw("From an article", None, "", &[], Some(Color::Green), datetime!(2023-09-02 00:00:00 UTC))],
        ),
    ];
    assert_eq!(export.items, expected);
    assert_eq!(export.items[0].saved_at, Some(datetime!(2023-07-10 08:00:00 UTC)));
    assert_eq!(
        export.skipped,
        vec![
            skipped("row 9", "Highlighted at \"not a date\" is not a date"),
            skipped("row 10", "the highlight has no text"),
        ]
    );
}

#[test]
fn readwise_wrong_columns() {
    let err = parse("readwise.csv", b"Quote,Title\nx,y\n", Some(Format::Readwise), &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            at: "header".into(),
            reason: "expected columns highlight, book title, found Quote, Title".into()
        }
    );
}

#[test]
fn bookmarks_nested_folders_are_tags() {
    let export = read("bookmarks.html", &fixture("bookmarks/bookmarks.html"), Format::Bookmarks);
    let t = |secs: i64| OffsetDateTime::from_unix_timestamp(secs).ok();
    assert_eq!(
        export.items,
        vec![
            item("bookmark 1", Some("On the bar"), "https://example.com/top", t(1600000200), None, &[]),
            item(
                "bookmark 2",
                Some("Research one"),
                "https://example.org/r1",
                t(1600000400),
                None,
                &["Research", "reading", "Long read"],
            ),
            item(
                "bookmark 3",
                Some("NATO article"),
                "https://example.org/nato",
                t(1600000600),
                None,
                &["Research/NATO"]
            ),
            item(
                "bookmark 5",
                Some("Research two & more"),
                "http://example.org/r2",
                t(1600000800),
                None,
                &["Research"],
            ),
            item("bookmark 6", Some("Elsewhere"), "https://example.net/other", t(1600001000), None, &[]),
            item("bookmark 9", Some("At the root"), "https://example.net/root", t(1600001100), None, &[]),
        ]
    );
    assert_eq!(export.items[2].saved_at, Some(datetime!(2020-09-13 12:36:40 UTC)));
    assert_eq!(
        export.skipped,
        vec![
            skipped("bookmark 4", "a javascript: link, not a web page (javascript:alert(1))"),
            skipped("bookmark 7", "a place: link, not a web page (place:sort=8&maxResults=10)"),
            skipped("bookmark 8", "ADD_DATE \"soon\" is not a date"),
            skipped("bookmark 10", "a file: link, not a web page (file:///home/me/notes.txt)"),
        ]
    );
}

#[test]
fn no_panic_on_garbage() {
    let inputs: Vec<Vec<u8>> = vec![
        b"".to_vec(),
        b"title,url,time_added\n\"unterminated,\n".to_vec(),
        b"URL,Title,Selection,Folder\n\xff\xfe\x00,,,,,,\n".to_vec(),
        b"<!DOCTYPE NETSCAPE-Bookmark-file-1><DL><DT><A HREF>x</A><H3></H3><DL><DT><A HREF=\"http://a\" ADD_DATE=\"99999999999999999999\">".to_vec(),
        b"<h1>Unread</h1><a time_added=\"-1\" href=\"x\">".to_vec(),
        b"PK\x03\x04garbage".to_vec(),
        b"Highlight,Book Title,Location Type,Location\nx,y,time_offset,-5\nz,y,location,NaN\n".to_vec(),
    ];
    for bytes in &inputs {
        for format in [Format::Pocket, Format::Instapaper, Format::Readwise, Format::Bookmarks] {
            let _ = parse("file", bytes, Some(format), &Limits::default());
        }
    }
}
