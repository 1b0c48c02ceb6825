#!/usr/bin/env bash
# A scripted git history of a small "Python backend with uv" project, built one commit at a time
# with the real local BuildKit as an end-to-end scenario (see uv-history.md beside this file).
#
#   Tests/Scenarios/uv-history.sh base-image N   # docker import local/uv-base:1 (busybox, fake uv
#                                                # and fake python3);
#                                                # N (1, 2, ...) changes /etc/uv-base-release, so the
#                                                # image (and its layer) differ between N values
#   Tests/Scenarios/uv-history.sh init DIR       # write the project into DIR, git init -b main, commit
#   Tests/Scenarios/uv-history.sh apply DIR STEP # make change STEP in DIR and commit it
#   Tests/Scenarios/uv-history.sh steps          # print the STEP names in order, one per line
#
# Steps `prune`, `base-image` and `reimport-base` change no file and make no commit (they print
# "nothing to commit" and exit 0): the test runs `docker builder prune -af`, or
# `uv-history.sh base-image 2` (3 for reimport-base), itself before building that step.
#
# Same rules as make-project.sh: the daemon comes from ../shared/tools/dockerd-start --busybox,
# nothing is ever pulled, base images are made only with `docker import`. Build with
#   DOCKER_BUILDKIT=1 /usr/bin/docker build --progress=plain --network=none -t uv-history DIR
# (the Docker 20.10 client; a newer `docker` on PATH lacks buildx). DOCKER=... overrides the client.
#
# Commits use a fixed author, committer and date per step, so the commit IDs are the same on every
# run with the same git.
set -euo pipefail
# shellcheck source=scenario-lib.sh
. "$(dirname "${BASH_SOURCE[0]}")/scenario-lib.sh"

steps=(
  app-code
  add-dependency
  dockerignore-venv
  restore-dockerignore
  reorder-dockerfile
  app-code-after-reorder
  prune
  base-image
  failing-run
  import-check
  undeclared-import
  replace-import
  restore-order
  app-code-after-fix
  reimport-base
)
first_step_index=1 # init makes commit 0
commit_month=03    # 2024-03-01, one day later per step
base_image_usage="base-image N"

# ---------------------------------------------------------------------------------------------
# The fake `uv` placed at /usr/local/bin/uv in local/uv-base:1 (POSIX sh, busybox applets only).
# ---------------------------------------------------------------------------------------------
write_fake_uv() {
  cat > "$1" <<'FAKEUV'
#!/bin/sh
# Fake `uv` for buildtrail's scenario tests. It imitates the stderr lines of `uv sync` so that a
# build log shows whether uv's cache was warm: a package missing from the cache directory is
# "downloaded" (0.3 s, then a file <name>-<version>.whl appears) and counted in `Prepared N ...`.
set -eu

cache_dir=${UV_CACHE_DIR:-/root/.cache/uv}

case "${1:-}" in
  --version | version)
    echo "uv 0.4.18 (buildtrail fake)"
    exit 0
    ;;
  sync) shift ;;
  *)
    echo "error: this fake uv only implements \`uv sync\`" >&2
    exit 2
    ;;
esac

install_project=1
for arg in "$@"; do
  case "$arg" in
    --frozen | --locked | --no-dev | --compile-bytecode) ;;
    --no-install-project) install_project=0 ;;
    *)
      echo "error: unexpected argument '$arg' found" >&2
      exit 2
      ;;
  esac
done

if [ ! -f pyproject.toml ]; then
  echo "error: No \`pyproject.toml\` found in current directory or any parent directory" >&2
  exit 2
fi
if [ ! -f uv.lock ]; then
  echo "error: Unable to find lockfile at \`uv.lock\`. To create a lockfile, run \`uv lock\` or \`uv sync\`." >&2
  exit 2
fi

# elapsed MS: uv's format (123ms, 1.23s)
elapsed() {
  if [ "$1" -lt 1000 ]; then
    echo "$1ms"
  else
    printf '%d.%02ds\n' $(($1 / 1000)) $(($1 % 1000 / 10))
  fi
}
# plural N: "N package" or "N packages"
plural() {
  if [ "$1" -eq 1 ]; then echo "1 package"; else echo "$1 packages"; fi
}
# download_size NAME: size shown for large wheels (uv names only large downloads)
download_size() {
  case "$1" in
    pydantic) echo "1.2MiB" ;;
    httpx) echo "1.1MiB" ;;
    *) echo "" ;;
  esac
}

