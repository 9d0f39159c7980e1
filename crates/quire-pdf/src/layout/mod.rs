//! Line breaking and page layout: articles → pages of positioned glyph runs, rectangles,
//! images, link areas and highlight quads (PDF coordinates, origin bottom left).

use std::collections::HashMap;

use quire_doc::{Block, BlockKind, Marks};
use unicode_linebreak::{linebreaks, BreakOpportunity};

use crate::date::display_date;
use crate::image::{prepare, Prepared};
use crate::shape::{visual_order, Bidi, FontSet, Shaped, MONO, SANS, SANS_BOLD, SERIF, SERIF_BOLD, SERIF_ITALIC};
use crate::{Article, ColorExt, ExportInput, Highlight};

const TEXT: [f32; 3] = [0.1, 0.1, 0.1];
const GRAY: [f32; 3] = [0.42, 0.42, 0.42];
const LINK: [f32; 3] = [0.1, 0.3, 0.65];
const RULE: [f32; 3] = [0.78, 0.78, 0.78];

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

pub struct OutlineEntry {
    /// 0 = article; 1 = its top-level headings and its "Annotations"; 2.. = deeper headings.
    pub level: u8,
    pub title: String,
    pub page: usize,
    pub y: f32,
}

pub struct Laid {
    pub pages: Vec<Page>,
    pub warnings: Vec<String>,
    pub outline: Vec<OutlineEntry>,
    pub images: Vec<Prepared>,
}

/// A run of text to set in one style; `offset` is its first char's canonical offset.
#[derive(Clone)]
struct Piece {
    text: String,
    font: usize,
    size: f32,
    color: [f32; 3],
    link: Option<String>,
    offset: Option<usize>,
    rise: f32,
}

impl Piece {
    fn new(text: impl Into<String>, font: usize, size: f32, color: [f32; 3]) -> Self {
        Piece { text: text.into(), font, size, color, link: None, offset: None, rise: 0.0 }
    }
}

#[derive(Clone)]
struct Glyph {
    font: usize,
    size: f32,
    gid: u16,
    adv: f32,
    nominal: f32,
    x: f32,
    off: Option<usize>,
    color: [f32; 3],
    link: Option<usize>,
    rise: f32,
    is_space: bool,
    missing: bool,
    bidi: Bidi,
}

struct Line {
    glyphs: Vec<Glyph>,
}

struct Para {
    lines: Vec<Line>,
    links: Vec<String>,
}

struct Placed {
    page: usize,
    top: f32,
    bottom: f32,
}

struct L<'i, 'f, 'a> {
    input: &'i ExportInput<'i>,
    fonts: &'f mut FontSet<'a>,
    pages: Vec<Page>,
    y: f32,
    top: f32,
    bottom: f32,
    left: f32,
    width: f32,
    page_w: f32,
    page_h: f32,
    size: f32,
    /// The article being laid out; `None` on the contents pages.
    article: Option<usize>,
    warnings: Vec<String>,
    outline: Vec<OutlineEntry>,
    images: Vec<Prepared>,
    image_ids: HashMap<String, usize>,
    /// First page of each highlight of the current article.
    hl_page: Vec<Option<usize>>,
    /// Note number of each highlight of the current article.
    hl_number: Vec<Option<usize>>,
    /// The highest (smallest) heading level of the current article.
    top_heading: u8,
    fresh: bool,
}

pub fn layout(input: &ExportInput<'_>, fonts: &mut FontSet<'_>) -> Laid {
    let o = &input.options;
    let (pw, ph) = o.paper.size();
    let m = o.margins;
    let mut l = L {
        input,
        fonts,
        pages: Vec::new(),
        y: 0.0,
        top: ph - m.top,
        bottom: m.bottom,
        left: m.left,
        width: pw - m.left - m.right,
        page_w: pw,
        page_h: ph,
        size: o.font_size,
        article: None,
        warnings: Vec::new(),
        outline: Vec::new(),
        images: Vec::new(),
        image_ids: HashMap::new(),
        hl_page: Vec::new(),
        hl_number: Vec::new(),
        top_heading: 1,
        fresh: true,
    };
    // Several articles: a contents page first. Its length is known before the articles are
    // laid out (the page numbers do not change how titles wrap), so that every page number
    // printed later, in the contents and in the "Annotations" sections, is final.
    let contents_pages = if input.articles.len() > 1 { l.contents_length() } else { 0 };
    for _ in 0..contents_pages {
        l.new_page();
    }
    let mut first_pages = Vec::with_capacity(input.articles.len());
    for (i, a) in input.articles.iter().enumerate() {
        l.article = Some(i);
        first_pages.push(l.pages.len());
        l.article_body(a);
    }
    if contents_pages > 0 {
        let articles = std::mem::take(&mut l.pages);
        l.contents(&first_pages);
        debug_assert_eq!(l.pages.len(), contents_pages, "the contents took as many pages as counted");
        l.pages.extend(articles.into_iter().skip(contents_pages));
    }
    l.running_heads();
    if !l.fonts.missing.is_empty() {
        let chars: String = l.fonts.missing.iter().take(20).collect();
        l.warnings.push(format!("no glyph for some characters, drawn as boxes: {chars}"));
    }
    Laid { pages: l.pages, warnings: l.warnings, outline: l.outline, images: l.images }
}

