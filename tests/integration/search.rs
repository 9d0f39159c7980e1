use quire::{Field, Status};
use quire_tests::add_reference_article;

use crate::{add_text, temp_library};

/// Data-driven: query → the articles found (by short name), with where they matched, or the
/// error message.
#[test]
fn search_cases() {
    let (_dir, lib) = temp_library();
    let (vilnius, _) = add_reference_article(&lib);
    let finland =
        add_text(&lib, "Finland joins the alliance\n\nFinland became the 31st member of NATO. Allies welcomed it.");
    let recipes = add_text(&lib, "Borscht\n\nA soup with beets, as cooked in Kyiv. Not about (NATO AND politics).");
    lib.tag_article(finland, &["NATO accession/Finland".into()]).unwrap();
    lib.set_status(recipes, Status::Archived).unwrap();
    lib.set_favorite(finland, true).unwrap();
    let name = |id: i64| match id {
        x if x == vilnius => "vilnius",
        x if x == finland => "finland",
        _ => "recipes",
    };
    let cases: &[(&str, &str)] = &[
        // The article that matches in its text and in a highlighted quote ranks first.
        ("allies", "vilnius[body,quote] finland[body]"),
        ("membership", "vilnius[body,note,quote]"),
        ("Kremlin", "vilnius[body,note]"),
        ("\"cluster munitions\"", "vilnius[body]"),
        ("\"munitions cluster\"", ""),
        ("allian*", "finland[title] vilnius[body]"),
        ("guarantee*", "vilnius[body,quote]"),
        ("tag:\"NATO accession\"", "finland[] vilnius[]"),
        ("tag:\"NATO accession/Finland\" NATO", "finland[body]"),
        ("tag:Kremlin", "vilnius[]"),
        ("allies -Stoltenberg", "finland[body]"),
        ("NATO -\"31st member\"", "vilnius[body,quote,title] recipes[body]"),
        ("is:archived", "recipes[]"),
        ("is:unread NATO", "vilnius[body,quote,title] finland[body]"),
        ("is:favorite", "finland[]"),
        ("has:highlights", "vilnius[]"),
        ("has:notes end", "vilnius[note]"),
        ("site:nowhere", ""),
        ("kyiv borscht", "recipes[body,title]"),
        ("KYIV", "recipes[body]"),
        ("NATO AND (", "vilnius[body,quote,title] recipes[body]"),
        ("(", "error: invalid search query: the query has no words to search for: type a word, a \"phrase\", or a filter such as tag:NAME"),
        ("\"NATO AND (", "error: invalid search query: unclosed quote: add a closing \" to end the phrase, or remove the opening one"),
        ("tag:", "error: invalid search query: tag: needs a value, e.g. tag:\"NATO accession\""),
        ("NEAR(a b) OR x*y^z", ""),
        ("col:body", ""),
    ];
    let mut failures = Vec::new();
    for (query, expected) in cases {
        let got = match lib.search(query, 20) {
            Ok(hits) => hits
                .iter()
                .map(|h| {
                    let mut fields: Vec<&str> = h
                        .matched_in
                        .iter()
                        .map(|f| match f {
                            Field::Title => "title",
                            Field::Byline => "byline",
                            Field::Body => "body",
                            Field::Quote => "quote",
                            Field::Note => "note",
                        })
                        .collect();
                    fields.sort();
                    format!("{}[{}]", name(h.article.id), fields.join(","))
                })
                .collect::<Vec<_>>()
                .join(" "),
            Err(e) => format!("error: {e}"),
        };
        if got != *expected {
            failures.push(format!("{query:?}: expected {expected:?}, got {got:?}"));
        }
    }
    assert!(failures.is_empty(), "\n{}", failures.join("\n"));
}

#[test]
fn hits_in_notes_and_quotes_name_the_highlights_and_snippets_mark_words() {
    let (_dir, lib) = temp_library();
    let (_, hs) = add_reference_article(&lib);
    let hits = lib.search("Kremlin", 10).unwrap();
    assert_eq!(hits.len(), 1);
    let ids: Vec<i64> = hits[0].highlights.iter().map(|h| h.id).collect();
    assert_eq!(ids, [hs[3].id], "the note \"Kremlin reaction…\" matched");
    let marked: Vec<&str> = hits[0].snippet.iter().filter(|p| p.hit).map(|p| p.text.as_str()).collect();
    assert_eq!(marked, ["Kremlin"]);
    // A word only in a note.
    let hits = lib.search("reaction", 10).unwrap();
    assert_eq!(hits[0].matched_in, [Field::Note]);
    assert_eq!(hits[0].highlights[0].note, "Kremlin reaction to the G7 plan.");
    // Editing a note re-indexes it in the same transaction.
    lib.update_highlight(
        hs[3].id,
        &quire::HighlightEdit { note: Some("Moscow's answer".into()), ..Default::default() },
    )
    .unwrap();
    assert!(lib.search("reaction", 10).unwrap().is_empty());
    assert_eq!(lib.search("Moscow", 10).unwrap().len(), 1);
    lib.delete_highlight(hs[3].id).unwrap();
    assert!(lib.search("Moscow", 10).unwrap().is_empty());
}
