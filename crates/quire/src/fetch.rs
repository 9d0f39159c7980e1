//! Fetching pages and images over HTTP(S): `reqwest` with rustls on a `tokio` runtime.
//! Timeouts, a redirect limit, a body cap and content-type checks turn every way a server can
//! misbehave into one clear error. Where a fetch may go is [`Reach`]'s: no address on this
//! computer or a private network, checked on what a name resolves to and on every redirect,
//! unless the user typed that host.

use std::net::{IpAddr, SocketAddr};
use std::sync::{Arc, Mutex};
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
    /// "host not found": for tests and sandboxes that must never reach the real network. The
    /// addresses given here are reached whatever they are (a test's server on 127.0.0.1).
    pub static_hosts: Option<Vec<(String, SocketAddr)>>,
    /// Which private hosts may be reached.
    pub reach: Reach,
}

/// Where fetches may go. A page's own content decides much of what is fetched (its images,
/// its redirects, an imported file's addresses), so no fetch reaches an address that is not
/// public — loopback, private (RFC 1918, unique-local), link-local, carrier-grade NAT,
/// unspecified, multicast, broadcast, reserved, documentation, or an IPv6 form of one of
/// these (IPv4-mapped, -compatible, NAT64, 6to4) — checked on every address a name resolves to
/// and on every redirect, except on a host the user typed: a page on one's own computer or
/// network can be clipped by typing its address. Even then only that host's own page, its
/// redirects within that host and its images on that host are exempt; a redirect from
/// anywhere else to a private address is always refused.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Reach {
    /// Host names (lower case) or IP addresses the user typed.
    pub typed_hosts: Vec<String>,
}

impl Reach {
    /// The hosts of the addresses the user typed (what is not a web address is left out).
    pub fn typed<'a>(addresses: impl IntoIterator<Item = &'a str>) -> Self {
        let typed_hosts = addresses
            .into_iter()
            .filter_map(|a| quire_clip::parse_web_address(a).ok())
            .filter_map(|u| host_key(&u))
            .collect();
        Self { typed_hosts }
    }

    fn is_typed(&self, url: &Url) -> bool {
        host_key(url).is_some_and(|h| self.typed_hosts.contains(&h))
    }
}

/// Whether an address is on the public internet: not this computer, not a private or
/// link-local network, not an address that is no host's (unspecified, multicast, broadcast,
/// reserved, documentation, benchmarking), and not an IPv6 address that carries one of those.
pub fn is_public(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v4) => {
            let [a, b, c, _] = v4.octets();
            !(v4.is_unspecified()
                || v4.is_loopback()
                || v4.is_private()
                || v4.is_link_local()
                || v4.is_broadcast()
                || v4.is_multicast()
                || v4.is_documentation()
                || a == 0
                || (a == 100 && (64..128).contains(&b))
                || (a == 192 && b == 0 && c == 0)
                || (a == 198 && (18..20).contains(&b))
                || a >= 240)
        }
        IpAddr::V6(v6) => {
            if let Some(v4) = v6.to_ipv4_mapped() {
                return is_public(IpAddr::V4(v4));
            }
            let s = v6.segments();
            let embedded = |hi: u16, lo: u16| IpAddr::V4(std::net::Ipv4Addr::from(((hi as u32) << 16) | lo as u32));
            if s[..6] == [0; 6] {
                // `::`, `::1` and the deprecated IPv4-compatible `::a.b.c.d`.
                return s[6] != 0 && is_public(embedded(s[6], s[7]));
            }
            if s[0] == 0x64 && s[1] == 0xff9b && s[2..6] == [0; 4] {
                return is_public(embedded(s[6], s[7]));
            }
            if s[0] == 0x2002 {
                return is_public(embedded(s[1], s[2]));
            }
            !(v6.is_multicast()
                || (s[0] & 0xfe00) == 0xfc00
                || (s[0] & 0xffc0) == 0xfe80
                || (s[0] & 0xffc0) == 0xfec0
                || (s[0] == 0x2001 && s[1] == 0x0db8)
                || (s[0] == 0x0100 && s[1..4] == [0; 3]))
        }
    }
}

/// A host as [`Reach`] compares it: a name in lower case without a final dot, or an IP
/// address as the URL parser wrote it.
fn host_key(url: &Url) -> Option<String> {
    url.host_str().map(|h| h.trim_end_matches('.').to_ascii_lowercase()).filter(|h| !h.is_empty())
}

/// The IP address a URL names directly (no name to resolve), if it does.
fn literal_ip(url: &Url) -> Option<IpAddr> {
    match url.host()? {
        url::Host::Ipv4(v4) => Some(IpAddr::V4(v4)),
        url::Host::Ipv6(v6) => Some(IpAddr::V6(v6)),
        url::Host::Domain(_) => None,
    }
}

