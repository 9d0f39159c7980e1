//! One article: its header (title, byline, dates, address, tags), its blocks one by one, and
//! the "Annotations" section that lists its highlights with their notes.

use std::collections::HashMap;

use quire_doc::{Block, BlockKind, Marks};

use super::emit::runs;
use super::flow::LineBox;
use super::highlights::Highlights;
use super::lines::{set, Line, Paragraph};
use super::measure::Piece;
use super::{display_title, Item, Layout, OutlineEntry, GRAY, LINK, RULE, TEXT};
use crate::date::display_date;
use crate::image::{prepare, Prepared};
use crate::shape::{MONO, SANS, SANS_BOLD, SERIF, SERIF_BOLD, SERIF_ITALIC};
use crate::{Article, ColorExt};

/// The images prepared for the PDF, each once however often it is shown.
#[derive(Default)]
pub struct Images {
    pub prepared: Vec<Prepared>,
    /// Index in `prepared` by content hash.
    by_hash: HashMap<String, usize>,
}

/// The numbers of the list items at each depth, for ordered lists.
#[derive(Default)]
struct ListNumbers(Vec<usize>);

impl ListNumbers {
    /// The number of the next item at `depth`; deeper counts start again.
    fn next(&mut self, depth: usize) -> usize {
        let numbers = &mut self.0;
        numbers.truncate(depth + 1);
        while numbers.len() < depth + 1 {
            numbers.push(0);
        }
        numbers[depth] += 1;
        numbers[depth]
    }

    fn reset(&mut self) {
        self.0.clear();
    }
}

