//! W3C Web Annotation export: the collection's exact output, its shape against the model's
//! requirements, reading it back field by field, and reading other producers' shapes.

#[path = "data/cite/fixture.rs"]
mod fixture;

use expect_test::expect_file;
use quire_doc::Color;
use quire_export::w3c::{self, Annotation};
use quire_export::Error;
use serde_json::Value;

#[test]
fn collection_snapshot() {
    let json = w3c::collection(&fixture::all(), "Quire export").unwrap();
    expect_file!["data/w3c/collection.jsonld"].assert_eq(&format!("{json}\n"));
}

#[test]
fn empty_collection() {
    let json = w3c::collection(&[], "nothing").unwrap();
    let v: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["total"], 0);
    assert_eq!(v["first"]["items"], Value::Array(Vec::new()));
    assert!(w3c::read(&json).unwrap().is_empty());
}

fn str_or_list_has(v: &Value, s: &str) -> bool {
    match v {
        Value::String(x) => x == s,
        Value::Array(xs) => xs.iter().any(|x| x == s),
        _ => false,
    }
}

fn is_rfc3339(v: &Value) -> bool {
    v.as_str().is_some_and(|s| time::OffsetDateTime::parse(s, &time::format_description::well_known::Rfc3339).is_ok())
}

/// The requirements of the Web Annotation Data Model (W3C Recommendation, 2017) for the
/// shapes used: collection, page, annotation, textual bodies, specific resource, selectors.
#[test]
fn collection_has_the_model_shape() {
    let articles = fixture::all();
    let json = w3c::collection(&articles, "Ukraine & NATO / 2023").unwrap();
    let c: Value = serde_json::from_str(&json).unwrap();

    // Collection: @context, an IRI id, type AnnotationCollection, total, first.
    assert_eq!(c["@context"], "http://www.w3.org/ns/anno.jsonld");
    assert!(str_or_list_has(&c["type"], "AnnotationCollection"));
    let id = c["id"].as_str().unwrap();
    assert!(url::Url::parse(id).is_ok(), "{id}");
    assert!(!id.contains(' ') && !id.contains('&'), "label is percent-encoded: {id}");
    assert_eq!(c["label"], "Ukraine & NATO / 2023");
    let total = articles.iter().map(|a| a.highlights.len()).sum::<usize>();
    assert_eq!(c["total"].as_u64(), Some(total as u64));

    // One embedded page holding everything.
    let page = &c["first"];
    assert!(page.is_object());
    assert!(str_or_list_has(&page["type"], "AnnotationPage"));
    assert!(url::Url::parse(page["id"].as_str().unwrap()).is_ok());
    assert_eq!(page["startIndex"], 0);
    assert!(page.get("next").is_none());
    let items = page["items"].as_array().unwrap();
    assert_eq!(items.len(), total);

    let mut ids = std::collections::HashSet::new();
    for a in items {
        let id = a["id"].as_str().unwrap();
        assert!(id.starts_with("quire://highlight/"), "{id}");
        assert!(ids.insert(id.to_owned()), "ids are unique");
        assert!(str_or_list_has(&a["type"], "Annotation"));
        let motivation = a["motivation"].as_str().unwrap();
        assert!(["highlighting", "commenting"].contains(&motivation));
        assert!(is_rfc3339(&a["created"]), "{}", a["created"]);
        assert!(is_rfc3339(&a["modified"]), "{}", a["modified"]);

        let bodies = a.get("body").map(|b| b.as_array().unwrap().clone()).unwrap_or_default();
        let comments = bodies.iter().filter(|b| b["purpose"] == "commenting").count();
        assert_eq!(comments > 0, motivation == "commenting", "{a}");
        for b in &bodies {
            assert_eq!(b["type"], "TextualBody");
            assert!(b["value"].is_string());
            assert!(["commenting", "tagging"].contains(&b["purpose"].as_str().unwrap()));
            if b["purpose"] == "commenting" {
                assert_eq!(b["format"], "text/plain");
            }
        }

        let t = &a["target"];
        assert_eq!(t["type"], "SpecificResource");
        let source = t["source"].as_str().unwrap();
        assert!(url::Url::parse(source).is_ok(), "{source}");
        assert!(t["styleClass"].as_str().unwrap().starts_with("quire-"));
        let selectors = t["selector"].as_array().unwrap();
        assert_eq!(selectors.len(), 2);
        let q = &selectors[0];
        assert_eq!(q["type"], "TextQuoteSelector");
        for k in ["exact", "prefix", "suffix"] {
            assert!(q[k].is_string(), "{k}");
        }
        let p = &selectors[1];
        assert_eq!(p["type"], "TextPositionSelector");
        let (start, end) = (p["start"].as_u64().unwrap(), p["end"].as_u64().unwrap());
        assert!(start <= end);
    }

    // Positions are scalar values of the canonical text: they slice out the quote (orphans
    // keep the selectors they last had, so only anchored highlights are checked).
    for article in &articles {
        let text: Vec<char> = article.document.canonical_text().chars().collect();
        for h in article.highlights.iter().filter(|h| !h.orphan) {
            let item = items.iter().find(|a| a["id"] == quire_export::highlight_link(h.id)).unwrap();
            let p = &item["target"]["selector"][1];
            let (s, e) = (p["start"].as_u64().unwrap() as usize, p["end"].as_u64().unwrap() as usize);
            assert_eq!(text[s..e].iter().collect::<String>(), h.exact);
        }
    }
}

