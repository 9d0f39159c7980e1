-- Quire library schema, version 11: an article's text is stored once. The document model was
-- kept as JSON repeating every word of the text, beside the canonical text itself; now `body`
-- holds the document's layout (blocks, marks, span lengths) and its canonical text, together
-- and compressed (store/body.rs). `quire_body(document, canonical_text)` is the Rust function
-- that builds a body from the old columns (registered on the connection by the migration
-- runner). Articles' index entries do not change: their text is the same.
-- Migrations are append-only: never edit this file once it has landed.

ALTER TABLE articles ADD COLUMN body BLOB NOT NULL DEFAULT x'';
UPDATE articles SET body = quire_body(document, canonical_text);
DROP TRIGGER fulltext_article_changed;
ALTER TABLE articles DROP COLUMN document;
ALTER TABLE articles DROP COLUMN canonical_text;
CREATE TRIGGER fulltext_article_changed
AFTER UPDATE OF title, byline, site_name, source_url, canonical_url, clipped_at, body, status, favorite
ON articles BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (new.id);
END;

-- The texts an article had before it was fetched again.
ALTER TABLE article_versions ADD COLUMN body BLOB NOT NULL DEFAULT x'';
UPDATE article_versions SET body = quire_body(document, canonical_text);
ALTER TABLE article_versions DROP COLUMN document;
ALTER TABLE article_versions DROP COLUMN canonical_text;
