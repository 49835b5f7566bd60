-- A/B experiments: versions of one idea (their variants, each usually a generation) and the posts
-- that put each variant in front of an audience; the posts' metrics arrive through the importers.
CREATE TABLE experiments (
    id            INTEGER PRIMARY KEY AUTOINCREMENT,
    workspace_id  INTEGER NOT NULL REFERENCES workspaces(id) ON DELETE CASCADE,
    persona_id    INTEGER NOT NULL REFERENCES personas(id) ON DELETE CASCADE,
    topic         TEXT NOT NULL,
    vary          TEXT NOT NULL,
    created_at    TEXT NOT NULL
);
CREATE INDEX experiments_workspace ON experiments (workspace_id);
CREATE INDEX experiments_persona ON experiments (persona_id);

CREATE TABLE experiment_variants (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    experiment_id  INTEGER NOT NULL REFERENCES experiments(id) ON DELETE CASCADE,
    label          TEXT NOT NULL,
    generation_id  INTEGER REFERENCES generations(id) ON DELETE SET NULL,
    UNIQUE (experiment_id, label)
);
CREATE INDEX experiment_variants_generation ON experiment_variants (generation_id);

ALTER TABLE posts ADD COLUMN variant_id INTEGER REFERENCES experiment_variants(id) ON DELETE SET NULL;
CREATE INDEX posts_variant ON posts (variant_id);
