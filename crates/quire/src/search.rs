//! Search: Quire's own query language, parsed into terms and filters, answered by the
//! full-text index (`fulltext`).
//!
//! Syntax: `word`, `"a phrase"`, `prefix*`, `-excluded` / `-"excluded phrase"`, and filters
//! `tag:NAME` / `tag:"NAME WITH SPACES"` (the tag or a sub-tag, on the article or one of its
//! highlights), `site:TEXT`, `is:unread|read|archived|favorite`, `has:highlights|notes`.
//! No user text is ever parsed as the index's query syntax: each word becomes word forms (see
//! `fulltext::text`), so `AND`, `(`, `NEAR` are searched for literally and punctuation alone
//! is ignored. Unclosed quotes and empty or unknown filters are clear errors.

use std::collections::HashSet;

use tantivy::tokenizer::TextAnalyzer;

use crate::fulltext::query::EntryWords;
use crate::fulltext::{text, FullText, Plan};
use crate::store::articles::{self, Page};
use crate::store::fulltext as journal;
use crate::store::{highlights, tags};
use crate::{ArticleFilter, Error, Field, Library, Result, SearchHit, Status};

/// A parsed query.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Query {
    /// All must match.
    pub terms: Vec<Term>,
    /// None may match.
    pub excluded: Vec<Term>,
    pub tags: Vec<String>,
    pub sites: Vec<String>,
    pub statuses: Vec<Status>,
    pub favorite: bool,
    pub has_highlights: bool,
    pub has_notes: bool,
}

/// A full-text term.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Term {
    Word(String),
    Prefix(String),
    Phrase(String),
}

impl Term {
    /// The term's text as typed (without quotes or star).
    pub(crate) fn text(&self) -> &str {
        match self {
            Term::Word(w) | Term::Phrase(w) | Term::Prefix(w) => w,
        }
    }

    /// The term as typed, quoted (how tests show a parsed query).
    #[cfg(test)]
    fn quoted(&self) -> String {
        match self {
            Term::Word(w) | Term::Phrase(w) => format!("\"{}\"", w.replace('"', "\"\"")),
            Term::Prefix(w) => format!("\"{}\"*", w.replace('"', "\"\"")),
        }
    }
}

impl Query {
    /// True when the query has no words, only filters.
    pub fn is_filter_only(&self) -> bool {
        self.terms.is_empty()
    }

    #[cfg(test)]
    fn match_all(&self) -> Option<String> {
        join_terms(&self.terms, " AND ")
    }
}

#[cfg(test)]
fn join_terms(terms: &[Term], op: &str) -> Option<String> {
    (!terms.is_empty()).then(|| terms.iter().map(Term::quoted).collect::<Vec<_>>().join(op))
}

/// Parses a user's query. Errors say what to change.
pub fn parse_query(input: &str) -> Result<Query> {
    let mut q = Query::default();
    let chars: Vec<char> = input.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        if chars[i].is_whitespace() {
            i += 1;
            continue;
        }
        let negated = chars[i] == '-' && chars.get(i + 1).is_some_and(|c| !c.is_whitespace());
        if negated {
            i += 1;
        }
        let term = if chars[i] == '"' {
            let (text, next) = read_quoted(&chars, i)?;
            i = next;
            phrase(&text)
        } else {
            let start = i;
            while i < chars.len() && !chars[i].is_whitespace() && chars[i] != '"' {
                i += 1;
            }
            let token: String = chars[start..i].iter().collect();
            if let Some((key, rest)) = token.split_once(':').filter(|(k, _)| is_filter_key(k)) {
                let value = if rest.is_empty() && chars.get(i) == Some(&'"') {
                    let (text, next) = read_quoted(&chars, i)?;
                    i = next;
                    text
                } else {
                    rest.to_owned()
                };
                if negated {
                    return Err(Error::Query(format!(
                        "-{key}: is not supported: only words and phrases can be excluded"
                    )));
                }
                apply_filter(&mut q, &key.to_ascii_lowercase(), value.trim())?;
                continue;
            }
            word(&token)
        };
        if let Some(term) = term {
            if negated {
                q.excluded.push(term)
            } else {
                q.terms.push(term)
            }
        }
    }
    let has_filter = !q.tags.is_empty()
        || !q.sites.is_empty()
        || !q.statuses.is_empty()
        || q.favorite
        || q.has_highlights
        || q.has_notes;
    if q.terms.is_empty() && !has_filter {
        return Err(Error::Query(if q.excluded.is_empty() {
            "the query has no words to search for: type a word, a \"phrase\", or a filter such as tag:NAME".to_owned()
        } else {
            "a query cannot only exclude: add a word or a filter to search for".to_owned()
        }));
    }
    Ok(q)
}

