//! A book (or any source without a page) as a Quire document: its highlighted passages in
//! reading order, each after a line with its location, so every highlight anchors exactly on
//! its passage and the article reads like the reader's own notebook of the book.

use quire_doc::{BlockKind, Document, DocumentBuilder, Marks};

use crate::Passage;

/// The document of a book's passages: for each, its label (emphasized, on its own line) when it
/// has one, then its text as a quotation.
pub fn passages_document(passages: &[Passage]) -> Document {
    let mut doc = DocumentBuilder::new();
    for passage in passages {
        if let Some(label) = passage.label.as_deref().filter(|l| !l.trim().is_empty()) {
            doc.start_block(BlockKind::Paragraph);
            doc.push_text(label, Marks { emphasis: true, ..Marks::default() });
        }
        // A passage with paragraphs keeps them: one quote block each.
        for part in passage.text.split("\n\n").filter(|p| !p.trim().is_empty()) {
            doc.push_block(BlockKind::Quote, part);
        }
    }
    doc.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_then_passages_and_every_passage_is_in_the_text() {
        let passages = vec![
            Passage {
                label: Some("Location 120–125".into()),
                text: "It was a bright cold day in April,\nand the clocks were striking thirteen.".into(),
            },
            Passage { label: None, text: "Second passage.\n\nWith a second paragraph.".into() },
            Passage { label: Some("  ".into()), text: "   ".into() },
        ];
        let doc = passages_document(&passages);
        assert_eq!(
            doc.canonical_text(),
            "Location 120–125\n\nIt was a bright cold day in April, and the clocks were striking thirteen.\n\nSecond passage.\n\nWith a second paragraph."
        );
        assert!(doc.blocks[0].spans[0].marks.emphasis);
        assert!(matches!(doc.blocks[1].kind, BlockKind::Quote));
        assert_eq!(doc.blocks.len(), 4);
    }
}
