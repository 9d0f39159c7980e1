//! Several processes and threads on one library at once: writers never fail with "database is
//! locked" and never lose a write, and a slow clip never makes reading wait.

use std::io::Write;
use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use quire::{AddOptions, AddSource, ArticleFilter, FetchConfig, Library};
use quire_tests::server::{Reply, Server};
use quire_tests::{add_reference_article, reference_page, workspace_root};

use crate::cli::quire_bin;

const WRITERS: usize = 3;
const WRITES: usize = 300;
/// The kinds of write each writer cycles through (see `write`).
const KINDS: usize = 6;
const QUOTE: &str = "I look forward to the day when we meet as allies";

/// Runs one `quire` process; returns its exit code and stderr.
fn run(library: &Path, args: &[&str], stdin: Option<&str>) -> (i32, String) {
    let mut child = Command::new(quire_bin())
        .args(args)
        .env("QUIRE_LIBRARY", library)
        .current_dir(workspace_root())
        .stdin(if stdin.is_some() { Stdio::piped() } else { Stdio::null() })
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start quire");
    if let Some(text) = stdin {
        child.stdin.take().expect("piped").write_all(text.as_bytes()).expect("write stdin");
    }
    let out = child.wait_with_output().expect("wait for quire");
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

/// Write `i` of writer `w`: one of six kinds, each a separate `quire` process.
fn write(library: &Path, w: usize, i: usize, ids: &Ids) -> (i32, String) {
    let (reference, page, own) = (ids.reference.to_string(), ids.page.to_string(), ids.own[w].to_string());
    match i % KINDS {
        0 => {
            let text = format!("Writer {w} note {i}\n\nA note written by writer {w}, number {i}, about the summit.");
            run(library, &["add", "-"], Some(&text))
        }
        1 => run(library, &["highlight", &reference, "--quote", QUOTE, "--note", &format!("w{w}-{i}")], None),
        2 => run(library, &["tag", "add", &reference, &format!("Writers/w{w}/t{i}")], None),
        3 => run(library, &["edit-highlight", &own, "--note", &format!("w{w}-edit-{i}")], None),
        4 => run(library, &["reextract", &page], None),
        _ => run(library, &["status", &reference, if i.is_multiple_of(2) { "read" } else { "unread" }], None),
    }
}

struct Ids {
    reference: i64,
    page: i64,
    /// One highlight per writer, whose note it edits.
    own: Vec<i64>,
}

#[test]
fn writers_in_several_processes_never_fail_and_lose_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    let ids = {
        let lib = Library::open(&path).unwrap();
        let (reference, _) = add_reference_article(&lib);
        let page = lib.add(&AddSource::Path(reference_page()), &AddOptions::default()).unwrap().id;
        let own = (0..WRITERS)
            .map(|w| {
                let new = quire::NewHighlight {
                    article_id: reference,
                    target: quire::HighlightTarget::Range { start: 0, end: 6 },
                    color: quire::Color::Green,
                    note: format!("w{w}"),
                    tags: Vec::new(),
                };
                lib.add_highlight(&new).unwrap().id
            })
            .collect();
        Ids { reference, page, own }
    };
    let ids = Arc::new(ids);
    let done = Arc::new(AtomicBool::new(false));
    let reader = {
        let (path, done) = (path.clone(), Arc::clone(&done));
        std::thread::spawn(move || {
            let mut failures = Vec::new();
            let mut reads = 0;
            while !done.load(Ordering::SeqCst) {
                for args in [&["search", "allies"][..], &["list", "--limit", "5"], &["highlights"]] {
                    let (code, stderr) = run(&path, args, None);
                    reads += 1;
                    if code != 0 {
                        failures.push(format!("{args:?}: {stderr}"));
                    }
                }
            }
            (reads, failures)
        })
    };
    let writers: Vec<_> = (0..WRITERS)
        .map(|w| {
            let (path, ids) = (path.clone(), Arc::clone(&ids));
            std::thread::spawn(move || {
                (0..WRITES)
                    .filter_map(|i| match write(&path, w, i, &ids) {
                        (0, _) => None,
                        (code, stderr) => Some(format!("writer {w} write {i} exited {code}: {stderr}")),
                    })
                    .collect::<Vec<_>>()
            })
        })
        .collect();
    let failures: Vec<String> = writers.into_iter().flat_map(|h| h.join().unwrap()).collect();
    done.store(true, Ordering::SeqCst);
    let (reads, read_failures) = reader.join().unwrap();
    assert!(failures.is_empty(), "{} of {} writes failed:\n{}", failures.len(), WRITERS * WRITES, failures.join("\n"));
    assert!(read_failures.is_empty(), "{} of {reads} reads failed:\n{}", read_failures.len(), read_failures.join("\n"));

    // Nothing lost: every article, highlight, tag and the last edit of each writer is there.
    let lib = Library::open(&path).unwrap();
    let per_kind = WRITES / KINDS;
    let articles = lib.list_articles(&ArticleFilter::default()).unwrap();
    assert_eq!(articles.len(), 2 + WRITERS * per_kind);
    let reference = lib.article(ids.reference).unwrap();
    for w in 0..WRITERS {
        for i in (0..WRITES).filter(|i| i % KINDS == 1) {
            let note = format!("w{w}-{i}");
            assert!(reference.highlights.iter().any(|h| h.note == note), "highlight {note} is missing");
        }
        for i in (0..WRITES).filter(|i| i % KINDS == 2) {
            let tag = format!("Writers/w{w}/t{i}");
            assert!(reference.summary.tags.contains(&tag), "tag {tag} is missing");
        }
        let last_edit = (0..WRITES).filter(|i| i % KINDS == 3).max().unwrap();
        assert_eq!(lib.highlight(ids.own[w]).unwrap().note, format!("w{w}-edit-{last_edit}"));
        for i in (0..WRITES).filter(|i| i % KINDS == 0) {
            let title = format!("Writer {w} note {i}");
            assert!(articles.iter().any(|a| a.title == title), "article {title} is missing");
        }
    }
    assert_eq!(
        reference.highlights.len(),
        4 + WRITERS * (per_kind + 1),
        "the reference quotes, one per writer, and theirs"
    );
    println!("concurrency: {WRITERS} writer processes × {WRITES} writes, {reads} reads, 0 failures, 0 lost");
}

