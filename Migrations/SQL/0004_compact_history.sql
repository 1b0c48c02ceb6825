-- buildtrail schema, version 4: a history that stays small for years.
-- * Step names and keys are interned: a build's step rows hold a number, not the name, the key and
--   the fields read from the name. Step rows are keyed by (build, position), without a rowid. A step
--   digest `sha256:<hex>` is stored as its 32 bytes (a BLOB); other digests stay text.
-- * Step times are milliseconds since 1970 (the text form held the same milliseconds).
-- * A build's kept output lines are one blob (a JSON object from step position to text), zlib-compressed
--   when written by buildtrail 4+; the rows migrated here are stored as plain JSON (codec 'json').
-- * The build context's file list is a tree of content-addressed nodes shared between builds
--   (context_node); the text lists of earlier builds stay where they are (context_manifest_sha256).
-- * Input blobs may be zlib-compressed (codec); `bytes` stays the size of the file itself.

CREATE TABLE step_name (
  id          INTEGER PRIMARY KEY,
  -- 64 bits of the SHA-256 of all the fields below, to find a name again without indexing its text;
  -- NULL for the names carried over from schema 3.
  identity    INTEGER,
  name        TEXT    NOT NULL,
  -- NULL when the key is the one read from the name (StepName.stableKey with the row's service).
  step_key    TEXT,
  kind        TEXT    NOT NULL,
  service     TEXT,
  platform    TEXT,
  stage       TEXT,
  step_index  INTEGER,
  step_total  INTEGER
);
CREATE INDEX step_name_identity ON step_name (identity) WHERE identity IS NOT NULL;

INSERT INTO step_name (step_key, name, kind, service, platform, stage, step_index, step_total)
SELECT DISTINCT step_key, name, kind, service, platform, stage, step_index, step_total FROM step;
CREATE INDEX step_name_migrating ON step_name (name);

CREATE TABLE step_v4 (
  build_id          INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  position          INTEGER NOT NULL,
  vertex            INTEGER NOT NULL,
  name_id           INTEGER NOT NULL REFERENCES step_name (id),
  status            TEXT    NOT NULL CHECK (status IN ('done', 'cached', 'error', 'canceled', 'unfinished')),
  duration_seconds  REAL,
  started_ms        INTEGER,
  completed_ms      INTEGER,
  output_lines      INTEGER NOT NULL DEFAULT 0,
  error_text        TEXT,
  digest            TEXT,
  PRIMARY KEY (build_id, position)
) WITHOUT ROWID;

INSERT INTO step_v4 (build_id, position, vertex, name_id, status, duration_seconds, started_ms, completed_ms,
  output_lines, error_text, digest)
SELECT s.build_id, s.position, s.vertex, n.id, s.status, s.duration_seconds,
  CAST(round((julianday(s.started_at) - 2440587.5) * 86400000.0) AS INTEGER),
  CAST(round((julianday(s.completed_at) - 2440587.5) * 86400000.0) AS INTEGER),
  s.output_lines, s.error_text, s.digest
FROM step s JOIN step_name n ON n.step_key = s.step_key AND n.name = s.name AND n.kind = s.kind
  AND n.service IS s.service AND n.platform IS s.platform AND n.stage IS s.stage AND n.step_index IS s.step_index
  AND n.step_total IS s.step_total;

CREATE TABLE build_output (
  build_id  INTEGER PRIMARY KEY REFERENCES build (id) ON DELETE CASCADE,
  codec     TEXT    NOT NULL CHECK (codec IN ('json', 'zlib')),
  data      BLOB    NOT NULL
);

INSERT INTO build_output (build_id, codec, data)
SELECT s.build_id, 'json', CAST(json_group_object(CAST(s.position AS TEXT), o.text) AS BLOB)
FROM step_output o JOIN step s ON s.id = o.step_id
GROUP BY s.build_id;

CREATE TABLE base_image_v4 (
  build_id   INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  position   INTEGER,
  stage      TEXT,
  reference  TEXT    NOT NULL,
  digest     TEXT,
  source     TEXT    NOT NULL DEFAULT 'log' CHECK (source IN ('log', 'daemon'))
);

INSERT INTO base_image_v4 (build_id, position, stage, reference, digest, source)
SELECT b.build_id, s.position, b.stage, b.reference, b.digest, b.source
FROM base_image b LEFT JOIN step s ON s.id = b.step_id
ORDER BY b.rowid;

DROP INDEX step_name_migrating;
DROP TABLE step_output;
DROP TABLE base_image;
DROP TABLE step;
ALTER TABLE step_v4 RENAME TO step;
ALTER TABLE base_image_v4 RENAME TO base_image;
CREATE INDEX base_image_build ON base_image (build_id);
-- Indexes no query reads, each costing bytes on every build: steps and base images are read by
-- build, and `builds --outcome` walks the time index.
DROP INDEX build_outcome;

-- A build's cache inputs name their content by its 32 bytes, not 64 hex digits, and no index repeats
-- them: the inputs are read by build, and pruning walks the table once.
CREATE TABLE build_input_v4 (
  build_id  INTEGER NOT NULL REFERENCES build (id) ON DELETE CASCADE,
  path      TEXT    NOT NULL,
  role      TEXT    NOT NULL CHECK (role IN ('dockerfile', 'dockerignore', 'lockfile', 'manifest')),
  sha256    BLOB    NOT NULL,
  PRIMARY KEY (build_id, path)
) WITHOUT ROWID;
INSERT INTO build_input_v4 (build_id, path, role, sha256) SELECT build_id, path, role, sha256 FROM build_input;
DROP TABLE build_input;
ALTER TABLE build_input_v4 RENAME TO build_input;

CREATE TABLE context_node (
  hash  BLOB PRIMARY KEY,
  data  BLOB NOT NULL
) WITHOUT ROWID;

ALTER TABLE build ADD COLUMN context_root BLOB;
ALTER TABLE build ADD COLUMN context_truncated INTEGER CHECK (context_truncated IN (0, 1));
ALTER TABLE input_blob ADD COLUMN codec TEXT NOT NULL DEFAULT 'none' CHECK (codec IN ('none', 'zlib'));
