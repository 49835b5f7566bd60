-- Indexes on the foreign keys that reads and cascades look up. Without them `GET /scripts/{id}`
-- scanned every attempt and LLM call (`reelsmith bench serve`: 168 reads/s after 2,191 generations),
-- and deleting a generation scanned its children's tables.
CREATE INDEX attempts_generation ON attempts (generation_id, attempt_index);
CREATE INDEX scores_attempt ON scores (attempt_id);
CREATE INDEX llm_calls_generation ON llm_calls (generation_id);
CREATE INDEX llm_calls_persona_version ON llm_calls (persona_version_id);
CREATE INDEX generations_persona_version ON generations (persona_version_id);
CREATE INDEX generations_parent ON generations (parent_id);
CREATE INDEX post_performance_generation ON post_performance (generation_id);
CREATE INDEX post_performance_example ON post_performance (example_script_id);
