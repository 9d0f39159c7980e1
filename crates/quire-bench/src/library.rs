//! `quire-bench library`: a large library, built deterministically from [`crate::corpus`],
//! imported through the `quire` CLI, then searched and listed through the CLI (whole-process
//! time, as a script or the shell sees it), with raw FTS5 over the same corpus in the same run
//! as the reference. Prints one summary line per query class and per figure.
//!
//! Cached under the work folder (default `target/bench-data/library/`): the corpus
//! (`corpus-N/`), the reference index (`ref-N.sqlite3`) and the library (`lib-N.sqlite3`,
//! rebuilt when the `quire` binary changes).

use std::collections::HashMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use serde::{Deserialize, Serialize};

use crate::corpus::{self, Article, CorpusConfig, Frequencies, Generator, Rng};
use crate::{percentile, visible_text};

/// Articles per import chunk: the import rate is measured per chunk, to see it stay flat.
const CHUNKS: usize = 10;
/// Bumped when the generator changes, so cached corpora are made again.
const CORPUS_VERSION: u32 = 1;

pub struct LibraryBench {
    pub articles: usize,
    pub queries: usize,
    pub runs: usize,
    pub quire: PathBuf,
    pub work: PathBuf,
    pub fixtures: PathBuf,
}

/// What generating the corpus learned, kept beside it.
#[derive(Serialize, Deserialize)]
struct CorpusMeta {
    version: u32,
    articles: usize,
    text_bytes: u64,
    words: u64,
    highlights: usize,
    /// Words and their document frequencies (the queries are drawn from them).
    df: Vec<(String, u32)>,
    notes_words: Vec<String>,
    sites: Vec<String>,
}

/// What to add to the library after the import: per article (by title), its tag and
/// highlights.
#[derive(Serialize, Deserialize)]
struct Plan {
    articles: Vec<PlannedArticle>,
}

#[derive(Serialize, Deserialize)]
struct PlannedArticle {
    title: String,
    tag: String,
    highlights: Vec<(String, String, Vec<String>)>,
}

#[derive(Serialize, Deserialize, Default)]
struct ImportMeta {
    binary: String,
    /// Seconds per chunk of plain-text files.
    chunk_seconds: Vec<f64>,
    chunk_articles: Vec<usize>,
    html_seconds: f64,
    html_articles: usize,
}