# Read uv.lock: one "name version" line per [[package]], the project's own entry aside.
packages=""
project=""
total=0
name=""
version=""
is_project=0
flush() {
  if [ -n "$name" ]; then
    total=$((total + 1))
    if [ "$is_project" -eq 1 ]; then
      project="$name $version"
    else
      packages="$packages$name $version
"
    fi
  fi
  name=""
  version=""
  is_project=0
}
while IFS= read -r line || [ -n "$line" ]; do
  case "$line" in
    '[[package]]') flush ;;
    'name = "'*)
      name=${line#name = \"}
      name=${name%%\"*}
      ;;
    'version = "'*)
      version=${line#version = \"}
      version=${version%%\"*}
      ;;
    'source = { editable = '* | 'source = { virtual = '*) is_project=1 ;;
  esac
done < uv.lock
flush

venv=${UV_PROJECT_ENVIRONMENT:-$PWD/.venv}
site="$venv/lib/python3.12/site-packages"
if [ ! -f "$venv/pyvenv.cfg" ]; then
  echo "Using CPython 3.12.3 interpreter at: /usr/local/bin/python3.12" >&2
  echo "Creating virtual environment at: .venv" >&2
  mkdir -p "$site" "$venv/bin"
  printf 'home = /usr/local/bin\nimplementation = CPython\nuv = 0.4.18\nversion_info = 3.12.3\ninclude-system-site-packages = false\n' > "$venv/pyvenv.cfg"
fi

echo "Resolved $(plural "$total") in 12ms" >&2

mkdir -p "$cache_dir"
prepared=0
installed=0
changes=""
while read -r pkg ver; do
  [ -n "$pkg" ] || continue
  if [ ! -f "$cache_dir/$pkg-$ver.whl" ]; then
    size=$(download_size "$pkg")
    [ -z "$size" ] || echo "Downloading $pkg ($size)" >&2
    sleep 0.3
    echo "$pkg $ver (fake wheel)" > "$cache_dir/$pkg-$ver.whl"
    [ -z "$size" ] || echo " Downloaded $pkg" >&2
    prepared=$((prepared + 1))
  fi
  if [ ! -d "$site/$pkg-$ver.dist-info" ]; then
    mkdir -p "$site/$pkg-$ver.dist-info" "$site/$pkg"
    echo uv > "$site/$pkg-$ver.dist-info/INSTALLER"
    cp "$cache_dir/$pkg-$ver.whl" "$site/$pkg/__init__.py"
    installed=$((installed + 1))
    changes="$changes + $pkg==$ver
"
  fi
done <<EOF
$packages
EOF

if [ "$install_project" -eq 1 ] && [ -n "$project" ]; then
  pname=${project% *}
  pver=${project#* }
  if [ ! -d "$site/$pname-$pver.dist-info" ]; then
    mkdir -p "$site/$pname-$pver.dist-info"
    echo uv > "$site/$pname-$pver.dist-info/INSTALLER"
    echo "$PWD" > "$site/_$pname.pth"
    installed=$((installed + 1))
    changes="$changes + $pname==$pver (from file://$PWD)
"
  fi
fi

if [ "$prepared" -gt 0 ]; then
  echo "Prepared $(plural "$prepared") in $(elapsed $((prepared * 300 + 41)))" >&2
fi
if [ "$installed" -gt 0 ]; then
  echo "Installed $(plural "$installed") in 5ms" >&2
  printf '%s' "$changes" | sort -k2 >&2
else
  echo "Checked $(plural "$total") in 0.08ms" >&2
fi
echo "installed by fake uv sync at $(date -u +%Y-%m-%dT%H:%M:%SZ)" > "$venv/.buildtrail-installed"
FAKEUV
  chmod 0755 "$1"
}

# ---------------------------------------------------------------------------------------------
# The fake `python3` placed at /usr/local/bin/python3 in local/uv-base:1 (POSIX sh, busybox only).
# ---------------------------------------------------------------------------------------------
write_fake_python() {
  cat > "$1" <<'FAKEPYTHON'
#!/bin/sh
# Fake `python3` for buildtrail's scenario tests. It only runs `python3 -c "import MODULE"`: it
# follows the `import X` and `from X import ...` lines of the project's own modules (folders of the
# working directory), finds third-party modules in the virtual environment's site-packages, and
# prints Python's traceback when one is missing.
set -eu

case "${1:-}" in
  --version | -V)
    echo "Python 3.12.3 (buildtrail fake)"
    exit 0
    ;;
  -c) code=${2:-} ;;
  *)
    echo "this fake python3 only runs: python3 -c \"import MODULE\"" >&2
    exit 2
    ;;
