-- Quire library schema, version 1.
-- Migrations are append-only: never edit this file once it has landed; add 0002_*.sql instead.

CREATE TABLE articles (
    id              INTEGER PRIMARY KEY,
    title           TEXT    NOT NULL,
    byline          TEXT,
    site_name       TEXT,
    source_url      TEXT,
    canonical_url   TEXT,
    language        TEXT,
    direction       TEXT,
    published_at    TEXT,
    clipped_at      TEXT    NOT NULL,
    updated_at      TEXT    NOT NULL,
    excerpt         TEXT,
    -- quire_doc::Document as JSON; canonical_text is derived from it (text_version says how).
    document        TEXT    NOT NULL,
    canonical_text  TEXT    NOT NULL,
    text_version    INTEGER NOT NULL,
    content_hash    TEXT    NOT NULL UNIQUE,
    word_count      INTEGER NOT NULL,
    status          TEXT    NOT NULL DEFAULT 'unread' CHECK (status IN ('unread', 'read', 'archived')),
    favorite        INTEGER NOT NULL DEFAULT 0 CHECK (favorite IN (0, 1)),
    progress        REAL    NOT NULL DEFAULT 0 CHECK (progress >= 0 AND progress <= 1)
);
CREATE INDEX articles_clipped_at ON articles (clipped_at);
CREATE INDEX articles_canonical_url ON articles (canonical_url);

CREATE TABLE tags (
    id    INTEGER PRIMARY KEY,
    -- Display name: a path with '/' for hierarchy, segments trimmed.
    name  TEXT NOT NULL,
    -- Unicode-lowercased name: tags are unique case-insensitively in every script.
    key   TEXT NOT NULL UNIQUE
);

CREATE TABLE article_tags (
    article_id INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    tag_id     INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (article_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX article_tags_tag ON article_tags (tag_id);

CREATE TABLE highlights (
    id            INTEGER PRIMARY KEY,
    article_id    INTEGER NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    -- W3C TextQuoteSelector.
    exact         TEXT    NOT NULL,
    prefix        TEXT    NOT NULL,
    suffix        TEXT    NOT NULL,
    -- W3C TextPositionSelector, in Unicode scalar values of the canonical text.
    start_offset  INTEGER NOT NULL,
    end_offset    INTEGER NOT NULL CHECK (end_offset > start_offset),
    text_version  INTEGER NOT NULL,
    color         TEXT    NOT NULL CHECK (color IN ('yellow', 'green', 'blue', 'pink', 'purple', 'red')),
    note          TEXT    NOT NULL DEFAULT '',
    created_at    TEXT    NOT NULL,
    updated_at    TEXT    NOT NULL
);
CREATE INDEX highlights_article ON highlights (article_id, start_offset);

CREATE TABLE highlight_tags (
    highlight_id INTEGER NOT NULL REFERENCES highlights (id) ON DELETE CASCADE,
    tag_id       INTEGER NOT NULL REFERENCES tags (id) ON DELETE CASCADE,
    PRIMARY KEY (highlight_id, tag_id)
) WITHOUT ROWID;
CREATE INDEX highlight_tags_tag ON highlight_tags (tag_id);

-- Full-text index, one row per article (rowid = articles.id). Rewritten by the library in the
-- same transaction as every change to an article or its highlights.
CREATE VIRTUAL TABLE articles_fts USING fts5 (
    title, byline, body, quotes, notes,
    tokenize = 'unicode61 remove_diacritics 2'
);

-- One row per highlight (rowid = highlights.id), to tell which highlights a query hits.
CREATE VIRTUAL TABLE highlights_fts USING fts5 (
    quote, note,
    tokenize = 'unicode61 remove_diacritics 2'
);
