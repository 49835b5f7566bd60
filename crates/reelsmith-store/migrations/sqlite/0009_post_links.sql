-- Learning from imported posts. A post links to what it was made from — a stored generation, or one
-- of the persona's example scripts (by the example's source) — found by matching its caption or
-- subtitles ('suggested', with the similarity) or given by the user ('confirmed'). Subtitles from
-- the export are kept as the spoken script.
ALTER TABLE posts ADD COLUMN transcript TEXT;
ALTER TABLE posts ADD COLUMN example_source TEXT;
ALTER TABLE posts ADD COLUMN link_similarity REAL;
ALTER TABLE posts ADD COLUMN link_status TEXT;
ALTER TABLE posts ADD COLUMN link_evidence TEXT;

-- Each calibration of a persona's scores against its posts' outcomes; the latest is in force.
CREATE TABLE persona_calibrations (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    persona_id    INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
    created_at    TEXT NOT NULL,
    posts         INTEGER NOT NULL,
    fitted        INTEGER NOT NULL,
    report        TEXT NOT NULL
);
CREATE INDEX persona_calibrations_persona ON persona_calibrations (persona_id, id);
CREATE INDEX persona_calibrations_workspace ON persona_calibrations (workspace_id);

-- Each post's score as last computed, with what it was computed from (persona version, the text
-- scored, the embedding model): the performance page and the calibration reuse it until one changes.
CREATE TABLE post_scores (
    post_id    INTEGER PRIMARY KEY REFERENCES posts(id) ON DELETE CASCADE,
    score_key  TEXT NOT NULL,
    overall    REAL NOT NULL,
    viral      TEXT NOT NULL
);
