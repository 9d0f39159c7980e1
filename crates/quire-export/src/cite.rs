//! Articles as references: CSL-JSON (for Zotero, pandoc and every CSL processor), BibLaTeX,
//! and formatted citations rendered by a CSL engine (hayagriva, with the official CSL styles
//! it bundles).
//!
//! One kind is chosen per article, the same in every format ([`Kind::of`]): a blog post when
//! the site or the address says so, a newspaper article when the article has a site name and a
//! publication date, else a web page.
//!
//! Bylines are split into people ([`authors`]): "A and B", "A, B and C", "A & B", "By A";
//! a one-word name or an organization ("Reuters Staff") is kept whole, as a literal.

use crate::{Article, Error, Result};
use hayagriva::archive::ArchivedStyle;
use hayagriva::citationberg::{IndependentStyle, Locale, Style};
use hayagriva::types::{Date, EntryType, FormatString, Person, QualifiedUrl};
use hayagriva::{BibliographyDriver, BibliographyRequest, BufWriteFormat, CitationItem};
use hayagriva::{CitationRequest, Entry};
use serde::Serialize;
use std::collections::HashSet;
use std::fmt::Write as _;
use std::str::FromStr;
use std::sync::OnceLock;

/// What kind of publication an article is cited as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// CSL `post-weblog`, BibLaTeX `@online`.
    BlogPost,
    /// CSL `article-newspaper`, BibLaTeX `@article` with a `journaltitle`.
    NewspaperArticle,
    /// CSL `webpage`, BibLaTeX `@online`.
    Webpage,
}

impl Kind {
    /// A blog post when the site name or the address's host contains "blog" or its path has a
    /// `/blog/` segment; a newspaper article when it has a site name and a publication date;
    /// else a web page.
    pub fn of(article: &Article) -> Kind {
        let site_says_blog = article.site.as_deref().is_some_and(|s| s.to_lowercase().contains("blog"));
        let url_says_blog = article.web_address().and_then(|u| url::Url::parse(u).ok()).is_some_and(|u| {
            u.host_str().is_some_and(|h| h.to_lowercase().contains("blog"))
                || u.path_segments().is_some_and(|mut s| s.any(|seg| seg.eq_ignore_ascii_case("blog")))
        });
        if site_says_blog || url_says_blog {
            Kind::BlogPost
        } else if site(article).is_some() && date(article.published.as_deref()).is_some() {
            Kind::NewspaperArticle
        } else {
            Kind::Webpage
        }
    }

    pub fn csl_type(self) -> &'static str {
        match self {
            Kind::BlogPost => "post-weblog",
            Kind::NewspaperArticle => "article-newspaper",
            Kind::Webpage => "webpage",
        }
    }
}

/// One author of a byline.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Name {
    Person {
        family: String,
        given: String,
    },
    /// An organization or a one-word name, kept as written.
    Literal(String),
}

impl Name {
    /// The family name, or the literal.
    pub fn family(&self) -> &str {
        match self {
            Name::Person { family, .. } => family,
            Name::Literal(l) => l,
        }
    }
}

/// Words that make a byline part an organization rather than a person.
const ORGANIZATION_WORDS: &[&str] = &[
    "agency",
    "associated",
    "board",
    "bureau",
    "committee",
    "contributors",
    "correspondent",
    "correspondents",
    "desk",
    "editorial",
    "editors",
    "inc",
    "inc.",
    "ltd",
    "ltd.",
    "network",
    "news",
    "newsroom",
    "press",
    "reporters",
    "reuters",
    "staff",
    "team",
    "writers",
    "afp",
    "ap",
    "bbc",
    "cnn",
    "foundation",
    "institute",
    "university",
    "council",
    "society",
];

/// Lower-case name particles that belong to the family name ("Ludwig van Beethoven").
const PARTICLES: &[&str] = &["van", "von", "de", "da", "del", "della", "der", "di", "du", "la", "le", "ter", "den"];

