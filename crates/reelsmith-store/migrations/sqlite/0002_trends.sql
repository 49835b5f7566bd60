-- The user's trend list, matched by the trend-alignment dimension of the score card.
CREATE TABLE trends (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    phrase      TEXT NOT NULL UNIQUE,          -- as entered; matched folded (case and accents ignored)
    note        TEXT,
    created_at  TEXT NOT NULL
);