/// Why a fetch did not go where it was sent: the error the resolver and the redirect policy
/// give back through reqwest, recognized again in [`network_error`].
#[derive(Debug)]
struct Unreachable {
    host: String,
    redirect: bool,
}

impl std::fmt::Display for Unreachable {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} is not a public address", self.host)
    }
}

impl std::error::Error for Unreachable {}

/// The host the current page may reach although it is not public: set for each page to its
/// own host when the user typed it, shared by the client's resolver and redirect policy.
type Exempt = Arc<Mutex<Option<String>>>;

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
            reach: Reach::default(),
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
    live: Option<(tokio::runtime::Runtime, Fetcher)>,
    exempt: Exempt,
}

/// The HTTP client with the exemption of the page being fetched.
pub(crate) struct Fetcher {
    client: reqwest::Client,
    exempt: Exempt,
}

impl Network {
    pub(crate) fn new(cfg: &FetchConfig) -> Self {
        Self { cfg: cfg.clone(), live: None, exempt: Exempt::default() }
    }

    /// Starts on a new page (`None`: one that was not fetched): its host is exempt from the
    /// public-address rule when the user typed it, and no other host is.
    pub(crate) fn begin(&mut self, page: Option<&Url>) {
        let exempt = page.filter(|u| self.cfg.reach.is_typed(u)).and_then(host_key);
        if let Ok(mut current) = self.exempt.lock() {
            *current = exempt;
        }
    }

    pub(crate) fn config(&self) -> &FetchConfig {
        &self.cfg
    }

    /// Runs `work` with the client on the runtime, setting both up the first time.
    pub(crate) fn run<'a, F: std::future::Future + 'a>(
        &'a mut self,
        work: impl FnOnce(&'a Fetcher, &'a FetchConfig) -> F,
    ) -> Result<F::Output> {
        if self.live.is_none() {
            let runtime =
                tokio::runtime::Builder::new_current_thread().enable_all().build().map_err(Error::NetworkRuntime)?;
            let fetcher = Fetcher { client: client(&self.cfg, &self.exempt)?, exempt: self.exempt.clone() };
            self.live = Some((runtime, fetcher));
        }
        let (runtime, client) = self.live.as_ref().expect("set up above");
        Ok(runtime.block_on(work(client, &self.cfg)))
    }
}

fn client(cfg: &FetchConfig, exempt: &Exempt) -> Result<reqwest::Client> {
    let max_redirects = cfg.max_redirects;
    let policy_exempt = exempt.clone();
    let redirects = reqwest::redirect::Policy::custom(move |attempt| {
        if attempt.previous().len() > max_redirects {
            return attempt.error(TooManyRedirects);
        }
        let exempt = policy_exempt.lock().ok().and_then(|e| e.clone());
        let from_exempt = attempt.previous().first().and_then(host_key).is_some_and(|h| Some(h) == exempt);
        match refused_redirect(attempt.url(), exempt.as_deref(), from_exempt) {
            Some(host) => attempt.error(Unreachable { host, redirect: true }),
            None => attempt.follow(),
        }
    });
    let mut builder = reqwest::Client::builder()
        .connect_timeout(cfg.connect_timeout)
        .timeout(cfg.timeout)
        .redirect(redirects)
        .user_agent(cfg.user_agent.clone());
    builder = match &cfg.static_hosts {
        Some(hosts) => builder.dns_resolver(Arc::new(StaticHosts(hosts.clone()))),
        None => builder.dns_resolver(Arc::new(PublicOnly(exempt.clone()))),
    };
    builder.build().map_err(Error::HttpClient)
}

#[derive(Debug)]
struct TooManyRedirects;

impl std::fmt::Display for TooManyRedirects {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("too many redirects")
    }
}

impl std::error::Error for TooManyRedirects {}

/// The host a redirect to `target` must not go to, if any: an IP address that is not public
/// (unless it is the exempt host and the chain began there), or the exempt host reached from
/// elsewhere. Other names are checked when they resolve.
fn refused_redirect(target: &Url, exempt: Option<&str>, from_exempt: bool) -> Option<String> {
    let host = host_key(target)?;
    let is_exempt = exempt == Some(host.as_str());
    let refused = match literal_ip(target) {
        Some(ip) => !(is_public(ip) || (is_exempt && from_exempt)),
        None => is_exempt && !from_exempt,
    };
    refused.then_some(host)
}

/// A fetch's own check of an address it is sent to: an IP address that is not public and not
/// the exempt host is refused before any connection (names are checked when they resolve).
fn check_literal(url: &Url, exempt: &Exempt) -> std::result::Result<(), Unreachable> {
    let exempt = exempt.lock().ok().and_then(|e| e.clone());
    match (literal_ip(url), host_key(url)) {
        (Some(ip), Some(host)) if !is_public(ip) && exempt.as_deref() != Some(host.as_str()) => {
            Err(Unreachable { host, redirect: false })
        }
        _ => Ok(()),
    }
}

