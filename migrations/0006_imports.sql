-- Quire library schema, version 6: articles brought in from other apps.
-- Migrations are append-only: never edit this file once it has landed.

-- An article kept only as a link: its page could not be fetched (or was not, on request) when
-- it was imported. Its text is empty and its highlights are orphans until it is fetched again;
-- replacing its content clears the flag.
ALTER TABLE articles ADD COLUMN link_only INTEGER NOT NULL DEFAULT 0 CHECK (link_only IN (0, 1));
CREATE INDEX articles_link_only ON articles (link_only) WHERE link_only = 1;
-- Why only the link was kept (the fetch's error, "not fetched on request", …); empty otherwise.
ALTER TABLE articles ADD COLUMN link_reason TEXT NOT NULL DEFAULT '';

-- Notes on the whole article (e.g. a Hypothesis page note), plain text.
ALTER TABLE articles ADD COLUMN note TEXT NOT NULL DEFAULT '';
