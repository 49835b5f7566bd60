-- no-transaction
-- Workspaces: every persona, generation, trend and ledger row belongs to one; the data of earlier
-- versions goes to workspace 1, `local`, which the CLI uses. Persona names and trend phrases become
-- unique per workspace, which SQLite can only do by rebuilding those tables — with foreign keys off
-- (dropping `personas` with them on would cascade to every version), so this migration manages its
-- own transaction and checks the foreign keys before it commits.
PRAGMA foreign_keys = OFF;
BEGIN IMMEDIATE;

CREATE TABLE workspaces (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    created_at  TEXT NOT NULL
);
INSERT INTO workspaces (id, name, created_at) VALUES (1, 'local', strftime('%Y-%m-%dT%H:%M:%SZ', 'now'));

CREATE TABLE personas_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    name          TEXT NOT NULL,
    owner_id      INTEGER,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    workspace_id  INTEGER NOT NULL DEFAULT 1 REFERENCES workspaces(id) ON DELETE CASCADE,
    UNIQUE (workspace_id, name)
);
INSERT INTO personas_rebuilt (id, name, owner_id, created_at, updated_at, workspace_id)
    SELECT id, name, owner_id, created_at, updated_at, 1 FROM personas;
DROP TABLE personas;
ALTER TABLE personas_rebuilt RENAME TO personas;

CREATE TABLE trends_rebuilt (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    phrase        TEXT NOT NULL,               -- as entered; matched folded (case and accents ignored)
    note          TEXT,
    created_at    TEXT NOT NULL,
    workspace_id  INTEGER NOT NULL DEFAULT 1 REFERENCES workspaces(id) ON DELETE CASCADE,
    UNIQUE (workspace_id, phrase)
);
INSERT INTO trends_rebuilt (id, phrase, note, created_at, workspace_id)
    SELECT id, phrase, note, created_at, 1 FROM trends;
DROP TABLE trends;
ALTER TABLE trends_rebuilt RENAME TO trends;

ALTER TABLE generations ADD COLUMN workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspaces(id) ON DELETE CASCADE;
ALTER TABLE llm_calls ADD COLUMN workspace_id INTEGER NOT NULL DEFAULT 1 REFERENCES workspaces(id) ON DELETE CASCADE;
CREATE INDEX generations_workspace_created ON generations (workspace_id, created_at);
CREATE INDEX llm_calls_workspace_created ON llm_calls (workspace_id, created_at);

-- Fails the migration before it commits if the rebuild broke a reference (the CHECK refuses any
-- row pragma_foreign_key_check reports).
CREATE TEMP TABLE foreign_key_problems (n INTEGER CHECK (n = 0));
INSERT INTO foreign_key_problems SELECT COUNT(*) FROM pragma_foreign_key_check;
DROP TABLE foreign_key_problems;
COMMIT;
PRAGMA foreign_keys = ON;
