//! Tags: paths with `/` for hierarchy ("NATO accession/Finland"), unique case-insensitively.

use std::collections::{BTreeMap, BTreeSet};

use crate::store::tags::{self as stored, Carrier};
use crate::{Error, Library, Refusal, Result, TagCount};

/// The longest tag name, in characters (its `/` included).
pub const MAX_TAG_CHARS: usize = 200;
/// The most levels a tag has (`a/b/c` has three).
pub const MAX_TAG_LEVELS: usize = 10;
/// The most tags one request gives (one call, a captured page or selection, an imported
/// item): a highlight carries at most this many; an article can gather more, a request at a time.
pub const MAX_TAGS: usize = 50;

/// Trims every `/`-separated segment, collapses inner whitespace and drops empty segments:
/// `" NATO  accession / Finland/ "` → `"NATO accession/Finland"`. Control characters become
/// whitespace and zero-width ones go (two tags that look the same are the same tag), so a
/// segment of nothing visible is empty. Every tag name enters the library through here, so
/// here the limits are kept: at most [`MAX_TAG_CHARS`] characters and [`MAX_TAG_LEVELS`]
/// levels.
pub fn normalize_tag(name: &str) -> Result<String> {
    let segments: Vec<String> = name
        .split('/')
        .map(|s| {
            let visible: String = s
                .chars()
                .filter(|&c| !quire_clip::is_invisible(c) || matches!(c, '\u{200c}' | '\u{200d}'))
                .map(|c| if c.is_control() { ' ' } else { c })
                .collect();
            visible.split_whitespace().collect::<Vec<_>>().join(" ")
        })
        .filter(|s| quire_clip::has_visible_text(s))
        .collect();
    let start = |s: &str| s.chars().take(40).collect::<String>();
    if segments.is_empty() {
        return Err(Error::InvalidTag(start(name)));
    }
    let tag = segments.join("/");
    if tag.chars().count() > MAX_TAG_CHARS {
        return Err(Error::Refused(Refusal::TagTooLong(start(&tag))));
    }
    if segments.len() > MAX_TAG_LEVELS {
        return Err(Error::Refused(Refusal::TagTooDeep(start(&tag))));
    }
    Ok(tag)
}

/// Tag names normalized, each once (case-insensitively), at most [`MAX_TAGS`] of them.
pub(crate) fn normalize_tags(names: &[String]) -> Result<Vec<String>> {
    let mut tags: Vec<String> = Vec::new();
    for name in names {
        let tag = normalize_tag(name)?;
        if !tags.iter().any(|t| t.to_lowercase() == tag.to_lowercase()) {
            tags.push(tag);
        }
        if tags.len() > MAX_TAGS {
            return Err(Error::Refused(Refusal::TooManyTags(names.len())));
        }
    }
    Ok(tags)
}

impl Library {
    /// Every tag, with parents that exist only through their children, sorted by name. Counts
    /// include sub-tags: "NATO" counts what "NATO/Finland" carries.
    pub fn tags(&self) -> Result<Vec<TagCount>> {
        let carriers = stored::carriers(self.store().read())?;
        // key → (display name, explicit, articles, highlights)
        type Entry = (String, bool, BTreeSet<i64>, BTreeSet<i64>);
        let mut map: BTreeMap<String, Entry> = BTreeMap::new();
        for (name, carrier) in carriers {
            let segments: Vec<&str> = name.split('/').collect();
            for depth in 1..=segments.len() {
                let prefix = segments[..depth].join("/");
                let entry = map
                    .entry(prefix.to_lowercase())
                    .or_insert_with(|| (prefix.clone(), false, BTreeSet::new(), BTreeSet::new()));
                if depth == segments.len() {
                    entry.0 = prefix;
                    entry.1 = true;
                }
                match carrier {
                    Carrier::Article(id) => entry.2.insert(id),
                    Carrier::Highlight(id) => entry.3.insert(id),
                    Carrier::Itself => false,
                };
            }
        }
        Ok(map
            .into_values()
            .map(|(name, explicit, a, h)| TagCount {
                name,
                articles: a.len() as i64,
                highlights: h.len() as i64,
                explicit,
            })
            .collect())
    }

