//! What the desktop app's library screens ask of the facade: sorting, saved searches, topics
//! and the bundled sample article.

use quire::{AnchorKind, ArticleFilter, Library, SearchRequest, Sort, TopicPaging};
use quire_tests::{add_reference_article, REFERENCE_TITLE};

use crate::{add_text, temp_library};

fn titles(lib: &Library, sort: Sort) -> Vec<String> {
    lib.list_articles(&ArticleFilter { sort, ..Default::default() }).unwrap().into_iter().map(|a| a.title).collect()
}

fn add_html(lib: &Library, title: &str, site: &str, published: Option<&str>) -> i64 {
    let date =
        published.map(|d| format!("<meta property=\"article:published_time\" content=\"{d}\">")).unwrap_or_default();
    let html = format!(
        "<html><head><title>{title}</title><meta property=\"og:site_name\" content=\"{site}\">{date}</head>\
         <body><article><h1>{title}</h1><p>{title} is a story with enough words to be an article of its own, \
         about alliances, summits and the long road to membership.</p></article></body></html>"
    );
    lib.add(&quire::AddSource::Stdin(html.as_bytes().to_vec()), &quire::AddOptions::default()).unwrap().id
}

#[test]
fn list_sorts_by_clipped_published_title_and_site() {
    let (_dir, lib) = temp_library();
    add_html(&lib, "Beta summit", "Zeta News", Some("2023-07-10T08:00:00Z"));
    add_html(&lib, "alpha talks", "Alpha Post", None);
    add_html(&lib, "Gamma pledge", "alpha post", Some("2023-07-12T08:00:00Z"));
    // Same second of clipping: the later id is the newer one.
    assert_eq!(titles(&lib, Sort::Clipped), ["Gamma pledge", "alpha talks", "Beta summit"]);
    assert_eq!(titles(&lib, Sort::Published), ["Gamma pledge", "Beta summit", "alpha talks"]);
    assert_eq!(titles(&lib, Sort::Title), ["alpha talks", "Beta summit", "Gamma pledge"]);
    assert_eq!(titles(&lib, Sort::Site), ["Gamma pledge", "alpha talks", "Beta summit"]);
    assert_eq!("Title".parse::<Sort>().unwrap(), Sort::Title);
    assert_eq!("newest".parse::<Sort>().unwrap_err().kind(), quire::ErrorKind::InvalidInput);
}

#[test]
fn a_search_request_keeps_the_typed_words_and_the_sidebar_filter_apart() {
    let (_dir, lib) = temp_library();
    let (reference, _) = quire_tests::add_reference_article(&lib);
    let quoted = add_html(&lib, "Allies at the summit", "Allies Weekly", None);
    // A tag with quotes and spaces: as query text its quotes were lost; as a filter it is kept.
    let tag = "Say \"hi\" there";
    lib.tag_article(quoted, &[tag.to_owned()]).unwrap();
    let request = |text: &str, tag: Option<&str>| SearchRequest {
        text: text.to_owned(),
        filter: ArticleFilter { tag: tag.map(str::to_owned), ..ArticleFilter::default() },
        as_you_type: true,
    };
    let ids = |r: SearchRequest| lib.search_with(&r).unwrap().iter().map(|h| h.article.id).collect::<Vec<_>>();
    assert_eq!(ids(request("alli", Some("NATO accession"))), [reference], "typed prefix + the sidebar's tag");
    assert_eq!(ids(request("alli", Some(tag))), [quoted]);
    assert_eq!(ids(request("", Some(tag))), [quoted], "a filter alone lists what it selects");
    assert_eq!(ids(request("w", Some(tag))).len(), 0, "one letter is not a prefix (\"w*\" would find \"with\")");
    assert_eq!(
        lib.search_with(&request("", None)).unwrap_err().kind(),
        quire::ErrorKind::InvalidQuery,
        "no words and no filter"
    );
    // A saved search keeps the filter beside the words, typed.
    let saved = lib.save_search("Quoted", &request("allies", Some(tag))).unwrap();
    assert_eq!((saved.query.as_str(), saved.tag.as_deref()), ("allies", Some(tag)));
    let unread = SearchRequest {
        text: "summit".into(),
        filter: ArticleFilter { status: Some(quire::Status::Unread), favorite: Some(true), ..ArticleFilter::default() },
        as_you_type: false,
    };
    lib.save_search("Unread", &unread).unwrap();
    type Kept = (String, Option<String>, Option<quire::Status>, Option<bool>);
    let all: Vec<Kept> =
        lib.saved_searches().unwrap().into_iter().map(|s| (s.query, s.tag, s.status, s.favorite)).collect();
    assert_eq!(
        all,
        [
            ("allies".to_owned(), Some(tag.to_owned()), None, None),
            ("summit".to_owned(), None, Some(quire::Status::Unread), Some(true)),
        ]
    );
}

