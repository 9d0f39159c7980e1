//! `quire://` links: `quire://highlight/ID` and `quire://article/ID`, as Quire's Markdown
//! exports write them (`quire_export::highlight_link`, `article_link`).
//!
//! A link is parsed here, strictly, into a [`LinkTarget`] (a kind and a positive id, nothing
//! else): no other host, no extra path segment, query or fragment, no sign, no leading zero,
//! nothing longer than an `i64`. The shell then checks that the highlight or article exists in
//! the open library and tells the window to open it; nothing from the link reaches a command
//! but that id.

use std::fmt;

/// The scheme Quire registers with the system.
pub const SCHEME: &str = "quire";

/// What a link opens.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LinkTarget {
    Highlight(i64),
    Article(i64),
}

/// Why a link is not opened, in words for a notice.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LinkError {
    /// Not a `quire:` link at all.
    NotQuire,
    /// A `quire:` link of a form Quire does not know.
    Unknown,
    /// The id is not a positive whole number Quire could have given.
    BadId,
}

impl fmt::Display for LinkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            LinkError::NotQuire => "Quire opens only its own links (quire://highlight/… and quire://article/…)",
            LinkError::Unknown => {
                "Quire does not know this link: it opens only quire://highlight/NUMBER and quire://article/NUMBER"
            }
            LinkError::BadId => "This Quire link does not name a highlight or article Quire could have made",
        })
    }
}

/// Links longer than this are refused before anything else is looked at.
const MAX_LEN: usize = 64;

/// Parses a `quire://highlight/ID` or `quire://article/ID` link (one trailing `/` allowed, as
/// some systems add it; the scheme and the host in any case).
pub fn parse(link: &str) -> Result<LinkTarget, LinkError> {
    if link.len() > MAX_LEN {
        return Err(if is_quire(link) { LinkError::Unknown } else { LinkError::NotQuire });
    }
    if !is_quire(link) {
        return Err(LinkError::NotQuire);
    }
    let rest = link[SCHEME.len() + 1..].strip_prefix("//").ok_or(LinkError::Unknown)?;
    let rest = rest.strip_suffix('/').unwrap_or(rest);
    let (host, id) = rest.split_once('/').ok_or(LinkError::Unknown)?;
    let kind = host.to_ascii_lowercase();
    if kind != "highlight" && kind != "article" {
        return Err(LinkError::Unknown);
    }
    if id.is_empty() || id.contains(['/', '?', '#']) {
        return Err(LinkError::Unknown);
    }
    let id = parse_id(id)?;
    Ok(if kind == "highlight" { LinkTarget::Highlight(id) } else { LinkTarget::Article(id) })
}

/// Whether `arg` looks like a `quire:` link (how the system passes one on the command line).
pub fn is_quire(arg: &str) -> bool {
    arg.get(..SCHEME.len() + 1).is_some_and(|s| s.eq_ignore_ascii_case("quire:"))
}

/// The links among command-line arguments (the system passes a link as an argument on Linux
/// and Windows).
pub fn links_in_args(args: impl IntoIterator<Item = std::ffi::OsString>) -> Vec<String> {
    args.into_iter().map(|a| a.to_string_lossy().into_owned()).filter(|a| is_quire(a)).collect()
}

/// Digits only, no leading zero, at least 1, at most `i64::MAX`.
fn parse_id(text: &str) -> Result<i64, LinkError> {
    if !text.bytes().all(|b| b.is_ascii_digit()) || text.starts_with('0') {
        return Err(LinkError::BadId);
    }
    text.parse::<i64>().map_err(|_| LinkError::BadId)
}

#[cfg(test)]
mod tests {
    use super::{links_in_args, parse, LinkError, LinkTarget};

    #[test]
    fn links_quire_writes_are_opened() {
        assert_eq!(parse("quire://highlight/1"), Ok(LinkTarget::Highlight(1)));
        assert_eq!(parse("quire://article/42"), Ok(LinkTarget::Article(42)));
        assert_eq!(parse("QUIRE://Highlight/7/"), Ok(LinkTarget::Highlight(7)));
        assert_eq!(parse(&format!("quire://article/{}", i64::MAX)), Ok(LinkTarget::Article(i64::MAX)));
    }

    #[test]
    fn anything_else_is_refused() {
        for (link, why) in [
            ("https://example.com/highlight/1", LinkError::NotQuire),
            ("javascript:alert(1)", LinkError::NotQuire),
            ("quirex://highlight/1", LinkError::NotQuire),
            ("", LinkError::NotQuire),
            ("quire:highlight/1", LinkError::Unknown),
            ("quire://highlight", LinkError::Unknown),
            ("quire://highlight/", LinkError::Unknown),
            ("quire://highlight//1", LinkError::Unknown),
            ("quire://highlight/1/2", LinkError::Unknown),
            ("quire://highlight/1?x=2", LinkError::Unknown),
            ("quire://highlight/1#top", LinkError::Unknown),
            ("quire://file/etc/passwd", LinkError::Unknown),
            ("quire://evil.example/1", LinkError::Unknown),
            ("quire://user@highlight/1", LinkError::Unknown),
            ("quire://article/javascript:alert(1)", LinkError::BadId),
            ("quire://highlight/-1", LinkError::BadId),
            ("quire://highlight/+1", LinkError::BadId),
            ("quire://highlight/0", LinkError::BadId),
            ("quire://highlight/007", LinkError::BadId),
            ("quire://highlight/1e3", LinkError::BadId),
            ("quire://highlight/ 1", LinkError::BadId),
            ("quire://highlight/%31", LinkError::BadId),
            ("quire://highlight/１", LinkError::BadId),
            ("quire://highlight/9223372036854775808", LinkError::BadId),
            ("quire://highlight/99999999999999999999999999999999999999", LinkError::BadId),
        ] {
            assert_eq!(parse(link), Err(why.clone()), "{link:?}");
        }
        let huge = format!("quire://highlight/{}", "9".repeat(10_000));
        assert_eq!(parse(&huge), Err(LinkError::Unknown));
        assert_eq!(parse(&format!("https://{}", "a".repeat(10_000))), Err(LinkError::NotQuire));
    }

    #[test]
    fn links_come_from_the_command_line() {
        let args = ["--library", "/tmp/x", "quire://highlight/3", "--automation", "Quire://article/2"];
        assert_eq!(links_in_args(args.iter().map(Into::into)), ["quire://highlight/3", "Quire://article/2"]);
    }
}
