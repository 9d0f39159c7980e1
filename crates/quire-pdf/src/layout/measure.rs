//! Measuring: styled pieces of text → shaped glyphs, grouped into words (the stretches between
//! the places where a line may break).

use std::ops::Range;

use unicode_linebreak::{linebreaks, BreakOpportunity};

use crate::shape::{Bidi, FontSet};

/// A run of text to set in one style; `offset` is its first char's canonical offset.
#[derive(Clone)]
pub struct Piece {
    pub text: String,
    pub font: usize,
    pub size: f32,
    pub color: [f32; 3],
    pub link: Option<String>,
    pub offset: Option<usize>,
    /// How far above the baseline it is set (note markers).
    pub rise: f32,
}

impl Piece {
    pub fn new(text: impl Into<String>, font: usize, size: f32, color: [f32; 3]) -> Self {
        Piece { text: text.into(), font, size, color, link: None, offset: None, rise: 0.0 }
    }
}

/// One shaped glyph with its style; `x` is its place on its line, set when the line is done.
#[derive(Clone)]
pub struct Glyph {
    pub font: usize,
    pub size: f32,
    pub gid: u16,
    pub adv: f32,
    pub nominal: f32,
    pub x: f32,
    /// The canonical offset of its cluster, for text of the article.
    pub off: Option<usize>,
    pub color: [f32; 3],
    /// Index into the paragraph's links.
    pub link: Option<usize>,
    pub rise: f32,
    pub is_space: bool,
    pub missing: bool,
    pub bidi: Bidi,
}

/// Glyphs from one break opportunity to the next.
pub struct Word {
    /// Its glyphs in [`Measured::glyphs`].
    pub glyphs: Range<usize>,
    /// The sum of their advances.
    pub width: f32,
    /// The advances of the spaces it ends with, which may hang past the end of a line.
    pub trailing_space: f32,
}

/// Pieces of text shaped and cut into words.
pub struct Measured {
    pub glyphs: Vec<Glyph>,
    pub words: Vec<Word>,
    /// The link targets the glyphs' `link` index.
    pub links: Vec<String>,
}

/// Shapes the pieces and groups their glyphs into words: a word starts at each glyph that
/// begins a cluster where Unicode line breaking allows a break (never at the very start).
pub fn measure(fonts: &mut FontSet<'_>, pieces: &[Piece]) -> Measured {
    let full: String = pieces.iter().map(|p| p.text.as_str()).collect();
    let allowed = break_opportunities(&full);
    let mut links: Vec<String> = Vec::new();
    let mut glyphs: Vec<Glyph> = Vec::new();
    let mut starts_word: Vec<bool> = Vec::new();
    let mut base = 0;
    for p in pieces {
        let link = p.link.as_ref().map(|u| {
            links.push(u.clone());
            links.len() - 1
        });
        for g in fonts.shape(p.font, p.size, &p.text) {
            starts_word.push(g.cluster_start && allowed[base + g.cluster] && base + g.cluster > 0);
            glyphs.push(Glyph {
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
            });
        }
        base += p.text.chars().count();
    }
    let mut words = Vec::new();
    let mut i = 0;
    while i < glyphs.len() {
        let mut j = i + 1;
        while j < glyphs.len() && !starts_word[j] {
            j += 1;
        }
        let word = &glyphs[i..j];
        let width: f32 = word.iter().map(|g| g.adv).sum();
        let trailing_space: f32 = word.iter().rev().take_while(|g| g.is_space).map(|g| g.adv).sum();
        words.push(Word { glyphs: i..j, width, trailing_space });
        i = j;
    }
    Measured { glyphs, words, links }
}

/// For each char index of `text` (and its end): may a line break before it?
fn break_opportunities(text: &str) -> Vec<bool> {
    let nchars = text.chars().count();
    let mut char_at = vec![None; text.len() + 1];
    for (ci, (bi, _)) in text.char_indices().enumerate() {
        char_at[bi] = Some(ci);
    }
    char_at[text.len()] = Some(nchars);
    let mut allowed = vec![false; nchars + 1];
    for (bi, opp) in linebreaks(text) {
        if let Some(ci) = char_at[bi] {
            allowed[ci] = matches!(opp, BreakOpportunity::Allowed | BreakOpportunity::Mandatory);
        }
    }
    allowed
}
