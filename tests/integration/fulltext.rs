//! The search index against the truth: a generated library searched with hundreds of queries
//! (words, phrases, prefixes of every length, exclusions, filters) gives exactly the articles a
//! brute-force matcher written here finds, both when the index is caught up and when another
//! process holds its writer (the search then matches the changed articles itself); the index
//! follows every kind of change; and processes killed with SIGKILL while writing leave a
//! library and an index that agree.

use std::collections::BTreeSet;
use std::process::{Command, Stdio};
use std::time::Duration;

use quire::{AddOptions, AddSource, HighlightTarget, Library, NewHighlight, Status};

use crate::cli::quire_bin;

/// A small deterministic generator (the same library on every run).
struct Lcg(u64);

impl Lcg {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        self.0 >> 33
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        items[self.below(items.len())]
    }
}

const WORDS: &[&str] = &[
    "alliance",
    "allies",
    "allied",
    "Zürich",
    "café",
    "naïve",
    "e-mail",
    "nato",
    "natal",
    "nation",
    "national",
    "summit",
    "summer",
    "sum",
    "security",
    "secure",
    "guarantee",
    "guarantees",
    "membership",
    "member",
    "Kyiv",
    "Vilnius",
    "treaty",
    "treat",
    "a",
    "an",
    "at",
    "the",
    "of",
    "to",
    "in",
    "and",
    "war",
    "ward",
    "warden",
    "peace",
    "piece",
    "Zelensky",
    "Stoltenberg",
    "cluster",
    "munitions",
    "road",
    "roadmap",
    "date",
    "data",
    "delta",
    "élan",
    "über",
    "oder",
    "order",
    "ordinal",
    "x",
    "xylophone",
    "2023",
    "G7",
    "co-operation",
    "cooperation",
];
const TAGS: &[&str] = &["politics", "politics/europe", "science", "science/space/mars", "Economy & trade"];

fn sentence(rng: &mut Lcg, min: usize, spread: usize) -> String {
    let n = min + rng.below(spread);
    let mut out = String::new();
    for i in 0..n {
        if i > 0 {
            out.push_str(match rng.below(10) {
                0 => ", ",
                1 => "; ",
                2 => " — ",
                _ => " ",
            });
        }
        out.push_str(rng.pick(WORDS));
    }
    out.push('.');
    out
}

/// Builds the library: articles with titles and texts from `WORDS`, addresses on a few sites,
/// tags, statuses, favorites, and highlights with notes and tags.
fn build(lib: &Library, articles: usize, seed: u64) {
    let mut rng = Lcg(seed);
    for i in 0..articles {
        let title = sentence(&mut rng, 3, 4);
        let body: Vec<String> = (0..2 + rng.below(4)).map(|_| sentence(&mut rng, 6, 14)).collect();
        let text = format!("{}\n\n{}", title.trim_end_matches('.'), body.join("\n\n"));
        let options = AddOptions {
            url: Some(format!("https://site{}.example/articles/{i}", rng.below(5))),
            tags: if rng.below(3) == 0 { vec![rng.pick(TAGS).to_owned()] } else { Vec::new() },
            ..Default::default()
        };
        let Ok(added) = lib.add(&AddSource::Pasted(text), &options) else { continue };
        let id = added.id;
        match rng.below(4) {
            0 => lib.set_status(id, Status::Read).unwrap(),
            1 => lib.set_status(id, Status::Archived).unwrap(),
            _ => {}
        }
        if rng.below(5) == 0 {
            lib.set_favorite(id, true).unwrap();
        }
        let canonical = lib.canonical_text(id).unwrap();
        let words: Vec<&str> = canonical.split_whitespace().collect();
        for _ in 0..rng.below(3) {
            if words.len() < 6 {
                break;
            }
            let start = rng.below(words.len() - 5);
            let exact = words[start..start + 2 + rng.below(3)].join(" ");
            let note = if rng.below(2) == 0 { sentence(&mut rng, 1, 5) } else { String::new() };
            let tags = if rng.below(3) == 0 { vec![rng.pick(TAGS).to_owned()] } else { Vec::new() };
            let target = HighlightTarget::Quote { exact, prefix: None, suffix: None, occurrence: Some(1) };
            let _ =
                lib.add_highlight(&NewHighlight { article_id: id, target, color: quire::Color::Yellow, note, tags });
        }
    }
}

