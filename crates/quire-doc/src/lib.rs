//! The article document model.
//!
//! An article is a list of [`Block`]s made of inline [`Span`]s — never raw HTML. Its
//! **canonical text** is derived by one versioned function ([`CANONICAL_TEXT_VERSION`]):
//!
//! * inside a block, every run of whitespace (including newlines and non-breaking spaces
//!   between words) becomes one ASCII space, and the block is trimmed;
//!   preformatted blocks are the exception: their text is kept verbatim except that
//!   trailing whitespace and leading/trailing blank lines are dropped;
//! * blocks whose text is empty contribute nothing (an image without caption);
//! * blocks are joined by a blank line (`"\n\n"`).
//!
//! Offsets everywhere in Quire are counted in **Unicode scalar values** (Rust `char`s) of
//! the canonical text, not bytes and not UTF-16 code units. Every span carries its `start`
//! offset so that a renderer can map a selection back to the canonical text without guessing.
//!
//! This crate is pure: it never does I/O.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

pub mod address;
mod layout;
pub use layout::LayoutError;

/// Version of the canonical-text function. Bump it when [`DocumentBuilder::finish`] changes the
/// text it produces for the same blocks; highlights record the version they were made on.
pub const CANONICAL_TEXT_VERSION: u32 = 1;

/// The fixed highlight palette, named as Quire stores and sends it ("yellow", …). How a color
/// looks is up to each renderer (the UI's CSS, the PDF exporter).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, TS)]
#[serde(rename_all = "lowercase")]
pub enum Color {
    #[default]
    Yellow,
    Green,
    Blue,
    Pink,
    Purple,
    Red,
}

impl Color {
    pub const ALL: &'static [Color] =
        &[Color::Yellow, Color::Green, Color::Blue, Color::Pink, Color::Purple, Color::Red];

    pub fn as_str(self) -> &'static str {
        match self {
            Color::Yellow => "yellow",
            Color::Green => "green",
            Color::Blue => "blue",
            Color::Pink => "pink",
            Color::Purple => "purple",
            Color::Red => "red",
        }
    }
}

impl std::fmt::Display for Color {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A color name outside the palette.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnknownColor(pub String);

impl std::fmt::Display for UnknownColor {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "invalid color {:?}: expected one of yellow green blue pink purple red", self.0)
    }
}

impl std::error::Error for UnknownColor {}

impl std::str::FromStr for Color {
    type Err = UnknownColor;

    /// A palette name, in any case, surrounding blanks ignored.
    fn from_str(s: &str) -> Result<Color, UnknownColor> {
        let name = s.trim();
        Color::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| UnknownColor(s.to_owned()))
    }
}

/// Separator between two blocks in the canonical text.
pub const BLOCK_SEPARATOR: &str = "\n\n";

/// A whole article body.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Document {
    pub blocks: Vec<Block>,
}

/// One block of the article, with its range `[start, end)` in the canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Block {
    pub kind: BlockKind,
    pub spans: Vec<Span>,
    pub start: usize,
    pub end: usize,
}

/// What a block is. Image captions are the block's spans.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "type", rename_all = "snake_case")]
pub enum BlockKind {
    Heading { level: u8 },
    Paragraph,
    Quote,
    ListItem { ordered: bool, depth: u8 },
    Preformatted,
    Image { src: String, alt: String },
}

/// A run of text with the same marks, starting at `start` in the canonical text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
pub struct Span {
    pub text: String,
    #[serde(default, skip_serializing_if = "Marks::is_plain")]
    #[ts(as = "Option<Marks>", optional)]
    pub marks: Marks,
    pub start: usize,
}

/// Inline formatting of a span.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, TS)]
pub struct Marks {
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub emphasis: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub strong: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    #[ts(as = "Option<bool>", optional)]
    pub code: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub link: Option<String>,
}

impl Marks {
    pub fn is_plain(&self) -> bool {
        *self == Marks::default()
    }
}

impl Document {
    /// The canonical text: block texts joined by [`BLOCK_SEPARATOR`], empty blocks skipped.
    pub fn canonical_text(&self) -> String {
        let mut out = String::new();
        let mut first = true;
        for block in &self.blocks {
            if block.start == block.end {
                continue;
            }
            if !first {
                out.push_str(BLOCK_SEPARATOR);
            }
            first = false;
            for span in &block.spans {
                out.push_str(&span.text);
            }
        }
        out
    }

    /// Number of words (runs of non-whitespace) in the canonical text.
    pub fn word_count(&self) -> usize {
        self.blocks
            .iter()
            .flat_map(|b| &b.spans)
            .map(|s| s.text.split_whitespace().count())
            .sum::<usize>()
            // A word split across two spans ("<b>Ukr</b>aine") must count once.
            - self.split_words()
    }

    fn split_words(&self) -> usize {
        let mut n = 0;
        for block in &self.blocks {
            for pair in block.spans.windows(2) {
                let a_ends_word = pair[0].text.chars().last().is_some_and(|c| !c.is_whitespace());
                let b_starts_word = pair[1].text.chars().next().is_some_and(|c| !c.is_whitespace());
                if a_ends_word && b_starts_word {
                    n += 1;
                }
            }
        }
        n
    }

