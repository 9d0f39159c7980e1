//! The consumers' own tool reads what we write: pandoc's citeproc renders a reference from the
//! CSL-JSON, and pandoc's BibLaTeX reader reads the `.bib` back to the same titles.
//!
//! pandoc is installed by scripts/deps.sh: these tests fail, not skip, when it is missing.

#[path = "data/cite/fixture.rs"]
mod fixture;

use quire_export::cite;
use serde_json::Value;
use std::process::Command;

fn pandoc(args: &[&str], dir: &std::path::Path) -> String {
    let out = Command::new("pandoc")
        .args(args)
        .current_dir(dir)
        .output()
        .expect("pandoc is not installed: scripts/deps.sh installs it (apt package pandoc)");
    assert!(out.status.success(), "pandoc {args:?} failed: {}", String::from_utf8_lossy(&out.stderr));
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn pandoc_citeproc_renders_the_csl_json() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("refs.json"), cite::csl_json(&fixture::all()).unwrap()).unwrap();
    std::fs::write(
        dir.path().join("doc.md"),
        "As reported [@quire-1], and blogged [@quire-2], and listed [@quire-3].\n",
    )
    .unwrap();
    let text =
        pandoc(&["--citeproc", "--bibliography", "refs.json", "-t", "plain", "--wrap=none", "doc.md"], dir.path());
    // The default style is Chicago author-date: in-text (Kovalenko and Ellison 2023), then the
    // references.
    assert!(text.contains("(Kovalenko and Ellison 2023)"), "{text}");
    assert!(text.contains("Brontë-Müller 2024"), "{text}");
    let reference = text
        .lines()
        .find(|l| l.starts_with("Kovalenko, Olena"))
        .unwrap_or_else(|| panic!("no reference for quire-1 in:\n{text}"));
    assert!(reference.contains("Mark Ellison"), "{reference}");
    assert!(reference.contains("2023"), "{reference}");
    assert!(reference.to_lowercase().contains("ukraine is now closer to nato than ever before"), "{reference}");
    assert!(reference.contains("The World Ledger"), "{reference}");
    assert!(text.contains("Why I keep a commonplace book") || text.contains("Why I Keep a Commonplace Book"), "{text}");
    assert!(!text.contains("???"), "an unresolved citation: {text}");
}

#[test]
fn pandoc_reads_the_biblatex_back() {
    let dir = tempfile::tempdir().unwrap();
    let mut tricky = fixture::page();
    tricky.id = 4;
    tricky.title = "Fees & charges: 100% of {everything}_explained #1 ~ $5 ^ \\".into();
    tricky.author = Some("Jürgen O'Neil and Reuters Staff".into());
    tricky.url = Some("https://example.com/a_b?x=1&y=%20#frag".into());
    let mut articles = fixture::all();
    articles.push(tricky.clone());
    articles.push(fixture::nato()); // a duplicate key, deduplicated
    std::fs::write(dir.path().join("refs.bib"), cite::bibtex(&articles)).unwrap();
    let json = pandoc(&["-f", "biblatex", "-t", "csljson", "refs.bib"], dir.path());
    let items: Vec<Value> = serde_json::from_str(&json).unwrap();
    let titles: Vec<&str> = items.iter().map(|i| i["title"].as_str().unwrap()).collect();
    let expected: Vec<&str> = articles.iter().map(|a| a.title.as_str()).collect();
    assert_eq!(titles, expected, "{json}");

    let ids: Vec<&str> = items.iter().map(|i| i["id"].as_str().unwrap()).collect();
    assert_eq!(ids.len(), ids.iter().collect::<std::collections::HashSet<_>>().len(), "{ids:?}");

    let nato = &items[0];
    assert_eq!(nato["type"], "article-newspaper");
    assert_eq!(nato["container-title"], "The World Ledger");
    assert_eq!(nato["author"][0]["family"], "Kovalenko");
    assert_eq!(nato["author"][1]["given"], "Mark");
    assert_eq!(nato["issued"]["date-parts"], serde_json::json!([[2023, 7, 12]]));
    assert_eq!(nato["accessed"]["date-parts"], serde_json::json!([[2023, 7, 13]]));
    assert_eq!(items[1]["author"][0]["family"], "Brontë-Müller");
    let t = &items[3];
    // pandoc's LaTeX reader curls the apostrophe.
    assert!(["O'Neil", "O\u{2019}Neil"].contains(&t["author"][0]["family"].as_str().unwrap()), "{t}");
    assert_eq!(t["author"][1]["literal"], "Reuters Staff");
    assert_eq!(t["URL"], tricky.url.unwrap());
}
