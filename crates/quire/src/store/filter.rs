//! The one builder of article filters: a `WHERE` condition over `articles a` and its bound
//! parameters. The library list, its count, search and export all select articles through it,
//! so a filter means the same everywhere. User text is only ever a bound parameter.

use rusqlite::types::Value;
use rusqlite::Connection;

use super::tags::{key_or_sub, KEY_OR_SUB};
use super::values::Sql;
use crate::{Result, Status};

/// A condition on `articles a`, built from typed criteria.
#[derive(Debug, Clone)]
pub(crate) struct Filter {
    cond: String,
    args: Vec<Value>,
    /// Tag keys (each: the tag or a sub-tag, on the article or one of its highlights); their
    /// SQL is chosen when the filter runs, by how many articles carry the tag.
    tags: Vec<String>,
}

impl Default for Filter {
    fn default() -> Self {
        Self { cond: String::from("1"), args: Vec::new(), tags: Vec::new() }
    }
}

/// A tag on at least this many articles is checked row by row while the list is read in its
/// order (the first page is found early); a rarer one is read from the tag's side. Measured at
/// 100,000 articles: below ~3,000-4,000 articles (3-4 %), gathering the tag's articles once
/// costs less than checking the ~50/density rows read before a page of 50 is found.
const DENSE_TAG: i64 = 3500;

/// A tag on at least this many articles (but fewer than [`DENSE_TAG`]) is gathered once and
/// looked up as the list is read in order; a rarer one is read from its side and sorted.
const WALKED_TAG: i64 = 300;

impl Filter {
    /// Articles carrying the tag (by key, see `tags::key_of`) or one of its sub-tags, on the
    /// article itself or on one of its highlights.
    pub(crate) fn tag(&mut self, key: &str) -> &mut Self {
        self.tags.push(key.to_owned());
        self
    }

    /// The condition for a list read in `sort`'s order. The status and favorite indexes serve
    /// the newest-first order only; in another order the order's own index is read and status
    /// and favorite are checked row by row (a page of 50 is found within a few hundred rows),
    /// which SQLite is told by the unary `+` that keeps it off their indexes.
    pub(crate) fn resolve_sorted(&self, conn: &Connection, sort: crate::Sort) -> Result<(String, Vec<Value>)> {
        let (cond, args) = self.resolve(conn)?;
        if sort == crate::Sort::Clipped {
            return Ok((cond, args));
        }
        // Both fragments are written only by `statuses` and `favorite` above.
        Ok((
            cond.replace(" AND a.status IN (", " AND +a.status IN (")
                .replace(" AND a.favorite = ", " AND +a.favorite = "),
            args,
        ))
    }

