//! The one builder of article filters: a `WHERE` condition over `articles a` and its bound
//! parameters. The library list, its count, search and export all select articles through it,
//! so a filter means the same everywhere. User text is only ever a bound parameter.

use rusqlite::types::Value;

use super::tags::{key_or_sub, KEY_OR_SUB};
use super::values::Sql;
use crate::Status;

/// A condition on `articles a`, built from typed criteria.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    cond: String,
    args: Vec<Value>,
}

impl Default for Filter {
    fn default() -> Self {
        Self { cond: String::from("1"), args: Vec::new() }
    }
}

impl Filter {
    /// Articles carrying the tag (by key, see `tags::key_of`) or one of its sub-tags, on the
    /// article itself or on one of its highlights.
    pub(crate) fn tag(&mut self, key: &str) -> &mut Self {
        self.cond.push_str(&format!(
            " AND a.id IN (
                SELECT at.article_id FROM article_tags at JOIN tags t ON t.id = at.tag_id WHERE {KEY_OR_SUB}
                UNION
                SELECT h.article_id FROM highlight_tags ht JOIN tags t ON t.id = ht.tag_id
                JOIN highlights h ON h.id = ht.highlight_id WHERE {KEY_OR_SUB})"
        ));
        let args = key_or_sub(key);
        self.args.extend(args.iter().chain(&args).map(|a| Value::from(a.clone())));
        self
    }

    /// Articles with one of these statuses (no condition when empty).
    pub(crate) fn statuses(&mut self, statuses: &[Status]) -> &mut Self {
        if !statuses.is_empty() {
            let marks = vec!["?"; statuses.len()].join(", ");
            self.cond.push_str(&format!(" AND a.status IN ({marks})"));
            self.args.extend(statuses.iter().map(|s| Value::from(Sql(*s))));
        }
        self
    }

    pub(crate) fn favorite(&mut self, favorite: bool) -> &mut Self {
        self.cond.push_str(" AND a.favorite = ?");
        self.args.push(i64::from(favorite).into());
        self
    }

    /// Articles whose site name or address contains `site` (lower case).
    pub(crate) fn site(&mut self, site: &str) -> &mut Self {
        self.cond.push_str(
            " AND (instr(lower(coalesce(a.site_name, '')), ?) > 0
                   OR instr(lower(coalesce(a.canonical_url, a.source_url, '')), ?) > 0)",
        );
        self.args.extend([site.to_owned().into(), site.to_owned().into()]);
        self
    }

    pub(crate) fn has_highlights(&mut self) -> &mut Self {
        self.cond.push_str(" AND EXISTS (SELECT 1 FROM highlights h WHERE h.article_id = a.id)");
        self
    }

    pub(crate) fn has_notes(&mut self) -> &mut Self {
        self.cond.push_str(" AND EXISTS (SELECT 1 FROM highlights h WHERE h.article_id = a.id AND h.note != '')");
        self
    }

    /// The condition, to follow `WHERE`.
    pub(crate) fn condition(&self) -> &str {
        &self.cond
    }

    /// Its parameters, in order.
    pub(crate) fn args(&self) -> impl rusqlite::Params + '_ {
        rusqlite::params_from_iter(self.args.iter())
    }
}
