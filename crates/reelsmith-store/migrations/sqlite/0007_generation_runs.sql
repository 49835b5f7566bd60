-- A generation is stored when it starts (status 'running') and finished in place; `runner` names the
-- process running it (host/pid) and `heartbeat_at` is touched while it runs, so a generation left
-- 'running' by a dead process can be found and marked 'interrupted'.
ALTER TABLE generations ADD COLUMN runner TEXT;
ALTER TABLE generations ADD COLUMN heartbeat_at TEXT;
CREATE INDEX generations_status ON generations (status);