impl Layout<'_, '_, '_> {
    /// The article `index`, from a new page.
    pub(super) fn article(&mut self, index: usize, a: &Article) {
        self.flow.new_page();
        let text: Vec<char> = a.document.canonical_text().chars().collect();
        let mut highlights = Highlights::new(index, &a.highlights, text.len(), &mut self.warnings);
        self.header(a, &mut highlights);

        let blocks = &a.document.blocks;
        // The article's highest heading level is the outline's level 1.
        let top_heading = blocks
            .iter()
            .filter_map(|b| match b.kind {
                BlockKind::Heading { level } => Some(level),
                _ => None,
            })
            .min()
            .unwrap_or(1);
        let mut numbers = ListNumbers::default();
        for (bi, b) in blocks.iter().enumerate() {
            if !matches!(b.kind, BlockKind::ListItem { .. }) {
                numbers.reset();
            }
            let next_is_text = blocks.get(bi + 1).is_some_and(|n| !matches!(n.kind, BlockKind::Heading { .. }));
            self.block(b, &mut highlights, &mut numbers, top_heading, next_is_text);
        }

        if self.input.options.annotations_section && highlights.any_placed() {
            self.annotations(&highlights, &text, a.citation.as_deref());
        }
    }

    /// Title, then byline and site, dates, address and tags, then a rule.
    fn header(&mut self, a: &Article, highlights: &mut Highlights<'_>) {
        let s = self.size;
        let (left, width) = (self.flow.frame.left, self.flow.frame.width);
        let title = display_title(a);
        self.outline.push(OutlineEntry {
            level: 0,
            title: title.clone(),
            page: self.flow.page_index(),
            y: self.flow.y,
        });
        let ts = (s * 2.1).round();
        let p = set(self.fonts, &[Piece::new(title, SANS_BOLD, ts, TEXT)], width, false);
        self.flow.place(&p, LineBox { x: left, lead: ts * 1.18, size: ts }, highlights);
        self.flow.y -= s * 0.5;
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
        if let Some(u) = quire_doc::address::web(a.url.as_deref().map(str::trim)) {
            let mut p = Piece::new(u.trim(), SANS, ms, LINK);
            p.link = Some(u.trim().to_owned());
            meta.push(vec![p]);
        }
        if !a.tags.is_empty() {
            meta.push(vec![Piece::new("Tags  ", SANS_BOLD, ms, GRAY), Piece::new(a.tags.join(", "), SANS, ms, GRAY)]);
        }
        for pieces in meta {
            let p = set(self.fonts, &pieces, width, false);
            self.flow.place(&p, LineBox { x: left, lead: ms * 1.45, size: ms }, highlights);
        }
        self.flow.y -= s * 0.9;
        let y = self.flow.y;
        self.flow.page().items.push(Item::Rect { x: left, y, w: width, h: 0.6, color: RULE, stroke: false });
        self.flow.y -= s * 1.6;
        self.flow.fresh = false;
    }

    fn block(
        &mut self,
        b: &Block,
        highlights: &mut Highlights<'_>,
        numbers: &mut ListNumbers,
        top_heading: u8,
        next_is_text: bool,
    ) {
        let s = self.size;
        let (left, width) = (self.flow.frame.left, self.flow.frame.width);
        let justify = self.input.options.justify;
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
                let pieces = block_pieces(b, highlights, SANS_BOLD, hs, TEXT);
                let p = set(self.fonts, &pieces, width, false);
                self.flow.space(s * 0.9);
                // Keep with the next block: the heading and three lines must fit.
                let need = p.lines.len() as f32 * hs * 1.25 + if next_is_text { 3.0 * lead } else { 0.0 };
                self.flow.keep_together(need);
                let level = 1 + level.saturating_sub(top_heading);
                self.outline.push(OutlineEntry {
                    level,
                    title: b.text(),
                    page: self.flow.page_index(),
                    y: self.flow.y,
                });
                self.flow.place(&p, LineBox { x: left, lead: hs * 1.25, size: hs }, highlights);
                self.flow.y -= s * 0.35;
            }
            BlockKind::Paragraph => {
                let pieces = block_pieces(b, highlights, SERIF, s, TEXT);
                let p = set(self.fonts, &pieces, width, justify);
                self.flow.place(&p, LineBox { x: left, lead, size: s }, highlights);
                self.flow.y -= after;
            }
            BlockKind::Quote => {
                let indent = s * 1.8;
                let pieces = block_pieces(b, highlights, SERIF_ITALIC, s, [0.25, 0.25, 0.25]);
                let p = set(self.fonts, &pieces, width - indent, justify);
                self.flow.space(s * 0.2);
                let placed = self.flow.place(&p, LineBox { x: left + indent, lead, size: s }, highlights);
                // A bar to the left of the quote, on each page it is on.
                for pl in placed {
                    self.flow.pages[pl.page].items.push(Item::Rect {
                        x: left + s * 0.3,
                        y: pl.bottom + s * 0.25,
                        w: 2.0,
                        h: pl.top - pl.bottom - s * 0.3,
                        color: RULE,
                        stroke: false,
                    });
                }
                self.flow.y -= after + s * 0.2;
            }
            BlockKind::ListItem { ordered, depth } => {
                let d = *depth as usize;
                let number = numbers.next(d);
                let indent = s * 1.6 * (d as f32 + 1.0);
                let marker = if *ordered {
                    format!("{number}.")
                } else if d == 0 {
                    "•".into()
                } else {
                    "–".into()
                };
                let pieces = block_pieces(b, highlights, SERIF, s, TEXT);
                let p = set(self.fonts, &pieces, width - indent, false);
                let mw = self.fonts.width(SERIF, s, &marker);
                let item_box = LineBox { x: left + indent, lead, size: s };
                let placed = self.flow.place(&p, item_box, highlights);
                if let Some(first) = placed.first() {
                    let y = first.top - item_box.baseline_drop();
                    let shaped = self.fonts.shape(SERIF, s, &marker);
                    let x = left + indent - mw - s * 0.5;
                    self.flow.pages[first.page].items.extend(runs(&shaped, s, x, y, TEXT));
                }
                self.flow.y -= s * 0.3;
            }
            BlockKind::Preformatted => {
                let ps = s * 0.82;
                let text = b.text();
                let mut lines = Vec::new();
                let mut links = Vec::new();
                let mut off = b.start;
                // Each source line is set on its own (and wraps if it must).
                for src in text.split('\n') {
                    let n = src.chars().count();
                    let mut piece = Piece::new(src.replace('\t', "    "), MONO, ps, [0.2, 0.2, 0.2]);
                    piece.offset = Some(off);
                    let mut p = set(self.fonts, &[piece], width - s, false);
                    if p.lines.is_empty() {
                        p.lines.push(Line::default());
                    }
                    lines.extend(p.lines);
                    links.extend(p.links);
                    off += n + 1;
                }
                self.flow.space(s * 0.2);
                let code = Paragraph { lines, links };
                let placed =
                    self.flow.place(&code, LineBox { x: left + s * 0.5, lead: ps * 1.35, size: ps }, highlights);
                // A shaded background behind it, on each page it is on.
                for pl in placed {
                    self.flow.pages[pl.page].items.insert(
                        0,
                        Item::Rect {
                            x: left,
                            y: pl.bottom - s * 0.2,
                            w: width,
                            h: pl.top - pl.bottom + s * 0.4,
                            color: [0.96, 0.96, 0.95],
                            stroke: false,
                        },
                    );
                }
                self.flow.y -= after + s * 0.3;
            }
            BlockKind::Image { src, alt } => self.figure(b, src, alt, highlights),
        }
        self.flow.fresh = false;
    }

    /// An image (or a framed stand-in with its alt text), then its caption.
    fn figure(&mut self, b: &Block, src: &str, alt: &str, highlights: &mut Highlights<'_>) {
        let s = self.size;
        let frame = self.flow.frame;
        let (left, width) = (frame.left, frame.width);
        let index = self.image(src);
        let caption = block_pieces(b, highlights, SANS, s * 0.82, GRAY);
        let cap = set(self.fonts, &caption, width, false);
        let cap_h = cap.lines.len() as f32 * s * 0.82 * 1.4;
        self.flow.space(s * 0.4);
        match index {
            Some(i) => {
                let img = &self.images.prepared[i];
                let max_h = (frame.top - frame.bottom) * 0.75;
                let mut w = width;
                let mut h = w * img.height as f32 / img.width as f32;
                if h > max_h {
                    w *= max_h / h;
                    h = max_h;
                }
                // The image and the start of its caption together.
                if self.flow.y - h - cap_h.min(s * 3.0) < frame.bottom && !self.flow.fresh {
                    self.flow.new_page();
                }
                let x = left + (width - w) / 2.0;
                self.flow.y -= h;
                let y = self.flow.y;
                self.flow.page().items.push(Item::Image { index: i, x, y, w, h });
            }
            None => {
                let label = if alt.trim().is_empty() {
                    "Image not available".to_owned()
                } else {
                    format!("Image: {}", alt.trim())
                };
                let p = set(self.fonts, &[Piece::new(label, SANS, s * 0.85, GRAY)], width - 2.0 * s, false);
                let h = p.lines.len() as f32 * s * 0.85 * 1.4 + s * 1.6;
                self.flow.keep_together(h);
                let top = self.flow.y;
                let frame_rect =
                    Item::Rect { x: left, y: top - h, w: width, h, color: [0.75, 0.75, 0.75], stroke: true };
                self.flow.page().items.push(frame_rect);
                self.flow.y -= s * 0.8;
                self.flow.place(&p, LineBox { x: left + s, lead: s * 0.85 * 1.4, size: s * 0.85 }, highlights);
                self.flow.y = top - h;
            }
        }
        if !cap.lines.is_empty() {
            self.flow.y -= s * 0.35;
            self.flow.place(&cap, LineBox { x: left, lead: s * 0.82 * 1.4, size: s * 0.82 }, highlights);
        }
        self.flow.y -= s * 0.9;
    }

    /// The index of the image `src` in [`Images::prepared`], prepared on its first use; `None`
    /// (with a warning) if it is not a stored image or cannot be used.
    fn image(&mut self, src: &str) -> Option<usize> {
        let hash = src.strip_prefix("quire-image:");
        let Some((h, (mime, bytes))) = hash.and_then(|h| self.input.images.get(h).map(|img| (h, img))) else {
            self.warnings.push(format!("image {src} is not available; its alt text is shown instead"));
            return None;
        };
        if let Some(i) = self.images.by_hash.get(h) {
            return Some(*i);
        }
        match prepare(mime, bytes) {
            Ok(p) => {
                self.images.prepared.push(p);
                let i = self.images.prepared.len() - 1;
                self.images.by_hash.insert(h.to_owned(), i);
                Some(i)
            }
            Err(e) => {
                self.warnings.push(format!("image {src}: {e}; its alt text is shown instead"));
                None
            }
        }
    }

    /// Each highlight that was drawn, in the order of the text: its page, tags, color and note
    /// number, the quoted text and the note.
    fn annotations(&mut self, highlights: &Highlights<'_>, text: &[char], citation: Option<&str>) {
        let s = self.size;
        let (left, width) = (self.flow.frame.left, self.flow.frame.width);
        // The section's own text is not the article's: no highlight falls on it.
        let none = &mut Highlights::none();
        self.flow.space(s * 1.5);
        if self.flow.overflows(s * 8.0) {
            self.flow.new_page();
        }
        let (page, y) = (self.flow.page_index(), self.flow.y);
        self.outline.push(OutlineEntry { level: 1, title: "Annotations".into(), page, y });
        let hs = (s * 1.3).round();
        let p = set(self.fonts, &[Piece::new("Annotations", SANS_BOLD, hs, TEXT)], width, false);
        self.flow.place(&p, LineBox { x: left, lead: hs * 1.25, size: hs }, none);
        self.flow.y -= s * 0.6;
        if let Some(citation) = citation.map(str::trim).filter(|c| !c.is_empty()) {
            let cite = [Piece::new("Cite as: ", SANS_BOLD, s * 0.8, GRAY), Piece::new(citation, SANS, s * 0.8, GRAY)];
            let c = set(self.fonts, &cite, width, false);
            self.flow.place(&c, LineBox { x: left, lead: s * 0.8 * 1.45, size: s * 0.8 }, none);
            self.flow.y -= s * 0.6;
        }
        let indent = s * 2.4;
        let w = width - indent;
        for &i in &highlights.order {
            let Some(page) = highlights.first_page[i] else { continue };
            let h = &highlights.list[i];
            let quote: String = text[h.start..h.end].iter().collect();
            let quote: String = quote.split_whitespace().collect::<Vec<_>>().join(" ");
            let mut head = vec![Piece::new(format!("p. {}", page + 1), SANS_BOLD, s * 0.8, GRAY)];
            if !h.tags.is_empty() {
                head.push(Piece::new(format!("   {}", h.tags.join(", ")), SANS, s * 0.8, GRAY));
            }
            let head = set(self.fonts, &head, w, false);
            let q = set(self.fonts, &[Piece::new(format!("“{quote}”"), SERIF_ITALIC, s * 0.95, TEXT)], w, false);
            let note = (!h.note.trim().is_empty())
                .then(|| set(self.fonts, &[Piece::new(h.note.trim(), SERIF, s * 0.95, TEXT)], w, false));
            let lead = s * 0.95 * 1.42;
            let total = (head.lines.len() + q.lines.len().min(3)) as f32 * lead;
            if self.flow.overflows(total) {
                self.flow.new_page();
            }
            let x = left + indent;
            let head_box = LineBox { x, lead: s * 0.8 * 1.5, size: s * 0.8 };
            let placed = self.flow.place(&head, head_box, none);
            if let Some(first) = placed.first() {
                // A swatch of the highlight's tint with its note number.
                let y = first.top - head_box.baseline_drop();
                let label = highlights.note_numbers[i].map(|n| n.to_string()).unwrap_or_default();
                let tint = h.color.tint();
                let swatch =
                    Item::Rect { x: left, y: y - s * 0.15, w: s * 0.9, h: s * 0.9, color: tint, stroke: false };
                self.flow.pages[first.page].items.push(swatch);
                if !label.is_empty() {
                    let shaped = self.fonts.shape(SANS_BOLD, s * 0.8, &label);
                    let gw: f32 = shaped.iter().map(|g| g.adv).sum();
                    let x = left + s * 1.3 + (s - gw).max(0.0) / 2.0 - s * 0.2;
                    self.flow.pages[first.page].items.extend(runs(&shaped, s * 0.8, x, y, LINK));
                }
            }
            let text_box = LineBox { x, lead, size: s * 0.95 };
            self.flow.place(&q, text_box, none);
            if let Some(note) = note {
                self.flow.y -= s * 0.15;
                self.flow.place(&note, text_box, none);
            }
            self.flow.y -= s * 0.9;
        }
    }
}

