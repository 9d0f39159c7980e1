//! The local endpoint: a small HTTP server on 127.0.0.1 through which a browser extension (or
//! SingleFile, or a script) saves pages and selections into the library. It is an attack
//! surface — any web page can send requests to localhost, and DNS rebinding can give a site's
//! name the address 127.0.0.1 — so every request passes, in this order: the `Host` check
//! (exactly `127.0.0.1:PORT` or `localhost:PORT`), the `Origin` check (absent, or an extension's
//! origin; `OPTIONS` is refused), the rate limit, the route, the bearer token (every route but
//! pairing), the content type (JSON only; multipart only for SingleFile's upload, after the
//! token) and the body limit, before any body is parsed. A request that fails a check gets its
//! status code with an empty body and no header that names the server; no response ever
//! carries a CORS header. The API is documented in `docs/endpoint.md`.
//!
//! The server offers only what a clipper needs: ping, pairing, save a page, save a selection,
//! list tag names. No route reads an article or names a file. Every library call runs on
//! tokio's blocking pool (`spawn_blocking`): extraction is CPU work, and the library's lock is
//! held only while its SQL runs.
//!
//! [`start`] runs the server on a thread of its own with its own current-thread runtime, so a
//! shell embeds it without sharing an async runtime: the CLI's `serve` blocks on Ctrl-C, the
//! desktop app keeps the [`EndpointHandle`] and is told of each save through `on_saved`.
//!
//! Crates: `hyper`'s HTTP/1 connection (with its header-read timeout) and `hyper-util`'s tokio
//! glue, under an accept loop of our own that caps connections; `axum` supplies the request,
//! response and JSON types of one handler: the checks are in this crate, in one function, in
//! the order above, so their order is visible and tested rather than spread over layers. `multer` (what axum's own multipart
//! support wraps) reads SingleFile's form upload once it has passed every check.

mod guard;
mod routes;
mod singlefile;

use std::convert::Infallible;
use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use quire::Library;
use serde::Serialize;

pub use guard::Rate;

/// The port tried first; when it is taken, the next [`FALLBACK_PORTS`] are tried in order.
pub const DEFAULT_PORT: u16 = quire::ENDPOINT_PORT;
/// How many ports after [`DEFAULT_PORT`] are tried (47712..=47715).
pub const FALLBACK_PORTS: u16 = quire::ENDPOINT_FALLBACK_PORTS;
/// The API version `GET /v1/status` reports.
pub const API_VERSION: u32 = 1;
/// The body limit of `POST /v1/pages`, `/v1/highlights` and `/v1/singlefile`.
pub const PAGE_BODY_LIMIT: usize = 50 * 1024 * 1024;
/// The body limit of every other request.
pub const SMALL_BODY_LIMIT: usize = 64 * 1024;
/// Connections served at once; one more is closed as soon as it is accepted.
pub const MAX_CONNECTIONS: usize = 64;
/// How long a connection may take to send a request's head: from when it opens, and from the
/// end of each answer (so it is also how long a kept-alive connection may stay idle).
pub const HEADER_TIMEOUT: Duration = Duration::from_secs(5);
/// How long a request's body may take to arrive.
pub const BODY_TIMEOUT: Duration = Duration::from_secs(30);
/// How long a connection may live, whatever it does.
pub const CONNECTION_LIFETIME: Duration = Duration::from_secs(300);

/// How to run the endpoint.
#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// The port to listen on; `None` tries [`DEFAULT_PORT`] and its fallbacks. `Some(0)` takes
    /// any free port (tests).
    pub port: Option<u16>,
    /// The rate of each of the server's three buckets: requests with a valid token; the
    /// handshake (`/v1/hello`, `/v1/pair`); everything else (no token, a wrong one). A flood of
    /// one never slows the others.
    pub rate: Rate,
    /// Failed pairing attempts (a wrong code), for the whole server.
    pub pairing_failures: Rate,
}

impl Default for EndpointConfig {
    fn default() -> Self {
        EndpointConfig {
            port: None,
            rate: Rate { per_second: 30.0, burst: 60 },
            pairing_failures: Rate { per_second: 0.1, burst: 5 },
        }
    }
}

