//! Importing other apps' exports at scale (issue 11's targets), each against a reference run
//! in the same process on the same pages:
//!
//! - **Omnivore**: an export zip of 1,000 articles with their pages and 5,000 highlights
//!   (target ≥ 100 articles/s); reference: the same 1,000 pages added as files with
//!   `Library::add_all` (extraction and storage, no highlights).
//! - **Pocket**: an export of 1,000 addresses served by a loopback server (target ≥ 30
//!   pages/s, fetched politely: 6 at once, 2 per host); reference: the same addresses clipped
//!   one after another with `Library::add_all`.
//!
//! `cargo bench -p quire-tests --bench import` (`QUIRE_BENCH_IMPORT_ITEMS` sets the number of
//! articles, 1,000 by default). Pages are made of real sentences from the shared readability
//! fixtures. Prints one summary line.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::AtomicBool;
use std::sync::Arc;
use std::time::{Duration, Instant};

use quire::{AddOptions, AddSource, FetchConfig, ImportOptions, Library};
use quire_tests::server::{Reply, Server};

const HOST: &str = "pages.test";

fn sentences() -> Vec<String> {
    let dir = quire_tests::workspace_root().join("../shared/fixtures/readability");
    let mut out = Vec::new();
    let mut cases: Vec<PathBuf> =
        std::fs::read_dir(&dir).expect("the shared readability fixtures").flatten().map(|e| e.path()).collect();
    cases.sort();
    for case in cases {
        let Ok(html) = std::fs::read_to_string(case.join("expected.html")) else { continue };
        let mut text = String::new();
        let mut in_tag = false;
        for c in html.chars() {
            match c {
                '<' => in_tag = true,
                '>' => {
                    in_tag = false;
                    text.push(' ');
                }
                c if !in_tag => text.push(c),
                _ => {}
            }
        }
        let text = text.replace("&amp;", "&").replace("&nbsp;", " ");
        for s in text.split(". ") {
            let s = s.split_whitespace().collect::<Vec<_>>().join(" ");
            if s.len() > 60 && s.len() < 300 && !s.contains(['&', '<', '>']) && s.is_ascii() {
                out.push(format!("{s}."));
            }
        }
    }
    assert!(out.len() > 500, "too few sentences in the fixtures: {}", out.len());
    out
}

/// Article `i`: a title and eight paragraphs of four sentences, and five quotes from it.
fn article(i: usize, sentences: &[String]) -> (String, String, Vec<String>) {
    let n = sentences.len();
    let title =
        format!("Report {i}: {}", sentences[(i * 7) % n].split_whitespace().take(6).collect::<Vec<_>>().join(" "));
    let paragraphs: Vec<String> = (0..8)
        .map(|p| (0..4).map(|s| sentences[(i * 31 + p * 4 + s) % n].as_str()).collect::<Vec<_>>().join(" "))
        .collect();
    let quotes = (0..5).map(|q| sentences[(i * 31 + q * 6 + 1) % n].clone()).collect();
    let body: String = paragraphs.iter().map(|p| format!("<p>{p}</p>\n")).collect();
    let html = format!(
        "<!doctype html><html><head><meta charset=utf-8><title>{title}</title></head>\
         <body><nav><a href=/>Home</a> <a href=/world>World</a></nav><article><h1>{title}</h1>\n{body}</article>\
         <footer>© Example News</footer></body></html>"
    );
    (title, html, quotes)
}

fn omnivore_zip(path: &Path, items: usize, sentences: &[String]) {
    let file = std::fs::File::create(path).expect("create the export");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    for chunk in (0..items).collect::<Vec<_>>().chunks(20) {
        let (first, last) = (chunk[0], chunk[chunk.len() - 1] + 1);
        let mut metadata = Vec::new();
        for &i in chunk {
            let slug = format!("report-{i}-{i:08x}");
            let (title, html, quotes) = article(i, sentences);
            metadata.push(serde_json::json!({
                "id": format!("id-{i}"), "slug": slug, "title": title, "description": "", "author": "A. Writer",
                "url": format!("https://news.example/{i}"), "state": "SUCCEEDED", "readingProgress": i % 101,
                "thumbnail": null, "labels": ["bench", format!("topic/{}", i % 10)],
                "savedAt": "2023-07-11T09:30:00.000Z", "updatedAt": "2023-07-11T09:30:00.000Z", "publishedAt": null
            }));
            zip.start_file(format!("content/{slug}.html"), options).unwrap();
            zip.write_all(html.as_bytes()).unwrap();
            let md: String = quotes
                .iter()
                .enumerate()
                .map(|(q, quote)| format!("> {quote}\n\n#label{q}\n\nA note on quote {q}.\n\n"))
                .collect();
            zip.start_file(format!("highlights/{slug}.md"), options).unwrap();
            zip.write_all(format!("# {title}\n\n{md}").as_bytes()).unwrap();
        }
        zip.start_file(format!("metadata_{first}_to_{last}.json"), options).unwrap();
        zip.write_all(serde_json::to_string(&metadata).unwrap().as_bytes()).unwrap();
    }
    zip.finish().expect("write the export");
}