/// Fetches `url`, enforcing the size cap while streaming and the content type for `want`.
pub(crate) async fn fetch(fetcher: &Fetcher, url: &Url, want: Want, cfg: &FetchConfig) -> Result<Fetched> {
    let shown = url.to_string();
    check_literal(url, &fetcher.exempt).map_err(|e| unreachable(&shown, &e))?;
    let client = &fetcher.client;
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
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(e);
    while let Some(s) = source {
        if let Some(refused) = s.downcast_ref::<Unreachable>() {
            return unreachable(url, refused);
        }
        source = s.source();
    }
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

fn unreachable(url: &str, e: &Unreachable) -> Error {
    Error::PrivateAddress { url: url.to_owned(), host: e.host.clone(), redirect: e.redirect }
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

/// The system's resolver, keeping only public addresses (all of them for the exempt host): a
/// name that resolves only to private ones is refused, so a page cannot point Quire at this
/// computer or the local network by a name (or by rebinding one).
struct PublicOnly(Exempt);

impl reqwest::dns::Resolve for PublicOnly {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().trim_end_matches('.').to_ascii_lowercase();
        let exempt = self.0.lock().ok().and_then(|e| e.clone()).is_some_and(|e| e == host);
        Box::pin(async move {
            let lookup = host.clone();
            let found: Vec<SocketAddr> = tokio::task::spawn_blocking(move || {
                std::net::ToSocketAddrs::to_socket_addrs(&(lookup.as_str(), 0)).map(Iterator::collect)
            })
            .await
            .map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)??;
            let kept: Vec<SocketAddr> = found.iter().copied().filter(|a| exempt || is_public(a.ip())).collect();
            if kept.is_empty() && !found.is_empty() {
                return Err(Box::new(Unreachable { host, redirect: false }) as Box<dyn std::error::Error + Send + Sync>);
            }
            Ok(Box::new(kept.into_iter()) as reqwest::dns::Addrs)
        })
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

#[cfg(test)]
mod tests {
    use super::*;

    /// Addresses an attacker would point a fetch at, in every spelling of a private one.
    #[test]
    fn only_public_addresses_are_public() {
        let private = [
            "0.0.0.0",
            "0.1.2.3",
            "127.0.0.1",
            "127.255.255.254",
            "10.0.0.1",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "100.127.255.255",
            "192.0.0.8",
            "198.18.0.1",
            "192.0.2.1",
            "224.0.0.1",
            "239.255.255.250",
            "240.0.0.1",
            "255.255.255.255",
            "::",
            "::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a9fe:a9fe",
            "2002:7f00:1::",
            "2002:c0a8:101::1",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "febf::1",
            "fec0::1",
            "ff02::1",
            "2001:db8::1",
            "100::1",
        ];
        for a in private {
            assert!(!is_public(a.parse().unwrap()), "{a} is not public");
        }
        let public = [
            "1.1.1.1",
            "8.8.8.8",
            "93.184.216.34",
            "100.63.255.255",
            "100.128.0.1",
            "172.32.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "64:ff9b::808:808",
            "2002:808:808::1",
        ];
        for a in public {
            assert!(is_public(a.parse().unwrap()), "{a} is public");
        }
    }

    #[test]
    fn redirects_never_lead_from_elsewhere_to_a_private_address() {
        let url = |s: &str| Url::parse(s).unwrap();
        // A page that was not typed: no private target at all.
        assert_eq!(refused_redirect(&url("http://127.0.0.1:8080/"), None, false).as_deref(), Some("127.0.0.1"));
        assert_eq!(
            refused_redirect(&url("http://[::ffff:a9fe:a9fe]/"), None, false).as_deref(),
            Some("[::ffff:a9fe:a9fe]")
        );
        assert_eq!(refused_redirect(&url("https://example.org/"), None, false), None);
        // The typed host may redirect within itself…
        assert_eq!(refused_redirect(&url("http://192.168.1.5/next"), Some("192.168.1.5"), true), None);
        assert_eq!(refused_redirect(&url("http://nas.local/next"), Some("nas.local"), true), None);
        // …but a chain that began elsewhere may not reach it, nor another private host.
        assert_eq!(
            refused_redirect(&url("http://192.168.1.5/"), Some("192.168.1.5"), false).as_deref(),
            Some("192.168.1.5")
        );
        assert_eq!(refused_redirect(&url("http://nas.local/"), Some("nas.local"), false).as_deref(), Some("nas.local"));
        assert_eq!(refused_redirect(&url("http://10.0.0.1/"), Some("192.168.1.5"), true).as_deref(), Some("10.0.0.1"));
    }

    #[test]
    fn typed_hosts_are_the_hosts_of_what_was_typed() {
        let reach = Reach::typed(["http://192.168.1.5:8080/a", "NAS.Local/x", "not an address at all", "javascript:x"]);
        assert_eq!(reach.typed_hosts, ["192.168.1.5", "nas.local"]);
    }
}
