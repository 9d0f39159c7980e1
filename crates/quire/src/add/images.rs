//! Loading an article's images: `data:` URLs, files beside a saved page (and only there),
//! parts of a web archive, and, when allowed, downloads (several at a time). Each image is
//! kept once by SHA-256; the document then points at `quire-image:<hash>`. An image that
//! cannot be loaded keeps its original source and alt text, with a warning.

use std::collections::HashMap;
use std::path::PathBuf;

use futures_util::StreamExt;
use quire_clip::Extracted;
use quire_doc::BlockKind;
use sha2::{Digest, Sha256};
use url::Url;

use crate::fetch::{self, Network, Want};
use crate::{StoredImage, IMAGE_SCHEME};

/// Why an image was not kept (the article keeps its original source and alt text, and a
/// warning says this).
#[derive(Debug, thiserror::Error)]
enum ImageProblem {
    #[error("{0}")]
    Fetch(crate::Error),
    #[error("{0}")]
    NoNetwork(std::sync::Arc<crate::Error>),
    #[error("{0}: images are not fetched")]
    Scheme(String),
    #[error("a relative address with no page address to resolve it")]
    Relative,
    #[error("not a file beside the page")]
    Outside,
    #[error("{0}")]
    Read(std::io::Error),
    #[error("larger than {} MB", .0 / (1024 * 1024))]
    TooLarge(u64),
    #[error("a malformed data: URL")]
    MalformedData,
    #[error("bad base64 in a data: URL ({0})")]
    Base64(base64::DecodeError),
    #[error("not an image Quire can show")]
    NotAnImage,
}

type Loaded = Result<StoredImage, ImageProblem>;

/// Where images that are not on the web come from.
pub(crate) enum LocalImages {
    None,
    /// Files beside a saved page (and only there).
    Folder(PathBuf),
    /// The parts of a web archive, by `Content-Location` (and `cid:` + `Content-ID`).
    Parts(HashMap<String, Vec<u8>>),
}

impl LocalImages {
    fn part(&self, src: &str) -> Option<&[u8]> {
        match self {
            LocalImages::Parts(parts) => parts.get(src).map(Vec::as_slice),
            _ => None,
        }
    }
}

/// Loads the document's images (at most `max_remote` from the web) and points the document at
/// the stored copies; returns them with the source each came from.
pub(crate) fn load(
    extracted: &mut Extracted,
    local: &LocalImages,
    max_remote: usize,
    network: &mut Network,
) -> Vec<(String, StoredImage)> {
    let mut sources: Vec<String> = Vec::new();
    for block in &extracted.document.blocks {
        if let BlockKind::Image { src, .. } = &block.kind {
            if !src.starts_with(IMAGE_SCHEME) && !sources.contains(src) {
                sources.push(src.clone());
            }
        }
    }
    let mut warnings = Vec::new();
    let mut results: Vec<(String, Loaded)> = Vec::new();
    let mut remote: Vec<(String, Url)> = Vec::new();
    for src in sources {
        let url = Url::parse(&src).ok().filter(|_| !src.starts_with("data:") && local.part(&src).is_none());
        match url {
            None => {
                let loaded = load_local(&src, local, network.config().max_image_bytes);
                results.push((src, loaded));
            }
            Some(url) if remote.len() < max_remote => remote.push((src, url)),
            Some(_) if max_remote > 0 => {
                warnings.push(format!("image {src} not saved: more than {max_remote} images in the article"));
            }
            Some(_) => {}
        }
    }
    if !remote.is_empty() {
        match network.run(|client, cfg| download_all(client, cfg, remote.clone())) {
            Ok(downloaded) => results.extend(downloaded),
            Err(e) => {
                let e = std::sync::Arc::new(e);
                results.extend(remote.into_iter().map(|(src, _)| (src, Err(ImageProblem::NoNetwork(e.clone())))));
            }
        }
    }
    let mut stored = Vec::new();
    for (src, result) in results {
        match result {
            Ok(image) => stored.push((src, image)),
            Err(reason) => warnings.push(format!("image {} not saved: {reason}", shorten(&src))),
        }
    }
    for block in &mut extracted.document.blocks {
        if let BlockKind::Image { src, .. } = &mut block.kind {
            if let Some((_, image)) = stored.iter().find(|(s, _)| s == src) {
                *src = format!("{IMAGE_SCHEME}{}", image.hash);
            }
        }
    }
    warnings.sort();
    extracted.warnings.extend(warnings);
    stored
}

