//! The bad-input table: every way a careless user or a hostile file can misuse the CLI and the
//! library, each a row with the command, the exit code, a phrase its message must contain,
//! and whether the library must be left exactly as it was (a hash of every row of every table
//! before and after). Rows that need something this machine may not allow (running as another
//! user, mounting a small tmpfs) are skipped with the reason printed.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Duration;

use quire::{AddOptions, AddSource, ErrorKind, FetchConfig, Library};
use quire_tests::server::{Reply, Server};
use quire_tests::{add_reference_article, workspace_root};

use crate::cli::quire_bin;

/// What a row runs.
enum Action {
    /// The CLI with these arguments (`{dir}` is the row's scratch folder, `{url}` the test
    /// server's address) on the table's library, with this stdin.
    Cli(&'static [&'static str], Input),
    /// The library itself, for what the CLI cannot be pointed at: a server that answers too
    /// slowly for the CLI's own timeouts, reached through the test-only `static_hosts`.
    Library(fn(&Library, &Fixture) -> quire::Result<()>, ErrorKind),
}

enum Input {
    None,
    File(&'static str),
    Bytes(fn() -> Vec<u8>),
}

struct Row {
    name: &'static str,
    /// Makes what the row needs in its scratch folder; `Err` skips the row with the reason.
    setup: fn(&Fixture) -> Result<(), String>,
    action: Action,
    code: i32,
    /// A phrase the message (stdout and stderr) must contain.
    phrase: &'static str,
    /// The library must be unchanged; rows that add something check what they added instead.
    unchanged: bool,
    /// Checked after the row ran: what it must have left (or not touched) outside the library.
    after: fn(&Fixture),
}

struct Fixture {
    library: PathBuf,
    dir: PathBuf,
    url: String,
}

fn nothing(_: &Fixture) -> Result<(), String> {
    Ok(())
}

fn no_check(_: &Fixture) {}

fn write(f: &Fixture, name: &str, bytes: &[u8]) -> Result<(), String> {
    std::fs::write(f.dir.join(name), bytes).map_err(|e| e.to_string())
}

fn routes(path: &str) -> Option<Reply> {
    Some(match path {
        "/404" => Reply::Body(404, Some("text/html"), b"<h1>Not found</h1>".to_vec()),
        "/500" => Reply::Body(500, Some("text/html"), b"<h1>Oops</h1>".to_vec()),
        "/loop" => Reply::Redirect("/loop"),
        "/silent" => Reply::Silent(Duration::from_secs(5)),
        "/huge" => Reply::Endless(50 * 1024 * 1024),
        "/octet" => Reply::Body(200, Some("application/octet-stream"), b"\x7fELF\x02\x01\x01\0\0\0".to_vec()),
        _ => return None,
    })
}

fn rows() -> Vec<Row> {
    vec![
        // Files that are no text, or too much of it.
        Row {
            name: "a program renamed .html",
            setup: |f| std::fs::copy("/bin/ls", f.dir.join("ls.html")).map(drop).map_err(|e| e.to_string()),
            action: Action::Cli(&["add", "{dir}/ls.html"], Input::None),
            code: 5,
            phrase: "it is not text",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a program on stdin",
            setup: nothing,
            action: Action::Cli(&["add", "-"], Input::File("/bin/true")),
            code: 5,
            phrase: "cannot import stdin: it is not text",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a 100 MB text file",
            setup: |f| {
                let file = std::fs::File::create(f.dir.join("huge.txt")).map_err(|e| e.to_string())?;
                file.set_len(100 * 1024 * 1024).map_err(|e| e.to_string())
            },
            action: Action::Cli(&["add", "{dir}/huge.txt"], Input::None),
            code: 4,
            phrase: "larger than the limit of 25 MB for one article; split it",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "26 MB of text on stdin",
            setup: nothing,
            action: Action::Cli(&["add", "-"], Input::Bytes(|| b"words ".repeat(26 * 1024 * 1024 / 6 + 1))),
            code: 4,
            phrase: "larger than the limit of 25 MB",
            unchanged: true,
            after: no_check,
        },
        // Text in an unexpected encoding is decoded, not refused (and not mojibake).
        Row {
            name: "UTF-16 without a byte order mark",
            setup: |f| {
                let text = "Україна і НАТО: a title in UTF-16\n\nThe text of an article saved as UTF-16 without a BOM.";
                write(f, "utf16.txt", &text.encode_utf16().flat_map(u16::to_le_bytes).collect::<Vec<u8>>())
            },
            action: Action::Cli(&["add", "{dir}/utf16.txt"], Input::None),
            code: 0,
            phrase: "Україна і НАТО: a title in UTF-16",
            unchanged: false,
            after: no_check,
        },
        Row {
            name: "UTF-8 with a few bad bytes",
            setup: |f| {
                let text = [
                    "“Allies” say yes\n\nThe summit in Vilnius said “yes” to Ukraine, but not “when”. ".as_bytes(),
                    b"\xFF\xFE",
                    " Café talk.".as_bytes(),
                ]
                .concat();
                write(f, "damaged.txt", &text)
            },
            action: Action::Cli(&["add", "{dir}/damaged.txt"], Input::None),
            code: 0,
            phrase: "added 3: “Allies” say yes",
            unchanged: false,
            after: no_check,
        },
        // Folders.
        Row {
            name: "a folder with no articles",
            setup: |f| {
                std::fs::create_dir(f.dir.join("empty")).map_err(|e| e.to_string())?;
                write(f, "empty/report.pdf", b"%PDF-1.7")
            },
            action: Action::Cli(&["add", "{dir}/empty"], Input::None),
            code: 4,
            phrase: "the folder holds no .html, .htm, .mhtml, .txt or .md files",
            unchanged: true,
            after: no_check,
        },
        // Libraries that cannot be used as they are.
        Row {
            name: "a library of a newer schema",
            setup: |f| {
                let conn = rusqlite::Connection::open(f.dir.join("newer.sqlite3")).map_err(|e| e.to_string())?;
                conn.execute_batch("CREATE TABLE articles (id INTEGER PRIMARY KEY); PRAGMA user_version = 999;")
                    .map_err(|e| e.to_string())
            },
            action: Action::Cli(&["--library", "{dir}/newer.sqlite3", "list"], Input::None),
            code: 6,
            phrase: "was written by a newer Quire (schema 999",
            unchanged: true,
            after: |f| {
                let header = std::fs::read(f.dir.join("newer.sqlite3")).unwrap();
                assert_eq!((header[18], header[19]), (1, 1), "still in rollback-journal mode, not switched to WAL");
                assert!(!f.dir.join("newer.sqlite3-wal").exists());
                assert!(!f.dir.join("backups").exists(), "no backup made of a library it cannot read");
            },
        },
        Row {
            name: "--library in a folder that does not exist",
            setup: nothing,
            action: Action::Cli(&["--library", "{dir}/no/such/folder/lib.sqlite3", "list"], Input::None),
            code: 6,
            phrase: "folder/lib.sqlite3: its folder",
            unchanged: true,
            after: |f| assert!(!f.dir.join("no").exists(), "no folder made"),
        },
        Row {
            name: "reading a library in a read-only folder",
            setup: read_only_copy,
            action: Action::Cli(&["--library", "{dir}/ro/library.sqlite3", "list"], Input::None),
            code: 0,
            phrase: "Ukraine is now closer to NATO than ever before",
            unchanged: true,
            after: read_only_copy_unchanged,
        },
        Row {
            name: "writing to a library in a read-only folder",
            setup: read_only_copy,
            action: Action::Cli(&["--library", "{dir}/ro/library.sqlite3", "tag", "add", "1", "x"], Input::None),
            code: 6,
            phrase: "ro/library.sqlite3 is read-only here",
            unchanged: true,
            after: read_only_copy_unchanged,
        },
        // The same kind of mistake, the same exit code, in plain words.
        Row {
            name: "an unknown color for a new highlight",
            setup: nothing,
            action: Action::Cli(&["highlight", "1", "--quote", "allies", "--color", "chartreuse"], Input::None),
            code: 4,
            phrase: "invalid color \"chartreuse\"",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "an unknown color for an existing highlight",
            setup: nothing,
            action: Action::Cli(&["edit-highlight", "1", "--color", "chartreuse"], Input::None),
            code: 4,
            phrase: "invalid color \"chartreuse\"",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a font size of 0",
            setup: nothing,
            action: Action::Cli(&["export", "1", "-o", "{dir}/a.pdf", "--font-size", "0"], Input::None),
            code: 4,
            phrase: "the font size must be between 4 and 72 points",
            unchanged: true,
            after: |f| assert!(!f.dir.join("a.pdf").exists()),
        },
        Row {
            name: "a font size of 1000",
            setup: nothing,
            action: Action::Cli(&["export", "1", "-o", "{dir}/a.pdf", "--font-size", "1000"], Input::None),
            code: 4,
            phrase: "the font size must be between 4 and 72 points",
            unchanged: true,
            after: |f| assert!(!f.dir.join("a.pdf").exists()),
        },
        Row {
            name: "margins of 500 mm",
            setup: nothing,
            action: Action::Cli(&["export", "1", "-o", "{dir}/a.pdf", "--margin", "500"], Input::None),
            code: 4,
            phrase: "the margins leave no room for text: on this paper a margin can be at most",
            unchanged: true,
            after: |f| assert!(!f.dir.join("a.pdf").exists()),
        },
        Row {
            name: "an unknown paper",
            setup: nothing,
            action: Action::Cli(&["export", "1", "-o", "{dir}/a.pdf", "--paper", "a5"], Input::None),
            code: 4,
            phrase: "invalid paper \"a5\": expected one of a4 letter",
            unchanged: true,
            after: no_check,
        },
        // A quote starting with "-" is a quote, not a flag: looked for, and not found.
        Row {
            name: "a quote that starts with a dash",
            setup: nothing,
            action: Action::Cli(&["highlight", "1", "--quote", "- not in the article"], Input::None),
            code: 4,
            phrase: "quote not found in article 1",
            unchanged: true,
            after: no_check,
        },
        // Export and backup destinations that are not regular files.
        Row {
            name: "an export to a device",
            setup: nothing,
            action: Action::Cli(&["export", "1", "-o", "/dev/full"], Input::None),
            code: 5,
            phrase: "will not write over /dev/full: it is a device, pipe or socket",
            unchanged: true,
            after: |_| {
                use std::os::unix::fs::FileTypeExt;
                assert!(std::fs::metadata("/dev/full").unwrap().file_type().is_char_device());
            },
        },
        Row {
            name: "an export to a FIFO",
            setup: make_fifo,
            action: Action::Cli(&["export", "1", "--format", "csv", "-o", "{dir}/fifo"], Input::None),
            code: 5,
            phrase: "fifo: it is a device, pipe or socket",
            unchanged: true,
            after: still_a_fifo,
        },
        Row {
            name: "a backup to a FIFO",
            setup: make_fifo,
            action: Action::Cli(&["backup", "{dir}/fifo"], Input::None),
            code: 5,
            phrase: "fifo: it is a device, pipe or socket",
            unchanged: true,
            after: still_a_fifo,
        },
        Row {
            name: "an archive export through a link out of its folder",
            setup: |f| {
                write(f, "victim", b"keep")?;
                std::fs::create_dir_all(f.dir.join("out")).map_err(|e| e.to_string())?;
                std::os::unix::fs::symlink(f.dir.join("victim"), f.dir.join("out/link.zip")).map_err(|e| e.to_string())
            },
            action: Action::Cli(&["export", "--all", "--format", "archive", "-o", "{dir}/out/link.zip"], Input::None),
            code: 5,
            phrase: "it is a link to a file outside its folder",
            unchanged: true,
            after: |f| {
                assert_eq!(std::fs::read(f.dir.join("victim")).unwrap(), b"keep");
                assert!(std::fs::symlink_metadata(f.dir.join("out/link.zip")).unwrap().file_type().is_symlink());
            },
        },
        Row {
            name: "an export into a missing folder",
            setup: nothing,
            action: Action::Cli(&["export", "1", "-o", "{dir}/missing/a.pdf"], Input::None),
            code: 5,
            phrase: "missing/",
            unchanged: true,
            after: |f| assert!(!f.dir.join("missing").exists()),
        },
        Row {
            name: "an export into a read-only folder",
            setup: |f| {
                let dir = f.dir.join("locked");
                std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
                set_mode(&dir, 0o555)?;
                as_other_user_possible()
            },
            action: Action::Cli(&["export", "1", "-o", "{dir}/locked/a.pdf"], Input::None),
            code: 5,
            phrase: "locked/a.pdf",
            unchanged: true,
            after: |f| assert!(std::fs::read_dir(f.dir.join("locked")).unwrap().next().is_none(), "nothing left"),
        },
        Row {
            name: "an export onto a full disk",
            setup: full_disk,
            action: Action::Cli(&["export", "1", "-o", "{dir}/full/a.pdf"], Input::None),
            code: 5,
            phrase: "No space left on device",
            unchanged: true,
            after: |f| {
                let left: Vec<_> =
                    std::fs::read_dir(f.dir.join("full")).unwrap().flatten().map(|e| e.file_name()).collect();
                let _ = Command::new("umount").arg(f.dir.join("full")).status();
                assert_eq!(left, ["filler"], "no temporary file is left behind");
            },
        },
        // Addresses.
        Row {
            name: "a 404",
            setup: nothing,
            action: Action::Cli(&["clip", "{url}/404"], Input::None),
            code: 7,
            phrase: "the server answered 404 Not Found",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a 500",
            setup: nothing,
            action: Action::Cli(&["clip", "{url}/500"], Input::None),
            code: 7,
            phrase: "the server answered 500",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a redirect loop",
            setup: nothing,
            action: Action::Cli(&["clip", "{url}/loop"], Input::None),
            code: 7,
            phrase: "the page redirects in a loop",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a response larger than the limit",
            setup: nothing,
            action: Action::Cli(&["clip", "{url}/huge"], Input::None),
            code: 7,
            phrase: "is larger than the limit of 25 MB",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "an octet-stream",
            setup: nothing,
            action: Action::Cli(&["clip", "{url}/octet"], Input::None),
            code: 5,
            phrase: "is not an HTML page (application/octet-stream)",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a server that never answers",
            setup: nothing,
            action: Action::Library(
                |lib, f| {
                    let url = format!("{}/silent", f.url);
                    let fetch = FetchConfig {
                        timeout: Duration::from_secs(1),
                        connect_timeout: Duration::from_secs(1),
                        // The test server is on this computer: an address typed by the user.
                        reach: quire::Reach::typed([url.as_str()]),
                        ..FetchConfig::default()
                    };
                    let options = AddOptions { fetch, ..AddOptions::default() };
                    lib.add(&AddSource::Url(url), &options).map(drop)
                },
                ErrorKind::Network,
            ),
            code: 7,
            phrase: "the server did not answer within 1 s",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a file:// address",
            setup: nothing,
            action: Action::Cli(&["clip", "file:///etc/passwd"], Input::None),
            code: 4,
            phrase: "cannot clip \"file:///etc/passwd\"",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a bad IPv6 address",
            setup: nothing,
            action: Action::Cli(&["clip", "http://[::1/"], Input::None),
            code: 4,
            phrase: "invalid IPv6 address",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "an empty address",
            setup: nothing,
            action: Action::Cli(&["clip", ""], Input::None),
            code: 4,
            phrase: "cannot clip \"\"",
            unchanged: true,
            after: no_check,
        },
        // Searches and quotes.
        Row {
            name: "an unbalanced quote in a search",
            setup: nothing,
            action: Action::Cli(&["search", "\"security guarantees"], Input::None),
            code: 4,
            phrase: "unclosed quote",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "an unknown filter value",
            setup: nothing,
            action: Action::Cli(&["search", "is:maybe"], Input::None),
            code: 4,
            phrase: "is:maybe is not a filter",
            unchanged: true,
            after: no_check,
        },
        Row {
            name: "a quote that is not in the article",
            setup: nothing,
            action: Action::Cli(&["highlight", "1", "--quote", "words nobody wrote"], Input::None),
            code: 4,
            phrase: "quote not found in article 1: copy the exact text from `quire show 1`",
            unchanged: true,
            after: no_check,
        },
    ]
}

#[test]
fn bad_input_table() {
    let root = tempfile::tempdir().unwrap();
    // Readable by another user, for the rows run as one.
    set_mode(root.path(), 0o755).unwrap();
    let library = root.path().join("library.sqlite3");
    {
        let lib = Library::open(&library).unwrap();
        add_reference_article(&lib);
    }
    set_mode(&library, 0o644).unwrap();
    let server = Server::start(routes);
    let url = format!("http://127.0.0.1:{}", server.addr.port());
    let mut failures = Vec::new();
    for (i, row) in rows().into_iter().enumerate() {
        let dir = root.path().join(format!("row{i}"));
        std::fs::create_dir(&dir).unwrap();
        set_mode(&dir, 0o777).unwrap();
        let fixture = Fixture { library: library.clone(), dir: dir.clone(), url: url.clone() };
        if let Err(why) = (row.setup)(&fixture) {
            println!("skipped \"{}\": {why}", row.name);
            continue;
        }
        let before = content_hash(&library);
        let (code, message) = match &row.action {
            Action::Cli(args, input) => run_cli(&fixture, args, input, row.name),
            Action::Library(run, kind) => {
                let lib = Library::open(&library).unwrap();
                match run(&lib, &fixture) {
                    Ok(()) => (0, String::new()),
                    Err(e) => {
                        assert_eq!(e.kind(), *kind, "{}: {e}", row.name);
                        (row.code, e.to_string())
                    }
                }
            }
        };
        if code != row.code || !message.contains(row.phrase) {
            failures.push(format!("{}: exit {code} (expected {}), message {message:?}", row.name, row.code));
        }
        if row.unchanged && content_hash(&library) != before {
            failures.push(format!("{}: the library changed", row.name));
        }
        (row.after)(&fixture);
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

/// Runs the CLI for a row: as another user when it must not be root (a read-only folder means
/// nothing to root).
fn run_cli(f: &Fixture, args: &[&str], input: &Input, name: &str) -> (i32, String) {
    let args: Vec<String> =
        args.iter().map(|a| a.replace("{dir}", &f.dir.display().to_string()).replace("{url}", &f.url)).collect();
    let as_other = (name.contains("read-only") || name.contains("locked")) && is_root();
    let mut cmd = if as_other {
        let mut c = Command::new("setpriv");
        c.args(["--reuid=65534", "--regid=65534", "--clear-groups"]).arg(quire_bin());
        c
    } else {
        Command::new(quire_bin())
    };
    cmd.args(&args).env("QUIRE_LIBRARY", &f.library).current_dir(workspace_root());
    cmd.stdin(match input {
        Input::None => Stdio::null(),
        Input::File(path) => std::fs::File::open(path).unwrap().into(),
        Input::Bytes(_) => Stdio::piped(),
    });
    cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    if let Input::Bytes(bytes) = input {
        let mut stdin = child.stdin.take().unwrap();
        let bytes = bytes();
        // The CLI stops reading at its limit: a closed pipe here is expected.
        std::thread::spawn(move || {
            let _ = stdin.write_all(&bytes);
        });
    }
    let out = child.wait_with_output().unwrap();
    let message = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    (out.status.code().unwrap_or(-1), message)
}

/// A hash of every row of every table, with the schema version: equal means nothing in the
/// library changed.
fn content_hash(library: &Path) -> u64 {
    quire_tests::library_hash(library, &[], &[])
}

fn is_root() -> bool {
    Command::new("id").arg("-u").output().is_ok_and(|o| o.stdout.trim_ascii() == b"0")
}

/// Root may write anywhere: such rows run the CLI as `nobody` through `setpriv`.
fn as_other_user_possible() -> Result<(), String> {
    if !is_root() {
        return Ok(());
    }
    match Command::new("setpriv").args(["--reuid=65534", "--regid=65534", "--clear-groups", "true"]).status() {
        Ok(s) if s.success() => Ok(()),
        _ => Err("running as root, and setpriv cannot run the command as another user".to_owned()),
    }
}

fn set_mode(path: &Path, mode: u32) -> Result<(), String> {
    use std::os::unix::fs::PermissionsExt;
    std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).map_err(|e| e.to_string())
}

/// A copy of the table's library in `ro/`, the folder and file read-only.
fn read_only_copy(f: &Fixture) -> Result<(), String> {
    as_other_user_possible()?;
    let dir = f.dir.join("ro");
    std::fs::create_dir(&dir).map_err(|e| e.to_string())?;
    let copy = dir.join("library.sqlite3");
    Library::open(&f.library).and_then(|lib| lib.backup(Some(&copy))).map_err(|e| e.to_string())?;
    set_mode(&copy, 0o444)?;
    set_mode(&dir, 0o555)
}

fn read_only_copy_unchanged(f: &Fixture) {
    let dir = f.dir.join("ro");
    let names: Vec<_> = std::fs::read_dir(&dir).unwrap().flatten().map(|e| e.file_name()).collect();
    assert_eq!(names, ["library.sqlite3"], "nothing written beside a read-only library");
    set_mode(&dir, 0o755).unwrap();
}

fn make_fifo(f: &Fixture) -> Result<(), String> {
    match Command::new("mkfifo").arg(f.dir.join("fifo")).status() {
        Ok(s) if s.success() => Ok(()),
        _ => Err("mkfifo is not available".to_owned()),
    }
}

fn still_a_fifo(f: &Fixture) {
    use std::os::unix::fs::FileTypeExt;
    assert!(std::fs::symlink_metadata(f.dir.join("fifo")).unwrap().file_type().is_fifo());
}

/// A 256 KiB tmpfs, filled to the last byte, under the row's folder (root only).
fn full_disk(f: &Fixture) -> Result<(), String> {
    if !is_root() {
        return Err("mounting a small tmpfs needs root".to_owned());
    }
    let mount = f.dir.join("full");
    std::fs::create_dir(&mount).map_err(|e| e.to_string())?;
    let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", "size=256k", "tmpfs"]).arg(&mount).status();
    if !mounted.is_ok_and(|s| s.success()) {
        return Err("cannot mount a tmpfs here".to_owned());
    }
    let mut filler = std::fs::File::create(mount.join("filler")).map_err(|e| e.to_string())?;
    let block = vec![b'x'; 4096];
    while filler.write_all(&block).is_ok() {}
    let _ = filler.sync_all();
    Ok(())
}

/// `quire list | head -1` and `quire add DIR 2>&1 | head -1`: the reader goes away, the
/// command does not panic, finishes its work and exits as it would have.
#[test]
fn a_closed_pipe_is_not_an_error_and_stops_no_work() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite3");
    let folder = dir.path().join("articles");
    std::fs::create_dir(&folder).unwrap();
    for i in 1..=3 {
        let text = format!("Article number {i}\n\nThe text of article {i}, long enough to be an article of its own.");
        std::fs::write(folder.join(format!("{i}.txt")), text).unwrap();
    }
    let closed_pipe = || {
        let (reader, writer) = std::io::pipe().unwrap();
        drop(reader);
        writer
    };
    let run = |args: &[&str], stdout: bool, stderr: bool| {
        let mut cmd = Command::new(quire_bin());
        cmd.args(args).env("QUIRE_LIBRARY", &library).stdin(Stdio::null());
        cmd.stdout(if stdout { Stdio::from(closed_pipe()) } else { Stdio::piped() });
        cmd.stderr(if stderr { Stdio::from(closed_pipe()) } else { Stdio::piped() });
        let out = cmd.output().unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    // `add DIR 2>&1 | head -1`: progress on stderr and the summary on stdout go nowhere.
    let (code, _) = run(&["add", folder.to_str().unwrap()], true, true);
    assert_eq!(code, Some(0));
    let lib = Library::open(&library).unwrap();
    assert_eq!(lib.list_articles(&quire::ArticleFilter::default()).unwrap().len(), 3, "every file was added");
    drop(lib);
    for args in [&["list"][..], &["--json", "list"], &["tag", "list"], &["show", "1"]] {
        let (code, stderr) = run(args, true, false);
        assert_eq!((code, stderr.as_str()), (Some(0), ""), "quire {args:?} into a closed pipe");
    }
    // An error whose message cannot be shown keeps its exit code.
    let (code, _) = run(&["show", "99"], true, true);
    assert_eq!(code, Some(3));
}

/// A tag that nothing carries any more is gone: deleting the last highlight with it removes
/// it, as untagging its last article does.
#[test]
fn a_tag_goes_with_its_last_use() {
    let (_dir, lib) = crate::temp_library();
    let (article, highlights) = add_reference_article(&lib);
    let only_on =
        |tag: &str| highlights.iter().filter(|h| h.tags.iter().any(|t| t == tag)).map(|h| h.id).collect::<Vec<_>>();
    let kremlin = only_on("Kremlin");
    assert_eq!(kremlin.len(), 1);
    lib.delete_highlight(kremlin[0]).unwrap();
    let names: Vec<String> = lib.tags().unwrap().into_iter().map(|t| t.name).collect();
    assert!(!names.iter().any(|n| n == "Kremlin"), "{names:?}");
    lib.tag_article(article, &["Europe/Baltics".to_owned()]).unwrap();
    lib.untag_article(article, &["Europe/Baltics".to_owned()]).unwrap();
    let names: Vec<String> = lib.tags().unwrap().into_iter().map(|t| t.name).collect();
    assert!(!names.iter().any(|n| n.starts_with("Europe")), "{names:?}");
}

/// A quote, note or context that starts with "-" is a value, not a flag.
#[test]
fn values_may_start_with_a_dash() {
    let dir = tempfile::tempdir().unwrap();
    let library = dir.path().join("library.sqlite3");
    let quire = |args: &[&str], stdin: &[u8]| {
        let mut child = Command::new(quire_bin())
            .args(args)
            .env("QUIRE_LIBRARY", &library)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        child.stdin.take().unwrap().write_all(stdin).unwrap();
        let out = child.wait_with_output().unwrap();
        assert!(out.status.success(), "quire {args:?}: {}", String::from_utf8_lossy(&out.stderr));
        String::from_utf8(out.stdout).unwrap()
    };
    quire(&["add", "-"], b"Winter in Kyiv\n\nNights of -20 degrees are expected, and the grid is under attack.\n");
    let made =
        quire(&["highlight", "1", "--quote", "-20 degrees", "--note", "- a note in a list", "--prefix", "of "], b"");
    assert!(made.starts_with("highlight 1 on article 1"), "{made}");
}

/// A mistyped --library is refused (above); asked for with --create, the library is made, and
/// a new library at an explicit path is announced.
#[test]
fn a_new_library_elsewhere_is_made_only_when_asked() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("new").join("library.sqlite3");
    let out = Command::new(quire_bin())
        .args(["--library", path.to_str().unwrap(), "--create", "list"])
        .env_remove("QUIRE_LIBRARY")
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(path.is_file());
    assert!(String::from_utf8_lossy(&out.stderr).contains("made a new, empty library at"));
}