pub fn run(bench: &LibraryBench) -> Result<()> {
    std::fs::create_dir_all(&bench.work).with_context(|| format!("creating {}", bench.work.display()))?;
    let n = bench.articles;
    let corpus_dir = bench.work.join(format!("corpus-{n}"));
    let meta = corpus_ready(&corpus_dir)?;
    let meta = match meta {
        Some(meta) => meta,
        None => generate(bench, &corpus_dir)?,
    };
    // The phrases are drawn from the fixtures' sentences (also when the corpus was cached).
    if PHRASE_SOURCE.with(|p| p.borrow().is_empty()) {
        sentence_pool(&bench.fixtures)?;
    }
    let reference = bench.work.join(format!("ref-{n}.sqlite3"));
    if !reference.exists() {
        build_reference(&corpus_dir, &reference)?;
    }
    let library = bench.work.join(format!("lib-{n}.sqlite3"));
    let import = library_ready(bench, &library)?;
    let import = match import {
        Some(import) => import,
        None => build_library(bench, &corpus_dir, &library)?,
    };

    let texts: f64 = import.chunk_articles.iter().sum::<usize>() as f64;
    let secs: f64 = import.chunk_seconds.iter().sum();
    let rates: Vec<String> =
        import.chunk_seconds.iter().zip(&import.chunk_articles).map(|(s, a)| format!("{:.0}", *a as f64 / s)).collect();
    println!(
        "import articles={} text_pages_per_s={:.0} per_chunk=[{}] html_pages_per_s={:.0}",
        n,
        texts / secs,
        rates.join(","),
        import.html_articles as f64 / import.html_seconds.max(1e-9),
    );
    let bytes = file_bytes(&library);
    let index_bytes = folder_bytes(&library.with_file_name(format!("lib-{n}.sqlite3.index")));
    let ref_bytes = file_bytes(&reference);
    println!(
        "storage total_bytes={} library_bytes={bytes} index_bytes={index_bytes} text_bytes={} ratio={:.2} \
         reference_fts5_bytes={ref_bytes} words={} highlights={}",
        bytes + index_bytes,
        meta.text_bytes,
        (bytes + index_bytes) as f64 / meta.text_bytes as f64,
        meta.words,
        meta.highlights,
    );
    if let Some(tables) = table_sizes(&library) {
        println!("storage_tables {tables}");
    }

    let classes = query_classes(&meta, bench.queries);
    let conn = rusqlite::Connection::open_with_flags(&reference, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    for class in &classes {
        let mut ours = Vec::new();
        let mut theirs = Vec::new();
        let mut results = Vec::new();
        for _ in 0..bench.runs {
            for q in &class.queries {
                let (ms, hits) = time_quire(&bench.quire, &library, &["search", &q.quire, "--json"])?;
                ours.push(ms);
                results.push(hits);
                if let Some(fts) = &q.fts {
                    let started = Instant::now();
                    let mut stmt =
                        conn.prepare_cached("SELECT rowid FROM docs WHERE docs MATCH ?1 ORDER BY bm25(docs) LIMIT 20")?;
                    let rows: Vec<i64> = stmt.query_map([fts], |r| r.get(0))?.collect::<rusqlite::Result<_>>()?;
                    theirs.push(started.elapsed().as_secs_f64() * 1000.0);
                    drop(rows);
                }
            }
        }
        results.sort_unstable();
        let reference = if theirs.is_empty() {
            "ref_p50_ms=- ref_p95_ms=-".to_owned()
        } else {
            format!("ref_p50_ms={:.1} ref_p95_ms={:.1}", percentile(&theirs, 50.0), percentile(&theirs, 95.0))
        };
        println!(
            "class={} queries={} p50_ms={:.1} p95_ms={:.1} max_ms={:.1} results_median={} {reference} example={:?}",
            class.name,
            class.queries.len(),
            percentile(&ours, 50.0),
            percentile(&ours, 95.0),
            ours.iter().cloned().fold(0.0, f64::max),
            results[results.len() / 2],
            class.queries.first().map(|q| q.quire.as_str()).unwrap_or(""),
        );
    }

    // Lists and topics.
    let tags = corpus::tag_names();
    let args = |a: &[&str]| a.iter().map(|s| (*s).to_owned()).collect::<Vec<String>>();
    let figures: Vec<(&str, Vec<Vec<String>>)> = vec![
        ("list_recent", vec![vec!["list".into(), "--limit".into(), "50".into(), "--json".into()]]),
        (
            "list_tag",
            tags.iter()
                .take(bench.queries)
                .map(|t| vec!["list".into(), "--tag".into(), t.clone(), "--limit".into(), "50".into(), "--json".into()])
                .collect(),
        ),
        (
            "list_unread",
            vec![vec![
                "list".into(),
                "--status".into(),
                "unread".into(),
                "--limit".into(),
                "50".into(),
                "--json".into(),
            ]],
        ),
        (
            "list_favorite",
            vec![vec!["list".into(), "--favorite".into(), "--limit".into(), "50".into(), "--json".into()]],
        ),
        ("list_published", vec![args(&["list", "--sort", "published", "--limit", "50", "--json"])]),
        ("list_title", vec![args(&["list", "--sort", "title", "--limit", "50", "--json"])]),
        ("list_site", vec![args(&["list", "--sort", "site", "--limit", "50", "--json"])]),
        (
            "list_unread_title",
            vec![args(&["list", "--status", "unread", "--sort", "title", "--limit", "50", "--json"])],
        ),
        (
            "list_archived_site",
            vec![args(&["list", "--status", "archived", "--sort", "site", "--limit", "50", "--json"])],
        ),
        ("list_favorite_title", vec![args(&["list", "--favorite", "--sort", "title", "--limit", "50", "--json"])]),
        (
            "list_tag_title",
            tags.iter()
                .take(bench.queries)
                .map(|t| {
                    let mut a = args(&["list", "--tag"]);
                    a.push(t.clone());
                    a.extend(args(&["--sort", "title", "--limit", "50", "--json"]));
                    a
                })
                .collect(),
        ),
        (
            "topic_first_page",
            vec![vec![
                "highlights".into(),
                "--tag".into(),
                corpus::DOSSIER.into(),
                "--limit".into(),
                "50".into(),
                "--json".into(),
            ]],
        ),
        ("topic_whole", vec![vec!["highlights".into(), "--tag".into(), corpus::DOSSIER.into(), "--json".into()]]),
    ];
    // Each figure's invocations, in its order (its commands in turn, 20 in all per run)…
    let plans: Vec<Vec<&Vec<String>>> = figures
        .iter()
        .map(|(_, commands)| {
            let each = (20 / commands.len()).max(1);
            let one_run: Vec<&Vec<String>> = commands.iter().flat_map(|args| std::iter::repeat_n(args, each)).collect();
            (0..bench.runs.max(1)).flat_map(|_| one_run.iter().copied()).collect()
        })
        .collect();
    // …run round by round, one of each figure a round: a slow second of the machine falls on
    // every figure alike instead of on the twenty runs of one. Each round runs the figures
    // in a new order (shuffled with a fixed seed), so that no figure always follows the same one.
    let mut times: Vec<Vec<f64>> = vec![Vec::new(); figures.len()];
    let mut results: Vec<Vec<usize>> = vec![Vec::new(); figures.len()];
    let rounds = plans.iter().map(Vec::len).max().unwrap_or(0);
    let mut rng = Rng::new(7);
    for round in 0..rounds {
        let mut order: Vec<usize> = (0..plans.len()).collect();
        for i in (1..order.len()).rev() {
            order.swap(i, rng.below(i + 1));
        }
        for f in order {
            if let Some(args) = plans[f].get(round) {
                let args: Vec<&str> = args.iter().map(String::as_str).collect();
                let (ms, hits) = time_quire(&bench.quire, &library, &args)?;
                times[f].push(ms);
                results[f].push(hits);
            }
        }
    }
    for (f, (name, _)) in figures.iter().enumerate() {
        results[f].sort_unstable();
        println!(
            "figure={name} runs={} p50_ms={:.1} p95_ms={:.1} results_median={}",
            times[f].len(),
            percentile(&times[f], 50.0),
            percentile(&times[f], 95.0),
            results[f][results[f].len() / 2]
        );
    }
    Ok(())
}

/// The bytes of the files in a folder (a search index beside the library; 0 when none).
fn folder_bytes(dir: &Path) -> u64 {
    std::fs::read_dir(dir)
        .map(|entries| {
            entries.flatten().filter_map(|e| e.metadata().ok()).filter(|m| m.is_file()).map(|m| m.len()).sum()
        })
        .unwrap_or(0)
}

fn file_bytes(path: &Path) -> u64 {
    let main = std::fs::metadata(path).map(|m| m.len()).unwrap_or(0);
    let wal = std::fs::metadata(format!("{}-wal", path.display())).map(|m| m.len()).unwrap_or(0);
    main + wal
}

/// Bytes per table and index (`dbstat`), largest first, when SQLite has it.
fn table_sizes(path: &Path) -> Option<String> {
    let conn = rusqlite::Connection::open_with_flags(path, rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY).ok()?;
    let mut stmt = conn.prepare("SELECT name, sum(pgsize) FROM dbstat GROUP BY name ORDER BY 2 DESC LIMIT 8").ok()?;
    let rows: Vec<(String, i64)> = stmt.query_map([], |r| Ok((r.get(0)?, r.get(1)?))).ok()?.flatten().collect();
    Some(rows.iter().map(|(n, b)| format!("{n}={:.0}MB", *b as f64 / 1e6)).collect::<Vec<_>>().join(" "))
}

/// Runs `quire ARGS --library LIB`; the whole process's wall time in ms, and how many
/// results its JSON output holds.
fn time_quire(quire: &Path, library: &Path, args: &[&str]) -> Result<(f64, usize)> {
    let started = Instant::now();
    let out = Command::new(quire).args(args).arg("--library").arg(library).arg("--no-backup").output()?;
    let ms = started.elapsed().as_secs_f64() * 1000.0;
    if !out.status.success() {
        bail!("quire {}: {}", args.join(" "), String::from_utf8_lossy(&out.stderr));
    }
    let value: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap_or(serde_json::Value::Null);
    let hits = match &value {
        serde_json::Value::Array(items) => items.len(),
        serde_json::Value::Object(map) => map.values().filter_map(|v| v.as_array()).map(Vec::len).max().unwrap_or(0),
        _ => 0,
    };
    Ok((ms, hits))
}

struct Query {
    quire: String,
    fts: Option<String>,
}

struct Class {
    name: &'static str,
    queries: Vec<Query>,
}

/// ≥ `per` queries per class, drawn from the corpus's own frequency table.
fn query_classes(meta: &CorpusMeta, per: usize) -> Vec<Class> {
    let mut freq = Frequencies { articles: meta.articles, ..Default::default() };
    freq.df = meta.df.iter().cloned().collect();
    let mut rng = Rng::new(42);
    let mut pick = |words: &[String], k: usize| -> Vec<String> {
        if words.is_empty() {
            return Vec::new();
        }
        (0..k).map(|_| words[rng.below(words.len())].clone()).collect()
    };
    let rare = pick(&freq.rare(10), per);
    let mid = pick(&freq.band(0.01..0.10, 4), per * 2);
    let common = freq.band(0.30..1.01, 3);
    let commons = pick(&common, per * 2);
    let prefixed = pick(&freq.band(0.02..1.01, 5), per * 3);
    let notes = pick(&meta.notes_words, per);
    let tags = corpus::tag_names();
    let word = |q: &str| Query { quire: q.to_owned(), fts: Some(q.to_owned()) };
    let mut classes = vec![
        Class { name: "rare", queries: rare.iter().map(|w| word(w)).collect() },
        Class { name: "mid", queries: mid[..per.min(mid.len())].iter().map(|w| word(w)).collect() },
        Class { name: "common", queries: commons[..per.min(commons.len())].iter().map(|w| word(w)).collect() },
        Class {
            name: "two_common",
            queries: commons.chunks(2).filter(|c| c.len() == 2).map(|c| word(&format!("{} {}", c[0], c[1]))).collect(),
        },
        Class {
            name: "phrase",
            queries: phrases(meta, per)
                .into_iter()
                .map(|p| Query { quire: format!("\"{p}\""), fts: Some(format!("\"{p}\"")) })
                .collect(),
        },
    ];
    for len in [2, 3, 4] {
        let name = match len {
            2 => "prefix2",
            3 => "prefix3",
            _ => "prefix4",
        };
        let queries = prefixed
            .iter()
            .skip(len * per / 2)
            .take(per)
            .map(|w| {
                let p: String = w.chars().take(len).collect();
                Query { quire: format!("{p}*"), fts: Some(format!("{p}*")) }
            })
            .collect();
        classes.push(Class { name, queries });
    }
    classes.push(Class {
        name: "excluded",
        queries: commons
            .iter()
            .zip(mid.iter().skip(per))
            .take(per)
            .map(|(c, m)| Query { quire: format!("{c} -{m}"), fts: Some(format!("{c} NOT {m}")) })
            .collect(),
    });
    classes.push(Class {
        name: "notes_only",
        queries: notes.iter().map(|w| Query { quire: w.clone(), fts: None }).collect(),
    });
    classes.push(Class {
        name: "tag",
        queries: (0..per).map(|i| Query { quire: format!("tag:{}", tags[i * 7 % tags.len()]), fts: None }).collect(),
    });
    classes.push(Class {
        name: "tag_word",
        queries: (0..per)
            .map(|i| Query {
                quire: format!("tag:{} {}", tags[i * 3 % 20 * 10], commons[i % commons.len()]),
                fts: None,
            })
            .collect(),
    });
    classes.push(Class {
        name: "has_notes",
        queries: (0..per)
            .map(|i| Query { quire: format!("has:notes {}", commons[i % commons.len()]), fts: None })
            .collect(),
    });
    classes.push(Class {
        name: "site",
        queries: (0..per)
            .map(|i| {
                let site = meta.sites[i % meta.sites.len().max(1)].to_lowercase();
                Query { quire: format!("site:{site} {}", mid[i % mid.len()]), fts: None }
            })
            .collect(),
    });
    classes.retain(|c| !c.queries.is_empty());
    classes
}

/// Two- and three-word phrases taken from the corpus's sentences.
fn phrases(meta: &CorpusMeta, per: usize) -> Vec<String> {
    let df: HashMap<&str, u32> = meta.df.iter().map(|(w, d)| (w.as_str(), *d)).collect();
    let common_enough = |w: &str| df.get(w).is_some_and(|d| *d as usize * 100 > meta.articles);
    // Real word pairs: consecutive frequent words of the frequency table's own sentences are
    // not kept, so take them from the fixtures' pool again (deterministic order).
    let mut out = Vec::new();
    for s in PHRASE_SOURCE.with(|p| p.borrow().clone()) {
        let words: Vec<String> =
            s.split(|c: char| !c.is_alphabetic()).filter(|w| !w.is_empty()).map(str::to_lowercase).collect();
        for win in words.windows(2 + out.len() % 2) {
            if win.iter().all(|w| common_enough(w)) {
                out.push(win.join(" "));
                break;
            }
        }
        if out.len() >= per {
            break;
        }
    }
    out
}

thread_local! {
    static PHRASE_SOURCE: std::cell::RefCell<Vec<String>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// The real sentences of the fixtures, in a fixed order.
pub fn sentence_pool(fixtures: &Path) -> Result<Vec<String>> {
    let mut cases: Vec<PathBuf> = std::fs::read_dir(fixtures)
        .with_context(|| format!("reading {}", fixtures.display()))?
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expected.html").is_file())
        .collect();
    cases.sort();
    let mut pool = Vec::new();
    for case in cases {
        let html = std::fs::read(case.join("expected.html"))?;
        pool.extend(corpus::sentences(&visible_text(&String::from_utf8_lossy(&html))));
    }
    // Only sentences in the Latin script: the corpus is an English-language library.
    pool.retain(|s| s.chars().filter(|c| c.is_alphabetic()).all(|c| c.is_ascii_alphabetic()));
    if pool.len() < 100 {
        bail!("only {} sentences in {}: not enough to compose articles", pool.len(), fixtures.display());
    }
    let sample: Vec<String> = pool.iter().step_by(7).cloned().collect();
    PHRASE_SOURCE.with(|p| *p.borrow_mut() = sample);
    Ok(pool)
}

fn corpus_ready(dir: &Path) -> Result<Option<CorpusMeta>> {
    let Ok(bytes) = std::fs::read(dir.join("meta.json")) else { return Ok(None) };
    let meta: CorpusMeta = match serde_json::from_slice(&bytes) {
        Ok(meta) => meta,
        Err(_) => return Ok(None),
    };
    Ok((meta.version == CORPUS_VERSION).then_some(meta))
}

fn generate(bench: &LibraryBench, dir: &Path) -> Result<CorpusMeta> {
    let pool = sentence_pool(&bench.fixtures)?;
    let _ = std::fs::remove_dir_all(dir);
    let config = CorpusConfig::new(bench.articles);
    let per_chunk = bench.articles.div_ceil(CHUNKS);
    let mut freq = Frequencies::default();
    let mut plan = Plan { articles: Vec::new() };
    let (mut text_bytes, mut words, mut highlights) = (0u64, 0u64, 0usize);
    let mut notes_words = Vec::new();
    let mut sites = Vec::new();
    let started = Instant::now();
    for article in Generator::new(config, &pool) {
        freq.add(&article);
        text_bytes += (article.title.len() + article.paragraphs.iter().map(|p| p.len() + 2).sum::<usize>()) as u64;
        words += article.words() as u64;
        highlights += article.highlights.len();
        for h in &article.highlights {
            notes_words
                .extend(h.note.split(|c: char| !c.is_alphabetic()).filter(|w| w.starts_with("nq")).map(str::to_owned));
        }
        let (path, body) = match &article.site {
            Some(site) => {
                if !sites.contains(site) {
                    sites.push(site.clone());
                }
                (dir.join("html").join(format!("{:06}.html", article.index)), article.as_html())
            }
            None => (
                dir.join(format!("chunk-{}", article.index / per_chunk)).join(format!("{:06}.txt", article.index)),
                article.as_text(),
            ),
        };
        write_file(&path, &body)?;
        plan.articles.push(planned(&article));
        if article.index % 10_000 == 9_999 {
            eprintln!("generated {} articles ({:.0} s)", article.index + 1, started.elapsed().as_secs_f64());
        }
    }
    notes_words.sort();
    notes_words.dedup();
    sites.sort();
    let mut df: Vec<(String, u32)> = freq.df.into_iter().collect();
    df.sort();
    let meta = CorpusMeta {
        version: CORPUS_VERSION,
        articles: bench.articles,
        text_bytes,
        words,
        highlights,
        df,
        notes_words,
        sites,
    };
    std::fs::write(dir.join("plan.json"), serde_json::to_vec(&plan)?)?;
    std::fs::write(dir.join("meta.json"), serde_json::to_vec(&meta)?)?;
    eprintln!(
        "corpus: {} articles, {} words, {:.0} MB of text, {} distinct words",
        bench.articles,
        words,
        text_bytes as f64 / 1e6,
        meta.df.len()
    );
    Ok(meta)
}

fn planned(article: &Article) -> PlannedArticle {
    PlannedArticle {
        title: article.title.clone(),
        tag: article.tag.clone(),
        highlights: article.highlights.iter().map(|h| (h.quote.clone(), h.note.clone(), h.tags.clone())).collect(),
    }
}

fn write_file(path: &Path, body: &str) -> Result<()> {
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent)?;
    }
    let mut f = std::io::BufWriter::new(std::fs::File::create(path)?);
    f.write_all(body.as_bytes())?;
    Ok(())
}