/// The people (or organizations) of a byline.
pub fn authors(byline: &str) -> Vec<Name> {
    let s = byline.split_whitespace().collect::<Vec<_>>().join(" ");
    let s = match s.get(..3) {
        Some(by) if by.eq_ignore_ascii_case("by ") => &s[3..],
        _ if s.eq_ignore_ascii_case("by") => "",
        _ => &s,
    };
    let s = s.trim().trim_end_matches(['.', ',', ';']).trim();
    if s.is_empty() {
        return Vec::new();
    }
    // "Doe, Jane": one comma between two single words and no conjunction is an inverted name.
    if let Some((family, given)) = s.split_once(", ") {
        let conj = [" and ", " & ", ";", ","].iter().any(|c| given.contains(c));
        let word = |w: &str| !w.is_empty() && w.chars().all(|c| c.is_alphabetic() || "-'’.".contains(c));
        if !conj && word(family) && word(given) && !is_organization(s) {
            return vec![Name::Person { family: family.to_owned(), given: given.to_owned() }];
        }
    }
    let mut parts = vec![s.to_owned()];
    for sep in [";", " and ", " And ", " AND ", " & ", ","] {
        parts = parts.iter().flat_map(|p| p.split(sep).map(str::to_owned).collect::<Vec<_>>()).collect();
    }
    parts
        .iter()
        .map(|p| p.trim().trim_start_matches("and ").trim())
        .filter(|p| !p.is_empty() && !["and", "&"].contains(p))
        .map(name)
        .collect()
}

fn is_organization(s: &str) -> bool {
    s.split(|c: char| c.is_whitespace() || ",;".contains(c))
        .any(|w| ORGANIZATION_WORDS.contains(&w.to_lowercase().as_str()))
}

fn name(part: &str) -> Name {
    let words: Vec<&str> = part.split_whitespace().collect();
    if words.len() < 2 || is_organization(part) {
        return Name::Literal(part.to_owned());
    }
    // The family name starts at the first lower-case particle after the first word, else it is
    // the last word.
    let split = (1..words.len() - 1).find(|&i| PARTICLES.contains(&words[i])).unwrap_or(words.len() - 1);
    Name::Person { family: words[split..].join(" "), given: words[..split].join(" ") }
}

fn site(article: &Article) -> Option<&str> {
    article.site.as_deref().map(str::trim).filter(|s| !s.is_empty())
}

/// Year, month and day from the start of an RFC 3339 timestamp or an ISO date (`2023`,
/// `2023-07`, `2023-07-12`, `2023-07-12T…`); `None` when it does not start with a year.
pub fn date(s: Option<&str>) -> Option<(i32, Option<u8>, Option<u8>)> {
    let s = s?.trim();
    let mut it = s.splitn(3, '-');
    let year = it.next()?;
    if year.len() != 4 || !year.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let year: i32 = year.parse().ok()?;
    let two = |p: Option<&str>, max: u8| {
        let p = p?.get(..2)?;
        let n: u8 = p.parse().ok()?;
        (1..=max).contains(&n).then_some(n)
    };
    let month = two(it.next(), 12);
    let day = month.and_then(|_| two(it.next(), 31));
    Some((year, month, day))
}

fn iso(d: (i32, Option<u8>, Option<u8>)) -> String {
    match d {
        (y, Some(m), Some(day)) => format!("{y:04}-{m:02}-{day:02}"),
        (y, Some(m), None) => format!("{y:04}-{m:02}"),
        (y, _, _) => format!("{y:04}"),
    }
}

fn csl_id(article: &Article) -> String {
    format!("quire-{}", article.id)
}

// ---------------------------------------------------------------------------------------------
// CSL-JSON

#[derive(Serialize)]
struct CslItem<'a> {
    id: String,
    #[serde(rename = "type")]
    kind: &'static str,
    title: &'a str,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    author: Vec<CslName>,
    #[serde(rename = "container-title", skip_serializing_if = "Option::is_none")]
    container_title: Option<&'a str>,
    #[serde(rename = "URL", skip_serializing_if = "Option::is_none")]
    url: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    issued: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    accessed: Option<CslDate>,
    #[serde(skip_serializing_if = "Option::is_none")]
    language: Option<&'a str>,
}

#[derive(Serialize)]
#[serde(untagged)]
enum CslName {
    Person { family: String, given: String },
    Literal { literal: String },
}

#[derive(Serialize)]
struct CslDate {
    #[serde(rename = "date-parts")]
    date_parts: [Vec<i32>; 1],
}

fn csl_date(d: Option<(i32, Option<u8>, Option<u8>)>) -> Option<CslDate> {
    let (y, m, day) = d?;
    let mut parts = vec![y];
    parts.extend(m.map(i32::from));
    parts.extend(m.and(day).map(i32::from));
    Some(CslDate { date_parts: [parts] })
}

