//! Pagination: paragraphs → pages, top to bottom, with widow and orphan control.

use super::emit;
use super::highlights::Highlights;
use super::lines::Paragraph;
use super::Page;

/// The page and the text area on it, in points.
#[derive(Clone, Copy)]
pub struct Frame {
    pub page_w: f32,
    pub page_h: f32,
    /// The text area's left edge and width.
    pub left: f32,
    pub width: f32,
    /// The y of the text area's top and bottom.
    pub top: f32,
    pub bottom: f32,
}

/// How the lines of a paragraph are set: where they start, their leading and their text size.
#[derive(Clone, Copy)]
pub struct LineBox {
    pub x: f32,
    pub lead: f32,
    pub size: f32,
}

impl LineBox {
    /// Distance from the top of a line box to its baseline.
    pub fn baseline_drop(&self) -> f32 {
        (self.lead - self.size) / 2.0 + self.size * 0.8
    }
}

/// Where some lines of a paragraph went: their page and the top and bottom of their boxes.
pub struct Placed {
    pub page: usize,
    pub top: f32,
    pub bottom: f32,
}

/// The pages laid out so far and the place on the last one where the next line goes.
pub struct Flow {
    pub frame: Frame,
    pub pages: Vec<Page>,
    /// The top of the next line box.
    pub y: f32,
    /// Nothing was placed on the last page yet: space above is dropped, and keeping something
    /// together does not leave the page empty.
    pub fresh: bool,
    /// The article that new pages belong to; `None` on the contents.
    pub article: Option<usize>,
}

impl Flow {
    pub fn new(frame: Frame) -> Flow {
        Flow { frame, pages: Vec::new(), y: 0.0, fresh: true, article: None }
    }

    pub fn new_page(&mut self) {
        self.pages.push(Page { article: self.article, ..Page::default() });
        self.y = self.frame.top;
        self.fresh = true;
    }

    pub fn page(&mut self) -> &mut Page {
        self.pages.last_mut().expect("a page exists")
    }

    pub fn page_index(&self) -> usize {
        self.pages.len() - 1
    }

    /// Space above what comes next, except at the top of a page.
    pub fn space(&mut self, h: f32) {
        if !self.fresh {
            self.y -= h;
        }
    }

    /// Whether `h` points from here run past the bottom of the text area.
    pub fn overflows(&self, h: f32) -> bool {
        self.y - h < self.frame.bottom
    }

    /// Starts a new page if the next `h` points do not fit on this one, unless it is empty.
    pub fn keep_together(&mut self, h: f32) {
        if self.overflows(h) && !self.fresh {
            self.new_page();
        }
    }

    /// Places the paragraph's lines page by page, with widow and orphan control; each line's
    /// glyphs, highlights and links go onto its page.
    pub fn place(&mut self, p: &Paragraph, at: LineBox, highlights: &mut Highlights<'_>) -> Vec<Placed> {
        let n = p.lines.len();
        let mut placed = Vec::new();
        let mut i = 0;
        while i < n {
            let avail = ((self.y - self.frame.bottom) / at.lead + 0.001).floor().max(0.0) as usize;
            let k = lines_here(avail, n - i, i == 0, self.fresh);
            if k == 0 {
                self.new_page();
                continue;
            }
            let top = self.y;
            let page = self.page_index();
            for line in &p.lines[i..i + k] {
                let base = self.y - at.baseline_drop();
                emit::line(&mut self.pages[page], page, line, at.x, base, &p.links, highlights);
                self.y -= at.lead;
            }
            self.fresh = false;
            placed.push(Placed { page, top, bottom: self.y });
            i += k;
            if i < n {
                self.new_page();
            }
        }
        placed
    }
}

/// How many of a paragraph's `remaining` lines go on this page, where `avail` lines fit: one
/// fewer rather than leave a last line alone on the next page (a widow), none rather than a
/// first line alone at the bottom (an orphan), but at least one on an empty page.
fn lines_here(avail: usize, remaining: usize, first: bool, fresh: bool) -> usize {
    let mut k = avail.min(remaining);
    if k < remaining {
        if remaining - k == 1 && k >= 2 {
            k -= 1;
        }
        if first && k == 1 && remaining >= 2 {
            k = 0;
        }
        if k == 0 && fresh {
            k = avail.max(1).min(remaining);
        }
    }
    k
}

#[cfg(test)]
mod tests {
    use super::lines_here;

    #[test]
    fn no_widows_no_orphans_but_never_an_empty_page() {
        assert_eq!(lines_here(10, 4, true, false), 4, "all fit");
        assert_eq!(lines_here(3, 4, true, false), 2, "not the last line alone");
        assert_eq!(lines_here(2, 3, true, false), 0, "two would leave a widow and one an orphan: all move on");
        assert_eq!(lines_here(2, 3, false, false), 1, "later lines only avoid the widow");
        assert_eq!(lines_here(1, 3, true, false), 0, "not the first line alone");
        assert_eq!(lines_here(1, 3, false, false), 1, "a later line may end a page");
        assert_eq!(lines_here(0, 3, true, true), 1, "an empty page takes a line even if none fits");
        assert_eq!(lines_here(1, 3, true, true), 1);
    }
}
