use quire::{Color, HighlightEdit, HighlightFilter, HighlightTarget, NewHighlight};
use quire_tests::{add_reference_article, REFERENCE_TITLE};

use crate::{add_text, temp_library};

fn quote(article_id: i64, exact: &str) -> NewHighlight {
    NewHighlight {
        article_id,
        target: HighlightTarget::Quote { exact: exact.into(), prefix: None, suffix: None, occurrence: None },
        color: Color::Yellow,
        note: String::new(),
        tags: Vec::new(),
    }
}

/// Each case: (what to highlight) → Ok(highlighted text) or Err(error message).
#[test]
fn creating_by_quote_data_driven() {
    let (_dir, lib) = temp_library();
    let id = add_text(&lib, "Title\n\nNATO met. Then NATO said “NATO”.\n\nУкраїна 🇺🇦 і NATO.");
    let target =
        |exact: &str, prefix: Option<&str>, suffix: Option<&str>, occurrence: Option<usize>| HighlightTarget::Quote {
            exact: exact.into(),
            prefix: prefix.map(Into::into),
            suffix: suffix.map(Into::into),
            occurrence,
        };
    let cases: Vec<(HighlightTarget, Result<&str, String>)> = vec![
        (target("Україна 🇺🇦", None, None, None), Ok("Україна 🇺🇦")),
        (target("NATO", None, None, Some(3)), Ok("NATO")),
        (target("NATO", Some("“"), None, None), Ok("NATO")),
        (target("NATO", None, Some(" said"), None), Ok("NATO")),
        (target("met. Then", None, None, None), Ok("met. Then")),
        (target("Then NATO said “NATO”.\n\nУкраїна", None, None, None), Ok("Then NATO said “NATO”.\n\nУкраїна")),
        (target("NATO", None, None, None), Err(format!("the quote occurs 4 times in article {id}; choose one occurrence or give the words just before or after it: 1. at 0: [NATO] met. Then NATO said…; 2. at 15: NATO met. Then [NATO] said “NATO”.  Украї…; 3. at 26: …et. Then NATO said “[NATO]”.  Україна 🇺🇦 і NAT…; 4. at 47: …ATO”.  Україна 🇺🇦 і [NATO]."))),
        (target("NATO", None, None, Some(5)), Err(format!("cannot highlight in article {id}: occurrence 5 does not exist: the quote occurs 4 time(s)"))),
        (target("Finland", None, None, None), Err(format!("quote not found in article {id}: copy the exact text from the article"))),
        (target("NATO", Some("nowhere "), None, None), Err(format!("quote not found in article {id}: copy the exact text from the article"))),
        (target("", None, None, None), Err(format!("cannot highlight in article {id}: the quote is empty: select some text to highlight"))),
        (target(" \n\t ", None, None, None), Err(format!("cannot highlight in article {id}: the quote is empty: select some text to highlight"))),
        (HighlightTarget::Range { start: 0, end: 4 }, Ok("NATO")),
        (HighlightTarget::Range { start: 4, end: 4 }, Err(format!("cannot highlight in article {id}: range 4..4 is not inside the article text of 52 characters"))),
        (HighlightTarget::Range { start: 40, end: 99 }, Err(format!("cannot highlight in article {id}: range 40..99 is not inside the article text of 52 characters"))),
    ];
    let text: Vec<char> = lib.canonical_text(id).unwrap().chars().collect();
    for (target, expected) in cases {
        let new = NewHighlight { target: target.clone(), ..quote(id, "") };
        let got = lib.add_highlight(&new).map(|h| text[h.position.start..h.position.end].iter().collect::<String>());
        assert_eq!(got.map_err(|e| e.to_string()), expected.map(str::to_owned), "{target:?}");
    }
    assert_eq!(lib.add_highlight(&quote(999, "NATO")).unwrap_err().kind(), quire::ErrorKind::NotFound);
}

