-- Scripts carry their format (`video`, `post` or `thread`); every script stored before is a timed
-- video script.
UPDATE generations SET script_json = json_set(script_json, '$.format', 'video')
    WHERE script_json IS NOT NULL AND json_extract(script_json, '$.format') IS NULL;
