//! A document's **layout**: its blocks, their kinds and the marks of their spans, with the
//! length of each span instead of its text. A layout and the canonical text together rebuild
//! the document exactly, so a store keeps the text once instead of twice.
//!
//! The encoding is compact bytes (version 1):
//!
//! ```text
//! layout  = version:u8(1) block_count:varint block*
//! block   = kind span_count:varint span*
//! kind    = 0 paragraph | 1 level:u8 heading | 2 quote | 3 ordered:u8 depth:u8 list item
//!         | 4 preformatted | 5 src:str alt:str image
//! span    = length:varint (in chars) marks:u8 [link:str]   marks bits: 1 emphasis, 2 strong,
//!                                                           4 code, 8 has a link
//! str     = byte_length:varint utf-8 bytes
//! varint  = unsigned LEB128, at most 10 bytes
//! ```
//!
//! Offsets are not stored: they follow from the lengths by the canonical-text rules (blocks with
//! text are joined by [`BLOCK_SEPARATOR`]), and [`Document::from_layout`] checks that the text
//! has exactly the separators and the length the layout says. Decoding never panics on bad
//! bytes; it names what is wrong.

use crate::{Block, BlockKind, Document, Marks, Span, BLOCK_SEPARATOR};

const VERSION: u8 = 1;

/// The longest layout taken for real: a layout is a few bytes a block beside kilobytes of text,
/// so this is the layout of a text of hundreds of megabytes.
const MAX_LAYOUT: usize = 16 << 20;

const EMPHASIS: u8 = 1;
const STRONG: u8 = 2;
const CODE: u8 = 4;
const LINK: u8 = 8;