/// What a client saved, for a shell to refresh its views.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "saved", rename_all = "snake_case")]
pub enum Saved {
    Page { id: i64, title: String, duplicate: bool },
    Highlight { article_id: i64, highlight_id: i64, page_saved: bool },
}

/// Why the endpoint could not start.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    #[error("cannot listen on 127.0.0.1: ports {first} to {last} are all in use")]
    NoFreePort { first: u16, last: u16 },
    #[error("cannot listen on 127.0.0.1:{port}: {source}")]
    Listen { port: u16, source: std::io::Error },
    #[error("cannot start the endpoint's worker: {0}")]
    Worker(std::io::Error),
    #[error("cannot draw the endpoint's random key: {0}")]
    Randomness(String),
}

/// A running endpoint. Stops when [`EndpointHandle::stop`] is called or it is dropped.
pub struct EndpointHandle {
    port: u16,
    default_port_taken: bool,
    library: Arc<Library>,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl EndpointHandle {
    /// The port it listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
    }

    /// Whether it was to take [`DEFAULT_PORT`] and found it taken by another program (or
    /// another Quire), so that it listens on a fallback port. A shell must say so: the program
    /// on the default port is not Quire, and a client that pairs must go to [`Self::port`].
    pub fn default_port_taken(&self) -> bool {
        self.default_port_taken
    }

    /// A warning in words when [`Self::default_port_taken`], for a shell to show.
    pub fn warning(&self) -> Option<String> {
        self.default_port_taken.then(|| {
            format!(
                "another program is listening on {DEFAULT_PORT}; Quire is on {}. \
                 The pairing codes shown now send the browser extension to {}, and a browser \
                 paired before finds Quire there after checking that it is Quire.",
                self.port, self.port
            )
        })
    }

    /// A new pairing code for this endpoint (it tells the extension this port).
    pub fn pairing_code(&self) -> quire::Result<String> {
        self.library.new_pairing_code_for(self.port)
    }

    /// Stops accepting requests, lets the ones in flight finish (at most a few seconds), and
    /// returns when the server's thread has ended. A save already handed to the library
    /// completes.
    pub fn stop(mut self) {
        self.shut_down();
    }

    fn shut_down(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(true);
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
            let _ = self.library.endpoint_stopped(self.port);
        }
    }
}

impl Drop for EndpointHandle {
    fn drop(&mut self) {
        self.shut_down();
    }
}

/// How long in-flight requests may take to finish once the endpoint is told to stop.
const GRACE: Duration = Duration::from_secs(5);

/// Starts the endpoint over `library` on a thread of its own; `on_saved` hears of every page
/// and selection saved (on a worker thread, after the library has written it). The port is
/// recorded in the library, so that `Library::new_pairing_code` (the app's, `quire pair`)
/// makes codes for it.
pub fn start(
    library: Arc<Library>,
    config: EndpointConfig,
    on_saved: impl Fn(Saved) + Send + Sync + 'static,
) -> Result<EndpointHandle, Error> {
    let (listener, default_port_taken) = bind(config.port)?;
    let port = listener.local_addr().map_err(|source| Error::Listen { port: 0, source })?.port();
    listener.set_nonblocking(true).map_err(|source| Error::Listen { port, source })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(4)
        .thread_name("quire-endpoint-worker")
        .build()
        .map_err(Error::Worker)?;
    let mut decoy_key = [0u8; 32];
    getrandom::fill(&mut decoy_key).map_err(|e| Error::Randomness(e.to_string()))?;
    let server = Arc::new(routes::Server::new(library.clone(), port, &config, decoy_key, Box::new(on_saved)));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let thread = std::thread::Builder::new()
        .name("quire-endpoint".to_owned())
        .spawn(move || {
            runtime.block_on(serve(listener, server, stop_rx));
            runtime.shutdown_timeout(GRACE);
        })
        .map_err(Error::Worker)?;
    // Best effort: a library that cannot record it still serves; codes made by the handle
    // (`EndpointHandle::pairing_code`) name the port anyway.
    let _ = library.endpoint_listening(port);
    Ok(EndpointHandle { port, default_port_taken, library, stop: Some(stop_tx), thread: Some(thread) })
}

