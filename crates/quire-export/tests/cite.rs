//! CSL-JSON, BibLaTeX and formatted citations: exact outputs for the reference articles, byline
//! splitting, LaTeX escaping, key deduplication, and each style's order of author, year, title.

#[path = "data/cite/fixture.rs"]
mod fixture;

use expect_test::expect_file;
use quire_export::cite::{self, authors, CitationStyle, Kind, Name};
use quire_export::Error;
use serde_json::Value;

#[test]
fn csl_json_snapshot() {
    let json = cite::csl_json(&fixture::all()).unwrap();
    expect_file!["data/cite/articles.csl.json"].assert_eq(&format!("{json}\n"));
}

#[test]
fn bibtex_snapshot() {
    expect_file!["data/cite/articles.bib"].assert_eq(&cite::bibtex(&fixture::all()));
}

#[test]
fn formatted_snapshot() {
    let mut out = String::new();
    for a in fixture::all() {
        for &style in CitationStyle::ALL {
            out.push_str(&format!("{style} {}: {}\n", a.id, cite::format(&a, style).unwrap()));
        }
    }
    let nato = fixture::nato();
    let quote = &nato.highlights[0].exact;
    out.push_str(&cite::quote_with_citation(quote, &nato, CitationStyle::Apa).unwrap());
    out.push('\n');
    expect_file!["data/cite/formatted.txt"].assert_eq(&out);
}

/// Only fields of the CSL 1.0.2 schema, with the schema's types.
#[test]
fn csl_json_uses_only_schema_fields() {
    let v: Value = serde_json::from_str(&cite::csl_json(&fixture::all()).unwrap()).unwrap();
    let allowed = ["id", "type", "title", "author", "container-title", "URL", "issued", "accessed", "language"];
    let items = v.as_array().unwrap();
    assert_eq!(items.len(), 3);
    for item in items {
        for (k, val) in item.as_object().unwrap() {
            assert!(allowed.contains(&k.as_str()), "{k}");
            match k.as_str() {
                "author" => {
                    for name in val.as_array().unwrap() {
                        let keys: Vec<&String> = name.as_object().unwrap().keys().collect();
                        assert!(keys == ["family", "given"] || keys == ["literal"], "{name}");
                    }
                }
                "issued" | "accessed" => {
                    let parts = val["date-parts"][0].as_array().unwrap();
                    assert!((1..=3).contains(&parts.len()));
                    assert!(parts.iter().all(Value::is_i64));
                }
                _ => assert!(val.is_string(), "{k}"),
            }
        }
    }
    let types: Vec<&str> = items.iter().map(|i| i["type"].as_str().unwrap()).collect();
    assert_eq!(types, ["article-newspaper", "post-weblog", "webpage"]);
    assert_eq!(items[0]["id"], "quire-1");
    assert_eq!(items[0]["issued"]["date-parts"], serde_json::json!([[2023, 7, 12]]));
    assert_eq!(items[0]["accessed"]["date-parts"], serde_json::json!([[2023, 7, 13]]));
}

#[test]
fn kinds() {
    let mut a = fixture::page();
    assert_eq!(Kind::of(&a), Kind::Webpage);
    a.site = Some("Example News".into());
    assert_eq!(Kind::of(&a), Kind::Webpage, "a site without a date is a page");
    a.published = Some("2021-03".into());
    assert_eq!(Kind::of(&a), Kind::NewspaperArticle);
    a.url = Some("https://blog.example.com/post".into());
    assert_eq!(Kind::of(&a), Kind::BlogPost, "host says blog");
    a.url = Some("https://example.com/Blog/post".into());
    assert_eq!(Kind::of(&a), Kind::BlogPost, "path says blog");
    a.url = Some("https://example.com/blogroll".into());
    assert_eq!(Kind::of(&a), Kind::NewspaperArticle, "only a /blog/ segment counts");
    a.site = Some("The Morning Blog".into());
    assert_eq!(Kind::of(&a), Kind::BlogPost, "site says blog");
}

fn p(family: &str, given: &str) -> Name {
    Name::Person { family: family.into(), given: given.into() }
}

fn lit(s: &str) -> Name {
    Name::Literal(s.into())
}

