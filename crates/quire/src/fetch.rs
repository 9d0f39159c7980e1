//! Fetching pages and images over HTTP(S): `reqwest` with rustls on a `tokio` runtime.
//! Timeouts, a redirect limit, a body cap and content-type checks turn every way a server can
//! misbehave into one clear error.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use futures_util::StreamExt;
use reqwest::header::{CONTENT_LENGTH, CONTENT_TYPE};
use url::Url;

use crate::{Error, Result};

/// Limits and identity for network access.
#[derive(Debug, Clone)]
pub struct FetchConfig {
    pub connect_timeout: Duration,
    /// For the whole request, body included.
    pub timeout: Duration,
    pub max_redirects: usize,
    pub max_page_bytes: u64,
    pub max_image_bytes: u64,
    pub max_images: usize,
    /// Images downloaded at the same time.
    pub image_concurrency: usize,
    pub user_agent: String,
    /// When set, only these host names resolve (to these addresses) and every other name is
    /// "host not found": for tests and sandboxes that must never reach the real network.
    pub static_hosts: Option<Vec<(String, SocketAddr)>>,
}

impl Default for FetchConfig {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            timeout: Duration::from_secs(30),
            max_redirects: 10,
            max_page_bytes: 25 * 1024 * 1024,
            max_image_bytes: 10 * 1024 * 1024,
            max_images: 100,
            image_concurrency: 8,
            user_agent: format!(
                "Quire/{} (local-first article archiver; +https://github.com/quire-app/quire)",
                env!("CARGO_PKG_VERSION")
            ),
            static_hosts: None,
        }
    }
}

/// A response body that passed the checks.
#[derive(Debug, Clone)]
pub(crate) struct Fetched {
    /// After redirects.
    pub url: Url,
    pub content_type: Option<String>,
    pub bytes: Vec<u8>,
}

/// What a fetch is for: it decides which content types are accepted and the size cap.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Page,
    Image,
}

/// The network, set up on first use: a current-thread tokio runtime and an HTTP client, made
/// only when something is fetched (adding local files never builds them) and then reused for
/// every item of a bulk add.
pub(crate) struct Network {
    cfg: FetchConfig,
    live: Option<(tokio::runtime::Runtime, reqwest::Client)>,
}

impl Network {
    pub(crate) fn new(cfg: &FetchConfig) -> Self {
        Self { cfg: cfg.clone(), live: None }
    }

    pub(crate) fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    /// Runs `work` with the client on the runtime, setting both up the first time.
    pub(crate) fn run<'a, F: std::future::Future + 'a>(
        &'a mut self,
        work: impl FnOnce(&'a reqwest::Client, &'a FetchConfig) -> F,
    ) -> Result<F::Output> {
        if self.live.is_none() {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Error::NetworkRuntime)?;
            self.live = Some((runtime, client(&self.cfg)?));
        }
        let (runtime, client) = self.live.as_ref().expect("set up above");
        Ok(runtime.block_on(work(client, &self.cfg)))
    }
}

fn client(cfg: &FetchConfig) -> Result<reqwest::Client> {
    let mut builder = reqwest::Client::builder()
        .connect_timeout(cfg.connect_timeout)
        .timeout(cfg.timeout)
        .redirect(reqwest::redirect::Policy::limited(cfg.max_redirects))
        .user_agent(cfg.user_agent.clone());
    if let Some(hosts) = &cfg.static_hosts {
        builder = builder.dns_resolver(Arc::new(StaticHosts(hosts.clone())));
    }
    builder.build().map_err(Error::HttpClient)
}

