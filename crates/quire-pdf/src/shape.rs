//! Fonts in use: shaping with rustybuzz, falling back to other faces for characters a font
//! lacks, and glyph bookkeeping for subsetting and ToUnicode.

use std::collections::HashMap;
use std::ops::Range;

use subsetter::GlyphRemapper;

use crate::fonts::{embeddable, is_attached, needs_glyph};
use crate::{Error, Fonts, Result};

pub const SERIF: usize = 0;
pub const SERIF_BOLD: usize = 1;
pub const SERIF_ITALIC: usize = 2;
pub const SANS: usize = 3;
pub const SANS_BOLD: usize = 4;
pub const MONO: usize = 5;
/// Fonts from this index on are fallback faces.
const FIRST_FALLBACK: usize = 6;

pub struct FontData<'a> {
    /// The PostScript name the font is embedded under.
    pub name: String,
    pub data: &'a [u8],
    /// The face's index in a collection.
    pub index: u32,
    pub face: rustybuzz::Face<'a>,
    /// Original glyph id → glyph id in the subset (which is also the CID).
    pub remap: GlyphRemapper,
    /// Subset glyph id → the text it stands for.
    pub unicode: HashMap<u16, String>,
    pub upem: f32,
    pub serif: bool,
    pub italic: bool,
    /// CFF outlines (embedded as OpenType, `/FontFile3`), else TrueType (`/FontFile2`).
    pub cff: bool,
    /// Has a glyph for every printable ASCII character: no lookup needed for those.
    ascii: bool,
    /// Something was shaped with it, so pages may refer to it and it must be embedded.
    pub used: bool,
}

impl FontData<'_> {
    fn has(&self, c: char) -> bool {
        (self.ascii && (' '..='~').contains(&c)) || self.face.glyph_index(c).is_some()
    }
}

pub struct FontSet<'a> {
    pub fonts: Vec<FontData<'a>>,
    /// Characters no font had a glyph for.
    pub missing: Vec<char>,
}

/// One shaped glyph; advances in points.
#[derive(Debug, Clone, Copy)]
pub struct Shaped {
    /// The font it comes from: the one asked for, or a fallback face.
    pub font: usize,
    /// Glyph id in the subset.
    pub gid: u16,
    pub adv: f32,
    /// The advance the PDF viewer will use (from `/W`), to correct with TJ.
    pub nominal: f32,
    /// Char index in the shaped text of the cluster's first char.
    pub cluster: usize,
    /// First glyph of its cluster (a place where a line may break).
    pub cluster_start: bool,
    pub is_space: bool,
    /// No font has a glyph for it: `.notdef`, drawn with a box around it.
    pub missing: bool,
    pub bidi: Bidi,
}

impl<'a> FontSet<'a> {
    pub fn new(f: &Fonts<'a>) -> Result<Self> {
        let styles = [(true, false), (true, false), (true, true), (false, false), (false, false), (false, false)];
        let mut fonts = Vec::new();
        for ((name, data), (serif, italic)) in f.primary().into_iter().zip(styles) {
            fonts.push(font_data(name.to_owned(), data, 0, serif, italic).ok_or(Error::Font(name.to_owned()))?);
        }
        for (i, fb) in f.fallbacks.iter().enumerate() {
            let name = format!("fallback face {} (index {})", i + 1, fb.index);
            let font = font_data(name.clone(), fb.data, fb.index, false, false).ok_or(Error::Font(name))?;
            fonts.push(FontData {
                name: postscript_name(&font.face).unwrap_or(format!("QuireFallback{}", i + 1)),
                ..font
            });
        }
        Ok(FontSet { fonts, missing: Vec::new() })
    }

    /// Shapes `text` in one font at `size` points; runs of characters that font lacks are
    /// shaped with the first fallback face that has them.
    pub fn shape(&mut self, font: usize, size: f32, text: &str) -> Vec<Shaped> {
        if text.is_empty() {
            return Vec::new();
        }
        if self.fonts.len() == FIRST_FALLBACK {
            return self.shape_run(font, size, text, 0);
        }
        let mut res = Vec::new();
        let mut chars_before = 0;
        for (f, range) in self.segments(font, text) {
            let part = &text[range];
            res.extend(self.shape_run(f, size, part, chars_before));
            chars_before += part.chars().count();
        }
        res
    }

    /// Width of `text` in points.
    pub fn width(&mut self, font: usize, size: f32, text: &str) -> f32 {
        self.shape(font, size, text).iter().map(|g| g.adv).sum()
    }