/// The articles as a CSL-JSON array (only fields of the CSL schema), ids `quire-ID`.
pub fn csl_json(articles: &[Article]) -> Result<String> {
    let items: Vec<CslItem<'_>> = articles
        .iter()
        .map(|a| CslItem {
            id: csl_id(a),
            kind: Kind::of(a).csl_type(),
            title: a.title.trim(),
            author: authors(a.author.as_deref().unwrap_or(""))
                .into_iter()
                .map(|n| match n {
                    Name::Person { family, given } => CslName::Person { family, given },
                    Name::Literal(literal) => CslName::Literal { literal },
                })
                .collect(),
            container_title: site(a),
            url: a.web_address(),
            issued: csl_date(date(a.published.as_deref())),
            accessed: csl_date(date(Some(&a.clipped))),
            language: a.language.as_deref().map(str::trim).filter(|l| !l.is_empty()),
        })
        .collect();
    serde_json::to_string_pretty(&items).map_err(|source| Error::Json { what: "the CSL-JSON", source })
}

// ---------------------------------------------------------------------------------------------
// BibLaTeX

/// `text` with LaTeX's special characters escaped; other characters (non-ASCII included) as
/// they are, for biber reads UTF-8.
pub fn latex_escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '\\' => out.push_str("\\textbackslash{}"),
            '{' | '}' | '%' | '&' | '$' | '#' | '_' => {
                out.push('\\');
                out.push(c);
            }
            '^' => out.push_str("\\textasciicircum{}"),
            '~' => out.push_str("\\textasciitilde{}"),
            c if c.is_whitespace() => {
                if !out.ends_with(' ') {
                    out.push(' ');
                }
            }
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
    out.trim().to_owned()
}

/// An escaped title with every word after the first that has a capital letter braced, so that
/// a style's sentence case keeps it ("Why {I} keep {NATO}"): Quire keeps titles as the page
/// wrote them, so its capitals are meant.
fn protect_case(escaped: &str) -> String {
    escaped
        .split(' ')
        .enumerate()
        .map(|(i, w)| if i > 0 && w.chars().any(char::is_uppercase) { format!("{{{w}}}") } else { w.to_owned() })
        .collect::<Vec<_>>()
        .join(" ")
}

/// A URL inside a verbatim field: only the braces and backslashes that would unbalance it are
/// percent-encoded.
fn bib_url(url: &str) -> String {
    url.trim().replace('\\', "%5C").replace('{', "%7B").replace('}', "%7D").replace(char::is_whitespace, "%20")
}

/// ASCII letters and digits of `s`, lower-cased, common Latin accents folded.
fn key_part(s: &str) -> String {
    let mut out = String::new();
    for c in s.chars().flat_map(char::to_lowercase) {
        let folded = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'ā' | 'ą' => "a",
            'æ' => "ae",
            'ç' | 'ć' | 'č' => "c",
            'ď' | 'đ' => "d",
            'è' | 'é' | 'ê' | 'ë' | 'ē' | 'ę' | 'ě' => "e",
            'ì' | 'í' | 'î' | 'ï' | 'ī' => "i",
            'ł' => "l",
            'ñ' | 'ń' | 'ň' => "n",
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'ō' | 'ő' => "o",
            'œ' => "oe",
            'ř' => "r",
            'ś' | 'š' | 'ş' => "s",
            'ß' => "ss",
            'ť' | 'ţ' => "t",
            'ù' | 'ú' | 'û' | 'ü' | 'ū' | 'ů' | 'ű' => "u",
            'ý' | 'ÿ' => "y",
            'ź' | 'ż' | 'ž' => "z",
            c if c.is_ascii_alphanumeric() => {
                out.push(c);
                continue;
            }
            _ => continue,
        };
        out.push_str(folded);
    }
    out
}

const KEY_STOPWORDS: &[&str] = &["a", "an", "the", "of", "on", "in", "to", "and", "for", "is"];

/// `familyYEARfirstword`: the first author's family name (or first word of a literal, else
/// `anon`), the publication year when known, the title's first significant word.
fn base_key(article: &Article) -> String {
    let first_author = authors(article.author.as_deref().unwrap_or("")).into_iter().next();
    let who = match &first_author {
        Some(Name::Person { family, .. }) => key_part(family.rsplit(' ').next().unwrap_or(family)),
        Some(Name::Literal(l)) => key_part(l.split_whitespace().next().unwrap_or("")),
        None => String::new(),
    };
    let who = if who.is_empty() { "anon".to_owned() } else { who };
    let year = date(article.published.as_deref()).map(|(y, _, _)| y.to_string()).unwrap_or_default();
    let word = article
        .title
        .split_whitespace()
        .map(key_part)
        .find(|w| !w.is_empty() && !KEY_STOPWORDS.contains(&w.as_str()))
        .unwrap_or_default();
    format!("{who}{year}{word}")
}

