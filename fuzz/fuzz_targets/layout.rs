//! A stored layout and text (what a damaged library could hold): never a panic; what decodes
//! has exactly that text and encodes back to a layout that decodes the same.
#![no_main]

use libfuzzer_sys::fuzz_target;
use quire_doc::Document;

fuzz_target!(|data: &[u8]| {
    let split = data.iter().position(|&b| b == 0xfe).unwrap_or(data.len());
    let (layout, rest) = data.split_at(split);
    let text = String::from_utf8_lossy(rest.get(1..).unwrap_or_default());
    if let Ok(doc) = Document::from_layout(layout, &text) {
        assert_eq!(doc.canonical_text(), text);
        assert_eq!(Document::from_layout(&doc.layout(), &text).as_ref(), Ok(&doc));
    }
});
