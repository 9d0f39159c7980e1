//! The `quire` binary as a user runs it: output, JSON, exit codes.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use quire_tests::{data, reference_page, reference_quotes, workspace_root};

pub(crate) fn quire_bin() -> PathBuf {
    // target/<profile>/deps/integration-… → target/<profile>/quire
    let exe = std::env::current_exe().unwrap();
    let bin = exe.parent().and_then(Path::parent).unwrap().join(format!("quire{}", std::env::consts::EXE_SUFFIX));
    assert!(bin.exists(), "{} is missing: build it first with `cargo build -p quire-cli`", bin.display());
    bin
}

struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

fn quire(library: &Path, args: &[&str]) -> Run {
    let Output { status, stdout, stderr } = Command::new(quire_bin())
        .args(args)
        .env("QUIRE_LIBRARY", library)
        .current_dir(workspace_root())
        .output()
        .unwrap();
    Run {
        code: status.code().unwrap_or(-1),
        stdout: String::from_utf8(stdout).unwrap(),
        stderr: String::from_utf8(stderr).unwrap(),
    }
}

fn ok(library: &Path, args: &[&str]) -> String {
    let run = quire(library, args);
    assert_eq!(run.code, 0, "quire {args:?} failed: {}", run.stderr);
    run.stdout
}

