-- Quire library schema, version 4: searches the user keeps in the sidebar.
-- Migrations are append-only: never edit this file once it has landed.

CREATE TABLE saved_searches (
    id          INTEGER PRIMARY KEY,
    name        TEXT    NOT NULL UNIQUE COLLATE NOCASE CHECK (trim(name) != ''),
    query       TEXT    NOT NULL CHECK (trim(query) != ''),
    created_at  TEXT    NOT NULL
);
