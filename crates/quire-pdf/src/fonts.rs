//! The fonts a PDF is set in, as bytes.

/// TrueType/OpenType font files: a serif for the body, a sans for headings and metadata, a
/// monospace for preformatted text.
#[derive(Debug, Clone, Copy)]
pub struct Fonts<'a> {
    pub serif_regular: &'a [u8],
    pub serif_bold: &'a [u8],
    pub serif_italic: &'a [u8],
    pub sans_regular: &'a [u8],
    pub sans_bold: &'a [u8],
    pub mono: &'a [u8],
}

/// The fonts committed in the repository's `fonts/` folder (Noto Serif, Noto Sans, Noto Sans
/// Mono; SIL Open Font License 1.1, see `fonts/OFL.txt`), compiled into the binary.
pub fn bundled() -> Fonts<'static> {
    Fonts {
        serif_regular: include_bytes!("../../../fonts/NotoSerif-Regular.ttf"),
        serif_bold: include_bytes!("../../../fonts/NotoSerif-Bold.ttf"),
        serif_italic: include_bytes!("../../../fonts/NotoSerif-Italic.ttf"),
        sans_regular: include_bytes!("../../../fonts/NotoSans-Regular.ttf"),
        sans_bold: include_bytes!("../../../fonts/NotoSans-Bold.ttf"),
        mono: include_bytes!("../../../fonts/NotoSansMono-Regular.ttf"),
    }
}
