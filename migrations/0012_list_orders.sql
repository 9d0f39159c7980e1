-- Quire library schema, version 12: the list's other orders (published, title, site) read
-- their first page from an index instead of sorting the whole library. Each index matches its
-- `ORDER BY` in store/articles.rs `order_by` term for term (expressions, collation, directions).
-- Articles without a date or a site, most of a library of plain files, all go in at the front
-- of their group (newest first), so adding them writes where the last one was written.
-- Migrations are append-only: never edit this file once it has landed.

CREATE INDEX articles_published_order
    ON articles (published_at IS NULL, published_at DESC, clipped_at DESC, id DESC);
CREATE INDEX articles_title_order ON articles (title COLLATE NOCASE, id);
CREATE INDEX articles_site_order
    ON articles (site_name IS NULL, site_name COLLATE NOCASE, clipped_at DESC, id DESC);
