//! Reading and changing articles: the library list (filtered, sorted, paged), one article with
//! its document and highlights, status, favorite, reading progress, deletion.

use crate::store::articles::{self, Change, Page};
use crate::store::filter::Filter;
use crate::store::tags::key_of;
use crate::{normalize_tag, ArticleCount, ArticleFilter, ArticleSummary, ArticleView, Error, Library, Result, Status};

impl ArticleFilter {
    /// The store's filter for these criteria.
    pub(crate) fn to_filter(&self) -> Result<Filter> {
        let mut filter = Filter::default();
        if let Some(tag) = &self.tag {
            filter.tag(&key_of(&normalize_tag(tag)?));
        }
        if let Some(status) = self.status {
            filter.statuses(&[status]);
        }
        if let Some(favorite) = self.favorite {
            filter.favorite(favorite);
        }
        Ok(filter)
    }
}

impl Library {
    /// Lists the articles that pass the filter, in its order.
    pub fn list_articles(&self, filter: &ArticleFilter) -> Result<Vec<ArticleSummary>> {
        let page = Page { limit: filter.limit, offset: filter.offset };
        articles::list(self.store().read(), &filter.to_filter()?, filter.sort, page)
    }

    /// How many articles pass the filter (its `limit` and `offset` aside), and their highlights.
    pub fn count_articles(&self, filter: &ArticleFilter) -> Result<ArticleCount> {
        articles::count(self.store().read(), &filter.to_filter()?)
    }

    /// One article's row of the list.
    pub fn article_summary(&self, id: i64) -> Result<ArticleSummary> {
        articles::summary(self.store().read(), id)
    }

    /// One article with its document and highlights.
    pub fn article(&self, id: i64) -> Result<ArticleView> {
        articles::view(self.store().read(), id)
    }

    /// The canonical text of an article.
    pub fn canonical_text(&self, id: i64) -> Result<String> {
        articles::canonical_text(self.store().read(), id)
    }

    /// Deletes an article with its highlights and tag links.
    pub fn remove_article(&self, id: i64) -> Result<()> {
        self.store().write(|tx| articles::delete(tx, id))
    }

    pub fn set_status(&self, id: i64, status: Status) -> Result<()> {
        self.store().write(|tx| articles::change(tx, id, Change::Status(status)))
    }

    pub fn set_favorite(&self, id: i64, favorite: bool) -> Result<()> {
        self.store().write(|tx| articles::change(tx, id, Change::Favorite(favorite)))
    }

    /// Reading progress, from 0 (start) to 1 (end).
    pub fn set_progress(&self, id: i64, progress: f64) -> Result<()> {
        if !(0.0..=1.0).contains(&progress) {
            return Err(Error::InvalidValue {
                what: "progress",
                value: progress.to_string(),
                expected: "a number from 0 to 1",
            });
        }
        self.store().write(|tx| articles::change(tx, id, Change::Progress(progress)))
    }

    /// Adds tags to an article (existing ones are kept); returns its tags.
    pub fn tag_article(&self, article: i64, names: &[String]) -> Result<Vec<String>> {
        self.store().write(|tx| {
            articles::ensure(tx, article)?;
            crate::store::tags::add_to_article(tx, article, names)?;
            articles::change(tx, article, Change::Touch)?;
            crate::store::tags::of_article(tx, article)
        })
    }

    /// Removes tags from an article; returns its tags.
    pub fn untag_article(&self, article: i64, names: &[String]) -> Result<Vec<String>> {
        let keys = names.iter().map(|n| Ok((n.trim(), key_of(&normalize_tag(n)?)))).collect::<Result<Vec<_>>>()?;
        self.store().write(|tx| {
            articles::ensure(tx, article)?;
            for (name, key) in &keys {
                if !crate::store::tags::remove_from_article(tx, article, key)? {
                    return Err(Error::TagNotOnArticle { tag: (*name).to_owned(), article });
                }
            }
            crate::store::tags::delete_unused(tx)?;
            crate::store::tags::of_article(tx, article)
        })
    }
}
