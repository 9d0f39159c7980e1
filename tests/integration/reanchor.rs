//! Re-clipping and re-extracting an article keeps every highlight and says what happened to it.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use quire::{AddOptions, AnchorKind, FetchConfig, HighlightFilter, HighlightTarget, NewHighlight, Status};
use quire_tests::server::{Reply, Server};
use quire_tests::{data, reference_page, reference_quotes};

use crate::temp_library;

const HOST: &str = "news.quire.test";
const PATH: &str = "/2023/07/12/ukraine-closer-to-nato/";

/// The publisher's edit: a paragraph added at the top, Zelensky's quote reworded, the last
/// section ("Long term commitment plan") removed.
fn edited_page() -> String {
    let page = std::fs::read_to_string(reference_page()).unwrap();
    let top = "<p>Update, July 13: this story has been updated with reactions from allied capitals after the summit closed.</p>\n      <p>on the sidelines";
    let page = page.replacen("<p>on the sidelines", top, 1);
    let page = page.replace(
        "I am confident that Ukraine will become a member of NATO after the war.",
        "I am confident that Ukraine will become a member of NATO once the war is over.",
    );
    let start = page.find("<h2>Long term commitment plan</h2>").unwrap();
    let end = page[start..].find("</div>").unwrap() + start;
    format!("{}{}", &page[..start], &page[end..])
}