async fn serve(listener: TcpListener, server: Arc<routes::Server>, mut stop: tokio::sync::watch::Receiver<bool>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
    let connections = Arc::new(Connections::default());
    let mut http = hyper::server::conn::http1::Builder::new();
    http.timer(hyper_util::rt::TokioTimer::new()).header_read_timeout(HEADER_TIMEOUT).keep_alive(true);
    loop {
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                // Out of file descriptors and the like: wait a moment rather than spin.
                Err(_) => { tokio::time::sleep(Duration::from_millis(50)).await; continue; }
            },
            _ = stopped(&mut stop) => break,
        };
        // Over the cap with every connection serving a client with a valid token: closed at
        // once, before a byte is read.
        let Some(slot) = connections.admit() else {
            drop(stream);
            continue;
        };
        let server = server.clone();
        let trusted = slot.trusted.clone();
        let service = hyper::service::service_fn(move |mut request: hyper::Request<hyper::body::Incoming>| {
            let server = server.clone();
            request.extensions_mut().insert(routes::Trusted(trusted.clone()));
            async move { Ok::<_, Infallible>(routes::handle(server, request.map(axum::body::Body::new)).await) }
        });
        let connection = http.serve_connection(hyper_util::rt::TokioIo::new(stream), service);
        let mut stop = stop.clone();
        let connections = connections.clone();
        tokio::spawn(async move {
            let mut connection = std::pin::pin!(connection);
            let served = async {
                tokio::select! {
                    _ = connection.as_mut() => {}
                    // Evicted for a newcomer: closed at once.
                    _ = slot.evicted.notified() => {}
                    _ = stopped(&mut stop) => {
                        connection.as_mut().graceful_shutdown();
                        let _ = connection.as_mut().await;
                    }
                }
            };
            let _ = tokio::time::timeout(CONNECTION_LIFETIME, served).await;
            connections.leave(slot.id);
        });
    }
    // Stopped: the connections in flight have GRACE to finish.
    let _ = tokio::time::timeout(GRACE, async {
        while !connections.is_empty() {
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    })
    .await;
}

/// The open connections, oldest first. At [`MAX_CONNECTIONS`] a newcomer takes the place of
/// the oldest connection that is not serving a request with a valid token (one that is
/// half-open, idle, or a stranger's), which is closed; when every one is, the newcomer is
/// closed. So half-open connections cannot keep a paired client out, and a client's request in
/// progress is never cut for a stranger's connection.
#[derive(Default)]
struct Connections {
    open: std::sync::Mutex<(u64, std::collections::BTreeMap<u64, Arc<Slot>>)>,
}

struct Slot {
    id: u64,
    /// Requests with a valid token in progress on this connection.
    trusted: Arc<std::sync::atomic::AtomicUsize>,
    evicted: tokio::sync::Notify,
}

impl Connections {
    fn admit(&self) -> Option<Arc<Slot>> {
        let mut guard = self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (next, open) = &mut *guard;
        if open.len() >= MAX_CONNECTIONS {
            let evictable = open
                .iter()
                .find(|(_, slot)| slot.trusted.load(std::sync::atomic::Ordering::SeqCst) == 0)
                .map(|(id, _)| *id)?;
            if let Some(slot) = open.remove(&evictable) {
                slot.evicted.notify_one();
            }
        }
        *next += 1;
        let slot = Arc::new(Slot { id: *next, trusted: Arc::default(), evicted: tokio::sync::Notify::new() });
        open.insert(slot.id, slot.clone());
        Some(slot)
    }

    fn leave(&self, id: u64) {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1.remove(&id);
    }

    fn is_empty(&self) -> bool {
        self.open.lock().unwrap_or_else(std::sync::PoisonError::into_inner).1.is_empty()
    }
}

async fn stopped(stop: &mut tokio::sync::watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

/// Binds 127.0.0.1 on the port asked for, else on the first free default port; also tells
/// whether the default port was taken.
fn bind(port: Option<u16>) -> Result<(TcpListener, bool), Error> {
    let listen = |port: u16| TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    match port {
        Some(port) => Ok((listen(port).map_err(|source| Error::Listen { port, source })?, false)),
        None => {
            let (first, last) = (DEFAULT_PORT, DEFAULT_PORT + FALLBACK_PORTS);
            (first..=last)
                .find_map(|port| listen(port).ok().map(|l| (l, port != first)))
                .ok_or(Error::NoFreePort { first, last })
        }
    }
}
