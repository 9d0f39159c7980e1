//! An article's body as stored: its document's layout and its canonical text, together in one
//! compressed blob (the `body` column of `articles` and `article_versions`). The text is kept
//! once: the document is rebuilt from the layout over it ([`quire_doc::Document::from_layout`]).
//!
//! ```text
//! body = format:u8(1) deflate( layout_length:u32 little-endian, layout, canonical text (UTF-8) )
//! ```
//!
//! Deflate (`flate2`, already used for snapshots) gives the same ratio as zstd on texts of a few
//! kilobytes (1.8–1.9× on the benchmark corpus, whose made-up words compress badly; more on
//! plain prose) without a second codec.

use std::io::{Read, Write};

use quire_doc::{Document, LayoutError};

const FORMAT: u8 = 1;

/// Deflate level 3: on the benchmark's articles the same ratio as the default level 6 (1.89×)
/// in four fifths of the time (about 50 µs an article); level 1 falls to 1.33×.
const LEVEL: u32 = 3;

/// Bodies larger than this once inflated are taken for damage, not inflated whole (no way in
/// makes a text this long: files and pages stop at 25 MB, web archives at 100 MB with their
/// images), so a small hostile blob cannot make a process take gigabytes.
const MAX_INFLATED: u64 = 64 << 20;

/// What is set aside before inflating, at most (the buffer grows from there as needed).
const MAX_RESERVED: usize = 1 << 20;

/// Why a stored body cannot be read.
#[derive(Debug, thiserror::Error)]
pub enum BodyError {
    #[error("it is empty")]
    Empty,
    #[error("it has format {0}, which this version of Quire does not know")]
    Format(u8),
    #[error("it cannot be inflated: {0}")]
    Inflate(#[source] std::io::Error),
    #[error("it is larger than 64 MiB once inflated")]
    TooLarge,
    #[error("it is cut short")]
    Truncated,
    #[error("its text is not UTF-8")]
    NotUtf8,
    #[error("its layout: {0}")]
    Layout(#[from] LayoutError),
    #[error("its layout does not give back the same text")]
    TextMismatch,
}

/// The stored form of a document whose canonical text is `text`. Fails when `text` is not
/// the document's canonical text. A document whose layout does not give it back over its text
/// (offsets that disagree with its spans, as a hand-edited archive can hold) is stored as the
/// document its layout does give back, or else as plain paragraphs: what is stored can always
/// be read back, and the text is always kept.
pub(crate) fn encode(document: &Document, text: &str) -> Result<Vec<u8>, BodyError> {
    if document.canonical_text() != text {
        return Err(BodyError::TextMismatch);
    }
    let mut layout = document.layout();
    if Document::from_layout(&layout, text).is_err() {
        layout = Document::paragraphs_of(text).layout();
    }
    let len = u32::try_from(layout.len()).map_err(|_| BodyError::TooLarge)?;
    let mut out = vec![FORMAT];
    let mut encoder = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::new(LEVEL));
    encoder
        .write_all(&len.to_le_bytes())
        .and_then(|()| encoder.write_all(&layout))
        .and_then(|()| encoder.write_all(text.as_bytes()))
        .and_then(|()| encoder.finish().map(drop))
        .map_err(BodyError::Inflate)?;
    Ok(out)
}

/// The layout bytes and the canonical text of a stored body.
fn open(blob: &[u8]) -> Result<(Vec<u8>, String), BodyError> {
    let (&format, deflated) = blob.split_first().ok_or(BodyError::Empty)?;
    if format != FORMAT {
        return Err(BodyError::Format(format));
    }
    let mut raw = Vec::with_capacity(deflated.len().saturating_mul(3).min(MAX_RESERVED));
    flate2::read::DeflateDecoder::new(deflated)
        .take(MAX_INFLATED + 1)
        .read_to_end(&mut raw)
        .map_err(BodyError::Inflate)?;
    if raw.len() as u64 > MAX_INFLATED {
        return Err(BodyError::TooLarge);
    }
    let (len, rest) = raw.split_first_chunk::<4>().ok_or(BodyError::Truncated)?;
    let len = u32::from_le_bytes(*len) as usize;
    if len > rest.len() {
        return Err(BodyError::Truncated);
    }
    let layout = rest[..len].to_vec();
    raw.drain(..4 + len);
    let text = String::from_utf8(raw).map_err(|_| BodyError::NotUtf8)?;
    Ok((layout, text))
}

/// The canonical text of a stored body.
pub(crate) fn text(blob: &[u8]) -> Result<String, BodyError> {
    open(blob).map(|(_, text)| text)
}

/// The document of a stored body.
pub(crate) fn document(blob: &[u8]) -> Result<Document, BodyError> {
    let (layout, text) = open(blob)?;
    Ok(Document::from_layout(&layout, &text)?)
}

/// The stored form of a document kept as JSON with its canonical text beside it (libraries
/// before schema 11). When the JSON does not parse or does not give that text back, the text is
/// kept as plain paragraphs: the text, which highlights point into, is what must survive.
pub(crate) fn from_legacy(document_json: &str, text: &str) -> Result<Vec<u8>, BodyError> {
    match serde_json::from_str::<Document>(document_json) {
        Ok(document) if document.canonical_text() == text => encode(&document, text),
        _ => encode(&Document::paragraphs_of(text), text),
    }
}

#[cfg(test)]
mod tests {
    use quire_doc::{BlockKind, DocumentBuilder, Marks};

