-- Quire library schema, version 5: a saved search keeps the sidebar's filter (a tag, a
-- status, favorites only) beside the words typed, instead of as query text.
-- Migrations are append-only: never edit this file once it has landed.

ALTER TABLE saved_searches ADD COLUMN tag TEXT CHECK (tag IS NULL OR trim(tag) != '');
ALTER TABLE saved_searches ADD COLUMN status TEXT CHECK (status IN ('unread', 'read', 'archived'));
ALTER TABLE saved_searches ADD COLUMN favorite INTEGER CHECK (favorite IN (0, 1));
