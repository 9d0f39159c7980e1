-- Quire library schema, version 5: articles.lead_image was written when an article was added
-- but never read (no screen, export or search used it), so it goes.
-- Migrations are append-only: never edit this file once it has landed.

ALTER TABLE articles DROP COLUMN lead_image;
