//! Pages and selections a browser captured (through the local endpoint): a page goes through
//! the one add pipeline ([`AddSource::Captured`]: the same extraction, duplicate check, images
//! and snapshot as any page, with the images the browser sent instead of downloads); a
//! selection is anchored in the article's canonical text like an imported highlight, and kept
//! as an orphan when it cannot be.

use quire_anchor::{AnchorKind, Text, TextQuoteSelector};
use serde::Serialize;

use crate::add::gather::article_at;
use crate::highlights::{anchor_quote, check_quote, fit_note, squash, squashed_selector};
use crate::store::highlights::{self, ImportedRow, NewRow};
use crate::store::{articles, tags};
use crate::tags::normalize_tags;
use crate::{AddOptions, AddSource, Color, Error, Library, Result};

pub use crate::add::images::{MAX_CAPTURED_IMAGES, MAX_CAPTURED_IMAGE_BYTES};

/// A page as the browser rendered it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapturedPage {
    /// Its address (http or https).
    pub url: String,
    /// The document after the page's own scripts ran: read as HTML, never run.
    pub html: String,
    /// The tab's title, used when the page itself yields none.
    pub title: Option<String>,
    /// The document's language, used when the page does not declare one.
    pub language: Option<String>,
    /// Images the page shows, as the browser fetched them; used for the `<img>` with the same
    /// address (at most [`MAX_CAPTURED_IMAGES`], each at most [`MAX_CAPTURED_IMAGE_BYTES`]).
    pub images: Vec<CapturedImage>,
    /// Tags to put on the article (also when it is already in the library).
    pub tags: Vec<String>,
}

/// An image the browser sent with a page.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CapturedImage {
    /// The address the page's `<img>` loads it from.
    pub url: String,
    /// The type it was sent as: an image whose bytes are not of that type is left out.
    pub mime: String,
    pub data: Vec<u8>,
}

/// What saving a page did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedPage {
    pub id: i64,
    pub title: String,
    /// The page was already in the library: only the tags given were added.
    pub duplicate: bool,
    pub warnings: Vec<String>,
}

/// A selection the user made in a page, to keep as a highlight.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CapturedHighlight {
    /// The page's address: the article is found by it (normalized as duplicates are).
    pub url: String,
    /// The page, saved first when no article has its address.
    pub page: Option<CapturedPage>,
    /// The selected text with the words around it, as the browser saw them (whitespace need
    /// not match the article's text).
    pub selector: TextQuoteSelector,
    pub color: Option<Color>,
    pub note: String,
    /// Tags for the highlight.
    pub tags: Vec<String>,
}

/// What saving a selection did.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SavedHighlight {
    pub article_id: i64,
    pub highlight_id: i64,
    /// Where it anchored: exact, fuzzy, or orphan (kept with its quote, attached to no text).
    pub anchor: AnchorKind,
    /// The page was added to the library by this call.
    pub page_saved: bool,
    /// The same selection was already a highlight: that one is returned, nothing changed.
    pub already: bool,
}

impl Library {
    /// Saves a page a browser captured through the one add pipeline (nothing is fetched). A
    /// page already in the library (same address or same text) is reported as a duplicate and
    /// only gets the tags given.
    pub fn save_page(&self, page: CapturedPage) -> Result<SavedPage> {
        let tags = normalize_tags(&page.tags)?;
        let options = AddOptions { tags: tags.clone(), ..AddOptions::default() };
        let outcome = self.add(&AddSource::Captured(Box::new(page)), &options)?;
        if !outcome.created && !tags.is_empty() {
            self.tag_article(outcome.id, &tags)?;
        }
        Ok(SavedPage { id: outcome.id, title: outcome.title, duplicate: !outcome.created, warnings: outcome.warnings })
    }

    /// Keeps a selection as a highlight of the article at its address (saving the page first
    /// when the library does not have it and it was sent). The selection is anchored in the
    /// article's text whatever its whitespace; one that cannot be is kept as an orphan. The
    /// same selection saved twice is one highlight.
    pub fn save_highlight(&self, captured: CapturedHighlight) -> Result<SavedHighlight> {
        let CapturedHighlight { url, page, selector, color, note, tags: names } = captured;
        let wanted = squashed_selector(&selector.exact, Some(&selector.prefix), Some(&selector.suffix));
        // What the store would refuse is refused before the page is saved.
        check_quote(&wanted.exact)?;
        let note = fit_note(&note)?;
        normalize_tags(&names)?;
        let found = article_at(self.store().read(), &url)?;
        let (article, page_saved) = match (found, page) {
            (Some(id), _) => (id, false),
            (None, Some(page)) => {
                let saved = self.save_page(page)?;
                (saved.id, !saved.duplicate)
            }
            (None, None) => return Err(Error::NotInLibrary(url)),
        };
        self.store().write(|tx| {
            let canonical = articles::canonical_text(tx, article)?;
            let (quote, position, anchor) = anchor_quote(&Text::new(&canonical), wanted, None);
            let same = highlights::of_article(tx, article)?.into_iter().find(|h| match anchor {
                AnchorKind::Orphan => h.anchor == AnchorKind::Orphan && squash(&h.quote.exact) == quote.exact,
                _ => h.anchor != AnchorKind::Orphan && h.position == position,
            });
            if let Some(h) = same {
                return Ok(SavedHighlight {
                    article_id: article,
                    highlight_id: h.id,
                    anchor: h.anchor,
                    page_saved,
                    already: true,
                });
            }
            let row = NewRow { article, quote: &quote, position, color: color.unwrap_or_default(), note: &note };
            let id = highlights::insert_imported(tx, &ImportedRow { row, anchor, created_at: None })?;
            tags::set_on_highlight(tx, id, &names)?;
            Ok(SavedHighlight { article_id: article, highlight_id: id, anchor, page_saved, already: false })
        })
    }
}
