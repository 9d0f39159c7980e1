//! End-to-end tests of the PDF exporter with real tools: qpdf (`qpdf`), pdftotext and pdftoppm
//! (`poppler-utils`), and lopdf for the annotation objects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use quire_anchor::{QuoteRequest, Text};
use quire_doc::{BlockKind, Document, DocumentBuilder, Marks};
use quire_pdf::{
    export, fonts, Article, Color, ColorExt, ExportInput, ExportOutput, FallbackFace, Highlight, Options, Paper,
};

const CYRILLIC_GREEK: &str = "Україна ближче до НАТО, ніж будь-коли. Η Ουκρανία είναι πιο κοντά στο ΝΑΤΟ από ποτέ.";

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/data").join(name)
}

fn out_dir() -> PathBuf {
    let d = Path::new(env!("CARGO_TARGET_TMPDIR")).join("quire-pdf");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Paragraphs of the reference article (title first), short ones turned into sub-headings.
fn reference_parts() -> (String, Vec<(bool, String)>) {
    let raw = std::fs::read_to_string(data("article.txt")).unwrap();
    let mut parts =
        raw.split("\n\n").map(|p| p.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|p| !p.is_empty());
    let title = parts.next().unwrap();
    let mut blocks: Vec<(bool, String)> = parts.map(|p| (p.chars().count() < 40 && !p.ends_with('.'), p)).collect();
    blocks.push((false, CYRILLIC_GREEK.to_owned()));
    (title, blocks)
}

fn build(blocks: &[(bool, String)]) -> Document {
    let mut b = DocumentBuilder::new();
    for (heading, text) in blocks {
        let kind = if *heading { BlockKind::Heading { level: 2 } } else { BlockKind::Paragraph };
        b.push_block(kind, text);
    }
    b.finish()
}

#[derive(serde::Deserialize)]
struct Wanted {
    exact: String,
    color: String,
    note: String,
    tags: Vec<String>,
}

fn reference_article() -> Article {
    let (title, blocks) = reference_parts();
    let document = build(&blocks);
    let text = document.canonical_text();
    let wanted: Vec<Wanted> = serde_json::from_str(&std::fs::read_to_string(data("highlights.json")).unwrap()).unwrap();
    let highlights = wanted
        .iter()
        .enumerate()
        .map(|(i, w)| {
            let pos = Text::new(&text).locate(&QuoteRequest { exact: &w.exact, ..QuoteRequest::default() }).unwrap();
            Highlight {
                id: 10 + i as i64,
                start: pos.start,
                end: pos.end,
                color: w.color.parse().unwrap(),
                note: w.note.clone(),
                tags: w.tags.clone(),
                created_at: "2024-03-01T09:30:00Z".into(),
                updated_at: "2024-03-02T10:00:00+01:00".into(),
                author: Some("Reader".into()),
            }
        })
        .collect();
    Article {
        title,
        byline: Some("Staff writer".into()),
        site_name: Some("Example News".into()),
        url: Some("https://example.org/ukraine-nato".into()),
        published_at: Some("2023-07-12T08:00:00Z".into()),
        clipped_at: Some("2024-03-01T09:00:00Z".into()),
        tags: vec!["NATO".into(), "Ukraine".into()],
        document,
        highlights,
        citation: Some(
            "Staff writer. (2023, July 12). Ukraine is now closer to NATO than ever before. Example News. https://example.org/ukraine-nato"
                .into(),
        ),
    }
}

fn run_export(
    name: &str,
    articles: Vec<Article>,
    images: HashMap<String, (String, Vec<u8>)>,
) -> (PathBuf, ExportOutput) {
    run_export_input(name, &ExportInput { articles, options: Options::default(), images, fonts: fonts::bundled() })
}

/// Exports, writes `NAME.pdf` to the test folder and checks it with `qpdf --check`.
fn run_export_input(name: &str, input: &ExportInput<'_>) -> (PathBuf, ExportOutput) {
    let out = export(input).unwrap();
    let path = out_dir().join(format!("{name}.pdf"));
    std::fs::write(&path, &out.pdf).unwrap();
    let check = Command::new("qpdf").arg("--check").arg(&path).output().expect("qpdf is installed (Debian: qpdf)");
    assert!(
        check.status.success(),
        "qpdf --check failed: {}{}",
        String::from_utf8_lossy(&check.stdout),
        String::from_utf8_lossy(&check.stderr)
    );
    (path, out)
}

/// Body text without running heads and folios (crop to the text area of an A4 page).
fn pdftotext_body(path: &Path) -> String {
    let o = Command::new("pdftotext")
        .args(["-enc", "UTF-8", "-x", "0", "-y", "58", "-W", "596", "-H", "728"])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (Debian: poppler-utils)");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

fn norm(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn nospace(s: &str) -> String {
    s.chars().filter(|c| !c.is_whitespace()).collect()
}

fn decode_text(o: &lopdf::Object) -> String {
    let b = o.as_str().unwrap();
    if b.starts_with(&[0xFE, 0xFF]) {
        let units: Vec<u16> = b[2..].chunks_exact(2).map(|c| u16::from_be_bytes([c[0], c[1]])).collect();
        String::from_utf16(&units).unwrap()
    } else {
        b.iter().map(|&c| c as char).collect()
    }
}

struct Annot {
    page: u32,
    nm: String,
    contents: String,
    color: Vec<f32>,
    quads: Vec<f32>,
    has_popup: bool,
    has_ap: bool,
    flags: i64,
}

fn highlight_annots(pdf: &[u8]) -> Vec<Annot> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut out = Vec::new();
    for (num, id) in doc.get_pages() {
        let page = doc.get_dictionary(id).unwrap();
        let Ok(annots) = page.get_deref(b"Annots", &doc) else { continue };
        for a in annots.as_array().unwrap() {
            let a = doc.dereference(a).unwrap().1.as_dict().unwrap();
            if a.get(b"Subtype").unwrap().as_name().unwrap() != b"Highlight" {
                continue;
            }
            let nums = |k: &[u8]| -> Vec<f32> {
                a.get(k).unwrap().as_array().unwrap().iter().map(|v| v.as_float().unwrap()).collect()
            };
            out.push(Annot {
                page: num,
                nm: decode_text(a.get(b"NM").unwrap()),
                contents: decode_text(a.get(b"Contents").unwrap()),
                color: nums(b"C"),
                quads: nums(b"QuadPoints"),
                has_popup: a.get(b"Popup").is_ok(),
                has_ap: a.get_deref(b"AP", &doc).is_ok(),
                flags: a.get(b"F").unwrap().as_i64().unwrap(),
            });
        }
    }
    out
}

/// Words of a page from `pdftotext -bbox`: (text, xmin, ymin, xmax, ymax), y from the top.
fn bbox_words(path: &Path, page: u32) -> Vec<(String, f32, f32, f32, f32)> {
    let p = page.to_string();
    let o = Command::new("pdftotext").args(["-bbox", "-f", &p, "-l", &p]).arg(path).arg("-").output().unwrap();
    let html = String::from_utf8(o.stdout).unwrap();
    let mut words = Vec::new();
    for line in html.lines() {
        let Some(rest) = line.trim().strip_prefix("<word ") else { continue };
        let attr = |k: &str| -> f32 {
            let i = rest.find(&format!("{k}=\"")).unwrap() + k.len() + 2;
            rest[i..].split('"').next().unwrap().parse().unwrap()
        };
        let text = rest.split('>').nth(1).unwrap().split('<').next().unwrap().replace("&amp;", "&");
        words.push((text, attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")));
    }
    words
}

fn page_height() -> f32 {
    quire_pdf::Paper::A4.size().1
}

#[test]
fn reference_article_exports_checks_and_extracts() {
    let article = reference_article();
    let (title, blocks) = reference_parts();
    let (path, out) = run_export("reference", vec![article.clone()], HashMap::new());
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    assert!(out.pages >= 2);

    // (b) Text in reading order.
    let body = pdftotext_body(&path);
    let flat = nospace(&body);
    assert!(norm(&body).starts_with(&norm(&title)), "{}", &body[..200]);
    // Expected paragraphs with their note markers.
    let text = article.document.canonical_text();
    let chars: Vec<char> = text.chars().collect();
    let mut notes: Vec<(usize, usize)> =
        article.highlights.iter().filter(|h| !h.note.is_empty()).map(|h| (h.start, h.end)).collect();
    notes.sort();
    let mut marker_at: HashMap<usize, usize> = HashMap::new();
    for (n, (_, end)) in notes.iter().enumerate() {
        marker_at.insert(*end, n + 1);
    }
    let mut at = 0;
    for block in &article.document.blocks {
        let mut expected = String::new();
        for (i, c) in chars[block.start..block.end].iter().enumerate() {
            expected.push(*c);
            if let Some(n) = marker_at.get(&(block.start + i + 1)) {
                expected.push_str(&n.to_string());
            }
        }
        let e = nospace(&expected);
        let found =
            flat[at..].find(&e).unwrap_or_else(|| panic!("block not found in order: {expected}\n--- got:\n{body}"));
        at += found + e.len();
    }
    assert!(blocks.iter().filter(|b| b.0).count() >= 3, "sub-headings");
    assert!(norm(&body).contains(CYRILLIC_GREEK), "Cyrillic and Greek come back exactly");
    assert!(norm(&body).contains("Annotations"));
    assert!(
        norm(&body).contains("Cite as: Staff writer. (2023, July 12). Ukraine is now closer to NATO than ever before."),
        "the article's citation heads its annotations"
    );

    // (c) One /Highlight per highlight, with its note, color, id, over the quoted words.
    let annots = highlight_annots(&out.pdf);
    for h in &article.highlights {
        let nm = format!("quire-highlight-{}", h.id);
        let mine: Vec<&Annot> = annots.iter().filter(|a| a.nm == nm).collect();
        assert!(!mine.is_empty(), "{nm} missing");
        let mut pages: Vec<u32> = mine.iter().map(|a| a.page).collect();
        pages.dedup();
        assert_eq!(pages.len(), mine.len(), "one annotation per page for {nm}");
        for a in &mine {
            assert_eq!(a.contents, h.note);
            let c = h.color.rgb();
            assert!(a.color.iter().zip(c).all(|(x, y)| (x - y).abs() < 0.01), "{:?}", a.color);
            assert_eq!(a.has_popup, !h.note.is_empty());
            assert!(a.has_ap);
            assert_eq!(a.flags & 4, 4, "print flag");
            assert_eq!(a.quads.len() % 8, 0);
            // Quote words whose boxes lie inside the quads.
            let words = bbox_words(&path, a.page);
            let quote: Vec<String> =
                chars[h.start..h.end].iter().collect::<String>().split_whitespace().map(str::to_owned).collect();
            let ph = page_height();
            let inside = |w: &(String, f32, f32, f32, f32)| {
                let (cx, cy) = ((w.1 + w.3) / 2.0, ph - (w.2 + w.4) / 2.0);
                a.quads.chunks(8).any(|q| cx >= q[4] && cx <= q[2] && cy >= q[5] && cy <= q[1])
            };
            let covered = words
                .iter()
                .filter(|w| quote.iter().any(|q| w.0.starts_with(q.as_str()) || q.starts_with(&w.0)) && inside(w))
                .count();
            let on_page = if mine.len() == 1 { quote.len() } else { 1 };
            assert!(covered >= on_page * 8 / 10, "{nm}: {covered} of {} quote words inside the quads", quote.len());
            for q in a.quads.chunks(8) {
                assert!(words.iter().any(|w| inside(w) && q.len() == 8), "a quad over no word");
            }
        }
    }
    assert_eq!(annots.len(), article.highlights.len(), "no highlight spans a page here");

    // (d) The tint shows in the pixels of page 1 where the first quote is.
    let first = &article.highlights[0];
    let a = annots.iter().find(|a| a.nm == format!("quire-highlight-{}", first.id)).unwrap();
    assert_eq!(a.page, 1);
    let ppm = render(&path, 1, 50);
    let (w, h, px) = parse_ppm(&ppm);
    let scale = 50.0 / 72.0;
    let q = &a.quads[..8];
    let (x1, x2) = ((q[4] * scale) as usize, (q[2] * scale) as usize);
    let (y1, y2) = (((page_height() - q[1]) * scale) as usize, ((page_height() - q[5]) * scale) as usize);
    let t = first.color.tint();
    let tinted = (y1..y2.min(h))
        .flat_map(|y| (x1..x2.min(w)).map(move |x| (x, y)))
        .filter(|&(x, y)| {
            let p = &px[(y * w + x) * 3..][..3];
            // The page tint, possibly multiplied by the annotation's appearance.
            [t, [t[0] * t[0], t[1] * t[1], t[2] * t[2]]]
                .iter()
                .any(|c| (0..3).all(|k| (p[k] as f32 - c[k] * 255.0).abs() < 24.0))
        })
        .count();
    assert!(tinted > (x2 - x1) * (y2 - y1) / 4, "{tinted} tinted pixels of {}", (x2 - x1) * (y2 - y1));

    // Pictures of the pages: in target/screenshots/, or where QUIRE_SCREENSHOTS says
    // (`QUIRE_SCREENSHOTS=docs/screenshots` refreshes the README's); tests write no tracked file.
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let shots = root.join(std::env::var_os("QUIRE_SCREENSHOTS").unwrap_or_else(|| "target/screenshots".into()));
    if std::fs::create_dir_all(&shots).is_ok() {
        for page in ["1", "2"] {
            let prefix = shots.join(format!("pdf-page{page}"));
            let st = Command::new("pdftoppm")
                .args(["-png", "-r", "80", "-singlefile", "-f", page, "-l", page])
                .arg(&path)
                .arg(&prefix)
                .status()
                .unwrap();
            assert!(st.success());
        }
    }
}

fn render(path: &Path, page: u32, dpi: u32) -> Vec<u8> {
    let p = page.to_string();
    let prefix = out_dir().join(format!("render-{}", path.file_stem().unwrap().to_string_lossy()));
    let st = Command::new("pdftoppm")
        .args(["-r", &dpi.to_string(), "-singlefile", "-f", &p, "-l", &p])
        .arg(path)
        .arg(&prefix)
        .status()
        .expect("pdftoppm is installed (Debian: poppler-utils)");
    assert!(st.success());
    std::fs::read(prefix.with_extension("ppm")).unwrap()
}

/// Parses a binary PPM (P6, maxval 255): width, height, RGB bytes.
fn parse_ppm(b: &[u8]) -> (usize, usize, &[u8]) {
    let mut fields = Vec::new();
    let mut i = 0;
    while fields.len() < 4 {
        while b[i].is_ascii_whitespace() {
            i += 1;
        }
        if b[i] == b'#' {
            while b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        let s = i;
        while !b[i].is_ascii_whitespace() {
            i += 1;
        }
        fields.push(String::from_utf8_lossy(&b[s..i]).into_owned());
    }
    assert_eq!(fields[0], "P6");
    let w: usize = fields[1].parse().unwrap();
    let h: usize = fields[2].parse().unwrap();
    (w, h, &b[i + 1..i + 1 + w * h * 3])
}

fn hl(id: i64, start: usize, end: usize, color: Color, note: &str) -> Highlight {
    Highlight {
        id,
        start,
        end,
        color,
        note: note.into(),
        tags: vec![],
        created_at: "2024-01-01T00:00:00Z".into(),
        updated_at: "2024-01-01T00:00:00Z".into(),
        author: None,
    }
}

#[test]
fn highlights_outside_the_text_are_skipped_with_a_warning_never_a_panic() {
    let mut a = reference_article();
    let n = a.document.canonical_text().chars().count();
    a.highlights = vec![
        hl(1, 10, 40, Color::Yellow, "inside"),
        hl(2, n - 5, n + 50, Color::Pink, "starts inside, ends past the text"),
        hl(3, n + 10, n + 20, Color::Green, "wholly past the text"),
        hl(4, 30, 30, Color::Blue, "empty"),
        hl(5, 60, 20, Color::Red, "backwards"),
    ];
    let (_, out) = run_export("outside-the-text", vec![a], HashMap::new());
    let annots = highlight_annots(&out.pdf);
    assert_eq!(annots.iter().map(|a| a.nm.as_str()).collect::<Vec<_>>(), ["quire-highlight-1"]);
    for id in 2..=5 {
        let warning = format!("highlight {id} is outside the article's text; skipped");
        assert!(out.warnings.contains(&warning), "{warning}: {:?}", out.warnings);
    }
}

fn long_article(paragraphs: usize) -> Article {
    let (title, blocks) = reference_parts();
    let body: Vec<(bool, String)> = blocks.iter().filter(|b| !b.0).cloned().collect();
    let mut all = Vec::new();
    for i in 0..paragraphs {
        if i % 12 == 0 {
            all.push((true, format!("Part {}", i / 12 + 1)));
        }
        all.push(body[i % body.len()].clone());
    }
    Article { title, document: build(&all), ..Article::default() }
}

#[test]
fn no_highlights_and_long_title() {
    let mut a = reference_article();
    a.highlights.clear();
    a.title = "A title that is much longer than one line of the page, so that it has to wrap onto a second and maybe a third line".into();
    let (path, out) = run_export("no-highlights", vec![a.clone()], HashMap::new());
    assert!(highlight_annots(&out.pdf).is_empty());
    let body = norm(&pdftotext_body(&path));
    assert!(body.starts_with(&a.title), "{}", &body[..200]);
    assert!(!body.contains("Annotations"));
}

#[test]
fn highlight_across_a_page_break_and_overlapping_highlights() {
    let mut a = long_article(40);
    let text = a.document.canonical_text();
    let n = text.chars().count();
    // A range around the end of page 1: a quarter of the text into a half of it.
    let (s, e) = (n / 8, n / 3);
    a.highlights = vec![
        hl(1, s, e, Color::Green, "spans pages"),
        hl(2, 20, 120, Color::Pink, ""),
        hl(3, 80, 200, Color::Purple, "overlaps the pink one"),
    ];
    let (_, out) = run_export("page-break", vec![a], HashMap::new());
    assert!(out.pages > 3);
    let annots = highlight_annots(&out.pdf);
    let spanning: Vec<&Annot> = annots.iter().filter(|a| a.nm == "quire-highlight-1").collect();
    assert!(spanning.len() >= 2, "the highlight is split per page");
    let pages: Vec<u32> = spanning.iter().map(|a| a.page).collect();
    assert!(pages.windows(2).all(|w| w[1] == w[0] + 1));
    assert!(spanning.iter().all(|a| a.contents == "spans pages"));
    assert_eq!(annots.iter().filter(|a| a.nm == "quire-highlight-2").count(), 1);
    assert_eq!(annots.iter().filter(|a| a.nm == "quire-highlight-3").count(), 1);
}

#[test]
fn images_missing_and_present() {
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Paragraph, "Before the figures.");
    b.push_block(
        BlockKind::Image { src: "quire-image:missing".into(), alt: "A map of Europe".into() },
        "Caption of a missing map",
    );
    b.push_block(BlockKind::Image { src: "quire-image:abc".into(), alt: "gradient".into() }, "A gradient with alpha");
    b.push_block(BlockKind::ListItem { ordered: true, depth: 0 }, "first item");
    b.push_block(BlockKind::ListItem { ordered: true, depth: 1 }, "nested item");
    b.push_block(BlockKind::Quote, "A quoted passage that is indented.");
    b.push_block(BlockKind::Preformatted, "fn main() {\n    println!(\"hi\");\n}");
    let document = b.finish();
    // A 64×32 RGBA PNG gradient.
    let mut png_bytes = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png_bytes, 64, 32);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().unwrap();
        let px: Vec<u8> =
            (0..32).flat_map(|y| (0..64).flat_map(move |x| [x as u8 * 4, y as u8 * 8, 128, 128 + x as u8])).collect();
        w.write_image_data(&px).unwrap();
    }
    let images = HashMap::from([("abc".to_owned(), ("image/png".to_owned(), png_bytes))]);
    let a = Article { title: "Figures".into(), document, ..Article::default() };
    let (path, out) = run_export("images", vec![a], images);
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(out.warnings[0].contains("missing"));
    let body = norm(&pdftotext_body(&path));
    for s in [
        "Image: A map of Europe",
        "Caption of a missing map",
        "A gradient with alpha",
        "first item",
        "nested item",
        "println!(\"hi\");",
    ] {
        assert!(body.contains(s), "{s} in {body}");
    }
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();
    let smask = doc.objects.values().filter_map(|o| o.as_stream().ok()).any(|s| s.dict.get(b"SMask").is_ok());
    assert!(smask, "the PNG's alpha is an SMask");
}

#[test]
fn long_article_stays_valid() {
    let a = long_article(120);
    let (path, out) = run_export("long", vec![a, reference_article()], HashMap::new());
    assert!(out.pages > 10);
    let info = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&info.stdout).into_owned();
    let pages = info.lines().find_map(|l| l.strip_prefix("Pages:")).map(|n| n.trim().to_owned());
    assert_eq!(pages, Some(out.pages.to_string()));
}

/// A file of this crate's `tests/data/`.
fn crate_data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data").join(name)
}

