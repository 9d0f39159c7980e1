//! `quire-bench`: measures Quire's extraction on a directory of test pages laid out like
//! Readability.js's test suite (`CASE/source.html`, `CASE/expected.html`,
//! `CASE/expected-metadata.json`), optionally side by side with Readability.js under Node.
//!
//! `quire-bench extract DIR [--compare-js] [--runs N]` prints one line per case, then (with
//! `--compare-js`) the JS summary and the speed ratio, and last the summary line
//! `cases=N mean_f1=… min_f1=… f1_ge_0.95=K meta_ok=M p50_ms=… p95_ms=…`.
//! It exits with status 1 when extraction panicked on any page.

use std::collections::BTreeMap;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

use anyhow::{bail, Context, Result};
use clap::{Parser, Subcommand};
use quire_bench::{f1, median, meta_matches, normalized, percentile, visible_text};
use quire_clip::{from_html, HtmlOptions};
use serde::Deserialize;

/// The page address Readability.js's own test suite uses.
const BASE_URL: &str = "http://fakehost/test/";

#[derive(Parser)]
#[command(name = "quire-bench", about = "Benchmarks of Quire's extraction (quality and speed)")]
struct Cli {
    #[command(subcommand)]
    command: Cmd,
}

#[derive(Subcommand)]
enum Cmd {
    /// Extract every CASE/source.html of DIR; score text (token F1) and metadata against
    /// CASE/expected.html and CASE/expected-metadata.json; time the parse.
    Extract {
        /// A directory of cases, each a folder with source.html, expected.html and
        /// expected-metadata.json.
        dir: PathBuf,
        /// Also run Readability.js (jsdom, Node) on the same pages and compare.
        #[arg(long)]
        compare_js: bool,
        /// Parse each page this many times; a page's time is the median of its runs.
        #[arg(long, default_value_t = 3)]
        runs: usize,
        /// Folder holding extract.mjs and the installed npm packages.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../benches/readability-js"))]
        js_dir: PathBuf,
        /// Only these cases (folder names; repeatable).
        #[arg(long = "case")]
        cases: Vec<String>,
        /// Print expected and extracted values of metadata that do not match.
        #[arg(long, short)]
        verbose: bool,
        /// Write CASE.got.txt and CASE.expected.txt (one paragraph per line) into this folder.
        #[arg(long)]
        dump: Option<PathBuf>,
    },
    /// Builds a library of N articles (real sentences, a Zipf tail of made-up words, tags and
    /// highlights with notes), imports it through the `quire` CLI, and times searches per
    /// query class, lists and topics, with raw FTS5 on the same corpus as the reference.
    Library {
        /// How many articles.
        #[arg(long, default_value_t = 100_000)]
        articles: usize,
        /// Queries per class.
        #[arg(long, default_value_t = 20)]
        queries: usize,
        /// Times each query is run.
        #[arg(long, default_value_t = 1)]
        runs: usize,
        /// The `quire` binary to measure (default: the one beside this program).
        #[arg(long)]
        quire: Option<PathBuf>,
        /// Where the corpus, the reference index and the library are cached.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../target/bench-data/library"))]
        work: PathBuf,
        /// The Readability test pages whose sentences make the articles.
        #[arg(long, default_value = concat!(env!("CARGO_MANIFEST_DIR"), "/../../../shared/fixtures/readability"))]
        fixtures: PathBuf,
    },
}

#[derive(Debug, Default, Deserialize)]
struct ExpectedMeta {
    title: Option<String>,
    byline: Option<String>,
    #[serde(rename = "siteName")]
    site_name: Option<String>,
    #[serde(rename = "publishedTime")]
    published_time: Option<String>,
}

/// The four compared fields, in the order they are printed.
const FIELDS: [&str; 4] = ["title", "byline", "site", "time"];

struct Outcome {
    f1: f64,
    meta: [bool; 4],
    ms: f64,
    panicked: bool,
}

#[derive(Debug, Deserialize)]
struct JsLine {
    case: Option<String>,
    #[serde(default)]
    ms: Vec<f64>,
    content: Option<String>,
    title: Option<String>,
    byline: Option<String>,
    #[serde(rename = "siteName")]
    site_name: Option<String>,
    #[serde(rename = "publishedTime")]
    published_time: Option<String>,
    error: Option<String>,
    #[serde(default)]
    summary: bool,
    wall_ms: Option<f64>,
}