    /// The whole condition and its parameters, for this library: a rare tag is read from its
    /// own side (its articles, then sorted), a common one is checked row by row as the list is
    /// read in order (a page is found long before the end).
    pub(crate) fn resolve(&self, conn: &Connection) -> Result<(String, Vec<Value>)> {
        let mut cond = self.cond.clone();
        let mut args = self.args.clone();
        for key in &self.tags {
            let pair = key_or_sub(key);
            // How common the tag is: its articles' tags and its highlights' (a topic can be
            // on highlights only), counted up to the first threshold.
            let dense: i64 = conn.query_row(
                &format!(
                    "SELECT count(*) FROM (
                        SELECT 1 FROM article_tags at WHERE at.tag_id IN (SELECT t.id FROM tags t WHERE {KEY_OR_SUB})
                        UNION ALL
                        SELECT 1 FROM highlight_tags ht WHERE ht.tag_id IN (SELECT t.id FROM tags t WHERE {KEY_OR_SUB})
                        LIMIT {DENSE_TAG})"
                ),
                rusqlite::params_from_iter(pair.iter().chain(&pair)),
                |r| r.get(0),
            )?;
            // The tag and its sub-tags, found once (not joined and matched again per row).
            let ids = format!("(SELECT t.id FROM tags t WHERE {KEY_OR_SUB})");
            if dense >= DENSE_TAG {
                // Common: each row of the list, read in order, is checked (a page comes early).
                cond.push_str(&format!(
                    " AND (EXISTS (SELECT 1 FROM article_tags at WHERE at.article_id = a.id AND at.tag_id IN {ids})
                           OR EXISTS (SELECT 1 FROM highlights h JOIN highlight_tags ht ON ht.highlight_id = h.id
                                      WHERE h.article_id = a.id AND ht.tag_id IN {ids}))"
                ));
            } else {
                // Rarer: the tag's articles, gathered once. Fairly common ones (`WALKED_TAG`
                // and more) are then looked up as the list is read in its order (`+` keeps
                // SQLite on the order's index: a page is found within a few thousand rows);
                // rare ones are read by id and sorted.
                // `UNION ALL`: the `IN` list keeps each id once anyway; a second set to
                // remove repeats cost ~0.15 ms of a 4.5 ms list at 100,000 articles.
                let walk = if dense >= WALKED_TAG { "+" } else { "" };
                cond.push_str(&format!(
                    " AND {walk}a.id IN (
                        SELECT at.article_id FROM article_tags at WHERE at.tag_id IN {ids}
                        UNION ALL
                        SELECT h.article_id FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id
                        WHERE ht.tag_id IN {ids})"
                ));
            }
            args.extend(pair.iter().chain(&pair).map(|a| Value::from(a.clone())));
        }
        Ok((cond, args))
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
        // A literal, not a parameter: SQLite uses the favorites' partial index only then.
        self.cond.push_str(if favorite { " AND a.favorite = 1" } else { " AND a.favorite = 0" });
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
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeSet;

    use rusqlite::Connection;

    use super::Filter;
    use crate::store::articles::{self, Page};
    use crate::Sort;

    /// The ids of the list's rows.
    fn ids(conn: &Connection, filter: &Filter, sort: Sort, page: Page) -> Vec<i64> {
        articles::list(conn, filter, sort, page).unwrap().into_iter().map(|a| a.id).collect()
    }

    /// A library of 5,000 bare articles: "dense" on 4,000 of them (as a sub-tag on most, on a
    /// highlight on some), "middle" on 500 (gathered, then walked in order), "sparse" on 20.
    fn library() -> (Connection, BTreeSet<i64>, BTreeSet<i64>, BTreeSet<i64>) {
        let mut conn = Connection::open_in_memory().unwrap();
        super::super::migrate::migrate(&mut conn, std::path::Path::new(":memory:")).unwrap();
        let tx = conn.transaction().unwrap();
        for (id, key) in [(1, "dense"), (2, "dense/sub"), (3, "sparse"), (4, "other"), (5, "middle")] {
            tx.execute("INSERT INTO tags (id, name, key) VALUES (?1, ?2, ?2)", rusqlite::params![id, key]).unwrap();
        }
        let (mut dense, mut middle, mut sparse) = (BTreeSet::new(), BTreeSet::new(), BTreeSet::new());
        for id in 1..=5000i64 {
            tx.execute(
                "INSERT INTO articles (id, title, clipped_at, updated_at, body, text_version, content_hash, word_count)
                 VALUES (?1, printf('t%d', ?1 * 7919 % 5000), printf('2026-01-01T%02d:%02d:%02dZ', ?1 / 3600, ?1 / 60 % 60, ?1 % 60),
                         '', x'', 1, ?1, 0)",
                [id],
            )
            .unwrap();
            let tag = match id % 5 {
                0 => None,
                1 => Some(1),
                _ => Some(2),
            };
            if let Some(tag) = tag.filter(|_| id % 10 != 3) {
                tx.execute("INSERT INTO article_tags VALUES (?1, ?2)", [id, tag]).unwrap();
                dense.insert(id);
            }
            if id % 10 == 3 {
                // On a highlight only.
                tx.execute(
                    "INSERT INTO highlights (id, article_id, exact, prefix, suffix, start_offset, end_offset,
                                             text_version, color, created_at, updated_at)
                     VALUES (?1, ?1, 'q', '', '', 0, 1, 1, 'yellow', '', '')",
                    [id],
                )
                .unwrap();
                tx.execute("INSERT INTO highlight_tags VALUES (?1, 2)", [id]).unwrap();
                dense.insert(id);
            }
            if id % 250 == 7 {
                tx.execute("INSERT INTO article_tags VALUES (?1, 3)", [id]).unwrap();
                sparse.insert(id);
            }
            if id % 10 == 6 {
                tx.execute("INSERT INTO article_tags VALUES (?1, 5)", [id]).unwrap();
                middle.insert(id);
            }
        }
        tx.commit().unwrap();
        (conn, dense, middle, sparse)
    }

    /// Every order's first page comes from an index, with or without a status or favorite
    /// filter: no plan sorts the whole library (a page of 50 then takes milliseconds at
    /// 100,000 articles instead of a sort of all of them).
    #[test]
    fn every_order_reads_its_first_page_from_an_index() {
        let (conn, ..) = library();
        for sort in [Sort::Clipped, Sort::Published, Sort::Title, Sort::Site] {
            let mut filters = vec![("none", Filter::default())];
            let mut unread = Filter::default();
            unread.statuses(&[crate::Status::Unread]);
            filters.push(("status", unread));
            let mut favorite = Filter::default();
            favorite.favorite(true);
            filters.push(("favorite", favorite));
            for (name, filter) in filters {
                let (cond, args) = filter.resolve_sorted(&conn, sort).unwrap();
                let sql = format!(
                    "EXPLAIN QUERY PLAN SELECT a.id FROM articles a WHERE {cond}{} LIMIT 50",
                    articles::order_by(sort)
                );
                let mut stmt = conn.prepare(&sql).unwrap();
                let plan: Vec<String> = stmt
                    .query_map(rusqlite::params_from_iter(args.iter()), |r| r.get::<_, String>(3))
                    .unwrap()
                    .collect::<rusqlite::Result<_>>()
                    .unwrap();
                assert!(!plan.iter().any(|step| step.contains("TEMP B-TREE")), "{sort:?} with {name}: {plan:?}");
            }
        }
    }

    #[test]
    fn rare_and_common_tags_select_the_same_as_their_definition() {
        let (conn, dense, middle, sparse) = library();
        let n = |set: &BTreeSet<i64>| set.len() as i64;
        assert!(n(&dense) >= super::DENSE_TAG, "the dense tag is checked row by row");
        assert!((super::WALKED_TAG..super::DENSE_TAG).contains(&n(&middle)), "the middle tag is walked");
        assert!(n(&sparse) < super::WALKED_TAG, "the sparse tag is read from its side");
        for (key, want) in [("dense", &dense), ("middle", &middle), ("sparse", &sparse)] {
            let mut filter = Filter::default();
            filter.tag(key);
            for sort in [Sort::Clipped, Sort::Title] {
                let all = ids(&conn, &filter, sort, Page { limit: None, offset: None });
                assert_eq!(all.iter().copied().collect::<BTreeSet<i64>>(), *want, "{key}");
                let mut ordered: Vec<i64> = want.iter().copied().collect();
                match sort {
                    Sort::Title => ordered.sort_by_key(|id| (format!("t{}", id * 7919 % 5000), *id)),
                    _ => ordered.sort_by_key(|id| std::cmp::Reverse(*id)),
                }
                assert_eq!(all, ordered, "{key} {sort:?}");
                // The first page is the first of them in the order, in order; so is the next.
                let page = ids(&conn, &filter, sort, Page { limit: Some(5), offset: Some(0) });
                assert_eq!(page, all[..5], "{key} {sort:?}");
                let next = ids(&conn, &filter, sort, Page { limit: Some(5), offset: Some(5) });
                assert_eq!(next, all[5..10], "{key} {sort:?}");
            }
            assert_eq!(articles::count(&conn, &filter).unwrap().articles, want.len());
        }
        // Both at once: what carries both.
        let mut both = Filter::default();
        both.tag("dense").tag("sparse");
        let got: BTreeSet<i64> =
            ids(&conn, &both, Sort::Title, Page { limit: None, offset: None }).into_iter().collect();
        assert_eq!(got, dense.intersection(&sparse).copied().collect());
    }
}
