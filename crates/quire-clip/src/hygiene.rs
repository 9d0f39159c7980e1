//! What text and addresses may be when they enter the document model, whatever they came
//! from (a page, a text file, a browser, another app's export): no control characters (a
//! title must not set a terminal's title, clear its screen or ring its bell), a language
//! that is a language tag, a direction that is a direction, addresses without credentials, and
//! a canonical address only when it is on the page's own site.
//!
//! [`tidy`] applies every rule to an [`Extracted`] article; [`from_html`](crate::from_html) and
//! [`from_text`](crate::from_text) end with it, and the library applies it again to what it
//! builds itself. It changes nothing that already follows the rules.

use std::borrow::Cow;

use quire_doc::{BlockKind, Document, DocumentBuilder};
use url::Url;

use crate::Extracted;

/// Longest language tag kept (RFC 5646 recommends supporting at least 35 characters).
pub const MAX_LANGUAGE_TAG: usize = 35;

/// Whether a character is a control character that text never keeps: C0 controls but tab and
/// line feed, DEL, C1 controls, and U+FEFF (a byte-order mark inside text is debris). Other
/// invisible format characters stay: zero-width joiners shape emoji and Indic or Persian
/// text, and bidirectional marks place punctuation in right-to-left text.
pub fn is_stray_control(c: char) -> bool {
    (c.is_control() && c != '\t' && c != '\n') || c == '\u{feff}'
}

pub use quire_doc::address::is_invisible;

/// Whether the text holds something to see: a character that is neither whitespace, nor a
/// control, nor [invisible](is_invisible).
pub fn has_visible_text(s: &str) -> bool {
    s.chars().any(|c| !c.is_whitespace() && !c.is_control() && !is_invisible(c))
}

/// The text without stray control characters ([`is_stray_control`]). Those that separate
/// lines or pages (CR, VT, FF, NEL) become a line feed (CR LF becomes one), so the words on
/// either side stay apart; the others are removed.
pub fn strip_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(is_stray_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\r' if chars.peek() == Some(&'\n') => {}
            '\r' | '\u{b}' | '\u{c}' | '\u{85}' => out.push('\n'),
            c if is_stray_control(c) => {}
            c => out.push(c),
        }
    }
    Cow::Owned(out)
}

/// One line of metadata (a title, a byline): no stray controls, whitespace collapsed, trimmed;
/// `None` when nothing is left.
pub fn clean_line(s: &str) -> Option<String> {
    let s = strip_controls(s);
    let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
    (!s.is_empty()).then_some(s)
}

/// A language as a BCP 47 tag: subtags of 1 to 8 ASCII letters or digits joined by hyphens,
/// the first of letters, at most [`MAX_LANGUAGE_TAG`] characters (`en_US` is read as `en-US`).
/// `None` for anything else: a language attribute is not a place for markup.
pub fn language_tag(s: &str) -> Option<String> {
    let tag = s.trim().replace('_', "-");
    let mut subtags = tag.split('-');
    let first = subtags.next()?;
    let shaped = tag.len() <= MAX_LANGUAGE_TAG
        && (1..=8).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && subtags.all(|t| (1..=8).contains(&t.len()) && t.bytes().all(|b| b.is_ascii_alphanumeric()));
    shaped.then_some(tag)
}

/// The address without a user name or password (`https://user:pass@host/` → `https://host/`);
/// anything that is not an absolute URL with credentials is returned as it is.
pub fn without_credentials(address: &str) -> Cow<'_, str> {
    if !address.contains('@') {
        return Cow::Borrowed(address);
    }
    match Url::parse(address.trim()) {
        Ok(mut url) if !url.username().is_empty() || url.password().is_some() => {
            // Only URLs with a host have credentials, and those accept these two calls.
            let _ = url.set_username("");
            let _ = url.set_password(None);
            Cow::Owned(url.to_string())
        }
        _ => Cow::Borrowed(address),
    }
}

/// Whether a canonical address is on the same site as the page that declares it: the same
/// host, ignoring a leading `www.` (and the scheme and port). A page cannot speak for another
/// site's articles.
pub fn same_site(page: &str, canonical: &str) -> bool {
    let host = |s: &str| {
        Url::parse(s.trim())
            .ok()
            .filter(|u| matches!(u.scheme(), "http" | "https"))
            .and_then(|u| u.host_str().map(|h| h.trim_start_matches("www.").trim_end_matches('.').to_owned()))
    };
    match (host(page), host(canonical)) {
        (Some(a), Some(b)) => !a.is_empty() && a == b,
        _ => false,
    }
}

