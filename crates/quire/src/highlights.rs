//! Highlights: created from a quote or a selected range, edited, deleted, re-attached, and
//! listed across the library.

use quire_anchor::{AnchorKind, QuoteRequest, Text, TextPositionSelector, TextQuoteSelector};

use crate::store::highlights::{self, NewRow, Selection};
use crate::store::{articles, tags};
use crate::{
    normalize_tag, Error, Highlight, HighlightEdit, HighlightFilter, HighlightInContext, HighlightTarget, Library,
    NewHighlight, Refusal, Result,
};

/// The longest quote a highlight keeps, in characters.
pub const MAX_QUOTE_CHARS: usize = 20_000;
/// The longest note, in characters.
pub const MAX_NOTE_CHARS: usize = 100_000;

/// Whether a quote can be a highlight's: some visible text (not only whitespace, zero-width or
/// control characters), at most [`MAX_QUOTE_CHARS`]. Every highlight is stored through
/// `store::highlights`, which asks this.
pub(crate) fn check_quote(exact: &str) -> Result<()> {
    if !quire_clip::has_visible_text(exact) {
        return Err(Error::Refused(Refusal::EmptySelection));
    }
    let n = exact.chars().count();
    if n > MAX_QUOTE_CHARS {
        return Err(Error::Refused(Refusal::QuoteTooLong(n)));
    }
    Ok(())
}

/// A note as it is kept: trimmed, without control characters but tabs and line breaks, at
/// most [`MAX_NOTE_CHARS`]. Every note is stored through `store::highlights`, which asks this.
pub(crate) fn fit_note(note: &str) -> Result<String> {
    let note = quire_clip::strip_controls(note).trim().to_owned();
    let n = note.chars().count();
    if n > MAX_NOTE_CHARS {
        return Err(Error::Refused(Refusal::NoteTooLong(n)));
    }
    Ok(note)
}

impl Library {
    /// Creates a highlight; the quote must be found in the article's canonical text.
    pub fn add_highlight(&self, new: &NewHighlight) -> Result<Highlight> {
        let article = new.article_id;
        self.store().write(|tx| {
            let text = articles::canonical_text(tx, article)?;
            let (quote, position) = resolve_target(&text, article, &new.target)?;
            let id = highlights::insert(
                tx,
                &NewRow { article, quote: &quote, position, color: new.color, note: new.note.trim() },
            )?;
            tags::set_on_highlight(tx, id, &new.tags)?;
            highlights::get(tx, id)
        })
    }

    pub fn highlight(&self, id: i64) -> Result<Highlight> {
        highlights::get(self.store().read(), id)
    }

    /// Changes a highlight's note, color or tags.
    pub fn update_highlight(&self, id: i64, edit: &HighlightEdit) -> Result<Highlight> {
        self.store().write(|tx| {
            highlights::article_of(tx, id)?;
            highlights::edit(tx, id, edit.note.as_deref().map(str::trim), edit.color)?;
            if let Some(names) = &edit.tags {
                tags::set_on_highlight(tx, id, names)?;
            }
            highlights::get(tx, id)
        })
    }

    pub fn delete_highlight(&self, id: i64) -> Result<()> {
        self.store().write(|tx| highlights::delete(tx, id))
    }

    /// Attaches a highlight (usually an orphan) to a new place in its article's current text;
    /// its note, color and tags stay.
    pub fn reattach_highlight(&self, id: i64, target: &HighlightTarget) -> Result<Highlight> {
        self.store().write(|tx| {
            let article = highlights::article_of(tx, id)?;
            let text = articles::canonical_text(tx, article)?;
            let (selector, position) = resolve_target(&text, article, target)?;
            highlights::set_anchor(tx, id, &selector, position, AnchorKind::Exact)?;
            highlights::touch(tx, id)?;
            highlights::get(tx, id)
        })
    }

    /// Highlights across the library: of one article in text order, or, for a topic, every
    /// highlight with the tag or a sub-tag, newest first, with its article.
    pub fn highlights(&self, filter: &HighlightFilter) -> Result<Vec<HighlightInContext>> {
        let store = self.store();
        let conn = store.read();
        if let Some(article) = filter.article_id {
            articles::ensure(conn, article)?;
        }
        let key = match &filter.tag {
            Some(tag) => {
                let key = tags::key_of(&normalize_tag(tag)?);
                if !tags::exists_with_children(conn, &key)? {
                    return Err(Error::TagNotFound(tag.trim().to_owned()));
                }
                Some(key)
            }
            None => None,
        };
        let selection = Selection {
            article: filter.article_id,
            tag_key: key.as_deref(),
            orphans: filter.orphans,
            limit: filter.limit,
            offset: filter.offset,
            ..Selection::default()
        };
        highlights::select_in_context(conn, &selection)
    }
}

