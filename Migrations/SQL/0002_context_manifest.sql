-- buildtrail schema, version 2: the build context's file list with content hashes, so that two builds'
-- contexts can be compared without git (depth-1 CI clones). The list is an input_blob, stored once.

ALTER TABLE build ADD COLUMN context_manifest_sha256 TEXT REFERENCES input_blob (sha256);

-- The local image ID of each FROM reference, read from the Docker daemon at record time when the log
-- shows no digest (images made with `docker import`, Docker 20.10 logs).
ALTER TABLE base_image ADD COLUMN source TEXT NOT NULL DEFAULT 'log' CHECK (source IN ('log', 'daemon'));

CREATE INDEX step_build_key ON step (build_id, step_key);