/// Raw FTS5 over the same articles (title and text), the reference the library is measured
/// against.
fn build_reference(corpus: &Path, to: &Path) -> Result<()> {
    let tmp = to.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut conn = rusqlite::Connection::open(&tmp)?;
    conn.execute_batch(
        "PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF;
         CREATE VIRTUAL TABLE docs USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 2');",
    )?;
    let tx = conn.transaction()?;
    {
        let mut insert = tx.prepare("INSERT INTO docs (rowid, title, body) VALUES (?1, ?2, ?3)")?;
        for path in corpus_files(corpus)? {
            let raw = std::fs::read_to_string(&path)?;
            let text = if path.extension().is_some_and(|e| e == "html") { visible_text(&raw) } else { raw };
            let (title, body) = text.trim_start().split_once('\n').unwrap_or((&text, ""));
            let id: i64 = path.file_stem().and_then(|s| s.to_str()).and_then(|s| s.parse().ok()).unwrap_or(0);
            insert.execute(rusqlite::params![id + 1, title, body])?;
        }
    }
    tx.commit()?;
    conn.execute_batch("INSERT INTO docs(docs) VALUES ('optimize');")?;
    drop(conn);
    std::fs::rename(&tmp, to)?;
    Ok(())
}

fn corpus_files(corpus: &Path) -> Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for dir in std::fs::read_dir(corpus)?.flatten().map(|e| e.path()).filter(|p| p.is_dir()) {
        files.extend(std::fs::read_dir(&dir)?.flatten().map(|e| e.path()));
    }
    files.sort();
    Ok(files)
}

