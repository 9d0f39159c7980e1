-- Quire library schema, version 10: lists of 100,000 articles answer a page in milliseconds
-- under the status and favorite filters: each index serves a filter with the list's default
-- order (store/articles.rs `order_by`), so SQLite reads the first page straight from it
-- instead of scanning the library. (Indexes for the other orders cost a random page write per
-- added article, which took bulk adds under 1,000 pages/s: not added.)
-- Migrations are append-only: never edit this file once it has landed.

-- Status and favorite filters, newest clipped first.
CREATE INDEX articles_status_clipped ON articles (status, clipped_at DESC, id DESC);
CREATE INDEX articles_favorite_clipped ON articles (clipped_at DESC, id DESC) WHERE favorite = 1;