/// Letters to tell apart entries with the same key: b, c, …, z, ba, bb, …
fn suffix(mut n: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'a' + (n % 26) as u8);
        n /= 26;
        if n == 0 {
            break;
        }
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The babel/polyglossia name biblatex's `langid` takes for a BCP 47 tag's common primary
/// languages; others are left out.
fn babel_language(tag: &str) -> Option<&'static str> {
    let primary = tag.trim().split(['-', '_']).next()?.to_ascii_lowercase();
    Some(match primary.as_str() {
        "en" => "english",
        "de" => "ngerman",
        "fr" => "french",
        "es" => "spanish",
        "it" => "italian",
        "pt" => "portuguese",
        "nl" => "dutch",
        "sv" => "swedish",
        "da" => "danish",
        "nb" | "no" => "norsk",
        "fi" => "finnish",
        "pl" => "polish",
        "cs" => "czech",
        "ru" => "russian",
        "uk" => "ukrainian",
        "el" => "greek",
        "tr" => "turkish",
        _ => return None,
    })
}

/// The articles as BibLaTeX entries (`@online`, or `@article` with a `journaltitle` and
/// `entrysubtype` `newspaper` for a newspaper article). Capitalized words of titles after the
/// first are braced to keep their case. Keys are `familyYEARfirstword`; a key already taken gets `b`, `c`, …
/// appended, so the first article keeps the plain key.
pub fn bibtex(articles: &[Article]) -> String {
    let mut taken = HashSet::new();
    let mut out = String::new();
    for a in articles {
        let base = base_key(a);
        let mut key = base.clone();
        let mut n = 1;
        while !taken.insert(key.clone()) {
            key = format!("{base}{}", suffix(n));
            n += 1;
        }
        let kind = Kind::of(a);
        let mut fields: Vec<(&str, String)> = vec![("title", protect_case(&latex_escape(&a.title)))];
        if kind == Kind::NewspaperArticle {
            fields.push(("entrysubtype", "newspaper".to_owned()));
        }
        let names = authors(a.author.as_deref().unwrap_or(""));
        if !names.is_empty() {
            let list: Vec<String> = names
                .iter()
                .map(|n| match n {
                    Name::Person { family, given } => {
                        format!("{}, {}", latex_escape(family), latex_escape(given))
                    }
                    Name::Literal(l) => format!("{{{}}}", latex_escape(l)),
                })
                .collect();
            fields.push(("author", list.join(" and ")));
        }
        if let Some(d) = date(a.published.as_deref()) {
            fields.push(("date", iso(d)));
        }
        if let Some(s) = site(a) {
            let field = if kind == Kind::NewspaperArticle { "journaltitle" } else { "organization" };
            fields.push((field, latex_escape(s)));
        }
        if let Some(u) = a.web_address() {
            fields.push(("url", bib_url(u)));
        }
        if let Some(d) = date(Some(&a.clipped)) {
            fields.push(("urldate", iso(d)));
        }
        if let Some(l) = a.language.as_deref().and_then(babel_language) {
            fields.push(("langid", l.to_owned()));
        }
        let entry_type = if kind == Kind::NewspaperArticle { "article" } else { "online" };
        let _ = writeln!(out, "@{entry_type}{{{key},");
        for (name, value) in fields {
            let _ = writeln!(out, "  {name:<12} = {{{value}}},");
        }
        out.push_str("}\n\n");
    }
    if out.ends_with("\n\n") {
        out.pop();
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Formatted citations

/// A bibliography style, rendered with the official CSL style of the same name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CitationStyle {
    /// APA, 7th edition.
    Apa,
    /// Chicago Manual of Style, author-date.
    Chicago,
    /// MLA, 9th edition.
    Mla,
    /// Harvard (Cite Them Right).
    Harvard,
}

impl CitationStyle {
    pub const ALL: &'static [CitationStyle] =
        &[CitationStyle::Apa, CitationStyle::Chicago, CitationStyle::Mla, CitationStyle::Harvard];

    pub fn as_str(self) -> &'static str {
        match self {
            CitationStyle::Apa => "apa",
            CitationStyle::Chicago => "chicago",
            CitationStyle::Mla => "mla",
            CitationStyle::Harvard => "harvard",
        }
    }

    fn archived(self) -> ArchivedStyle {
        match self {
            CitationStyle::Apa => ArchivedStyle::AmericanPsychologicalAssociation,
            CitationStyle::Chicago => ArchivedStyle::ChicagoAuthorDate,
            CitationStyle::Mla => ArchivedStyle::ModernLanguageAssociation,
            CitationStyle::Harvard => ArchivedStyle::HarvardCiteThemRight,
        }
    }
}

impl FromStr for CitationStyle {
    type Err = Error;

