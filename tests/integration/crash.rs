//! Crash consistency: real `quire` processes killed with SIGKILL at random moments during a
//! bulk add, a loop of highlights and `clip --update` of a page that changes on every fetch.
//! After every kill: SQLite's `integrity_check` and `foreign_key_check` pass, the search index
//! catches up and agrees with the library, and everything a process reported done is there,
//! whole: each added file's full text, each highlight with its quote and note, the clipped
//! article as one complete version of the page (never half of one). `QUIRE_CRASH_TRIALS` sets
//! the number of trials (20 by default, a third of each kind).

use std::io::{BufRead, BufReader};
use std::path::Path;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use quire::{HighlightFilter, Library};
use quire_tests::server::{Reply, Server};

use crate::cli::quire_bin;

/// A small deterministic generator (the trials are the same on every run).
struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn quire(library: &Path, args: &[&str]) -> Command {
    let mut command = Command::new(quire_bin());
    command.args(args).env("QUIRE_LIBRARY", library).stdin(Stdio::null());
    command
}

/// Kills the child with SIGKILL (if it still runs) and reaps it; true when it was still running.
fn kill(child: &mut Child) -> bool {
    let running = child.try_wait().unwrap().is_none();
    let _ = child.kill();
    let _ = child.wait();
    running
}

/// The page `clip --update` fetches: version `n` of a story, each version a whole text.
fn story(n: usize) -> String {
    let paragraphs: Vec<String> = (0..40)
        .map(|p| format!("<p>Version {n}, paragraph {p}: the allies met again in Vilnius and spoke of Ukraine.</p>"))
        .collect();
    format!(
        "<html><head><title>The summit, version {n}</title></head><body><article><h1>The summit</h1>\
         <p>The one sentence that never changes between versions of this story.</p>{}</article></body></html>",
        paragraphs.join("")
    )
}

/// What the processes reported done, to look for after the crash.
#[derive(Default)]
struct Reported {
    /// Article id → the text its file held.
    added: Vec<(i64, String)>,
    /// Highlight id → (quote, note).
    highlights: Vec<(i64, String, String)>,
}

#[test]
fn killed_processes_never_corrupt_the_library_or_lose_what_they_reported() {
    let trials: usize = std::env::var("QUIRE_CRASH_TRIALS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite3");
    let served = Arc::new(AtomicUsize::new(0));
    let counter = served.clone();
    let server = Server::start(move |path| {
        (path == "/story").then(|| {
            let n = counter.fetch_add(1, Ordering::SeqCst);
            Reply::Body(200, Some("text/html; charset=utf-8"), story(n).into_bytes())
        })
    });
    let url = server.url("127.0.0.1", "/story");
    // The article every highlight loop and every update works on.
    let status = quire(&library, &["clip", &url]).stdout(Stdio::null()).status().unwrap();
    assert!(status.success());
    let (clipped, anchor_quote) = (1i64, "The one sentence that never changes between versions of this story.");
    let status = quire(&library, &["highlight", "1", "--quote", anchor_quote, "--note", "kept across versions"])
        .stdout(Stdio::null())
        .status()
        .unwrap();
    assert!(status.success());

    let mut rng = Lcg(15);
    let mut reported = Reported::default();
    let mut killed = 0;
    for trial in 0..trials {
        let wait = Duration::from_millis(20 + rng.below(400));
        let was_running = match trial % 3 {
            0 => bulk_add(&library, dir.path(), trial, wait, &mut reported),
            1 => highlight_loop(&library, clipped, trial, wait, &mut reported),
            _ => update_loop(&library, &url, wait),
        };
        killed += usize::from(was_running);
        check(&library, &reported, clipped, anchor_quote, trial);
    }
    assert!(killed * 2 >= trials, "most processes were killed mid-way ({killed} of {trials})");
    assert!(
        !reported.added.is_empty() && !reported.highlights.is_empty(),
        "the trials had something to check ({} added, {} highlights reported)",
        reported.added.len(),
        reported.highlights.len()
    );
    assert!(served.load(Ordering::SeqCst) > 2, "the page was fetched again and again");
}

/// `quire add DIR` of 400 files, killed after `wait`; the items it printed as added are kept.
fn bulk_add(library: &Path, dir: &Path, trial: usize, wait: Duration, reported: &mut Reported) -> bool {
    let folder = dir.join(format!("batch-{trial}"));
    std::fs::create_dir_all(&folder).unwrap();
    let mut texts = Vec::new();
    for n in 0..400 {
        let text = format!(
            "Dispatch {trial}-{n}\n\nThe delegations arrived on day {n} of trial {trial}.\n\nTalks went on late into the night, number {n}."
        );
        std::fs::write(folder.join(format!("{n:03}.txt")), &text).unwrap();
        // The first line is the title; the text is what follows.
        texts.push(text.split_once("\n\n").unwrap().1.to_owned());
    }
    let mut child = quire(library, &["add", folder.to_str().unwrap()])
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    // Progress lines ("[3/400] added 17: Dispatch …") are read as they come.
    let lines = Arc::new(Mutex::new(Vec::<String>::new()));
    let sink = lines.clone();
    let stderr = child.stderr.take().unwrap();
    let reader = std::thread::spawn(move || {
        for line in BufReader::new(stderr).lines().map_while(Result::ok) {
            sink.lock().unwrap().push(line);
        }
    });
    std::thread::sleep(wait);
    let was_running = kill(&mut child);
    reader.join().unwrap();
    for line in lines.lock().unwrap().iter() {
        let Some((_, rest)) = line.split_once("] added ") else { continue };
        let Some((id, title)) = rest.split_once(": ") else { continue };
        let n: usize = title.rsplit('-').next().and_then(|n| n.parse().ok()).expect("a dispatch number");
        reported.added.push((id.parse().unwrap(), texts[n].clone()));
    }
    was_running
}

