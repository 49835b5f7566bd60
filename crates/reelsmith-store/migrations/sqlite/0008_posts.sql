-- Post performance imported from platform exports (the feedback loop). A post is found again by its
-- platform and key (its link's id, its posting time, its media file or caption); each import whose
-- metrics differ adds a snapshot with the post's age then, so metrics at different ages stay apart.
-- Replaces post_performance, which nothing ever wrote.
DROP TABLE post_performance;

CREATE TABLE posts (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id   INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    persona_id     INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
    platform       TEXT NOT NULL,
    post_key       TEXT NOT NULL,
    url            TEXT,
    media_uri      TEXT,
    caption        TEXT,
    posted_at      TEXT,
    duration_s     REAL,
    generation_id  INTEGER REFERENCES generations(id) ON DELETE SET NULL,
    created_at     TEXT NOT NULL,
    updated_at     TEXT NOT NULL,
    UNIQUE (persona_id, platform, post_key)
);
CREATE INDEX posts_workspace ON posts (workspace_id);
CREATE INDEX posts_generation ON posts (generation_id);

CREATE TABLE post_metrics (
    id              INTEGER PRIMARY KEY AUTOINCREMENT,
    post_id         INTEGER NOT NULL REFERENCES posts(id) ON DELETE CASCADE,
    recorded_at     TEXT NOT NULL,
    age_s           REAL,
    views           INTEGER,
    reach           INTEGER,
    likes           INTEGER,
    comments        INTEGER,
    shares          INTEGER,
    saves           INTEGER,
    profile_visits  INTEGER,
    follows         INTEGER,
    source          TEXT NOT NULL
);
CREATE INDEX post_metrics_post ON post_metrics (post_id);
