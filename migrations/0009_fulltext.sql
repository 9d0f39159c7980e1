-- Quire library schema, version 9: the full-text index moves out of SQLite (a tantivy index
-- beside the library, derived from it). SQLite stays the source of truth: every change that
-- alters what an article's index entry holds is recorded here, in the same transaction as the
-- change itself (by the triggers below), and the index catches up from this journal.
-- Migrations are append-only: never edit this file once it has landed.

-- Articles whose index entry is stale, in the order they changed. The index records the last
-- `seq` it applied; rows up to it are pruned.
CREATE TABLE fulltext_changes (
    seq        INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id INTEGER NOT NULL
);

-- Which library content the index was built from: a new generation (after a restore, which
-- replaces the whole content) makes any existing index stale as a whole.
CREATE TABLE fulltext_state (
    id         INTEGER PRIMARY KEY CHECK (id = 1),
    generation TEXT    NOT NULL
);
INSERT INTO fulltext_state (id, generation) VALUES (1, lower(hex(randomblob(16))));

-- What an article's entry holds: its title, byline, text, site and address, status, favorite,
-- date; its highlights' quotes and notes; its own and its highlights' tags.
CREATE TRIGGER fulltext_article_added AFTER INSERT ON articles BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (new.id);
END;
CREATE TRIGGER fulltext_article_changed
AFTER UPDATE OF title, byline, site_name, source_url, canonical_url, clipped_at, canonical_text, status, favorite
ON articles BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (new.id);
END;
CREATE TRIGGER fulltext_article_removed AFTER DELETE ON articles BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (old.id);
END;

CREATE TRIGGER fulltext_highlight_added AFTER INSERT ON highlights BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (new.article_id);
END;
CREATE TRIGGER fulltext_highlight_changed AFTER UPDATE OF exact, note, article_id ON highlights BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (new.article_id);
    INSERT INTO fulltext_changes (article_id) SELECT old.article_id WHERE old.article_id != new.article_id;
END;
CREATE TRIGGER fulltext_highlight_removed AFTER DELETE ON highlights BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (old.article_id);
END;

CREATE TRIGGER fulltext_article_tagged AFTER INSERT ON article_tags BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (new.article_id);
END;
CREATE TRIGGER fulltext_article_untagged AFTER DELETE ON article_tags BEGIN
    INSERT INTO fulltext_changes (article_id) VALUES (old.article_id);
END;
CREATE TRIGGER fulltext_highlight_tagged AFTER INSERT ON highlight_tags BEGIN
    INSERT INTO fulltext_changes (article_id) SELECT article_id FROM highlights WHERE id = new.highlight_id;
END;
CREATE TRIGGER fulltext_highlight_untagged AFTER DELETE ON highlight_tags BEGIN
    INSERT INTO fulltext_changes (article_id) SELECT article_id FROM highlights WHERE id = old.highlight_id;
END;
-- A renamed (or merged) tag changes the entry of every article that carries it.
CREATE TRIGGER fulltext_tag_renamed AFTER UPDATE OF key ON tags BEGIN
    INSERT INTO fulltext_changes (article_id)
        SELECT article_id FROM article_tags WHERE tag_id = new.id
        UNION
        SELECT h.article_id FROM highlight_tags ht JOIN highlights h ON h.id = ht.highlight_id
        WHERE ht.tag_id = new.id;
END;

-- The old index, and its copy of every text.
DROP TABLE articles_fts;
DROP TABLE highlights_fts;
