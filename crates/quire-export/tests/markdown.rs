//! The Markdown exporter on the reference article (built as a document, with the four
//! reference highlights), a document with every block kind and mark, tricky titles and text,
//! overlapping, cross-block and orphan highlights, stored and remote images, and the dossier.
//! Every front matter is parsed back with a YAML parser.

use expect_test::expect_file;
use quire_doc::{BlockKind, Color, Document, DocumentBuilder, Marks};
use quire_export::markdown::{self, DossierEntry, MarkdownFile, MarkdownOptions, MarkdownStyle};
use quire_export::{Article, Highlight};

const IMAGE_HASH: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";

fn plain() -> Marks {
    Marks::default()
}

fn vilnius_document() -> Document {
    let mut b = DocumentBuilder::new();
    b.push_block(
        BlockKind::Image {
            src: "https://worlddesk.example/media/vilnius-summit.jpg".into(),
            alt: "Stoltenberg and Zelensky at the Vilnius summit".into(),
        },
        "Jens Stoltenberg and Volodymyr Zelensky at a joint press conference in Vilnius.",
    );
    let paragraphs: &[(Option<u8>, &str)] = &[
        (None, "on the sidelines of the summit NATO In Vilnius, NATO Secretary General Jens Stoltenberg confirmed Wednesday that Ukraine is now closer to the alliance than ever before."),
        (None, "This came during a joint press conference with Ukrainian President Volodymyr Zelensky."),
        (None, "“I look forward to the day when we meet as allies,” Stoltenberg told Zelensky, without disclosing further details about when Ukraine will become a member of NATO."),
        (Some(2), "support the war effort"),
        (None, "While he added that supporting the Ukrainian war effort against Russia remains the most urgent task for Western allies at the present time, despite the ongoing talks regarding Ukraine’s future accession to the alliance."),
        (None, "And he added, “Of course, guarantees, documents and council meetings are important, but the most urgent task now is to ensure that enough weapons are provided to Ukrainian President (Volodymyr) Zelensky and his armed forces.”"),
        (Some(2), "“after the war”"),
        (None, "In turn, Zelensky announced that he was “confident” that his country would join NATO “after the ongoing war” with Russia."),
        (None, "He stressed during the press conference: “I am confident that Ukraine will become a member of NATO after the war. And we will do everything in our power to achieve this,” according to AFP."),
        (Some(2), "not an “alternative”"),
        (None, "While he welcomed the “security guarantees” that the Group of Seven decided to provide to his country, he stressed at the same time that these guarantees cannot replace Ukraine’s request to join NATO."),
        (None, "He stressed that “security guarantees are very important to the Ukrainian people, but they are guarantees for Ukraine towards its membership in NATO,” and not “a substitute for (joining) NATO.”"),
        (Some(2), "Long range weapons"),
        (None, "In addition, he made it clear that his country needs long-range weapons to fight Russian forces in Ukraine, and that he will raise the issue in talks with his US counterpart, Joe Biden."),
        (None, "While he thanked Biden for the decision to provide Kiev with cluster munitions, saying that they are necessary for the defense of Ukraine and to help restore the territories controlled by Russia."),
        (Some(2), "Long term commitment plan"),
        (None, "It is noteworthy that the members of the Group of Seven present, on Wednesday, a plan of long-term commitments to the security of Ukraine on the second and last day of the NATO summit."),
        (None, "In response, consider The Kremlin Security guarantees from Western powers will “undermine Russia’s security and make Europe much more dangerous for years.”"),
    ];
    for (heading, text) in paragraphs {
        match heading {
            Some(level) => b.push_block(BlockKind::Heading { level: *level }, text),
            None => b.push_block(BlockKind::Paragraph, text),
        }
    }
    b.finish()
}

/// A highlight of `exact`, found in the document's canonical text (the first occurrence).
fn highlight_of(doc: &Document, id: i64, exact: &str, color: Color, note: &str, tags: &[&str]) -> Highlight {
    let text = doc.canonical_text();
    let at = text.find(exact).unwrap_or_else(|| panic!("{exact:?} is not in the text"));
    let start = text[..at].chars().count();
    let end = start + exact.chars().count();
    let chars: Vec<char> = text.chars().collect();
    Highlight {
        id,
        exact: exact.to_owned(),
        prefix: chars[start.saturating_sub(32)..start].iter().collect(),
        suffix: chars[end..(end + 32).min(chars.len())].iter().collect(),
        start,
        end,
        color,
        note: note.to_owned(),
        tags: tags.iter().map(|t| t.to_string()).collect(),
        created: format!("2024-03-0{}T10:00:00Z", id.rem_euclid(9) + 1),
        updated: "2024-03-09T10:00:00Z".into(),
        orphan: false,
    }
}