fn read_quoted(chars: &[char], open: usize) -> Result<(String, usize)> {
    let close = chars[open + 1..].iter().position(|&c| c == '"').map(|p| open + 1 + p).ok_or_else(|| {
        Error::Query("unclosed quote: add a closing \" to end the phrase, or remove the opening one".to_owned())
    })?;
    let mut next = close + 1;
    // `"phrase"*` is not a thing in Quire: a trailing star after a phrase is ignored.
    if chars.get(next) == Some(&'*') {
        next += 1;
    }
    Ok((chars[open + 1..close].iter().collect(), next))
}

fn has_token_chars(s: &str) -> bool {
    s.chars().any(char::is_alphanumeric)
}

fn phrase(text: &str) -> Option<Term> {
    let text = text.split_whitespace().collect::<Vec<_>>().join(" ");
    has_token_chars(&text).then_some(Term::Phrase(text))
}

fn word(token: &str) -> Option<Term> {
    if let Some(stem) = token.strip_suffix('*') {
        let stem = stem.trim_end_matches('*');
        return has_token_chars(stem).then(|| Term::Prefix(stem.to_owned()));
    }
    has_token_chars(token).then(|| Term::Word(token.to_owned()))
}

fn is_filter_key(key: &str) -> bool {
    matches!(key.to_ascii_lowercase().as_str(), "tag" | "site" | "is" | "has")
}

fn apply_filter(q: &mut Query, key: &str, value: &str) -> Result<()> {
    if value.is_empty() {
        let example = match key {
            "tag" => "tag:\"NATO accession\"",
            "site" => "site:example.com",
            "is" => "is:unread",
            _ => "has:highlights",
        };
        return Err(Error::Query(format!("{key}: needs a value, e.g. {example}")));
    }
    match key {
        "tag" => q.tags.push(crate::normalize_tag(value)?),
        "site" => q.sites.push(value.to_lowercase()),
        "is" => match value.to_ascii_lowercase().as_str() {
            "favorite" | "favourite" | "starred" => q.favorite = true,
            v => q.statuses.push(v.parse().map_err(|_| {
                Error::Query(format!("is:{value} is not a filter: use is:unread, is:read, is:archived or is:favorite"))
            })?),
        },
        _ => match value.to_ascii_lowercase().as_str() {
            "highlights" | "highlight" => q.has_highlights = true,
            "notes" | "note" => q.has_notes = true,
            _ => return Err(Error::Query(format!("has:{value} is not a filter: use has:highlights or has:notes"))),
        },
    }
    Ok(())
}

/// A search as the desktop app asks for it: the text the user typed (Quire's query language)
/// and the sidebar's typed filter, which is never turned into query text. The filter's
/// `limit` (default 50) and `offset` page the results; its `sort` orders them when the text
/// has no words to rank by.
#[derive(Debug, Clone, Default, serde::Deserialize, ts_rs::TS)]
#[serde(default)]
pub struct SearchRequest {
    pub text: String,
    pub filter: ArticleFilter,
    /// The text is still being typed: its last word matches as a prefix ([`as_you_type`]).
    pub as_you_type: bool,
}

impl SearchRequest {
    /// A search for typed words, with no filter.
    pub fn words(text: &str) -> Self {
        Self { text: text.to_owned(), ..Self::default() }
    }
}

/// Results as you type: the last word, still being typed, matches as a prefix ("alli" finds
/// "allies"). Finished words (followed by a space), phrases (also one still open),
/// exclusions, filters and words with punctuation stay as typed; a single letter is not a
/// useful prefix (it matches nearly every article) and waits for the next.
pub fn as_you_type(text: &str) -> String {
    let trimmed = text.trim();
    let quotes_open = text.matches('"').count() % 2 == 1;
    if quotes_open || text.ends_with(char::is_whitespace) {
        return trimmed.to_owned();
    }
    let last = trimmed.rsplit(char::is_whitespace).next().unwrap_or_default();
    if last.chars().count() >= 2 && last.chars().all(char::is_alphanumeric) {
        format!("{trimmed}*")
    } else {
        trimmed.to_owned()
    }
}

