-- Quire library schema, version 7: the local endpoint's tokens and pairing codes.
-- Migrations are append-only: never edit this file once it has landed.

-- A client allowed to save into the library through the local endpoint (a browser extension,
-- a script). Only the SHA-256 of its secret is kept: the secret is shown once, when it is made.
-- Revoking a token deletes its row.
CREATE TABLE endpoint_tokens (
    id            INTEGER PRIMARY KEY,
    name          TEXT    NOT NULL,
    secret_hash   TEXT    NOT NULL UNIQUE CHECK (length(secret_hash) = 64),
    created_at    TEXT    NOT NULL,
    last_used_at  TEXT
);

-- A short code that can be exchanged once for a token, until it expires. Kept in the library
-- so that a code shown by one process (the app, `serve`) is accepted by another. Every wrong
-- code counts against every pending code; at the limit they are all deleted.
CREATE TABLE pairing_codes (
    id             INTEGER PRIMARY KEY,
    code_hash      TEXT    NOT NULL UNIQUE CHECK (length(code_hash) = 64),
    created_at     TEXT    NOT NULL,
    expires_at     TEXT    NOT NULL,
    wrong_attempts INTEGER NOT NULL DEFAULT 0 CHECK (wrong_attempts >= 0)
);
