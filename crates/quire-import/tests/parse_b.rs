//! Omnivore, Hypothesis, Kindle and wallabag exports read through `quire_import::parse` (format
//! detection included), checked field by field.

use std::io::Write;
use std::path::{Path, PathBuf};

use quire_import::{detect, parse, Content, Error, Export, Format, Highlight, Limits, Passage, ReadState, Skipped};
use time::macros::datetime;

fn fixture(path: &str) -> Vec<u8> {
    let full = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(path);
    std::fs::read(&full).unwrap_or_else(|e| panic!("{}: {e}", full.display()))
}

fn read(name: &str, bytes: &[u8]) -> Export {
    parse(name, bytes, None, &Limits::default()).unwrap_or_else(|e| panic!("{name}: {e}"))
}

fn skipped(at: &str, reason: &str) -> Skipped {
    Skipped { at: at.into(), reason: reason.into() }
}

fn files_under(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<PathBuf> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().path()).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            files_under(&path, out);
        } else {
            out.push(path);
        }
    }
}

/// The Omnivore fixture folder as a zip, its files under `top` (with its `/`, or ""), the
/// metadata files last and in reverse order (the parser must order them itself).
fn omnivore_zip(top: &str) -> Vec<u8> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/omnivore/export");
    let mut files = Vec::new();
    files_under(&root, &mut files);
    files.sort_by_key(|p| (p.parent() == Some(root.as_path()), std::cmp::Reverse(p.clone())));
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default();
    if !top.is_empty() {
        zip.add_directory(top, options).unwrap();
    }
    for path in files {
        let name = path.strip_prefix(&root).unwrap().to_str().unwrap().replace('\\', "/");
        zip.start_file(format!("{top}{name}"), options).unwrap();
        zip.write_all(&std::fs::read(&path).unwrap()).unwrap();
    }
    zip.finish().unwrap().into_inner()
}

#[test]
fn omnivore_zip_with_two_metadata_files() {
    let bytes = omnivore_zip("");
    assert_eq!(detect("omnivore-export.zip", &bytes), Some(Format::Omnivore));
    let export = read("omnivore-export.zip", &bytes);
    assert_eq!(export.format, Format::Omnivore);
    assert_eq!(export.items.len(), 3);

    let tides = &export.items[0];
    assert_eq!(tides.at, "metadata_0_to_20.json item 1 (how-tides-work-18c2f1a9b3d)");
    assert_eq!(tides.title.as_deref(), Some("How Tides Work"));
    assert_eq!(tides.url.as_deref(), Some("https://example.org/science/how-tides-work"));
    assert_eq!(tides.author.as_deref(), Some("Ada Marsh"));
    assert_eq!(tides.saved_at, Some(datetime!(2023-07-11 09:30:00 UTC)));
    assert_eq!(tides.published_at, Some(datetime!(2023-06-01 00:00:00 UTC)));
    assert_eq!(tides.state, Some(ReadState::Archived));
    assert_eq!(tides.progress, Some(1.0));
    assert!(!tides.favorite);
    assert_eq!(tides.tags, ["Science", "Oceans/Tides"]);
    let Content::Html(html) = &tides.content else { panic!("no content: {:?}", tides.content) };
    assert!(html.starts_with("<div class=\"article\"><h1>How Tides Work</h1>"));
    assert_eq!(tides.highlights.len(), 3);
    let mut first = Highlight::quote("Twice a day the sea rises and falls along most coasts.");
    first.tags = vec!["tides".into(), "physics/gravity".into()];
    assert_eq!(tides.highlights[0], first);
    let mut second =
        Highlight::quote("The moon pulls the water nearest to it,\nand the water on the far side lags behind.");
    second.tags = vec!["moon".into()];
    second.note = "Compare with the bulge explanation\nin the textbook.".into();
    assert_eq!(tides.highlights[1], second);
    assert_eq!(tides.highlights[2], Highlight::quote("Nothing else."));
    assert!(tides.notes.is_empty());

    let ownership = &export.items[1];
    assert_eq!(ownership.at, "metadata_0_to_20.json item 2 (ownership-in-practice-18c2f1aa001)");
    assert_eq!(ownership.title.as_deref(), Some("Ownership in Practice"));
    assert_eq!(ownership.author, None);
    assert_eq!(ownership.saved_at, Some(datetime!(2024-02-29 18:05:07.25 UTC)));
    assert_eq!(ownership.published_at, None);
    assert_eq!(ownership.state, Some(ReadState::Unread));
    assert_eq!(ownership.progress, Some(0.425));
    assert!(ownership.tags.is_empty());
    assert_eq!(ownership.content, Content::None, "content/ has no file for it");
    let mut only = Highlight::quote("Every value has exactly one owner.");
    only.note = "Worth remembering.".into();
    assert_eq!(ownership.highlights, [only]);

    let mornings = &export.items[2];
    assert_eq!(mornings.at, "metadata_20_to_40.json item 1 (quiet-mornings-18c2f1ab7c4)");
    assert_eq!(mornings.title.as_deref(), Some("Quiet Mornings"));
    assert_eq!(mornings.url.as_deref(), Some("https://essays.example.com/quiet-mornings"));
    assert_eq!(mornings.author.as_deref(), Some("Lena Ortiz"));
    assert_eq!(mornings.saved_at, Some(datetime!(2022-12-24 06:15:00 UTC)));
    assert_eq!(mornings.published_at, Some(datetime!(2022-12-20 00:00:00 UTC)));
    assert_eq!(mornings.state, Some(ReadState::Read));
    assert_eq!(mornings.progress, Some(1.0));
    assert_eq!(mornings.tags, ["essays"]);
    assert_eq!(
        mornings.content,
        Content::Html(
            "<article><p>Before the house wakes, the kettle is the loudest thing in it.</p></article>\n".into()
        )
    );
    assert!(mornings.highlights.is_empty());

    assert_eq!(
        export.skipped,
        [
            skipped("metadata_0_to_20.json item 3 (gone-for-good)", "deleted in Omnivore"),
            skipped(
                "metadata_0_to_20.json item 4 (bad-types)",
                "could not be read: invalid type: integer `12`, expected a string"
            ),
            skipped("metadata_0_to_20.json item 5", "not a saved item (expected an object)"),
            skipped("metadata_20_to_40.json item 2 (no-address)", "no address and no title"),
        ]
    );
}

