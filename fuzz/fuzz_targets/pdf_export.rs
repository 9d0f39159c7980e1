//! The PDF exporter on arbitrary document models and highlights (ranges anywhere, overlapping,
//! out of the text; any characters; any link): a PDF or an error, never a panic, and no link
//! in the PDF with a scheme other than http(s) or mailto.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use quire_doc::{BlockKind, DocumentBuilder, Marks};

#[derive(Debug, Arbitrary)]
enum Kind {
    Paragraph,
    Heading(u8),
    Quote,
    List(bool, u8),
    Pre,
    Image(String, String),
}

#[derive(Debug, Arbitrary)]
struct Run {
    text: String,
    emphasis: bool,
    strong: bool,
    code: bool,
    link: Option<String>,
}

#[derive(Debug, Arbitrary)]
struct Input {
    title: String,
    url: Option<String>,
    blocks: Vec<(Kind, Vec<Run>)>,
    highlights: Vec<(u16, u16, String, Vec<String>)>,
    font_size: u8,
    annotations_section: bool,
}

fuzz_target!(|input: Input| {
    let mut b = DocumentBuilder::new();
    for (kind, runs) in input.blocks.into_iter().take(64) {
        b.start_block(match kind {
            Kind::Paragraph => BlockKind::Paragraph,
            Kind::Heading(level) => BlockKind::Heading { level },
            Kind::Quote => BlockKind::Quote,
            Kind::List(ordered, depth) => BlockKind::ListItem { ordered, depth },
            Kind::Pre => BlockKind::Preformatted,
            Kind::Image(src, alt) => BlockKind::Image { src, alt },
        });
        for run in runs.into_iter().take(16) {
            let marks = Marks { emphasis: run.emphasis, strong: run.strong, code: run.code, link: run.link };
            b.push_text(&run.text, marks);
        }
    }
    let document = b.finish();
    let highlights = input
        .highlights
        .into_iter()
        .take(32)
        .enumerate()
        .map(|(i, (start, len, note, tags))| quire_pdf::Highlight {
            id: i as i64,
            start: start as usize,
            end: start as usize + len as usize,
            note,
            tags,
            ..Default::default()
        })
        .collect();
    let article = quire_pdf::Article { title: input.title, url: input.url, document, highlights, ..Default::default() };
    let options = quire_pdf::Options {
        font_size: f32::from(input.font_size.clamp(4, 72)),
        annotations_section: input.annotations_section,
        ..Default::default()
    };
    let export = quire_pdf::ExportInput {
        articles: vec![article],
        options,
        images: Default::default(),
        fonts: quire_pdf::fonts::bundled(),
    };
    if let Ok(out) = quire_pdf::export(&export) {
        let pdf = &out.pdf;
        let mut at = 0;
        while let Some(i) = pdf[at..].windows(5).position(|w| w == b"/URI ") {
            let start = at + i + 5;
            let mut value: Vec<u8> = pdf[start..].iter().take(24).map(|b| b.to_ascii_lowercase()).collect();
            if value.first() == Some(&b'<') {
                // A hex string: decode its start.
                let hex: Vec<u8> = value[1..].iter().copied().take_while(|b| *b != b'>').collect();
                value = std::iter::once(b'(')
                    .chain(hex.chunks(2).filter_map(|p| u8::from_str_radix(std::str::from_utf8(p).ok()?, 16).ok()))
                    .map(|b| b.to_ascii_lowercase())
                    .collect();
            }
            let ok = [&b"(http://"[..], b"(https://", b"(mailto:"].iter().any(|p| value.starts_with(p));
            assert!(ok, "a link with another scheme: {:?}", String::from_utf8_lossy(&value));
            at = start;
        }
    }
});