fn binary_stamp(quire: &Path) -> Result<String> {
    let m = std::fs::metadata(quire)
        .with_context(|| format!("{} (build it with cargo build --release -p quire-cli)", quire.display()))?;
    let modified =
        m.modified().ok().and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok()).map_or(0, |d| d.as_secs());
    Ok(format!("{}:{}", m.len(), modified))
}

fn library_ready(bench: &LibraryBench, library: &Path) -> Result<Option<ImportMeta>> {
    let stamp = binary_stamp(&bench.quire)?;
    let Ok(bytes) = std::fs::read(library.with_extension("import.json")) else { return Ok(None) };
    let meta: ImportMeta = serde_json::from_slice(&bytes).unwrap_or_default();
    Ok((meta.binary == stamp && library.exists()).then_some(meta))
}

fn build_library(bench: &LibraryBench, corpus: &Path, library: &Path) -> Result<ImportMeta> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", library.display()));
    }
    let mut meta = ImportMeta { binary: binary_stamp(&bench.quire)?, ..Default::default() };
    for chunk in 0..CHUNKS {
        let dir = corpus.join(format!("chunk-{chunk}"));
        if !dir.is_dir() {
            continue;
        }
        let count = std::fs::read_dir(&dir)?.count();
        let started = Instant::now();
        import(&bench.quire, library, &dir)?;
        let secs = started.elapsed().as_secs_f64();
        eprintln!("imported chunk {chunk}: {count} articles in {secs:.1} s ({:.0}/s)", count as f64 / secs);
        meta.chunk_seconds.push(secs);
        meta.chunk_articles.push(count);
    }
    let html = corpus.join("html");
    if html.is_dir() {
        meta.html_articles = std::fs::read_dir(&html)?.count();
        let started = Instant::now();
        import(&bench.quire, library, &html)?;
        meta.html_seconds = started.elapsed().as_secs_f64();
    }
    annotate(corpus, library)?;
    std::fs::write(library.with_extension("import.json"), serde_json::to_vec(&meta)?)?;
    Ok(meta)
}