/// The text of one page as `pdftotext -layout` gives it.
fn page_text(path: &Path, page: u32) -> String {
    let p = page.to_string();
    let o = Command::new("pdftotext")
        .args(["-layout", "-enc", "UTF-8", "-f", &p, "-l", &p])
        .arg(path)
        .arg("-")
        .output()
        .expect("pdftotext is installed (Debian: poppler-utils)");
    assert!(o.status.success());
    String::from_utf8(o.stdout).unwrap()
}

/// An outline item as lopdf reads it back: title, destination page (1-based), children.
#[derive(Debug)]
struct OutlineItem {
    title: String,
    page: u32,
    count: Option<i64>,
    children: Vec<OutlineItem>,
}

fn page_numbers(doc: &lopdf::Document) -> HashMap<lopdf::ObjectId, u32> {
    doc.get_pages().into_iter().map(|(n, id)| (id, n)).collect()
}

fn outline(doc: &lopdf::Document) -> Vec<OutlineItem> {
    let pages = page_numbers(doc);
    let root = doc.catalog().unwrap().get_deref(b"Outlines", doc).unwrap().as_dict().unwrap();
    outline_items(doc, &pages, root)
}

fn outline_items(
    doc: &lopdf::Document,
    pages: &HashMap<lopdf::ObjectId, u32>,
    parent: &lopdf::Dictionary,
) -> Vec<OutlineItem> {
    let mut out = Vec::new();
    let mut next = parent.get(b"First").ok().map(|r| r.as_reference().unwrap());
    while let Some(id) = next {
        let item = doc.get_dictionary(id).unwrap();
        let dest = item.get(b"Dest").unwrap().as_array().unwrap();
        out.push(OutlineItem {
            title: decode_text(item.get(b"Title").unwrap()),
            page: pages[&dest[0].as_reference().unwrap()],
            count: item.get(b"Count").ok().map(|c| c.as_i64().unwrap()),
            children: outline_items(doc, pages, item),
        });
        next = item.get(b"Next").ok().map(|r| r.as_reference().unwrap());
    }
    out
}

