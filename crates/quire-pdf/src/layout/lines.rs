//! Line breaking and justification: measured words → lines of at most a width, each in visual
//! order with its glyphs' positions.

use super::measure::{measure, Glyph, Measured, Piece};
use crate::shape::{visual_order, FontSet};

/// One line; its glyphs in visual order, `x` from the line's start.
#[derive(Default)]
pub struct Line {
    pub glyphs: Vec<Glyph>,
}

impl Line {
    /// Where its last glyph ends.
    pub fn end(&self) -> f32 {
        self.glyphs.last().map_or(0.0, |g| g.x + g.adv)
    }
}

/// Text set in lines; the glyphs' `link` index `links`.
pub struct Paragraph {
    pub lines: Vec<Line>,
    pub links: Vec<String>,
}

/// Sets styled pieces in lines of at most `width` points, justified (all but the last line)
/// when `justify` is.
pub fn set(fonts: &mut FontSet<'_>, pieces: &[Piece], width: f32, justify: bool) -> Paragraph {
    let measured = measure(fonts, pieces);
    let broken = break_lines(&measured, width);
    let n = broken.len();
    let lines = broken.into_iter().enumerate().map(|(i, glyphs)| finish(glyphs, width, justify && i + 1 < n)).collect();
    Paragraph { lines, links: measured.links }
}

/// Greedy breaking: as many words on a line as fit (their trailing spaces may hang past the
/// end); a word longer than a whole line is broken between characters.
fn break_lines(m: &Measured, width: f32) -> Vec<Vec<Glyph>> {
    let mut lines: Vec<Vec<Glyph>> = Vec::new();
    let mut cur: Vec<Glyph> = Vec::new();
    let mut cur_w = 0.0f32;
    for word in &m.words {
        let glyphs = &m.glyphs[word.glyphs.clone()];
        if cur_w + word.width - word.trailing_space <= width + 0.01 {
            cur.extend_from_slice(glyphs);
            cur_w += word.width;
        } else {
            if !cur.is_empty() {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0.0;
            }
            if word.width - word.trailing_space <= width + 0.01 {
                cur.extend_from_slice(glyphs);
                cur_w = word.width;
            } else {
                for g in glyphs {
                    if cur_w + g.adv > width + 0.01 && !cur.is_empty() && !g.is_space {
                        lines.push(std::mem::take(&mut cur));
                        cur_w = 0.0;
                    }
                    cur.push(g.clone());
                    cur_w += g.adv;
                }
            }
        }
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// Drops the line's trailing spaces; when justified, widens its spaces to fill `width` unless
/// that would open gaps of 0.9 em or more; puts it in visual order and gives each glyph its x.
fn finish(mut glyphs: Vec<Glyph>, width: f32, justify: bool) -> Line {
    while glyphs.last().is_some_and(|g| g.is_space) && glyphs.len() > 1 {
        glyphs.pop();
    }
    let natural: f32 = glyphs.iter().map(|g| g.adv).sum();
    let spaces = glyphs.iter().filter(|g| g.is_space).count();
    let extra = if justify && spaces > 0 {
        let e = (width - natural) / spaces as f32;
        if e < glyphs[0].size * 0.9 {
            e
        } else {
            0.0
        }
    } else {
        0.0
    };
    visual_order(&mut glyphs, |g| g.bidi);
    let mut x = 0.0;
    for g in &mut glyphs {
        g.x = x;
        if g.is_space {
            g.adv += extra;
        }
        x += g.adv;
    }
    Line { glyphs }
}