/// The fields, in the order of the index's text fields (`Fields::weighted`).
const FIELDS: [Field; 5] = [Field::Title, Field::Byline, Field::Body, Field::Quote, Field::Note];
/// The order snippets are taken from: the text first, then quotes, notes, title, byline.
const SNIPPET_ORDER: [usize; 5] = [2, 3, 4, 0, 1];

impl Library {
    /// Searches the library with a query typed by the user; results ranked by BM25 (title
    /// weighs most), at most `limit`.
    pub fn search(&self, input: &str, limit: usize) -> Result<Vec<SearchHit>> {
        let filter = ArticleFilter { limit: Some(limit), ..ArticleFilter::default() };
        self.search_with(&SearchRequest { text: input.to_owned(), filter, as_you_type: false })
    }

    /// Searches with typed text and a typed filter. Empty text with a filter lists what the
    /// filter selects; empty text without one is an error that says what to type.
    pub fn search_with(&self, request: &SearchRequest) -> Result<Vec<SearchHit>> {
        let has_filter =
            request.filter.tag.is_some() || request.filter.status.is_some() || request.filter.favorite.is_some();
        let text = if request.as_you_type { as_you_type(&request.text) } else { request.text.clone() };
        let q = if has_filter && text.trim().is_empty() { Query::default() } else { parse_query(&text)? };
        let mut filter = request.filter.to_filter()?;
        let limit = request.filter.limit.unwrap_or(50);
        let offset = request.filter.offset.unwrap_or(0);
        if q.terms.is_empty() && q.excluded.is_empty() {
            // Filters only: the library's list, in the order asked for.
            for tag in &q.tags {
                filter.tag(&tags::key_of(tag));
            }
            for site in &q.sites {
                filter.site(site);
            }
            filter.statuses(&q.statuses);
            if q.favorite {
                filter.favorite(true);
            }
            if q.has_highlights {
                filter.has_highlights();
            }
            if q.has_notes {
                filter.has_notes();
            }
            let store = self.store();
            let conn = store.read();
            let page = Page { limit: Some(limit.max(1)), offset: Some(offset) };
            let rows = articles::list(conn, &filter, request.filter.sort, page)?;
            return Ok(rows
                .into_iter()
                .map(|article| SearchHit {
                    article,
                    rank: 0.0,
                    matched_in: Vec::new(),
                    snippet: Vec::new(),
                    highlights: Vec::new(),
                })
                .collect());
        }
        let mut analyzer = text::analyzer();
        let mut plan = Plan::new(&q, &mut analyzer)?;
        if let Some(tag) = &request.filter.tag {
            plan.tags.push(tags::key_of(&crate::normalize_tag(tag)?));
        }
        plan.status = request.filter.status;
        match (q.favorite, request.filter.favorite) {
            (true, Some(false)) => return Ok(Vec::new()),
            (_, Some(f)) => plan.favorite = Some(f),
            _ => {}
        }
        let ranked = self.ranked(&plan, offset.saturating_add(limit), &mut analyzer)?;
        let ranked: Vec<(i64, f32)> = ranked.into_iter().skip(offset).take(limit).collect();
        // Snippets, where the words matched and which highlights matched: from the texts of
        // the articles kept, matched here the way the index matches them.
        let store = self.store();
        let conn = store.read();
        let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        let entries = journal::entries(conn, &ids)?;
        let terms = &plan.terms;
        let mut hits = Vec::with_capacity(ranked.len());
        for (id, score) in ranked {
            let Ok(at) = entries.binary_search_by_key(&id, |e| e.id) else { continue };
            let entry = &entries[at];
            let texts = [&entry.title, &entry.byline, &entry.body, &entry.quotes, &entry.notes];
            let words = EntryWords::of(entry, &mut analyzer);
            let matched: Vec<Vec<usize>> = words.0.iter().map(|w| text::matched_words(w, terms)).collect();
            let matched_in: Vec<Field> =
                FIELDS.iter().zip(&matched).filter(|(_, m)| !m.is_empty()).map(|(f, _)| *f).collect();
            let snippet = SNIPPET_ORDER
                .iter()
                .find_map(|&i| text::snippet(texts[i], &words.0[i], &matched[i]))
                .unwrap_or_default();
            let mut found = Vec::new();
            for h in highlights::of_article(conn, id)? {
                let quote = text::words(&mut analyzer, &h.quote.exact);
                let note = text::words(&mut analyzer, &h.note);
                if terms
                    .iter()
                    .any(|(forms, kind)| text::occurs(&quote, forms, *kind) || text::occurs(&note, forms, *kind))
                {
                    found.push(h);
                }
            }
            let article = articles::summary(conn, id)?;
            hits.push(SearchHit { article, rank: -f64::from(score), matched_in, snippet, highlights: found });
        }
        Ok(hits)
    }