/// The target pages (1-based) of a page's internal (GoTo) link annotations, top to bottom.
fn goto_links(doc: &lopdf::Document, page: u32) -> Vec<u32> {
    let pages = page_numbers(doc);
    let dict = doc.get_dictionary(doc.get_pages()[&page]).unwrap();
    let Ok(annots) = dict.get_deref(b"Annots", doc) else { return Vec::new() };
    let mut links: Vec<(f32, u32)> = Vec::new();
    for a in annots.as_array().unwrap() {
        let a = doc.dereference(a).unwrap().1.as_dict().unwrap();
        let Ok(action) = a.get_deref(b"A", doc).and_then(|o| o.as_dict()) else { continue };
        if action.get(b"S").unwrap().as_name().unwrap() != b"GoTo" {
            continue;
        }
        let dest = action.get(b"D").unwrap().as_array().unwrap();
        let top = a.get(b"Rect").unwrap().as_array().unwrap()[3].as_float().unwrap();
        links.push((top, pages[&dest[0].as_reference().unwrap()]));
    }
    links.sort_by(|x, y| y.0.total_cmp(&x.0));
    links.dedup_by_key(|l| l.1);
    links.into_iter().map(|l| l.1).collect()
}

fn info_text(doc: &lopdf::Document, key: &[u8]) -> Option<String> {
    let info = doc.trailer.get_deref(b"Info", doc).unwrap().as_dict().unwrap();
    info.get(key).ok().map(decode_text)
}