esac
case "$code" in
  'import '*) start=${code#import } ;;
  *)
    echo "this fake python3 only runs: python3 -c \"import MODULE\"" >&2
    exit 2
    ;;
esac

site=${VIRTUAL_ENV:-$PWD/.venv}/lib/python3.12/site-packages
stdlib=" __future__ abc asyncio base64 collections dataclasses datetime enum functools hashlib hmac json logging os pathlib re secrets sys time typing uuid "

# missing MODULE FRAMES: print the traceback for a module that cannot be found, and exit 1.
missing() {
  echo "Traceback (most recent call last):" >&2
  echo '  File "<string>", line 1, in <module>' >&2
  printf '%s' "$2" >&2
  echo "ModuleNotFoundError: No module named '$1'" >&2
  exit 1
}

# load MODULE FRAMES: import MODULE; FRAMES are the traceback lines of the imports that led here.
load() {
  top=${1%%.*}
  if [ -d "$PWD/$top" ]; then
    file="$PWD/$(echo "$1" | tr . /).py"
    [ -f "$file" ] || file="$PWD/$(echo "$1" | tr . /)/__init__.py"
    [ -f "$file" ] || missing "$1" "$2"
    n=0
    # The import lines of FILE, numbered, read before recursing (the loop's variables are global).
    imports=$(while IFS= read -r line || [ -n "$line" ]; do
      n=$((n + 1))
      case "$line" in
        'import '* | 'from '*' import '*) echo "$n $line" ;;
      esac
    done < "$file")
    printf '%s\n' "$imports" | while read -r number statement; do
      [ -n "$number" ] || continue
      case "$statement" in
        'import '*) module=${statement#import } ;;
        *) module=${statement#from }; module=${module%% import *} ;;
      esac
      module=${module%% *}
      module=${module%%,*}
      load "$module" "$2  File \"$file\", line $number, in <module>
    $statement
"
    done
    return 0
  fi
  case "$stdlib" in *" $top "*) return 0 ;; esac
  [ -d "$site/$top" ] || missing "$1" "$2"
}

load "$start" ""
FAKEPYTHON
  chmod 0755 "$1"
}

cmd_base_image() {
  local n=$1
  case "$n" in
    '' | *[!0-9]*) echo "base-image: N must be a positive number, got '$n'" >&2; exit 2 ;;
  esac
  new_rootfs root/.cache
  write_fake_uv "$rootfs/usr/local/bin/uv"
  write_fake_python "$rootfs/usr/local/bin/python3"
  printf 'uv-base %s\n' "$n" > "$rootfs/etc/uv-base-release"
  # A reproducible tarball: the layer depends only on busybox, the fake uv and python3, and N.
  import_rootfs local/uv-base:1
}

# ---------------------------------------------------------------------------------------------
# The project.
# ---------------------------------------------------------------------------------------------
# write_dockerfile DIR ORDER [EXTRA]: EXTRA is a last instruction appended after the syncs.
write_dockerfile() {
  local dir=$1 order=$2 extra=${3:-}
  if [ "$order" = "lock-first" ]; then
    cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM local/uv-base:1
ENV UV_LINK_MODE=copy
WORKDIR /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-install-project
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen
DOCKERFILE
  else
    cat > "$dir/Dockerfile" <<'DOCKERFILE'
FROM local/uv-base:1
ENV UV_LINK_MODE=copy
WORKDIR /app
COPY . /app
RUN --mount=type=cache,target=/root/.cache/uv \
    --mount=type=bind,source=uv.lock,target=uv.lock \
    --mount=type=bind,source=pyproject.toml,target=pyproject.toml \
    uv sync --frozen --no-install-project
RUN --mount=type=cache,target=/root/.cache/uv uv sync --frozen
DOCKERFILE
  fi
  if [ -n "$extra" ]; then echo "$extra" >> "$dir/Dockerfile"; fi
}