    /// The best `wanted` articles for a plan, best first (by score; newest first when the
    /// plan has no words to rank by): from the index, and, for articles it has not caught up
    /// with, matched here.
    fn ranked(&self, plan: &Plan, wanted: usize, analyzer: &mut TextAnalyzer) -> Result<Vec<(i64, f32)>> {
        // Catch up first when this process can; when another holds the index, its pending
        // articles are matched here below. A failure to write it is no reason not to answer.
        let synced = self.sync_before_search();
        let mut slot = self.fulltext()?;
        let Some(ft) = slot.as_ref() else { return Ok(Vec::new()) };
        let (from_index, outside) = match self.unindexed(ft)? {
            Some(pending) => {
                let skip: HashSet<i64> = pending.iter().copied().collect();
                // tantivy can panic on damaged files: the index is dropped (the next search
                // builds it again) and this one matches every article itself.
                let searched =
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| ft.search(plan, &skip, wanted)));
                match searched {
                    Ok(found) => (found?, pending),
                    Err(_) => {
                        // Set aside only when no sync is writing it (it would lose its files).
                        if let Some(_no_sync) = self.may_discard_index() {
                            if let Some(damaged) = slot.take() {
                                damaged.discard();
                            }
                        }
                        let all = journal::all_ids(self.store().read())?;
                        if all.len() > MATCHED_WITHOUT_INDEX {
                            return Err(Error::IndexBuilding { progress: self.index_building() });
                        }
                        (Vec::new(), all)
                    }
                }
            }
            // Built from other content, or not built yet: every article is matched here,
            // unless there are too many to answer while typing; then the answer is to wait
            // for the rebuild (under way in this process or another).
            None => {
                let all = journal::all_ids(self.store().read())?;
                if all.len() > MATCHED_WITHOUT_INDEX {
                    // The sync's own failure, when that is why there is no index to answer
                    // from; otherwise it is being built (by another thread or process).
                    return Err(match synced {
                        Err(e) if self.index_building().is_none() => e,
                        _ => Error::IndexBuilding { progress: self.index_building() },
                    });
                }
                (Vec::new(), all)
            }
        };
        let ft = slot.as_ref();
        if outside.is_empty() {
            return Ok(from_index);
        }
        let mut all: Vec<(i64, f32, i64)> = Vec::new();
        if plan.ranks() {
            all.extend(from_index.into_iter().map(|(id, score)| (id, score, 0)));
        } else {
            // Newest first: the index's answer is in that order, but its dates are needed to
            // merge with the rest.
            let dates =
                journal::clipped(self.store().read(), &from_index.iter().map(|(id, _)| *id).collect::<Vec<_>>())?;
            all.extend(from_index.into_iter().map(|(id, score)| (id, score, dates.get(&id).copied().unwrap_or(0))));
        }
        for chunk in outside.chunks(500) {
            let entries = journal::entries(self.store().read(), chunk)?;
            for entry in &entries {
                let words = EntryWords::of(entry, analyzer);
                if plan.matches(entry, &words) {
                    all.push((entry.id, score_outside(ft, plan, &words), journal::clipped_seconds(&entry.clipped_at)));
                }
            }
        }
        if plan.ranks() {
            all.sort_by(|a, b| b.1.total_cmp(&a.1).then(b.0.cmp(&a.0)));
        } else {
            all.sort_by(|a, b| b.2.cmp(&a.2).then(b.0.cmp(&a.0)));
        }
        all.truncate(wanted);
        Ok(all.into_iter().map(|(id, score, _)| (id, score)).collect())
    }
}

/// The most articles a search matches one by one when the index cannot answer for them
/// (about a quarter of a second on the benchmark's articles).
const MATCHED_WITHOUT_INDEX: usize = 5_000;

