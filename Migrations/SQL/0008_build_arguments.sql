-- buildtrail schema, version 7: what the build was invoked with, and its cache plumbing.
-- * build_argument: the build arguments of the wrapped command (`--build-arg K=V`, `--build-arg K` read
--   from the environment, buildctl `--opt build-arg:K=V`) and of `record --build-arg`. For names that look
--   secret (*TOKEN*, *PASSWORD*, *SECRET*, *KEY*) only the SHA-256 of the value is kept; `value` is NULL.
--   `value_sha256` is NULL when the argument was named without a value and the environment had none.
-- * build_cache_plumbing: one row per build recorded since this version. The flags (`--no-cache`,
--   `--no-cache-filter`, `--cache-from`, `--cache-to`, `--builder`) are known only when buildtrail ran the
--   command (`command_known`); the rest is read from the log (buildx booting the builder, cache exports).
--   Lists are JSON arrays of strings.
-- * build_cache_import: each `importing cache manifest from <ref>` of the log and how it ended.

CREATE TABLE build_argument (
  build_id          INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  name              TEXT    NOT NULL,
  value             TEXT,
  value_sha256      TEXT,
  secret            INTEGER NOT NULL DEFAULT 0 CHECK (secret IN (0, 1)),
  source            TEXT    NOT NULL CHECK (source IN ('command', 'option')),
  from_environment  INTEGER NOT NULL DEFAULT 0 CHECK (from_environment IN (0, 1)),
  PRIMARY KEY (build_id, position)
) WITHOUT ROWID;

CREATE TABLE build_cache_plumbing (
  build_id         INTEGER PRIMARY KEY REFERENCES build (id) ON DELETE CASCADE,
  command_known    INTEGER NOT NULL CHECK (command_known IN (0, 1)),
  no_cache         INTEGER NOT NULL DEFAULT 0 CHECK (no_cache IN (0, 1)),
  no_cache_filter  TEXT    NOT NULL DEFAULT '[]',
  cache_from       TEXT    NOT NULL DEFAULT '[]',
  cache_to         TEXT    NOT NULL DEFAULT '[]',
  builder_flag     TEXT,
  booted_builder   INTEGER NOT NULL DEFAULT 0 CHECK (booted_builder IN (0, 1)),
  cache_exports    TEXT    NOT NULL DEFAULT '[]'
);

CREATE TABLE build_cache_import (
  build_id   INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  position   INTEGER NOT NULL,
  reference  TEXT    NOT NULL,
  outcome    TEXT    NOT NULL CHECK (outcome IN ('imported', 'failed', 'unfinished')),
  error      TEXT,
  PRIMARY KEY (build_id, position)
) WITHOUT ROWID;