/// Words as the brute-force matcher sees them: letters and digits, lower case, the accents of
/// this corpus folded by hand.
fn fold(text: &str) -> Vec<String> {
    text.split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            w.to_lowercase()
                .chars()
                .map(|c| match c {
                    'ü' => 'u',
                    'é' => 'e',
                    'ï' => 'i',
                    c => c,
                })
                .collect()
        })
        .collect()
}

/// What the matcher knows of an article.
struct Truth {
    id: i64,
    fields: Vec<Vec<String>>,
    tags: Vec<String>,
    sites: Vec<String>,
    status: Status,
    favorite: bool,
    highlights: bool,
    notes: bool,
}

fn truth(lib: &Library) -> Vec<Truth> {
    let mut out = Vec::new();
    for a in lib.list_articles(&Default::default()).unwrap() {
        let hs = lib.highlights(&quire::HighlightFilter { article_id: Some(a.id), ..Default::default() }).unwrap();
        let quotes: Vec<String> = hs.iter().map(|h| h.highlight.quote.exact.clone()).collect();
        let notes: Vec<String> = hs.iter().map(|h| h.highlight.note.clone()).filter(|n| !n.is_empty()).collect();
        let mut tags: Vec<String> = a.tags.iter().map(|t| t.to_lowercase()).collect();
        tags.extend(hs.iter().flat_map(|h| h.highlight.tags.iter().map(|t| t.to_lowercase())));
        out.push(Truth {
            id: a.id,
            fields: vec![
                fold(&a.title),
                fold(a.byline.as_deref().unwrap_or("")),
                fold(&lib.canonical_text(a.id).unwrap()),
                fold(&quotes.join("\n")),
                fold(&notes.join("\n")),
            ],
            tags,
            sites: [a.site_name.clone().unwrap_or_default(), a.source_url.clone().unwrap_or_default()]
                .into_iter()
                .map(|s| s.to_lowercase())
                .collect(),
            status: a.status,
            favorite: a.favorite,
            highlights: !hs.is_empty(),
            notes: !notes.is_empty(),
        });
    }
    out
}

/// A query as the matcher reads it.
struct Expect {
    /// (forms in a row, last one a prefix)
    terms: Vec<(Vec<String>, bool)>,
    excluded: Vec<(Vec<String>, bool)>,
    tag: Option<String>,
    site: Option<String>,
    status: Option<Status>,
    favorite: bool,
    highlights: bool,
    notes: bool,
}

fn occurs(words: &[String], forms: &[String], prefix: bool) -> bool {
    let n = forms.len();
    n > 0
        && words.len() >= n
        && (0..=words.len() - n).any(|s| {
            forms.iter().enumerate().all(|(i, f)| {
                if prefix && i + 1 == n {
                    words[s + i].starts_with(f.as_str())
                } else {
                    words[s + i] == *f
                }
            })
        })
}

fn expected(all: &[Truth], q: &Expect) -> BTreeSet<i64> {
    all.iter()
        .filter(|t| {
            let anywhere = |(forms, prefix): &(Vec<String>, bool)| t.fields.iter().any(|f| occurs(f, forms, *prefix));
            q.terms.iter().all(anywhere)
                && !q.excluded.iter().any(anywhere)
                && q.tag.as_ref().is_none_or(|k| t.tags.iter().any(|tag| tag == k || tag.starts_with(&format!("{k}/"))))
                && q.site.as_ref().is_none_or(|s| t.sites.iter().any(|site| site.contains(s.as_str())))
                && q.status.is_none_or(|s| s == t.status)
                && (!q.favorite || t.favorite)
                && (!q.highlights || t.highlights)
                && (!q.notes || t.notes)
        })
        .map(|t| t.id)
        .collect()
}