#[test]
fn omnivore_zip_under_a_top_folder_reads_the_same() {
    let flat = read("omnivore.zip", &omnivore_zip(""));
    let nested = read("omnivore.zip", &omnivore_zip("omnivore-export/"));
    assert_eq!(nested.items.len(), 3);
    for (a, b) in flat.items.iter().zip(&nested.items) {
        assert_eq!(a.at, b.at);
        assert_eq!(a.content, b.content);
        assert_eq!(a.highlights, b.highlights);
    }
    assert_eq!(flat.skipped, nested.skipped);
}

#[test]
fn omnivore_truncated_zip_is_a_bad_zip() {
    let bytes = omnivore_zip("");
    let truncated = &bytes[..bytes.len() / 2];
    let err = parse("omnivore.zip", truncated, Some(Format::Omnivore), &Limits::default()).unwrap_err();
    assert!(matches!(err, Error::BadZip(_)), "{err:?}");
}

#[test]
fn omnivore_zip_without_metadata_is_unrecognized() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("content/a.html", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"<p>a</p>").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    assert_eq!(detect("export.zip", &bytes), None);
    let err = parse("export.zip", &bytes, Some(Format::Omnivore), &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Unrecognized("the zip holds no metadata_*.json file, so it is not an Omnivore export".into())
    );
}

#[test]
fn omnivore_invalid_metadata_json_names_file_line_and_column() {
    let mut zip = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    zip.start_file("metadata_0_to_20.json", zip::write::SimpleFileOptions::default()).unwrap();
    zip.write_all(b"[\n  {\"slug\": \"a\",\n   \"title\" \"A\"}\n]").unwrap();
    let bytes = zip.finish().unwrap().into_inner();
    let err = parse("export.zip", &bytes, None, &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed {
            at: "metadata_0_to_20.json line 3 column 12".into(),
            reason: "not valid JSON (expected `:`)".into()
        }
    );
}

