#!/usr/bin/env bash
# The logic of buildtrail's GitHub Action (action.yml): install | import | record | check.
# Inputs arrive as BT_* environment variables (never interpolated into a script).
# Nothing here may fail a build because of buildtrail: a build's exit code is the step's; a
# recording that goes wrong is a warning annotation.
set -euo pipefail

bt_error() {
  echo "::error title=buildtrail::$*"
  exit 1
}

bt_warning() { echo "::warning title=buildtrail::$*"; }

bt_output() {
  if [ -n "${GITHUB_OUTPUT:-}" ]; then echo "$1=$2" >>"$GITHUB_OUTPUT"; fi
}

# Expands a leading ~/ (inputs are not expanded by a shell).
bt_expand() {
  case "$1" in
    "~/"*) echo "$HOME/${1#"~/"}" ;;
    *) echo "$1" ;;
  esac
}

# Where the history goes: the server input, else the db input, else the job's BUILDTRAIL_* env.
bt_history() {
  if [ -n "${BT_TOKEN:-}" ]; then export BUILDTRAIL_TOKEN="$BT_TOKEN"; fi
  if [ -n "${BT_SERVER:-}" ]; then
    export BUILDTRAIL_SERVER="$BT_SERVER"
    unset BUILDTRAIL_DB
  elif [ -n "${BT_DB:-}" ]; then
    BUILDTRAIL_DB="$(bt_expand "$BT_DB")"
    export BUILDTRAIL_DB
    unset BUILDTRAIL_SERVER
  fi
  if [ -z "${BUILDTRAIL_SERVER:-}" ] && [ -n "${BUILDTRAIL_DB:-}" ]; then
    mkdir -p "$(dirname "$BUILDTRAIL_DB")" 2>/dev/null || true
  fi
}

bt_install() {
  local dest="${RUNNER_TEMP:-${TMPDIR:-/tmp}}/buildtrail" source=""
  if [ -n "${BT_URL:-}" ]; then
    mkdir -p "$dest.download"
    source="$dest.download/$(basename "${BT_URL%%\?*}")"
    if ! curl -fsSL --retry 3 -o "$source" "$BT_URL"; then
      bt_error "cannot download $BT_URL"
    fi
  elif [ -n "${BT_PATH:-}" ]; then
    source="$(bt_expand "$BT_PATH")"
    [ -f "$source" ] || bt_error "no file at path $BT_PATH (give a release tarball or the binary)"
  elif command -v buildtrail >/dev/null 2>&1; then
    echo "buildtrail is already on PATH: $(command -v buildtrail)"
    buildtrail --version
    return
  else
    bt_error "give url (a release tarball) or path (a tarball or the binary) to install buildtrail"
  fi
  if [ -n "${BT_SHA256:-}" ]; then
    local expected actual
    expected="$(echo "$BT_SHA256" | awk '{print tolower($1)}')"
    actual="$(sha256sum "$source" | awk '{print $1}')"
    if [ "$expected" != "$actual" ]; then
      bt_error "checksum mismatch for $(basename "$source"): expected $expected, got $actual; not installed"
    fi
  fi
  rm -rf "$dest"
  mkdir -p "$dest/bin"
  if tar -tzf "$source" >/dev/null 2>&1; then
    tar -xzf "$source" -C "$dest" --strip-components=1
    [ -x "$dest/bin/buildtrail" ] || bt_error "$(basename "$source") holds no bin/buildtrail"
  else
    cp "$source" "$dest/bin/buildtrail"
    chmod +x "$dest/bin/buildtrail"
  fi
  if [ -n "${GITHUB_PATH:-}" ]; then echo "$dest/bin" >>"$GITHUB_PATH"; fi
  "$dest/bin/buildtrail" --version || bt_error "$dest/bin/buildtrail does not run on this runner"
}

bt_import() {
  [ -n "${BT_IMPORT:-}" ] || return 0
  bt_history
  local pattern file
  while IFS= read -r pattern; do
    pattern="$(bt_expand "${pattern#"${pattern%%[![:space:]]*}"}")"
    [ -n "$pattern" ] || continue
    for file in $pattern; do
      if [ ! -e "$file" ]; then
        bt_warning "nothing to import at $file"
      elif ! buildtrail import "$file"; then
        bt_warning "could not import $file (see the message above); the history lacks its builds"
      fi
    done
  done <<<"$BT_IMPORT"
}

# The record options from the inputs, into the array bt_args.
bt_record_options() {
  bt_args=(record --format json)
  local line
  while IFS= read -r line; do
    line="$(echo "$line" | sed 's/^[[:space:]]*//; s/[[:space:]]*$//')"
    [ -n "$line" ] || continue
    case "$line" in
      "#"*) ;;
      [!=]*=*) bt_args+=(--label "$line") ;;
      *) bt_warning "label '$line' is not key=value; left out" ;;
    esac
  done <<<"${BT_LABELS:-}"
  if [ -n "${BT_CONTEXT:-}" ]; then bt_args+=(--context "$BT_CONTEXT"); fi
  if [ -f "${BT_DOCKERFILE:-}" ]; then
    bt_args+=(--file "$BT_DOCKERFILE")
  elif [ -n "${BT_DOCKERFILE:-}" ]; then
    bt_warning "dockerfile $BT_DOCKERFILE is not a file; left out"
  fi
  if [ -n "${BUILDTRAIL_SERVER:-}" ] && [ -n "${BT_SPOOL:-}" ]; then
    bt_args+=(--spool "$(bt_expand "$BT_SPOOL")")
  fi
}

