-- Quire library schema, version 8: where the local endpoint listens.
-- Migrations are append-only: never edit this file once it has landed.

-- A running endpoint (the app's, `quire serve`) over this library, recorded when it starts and
-- deleted when it stops (a crash leaves its row, which the next start on that port replaces).
-- A pairing code tells the extension the port of the latest one, so that the extension goes
-- straight to the port Quire is really on and never hands the code to another program
-- listening on one of Quire's default ports.
CREATE TABLE endpoint_listeners (
    id          INTEGER PRIMARY KEY,
    port        INTEGER NOT NULL UNIQUE CHECK (port BETWEEN 1 AND 65535),
    started_at  TEXT    NOT NULL
);