#[derive(serde::Deserialize)]
struct Reference {
    exact: String,
    color: String,
    note: String,
    tags: Vec<String>,
}

fn reference_highlights(doc: &Document) -> Vec<Highlight> {
    let json = std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/../../tests/data/highlights.json"))
        .expect("the reference highlights");
    let refs: Vec<Reference> = serde_json::from_str(&json).expect("valid reference highlights");
    assert_eq!(refs.len(), 4);
    refs.iter()
        .enumerate()
        .map(|(i, r)| {
            let tags: Vec<&str> = r.tags.iter().map(String::as_str).collect();
            highlight_of(doc, i as i64 + 1, &r.exact, r.color.parse().expect("a palette color"), &r.note, &tags)
        })
        .collect()
}

fn vilnius() -> Article {
    let document = vilnius_document();
    let highlights = reference_highlights(&document);
    Article {
        id: 7,
        title: "Ukraine is now closer to NATO than ever before".into(),
        author: Some("World Desk Staff".into()),
        site: Some("World Desk Daily".into()),
        url: Some("https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/".into()),
        published: Some("2023-07-12T18:04:00+03:00".into()),
        clipped: "2024-03-01T09:30:00Z".into(),
        status: "unread".into(),
        favorite: false,
        tags: vec!["NATO".into(), "Ukraine".into(), "Vilnius summit".into(), "europe/politics".into()],
        language: Some("en".into()),
        note: String::new(),
        document,
        highlights,
        images: Vec::new(),
    }
}

const VILNIUS_CITATION: &str = "World Desk Staff. (2023, July 12). Ukraine is now closer to NATO than ever before. World Desk Daily. https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/";

fn options(style: MarkdownStyle, citation: Option<&str>) -> MarkdownOptions {
    MarkdownOptions { style, citation: citation.map(str::to_owned) }
}

/// The YAML between the first two `---` lines, parsed.
fn front_matter(text: &str) -> serde_yaml::Mapping {
    let rest = text.strip_prefix("---\n").expect("front matter first");
    let end = rest.find("\n---\n").expect("front matter closed");
    serde_yaml::from_str(&rest[..end + 1]).unwrap_or_else(|e| panic!("invalid YAML: {e}\n{}", &rest[..end]))
}

fn yaml_str<'a>(m: &'a serde_yaml::Mapping, key: &str) -> Option<&'a str> {
    m.get(key).and_then(|v| v.as_str())
}

fn yaml_tags(m: &serde_yaml::Mapping) -> Vec<String> {
    m.get("tags")
        .and_then(|v| v.as_sequence())
        .expect("tags is a list")
        .iter()
        .map(|t| t.as_str().expect("a tag is a string").to_owned())
        .collect()
}

fn snapshot_name(style: MarkdownStyle) -> &'static str {
    style.as_str()
}

#[test]
fn reference_article_in_every_style() {
    let a = vilnius();
    for &style in MarkdownStyle::ALL {
        let file = markdown::article(&a, &options(style, Some(VILNIUS_CITATION)));
        assert_eq!(file.name, "Ukraine is now closer to NATO than ever before.md");
        assert!(file.assets.is_empty());
        // The same article gives the same file every time.
        assert_eq!(file, markdown::article(&a, &options(style, Some(VILNIUS_CITATION))));
        for h in &a.highlights {
            assert!(file.text.contains(&format!("quire://highlight/{}", h.id)), "{style:?} links highlight {}", h.id);
        }
        match style {
            MarkdownStyle::Logseq => {
                assert!(!file.text.starts_with("---"));
                assert!(file.text.starts_with("title:: Ukraine is now closer to NATO than ever before\n"));
            }
            _ => {
                let fm = front_matter(&file.text);
                assert_eq!(yaml_str(&fm, "title"), Some(a.title.as_str()));
                assert_eq!(yaml_str(&fm, "quire"), Some("quire://article/7"));
                assert_eq!(yaml_str(&fm, "citation"), Some(VILNIUS_CITATION));
                let tags = yaml_tags(&fm);
                if style == MarkdownStyle::Obsidian {
                    assert_eq!(tags, ["NATO", "Ukraine", "Vilnius-summit", "europe/politics"]);
                } else {
                    assert_eq!(tags, a.tags);
                }
            }
        }
        let path = format!("data/markdown/vilnius.{}.md", snapshot_name(style));
        expect_file![path].assert_eq(&file.text);
    }
}