# Reads record's JSON (the last top-level object of $1), sets the outputs, warns when nothing
# was recorded.
bt_recorded() {
  local json ids
  json="$(awk '/^\{$/ { buffer = ""; inside = 1 } inside { buffer = buffer $0 "\n" } END { printf "%s", buffer }' "$1")"
  ids="$(echo "$json" | grep -oE '"id" : [0-9]+' | grep -oE '[0-9]+' | tr '\n' ' ' | sed 's/ $//' || true)"
  if [ -z "$ids" ]; then
    bt_warning "the build was not recorded (see buildtrail's message above); the build itself is unaffected"
    return
  fi
  bt_output build-id "${ids##* }"
  bt_output build-ids "$ids"
  echo "buildtrail: recorded build ${ids// /, }"
}

bt_record() {
  if [ -n "${BT_RUN:-}" ] && [ "${BT_BUILDX_HISTORY:-false}" = "true" ]; then
    bt_error "give run or buildx-history: true, not both"
  fi
  if [ -n "${BT_RUN:-}" ]; then
    bt_record_run
  elif [ "${BT_BUILDX_HISTORY:-false}" = "true" ]; then
    bt_record_buildx
  fi
}

bt_record_run() {
  # One simple command is split into words as bash would, so that buildtrail reads its flags
  # (-f, --target, --build-arg, cache flags); anything else runs under bash -e -c.
  case "$BT_RUN" in
    *[\;\&\|\<\>\(\)\`]* | *$'\n'*) set -- bash -e -c "$BT_RUN" ;;
    *)
      set +u
      eval "set -- $BT_RUN" 2>/dev/null || set -- bash -e -c "$BT_RUN"
      set -u
      ;;
  esac
  if ! command -v buildtrail >/dev/null 2>&1; then
    bt_run_unrecorded "buildtrail is not installed" "$@"
  fi
  bt_history
  case "${BUILDTRAIL_SERVER:-http://}" in
    http://* | https://*) ;;
    *) bt_run_unrecorded "server $BUILDTRAIL_SERVER is not an http:// or https:// URL" "$@" ;;
  esac
  bt_record_options
  local out status
  out="$(mktemp)"
  set +e
  buildtrail "${bt_args[@]}" -- "$@" | tee "$out"
  status=${PIPESTATUS[0]}
  set -e
  bt_output exit-code "$status"
  bt_recorded "$out"
  rm -f "$out"
  exit "$status"
}

# Runs the build without buildtrail (it cannot record it) and exits with the build's code.
bt_run_unrecorded() {
  bt_warning "$1; the build runs without being recorded"
  shift
  unset BUILDTRAIL_TOKEN
  local status=0
  "$@" || status=$?
  bt_output exit-code "$status"
  exit "$status"
}

bt_record_buildx() {
  local log out ref="${BT_BUILDX_REF:-}"
  command -v buildtrail >/dev/null 2>&1 || {
    bt_warning "buildtrail is not installed; the build was not recorded"
    return 0
  }
  bt_history
  bt_record_options
  log="$(mktemp)"
  out="$(mktemp)"
  ref="${ref##*/}"
  if ! docker buildx history logs --progress=rawjson ${ref:+"$ref"} >"$log"; then
    bt_warning "docker buildx history logs failed (buildx 0.23 or later records the history); the build was not recorded"
    return 0
  fi
  buildtrail "${bt_args[@]}" "$log" | tee "$out" || true
  bt_recorded "$out"
  rm -f "$log" "$out"
}

bt_check() {
  case "${BT_CHECK:-true}" in
    false) echo "buildtrail check skipped (check: false)"; bt_output result skipped; return 0 ;;
    true | warn) ;;
    *) bt_error "check takes true, false or warn, got '$BT_CHECK'" ;;
  esac
  command -v buildtrail >/dev/null 2>&1 || bt_error "buildtrail is not installed; check did not run"
  if [ -z "${BT_BUILD_IDS:-}" ] && { [ -n "${BT_RUN:-}" ] || [ "${BT_BUILDX_HISTORY:-}" = true ]; }; then
    bt_warning "check skipped: the build was not recorded, and an older build is not this one"
    bt_output result skipped
    return 0
  fi
  bt_history
  local args=(check --max-slowdown "${BT_MAX_SLOWDOWN:-20%}") out status=0 worst=0 result=pass
  if [ -n "${BT_MIN_CACHE_HIT:-}" ]; then args+=(--min-cache-hit "$BT_MIN_CACHE_HIT"); fi
  out="$(mktemp)"
  for id in ${BT_BUILD_IDS:-latest}; do
    [ "$id" = latest ] && id=""
    set +e
    buildtrail "${args[@]}" ${id:+"$id"} | tee "$out"
    status=${PIPESTATUS[0]}
    set -e
    if [ "$status" -ne 0 ]; then
      worst=$status
      if grep -q '^FAIL ' "$out"; then result=fail; elif [ "$result" = pass ]; then result=error; fi
    fi
  done
  rm -f "$out"
  bt_output result "$result"
  bt_output exit-code "$worst"
  if [ "${BT_CHECK:-true}" = warn ] && [ "$worst" -ne 0 ]; then
    bt_warning "check: $result (check: warn, so the job goes on)"
    return 0
  fi
  return "$worst"
}

case "${1:-}" in
  install) bt_install ;;
  import) bt_import ;;
  record) bt_record ;;
  check) bt_check ;;
  *) bt_error "usage: buildtrail.sh install|import|record|check" ;;
esac