fn import(quire: &Path, library: &Path, dir: &Path) -> Result<()> {
    let out = Command::new(quire)
        .arg("add")
        .arg(dir)
        .arg("--library")
        .arg(library)
        .stdout(std::process::Stdio::null())
        .output()?;
    if !out.status.success() {
        bail!("quire add {}: {}", dir.display(), String::from_utf8_lossy(&out.stderr));
    }
    Ok(())
}

/// Tags and highlights, as a reader adds them, through the library (in this process: the
/// CLI would spend its time starting processes).
fn annotate(corpus: &Path, library: &Path) -> Result<()> {
    let plan: Plan = serde_json::from_slice(&std::fs::read(corpus.join("plan.json"))?)?;
    let lib = quire::Library::open(library)?;
    // Titles as the library keeps them: whitespace collapsed.
    let squash = |t: &str| t.split_whitespace().collect::<Vec<_>>().join(" ");
    let ids: HashMap<String, i64> =
        lib.list_articles(&quire::ArticleFilter::default())?.into_iter().map(|a| (squash(&a.title), a.id)).collect();
    let started = Instant::now();
    let (mut tagged, mut highlighted, mut missing) = (0, 0, 0);
    // A reader's statuses and favorites (1 in 4 read, 1 in 10 archived, 1 in 40 a favorite),
    // so that the lists under those filters have something to show.
    for (n, (_, &id)) in ids.iter().collect::<std::collections::BTreeMap<_, _>>().into_iter().enumerate() {
        match n % 20 {
            0 | 5 | 10 | 15 | 3 => lib.set_status(id, quire::Status::Read)?,
            7 | 17 => lib.set_status(id, quire::Status::Archived)?,
            _ => {}
        }
        if n % 40 == 11 {
            lib.set_favorite(id, true)?;
        }
    }
    for article in &plan.articles {
        let Some(&id) = ids.get(&squash(&article.title)) else {
            missing += 1;
            continue;
        };
        lib.tag_article(id, std::slice::from_ref(&article.tag))?;
        tagged += 1;
        for (quote, note, tags) in &article.highlights {
            let new = quire::NewHighlight {
                article_id: id,
                target: quire::HighlightTarget::Quote {
                    exact: quote.clone(),
                    prefix: None,
                    suffix: None,
                    occurrence: None,
                },
                color: quire::Color::Yellow,
                note: note.clone(),
                tags: tags.clone(),
            };
            if lib.add_highlight(&new).is_ok() {
                highlighted += 1;
            }
        }
    }
    eprintln!(
        "annotated: {tagged} articles tagged, {highlighted} highlights, {missing} articles not found, in {:.0} s",
        started.elapsed().as_secs_f64()
    );
    if missing * 100 > plan.articles.len() {
        bail!("{missing} of {} generated articles are not in the library", plan.articles.len());
    }
    Ok(())
}