    /// Splits `text` into runs of one font each: `font` where it has the glyphs, else the
    /// first fallback that has them. Marks and joiners stay with the character before them.
    fn segments(&self, font: usize, text: &str) -> Vec<(usize, Range<usize>)> {
        let mut out: Vec<(usize, Range<usize>)> = Vec::new();
        for (i, c) in text.char_indices() {
            let f = match out.last() {
                Some((current, _)) if is_attached(c) => *current,
                _ => self.font_for(font, c),
            };
            match out.last_mut() {
                Some((current, range)) if *current == f => range.end = i + c.len_utf8(),
                _ => out.push((f, i..i + c.len_utf8())),
            }
        }
        out
    }

    fn font_for(&self, font: usize, c: char) -> usize {
        if !needs_glyph(c) || self.fonts[font].has(c) {
            return font;
        }
        (FIRST_FALLBACK..self.fonts.len()).find(|&f| self.fonts[f].has(c)).unwrap_or(font)
    }

    /// Shapes `text` in exactly one font; clusters count from `chars_before`. Glyphs come out
    /// in logical order, also for right-to-left text (see [`visual_order`]).
    fn shape_run(&mut self, font: usize, size: f32, text: &str, chars_before: usize) -> Vec<Shaped> {
        let f = &mut self.fonts[font];
        f.used = true;
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        buf.guess_segment_properties();
        let rtl = buf.direction() == rustybuzz::Direction::RightToLeft;
        let out = rustybuzz::shape(&f.face, &[], buf);
        let mut glyphs: Vec<_> = out.glyph_infos().iter().zip(out.glyph_positions()).collect();
        if rtl {
            glyphs.reverse();
        }
        // Cluster starts (byte offsets) in order, to find where each cluster's text ends.
        let mut starts: Vec<usize> = glyphs.iter().map(|(info, _)| info.cluster as usize).collect();
        starts.sort_unstable();
        starts.dedup();
        let char_at = char_indexes(text);
        let scale = size / f.upem;
        let mut res = Vec::with_capacity(glyphs.len());
        for (i, (info, p)) in glyphs.iter().enumerate() {
            let cl = info.cluster as usize;
            let start = i == 0 || glyphs[i - 1].0.cluster != info.cluster;
            let next = starts.get(starts.partition_point(|c| *c <= cl)).copied().unwrap_or(text.len());
            let cluster_text = &text[cl..next];
            let first = cluster_text.chars().next().unwrap_or(' ');
            let old = info.glyph_id as u16;
            let missing = old == 0 && needs_glyph(first);
            if missing && !self.missing.contains(&first) {
                self.missing.push(first);
            }
            let gid = f.remap.remap(old);
            if start && old != 0 {
                f.unicode.entry(gid).or_insert_with(|| cluster_text.to_owned());
            }
            let nominal = f.face.glyph_hor_advance(ttf_parser::GlyphId(old)).unwrap_or(0) as f32 * scale;
            let adv = match (old, missing) {
                // A replacement box needs room; an invisible character the font lacks takes none.
                (0, true) => (p.x_advance as f32 * scale).max(size * 0.6),
                (0, false) => 0.0,
                _ => p.x_advance as f32 * scale,
            };
            res.push(Shaped {
                font,
                gid,
                adv,
                nominal,
                cluster: chars_before + char_at[cl],
                cluster_start: start,
                is_space: first == ' ',
                missing,
                bidi: Bidi::of(first, rtl),
            });
        }
        res
    }
}

/// Byte offset → char index, for every char boundary of `text` and its end.
fn char_indexes(text: &str) -> Vec<usize> {
    let mut char_at = vec![0usize; text.len() + 1];
    let mut n = 0;
    for (b, _) in text.char_indices() {
        char_at[b] = n;
        n += 1;
    }
    char_at[text.len()] = n;
    char_at
}

/// How a glyph takes part in ordering a line: a simplified Unicode bidirectional algorithm
/// for left-to-right paragraphs with right-to-left runs in them (Arabic, Hebrew quotes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bidi {
    Ltr,
    Rtl,
    /// Digits and their separators: left to right, also inside right-to-left text.
    Number,
    /// Spaces and punctuation: they take the direction of the text around them.
    Neutral,
}

