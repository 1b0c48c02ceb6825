-- buildtrail schema, migration 6: a failed build's failure signature, found at record time in the
-- failing step's kept output (FailureExtractor): the step, the tool, its decisive message as printed,
-- the normalised signature compared across builds, and the decisive lines (a JSON array of strings).
-- Builds recorded before this migration have no row; readers compute it from the kept output.

CREATE TABLE build_failure (
  build_id       INTEGER PRIMARY KEY REFERENCES build (id) ON DELETE CASCADE,
  step_position  INTEGER,
  tool           TEXT    NOT NULL,
  message        TEXT    NOT NULL,
  signature      TEXT    NOT NULL,
  lines          TEXT    NOT NULL DEFAULT '[]',
  exit_code      INTEGER
);
CREATE INDEX build_failure_signature ON build_failure (signature);
