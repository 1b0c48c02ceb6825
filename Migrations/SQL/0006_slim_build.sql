-- buildtrail schema, version 6: the build row keeps only what lists, filters and sorts read.
-- * Times are milliseconds since 1970 (the text form held the same milliseconds).
-- * log_sha256 is the log's 32 bytes (set by the backfill of version 5).
-- * The columns and tables now held by a build's record are dropped: step, step_name, build_output,
--   base_image, warning, build_input, context_entry, and the build columns that only `show` read.
-- * context_root stays for contexts too large to keep in the record; their tree is context_node.

CREATE TABLE build_v6 (
  id              INTEGER PRIMARY KEY,
  log_sha256      BLOB    NOT NULL,
  build_index     INTEGER NOT NULL DEFAULT 0,
  recorded_ms     INTEGER NOT NULL,
  started_ms      INTEGER,
  ended_ms        INTEGER,
  outcome         TEXT    NOT NULL CHECK (outcome IN ('success', 'failed', 'canceled', 'unknown')),
  exit_code       INTEGER,
  wall_seconds    REAL,
  step_seconds    REAL    NOT NULL DEFAULT 0,
  log_format      TEXT    NOT NULL CHECK (log_format IN ('plain', 'rawjson', 'tty', 'legacy')),
  target          TEXT,
  image_name      TEXT,
  steps_total     INTEGER NOT NULL DEFAULT 0,
  steps_cached    INTEGER NOT NULL DEFAULT 0,
  steps_executed  INTEGER NOT NULL DEFAULT 0,
  steps_failed    INTEGER NOT NULL DEFAULT 0,
  git_commit      TEXT,
  git_branch      TEXT,
  git_subject     TEXT,
  ci_provider     TEXT,
  ci_url          TEXT,
  context_root    BLOB,
  UNIQUE (log_sha256, build_index)
);

INSERT INTO build_v6 (id, log_sha256, build_index, recorded_ms, started_ms, ended_ms, outcome, exit_code,
  wall_seconds, step_seconds, log_format, target, image_name, steps_total, steps_cached, steps_executed,
  steps_failed, git_commit, git_branch, git_subject, ci_provider, ci_url, context_root)
SELECT id, log_sha256, build_index,
  coalesce(CAST(round((julianday(recorded_at) - 2440587.5) * 86400000.0) AS INTEGER), 0),
  CAST(round((julianday(started_at) - 2440587.5) * 86400000.0) AS INTEGER),
  CAST(round((julianday(ended_at) - 2440587.5) * 86400000.0) AS INTEGER),
  outcome, exit_code, CASE WHEN wall_seconds BETWEEN 0 AND 1e15 THEN wall_seconds END, step_seconds,
  log_format, target, image_name, steps_total, steps_cached, steps_executed, steps_failed, git_commit,
  git_branch, git_subject, ci_provider, ci_url, context_root
FROM build;

DROP TABLE step;
DROP TABLE step_name;
DROP TABLE build_output;
DROP TABLE base_image;
DROP TABLE warning;
DROP TABLE build_input;
DROP TABLE context_entry;
DROP TABLE build;
ALTER TABLE build_v6 RENAME TO build;

CREATE INDEX build_recorded ON build (recorded_ms);
CREATE INDEX build_branch_target ON build (git_branch, target, recorded_ms);
CREATE INDEX build_branch_recorded ON build (git_branch, recorded_ms);
CREATE INDEX build_commit ON build (git_commit);
