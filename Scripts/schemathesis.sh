#!/usr/bin/env bash
# Runs schemathesis (from PyPI) against a real `buildtrail serve` and its OpenAPI document.
#
# Records the uv fixture history (Tests/BuildLogTests/Fixtures/uv-history, after each commit of
# Tests/Scenarios/uv-history.sh, as the Swift tests do) into a scratch database, starts
# `serve --tokens` on 127.0.0.1 with a free port, gives schemathesis a read+record token, and runs
# every operation of /api/v1/openapi.json with every check of schemathesis (server errors, status,
# Content-Type, headers and schema of each answer, invalid data refused, authentication enforced,
# 405 with Allow for other methods) but positive_data_acceptance: an upload can match the schema and
# still be refused (422, the log holds no build), which no schema can tell. Bounded in examples and
# time. Stops the server and prints a summary; exits non-zero when schemathesis found a failure.
#
# Environment: BUILDTRAIL (the binary; default .build/debug/buildtrail, built when absent),
# SCHEMATHESIS_VENV (default .build/schemathesis-venv, made when absent), MAX_EXAMPLES (default
# 100 per operation), MAX_SECONDS (default 600, the whole run), SEED (default 20261207).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

venv=${SCHEMATHESIS_VENV:-$root/.build/schemathesis-venv}
max_examples=${MAX_EXAMPLES:-100}
max_seconds=${MAX_SECONDS:-600}
seed=${SEED:-20261207}

if [ ! -x "$venv/bin/schemathesis" ]; then
  echo "schemathesis.sh: installing schemathesis into $venv" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install -q "schemathesis>=4.32,<5"
fi

binary=${BUILDTRAIL:-$root/.build/debug/buildtrail}
if [ ! -x "$binary" ]; then
  swift build --product buildtrail >&2
fi

work=$(mktemp -d /tmp/buildtrail-schemathesis-XXXXXX)
server_pid=""
cleanup() {
  if [ -n "$server_pid" ] && kill -0 "$server_pid" 2>/dev/null; then
    kill -TERM "$server_pid" 2>/dev/null || true
    wait "$server_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

# The uv fixture history, recorded as ExplainFixtureTests.record does.
export NO_COLOR=1
fixtures=$root/Tests/BuildLogTests/Fixtures/uv-history
scenario=$root/Tests/Scenarios/uv-history.sh
project=$work/backend
db=$work/history.db
bash "$scenario" init "$project" >/dev/null
for log in "$fixtures"/*.log; do
  name=$(basename "$log" .log)
  step=${name#*-}
  if [ "$step" != initial ]; then bash "$scenario" apply "$project" "$step" >/dev/null; fi
  (cd "$project" && "$binary" record "$log" --db "$db" --context . >/dev/null)
done
builds=$("$binary" builds --db "$db" --format csv --limit 1000 | tail -n +2 | wc -l)

# A token with both scopes, its hash in the tokens file.
token_lines=$("$binary" token new schemathesis --scope read,record 2>/dev/null)
token=$(printf '%s\n' "$token_lines" | sed -n 1p)
printf '%s\n' "$token_lines" | sed -n 2p >"$work/tokens"

"$binary" serve --listen 127.0.0.1:0 --db "$db" --tokens "$work/tokens" 2>"$work/serve.log" &
server_pid=$!
url=""
for _ in $(seq 1 600); do
  url=$(grep -o 'on http://127\.0\.0\.1:[0-9]*$' "$work/serve.log" | head -1 | sed 's/^on //' || true)
  [ -n "$url" ] && break
  kill -0 "$server_pid" 2>/dev/null || break
  sleep 0.1
done
if [ -z "$url" ]; then
  echo "schemathesis.sh: serve did not start:" >&2
  cat "$work/serve.log" >&2
  exit 1
fi
echo "schemathesis.sh: $builds builds of the uv history served on $url" >&2

status=0
timeout --signal=INT "$max_seconds" "$venv/bin/schemathesis" run "$url/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks all --exclude-checks positive_data_acceptance \
  --max-examples "$max_examples" --seed "$seed" --workers 1 \
  --suppress-health-check all | tee "$work/schemathesis.out" || status=$?

kill -TERM "$server_pid"
wait "$server_pid" || true
server_pid=""

echo
echo "== summary =="
echo "history: $builds builds of the uv fixture history; seed $seed; at most $max_examples examples per operation, ${max_seconds}s at most"
sed -n '/^API Operations:/,/^Seed:/p' "$work/schemathesis.out" | grep -v '^$' || true
echo "answers in the server's access log, by status:"
grep -o ' status=[0-9]*' "$work/serve.log" | sort | uniq -c | sed 's/ status=/ x /' || true
echo "5xx answers: $(grep -c ' status=5[0-9][0-9]' "$work/serve.log" || true)"
echo "schemathesis exit status: $status"
exit "$status"