#[test]
fn clip_update_reanchors_every_highlight_and_keeps_orphans() {
    let version = Arc::new(AtomicUsize::new(1));
    let served = version.clone();
    let server = Server::start(move |path| {
        (path == PATH).then(|| {
            let body = if served.load(Ordering::SeqCst) == 1 {
                std::fs::read_to_string(reference_page()).unwrap()
            } else {
                edited_page()
            };
            Reply::Body(200, Some("text/html; charset=utf-8"), body.into_bytes())
        })
    });
    let (_dir, lib) = temp_library();
    let fetch = FetchConfig { static_hosts: Some(vec![(HOST.to_owned(), server.addr)]), ..FetchConfig::default() };
    let options = AddOptions { fetch, ..AddOptions::default() };
    let url = server.url(HOST, PATH);
    let id = lib.add(&quire::AddSource::Url(url.to_string()), &options).unwrap().id;
    let ids: Vec<i64> = reference_quotes()
        .into_iter()
        .map(|q| {
            let target = HighlightTarget::Quote { exact: q.exact, prefix: None, suffix: None, occurrence: None };
            lib.add_highlight(&NewHighlight { article_id: id, target, color: q.color, note: q.note, tags: q.tags })
                .unwrap()
                .id
        })
        .collect();
    lib.set_status(id, Status::Read).unwrap();
    lib.tag_article(id, &["Europe/Baltics".into()]).unwrap();

    // Without --update, the changed page is reported as the same article and nothing moves.
    version.store(2, Ordering::SeqCst);
    let plain = lib.add(&quire::AddSource::Url(url.to_string()), &options).unwrap();
    assert_eq!((plain.id, plain.created, plain.reanchored.is_none()), (id, false, true));

    let update = AddOptions { update: true, ..options.clone() };
    let outcome = lib.add(&quire::AddSource::Url(url.to_string()), &update).unwrap();
    let report = outcome.reanchored.expect("a re-anchoring report");
    assert!(report.text_changed);
    assert_eq!((report.exact, report.moved, report.fuzzy, report.orphaned), (0, 2, 1, 1), "{report:#?}");
    let kinds: Vec<(i64, AnchorKind)> = report.highlights.iter().map(|h| (h.id, h.anchor)).collect();
    assert_eq!(kinds[0], (ids[0], AnchorKind::Moved));
    assert!(
        matches!(kinds[1], (i, AnchorKind::Fuzzy { distance }) if i == ids[1] && distance > 0 && distance < 15),
        "{kinds:?}"
    );
    assert_eq!(kinds[2], (ids[2], AnchorKind::Moved));
    assert_eq!(kinds[3], (ids[3], AnchorKind::Orphan));

    // Every anchored highlight sits on its (new) quote; the fuzzy one covers the edited words.
    let view = lib.article(id).unwrap();
    let text: Vec<char> = lib.canonical_text(id).unwrap().chars().collect();
    for h in view.highlights.iter().filter(|h| h.anchor != AnchorKind::Orphan) {
        let slice: String = text[h.position.start..h.position.end].iter().collect();
        assert_eq!(slice, h.quote.exact);
    }
    let fuzzy = lib.highlight(ids[1]).unwrap();
    assert!(fuzzy.quote.exact.starts_with("I am confident that Ukraine will become a member of NATO"), "{fuzzy:?}");
    assert!(fuzzy.quote.exact.contains("once the war is over"), "{fuzzy:?}");
    assert_eq!(fuzzy.note, "Zelensky ties accession to the end of the war.");

    // Nothing is dropped: the orphan keeps its quote, note and tags, and is listed.
    let orphans = lib.highlights(&HighlightFilter { orphans: true, ..Default::default() }).unwrap();
    assert_eq!(orphans.len(), 1);
    let orphan = &orphans[0].highlight;
    assert_eq!(orphan.quote.exact, "undermine Russia’s security and make Europe much more dangerous for years.");
    assert_eq!(
        (orphan.note.as_str(), orphan.tags.clone()),
        ("Kremlin reaction to the G7 plan.", vec!["Kremlin".to_owned()])
    );
    // The article keeps its status and tags; its old text is kept as a version.
    assert_eq!(view.summary.status, Status::Read);
    assert_eq!(view.summary.tags, ["Europe/Baltics"]);
    let versions: i64 = rusqlite::Connection::open(lib.path())
        .unwrap()
        .query_row("SELECT count(*) FROM article_versions WHERE article_id = ?", [id], |r| r.get(0))
        .unwrap();
    assert_eq!(versions, 1);
    // Search follows the new text of the fuzzy quote.
    assert_eq!(lib.search("\"once the war is over\"", 5).unwrap()[0].highlights[0].id, ids[1]);

    // Re-attach the orphan to a new selection: note and tags stay.
    let reattached = lib
        .reattach_highlight(
            ids[3],
            &HighlightTarget::Quote { exact: "cluster munitions".into(), prefix: None, suffix: None, occurrence: None },
        )
        .unwrap();
    assert_eq!((reattached.anchor, reattached.note.as_str()), (AnchorKind::Exact, "Kremlin reaction to the G7 plan."));
    assert!(lib.highlights(&HighlightFilter { orphans: true, ..Default::default() }).unwrap().is_empty());

    // Clipping the same text again changes nothing.
    let again = lib.add(&quire::AddSource::Url(url.to_string()), &update).unwrap().reanchored.unwrap();
    assert!(!again.text_changed);
    assert_eq!(again.exact, 4);
}

#[test]
fn reextract_uses_the_kept_page_and_refuses_text_articles() {
    let (_dir, lib) = temp_library();
    let html = lib.add(&quire::AddSource::Path(reference_page().to_owned()), &AddOptions::default()).unwrap().id;
    let target =
        HighlightTarget::Quote { exact: "cluster munitions".into(), prefix: None, suffix: None, occurrence: None };
    lib.add_highlight(&NewHighlight {
        article_id: html,
        target,
        color: quire::Color::Pink,
        note: "n".into(),
        tags: vec![],
    })
    .unwrap();
    let report = lib.reextract(html).unwrap().reanchored.unwrap();
    assert!(!report.text_changed);
    assert_eq!((report.exact, report.orphaned), (1, 0));
    let text = lib.add(&quire::AddSource::Path(data("article.txt").to_owned()), &AddOptions::default()).unwrap().id;
    let err = lib.reextract(text).unwrap_err();
    assert_eq!(err.kind(), quire::ErrorKind::InvalidInput);
    assert!(err.to_string().contains("no original page"), "{err}");
    assert_eq!(lib.reextract(999).unwrap_err().kind(), quire::ErrorKind::NotFound);
}