fn main() -> Result<()> {
    let (dir, compare_js, runs, js_dir, cases, verbose, dump) = match Cli::parse().command {
        Cmd::Extract { dir, compare_js, runs, js_dir, cases, verbose, dump } => {
            (dir, compare_js, runs, js_dir, cases, verbose, dump)
        }
        Cmd::Library { articles, queries, runs, quire, work, fixtures } => {
            let quire = match quire {
                Some(path) => path,
                None => std::env::current_exe()?.with_file_name("quire"),
            };
            let bench =
                quire_bench::library::LibraryBench { articles, queries, runs: runs.max(1), quire, work, fixtures };
            return quire_bench::library::run(&bench);
        }
    };
    let runs = runs.max(1);
    let mut names = list_cases(&dir)?;
    if !cases.is_empty() {
        names.retain(|n| cases.contains(n));
    }
    if names.is_empty() {
        bail!("no cases (folders with source.html) in {}", dir.display());
    }
    if let Some(d) = &dump {
        std::fs::create_dir_all(d).with_context(|| format!("creating {}", d.display()))?;
    }
    let js = if compare_js { Some(run_js(&js_dir, &dir, runs, &names)?) } else { None };

    // Silence the default panic message; panics are reported on the case's line.
    std::panic::set_hook(Box::new(|_| {}));
    let width = names.iter().map(String::len).max().unwrap_or(0);
    let mut ours = Vec::new();
    let mut theirs = Vec::new();
    for name in &names {
        let case = dir.join(name);
        let source = read_lossy(&case.join("source.html"))?;
        let expected_html = read_lossy(&case.join("expected.html")).unwrap_or_default();
        let expected_text = visible_text(&expected_html);
        let expected_meta: ExpectedMeta = match std::fs::read_to_string(case.join("expected-metadata.json")) {
            Ok(s) => serde_json::from_str(&s).with_context(|| format!("{name}/expected-metadata.json"))?,
            Err(_) => ExpectedMeta::default(),
        };
        let expected = [
            expected_meta.title.as_deref(),
            expected_meta.byline.as_deref(),
            expected_meta.site_name.as_deref(),
            expected_meta.published_time.as_deref(),
        ];

        let mut times = Vec::with_capacity(runs);
        let mut result = None;
        for _ in 0..runs {
            let t0 = Instant::now();
            let r = catch_unwind(AssertUnwindSafe(|| from_html(&source, &HtmlOptions { url: Some(BASE_URL) })));
            times.push(t0.elapsed().as_secs_f64() * 1000.0);
            match r {
                Ok(e) => result = Some(e),
                Err(_) => {
                    result = None;
                    break;
                }
            }
        }
        let outcome = match &result {
            Some(e) => {
                let text = e.document.canonical_text();
                let got = [
                    Some(e.meta.title.as_str()),
                    e.meta.byline.as_deref(),
                    e.meta.site_name.as_deref(),
                    e.meta.published.as_deref(),
                ];
                let meta = std::array::from_fn(|i| meta_matches(got[i], expected[i]));
                if verbose {
                    for i in 0..4 {
                        if !meta[i] {
                            eprintln!("  {name} {}: expected {:?}, got {:?}", FIELDS[i], expected[i], got[i]);
                        }
                    }
                }
                if let Some(d) = &dump {
                    std::fs::write(d.join(format!("{name}.got.txt")), text.replace("\n\n", "\n"))?;
                    std::fs::write(d.join(format!("{name}.expected.txt")), paragraphs(&expected_html))?;
                }
                Outcome { f1: f1(&text, &expected_text), meta, ms: median(&times), panicked: false }
            }
            None => Outcome { f1: 0.0, meta: [false; 4], ms: median(&times), panicked: true },
        };
        let mut line = format!("{name:<width$}  f1={:.4}", outcome.f1);
        for (field, ok) in FIELDS.iter().zip(outcome.meta) {
            line.push_str(&format!(" {field}={}", if ok { "ok" } else { "NO" }));
        }
        line.push_str(&format!(" ms={:.2}", outcome.ms));
        if outcome.panicked {
            line.push_str(" PANIC");
        }
        if let Some(js) = &js {
            match js.cases.get(name) {
                Some(j) => {
                    let jo = score_js(j, &expected_text, &expected);
                    line.push_str(&format!(
                        " | js f1={:.4} meta={}/4 ms={:.2}",
                        jo.f1,
                        jo.meta.iter().filter(|m| **m).count(),
                        jo.ms
                    ));
                    if jo.panicked {
                        line.push_str(" ERROR");
                    }
                    theirs.push(jo);
                }
                None => line.push_str(" | js missing"),
            }
        }
        println!("{line}");
        ours.push(outcome);
    }

    let per_field: Vec<String> =
        (0..4).map(|i| format!("{}_ok={}", FIELDS[i], ours.iter().filter(|o| o.meta[i]).count())).collect();
    println!("fields: {}", per_field.join(" "));
    let our_batch: f64 = ours.iter().map(|o| o.ms).sum();
    if let Some(js) = &js {
        let js_batch: f64 = theirs.iter().map(|o| o.ms).sum();
        println!("js: {}", summary(&theirs));
        println!(
            "speed: runs={runs} quire_batch_ms={our_batch:.1} js_batch_ms={js_batch:.1} js_node_process_ms={:.0} \
             quire_per_page_ms={:.2} js_per_page_ms={:.2} quire_faster={:.1}x",
            js.process_ms,
            our_batch / ours.len() as f64,
            js_batch / theirs.len().max(1) as f64,
            js_batch / our_batch.max(1e-9),
        );
    } else {
        println!(
            "speed: runs={runs} quire_batch_ms={our_batch:.1} quire_per_page_ms={:.2}",
            our_batch / ours.len() as f64
        );
    }
    println!("{}", summary(&ours));
    if ours.iter().any(|o| o.panicked) {
        std::process::exit(1);
    }
    Ok(())
}