fn marks(f: impl FnOnce(&mut Marks)) -> Marks {
    let mut m = Marks::default();
    f(&mut m);
    m
}

/// Every block kind and mark, escaping hazards, a stored and a remote image.
fn kitchen_sink() -> Article {
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Heading { level: 1 }, "# Not a heading mark");
    b.start_block(BlockKind::Paragraph);
    b.push_text("Plain, ", plain());
    b.push_text("emphasis", marks(|m| m.emphasis = true));
    b.push_text(", ", plain());
    b.push_text("strong", marks(|m| m.strong = true));
    b.push_text(", ", plain());
    b.push_text("both", marks(|m| (m.strong, m.emphasis) = (true, true)));
    b.push_text(", ", plain());
    b.push_text("let x = `y`;", marks(|m| m.code = true));
    b.push_text(", a ", plain());
    b.push_text("link (with) [brackets]", marks(|m| m.link = Some("https://example.org/a b_(c)".into())));
    b.push_text(", a ", plain());
    b.push_text("bad link", marks(|m| m.link = Some("javascript:alert(1)".into())));
    b.push_text(", ", plain());
    b.push_text("mail", marks(|m| m.link = Some("mailto:ana@example.org".into())));
    b.push_text(" and ", plain());
    b.push_text("bold link ", marks(|m| (m.strong, m.link) = (true, Some("http://example.org/".into()))));
    b.push_text("end.", plain());
    b.push_block(
        BlockKind::Paragraph,
        "Metacharacters: *stars* _under_ [link](http://x.y) `tick` <b>bold</b> <script>alert(1)</script> a|b ~~s~~ ==h== $x$ #tag ^block key:: value &amp; \\ end",
    );
    b.push_block(BlockKind::Paragraph, "# starts like a heading");
    b.push_block(BlockKind::Paragraph, "> starts like a quote");
    b.push_block(BlockKind::Paragraph, "- starts like a list");
    b.push_block(BlockKind::Paragraph, "1984. starts like an ordered list");
    b.push_block(BlockKind::Quote, "A quoted block, with *marks*.");
    b.push_block(BlockKind::ListItem { ordered: false, depth: 0 }, "first");
    b.push_block(BlockKind::ListItem { ordered: false, depth: 1 }, "nested");
    b.push_block(BlockKind::ListItem { ordered: true, depth: 2 }, "deeper one");
    b.push_block(BlockKind::ListItem { ordered: true, depth: 2 }, "deeper two");
    b.push_block(BlockKind::ListItem { ordered: false, depth: 0 }, "second");
    b.push_block(BlockKind::Heading { level: 3 }, "Ordered");
    b.push_block(BlockKind::ListItem { ordered: true, depth: 0 }, "one");
    b.push_block(BlockKind::ListItem { ordered: true, depth: 0 }, "two");
    b.push_block(BlockKind::ListItem { ordered: true, depth: 5 }, "too deep");
    b.push_block(BlockKind::Preformatted, "fn main() {\n    let s = \"```\";\n}");
    b.push_block(
        BlockKind::Image { src: format!("quire-image:{IMAGE_HASH}"), alt: "A *stored* map".into() },
        "Caption of the map.",
    );
    b.push_block(BlockKind::Image { src: "https://example.org/remote.png".into(), alt: "remote".into() }, "");
    b.push_block(BlockKind::Image { src: "data:image/png;base64,AAAA".into(), alt: "inline data".into() }, "");
    b.push_block(BlockKind::Image { src: "quire-image:../../etc/passwd".into(), alt: "".into() }, "");
    b.push_block(BlockKind::Heading { level: 9 }, "Level nine is six");
    let document = b.finish();
    Article {
        id: 42,
        title: "Every: block \"kind\" # and - mark".into(),
        author: None,
        site: None,
        url: None,
        published: None,
        clipped: "2024-03-02T00:00:00Z".into(),
        status: "read".into(),
        favorite: true,
        tags: vec![],
        language: None,
        note: String::new(),
        document,
        highlights: vec![],
        images: vec![(IMAGE_HASH.into(), "image/jpeg".into())],
    }
}

