//! The highlights of the article being laid out: which are drawn, the numbers of those with
//! a note (set as markers after their text), and the page each first appears on (for the
//! "Annotations" section).

use crate::Highlight;

/// An article's highlights as the layout tracks them.
pub struct Highlights<'a> {
    /// The article's index in the input.
    pub article: usize,
    pub list: &'a [Highlight],
    /// Indexes into `list` in the order of the text: by start, end, id.
    pub order: Vec<usize>,
    /// The note number of each highlight with a note, counted in the order of the text.
    pub note_numbers: Vec<Option<usize>>,
    /// False for a highlight that is empty or ends past the text: never drawn or listed.
    pub valid: Vec<bool>,
    /// The page each highlight's text first appears on, once placed.
    pub first_page: Vec<Option<usize>>,
}

/// A note number set after the last char of a highlight's text.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct NoteMarker {
    /// The canonical offset it comes before (the highlight's end).
    pub end: usize,
    pub number: usize,
}

impl<'a> Highlights<'a> {
    /// An article's highlights on its text of `text_len` chars; those that are empty or end
    /// past the text get no note number and a warning.
    pub fn new(article: usize, list: &'a [Highlight], text_len: usize, warnings: &mut Vec<String>) -> Self {
        let n = list.len();
        let mut order: Vec<usize> = (0..n).collect();
        order.sort_by_key(|&i| (list[i].start, list[i].end, list[i].id));
        let mut note_numbers = vec![None; n];
        let mut valid = vec![true; n];
        let mut k = 0;
        for &i in &order {
            let h = &list[i];
            if h.start >= h.end || h.end > text_len {
                warnings.push(format!("highlight {} is outside the article's text; skipped", h.id));
                valid[i] = false;
                continue;
            }
            if !h.note.trim().is_empty() {
                k += 1;
                note_numbers[i] = Some(k);
            }
        }
        Highlights { article, list, order, note_numbers, valid, first_page: vec![None; n] }
    }

    /// None, for text that is not an article's own (the contents, the "Annotations" section).
    pub fn none() -> Highlights<'static> {
        Highlights {
            article: 0,
            list: &[],
            order: Vec::new(),
            note_numbers: Vec::new(),
            valid: Vec::new(),
            first_page: Vec::new(),
        }
    }

    /// The note markers that go inside `(start, end]`, in the order of the text.
    pub fn note_markers(&self, start: usize, end: usize) -> Vec<NoteMarker> {
        let mut markers: Vec<NoteMarker> = self
            .list
            .iter()
            .zip(&self.note_numbers)
            .filter_map(|(h, n)| n.map(|number| NoteMarker { end: h.end, number }))
            .filter(|m| m.end > start && m.end <= end)
            .collect();
        markers.sort();
        markers
    }

    /// Whether any highlight was placed on a page.
    pub fn any_placed(&self) -> bool {
        self.first_page.iter().any(Option::is_some)
    }
}