/// Random queries, as typed, with what they mean.
fn queries(rng: &mut Lcg, all: &[Truth], n: usize) -> Vec<(String, Expect)> {
    let word = |rng: &mut Lcg| rng.pick(WORDS).to_owned();
    let mut out = Vec::new();
    while out.len() < n {
        let mut typed = Vec::new();
        let mut e = Expect {
            terms: Vec::new(),
            excluded: Vec::new(),
            tag: None,
            site: None,
            status: None,
            favorite: false,
            highlights: false,
            notes: false,
        };
        let kind = rng.below(9);
        // A first term of some kind.
        match kind {
            0 | 1 => {
                let w = word(rng);
                e.terms.push((fold(&w), false));
                typed.push(w);
            }
            2 => {
                // A phrase from an article's text.
                let t = &all[rng.below(all.len())];
                let body = &t.fields[2];
                if body.len() < 3 {
                    continue;
                }
                let start = rng.below(body.len() - 2);
                let phrase = body[start..start + 2 + rng.below(2).min(body.len() - start - 2)].to_vec();
                typed.push(format!("\"{}\"", phrase.join(" ")));
                e.terms.push((phrase, false));
            }
            _ => {
                // A prefix of 1 to 6 letters.
                let w = fold(&word(rng)).remove(0);
                let len = 1 + rng.below(6);
                let p: String = w.chars().take(len).collect();
                typed.push(format!("{p}*"));
                e.terms.push((vec![p], true));
            }
        }
        if rng.below(3) == 0 {
            let w = word(rng);
            e.terms.push((fold(&w), false));
            typed.push(w);
        }
        if rng.below(4) == 0 {
            let w = word(rng);
            e.excluded.push((fold(&w), false));
            typed.push(format!("-{w}"));
        }
        match rng.below(9) {
            0 => {
                let t = rng.pick(TAGS);
                e.tag = Some(t.to_lowercase());
                typed.push(format!("tag:\"{t}\""));
            }
            1 => {
                let s = format!("site{}", rng.below(5));
                typed.push(format!("site:{s}"));
                e.site = Some(s);
            }
            2 => {
                typed.push("is:read".into());
                e.status = Some(Status::Read);
            }
            3 => {
                typed.push("is:favorite".into());
                e.favorite = true;
            }
            4 => {
                typed.push("has:notes".into());
                e.notes = true;
            }
            5 => {
                typed.push("has:highlights".into());
                e.highlights = true;
            }
            _ => {}
        }
        out.push((typed.join(" "), e));
    }
    out
}

fn found(lib: &Library, query: &str) -> BTreeSet<i64> {
    lib.search(query, 100_000).unwrap_or_else(|e| panic!("{query}: {e}")).into_iter().map(|h| h.article.id).collect()
}

fn compare(lib: &Library, all: &[Truth], qs: &[(String, Expect)], what: &str) {
    let mut failures = Vec::new();
    let mut nonempty = 0;
    for (typed, e) in qs {
        let want = expected(all, e);
        let got = found(lib, typed);
        nonempty += usize::from(!want.is_empty());
        if got != want {
            let missing: Vec<_> = want.difference(&got).collect();
            let extra: Vec<_> = got.difference(&want).collect();
            failures.push(format!("{typed:?}: missing {missing:?}, extra {extra:?}"));
        }
    }
    assert!(failures.is_empty(), "{what}: {} of {} queries differ:\n{}", failures.len(), qs.len(), failures.join("\n"));
    assert!(nonempty * 3 > qs.len(), "{what}: most queries find something ({nonempty} of {})", qs.len());
}

#[test]
fn the_index_agrees_with_a_brute_force_search() {
    let (_dir, lib) = crate::temp_library();
    build(&lib, 160, 7);
    let all = truth(&lib);
    let mut rng = Lcg(99);
    let qs = queries(&mut rng, &all, 400);
    compare(&lib, &all, &qs, "caught up");
    assert!(lib.check_index().unwrap().agrees());

    // Another process holds the index's writer while articles change: searches match the
    // changed articles themselves, and still agree.
    let other = Library::open(lib.path()).unwrap();
    let hold = other.hold_index().unwrap().expect("the writer is free");
    build(&lib, 40, 8);
    let ids: Vec<i64> = lib.list_articles(&Default::default()).unwrap().iter().map(|a| a.id).take(15).collect();
    for id in &ids {
        lib.set_favorite(*id, true).unwrap();
    }
    lib.remove_article(ids[0]).unwrap();
    let all = truth(&lib);
    let qs = queries(&mut rng, &all, 200);
    compare(&lib, &all, &qs, "lagging");
    assert!(lib.sync_index().unwrap().busy, "the writer is still held");
    assert!(lib.check_index().unwrap().pending > 0);
    drop(hold);
    let sync = lib.sync_index().unwrap();
    assert!(!sync.busy && sync.updated > 0, "{sync:?}");
    let check = lib.check_index().unwrap();
    assert!(check.agrees() && check.pending == 0, "{check:?}");
    compare(&lib, &all, &qs, "caught up again");
}

