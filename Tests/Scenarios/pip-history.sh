#!/usr/bin/env bash
# A scripted git history of a small "Flask app with pip and requirements.txt" project, built one
# commit at a time with the real local BuildKit (see pip-history.md beside this file).
#
#   Tests/Scenarios/pip-history.sh base-image      # docker import local/pip-base:1 (busybox + fake pip,
#                                                  # fake python); prints the image ID
#   Tests/Scenarios/pip-history.sh init DIR        # write the project into DIR, git init -b main, commit
#   Tests/Scenarios/pip-history.sh apply DIR STEP  # make change STEP in DIR and commit it
#   Tests/Scenarios/pip-history.sh steps           # print the STEP names in order, one per line
#
# Same rules as uv-history.sh: the daemon comes from ../shared/tools/dockerd-start --busybox, nothing
# is ever pulled, the base image is made only with `docker import`. Build with
#   DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=none -t pip-history DIR
# DOCKER=... overrides the client. Commits use a fixed author, committer and date per step.
set -euo pipefail
# shellcheck source=scenario-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/scenario-lib.sh"

steps=(
  app-code
  reorder-requirements
  add-dependency
  add-broken-dependency
  app-code-while-broken
  remove-broken-dependency
  undeclared-import
)
first_step_index=1 # init makes commit 0
commit_month=04    # 2024-04-01, one day later per step
base_image_usage="base-image"

# ---------------------------------------------------------------------------------------------
# The fake `pip` at /usr/local/bin/pip (POSIX sh, busybox applets only). `pip install -r FILE`
# resolves against a small built-in index, prints pip's lines, and installs a folder per package
# into site-packages; a requirement the index lacks gives pip's two ERROR lines and exit 1.
# ---------------------------------------------------------------------------------------------
write_fake_pip() {
  cat > "$1" <<'FAKEPIP'
#!/bin/sh
# Fake `pip` for buildtrail's pip scenario. It follows pip 24's wording (resolvelib factory and
# req_install): Collecting, Downloading, Installing collected packages, Successfully installed, and
# "Could not find a version that satisfies the requirement R (from P) (from versions: none)".
set -eu

site=/usr/local/lib/python3.12/site-packages

# The index: "name version size requirement..." (one version per package).
index() {
  cat <<'INDEX'
flask 3.0.2 101 werkzeug>=3.0.0 jinja2>=3.1.2 itsdangerous>=2.1.2 click>=8.1.3 blinker>=1.6.2
werkzeug 3.0.1 226 markupsafe>=2.1.1
jinja2 3.1.3 133 markupsafe>=2.0
itsdangerous 2.1.2 15
click 8.1.7 97
blinker 1.7.0 13
markupsafe 2.1.5 28
gunicorn 21.2.0 80 packaging
packaging 24.0 53
requests 2.31.0 62 charset-normalizer<4,>=2 idna<4,>=2.5 urllib3<3,>=1.21.1 certifi>=2017.4.17
charset-normalizer 3.3.2 48
idna 3.6 61
urllib3 2.2.1 121
certifi 2024.2.2 163
flask-caching 2.1.0 28 cachelib>=0.9.0 flask
cachelib 0.12.0 20
aiohttp-extras 0.4.0 12 yarl-ng>=1.9
INDEX
}

# name_of REQUIREMENT: the distribution name, lowercased, before any specifier.
name_of() {
  echo "$1" | sed 's/[<>=!~; \[].*//' | tr 'A-Z_' 'a-z-'
}
# entry NAME: the index line of NAME, or nothing.
entry() {
  index | while read -r n rest; do
    if [ "$n" = "$1" ]; then
      echo "$n $rest"
      break
    fi
  done
}

case "${1:-}" in
  --version) echo "pip 24.0 from $site/pip (python 3.12) (buildtrail fake)"; exit 0 ;;
  install) shift ;;
  *) echo "ERROR: this fake pip only implements \`pip install -r FILE\`" >&2; exit 2 ;;
esac
file=""
while [ $# -gt 0 ]; do
  case "$1" in
    -r) file=$2; shift 2 ;;
    --no-cache-dir | -q | --quiet | --disable-pip-version-check) shift ;;
    *) echo "ERROR: unexpected argument '$1'" >&2; exit 2 ;;
  esac
