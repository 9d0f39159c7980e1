//! Input hygiene at every way in, played as an attacker: a page, a text file, a paste, a
//! browser's capture and another app's export that carry terminal escapes, markup in their
//! language, credentials in their addresses, oversized or empty highlights and tags, or a
//! canonical address on another site. What is stored and what the CLI prints must hold none of
//! it; what is over a limit is refused with one kind of error and changes nothing.

use std::path::Path;
use std::process::Command;
use std::sync::atomic::AtomicBool;

use quire::{
    AddOptions, AddSource, ArticleView, CapturedHighlight, CapturedPage, Error, ErrorKind, HighlightEdit,
    HighlightTarget, ImportOptions, NewHighlight, TextQuoteSelector,
};
use quire_doc::BlockKind;

use crate::cli::quire_bin;
use crate::temp_library;

/// A title that would set the terminal's title, recolor it, clear the screen and ring the bell.
const TITLE: &str = "\u{1b}]0;pwned\u{7}Hostile \u{1b}[31mtitle\u{1b}[0m\u{1b}[2J\u{1b}[H\u{0}\u{9b}";
const TITLE_STORED: &str = "]0;pwnedHostile [31mtitle[0m[2J[H";
/// Words enough for readability to take the paragraph as the article, with controls inside.
const WORDS: &str = "The summit\u{1b}[2J opened with\u{7} a long\u{0} speech about allies\u{9b}1m and guarantees, \
    followed by a debate on the pace of accession that went on into the night, while the delegations \
    waited for a text that nobody had yet seen, and the journalists filed story after story about the \
    weather, the food and the mood in the old town.";

fn page_html(title: &str, head: &str, lang: &str, words: &str) -> String {
    format!(
        "<html lang='{lang}'><head><title>{title}</title>{head}<meta name=author content='\u{1b}[5mBy someone\u{7}'>\
         <meta property='og:site_name' content='Site\u{1b}]0;x\u{7}'></head><body><article><p>{words}</p>\
         <p>A <a href='https://user:secret@example.org/x'>link\u{1b}[0m</a> and an image \
         <img src='https://user:secret@example.org/i.png' alt='alt\u{1b}[31m\u{7}'>.</p></article></body></html>"
    )
}

fn captured(url: &str, html: String) -> CapturedPage {
    CapturedPage {
        url: url.to_owned(),
        html,
        title: Some(TITLE.to_owned()),
        language: Some("en\"><script>alert(1)</script>".to_owned()),
        images: Vec::new(),
        tags: vec!["\u{1b}[31mred\u{1b}[0m tag\u{7}".to_owned()],
    }
}

/// No control character but newline and tab.
fn is_clean(s: &str) -> bool {
    !s.chars().any(|c| c.is_control() && c != '\n' && c != '\t')
}

/// Every stored string of an article that a shell could show.
fn stored_strings(v: &ArticleView) -> Vec<String> {
    let s = &v.summary;
    let mut all = vec![s.title.clone(), v.note.clone(), v.link_reason.clone()];
    all.extend(
        [
            &s.byline,
            &s.site_name,
            &s.source_url,
            &s.published_at,
            &v.canonical_url,
            &v.language,
            &v.direction,
            &v.excerpt,
        ]
        .into_iter()
        .flatten()
        .cloned(),
    );
    all.extend(s.tags.iter().cloned());
    for b in &v.document.blocks {
        if let BlockKind::Image { src, alt } = &b.kind {
            all.extend([src.clone(), alt.clone()]);
        }
        for span in &b.spans {
            all.push(span.text.clone());
            all.extend(span.marks.link.clone());
        }
    }
    for h in &v.highlights {
        all.extend([h.quote.exact.clone(), h.quote.prefix.clone(), h.quote.suffix.clone(), h.note.clone()]);
        all.extend(h.tags.iter().cloned());
    }
    all
}

fn cli(library: &Path, args: &[&str]) -> (String, String) {
    let out = Command::new(quire_bin()).args(args).env("QUIRE_LIBRARY", library).output().unwrap();
    assert!(out.status.success(), "quire {args:?}: {}", String::from_utf8_lossy(&out.stderr));
    (String::from_utf8(out.stdout).unwrap(), String::from_utf8(out.stderr).unwrap())
}