#[test]
fn every_block_kind_and_mark() {
    let a = kitchen_sink();
    for &style in MarkdownStyle::ALL {
        let file = markdown::article(&a, &options(style, None));
        assert_eq!(
            file.assets,
            [markdown::Asset { hash: IMAGE_HASH.into(), path: format!("assets/{IMAGE_HASH}.jpg") }]
        );
        assert!(file.text.contains(&format!("](assets/{IMAGE_HASH}.jpg)")));
        assert!(file.text.contains("](https://example.org/remote.png)"));
        assert!(!file.text.contains("javascript:"));
        assert!(!file.text.contains("data:image"));
        assert!(!file.text.contains("etc/passwd"));
        assert!(!file.text.contains("<script>"), "HTML stays escaped");
        assert!(!file.text.contains("<b>"), "HTML stays escaped");
        if style != MarkdownStyle::Logseq {
            let fm = front_matter(&file.text);
            assert_eq!(yaml_str(&fm, "title"), Some(a.title.as_str()));
            assert!(yaml_tags(&fm).is_empty());
            // The fence is longer than the backtick run inside.
            assert!(file.text.contains("````\nfn main() {\n    let s = \"```\";\n}\n````"));
        }
        let path = format!("data/markdown/blocks.{}.md", snapshot_name(style));
        expect_file![path].assert_eq(&file.text);
    }
}

fn article_with(title: &str, tags: &[&str]) -> Article {
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Paragraph, "Body.");
    Article {
        id: 1,
        title: title.into(),
        author: Some("- Dash: \"Quoted\" #1".into()),
        site: Some("@site".into()),
        url: Some("https://example.org/?q=a:b#frag".into()),
        published: Some("2023-07-12".into()),
        clipped: "2024-03-01T09:30:00Z".into(),
        status: "unread".into(),
        favorite: false,
        tags: tags.iter().map(|t| t.to_string()).collect(),
        language: None,
        note: String::new(),
        document: b.finish(),
        highlights: vec![],
        images: vec![],
    }
}

#[test]
fn tricky_titles_stay_valid_yaml_and_round_trip() {
    let titles = [
        "Ukraine: now closer to NATO",
        "\"Quoted\" and 'single'",
        "# not a comment",
        "- not a list",
        "Line one\nLine two\r\nthree",
        "Tab\there and a backslash \\ and {braces} [brackets]",
        "? key: value, & anchor *alias ! tag % directive @ `tick` |",
        "yes",
        "null",
        "123",
        "Ends with colon:",
        "Control \u{7} bell \u{1b} escape \u{85} next-line \u{2028} separator \u{feff} bom",
        "Зеленський 🇺🇦 — “quotes”",
        "---",
        "",
    ];
    let tags = ["a: b", "- dash", "#hash", "[x]", "2023", "one two/three"];
    for title in titles {
        let a = article_with(title, &tags);
        for style in [MarkdownStyle::Plain, MarkdownStyle::Obsidian] {
            let file = markdown::article(&a, &options(style, Some("Cite: \"this\" # now")));
            let fm = front_matter(&file.text);
            assert_eq!(yaml_str(&fm, "title"), Some(title), "{style:?}");
            assert_eq!(yaml_str(&fm, "author"), a.author.as_deref());
            assert_eq!(yaml_str(&fm, "site"), Some("@site"));
            assert_eq!(yaml_str(&fm, "source"), a.url.as_deref());
            assert_eq!(yaml_str(&fm, "published"), Some("2023-07-12"));
            assert_eq!(yaml_str(&fm, "citation"), Some("Cite: \"this\" # now"));
            let expected: Vec<String> = match style {
                MarkdownStyle::Obsidian => {
                    ["a-b", "dash", "hash", "x", "_2023", "one-two/three"].map(String::from).to_vec()
                }
                _ => tags.map(String::from).to_vec(),
            };
            assert_eq!(yaml_tags(&fm), expected);
            // The title line under the front matter is one line.
            let after = file.text.split("\n---\n").nth(1).expect("body");
            assert!(after.starts_with("\n# "), "{after:?}");
        }
    }
    let a = article_with("Line one\nLine two", &tags);
    let file = markdown::article(&a, &options(MarkdownStyle::Plain, None));
    expect_file!["data/markdown/tricky-title.plain.md"].assert_eq(&file.text);
    let file = markdown::article(&a, &options(MarkdownStyle::Logseq, Some("Cite:: this")));
    expect_file!["data/markdown/tricky-title.logseq.md"].assert_eq(&file.text);
}