    /// `apa`, `chicago`, `mla` or `harvard`, in any case, surrounding blanks ignored.
    fn from_str(s: &str) -> Result<CitationStyle> {
        let name = s.trim();
        CitationStyle::ALL
            .iter()
            .copied()
            .find(|c| c.as_str().eq_ignore_ascii_case(name))
            .ok_or_else(|| Error::UnknownStyle(s.to_owned()))
    }
}

impl std::fmt::Display for CitationStyle {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn hayagriva_date(d: (i32, Option<u8>, Option<u8>)) -> Date {
    // hayagriva counts months and days from 0.
    Date {
        year: d.0,
        month: d.1.map(|m| m - 1),
        day: d.1.and(d.2).map(|day| day - 1),
        approximate: false,
        season: None,
    }
}

fn entry(article: &Article) -> Entry {
    let kind = Kind::of(article);
    let (entry_type, parent_type) = match kind {
        Kind::BlogPost => (EntryType::Post, EntryType::Blog),
        Kind::NewspaperArticle => (EntryType::Article, EntryType::Newspaper),
        Kind::Webpage => (EntryType::Web, EntryType::Web),
    };
    let mut e = Entry::new(&csl_id(article), entry_type);
    let title = article.title.split_whitespace().collect::<Vec<_>>().join(" ");
    e.set_title(FormatString::from(title));
    let people: Vec<Person> = authors(article.author.as_deref().unwrap_or(""))
        .into_iter()
        .map(|n| {
            let (name, given_name) = match n {
                Name::Person { family, given } => (family, Some(given)),
                Name::Literal(l) => (l, None),
            };
            Person { name, given_name, prefix: None, suffix: None, comma_suffix: false, alias: None }
        })
        .collect();
    if !people.is_empty() {
        e.set_authors(people);
    }
    if let Some(d) = date(article.published.as_deref()) {
        e.set_date(hayagriva_date(d));
    }
    if let Some(u) = article.web_address().and_then(|u| url::Url::parse(u).ok()) {
        e.set_url(QualifiedUrl::new(u, date(Some(&article.clipped)).map(hayagriva_date)));
    }
    if let Some(s) = site(article) {
        let mut parent = Entry::new(&format!("{}-site", csl_id(article)), parent_type);
        parent.set_title(FormatString::from(s.to_owned()));
        e.set_parents(vec![parent]);
    }
    e
}

/// The bundled style, decoded once per process (decoding a style takes milliseconds).
fn style(style: CitationStyle) -> Result<&'static IndependentStyle> {
    static STYLES: [OnceLock<Option<IndependentStyle>>; 4] =
        [OnceLock::new(), OnceLock::new(), OnceLock::new(), OnceLock::new()];
    let index = CitationStyle::ALL.iter().position(|&s| s == style).unwrap_or(0);
    STYLES[index]
        .get_or_init(|| match style.archived().get() {
            Style::Independent(s) => Some(s),
            // The four styles are independent ones; a dependent one would be a bundling change.
            Style::Dependent(_) => None,
        })
        .as_ref()
        .ok_or_else(|| Error::UnknownStyle(style.as_str().to_owned()))
}

/// The bundled CSL locales, decoded once per process.
fn locales() -> &'static [Locale] {
    static LOCALES: OnceLock<Vec<Locale>> = OnceLock::new();
    LOCALES.get_or_init(hayagriva::archive::locales)
}

/// The article's bibliography entry in `style`, as plain text.
pub fn format(article: &Article, citation_style: CitationStyle) -> Result<String> {
    let style = style(citation_style)?;
    let locales = locales();
    let e = entry(article);
    let mut driver = BibliographyDriver::new();
    driver.citation(CitationRequest::from_items(vec![CitationItem::with_entry(&e)], style, locales));
    let rendered = driver.finish(BibliographyRequest::new(style, None, locales));
    let mut out = String::new();
    for item in rendered.bibliography.iter().flat_map(|b| &b.items) {
        if let Some(first) = &item.first_field {
            let _ = first.write_buf(&mut out, BufWriteFormat::Plain);
            out.push(' ');
        }
        let _ = item.content.write_buf(&mut out, BufWriteFormat::Plain);
    }
    Ok(out.split_whitespace().collect::<Vec<_>>().join(" "))
}

/// `"quote" — citation`, ready to paste (straight quotes, an em dash).
pub fn quote_with_citation(exact: &str, article: &Article, style: CitationStyle) -> Result<String> {
    let quote = exact.split_whitespace().collect::<Vec<_>>().join(" ");
    Ok(format!("\"{quote}\" \u{2014} {}", format(article, style)?))
}
