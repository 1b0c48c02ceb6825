#!/usr/bin/env bash
# Exit 0 when a Docker daemon answers at /var/run/docker.sock, non-zero otherwise; prints one line.
#
#   Tests/Scenarios/docker-available.sh [PATH-TO-dockerd-start]
#
# First tries to start the daemon with the shared helper (default: ../shared/tools/dockerd-start
# relative to the repository root), run as `dockerd-start --busybox` so that the base image
# local/busybox:1 exists too. The helper is idempotent and returns at once when dockerd already runs.
# Uses the Docker client the helper prints (/usr/bin/docker, the 20.10 client); a newer `docker`
# earlier on PATH may lack buildx and refuse DOCKER_BUILDKIT=1 builds.
set -euo pipefail

sock=/var/run/docker.sock
repo=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
tool=${1:-$repo/../shared/tools/dockerd-start}

client=""
start_note=""
if [ -x "$tool" ]; then
  if out=$("$tool" --busybox 2>/dev/null); then
    client=$(printf '%s\n' "$out" | tail -n 1)
  else
    start_note=" ($tool --busybox failed)"
  fi
else
  start_note=" (no executable dockerd-start at $tool)"
fi

if [ -z "$client" ] || [ ! -x "$client" ]; then
  if [ -x /usr/bin/docker ]; then
    client=/usr/bin/docker
  elif command -v docker >/dev/null 2>&1; then
    client=$(command -v docker)
  else
    echo "docker unavailable: no docker client installed$start_note"
    exit 1
  fi
fi

if [ ! -S "$sock" ]; then
  echo "docker unavailable: no socket at $sock$start_note"
  exit 1
fi

if version=$("$client" -H "unix://$sock" version --format '{{.Server.Version}}' 2>/dev/null) && [ -n "$version" ]; then
  echo "docker available: daemon $version answers at $sock (client $client)"
  exit 0
fi
echo "docker unavailable: no daemon answers at $sock$start_note"
exit 1