fn network(server: &Server) -> FetchConfig {
    FetchConfig {
        static_hosts: Some(vec![(HOST.to_owned(), server.addr)]),
        timeout: Duration::from_secs(10),
        ..FetchConfig::default()
    }
}

fn main() {
    if !std::env::args().any(|a| a == "--bench") {
        return;
    }
    let items: usize = std::env::var("QUIRE_BENCH_IMPORT_ITEMS").ok().and_then(|v| v.parse().ok()).unwrap_or(1000);
    let sentences = Arc::new(sentences());
    let dir = tempfile::tempdir().expect("a temporary folder");
    let never = AtomicBool::new(false);

    // Omnivore: the export against the same pages added as files.
    let export = dir.path().join("omnivore-export.zip");
    omnivore_zip(&export, items, &sentences);
    let lib = Library::open(&dir.path().join("omnivore.sqlite3")).unwrap();
    let t = Instant::now();
    let report =
        lib.import_file(&export, &ImportOptions::default(), &mut |_| {}, &never).expect("import the Omnivore export");
    let omnivore_s = t.elapsed().as_secs_f64();
    assert_eq!(report.added.len(), items, "{:?}", report.skipped.first());
    let h = report.highlights;
    // A sentence the corpus holds twice can be quoted twice in one article: that counts once.
    assert_eq!(h.exact + h.fuzzy + h.orphaned + h.already, items * 5);
    let pages = dir.path().join("pages");
    std::fs::create_dir(&pages).unwrap();
    for i in 0..items {
        std::fs::write(pages.join(format!("report-{i}.html")), article(i, &sentences).1).unwrap();
    }
    let reference = Library::open(&dir.path().join("files.sqlite3")).unwrap();
    let t = Instant::now();
    let summary = reference.add_all(&[AddSource::Path(pages)], &AddOptions::default(), &mut |_| {}, &never);
    let files_s = t.elapsed().as_secs_f64();
    assert_eq!(summary.added.len(), items);

    // Pocket: addresses fetched from a loopback server, against clipping them one by one.
    let served = sentences.clone();
    let server = Server::start(move |path| {
        let i: usize = path.strip_prefix("/a/")?.parse().ok()?;
        Some(Reply::Body(200, Some("text/html; charset=utf-8"), article(i, &served).1.into_bytes()))
    });
    let rows: String = (0..items)
        .map(|i| format!("Report {i},{},16890678{:02},bench,unread\n", server.url(HOST, &format!("/a/{i}")), i % 100))
        .collect();
    let csv = dir.path().join("part_000000.csv");
    std::fs::write(&csv, format!("title,url,time_added,tags,status\n{rows}")).unwrap();
    let lib = Library::open(&dir.path().join("pocket.sqlite3")).unwrap();
    let options = ImportOptions { fetch: true, network: network(&server), ..ImportOptions::default() };
    let t = Instant::now();
    let report = lib.import_file(&csv, &options, &mut |_| {}, &never).expect("import the Pocket export");
    let pocket_s = t.elapsed().as_secs_f64();
    assert_eq!((report.added.len(), report.link_only.len()), (items, 0), "{:?}", report.link_only.first());
    let reference = Library::open(&dir.path().join("clips.sqlite3")).unwrap();
    let urls: Vec<AddSource> = (0..items).map(|i| AddSource::Url(server.url(HOST, &format!("/a/{i}")))).collect();
    let add = AddOptions { fetch: network(&server), ..AddOptions::default() };
    let t = Instant::now();
    let summary = reference.add_all(&urls, &add, &mut |_| {}, &never);
    let clips_s = t.elapsed().as_secs_f64();
    assert_eq!(summary.added.len(), items, "{:?}", summary.failed.first());

    println!(
        "items={items} omnivore_articles_per_s={:.0} (files_per_s={:.0}) highlights_exact={} fuzzy={} orphaned={} repeated={} pocket_pages_per_s={:.0} (sequential_clips_per_s={:.0})",
        items as f64 / omnivore_s,
        items as f64 / files_s,
        h.exact,
        h.fuzzy,
        h.orphaned,
        h.already,
        items as f64 / pocket_s,
        items as f64 / clips_s,
    );
}
