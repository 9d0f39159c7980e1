//! The checks a request passes before any route sees it: pure functions of its head, and the
//! token buckets of the rate limits.

use std::sync::Mutex;
use std::time::Instant;

use axum::http::{header, HeaderMap, Method, Uri};

/// A rate: a token bucket refilled at `per_second`, holding at most `burst`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rate {
    pub per_second: f64,
    pub burst: u32,
}

/// A token bucket.
pub(crate) struct Bucket {
    rate: Rate,
    state: Mutex<(f64, Instant)>,
}

impl Bucket {
    pub(crate) fn new(rate: Rate) -> Self {
        Bucket { rate, state: Mutex::new((f64::from(rate.burst), Instant::now())) }
    }

    fn refill(&self) -> std::sync::MutexGuard<'_, (f64, Instant)> {
        let mut state = self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let now = Instant::now();
        let elapsed = now.duration_since(state.1).as_secs_f64();
        state.0 = (state.0 + elapsed * self.rate.per_second).min(f64::from(self.rate.burst));
        state.1 = now;
        state
    }

    /// Takes one token; false when there is none.
    pub(crate) fn take(&self) -> bool {
        let mut state = self.refill();
        if state.0 >= 1.0 {
            state.0 -= 1.0;
            true
        } else {
            false
        }
    }

    /// Whether a token is there (without taking it).
    pub(crate) fn has(&self) -> bool {
        self.refill().0 >= 1.0
    }
}

/// The `Host` is exactly `127.0.0.1:PORT` or `localhost:PORT`, given once, and the request
/// line names no other authority: a site whose name was rebound to 127.0.0.1 sends its own
/// name and is refused.
pub(crate) fn host_ok(headers: &HeaderMap, uri: &Uri, port: u16) -> bool {
    let mut hosts = headers.get_all(header::HOST).iter();
    let (Some(host), None) = (hosts.next(), hosts.next()) else { return false };
    let Ok(host) = host.to_str() else { return false };
    let ok = |h: &str| h == format!("127.0.0.1:{port}") || h.eq_ignore_ascii_case(&format!("localhost:{port}"));
    ok(host) && uri.authority().is_none_or(|a| ok(a.as_str())) && uri.scheme().is_none_or(|s| s == "http")
}

/// The browser origins allowed: extensions' pages and service workers.
const EXTENSION_ORIGINS: [&str; 3] = ["chrome-extension://", "moz-extension://", "safari-web-extension://"];

/// No `Origin` (a script, curl), or exactly one that is an extension's; never `OPTIONS` (no
/// preflight is ever answered, so no web page gets permission for anything).
pub(crate) fn origin_ok(headers: &HeaderMap, method: &Method) -> bool {
    if method == Method::OPTIONS {
        return false;
    }
    let mut origins = headers.get_all(header::ORIGIN).iter();
    match (origins.next(), origins.next()) {
        (None, _) => true,
        (Some(origin), None) => {
            origin.to_str().is_ok_and(|o| EXTENSION_ORIGINS.iter().any(|p| o.len() > p.len() && o.starts_with(p)))
        }
        (Some(_), Some(_)) => false,
    }
}

/// The secret of `Authorization: Bearer SECRET`, if the header is that (given once).
pub(crate) fn bearer(headers: &HeaderMap) -> Option<&str> {
    let mut values = headers.get_all(header::AUTHORIZATION).iter();
    let (Some(value), None) = (values.next(), values.next()) else { return None };
    let value = value.to_str().ok()?.trim();
    let (scheme, secret) = value.split_once(' ')?;
    let secret = secret.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !secret.is_empty() && secret.len() <= 256).then_some(secret)
}

/// The media type of the body (`type/subtype`, lower case, parameters left out).
pub(crate) fn media_type(headers: &HeaderMap) -> Option<String> {
    let value = headers.get(header::CONTENT_TYPE)?.to_str().ok()?;
    Some(value.split(';').next().unwrap_or_default().trim().to_ascii_lowercase())
}

