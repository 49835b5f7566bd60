-- reelsmith schema v1 (SQLite). Keep in step with ../postgres/0001_init.sql: the queries are shared.
-- Timestamps are RFC 3339 UTC text so both backends read them the same way.

CREATE TABLE personas (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    name        TEXT NOT NULL UNIQUE,
    owner_id    INTEGER,                       -- NULL: the local user; accounts come later
    created_at  TEXT NOT NULL,
    updated_at  TEXT NOT NULL
);

CREATE TABLE persona_versions (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    persona_id    INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
    version       INTEGER NOT NULL,
    profile_json  TEXT NOT NULL,               -- reelsmith_core::persona::CreatorProfile
    style_json    TEXT NOT NULL,               -- reelsmith_core::style::StyleProfile
    language      TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    UNIQUE (persona_id, version)
);

CREATE TABLE example_scripts (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    persona_version_id  INTEGER NOT NULL REFERENCES persona_versions(id) ON DELETE CASCADE,
    position            INTEGER NOT NULL,
    title               TEXT,
    body                TEXT NOT NULL,
    source              TEXT NOT NULL,
    duration_s          REAL,
    words               INTEGER NOT NULL,
    embedding           BLOB,                  -- 384 x f32 little-endian (all-MiniLM-L6-v2); NULL until embedded
    embedding_model     TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX example_scripts_version ON example_scripts (persona_version_id, position);

CREATE TABLE generations (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    persona_version_id  INTEGER REFERENCES persona_versions(id) ON DELETE CASCADE,
    parent_id           INTEGER REFERENCES generations(id) ON DELETE SET NULL,
    request_json        TEXT NOT NULL,
    topic               TEXT NOT NULL,
    platform            TEXT NOT NULL,
    style               TEXT,
    content_type        TEXT,
    language            TEXT,
    target_duration_s   REAL NOT NULL,
    status              TEXT NOT NULL,         -- running | completed | failed | interrupted
    approval_status     TEXT NOT NULL DEFAULT 'draft',
    approval_by         TEXT,
    approval_notes      TEXT,
    approved_at         TEXT,
    winner_attempt_id   INTEGER,
    script_json         TEXT,
    error               TEXT,
    created_by          TEXT,
    created_at          TEXT NOT NULL,
    deleted_at          TEXT
);
CREATE INDEX generations_created ON generations (created_at);

CREATE TABLE attempts (
    id               INTEGER PRIMARY KEY AUTOINCREMENT,
    generation_id    INTEGER NOT NULL REFERENCES generations(id) ON DELETE CASCADE,
    attempt_index    INTEGER NOT NULL,
    raw_text         TEXT NOT NULL,
    script_json      TEXT,
    overall_score    REAL,
    score_card_json  TEXT,
    created_at       TEXT NOT NULL
);

CREATE TABLE scores (
    attempt_id    INTEGER NOT NULL REFERENCES attempts(id) ON DELETE CASCADE,
    dimension     TEXT NOT NULL,
    value         REAL NOT NULL,               -- 0-100
    reasons_json  TEXT NOT NULL,
    PRIMARY KEY (attempt_id, dimension)
);

CREATE TABLE llm_calls (
    id                  INTEGER PRIMARY KEY AUTOINCREMENT,
    generation_id       INTEGER REFERENCES generations(id) ON DELETE SET NULL,
    persona_version_id  INTEGER REFERENCES persona_versions(id) ON DELETE SET NULL,
    step                TEXT NOT NULL,
    provider            TEXT NOT NULL,
    model               TEXT NOT NULL,
    prompt_tokens       INTEGER NOT NULL DEFAULT 0,
    completion_tokens   INTEGER NOT NULL DEFAULT 0,
    cost_usd            REAL NOT NULL DEFAULT 0,
    latency_ms          INTEGER NOT NULL,
    retries             INTEGER NOT NULL DEFAULT 0,
    outcome             TEXT NOT NULL,
    error               TEXT,
    fallback_from       TEXT,
    created_at          TEXT NOT NULL
);
CREATE INDEX llm_calls_created ON llm_calls (created_at);

CREATE TABLE post_performance (
    id                 INTEGER PRIMARY KEY AUTOINCREMENT,
    generation_id      INTEGER REFERENCES generations(id) ON DELETE CASCADE,
    example_script_id  INTEGER REFERENCES example_scripts(id) ON DELETE CASCADE,
    platform           TEXT NOT NULL,
    post_url           TEXT,
    posted_at          TEXT,
    views              INTEGER,
    likes              INTEGER,
    comments           INTEGER,
    saves              INTEGER,
    shares             INTEGER,
    avg_watch_s        REAL,
    retention_pct      REAL,
    recorded_at        TEXT NOT NULL
);
