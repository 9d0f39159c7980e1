//! Shared fixtures for the integration (`tests/integration`) and end-to-end (`tests/e2e`)
//! tests: paths, the reference article and its four highlights.

pub mod server;

use std::path::{Path, PathBuf};

/// The repository root.
pub fn workspace_root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().expect("tests/ sits in the workspace root").to_owned()
}

/// A file of `tests/data/`.
pub fn data(name: &str) -> PathBuf {
    workspace_root().join("tests").join("data").join(name)
}

/// The reference news page (the article as a realistic web page, with its figure and
/// boilerplate): the app's bundled sample article, kept once in `crates/quire/sample/`.
pub fn reference_page() -> PathBuf {
    workspace_root().join("crates").join("quire").join("sample").join("vilnius.html")
}

/// The reference article's title.
pub const REFERENCE_TITLE: &str = "Ukraine is now closer to NATO than ever before";

/// One quote of `tests/data/highlights.json`.
#[derive(Debug, Clone)]
pub struct ReferenceQuote {
    pub exact: String,
    pub color: quire::Color,
    pub note: String,
    pub tags: Vec<String>,
}

/// The four quotes a reader highlights in the reference article.
pub fn reference_quotes() -> Vec<ReferenceQuote> {
    let text = std::fs::read_to_string(data("highlights.json")).expect("tests/data/highlights.json is readable");
    let items: Vec<serde_json::Value> = serde_json::from_str(&text).expect("highlights.json is a JSON list");
    items
        .iter()
        .map(|h| ReferenceQuote {
            exact: h["exact"].as_str().expect("exact").to_owned(),
            color: h["color"].as_str().expect("color").parse().expect("a palette color"),
            note: h["note"].as_str().unwrap_or_default().to_owned(),
            tags: h["tags"].as_array().into_iter().flatten().filter_map(|t| t.as_str()).map(str::to_owned).collect(),
        })
        .collect()
}

/// Adds the reference article (`tests/data/article.txt`) and its four highlights to `library`;
/// returns the article id and the highlights in the order of `highlights.json`.
pub fn add_reference_article(library: &quire::Library) -> (i64, Vec<quire::Highlight>) {
    add_reference_article_with(library, &quire::AddOptions::default())
}

/// [`add_reference_article`] with options (a source URL, article tags).
pub fn add_reference_article_with(
    library: &quire::Library,
    options: &quire::AddOptions,
) -> (i64, Vec<quire::Highlight>) {
    let added = library
        .add(&quire::AddSource::Path(data("article.txt").to_owned()), options)
        .expect("add tests/data/article.txt");
    let highlights = reference_quotes()
        .into_iter()
        .map(|q| {
            library
                .add_highlight(&quire::NewHighlight {
                    article_id: added.id,
                    target: quire::HighlightTarget::Quote {
                        exact: q.exact,
                        prefix: None,
                        suffix: None,
                        occurrence: None,
                    },
                    color: q.color,
                    note: q.note,
                    tags: q.tags,
                })
                .expect("each reference quote occurs exactly once")
        })
        .collect();
    (added.id, highlights)
}