#[test]
fn saved_searches_are_validated_renamed_by_upsert_and_deleted() {
    let (_dir, lib) = temp_library();
    let first = lib.save_search("Allies", &SearchRequest::words("allies tag:\"NATO accession\"")).unwrap();
    assert_eq!(first.query, "allies tag:\"NATO accession\"");
    lib.save_search("kremlin", &SearchRequest::words("Kremlin")).unwrap();
    // The same name in another case replaces the query, keeping one entry.
    let again = lib.save_search("allies", &SearchRequest::words("allies OR partners")).unwrap();
    assert_eq!(again.id, first.id);
    let saved: Vec<(String, String)> = lib.saved_searches().unwrap().into_iter().map(|s| (s.name, s.query)).collect();
    assert_eq!(saved, [("Allies".to_owned(), "allies OR partners".to_owned()), ("kremlin".into(), "Kremlin".into())]);
    // A query that does not parse, an empty one and a blank name are refused, and change nothing.
    assert_eq!(
        lib.save_search("broken", &SearchRequest::words("\"unclosed")).unwrap_err().kind(),
        quire::ErrorKind::InvalidQuery
    );
    assert_eq!(
        lib.save_search("empty", &SearchRequest::words("   ")).unwrap_err().kind(),
        quire::ErrorKind::InvalidQuery
    );
    assert_eq!(
        lib.save_search("  ", &SearchRequest::words("allies")).unwrap_err().kind(),
        quire::ErrorKind::InvalidInput
    );
    assert_eq!(lib.saved_searches().unwrap().len(), 2);
    lib.delete_saved_search(first.id).unwrap();
    assert_eq!(lib.delete_saved_search(first.id).unwrap_err().kind(), quire::ErrorKind::NotFound);
    assert_eq!(lib.saved_searches().unwrap().len(), 1);
}

#[test]
fn topic_groups_tagged_quotes_by_article_in_text_order() {
    let (_dir, lib) = temp_library();
    let (reference, highlights) = add_reference_article(&lib);
    let other = add_text(&lib, "Finland\n\nFinland joined NATO in April 2023, after decades of neutrality.");
    let finland = lib
        .add_highlight(&quire::NewHighlight {
            article_id: other,
            target: quire::HighlightTarget::Quote {
                exact: "Finland joined NATO".into(),
                prefix: None,
                suffix: None,
                occurrence: None,
            },
            color: quire::Color::Green,
            note: String::new(),
            tags: vec!["NATO accession/Finland".into()],
        })
        .unwrap();
    let topic = lib.topic("nato ACCESSION", TopicPaging::default()).unwrap();
    assert_eq!(topic.tag, "nato ACCESSION".trim());
    assert_eq!(topic.highlights, 4, "three reference quotes and one through the sub-tag");
    let groups: Vec<(i64, Vec<i64>)> =
        topic.articles.iter().map(|g| (g.article.id, g.highlights.iter().map(|h| h.id).collect())).collect();
    let mut in_text_order: Vec<&quire::Highlight> =
        highlights.iter().filter(|h| h.tags.iter().any(|t| t == "NATO accession")).collect();
    in_text_order.sort_by_key(|h| h.position.start);
    assert_eq!(
        groups,
        [(other, vec![finland.id]), (reference, in_text_order.iter().map(|h| h.id).collect())],
        "newest article first, quotes in text order"
    );
    assert_eq!(topic.articles[1].article.title, REFERENCE_TITLE);
    assert!(topic.articles.iter().flat_map(|g| &g.highlights).all(|h| h.anchor != AnchorKind::Orphan));
    assert_eq!(topic.article_count, 2);
    assert_eq!(lib.topic("no such tag", TopicPaging::default()).unwrap_err().kind(), quire::ErrorKind::NotFound);
}

