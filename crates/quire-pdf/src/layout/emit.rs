//! Emitting: one set line onto its page (glyph runs, boxes for missing glyphs, highlight tints
//! and quads, link areas), and glyph runs for text set outside paragraphs.

use super::highlights::Highlights;
use super::lines::Line;
use super::measure::Glyph;
use super::{HighlightQuad, Item, LinkArea, Page, RunGlyph, Target, Tint, GRAY};
use crate::shape::{visual_order, Shaped};
use crate::ColorExt;

/// Puts a line starting at `x0` on the baseline `base` onto `page` (the `page_index`th);
/// `links` are its paragraph's. Records the page each highlight first appears on.
pub fn line(
    page: &mut Page,
    page_index: usize,
    line: &Line,
    x0: f32,
    base: f32,
    links: &[String],
    highlights: &mut Highlights<'_>,
) {
    glyph_runs(page, &line.glyphs, x0, base);
    highlight_areas(page, page_index, &line.glyphs, x0, base, highlights);
    link_areas(page, &line.glyphs, x0, base, links);
}

/// One run per stretch of glyphs in the same font, size, color and rise; then a box for each
/// glyph no font had.
fn glyph_runs(page: &mut Page, gl: &[Glyph], x0: f32, base: f32) {
    let mut k = 0;
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
        page.items.push(Item::Run {
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
        page.items.push(replacement_box(x0 + g.x, base + g.rise, g.adv, g.size));
    }
}

/// A tint and a quad for each stretch of the line inside a highlight.
fn highlight_areas(
    page: &mut Page,
    page_index: usize,
    gl: &[Glyph],
    x0: f32,
    base: f32,
    highlights: &mut Highlights<'_>,
) {
    let (article, list) = (highlights.article, highlights.list);
    for (hi, h) in list.iter().enumerate() {
        if !highlights.valid[hi] {
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
            page.tints.push(Tint { x: x1, y: y1, w: x2 - x1, h: y2 - y1, color: h.color.tint() });
            page.quads.push(HighlightQuad { article, highlight: hi, points: [x1, y2, x2, y2, x1, y1, x2, y1] });
            highlights.first_page[hi].get_or_insert(page_index);
            k = j + 1;
        }
    }
}

/// A link area for each stretch of the line with the same link.
fn link_areas(page: &mut Page, gl: &[Glyph], x0: f32, base: f32, links: &[String]) {
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
        page.links.push(LinkArea {
            rect: [x0 + gl[k].x, base - size * 0.25, x0 + gl[j].x + gl[j].adv, base + size * 0.9],
            target: Target::Uri(links[li].clone()),
        });
        k = j + 1;
    }
}

/// Shaped text as glyph runs, one per font, in visual order, starting at `x` on the baseline `y`.
pub fn runs(shaped: &[Shaped], size: f32, x: f32, y: f32, color: [f32; 3]) -> Vec<Item> {
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
