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
    #[error("its bytes are not the {0} it was sent as")]
    NotWhatItClaims(String),
}

type Loaded = Result<StoredImage, ImageProblem>;

/// Where images that are not on the web come from.
pub(crate) enum LocalImages {
    None,
    /// Files beside a saved page (and only there).
    Folder(PathBuf),
    /// The parts of a web archive, by `Content-Location` (and `cid:` + `Content-ID`).
    Parts(HashMap<String, Vec<u8>>),
    /// The images a browser sent with the page it captured, by address (as parsed), each with
    /// the type it was sent as.
    Captured(HashMap<String, (String, Vec<u8>)>),
}

impl LocalImages {
    /// The bytes this source has for `src`, with the type they were declared as, if any.
    fn part(&self, src: &str) -> Option<(&[u8], Option<&str>)> {
        match self {
            LocalImages::Parts(parts) => parts.get(src).map(|data| (data.as_slice(), None)),
            LocalImages::Captured(images) => {
                images.get(&address_key(src)).map(|(mime, data)| (data.as_slice(), Some(mime.as_str())))
            }
            _ => None,
        }
    }
}

/// At most this many images are taken from a captured page.
pub const MAX_CAPTURED_IMAGES: usize = 100;
/// No captured image larger than this is kept.
pub const MAX_CAPTURED_IMAGE_BYTES: usize = 10 * 1024 * 1024;

/// The images a browser sent, within the limits; a warning for each one left out.
pub(crate) fn captured(sent: &[crate::CapturedImage]) -> (LocalImages, Vec<String>) {
    let mut images = HashMap::new();
    let mut warnings = Vec::new();
    for (i, image) in sent.iter().enumerate() {
        if i >= MAX_CAPTURED_IMAGES {
            warnings.push(format!("image {} not saved: more than {MAX_CAPTURED_IMAGES} images", shorten(&image.url)));
        } else if image.data.len() > MAX_CAPTURED_IMAGE_BYTES {
            let problem = ImageProblem::TooLarge(MAX_CAPTURED_IMAGE_BYTES as u64);
            warnings.push(format!("image {} not saved: {problem}", shorten(&image.url)));
        } else {
            images.insert(address_key(&image.url), (image.mime.clone(), image.data.clone()));
        }
    }
    (LocalImages::Captured(images), warnings)
}

/// An address as a key: parsed and written back when it parses (so `HTTP://A.example/x` and
/// `http://a.example/x` are one), else as it is.
fn address_key(src: &str) -> String {
    Url::parse(src.trim()).map_or_else(|_| src.to_owned(), String::from)
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
    client: &fetch::Fetcher,
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
    match local.part(src) {
        Some((data, Some(declared))) => return claimed(data, declared),
        Some((data, None)) => return stored(data.to_vec(), None),
        None => {}
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

/// An image sent with its type: kept only if its bytes are an image of that type.
fn claimed(data: &[u8], declared: &str) -> Loaded {
    let declared = declared.split(';').next().unwrap_or_default().trim().to_ascii_lowercase();
    let declared = if declared == "image/jpg" { "image/jpeg".to_owned() } else { declared };
    match fetch::sniff_image(data) {
        Some(sniffed) if sniffed == declared => stored(data.to_vec(), None),
        _ => Err(ImageProblem::NotWhatItClaims(declared)),
    }
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