/// A block's spans as pieces in `base` (or the bold, italic or mono face their marks ask for),
/// with a note marker after the last char of each highlight that has a note.
fn block_pieces(b: &Block, highlights: &Highlights<'_>, base: usize, size: f32, color: [f32; 3]) -> Vec<Piece> {
    let markers = highlights.note_markers(b.start, b.end);
    let mut out = Vec::new();
    for span in &b.spans {
        let font = font_for(&span.marks, base);
        let color = if span.marks.link.is_some() { LINK } else { color };
        let chars: Vec<char> = span.text.chars().collect();
        let span_end = span.start + chars.len();
        let push_text = |from: usize, to: usize, out: &mut Vec<Piece>| {
            if to > from {
                let mut p = Piece::new(chars[from..to].iter().collect::<String>(), font, size, color);
                p.link = span.marks.link.clone();
                p.offset = Some(span.start + from);
                out.push(p);
            }
        };
        let mut from = 0;
        for m in markers.iter().filter(|m| m.end > span.start && m.end <= span_end) {
            let at = m.end - span.start;
            push_text(from, at, &mut out);
            from = at;
            let mut marker = Piece::new(m.number.to_string(), SANS_BOLD, size * 0.62, LINK);
            marker.rise = size * 0.38;
            out.push(marker);
        }
        push_text(from, chars.len(), &mut out);
    }
    out
}

/// The face for text with these marks in a block set in `base`.
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
