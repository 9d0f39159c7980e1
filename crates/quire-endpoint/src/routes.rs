//! The one handler: the checks in their order, then the route. Failed checks answer a bare
//! status; a route's own failure (authenticated) answers `{"error": "..."}`.
//!
//! Rate limits have three buckets, so that a flood of one kind never starves another: requests
//! with a valid token (the paired clients), the handshake (`POST /v1/hello` and `/v1/pair`,
//! which a web page cannot send: they are JSON posts, refused with the page's `Origin`), and
//! the rest (no token or a wrong one: what `<img>` tags on a web page can send), plus the
//! strict bucket of failed pairing attempts.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::Request;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use quire::{AnchorKind, CapturedHighlight, CapturedImage, CapturedPage, ErrorKind, Library, TextQuoteSelector};
use serde::Deserialize;
use serde_json::json;

use crate::guard::{self, Bucket};
use crate::{EndpointConfig, Saved, API_VERSION, BODY_TIMEOUT, PAGE_BODY_LIMIT, SMALL_BODY_LIMIT};

pub(crate) type OnSaved = Box<dyn Fn(Saved) + Send + Sync>;

/// What every request shares.
pub(crate) struct Server {
    library: Arc<Library>,
    port: u16,
    /// Requests with a valid token.
    clients: Bucket,
    /// `POST /v1/hello` and `POST /v1/pair`.
    handshakes: Bucket,
    /// Every other request: no token, or one that is not valid.
    strangers: Bucket,
    pairing_failures: Bucket,
    /// The key of the proofs answered for token ids that do not exist: random, this process's
    /// own, so that such an answer looks like any other and tells nothing.
    decoy_key: [u8; 32],
    on_saved: OnSaved,
}

impl Server {
    pub(crate) fn new(
        library: Arc<Library>,
        port: u16,
        config: &EndpointConfig,
        decoy_key: [u8; 32],
        on_saved: OnSaved,
    ) -> Self {
        Server {
            library,
            port,
            clients: Bucket::new(config.rate),
            handshakes: Bucket::new(config.rate),
            strangers: Bucket::new(config.rate),
            pairing_failures: Bucket::new(config.pairing_failures),
            decoy_key,
            on_saved,
        }
    }
}

/// The count of requests with a valid token in progress on a connection (a request
/// extension): while it is not zero, the connection is not evicted for a newcomer.
#[derive(Clone)]
pub(crate) struct Trusted(pub(crate) Arc<std::sync::atomic::AtomicUsize>);

/// Counts one request with a valid token, until dropped.
struct TrustedRequest(Option<Trusted>);

impl TrustedRequest {
    fn enter(trusted: Option<&Trusted>) -> Self {
        if let Some(t) = trusted {
            t.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        }
        TrustedRequest(trusted.cloned())
    }
}