#[test]
fn hypothesis_export() {
    let bytes = fixture("hypothesis/hypothesis-export.json");
    assert_eq!(detect("hypothesis-reader42.json", &bytes), Some(Format::Hypothesis));
    let export = read("hypothesis-reader42.json", &bytes);
    assert_eq!(export.format, Format::Hypothesis);
    assert_eq!(export.items.len(), 2);

    let essay = &export.items[0];
    assert_eq!(essay.at, "annotation 1");
    assert_eq!(essay.url.as_deref(), Some("https://example.org/essays/slow-reading"));
    assert_eq!(essay.title.as_deref(), Some("Slow Reading, Again"));
    assert_eq!(essay.saved_at, Some(datetime!(2024-04-09 21:30:00 UTC)), "the earliest annotation");
    assert_eq!(essay.state, None);
    assert_eq!(essay.content, Content::None);
    assert_eq!(essay.tags, ["to-reread"], "a page note's tags are the page's");
    assert_eq!(essay.notes, ["Read this twice; the second half is better."]);
    let mut claim = Highlight::quote("Slow reading is a skill, not a mood.");
    claim.prefix = Some("as the author puts it: ".into());
    claim.suffix = Some(" It can be practised".into());
    claim.position = Some((1034, 1090));
    claim.note =
        "The core claim.\n\nReply: Agreed, though it takes practice.\n\nReply: And a reply to the reply.".into();
    claim.tags = vec!["reading".into(), "attention/focus".into()];
    claim.created_at = Some(datetime!(2024-04-10 08:00:00 UTC));
    assert_eq!(essay.highlights, [claim]);

    let tidal = &export.items[1];
    assert_eq!(tidal.at, "annotation 4");
    assert_eq!(tidal.url.as_deref(), Some("https://news.example.com/2024/04/tidal-power"));
    assert_eq!(tidal.title, None);
    assert_eq!(tidal.saved_at, Some(datetime!(2024-04-12 14:20:00 UTC)));
    let mut power = Highlight::quote("Tidal power is predictable\nyears ahead.");
    power.suffix = Some(" Unlike wind,".into());
    power.created_at = Some(datetime!(2024-04-12 14:20:00 UTC));
    assert_eq!(tidal.highlights, [power]);
    // A RangeSelector alone gives no quote: the annotation is kept as a page note.
    assert_eq!(tidal.notes, ["Only a range was saved for this one."]);
    assert_eq!(tidal.tags, ["energy"]);

    assert_eq!(
        export.skipped,
        [
            skipped("annotation 8", "could not be read: invalid type: integer `42`, expected a string"),
            skipped("annotation 6", "a reply to an annotation not in this file"),
        ]
    );
}