#[test]
fn the_index_follows_every_kind_of_change() {
    let (dir, lib) = crate::temp_library();
    let (id, hs) = quire_tests::add_reference_article(&lib);
    let other = crate::add_text(&lib, "Borscht\n\nA soup with beets, as cooked in Kyiv, with dill and sour cream.");
    let ids = |q: &str| -> Vec<i64> { lib.search(q, 50).unwrap().iter().map(|h| h.article.id).collect() };
    let agrees = |lib: &Library| {
        let check = lib.check_index().unwrap();
        assert!(check.agrees(), "{check:?}");
    };
    assert_eq!(ids("beets"), [other]);
    agrees(&lib);
    // A note edited, then the highlight deleted.
    lib.update_highlight(
        hs[0].id,
        &quire::HighlightEdit { note: Some("xylophonic remark".into()), ..Default::default() },
    )
    .unwrap();
    assert_eq!(ids("xylophonic"), [id]);
    lib.delete_highlight(hs[0].id).unwrap();
    assert!(ids("xylophonic").is_empty());
    // Tags on the article and on a highlight; a rename; an untag.
    lib.tag_article(other, &["Food/Soups".into()]).unwrap();
    assert_eq!(ids("tag:food kyiv"), [other]);
    lib.rename_tag("Food", "Cooking").unwrap();
    assert!(ids("tag:food kyiv").is_empty());
    assert_eq!(ids("tag:cooking/soups kyiv"), [other]);
    lib.untag_article(other, &["Cooking/Soups".into()]).unwrap();
    assert!(ids("tag:cooking kyiv").is_empty());
    // Status and favorite.
    lib.set_status(other, Status::Archived).unwrap();
    assert_eq!(ids("is:archived kyiv"), [other]);
    lib.set_favorite(id, true).unwrap();
    assert_eq!(ids("is:favorite zelensky"), [id]);
    agrees(&lib);
    // A backup, a change, a restore: the index is rebuilt for the restored content.
    let backup = lib.backup(None).unwrap();
    lib.remove_article(other).unwrap();
    assert!(ids("beets").is_empty());
    quire::restore(lib.path(), &backup.path).unwrap();
    assert_eq!(ids("beets"), [other], "the restored article is found again");
    agrees(&lib);
    // `quire reindex` from another process, and the index folder deleted: rebuilt.
    let out = Command::new(quire_bin()).args(["--json", "reindex"]).env("QUIRE_LIBRARY", lib.path()).output().unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let done: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(done["rebuilt"], true);
    assert_eq!(done["updated"], 2);
    drop(lib);
    std::fs::remove_dir_all(quire::index_folder(&dir.path().join("library.sqlite3"))).unwrap();
    let lib = Library::open(&dir.path().join("library.sqlite3")).unwrap();
    assert_eq!(lib.search("beets", 5).unwrap().len(), 1);
    agrees(&lib);
}

/// Kills `quire add DIR` (which also writes the index as it goes) and `quire reindex` at
/// random moments; after each, the library is sound, the index catches up, and they agree.
#[test]
fn killed_writers_leave_library_and_index_agreeing() {
    let trials: usize = std::env::var("QUIRE_CRASH_TRIALS").ok().and_then(|n| n.parse().ok()).unwrap_or(20);
    let dir = tempfile::tempdir().unwrap();
    let lib_path = dir.path().join("library.sqlite3");
    {
        let lib = Library::open(&lib_path).unwrap();
        build(&lib, 30, 3);
        lib.sync_index().unwrap();
    }
    let mut rng = Lcg(2024);
    let mut killed = 0;
    for trial in 0..trials {
        let folder = dir.path().join(format!("batch-{trial}"));
        std::fs::create_dir_all(&folder).unwrap();
        for n in 0..800 {
            let text = format!(
                "{} {trial} {n}\n\n{}\n\n{}",
                sentence(&mut rng, 4, 1),
                sentence(&mut rng, 12, 1),
                sentence(&mut rng, 9, 1)
            );
            std::fs::write(folder.join(format!("{n}.txt")), text).unwrap();
        }
        let mut command = Command::new(quire_bin());
        if trial % 4 == 3 {
            command.arg("reindex");
        } else {
            command.arg("add").arg(&folder);
        }
        let mut child =
            command.env("QUIRE_LIBRARY", &lib_path).stdout(Stdio::null()).stderr(Stdio::null()).spawn().unwrap();
        std::thread::sleep(Duration::from_millis(10 + rng.below(240) as u64));
        if child.try_wait().unwrap().is_none() {
            killed += 1;
        }
        let _ = child.kill(); // SIGKILL on Unix
        let _ = child.wait();
        crate::crash::sound_after_crash(&lib_path, trial);
    }
    assert!(killed * 2 >= trials, "most writers were killed mid-way ({killed} of {trials})");
}

