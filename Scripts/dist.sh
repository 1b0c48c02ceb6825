#!/usr/bin/env bash
# Builds buildtrail as a self-contained Linux binary and packs it for download:
#
#   dist/buildtrail-VERSION-linux-ARCH.tar.gz         bin/ and share/ (completions, manual page,
#                                                     README), to unpack into a prefix (/usr/local)
#   dist/buildtrail-VERSION-linux-ARCH.tar.gz.sha256  its SHA-256, in sha256sum's format
#
# The Swift runtime and Foundation are linked in (--static-swift-stdlib), so the binary needs only
# glibc, libstdc++, zlib and libsqlite3 from the distribution, plus git for git facts.
#
# Usage: Scripts/dist.sh [--configuration release|debug] [--scratch-path DIR] [--output DIR]
#   --configuration  release (default) for publishing; debug relinks the test build's objects in
#                    under a minute, which is what .ci/run packs and tests.
#   --scratch-path   SwiftPM's build folder (default: .build).
#   --output         where the tarball and its checksum go (default: dist).
# Prints the tarball's path on stdout; progress goes to stderr.
set -euo pipefail
cd "$(dirname "$0")/.."

configuration=release
scratch=.build
output=dist
while [ $# -gt 0 ]; do
  case "$1" in
    --configuration) configuration="${2:?--configuration needs release or debug}"; shift 2 ;;
    --scratch-path) scratch="${2:?--scratch-path needs a folder}"; shift 2 ;;
    --output) output="${2:?--output needs a folder}"; shift 2 ;;
    -h | --help) awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0"; exit 0 ;;
    *) echo "dist.sh: unknown argument '$1'; see Scripts/dist.sh --help" >&2; exit 64 ;;
  esac
done
case "$configuration" in
  release | debug) ;;
  *) echo "dist.sh: --configuration must be release or debug, not '$configuration'" >&2; exit 64 ;;
esac

# The static Foundation's libraries are named on the link line: Swift 6.3 leaves its ICU library
# out (swiftlang/swift-package-manager#10564), and objects compiled for a dynamic build (the test
# build that --configuration debug relinks) name none of Foundation's static parts.
foundation=()
for library in Foundation CoreFoundation FoundationEssentials FoundationInternationalization \
  _FoundationICU _FoundationCShims _FoundationCollections swiftSynchronization; do
  foundation+=(-Xlinker "-l$library")
done
build=(swift build -c "$configuration" --scratch-path "$scratch" --static-swift-stdlib
  -Xlinker --start-group "${foundation[@]}" -Xlinker --end-group)
echo "dist.sh: building buildtrail ($configuration, static Swift runtime)" >&2
# ArgumentParser's manual writer runs here only and links the usual way.
swift build -c "$configuration" --scratch-path "$scratch" --product generate-manual >&2
"${build[@]}" --product buildtrail >&2
bin="$("${build[@]}" --show-bin-path)"
binary="$bin/buildtrail"

if ldd "$binary" | grep -E 'libswift|libFoundation|libdispatch|libBlocksRuntime' >&2; then
  echo "dist.sh: $binary still links the Swift runtime dynamically (above)" >&2
  exit 1
fi

version="$("$binary" --version)"
case "$version" in
  *"(commit unknown)"*) echo "dist.sh: warning: not built in a git work tree; --version names no commit" >&2 ;;
  *-dirty*) echo "dist.sh: warning: the work tree has uncommitted changes; --version says -dirty" >&2 ;;
esac
name="buildtrail-${version%% *}-linux-$(uname -m)"
stage="$(mktemp -d)"
trap 'rm -rf "$stage"' EXIT
root="$stage/$name"
mkdir -p "$root/bin" "$root/share/man/man1" "$root/share/bash-completion/completions" \
  "$root/share/zsh/site-functions" "$root/share/fish/vendor_completions.d" \
  "$root/share/doc/buildtrail"

# Debug info is most of the binary's size; the symbol table stays, for readable crash traces.
strip --strip-debug -o "$root/bin/buildtrail" "$binary"
"$binary" --generate-completion-script bash > "$root/share/bash-completion/completions/buildtrail"
"$binary" --generate-completion-script zsh > "$root/share/zsh/site-functions/_buildtrail"
"$binary" --generate-completion-script fish > "$root/share/fish/vendor_completions.d/buildtrail.fish"

# Dated by the commit, so that the same commit packs the same bytes.
epoch="$(git log -1 --format=%ct 2>/dev/null || date +%s)"
"$bin/generate-manual" "$binary" --date "$(date -u -d "@$epoch" +%Y-%m-%d)" \
  --output-directory "$root/share/man/man1" >&2
cp README.md "$root/share/doc/buildtrail/README.md"

mkdir -p "$output"
tarball="$output/$name.tar.gz"
tar --sort=name --mtime="@$epoch" --owner=0 --group=0 --numeric-owner -C "$stage" -cf - "$name" \
  | gzip -n > "$tarball"
(cd "$output" && sha256sum "$name.tar.gz" > "$name.tar.gz.sha256")
echo "dist.sh: $(du -h "$tarball" | cut -f1) $tarball ($(du -h "$root/bin/buildtrail" | cut -f1) binary)" >&2
echo "$tarball"
