//! End-to-end tests of the PDF exporter with real tools: qpdf (`qpdf`), pdftotext and pdftoppm
//! (`poppler-utils`), and lopdf for the annotation objects.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::process::Command;

use quire_anchor::{QuoteRequest, Text};
use quire_doc::{BlockKind, Document, DocumentBuilder};
use quire_pdf::{export, fonts, Article, Color, ExportInput, ExportOutput, Highlight, Options};

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
                color: Color::from_name(&w.color).unwrap(),
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
    }
}

fn run_export(
    name: &str,
    articles: Vec<Article>,
    images: HashMap<String, (String, Vec<u8>)>,
) -> (PathBuf, ExportOutput) {
    let out = export(&ExportInput { articles, options: Options::default(), images, fonts: fonts::bundled() }).unwrap();
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

    // Screenshots for the docs.
    let shots = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../docs/screenshots");
    if shots.is_dir() {
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
