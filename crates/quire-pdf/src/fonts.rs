//! The fonts a PDF is set in, as bytes.

/// TrueType/OpenType font files: a serif for the body, a sans for headings and metadata, a
/// monospace for preformatted text, and the faces to fall back on for characters they lack.
#[derive(Debug, Clone)]
pub struct Fonts<'a> {
    pub serif_regular: &'a [u8],
    pub serif_bold: &'a [u8],
    pub serif_italic: &'a [u8],
    pub sans_regular: &'a [u8],
    pub sans_bold: &'a [u8],
    pub mono: &'a [u8],
    /// Tried in order for each run of characters the run's own font has no glyph for (CJK,
    /// Arabic, symbols…): typically system fonts the caller looked up with [`Fonts::lacking`]
    /// and [`FallbackFace::covers`]. Only the faces a glyph is taken from are embedded.
    pub fallbacks: Vec<FallbackFace<'a>>,
}

/// One face of an OpenType/TrueType file or collection.
#[derive(Debug, Clone, Copy)]
pub struct FallbackFace<'a> {
    pub data: &'a [u8],
    /// The face's index in a collection (`.ttc`), else 0.
    pub index: u32,
}

/// The fonts committed in the repository's `fonts/` folder (Noto Serif, Noto Sans, Noto Sans
/// Mono; SIL Open Font License 1.1, see `fonts/OFL.txt`), compiled into the binary; no fallbacks.
pub fn bundled() -> Fonts<'static> {
    Fonts {
        serif_regular: include_bytes!("../../../fonts/NotoSerif-Regular.ttf"),
        serif_bold: include_bytes!("../../../fonts/NotoSerif-Bold.ttf"),
        serif_italic: include_bytes!("../../../fonts/NotoSerif-Italic.ttf"),
        sans_regular: include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
        sans_bold: include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
        mono: include_bytes!("../../../fonts/NotoSansMono-Regular.ttf"),
        fallbacks: Vec::new(),
    }
}

impl<'a> Fonts<'a> {
    /// The six fonts with their names as embedded.
    pub(crate) fn primary(&self) -> [(&'static str, &'a [u8]); 6] {
        [
            ("NotoSerif-Regular", self.serif_regular),
            ("NotoSerif-Bold", self.serif_bold),
            ("NotoSerif-Italic", self.serif_italic),
            ("NotoSans-Regular", self.sans_regular),
            ("NotoSans-Bold", self.sans_bold),
            ("NotoSansMono-Regular", self.mono),
        ]
    }

    /// The characters of `chars` that at least one of the six fonts has no glyph for, so that
    /// text set in it would need a fallback face (whitespace and invisible format characters
    /// need no glyph and are never listed). Sorted, without repeats.
    pub fn lacking(&self, chars: impl IntoIterator<Item = char>) -> crate::Result<Vec<char>> {
        let faces = self
            .primary()
            .map(|(name, data)| ttf_parser::Face::parse(data, 0).map_err(|_| crate::Error::Font(name.to_owned())));
        let faces = faces.into_iter().collect::<crate::Result<Vec<_>>>()?;
        let mut out: Vec<char> = chars
            .into_iter()
            .filter(|c| needs_glyph(*c) && faces.iter().any(|f| f.glyph_index(*c).is_none()))
            .collect();
        out.sort_unstable();
        out.dedup();
        Ok(out)
    }
}

impl FallbackFace<'_> {
    /// The characters of `chars` this face has a glyph for, in the order given. Empty when the
    /// face cannot be used: it does not parse, or it has no outlines a PDF can embed (bitmap
    /// color emoji, CFF2 variable fonts).
    pub fn covers(&self, chars: &[char]) -> Vec<char> {
        let Ok(face) = ttf_parser::Face::parse(self.data, self.index) else { return Vec::new() };
        if !embeddable(&face) {
            return Vec::new();
        }
        chars.iter().copied().filter(|c| face.glyph_index(*c).is_some()).collect()
    }
}

/// TrueType (`glyf`) or CFF outlines: what `subsetter` can subset and a PDF can embed.
pub(crate) fn embeddable(face: &ttf_parser::Face<'_>) -> bool {
    let t = face.tables();
    t.glyf.is_some() || t.cff.is_some()
}

/// Whether a character is drawn with a glyph of its own: not whitespace, a control or an
/// invisible format character (joiners, variation selectors, direction marks, tags).
pub(crate) fn needs_glyph(c: char) -> bool {
    !(c.is_whitespace()
        || c.is_control()
        || matches!(
            c,
            '\u{AD}'
                | '\u{200B}'..='\u{200F}'
                | '\u{202A}'..='\u{202E}'
                | '\u{2060}'..='\u{206F}'
                | '\u{FE00}'..='\u{FE0F}'
                | '\u{FEFF}'
                | '\u{E0000}'..='\u{E007F}'
                | '\u{E0100}'..='\u{E01EF}'
        ))
}

/// Characters that belong to the preceding one and are set in its font: combining marks,
/// joiners, variation selectors, emoji modifiers and tags.
pub(crate) fn is_attached(c: char) -> bool {
    matches!(
        c,
        '\u{300}'..='\u{36F}'
            | '\u{1AB0}'..='\u{1AFF}'
            | '\u{1DC0}'..='\u{1DFF}'
            | '\u{200C}'..='\u{200D}'
            | '\u{20D0}'..='\u{20FF}'
            | '\u{FE00}'..='\u{FE0F}'
            | '\u{FE20}'..='\u{FE2F}'
            | '\u{1F3FB}'..='\u{1F3FF}'
            | '\u{E0020}'..='\u{E007F}'
            | '\u{E0100}'..='\u{E01EF}'
    )
}