#[test]
fn hypothesis_bare_list_and_errors() {
    let export = read(
        "annotations.json",
        br#"{"export_userid": "acct:a@hypothes.is", "annotations": [{"uri": "https://a.example", "text": "", "target": [{"source": "https://a.example"}]}]}"#,
    );
    assert!(export.items.is_empty());
    assert_eq!(export.skipped, [skipped("annotation 1", "an annotation with neither a quote nor text")]);
    let bare = br#"[{"uri": "https://b.example", "text": "A page note."}]"#;
    let export = parse("h.json", bare, Some(Format::Hypothesis), &Limits::default()).unwrap();
    assert_eq!(export.items.len(), 1);
    assert_eq!(export.items[0].url.as_deref(), Some("https://b.example"));
    assert_eq!(export.items[0].notes, ["A page note."]);
    let err = parse("h.json", br#"{"export_date": "x", "annotations": [}"#, None, &Limits::default()).unwrap_err();
    assert!(
        matches!(&err, Error::Malformed { at, reason } if at == "line 1 column 38" && reason.starts_with("not valid JSON")),
        "{err:?}"
    );
    let err = parse("h.json", br#"{"export_date": "x", "annotations": 3}"#, None, &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed { at: "annotations".into(), reason: "the file has no list of annotations".into() }
    );
}

#[test]
fn kindle_clippings_in_four_languages() {
    let bytes = fixture("kindle/My Clippings.txt");
    assert_eq!(detect("My Clippings.txt", &bytes), Some(Format::Kindle));
    let export = read("My Clippings.txt", &bytes);
    assert_eq!(export.format, Format::Kindle);
    let titles: Vec<_> = export.items.iter().map(|i| (i.title.as_deref(), i.author.as_deref())).collect();
    assert_eq!(
        titles,
        [
            (Some("The Sea Around Us"), Some("Carson, Rachel")),
            (Some("Der Process (Roman)"), Some("Kafka, Franz")),
            (Some("L'Étranger"), Some("Camus, Albert")),
            (Some("Cien años de soledad"), Some("García Márquez, Gabriel")),
        ]
    );

    let sea = &export.items[0];
    assert_eq!(sea.at, "entry 1 (line 1)");
    assert_eq!(sea.url, None);
    assert_eq!(sea.saved_at, Some(datetime!(2023-07-10 19:05:09 UTC)), "the earliest clipping");
    assert!(sea.notes.is_empty());
    let passage = |label: &str, text: &str| Passage { label: Some(label.into()), text: text.into() };
    assert_eq!(
        sea.content,
        Content::Passages(vec![
            passage("Location 150–152", "Beginnings are apt to be shadowy."),
            passage("Page 12 · Location 180–183", "The sea has always challenged the minds and imaginations of men."),
            passage("Page 14 · Location 200–205", "It was a shallow sea, warm and full of life."),
            passage("Page 20 · Location 300–301", "The date of this one cannot be read."),
        ])
    );
    let highlight = |quote: &str, location: &str, note: &str, at| {
        let mut h = Highlight::quote(quote);
        h.location = Some(location.into());
        h.note = note.into();
        h.created_at = at;
        h
    };
    assert_eq!(
        sea.highlights,
        [
            highlight(
                "Beginnings are apt to be shadowy.",
                "Location 150–152",
                "",
                Some(datetime!(2023-07-10 19:05:09 UTC))
            ),
            highlight(
                "The sea has always challenged the minds and imaginations of men.",
                "Page 12 · Location 180–183",
                "Compare with chapter 3.",
                Some(datetime!(2023-07-11 09:30:00 UTC))
            ),
            highlight(
                "It was a shallow sea, warm and full of life.",
                "Page 14 · Location 200–205",
                "",
                Some(datetime!(2023-07-12 08:01:00 UTC))
            ),
            highlight("The date of this one cannot be read.", "Page 20 · Location 300–301", "", None),
        ]
    );

    let process = &export.items[1];
    assert_eq!(process.at, "entry 6 (line 26)");
    assert_eq!(process.saved_at, Some(datetime!(2023-07-11 09:30:00 UTC)));
    let quote = "Jemand mußte Josef K. verleumdet haben,\ndenn ohne daß er etwas Böses getan hätte,\nwurde er eines Morgens verhaftet.";
    assert_eq!(process.content, Content::Passages(vec![passage("Location 180–183", quote)]));
    assert_eq!(
        process.highlights,
        [highlight(quote, "Location 180–183", "", Some(datetime!(2023-07-11 09:30:00 UTC)))]
    );

    let etranger = &export.items[2];
    assert_eq!(
        etranger.highlights,
        [highlight(
            "Aujourd'hui, maman est morte.",
            "Page 12 · Location 180–183",
            "",
            Some(datetime!(2023-07-11 09:30:00 UTC))
        )]
    );
    assert_eq!(etranger.notes, ["Le début le plus célèbre."], "a note on no highlight is the book's");
    assert_eq!(etranger.saved_at, Some(datetime!(2023-07-11 09:30:00 UTC)));

    let cien = &export.items[3];
    assert_eq!(
        cien.highlights,
        [highlight(
            "Muchos años después, frente al pelotón de fusilamiento,",
            "Page 12 · Location 180–183",
            "",
            Some(datetime!(2023-07-11 09:30:00 UTC))
        )]
    );

    assert_eq!(
        export.skipped,
        [
            skipped("entry 3 (line 11)", "a bookmark (no text)"),
            skipped("entry 12 (line 58)", "not a clipping: no “- Your Highlight …” line after the title"),
        ]
    );
}

#[test]
fn kindle_odd_input_never_panics() {
    for input in [
        &b"=========="[..],
        b"\xEF\xBB\xBF==========\n==========\n",
        b"Title (\n- Your Highlight\n\n\n==========",
        b"(\n- Your Note at location 5-3 | Added on , , 99:99\n\nx\n==========",
        b"T (A)\n- Your Highlight on page | Location | Added on\n\n\xC3\n==========",
    ] {
        let _ = parse("My Clippings.txt", input, Some(Format::Kindle), &Limits::default());
    }
}

#[test]
fn wallabag_export() {
    let bytes = fixture("wallabag/wallabag-export.json");
    assert_eq!(detect("All articles.json", &bytes), Some(Format::Wallabag));
    let export = read("All articles.json", &bytes);
    assert_eq!(export.format, Format::Wallabag);
    assert_eq!(export.items.len(), 2);

    let starter = &export.items[0];
    assert_eq!(starter.at, "entry 1");
    assert_eq!(starter.title.as_deref(), Some("A Starter from Scratch"));
    assert_eq!(starter.url.as_deref(), Some("https://food.example.com/sourdough-starter"));
    assert_eq!(starter.author.as_deref(), Some("Mira Holt, Jon Bakker"));
    assert_eq!(starter.saved_at, Some(datetime!(2023-07-11 09:30:00 UTC)));
    assert_eq!(starter.published_at, Some(datetime!(2023-07-01 06:00:00 UTC)));
    assert_eq!(starter.state, Some(ReadState::Archived));
    assert!(starter.favorite);
    assert_eq!(starter.progress, None);
    assert_eq!(starter.tags, ["cooking", "bread/sourdough"]);
    assert_eq!(starter.content, Content::Html("<p>Flour, water and patience.</p><p>Feed it every day.</p>".into()));
    let mut flour = Highlight::quote("Flour, water and patience.");
    flour.note = "Use rye for a faster start.".into();
    flour.created_at = Some(datetime!(2023-07-11 10:00:00 UTC));
    let mut feed = Highlight::quote("Feed it every day.");
    feed.created_at = Some(datetime!(2023-07-11 10:05:00 UTC));
    assert_eq!(starter.highlights, [flour, feed]);

    let empty = &export.items[1];
    assert_eq!(empty.at, "entry 2");
    assert_eq!(empty.title.as_deref(), Some("Empty Page"));
    assert_eq!(empty.author.as_deref(), Some("Solo Author"));
    assert_eq!(empty.state, Some(ReadState::Unread));
    assert!(!empty.favorite);
    assert_eq!(empty.content, Content::None);
    assert_eq!(empty.saved_at, Some(datetime!(2024-01-05 10:00:00 UTC)));
    assert_eq!(empty.published_at, None);
    assert!(empty.highlights.is_empty());

    assert_eq!(
        export.skipped,
        [
            skipped("entry 1 annotation 3", "an annotation without a quote"),
            skipped("entry 3", "could not be read: invalid type: string \"not-a-list\", expected a sequence"),
            skipped("entry 4", "no address and no title"),
            skipped("entry 5", "not an entry (expected an object with a url)"),
        ]
    );
}

#[test]
fn wallabag_invalid_json_is_malformed_at_line_and_column() {
    let bytes = fixture("wallabag/wallabag-truncated.json");
    let err = parse("wallabag.json", &bytes, None, &Limits::default()).unwrap_err();
    assert_eq!(
        err,
        Error::Malformed { at: "line 2 column 0".into(), reason: "not valid JSON (EOF while parsing a value)".into() }
    );
}

#[test]
fn every_prefix_of_every_fixture_reads_or_fails_without_panicking() {
    let files = [
        ("hypothesis.json", Format::Hypothesis, fixture("hypothesis/hypothesis-export.json")),
        ("My Clippings.txt", Format::Kindle, fixture("kindle/My Clippings.txt")),
        ("wallabag.json", Format::Wallabag, fixture("wallabag/wallabag-export.json")),
        ("omnivore.zip", Format::Omnivore, omnivore_zip("top/")),
    ];
    for (name, format, bytes) in files {
        for end in 0..bytes.len() {
            let _ = parse(name, &bytes[..end], Some(format), &Limits::default());
            let _ = parse(name, &bytes[..end], None, &Limits::default());
        }
    }
}
