//! Search: Quire's own query language compiled to a safe FTS5 expression.
//!
//! Syntax: `word`, `"a phrase"`, `prefix*`, `-excluded` / `-"excluded phrase"`, and filters
//! `tag:NAME` / `tag:"NAME WITH SPACES"` (the tag or a sub-tag, on the article or one of its
//! highlights), `site:TEXT`, `is:unread|read|archived|favorite`, `has:highlights|notes`.
//! Every word reaches FTS5 as a quoted string, so no user text is ever parsed as FTS5 syntax:
//! `AND`, `(`, `NEAR` are searched for literally (punctuation alone is ignored, as FTS5's
//! tokenizer would). Unclosed quotes and empty or unknown filters are clear errors.

use std::collections::HashMap;

use crate::store::articles::{self, Page};
use crate::store::{highlights, index, tags};
use crate::{ArticleFilter, Error, Field, Library, Result, SearchHit, SnippetPart, Sort, Status};

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
    /// The term as an FTS5 string: always double-quoted, inner quotes doubled.
    fn to_fts(&self) -> String {
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

    fn match_all(&self) -> Option<String> {
        join_terms(&self.terms, " AND ")
    }
}

fn join_terms(terms: &[Term], op: &str) -> Option<String> {
    (!terms.is_empty()).then(|| terms.iter().map(Term::to_fts).collect::<Vec<_>>().join(op))
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

/// The fields snippets come from, in the order they are preferred, with their index column.
const FIELDS: [(Field, usize); 5] = [
    (Field::Body, index::BODY),
    (Field::Quote, index::QUOTES),
    (Field::Note, index::NOTES),
    (Field::Title, index::TITLE),
    (Field::Byline, index::BYLINE),
];

impl Library {
    /// Searches the library with a query typed by the user; results ranked by bm25 (title
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
        if let Some(excluded) = join_terms(&q.excluded, " OR ") {
            filter.not_matching(&excluded);
        }
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
        let limit = request.filter.limit.unwrap_or(50);
        let offset = request.filter.offset.unwrap_or(0);
        let store = self.store();
        let conn = store.read();
        let matching = q.match_all();
        let ranked = match (&matching, request.filter.sort) {
            (None, sort) if sort != Sort::Clipped => {
                let page = Page { limit: Some(limit.max(1)), offset: Some(offset) };
                articles::ids(conn, &filter, sort, page)?.into_iter().map(|id| (id, 0.0)).collect()
            }
            _ => index::ranked(conn, matching.as_deref(), &filter, limit, offset)?,
        };
        // Ranks first and makes snippets afterwards, only for the rows kept: SQLite evaluates
        // every selected column before it sorts, and a snippet costs far more than a rank.
        let ids: Vec<i64> = ranked.iter().map(|(id, _)| *id).collect();
        let columns: Vec<usize> = FIELDS.iter().map(|(_, col)| *col).collect();
        let mut snippets = match &matching {
            Some(expr) => index::snippets(conn, expr, &columns, &ids)?,
            None => HashMap::new(),
        };
        let any_term = join_terms(&q.terms, " OR ");
        let mut hits = Vec::with_capacity(ranked.len());
        for (id, rank) in ranked {
            let texts = snippets.remove(&id).unwrap_or_default();
            let mut matched_in = Vec::new();
            let mut snippet = Vec::new();
            for ((field, _), text) in FIELDS.iter().zip(&texts) {
                if text.contains(index::OPEN) {
                    matched_in.push(*field);
                    if snippet.is_empty() {
                        snippet = split_snippet(text);
                    }
                }
            }
            let highlights = match &any_term {
                Some(expr) => index::matching_highlights(conn, expr, id)?
                    .into_iter()
                    .map(|h| highlights::get(conn, h))
                    .collect::<Result<Vec<_>>>()?,
                None => Vec::new(),
            };
            let article = articles::summary(conn, id)?;
            hits.push(SearchHit { article, rank, matched_in, snippet, highlights });
        }
        Ok(hits)
    }
}

fn split_snippet(text: &str) -> Vec<SnippetPart> {
    let mut parts = Vec::new();
    let mut rest = text;
    let (open_mark, close_mark) = (index::OPEN, index::CLOSE);
    while let Some(open) = rest.find(open_mark) {
        if open > 0 {
            parts.push(SnippetPart { text: rest[..open].to_owned(), hit: false });
        }
        let after = &rest[open + open_mark.len_utf8()..];
        let close = after.find(close_mark).unwrap_or(after.len());
        parts.push(SnippetPart { text: after[..close].to_owned(), hit: true });
        rest = after.get(close + close_mark.len_utf8()..).unwrap_or("");
    }
    if !rest.is_empty() {
        parts.push(SnippetPart { text: rest.to_owned(), hit: false });
    }
    parts
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
    fn queries_compile_to_quoted_fts() {
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

    #[test]
    fn snippets_split_on_markers() {
        let parts = split_snippet("…the \u{2}allies\u{3} and \u{2}NATO\u{3}");
        let shown: Vec<(String, bool)> = parts.into_iter().map(|p| (p.text, p.hit)).collect();
        assert_eq!(
            shown,
            [("…the ".into(), false), ("allies".into(), true), (" and ".into(), false), ("NATO".into(), true)]
        );
    }
}