/// The text of the first `<tag>…</tag>` element of an XML document, as it is written.
fn xml_element<'x>(xml: &'x str, tag: &str) -> Option<&'x str> {
    let open = format!("<{tag}>");
    let start = xml.find(&open)? + open.len();
    let end = xml[start..].find(&format!("</{tag}>"))? + start;
    Some(&xml[start..end])
}

/// The `<rdf:li>` values of an XMP property, in order.
fn xmp_list(xml: &str, tag: &str) -> Vec<String> {
    let Some(inner) = xml_element(xml, tag) else { return Vec::new() };
    inner
        .split("<rdf:li")
        .skip(1)
        .filter_map(|li| li.split_once('>').and_then(|(_, rest)| rest.split("</rdf:li>").next()))
        .map(str::to_owned)
        .collect()
}

fn titled(mut a: Article, title: &str) -> Article {
    a.title = title.to_owned();
    a
}

#[test]
fn several_articles_get_a_contents_page_and_one_bookmark_each() {
    let articles = vec![
        reference_article(),
        titled(long_article(60), "A long article without highlights"),
        Article {
            tags: vec!["Ukraine".into(), "Vilnius".into()],
            ..titled(reference_article(), "The same article again")
        },
    ];
    let (path, out) = run_export("dossier", articles.clone(), HashMap::new());
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();

    // One top-level bookmark per article, in order, closed, with the article's headings below.
    let items = outline(&doc);
    let titles: Vec<&str> = items.iter().map(|i| i.title.as_str()).collect();
    assert_eq!(titles, articles.iter().map(|a| a.title.as_str()).collect::<Vec<_>>());
    assert!(items.iter().all(|i| i.count.is_some_and(|c| c < 0)), "articles are closed");
    assert_eq!(items[0].page, 2, "the contents take page 1");
    assert!(items.windows(2).all(|w| w[0].page < w[1].page));
    assert_eq!(items[0].children.last().map(|c| c.title.as_str()), Some("Annotations"));
    assert!(items[1].children.iter().all(|c| c.title.starts_with("Part ")), "no highlights, no annotations section");

    // The contents page lists each title with the page the article starts on.
    let contents = page_text(&path, 1);
    assert_eq!(contents.split_whitespace().next(), Some("Contents"), "{contents}");
    for item in &items {
        let line = contents.lines().find(|l| l.contains(&item.title)).unwrap_or_else(|| panic!("{contents}"));
        let number: u32 = line.split_whitespace().last().unwrap().parse().unwrap();
        assert_eq!(number, item.page, "{line}");
        let first = norm(&page_text(&path, item.page));
        assert!(first.starts_with(&item.title), "page {} starts with {}: {first}", item.page, item.title);
    }
    assert!(contents.contains("Staff writer · Example News · 2023-07-12"), "{contents}");
    // …and each entry links to that page.
    assert_eq!(goto_links(&doc, 1), items.iter().map(|i| i.page).collect::<Vec<_>>());

    // The "Annotations" section of the first article gives the pages its highlights are on,
    // counted with the contents page.
    let annotated: std::collections::BTreeSet<u32> =
        highlight_annots(&out.pdf).iter().filter(|a| a.page < items[1].page).map(|a| a.page).collect();
    let section: String = (items[0].page..items[1].page).map(|p| page_text(&path, p)).collect();
    let section = &section[section.rfind("Annotations").unwrap()..];
    let listed: std::collections::BTreeSet<u32> =
        section.split("p. ").skip(1).map(|t| t.split_whitespace().next().unwrap().parse().unwrap()).collect();
    assert_eq!(listed, annotated);

    // The document info covers all articles: tags without repeats.
    assert_eq!(info_text(&doc, b"Keywords").as_deref(), Some("NATO, Ukraine, Vilnius"));
}

