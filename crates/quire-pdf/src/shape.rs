//! Fonts in use: shaping with rustybuzz, glyph bookkeeping for subsetting and ToUnicode.

use std::collections::HashMap;

use subsetter::GlyphRemapper;

use crate::{Error, Fonts, Result};

pub const SERIF: usize = 0;
pub const SERIF_BOLD: usize = 1;
pub const SERIF_ITALIC: usize = 2;
pub const SANS: usize = 3;
pub const SANS_BOLD: usize = 4;
pub const MONO: usize = 5;

pub struct FontData<'a> {
    pub name: &'static str,
    pub data: &'a [u8],
    pub face: rustybuzz::Face<'a>,
    /// Original glyph id → glyph id in the subset (which is also the CID).
    pub remap: GlyphRemapper,
    /// Subset glyph id → the text it stands for.
    pub unicode: HashMap<u16, String>,
    pub upem: f32,
    pub serif: bool,
    pub italic: bool,
}

pub struct FontSet<'a> {
    pub fonts: Vec<FontData<'a>>,
    /// Characters no font had a glyph for.
    pub missing: Vec<char>,
}

/// One shaped glyph; advances in points.
#[derive(Debug, Clone, Copy)]
pub struct Shaped {
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
}

impl<'a> FontSet<'a> {
    pub fn new(f: &Fonts<'a>) -> Result<Self> {
        let list: [(&'static str, &'a [u8], bool, bool); 6] = [
            ("NotoSerif-Regular", f.serif_regular, true, false),
            ("NotoSerif-Bold", f.serif_bold, true, false),
            ("NotoSerif-Italic", f.serif_italic, true, true),
            ("NotoSans-Regular", f.sans_regular, false, false),
            ("NotoSans-Bold", f.sans_bold, false, false),
            ("NotoSansMono-Regular", f.mono, false, false),
        ];
        let mut fonts = Vec::new();
        for (name, data, serif, italic) in list {
            let face = rustybuzz::Face::from_slice(data, 0).ok_or(Error::Font(name))?;
            let upem = face.units_per_em() as f32;
            fonts.push(FontData {
                name,
                data,
                face,
                remap: GlyphRemapper::new(),
                unicode: HashMap::new(),
                upem,
                serif,
                italic,
            });
        }
        Ok(FontSet { fonts, missing: Vec::new() })
    }

    /// Shapes `text` in one font at `size` points.
    pub fn shape(&mut self, font: usize, size: f32, text: &str) -> Vec<Shaped> {
        if text.is_empty() {
            return Vec::new();
        }
        let f = &mut self.fonts[font];
        let mut buf = rustybuzz::UnicodeBuffer::new();
        buf.push_str(text);
        buf.guess_segment_properties();
        let out = rustybuzz::shape(&f.face, &[], buf);
        // byte offset → char index
        let mut char_at = vec![0usize; text.len() + 1];
        let mut n = 0;
        for (b, _) in text.char_indices() {
            char_at[b] = n;
            n += 1;
        }
        char_at[text.len()] = n;
        let infos = out.glyph_infos();
        let pos = out.glyph_positions();
        let scale = size / f.upem;
        let mut res = Vec::with_capacity(infos.len());
        for (i, (info, p)) in infos.iter().zip(pos).enumerate() {
            let cl = info.cluster as usize;
            let start = i == 0 || infos[i - 1].cluster != info.cluster;
            let next = infos[i..].iter().map(|g| g.cluster as usize).find(|c| *c > cl).unwrap_or(text.len());
            let cluster_text = &text[cl..next.max(cl)];
            let first = cluster_text.chars().next().unwrap_or(' ');
            let old = info.glyph_id as u16;
            if old == 0 && !first.is_whitespace() && !first.is_control() && !self.missing.contains(&first) {
                self.missing.push(first);
            }
            let gid = f.remap.remap(old);
            if start && old != 0 {
                f.unicode.entry(gid).or_insert_with(|| cluster_text.to_owned());
            }
            let nominal = f.face.glyph_hor_advance(ttf_parser::GlyphId(old)).unwrap_or(0) as f32 * scale;
            res.push(Shaped {
                gid,
                adv: p.x_advance as f32 * scale,
                nominal,
                cluster: char_at[cl],
                cluster_start: start,
                is_space: first == ' ',
            });
        }
        res
    }

    /// Width of `text` in points.
    pub fn width(&mut self, font: usize, size: f32, text: &str) -> f32 {
        self.shape(font, size, text).iter().map(|g| g.adv).sum()
    }
}