/// The length the client declared, if any.
pub(crate) fn declared_length(headers: &HeaderMap) -> Option<u64> {
    headers.get(header::CONTENT_LENGTH)?.to_str().ok()?.trim().parse().ok()
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn headers(pairs: &[(header::HeaderName, &str)]) -> HeaderMap {
        let mut map = HeaderMap::new();
        for (name, value) in pairs {
            map.append(name.clone(), HeaderValue::from_str(value).unwrap());
        }
        map
    }

    #[test]
    fn hosts() {
        let path: Uri = "/v1/status".parse().unwrap();
        let cases: &[(&[&str], bool)] = &[
            (&["127.0.0.1:4000"], true),
            (&["localhost:4000"], true),
            (&["LOCALHOST:4000"], true),
            (&[], false),
            (&["127.0.0.1"], false),
            (&["localhost"], false),
            (&["127.0.0.1:4001"], false),
            (&["evil.example:4000"], false),
            (&["127.0.0.1:4000.evil.example"], false),
            (&["[::1]:4000"], false),
            (&["127.0.0.1:4000", "127.0.0.1:4000"], false),
        ];
        for (hosts, ok) in cases {
            let h = headers(&hosts.iter().map(|v| (header::HOST, *v)).collect::<Vec<_>>());
            assert_eq!(host_ok(&h, &path, 4000), *ok, "{hosts:?}");
        }
        let good = headers(&[(header::HOST, "127.0.0.1:4000")]);
        let absolute: Uri = "http://evil.example:4000/v1/status".parse().unwrap();
        assert!(!host_ok(&good, &absolute, 4000));
    }

    #[test]
    fn origins() {
        let cases: &[(&[&str], Method, bool)] = &[
            (&[], Method::POST, true),
            (&["chrome-extension://abcdefghijklmnop"], Method::POST, true),
            (&["moz-extension://0d6c7f1e-1111-2222-3333-444455556666"], Method::GET, true),
            (&["safari-web-extension://ABC"], Method::POST, true),
            (&["chrome-extension://"], Method::POST, false),
            (&["https://evil.example"], Method::POST, false),
            (&["null"], Method::POST, false),
            (&["http://127.0.0.1:4000"], Method::POST, false),
            (&["chrome-extension://a", "https://evil.example"], Method::POST, false),
            (&[], Method::OPTIONS, false),
            (&["chrome-extension://abc"], Method::OPTIONS, false),
        ];
        for (origins, method, ok) in cases {
            let h = headers(&origins.iter().map(|v| (header::ORIGIN, *v)).collect::<Vec<_>>());
            assert_eq!(origin_ok(&h, method), *ok, "{origins:?} {method}");
        }
    }

    #[test]
    fn bearer_tokens() {
        let cases: &[(&[&str], Option<&str>)] = &[
            (&["Bearer abc"], Some("abc")),
            (&["bearer  abc "], Some("abc")),
            (&["Basic abc"], None),
            (&["Bearer"], None),
            (&["Bearer "], None),
            (&["abc"], None),
            (&["Bearer a", "Bearer b"], None),
        ];
        for (values, want) in cases {
            let h = headers(&values.iter().map(|v| (header::AUTHORIZATION, *v)).collect::<Vec<_>>());
            assert_eq!(bearer(&h), *want, "{values:?}");
        }
    }

    #[test]
    fn a_bucket_empties_and_refills() {
        let bucket = Bucket::new(Rate { per_second: 1000.0, burst: 3 });
        assert!((0..3).all(|_| bucket.take()));
        // Refilled at 1000/s: a few milliseconds later there is a token again.
        std::thread::sleep(std::time::Duration::from_millis(5));
        assert!(bucket.has() && bucket.take());
        let slow = Bucket::new(Rate { per_second: 0.001, burst: 2 });
        assert!(slow.take() && slow.take());
        assert!(!slow.take() && !slow.has());
    }
}