    /// A document of plain paragraphs whose canonical text is exactly `text` (split at block
    /// separators; text is kept verbatim). For text whose structure is lost.
    pub fn paragraphs_of(text: &str) -> Document {
        let mut texts: Vec<String> = Vec::new();
        let mut current = String::new();
        for (i, chunk) in text.split(BLOCK_SEPARATOR).enumerate() {
            if i == 0 {
                current.push_str(chunk);
            } else if chunk.is_empty() || current.is_empty() {
                current.push_str(BLOCK_SEPARATOR);
                current.push_str(chunk);
            } else {
                texts.push(std::mem::replace(&mut current, chunk.to_owned()));
            }
        }
        if !current.is_empty() {
            texts.push(current);
        }
        let mut blocks = Vec::with_capacity(texts.len());
        let mut offset = 0;
        for (i, text) in texts.into_iter().enumerate() {
            if i > 0 {
                offset += BLOCK_SEPARATOR.chars().count();
            }
            let start = offset;
            offset += text.chars().count();
            blocks.push(Block {
                kind: BlockKind::Paragraph,
                spans: vec![Span { text, marks: Marks::default(), start }],
                start,
                end: offset,
            });
        }
        Document { blocks }
    }

    /// The text of the first heading, if the document has one.
    pub fn first_heading(&self) -> Option<String> {
        self.blocks.iter().find(|b| matches!(b.kind, BlockKind::Heading { .. })).map(Block::text)
    }
}

impl Block {
    /// The block's text as it appears in the canonical text.
    pub fn text(&self) -> String {
        self.spans.iter().map(|s| s.text.as_str()).collect()
    }
}

/// Builds a [`Document`] from raw, unnormalized text runs (as they come out of HTML or a text
/// file): it applies the canonical-text rules and computes every offset.
#[derive(Debug, Default)]
pub struct DocumentBuilder {
    blocks: Vec<(BlockKind, Vec<(String, Marks)>)>,
}

impl DocumentBuilder {
    pub fn new() -> Self {
        Self::default()
    }

    /// Starts a new block; following [`push_text`](Self::push_text) calls add to it.
    pub fn start_block(&mut self, kind: BlockKind) {
        self.blocks.push((kind, Vec::new()));
    }

    /// Adds a block made of one plain run of text.
    pub fn push_block(&mut self, kind: BlockKind, text: &str) {
        self.start_block(kind);
        self.push_text(text, Marks::default());
    }

    /// Appends raw text to the current block (starting a paragraph if there is none).
    pub fn push_text(&mut self, text: &str, marks: Marks) {
        if self.blocks.is_empty() {
            self.start_block(BlockKind::Paragraph);
        }
        let runs = &mut self.blocks.last_mut().expect("a block was just ensured").1;
        match runs.last_mut() {
            Some((prev, m)) if *m == marks => prev.push_str(text),
            _ => runs.push((text.to_owned(), marks)),
        }
    }

    /// True when the current block holds no text yet.
    pub fn current_block_is_empty(&self) -> bool {
        self.blocks.last().is_none_or(|(_, runs)| runs.iter().all(|(t, _)| t.trim().is_empty()))
    }

    /// Normalizes whitespace, drops empty spans and blocks (keeping images) and computes offsets.
    pub fn finish(self) -> Document {
        let mut blocks = Vec::with_capacity(self.blocks.len());
        let mut offset = 0usize;
        let mut any_text = false;
        for (kind, runs) in self.blocks {
            let spans = match kind {
                BlockKind::Preformatted => normalize_preformatted(runs),
                _ => normalize_runs(runs),
            };
            let len: usize = spans.iter().map(|(t, _)| t.chars().count()).sum();
            if len == 0 && !matches!(kind, BlockKind::Image { .. }) {
                continue;
            }
            if len > 0 && any_text {
                offset += BLOCK_SEPARATOR.chars().count();
            }
            let start = offset;
            let mut out = Vec::with_capacity(spans.len());
            for (text, marks) in spans {
                let n = text.chars().count();
                out.push(Span { text, marks, start: offset });
                offset += n;
            }
            if len > 0 {
                any_text = true;
            }
            blocks.push(Block { kind, spans: out, start, end: offset });
        }
        Document { blocks }
    }
}

