//! The reference article (`tests/data/article.txt`) and its four highlights
//! (`tests/data/highlights.json`) after a realistic edit by the publisher: a typo in one quote
//! fixed, a paragraph added at the top, the last section ("Long term commitment plan", with the
//! Kremlin's reaction) removed.

use quire_anchor::{AnchorKind, Anchored, Text};

const ARTICLE: &str = include_str!("../../../tests/data/article.txt");
const HIGHLIGHTS: &str = include_str!("../../../tests/data/highlights.json");

/// Paragraphs of the article after its title line.
fn paragraphs() -> Vec<String> {
    let mut blocks: Vec<String> = ARTICLE
        .split("\n\n")
        .map(|b| b.split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|b| !b.is_empty())
        .collect();
    blocks.remove(0); // the title
    blocks
}

fn quotes() -> Vec<String> {
    let v: serde_json::Value = serde_json::from_str(HIGHLIGHTS).expect("highlights.json");
    v.as_array().expect("array").iter().map(|h| h["exact"].as_str().expect("exact").to_owned()).collect()
}

#[test]
fn reference_article_survives_a_realistic_edit() {
    let quotes = quotes();
    assert_eq!(quotes.len(), 4);
    let published = paragraphs();
    // The first version had a typo inside the second quote; the highlight was made on it.
    let typo = |s: &str| s.replace("I am confident that Ukraine", "I am confidant that Ukraine");
    let old_paragraphs: Vec<String> = published.iter().map(|p| typo(p)).collect();
    let old = old_paragraphs.join("\n\n");
    // The update: typo fixed, a paragraph on top, the last section gone.
    let mut new_paragraphs = published.clone();
    let cut = new_paragraphs.iter().position(|p| p == "Long term commitment plan").expect("last section");
    let end = new_paragraphs.iter().position(|p| p == "Leave a Reply").expect("footer");
    new_paragraphs.drain(cut..end);
    new_paragraphs.insert(0, "Update, 13 July: this article was corrected and shortened after publication.".to_owned());
    let new = new_paragraphs.join("\n\n");

    let old_t = Text::new(&old);
    let selectors: Vec<_> = quotes
        .iter()
        .map(|q| {
            let q = typo(q);
            let p = old_t.occurrences(&q);
            assert_eq!(p.len(), 1, "{q}");
            let (quote, pos) = old_t.selectors(p[0].start, p[0].end).expect("selectors");
            (quote, Some(pos))
        })
        .collect();
    let new_t = Text::new(&new);
    let got = new_t.reanchor_all(&selectors);
    let describe = |a: &Anchored| match a.position {
        Some(p) => format!("{:?} {:?}", a.kind, new_t.slice(p.start, p.end)),
        None => format!("{:?}", a.kind),
    };
    let got: Vec<String> = got.iter().map(describe).collect();
    assert_eq!(
        got,
        [
            format!("Moved {:?}", quotes[0]),
            format!("{:?} {:?}", AnchorKind::Fuzzy { distance: 1 }, quotes[1]),
            format!("Moved {:?}", quotes[2]),
            "Orphan".to_owned(),
        ]
    );
    // One at a time gives the same answers as the batch.
    for (i, (q, p)) in selectors.iter().enumerate() {
        assert_eq!(describe(&new_t.reanchor(q, *p)), got[i]);
    }
    // Unchanged text: all four exact.
    let same: Vec<AnchorKind> = old_t.reanchor_all(&selectors).into_iter().map(|a| a.kind).collect();
    assert_eq!(same, [AnchorKind::Exact; 4]);
}
