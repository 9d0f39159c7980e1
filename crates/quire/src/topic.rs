//! Topic views: every quote carrying a tag, grouped by article.

use std::collections::BTreeMap;

use crate::{normalize_tag, AnchorKind, Highlight, HighlightFilter, Library, Result, Topic, TopicArticle};

impl Library {
    /// Every highlight carrying `tag` or one of its sub-tags, grouped by article (articles
    /// newest clipped first, highlights in text order; orphans last in their article).
    pub fn topic(&self, tag: &str) -> Result<Topic> {
        let highlights = self.highlights(&HighlightFilter { tag: Some(tag.to_owned()), ..Default::default() })?;
        let mut by_article: BTreeMap<i64, Vec<Highlight>> = BTreeMap::new();
        for h in highlights {
            by_article.entry(h.highlight.article_id).or_default().push(h.highlight);
        }
        let mut groups = Vec::with_capacity(by_article.len());
        for (id, mut own) in by_article {
            own.sort_by_key(|h| (h.anchor == AnchorKind::Orphan, h.position.start, h.position.end, h.id));
            groups.push(TopicArticle { article: self.article_summary(id)?, highlights: own });
        }
        groups.sort_by(|a, b| b.article.clipped_at.cmp(&a.article.clipped_at).then(b.article.id.cmp(&a.article.id)));
        let count = groups.iter().map(|g| g.highlights.len()).sum();
        Ok(Topic { tag: normalize_tag(tag)?, highlights: count, articles: groups })
    }
}