/// A library copied back over itself at the file level (an OS backup, a sync tool) is older
/// than its index: the index notices (its last change is not in the library's journal) and
/// is rebuilt, so nothing that is gone is found and nothing there is missed. A damaged index
/// is rebuilt too.
#[test]
fn an_index_ahead_of_its_library_or_damaged_is_rebuilt() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    let older = dir.path().join("older.sqlite3");
    {
        let lib = Library::open(&path).unwrap();
        crate::add_text(&lib, "Borscht\n\nA soup with beets, as cooked in Kyiv, with dill and sour cream.");
        assert_eq!(lib.search("beets", 5).unwrap().len(), 1);
        lib.backup(Some(&older)).unwrap();
        crate::add_text(&lib, "Varenyky\n\nDumplings filled with potato or cherries, served with onions.");
        crate::add_text(&lib, "Pampushky\n\nGarlic buns served with borscht in every Kyiv canteen.");
        assert_eq!(lib.search("kyiv", 5).unwrap().len(), 2);
    }
    // The file goes back in time; the index stays.
    std::fs::copy(&older, &path).unwrap();
    for suffix in ["-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
    }
    let lib = Library::open(&path).unwrap();
    assert!(lib.search("dumplings", 5).unwrap().is_empty(), "an article the library no longer holds");
    // New articles get the numbers the lost ones had: found by their own words only.
    crate::add_text(&lib, "Deruny\n\nPotato pancakes with sour cream, a dish from the north.");
    let hits: Vec<String> = lib.search("potato", 5).unwrap().into_iter().map(|h| h.article.title).collect();
    assert_eq!(hits, ["Deruny"]);
    assert!(lib.search("garlic", 5).unwrap().is_empty());
    assert!(lib.check_index().unwrap().agrees());
    drop(lib);

    // Damage every file of the index: the next search rebuilds it.
    let index = quire::index_folder(&path);
    for entry in std::fs::read_dir(&index).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name != "meta.json" && !name.starts_with('.') {
            std::fs::write(entry.path(), b"damaged").unwrap();
        }
    }
    let lib = Library::open(&path).unwrap();
    assert_eq!(lib.search("potato", 5).unwrap().len(), 1);
    assert!(lib.check_index().unwrap().agrees());
}

/// A word too long to be indexed is refused in plain words rather than ignored (ignoring it
/// would find every article, or exclude nothing); phrases do not jump over one in the text.
#[test]
fn words_too_long_to_index_are_refused_and_not_jumped_over() {
    let (_dir, lib) = crate::temp_library();
    let long = "x".repeat(120);
    let id =
        crate::add_text(&lib, &format!("Hashes\n\nThe value alpha {long} beta was logged, then alpha beta again."));
    let other = crate::add_text(&lib, &format!("Spacing\n\nHere alpha {long} beta only."));
    for query in [long.clone(), format!("alpha -{long}"), format!("\"alpha {long}\"")] {
        let err = lib.search(&query, 10).unwrap_err();
        assert_eq!(err.kind(), quire::ErrorKind::InvalidQuery, "{query}");
        assert!(err.to_string().contains("search for a shorter part"), "{err}");
    }
    // "alpha beta" as a phrase: only where the two words are next to each other.
    let ids: Vec<i64> = lib.search("\"alpha beta\"", 10).unwrap().into_iter().map(|h| h.article.id).collect();
    assert_eq!(ids, [id]);
    let _ = other;
}

