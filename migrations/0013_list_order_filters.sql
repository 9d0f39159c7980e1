-- Quire library schema, version 13: the order indexes of version 12 also hold favorite and
-- status, so that a list filtered by them and read in that order checks each row from the
-- index alone (an article's row holds its whole body); and a topic's (a tag's) highlights,
-- newest first, are read a page at a time from an index (store/highlights.rs). Each order
-- index still matches its `ORDER BY` in store/articles.rs `order_by` term for term.
-- Migrations are append-only: never edit this file once it has landed.

DROP INDEX IF EXISTS articles_published_order;
DROP INDEX IF EXISTS articles_title_order;
DROP INDEX IF EXISTS articles_site_order;

CREATE INDEX articles_published_order
    ON articles (published_at IS NULL, published_at DESC, clipped_at DESC, id DESC, favorite, status);
CREATE INDEX articles_title_order ON articles (title COLLATE NOCASE, id, favorite, status);
CREATE INDEX articles_site_order
    ON articles (site_name IS NULL, site_name COLLATE NOCASE, clipped_at DESC, id DESC, favorite, status);

CREATE INDEX IF NOT EXISTS highlights_created ON highlights (created_at DESC, id DESC);
