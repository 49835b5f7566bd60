-- Generations: the version in a regeneration chain, the final script's score card, and why an
-- attempt was dropped.
ALTER TABLE generations ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE generations ADD COLUMN card_json TEXT;
ALTER TABLE attempts ADD COLUMN error TEXT;
