-- Quire library schema, version 2: clipping from the web.
-- Migrations are append-only: never edit this file once it has landed.

-- The page's address normalized for duplicate detection (scheme/host case, default port,
-- trailing slash, fragment and tracking parameters removed), and its lead image.
ALTER TABLE articles ADD COLUMN normalized_url TEXT;
ALTER TABLE articles ADD COLUMN lead_image TEXT;
CREATE INDEX articles_normalized_url ON articles (normalized_url);

-- Images stored once by content (SHA-256 of the bytes). Documents point at them with
-- `quire-image:<hash>`; the reader and the exporters read them from here, never the network.
CREATE TABLE images (
    hash        TEXT    PRIMARY KEY,
    mime        TEXT    NOT NULL,
    size        INTEGER NOT NULL,
    data        BLOB    NOT NULL,
    created_at  TEXT    NOT NULL
);

CREATE TABLE article_images (
    article_id  INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    hash        TEXT    NOT NULL REFERENCES images (hash),
    -- Where the image was downloaded from.
    source_url  TEXT    NOT NULL,
    PRIMARY KEY (article_id, hash)
) WITHOUT ROWID;
CREATE INDEX article_images_hash ON article_images (hash);

-- The original page as fetched (or read from a file), deflate-compressed UTF-8, so an article
-- can be extracted again when the extractor improves.
CREATE TABLE snapshots (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    url           TEXT,
    fetched_at    TEXT    NOT NULL,
    content_type  TEXT,
    encoding      TEXT    NOT NULL,
    html_deflate  BLOB    NOT NULL
);
CREATE INDEX snapshots_article ON snapshots (article_id, fetched_at);
