//! Web addresses: which ones Quire clips, and their normalized form for duplicate detection.

use url::Url;

/// Why an address cannot be clipped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AddressProblem {
    /// Not a URL at all.
    Malformed(String),
    /// A scheme other than http/https (`file:`, `javascript:`, `ftp:` …).
    Scheme(String),
}

impl std::fmt::Display for AddressProblem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AddressProblem::Malformed(why) => {
                write!(f, "not a web address ({why}); give a full URL such as https://example.com/article")
            }
            AddressProblem::Scheme(s) => {
                write!(f, "{s}: addresses cannot be clipped: only http:// and https:// pages (import files instead)")
            }
        }
    }
}

/// Parses a user-given address to clip. A bare `example.com/x` gets `https://`.
pub fn parse_web_address(input: &str) -> Result<Url, AddressProblem> {
    let input = input.trim();
    let parsed = match Url::parse(input) {
        Ok(url) => url,
        Err(url::ParseError::RelativeUrlWithoutBase) if looks_like_host(input) => {
            Url::parse(&format!("https://{input}")).map_err(|e| AddressProblem::Malformed(e.to_string()))?
        }
        Err(e) => return Err(AddressProblem::Malformed(e.to_string())),
    };
    match parsed.scheme() {
        "http" | "https" if parsed.host_str().is_some_and(|h| !h.is_empty()) => Ok(parsed),
        "http" | "https" => Err(AddressProblem::Malformed("no host".to_owned())),
        other => Err(AddressProblem::Scheme(other.to_owned())),
    }
}

fn looks_like_host(input: &str) -> bool {
    let host = input.split('/').next().unwrap_or_default();
    host.contains('.') && !host.contains(' ') && !input.contains(':')
}

/// Query parameters that only track where a click came from.
fn is_tracking_param(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n.starts_with("utm_")
        || matches!(
            n.as_str(),
            "fbclid"
                | "gclid"
                | "dclid"
                | "gbraid"
                | "wbraid"
                | "msclkid"
                | "yclid"
                | "twclid"
                | "igshid"
                | "mc_cid"
                | "mc_eid"
                | "_ga"
                | "_gl"
                | "ref_src"
                | "ref_url"
                | "oly_anon_id"
                | "oly_enc_id"
                | "vero_id"
                | "_hsenc"
                | "_hsmi"
                | "mkt_tok"
                | "spm"
                | "share"
                | "cmpid"
                | "ocid"
        )
}

/// The identity of a web address for duplicate detection: lower-case scheme and host,
/// no credentials, no default port, no fragment, no tracking parameters, no trailing slash (except the root).
/// `None` for anything that is not an http(s) URL.
pub fn normalize_url(input: &str) -> Option<String> {
    let mut url = Url::parse(input.trim()).ok()?;
    if !matches!(url.scheme(), "http" | "https") {
        return None;
    }
    url.set_fragment(None);
    // An http(s) URL has a host, so both calls succeed.
    let _ = url.set_username("");
    let _ = url.set_password(None);
    let kept: Vec<(String, String)> = url
        .query_pairs()
        .filter(|(k, _)| !is_tracking_param(k))
        .map(|(k, v)| (k.into_owned(), v.into_owned()))
        .collect();
    if kept.is_empty() {
        url.set_query(None);
    } else {
        url.query_pairs_mut().clear().extend_pairs(kept);
    }
    let path = url.path().to_owned();
    if path.len() > 1 && path.ends_with('/') {
        url.set_path(path.trim_end_matches('/'));
    }
    // `url` already lower-cases scheme and host and drops default ports.
    Some(url.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn normalization_cases() {
        let same = "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato";
        for input in [
            "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/",
            "HTTPS://WorldDesk.Example:443/2023/07/12/ukraine-closer-to-nato",
            "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/#comments",
            "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/?utm_source=x&utm_medium=y&fbclid=abc",
            "https://worlddesk.example/2023/07/12/ukraine-closer-to-nato?gclid=1",
            "https://user:secret@worlddesk.example/2023/07/12/ukraine-closer-to-nato",
        ] {
            assert_eq!(normalize_url(input).as_deref(), Some(same), "{input}");
        }
        assert_eq!(
            normalize_url("http://a.example:8080/x/?id=3&utm_campaign=z").as_deref(),
            Some("http://a.example:8080/x?id=3")
        );
        assert_eq!(normalize_url("https://a.example/").as_deref(), Some("https://a.example/"));
        assert_eq!(normalize_url("file:///etc/passwd"), None);
        assert_eq!(normalize_url("not a url"), None);
    }

    #[test]
    fn clip_addresses() {
        assert_eq!(parse_web_address(" https://example.com/a ").unwrap().as_str(), "https://example.com/a");
        assert_eq!(parse_web_address("example.com/news/1").unwrap().as_str(), "https://example.com/news/1");
        let err = |s: &str| parse_web_address(s).unwrap_err().to_string();
        assert_eq!(
            err("file:///etc/passwd"),
            "file: addresses cannot be clipped: only http:// and https:// pages (import files instead)"
        );
        assert_eq!(
            err("javascript:alert(1)"),
            "javascript: addresses cannot be clipped: only http:// and https:// pages (import files instead)"
        );
        assert!(err("http://").starts_with("not a web address"), "{}", err("http://"));
        assert!(err("ht!tp:/x y").starts_with("not a web address"));
        assert!(err("just words").starts_with("not a web address"));
    }
}
