//! From a web page (HTML) or a plain-text file to a Quire article: metadata plus the
//! document model of `quire-doc`.
//!
//! This crate is pure: it never touches SQLite, the file system or the network. It decides
//! how page bytes decode ([`decode_html`]) and which addresses are the same page
//! ([`normalize_url`]), but never fetches anything. Bad input is
//! never an error: every function returns an [`Extracted`] article, with warnings saying what
//! went wrong; an input with no text at all yields an empty document that the caller refuses.

mod address;
mod charset;
mod format;
mod html;
mod hygiene;
mod nesting;

use quire_doc::{BlockKind, Document, DocumentBuilder};
use serde::Serialize;

pub use address::{normalize_url, parse_web_address, AddressProblem};
pub use charset::{decode_html, decode_text, is_binary, CharsetSource, Decoded};
pub use format::{format_of_extension, looks_like_address, sniff, split_web_archive, Format, WebArchive};
pub use html::{from_html, HtmlOptions};
pub use hygiene::{
    clean_line, has_visible_text, is_invisible, is_stray_control, is_unloaded_image_source, keep_images, language_tag,
    same_site, strip_controls, tidy, without_credentials, MAX_LANGUAGE_TAG,
};
pub use nesting::{limit_nesting, MAX_DEPTH};

/// Article metadata as found in the source.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Metadata {
    pub title: String,
    pub byline: Option<String>,
    pub site_name: Option<String>,
    /// As the page states it (usually RFC 3339).
    pub published: Option<String>,
    pub language: Option<String>,
    /// Text direction, `ltr` or `rtl`, when the page says.
    pub direction: Option<String>,
    pub excerpt: Option<String>,
    pub canonical_url: Option<String>,
}

/// The result of extraction: an article and what the extractor had to say about it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Extracted {
    pub meta: Metadata,
    pub document: Document,
    pub warnings: Vec<String>,
}

impl Extracted {
    /// True when the source held no text at all.
    pub fn is_empty(&self) -> bool {
        self.document.blocks.iter().all(|b| b.start == b.end)
    }
}

/// A plain-text article: the first non-empty line is the title; blank lines separate
/// paragraphs; single line breaks inside a paragraph become spaces. Every other line is kept
/// verbatim, boilerplate included: in plain text, only the reader knows what is noise.
pub fn from_text(text: &str) -> Extracted {
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let mut lines = text.lines();
    let title = lines.by_ref().map(str::trim).find(|l| !l.is_empty()).unwrap_or_default().to_owned();
    let mut builder = DocumentBuilder::new();
    let mut in_paragraph = false;
    for line in lines {
        if line.trim().is_empty() {
            in_paragraph = false;
            continue;
        }
        if !in_paragraph {
            builder.start_block(BlockKind::Paragraph);
            in_paragraph = true;
        } else {
            builder.push_text(" ", Default::default());
        }
        builder.push_text(line, Default::default());
    }
    let document = builder.finish();
    let excerpt = excerpt_of(&document);
    let mut extracted =
        Extracted { meta: Metadata { title, excerpt, ..Metadata::default() }, document, warnings: Vec::new() };
    hygiene::tidy(&mut extracted, None);
    if extracted.meta.title.is_empty() {
        extracted.warnings.push("the text is empty".to_owned());
    }
    extracted
}

/// The first paragraph, cut to about 200 characters at a word boundary.
fn excerpt_of(document: &Document) -> Option<String> {
    let block = document.blocks.iter().find(|b| matches!(b.kind, BlockKind::Paragraph) && b.start < b.end)?;
    let text = block.text();
    if text.chars().count() <= 200 {
        return Some(text);
    }
    let cut: String = text.chars().take(200).collect();
    let cut = cut.rsplit_once(' ').map_or(cut.as_str(), |(a, _)| a);
    Some(format!("{cut}…"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_title_paragraphs_and_verbatim_lines() {
        let e =
            from_text("\u{feff}\n  My title \n\nfirst line\nsame paragraph\n\n\n Leave a Reply \n\nBack to top button");
        assert_eq!(e.meta.title, "My title");
        assert_eq!(e.document.canonical_text(), "first line same paragraph\n\nLeave a Reply\n\nBack to top button");
        assert_eq!(e.meta.excerpt.as_deref(), Some("first line same paragraph"));
        assert!(e.warnings.is_empty());
    }

    #[test]
    fn empty_text_is_empty_with_a_warning() {
        let e = from_text(" \n\n ");
        assert!(e.is_empty());
        assert_eq!(e.warnings, ["the text is empty"]);
    }
}