import_check='RUN python3 -c "import app.main"'

write_dockerignore() {
  local dir=$1 with_venv=$2
  {
    if [ "$with_venv" = yes ]; then echo '.venv/'; fi
    echo '.git'
    echo '__pycache__/'
    echo '*.pyc'
  } > "$dir/.dockerignore"
}

write_pyproject() {
  local dir=$1 deps=$2
  cat > "$dir/pyproject.toml" <<TOML
[project]
name = "app"
version = "0.1.0"
description = "A small FastAPI backend, buildtrail's uv scenario"
requires-python = ">=3.12"
dependencies = [
$deps]

[build-system]
requires = ["hatchling"]
build-backend = "hatchling.build"
TOML
}

# lock_package NAME VERSION [DEP...]
lock_package() {
  local name=$1 version=$2 dep
  shift 2
  printf '\n[[package]]\nname = "%s"\nversion = "%s"\nsource = { registry = "https://pypi.org/simple" }\n' \
    "$name" "$version"
  if [ $# -gt 0 ]; then
    echo 'dependencies = ['
    for dep in "$@"; do printf '    { name = "%s" },\n' "$dep"; done
    echo ']'
  fi
}

write_lock() {
  local dir=$1 with_httpx=$2
  {
    printf 'version = 1\nrequires-python = ">=3.12"\n'
    lock_package anyio 4.3.0
    printf '\n[[package]]\nname = "app"\nversion = "0.1.0"\nsource = { editable = "." }\n'
    echo 'dependencies = ['
    echo '    { name = "fastapi" },'
    [ "$with_httpx" = no ] || echo '    { name = "httpx" },'
    echo '    { name = "uvicorn" },'
    echo ']'
    echo
    echo '[package.metadata]'
    if [ "$with_httpx" = no ]; then
      echo 'requires-dist = ['
      echo '    { name = "fastapi" },'
      echo '    { name = "uvicorn" },'
      echo ']'
    else
      echo 'requires-dist = ['
      echo '    { name = "fastapi" },'
      echo '    { name = "httpx" },'
      echo '    { name = "uvicorn" },'
      echo ']'
    fi
    lock_package fastapi 0.110.0 pydantic starlette
    lock_package h11 0.14.0
    if [ "$with_httpx" = yes ]; then
      lock_package httpcore 1.0.5 h11
      lock_package httpx 0.27.0 anyio httpcore
    fi
    lock_package pydantic 2.6.4
    lock_package starlette 0.36.3 anyio
    lock_package uvicorn 0.29.0 h11
  } > "$dir/uv.lock"
}

# A git-ignored virtual environment of about 30 MB in some 300 files, so that dropping `.venv/`
# from .dockerignore makes the build context balloon.
write_venv() {
  local dir=$1 blob p m site
  site="$dir/.venv/lib/python3.12/site-packages"
  mkdir -p "$dir/.venv/bin" "$site"
  printf 'home = /usr/bin\nimplementation = CPython\nuv = 0.4.18\nversion_info = 3.12.3\ninclude-system-site-packages = false\n' \
    > "$dir/.venv/pyvenv.cfg"
  printf '#!/bin/sh\n# local virtual environment (host side)\n' > "$dir/.venv/bin/activate"
  blob=$(mktemp)
  # 100 KiB of deterministic text
  for m in $(seq 1 1600); do printf '# filler line %05d of a vendored module, 64 bytes long....\n' "$m"; done |
    head -c 102400 > "$blob"
  for p in $(seq -w 1 30); do
    mkdir -p "$site/vendored_pkg_$p"
    for m in $(seq -w 1 10); do cp "$blob" "$site/vendored_pkg_$p/module_$m.py"; done
  done
  rm -f "$blob"
}

cmd_init() {
  local dir=$1
  require_no_repo "$dir"
  mkdir -p "$dir/app/__pycache__"
  write_pyproject "$dir" '    "fastapi",
    "uvicorn",
'
  write_lock "$dir" no
  write_dockerfile "$dir" lock-first
  write_dockerignore "$dir" yes
  printf '.venv/\n__pycache__/\n*.pyc\n' > "$dir/.gitignore"
  printf '3.12\n' > "$dir/.python-version"
  cat > "$dir/app/__init__.py" <<'PY'
PY
  cat > "$dir/app/main.py" <<'PY'
from fastapi import FastAPI

from app.api import router

app = FastAPI(title="app")
app.include_router(router)
PY
  cat > "$dir/app/api.py" <<'PY'
from fastapi import APIRouter

router = APIRouter()


@router.get("/health")
def health() -> dict[str, str]:
    return {"status": "ok"}
PY
  printf 'not really bytecode\n' > "$dir/app/__pycache__/api.cpython-312.pyc"
  write_venv "$dir"
  git -C "$dir" init -q -b main
  commit "$dir" 0 "Initial commit: FastAPI backend managed with uv"
}

cmd_apply() {
  local dir=$1 step=$2 index
  index=$(apply_index "$dir" "$step") || exit $?
  case "$step" in
    app-code)
      cat >> "$dir/app/api.py" <<'PY'


@router.get("/items/{item_id}")
def read_item(item_id: int) -> dict[str, int]:
    return {"item_id": item_id}
PY
      commit "$dir" "$index" "app-code: add GET /items/{item_id}"
      ;;
    add-dependency)
      write_pyproject "$dir" '    "fastapi",
    "httpx",
    "uvicorn",
