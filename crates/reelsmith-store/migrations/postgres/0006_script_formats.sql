-- Scripts carry their format (`video`, `post` or `thread`); every script stored before is a timed
-- video script. Keep in step with ../sqlite/0006_script_formats.sql.
UPDATE generations SET script_json = (script_json::jsonb || '{"format": "video"}'::jsonb)::text
    WHERE script_json IS NOT NULL AND (script_json::jsonb ->> 'format') IS NULL;
