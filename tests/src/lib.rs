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

/// A hash of what a library holds: its schema version and every row of every table, but the
/// tables in `skip_tables` and the `(table, column)` pairs in `skip_columns`. Equal means
/// nothing the hash covers changed.
pub fn library_hash(library: &Path, skip_tables: &[&str], skip_columns: &[(&str, &str)]) -> u64 {
    use std::hash::{DefaultHasher, Hash, Hasher};
    let conn = rusqlite::Connection::open_with_flags(library, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .expect("open the library to hash it");
    let strings = |sql: &str| -> Vec<String> {
        let mut stmt = conn.prepare(sql).unwrap();
        stmt.query_map([], |r| r.get(0)).unwrap().collect::<Result<_, _>>().unwrap()
    };
    let mut hasher = DefaultHasher::new();
    let version: i64 = conn.pragma_query_value(None, "user_version", |r| r.get(0)).unwrap();
    version.hash(&mut hasher);
    for table in strings("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name") {
        if skip_tables.contains(&table.as_str()) {
            continue;
        }
        let columns: Vec<String> = strings(&format!("SELECT name FROM pragma_table_info('{table}') ORDER BY cid"))
            .into_iter()
            .filter(|c| !skip_columns.contains(&(table.as_str(), c.as_str())))
            .map(|c| format!("\"{c}\""))
            .collect();
        table.hash(&mut hasher);
        let mut stmt = conn.prepare(&format!("SELECT {} FROM \"{table}\" ORDER BY 1", columns.join(", "))).unwrap();
        let mut rows = stmt.query([]).unwrap();
        while let Some(row) = rows.next().unwrap() {
            for c in 0..columns.len() {
                format!("{:?}", row.get_ref(c).unwrap()).hash(&mut hasher);
            }
        }
    }
    hasher.finish()
}
