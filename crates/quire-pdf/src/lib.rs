//! PDF export of Quire articles with their highlights and notes.
//!
//! [`export`] lays out one or more articles (their [`quire_doc::Document`], metadata and
//! highlights) on pages and writes a PDF: embedded, subset fonts with ToUnicode maps (so the
//! text can be extracted), highlight tints drawn behind the text and real `/Highlight`
//! annotations over it, link annotations, an outline, document info and XMP metadata. Several
//! articles get a contents page first.
//!
//! This crate is pure: it never does I/O. Fonts and images are handed in as bytes
//! ([`fonts::bundled`] gives the fonts committed in `fonts/`; the caller may add fallback faces
//! for characters those lack, see [`Fonts::lacking`]).

mod date;
pub mod fonts;
mod image;
mod layout;
mod shape;
mod write;

use std::collections::HashMap;

pub use fonts::{FallbackFace, Fonts};

/// What to export.
#[derive(Debug, Clone)]
pub struct ExportInput<'a> {
    pub articles: Vec<Article>,
    pub options: Options,
    /// Images by content hash, for `quire-image:<hash>` sources: `(mime type, bytes)`.
    pub images: HashMap<String, (String, Vec<u8>)>,
    pub fonts: Fonts<'a>,
}

/// One article with its metadata and highlights.
#[derive(Debug, Clone, Default)]
pub struct Article {
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    pub url: Option<String>,
    /// RFC 3339 or any date text; shown as given.
    pub published_at: Option<String>,
    pub clipped_at: Option<String>,
    pub tags: Vec<String>,
    pub document: quire_doc::Document,
    pub highlights: Vec<Highlight>,
    /// The article's formatted citation, printed at the head of its Annotations section.
    pub citation: Option<String>,
}

/// A highlight on the canonical text of its article.
#[derive(Debug, Clone, Default)]
pub struct Highlight {
    pub id: i64,
    /// `[start, end)` in Unicode scalar values of the canonical text.
    pub start: usize,
    pub end: usize,
    pub color: Color,
    pub note: String,
    pub tags: Vec<String>,
    /// RFC 3339.
    pub created_at: String,
    pub updated_at: String,
    pub author: Option<String>,
}

pub use quire_doc::Color;

/// How the palette looks in a PDF.
pub trait ColorExt {
    /// The annotation color (`/C`), RGB in 0..=1.
    fn rgb(self) -> [f32; 3];
    /// The light tint drawn behind highlighted text (and by the annotation's appearance).
    fn tint(self) -> [f32; 3];
}

impl ColorExt for Color {
    fn rgb(self) -> [f32; 3] {
        match self {
            Color::Yellow => [1.0, 0.85, 0.1],
            Color::Green => [0.3, 0.8, 0.3],
            Color::Blue => [0.3, 0.6, 1.0],
            Color::Pink => [1.0, 0.45, 0.7],
            Color::Purple => [0.65, 0.45, 0.95],
            Color::Red => [1.0, 0.35, 0.3],
        }
    }

    fn tint(self) -> [f32; 3] {
        let [r, g, b] = self.rgb();
        let mix = |c: f32| c * 0.36 + 0.64;
        [mix(r), mix(g), mix(b)]
    }
}

/// Paper size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Paper {
    #[default]
    A4,
    Letter,
}

impl Paper {
    /// Width and height in points.
    pub fn size(self) -> (f32, f32) {
        match self {
            Paper::A4 => (595.28, 841.89),
            Paper::Letter => (612.0, 792.0),
        }
    }
}

/// Page margins in points.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Margins {
    pub top: f32,
    pub right: f32,
    pub bottom: f32,
    pub left: f32,
}

impl Default for Margins {
    fn default() -> Self {
        Margins { top: 72.0, right: 76.0, bottom: 72.0, left: 76.0 }
    }
}

/// Layout options.
#[derive(Debug, Clone, PartialEq)]
pub struct Options {
    pub paper: Paper,
    /// Body text size in points.
    pub font_size: f32,
    pub margins: Margins,
    /// Justified body text (else ragged right).
    pub justify: bool,
    /// Append an "Annotations" section listing every highlight with its note.
    pub annotations_section: bool,
    /// `/T` of annotations whose highlight has no author.
    pub default_author: String,
    /// When the PDF was made (RFC 3339), for the creation and modification dates of the
    /// document info and XMP metadata; none are written without it, so the same input gives
    /// the same bytes.
    pub created_at: Option<String>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            paper: Paper::A4,
            font_size: 11.0,
            margins: Margins::default(),
            justify: true,
            annotations_section: true,
            default_author: "Quire".into(),
            created_at: None,
        }
    }
}

/// The PDF and what went wrong along the way without stopping the export.
#[derive(Debug, Clone)]
pub struct ExportOutput {
    pub pdf: Vec<u8>,
    pub warnings: Vec<String>,
    /// Number of pages written.
    pub pages: usize,
}

/// Errors: only unusable input (fonts that do not parse, absurd options).
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("font {0} could not be parsed, or has no outlines a PDF can embed")]
    Font(String),
    #[error("font {0} could not be subset: {1}")]
    Subset(String, String),
    /// A body text size outside [`FONT_SIZES`] (points).
    #[error("the font size must be between 4 and 72 points (got {0})")]
    FontSize(f32),
    /// Margins that leave less than the minimum text area; the largest margins that fit, in
    /// points (each side, across and down).
    #[error(
        "the margins leave no room for text: on this paper a margin can be at most {:.0} mm at the sides and {:.0} mm at the top and bottom",
        .max_across * 25.4 / 72.0,
        .max_down * 25.4 / 72.0
    )]
    Margins { max_across: f32, max_down: f32 },
    #[error("nothing to export: no articles")]
    NoArticles,
}

pub type Result<T, E = Error> = std::result::Result<T, E>;

/// The body text sizes a PDF can be set in, in points.
pub const FONT_SIZES: std::ops::RangeInclusive<f32> = 4.0..=72.0;

/// Whether the options can lay out a page: a font size in [`FONT_SIZES`], margins that are
/// not negative and leave at least 100 points across and 150 down for text. Callers may check
/// before gathering what to export; [`export`] checks again.
pub fn check_options(o: &Options) -> Result<()> {
    if !FONT_SIZES.contains(&o.font_size) {
        return Err(Error::FontSize(o.font_size));
    }
    let (w, h) = o.paper.size();
    let m = o.margins;
    if m.left + m.right > w - 100.0
        || m.top + m.bottom > h - 150.0
        || [m.top, m.right, m.bottom, m.left].iter().any(|v| v.is_nan() || *v < 0.0)
    {
        return Err(Error::Margins { max_across: (w - 100.0) / 2.0, max_down: (h - 150.0) / 2.0 });
    }
    Ok(())
}

/// Lays out the articles and writes the PDF.
pub fn export(input: &ExportInput<'_>) -> Result<ExportOutput> {
    if input.articles.is_empty() {
        return Err(Error::NoArticles);
    }
    check_options(&input.options)?;
    let mut fonts = shape::FontSet::new(&input.fonts)?;
    let laid = layout::layout(input, &mut fonts);
    let pdf = write::write(input, &laid, &fonts)?;
    Ok(ExportOutput { pdf, pages: laid.pages.len(), warnings: laid.warnings })
}
