#!/usr/bin/env bash
# Makes the clean Debian root file system the distribution tests run buildtrail in: bookworm's
# minbase variant (no Swift toolchain, no compiler) plus git and libsqlite3, the two things the
# binary asks of the distribution. With --docker-image NAME it also imports the folder as a local
# Docker image, the base the container image test builds on (builds here never pull).
#
# Usage: Scripts/make-rootfs.sh DIR [--docker-image NAME]   (as root; needs debootstrap)
set -euo pipefail
dir="${1:?usage: Scripts/make-rootfs.sh DIR [--docker-image NAME]}"
image=""
[ "${2:-}" = --docker-image ] && image="${3:?--docker-image needs a name}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org/debian}"

if [ ! -x "$dir/usr/bin/git" ]; then
  rm -rf "$dir"
  debootstrap --variant=minbase --include=git,libsqlite3-0 bookworm "$dir" "$mirror" >&2
  rm -rf "$dir/var/cache/apt/archives/"*.deb "$dir/var/lib/apt/lists/"*
fi
if [ -n "$image" ]; then
  if tar -C "$dir" --one-file-system -c . | docker import - "$image" >/dev/null; then
    echo "make-rootfs.sh: imported $dir as $image" >&2
  else
    echo "make-rootfs.sh: warning: could not import $dir into Docker (is the daemon running?)" >&2
  fi
fi