'
      write_lock "$dir" yes
      commit "$dir" "$index" "add-dependency: httpx 0.27.0 (with httpcore 1.0.5)"
      ;;
    dockerignore-venv)
      write_dockerignore "$dir" no
      commit "$dir" "$index" "dockerignore-venv: stop ignoring .venv/ in the build context"
      ;;
    restore-dockerignore)
      write_dockerignore "$dir" yes
      commit "$dir" "$index" "restore-dockerignore: ignore .venv/ again"
      ;;
    reorder-dockerfile)
      write_dockerfile "$dir" copy-first
      commit "$dir" "$index" "reorder-dockerfile: COPY . /app before installing dependencies"
      ;;
    app-code-after-reorder)
      sed -i 's/^app = FastAPI(title="app")$/app = FastAPI(title="app", version="0.1.1")/' "$dir/app/main.py"
      commit "$dir" "$index" "app-code-after-reorder: set the API version"
      ;;
    prune | base-image | reimport-base)
      # No change and no commit: the test prunes the builder cache, or re-imports the base image.
      echo "nothing to commit for step $step"
      ;;
    failing-run)
      echo 'RUN echo "running checks" && echo "check failed: lint" && exit 2' >> "$dir/Dockerfile"
      commit "$dir" "$index" "failing-run: add a checks step"
      ;;
    import-check)
      write_dockerfile "$dir" copy-first "$import_check"
      commit "$dir" "$index" "import-check: check that the app imports, instead of the lint step"
      ;;
    undeclared-import)
      sed -i '1i import itsdangerous' "$dir/app/api.py"
      cat >> "$dir/app/api.py" <<'PY'


def sign(value: str) -> str:
    return itsdangerous.URLSafeSerializer("dev").dumps(value)
PY
      commit "$dir" "$index" "undeclared-import: sign values with itsdangerous"
      ;;
    replace-import)
      sed -i 's/^import itsdangerous$/import hmac/' "$dir/app/api.py"
      sed -i 's/^    return itsdangerous.URLSafeSerializer("dev").dumps(value)$/    return hmac.new(b"dev", value.encode(), "sha256").hexdigest()/' \
        "$dir/app/api.py"
      commit "$dir" "$index" "replace-import: sign values with hmac from the standard library"
      ;;
    restore-order)
      write_dockerfile "$dir" lock-first "$import_check"
      commit "$dir" "$index" "restore-order: install dependencies before COPY . /app again"
      ;;
    app-code-after-fix)
      cat >> "$dir/app/api.py" <<'PY'


@router.get("/version")
def version() -> dict[str, str]:
    return {"version": "0.1.1"}
PY
      commit "$dir" "$index" "app-code-after-fix: add GET /version"
      ;;
  esac
}

scenario_main 1 "$@"
