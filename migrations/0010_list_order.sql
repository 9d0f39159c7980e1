-- Quire library schema, version 10: lists of 100,000 articles answer a page in milliseconds
-- under any filter and in any order. Each index serves one `ORDER BY` of the library list
-- (store/articles.rs `order_by`) or a filter with the list's default order, so SQLite reads
-- the first page straight from it instead of sorting the whole library.
-- Migrations are append-only: never edit this file once it has landed.

-- Status and favorite filters, newest clipped first.
CREATE INDEX articles_status_clipped ON articles (status, clipped_at DESC, id DESC);
CREATE INDEX articles_favorite_clipped ON articles (clipped_at DESC, id DESC) WHERE favorite = 1;
-- The other orders.
CREATE INDEX articles_by_published ON articles (published_at IS NULL, published_at DESC, clipped_at DESC, id DESC);
CREATE INDEX articles_by_title ON articles (title COLLATE NOCASE, id);
CREATE INDEX articles_by_site ON articles (site_name IS NULL, site_name COLLATE NOCASE, clipped_at DESC, id DESC);
