-- Quire library schema, version 3: highlights that survive changes to their article.
-- Migrations are append-only: never edit this file once it has landed.

-- Every earlier text of an article, kept when it is re-extracted or re-clipped.
CREATE TABLE article_versions (
    id              INTEGER PRIMARY KEY,
    article_id      INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    title           TEXT    NOT NULL,
    document        TEXT    NOT NULL,
    canonical_text  TEXT    NOT NULL,
    text_version    INTEGER NOT NULL,
    content_hash    TEXT    NOT NULL,
    replaced_at     TEXT    NOT NULL
);
CREATE INDEX article_versions_article ON article_versions (article_id, replaced_at);

-- How each highlight last anchored. An orphan keeps its last selectors, note and tags; its
-- quote is no longer in the article and it waits to be re-attached.
ALTER TABLE highlights ADD COLUMN anchor TEXT NOT NULL DEFAULT 'exact'
    CHECK (anchor IN ('exact', 'moved', 'fuzzy', 'orphan'));
ALTER TABLE highlights ADD COLUMN anchor_distance INTEGER NOT NULL DEFAULT 0;