    use super::*;

    fn sample() -> Document {
        let mut b = DocumentBuilder::new();
        b.push_block(BlockKind::Heading { level: 1 }, "Ukraine will join NATO, allies say");
        b.start_block(BlockKind::Paragraph);
        b.push_text("Зеленський said ", Marks::default());
        b.push_text("after the war", Marks { emphasis: true, ..Marks::default() });
        b.push_block(BlockKind::Image { src: "https://example.org/m.png".into(), alt: "map".into() }, "");
        b.finish()
    }

    #[test]
    fn a_body_gives_back_its_document_and_text() {
        let d = sample();
        let text = d.canonical_text();
        let body = encode(&d, &text).unwrap();
        assert_eq!(document(&body).unwrap(), d);
        assert_eq!(self::text(&body).unwrap(), text);
    }

    #[test]
    fn a_long_text_is_stored_smaller_than_itself() {
        let mut b = DocumentBuilder::new();
        for i in 0..200 {
            b.push_block(
                BlockKind::Paragraph,
                &format!("Paragraph {i}: the allies met in Vilnius to talk about Ukraine."),
            );
        }
        let d = b.finish();
        let text = d.canonical_text();
        let body = encode(&d, &text).unwrap();
        assert!(body.len() * 3 < text.len(), "{} bytes for {} of text", body.len(), text.len());
    }

    #[test]
    fn a_document_whose_offsets_disagree_with_its_spans_is_stored_readable() {
        let mut d = sample();
        // A block that says it is empty while its spans hold text (a hand-edited archive).
        d.blocks[1].end = d.blocks[1].start;
        let text = d.canonical_text();
        let body = encode(&d, &text).unwrap();
        assert_eq!(self::text(&body).unwrap(), text);
        assert_eq!(document(&body).unwrap().canonical_text(), text);
    }

    #[test]
    fn a_small_blob_that_inflates_beyond_the_limit_is_refused() {
        let mut out = vec![FORMAT];
        let mut encoder = flate2::write::DeflateEncoder::new(&mut out, flate2::Compression::best());
        let zeros = vec![0u8; 1 << 20];
        for _ in 0..65 {
            encoder.write_all(&zeros).unwrap();
        }
        encoder.finish().unwrap();
        assert!(out.len() < 200_000, "{} bytes", out.len());
        assert!(matches!(document(&out), Err(BodyError::TooLarge)));
    }

    #[test]
    fn a_text_that_is_not_the_documents_is_refused() {
        assert!(matches!(encode(&sample(), "something else"), Err(BodyError::TextMismatch)));
    }

    #[test]
    fn damaged_bodies_are_errors() {
        let d = sample();
        let body = encode(&d, &d.canonical_text()).unwrap();
        assert!(matches!(document(&[]), Err(BodyError::Empty)));
        assert!(matches!(document(&[9, 1, 2]), Err(BodyError::Format(9))));
        for cut in 1..body.len() {
            assert!(document(&body[..cut]).is_err(), "cut at {cut}");
        }
        for at in 1..body.len() {
            let mut bad = body.clone();
            bad[at] ^= 0x5a;
            let _ = document(&bad);
        }
    }

    #[test]
    fn a_legacy_document_keeps_its_text_even_when_its_json_is_damaged() {
        let d = sample();
        let text = d.canonical_text();
        let json = serde_json::to_string(&d).unwrap();
        assert_eq!(document(&from_legacy(&json, &text).unwrap()).unwrap(), d);
        let kept = document(&from_legacy("{not json", &text).unwrap()).unwrap();
        assert_eq!(kept.canonical_text(), text);
        assert_eq!(kept.blocks.len(), 2);
    }
}
