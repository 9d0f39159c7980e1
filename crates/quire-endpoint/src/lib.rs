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
//! Crates: `axum` (HTTP/1 only, no default features) over `hyper` and `tokio`, the
//! maintained core of Rust's HTTP servers, used here only for serving and one fallback
//! handler: the checks are in this crate, in one function, in the order above, so their order
//! is visible and tested rather than spread over layers. `multer` (what axum's own multipart
//! support wraps) reads SingleFile's form upload once it has passed every check.

mod guard;
mod routes;
mod singlefile;

use std::net::{Ipv4Addr, SocketAddr, TcpListener};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::Duration;

use quire::Library;
use serde::Serialize;

pub use guard::Rate;

/// The port tried first; when it is taken, the next [`FALLBACK_PORTS`] are tried in order.
pub const DEFAULT_PORT: u16 = 47711;
/// How many ports after [`DEFAULT_PORT`] are tried (47712..=47715).
pub const FALLBACK_PORTS: u16 = 4;
/// The API version `GET /v1/status` reports.
pub const API_VERSION: u32 = 1;
/// The body limit of `POST /v1/pages`, `/v1/highlights` and `/v1/singlefile`.
pub const PAGE_BODY_LIMIT: usize = 50 * 1024 * 1024;
/// The body limit of every other request.
pub const SMALL_BODY_LIMIT: usize = 64 * 1024;

/// How to run the endpoint.
#[derive(Debug, Clone)]
pub struct EndpointConfig {
    /// The port to listen on; `None` tries [`DEFAULT_PORT`] and its fallbacks. `Some(0)` takes
    /// any free port (tests).
    pub port: Option<u16>,
    /// Requests of any kind, for the whole server.
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
}

/// A running endpoint. Stops when [`EndpointHandle::stop`] is called or it is dropped.
pub struct EndpointHandle {
    port: u16,
    stop: Option<tokio::sync::watch::Sender<bool>>,
    thread: Option<JoinHandle<()>>,
}

impl EndpointHandle {
    /// The port it listens on (on 127.0.0.1).
    pub fn port(&self) -> u16 {
        self.port
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
/// and selection saved (on a worker thread, after the library has written it).
pub fn start(
    library: Arc<Library>,
    config: EndpointConfig,
    on_saved: impl Fn(Saved) + Send + Sync + 'static,
) -> Result<EndpointHandle, Error> {
    let listener = bind(config.port)?;
    let port = listener.local_addr().map_err(|source| Error::Listen { port: 0, source })?.port();
    listener.set_nonblocking(true).map_err(|source| Error::Listen { port, source })?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .max_blocking_threads(4)
        .thread_name("quire-endpoint-worker")
        .build()
        .map_err(Error::Worker)?;
    let server = Arc::new(routes::Server::new(library, port, &config, Box::new(on_saved)));
    let (stop_tx, stop_rx) = tokio::sync::watch::channel(false);
    let thread = std::thread::Builder::new()
        .name("quire-endpoint".to_owned())
        .spawn(move || {
            runtime.block_on(serve(listener, server, stop_rx));
            runtime.shutdown_timeout(GRACE);
        })
        .map_err(Error::Worker)?;
    Ok(EndpointHandle { port, stop: Some(stop_tx), thread: Some(thread) })
}

async fn serve(listener: TcpListener, server: Arc<routes::Server>, stop: tokio::sync::watch::Receiver<bool>) {
    let Ok(listener) = tokio::net::TcpListener::from_std(listener) else { return };
    let app = axum::Router::new().fallback(routes::handle).with_state(server);
    let stopped = |mut stop: tokio::sync::watch::Receiver<bool>| async move {
        let _ = stop.wait_for(|s| *s).await;
    };
    let graceful = axum::serve(listener, app).with_graceful_shutdown(stopped(stop.clone()));
    tokio::select! {
        _ = graceful => {}
        _ = async { stopped(stop).await; tokio::time::sleep(GRACE).await } => {}
    }
}

/// Binds 127.0.0.1 on the port asked for, else on the first free default port.
fn bind(port: Option<u16>) -> Result<TcpListener, Error> {
    let listen = |port: u16| TcpListener::bind(SocketAddr::from((Ipv4Addr::LOCALHOST, port)));
    match port {
        Some(port) => listen(port).map_err(|source| Error::Listen { port, source }),
        None => {
            let (first, last) = (DEFAULT_PORT, DEFAULT_PORT + FALLBACK_PORTS);
            (first..=last).find_map(|port| listen(port).ok()).ok_or(Error::NoFreePort { first, last })
        }
    }
}