impl Drop for TrustedRequest {
    fn drop(&mut self) {
        if let Some(t) = &self.0 {
            t.0.fetch_sub(1, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

/// The routes there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Hello,
    Pair,
    Status,
    Pages,
    Highlights,
    Tags,
    SingleFile,
}

impl Route {
    /// The routes open to anyone (that passed `Host` and `Origin`).
    fn handshake(method: &Method, path: &str) -> Option<Route> {
        match (method.as_str(), path) {
            ("POST", "/v1/hello") => Some(Route::Hello),
            ("POST", "/v1/pair") => Some(Route::Pair),
            _ => None,
        }
    }

    /// The routes for a client with a valid token.
    fn of(method: &Method, path: &str) -> Option<Route> {
        match (method.as_str(), path) {
            ("GET", "/v1/status") => Some(Route::Status),
            ("POST", "/v1/pages") => Some(Route::Pages),
            ("POST", "/v1/highlights") => Some(Route::Highlights),
            ("GET", "/v1/tags") => Some(Route::Tags),
            ("POST", "/v1/singlefile") => Some(Route::SingleFile),
            _ => None,
        }
    }

    /// The body type it takes, if it takes a body.
    fn body(self) -> Option<&'static str> {
        match self {
            Route::Hello | Route::Pair | Route::Pages | Route::Highlights => Some("application/json"),
            Route::SingleFile => Some("multipart/form-data"),
            Route::Status | Route::Tags => None,
        }
    }

    fn limit(self) -> usize {
        match self {
            Route::Pages | Route::Highlights | Route::SingleFile => PAGE_BODY_LIMIT,
            Route::Hello | Route::Pair | Route::Status | Route::Tags => SMALL_BODY_LIMIT,
        }
    }
}

/// A bare status: no body, no header but the length.
fn refuse(status: StatusCode) -> Response {
    (status, Body::empty()).into_response()
}

pub(crate) async fn handle(server: Arc<Server>, request: Request) -> Response {
    let server = &server;
    let (head, body) = request.into_parts();
    let _trusted;
    if !guard::host_ok(&head.headers, &head.uri, server.port) {
        return refuse(StatusCode::FORBIDDEN);
    }
    if !guard::origin_ok(&head.headers, &head.method) {
        return refuse(StatusCode::FORBIDDEN);
    }
    let route = match Route::handshake(&head.method, head.uri.path()) {
        Some(route) => {
            if !server.handshakes.take() {
                return refuse(StatusCode::TOO_MANY_REQUESTS);
            }
            if route == Route::Pair && !server.pairing_failures.has() {
                return refuse(StatusCode::TOO_MANY_REQUESTS);
            }
            route
        }
        None => {
            // The token before the route: a stranger gets 401 whatever it asks for, and
            // learns nothing of the routes there are.
            let valid = match guard::bearer(&head.headers).map(str::to_owned) {
                Some(secret) => {
                    let library = server.library.clone();
                    match blocking(move || library.check_token(&secret)).await {
                        Some(Ok(found)) => found.is_some(),
                        Some(Err(_)) | None => return refuse(StatusCode::INTERNAL_SERVER_ERROR),
                    }
                }
                None => false,
            };
            if !valid {
                let status =
                    if server.strangers.take() { StatusCode::UNAUTHORIZED } else { StatusCode::TOO_MANY_REQUESTS };
                return refuse(status);
            }
            if !server.clients.take() {
                return refuse(StatusCode::TOO_MANY_REQUESTS);
            }
            _trusted = TrustedRequest::enter(head.extensions.get::<Trusted>());
            let Some(route) = Route::of(&head.method, head.uri.path()) else {
                return refuse(StatusCode::NOT_FOUND);
            };
            route
        }
    };
    let Some(wanted) = route.body() else {
        return match route {
            Route::Status => status(server).await,
            _ => tags(server).await,
        };
    };
    let media_type = guard::media_type(&head.headers);
    if media_type.as_deref() != Some(wanted) {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    if guard::declared_length(&head.headers).is_some_and(|n| n > route.limit() as u64) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let bytes = match tokio::time::timeout(BODY_TIMEOUT, axum::body::to_bytes(body, route.limit())).await {
        Ok(Ok(bytes)) => bytes,
        Ok(Err(_)) => return refuse(StatusCode::PAYLOAD_TOO_LARGE),
        Err(_) => return refuse(StatusCode::REQUEST_TIMEOUT),
    };
    match route {
        Route::Hello => hello(server, &bytes).await,
        Route::Pair => pair(server, &bytes).await,
        Route::Pages => pages(server, &bytes).await,
        Route::Highlights => highlights(server, &bytes).await,
        Route::SingleFile => {
            let content_type = head.headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
            match crate::singlefile::read(content_type.unwrap_or_default(), bytes).await {
                Some(page) => save_page(server, page).await,
                None => refuse(StatusCode::BAD_REQUEST),
            }
        }
        Route::Status | Route::Tags => refuse(StatusCode::NOT_FOUND),
    }
}

/// Runs library work on the blocking pool; `None` if it panicked.
async fn blocking<T: Send + 'static>(work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
    tokio::task::spawn_blocking(work).await.ok()
}

/// A library error, for a client that proved who it is: its message, never a shell's words.
fn library_error(e: &quire::Error) -> Response {
    let status = match e.kind() {
        ErrorKind::NotFound => StatusCode::NOT_FOUND,
        ErrorKind::Busy => StatusCode::SERVICE_UNAVAILABLE,
        ErrorKind::InvalidInput
        | ErrorKind::QuoteNotFound
        | ErrorKind::AmbiguousQuote
        | ErrorKind::InvalidQuery
        | ErrorKind::Conflict
        | ErrorKind::Unsupported => StatusCode::UNPROCESSABLE_ENTITY,
        ErrorKind::Io
        | ErrorKind::Network
        | ErrorKind::Cancelled
        | ErrorKind::Export
        | ErrorKind::Library
        | ErrorKind::Database => StatusCode::INTERNAL_SERVER_ERROR,
    };
    (status, Json(json!({ "error": e.to_string() }))).into_response()
}

fn answer<T>(result: Option<quire::Result<T>>, ok: impl FnOnce(T) -> Response) -> Response {
    match result {
        Some(Ok(value)) => ok(value),
        Some(Err(e)) => library_error(&e),
        None => refuse(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

#[derive(Deserialize)]
struct PairRequest {
    code: String,
    #[serde(default)]
    client: String,
}

async fn pair(server: &Arc<Server>, body: &Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<PairRequest>(body) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    let library = server.library.clone();
    let port = server.port;
    let result = blocking(move || library.redeem_pairing_code_on(&request.code, &request.client, port)).await;
    match result {
        Some(Ok((info, token))) => Json(json!({ "token": token, "token_id": info.id })).into_response(),
        Some(Err(quire::Error::PairingRefused)) => {
            server.pairing_failures.take();
            refuse(StatusCode::UNAUTHORIZED)
        }
        Some(Err(_)) | None => refuse(StatusCode::INTERNAL_SERVER_ERROR),
    }
}

#[derive(Deserialize)]
struct HelloRequest {
    token_id: i64,
    /// 32 bytes, as 64 hexadecimal digits.
    nonce: String,
}

/// `POST /v1/hello`: the proof, for this port, that the server holds the token `token_id`
/// (see `quire::hello_proof`). For a token id that does not exist the answer is a proof under
/// a key of this process's own, the same in shape: no valid proof, and no sign of which ids
/// exist.
async fn hello(server: &Arc<Server>, body: &Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<HelloRequest>(body) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    let mut nonce = [0u8; 32];
    if request.nonce.len() != 64 || hex::decode_to_slice(&request.nonce, &mut nonce).is_err() {
        return refuse(StatusCode::BAD_REQUEST);
    }
    let (library, id, port) = (server.library.clone(), request.token_id, server.port);
    let proof = match blocking(move || library.hello_proof(id, &nonce, port)).await {
        Some(Ok(Some(proof))) => proof,
        Some(Ok(None)) => {
            let mut which = b"quire-endpoint-decoy".to_vec();
            which.extend_from_slice(&id.to_be_bytes());
            quire::hello_proof(&quire::hmac_sha256(&server.decoy_key, &which), &nonce, port)
        }
        Some(Err(_)) | None => return refuse(StatusCode::INTERNAL_SERVER_ERROR),
    };
    Json(json!({ "proof": hex::encode(proof) })).into_response()
}

async fn status(server: &Arc<Server>) -> Response {
    let library = server.library.clone();
    let result = blocking(move || library.count_articles(&quire::ArticleFilter::default())).await;
    answer(result, |count| {
        Json(json!({ "api": API_VERSION, "version": env!("CARGO_PKG_VERSION"), "articles": count.articles }))
            .into_response()
    })
}

async fn tags(server: &Arc<Server>) -> Response {
    let library = server.library.clone();
    answer(blocking(move || library.tags()).await, |tags| {
        let tags: Vec<_> = tags
            .into_iter()
            .map(|t| json!({ "name": t.name, "articles": t.articles, "highlights": t.highlights }))
            .collect();
        Json(json!({ "tags": tags })).into_response()
    })
}

#[derive(Deserialize)]
struct ImageWire {
    url: String,
    #[serde(default)]
    mime: String,
    data_base64: String,
}

#[derive(Deserialize)]
struct PageRequest {
    url: String,
    html: String,
    title: Option<String>,
    language: Option<String>,
    #[serde(default)]
    images: Vec<ImageWire>,
    #[serde(default)]
    tags: Vec<String>,
}

/// The images of a request, decoded; `None` if one is not base64.
fn decode_images(images: Vec<ImageWire>) -> Option<Vec<CapturedImage>> {
    let engine = base64::engine::general_purpose::STANDARD;
    images
        .into_iter()
        .map(|i| Some(CapturedImage { data: engine.decode(i.data_base64.as_bytes()).ok()?, url: i.url, mime: i.mime }))
        .collect()
}

async fn pages(server: &Arc<Server>, body: &Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<PageRequest>(body) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    let Some(images) = decode_images(request.images) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    let page = CapturedPage {
        url: request.url,
        html: request.html,
        title: request.title,
        language: request.language,
        images,
        tags: request.tags,
    };
    save_page(server, page).await
}

pub(crate) async fn save_page(server: &Arc<Server>, page: CapturedPage) -> Response {
    let worker = server.clone();
    let result = blocking(move || {
        let saved = worker.library.save_page(page)?;
        (worker.on_saved)(Saved::Page { id: saved.id, title: saved.title.clone(), duplicate: saved.duplicate });
        Ok(saved)
    })
    .await;
    answer(result, |saved| {
        Json(json!({ "id": saved.id, "title": saved.title, "duplicate": saved.duplicate })).into_response()
    })
}

#[derive(Deserialize)]
struct SelectorWire {
    exact: String,
    #[serde(default)]
    prefix: String,
    #[serde(default)]
    suffix: String,
}

#[derive(Deserialize)]
struct HighlightRequest {
    url: String,
    html: Option<String>,
    title: Option<String>,
    language: Option<String>,
    #[serde(default)]
    images: Vec<ImageWire>,
    selector: SelectorWire,
    color: Option<String>,
    #[serde(default)]
    note: String,
    #[serde(default)]
    tags: Vec<String>,
}

async fn highlights(server: &Arc<Server>, body: &Bytes) -> Response {
    let Ok(request) = serde_json::from_slice::<HighlightRequest>(body) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    let Some(images) = decode_images(request.images) else {
        return refuse(StatusCode::BAD_REQUEST);
    };
    let color = match request.color.as_deref().map(str::parse::<quire::Color>).transpose() {
        Ok(color) => color,
        Err(e) => return library_error(&quire::Error::from(e)),
    };
    let page = request.html.map(|html| CapturedPage {
        url: request.url.clone(),
        html,
        title: request.title,
        language: request.language,
        images,
        tags: Vec::new(),
    });
    let SelectorWire { exact, prefix, suffix } = request.selector;
    let captured = CapturedHighlight {
        url: request.url,
        page,
        selector: TextQuoteSelector { exact, prefix, suffix },
        color,
        note: request.note,
        tags: request.tags,
    };
    let worker = server.clone();
    let result = blocking(move || {
        let saved = worker.library.save_highlight(captured)?;
        (worker.on_saved)(Saved::Highlight {
            article_id: saved.article_id,
            highlight_id: saved.highlight_id,
            page_saved: saved.page_saved,
        });
        Ok(saved)
    })
    .await;
    answer(result, |saved| {
        let anchor = match saved.anchor {
            AnchorKind::Exact | AnchorKind::Moved => "exact",
            AnchorKind::Fuzzy { .. } => "fuzzy",
            AnchorKind::Orphan => "orphan",
        };
        Json(json!({
            "article_id": saved.article_id,
            "highlight_id": saved.highlight_id,
            "anchor": anchor,
            "page_saved": saved.page_saved,
            "already": saved.already,
        }))
        .into_response()
    })
}
