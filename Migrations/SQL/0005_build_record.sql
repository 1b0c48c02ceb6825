-- buildtrail schema, version 5: a build's record.
-- Everything about a build that no list, filter or sort reads (its steps, kept output, FROM images,
-- warnings, inputs, context entries, a small context's file list, and the rarely read facts of its
-- row) is one binary record per build, zlib-compressed on its own or, when that is much smaller,
-- against the record of an earlier build stored on its own (`base_id`, a preset dictionary).
-- The builds recorded before are moved into records by the migration's backfill (Swift), and
-- version 6 drops the tables they came from.

CREATE TABLE build_record (
  build_id  INTEGER PRIMARY KEY REFERENCES build (id) ON DELETE CASCADE,
  base_id   INTEGER,
  data      BLOB    NOT NULL
);
