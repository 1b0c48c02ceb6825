-- buildtrail schema, version 1. Never edit once landed: add a new numbered file instead.

CREATE TABLE build (
  id                  INTEGER PRIMARY KEY,
  log_sha256          TEXT    NOT NULL,
  build_index         INTEGER NOT NULL DEFAULT 0,
  recorded_at         TEXT    NOT NULL,
  started_at          TEXT,
  ended_at            TEXT,
  outcome             TEXT    NOT NULL CHECK (outcome IN ('success', 'failed', 'canceled', 'unknown')),
  exit_code           INTEGER,
  wall_seconds        REAL,
  step_seconds        REAL    NOT NULL DEFAULT 0,
  log_format          TEXT    NOT NULL CHECK (log_format IN ('plain', 'rawjson', 'tty', 'legacy')),
  builder_name        TEXT,
  driver              TEXT,
  image_name          TEXT,
  image_digest        TEXT,
  context_transfer_bytes INTEGER,
  context_files       INTEGER,
  context_bytes       INTEGER,
  context_path        TEXT,
  dockerfile_path     TEXT,
  target              TEXT,
  error_message       TEXT,
  steps_total         INTEGER NOT NULL DEFAULT 0,
  steps_cached        INTEGER NOT NULL DEFAULT 0,
  steps_executed      INTEGER NOT NULL DEFAULT 0,
  steps_failed        INTEGER NOT NULL DEFAULT 0,
  unrecognized_lines  INTEGER NOT NULL DEFAULT 0,
  log_path            TEXT,
  log_bytes           INTEGER,
  log_lines           INTEGER,
  job                 TEXT,
  command             TEXT,
  git_commit          TEXT,
  git_branch          TEXT,
  git_subject         TEXT,
  git_committed_at    TEXT,
  git_dirty           INTEGER CHECK (git_dirty IN (0, 1)),
  git_shallow         INTEGER CHECK (git_shallow IN (0, 1)),
  git_root            TEXT,
  ci_provider         TEXT,
  ci_run_id           TEXT,
  ci_job_id           TEXT,
  ci_url              TEXT,
  UNIQUE (log_sha256, build_index)
);
CREATE INDEX build_recorded_at ON build (recorded_at);
CREATE INDEX build_branch_target ON build (git_branch, target, recorded_at);
CREATE INDEX build_commit ON build (git_commit);
CREATE INDEX build_outcome ON build (outcome, recorded_at);

CREATE TABLE build_label (
  build_id  INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  key       TEXT    NOT NULL,
  value     TEXT    NOT NULL,
  PRIMARY KEY (build_id, key)
) WITHOUT ROWID;
CREATE INDEX build_label_key_value ON build_label (key, value);

CREATE TABLE step (
  id                INTEGER PRIMARY KEY,
  build_id          INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  vertex            INTEGER NOT NULL,
  name              TEXT    NOT NULL,
  service           TEXT,
  platform          TEXT,
  stage             TEXT,
  step_index        INTEGER,
  step_total        INTEGER,
  kind              TEXT    NOT NULL,
  step_key          TEXT    NOT NULL,
  status            TEXT    NOT NULL CHECK (status IN ('done', 'cached', 'error', 'canceled', 'unfinished')),
  duration_seconds  REAL,
  started_at        TEXT,
  completed_at      TEXT,
  output_lines      INTEGER NOT NULL DEFAULT 0,
  error_text        TEXT,
  digest            TEXT,
  UNIQUE (build_id, position)
);
CREATE INDEX step_key_build ON step (step_key, build_id);
CREATE INDEX step_build_status ON step (build_id, status);

CREATE TABLE step_output (
  step_id   INTEGER PRIMARY KEY REFERENCES step (id) ON DELETE CASCADE,
  lines     INTEGER NOT NULL,
  text      TEXT    NOT NULL
);

CREATE TABLE base_image (
  build_id   INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  step_id    INTEGER REFERENCES step (id) ON DELETE CASCADE,
  stage      TEXT,
  reference  TEXT    NOT NULL,
  digest     TEXT
);
CREATE INDEX base_image_build ON base_image (build_id);
CREATE INDEX base_image_reference ON base_image (reference, digest);

CREATE TABLE warning (
  build_id  INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  position  INTEGER NOT NULL,
  text      TEXT    NOT NULL,
  PRIMARY KEY (build_id, position)
) WITHOUT ROWID;

-- Cache inputs: each distinct file content is stored once, each build lists the files it saw.
CREATE TABLE input_blob (
  sha256   TEXT    PRIMARY KEY,
  bytes    INTEGER NOT NULL,
  content  BLOB
) WITHOUT ROWID;

CREATE TABLE build_input (
  build_id  INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  path      TEXT    NOT NULL,
  role      TEXT    NOT NULL CHECK (role IN ('dockerfile', 'dockerignore', 'lockfile', 'manifest')),
  sha256    TEXT    NOT NULL REFERENCES input_blob (sha256),
  PRIMARY KEY (build_id, path)
) WITHOUT ROWID;
CREATE INDEX build_input_sha ON build_input (sha256);

-- The build context after .dockerignore, by top-level entry, as measured at record time.
CREATE TABLE context_entry (
  build_id  INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  name      TEXT    NOT NULL,
  files     INTEGER NOT NULL,
  bytes     INTEGER NOT NULL,
  PRIMARY KEY (build_id, name)
) WITHOUT ROWID;
