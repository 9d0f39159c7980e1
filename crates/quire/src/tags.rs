//! Tags: paths with `/` for hierarchy ("NATO accession/Finland"), unique case-insensitively.

use std::collections::{BTreeMap, BTreeSet};

use crate::store::tags::{self as stored, Carrier};
use crate::{Error, Library, Result, TagCount};

/// Trims every `/`-separated segment, collapses inner whitespace and drops empty segments:
/// `" NATO  accession / Finland/ "` → `"NATO accession/Finland"`.
pub fn normalize_tag(name: &str) -> Result<String> {
    let segments: Vec<String> =
        name.split('/').map(|s| s.split_whitespace().collect::<Vec<_>>().join(" ")).filter(|s| !s.is_empty()).collect();
    if segments.is_empty() {
        return Err(Error::InvalidTag(name.to_owned()));
    }
    Ok(segments.join("/"))
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
        let cases = [
            (" NATO  accession / Finland/ ", Ok("NATO accession/Finland")),
            ("Zelensky", Ok("Zelensky")),
            ("//a//b//", Ok("a/b")),
            ("   ", Err(())),
            (" / / ", Err(())),
        ];
        for (input, expected) in cases {
            assert_eq!(normalize_tag(input).map_err(|_| ()), expected.map(str::to_owned), "{input:?}");
        }
    }
}