#[test]
fn outline_has_the_article_its_headings_and_the_annotations() {
    let article = reference_article();
    let (_, blocks) = reference_parts();
    let (path, out) = run_export("outline", vec![article.clone()], HashMap::new());
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();
    let items = outline(&doc);
    assert_eq!(items.len(), 1);
    assert_eq!((items[0].title.as_str(), items[0].page), (article.title.as_str(), 1));
    let mut expected: Vec<&str> = blocks.iter().filter(|b| b.0).map(|b| b.1.as_str()).collect();
    expected.push("Annotations");
    let got: Vec<&str> = items[0].children.iter().map(|c| c.title.as_str()).collect();
    assert_eq!(got, expected);
    let total = items[0].children.len() as i64;
    assert_eq!(items[0].count, Some(total), "one article: open");
    for child in &items[0].children {
        let text = norm(&page_text(&path, child.page));
        assert!(text.contains(&child.title), "{} is on page {}", child.title, child.page);
    }
    assert!(items[0].children.windows(2).all(|w| w[0].page <= w[1].page));

    // Deeper headings nest under the one before them.
    let mut b = DocumentBuilder::new();
    for (kind, text) in [(3, "One"), (0, "Text."), (4, "One point one"), (0, "More text."), (3, "Two")] {
        let kind = if kind == 0 { BlockKind::Paragraph } else { BlockKind::Heading { level: kind } };
        b.push_block(kind, text);
    }
    let a = Article { title: "Nested".into(), document: b.finish(), ..Article::default() };
    let (_, out) = run_export("nested-outline", vec![a], HashMap::new());
    let items = outline(&lopdf::Document::load_mem(&out.pdf).unwrap());
    let tree: Vec<(&str, Vec<&str>)> = items[0]
        .children
        .iter()
        .map(|c| (c.title.as_str(), c.children.iter().map(|g| g.title.as_str()).collect()))
        .collect();
    assert_eq!(tree, vec![("One", vec!["One point one"]), ("Two", vec![])]);
}