/// Collapses whitespace across the runs of one block, trims the block, merges equal marks.
/// A collapsed space keeps the marks of the run where the whitespace was.
fn normalize_runs(runs: Vec<(String, Marks)>) -> Vec<(String, Marks)> {
    fn push(out: &mut Vec<(String, Marks)>, text: &str, marks: &Marks) {
        match out.last_mut() {
            Some((prev, m)) if m == marks => prev.push_str(text),
            _ => out.push((text.to_owned(), marks.clone())),
        }
    }
    let mut out: Vec<(String, Marks)> = Vec::new();
    // Marks of the run holding whitespace not yet emitted (never at the block's start).
    let mut pending_space: Option<Marks> = None;
    for (text, marks) in runs {
        let mut piece = String::with_capacity(text.len());
        for c in text.chars() {
            if c.is_whitespace() {
                if pending_space.is_none() && (!out.is_empty() || !piece.is_empty()) {
                    pending_space = Some(marks.clone());
                }
            } else {
                match pending_space.take() {
                    Some(m) if m == marks => piece.push(' '),
                    Some(m) => push(&mut out, " ", &m),
                    None => {}
                }
                piece.push(c);
            }
        }
        if !piece.is_empty() {
            push(&mut out, &piece, &marks);
        }
    }
    out
}

fn normalize_preformatted(runs: Vec<(String, Marks)>) -> Vec<(String, Marks)> {
    let text: String = runs.into_iter().map(|(t, _)| t).collect();
    let lines: Vec<&str> = text.lines().map(str::trim_end).collect();
    let first = lines.iter().position(|l| !l.is_empty());
    let last = lines.iter().rposition(|l| !l.is_empty());
    match (first, last) {
        (Some(a), Some(b)) => {
            vec![(lines[a..=b].join("\n"), Marks { code: true, ..Marks::default() })]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use expect_test::expect;

    fn doc(build: impl FnOnce(&mut DocumentBuilder)) -> Document {
        let mut b = DocumentBuilder::new();
        build(&mut b);
        b.finish()
    }

    #[test]
    fn whitespace_collapses_across_spans_and_offsets_follow() {
        let d = doc(|b| {
            b.start_block(BlockKind::Heading { level: 1 });
            b.push_text("  Ukraine \n is ", Marks::default());
            b.push_text(" closer", Marks { strong: true, ..Marks::default() });
            b.push_text("\u{a0}than ever ", Marks::default());
            b.push_block(BlockKind::Paragraph, "   ");
            b.push_block(BlockKind::Image { src: "a.png".into(), alt: "map".into() }, "");
            b.push_block(BlockKind::Paragraph, "Second\tblock");
        });
        assert_eq!(d.canonical_text(), "Ukraine is closer than ever\n\nSecond block");
        expect![[r#"
            [
              {
                "kind": {
                  "type": "heading",
                  "level": 1
                },
                "spans": [
                  {
                    "text": "Ukraine is ",
                    "start": 0
                  },
                  {
                    "text": "closer",
                    "marks": {
                      "strong": true
                    },
                    "start": 11
                  },
                  {
                    "text": " than ever",
                    "start": 17
                  }
                ],
                "start": 0,
                "end": 27
              },
              {
                "kind": {
                  "type": "image",
                  "src": "a.png",
                  "alt": "map"
                },
                "spans": [],
                "start": 27,
                "end": 27
              },
              {
                "kind": {
                  "type": "paragraph"
                },
                "spans": [
                  {
                    "text": "Second block",
                    "start": 29
                  }
                ],
                "start": 29,
                "end": 41
              }
            ]"#]]
        .assert_eq(&serde_json::to_string_pretty(&d.blocks).unwrap());
        assert_eq!(d.word_count(), 7);
    }

    #[test]
    fn span_offsets_index_the_canonical_text_in_scalar_values() {
        let d = doc(|b| {
            b.push_block(BlockKind::Paragraph, "Зеленський 🇺🇦 said");
            b.start_block(BlockKind::Quote);
            b.push_text("“after ", Marks::default());
            b.push_text("the war”", Marks { emphasis: true, ..Marks::default() });
        });
        let text: Vec<char> = d.canonical_text().chars().collect();
        for block in &d.blocks {
            for span in &block.spans {
                let n = span.text.chars().count();
                let slice: String = text[span.start..span.start + n].iter().collect();
                assert_eq!(slice, span.text);
            }
            let slice: String = text[block.start..block.end].iter().collect();
            assert_eq!(slice, block.text());
        }
    }

    #[test]
    fn plain_paragraphs_keep_any_text_exactly() {
        for text in ["", "one", "a\n\nb", "a\n\n\n\nb", "\n\n", "\n\nx", "x\n\n", "a\n\n\n\n\n\nb\nc\n\n🇺🇦"] {
            let d = Document::paragraphs_of(text);
            assert_eq!(d.canonical_text(), text, "{text:?}");
            assert_eq!(Document::from_layout(&d.layout(), text).as_ref(), Ok(&d), "{text:?}");
        }
    }

    #[test]
    fn preformatted_keeps_inner_whitespace() {
        let d = doc(|b| b.push_block(BlockKind::Preformatted, "\n\nfn main() {\n    run();   \n}\n\n"));
        assert_eq!(d.canonical_text(), "fn main() {\n    run();\n}");
    }

    #[test]
    fn word_split_across_spans_counts_once() {
        let d = doc(|b| {
            b.start_block(BlockKind::Paragraph);
            b.push_text("Ukr", Marks { strong: true, ..Marks::default() });
            b.push_text("aine joins", Marks::default());
        });
        assert_eq!(d.word_count(), 2);
    }
}