#[test]
fn bylines_are_split_into_people() {
    let cases: &[(&str, Vec<Name>)] = &[
        ("Ana Example", vec![p("Example", "Ana")]),
        ("By Ana Example", vec![p("Example", "Ana")]),
        ("by  Ana   Example.", vec![p("Example", "Ana")]),
        ("Ana Example and Jon Doe", vec![p("Example", "Ana"), p("Doe", "Jon")]),
        ("Ana Example & Jon Doe", vec![p("Example", "Ana"), p("Doe", "Jon")]),
        ("Ana Example, Jon Doe and Mary Jane Roe", vec![p("Example", "Ana"), p("Doe", "Jon"), p("Roe", "Mary Jane")]),
        ("Ana Example, Jon Doe, and Mary Roe", vec![p("Example", "Ana"), p("Doe", "Jon"), p("Roe", "Mary")]),
        ("Ana Example; Jon Doe", vec![p("Example", "Ana"), p("Doe", "Jon")]),
        ("Doe, Jane", vec![p("Doe", "Jane")]),
        ("Ludwig van Beethoven", vec![p("van Beethoven", "Ludwig")]),
        ("Zoë Brontë-Müller", vec![p("Brontë-Müller", "Zoë")]),
        ("Madonna", vec![lit("Madonna")]),
        ("Reuters", vec![lit("Reuters")]),
        ("Reuters Staff", vec![lit("Reuters Staff")]),
        ("The Associated Press", vec![lit("The Associated Press")]),
        ("BBC News", vec![lit("BBC News")]),
        ("Ana Example and Reuters Staff", vec![p("Example", "Ana"), lit("Reuters Staff")]),
        ("", vec![]),
        ("   ", vec![]),
        ("By", vec![]),
        ("Reuters, AP", vec![lit("Reuters"), lit("AP")]),
        ("by ", vec![]),
        (",,, and ;", vec![]),
    ];
    for (byline, expected) in cases {
        assert_eq!(&authors(byline), expected, "{byline:?}");
    }
}

#[test]
fn latex_specials_are_escaped_and_utf8_kept() {
    assert_eq!(
        cite::latex_escape(r"{a} 100% & $5 #1 snake_case x^2 ~home \path"),
        r"\{a\} 100\% \& \$5 \#1 snake\_case x\textasciicircum{}2 \textasciitilde{}home \textbackslash{}path"
    );
    assert_eq!(cite::latex_escape("Zoë — “Müller”\n\tnext"), "Zoë — “Müller” next");

    let mut a = fixture::page();
    a.title = "Fees & charges: 100% of {everything}_explained #1 NATO's Zoë".into();
    a.author = Some("Jürgen O'Neil & Co_op Team".into());
    a.url = Some("https://example.com/a_b?x=1&y=%20#frag".into());
    let bib = cite::bibtex(&[a]);
    assert!(
        bib.contains(r"title        = {Fees \& charges: 100\% of \{everything\}\_explained \#1 {NATO's} {Zoë}},"),
        "{bib}"
    );
    assert!(bib.contains(r"author       = {O'Neil, Jürgen and {Co\_op Team}},"), "{bib}");
    // A URL is a verbatim field: left as it is.
    assert!(bib.contains("url          = {https://example.com/a_b?x=1&y=%20#frag},"), "{bib}");
    assert!(bib.starts_with("@online{oneilfees,"), "{bib}");
}

#[test]
fn keys_are_stable_and_unique() {
    let nato = fixture::nato();
    let bib = cite::bibtex(&[nato.clone(), nato.clone(), nato.clone(), fixture::blog()]);
    let keys: Vec<&str> = bib
        .lines()
        .filter(|l| l.starts_with('@'))
        .map(|l| l.split_once('{').unwrap().1.trim_end_matches(','))
        .collect();
    assert_eq!(keys, ["kovalenko2023ukraine", "kovalenko2023ukraineb", "kovalenko2023ukrainec", "brontemuller2024why"]);
    assert_eq!(bib, cite::bibtex(&[nato.clone(), nato.clone(), nato, fixture::blog()]));

    // No author, no date, a title of stopwords and symbols only.
    let mut a = fixture::page();
    a.title = "The — ?".into();
    assert!(cite::bibtex(&[a]).starts_with("@online{anon,"));
}

