//! HTML → document: never a panic; the document's offsets index its canonical text, its
//! layout rebuilds it, and every link it keeps is http(s) or mailto.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_clip::{from_html, HtmlOptions};
use quire_doc::Document;

fuzz_target!(|data: &[u8]| {
    let html = String::from_utf8_lossy(data);
    let extracted = from_html(&html, &HtmlOptions { url: Some("https://news.example.org/world/story.html") });
    let doc = &extracted.document;
    let text = doc.canonical_text();
    let chars: Vec<char> = text.chars().collect();
    for block in &doc.blocks {
        assert!(block.start <= block.end && block.end <= chars.len());
        for span in &block.spans {
            let n = span.text.chars().count();
            let at: String = chars[span.start..span.start + n].iter().collect();
            assert_eq!(at, span.text);
            if let Some(link) = &span.marks.link {
                let lower = link.to_ascii_lowercase();
                assert!(
                    lower.starts_with("http://") || lower.starts_with("https://") || lower.starts_with("mailto:"),
                    "a kept link with another scheme: {link}"
                );
            }
        }
    }
    assert_eq!(Document::from_layout(&doc.layout(), &text).as_ref(), Ok(doc));
});