#[test]
fn a_topic_and_a_tags_highlights_come_a_page_at_a_time() {
    let (_dir, lib) = temp_library();
    // 23 articles with 1 to 3 quotes on the topic (one also on a sub-tag, one quote tagged
    // with both), and a quote on another tag in each.
    let mut expected_quotes = 0;
    for i in 0..23usize {
        let words: Vec<String> = (0..4).map(|w| format!("Paragraph {w} of article {i} about the summit.")).collect();
        let id = add_text(&lib, &format!("Article {i}\n\n{}", words.join("\n\n")));
        for w in 0..(1 + i % 3) {
            let tags = match w {
                0 if i == 4 => vec!["Summit".to_owned(), "Summit/Day one".to_owned()],
                1 => vec!["summit/day one".to_owned()],
                _ => vec!["Summit".to_owned()],
            };
            let h = |exact: String, tags: Vec<String>| quire::NewHighlight {
                article_id: id,
                target: quire::HighlightTarget::Quote { exact, prefix: None, suffix: None, occurrence: None },
                color: quire::Color::Yellow,
                note: String::new(),
                tags,
            };
            lib.add_highlight(&h(format!("Paragraph {w} of article {i}"), tags)).unwrap();
            expected_quotes += 1;
        }
        lib.add_highlight(&h_other(id, i)).unwrap();
    }
    fn h_other(id: i64, i: usize) -> quire::NewHighlight {
        quire::NewHighlight {
            article_id: id,
            target: quire::HighlightTarget::Quote {
                exact: format!("Paragraph 3 of article {i}"),
                prefix: None,
                suffix: None,
                occurrence: None,
            },
            color: quire::Color::Blue,
            note: String::new(),
            tags: vec!["Elsewhere".into()],
        }
    }
    let whole = lib.topic("summit", TopicPaging::default()).unwrap();
    assert_eq!((whole.article_count, whole.highlights, whole.articles.len()), (23, expected_quotes, 23));
    let mut paged = Vec::new();
    for offset in (0..30).step_by(7) {
        let page = lib.topic("summit", TopicPaging { limit: Some(7), offset }).unwrap();
        assert_eq!((page.article_count, page.highlights), (23, expected_quotes), "totals on every page");
        assert_eq!(page.articles.len(), 7.min(23usize.saturating_sub(offset)));
        paged.extend(page.articles);
    }
    assert_eq!(paged, whole.articles, "the pages, end to end, are the whole topic in its order");
    let sub = lib.topic("Summit/day one", TopicPaging { limit: Some(3), offset: 0 }).unwrap();
    let with_sub = (0..23usize).filter(|i| i % 3 >= 1 || *i == 4).count();
    assert_eq!((sub.article_count, sub.articles.len()), (with_sub, 3));

    // The flat list of a tag's highlights, newest first, pages the same way.
    let filter =
        |limit, offset| quire::HighlightFilter { tag: Some("summit".into()), limit, offset, ..Default::default() };
    let all = lib.highlights(&filter(None, 0)).unwrap();
    assert_eq!(all.len(), expected_quotes);
    let ids = |v: Vec<quire::HighlightInContext>| v.into_iter().map(|h| h.highlight.id).collect::<Vec<_>>();
    let mut pages = Vec::new();
    for offset in (0..all.len() + 5).step_by(10) {
        pages.extend(ids(lib.highlights(&filter(Some(10), offset)).unwrap()));
    }
    assert_eq!(pages, ids(all));
}

#[test]
fn the_sample_article_is_the_reference_story_added_once() {
    let (_dir, lib) = temp_library();
    let added = lib.add_sample_article().unwrap();
    assert!(added.created);
    assert_eq!(added.title, REFERENCE_TITLE);
    let article = lib.article(added.id).unwrap();
    assert_eq!(
        article.summary.source_url.as_deref(),
        Some("https://worlddesk.example/2023/07/12/ukraine-closer-to-nato/")
    );
    // Every reference quote can be highlighted in it.
    let text = lib.canonical_text(added.id).unwrap();
    for quote in quire_tests::reference_quotes() {
        assert!(text.contains(&quote.exact), "{:?} is in the sample", quote.exact);
    }
    let again = lib.add_sample_article().unwrap();
    assert!(!again.created);
    assert_eq!(again.id, added.id);
    assert_eq!(lib.list_articles(&ArticleFilter::default()).unwrap().len(), 1);
}

