//! Running heads and folios: "n / N" at the foot of every page, and the article's title with
//! a rule at the head of every page but the first of each article and the contents.

use super::emit::runs;
use super::flow::Frame;
use super::{display_title, Item, Page, GRAY, RULE};
use crate::shape::{FontSet, Shaped, SANS};
use crate::ExportInput;

/// Adds the heads and folios to the finished pages; `size` is the body text size.
pub fn add(pages: &mut [Page], fonts: &mut FontSet<'_>, input: &ExportInput<'_>, frame: Frame, size: f32) {
    let total = pages.len();
    let fs = size * 0.72;
    let m = input.options.margins;
    let mut with_head = vec![false; total];
    let mut last = None;
    for (i, p) in pages.iter().enumerate() {
        with_head[i] = p.article.is_some() && p.article == last;
        last = p.article;
    }
    for (i, head) in with_head.into_iter().enumerate() {
        let folio = fonts.shape(SANS, fs, &format!("{} / {}", i + 1, total));
        let fw: f32 = folio.iter().map(|g| g.adv).sum();
        let y = (m.bottom * 0.5).max(fs);
        let x = (frame.page_w - fw) / 2.0;
        pages[i].items.extend(runs(&folio, fs, x, y, GRAY));
        let Some(article) = pages[i].article.filter(|_| head) else { continue };
        let title = display_title(&input.articles[article]);
        let shaped = shape_to_width(fonts, SANS, fs, &title, frame.width);
        let y = frame.page_h - (m.top * 0.55).max(fs * 1.5);
        let (x, width) = (frame.left, frame.width);
        let page = &mut pages[i];
        page.items.extend(runs(&shaped, fs, x, y, GRAY));
        page.items.push(Item::Rect { x, y: y - fs * 0.7, w: width, h: 0.4, color: RULE, stroke: false });
    }
}

/// `text` shaped on one line, cut with an ellipsis if it is wider than `width`.
fn shape_to_width(fonts: &mut FontSet<'_>, font: usize, size: f32, text: &str, width: f32) -> Vec<Shaped> {
    let mut shaped = fonts.shape(font, size, text);
    let mut w: f32 = shaped.iter().map(|g| g.adv).sum();
    if w <= width {
        return shaped;
    }
    let ell = fonts.shape(font, size, "…");
    let ew: f32 = ell.iter().map(|g| g.adv).sum();
    while w + ew > width && !shaped.is_empty() {
        w -= shaped.pop().map(|g| g.adv).unwrap_or(0.0);
    }
    while shaped.last().is_some_and(|g| g.is_space) {
        shaped.pop();
    }
    shaped.extend(ell);
    shaped
}
