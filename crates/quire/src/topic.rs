//! Topic views: every quote carrying a tag, grouped by article, a page of articles at a time.

use std::collections::BTreeMap;

use crate::store::highlights::{self, Selection};
use crate::store::{articles, tags};
use crate::{normalize_tag, AnchorKind, Error, Highlight, Library, Result, Topic, TopicArticle, TopicPaging};

impl Library {
    /// The highlights carrying `tag` or one of its sub-tags, grouped by article: the page of
    /// articles `paging` asks for (newest clipped first; highlights in text order, orphans last
    /// in their article), with the whole topic's counts. A topic of thousands of quotes is
    /// read a page at a time: only the page's highlights are loaded.
    pub fn topic(&self, tag: &str, paging: TopicPaging) -> Result<Topic> {
        let name = normalize_tag(tag)?;
        let key = tags::key_of(&name);
        let store = self.store();
        let conn = store.read();
        if !tags::exists_with_children(conn, &key)? {
            return Err(Error::TagNotFound(tag.trim().to_owned()));
        }
        let page = highlights::topic_page(conn, &key, paging.limit, paging.offset)?;
        let mut by_article: BTreeMap<i64, Vec<Highlight>> = BTreeMap::new();
        // In chunks: a whole topic can have more articles than one statement takes parameters.
        for chunk in page.articles.chunks(5_000) {
            let selection = Selection { articles: Some(chunk), tag_key: Some(&key), ..Selection::default() };
            for h in highlights::select_in_context(conn, &selection)? {
                by_article.entry(h.highlight.article_id).or_default().push(h.highlight);
            }
        }
        let mut groups = Vec::with_capacity(page.articles.len());
        for id in page.articles {
            let mut own = by_article.remove(&id).unwrap_or_default();
            own.sort_by_key(|h| (h.anchor == AnchorKind::Orphan, h.position.start, h.position.end, h.id));
            groups.push(TopicArticle { article: articles::summary(conn, id)?, highlights: own });
        }
        Ok(Topic { tag: name, highlights: page.total_highlights, article_count: page.total_articles, articles: groups })
    }
}
