//! The `quire-image` protocol: the reader's images come from the library, never the network.
//! A document's `quire-image:<sha256>` source becomes `quire-image://localhost/<sha256>`
//! (`http://quire-image.localhost/<sha256>` on Windows) in the webview.

use tauri::http::{header, Request, Response, StatusCode};

use crate::commands::LibraryState;

pub const SCHEME: &str = "quire-image";

/// Answers one request: the stored image for the hash in the path, or 404.
pub fn respond(library: &LibraryState, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let hash = request.uri().path().trim_start_matches('/');
    let valid = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    let image = if valid { library.image(hash).ok() } else { None };
    let response = match image {
        Some(image) => Response::builder()
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, image.mime)
            // Stored images are immutable: the hash is the content.
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .header("X-Content-Type-Options", "nosniff")
            .body(image.data),
        None => Response::builder().status(StatusCode::NOT_FOUND).body(Vec::new()),
    };
    response.unwrap_or_else(|_| Response::new(Vec::new()))
}