#[test]
fn orphans_and_articles_without_address() {
    let json = w3c::collection(&fixture::all(), "x").unwrap();
    let read = w3c::read(&json).unwrap();
    assert!(read.iter().any(|a| a.exact == "a passage that was edited away"));
    let page = read.iter().find(|a| a.exact == "charged monthly").unwrap();
    assert_eq!(page.source, "quire://article/3");
}

#[test]
fn round_trip_gives_back_every_field() {
    let articles = fixture::all();
    let json = w3c::collection(&articles, "round trip").unwrap();
    let read = w3c::read(&json).unwrap();
    let expected: Vec<Annotation> = articles
        .iter()
        .flat_map(|a| {
            a.highlights.iter().map(move |h| Annotation {
                source: a.url.clone().unwrap_or_else(|| quire_export::article_link(a.id)),
                exact: h.exact.clone(),
                prefix: h.prefix.clone(),
                suffix: h.suffix.clone(),
                start: Some(h.start),
                end: Some(h.end),
                note: h.note.clone(),
                tags: h.tags.clone(),
                color: Some(h.color),
                created: Some(h.created.clone()),
                modified: Some(h.updated.clone()),
            })
        })
        .collect();
    assert_eq!(read, expected);
    // Every color survives.
    for &color in Color::ALL {
        let mut a = fixture::page();
        a.highlights[0].color = color;
        let back = w3c::read(&w3c::collection(&[a], "c").unwrap()).unwrap();
        assert_eq!(back[0].color, Some(color));
    }
}

#[test]
fn reads_a_page_an_array_and_one_annotation() {
    let json = w3c::collection(&[fixture::nato()], "n").unwrap();
    let c: Value = serde_json::from_str(&json).unwrap();
    let all = w3c::read(&json).unwrap();
    assert_eq!(all.len(), 4);
    assert_eq!(w3c::read(&c["first"].to_string()).unwrap(), all);
    assert_eq!(w3c::read(&c["first"]["items"].to_string()).unwrap(), all);
    assert_eq!(w3c::read(&c["first"]["items"][1].to_string()).unwrap(), vec![all[1].clone()]);
}