#[test]
fn letter_paper_is_612_by_792_points() {
    let input = ExportInput {
        articles: vec![long_article(30)],
        options: Options { paper: Paper::Letter, ..Options::default() },
        images: HashMap::new(),
        fonts: fonts::bundled(),
    };
    let (path, out) = run_export_input("letter", &input);
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();
    assert!(out.pages > 1);
    for (n, id) in doc.get_pages() {
        let b = doc.get_dictionary(id).unwrap().get(b"MediaBox").unwrap().as_array().unwrap();
        let b: Vec<f32> = b.iter().map(|v| v.as_float().unwrap()).collect();
        assert_eq!(b, [0.0, 0.0, 612.0, 792.0], "page {n}");
    }
    let o = Command::new("pdfinfo").arg(&path).output().unwrap();
    let info = String::from_utf8_lossy(&o.stdout).into_owned();
    assert!(info.contains("612 x 792 pts (letter)"), "{info}");
    assert!(norm(&page_text(&path, 1)).contains("Part 1"));
}

/// A PNG of `w`×`h` RGBA pixels, half transparent on the right.
fn rgba_png(w: u32, h: u32) -> Vec<u8> {
    let mut bytes = Vec::new();
    let mut enc = png::Encoder::new(&mut bytes, w, h);
    enc.set_color(png::ColorType::Rgba);
    enc.set_depth(png::BitDepth::Eight);
    let mut wr = enc.write_header().unwrap();
    let px: Vec<u8> =
        (0..h).flat_map(|_| (0..w).flat_map(move |x| [200, 40, 40, if x < w / 2 { 255 } else { 64 }])).collect();
    wr.write_image_data(&px).unwrap();
    wr.finish().unwrap();
    bytes
}

#[test]
fn jpeg_passes_through_as_dct_and_png_alpha_becomes_an_smask() {
    let jpeg = std::fs::read(crate_data("figure.jpg")).unwrap();
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Image { src: "quire-image:jpg".into(), alt: "a page".into() }, "A JPEG figure");
    b.push_block(BlockKind::Image { src: "quire-image:png".into(), alt: "a square".into() }, "A PNG with alpha");
    let a = Article { title: "Two figures".into(), document: b.finish(), ..Article::default() };
    let images = HashMap::from([
        ("jpg".to_owned(), ("image/jpeg".to_owned(), jpeg.clone())),
        ("png".to_owned(), ("image/png".to_owned(), rgba_png(40, 20))),
    ]);
    let (path, out) = run_export("jpeg-png", vec![a], images);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();
    let xobjects: Vec<&lopdf::Stream> = doc
        .objects
        .values()
        .filter_map(|o| o.as_stream().ok())
        .filter(|s| s.dict.get(b"Subtype").and_then(|t| t.as_name()).is_ok_and(|t| t == b"Image"))
        .collect();
    let int = |s: &lopdf::Stream, k: &[u8]| s.dict.get(k).unwrap().as_i64().unwrap();
    let name = |s: &lopdf::Stream, k: &[u8]| s.dict.get(k).unwrap().as_name().unwrap().to_vec();

    let dct: Vec<&&lopdf::Stream> = xobjects.iter().filter(|s| name(s, b"Filter") == b"DCTDecode").collect();
    assert_eq!(dct.len(), 1);
    assert_eq!(dct[0].content, jpeg, "the JPEG bytes as they are");
    assert_eq!((int(dct[0], b"Width"), int(dct[0], b"Height")), (199, 281));
    assert_eq!(name(dct[0], b"ColorSpace"), b"DeviceRGB");

    let png = xobjects.iter().find(|s| s.dict.get(b"SMask").is_ok()).expect("the PNG has an SMask");
    assert_eq!(name(png, b"Filter"), b"FlateDecode");
    let mask = doc.get_object(png.dict.get(b"SMask").unwrap().as_reference().unwrap()).unwrap().as_stream().unwrap();
    assert_eq!((int(mask, b"Width"), int(mask, b"Height")), (40, 20));
    assert_eq!(name(mask, b"ColorSpace"), b"DeviceGray");
    let alpha = mask.decompressed_content().unwrap();
    assert_eq!((alpha[0], alpha[39]), (255, 64), "opaque on the left, see-through on the right");

    // poppler decodes both.
    let o = Command::new("pdfimages").arg("-list").arg(&path).output().unwrap();
    let list = String::from_utf8_lossy(&o.stdout).into_owned();
    let kinds: Vec<(String, String)> = list
        .lines()
        .skip(2)
        .map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            (f[2].to_owned(), f[8].to_owned())
        })
        .collect();
    let has = |t: &str, e: &str| kinds.iter().any(|(a, b)| a == t && b == e);
    assert!(has("image", "jpeg") && has("image", "image") && has("smask", "image"), "{list}");
}