/// The selectors of what a user picked in an article's text: a quote (which must occur once,
/// or be told apart) or a range of the canonical text.
pub(crate) fn resolve_target(
    text: &str,
    article: i64,
    target: &HighlightTarget,
) -> Result<(TextQuoteSelector, TextPositionSelector)> {
    let text = Text::new(text);
    let position = match target {
        HighlightTarget::Quote { exact, prefix, suffix, occurrence } => {
            let req =
                QuoteRequest { exact, prefix: prefix.as_deref(), suffix: suffix.as_deref(), occurrence: *occurrence };
            text.locate(&req).map_err(|e| anchor_error(article, e))?
        }
        HighlightTarget::Range { start, end } => TextPositionSelector { start: *start, end: *end },
    };
    text.selectors(position.start, position.end).map_err(|e| anchor_error(article, e))
}

pub(crate) fn anchor_error(article: i64, e: quire_anchor::Error) -> Error {
    match e {
        quire_anchor::Error::NotFound => Error::QuoteNotFound { article },
        quire_anchor::Error::Ambiguous(occurrences) => Error::AmbiguousQuote { article, occurrences },
        problem => Error::Anchor { article, problem },
    }
}

/// Where a quote that another program saw (an import, a browser's selection) lands in an
/// article's text: exact when found word for word (wherever the hint put it), fuzzy within the
/// edit budget with agreeing context, else an orphan that keeps its quote at no place.
pub(crate) fn anchor_quote(
    text: &Text,
    wanted: TextQuoteSelector,
    hint: Option<TextPositionSelector>,
) -> (TextQuoteSelector, TextPositionSelector, AnchorKind) {
    let anchored = if text.is_empty() { None } else { Some(text.reanchor(&wanted, hint)) };
    match anchored.and_then(|a| a.position.map(|p| (a.kind, p))) {
        Some((kind, p)) if kind != AnchorKind::Orphan => match text.selectors(p.start, p.end) {
            Ok((selector, position)) => {
                let kind = if matches!(kind, AnchorKind::Moved) { AnchorKind::Exact } else { kind };
                (selector, position, kind)
            }
            Err(_) => orphan_of(wanted),
        },
        _ => orphan_of(wanted),
    }
}

/// A quote another program saw, with its whitespace squashed (its line breaks and spaces need
/// not be the canonical text's), and with at most [`MAX_CONTEXT_CHARS`] of context on each
/// side, the nearest to the quote (an orphan keeps its context as it is).
pub(crate) fn squashed_selector(exact: &str, prefix: Option<&str>, suffix: Option<&str>) -> TextQuoteSelector {
    let prefix = prefix.map(squash).unwrap_or_default();
    let suffix = suffix.map(squash).unwrap_or_default();
    let skip = prefix.chars().count().saturating_sub(MAX_CONTEXT_CHARS);
    TextQuoteSelector {
        exact: squash(exact),
        prefix: prefix.chars().skip(skip).collect(),
        suffix: suffix.chars().take(MAX_CONTEXT_CHARS).collect(),
    }
}

/// The most context kept on each side of a quote another program saw (the library's own
/// selectors keep `quire_anchor::CONTEXT_CHARS`).
const MAX_CONTEXT_CHARS: usize = 8 * quire_anchor::CONTEXT_CHARS;

/// Text compared ignoring whitespace differences; control characters (which no canonical text
/// holds) are taken out.
pub(crate) fn squash(s: &str) -> String {
    quire_clip::strip_controls(s).split_whitespace().collect::<Vec<_>>().join(" ")
}

/// A highlight whose quote is not in the text: kept with its quote, at no place (`0..len`).
fn orphan_of(wanted: TextQuoteSelector) -> (TextQuoteSelector, TextPositionSelector, AnchorKind) {
    let len = wanted.exact.chars().count().max(1);
    (wanted, TextPositionSelector { start: 0, end: len }, AnchorKind::Orphan)
}