#[test]
fn reads_other_producers_shapes() {
    let json = r#"{
      "@context": "http://www.w3.org/ns/anno.jsonld",
      "type": "AnnotationCollection",
      "first": {
        "type": "AnnotationPage",
        "items": [
          {
            "type": "Annotation",
            "body": {"type": "TextualBody", "value": "single body object"},
            "target": {
              "source": {"id": "https://example.org/a"},
              "selector": {"type": "TextQuoteSelector", "exact": "quoted"}
            }
          },
          {
            "type": ["Annotation"],
            "body": "a note given as a bare string",
            "bodyValue": "and a bodyValue",
            "target": [
              "https://example.org/only-an-iri",
              {"source": "https://example.org/b", "selector": [
                {"type": "FragmentSelector", "value": "p1"},
                {"type": "TextQuoteSelector", "exact": "second", "prefix": "the ", "suffix": " one"},
                {"type": "TextPositionSelector", "start": 4, "end": 10}
              ], "styleClass": ["other", "quire-green"]}
            ]
          },
          {"type": "Annotation", "body": "https://example.org/body-iri",
           "target": {"source": "https://example.org/c",
             "selector": {"type": "TextQuoteSelector", "exact": "third"}}},
          {"type": "Annotation", "body": {"value": "no quote"}, "target": "https://example.org/plain-iri"},
          {"type": "Annotation", "target": {"source": "https://example.org/d",
            "selector": {"type": "TextPositionSelector", "start": 1, "end": 2}}},
          {"type": "oa:Annotation", "body": [{"purpose": ["tagging"], "value": "t1"},
            {"purpose": "oa:tagging", "value": "t2"}, {"purpose": "describing", "value": "desc"}],
           "target": {"source": "https://example.org/e",
             "selector": {"type": "TextQuoteSelector", "exact": "fifth"},
             "styleClass": "quire-mauve"},
           "created": "2020-01-01T00:00:00Z"},
          42, null, "junk"
        ],
        "next": {"type": "AnnotationPage", "items": [
          {"type": "Annotation", "target": {"source": "https://example.org/f",
            "selector": {"type": "TextQuoteSelector", "exact": "from the next page"}}}
        ]}
      }
    }"#;
    let read = w3c::read(json).unwrap();
    let exacts: Vec<&str> = read.iter().map(|a| a.exact.as_str()).collect();
    assert_eq!(exacts, ["quoted", "second", "third", "fifth", "from the next page"]);

    assert_eq!(read[0].source, "https://example.org/a");
    assert_eq!(read[0].note, "single body object");
    assert_eq!((read[0].start, read[0].color), (None, None));

    let b = &read[1];
    assert_eq!(b.source, "https://example.org/b");
    assert_eq!((b.prefix.as_str(), b.suffix.as_str()), ("the ", " one"));
    assert_eq!((b.start, b.end), (Some(4), Some(10)));
    assert_eq!(b.note, "and a bodyValue\n\na note given as a bare string");
    assert_eq!(b.color, Some(Color::Green));

    assert_eq!(read[2].note, "", "an IRI body is not a note");
    let e = &read[3];
    assert_eq!(e.tags, ["t1", "t2"]);
    assert_eq!(e.note, "desc");
    assert_eq!(e.color, None, "quire-mauve is not in the palette");
    assert_eq!(e.created.as_deref(), Some("2020-01-01T00:00:00Z"));
}

#[test]
fn bad_input_is_an_error_never_a_panic() {
    for bad in [
        "",
        "not json",
        "{",
        "42",
        "\"string\"",
        "null",
        "{}",
        r#"{"type": "Something"}"#,
        r#"{"type": "AnnotationCollection", "first": "https://example.org/page1"}"#,
    ] {
        assert!(matches!(w3c::read(bad), Err(Error::NotAnnotations(_))), "{bad:?} → {:?}", w3c::read(bad));
    }
    // Structurally odd but valid: nothing to read, no error.
    for odd in [
        "[]",
        "[1, [2], {}]",
        r#"{"type": "AnnotationPage", "items": 7}"#,
        r#"{"type": "AnnotationCollection"}"#,
        r#"[{"type": "Annotation", "target": {"selector": {"type": "TextQuoteSelector", "exact": 5}}}]"#,
        r#"[{"type": "Annotation", "target": {"selector": [{"type": "TextPositionSelector", "start": -1, "end": 1e99}]}}]"#,
    ] {
        assert_eq!(w3c::read(odd).unwrap(), Vec::new(), "{odd}");
    }
    let negative = r#"[{"type": "Annotation", "target": {"source": 5, "selector": [
        {"type": "TextQuoteSelector", "exact": "x"},
        {"type": "TextPositionSelector", "start": -1, "end": 1.5}]}}]"#;
    let read = w3c::read(negative).unwrap();
    assert_eq!((read[0].start, read[0].end, read[0].source.as_str()), (None, None, ""));
}