impl Bidi {
    /// The class of a cluster's first char, in a run that rustybuzz shaped right to left or not.
    fn of(c: char, rtl_run: bool) -> Bidi {
        let digit = c.is_ascii_digit() || matches!(c, '\u{660}'..='\u{669}' | '\u{6F0}'..='\u{6F9}');
        if digit || matches!(c, '.' | ',' | ':' | '%' | '\u{66B}' | '\u{66C}') {
            Bidi::Number
        } else if c.is_whitespace()
            || c.is_ascii_punctuation()
            || matches!(c, '\u{60C}' | '\u{2000}'..='\u{206F}' | '\u{3000}'..='\u{303F}')
        {
            Bidi::Neutral
        } else if rtl_run || is_rtl_script(c) {
            Bidi::Rtl
        } else {
            Bidi::Ltr
        }
    }
}

/// Letters of the right-to-left scripts: Hebrew, Arabic, Syriac, Thaana, NKo, Samaritan,
/// Mandaic and their presentation forms, and the historic ones of the SMP.
fn is_rtl_script(c: char) -> bool {
    matches!(c, '\u{590}'..='\u{8FF}' | '\u{FB1D}'..='\u{FDFF}' | '\u{FE70}'..='\u{FEFF}' | '\u{10800}'..='\u{10FFF}' | '\u{1E800}'..='\u{1EFFF}')
}

/// Puts one line's items from logical into visual order: each stretch from a right-to-left
/// item to the last right-to-left item before left-to-right text is reversed, and the
/// numbers inside it are turned back to read left to right.
pub fn visual_order<T>(items: &mut [T], bidi: impl Fn(&T) -> Bidi) {
    let mut i = 0;
    while i < items.len() {
        if bidi(&items[i]) != Bidi::Rtl {
            i += 1;
            continue;
        }
        let mut end = i;
        let mut k = i + 1;
        while k < items.len() && bidi(&items[k]) != Bidi::Ltr {
            if bidi(&items[k]) == Bidi::Rtl {
                end = k;
            }
            k += 1;
        }
        let stretch = &mut items[i..=end];
        stretch.reverse();
        let mut n = 0;
        while n < stretch.len() {
            let len = stretch[n..].iter().take_while(|t| bidi(t) == Bidi::Number).count();
            stretch[n..n + len].reverse();
            n += len.max(1);
        }
        i = end + 1;
    }
}

fn font_data(name: String, data: &[u8], index: u32, serif: bool, italic: bool) -> Option<FontData<'_>> {
    let face = rustybuzz::Face::from_slice(data, index)?;
    if !embeddable(&face) {
        return None;
    }
    let upem = face.units_per_em() as f32;
    let cff = face.tables().glyf.is_none();
    let ascii = (' '..='~').all(|c| face.glyph_index(c).is_some());
    Some(FontData {
        name,
        data,
        index,
        face,
        remap: GlyphRemapper::new(),
        unicode: HashMap::new(),
        upem,
        serif,
        italic,
        cff,
        ascii,
        used: false,
    })
}

/// The face's PostScript name, if it is one a PDF name can hold as it is.
fn postscript_name(face: &ttf_parser::Face<'_>) -> Option<String> {
    let name = face
        .names()
        .into_iter()
        .filter(|n| n.name_id == ttf_parser::name_id::POST_SCRIPT_NAME)
        .find_map(|n| n.to_string())?;
    let ok = !name.is_empty()
        && name.len() <= 63
        && name.bytes().all(|b| b.is_ascii_graphic() && !b"()<>[]{}/%#".contains(&b));
    ok.then_some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn right_to_left_stretches_are_reversed_with_their_numbers_kept() {
        use Bidi::*;
        let logical = [
            ("a", Ltr),
            (" ", Neutral),
            ("R1", Rtl),
            (" ", Neutral),
            ("1", Number),
            ("2", Number),
            (" ", Neutral),
            ("R2", Rtl),
            (".", Number),
            (" ", Neutral),
            ("b", Ltr),
            (" ", Neutral),
            ("R3", Rtl),
        ];
        let mut visual = logical;
        visual_order(&mut visual, |t| t.1);
        let text: Vec<&str> = visual.iter().map(|t| t.0).collect();
        assert_eq!(text, ["a", " ", "R2", " ", "1", "2", " ", "R1", ".", " ", "b", " ", "R3"]);
        assert_eq!(Bidi::of('م', false), Rtl, "Arabic letters are right to left in any run");
        assert_eq!(Bidi::of('\u{60C}', true), Neutral, "the Arabic comma takes its side's direction");
        assert_eq!(Bidi::of('٣', true), Number);
        assert_eq!(Bidi::of('x', false), Ltr);
    }
}