/// The README walkthrough, with the output it shows.
#[test]
fn readme_walkthrough() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("walk.sqlite3");
    let article = data("article.txt");
    expect_test::expect![[r#"
        added 1: Ukraine is now closer to NATO than ever before
    "#]]
    .assert_eq(&ok(&lib, &["add", article.to_str().unwrap()]));
    assert!(lib.exists(), "QUIRE_LIBRARY chooses the library file");
    let mut created = String::new();
    for q in reference_quotes() {
        let mut args = vec!["highlight", "1", "--quote", &q.exact, "--color", q.color.as_str(), "--note", &q.note];
        for t in &q.tags {
            args.extend(["--tag", t]);
        }
        created.push_str(&ok(&lib, &args));
    }
    expect_test::expect![[r#"
        highlight 1 on article 1 at 259..308 (yellow)
        highlight 2 on article 1 at 1076..1147 (green)
        highlight 3 on article 1 at 1466..1596 (blue)
        highlight 4 on article 1 at 2340..2414 (red)
    "#]]
    .assert_eq(&created);
    expect_test::expect![[r#"
        Ukraine is now closer to NATO than ever before
          [3] blue “security guarantees are very important to the Ukrainian people, but they are guarantees for Ukraine towards its membership in NATO”
              tags: NATO accession, security guarantees

        Ukraine is now closer to NATO than ever before
          [2] green “I am confident that Ukraine will become a member of NATO after the war.”
              note: Zelensky ties accession to the end of the war.
              tags: NATO accession, Zelensky

        Ukraine is now closer to NATO than ever before
          [1] yellow “I look forward to the day when we meet as allies,”
              note: Stoltenberg gives no date for membership.
              tags: NATO accession

    "#]]
    .assert_eq(&ok(&lib, &["highlights", "--tag", "NATO accession"]));
    expect_test::expect![[r#"
        #1  Ukraine is now closer to NATO than ever before  [in body, quote]
            …to the day when we meet as [allies],” Stoltenberg told Zelensky, without disclosing further details about…
            highlight 1: “I look forward to the day when we meet as allies,” — note: Stoltenberg gives no date for membership.
    "#]]
    .assert_eq(&ok(&lib, &["search", "allies"]));
    expect_test::expect![[r#"
        Kremlin  (0 articles, 1 highlights)
        NATO accession  (0 articles, 3 highlights)
        security guarantees  (0 articles, 1 highlights)
        Zelensky  (0 articles, 1 highlights)
    "#]]
    .assert_eq(&ok(&lib, &["tag", "list"]));
}

#[test]
fn json_output_is_the_wire_types() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("json.sqlite3");
    let added: serde_json::Value =
        serde_json::from_str(&ok(&lib, &["--json", "add", reference_page().to_str().unwrap()])).unwrap();
    assert_eq!(added[0]["created"], true);
    let id = added[0]["id"].as_i64().unwrap().to_string();
    ok(&lib, &["tag", "add", &id, "Europe/Baltics"]);
    let list: serde_json::Value = serde_json::from_str(&ok(&lib, &["list", "--json"])).unwrap();
    assert_eq!(list[0]["site_name"], "World Desk Daily");
    assert_eq!(list[0]["tags"], serde_json::json!(["Europe/Baltics"]));
    let show: serde_json::Value = serde_json::from_str(&ok(&lib, &["show", &id, "--json"])).unwrap();
    assert_eq!(show["document"]["blocks"][0]["kind"]["type"], "image");
    let h: serde_json::Value =
        serde_json::from_str(&ok(&lib, &["--json", "highlight", &id, "--quote", "cluster munitions", "-t", "weapons"]))
            .unwrap();
    assert_eq!(h["quote"]["exact"], "cluster munitions");
    let hits: serde_json::Value =
        serde_json::from_str(&ok(&lib, &["--json", "search", "tag:weapons", "munitions"])).unwrap();
    assert_eq!(hits[0]["matched_in"], serde_json::json!(["body", "quote"]));
    ok(&lib, &["status", &id, "read"]);
    let read: serde_json::Value = serde_json::from_str(&ok(&lib, &["list", "--status", "read", "--json"])).unwrap();
    assert_eq!(read.as_array().unwrap().len(), 1);
    let err = quire(&lib, &["--json", "show", "42"]);
    assert_eq!(err.code, 3);
    let err: serde_json::Value = serde_json::from_str(err.stderr.trim()).unwrap();
    assert_eq!(err["error"]["kind"], "not_found");
}

/// Each failure: a non-zero exit code that says what kind of failure, and one line on stderr.
#[test]
fn errors_exit_codes_and_one_line_messages() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("errors.sqlite3");
    ok(&lib, &["add", data("article.txt").to_str().unwrap()]);
    let cases: &[(&[&str], i32, &str)] = &[
        (&["show", "7"], 3, "quire: error: article 7 not found (see `quire list`)"),
        (&["highlight", "1", "--quote", "Finland"], 4, "quire: error: quote not found in article 1: copy the exact text from `quire show 1`"),
        (&["highlight", "1", "--quote", "  "], 4, "quire: error: cannot highlight in article 1: the quote is empty: select some text to highlight"),
        (&["highlight", "1", "--quote", "Biden"], 4, "quire: error: the quote occurs 2 times in article 1; choose one with --occurrence K (or give --prefix/--suffix): 1. at 1842: …US counterpart, Joe [Biden].  While he thanked …; 2. at 1867: ….  While he thanked [Biden] for the decision to…"),
        (&["highlight", "1", "--quote", "NATO", "--color", "mauve"], 4, "quire: error: invalid color \"mauve\": expected one of yellow green blue pink purple red"),
        (&["search", "\"NATO AND ("], 4, "quire: error: invalid search query: unclosed quote: add a closing \" to end the phrase, or remove the opening one"),
        (&["search", "tag:"], 4, "quire: error: invalid search query: tag: needs a value, e.g. tag:\"NATO accession\""),
        (&["status", "1", "done"], 4, "quire: error: invalid status \"done\": expected one of unread read archived"),
        (&["add", "tests/data/highlights.json"], 5, "quire: error: cannot import tests/data/highlights.json: only .txt, .md, .html, .htm and .mhtml files are supported"),
        (&["add", "no/such/file.txt"], 5, "quire: error: no/such/file.txt: No such file or directory (os error 2)"),
        (&["tag", "rename", "ghost", "spirit"], 3, "quire: error: tag \"ghost\" not found (see `quire tag list`)"),
    ];
    for (args, code, message) in cases {
        let run = quire(&lib, args);
        assert_eq!((run.code, run.stderr.trim_end()), (*code, *message), "quire {args:?}");
        assert_eq!(run.stderr.lines().count(), 1, "one line: {:?}", run.stderr);
    }
    // The library is untouched by all of that.
    let show = ok(&lib, &["--json", "show", "1"]);
    let show: serde_json::Value = serde_json::from_str(&show).unwrap();
    assert_eq!(show["highlights"].as_array().unwrap().len(), 0);
    // Usage errors are clap's (exit 2).
    assert_eq!(quire(&lib, &["frobnicate"]).code, 2);
    // stdin
    let mut child = Command::new(quire_bin())
        .args(["add", "-"])
        .env("QUIRE_LIBRARY", &lib)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    use std::io::Write;
    child.stdin.take().unwrap().write_all(b"From stdin\n\nA pasted paragraph.").unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(String::from_utf8(out.stdout).unwrap(), "added 2: From stdin\n");
}

/// `quire clip --update` and `quire reextract` report what happened to every highlight, and
/// orphans are listed and re-attachable from the command line.
#[test]
fn update_reports_each_highlight_and_orphans_can_be_reattached() {
    use std::sync::atomic::{AtomicBool, Ordering};
    use std::sync::Arc;
    let edited = Arc::new(AtomicBool::new(false));
    let serve_edited = edited.clone();
    let server = quire_tests::server::Server::start(move |path| {
        (path == "/story").then(|| {
            let page = std::fs::read_to_string(reference_page()).unwrap();
            let page = if serve_edited.load(Ordering::SeqCst) {
                page.replace("after the war. And we", "once the war is over. And we").replace(
                    "<p>In response, consider The Kremlin Security guarantees from Western powers will “undermine Russia’s security and make Europe much more dangerous for years.”</p>",
                    "",
                )
            } else {
                page
            };
            quire_tests::server::Reply::Body(200, Some("text/html"), page.into_bytes())
        })
    });
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("update.sqlite3");
    let url = server.url("127.0.0.1", "/story");
    assert_eq!(ok(&lib, &["clip", &url]), "added 1: Ukraine is now closer to NATO than ever before\n");
    for q in reference_quotes() {
        ok(&lib, &["highlight", "1", "--quote", &q.exact, "--note", &q.note]);
    }
    edited.store(true, Ordering::SeqCst);
    expect_test::expect![[r#"
        updated 1: Ukraine is now closer to NATO than ever before — highlights: 1 exact, 1 moved, 1 fuzzy, 1 orphaned
          [1] exact   “I look forward to the day when we meet as allies,”
          [2] fuzzy   “I am confident that Ukraine will become a member of NATO after the war.” → “I am confident that Ukraine will become a member of NATO once the war is over.” (12 edits)
          [3] moved   “security guarantees are very important to the Ukrainian people, but they are guarantees for Ukraine towards its membership in NATO”
          [4] orphan  “undermine Russia’s security and make Europe much more dangerous for years.” (kept; see `quire highlights --orphans`)
    "#]]
    .assert_eq(&ok(&lib, &["clip", "--update", &url]));
    expect_test::expect![[r#"
        Ukraine is now closer to NATO than ever before — World Desk Daily, 2023-07-12
          [4] yellow “undermine Russia’s security and make Europe much more dangerous for years.” (orphan: no longer in the article)
              note: Kremlin reaction to the G7 plan.

    "#]]
    .assert_eq(&ok(&lib, &["highlights", "--orphans"]));
    let reattached = ok(&lib, &["reattach", "4", "--quote", "cluster munitions"]);
    assert!(reattached.starts_with("highlight 4 on article 1 at "), "{reattached}");
    assert_eq!(ok(&lib, &["highlights", "--orphans"]), "no highlights\n");
    expect_test::expect![[r#"
        article 1: Ukraine is now closer to NATO than ever before (the text has not changed; 4 highlights in place)
    "#]]
    .assert_eq(&ok(&lib, &["reextract", "1"]));
}

/// `--paper`, `--font-size` and `--margin` reach the PDF; absurd margins are refused and write
/// nothing.
#[test]
fn export_options_shape_the_pages() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("lib.sqlite3");
    ok(&lib, &["add", data("article.txt").to_str().unwrap()]);
    let pages = |args: &[&str]| -> (String, u32) {
        let out = dir.path().join("out.pdf");
        let mut all = vec!["export", "1", "-o", out.to_str().unwrap()];
        all.extend_from_slice(args);
        ok(&lib, &all);
        let info = Command::new("pdfinfo").arg(&out).output().expect("pdfinfo (poppler-utils)");
        let info = String::from_utf8(info.stdout).unwrap();
        let size = info.lines().find(|l| l.starts_with("Page size:")).unwrap().to_owned();
        let count = info.lines().find(|l| l.starts_with("Pages:")).unwrap().split_whitespace().nth(1).unwrap().parse();
        (size, count.unwrap())
    };
    let (a4, default_pages) = pages(&[]);
    assert!(a4.contains("595.28 x 841.89"), "{a4}");
    let (letter, _) = pages(&["--paper", "letter"]);
    assert!(letter.contains("612 x 792"), "{letter}");
    let (_, wide_margins) = pages(&["--margin", "50"]);
    let (_, big_text) = pages(&["--font-size", "16"]);
    assert!(wide_margins > default_pages, "50 mm margins need more pages ({wide_margins} vs {default_pages})");
    assert!(big_text > default_pages, "16 pt text needs more pages ({big_text} vs {default_pages})");
    let refused = dir.path().join("refused.pdf");
    let run = quire(&lib, &["export", "1", "-o", refused.to_str().unwrap(), "--margin", "120"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("margins leave no room"), "{}", run.stderr);
    assert!(!refused.exists(), "nothing is written");
}

/// `quire import`: a Kindle file in, the summary out (text and `--json`); a second run adds
/// nothing; a file of no known app and an unknown `--from` say so with their exit codes.
#[test]
fn import_reads_another_apps_export_and_says_what_it_did() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.sqlite3");
    let clippings = dir.path().join("My Clippings.txt");
    std::fs::write(
        &clippings,
        "The Bridge (Ana Example)\n- Your Highlight on page 3 | Location 40-42 | Added on Tuesday, 11 July 2023 09:30:00\n\n\
         Leaders met in the old town to talk about the future of the alliance.\n==========\n\
         The Bridge (Ana Example)\n- Your Bookmark on page 4 | Location 50 | Added on Tuesday, 11 July 2023 09:31:00\n\n\n==========\n",
    )
    .unwrap();
    let file = clippings.to_str().unwrap();
    let out = ok(&lib, &["import", file, "--tag", "books"]);
    assert!(
        out.contains("imported 1 items from kindle: 1 articles added (0 as links only), 0 already in the library"),
        "{out}"
    );
    assert!(out.contains("highlights: 1 exact, 0 fuzzy, 0 orphaned, 0 already there"), "{out}");
    assert!(out.contains("a bookmark (no text)"), "{out}");
    let json: serde_json::Value = serde_json::from_str(&ok(&lib, &["--json", "import", file])).unwrap();
    assert_eq!(json["format"], "kindle");
    assert_eq!(json["added"].as_array().unwrap().len(), 0);
    assert_eq!(json["already"][0]["title"], "The Bridge");
    assert_eq!(json["highlights"]["already"], 1);
    let list = ok(&lib, &["list", "--tag", "books"]);
    assert!(list.contains("The Bridge"), "{list}");

    let notes = dir.path().join("contacts.csv");
    std::fs::write(&notes, "name,phone\nAna,123\n").unwrap();
    let run = quire(&lib, &["import", notes.to_str().unwrap()]);
    assert_eq!(run.code, 5, "{}", run.stderr);
    assert!(run.stderr.contains("contacts.csv") && run.stderr.contains("not an export"), "{}", run.stderr);
    let links = dir.path().join("instapaper.csv");
    std::fs::write(&links, "URL,Title,Selection,Folder\nhttps://example.org/gone,Gone,,Archive\n").unwrap();
    let out = ok(&lib, &["import", links.to_str().unwrap(), "--no-fetch"]);
    assert!(out.contains("kept as links") && out.contains("https://example.org/gone"), "{out}");
    let id =
        out.lines().find(|l| l.contains("https://example.org/gone")).and_then(|l| l.split_whitespace().next()).unwrap();
    let shown = ok(&lib, &["show", id]);
    assert!(shown.contains("only the link is kept: not fetched (fetching was turned off)"), "{shown}");
    let run = quire(&lib, &["import", file, "--from", "evernote"]);
    assert_ne!(run.code, 0);
    assert!(run.stderr.contains("evernote"), "{}", run.stderr);
}

/// `quire export --format …` writes every open format; bad formats and styles are refused with
/// exit 4 and nothing written; `quire cite` prints a quote with its citation.
#[test]
fn export_writes_every_open_format_and_cite_prints_a_citation() {
    let dir = tempfile::tempdir().unwrap();
    let lib = dir.path().join("library.sqlite3");
    let library = quire::Library::open(&lib).unwrap();
    let (id, highlights) = quire_tests::add_reference_article(&library);
    drop(library);
    let id = id.to_string();
    for (format, name) in
        [("w3c", "a.jsonld"), ("csl", "a.json"), ("bibtex", "a.bib"), ("csv", "a.csv"), ("md", "notes")]
    {
        let path = dir.path().join(name);
        let out = ok(&lib, &["export", "--all", "--format", format, "-o", path.to_str().unwrap()]);
        assert!(out.contains("exported 1 articles and 4 highlights"), "{format}: {out}");
        assert!(path.exists(), "{format}");
    }
    // A PDF of a search's results, and of the whole library.
    let selections: [(&[&str], &str); 2] = [(&["--query", "allies"], "search.pdf"), (&["--all"], "library.pdf")];
    for (selection, name) in selections {
        let path = dir.path().join(name);
        let mut args = vec!["export"];
        args.extend_from_slice(selection);
        args.extend(["-o", path.to_str().unwrap()]);
        ok(&lib, &args);
        assert!(std::fs::read(&path).unwrap().starts_with(b"%PDF-"), "{name}");
    }
    let csl: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("a.json")).unwrap()).unwrap();
    assert_eq!(csl[0]["title"], quire_tests::REFERENCE_TITLE);
    for args in [
        vec!["export", "--all", "--format", "docx", "-o", "x.docx"],
        vec!["export", "--all", "--format", "md", "--style", "notion", "-o", "x"],
        vec!["export", "--all", "--format", "md", "--citation-style", "vancouver", "-o", "x"],
        vec!["cite", &id, "--style", "ieee"],
    ] {
        let run = quire(&lib, &args);
        assert_eq!(run.code, 4, "{args:?}: {}", run.stderr);
        assert_eq!(run.stderr.lines().count(), 1, "{}", run.stderr);
    }
    assert!(!dir.path().join("x").exists() && !dir.path().join("x.docx").exists());
    let h = highlights[1].id.to_string();
    let cited = ok(&lib, &["cite", &id, "--highlight", &h, "--style", "chicago"]);
    assert!(
        cited.starts_with("\"I am confident that Ukraine will become a member of NATO after the war.\" — "),
        "{cited}"
    );
}
