//! A parsed query (and the sidebar's filter) as a plan of word forms and filters, and that plan
//! as a tantivy query: every word must match somewhere (title, byline, text, a quote or a
//! note), excluded words nowhere, filters exactly; ranking by BM25 with the title weighing
//! most, as before. Filters never change the score.

use std::collections::BTreeSet;

use tantivy::query::{
    AllQuery, BooleanQuery, BoostQuery, ConstScoreQuery, EmptyQuery, Occur, PhrasePrefixQuery, PhraseQuery, Query,
    TermQuery, TermSetQuery,
};
use tantivy::schema::{Field, IndexRecordOption};
use tantivy::{Searcher, Term as IndexTerm};

use super::text::{self, Kind, SHORT_PREFIX};
use super::Fields;
use crate::search;
use crate::store::fulltext::Entry;
use crate::Status;

/// What to find, in word forms.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Plan {
    /// All must occur.
    pub(crate) terms: Vec<(Vec<String>, Kind)>,
    /// None may occur.
    pub(crate) excluded: Vec<(Vec<String>, Kind)>,
    /// Tag keys: each must be on the article or one of its highlights (or a sub-tag of it).
    pub(crate) tags: Vec<String>,
    /// Each must be part of the site name or the address (lower case).
    pub(crate) sites: Vec<String>,
    /// One of these, when any.
    pub(crate) statuses: Vec<Status>,
    /// This one, when set (the sidebar's, on top of the query's `is:`).
    pub(crate) status: Option<Status>,
    pub(crate) favorite: Option<bool>,
    pub(crate) has_highlights: bool,
    pub(crate) has_notes: bool,
}

/// Flag terms of the `flag` field.
pub(crate) const FAVORITE: &str = "favorite";
pub(crate) const HAS_HIGHLIGHTS: &str = "highlights";
pub(crate) const HAS_NOTES: &str = "notes";

pub(crate) fn status_flag(status: Status) -> String {
    format!("status:{}", status.as_str())
}

impl Plan {
    pub(crate) fn new(q: &search::Query, analyzer: &mut tantivy::tokenizer::TextAnalyzer) -> crate::Result<Plan> {
        if let Some(long) = q.terms.iter().chain(&q.excluded).find(|t| text::too_long(t)) {
            let shown: String = long.text().chars().take(40).collect();
            return Err(crate::Error::Query(format!(
                "\"{shown}…\" holds a word of {} letters or more, which search does not index: search for a shorter part of it",
                text::MAX_WORD
            )));
        }
        let forms = |terms: &[search::Term], analyzer: &mut tantivy::tokenizer::TextAnalyzer| {
            terms
                .iter()
                .map(|t| (text::forms(analyzer, t), Kind::of(t)))
                .filter(|(forms, _)| !forms.is_empty())
                .collect::<Vec<_>>()
        };
        Ok(Plan {
            terms: forms(&q.terms, analyzer),
            excluded: forms(&q.excluded, analyzer),
            tags: q.tags.iter().map(|t| crate::store::tags::key_of(t)).collect(),
            sites: q.sites.clone(),
            statuses: q.statuses.clone(),
            status: None,
            favorite: q.favorite.then_some(true),
            has_highlights: q.has_highlights,
            has_notes: q.has_notes,
        })
    }

    /// True when there are words to rank by.
    pub(crate) fn ranks(&self) -> bool {
        !self.terms.is_empty()
    }

    /// The tantivy query of the plan over the searcher's segments (prefixes and sites are
    /// expanded against its term dictionaries).
    pub(crate) fn to_query(&self, f: &Fields, searcher: &Searcher) -> tantivy::Result<Box<dyn Query>> {
        let mut clauses: Vec<(Occur, Box<dyn Query>)> = Vec::new();
        for (forms, kind) in &self.terms {
            clauses.push((Occur::Must, term_query(f, searcher, forms, *kind)?));
        }
        if self.terms.is_empty() {
            clauses.push((Occur::Must, Box::new(AllQuery)));
        }
        for (forms, kind) in &self.excluded {
            clauses.push((Occur::MustNot, term_query(f, searcher, forms, *kind)?));
        }
        let filter =
            |q: Box<dyn Query>| -> (Occur, Box<dyn Query>) { (Occur::Must, Box::new(ConstScoreQuery::new(q, 0.0))) };
        for key in &self.tags {
            clauses.push(filter(raw(f.tag, key)));
        }
        for site in &self.sites {
            let terms = matching_terms(searcher, f.site, |t| t.contains(site.as_str()))?;
            let q: Box<dyn Query> = if terms.is_empty() {
                Box::new(EmptyQuery)
            } else {
                Box::new(TermSetQuery::new(terms.into_iter().map(|t| IndexTerm::from_field_text(f.site, &t))))
            };
            clauses.push(filter(q));
        }
        if !self.statuses.is_empty() {
            let any: Vec<(Occur, Box<dyn Query>)> =
                self.statuses.iter().map(|s| (Occur::Should, raw(f.flag, &status_flag(*s)))).collect();
            clauses.push(filter(Box::new(BooleanQuery::new(any))));
        }
        if let Some(status) = self.status {
            clauses.push(filter(raw(f.flag, &status_flag(status))));
        }
        match self.favorite {
            Some(true) => clauses.push(filter(raw(f.flag, FAVORITE))),
            Some(false) => clauses.push((Occur::MustNot, raw(f.flag, FAVORITE))),
            None => {}
        }
        if self.has_highlights {
            clauses.push(filter(raw(f.flag, HAS_HIGHLIGHTS)));
        }
        if self.has_notes {
            clauses.push(filter(raw(f.flag, HAS_NOTES)));
        }
        Ok(Box::new(BooleanQuery::new(clauses)))
    }
}