async fn download_all(
    client: &reqwest::Client,
    cfg: &crate::FetchConfig,
    remote: Vec<(String, Url)>,
) -> Vec<(String, Loaded)> {
    futures_util::stream::iter(remote)
        .map(|(src, url)| async move {
            let result = match url.scheme() {
                "http" | "https" => match fetch::fetch(client, &url, Want::Image, cfg).await {
                    Ok(fetched) => stored(fetched.bytes, fetched.content_type),
                    Err(e) => Err(ImageProblem::Fetch(e)),
                },
                other => Err(ImageProblem::Scheme(other.to_owned())),
            };
            (src, result)
        })
        .buffer_unordered(cfg.image_concurrency.max(1))
        .collect()
        .await
}

/// A `data:` image, a part of the archive, or a file beside the page.
fn load_local(src: &str, local: &LocalImages, max_bytes: u64) -> Loaded {
    if let Some(rest) = src.strip_prefix("data:") {
        let (data, declared) = decode_data_url(rest)?;
        return stored(data, declared);
    }
    if let Some(data) = local.part(src) {
        return stored(data.to_vec(), None);
    }
    let LocalImages::Folder(folder) = local else {
        return Err(ImageProblem::Relative);
    };
    let relative = src.split(['?', '#']).next().unwrap_or(src);
    let path = folder.join(percent_decode(relative));
    // Only files inside the page's folder: a page must not make Quire read other files.
    let inside = path.canonicalize().ok().zip(folder.canonicalize().ok()).is_some_and(|(p, f)| p.starts_with(f));
    if !inside {
        return Err(ImageProblem::Outside);
    }
    let data = std::fs::read(&path).map_err(ImageProblem::Read)?;
    if data.len() as u64 > max_bytes {
        return Err(ImageProblem::TooLarge(max_bytes));
    }
    stored(data, None)
}

/// The image as stored: its hash and its type (sniffed, else as declared if an image type).
fn stored(data: Vec<u8>, declared: Option<String>) -> Loaded {
    let mime = fetch::sniff_image(&data)
        .map(str::to_owned)
        .or_else(|| {
            declared
                .filter(|d| d.starts_with("image/"))
                .map(|d| d.split(';').next().unwrap_or_default().trim().to_owned())
        })
        .ok_or(ImageProblem::NotAnImage)?;
    let hash = hex::encode(Sha256::digest(&data));
    Ok(StoredImage { hash, mime, data })
}

fn decode_data_url(rest: &str) -> Result<(Vec<u8>, Option<String>), ImageProblem> {
    use base64::Engine;
    let (meta, payload) = rest.split_once(',').ok_or(ImageProblem::MalformedData)?;
    let mime = meta.split(';').next().filter(|m| !m.is_empty()).map(str::to_owned);
    let data = if meta.ends_with(";base64") {
        let clean: String = payload.chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD.decode(clean.as_bytes()).map_err(ImageProblem::Base64)?
    } else {
        percent_decode(payload).into_bytes()
    };
    Ok((data, mime))
}

fn percent_decode(s: &str) -> String {
    percent_encoding::percent_decode_str(s).decode_utf8_lossy().into_owned()
}

fn shorten(src: &str) -> String {
    if src.chars().count() > 80 {
        format!("{}…", src.chars().take(80).collect::<String>())
    } else {
        src.to_owned()
    }
}