fn position(haystack: &str, needle: &str) -> usize {
    haystack.to_lowercase().find(&needle.to_lowercase()).unwrap_or_else(|| panic!("{needle:?} is not in {haystack:?}"))
}

#[test]
fn each_style_puts_author_year_and_title_in_its_order() {
    for a in [fixture::nato(), fixture::blog()] {
        let family = cite::authors(a.author.as_deref().unwrap())[0].family().to_owned();
        let year = &a.published.as_deref().unwrap()[..4];
        for &style in CitationStyle::ALL {
            let c = cite::format(&a, style).unwrap();
            let (f, y, t) = (position(&c, &family), position(&c, year), position(&c, &a.title));
            assert_eq!(f, 0, "{style}: {c}");
            match style {
                // Author (Year). Title.
                CitationStyle::Apa | CitationStyle::Chicago | CitationStyle::Harvard => {
                    assert!(f < y && y < t, "{style}: {c}")
                }
                // Author. "Title." Container, Day Month Year.
                CitationStyle::Mla => assert!(f < t && t < y, "{style}: {c}"),
            }
        }
    }
}

#[test]
fn styles_by_name() {
    for (name, style) in [
        ("apa", CitationStyle::Apa),
        ("APA", CitationStyle::Apa),
        (" chicago ", CitationStyle::Chicago),
        ("mla", CitationStyle::Mla),
        ("Harvard", CitationStyle::Harvard),
    ] {
        assert_eq!(name.parse::<CitationStyle>().unwrap(), style);
    }
    for bad in ["", "ieee", "chicago-notes", "apa7"] {
        match bad.parse::<CitationStyle>() {
            Err(Error::UnknownStyle(s)) => assert_eq!(s, bad),
            other => panic!("{bad:?}: {other:?}"),
        }
    }
    for &style in CitationStyle::ALL {
        assert_eq!(style.to_string().parse::<CitationStyle>().unwrap(), style);
    }
}

#[test]
fn quote_with_citation_is_ready_to_paste() {
    let a = fixture::nato();
    let q = cite::quote_with_citation("  I look forward\n to the day ", &a, CitationStyle::Mla).unwrap();
    assert_eq!(q, format!("\"I look forward to the day\" — {}", cite::format(&a, CitationStyle::Mla).unwrap()));
}

#[test]
fn dates_in_their_stored_forms() {
    assert_eq!(cite::date(Some("2023-07-12T14:05:00Z")), Some((2023, Some(7), Some(12))));
    assert_eq!(cite::date(Some("2023-07-12")), Some((2023, Some(7), Some(12))));
    assert_eq!(cite::date(Some("2023-07")), Some((2023, Some(7), None)));
    assert_eq!(cite::date(Some("2023")), Some((2023, None, None)));
    assert_eq!(cite::date(Some("2023-13-01")), Some((2023, None, None)));
    assert_eq!(cite::date(Some("2023-02-45")), Some((2023, Some(2), None)));
    for bad in [None, Some(""), Some("July 2023"), Some("23-07-12"), Some("２０２３")] {
        assert_eq!(cite::date(bad), None, "{bad:?}");
    }
}

/// Odd metadata gives output, never a panic.
#[test]
fn odd_articles_never_panic() {
    let odd = [
        ("", "", "", "", ""),
        ("   ", "and and", "not a url", "yesterday", "garbage"),
        ("Ω", "By", "https://", "0000-00-00", "9999-99-99T99:99:99Z"),
        ("{}\\%", "A, B, C, D, E, F, G", "mailto:x@example.com", "-2023", "2023-1-1"),
        ("\"unbalanced «quote <b>bold</b> 🦀", "O'Brien, Conan", "https://[::1]:80/?q=\"", "2023-07-12junk", "2023-07"),
    ];
    for (title, author, url, published, clipped) in odd {
        let mut a = fixture::page();
        a.title = title.into();
        a.author = Some(author.into());
        a.url = Some(url.into());
        a.site = Some(String::new());
        a.published = Some(published.into());
        a.clipped = clipped.into();
        a.language = Some("-".into());
        cite::csl_json(std::slice::from_ref(&a)).unwrap();
        let _ = cite::bibtex(std::slice::from_ref(&a));
        for &style in CitationStyle::ALL {
            cite::format(&a, style).unwrap();
        }
    }
}