impl Plan {
    /// Whether an article's entry matches, decided without the index (for articles it has not
    /// caught up with): the same rules as [`Plan::to_query`].
    pub(crate) fn matches(&self, entry: &Entry, words: &EntryWords) -> bool {
        let tagged = |key: &String| {
            entry.tags.iter().any(|t| t == key || (t.starts_with(key.as_str()) && t[key.len()..].starts_with('/')))
        };
        self.tags.iter().all(tagged)
            && self.sites.iter().all(|s| entry.sites.iter().any(|site| site.contains(s.as_str())))
            && (self.statuses.is_empty() || self.statuses.contains(&entry.status))
            && self.status.is_none_or(|s| s == entry.status)
            && self.favorite.is_none_or(|f| f == entry.favorite)
            && (!self.has_highlights || entry.has_highlights)
            && (!self.has_notes || entry.has_notes)
            && self.terms.iter().all(|(forms, kind)| words.any(|w| text::occurs(w, forms, *kind)))
            && !self.excluded.iter().any(|(forms, kind)| words.any(|w| text::occurs(w, forms, *kind)))
    }
}

/// The words of an entry's five texts, in the order of `Fields::weighted`.
pub(crate) struct EntryWords(pub(crate) [Vec<text::Word>; 5]);

impl EntryWords {
    pub(crate) fn of(entry: &Entry, analyzer: &mut tantivy::tokenizer::TextAnalyzer) -> EntryWords {
        EntryWords([
            text::words(analyzer, &entry.title),
            text::words(analyzer, &entry.byline),
            text::words(analyzer, &entry.body),
            text::words_of_parts(analyzer, &entry.quotes),
            text::words_of_parts(analyzer, &entry.notes),
        ])
    }

    fn any(&self, test: impl Fn(&[text::Word]) -> bool) -> bool {
        self.0.iter().any(|w| test(w))
    }
}

fn raw(field: Field, value: &str) -> Box<dyn Query> {
    Box::new(TermQuery::new(IndexTerm::from_field_text(field, value), IndexRecordOption::Basic))
}

/// One term: found in any of the text fields, each with its weight.
fn term_query(f: &Fields, searcher: &Searcher, forms: &[String], kind: Kind) -> tantivy::Result<Box<dyn Query>> {
    let mut any: Vec<(Occur, Box<dyn Query>)> = Vec::new();
    let single_prefix = kind == Kind::Prefix && forms.len() == 1;
    if single_prefix && forms[0].chars().count() <= SHORT_PREFIX {
        // A short prefix has its own terms: one posting list, not thousands of words.
        let term = IndexTerm::from_field_text(f.prefix, &forms[0]);
        return Ok(Box::new(TermQuery::new(term, IndexRecordOption::WithFreqs)));
    }
    for (field, boost) in f.weighted() {
        let q: Box<dyn Query> = if single_prefix {
            let words = terms_with_prefix(searcher, field, &forms[0])?;
            if words.is_empty() {
                continue;
            }
            let each: Vec<(Occur, Box<dyn Query>)> = words
                .iter()
                .map(|w| {
                    let q: Box<dyn Query> =
                        Box::new(TermQuery::new(IndexTerm::from_field_text(field, w), IndexRecordOption::WithFreqs));
                    (Occur::Should, q)
                })
                .collect();
            Box::new(BooleanQuery::new(each))
        } else if forms.len() == 1 {
            Box::new(TermQuery::new(IndexTerm::from_field_text(field, &forms[0]), IndexRecordOption::WithFreqs))
        } else {
            let terms: Vec<IndexTerm> = forms.iter().map(|w| IndexTerm::from_field_text(field, w)).collect();
            if kind == Kind::Prefix {
                let mut q = PhrasePrefixQuery::new(terms);
                q.set_max_expansions(u32::MAX);
                Box::new(q)
            } else {
                Box::new(PhraseQuery::new(terms))
            }
        };
        any.push((Occur::Should, Box::new(BoostQuery::new(q, boost))));
    }
    if any.is_empty() {
        return Ok(Box::new(EmptyQuery));
    }
    Ok(Box::new(BooleanQuery::new(any)))
}

/// The terms of a field (in every segment) that pass `keep`, each once. Prefix matches are
/// read as a range of the term dictionary; other tests (a site's substring) read it all.
pub(crate) fn matching_terms(
    searcher: &Searcher,
    field: Field,
    keep: impl Fn(&str) -> bool,
) -> tantivy::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().stream()?;
        while stream.advance() {
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                if keep(term) {
                    out.insert(term.to_owned());
                }
            }
        }
    }
    Ok(out)
}

/// The terms of a field (in every segment) that start with `prefix`, each once: a range of
/// the term dictionary.
pub(crate) fn terms_with_prefix(searcher: &Searcher, field: Field, prefix: &str) -> tantivy::Result<BTreeSet<String>> {
    let mut out = BTreeSet::new();
    for segment in searcher.segment_readers() {
        let inverted = segment.inverted_index(field)?;
        let mut stream = inverted.terms().range().ge(prefix.as_bytes()).into_stream()?;
        while stream.advance() {
            if !stream.key().starts_with(prefix.as_bytes()) {
                break;
            }
            if let Ok(term) = std::str::from_utf8(stream.key()) {
                out.insert(term.to_owned());
            }
        }
    }
    Ok(out)
}
