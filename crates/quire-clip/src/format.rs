//! What kind of content an input holds: by a file's extension, by sniffing pasted or piped
//! bytes, and whether something typed into a clip box is a web address. Also splits a web
//! archive (`.mhtml`) into its page and its parts.

use std::collections::HashMap;

/// The kind of content an input holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Html,
    /// Plain text (Markdown is read as text).
    Text,
    /// A web archive (`.mhtml`/`.mht`): the page and its images in one MIME message.
    WebArchive,
}

/// The format of a file, by its extension (any case); `None` for files Quire does not read.
pub fn format_of_extension(extension: &str) -> Option<Format> {
    match extension.to_ascii_lowercase().as_str() {
        "html" | "htm" | "xhtml" => Some(Format::Html),
        "txt" | "text" | "md" | "markdown" => Some(Format::Text),
        "mhtml" | "mht" => Some(Format::WebArchive),
        _ => None,
    }
}

/// HTML when the bytes start like an HTML document or fragment, else text.
pub fn sniff(bytes: &[u8]) -> Format {
    let head = String::from_utf8_lossy(&bytes[..bytes.len().min(1024)]).trim_start().to_ascii_lowercase();
    let looks_html = ["<!doctype html", "<html", "<head", "<body", "<article", "<div", "<p>", "<p ", "<meta", "<!--"]
        .iter()
        .any(|t| head.starts_with(t));
    if looks_html {
        Format::Html
    } else {
        Format::Text
    }
}

/// Whether a clip box's input is a web address to fetch (one word with a scheme, `www.`, or a
/// dotted host) rather than pasted text.
pub fn looks_like_address(input: &str) -> bool {
    let trimmed = input.trim();
    !trimmed.is_empty()
        && !trimmed.contains(char::is_whitespace)
        && (trimmed.contains("://")
            || trimmed.starts_with("www.")
            || trimmed.split('/').next().is_some_and(|h| h.contains('.')))
}

/// A web archive split into its page and its parts.
#[derive(Debug, Clone, Default)]
pub struct WebArchive {
    /// The page, decoded to UTF-8 by the MIME parser.
    pub html: Vec<u8>,
    /// The page's own address (`Content-Location`).
    pub location: Option<String>,
    /// Other parts by `Content-Location`, and by `cid:` + `Content-ID`.
    pub parts: HashMap<String, Vec<u8>>,
}

/// Splits a web archive; `None` when it is not a MIME message with an HTML part.
pub fn split_web_archive(bytes: &[u8]) -> Option<WebArchive> {
    use mail_parser::MimeHeaders;
    let message = mail_parser::MessageParser::default().parse(bytes)?;
    let mut archive: Option<WebArchive> = None;
    let mut parts = HashMap::new();
    for part in &message.parts {
        if part.is_multipart() {
            continue;
        }
        let is_html = part.content_type().is_some_and(|ct| {
            ct.c_type.eq_ignore_ascii_case("text")
                && ct.c_subtype.as_deref().is_some_and(|s| s.eq_ignore_ascii_case("html"))
        });
        if is_html && archive.is_none() {
            // mail-parser decodes text parts to UTF-8 whatever their charset.
            let html = part.text_contents().map(|t| t.as_bytes().to_vec()).unwrap_or_else(|| part.contents().to_vec());
            archive =
                Some(WebArchive { html, location: part.content_location().map(str::to_owned), parts: HashMap::new() });
            continue;
        }
        if let Some(location) = part.content_location() {
            parts.insert(location.to_owned(), part.contents().to_vec());
        }
        if let Some(id) = part.content_id() {
            parts.insert(format!("cid:{}", id.trim_matches(['<', '>'])), part.contents().to_vec());
        }
    }
    archive.map(|a| WebArchive { parts, ..a })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats_by_extension_and_content() {
        assert_eq!(format_of_extension("HTM"), Some(Format::Html));
        assert_eq!(format_of_extension("md"), Some(Format::Text));
        assert_eq!(format_of_extension("mht"), Some(Format::WebArchive));
        assert_eq!(format_of_extension("pdf"), None);
        assert_eq!(sniff(b"  <!DOCTYPE html><p>x"), Format::Html);
        assert_eq!(sniff(b"<p>x</p>"), Format::Html);
        assert_eq!(sniff(b"Just words <p>"), Format::Text);
        assert_eq!(sniff(&[0xff, 0xfe, 0x00]), Format::Text);
    }

    #[test]
    fn addresses_are_told_from_pasted_text() {
        for yes in ["https://example.com/a", "www.example.com", "example.com/path", " example.org "] {
            assert!(looks_like_address(yes), "{yes}");
        }
        for no in ["", "   ", "two words.com", "no-dot-here", "<p>a.b</p> x"] {
            assert!(!looks_like_address(no), "{no}");
        }
    }

    #[test]
    fn a_web_archive_splits_into_page_and_parts() {
        let mhtml = b"MIME-Version: 1.0\r\nContent-Type: multipart/related; boundary=\"B\"\r\n\r\n--B\r\nContent-Type: text/html; charset=utf-8\r\nContent-Location: https://example.com/a\r\n\r\n<p>Hello</p>\r\n--B\r\nContent-Type: image/png\r\nContent-Location: https://example.com/i.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--B--\r\n";
        let archive = split_web_archive(mhtml).expect("an archive");
        assert!(String::from_utf8_lossy(&archive.html).contains("<p>Hello</p>"));
        assert_eq!(archive.location.as_deref(), Some("https://example.com/a"));
        assert_eq!(archive.parts.get("https://example.com/i.png").map(Vec::len), Some(8));
        assert!(split_web_archive(b"not a message at all").is_none());
    }
}