#[test]
fn xmp_metadata_says_what_the_document_info_says() {
    let article = reference_article();
    let input = ExportInput {
        articles: vec![article.clone()],
        options: Options { created_at: Some("2024-05-06T07:08:09+02:00".into()), ..Options::default() },
        images: HashMap::new(),
        fonts: fonts::bundled(),
    };
    let (path, out) = run_export_input("xmp", &input);
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();
    let meta = doc.catalog().unwrap().get_deref(b"Metadata", &doc).unwrap().as_stream().unwrap();
    assert_eq!(meta.dict.get(b"Type").unwrap().as_name().unwrap(), b"Metadata");
    assert_eq!(meta.dict.get(b"Subtype").unwrap().as_name().unwrap(), b"XML");
    let xmp = String::from_utf8(meta.content.clone()).unwrap();

    assert_eq!(xmp_list(&xmp, "dc:title"), [article.title.as_str()]);
    assert_eq!(xmp_list(&xmp, "dc:creator"), ["Staff writer"]);
    assert_eq!(xmp_list(&xmp, "dc:description"), ["Example News"]);
    assert_eq!(xmp_list(&xmp, "dc:subject"), ["NATO", "Ukraine"]);
    assert_eq!(xml_element(&xmp, "pdf:Keywords"), Some("NATO, Ukraine"));
    assert_eq!(xml_element(&xmp, "xmp:CreateDate"), Some("2024-05-06T07:08:09+02:00"));
    assert_eq!(xml_element(&xmp, "xmp:ModifyDate"), Some("2024-05-06T07:08:09+02:00"));
    let producer = xml_element(&xmp, "pdf:Producer").unwrap();
    assert!(producer.starts_with("quire-pdf "), "{producer}");

    assert_eq!(info_text(&doc, b"Title"), Some(article.title.clone()));
    assert_eq!(info_text(&doc, b"Author").as_deref(), Some("Staff writer"));
    assert_eq!(info_text(&doc, b"Subject").as_deref(), Some("Example News"));
    assert_eq!(info_text(&doc, b"Keywords").as_deref(), Some("NATO, Ukraine"));
    assert_eq!(info_text(&doc, b"Producer").as_deref(), Some(producer));
    assert_eq!(info_text(&doc, b"CreationDate").as_deref(), Some("D:20240506070809+02'00"));
    assert_eq!(info_text(&doc, b"ModDate").as_deref(), Some("D:20240506070809+02'00"));

    // poppler reads the XMP packet.
    let o = Command::new("pdfinfo").arg("-meta").arg(&path).output().unwrap();
    assert!(String::from_utf8_lossy(&o.stdout).contains("<pdf:Keywords>NATO, Ukraine</pdf:Keywords>"));

    // Without a time, no dates at all: the same input gives the same bytes.
    let (_, undated) = run_export("xmp-undated", vec![article.clone()], HashMap::new());
    let doc = lopdf::Document::load_mem(&undated.pdf).unwrap();
    assert_eq!(info_text(&doc, b"CreationDate"), None);
    let meta = doc.catalog().unwrap().get_deref(b"Metadata", &doc).unwrap().as_stream().unwrap();
    assert!(!String::from_utf8_lossy(&meta.content).contains("CreateDate"));
    let (_, again) = run_export("xmp-undated-again", vec![article], HashMap::new());
    assert_eq!(undated.pdf, again.pdf);
}

/// An article whose title and text hold `text`.
fn article_with(text: &str) -> Article {
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Paragraph, &format!("Before {text} after."));
    Article { title: format!("Title {text}"), document: b.finish(), ..Article::default() }
}

fn embedded_fonts(pdf: &[u8]) -> Vec<String> {
    let doc = lopdf::Document::load_mem(pdf).unwrap();
    let mut names: Vec<String> = doc
        .objects
        .values()
        .filter_map(|o| o.as_dict().ok())
        .filter(|d| d.get(b"Subtype").and_then(|s| s.as_name()).is_ok_and(|s| s == b"Type0"))
        .map(|d| String::from_utf8_lossy(d.get(b"BaseFont").unwrap().as_name().unwrap()).into_owned())
        .map(|n| n.split_once('+').map_or(n.clone(), |(_, name)| name.to_owned()))
        .collect();
    names.sort();
    names
}

#[test]
fn fallback_faces_supply_the_glyphs_the_fonts_lack() {
    // The bundled serif and sans lack arrows and geometric shapes; the bundled mono has them,
    // which makes it a fallback face every machine has.
    let bundled = fonts::bundled();
    let mono = FallbackFace { data: bundled.mono, index: 0 };
    assert_eq!(bundled.lacking("Ab ■→ 中\u{200D}".chars()).unwrap(), ['→', '■', '中']);
    assert_eq!(mono.covers(&['→', '■', '中']), ['→', '■']);
    assert!(FallbackFace { data: b"not a font", index: 0 }.covers(&['→']).is_empty());

    // Without a fallback: replacement boxes and a warning that names the characters.
    let (path, out) = run_export("no-fallback", vec![article_with("x → y ■ z")], HashMap::new());
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(out.warnings[0].contains('→') && out.warnings[0].contains('■'), "{:?}", out.warnings);
    assert!(!norm(&pdftotext_body(&path)).contains("x → y ■ z"));

    // With one: the characters come back out of the PDF, set in the fallback face.
    let fonts = fonts::Fonts { fallbacks: vec![mono], ..fonts::bundled() };
    let input = ExportInput {
        articles: vec![article_with("x → y ■ z")],
        options: Options::default(),
        images: HashMap::new(),
        fonts: fonts.clone(),
    };
    let (path, out) = run_export_input("fallback", &input);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let body = norm(&pdftotext_body(&path));
    assert!(body.contains("Title x → y ■ z"), "{body}");
    assert!(body.contains("Before x → y ■ z after."), "{body}");
    assert_eq!(
        embedded_fonts(&out.pdf),
        ["NotoSans-Bold", "NotoSans-Regular", "NotoSansMono-Regular", "NotoSerif-Regular"],
        "the fallback face is embedded; unused fonts are not"
    );

    // A character no face has: still a box and a warning, for that character only.
    let input = ExportInput { articles: vec![article_with("x → 中 z")], ..input };
    let (_, out) = run_export_input("fallback-missing", &input);
    assert_eq!(out.warnings.len(), 1, "{:?}", out.warnings);
    assert!(out.warnings[0].contains('中') && !out.warnings[0].contains('→'), "{:?}", out.warnings);

    // Unused fallback faces are not embedded.
    let input = ExportInput { articles: vec![article_with("plain")], ..input };
    let (_, out) = run_export_input("fallback-unused", &input);
    assert!(!embedded_fonts(&out.pdf).contains(&"NotoSansMono-Regular".to_owned()));
}