fn font_for(marks: &Marks, base: usize) -> usize {
    if marks.code {
        return MONO;
    }
    match base {
        SERIF if marks.strong => SERIF_BOLD,
        SERIF if marks.emphasis => SERIF_ITALIC,
        SANS if marks.strong => SANS_BOLD,
        f => f,
    }
}

impl L<'_, '_, '_> {
    fn new_page(&mut self) {
        self.pages.push(Page { article: self.article, ..Page::default() });
        self.y = self.top;
        self.fresh = true;
    }

    fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page exists")
    }

    fn space(&mut self, h: f32) {
        if !self.fresh {
            self.y -= h;
        }
    }

    fn article_body(&mut self, a: &Article) {
        self.new_page();
        let s = self.size;
        let text: Vec<char> = a.document.canonical_text().chars().collect();
        // Highlights: drop empty or out-of-range ones, number those with notes.
        let n = a.highlights.len();
        self.hl_page = vec![None; n];
        self.hl_number = vec![None; n];
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| (a.highlights[i].start, a.highlights[i].end, a.highlights[i].id));
        let mut k = 0;
        for &i in &order {
            let h = &a.highlights[i];
            if h.start >= h.end || h.end > text.len() {
                self.warnings.push(format!("highlight {} is outside the article's text; skipped", h.id));
                continue;
            }
            if !h.note.trim().is_empty() {
                k += 1;
                self.hl_number[i] = Some(k);
            }
        }

        // Header block.
        let title = display_title(a);
        self.outline.push(OutlineEntry { level: 0, title: title.clone(), page: self.pages.len() - 1, y: self.y });
        let ts = (s * 2.1).round();
        let p = self.para(&[Piece::new(title, SANS_BOLD, ts, TEXT)], self.width, false);
        self.place(&p, self.left, ts * 1.18, ts, &a.highlights);
        self.y -= s * 0.5;
        let ms = s * 0.82;
        let mut meta: Vec<Vec<Piece>> = Vec::new();
        let who: Vec<&str> = [a.byline.as_deref(), a.site_name.as_deref()]
            .into_iter()
            .flatten()
            .filter(|t| !t.trim().is_empty())
            .collect();
        if !who.is_empty() {
            meta.push(vec![Piece::new(who.join("  ·  "), SANS_BOLD, ms, GRAY)]);
        }
        let mut dates = Vec::new();
        if let Some(d) = a.published_at.as_deref().filter(|d| !d.trim().is_empty()) {
            dates.push(format!("Published {}", display_date(d)));
        }
        if let Some(d) = a.clipped_at.as_deref().filter(|d| !d.trim().is_empty()) {
            dates.push(format!("Clipped {}", display_date(d)));
        }
        if !dates.is_empty() {
            meta.push(vec![Piece::new(dates.join("  ·  "), SANS, ms, GRAY)]);
        }
        if let Some(u) = a.url.as_deref().filter(|u| !u.trim().is_empty()) {
            let mut p = Piece::new(u.trim(), SANS, ms, LINK);
            p.link = Some(u.trim().to_owned());
            meta.push(vec![p]);
        }
        if !a.tags.is_empty() {
            meta.push(vec![Piece::new("Tags  ", SANS_BOLD, ms, GRAY), Piece::new(a.tags.join(", "), SANS, ms, GRAY)]);
        }
        for pieces in meta {
            let p = self.para(&pieces, self.width, false);
            self.place(&p, self.left, ms * 1.45, ms, &a.highlights);
        }
        self.y -= s * 0.9;
        let y = self.y;
        let (x, w) = (self.left, self.width);
        self.page().items.push(Item::Rect { x, y, w, h: 0.6, color: RULE, stroke: false });
        self.y -= s * 1.6;
        self.fresh = false;

        // Body.
        let mut numbers: Vec<usize> = Vec::new();
        let blocks = &a.document.blocks;
        self.top_heading = blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Heading { level } => Some(level),
                _ => None,
            })
            .min()
            .unwrap_or(1);
        for (bi, b) in blocks.iter().enumerate() {
            if !matches!(b.kind, BlockKind::ListItem { .. }) {
                numbers.clear();
            }
            let next_is_text = blocks.get(bi + 1).is_some_and(|n| !matches!(n.kind, BlockKind::Heading { .. }));
            self.block(a, b, &mut numbers, next_is_text);
        }

        if self.input.options.annotations_section && self.hl_page.iter().any(Option::is_some) {
            self.annotations(a, &text, &order);
        }
    }

    fn spans_to_pieces(&self, a: &Article, b: &Block, base: usize, size: f32, color: [f32; 3]) -> Vec<Piece> {
        // Note markers go after the last char of a highlight with a note.
        let mut markers: Vec<(usize, usize)> = a
            .highlights
            .iter()
            .enumerate()
            .filter_map(|(i, h)| self.hl_number[i].map(|n| (h.end, n)))
            .filter(|(end, _)| *end > b.start && *end <= b.end)
            .collect();
        markers.sort();
        let mut out = Vec::new();
        for span in &b.spans {
            let font = font_for(&span.marks, base);
            let chars: Vec<char> = span.text.chars().collect();
            let span_end = span.start + chars.len();
            let mut from = 0;
            let mut cuts: Vec<(usize, usize)> = markers
                .iter()
                .filter(|(e, _)| *e > span.start && *e <= span_end)
                .map(|(e, n)| (e - span.start, *n))
                .collect();
            cuts.push((chars.len(), 0));
            for (cut, n) in cuts {
                if cut > from || n == 0 {
                    let text: String = chars[from..cut].iter().collect();
                    if !text.is_empty() {
                        let mut p = Piece::new(text, font, size, if span.marks.link.is_some() { LINK } else { color });
                        p.link = span.marks.link.clone();
                        p.offset = Some(span.start + from);
                        out.push(p);
                    }
                }
                from = cut;
                if n > 0 {
                    let mut m = Piece::new(n.to_string(), SANS_BOLD, size * 0.62, LINK);
                    m.rise = size * 0.38;
                    out.push(m);
                }
            }
        }
        out
    }

    fn block(&mut self, a: &Article, b: &Block, numbers: &mut Vec<usize>, next_is_text: bool) {
        let s = self.size;
        let lead = s * 1.48;
        let after = s * 0.62;
        match &b.kind {
            BlockKind::Heading { level } => {
                let hs = (s * match level {
                    1 => 1.55,
                    2 => 1.3,
                    3 => 1.12,
                    _ => 1.0,
                })
                .round();
                let pieces = self.spans_to_pieces(a, b, SANS_BOLD, hs, TEXT);
                let p = self.para(&pieces, self.width, false);
                self.space(s * 0.9);
                // Keep with the next block: the heading and three lines must fit.
                let need = p.lines.len() as f32 * hs * 1.25 + if next_is_text { 3.0 * lead } else { 0.0 };
                if self.y - need < self.bottom && !self.fresh {
                    self.new_page();
                }
                // The article's highest heading level is the outline's level 1.
                let level = 1 + level.saturating_sub(self.top_heading);
                self.outline.push(OutlineEntry { level, title: b.text(), page: self.pages.len() - 1, y: self.y });
                self.place(&p, self.left, hs * 1.25, hs, &a.highlights);
                self.y -= s * 0.35;
            }
            BlockKind::Paragraph => {
                let pieces = self.spans_to_pieces(a, b, SERIF, s, TEXT);
                let p = self.para(&pieces, self.width, self.input.options.justify);
                self.place(&p, self.left, lead, s, &a.highlights);
                self.y -= after;
            }
            BlockKind::Quote => {
                let indent = s * 1.8;
                let pieces = self.spans_to_pieces(a, b, SERIF_ITALIC, s, [0.25, 0.25, 0.25]);
                let p = self.para(&pieces, self.width - indent, self.input.options.justify);
                self.space(s * 0.2);
                let placed = self.place(&p, self.left + indent, lead, s, &a.highlights);
                for pl in placed {
                    let x = self.left + s * 0.3;
                    self.pages[pl.page].items.push(Item::Rect {
                        x,
                        y: pl.bottom + s * 0.25,
                        w: 2.0,
                        h: pl.top - pl.bottom - s * 0.3,
                        color: RULE,
                        stroke: false,
                    });
                }
                self.y -= after + s * 0.2;
            }
            BlockKind::ListItem { ordered, depth } => {
                let d = *depth as usize;
                numbers.truncate(d + 1);
                while numbers.len() < d + 1 {
                    numbers.push(0);
                }
                numbers[d] += 1;
                let indent = s * 1.6 * (d as f32 + 1.0);
                let marker = if *ordered {
                    format!("{}.", numbers[d])
                } else if d == 0 {
                    "•".into()
                } else {
                    "–".into()
                };
                let pieces = self.spans_to_pieces(a, b, SERIF, s, TEXT);
                let p = self.para(&pieces, self.width - indent, false);
                let mw = self.fonts.width(SERIF, s, &marker);
                let placed = self.place(&p, self.left + indent, lead, s, &a.highlights);
                if let Some(first) = placed.first() {
                    let y = first.top - self.baseline_drop(lead, s);
                    let shaped = self.fonts.shape(SERIF, s, &marker);
                    let x = self.left + indent - mw - s * 0.5;
                    self.pages[first.page].items.extend(runs(&shaped, s, x, y, TEXT));
                }
                self.y -= s * 0.3;
            }
            BlockKind::Preformatted => {
                let ps = s * 0.82;
                let text = b.text();
                let mut lines = Vec::new();
                let mut links = Vec::new();
                let mut off = b.start;
                for src in text.split('\n') {
                    let n = src.chars().count();
                    let mut piece = Piece::new(src.replace('\t', "    "), MONO, ps, [0.2, 0.2, 0.2]);
                    piece.offset = Some(off);
                    let mut p = self.para(&[piece], self.width - s, false);
                    if p.lines.is_empty() {
                        p.lines.push(Line { glyphs: Vec::new() });
                    }
                    lines.extend(p.lines);
                    links.extend(p.links);
                    off += n + 1;
                }
                self.space(s * 0.2);
                let placed = self.place(&Para { lines, links }, self.left + s * 0.5, ps * 1.35, ps, &a.highlights);
                for pl in placed {
                    let (x, w) = (self.left, self.width);
                    self.pages[pl.page].items.insert(
                        0,
                        Item::Rect {
                            x,
                            y: pl.bottom - s * 0.2,
                            w,
                            h: pl.top - pl.bottom + s * 0.4,
                            color: [0.96, 0.96, 0.95],
                            stroke: false,
                        },
                    );
                }
                self.y -= after + s * 0.3;
            }
            BlockKind::Image { src, alt } => self.figure(a, b, src, alt),
        }
        self.fresh = false;
    }

    fn figure(&mut self, a: &Article, b: &Block, src: &str, alt: &str) {
        let s = self.size;
        let hash = src.strip_prefix("quire-image:");
        let index = match hash.and_then(|h| self.input.images.get(h).map(|img| (h, img))) {
            Some((h, (mime, bytes))) => match self.image_ids.get(h) {
                Some(i) => Some(*i),
                None => match prepare(mime, bytes) {
                    Ok(p) => {
                        self.images.push(p);
                        self.image_ids.insert(h.to_owned(), self.images.len() - 1);
                        Some(self.images.len() - 1)
                    }
                    Err(e) => {
                        self.warnings.push(format!("image {src}: {e}; its alt text is shown instead"));
                        None
                    }
                },
            },
            None => {
                self.warnings.push(format!("image {src} is not available; its alt text is shown instead"));
                None
            }
        };
        let caption = self.spans_to_pieces(a, b, SANS, s * 0.82, GRAY);
        let cap = self.para(&caption, self.width, false);
        let cap_h = cap.lines.len() as f32 * s * 0.82 * 1.4;
        self.space(s * 0.4);
        match index {
            Some(i) => {
                let img = &self.images[i];
                let max_h = (self.top - self.bottom) * 0.75;
                let mut w = self.width;
                let mut h = w * img.height as f32 / img.width as f32;
                if h > max_h {
                    w *= max_h / h;
                    h = max_h;
                }
                if self.y - h - cap_h.min(s * 3.0) < self.bottom && !self.fresh {
                    self.new_page();
                }
                let x = self.left + (self.width - w) / 2.0;
                self.y -= h;
                let y = self.y;
                self.page().items.push(Item::Image { index: i, x, y, w, h });
            }
            None => {
                let label = if alt.trim().is_empty() {
                    "Image not available".to_owned()
                } else {
                    format!("Image: {}", alt.trim())
                };
                let p = self.para(&[Piece::new(label, SANS, s * 0.85, GRAY)], self.width - 2.0 * s, false);
                let h = p.lines.len() as f32 * s * 0.85 * 1.4 + s * 1.6;
                if self.y - h < self.bottom && !self.fresh {
                    self.new_page();
                }
                let (x, w) = (self.left, self.width);
                let top = self.y;
                self.page().items.push(Item::Rect { x, y: top - h, w, h, color: [0.75, 0.75, 0.75], stroke: true });
                self.y -= s * 0.8;
                self.place(&p, self.left + s, s * 0.85 * 1.4, s * 0.85, &a.highlights);
                self.y = top - h;
            }
        }
        if !cap.lines.is_empty() {
            self.y -= s * 0.35;
            self.place(&cap, self.left, s * 0.82 * 1.4, s * 0.82, &a.highlights);
        }
        self.y -= s * 0.9;
    }

    fn annotations(&mut self, a: &Article, text: &[char], order: &[usize]) {
        let s = self.size;
        self.space(s * 1.5);
        if self.y - s * 8.0 < self.bottom {
            self.new_page();
        }
        self.outline.push(OutlineEntry {
            level: 1,
            title: "Annotations".into(),
            page: self.pages.len() - 1,
            y: self.y,
        });
        let hs = (s * 1.3).round();
        let p = self.para(&[Piece::new("Annotations", SANS_BOLD, hs, TEXT)], self.width, false);
        self.place(&p, self.left, hs * 1.25, hs, &a.highlights);
        self.y -= s * 0.6;
        let indent = s * 2.4;
        let w = self.width - indent;
        for &i in order {
            let Some(page) = self.hl_page[i] else { continue };
            let h = &a.highlights[i];
            let quote: String = text[h.start..h.end].iter().collect();
            let quote: String = quote.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut head = vec![Piece::new(format!("p. {}", page + 1), SANS_BOLD, s * 0.8, GRAY)];
            if !h.tags.is_empty() {
                head.push(Piece::new(format!("   {}", h.tags.join(", ")), SANS, s * 0.8, GRAY));
            }
            let head = self.para(&head, w, false);
            let q = self.para(&[Piece::new(format!("“{quote}”"), SERIF_ITALIC, s * 0.95, TEXT)], w, false);
            let note = (!h.note.trim().is_empty())
                .then(|| self.para(&[Piece::new(h.note.trim(), SERIF, s * 0.95, TEXT)], w, false));
            let lead = s * 0.95 * 1.42;
            let total = (head.lines.len() + q.lines.len().min(3)) as f32 * lead;
            if self.y - total < self.bottom {
                self.new_page();
            }
            let x = self.left + indent;
            let placed = self.place(&head, x, s * 0.8 * 1.5, s * 0.8, &a.highlights);
            if let Some(first) = placed.first() {
                let y = first.top - self.baseline_drop(s * 0.8 * 1.5, s * 0.8);
                let label = self.hl_number[i].map(|n| n.to_string()).unwrap_or_default();
                let tint = h.color.tint();
                let items = &mut self.pages[first.page].items;
                items.push(Item::Rect {
                    x: self.left,
                    y: y - s * 0.15,
                    w: s * 0.9,
                    h: s * 0.9,
                    color: tint,
                    stroke: false,
                });
                if !label.is_empty() {
                    let shaped = self.fonts.shape(SANS_BOLD, s * 0.8, &label);
                    let gw: f32 = shaped.iter().map(|g| g.adv).sum();
                    let x = self.left + s * 1.3 + (s - gw).max(0.0) / 2.0 - s * 0.2;
                    self.pages[first.page].items.extend(runs(&shaped, s * 0.8, x, y, LINK));
                }
            }
            self.place(&q, x, lead, s * 0.95, &a.highlights);
            if let Some(note) = note {
                self.y -= s * 0.15;
                self.place(&note, x, lead, s * 0.95, &a.highlights);
            }
            self.y -= s * 0.9;
        }
    }

    /// Distance from the top of a line box to its baseline.
    fn baseline_drop(&self, lead: f32, size: f32) -> f32 {
        (lead - size) / 2.0 + size * 0.8
    }

    /// Breaks styled pieces into lines of at most `width` points.
    fn para(&mut self, pieces: &[Piece], width: f32, justify: bool) -> Para {
        let full: String = pieces.iter().map(|p| p.text.as_str()).collect();
        let nchars = full.chars().count();
        let mut allowed = vec![false; nchars + 1];
        let mut byte_to_char = HashMap::new();
        for (ci, (bi, _)) in full.char_indices().enumerate() {
            byte_to_char.insert(bi, ci);
        }
        byte_to_char.insert(full.len(), nchars);
        for (bi, opp) in linebreaks(&full) {
            if let Some(ci) = byte_to_char.get(&bi) {
                allowed[*ci] = matches!(opp, BreakOpportunity::Allowed | BreakOpportunity::Mandatory);
            }
        }
        let mut links: Vec<String> = Vec::new();
        let mut glyphs: Vec<(Glyph, bool)> = Vec::new();
        let mut base = 0;
        for p in pieces {
            let link = p.link.as_ref().map(|u| {
                links.push(u.clone());
                links.len() - 1
            });
            for g in self.fonts.shape(p.font, p.size, &p.text) {
                let breakable = g.cluster_start && allowed[base + g.cluster] && base + g.cluster > 0;
                glyphs.push((
                    Glyph {
                        font: g.font,
                        size: p.size,
                        gid: g.gid,
                        adv: g.adv,
                        nominal: g.nominal,
                        x: 0.0,
                        off: p.offset.map(|o| o + g.cluster),
                        color: p.color,
                        link,
                        rise: p.rise,
                        is_space: g.is_space,
                        missing: g.missing,
                        bidi: g.bidi,
                    },
                    breakable,
                ));
            }
            base += p.text.chars().count();
        }
        // Words: glyph ranges between break opportunities.
        let mut lines: Vec<Vec<Glyph>> = Vec::new();
        let mut cur: Vec<Glyph> = Vec::new();
        let mut cur_w = 0.0f32;
        let mut i = 0;
        while i < glyphs.len() {
            let mut j = i + 1;
            while j < glyphs.len() && !glyphs[j].1 {
                j += 1;
            }
            let word = &glyphs[i..j];
            let w_all: f32 = word.iter().map(|g| g.0.adv).sum();
            let trail: f32 = word.iter().rev().take_while(|g| g.0.is_space).map(|g| g.0.adv).sum();
            if cur_w + w_all - trail <= width + 0.01 {
                cur.extend(word.iter().map(|g| g.0.clone()));
                cur_w += w_all;
            } else {
                if !cur.is_empty() {
                    lines.push(std::mem::take(&mut cur));
                    cur_w = 0.0;
                }
                if w_all - trail <= width + 0.01 {
                    cur.extend(word.iter().map(|g| g.0.clone()));
                    cur_w = w_all;
                } else {
                    // A word longer than the line: break it between characters.
                    for (g, _) in word {
                        if cur_w + g.adv > width + 0.01 && !cur.is_empty() && !g.is_space {
                            lines.push(std::mem::take(&mut cur));
                            cur_w = 0.0;
                        }
                        cur.push(g.clone());
                        cur_w += g.adv;
                    }
                }
            }
            i = j;
        }
        if !cur.is_empty() {
            lines.push(cur);
        }
        let n = lines.len();
        let lines = lines
            .into_iter()
            .enumerate()
            .map(|(li, mut gl)| {
                while gl.last().is_some_and(|g| g.is_space) && gl.len() > 1 {
                    gl.pop();
                }
                let natural: f32 = gl.iter().map(|g| g.adv).sum();
                let spaces = gl.iter().filter(|g| g.is_space).count();
                let extra = if justify && li + 1 < n && spaces > 0 {
                    let e = (width - natural) / spaces as f32;
                    if e < gl[0].size * 0.9 {
                        e
                    } else {
                        0.0
                    }
                } else {
                    0.0
                };
                visual_order(&mut gl, |g| g.bidi);
                let mut x = 0.0;
                for g in &mut gl {
                    g.x = x;
                    if g.is_space {
                        g.adv += extra;
                    }
                    x += g.adv;
                }
                Line { glyphs: gl }
            })
            .collect();
        Para { lines, links }
    }

    /// Places lines at `x`, page by page, with widow and orphan control.
    fn place(&mut self, p: &Para, x: f32, lead: f32, size: f32, highlights: &[Highlight]) -> Vec<Placed> {
        let n = p.lines.len();
        let mut placed = Vec::new();
        let mut i = 0;
        while i < n {
            let avail = ((self.y - self.bottom) / lead + 0.001).floor().max(0.0) as usize;
            let remaining = n - i;
            let mut k = avail.min(remaining);
            if k < remaining {
                if remaining - k == 1 && k >= 2 {
                    k -= 1; // no widow
                }
                if i == 0 && k == 1 && remaining >= 2 {
                    k = 0; // no orphan
                }
                if k == 0 && self.fresh {
                    k = avail.max(1).min(remaining);
                }
            }
            if k == 0 {
                self.new_page();
                continue;
            }
            let top = self.y;
            for line in &p.lines[i..i + k] {
                let base = self.y - self.baseline_drop(lead, size);
                self.emit_line(line, x, base, &p.links, highlights);
                self.y -= lead;
            }
            self.fresh = false;
            placed.push(Placed { page: self.pages.len() - 1, top, bottom: self.y });
            i += k;
            if i < n {
                self.new_page();
            }
        }
        placed
    }

    fn emit_line(&mut self, line: &Line, x0: f32, base: f32, links: &[String], highlights: &[Highlight]) {
        let page_index = self.pages.len() - 1;
        // Glyph runs.
        let mut items = Vec::new();
        let mut k = 0;
        let gl = &line.glyphs;
        while k < gl.len() {
            let g = &gl[k];
            let mut j = k + 1;
            while j < gl.len()
                && gl[j].font == g.font
                && gl[j].size == g.size
                && gl[j].color == g.color
                && gl[j].rise == g.rise
            {
                j += 1;
            }
            items.push(Item::Run {
                font: g.font,
                size: g.size,
                x: x0 + g.x,
                y: base + g.rise,
                color: g.color,
                glyphs: gl[k..j].iter().map(|g| RunGlyph { gid: g.gid, adv: g.adv, nominal: g.nominal }).collect(),
            });
            k = j;
        }
        for g in gl.iter().filter(|g| g.missing) {
            items.push(replacement_box(x0 + g.x, base + g.rise, g.adv, g.size));
        }
        // Highlight fragments.
        let mut tints = Vec::new();
        let mut quads = Vec::new();
        for (hi, h) in highlights.iter().enumerate() {
            if h.start >= h.end {
                continue;
            }
            let inside = |g: &Glyph| g.off.is_some_and(|o| o >= h.start && o < h.end);
            let mut k = 0;
            while k < gl.len() {
                if !inside(&gl[k]) {
                    k += 1;
                    continue;
                }
                let mut j = k;
                while j + 1 < gl.len() && inside(&gl[j + 1]) {
                    j += 1;
                }
                let size = gl[k].size;
                let x1 = x0 + gl[k].x;
                let x2 = x0 + gl[j].x + gl[j].adv;
                let (y1, y2) = (base - size * 0.28, base + size * 0.98);
                tints.push(Tint { x: x1, y: y1, w: x2 - x1, h: y2 - y1, color: h.color.tint() });
                if let Some(article) = self.article {
                    quads.push(HighlightQuad { article, highlight: hi, points: [x1, y2, x2, y2, x1, y1, x2, y1] });
                }
                if self.hl_page[hi].is_none() {
                    self.hl_page[hi] = Some(page_index);
                }
                k = j + 1;
            }
        }
        // Link areas.
        let mut link_rects = Vec::new();
        let mut k = 0;
        while k < gl.len() {
            let Some(li) = gl[k].link else {
                k += 1;
                continue;
            };
            let mut j = k;
            while j + 1 < gl.len() && gl[j + 1].link == Some(li) {
                j += 1;
            }
            let size = gl[k].size;
            link_rects.push(LinkArea {
                rect: [x0 + gl[k].x, base - size * 0.25, x0 + gl[j].x + gl[j].adv, base + size * 0.9],
                target: Target::Uri(links[li].clone()),
            });
            k = j + 1;
        }
        let page = self.page();
        page.items.extend(items);
        page.tints.extend(tints);
        page.quads.extend(quads);
        page.links.extend(link_rects);
    }

    /// Running head (article title) and folio "n / N" on every page; no head on the first
    /// page of an article or on the contents.
    fn running_heads(&mut self) {
        let total = self.pages.len();
        let fs = self.size * 0.72;
        let m = self.input.options.margins;
        let mut with_head = vec![false; total];
        let mut last = None;
        for (i, p) in self.pages.iter().enumerate() {
            with_head[i] = p.article.is_some() && p.article == last;
            last = p.article;
        }
        for (i, head) in with_head.into_iter().enumerate() {
            let folio = self.fonts.shape(SANS, fs, &format!("{} / {}", i + 1, total));
            let fw: f32 = folio.iter().map(|g| g.adv).sum();
            let y = (m.bottom * 0.5).max(fs);
            let x = (self.page_w - fw) / 2.0;
            self.pages[i].items.extend(runs(&folio, fs, x, y, GRAY));
            let Some(article) = self.pages[i].article.filter(|_| head) else { continue };
            let title = display_title(&self.input.articles[article]);
            let shaped = self.shape_to_width(SANS, fs, &title, self.width);
            let y = self.page_h - (m.top * 0.55).max(fs * 1.5);
            let (x, width) = (self.left, self.width);
            let page = &mut self.pages[i];
            page.items.extend(runs(&shaped, fs, x, y, GRAY));
            page.items.push(Item::Rect { x, y: y - fs * 0.7, w: width, h: 0.4, color: RULE, stroke: false });
        }
    }

    /// `text` shaped on one line, cut with an ellipsis if it is wider than `width`.
    fn shape_to_width(&mut self, font: usize, size: f32, text: &str, width: f32) -> Vec<Shaped> {
        let mut shaped = self.fonts.shape(font, size, text);
        let mut w: f32 = shaped.iter().map(|g| g.adv).sum();
        if w <= width {
            return shaped;
        }
        let ell = self.fonts.shape(font, size, "…");
        let ew: f32 = ell.iter().map(|g| g.adv).sum();
        while w + ew > width && !shaped.is_empty() {
            w -= shaped.pop().map(|g| g.adv).unwrap_or(0.0);
        }
        while shaped.last().is_some_and(|g| g.is_space) {
            shaped.pop();
        }
        shaped.extend(ell);
        shaped
    }

    /// How many pages the contents take: [`Self::contents`] laid out aside and thrown away.
    fn contents_length(&mut self) -> usize {
        let pages = std::mem::take(&mut self.pages);
        let firsts = vec![0; self.input.articles.len()];
        self.contents(&firsts);
        std::mem::replace(&mut self.pages, pages).len()
    }

    /// The contents: each article's title (a link to its first page), where it comes from,
    /// and its page number after a dot leader. `first_pages` are page indexes.
    fn contents(&mut self, first_pages: &[usize]) {
        self.article = None;
        self.new_page();
        let s = self.size;
        let hs = (s * 1.55).round();
        let heading = self.para(&[Piece::new("Contents", SANS_BOLD, hs, TEXT)], self.width, false);
        self.place(&heading, self.left, hs * 1.25, hs, &[]);
        self.y -= s * 1.2;
        let lead = s * 1.45;
        let ms = s * 0.8;
        let number_w = s * 3.5;
        let input = self.input;
        for (a, &page) in input.articles.iter().zip(first_pages) {
            let title = self.para(&[Piece::new(display_title(a), SERIF, s, TEXT)], self.width - number_w, false);
            let source =
                source_line(a).map(|t| self.para(&[Piece::new(t, SANS, ms, GRAY)], self.width - number_w, false));
            let need = (title.lines.len() as f32 * lead).min(3.0 * lead) + source.as_ref().map_or(0.0, |_| ms * 1.4);
            if self.y - need < self.bottom && !self.fresh {
                self.new_page();
            }
            let placed = self.place(&title, self.left, lead, s, &[]);
            let Some(last) = placed.last() else { continue };
            let line_end = title.lines.last().and_then(|l| l.glyphs.last()).map_or(0.0, |g| g.x + g.adv);
            let base = last.bottom + lead - self.baseline_drop(lead, s);
            self.page_number(page, last.page, self.left + line_end, base);
            let mut areas: Vec<Placed> = placed;
            if let Some(source) = source {
                areas.extend(self.place(&source, self.left, ms * 1.4, ms, &[]));
            }
            for area in areas {
                let rect = [self.left, area.bottom, self.left + self.width, area.top];
                self.pages[area.page].links.push(LinkArea { rect, target: Target::Page { page, y: self.top } });
            }
            self.y -= s * 0.7;
        }
    }

    /// A contents entry's page number, right-aligned, after dots from `from_x` on the baseline.
    fn page_number(&mut self, page: usize, on: usize, from_x: f32, base: f32) {
        let s = self.size;
        let number = self.fonts.shape(SERIF, s, &(page + 1).to_string());
        let nw: f32 = number.iter().map(|g| g.adv).sum();
        let right = self.left + self.width;
        let dot = self.fonts.shape(SERIF, s, ".");
        // Dots on a grid from the left margin, so that the leaders of all entries line up,
        // ending before the widest page number there can be.
        let step = s * 0.55;
        let first = ((from_x + s * 0.6 - self.left) / step).ceil();
        let last = ((right - s * 2.6 - self.left) / step).floor();
        let count = (last - first + 1.0).max(0.0) as usize;
        let mut leader: Vec<Shaped> = Vec::with_capacity(count);
        for _ in 0..count {
            leader.extend(dot.iter().map(|g| Shaped { adv: step, ..*g }));
        }
        let items = &mut self.pages[on].items;
        items.extend(runs(&leader, s, self.left + first * step, base, GRAY));
        items.extend(runs(&number, s, right - nw, base, TEXT));
    }
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

