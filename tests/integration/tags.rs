use quire::TagCount;
use quire_tests::add_reference_article;

use crate::{add_text, temp_library};

fn counts(lib: &quire::Library) -> Vec<String> {
    lib.tags()
        .unwrap()
        .into_iter()
        .map(|TagCount { name, articles, highlights, explicit }| {
            format!(
                "{name}: {articles} articles, {highlights} highlights{}",
                if explicit { "" } else { " (parent only)" }
            )
        })
        .collect()
}

#[test]
fn hierarchy_counts_rename_and_merge() {
    let (_dir, lib) = temp_library();
    let (a, _) = add_reference_article(&lib);
    let b = add_text(&lib, "Finland\n\nFinland joined NATO.");
    let c = add_text(&lib, "Sweden\n\nSweden joined NATO later.");
    lib.tag_article(a, &["Europe/Ukraine".into(), "summits".into()]).unwrap();
    lib.tag_article(b, &["Europe/Finland".into(), "NATO accession/Finland".into()]).unwrap();
    lib.tag_article(c, &["europe/SWEDEN".into(), "Summits".into()]).unwrap();
    expect_test::expect![[r#"
        [
            "Europe: 3 articles, 0 highlights (parent only)",
            "Europe/Finland: 1 articles, 0 highlights",
            "Europe/SWEDEN: 1 articles, 0 highlights",
            "Europe/Ukraine: 1 articles, 0 highlights",
            "Kremlin: 0 articles, 1 highlights",
            "NATO accession: 1 articles, 3 highlights",
            "NATO accession/Finland: 1 articles, 0 highlights",
            "security guarantees: 0 articles, 1 highlights",
            "summits: 2 articles, 0 highlights",
            "Zelensky: 0 articles, 1 highlights",
        ]
    "#]]
    .assert_debug_eq(&counts(&lib));
    // "Europe" has no row of its own: it is there through its children.
    assert!(lib.tags().unwrap().iter().any(|t| t.name == "Europe" && !t.explicit));

    // Rename carries sub-tags along; a taken name is refused (merge instead).
    lib.rename_tag("europe", "Region/Europe").unwrap();
    assert_eq!(lib.article(b).unwrap().summary.tags, ["NATO accession/Finland", "Region/Europe/Finland"]);
    let err = lib.rename_tag("Summits", "Kremlin").unwrap_err();
    assert_eq!(err.to_string(), "tag \"Kremlin\" already exists: merge the two tags instead");
    assert_eq!(lib.rename_tag("nope", "x").unwrap_err().kind(), quire::ErrorKind::NotFound);
    assert_eq!(lib.rename_tag("Region", "Region/Europe/Sub").unwrap_err().kind(), quire::ErrorKind::InvalidInput);
    lib.rename_tag("summits", "Summits").unwrap();
    assert!(counts(&lib).contains(&"Summits: 2 articles, 0 highlights".to_owned()));

    // Merge: everything from "NATO accession" (and its sub-tags) moves to "NATO/Accession".
    lib.tag_article(c, &["NATO/Accession/Finland".into()]).unwrap();
    lib.merge_tags("NATO accession", "NATO/Accession").unwrap();
    expect_test::expect![[r#"
        [
            "Kremlin: 0 articles, 1 highlights",
            "NATO: 2 articles, 3 highlights (parent only)",
            "NATO/Accession: 2 articles, 3 highlights",
            "NATO/Accession/Finland: 2 articles, 0 highlights",
            "Region: 3 articles, 0 highlights (parent only)",
            "Region/Europe: 3 articles, 0 highlights (parent only)",
            "Region/Europe/Finland: 1 articles, 0 highlights",
            "Region/Europe/SWEDEN: 1 articles, 0 highlights",
            "Region/Europe/Ukraine: 1 articles, 0 highlights",
            "security guarantees: 0 articles, 1 highlights",
            "Summits: 2 articles, 0 highlights",
            "Zelensky: 0 articles, 1 highlights",
        ]
    "#]]
    .assert_debug_eq(&counts(&lib));
    let topic = lib.highlights(&quire::HighlightFilter { tag: Some("NATO".into()), ..Default::default() }).unwrap();
    assert_eq!(topic.len(), 3);

    // Untagging the last carrier removes the tag; untagging a tag it lacks is an error.
    lib.untag_article(a, &["region/europe/ukraine".into()]).unwrap();
    assert!(!counts(&lib).iter().any(|c| c.contains("Ukraine")));
    assert_eq!(lib.untag_article(a, &["Kremlin".into()]).unwrap_err().kind(), quire::ErrorKind::NotFound);
    assert_eq!(lib.tag_article(a, &["  /  ".into()]).unwrap_err().kind(), quire::ErrorKind::InvalidInput);
    assert_eq!(lib.tag_article(999, &["x".into()]).unwrap_err().kind(), quire::ErrorKind::NotFound);
}

#[test]
fn tag_filter_on_list_covers_sub_tags_and_highlight_tags() {
    let (_dir, lib) = temp_library();
    let (a, _) = add_reference_article(&lib);
    let b = add_text(&lib, "Finland\n\nFinland joined NATO.");
    lib.tag_article(b, &["NATO accession/Finland".into()]).unwrap();
    let ids = |tag: &str| -> Vec<i64> {
        lib.list_articles(&quire::ArticleFilter { tag: Some(tag.into()), ..Default::default() })
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect()
    };
    assert_eq!(ids("NATO accession"), [b, a]);
    assert_eq!(ids("nato accession/finland"), [b]);
    assert_eq!(ids("Kremlin"), [a]);
    assert_eq!(ids("NATO"), Vec::<i64>::new(), "a prefix of a segment is not a parent");
}

#[test]
fn tags_with_like_wildcards_match_only_themselves_and_their_sub_tags() {
    let (_dir, lib) = temp_library();
    let ids: Vec<i64> = ["One\n\nFirst text.", "Two\n\nSecond text.", "Three\n\nThird text.", "Four\n\nFourth text."]
        .iter()
        .map(|t| add_text(&lib, t))
        .collect();
    for (id, tag) in ids.iter().zip(["100%", "100x", "a_b/sub", "axb"]) {
        lib.tag_article(*id, &[tag.to_owned()]).unwrap();
    }
    let tagged = |tag: &str| -> Vec<i64> {
        let filter = quire::ArticleFilter { tag: Some(tag.to_owned()), ..Default::default() };
        let mut found: Vec<i64> = lib.list_articles(&filter).unwrap().iter().map(|a| a.id).collect();
        found.sort();
        found
    };
    assert_eq!(tagged("100%"), [ids[0]], "% is not a wildcard");
    assert_eq!(tagged("a_b"), [ids[2]], "_ is not a wildcard; the sub-tag counts");
    let names: Vec<String> = lib.tags().unwrap().into_iter().map(|t| t.name).collect();
    assert_eq!(names, ["100%", "100x", "a_b", "a_b/sub", "axb"]);
    lib.rename_tag("a_b", "c").unwrap();
    assert_eq!(lib.article(ids[2]).unwrap().summary.tags, ["c/sub"]);
    assert_eq!(lib.article(ids[3]).unwrap().summary.tags, ["axb"], "renaming a_b leaves axb alone");
}
