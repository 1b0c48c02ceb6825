#!/usr/bin/env bash
# Writes history.db and show.jsonl (what the schema-8 buildtrail shows of each build,
# then its export) beside this script, with a buildtrail binary built at schema 0008 (commit
# 29a8b35): the uv scenario recorded with metadata (inputs, context lists, a large context as a tree,
# a failure), build arguments (one secret), and buildx logs recorded through a stand-in `docker`
# with cache flags (cache plumbing and imports).
#
#   Tests/BuildLogTests/Fixtures/schema8/make-history.sh OLD_BUILDTRAIL
set -euo pipefail
old=$(realpath "$1")
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
fixtures="$root/Tests/BuildLogTests/Fixtures"
work=$(mktemp -d /tmp/storage-schema8-XXXX)
db="$here/history.db"
rm -f "$db"
project="$work/backend"
bash "$root/Tests/Scenarios/uv-history.sh" init "$project" >/dev/null
cd "$project"
for log in "$fixtures"/uv-history/*.log; do
  step=$(basename "$log" .log)
  step=${step:3}
  [ "$step" = initial ] || bash "$root/Tests/Scenarios/uv-history.sh" apply "$project" "$step" >/dev/null 2>&1
  NPM_TOKEN=hunter2 "$old" record "$log" --db "$db" --context . --build-arg GIT_SHA=3f2a \
    --build-arg NPM_TOKEN --label env=ci >/dev/null
done
mkdir -p "$work/bin"
printf '#!/bin/sh\ncat "$FAKE_DOCKER_LOG"\n' >"$work/bin/docker"
chmod +x "$work/bin/docker"
for name in buildx-container-warm-baseline buildx-container-import-failed; do
  FAKE_DOCKER_LOG="$fixtures/cache-plumbing/$name.log" "$old" record --db "$db" --no-metadata -- \
    "$work/bin/docker" buildx build --progress=plain --builder ci --no-cache-filter deps \
    --cache-from type=registry,ref=ghcr.io/acme/app:cache --cache-to type=inline . >/dev/null
done
"$old" record "$fixtures/docker20-failing-run.log" --db "$db" --no-metadata >/dev/null
count=$(sqlite3 "$db" "SELECT count(*) FROM build")
: >"$here/show.jsonl"
for id in $(seq 1 "$count"); do
  "$old" show "$id" --db "$db" --format json | tr -d '\n' >>"$here/show.jsonl"
  echo >>"$here/show.jsonl"
done
"$old" export --db "$db" >"$here/export.jsonl"
rm -rf "$db.spool"
sqlite3 "$db" "VACUUM"
rm -rf "$work"