#[test]
fn file_names_are_safe_everywhere_and_stable() {
    let cases = [
        ("Ukraine is now closer to NATO than ever before", "Ukraine is now closer to NATO than ever before"),
        ("What? <Why> \"Who\": a/b\\c|d*e", "What Why Who a b c d e"),
        ("Ends with dots and spaces. . . ", "Ends with dots and spaces"),
        ("...hidden", "hidden"),
        ("CON", "CON_"),
        ("con", "con_"),
        ("Com1.txt", "Com1_.txt"),
        ("lpt9", "lpt9_"),
        ("NUL .md", "NUL_ .md"),
        ("CONSOLE", "CONSOLE"),
        ("COM10", "COM10"),
        ("Tab\tand\nnewline\u{7}bell", "Tab and newline bell"),
        ("", "Untitled"),
        ("???", "Untitled"),
        ("  ", "Untitled"),
        ("[[Wiki]] #tag ^id", "Wiki tag id"),
        ("Зеленський 🇺🇦", "Зеленський 🇺🇦"),
    ];
    for (title, stem) in cases {
        assert_eq!(markdown::file_stem(title), stem, "{title:?}");
    }
    let long = "ü".repeat(100) + " tail";
    let stem = markdown::file_stem(&long);
    assert!(stem.len() <= 120 && stem.len() >= 118, "{}", stem.len());
    assert_eq!(stem, "ü".repeat(60));
    let long_dots = "a".repeat(119) + ". more";
    assert_eq!(markdown::file_stem(&long_dots), "a".repeat(119));
    for (title, _) in cases {
        let stem = markdown::file_stem(title);
        assert!(!stem.is_empty() && stem.len() <= 120);
        assert!(!stem.chars().any(|c| "<>:\"/\\|?*".contains(c) || c.is_control()), "{stem:?}");
        assert!(!stem.ends_with(['.', ' ']) && !stem.starts_with([' ', '.']), "{stem:?}");
    }
}

fn tiny_article(highlights: Vec<Highlight>) -> Article {
    let mut b = DocumentBuilder::new();
    b.start_block(BlockKind::Paragraph);
    b.push_text("Alpha beta ", plain());
    b.push_text("gamma delta", marks(|m| m.strong = true));
    b.push_text(" epsilon.", plain());
    b.push_block(BlockKind::Paragraph, "Second block here.");
    b.push_block(BlockKind::ListItem { ordered: false, depth: 0 }, "Third, a list item.");
    let document = b.finish();
    let mut a = article_with("Overlaps", &[]);
    a.document = document;
    a.highlights = highlights;
    a
}

#[test]
fn overlapping_cross_block_and_orphan_highlights() {
    let doc = tiny_article(vec![]).document;
    let mut hs = vec![
        // Overlapping: "beta gamma" and "gamma delta epsilon" merge into one run.
        highlight_of(&doc, 1, "beta gamma", Color::Yellow, "", &["x"]),
        highlight_of(&doc, 2, "gamma delta epsilon", Color::Green, "Line one\nLine two\n\n- not a list", &[]),
        // Across the block boundary: marked in each block.
        highlight_of(&doc, 3, "epsilon.\n\nSecond block", Color::Blue, "", &[]),
        highlight_of(&doc, 4, "here.\n\nThird", Color::Pink, "", &[]),
    ];
    hs.push(Highlight {
        id: 5,
        exact: "A sentence that was edited away".into(),
        orphan: true,
        start: 0,
        end: 5,
        ..hs[0].clone()
    });
    // Bad offsets: past the end and reversed; never a panic.
    hs.push(Highlight { id: 6, start: 10_000, end: 10_010, ..hs[0].clone() });
    hs.push(Highlight { id: 7, start: 9, end: 3, ..hs[0].clone() });
    let a = tiny_article(hs);
    for &style in MarkdownStyle::ALL {
        let file = markdown::article(&a, &options(style, None));
        if style != MarkdownStyle::Logseq {
            assert!(file.text.contains("Alpha ==beta **gamma delta** epsilon.=="), "{}", file.text);
            assert!(file.text.contains("==Second block== =="), "{}", file.text);
            assert!(file.text.contains("*Not found in the current text.*"));
        }
        assert!(!file.text.contains("==Alpha"), "the orphan is not marked");
        let path = format!("data/markdown/overlaps.{}.md", snapshot_name(style));
        expect_file![path].assert_eq(&file.text);
    }
}