#[test]
fn dropped_files_and_folders_import_with_a_reason_for_each_failure() {
    let (dir, lib) = temp_library();
    let folder = dir.path().join("saved");
    std::fs::create_dir_all(folder.join("nested")).unwrap();
    std::fs::write(folder.join("one.txt"), "First note\n\nA plain text article about the summit.").unwrap();
    std::fs::write(folder.join("nested/two.md"), "Second note\n\nAnother text about the alliance.").unwrap();
    std::fs::write(folder.join("photo.jpg"), b"not an article").unwrap();
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let page = quire_tests::reference_page();
    let pdf = dir.path().join("paper.pdf");
    std::fs::write(&pdf, b"%PDF-1.7").unwrap();
    let paths = vec![page.clone(), folder.clone(), empty, pdf, page];
    let mut events = Vec::new();
    let cancel = std::sync::atomic::AtomicBool::new(false);
    let sources: Vec<_> = paths.into_iter().map(quire::AddSource::Path).collect();
    let summary = lib.add_all(&sources, &quire::AddOptions::default(), &mut |e| events.push(e.clone()), &cancel);
    assert_eq!(summary.added.len(), 3, "the page and the two text files: {summary:?}");
    assert_eq!(summary.duplicates.len(), 1, "the page given twice");
    let failed: Vec<&str> = summary.failed.iter().map(|(name, _)| name.as_str()).collect();
    assert_eq!(failed, ["empty", "paper.pdf"]);
    assert!(summary.failed[0].1.contains("no .html"), "{}", summary.failed[0].1);
    assert!(summary.failed[1].1.contains("only .txt, .md, .html"), "{}", summary.failed[1].1);
    assert!(matches!(events[0], quire::ImportEvent::Started { total: 6 }), "{:?}", events[0]);
    assert_eq!(events.len(), 7);

    // Cancelled before the first item: nothing is added, and the summary says so.
    cancel.store(true, std::sync::atomic::Ordering::SeqCst);
    let summary = lib.add_all(&[quire::AddSource::Path(folder)], &quire::AddOptions::default(), &mut |_| {}, &cancel);
    assert!(summary.cancelled && summary.added.is_empty() && summary.duplicates.is_empty());
}

#[test]
fn the_clip_box_takes_pasted_text_or_html_and_refuses_blank_input() {
    let (_dir, lib) = temp_library();
    let text = lib
        .add(
            &quire::AddSource::Pasted("Pasted note\n\nA paragraph pasted from somewhere.".to_owned()),
            &quire::AddOptions::default(),
        )
        .unwrap();
    assert_eq!(text.title, "Pasted note");
    let html = lib
        .add(
            &quire::AddSource::Pasted(
                "<p>Pasted <b>HTML</b> with enough text to make a paragraph of an article.</p>".to_owned(),
            ),
            &Default::default(),
        )
        .unwrap();
    assert!(lib.canonical_text(html.id).unwrap().contains("Pasted HTML with enough text"));
    assert_eq!(
        lib.add(&quire::AddSource::Pasted("  \n ".to_owned()), &Default::default()).unwrap_err().kind(),
        quire::ErrorKind::InvalidInput
    );
    // An address is clipped: an unsupported scheme is refused before any network use.
    let err = lib.add(&quire::AddSource::Pasted("ftp://example.com/page".to_owned()), &Default::default()).unwrap_err();
    assert_eq!(err.kind(), quire::ErrorKind::InvalidInput, "{err}");
    assert_eq!(lib.list_articles(&ArticleFilter::default()).unwrap().len(), 2);
}

#[test]
fn the_list_loads_in_pages_and_counts_what_the_filter_selects() {
    let (_dir, lib) = temp_library();
    for i in 0..7 {
        add_html(&lib, &format!("Story {i}"), "Site", None);
    }
    let (reference, _) = add_reference_article(&lib);
    lib.set_status(reference, quire::Status::Read).unwrap();
    let page = |offset, limit| -> Vec<String> {
        let filter =
            ArticleFilter { sort: Sort::Title, offset: Some(offset), limit: Some(limit), ..Default::default() };
        lib.list_articles(&filter).unwrap().into_iter().map(|a| a.title).collect()
    };
    assert_eq!(page(0, 3), ["Story 0", "Story 1", "Story 2"]);
    assert_eq!(page(6, 3), ["Story 6", REFERENCE_TITLE]);
    assert!(page(8, 3).is_empty());
    let all = lib.count_articles(&ArticleFilter { limit: Some(1), ..Default::default() }).unwrap();
    assert_eq!((all.articles, all.highlights), (8, 4));
    let read = lib.count_articles(&ArticleFilter { status: Some(quire::Status::Read), ..Default::default() }).unwrap();
    assert_eq!((read.articles, read.highlights), (1, 4));
    let tagged = lib.count_articles(&ArticleFilter { tag: Some("nothing".into()), ..Default::default() }).unwrap();
    assert_eq!(tagged.articles, 0);
}