fn summary(outcomes: &[Outcome]) -> String {
    let n = outcomes.len();
    let f1s: Vec<f64> = outcomes.iter().map(|o| o.f1).collect();
    let ms: Vec<f64> = outcomes.iter().map(|o| o.ms).collect();
    format!(
        "cases={n} mean_f1={:.4} min_f1={:.4} f1_ge_0.95={} meta_ok={} p50_ms={:.2} p95_ms={:.2}",
        f1s.iter().sum::<f64>() / n.max(1) as f64,
        f1s.iter().copied().fold(f64::INFINITY, f64::min).min(1.0),
        f1s.iter().filter(|f| **f >= 0.95).count(),
        outcomes.iter().filter(|o| o.meta.iter().all(|m| *m)).count(),
        percentile(&ms, 50.0),
        percentile(&ms, 95.0),
    )
}

fn score_js(j: &JsLine, expected_text: &str, expected: &[Option<&str>; 4]) -> Outcome {
    let text = j.content.as_deref().map(visible_text).unwrap_or_default();
    let got = [j.title.as_deref(), j.byline.as_deref(), j.site_name.as_deref(), j.published_time.as_deref()];
    Outcome {
        f1: f1(&text, expected_text),
        meta: std::array::from_fn(|i| meta_matches(got[i], expected[i])),
        ms: median(&j.ms),
        panicked: j.error.is_some(),
    }
}

/// Runs `node extract.mjs DIR` and reads its JSON lines, keyed by case.
struct JsRun {
    cases: BTreeMap<String, JsLine>,
    /// The node process from spawn to exit (start-up, module loading, file reads, all runs).
    process_ms: f64,
}

fn run_js(js_dir: &Path, dir: &Path, runs: usize, names: &[String]) -> Result<JsRun> {
    if !js_dir.join("node_modules/@mozilla/readability").is_dir() || !js_dir.join("node_modules/jsdom").is_dir() {
        bail!(
            "Readability.js is not installed in {}: run `npm ci` there (or benches/run-extract.sh)",
            js_dir.display()
        );
    }
    let dir = std::fs::canonicalize(dir)?;
    eprintln!("running Readability.js (jsdom) on {} pages, {runs} run(s) each…", names.len());
    let t0 = Instant::now();
    let out = Command::new("node")
        .current_dir(js_dir)
        .arg("extract.mjs")
        .arg(&dir)
        .args(["--runs", &runs.to_string()])
        .output()
        .context("running node (is Node.js installed?)")?;
    let process_ms = t0.elapsed().as_secs_f64() * 1000.0;
    if !out.status.success() {
        bail!("node extract.mjs failed: {}", String::from_utf8_lossy(&out.stderr));
    }
    let mut map = BTreeMap::new();
    let mut wall = None;
    for line in String::from_utf8_lossy(&out.stdout).lines().filter(|l| !l.trim().is_empty()) {
        let l: JsLine = serde_json::from_str(line).context("reading extract.mjs output")?;
        if l.summary {
            wall = l.wall_ms;
        } else if let Some(c) = l.case.clone() {
            map.insert(c, l);
        }
    }
    eprintln!(
        "node process: {process_ms:.0} ms in all (start-up, file reads and {runs} run(s) per page); in-script wall {:.0} ms",
        wall.unwrap_or(0.0)
    );
    Ok(JsRun { cases: map, process_ms })
}

fn list_cases(dir: &Path) -> Result<Vec<String>> {
    let mut names = Vec::new();
    for entry in std::fs::read_dir(dir).with_context(|| format!("reading {}", dir.display()))? {
        let entry = entry?;
        if entry.path().join("source.html").is_file() {
            names.push(entry.file_name().to_string_lossy().into_owned());
        }
    }
    names.sort();
    Ok(names)
}

fn read_lossy(path: &Path) -> Result<String> {
    let bytes = std::fs::read(path).with_context(|| format!("reading {}", path.display()))?;
    Ok(String::from_utf8(bytes).unwrap_or_else(|e| String::from_utf8_lossy(e.as_bytes()).into_owned()))
}

/// Visible text of expected HTML, one block per line (for `--dump` diffs only).
fn paragraphs(html: &str) -> String {
    let marked = html
        .replace("</p>", "</p>\u{1}")
        .replace("</li>", "</li>\u{1}")
        .replace("</h1>", "</h1>\u{1}")
        .replace("</h2>", "</h2>\u{1}")
        .replace("</h3>", "</h3>\u{1}")
        .replace("</h4>", "</h4>\u{1}")
        .replace("</tr>", "</tr>\u{1}")
        .replace("</pre>", "</pre>\u{1}")
        .replace("</figcaption>", "</figcaption>\u{1}")
        .replace("<br>", "<br>\u{1}");
    let text = visible_text(&marked);
    let lines: Vec<String> = text.split('\u{1}').filter_map(|l| normalized(Some(l))).collect();
    lines.join("\n") + "\n"
}
