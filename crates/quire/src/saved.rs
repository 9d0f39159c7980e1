//! Saved searches (shown in the desktop app's sidebar).

use crate::store::saved;
use crate::{parse_query, Error, Library, Result, SavedSearch};

impl Library {
    /// Saved searches, by name.
    pub fn saved_searches(&self) -> Result<Vec<SavedSearch>> {
        saved::all(self.store().read())
    }

    /// Saves `query` under `name`; a search of the same name (any case) gets the new query.
    /// The query must parse: a saved search never fails later for its syntax.
    pub fn save_search(&self, name: &str, query: &str) -> Result<SavedSearch> {
        let (name, query) = (name.trim(), query.trim());
        if name.is_empty() {
            return Err(Error::InvalidValue {
                what: "search name",
                value: name.to_owned(),
                expected: "a non-blank name",
            });
        }
        parse_query(query)?;
        self.store().write(|tx| saved::upsert(tx, name, query))
    }

    /// Forgets a saved search.
    pub fn delete_saved_search(&self, id: i64) -> Result<()> {
        self.store().write(|tx| saved::delete(tx, id))
    }
}
