//! The desktop app with a large library, measured in the real app under Xvfb (issue 6's
//! targets): cold start to a usable list, opening an article, search results while typing,
//! and the memory (PSS) of all the app's processes, WebKit's included.
//!
//! `cargo build --release -p quire-desktop && cargo bench -p quire-tests --bench desktop`
//! (`QUIRE_BENCH_ARTICLES` sets the library size, 10,000 by default; the library is built
//! once under `target/bench-data/`). Uses the release app unless `QUIRE_APP_BINARY` says
//! otherwise.

// The E2E tests' modules; the benchmark uses part of them.
#[allow(dead_code)]
#[path = "../e2e/app.rs"]
mod app;
#[allow(dead_code)]
#[path = "../e2e/harness.rs"]
mod harness;
#[allow(dead_code)]
#[path = "../e2e/webdriver.rs"]
mod webdriver;

use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{json, Value};

/// Times single commands from the page (`QUIRE_BENCH_DETAIL=1`), to see where the time goes.
const DETAIL: &str = r#"
const done = arguments[arguments.length - 1];
const invoke = window.__TAURI_INTERNALS__.invoke;
(async () => {
  const out = {};
  const time = async (name, f) => { const t0 = performance.now(); const r = await f(); out[name] = +(performance.now() - t0).toFixed(1); return r; };
  const list = await time("list_articles", () => invoke("list_articles", { filter: {} }));
  await time("get_article", () => invoke("get_article", { id: list[0].id }));
  for (const q of ["a*", "al*", "all*", "allies*", "allies"]) await time(`search ${q}`, () => invoke("search", { request: { text: q, filter: { limit: 200 } } }));
  const t0 = performance.now();
  const seen = {};
  const mo = new MutationObserver(() => {
    for (const css of [".reader-screen", ".reader-screen .loading", "article.reader", "article.reader mark", "aside.panel [data-highlight-card]"]) {
      if (!(css in seen) && document.querySelector(css)) seen[css] = +(performance.now() - t0).toFixed(1);
    }
  });
  mo.observe(document.body, { childList: true, subtree: true });
  document.querySelector("button.row").click();
  await new Promise((r) => setTimeout(r, 600));
  mo.disconnect();
  out.open = seen;
  document.querySelector("button.back")?.click();
  await new Promise((r) => setTimeout(r, 600));
  done(out);
})().catch((e) => done(String(e)));
"#;

fn runs() -> usize {
    std::env::var("QUIRE_BENCH_RUNS").ok().and_then(|v| v.parse().ok()).unwrap_or(5)
}

/// Words for generated articles (the reference article's vocabulary plus filler).
const WORDS: &[&str] = &[
    "alliance",
    "summit",
    "membership",
    "security",
    "guarantees",
    "ukraine",
    "vilnius",
    "leaders",
    "talks",
    "defence",
    "policy",
    "minister",
    "treaty",
    "europe",
    "border",
    "support",
    "weapons",
    "council",
    "members",
    "statement",
    "future",
    "accession",
    "conference",
    "partners",
    "reform",
    "budget",
    "election",
    "energy",
    "market",
    "report",
    "analysis",
    "history",
    "research",
    "campaign",
    "agreement",
    "the",
    "of",
    "and",
    "to",
    "in",
    "a",
    "for",
    "on",
    "with",
    "that",
    "is",
    "was",
    "as",
    "by",
    "at",
    "from",
    "its",
    "their",
    "which",
];

/// A deterministic pseudo-random article of about 450 words.
fn article(i: usize) -> String {
    let mut x = (i as u64).wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    let mut word = || {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        WORDS[(x % WORDS.len() as u64) as usize]
    };
    let mut title: String = (0..6).map(|_| word()).collect::<Vec<_>>().join(" ");
    title.replace_range(0..1, &title[0..1].to_uppercase());
    let mut text = format!("{title} ({i})\n\n");
    for _ in 0..6 {
        let sentence: Vec<&str> = (0..75).map(|_| word()).collect();
        text.push_str(&sentence.join(" "));
        text.push_str(".\n\n");
    }
    text
}