#[test]
fn overlapping_highlights_edit_and_delete() {
    let (_dir, lib) = temp_library();
    let (id, hs) = add_reference_article(&lib);
    // Overlapping and nested highlights are allowed.
    let outer =
        lib.add_highlight(&quote(id, "I look forward to the day when we meet as allies,” Stoltenberg")).unwrap();
    let inner = lib.add_highlight(&quote(id, "meet as allies")).unwrap();
    assert!(outer.position.start < hs[0].position.end && inner.position.start > hs[0].position.start);
    assert_eq!(lib.article(id).unwrap().highlights.len(), 6);

    let edited = lib
        .update_highlight(
            inner.id,
            &HighlightEdit {
                note: Some("  short  ".into()),
                color: Some(Color::Purple),
                tags: Some(vec!["Allies".into()]),
            },
        )
        .unwrap();
    assert_eq!(
        (edited.note.as_str(), edited.color, edited.tags.clone()),
        ("short", Color::Purple, vec!["Allies".to_owned()])
    );
    assert!(edited.updated_at >= edited.created_at);
    // Only what is given changes.
    let again =
        lib.update_highlight(inner.id, &HighlightEdit { color: Some(Color::Red), ..Default::default() }).unwrap();
    assert_eq!((again.note.as_str(), again.color, again.tags), ("short", Color::Red, vec!["Allies".to_owned()]));
    // A bad tag changes nothing.
    let err = lib.update_highlight(
        inner.id,
        &HighlightEdit { note: Some("lost?".into()), tags: Some(vec!["/".into()]), ..Default::default() },
    );
    assert_eq!(err.unwrap_err().kind(), quire::ErrorKind::InvalidInput);
    assert_eq!(lib.highlight(inner.id).unwrap().note, "short");

    lib.delete_highlight(outer.id).unwrap();
    assert_eq!(lib.highlight(outer.id).unwrap_err().to_string(), format!("highlight {} not found", outer.id));
    assert_eq!(lib.delete_highlight(outer.id).unwrap_err().kind(), quire::ErrorKind::NotFound);
    assert_eq!(lib.article(id).unwrap().highlights.len(), 5);
    assert!("purple".parse::<Color>().is_ok());
    assert_eq!(
        "mauve".parse::<Color>().unwrap_err().to_string(),
        "invalid color \"mauve\": expected one of yellow green blue pink purple red"
    );
}

#[test]
fn topic_view_lists_quotes_with_a_tag_or_sub_tag_across_articles() {
    let (_dir, lib) = temp_library();
    let (first, hs) = add_reference_article(&lib);
    let second = add_text(&lib, "Finland joins\n\nFinland became the 31st member of NATO in April 2023.");
    let finland = lib
        .add_highlight(&NewHighlight {
            tags: vec!["nato ACCESSION / Finland".into()],
            note: "Fast track.".into(),
            ..quote(second, "31st member")
        })
        .unwrap();
    assert_eq!(finland.tags, ["NATO accession/Finland"], "the existing spelling of the parent is kept");
    let topic = lib.highlights(&HighlightFilter { tag: Some("NATO accession".into()), ..Default::default() }).unwrap();
    let ids: Vec<i64> = topic.iter().map(|h| h.highlight.id).collect();
    // Newest first: the Finland quote, then the reference quotes tagged "NATO accession".
    assert_eq!(ids, [finland.id, hs[2].id, hs[1].id, hs[0].id]);
    assert_eq!(topic[1].article_title, REFERENCE_TITLE);
    assert_eq!(topic[0].article_title, "Finland joins");
    let sub =
        lib.highlights(&HighlightFilter { tag: Some("nato accession/finland".into()), ..Default::default() }).unwrap();
    assert_eq!(sub.len(), 1);
    let of_article = lib.highlights(&HighlightFilter { article_id: Some(first), ..Default::default() }).unwrap();
    let starts: Vec<usize> = of_article.iter().map(|h| h.highlight.position.start).collect();
    assert!(starts.windows(2).all(|w| w[0] <= w[1]), "an article's highlights come in text order");
    let err = lib.highlights(&HighlightFilter { tag: Some("Finland".into()), ..Default::default() }).unwrap_err();
    assert_eq!(err.to_string(), "tag \"Finland\" not found");
}