#[test]
fn a_slow_clip_never_makes_reading_wait() {
    const HOST: &str = "slow.quire.test";
    const DELAY: Duration = Duration::from_secs(5);
    let asked = Arc::new(AtomicBool::new(false));
    let server = {
        let asked = Arc::clone(&asked);
        Server::start(move |path| {
            (path == "/slow").then(|| {
                asked.store(true, Ordering::SeqCst);
                let page = b"<html><head><title>A slow page</title></head><body><article><h1>A slow page</h1>
                    <p>It took the server five seconds to send this paragraph about the summit.</p>
                    <p>Another paragraph, so that there is an article to extract.</p></article></body></html>";
                Reply::Delayed(DELAY, Box::new(Reply::Body(200, Some("text/html"), page.to_vec())))
            })
        })
    };
    let (_dir, lib) = crate::temp_library();
    let (reference, _) = add_reference_article(&lib);
    let lib = Arc::new(lib);
    let clip = {
        let lib = Arc::clone(&lib);
        let options = AddOptions {
            fetch: FetchConfig { static_hosts: Some(vec![(HOST.to_owned(), server.addr)]), ..FetchConfig::default() },
            ..AddOptions::default()
        };
        let url = server.url(HOST, "/slow");
        std::thread::spawn(move || lib.add(&AddSource::Url(url), &options))
    };
    let started = Instant::now();
    while !asked.load(Ordering::SeqCst) {
        assert!(started.elapsed() < Duration::from_secs(10), "the clip never reached the server");
        std::thread::sleep(Duration::from_millis(5));
    }
    // The clip now waits on the network; the library answers meanwhile.
    let time = |work: &dyn Fn()| {
        let t = Instant::now();
        work();
        t.elapsed()
    };
    let list = time(&|| assert_eq!(lib.list_articles(&ArticleFilter::default()).unwrap().len(), 1));
    let search = time(&|| assert_eq!(lib.search("allies", 10).unwrap().len(), 1));
    let open = time(&|| assert_eq!(lib.article(reference).unwrap().highlights.len(), 4));
    assert!(!clip.is_finished(), "the clip was still waiting for the server while the library answered");
    println!(
        "slow clip: list {:.1} ms, search {:.1} ms, open {:.1} ms while the clip waited {} s",
        list.as_secs_f64() * 1e3,
        search.as_secs_f64() * 1e3,
        open.as_secs_f64() * 1e3,
        DELAY.as_secs()
    );
    let added = clip.join().unwrap().expect("the slow page is clipped in the end");
    assert!(added.created && added.title == "A slow page", "{added:?}");
    assert_eq!(lib.list_articles(&ArticleFilter::default()).unwrap().len(), 2);
}
