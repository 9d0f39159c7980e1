//! Page layout: articles → pages of positioned glyph runs, rectangles, images, link areas and
//! highlight quads (PDF coordinates, origin bottom left), in stages:
//!
//! - `measure`: styled pieces of text → shaped glyphs, grouped into words (the stretches
//!   between the places where a line may break);
//! - `lines`: words → lines of at most a width, justified, in visual order;
//! - `flow`: lines → pages, top to bottom, with widow and orphan control;
//! - `emit`: one line onto its page: glyph runs, boxes for missing glyphs, highlight tints and
//!   quads, link areas;
//! - `article`: an article's header, blocks, figures and "Annotations" section, with its
//!   highlights (which are drawn, their note numbers, their first pages) in `highlights`;
//! - `contents`: the contents for several articles; `running_heads`: heads and folios.

mod article;
mod contents;
mod emit;
mod flow;
mod highlights;
mod lines;
mod measure;
mod running_heads;

use crate::image::Prepared;
use crate::shape::FontSet;
use crate::{Article, ExportInput};

use article::Images;
use flow::{Flow, Frame};

const TEXT: [f32; 3] = [0.1, 0.1, 0.1];
const GRAY: [f32; 3] = [0.42, 0.42, 0.42];
const LINK: [f32; 3] = [0.1, 0.3, 0.65];
const RULE: [f32; 3] = [0.78, 0.78, 0.78];

/// Something drawn on a page.
pub enum Item {
    Run { font: usize, size: f32, x: f32, y: f32, color: [f32; 3], glyphs: Vec<RunGlyph> },
    Rect { x: f32, y: f32, w: f32, h: f32, color: [f32; 3], stroke: bool },
    Image { index: usize, x: f32, y: f32, w: f32, h: f32 },
}

/// One glyph of a run, in the font's subset.
pub struct RunGlyph {
    pub gid: u16,
    /// The advance it is set with, in points.
    pub adv: f32,
    /// The advance a viewer takes from the font's `/W`; the difference is corrected with TJ.
    pub nominal: f32,
}

/// A highlight's tint behind one line's stretch of its text.
pub struct Tint {
    pub x: f32,
    pub y: f32,
    pub w: f32,
    pub h: f32,
    pub color: [f32; 3],
}

/// An area that is a link.
pub struct LinkArea {
    /// x1, y1, x2, y2.
    pub rect: [f32; 4],
    pub target: Target,
}

/// One line's stretch of a highlight, for its `/Highlight` annotation.
pub struct HighlightQuad {
    /// Index of the article in the input.
    pub article: usize,
    /// Index of the highlight in its article.
    pub highlight: usize,
    /// x1 y1 x2 y2 x3 y3 x4 y4: top left, top right, bottom left, bottom right.
    pub points: [f32; 8],
}

/// Where a link goes.
pub enum Target {
    Uri(String),
    /// A place in this PDF: page index and the y of the top of the view.
    Page {
        page: usize,
        y: f32,
    },
}

/// A laid-out page.
#[derive(Default)]
pub struct Page {
    /// `None` for the contents pages.
    pub article: Option<usize>,
    pub items: Vec<Item>,
    /// Highlight tints, drawn with multiply blending below everything.
    pub tints: Vec<Tint>,
    pub links: Vec<LinkArea>,
    pub quads: Vec<HighlightQuad>,
}

/// A bookmark.
pub struct OutlineEntry {
    /// 0 = article; 1 = its top-level headings and its "Annotations"; 2.. = deeper headings.
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

/// The layout of an export: what `write` turns into a PDF.
pub struct Laid {
    pub pages: Vec<Page>,
    pub warnings: Vec<String>,
    pub outline: Vec<OutlineEntry>,
    pub images: Vec<Prepared>,
}

/// Lays out the articles, after a contents page when there are several, and adds running
/// heads and folios.
pub fn layout(input: &ExportInput<'_>, fonts: &mut FontSet<'_>) -> Laid {
    let o = &input.options;
    let (pw, ph) = o.paper.size();
    let m = o.margins;
    let frame =
        Frame { page_w: pw, page_h: ph, left: m.left, width: pw - m.left - m.right, top: ph - m.top, bottom: m.bottom };
    let size = o.font_size;
    // Several articles: a contents page first. Its length is known before the articles are
    // laid out (the page numbers do not change how titles wrap), so that every page number
    // printed later, in the contents and in the "Annotations" sections, is final.
    let contents_pages =
        if input.articles.len() > 1 { contents::length(fonts, frame, size, &input.articles) } else { 0 };
    let mut l = Layout {
        input,
        fonts,
        flow: Flow::new(frame),
        size,
        warnings: Vec::new(),
        outline: Vec::new(),
        images: Images::default(),
    };
    // Blank pages in place of the contents until the articles' first pages are known.
    for _ in 0..contents_pages {
        l.flow.new_page();
    }
    let mut first_pages = Vec::with_capacity(input.articles.len());
    for (i, a) in input.articles.iter().enumerate() {
        l.flow.article = Some(i);
        first_pages.push(l.flow.pages.len());
        l.article(i, a);
    }
    let Layout { fonts, flow, mut warnings, outline, images, .. } = l;
    let mut pages = flow.pages;
    if contents_pages > 0 {
        let contents = contents::pages(fonts, frame, size, &input.articles, &first_pages);
        debug_assert_eq!(contents.len(), contents_pages, "the contents took as many pages as counted");
        let articles = std::mem::replace(&mut pages, contents);
        pages.extend(articles.into_iter().skip(contents_pages));
    }
    running_heads::add(&mut pages, fonts, input, frame, size);
    if !fonts.missing.is_empty() {
        let chars: String = fonts.missing.iter().take(20).collect();
        warnings.push(format!("no glyph for some characters, drawn as boxes: {chars}"));
    }
    Laid { pages, warnings, outline, images: images.prepared }
}

/// The state of laying out the articles: the pages so far and what their text adds besides.
struct Layout<'i, 'f, 'a> {
    input: &'i ExportInput<'i>,
    fonts: &'f mut FontSet<'a>,
    flow: Flow,
    /// The body text size, which every other size is derived from.
    size: f32,
    warnings: Vec<String>,
    outline: Vec<OutlineEntry>,
    images: Images,
}

/// An article's title as shown: trimmed, "Untitled" when empty.
fn display_title(a: &Article) -> String {
    let t = a.title.trim();
    if t.is_empty() {
        "Untitled".to_owned()
    } else {
        t.to_owned()
    }
}