/// Whether an image source may enter the document model before its image is loaded: an
/// [image source](quire_doc::address::is_image_source) to keep, or what only loading turns
/// into one — an inline `data:image/`, or an address relative to the page's file (no scheme).
/// Once images are loaded, only the first kind stays ([`keep_images`]).
pub fn is_unloaded_image_source(src: &str) -> bool {
    let s = src.to_ascii_lowercase();
    let relative = !s.trim().is_empty()
        && !s.starts_with('#')
        && !s.chars().any(|c| c.is_control() || is_invisible(c))
        && s.find(':').is_none_or(|colon| s[..colon].contains(['/', '?', '#']));
    quire_doc::address::is_image_source(src) || s.starts_with("data:image/") || relative
}

/// Applies every rule of this module to an article whose page was at `page_url` (when known):
/// metadata lines cleaned, a language that is not a language tag and a direction other than
/// `ltr`/`rtl` dropped, credentials taken out of the canonical address, links and image
/// sources, a canonical address that is not a web address or is on another site than the
/// page's dropped (with a warning: the page's own address identifies it), a link that is not
/// http(s) or mailto and an image whose source is neither loadable nor kept (or is the page
/// itself) dropped with a warning (the link's text and the image's caption stay), and stray
/// controls taken out of the document's text (the document is rebuilt only when it needs it).
pub fn tidy(extracted: &mut Extracted, page_url: Option<&str>) {
    let meta = &mut extracted.meta;
    let warnings = &mut extracted.warnings;
    let had_title = !meta.title.trim().is_empty();
    meta.title = clean_line(&meta.title).unwrap_or_default();
    for field in [&mut meta.byline, &mut meta.site_name, &mut meta.published, &mut meta.excerpt] {
        *field = field.as_deref().and_then(clean_line);
    }
    if let Some(given) = meta.language.take() {
        meta.language = language_tag(&given);
        if meta.language.is_none() && !given.trim().is_empty() {
            warnings.push(format!("ignored the page's language {}: not a language tag", shown(&given)));
        }
    }
    meta.direction =
        meta.direction.as_deref().map(|d| d.trim().to_ascii_lowercase()).filter(|d| d == "ltr" || d == "rtl");
    let page = page_url.filter(|p| quire_doc::address::is_web(p));
    if let Some(canonical) = meta.canonical_url.take() {
        let canonical = without_credentials(canonical.trim()).into_owned();
        let web = quire_doc::address::is_web(&canonical) && Url::parse(&canonical).is_ok_and(|u| u.has_host());
        match page {
            _ if !web => warnings
                .push(format!("ignored the page's canonical address {}: not an http(s) address", shown(&canonical))),
            Some(page) if !same_site(page, &canonical) => warnings.push(format!(
                "ignored the page's canonical address {}: it is on another site than the page",
                shown(&canonical)
            )),
            _ => meta.canonical_url = Some(canonical),
        }
    }
    let page_itself = page.map(|p| p.split('#').next().unwrap_or_default().to_owned());
    let keep_image = |src: &str| {
        is_unloaded_image_source(src) && page_itself.as_deref().is_none_or(|p| src.split('#').next() != Some(p))
    };
    if needs_tidying(&extracted.document, &keep_image) {
        extracted.document = tidied(&extracted.document, &keep_image, warnings);
    }
    if meta.title.is_empty() && had_title {
        if let Some(first) = extracted.document.blocks.iter().find(|b| b.start < b.end) {
            meta.title = first.text().chars().take(80).collect();
        }
    }
}

/// Takes out every image whose source `keep` refuses, with a warning for each: the image's
/// caption stays as a paragraph (so the text, and every offset in it, is unchanged).
pub fn keep_images(extracted: &mut Extracted, keep: impl Fn(&str) -> bool) {
    if needs_tidying(&extracted.document, &keep) {
        extracted.document = tidied(&extracted.document, &keep, &mut extracted.warnings);
    }
}

/// A value quoted for a warning: escaped, and cut to 60 characters.
fn shown(value: &str) -> String {
    let cut: String = value.chars().take(60).collect();
    let ellipsis = if cut.len() < value.len() { "…" } else { "" };
    format!("{cut:?}{ellipsis}")
}

fn needs_tidying(document: &Document, keep_image: &dyn Fn(&str) -> bool) -> bool {
    let dirty_address = |a: &str| a.contains('@') && matches!(without_credentials(a), Cow::Owned(_));
    let bad_link = |a: &str| dirty_address(a) || !quire_doc::address::is_link(a);
    document.blocks.iter().any(|b| {
        let kind = match &b.kind {
            BlockKind::Image { src, alt } => {
                dirty_address(src) || !keep_image(src) || alt.chars().any(is_stray_control)
            }
            _ => false,
        };
        kind || b
            .spans
            .iter()
            .any(|s| s.text.chars().any(is_stray_control) || s.marks.link.as_deref().is_some_and(bad_link))
    })
}

