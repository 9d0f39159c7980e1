//! The contents, for several articles: each article's title (a link to its first page), where
//! it comes from, and its page number after a dot leader.

use super::emit::runs;
use super::flow::{Flow, Frame, LineBox, Placed};
use super::highlights::Highlights;
use super::lines::set;
use super::measure::Piece;
use super::{display_title, LinkArea, Page, Target, GRAY, TEXT};
use crate::date::display_date;
use crate::shape::{FontSet, Shaped, SANS, SANS_BOLD, SERIF};
use crate::Article;

/// How many pages the contents take: [`pages`] laid out aside and thrown away (the page
/// numbers do not change how the titles wrap).
pub fn length(fonts: &mut FontSet<'_>, frame: Frame, size: f32, articles: &[Article]) -> usize {
    pages(fonts, frame, size, articles, &vec![0; articles.len()]).len()
}

/// The contents pages; `first_pages` are the articles' first page indexes.
pub fn pages(
    fonts: &mut FontSet<'_>,
    frame: Frame,
    size: f32,
    articles: &[Article],
    first_pages: &[usize],
) -> Vec<Page> {
    let mut flow = Flow::new(frame);
    flow.new_page();
    let s = size;
    let left = frame.left;
    let hs = (s * 1.55).round();
    let heading = set(fonts, &[Piece::new("Contents", SANS_BOLD, hs, TEXT)], frame.width, false);
    flow.place(&heading, LineBox { x: left, lead: hs * 1.25, size: hs }, &mut Highlights::none());
    flow.y -= s * 1.2;
    let lead = s * 1.45;
    let ms = s * 0.8;
    let number_w = s * 3.5;
    for (a, &page) in articles.iter().zip(first_pages) {
        let title = set(fonts, &[Piece::new(display_title(a), SERIF, s, TEXT)], frame.width - number_w, false);
        let source =
            source_line(a).map(|t| set(fonts, &[Piece::new(t, SANS, ms, GRAY)], frame.width - number_w, false));
        let need = (title.lines.len() as f32 * lead).min(3.0 * lead) + source.as_ref().map_or(0.0, |_| ms * 1.4);
        flow.keep_together(need);
        let title_box = LineBox { x: left, lead, size: s };
        let placed = flow.place(&title, title_box, &mut Highlights::none());
        let Some(last) = placed.last() else { continue };
        let line_end = title.lines.last().map_or(0.0, |l| l.end());
        let base = last.bottom + lead - title_box.baseline_drop();
        page_number(fonts, &mut flow.pages[last.page], frame, s, page, left + line_end, base);
        let mut areas: Vec<Placed> = placed;
        if let Some(source) = source {
            areas.extend(flow.place(&source, LineBox { x: left, lead: ms * 1.4, size: ms }, &mut Highlights::none()));
        }
        for area in areas {
            let rect = [left, area.bottom, left + frame.width, area.top];
            flow.pages[area.page].links.push(LinkArea { rect, target: Target::Page { page, y: frame.top } });
        }
        flow.y -= s * 0.7;
    }
    flow.pages
}

/// An entry's page number (of the page index `page`), right-aligned, after dots from `from_x`
/// on the baseline `base`.
fn page_number(fonts: &mut FontSet<'_>, on: &mut Page, frame: Frame, s: f32, page: usize, from_x: f32, base: f32) {
    let number = fonts.shape(SERIF, s, &(page + 1).to_string());
    let nw: f32 = number.iter().map(|g| g.adv).sum();
    let left = frame.left;
    let right = left + frame.width;
    let dot = fonts.shape(SERIF, s, ".");
    // Dots on a grid from the left margin, so that the leaders of all entries line up,
    // ending before the widest page number there can be.
    let step = s * 0.55;
    let first = ((from_x + s * 0.6 - left) / step).ceil();
    let last = ((right - s * 2.6 - left) / step).floor();
    let count = (last - first + 1.0).max(0.0) as usize;
    let mut leader = Vec::with_capacity(count);
    for _ in 0..count {
        leader.extend(dot.iter().map(|g| Shaped { adv: step, ..*g }));
    }
    on.items.extend(runs(&leader, s, left + first * step, base, GRAY));
    on.items.extend(runs(&number, s, right - nw, base, TEXT));
}

/// "Byline · Site · 2023-07-12" for the contents, if any of them is known.
fn source_line(a: &Article) -> Option<String> {
    let date = a.published_at.as_deref().filter(|d| !d.trim().is_empty()).map(display_date);
    let parts: Vec<String> = [a.byline.clone(), a.site_name.clone(), date]
        .into_iter()
        .flatten()
        .map(|p| p.trim().to_owned())
        .filter(|p| !p.is_empty())
        .collect();
    (!parts.is_empty()).then(|| parts.join("  ·  "))
}