/// Why a layout and a text do not make a document.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum LayoutError {
    #[error("the layout has format version {0}, which this version of Quire does not know")]
    Version(u8),
    #[error("the layout ends in the middle of {0}")]
    Truncated(&'static str),
    #[error("the layout holds {0}, which is not a valid value there")]
    Invalid(&'static str),
    #[error("the text does not match the layout: {0}")]
    TextMismatch(&'static str),
}

impl Document {
    /// This document's layout, encoded (see the [module](self) for the format). Together with
    /// [`canonical_text`](Document::canonical_text) it rebuilds the document.
    pub fn layout(&self) -> Vec<u8> {
        let mut out = vec![VERSION];
        put_varint(&mut out, self.blocks.len() as u64);
        for block in &self.blocks {
            match &block.kind {
                BlockKind::Paragraph => out.push(0),
                BlockKind::Heading { level } => out.extend([1, *level]),
                BlockKind::Quote => out.push(2),
                BlockKind::ListItem { ordered, depth } => out.extend([3, u8::from(*ordered), *depth]),
                BlockKind::Preformatted => out.push(4),
                BlockKind::Image { src, alt } => {
                    out.push(5);
                    put_str(&mut out, src);
                    put_str(&mut out, alt);
                }
            }
            put_varint(&mut out, block.spans.len() as u64);
            for span in &block.spans {
                put_varint(&mut out, span.text.chars().count() as u64);
                let m = &span.marks;
                let bits = (if m.emphasis { EMPHASIS } else { 0 })
                    | (if m.strong { STRONG } else { 0 })
                    | (if m.code { CODE } else { 0 })
                    | (if m.link.is_some() { LINK } else { 0 });
                out.push(bits);
                if let Some(link) = &m.link {
                    put_str(&mut out, link);
                }
            }
        }
        out
    }

    /// Rebuilds a document from its encoded [`layout`](Document::layout) and its canonical
    /// text, computing every offset the way [`DocumentBuilder`](crate::DocumentBuilder) does.
    pub fn from_layout(layout: &[u8], text: &str) -> Result<Document, LayoutError> {
        let mut r = Reader { bytes: layout, at: 0 };
        match r.byte("the version")? {
            VERSION => {}
            v => return Err(LayoutError::Version(v)),
        }
        if layout.len() > MAX_LAYOUT {
            return Err(LayoutError::Invalid("a layout this long"));
        }
        // Each block takes at least two bytes, each span two: counts beyond what the bytes
        // left can hold are damage, refused before anything is set aside for them.
        let count = r.count("the block count")?;
        if count > r.left() / 2 {
            return Err(LayoutError::Invalid("the block count"));
        }
        let mut rest = text;
        let mut offset = 0usize;
        let mut any_text = false;
        let mut blocks = Vec::with_capacity(count.min(4096));
        for _ in 0..count {
            let kind = match r.byte("a block's kind")? {
                0 => BlockKind::Paragraph,
                1 => BlockKind::Heading { level: r.byte("a heading's level")? },
                2 => BlockKind::Quote,
                3 => {
                    let ordered = match r.byte("a list item")? {
                        0 => false,
                        1 => true,
                        _ => return Err(LayoutError::Invalid("a list item's ordering")),
                    };
                    BlockKind::ListItem { ordered, depth: r.byte("a list item's depth")? }
                }
                4 => BlockKind::Preformatted,
                5 => BlockKind::Image { src: r.string("an image's address")?, alt: r.string("an image's text")? },
                _ => return Err(LayoutError::Invalid("a block's kind")),
            };
            let span_count = r.count("a block's span count")?;
            if span_count > r.left() / 2 {
                return Err(LayoutError::Invalid("a block's span count"));
            }
            let mut lengths = Vec::with_capacity(span_count.min(4096));
            for _ in 0..span_count {
                let len = r.count("a span's length")?;
                let bits = r.byte("a span's marks")?;
                if bits & !(EMPHASIS | STRONG | CODE | LINK) != 0 {
                    return Err(LayoutError::Invalid("a span's marks"));
                }
                let link = if bits & LINK != 0 { Some(r.string("a link")?) } else { None };
                let marks =
                    Marks { emphasis: bits & EMPHASIS != 0, strong: bits & STRONG != 0, code: bits & CODE != 0, link };
                lengths.push((len, marks));
            }
            let len: usize = lengths
                .iter()
                .try_fold(0usize, |sum, (n, _)| sum.checked_add(*n))
                .ok_or(LayoutError::Invalid("a block's length"))?;
            if len > 0 && any_text {
                rest = rest
                    .strip_prefix(BLOCK_SEPARATOR)
                    .ok_or(LayoutError::TextMismatch("a block separator is missing"))?;
                offset += BLOCK_SEPARATOR.chars().count();
            }
            let start = offset;
            let mut spans = Vec::with_capacity(lengths.len());
            for (n, marks) in lengths {
                let (piece, after) = split_chars(rest, n).ok_or(LayoutError::TextMismatch("the text is too short"))?;
                spans.push(Span { text: piece.to_owned(), marks, start: offset });
                offset += n;
                rest = after;
            }
            if len > 0 {
                any_text = true;
            }
            blocks.push(Block { kind, spans, start, end: offset });
        }
        if r.at != layout.len() {
            return Err(LayoutError::Invalid("bytes after the last block"));
        }
        if !rest.is_empty() {
            return Err(LayoutError::TextMismatch("the text is longer than the layout"));
        }
        Ok(Document { blocks })
    }
}

/// The first `n` chars of `s` and the rest, or `None` when `s` is shorter.
fn split_chars(s: &str, n: usize) -> Option<(&str, &str)> {
    if n == 0 {
        return Some(("", s));
    }
    let (i, c) = s.char_indices().nth(n - 1)?;
    Some(s.split_at(i + c.len_utf8()))
}

fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let low = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(low);
            return;
        }
        out.push(low | 0x80);
    }
}

fn put_str(out: &mut Vec<u8>, s: &str) {
    put_varint(out, s.len() as u64);
    out.extend_from_slice(s.as_bytes());
}