done
[ -n "$file" ] || { echo "ERROR: You must give at least one requirement to install (see \"pip help install\")" >&2; exit 1; }
[ -f "$file" ] || { echo "ERROR: Could not open requirements file: [Errno 2] No such file or directory: '$file'" >&2; exit 1; }

# The queue: "requirement|parent|origin" lines, breadth first as pip's resolver reports them.
queue=$(mktemp)
seen=$(mktemp)
order=$(mktemp)
n=0
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  req=$(echo "$line" | sed 's/#.*//; s/--hash=[^ ]*//g; s/\\$//; s/^[ \t]*//; s/[ \t]*$//')
  [ -n "$req" ] || continue
  echo "$req||-r $file (line $n)" >> "$queue"
done < "$file"

i=1
while :; do
  item=$(sed -n "${i}p" "$queue")
  [ -n "$item" ] || break
  i=$((i + 1))
  req=${item%%|*}
  rest=${item#*|}
  parent=${rest%%|*}
  origin=${rest#*|}
  name=$(name_of "$req")
  if grep -qx "$name" "$seen"; then continue; fi
  found=$(entry "$name")
  if [ -z "$found" ]; then
    if [ -n "$parent" ]; then
      echo "ERROR: Could not find a version that satisfies the requirement $req (from $parent) (from versions: none)" >&2
    else
      echo "ERROR: Could not find a version that satisfies the requirement $req (from versions: none)" >&2
    fi
    echo "ERROR: No matching distribution found for $req" >&2
    exit 1
  fi
  set -- $found
  version=$2
  size=$3
  shift 3
  case "$req" in
    *==*)
      if [ "${req#*==}" != "$version" ]; then
        echo "ERROR: Could not find a version that satisfies the requirement $req (from versions: $version)" >&2
        echo "ERROR: No matching distribution found for $req" >&2
        exit 1
      fi
      ;;
  esac
  echo "$name" >> "$seen"
  echo "$name $version" >> "$order"
  echo "Collecting $req (from $origin)"
  wheel=$(echo "$name" | tr '-' '_')-$version-py3-none-any.whl
  echo "  Downloading $wheel ($size kB)"
  for dep in "$@"; do
    echo "$dep|$name|$name==$version->$origin" >> "$queue"
  done
done

installed=""
names=""
while read -r name version; do
  module=$(echo "$name" | tr '-' '_')
  mkdir -p "$site/$module" "$site/$module-$version.dist-info"
  echo pip > "$site/$module-$version.dist-info/INSTALLER"
  names="${names:+$names, }$name"
  installed="${installed:+$installed }$name-$version"
done < "$order"
echo "Installing collected packages: $names"
echo "Successfully installed $installed"
rm -f "$queue" "$seen" "$order"
FAKEPIP
  chmod 0755 "$1"
}

# The fake `python`: `python -c "import PKG.MOD"` reads PKG/MOD.py and fails, as CPython would, on
# the first top-level import that is neither the standard library, the project, nor installed.
write_fake_python() {
  cat > "$1" <<'FAKEPY'
#!/bin/sh
set -eu
site=/usr/local/lib/python3.12/site-packages
case "${1:-}" in
  --version | -V) echo "Python 3.12.3"; exit 0 ;;
  -c) ;;
  *) echo "this fake python only runs -c \"import MODULE\"" >&2; exit 2 ;;
esac
target=$(echo "$2" | sed -n 's/^import \([A-Za-z0-9_.]*\)$/\1/p')
[ -n "$target" ] || { echo "this fake python only runs -c \"import MODULE\"" >&2; exit 2; }
file=$(echo "$target" | tr . /).py
[ -f "$file" ] || {
  echo "Traceback (most recent call last):" >&2
  echo "  File \"<string>\", line 1, in <module>" >&2
  echo "ModuleNotFoundError: No module named '$target'" >&2
  exit 1
}
n=0
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  module=$(echo "$line" | sed -n 's/^import \([A-Za-z0-9_]*\).*/\1/p; s/^from \([A-Za-z0-9_]*\)[A-Za-z0-9_.]* import .*/\1/p')
  [ -n "$module" ] || continue
  case "$module" in
    os | sys | json | re | typing | logging | dataclasses | functools | pathlib | app) continue ;;
  esac
  if [ ! -d "$site/$module" ]; then
    echo "Traceback (most recent call last):" >&2
    echo "  File \"<string>\", line 1, in <module>" >&2
    echo "  File \"/app/$file\", line $n, in <module>" >&2
    echo "    $line" >&2
    echo "ModuleNotFoundError: No module named '$module'" >&2
    exit 1
  fi
