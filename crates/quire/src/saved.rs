//! Saved searches (shown in the desktop app's sidebar).

use crate::store::saved::{self, Saving};
use crate::{normalize_tag, parse_query, Error, Library, Result, SavedSearch, SearchRequest};

impl Library {
    /// Saved searches, by name.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        saved::all(self.store().read())
    }

    /// Saves a search (the words typed and the sidebar's filter) under `name`; a search of the
    /// same name (any case) gets the new ones. The words must parse: a saved search never
    /// fails later for its syntax.
    pub fn save_search(&self, name: &str, search: &SearchRequest) -> Result<SavedSearch> {
        let (name, query) = (name.trim(), search.text.trim());
        if name.is_empty() {
            return Err(Error::InvalidValue {
                what: "search name",
                value: name.to_owned(),
                expected: "a non-blank name",
            });
        }
        parse_query(query)?;
        let tag = search.filter.tag.as_deref().map(normalize_tag).transpose()?;
        let saving =
            Saving { name, query, tag: tag.as_deref(), status: search.filter.status, favorite: search.filter.favorite };
        self.store().write(|tx| saved::upsert(tx, &saving))
    }

    /// Forgets a saved search.
    pub fn delete_saved_search(&self, id: i64) -> Result<()> {
        self.store().write(|tx| saved::delete(tx, id))
    }
}