    /// Renames a tag and its sub-tags ("NATO accession/Finland" follows "NATO accession").
    /// Fails if the new name is already taken: merge instead.
    pub fn rename_tag(&self, from: &str, to: &str) -> Result<()> {
        let (from, to) = (normalize_tag(from)?, normalize_tag(to)?);
        self.store().write(|tx| stored::rename(tx, &from, &to, false))
    }

    /// Moves everything tagged `from` (and its sub-tags) to `into`, then deletes `from`.
    pub fn merge_tags(&self, from: &str, into: &str) -> Result<()> {
        let (from, into) = (normalize_tag(from)?, normalize_tag(into)?);
        self.store().write(|tx| stored::rename(tx, &from, &into, true))
    }
}

/// A topic: a tag with its sub-tags, as a dossier gathers it.
pub(crate) struct Topic {
    key: String,
}

impl Topic {
    pub(crate) fn new(tag: &str) -> Result<Self> {
        Ok(Topic { key: normalize_tag(tag)?.to_lowercase() })
    }

    /// Whether one of `tags` is the topic or one of its sub-tags.
    pub(crate) fn among(&self, tags: &[String]) -> bool {
        tags.iter().any(|t| {
            let t = t.to_lowercase();
            t == self.key || t.strip_prefix(&self.key).is_some_and(|rest| rest.starts_with('/'))
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tag_names_normalize() {
        let long = "x".repeat(MAX_TAG_CHARS + 1);
        let deep = ["a"; MAX_TAG_LEVELS + 1].join("/");
        let cases = [
            (" NATO  accession / Finland/ ".to_owned(), Ok("NATO accession/Finland".to_owned())),
            ("Zelensky".to_owned(), Ok("Zelensky".to_owned())),
            ("//a//b//".to_owned(), Ok("a/b".to_owned())),
            ("   ".to_owned(), Err("invalid tag name")),
            (" / / ".to_owned(), Err("invalid tag name")),
            // Hostile names: controls, zero-width characters, invisible segments.
            ("\u{1b}]0;pwned\u{7}tag\u{1b}[2J".to_owned(), Ok("]0;pwned tag [2J".to_owned())),
            ("a\u{0}b\nc\td\r".to_owned(), Ok("a b c d".to_owned())),
            ("NA\u{200b}TO\u{feff}/\u{200b}\u{2060}/x".to_owned(), Ok("NATO/x".to_owned())),
            ("\u{200b}\u{200d}\u{1b}".to_owned(), Err("invalid tag name")),
            ("کتاب\u{200c}ها".to_owned(), Ok("کتاب\u{200c}ها".to_owned())),
            ("x".repeat(MAX_TAG_CHARS), Ok("x".repeat(MAX_TAG_CHARS))),
            (long, Err("is too long")),
            (["a"; MAX_TAG_LEVELS].join("/"), Ok(["a"; MAX_TAG_LEVELS].join("/"))),
            (deep, Err("too many levels")),
        ];
        for (input, expected) in cases {
            match (normalize_tag(&input), expected) {
                (Ok(tag), Ok(want)) => assert_eq!(tag, want, "{input:?}"),
                (Err(e), Err(want)) => {
                    assert!(e.to_string().contains(want), "{input:?}: {e}");
                    assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
                }
                (got, want) => panic!("{input:?}: {got:?}, expected {want:?}"),
            }
        }
    }

    #[test]
    fn at_most_max_tags() {
        let names = |n: usize| (0..n).map(|i| format!("t{i}")).collect::<Vec<_>>();
        assert_eq!(normalize_tags(&names(MAX_TAGS)).unwrap().len(), MAX_TAGS);
        let e = normalize_tags(&names(MAX_TAGS + 1)).unwrap_err();
        assert_eq!(e.to_string(), "too many tags (51): at most 50 can be given at once");
        // The same tag many times is one tag.
        assert_eq!(normalize_tags(&vec!["Same".to_owned(); 1000]).unwrap(), ["Same"]);
        assert_eq!(normalize_tags(&["a".to_owned(), "A ".to_owned()]).unwrap(), ["a"]);
    }
}