struct Reader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Reader<'_> {
    fn left(&self) -> usize {
        self.bytes.len().saturating_sub(self.at)
    }

    fn byte(&mut self, what: &'static str) -> Result<u8, LayoutError> {
        let b = *self.bytes.get(self.at).ok_or(LayoutError::Truncated(what))?;
        self.at += 1;
        Ok(b)
    }

    fn varint(&mut self, what: &'static str) -> Result<u64, LayoutError> {
        let mut v = 0u64;
        for shift in (0..64).step_by(7) {
            let b = self.byte(what)?;
            v |= u64::from(b & 0x7f).checked_shl(shift).ok_or(LayoutError::Invalid(what))?;
            if b & 0x80 == 0 {
                return Ok(v);
            }
        }
        Err(LayoutError::Invalid(what))
    }

    /// A count or length: it must fit in memory's address space.
    fn count(&mut self, what: &'static str) -> Result<usize, LayoutError> {
        usize::try_from(self.varint(what)?).map_err(|_| LayoutError::Invalid(what))
    }

    fn string(&mut self, what: &'static str) -> Result<String, LayoutError> {
        let len = self.count(what)?;
        let end = self.at.checked_add(len).ok_or(LayoutError::Invalid(what))?;
        let bytes = self.bytes.get(self.at..end).ok_or(LayoutError::Truncated(what))?;
        self.at = end;
        String::from_utf8(bytes.to_vec()).map_err(|_| LayoutError::Invalid(what))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DocumentBuilder;

    fn sample() -> Document {
        let mut b = DocumentBuilder::new();
        b.push_block(BlockKind::Heading { level: 2 }, "Зеленський 🇺🇦 at Vilnius");
        b.push_block(BlockKind::Image { src: "https://example.org/a.png".into(), alt: "a map".into() }, "");
        b.start_block(BlockKind::Paragraph);
        b.push_text("NATO ", Marks::default());
        b.push_text("allies", Marks { strong: true, emphasis: true, ..Marks::default() });
        b.push_text(" said ", Marks::default());
        b.push_text("here", Marks { link: Some("https://example.org/x?a=1&b=2".into()), ..Marks::default() });
        b.push_block(BlockKind::ListItem { ordered: true, depth: 2 }, "first");
        b.push_block(BlockKind::Quote, "“after the war”");
        b.push_block(BlockKind::Preformatted, "fn main() {\n    run();\n}");
        b.start_block(BlockKind::Image { src: "b.png".into(), alt: String::new() });
        b.push_text("A caption", Marks { code: true, ..Marks::default() });
        b.finish()
    }

    #[test]
    fn a_layout_and_the_text_rebuild_the_document() {
        let d = sample();
        let rebuilt = Document::from_layout(&d.layout(), &d.canonical_text()).unwrap();
        assert_eq!(rebuilt, d);
        let empty = Document::default();
        assert_eq!(Document::from_layout(&empty.layout(), "").unwrap(), empty);
    }

    #[test]
    fn the_layout_is_small_beside_the_text() {
        let d = sample();
        // Beside the image addresses, their texts and the link, a few bytes per block.
        let strings =
            "https://example.org/a.png".len() + "a map".len() + "https://example.org/x?a=1&b=2".len() + "b.png".len();
        let overhead = d.layout().len() - strings;
        let spans: usize = d.blocks.iter().map(|b| b.spans.len()).sum();
        assert!(overhead <= 2 + 3 * d.blocks.len() + 3 * spans, "{overhead} bytes for {} blocks", d.blocks.len());
    }

    #[test]
    fn a_text_that_does_not_fit_is_refused() {
        let d = sample();
        let layout = d.layout();
        let text = d.canonical_text();
        assert_eq!(
            Document::from_layout(&layout, &text[..text.len() - 1]),
            Err(LayoutError::TextMismatch("the text is too short"))
        );
        assert_eq!(
            Document::from_layout(&layout, &format!("{text}!")),
            Err(LayoutError::TextMismatch("the text is longer than the layout"))
        );
        assert_eq!(
            Document::from_layout(&layout, &text.replacen("\n\n", "\n ", 1)),
            Err(LayoutError::TextMismatch("a block separator is missing"))
        );
    }

    #[test]
    fn damaged_bytes_are_refused_not_panicked_on() {
        let d = sample();
        let layout = d.layout();
        let text = d.canonical_text();
        // Every truncation and every single-byte change either fails or gives some document:
        // never a panic, never an allocation the input does not justify.
        for cut in 0..layout.len() {
            assert!(Document::from_layout(&layout[..cut], &text).is_err(), "cut at {cut}");
        }
        for at in 0..layout.len() {
            for b in [0u8, 1, 7, 0x7f, 0x80, 0xff] {
                let mut bad = layout.clone();
                bad[at] = b;
                let _ = Document::from_layout(&bad, &text);
            }
        }
        assert_eq!(Document::from_layout(&[2], ""), Err(LayoutError::Version(2)));
        // A count far beyond the input is refused when the bytes run out.
        let huge = [1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x7f];
        assert!(Document::from_layout(&huge, "").is_err());
        let overlong = [1, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01];
        assert_eq!(Document::from_layout(&overlong, ""), Err(LayoutError::Invalid("the block count")));
    }
}