/// "Byline · Site · 2023-07-12" for the contents, if any of them is known.
fn source_line(a: &Article) -> Option<String> {
    let date = a.published_at.as_deref().filter(|d| !d.trim().is_empty()).map(display_date);
    let parts: Vec<String> = [a.byline.clone(), a.site_name.clone(), date]
        .into_iter()
        .flatten()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("  ·  "))
}

/// Glyph runs, one per font, in visual order, starting at `x` on the baseline `y`.
fn runs(shaped: &[Shaped], size: f32, x: f32, y: f32, color: [f32; 3]) -> Vec<Item> {
    let mut shaped = shaped.to_vec();
    visual_order(&mut shaped, |g| g.bidi);
    let mut items = Vec::new();
    let mut x = x;
    for run in shaped.chunk_by(|a, b| a.font == b.font) {
        let glyphs: Vec<RunGlyph> =
            run.iter().map(|g| RunGlyph { gid: g.gid, adv: g.adv, nominal: g.nominal }).collect();
        let mut gx = x;
        for g in run {
            if g.missing {
                items.push(replacement_box(gx, y, g.adv, size));
            }
            gx += g.adv;
        }
        items.push(Item::Run { font: run[0].font, size, x, y, color, glyphs });
        x = gx;
    }
    items
}

/// The visible stand-in for a character no font has: an outlined box where its glyph would be
/// (the fonts' own `.notdef` glyphs are blank).
fn replacement_box(x: f32, base: f32, adv: f32, size: f32) -> Item {
    let inset = (adv * 0.12).min(size * 0.08);
    Item::Rect { x: x + inset, y: base - size * 0.02, w: adv - 2.0 * inset, h: size * 0.72, color: GRAY, stroke: true }
}