#[test]
fn cjk_from_a_cff_collection_face_is_embedded_and_extracts() {
    let ttc = std::fs::read(crate_data("NotoSansCJK-subset.ttc")).unwrap();
    let sc = FallbackFace { data: &ttc, index: 1 };
    assert_eq!(sc.covers(&['中', '文', '→']), ['中', '文']);
    let long = "北大西洋公约组织".repeat(12);
    let mut b = DocumentBuilder::new();
    b.push_block(BlockKind::Paragraph, "NATO is 北约 in Chinese (中文).");
    b.push_block(BlockKind::Paragraph, &long);
    let a = Article {
        title: "北约 and 中文".into(),
        tags: vec!["中文".into()],
        document: b.finish(),
        ..Article::default()
    };
    let input = ExportInput {
        articles: vec![a],
        options: Options::default(),
        images: HashMap::new(),
        fonts: fonts::Fonts { fallbacks: vec![sc], ..fonts::bundled() },
    };
    let (path, out) = run_export_input("cjk", &input);
    assert!(out.warnings.is_empty(), "{:?}", out.warnings);
    let body = pdftotext_body(&path);
    assert!(norm(&body).contains("NATO is 北约 in Chinese (中文)."), "{body}");
    assert!(nospace(&body).contains(&long), "the long line wraps between ideographs: {body}");
    assert!(body.lines().filter(|l| l.contains("北大西洋")).count() > 1, "{body}");

    // The face of index 1 (SC), embedded as an OpenType CFF font.
    assert!(embedded_fonts(&out.pdf).contains(&"NotoSansCJKsc-Regular".to_owned()), "{:?}", embedded_fonts(&out.pdf));
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();
    let dicts: Vec<&lopdf::Dictionary> = doc.objects.values().filter_map(|o| o.as_dict().ok()).collect();
    let cid = dicts
        .iter()
        .find(|d| {
            d.get(b"BaseFont").and_then(|n| n.as_name()).is_ok_and(|n| n.ends_with(b"+NotoSansCJKsc-Regular"))
                && d.get(b"Subtype").unwrap().as_name().unwrap() != b"Type0"
        })
        .expect("the CID font");
    assert_eq!(cid.get(b"Subtype").unwrap().as_name().unwrap(), b"CIDFontType0");
    let descriptor = doc.get_dictionary(cid.get(b"FontDescriptor").unwrap().as_reference().unwrap()).unwrap();
    let file = doc.get_object(descriptor.get(b"FontFile3").unwrap().as_reference().unwrap()).unwrap();
    assert_eq!(file.as_stream().unwrap().dict.get(b"Subtype").unwrap().as_name().unwrap(), b"OpenType");
    let fonts = Command::new("pdffonts").arg(&path).output().unwrap();
    let fonts = String::from_utf8_lossy(&fonts.stdout).into_owned();
    assert!(fonts.lines().any(|l| l.contains("NotoSansCJKsc-Regular") && l.contains("CID Type 0C (OT)")), "{fonts}");
}

#[test]
fn a_long_contents_spans_pages_and_its_numbers_stay_right() {
    let articles: Vec<Article> = (1..=70)
        .map(|i| {
            let mut b = DocumentBuilder::new();
            b.push_block(BlockKind::Paragraph, &"A short article. ".repeat(i % 7 * 40 + 1));
            let title = format!(
                "Article number {i}{}",
                if i % 9 == 0 {
                    ", with a title long enough to wrap onto a second line of the contents page"
                } else {
                    ""
                }
            );
            Article { title, document: b.finish(), ..Article::default() }
        })
        .collect();
    let (path, out) = run_export("long-contents", articles, HashMap::new());
    let doc = lopdf::Document::load_mem(&out.pdf).unwrap();
    let items = outline(&doc);
    assert_eq!(items.len(), 70);
    let contents_pages = items[0].page - 1;
    assert!(contents_pages >= 2, "{contents_pages} contents pages");
    let mut listed = Vec::new();
    let mut links = Vec::new();
    for page in 1..=contents_pages {
        let text = page_text(&path, page);
        let entries = text.lines().filter(|l| !l.contains(" / ")); // not the folio "n / N"
        listed.extend(entries.filter_map(|l| l.split_whitespace().last()?.parse::<u32>().ok()));
        links.extend(goto_links(&doc, page));
    }
    let firsts: Vec<u32> = items.iter().map(|i| i.page).collect();
    assert_eq!(listed, firsts, "the contents list every article's first page");
    assert_eq!(links, firsts);
    for item in items.iter().step_by(10) {
        assert!(norm(&page_text(&path, item.page)).starts_with(&item.title), "{}", item.title);
    }
}

/// An article whose addresses got past every check before the exporter (an old library, a
/// hand-made one): the exporter asks again, so no `/URI`, Info or XMP entry carries a script.
#[test]
fn no_link_but_http_or_mailto_is_ever_written() {
    let mut b = DocumentBuilder::new();
    b.start_block(BlockKind::Paragraph);
    for (text, link) in [
        ("Read ", None),
        ("this", Some("javascript:alert(1)")),
        (", ", None),
        ("that", Some(" JavaScript:alert(2)")),
        (", ", None),
        ("vb", Some("vbscript:msgbox(3)")),
        (", ", None),
        ("data", Some("data:text/html,<script>alert(4)</script>")),
        (", ", None),
        ("the source", Some("https://example.org/safe")),
        (" and ", None),
        ("write", Some("mailto:editor@example.org")),
        (".", None),
    ] {
        let marks = Marks { link: link.map(str::to_owned), ..Marks::default() };
        b.push_text(text, marks);
    }
    let article = Article {
        title: "Hostile links".into(),
        byline: None,
        site_name: None,
        url: Some("javascript:alert(document.cookie)".into()),
        published_at: None,
        clipped_at: None,
        tags: vec![],
        document: b.finish(),
        highlights: vec![],
        citation: None,
    };
    let (path, _) = run_export("hostile-links", vec![article], HashMap::new());
    let mut doc = lopdf::Document::load(&path).unwrap();
    doc.decompress();
    fn collect_uris(object: &lopdf::Object, uris: &mut Vec<String>) {
        if let Ok(dict) = object.as_dict() {
            for (key, value) in dict.iter() {
                match value.as_str() {
                    Ok(uri) if key == b"URI" => uris.push(String::from_utf8_lossy(uri).into_owned()),
                    _ => collect_uris(value, uris),
                }
            }
        }
    }
    let mut uris = Vec::new();
    for object in doc.objects.values() {
        collect_uris(object, &mut uris);
    }
    uris.sort();
    assert_eq!(uris, ["https://example.org/safe", "mailto:editor@example.org"]);
    let mut bytes = Vec::new();
    doc.save_to(&mut bytes).unwrap();
    let text = String::from_utf8_lossy(&bytes).to_ascii_lowercase();
    for scheme in ["javascript", "vbscript", "data:text"] {
        assert!(!text.contains(scheme), "the PDF carries {scheme}");
    }
}
