//! The one handler: the checks in their order, then the route. Failed checks answer a bare
//! status; a route's own failure (authenticated) answers `{"error": "..."}`.

use std::sync::Arc;

use axum::body::{Body, Bytes};
use axum::extract::{Request, State};
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Json;
use base64::Engine;
use quire::{AnchorKind, CapturedHighlight, CapturedImage, CapturedPage, ErrorKind, Library, TextQuoteSelector};
use serde::Deserialize;
use serde_json::json;

use crate::guard::{self, Bucket};
use crate::{EndpointConfig, Saved, API_VERSION, PAGE_BODY_LIMIT, SMALL_BODY_LIMIT};

pub(crate) type OnSaved = Box<dyn Fn(Saved) + Send + Sync>;

/// What every request shares.
pub(crate) struct Server {
    library: Arc<Library>,
    port: u16,
    requests: Bucket,
    pairing_failures: Bucket,
    on_saved: OnSaved,
}

impl Server {
    pub(crate) fn new(library: Arc<Library>, port: u16, config: &EndpointConfig, on_saved: OnSaved) -> Self {
        Server {
            library,
            port,
            requests: Bucket::new(config.rate),
            pairing_failures: Bucket::new(config.pairing_failures),
            on_saved,
        }
    }
}

/// The routes there are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Route {
    Pair,
    Status,
    Pages,
    Highlights,
    Tags,
    SingleFile,
}

impl Route {
    fn of(method: &Method, path: &str) -> Option<Route> {
        match (method.as_str(), path) {
            ("POST", "/v1/pair") => Some(Route::Pair),
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
            Route::Pair | Route::Pages | Route::Highlights => Some("application/json"),
            Route::SingleFile => Some("multipart/form-data"),
            Route::Status | Route::Tags => None,
        }
    }

    fn limit(self) -> usize {
        match self {
            Route::Pages | Route::Highlights | Route::SingleFile => PAGE_BODY_LIMIT,
            Route::Pair | Route::Status | Route::Tags => SMALL_BODY_LIMIT,
        }
    }
}

/// A bare status: no body, no header but the length.
fn refuse(status: StatusCode) -> Response {
    (status, Body::empty()).into_response()
}

pub(crate) async fn handle(State(server): State<Arc<Server>>, request: Request) -> Response {
    let (head, body) = request.into_parts();
    if !guard::host_ok(&head.headers, &head.uri, server.port) {
        return refuse(StatusCode::FORBIDDEN);
    }
    if !guard::origin_ok(&head.headers, &head.method) {
        return refuse(StatusCode::FORBIDDEN);
    }
    if !server.requests.take() {
        return refuse(StatusCode::TOO_MANY_REQUESTS);
    }
    let Some(route) = Route::of(&head.method, head.uri.path()) else {
        return refuse(StatusCode::NOT_FOUND);
    };
    if route == Route::Pair && !server.pairing_failures.has() {
        return refuse(StatusCode::TOO_MANY_REQUESTS);
    }
    if route != Route::Pair {
        let Some(secret) = guard::bearer(&head.headers).map(str::to_owned) else {
            return refuse(StatusCode::UNAUTHORIZED);
        };
        let library = server.library.clone();
        match blocking(move || library.check_token(&secret)).await {
            Some(Ok(Some(_))) => {}
            Some(Ok(None)) => return refuse(StatusCode::UNAUTHORIZED),
            Some(Err(_)) | None => return refuse(StatusCode::INTERNAL_SERVER_ERROR),
        }
    }
    let Some(wanted) = route.body() else {
        return match route {
            Route::Status => status(&server).await,
            _ => tags(&server).await,
        };
    };
    let media_type = guard::media_type(&head.headers);
    if media_type.as_deref() != Some(wanted) {
        return refuse(StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }
    if guard::declared_length(&head.headers).is_some_and(|n| n > route.limit() as u64) {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE);
    }
    let Ok(bytes) = axum::body::to_bytes(body, route.limit()).await else {
        return refuse(StatusCode::PAYLOAD_TOO_LARGE);
    };
    match route {
        Route::Pair => pair(&server, &bytes).await,
        Route::Pages => pages(&server, &bytes).await,
        Route::Highlights => highlights(&server, &bytes).await,
        Route::SingleFile => {
            let content_type = head.headers.get(axum::http::header::CONTENT_TYPE).and_then(|v| v.to_str().ok());
            match crate::singlefile::read(content_type.unwrap_or_default(), bytes).await {
                Some(page) => save_page(&server, page).await,
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
    let result = blocking(move || library.redeem_pairing_code(&request.code, &request.client)).await;
    match result {
        Some(Ok(token)) => Json(json!({ "token": token })).into_response(),
        Some(Err(quire::Error::PairingRefused)) => {
            server.pairing_failures.take();
            refuse(StatusCode::UNAUTHORIZED)
        }
        Some(Err(_)) | None => refuse(StatusCode::INTERNAL_SERVER_ERROR),
    }
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