/// `quire highlight` again and again on one article until one is killed after `wait`; each
/// that exited 0 printed its highlight's id.
fn highlight_loop(library: &Path, article: i64, trial: usize, wait: Duration, reported: &mut Reported) -> bool {
    let started = std::time::Instant::now();
    for i in 0.. {
        let paragraph = (trial * 7 + i) % 40;
        let quote = format!("paragraph {paragraph}: the allies met again");
        let note = format!("trial {trial}, highlight {i}");
        let mut child =
            quire(library, &["highlight", &article.to_string(), "--quote", &quote, "--note", &note, "--json"])
                .stdout(Stdio::piped())
                .stderr(Stdio::null())
                .spawn()
                .unwrap();
        let left = wait.saturating_sub(started.elapsed());
        if left.is_zero() {
            return kill(&mut child);
        }
        std::thread::sleep(left.min(Duration::from_millis(15)));
        if started.elapsed() >= wait {
            let was_running = kill(&mut child);
            if !was_running {
                record_highlight(child, &quote, &note, reported);
            }
            return was_running;
        }
        record_highlight(child, &quote, &note, reported);
    }
    unreachable!()
}

fn record_highlight(child: Child, quote: &str, note: &str, reported: &mut Reported) {
    let out = child.wait_with_output().unwrap();
    if out.status.success() {
        let json: serde_json::Value = serde_json::from_slice(&out.stdout).expect("the highlight as JSON");
        let id = json["id"].as_i64().expect("an id");
        reported.highlights.push((id, quote.to_owned(), note.to_owned()));
    }
}

/// `quire clip --update URL` again and again (each fetch is a new version of the page) until
/// one is killed after `wait`.
fn update_loop(library: &Path, url: &str, wait: Duration) -> bool {
    let started = std::time::Instant::now();
    loop {
        let mut child =
            quire(library, &["clip", "--update", url]).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        loop {
            if started.elapsed() >= wait {
                return kill(&mut child);
            }
            if child.try_wait().unwrap().is_some() {
                break;
            }
            std::thread::sleep(Duration::from_millis(3));
        }
    }
}

/// After a process was killed: SQLite's own checks pass, and the search index catches up and
/// agrees with the library. Returns the library, open.
pub(crate) fn sound_after_crash(library: &Path, trial: usize) -> Library {
    let conn = rusqlite::Connection::open(library).unwrap();
    let integrity: String = conn.query_row("PRAGMA integrity_check", [], |r| r.get(0)).unwrap();
    assert_eq!(integrity, "ok", "trial {trial}");
    let dangling: i64 = conn.query_row("SELECT count(*) FROM pragma_foreign_key_check", [], |r| r.get(0)).unwrap();
    assert_eq!(dangling, 0, "trial {trial}: rows point at nothing");
    drop(conn);

    let lib = Library::open(library).unwrap();
    let sync = lib.sync_index().unwrap();
    assert!(!sync.busy, "trial {trial}: the killed process's index lock is gone");
    let index = lib.check_index().unwrap();
    assert!(index.agrees() && index.pending == 0, "trial {trial}: {index:?}");
    lib
}

fn check(library: &Path, reported: &Reported, clipped: i64, anchor_quote: &str, trial: usize) {
    let lib = sound_after_crash(library, trial);

    for (id, text) in &reported.added {
        assert_eq!(&lib.canonical_text(*id).unwrap(), text, "trial {trial}: article {id} reported added");
    }
    let all = lib.highlights(&HighlightFilter { article_id: Some(clipped), ..Default::default() }).unwrap();
    for (id, quote, note) in &reported.highlights {
        let found = all.iter().find(|h| h.highlight.id == *id);
        let found = found.unwrap_or_else(|| panic!("trial {trial}: highlight {id} reported saved is missing"));
        assert_eq!((&found.highlight.quote.exact, &found.highlight.note), (quote, note), "trial {trial}");
    }
    // The clipped article is one whole version of the page: every paragraph of the same one.
    let view = lib.article(clipped).unwrap();
    let text = lib.canonical_text(clipped).unwrap();
    let paragraphs: Vec<&str> = text.split("\n\n").filter(|p| p.starts_with("Version ")).collect();
    assert_eq!(paragraphs.len(), 40, "trial {trial}: a whole page");
    let version = paragraphs[0].split(',').next().unwrap().to_owned();
    assert!(paragraphs.iter().all(|p| p.starts_with(&format!("{version},"))), "trial {trial}: one version throughout");
    assert!(text.contains(anchor_quote));
    assert!(view.highlights.iter().any(|h| h.quote.exact == anchor_quote && h.note == "kept across versions"));
}
