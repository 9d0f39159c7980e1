//! Which addresses Quire keeps and writes out: the one scheme check. An article's source and
//! canonical addresses and its image sources are web addresses (`http:`/`https:`); a link in
//! its text may also be `mailto:`. Nothing else — no `javascript:`, `data:`, `file:`,
//! `vbscript:` — is stored (the library drops it where it enters, with a warning) or written
//! into an export (every exporter asks again before it writes a link).
//!
//! The check is on the address as written, with no leniency: browsers strip leading blanks and
//! controls and remove tabs and line breaks anywhere before they read the scheme, so an
//! address that does not start with its scheme, or holds a control or invisible character
//! anywhere, is refused rather than read the way one reader might.

use std::borrow::Cow;

/// Whether the address is a web address: `http://` or `https://` (in any case) at its very
/// start and something after it, with no control or invisible character anywhere.
pub fn is_web(address: &str) -> bool {
    clean(address) && (after_prefix(address, "http://") || after_prefix(address, "https://"))
}

/// Whether the address may be a link in an article's text or an export: a [web](is_web)
/// address or a `mailto:` one.
pub fn is_link(address: &str) -> bool {
    is_web(address) || (clean(address) && after_prefix(address, "mailto:"))
}

/// The address when it is a [web address](is_web), else `None`: for an optional address on
/// its way into the library or out into an export.
pub fn web(address: Option<&str>) -> Option<&str> {
    address.filter(|a| is_web(a))
}

/// The scheme of an image source that points at a copy stored in the library:
/// `quire-image:<sha256 hex>`.
pub const STORED_IMAGE_SCHEME: &str = "quire-image:";

/// Whether an image source is a copy stored in the library: [`STORED_IMAGE_SCHEME`] and a
/// SHA-256 in lower-case hex, nothing else.
pub fn is_stored_image(src: &str) -> bool {
    src.strip_prefix(STORED_IMAGE_SCHEME)
        .is_some_and(|hash| hash.len() == 64 && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f')))
}

/// Whether an image source may be kept in a stored article: a [stored copy](is_stored_image)
/// or a [web address](is_web).
pub fn is_image_source(src: &str) -> bool {
    is_stored_image(src) || is_web(src)
}

/// Whether a character is invisible on its own: a zero-width or format character (zero-width
/// space, non-joiner, joiner, bidirectional marks, embeddings, overrides and isolates, word
/// joiner and invisible operators, soft hyphen, U+FEFF, the Mongolian vowel separator).
pub fn is_invisible(c: char) -> bool {
    matches!(
        c,
        '\u{ad}'
            | '\u{180e}'
            | '\u{200b}'..='\u{200f}'
            | '\u{202a}'..='\u{202e}'
            | '\u{2060}'..='\u{2064}'
            | '\u{2066}'..='\u{2069}'
            | '\u{feff}'
    )
}

/// The address without invisible characters (bidi controls, zero-width characters) and
/// without controls or surrounding blanks: what is shown as an address or handed to the
/// system to open, so that what one sees is what opens (an RLO can make
/// `https://evil.example/gro.elpmaxe` read as `example.org`).
pub fn without_invisible(address: &str) -> Cow<'_, str> {
    let trimmed = address.trim();
    if trimmed.len() == address.len() && !address.chars().any(|c| is_invisible(c) || c.is_control()) {
        return Cow::Borrowed(address);
    }
    Cow::Owned(trimmed.chars().filter(|&c| !is_invisible(c) && !c.is_control()).collect())
}

/// No control character (tab and line feed included: a browser removes them before it reads
/// the scheme) and no invisible one anywhere. A space inside is harmless to the scheme (the
/// address must start with it) and percent-encoded where it is written.
fn clean(address: &str) -> bool {
    !address.chars().any(|c| c.is_control() || is_invisible(c))
}

fn after_prefix(address: &str, prefix: &str) -> bool {
    address.len() > prefix.len() && address.get(..prefix.len()).is_some_and(|start| start.eq_ignore_ascii_case(prefix))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Addresses as an attacker writes them: every spelling of a script or local scheme, and
    /// the blanks, controls and invisible characters that make one reader see another scheme.
    #[test]
    fn only_web_and_mail_addresses_pass() {
        for web in ["http://example.com", "https://example.com/a?b#c", "HTTPS://EXAMPLE.COM/", "http://[::1]:8080/"] {
            assert!(is_web(web), "{web}");
            assert!(is_link(web), "{web}");
        }
        assert!(is_link("mailto:someone@example.com"));
        assert!(is_link("MAILTO:someone@example.com"));
        assert!(!is_web("mailto:someone@example.com"));
        for hostile in [
            "",
            "http://",
            "https:",
            "mailto:",
            "javascript:alert(1)",
            "JavaScript:alert(1)",
            " javascript:alert(1)",
            "\u{1}javascript:alert(1)",
            "java\tscript:alert(1)",
            "java\nscript:alert(1)",
            "javascript&colon;alert(1)",
            "jav&#x09;ascript:alert(1)",
            "vbscript:msgbox(1)",
            "data:text/html,<script>alert(1)</script>",
            "data:image/svg+xml,<svg onload=alert(1)>",
            "file:///etc/passwd",
            "quire://highlight/1",
            "ftp://example.com/",
            "//example.com/x",
            "/relative",
            " https://example.com/",
            "https://example.com/\n",
            "ht\ttps://example.com/",
            "https://exa\u{202e}elpm.com/",
            "\u{200b}https://example.com/",
            "\u{a0}https://example.com/",
        ] {
            assert!(!is_web(hostile), "{hostile:?}");
            assert!(!is_link(hostile), "{hostile:?}");
        }
        // A space inside is only a strange path.
        assert!(is_web("https://example.org/a b_(c)"));
        assert_eq!(web(Some("https://a.example/")), Some("https://a.example/"));
        assert_eq!(web(Some("javascript:alert(1)")), None);
        assert_eq!(web(None), None);
    }

    #[test]
    fn image_sources_are_stored_copies_or_web_addresses() {
        let hash = "a".repeat(64);
        assert!(is_image_source(&format!("quire-image:{hash}")));
        assert!(is_image_source("https://example.com/a.png"));
        for bad in [
            format!("quire-image:{hash}/../x"),
            "quire-image:".to_owned(),
            format!("quire-image:{}", "A".repeat(64)),
            "data:image/svg+xml,<svg onload=alert(1)>".to_owned(),
            "img/a.png".to_owned(),
            "javascript:alert(1)".to_owned(),
            "file:///etc/passwd".to_owned(),
        ] {
            assert!(!is_image_source(&bad), "{bad}");
        }
    }

    #[test]
    fn invisible_characters_are_taken_out_of_shown_addresses() {
        assert!(matches!(without_invisible("https://example.com/a"), Cow::Borrowed(_)));
        assert_eq!(
            without_invisible(" https://exa\u{200b}mple.com/\u{202e}gro.live\u{202c}\n"),
            "https://example.com/gro.live"
        );
        assert_eq!(without_invisible("\u{2066}https://a.example/\u{2069}\u{feff}"), "https://a.example/");
        assert_eq!(without_invisible("https://a.example/\u{ad}x\u{200d}y"), "https://a.example/xy");
    }
}