fn tidied(document: &Document, keep_image: &dyn Fn(&str) -> bool, warnings: &mut Vec<String>) -> Document {
    let mut builder = DocumentBuilder::new();
    let (mut links, mut images) = (Vec::new(), Vec::new());
    for block in &document.blocks {
        let kind = match &block.kind {
            BlockKind::Image { src, .. } if !keep_image(&without_credentials(src)) => {
                images.push(shown(src));
                BlockKind::Paragraph
            }
            BlockKind::Image { src, alt } => BlockKind::Image {
                src: without_credentials(src).into_owned(),
                alt: clean_line(alt).unwrap_or_default(),
            },
            kind => kind.clone(),
        };
        builder.start_block(kind);
        for span in &block.spans {
            let mut marks = span.marks.clone();
            marks.link = marks.link.as_deref().map(|l| without_credentials(l).into_owned()).filter(|l| {
                let keep = quire_doc::address::is_link(l);
                if !keep {
                    links.push(shown(l));
                }
                keep
            });
            builder.push_text(&strip_controls(&span.text), marks);
        }
    }
    links.dedup();
    for link in links {
        warnings.push(format!("left out the link {link}: only http(s) and mailto links are kept"));
    }
    for image in images {
        warnings.push(format!("left out the image {image}: no copy of it is kept and it is not an http(s) address"));
    }
    builder.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn controls_are_stripped_and_line_breaks_kept_apart() {
        let cases = [
            ("plain text", "plain text"),
            ("tab\tand\nnewline", "tab\tand\nnewline"),
            ("\u{1b}]0;owned\u{7}Title", "]0;ownedTitle"),
            ("\u{1b}[31mred\u{1b}[0m", "[31mred[0m"),
            ("\u{1b}[2J\u{1b}[H", "[2J[H"),
            ("nul\u{0}bel\u{7}del\u{7f}", "nulbeldel"),
            ("c1\u{9b}31m csi \u{9d}osc", "c131m csi osc"),
            ("cr\r\nlf", "cr\nlf"),
            ("old\rmac", "old\nmac"),
            ("page\u{c}break\u{b}tab\u{85}nel", "page\nbreak\ntab\nnel"),
            ("\u{feff}bom\u{feff}", "bom"),
            // Kept: bidi marks, joiners, non-Latin text.
            ("\u{200f}שלום\u{200e} a\u{200d}b \u{200c}", "\u{200f}שלום\u{200e} a\u{200d}b \u{200c}"),
            ("Україна 😀", "Україна 😀"),
        ];
        for (input, expected) in cases {
            assert_eq!(strip_controls(input), expected, "{input:?}");
        }
    }

    #[test]
    fn visible_text() {
        for yes in ["a", " \u{200b}x ", "שלום", "😀", "\u{200d}\u{1f469}"] {
            assert!(has_visible_text(yes), "{yes:?}");
        }
        for no in [
            "",
            " \n\t ",
            "\u{200b}\u{200c}\u{200d}\u{feff}",
            "\u{1b}\u{7}\u{0}",
            "\u{200e}\u{2066}\u{ad}\u{a0}\u{3000}",
        ] {
            assert!(!has_visible_text(no), "{no:?}");
        }
    }

    #[test]
    fn language_tags() {
        for (input, expected) in [
            ("en", Some("en")),
            (" en-US ", Some("en-US")),
            ("en_GB", Some("en-GB")),
            ("zh-Hant-TW", Some("zh-Hant-TW")),
            ("sr-Latn-RS-x-private", Some("sr-Latn-RS-x-private")),
            ("", None),
            ("en\"><script>alert(1)</script>", None),
            ("en us", None),
            ("en--US", None),
            ("1en", None),
            ("en-toolongsubtag", None),
            ("a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r", Some("a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r")),
            ("a-b-c-d-e-f-g-h-i-j-k-l-m-n-o-p-q-r-s", None),
            ("\u{1b}[31m", None),
        ] {
            assert_eq!(language_tag(input).as_deref(), expected, "{input:?}");
        }
    }

    #[test]
    fn credentials_and_sites() {
        assert_eq!(without_credentials("https://user:pass@example.com/a?b#c"), "https://example.com/a?b#c");
        assert_eq!(without_credentials("https://user@example.com/"), "https://example.com/");
        assert_eq!(without_credentials("https://example.com/@name"), "https://example.com/@name");
        assert_eq!(without_credentials("mailto:someone@example.com"), "mailto:someone@example.com");
        assert_eq!(without_credentials("img/a@2x.png"), "img/a@2x.png");
        assert!(same_site("https://www.example.com/a", "http://example.com/b"));
        assert!(same_site("https://example.com/a", "https://EXAMPLE.com:8443/b"));
        assert!(!same_site("https://evil.example/a", "https://example.com/a"));
        assert!(!same_site("https://a.example.com/", "https://b.example.com/"));
        assert!(!same_site("https://example.com/", "example.com/a"));
    }

    /// Every string of an extracted article that could be stored or printed.
    fn strings(e: &Extracted) -> Vec<String> {
        let m = &e.meta;
        let mut all = vec![m.title.clone()];
        all.extend(
            [&m.byline, &m.site_name, &m.published, &m.language, &m.direction, &m.excerpt, &m.canonical_url]
                .into_iter()
                .flatten()
                .cloned(),
        );
        all.extend(e.warnings.iter().cloned());
        for b in &e.document.blocks {
            if let BlockKind::Image { src, alt } = &b.kind {
                all.extend([src.clone(), alt.clone()]);
            }
            for s in &b.spans {
                all.push(s.text.clone());
                all.extend(s.marks.link.clone());
            }
        }
        all
    }

    const ARTICLE: &str = "Readability wants a few hundred characters before it trusts a block of text, so here \
        are some sentences about allies, summits and the weather, and then a few more of them, until the paragraph \
        is long enough to count as the article's content rather than as page chrome around it.";

    /// Hostile pages as an attacker would write them: what is kept holds no control
    /// character, no credentials, no markup in the language, no other site's canonical.
    #[test]
    fn hostile_pages_are_tidied() {
        struct Case {
            html: String,
            url: Option<&'static str>,
            title: &'static str,
            language: Option<&'static str>,
            canonical: Option<&'static str>,
        }
        let page = |head: &str, body: &str| {
            format!(
                "<html{head}><head><title>T</title></head><body><article><h1>T</h1><p>{body} {ARTICLE}</p>\
                 </article></body></html>"
            )
        };
        let cases = [
            Case {
                html: "<html><head><title>\u{1b}]0;pwned\u{7}Nice \u{1b}[31mtitle\u{1b}[0m\u{1b}[2J</title></head>\
                       <body><article><p>Text \u{1b}[2J\u{1b}[Hwith\u{0}\u{7}\u{9b}controls. "
                    .to_owned()
                    + ARTICLE
                    + "</p></article></body></html>",
                url: None,
                title: "]0;pwnedNice [31mtitle[0m[2J",
                language: None,
                canonical: None,
            },
            Case {
                html: page(" lang='en\"&gt;&lt;script&gt;alert(1)&lt;/script&gt;'", "Language."),
                url: Some("https://example.com/a"),
                title: "T",
                language: None,
                canonical: None,
            },
            Case {
                html: page(" lang='pt_BR'", "Language."),
                url: None,
                title: "T",
                language: Some("pt-BR"),
                canonical: None,
            },
            Case {
                html: page(
                    "",
                    "A <a href='https://u:p@example.org/x'>link</a> and <img src='https://u:p@example.org/i.png'>.",
                )
                .replace("<title>T</title>", "<title>T</title><link rel=canonical href='https://u:p@example.com/b'>"),
                url: Some("https://user:pass@www.example.com/a"),
                title: "T",
                language: None,
                canonical: Some("https://example.com/b"),
            },
            Case {
                html: page("", "Canonical elsewhere.").replace(
                    "<title>T</title>",
                    "<title>T</title><link rel=canonical href='https://victim.example/article'>",
                ),
                url: Some("https://evil.example/copy"),
                title: "T",
                language: None,
                canonical: None,
            },
            Case {
                html: page("", "Canonical, no page address.").replace(
                    "<title>T</title>",
                    "<title>T</title><link rel=canonical href='https://example.com/saved'>",
                ),
                url: None,
                title: "T",
                language: None,
                canonical: Some("https://example.com/saved"),
            },
        ];
        for case in cases {
            let e = crate::from_html(&case.html, &crate::HtmlOptions { url: case.url });
            let label = &case.html[..60.min(case.html.len())];
            assert_eq!(e.meta.title, case.title, "{label}");
            assert_eq!(e.meta.language.as_deref(), case.language, "{label}");
            assert_eq!(e.meta.canonical_url.as_deref(), case.canonical, "{label}");
            for s in strings(&e) {
                assert!(!s.chars().any(is_stray_control), "{label}: {s:?}");
                assert!(!s.contains("u:p@") && !s.contains("user:pass"), "{label}: {s:?}");
            }
            assert!(!e.is_empty(), "{label}");
        }
        let text = crate::from_text("\u{1b}]0;x\u{7}Title\u{1b}[0m\r\n\r\nBody\u{0} text\u{1b}[2J\rmore\u{c}");
        assert_eq!(text.meta.title, "]0;xTitle[0m");
        assert_eq!(text.document.canonical_text(), "Body text[2J more");
        assert!(strings(&text).iter().all(|s| !s.chars().any(is_stray_control)));
    }
}