/// The benchmark library: `n` generated articles, then the reference article with its four
/// highlights (the newest, so it is the first row).
fn library(n: usize) -> PathBuf {
    let dir = quire_tests::workspace_root().join("target/bench-data");
    std::fs::create_dir_all(&dir).expect("create target/bench-data");
    let path = dir.join(format!("desktop-{n}.sqlite3"));
    if path.is_file() {
        return path;
    }
    let partial = dir.join(format!("desktop-{n}.partial.sqlite3"));
    let _ = std::fs::remove_file(&partial);
    let started = Instant::now();
    {
        let lib = quire::Library::open(&partial).expect("create the benchmark library");
        for i in 0..n {
            lib.add(&quire::AddSource::Stdin(article(i).as_bytes().to_vec()), &quire::AddOptions::default())
                .expect("add a generated article");
        }
        quire_tests::add_reference_article(&lib);
        // The search index too, as a library that has been searched before has it.
        lib.sync_index().expect("build the search index");
    }
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(dir.join(format!("desktop-{n}.partial.sqlite3{suffix}")));
    }
    std::fs::rename(&partial, &path).expect("keep the benchmark library");
    eprintln!("built a {n}-article library in {:.1} s", started.elapsed().as_secs_f64());
    path
}

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

/// Waits for a selector, polling every 5 ms.
fn wait_for(s: &webdriver::Session, css: &str) {
    let deadline = Instant::now() + Duration::from_secs(60);
    while s.find_all(css).map(|f| f.is_empty()).unwrap_or(true) {
        assert!(Instant::now() < deadline, "{css} never appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// Clicks the first row and waits in the page until the article's text is there.
const OPEN_ARTICLE: &str = r#"
const done = arguments[arguments.length - 1];
const t0 = performance.now();
// Seen the moment the reader's text with its highlights is in the page (a mutation observer
// runs right after the change), then styled and laid out (reading a size forces both). Not at
// the next frame: a frame's timer would add 0 to 16 ms of waiting that says nothing of the app.
const seen = () => document.querySelector("article.reader .document p mark");
const observer = new MutationObserver(() => {
  if (!seen()) return;
  observer.disconnect();
  void document.body.offsetHeight;
  done(performance.now() - t0);
});
observer.observe(document.body, { childList: true, subtree: true });
document.querySelector("button.row").click();
"#;

/// Types a query into the search box one character at a time (as a user would, 60 ms apart)
/// and measures from the last keystroke until the results are on screen.
const TYPE_SEARCH: &str = r##"
const [query, expected] = arguments;
const done = arguments[arguments.length - 1];
const box = document.querySelector("#search");
box.focus();
let i = 0;
const type = () => {
  i++;
  box.value = query.slice(0, i);
  box.dispatchEvent(new InputEvent("input", { bubbles: true }));
  if (i < query.length) { setTimeout(type, 60); return; }
  const t0 = performance.now();
  // As for opening an article: seen when in the page, then styled and laid out.
  const seen = () => {
    const results = document.querySelector("ol.results");
    return results && results.dataset.query === expected && results.querySelector("button.result");
  };
  const observer = new MutationObserver(() => {
    if (!seen()) return;
    observer.disconnect();
    void document.body.offsetHeight;
    done(performance.now() - t0);
  });
  observer.observe(document.body, { childList: true, subtree: true, attributes: true });
};
type();
"##;

/// PSS in kB of `pid` and every process below it.
fn pss_tree_kb(root: u32) -> (u64, Vec<(String, u64)>) {
    let mut parents = Vec::new();
    for entry in std::fs::read_dir("/proc").expect("/proc").flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        let Ok(stat) = std::fs::read_to_string(format!("/proc/{pid}/stat")) else { continue };
        // "pid (comm) state ppid ...": comm may hold spaces, so split after the last ')'.
        let Some(close) = stat.rfind(')') else { continue };
        let ppid: u32 = stat[close + 2..].split_whitespace().nth(1).and_then(|p| p.parse().ok()).unwrap_or(0);
        let comm = stat[stat.find('(').unwrap_or(0) + 1..close].to_owned();
        parents.push((pid, ppid, comm));
    }
    let mut tree = vec![root];
    let mut i = 0;
    while i < tree.len() {
        let parent = tree[i];
        tree.extend(parents.iter().filter(|(_, pp, _)| *pp == parent).map(|(p, _, _)| *p));
        i += 1;
    }
    let mut total = 0;
    let mut each = Vec::new();
    for pid in tree {
        let rollup = std::fs::read_to_string(format!("/proc/{pid}/smaps_rollup")).unwrap_or_default();
        let pss: u64 = rollup
            .lines()
            .find(|l| l.starts_with("Pss:"))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        let comm = parents.iter().find(|(p, _, _)| *p == pid).map(|(_, _, c)| c.clone()).unwrap_or_default();
        total += pss;
        each.push((comm, pss));
    }
    (total, each)
}

/// The app's process: the newest `quire-desktop` (WebKitWebDriver starts it).
fn app_pid(binary: &Path) -> Option<u32> {
    let mut newest = None;
    for entry in std::fs::read_dir("/proc").ok()?.flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else { continue };
        if std::fs::read_link(format!("/proc/{pid}/exe")).ok().as_deref() == Some(binary) {
            newest = newest.max(Some(pid));
        }
    }
    newest
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        // `cargo test` lists benches; there are no tests to list here.
        return;
    }
    std::env::set_var("QUIRE_BENCH", "1");
    let n: usize = std::env::var("QUIRE_BENCH_ARTICLES").ok().and_then(|v| v.parse().ok()).unwrap_or(10_000);
    if std::env::var_os("QUIRE_APP_BINARY").is_none() {
        let release = quire_tests::workspace_root().join("target/release/quire-desktop");
        assert!(release.is_file(), "build the release app first: cargo build --release -p quire-desktop");
        std::env::set_var("QUIRE_APP_BINARY", &release);
    }
    let binary = harness::app_binary().expect("the app binary");
    let library = library(n);
    let logs = tempfile::tempdir().expect("a temporary directory");
    let (mut start, mut open, mut search, mut pss) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
    let mut breakdown = Vec::new();
    let runs = runs();
    for _ in 0..runs {
        let app = app::launch(&library, logs.path()).unwrap_or_else(|e| panic!("cannot launch the app: {e}"));
        let s = &app.session;
        wait_for(s, "button.row");
        start.push(app.started.elapsed().as_secs_f64() * 1000.0);
        let ms = |v: Value| v.as_f64().expect("a number of milliseconds");
        if std::env::var_os("QUIRE_BENCH_DETAIL").is_some() {
            println!("detail {}", s.execute_async(DETAIL, vec![]).expect("time the commands"));
        }
        // QUIRE_BENCH_SETTLE=1: open 2 s after the list appeared, not at once.
        if std::env::var_os("QUIRE_BENCH_SETTLE").is_some_and(|v| !v.is_empty()) {
            std::thread::sleep(Duration::from_secs(2));
        }
        open.push(ms(s.execute_async(OPEN_ARTICLE, vec![]).expect("open an article")));
        s.press_key(webdriver::ESCAPE).expect("back to the list");
        wait_for(s, "button.row");
        search.push(ms(s.execute_async(TYPE_SEARCH, vec![json!("allies"), json!("allies")]).expect("search")));
        std::thread::sleep(Duration::from_millis(1500));
        let pid = app_pid(&binary).expect("the app's process");
        let (total, each) = pss_tree_kb(pid);
        pss.push(total as f64 / 1024.0);
        breakdown = each;
        drop(app);
    }
    println!(
        "articles={} runs={runs} cold_start_ms={:.0} open_article_ms={:.1} search_ms={:.1} pss_mb={:.0}",
        n + 1,
        median(start),
        median(open),
        median(search),
        median(pss)
    );
    let parts: Vec<String> = breakdown.iter().map(|(c, kb)| format!("{c}={}MB", kb / 1024)).collect();
    println!("pss_by_process {}", parts.join(" "));
}
