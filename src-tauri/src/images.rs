//! The `quire-image` protocol: the reader's images come from the library, never the network.
//! A document's `quire-image:<sha256>` source becomes `quire-image://localhost/<sha256>`
//! (`http://quire-image.localhost/<sha256>` on Windows) in the webview.

use tauri::http::{header, Request, Response, StatusCode};

use crate::commands::LibraryState;

pub const SCHEME: &str = "quire-image";

/// The policy every answer carries: an image is never a live document. A stored SVG opened on
/// its own (not through `<img>`) runs no script, loads nothing, and is not sniffed as HTML.
pub const CONTENT_SECURITY_POLICY: &str = "default-src 'none'; style-src 'unsafe-inline'";

/// Answers one request: the stored image for the hash in the path, or 404.
pub fn respond(library: &LibraryState, request: &Request<Vec<u8>>) -> Response<Vec<u8>> {
    let hash = request.uri().path().trim_start_matches('/');
    let valid = hash.len() == 64 && hash.bytes().all(|b| b.is_ascii_hexdigit());
    let image = if valid { library.image(hash).ok() } else { None };
    answer(image.map(|image| (image.mime, image.data)))
}

/// The response for a stored image (its type and bytes) or for none (404), with the
/// [`CONTENT_SECURITY_POLICY`] and `nosniff` either way.
pub fn answer(image: Option<(String, Vec<u8>)>) -> Response<Vec<u8>> {
    let builder = Response::builder()
        .header(header::CONTENT_SECURITY_POLICY, CONTENT_SECURITY_POLICY)
        .header(header::X_CONTENT_TYPE_OPTIONS, "nosniff");
    let response = match image {
        Some((mime, data)) => builder
            .status(StatusCode::OK)
            .header(header::CONTENT_TYPE, mime)
            // Stored images are immutable: the hash is the content.
            .header(header::CACHE_CONTROL, "max-age=31536000, immutable")
            .body(data),
        None => builder.status(StatusCode::NOT_FOUND).body(Vec::new()),
    };
    response.unwrap_or_else(|_| Response::new(Vec::new()))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A stored SVG with a script, as an attacker would store it: served so that it cannot run.
    #[test]
    fn every_image_is_served_inert() {
        let svg = b"<svg xmlns='http://www.w3.org/2000/svg' onload='alert(1)'><script>alert(2)</script></svg>";
        for response in [answer(Some(("image/svg+xml".to_owned(), svg.to_vec()))), answer(None)] {
            let h = response.headers();
            assert_eq!(h[header::CONTENT_SECURITY_POLICY], "default-src 'none'; style-src 'unsafe-inline'");
            assert_eq!(h[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
        }
        assert_eq!(answer(None).status(), StatusCode::NOT_FOUND);
    }
}
