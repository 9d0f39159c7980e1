//! The SQL form of the library's enums, defined once: each is stored as a fixed lower-case
//! word, written with `ToSql` and read with `FromSql` through [`Sql`]. A stored word that no
//! variant has is an error ([`crate::Error::Corrupt`]), never a silent default.

use quire_anchor::AnchorKind;
use rusqlite::types::{FromSql, FromSqlError, FromSqlResult, ToSql, ToSqlOutput, ValueRef};

use crate::{Color, Status};

/// An enum stored as one word.
pub(crate) trait SqlWord: Sized + Copy {
    /// What the value is, for the error about a bad stored word.
    const WHAT: &'static str;
    fn word(self) -> &'static str;
    fn from_word(word: &str) -> Option<Self>;
}

/// A value in its SQL form: bind `Sql(status)`, read `row.get::<_, Sql<Status>>(..)?.0`.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Sql<T>(pub T);

impl<T: SqlWord> ToSql for Sql<T> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::from(self.0.word()))
    }
}

impl<T: SqlWord> FromSql for Sql<T> {
    fn column_result(value: ValueRef<'_>) -> FromSqlResult<Self> {
        let word = value.as_str()?;
        T::from_word(word)
            .map(Sql)
            .ok_or_else(|| FromSqlError::Other(Box::new(BadWord { what: T::WHAT, word: word.to_owned() })))
    }
}

impl<T: SqlWord> From<Sql<T>> for rusqlite::types::Value {
    fn from(value: Sql<T>) -> Self {
        value.0.word().to_owned().into()
    }
}

/// A stored word that is not a value of its type.
#[derive(Debug, thiserror::Error)]
#[error("{what} {word:?}")]
pub(crate) struct BadWord {
    pub(crate) what: &'static str,
    pub(crate) word: String,
}

impl SqlWord for Status {
    const WHAT: &'static str = "status";
    fn word(self) -> &'static str {
        self.as_str()
    }
    fn from_word(word: &str) -> Option<Self> {
        Status::ALL.iter().copied().find(|s| s.as_str() == word)
    }
}

impl SqlWord for Color {
    const WHAT: &'static str = "color";
    fn word(self) -> &'static str {
        self.as_str()
    }
    fn from_word(word: &str) -> Option<Self> {
        Color::ALL.iter().copied().find(|c| c.as_str() == word)
    }
}

/// How a highlight anchors, without a fuzzy match's distance (stored in its own column).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Anchor {
    Exact,
    Moved,
    Fuzzy,
    Orphan,
}

impl SqlWord for Anchor {
    const WHAT: &'static str = "anchor";
    fn word(self) -> &'static str {
        match self {
            Anchor::Exact => "exact",
            Anchor::Moved => "moved",
            Anchor::Fuzzy => "fuzzy",
            Anchor::Orphan => "orphan",
        }
    }
    fn from_word(word: &str) -> Option<Self> {
        [Anchor::Exact, Anchor::Moved, Anchor::Fuzzy, Anchor::Orphan].into_iter().find(|a| a.word() == word)
    }
}

/// The two columns (`anchor`, `anchor_distance`) of an anchor kind.
pub(crate) fn anchor_columns(kind: AnchorKind) -> (Sql<Anchor>, u32) {
    match kind {
        AnchorKind::Exact => (Sql(Anchor::Exact), 0),
        AnchorKind::Moved => (Sql(Anchor::Moved), 0),
        AnchorKind::Fuzzy { distance } => (Sql(Anchor::Fuzzy), distance),
        AnchorKind::Orphan => (Sql(Anchor::Orphan), 0),
    }
}

/// The anchor kind stored in the two columns.
pub(crate) fn anchor_kind(anchor: Anchor, distance: u32) -> AnchorKind {
    match anchor {
        Anchor::Exact => AnchorKind::Exact,
        Anchor::Moved => AnchorKind::Moved,
        Anchor::Fuzzy => AnchorKind::Fuzzy { distance },
        Anchor::Orphan => AnchorKind::Orphan,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_word_reads_back() {
        for s in Status::ALL {
            assert_eq!(Status::from_word(s.word()), Some(*s));
        }
        for c in Color::ALL {
            assert_eq!(Color::from_word(c.word()), Some(*c));
        }
        for kind in [AnchorKind::Exact, AnchorKind::Moved, AnchorKind::Fuzzy { distance: 3 }, AnchorKind::Orphan] {
            let (Sql(anchor), distance) = anchor_columns(kind);
            assert_eq!(anchor_kind(Anchor::from_word(anchor.word()).unwrap(), distance), kind);
        }
        assert_eq!(Status::from_word("Unread"), None, "stored words are exact");
    }
}