/// Fetches `url`, enforcing the size cap while streaming and the content type for `want`.
pub(crate) async fn fetch(client: &reqwest::Client, url: &Url, want: Want, cfg: &FetchConfig) -> Result<Fetched> {
    let shown = url.to_string();
    let cap = match want {
        Want::Page => cfg.max_page_bytes,
        Want::Image => cfg.max_image_bytes,
    };
    let response = client.get(url.clone()).send().await.map_err(|e| network_error(&shown, &e, cfg))?;
    let status = response.status();
    if !status.is_success() {
        return Err(Error::HttpStatus {
            url: shown,
            status: status.as_u16(),
            reason: status.canonical_reason().unwrap_or("").to_owned(),
        });
    }
    let final_url = response.url().clone();
    let content_type = response.headers().get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).map(str::to_owned);
    check_content_type(&shown, content_type.as_deref(), want)?;
    let declared_len = response.headers().get(CONTENT_LENGTH).and_then(|v| v.to_str().ok()?.parse::<u64>().ok());
    if declared_len.is_some_and(|n| n > cap) {
        return Err(Error::TooLarge { url: shown, limit: cap });
    }
    let mut bytes = Vec::new();
    let mut stream = response.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| network_error(&shown, &e, cfg))?;
        if bytes.len() as u64 + chunk.len() as u64 > cap {
            return Err(Error::TooLarge { url: shown, limit: cap });
        }
        bytes.extend_from_slice(&chunk);
    }
    if want == Want::Page {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(Error::EmptyInput(crate::Origin::Web(shown)));
        }
        if looks_binary(&bytes) {
            return Err(Error::NotHtml { url: shown, content_type: "binary data".to_owned() });
        }
    }
    Ok(Fetched { url: final_url, content_type, bytes })
}

fn check_content_type(url: &str, content_type: Option<&str>, want: Want) -> Result<()> {
    let Some(ct) = content_type else { return Ok(()) };
    let mime = ct.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let ok = match want {
        Want::Page => {
            matches!(
                mime.as_str(),
                "text/html" | "application/xhtml+xml" | "text/plain" | "application/xml" | "text/xml" | ""
            )
        }
        Want::Image => mime.starts_with("image/") || mime == "application/octet-stream" || mime.is_empty(),
    };
    if ok {
        Ok(())
    } else if want == Want::Page {
        Err(Error::NotHtml { url: url.to_owned(), content_type: mime })
    } else {
        Err(Error::NotImage { url: url.to_owned(), content_type: mime })
    }
}

/// Control characters other than whitespace in the first KiB mean binary data.
fn looks_binary(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    head.iter().filter(|&&b| b == 0 || (b < 0x09) || (0x0e..0x1a).contains(&b)).count() > head.len() / 64
}

fn network_error(url: &str, e: &reqwest::Error, cfg: &FetchConfig) -> Error {
    let message = if e.is_timeout() {
        format!("the server did not answer within {} s; try again later", cfg.timeout.as_secs())
    } else if e.is_redirect() {
        format!("too many redirects (more than {}): the page redirects in a loop", cfg.max_redirects)
    } else if e.is_connect() {
        let chain = error_chain(e);
        if chain.contains("host not found") || chain.contains("dns error") || chain.contains("failed to lookup") {
            "host not found: check the address".to_owned()
        } else if chain.contains("refused") {
            "connection refused: the server is down or the address is wrong".to_owned()
        } else {
            format!("could not connect: {chain}")
        }
    } else {
        format!("the download failed: {}", error_chain(e))
    };
    Error::Network { url: url.to_owned(), message }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        parts.push(s.to_string());
        source = s.source();
    }
    parts.join(": ")
}

/// The sniffed MIME type of image bytes, if they are an image Quire can show.
pub(crate) fn sniff_image(bytes: &[u8]) -> Option<&'static str> {
    let starts = |m: &[u8]| bytes.starts_with(m);
    if starts(b"\x89PNG\r\n\x1a\n") {
        Some("image/png")
    } else if starts(b"\xFF\xD8\xFF") {
        Some("image/jpeg")
    } else if starts(b"GIF87a") || starts(b"GIF89a") {
        Some("image/gif")
    } else if bytes.len() > 12 && &bytes[..4] == b"RIFF" && &bytes[8..12] == b"WEBP" {
        Some("image/webp")
    } else if bytes.len() > 12 && &bytes[4..12] == b"ftypavif" {
        Some("image/avif")
    } else {
        let head = String::from_utf8_lossy(&bytes[..bytes.len().min(512)]).to_ascii_lowercase();
        (head.contains("<svg")).then_some("image/svg+xml")
    }
}

struct StaticHosts(Vec<(String, SocketAddr)>);

impl reqwest::dns::Resolve for StaticHosts {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let found: Vec<SocketAddr> =
            self.0.iter().filter(|(host, _)| host.eq_ignore_ascii_case(name.as_str())).map(|(_, a)| *a).collect();
        Box::pin(async move {
            if found.is_empty() {
                Err("host not found".into())
            } else {
                Ok(Box::new(found.into_iter()) as reqwest::dns::Addrs)
            }
        })
    }
}