#[test]
fn hostile_text_is_stored_and_printed_without_control_characters() {
    let (dir, lib) = temp_library();
    let file = dir.path().join("hostile.html");
    std::fs::write(&file, page_html(TITLE, "", "de-DE", WORDS)).unwrap();
    let text = format!("{TITLE}\r\n\r\n{WORDS}\rNext\u{c}page\u{85}line");
    let with_tags = AddOptions { tags: vec!["ok/\u{1b}[2J\u{200b}".to_owned()], ..AddOptions::default() };
    // (the way in, the article it made)
    let mut made: Vec<(&str, i64)> = vec![
        ("an HTML file", lib.add(&AddSource::Path(file), &with_tags).unwrap().id),
        ("text on stdin", lib.add(&AddSource::Stdin(text.into_bytes()), &AddOptions::default()).unwrap().id),
        (
            "pasted HTML",
            lib.add(&AddSource::Pasted(page_html(TITLE, "", "x", &WORDS.replace("summit", "meeting"))), &with_tags)
                .unwrap()
                .id,
        ),
        (
            "a captured page",
            lib.save_page(captured(
                "https://user:pass@news.example/a",
                page_html("", "", "", &WORDS.replace("summit", "summit meeting")),
            ))
            .unwrap()
            .id,
        ),
    ];
    let csv = format!(
        "URL,Title,Selection,Folder\n\
         https://user:pass@example.net/x,\"{TITLE}\",\"A quote\u{1b}[31m\u{7} from it\",Unread\n"
    );
    let export = dir.path().join("instapaper-export.csv");
    std::fs::write(&export, csv).unwrap();
    let import = ImportOptions { fetch: false, ..ImportOptions::default() };
    let report = lib.import_file(&export, &import, &mut |_| {}, &AtomicBool::new(false)).unwrap();
    made.push(("another app's export", report.link_only[0].id));

    // A highlight with a hostile note and tag on each article with text (the imported one is a
    // link with an orphan highlight).
    for (way, id) in &made[..4] {
        lib.add_highlight(&NewHighlight {
            article_id: *id,
            target: HighlightTarget::Range { start: 0, end: 5 },
            color: quire::Color::Yellow,
            note: "\u{1b}]0;note\u{7}a note\u{0} with\n\ta line".to_owned(),
            tags: vec!["\u{1b}[5mblink\u{7}".to_owned()],
        })
        .unwrap_or_else(|e| panic!("{way}: {e}"));
    }
    for (way, id) in &made {
        let view = lib.article(*id).unwrap();
        for s in stored_strings(&view) {
            assert!(is_clean(&s), "{way}: {s:?}");
            assert!(!s.contains("user:") && !s.contains("secret@"), "{way}: {s:?}");
        }
        assert!(!view.summary.title.is_empty(), "{way}");
        assert_eq!(view.highlights.len(), 1, "{way}");
    }
    for (way, id) in &made[..4] {
        let h = &lib.article(*id).unwrap().highlights[0];
        assert_eq!(
            (h.note.as_str(), h.tags.as_slice()),
            ("]0;notea note with\n\ta line", &["[5mblink".to_owned()][..]),
            "{way}"
        );
    }
    let imported = &lib.article(made[4].1).unwrap().highlights[0];
    assert_eq!(imported.quote.exact, "A quote[31m from it");
    let title = |i: usize| lib.article(made[i].1).unwrap().summary.title;
    // An HTML parser reads NUL as U+FFFD (visible, and no control).
    assert_eq!(
        [title(0), title(1), title(4)],
        [format!("{TITLE_STORED}\u{fffd}"), TITLE_STORED.into(), TITLE_STORED.into()]
    );
    let view = lib.article(made[0].1).unwrap();
    assert_eq!(view.language.as_deref(), Some("de-DE"));
    assert_eq!(view.summary.byline.as_deref(), Some("[5mBy someone"));
    assert_eq!(view.summary.tags, ["ok/[2J"]);
    assert_eq!(lib.article(made[3].1).unwrap().summary.source_url.as_deref(), Some("https://news.example/a"));
    assert_eq!(lib.article(made[4].1).unwrap().summary.source_url.as_deref(), Some("https://example.net/x"));

    // What the CLI prints holds no control character either, and neither do its warnings.
    let path = lib.path().to_owned();
    let hostile_lang = dir.path().join("lang.html");
    std::fs::write(&hostile_lang, page_html("Language", "", "en\u{1b}]0;x\u{7}", "Another page entirely, with words."))
        .unwrap();
    let printed = [
        cli(&path, &["list"]),
        cli(&path, &["show", &made[0].1.to_string()]),
        cli(&path, &["show", &made[3].1.to_string()]),
        cli(&path, &["highlights"]),
        cli(&path, &["tag", "list"]),
        cli(&path, &["add", hostile_lang.to_str().unwrap()]),
    ];
    for (stdout, stderr) in printed {
        assert!(is_clean(&stdout), "{stdout:?}");
        assert!(is_clean(&stderr), "{stderr:?}");
    }
}