fn dossier_file(style: MarkdownStyle) -> MarkdownFile {
    let a = vilnius();
    let mut b = tiny_article(vec![]);
    b.id = 8;
    b.title = "NATO: a second article?".into();
    let h = highlight_of(&b.document, 11, "Second block here.", Color::Purple, "A note.", &["NATO accession"]);
    b.highlights = vec![h];
    let hs_a: Vec<&Highlight> = a.highlights.iter().filter(|h| h.tags.iter().any(|t| t == "NATO accession")).collect();
    let hs_b: Vec<&Highlight> = b.highlights.iter().collect();
    let entries = [
        DossierEntry {
            article: &a,
            highlights: hs_a,
            citation: VILNIUS_CITATION.into(),
            note_stem: markdown::file_stem(&a.title),
        },
        DossierEntry {
            article: &b,
            highlights: hs_b,
            citation: "Example, A. (2024). NATO: a second article?".into(),
            note_stem: markdown::file_stem(&b.title),
        },
    ];
    markdown::dossier("NATO accession", &entries, style)
}

#[test]
fn dossier_groups_quotes_by_article() {
    for &style in MarkdownStyle::ALL {
        let file = dossier_file(style);
        assert_eq!(file.name, "NATO accession.md");
        assert!(file.assets.is_empty());
        for id in [1, 2, 3, 11] {
            assert!(file.text.contains(&format!("quire://highlight/{id}")), "{style:?} {id}");
        }
        assert!(!file.text.contains("quire://highlight/4"), "not on the topic");
        if style == MarkdownStyle::Obsidian {
            assert!(file.text.contains("[[Ukraine is now closer to NATO than ever before]]"));
            assert!(file.text.contains("[[NATO a second article#^q11]]"));
        }
        if style != MarkdownStyle::Logseq {
            assert_eq!(yaml_str(&front_matter(&file.text), "title"), Some("NATO accession"));
        }
        let path = format!("data/markdown/dossier.{}.md", snapshot_name(style));
        expect_file![path].assert_eq(&file.text);
    }
}

#[test]
fn empty_article_and_empty_document() {
    let mut a = article_with("", &[]);
    a.document = Document::default();
    for &style in MarkdownStyle::ALL {
        let file = markdown::article(&a, &options(style, Some("   ")));
        assert_eq!(file.name, "Untitled.md");
        if style != MarkdownStyle::Logseq {
            assert_eq!(yaml_str(&front_matter(&file.text), "title"), Some(""));
        }
    }
}

#[test]
fn inconsistent_offsets_never_panic() {
    use quire_doc::{Block, Span};
    // Spans and blocks whose offsets do not match their text, highlights everywhere.
    let document = Document {
        blocks: vec![
            Block {
                kind: BlockKind::Paragraph,
                spans: vec![
                    Span { text: "Zelensky 🇺🇦".into(), marks: Marks::default(), start: usize::MAX - 3 },
                    Span { text: "".into(), marks: Marks::default(), start: 2 },
                ],
                start: 50,
                end: 3,
            },
            Block { kind: BlockKind::ListItem { ordered: true, depth: 255 }, spans: vec![], start: 0, end: 0 },
            Block { kind: BlockKind::Heading { level: 0 }, spans: vec![], start: 0, end: 10 },
            Block { kind: BlockKind::Preformatted, spans: vec![], start: 0, end: 10 },
            Block {
                kind: BlockKind::Image { src: "quire-image:".into(), alt: "".into() },
                spans: vec![],
                start: 0,
                end: 0,
            },
        ],
    };
    let mut a = article_with("Bad offsets", &["", "   ", "///"]);
    a.document = document;
    let base = highlight_of(&tiny_article(vec![]).document, 1, "Alpha", Color::Yellow, "", &[]);
    a.highlights = vec![
        Highlight { start: 0, end: usize::MAX, ..base.clone() },
        Highlight { id: 2, start: usize::MAX - 1, end: usize::MAX, ..base.clone() },
        Highlight { id: 3, exact: String::new(), ..base },
    ];
    for &style in MarkdownStyle::ALL {
        let file = markdown::article(&a, &options(style, None));
        assert_eq!(file.name, "Bad offsets.md");
        if style == MarkdownStyle::Obsidian {
            assert!(yaml_tags(&front_matter(&file.text)).is_empty(), "no valid Obsidian tag is left");
        }
    }
}