/// A score for an article matched outside the index, on the index's scale as far as it can
/// be: each term's best field weight, times its rarity in the index (when there is one),
/// times its count.
fn score_outside(ft: Option<&FullText>, plan: &Plan, words: &EntryWords) -> f32 {
    let mut score = 0.0;
    for (forms, kind) in &plan.terms {
        let mut best: f32 = 0.0;
        for (i, w) in words.0.iter().enumerate() {
            let count = text::matched_words(w, std::slice::from_ref(&(forms.clone(), *kind))).len();
            if count > 0 {
                let weight = crate::fulltext::WEIGHTS[i];
                let idf = match (ft, forms.first()) {
                    (Some(ft), Some(form)) => ft.idf(ft.fields.weighted()[i].0, form),
                    _ => 1.0,
                };
                best = best.max(weight * idf * (1.0 + (count as f32).ln()) / (1.0 + (count as f32).ln() + 1.2));
            }
        }
        score += best;
    }
    score
}

#[cfg(test)]
mod tests {
    use super::*;

    fn compiled(input: &str) -> String {
        match parse_query(input) {
            Ok(q) => format!(
                "match={} not={} tags={:?} sites={:?} is={:?} fav={} hl={} notes={}",
                q.match_all().unwrap_or_default(),
                join_terms(&q.excluded, " OR ").unwrap_or_default(),
                q.tags,
                q.sites,
                q.statuses,
                q.favorite,
                q.has_highlights,
                q.has_notes
            ),
            Err(e) => format!("error: {e}"),
        }
    }

    #[test]
    fn queries_parse_into_terms_and_filters() {
        let cases = [
            ("allies", r#"match="allies" not= tags=[] sites=[] is=[] fav=false hl=false notes=false"#),
            (r#""security guarantees" -Kremlin Zelen*"#, r#"match="security guarantees" AND "Zelen"* not="Kremlin" tags=[] sites=[] is=[] fav=false hl=false notes=false"#),
            (r#"tag:"NATO accession" is:unread site:worlddesk"#, r#"match= not= tags=["NATO accession"] sites=["worlddesk"] is=[Unread] fav=false hl=false notes=false"#),
            ("NATO AND ( OR NEAR(x", r#"match="NATO" AND "AND" AND "OR" AND "NEAR(x" not= tags=[] sites=[] is=[] fav=false hl=false notes=false"#),
            (r#"say "hi""#, r#"match="say" AND "hi" not= tags=[] sites=[] is=[] fav=false hl=false notes=false"#),
            ("is:favorite has:notes tag:a/b", r#"match= not= tags=["a/b"] sites=[] is=[] fav=true hl=false notes=true"#),
            ("10:30 key:value", r#"match="10:30" AND "key:value" not= tags=[] sites=[] is=[] fav=false hl=false notes=false"#),
            (r#""NATO AND ("#, "error: invalid search query: unclosed quote: add a closing \" to end the phrase, or remove the opening one"),
            ("tag:", "error: invalid search query: tag: needs a value, e.g. tag:\"NATO accession\""),
            ("is:maybe", "error: invalid search query: is:maybe is not a filter: use is:unread, is:read, is:archived or is:favorite"),
            ("has:cats", "error: invalid search query: has:cats is not a filter: use has:highlights or has:notes"),
            ("-tag:x word", "error: invalid search query: -tag: is not supported: only words and phrases can be excluded"),
            ("-NATO", "error: invalid search query: a query cannot only exclude: add a word or a filter to search for"),
            ("( ) * \"\"", "error: invalid search query: the query has no words to search for: type a word, a \"phrase\", or a filter such as tag:NAME"),
            ("   ", "error: invalid search query: the query has no words to search for: type a word, a \"phrase\", or a filter such as tag:NAME"),
        ];
        for (input, expected) in cases {
            assert_eq!(compiled(input), expected, "{input}");
        }
    }

    #[test]
    fn the_word_being_typed_becomes_a_prefix() {
        let cases = [
            ("alli", "alli*"),
            ("security guar", "security guar*"),
            ("Київ", "Київ*"),
            ("allies ", "allies"),
            ("\"security guarantees\"", "\"security guarantees\""),
            ("\"security guar", "\"security guar"),
            ("-kremlin", "-kremlin"),
            ("tag:NATO", "tag:NATO"),
            ("nato*", "nato*"),
            ("e.g", "e.g"),
            ("a", "a"),
            ("nato a", "nato a"),
            ("   ", ""),
        ];
        for (typed, expected) in cases {
            assert_eq!(as_you_type(typed), expected, "{typed:?}");
        }
    }
}