#[test]
fn the_cli_shows_control_characters_that_are_already_stored_as_escapes() {
    let (_dir, lib) = temp_library();
    let (id, highlights) = quire_tests::add_reference_article(&lib);
    // A library written before the library took them out.
    let conn = rusqlite::Connection::open(lib.path()).unwrap();
    conn.execute("UPDATE articles SET title = ?, byline = ? WHERE id = ?", (TITLE, "\u{1b}[31mred\u{7}", id)).unwrap();
    conn.execute("UPDATE highlights SET note = ? WHERE id = ?", ("\u{1b}]0;x\u{7}note", highlights[0].id)).unwrap();
    for args in [&["list"][..], &["show", &id.to_string()], &["highlights"]] {
        let (stdout, _) = cli(lib.path(), args);
        assert!(is_clean(&stdout), "{args:?}: {stdout:?}");
        assert!(stdout.contains("\\u{1b}]0;pwned\\u{7}Hostile"), "{args:?}: {stdout}");
    }
    let (stdout, _) = cli(lib.path(), &["highlights"]);
    assert!(stdout.contains("note: \\u{1b}]0;x\\u{7}note"), "{stdout}");
    // JSON keeps the value, escaped by JSON.
    let (json, _) = cli(lib.path(), &["--json", "show", &id.to_string()]);
    assert!(is_clean(&json), "{json}");
    assert!(json.contains(r#"[H\u0000\u009b""#), "C1 controls are escaped too: {json}");
    assert!(json.contains(r#""title": "\u001b]0;pwned\u0007Hostile"#), "{json}");
}

fn refusal(result: Result<impl std::fmt::Debug, Error>) -> String {
    let err = result.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err}");
    err.to_string()
}

#[test]
fn inputs_over_the_limits_are_refused_and_change_nothing() {
    let (_dir, lib) = temp_library();
    let (id, highlights) = quire_tests::add_reference_article(&lib);
    let url = "https://worlddesk.example/limits";
    let tags = |n: usize| (0..n).map(|i| format!("t{i}")).collect::<Vec<_>>();
    let select = |exact: String, note: &str, tags: Vec<String>| CapturedHighlight {
        url: url.to_owned(),
        page: Some(captured(url, page_html("Limits", "", "en", WORDS))),
        selector: TextQuoteSelector { exact, prefix: String::new(), suffix: String::new() },
        color: None,
        note: note.to_owned(),
        tags,
    };
    let new_highlight = |note: String, tags: Vec<String>| NewHighlight {
        article_id: id,
        target: HighlightTarget::Quote { exact: "NATO".into(), prefix: None, suffix: None, occurrence: Some(1) },
        color: quire::Color::Yellow,
        note,
        tags,
    };
    let state = || {
        format!(
            "{:?}",
            (lib.tags().unwrap(), lib.article(id).unwrap(), lib.list_articles(&Default::default()).unwrap())
        )
    };
    let before = state();
    let long_tag = "x".repeat(quire::MAX_TAG_CHARS + 1);
    let deep_tag = ["level"; quire::MAX_TAG_LEVELS + 1].join("/");
    let cases: Vec<(&str, String, &str)> = vec![
        ("a long tag", refusal(lib.tag_article(id, &[long_tag])), "the tag name \"xxxx"),
        ("a deep tag", refusal(lib.tag_article(id, &[deep_tag])), "has too many levels: a tag has at most 10"),
        ("51 tags", refusal(lib.tag_article(id, &tags(51))), "too many tags (51): at most 50 can be given at once"),
        ("an invisible tag", refusal(lib.tag_article(id, &["\u{200b}\u{1b}/\u{feff}".into()])), "invalid tag name"),
        (
            "a long note",
            refusal(lib.add_highlight(&new_highlight("n".repeat(100_001), vec![]))),
            "the note is too long (100001 characters)",
        ),
        (
            "a long note by edit",
            refusal(lib.update_highlight(
                highlights[0].id,
                &HighlightEdit { note: Some("n".repeat(100_001)), ..Default::default() },
            )),
            "a note has at most 100000 characters",
        ),
        ("a highlight's 51 tags", refusal(lib.add_highlight(&new_highlight(String::new(), tags(51)))), "too many tags"),
        (
            "a long quote",
            refusal(lib.save_highlight(select("q ".repeat(10_001), "", vec![]))),
            "the quote is too long (20001 characters)",
        ),
        (
            "an invisible selection",
            refusal(lib.save_highlight(select("\u{200b} \u{200d}\u{1b}\u{feff}\n".into(), "", vec![]))),
            "the selection holds no text",
        ),
        (
            "a selection's long note",
            refusal(lib.save_highlight(select("allies".into(), &"n".repeat(100_001), vec![]))),
            "the note is too long",
        ),
        ("a selection's 51 tags", refusal(lib.save_highlight(select("allies".into(), "", tags(51)))), "too many tags"),
        (
            "a page's 51 tags",
            refusal(lib.save_page(CapturedPage { tags: tags(51), ..captured(url, page_html("T", "", "en", WORDS)) })),
            "too many tags",
        ),
        (
            "a page's long tag",
            refusal(lib.save_page(CapturedPage {
                tags: vec!["y".repeat(201)],
                ..captured(url, page_html("T", "", "en", WORDS))
            })),
            "is too long",
        ),
    ];
    for (what, message, expected) in &cases {
        assert!(message.contains(expected), "{what}: {message}");
        assert!(
            !message.contains("quire ") && !message.contains("--"),
            "{what}: a library message names no shell: {message}"
        );
    }
    assert_eq!(before, state(), "nothing changed");

    // A selection's context is kept near the quote, whatever length it came with.
    let mut long_context = select("words nowhere in the page".into(), "", vec![]);
    long_context.selector.prefix = format!("{}end of prefix", "p".repeat(100_000));
    long_context.selector.suffix = format!("start of suffix{}", "s".repeat(100_000));
    let orphan = lib.highlight(lib.save_highlight(long_context).unwrap().highlight_id).unwrap();
    assert_eq!(orphan.quote.prefix.chars().count(), 256);
    assert!(orphan.quote.prefix.ends_with("pend of prefix") && orphan.quote.suffix.starts_with("start of suffixs"));
    assert_eq!(orphan.quote.suffix.chars().count(), 256);

    // At the limits, all is well; an article gathers more tags a request at a time.
    lib.tag_article(id, &tags(50)).unwrap();
    lib.tag_article(id, &["one more".into(), "T0".into(), "t1".into()]).unwrap();
    assert_eq!(lib.article(id).unwrap().summary.tags.len(), 51);
    let at_limit = ["level"; quire::MAX_TAG_LEVELS].join("/");
    lib.update_highlight(
        highlights[0].id,
        &HighlightEdit { tags: Some(vec![at_limit, "z".repeat(200)]), ..Default::default() },
    )
    .unwrap();
    lib.update_highlight(highlights[0].id, &HighlightEdit { note: Some("n".repeat(100_000)), ..Default::default() })
        .unwrap();
}

#[test]
fn a_language_that_is_not_a_language_tag_is_dropped_with_a_warning() {
    let (_dir, lib) = temp_library();
    // (the page's lang, the browser's, what is kept, whether a warning says so)
    let cases = [
        ("", "en\"><script>alert(1)</script>", None, true),
        ("", "pt_BR", Some("pt-BR"), false),
        ("x\" onload=\"steal()", "", None, true),
        ("zh-Hant-TW", "en", Some("zh-Hant-TW"), false),
        ("", &"a".repeat(36), None, true),
    ];
    for (i, (page_lang, browser_lang, kept, warned)) in cases.into_iter().enumerate() {
        let url = format!("https://lang.example/{i}");
        let words = format!("{i} {WORDS}");
        let page = CapturedPage {
            language: Some(browser_lang.to_owned()),
            ..captured(&url, page_html("T", "", page_lang, &words))
        };
        let saved = lib.save_page(page).unwrap();
        assert_eq!(lib.article(saved.id).unwrap().language.as_deref(), kept, "{page_lang:?} {browser_lang:?}");
        let warning = saved.warnings.iter().any(|w| w.contains("not a language tag"));
        assert_eq!(warning, warned, "{page_lang:?} {browser_lang:?}: {:?}", saved.warnings);
    }
}

#[test]
fn addresses_are_stored_without_credentials() {
    let (_dir, lib) = temp_library();
    let canonical = "<link rel=canonical href='https://editor:hunter2@www.creds.example/story'>";
    let saved = lib
        .save_page(captured("https://user:pass@creds.example/story?id=1", page_html("T", canonical, "en", WORDS)))
        .unwrap();
    let view = lib.article(saved.id).unwrap();
    assert_eq!(view.summary.source_url.as_deref(), Some("https://creds.example/story?id=1"));
    assert_eq!(view.canonical_url.as_deref(), Some("https://www.creds.example/story"));
    for s in stored_strings(&view) {
        assert!(!s.contains("user:") && !s.contains("hunter2") && !s.contains("secret@"), "{s:?}");
    }
    let snapshot = lib.snapshot_html(saved.id).unwrap().unwrap();
    assert!(snapshot.contains("user:secret@"), "the snapshot is the page as it was");
    // The article is the same one with or without credentials in its address.
    let again = lib.add(
        &AddSource::Stdin(b"Other\n\nwords".to_vec()),
        &AddOptions { url: Some("https://someone:else@www.creds.example/story".into()), ..AddOptions::default() },
    );
    assert_eq!(again.map(|o| (o.id, o.created)).unwrap(), (saved.id, false));
}

#[test]
fn a_canonical_address_on_another_site_does_not_make_a_page_a_duplicate() {
    let (_dir, lib) = temp_library();
    let victim_url = "https://victim.example/story";
    let mut victim = captured(victim_url, page_html("The real story", "", "en", WORDS));
    victim.tags = vec!["mine".into()];
    let victim = lib.save_page(victim).unwrap();

    // Another site's page claims to be the victim's article.
    let claim = format!("<link rel=canonical href='{victim_url}'>");
    let mut evil = captured(
        "https://evil.example/copy",
        page_html("A copy", &claim, "en", "Other words entirely, enough of them."),
    );
    evil.tags = vec!["planted".into()];
    let evil = lib.save_page(evil).unwrap();
    assert!(!evil.duplicate);
    assert_ne!(evil.id, victim.id);
    assert!(evil.warnings.iter().any(|w| w.contains("it is on another site than the page")), "{:?}", evil.warnings);
    assert_eq!(lib.article(victim.id).unwrap().summary.tags, ["mine"]);
    assert_eq!(lib.article(evil.id).unwrap().canonical_url.as_deref(), Some("https://evil.example/copy"));
    // A highlight sent for the victim's address still lands in the victim's article.
    let selection = CapturedHighlight {
        url: victim_url.into(),
        page: None,
        selector: TextQuoteSelector { exact: "a long speech".into(), prefix: String::new(), suffix: String::new() },
        color: None,
        note: String::new(),
        tags: Vec::new(),
    };
    assert_eq!(lib.save_highlight(selection).unwrap().article_id, victim.id);

    // The same site (with or without www.) may name its article's address.
    let mut amp = captured(
        "https://www.victim.example/amp/story",
        page_html("AMP", &claim, "en", "The short amp version of it."),
    );
    amp.tags = vec!["from amp".into()];
    let amp = lib.save_page(amp).unwrap();
    assert!(amp.duplicate);
    assert_eq!(amp.id, victim.id);
    assert_eq!(lib.article(victim.id).unwrap().summary.tags, ["from amp", "mine"]);
}