done < "$file"
FAKEPY
  chmod 0755 "$1"
}

cmd_base_image() {
  new_rootfs usr/local/lib/python3.12/site-packages
  write_fake_pip "$rootfs/usr/local/bin/pip"
  write_fake_python "$rootfs/usr/local/bin/python"
  import_rootfs local/pip-base:1
}

# ---------------------------------------------------------------------------------------------
# The project.
# ---------------------------------------------------------------------------------------------
# write_requirements DIR LINE...: one requirement per argument.
write_requirements() {
  local dir=$1
  shift
  printf '%s\n' "$@" > "$dir/requirements.txt"
}

write_main() {
  local dir=$1 version=$2 extra_import=$3
  {
    echo 'import os'
    echo
    echo 'from flask import Flask'
    [ -z "$extra_import" ] || echo "$extra_import"
    echo
    echo 'app = Flask(__name__)'
    echo
    echo
    echo '@app.get("/health")'
    echo 'def health():'
    echo "    return {\"status\": \"ok\", \"version\": \"$version\", \"pid\": os.getpid()}"
  } > "$dir/app/main.py"
}

cmd_init() {
  local dir=$1
  require_no_repo "$dir"
  mkdir -p "$dir/app"
  cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM local/pip-base:1
WORKDIR /app
COPY requirements.txt .
RUN pip install --no-cache-dir -r requirements.txt
COPY . /app
RUN python -c "import app.main"
DOCKERFILE
  printf '.git\n__pycache__/\n*.pyc\n' > "$dir/.dockerignore"
  printf '__pycache__/\n*.pyc\n' > "$dir/.gitignore"
  write_requirements "$dir" flask==3.0.2 gunicorn==21.2.0 requests==2.31.0
  : > "$dir/app/__init__.py"
  write_main "$dir" 0.1.0 ""
  git -C "$dir" init -q -b main
  commit "$dir" 0 "Initial commit: Flask app installed with pip"
}

cmd_apply() {
  local dir=$1 step=$2 index
  index=$(apply_index "$dir" "$step") || exit $?
  case "$step" in
    app-code)
      write_main "$dir" 0.1.1 ""
      commit "$dir" "$index" "app-code: report the version in /health"
      ;;
    reorder-requirements)
      write_requirements "$dir" requests==2.31.0 flask==3.0.2 gunicorn==21.2.0
      commit "$dir" "$index" "reorder-requirements: put requests first"
      ;;
    add-dependency)
      write_requirements "$dir" requests==2.31.0 flask==3.0.2 gunicorn==21.2.0 flask-caching==2.1.0
      commit "$dir" "$index" "add-dependency: flask-caching 2.1.0"
      ;;
    add-broken-dependency)
      write_requirements "$dir" requests==2.31.0 flask==3.0.2 gunicorn==21.2.0 flask-caching==2.1.0 \
        aiohttp-extras==0.4.0
      commit "$dir" "$index" "add-broken-dependency: aiohttp-extras 0.4.0 (needs yarl-ng, not on the index)"
      ;;
    app-code-while-broken)
      write_main "$dir" 0.1.2 ""
      commit "$dir" "$index" "app-code-while-broken: bump the version"
      ;;
    remove-broken-dependency)
      write_requirements "$dir" requests==2.31.0 flask==3.0.2 gunicorn==21.2.0 flask-caching==2.1.0
      commit "$dir" "$index" "remove-broken-dependency: drop aiohttp-extras"
      ;;
    undeclared-import)
      write_main "$dir" 0.1.2 "import redis"
      commit "$dir" "$index" "undeclared-import: use redis without declaring it"
      ;;
  esac
}

scenario_main 0 "$@"