/// A large library whose index another process is rebuilding (after a restore) answers a
/// search at once with "being built", a busy error the same request gets past later; it
/// neither waits for the rebuild nor reads 5,000 articles one by one.
#[test]
fn a_large_library_whose_index_is_being_rebuilt_elsewhere_says_so_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("library.sqlite3");
    let lib = Library::open(&path).unwrap();
    crate::add_text(&lib, "Borscht\n\nA soup with beets, as cooked in Kyiv, with dill and sour cream.");
    {
        let conn = rusqlite::Connection::open(&path).unwrap();
        let body: Vec<u8> = conn.query_row("SELECT body FROM articles", [], |r| r.get(0)).unwrap();
        conn.execute(
            "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 5000)
             INSERT INTO articles (title, clipped_at, updated_at, body, text_version, content_hash, word_count)
             SELECT 'Soup ' || i, '2024-01-01T00:00:00Z', '2024-01-01T00:00:00Z', ?1, 1, 'hash-' || i, 12 FROM n",
            [body],
        )
        .unwrap();
    }
    assert_eq!(lib.search("beets", 3).unwrap().len(), 3, "caught up: 5,001 articles indexed");
    // A restore elsewhere: the index no longer describes the library, and the other process
    // holds its writer while it builds it again.
    let other = Library::open(&path).unwrap();
    let hold = other.hold_index().unwrap().expect("the writer is free");
    rusqlite::Connection::open(&path)
        .unwrap()
        .execute("UPDATE fulltext_state SET generation = 'restored'", [])
        .unwrap();
    let err = lib.search("beets", 3).unwrap_err();
    assert_eq!(err.kind(), quire::ErrorKind::Busy);
    assert!(err.to_string().contains("search index is being built"), "{err}");
    drop(hold);
    assert_eq!(lib.search("beets", 3).unwrap().len(), 3, "built again, then answered");
    assert!(lib.check_index().unwrap().agrees());
    drop((lib, other));

    // The desktop app's way: searches never rebuild; its own thread does.
    rusqlite::Connection::open(&path).unwrap().execute("UPDATE fulltext_state SET generation = 'again'", []).unwrap();
    let options = quire::OpenOptions { index_upkeep: quire::IndexUpkeep::OnItsOwnThread, ..Default::default() };
    let app = Library::open_with(&path, &options).unwrap();
    for _ in 0..2 {
        assert_eq!(app.search("beets", 3).unwrap_err().kind(), quire::ErrorKind::Busy, "no search rebuilt it");
    }
    let sync = app.sync_index().unwrap();
    assert!(sync.rebuilt && sync.updated == 5_001, "{sync:?}");
    assert_eq!(app.search("beets", 3).unwrap().len(), 3);
}

/// An article's quotes (and notes) are one field of its entry, but a phrase is found only
/// inside one quote, never from the end of one into the start of the next.
#[test]
fn a_phrase_does_not_run_from_one_quote_into_the_next() {
    let (_dir, lib) = crate::temp_library();
    let id =
        crate::add_text(&lib, "Summit\n\nThe allies met in Vilnius. Kyiv asked for a date. Nothing else was said.");
    for (exact, note) in [("The allies met in Vilnius", "first seen here"), ("Kyiv asked for a date", "then cited")] {
        let target = HighlightTarget::Quote { exact: exact.into(), prefix: None, suffix: None, occurrence: None };
        lib.add_highlight(&NewHighlight {
            article_id: id,
            target,
            color: quire::Color::Blue,
            note: note.into(),
            tags: vec![],
        })
        .unwrap();
    }
    let found = |q: &str| lib.search(q, 5).unwrap().len();
    assert_eq!(found("\"asked for a date\""), 1);
    assert_eq!(found("\"first seen\""), 1);
    // "vilnius kyiv" runs across the sentence in the text (so the article is found), but the
    // text has "Vilnius. Kyiv": the hit's matching highlights must be only those that hold it.
    assert_eq!(found("\"here then\""), 0, "across two notes");
    assert_eq!(found("\"seen here then cited\""), 0);
    let hits = lib.search("\"vilnius kyiv\"", 5).unwrap();
    assert_eq!(hits.len(), 1, "in the text itself");
    assert!(hits[0].highlights.is_empty(), "no single quote holds the phrase");
}
