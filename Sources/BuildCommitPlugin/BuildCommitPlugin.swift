import Foundation
import PackagePlugin

/// Writes `BuildCommit.swift` before each build: the git commit the executable is built from, with
/// `-dirty` when the work tree differs from it, or `nil` outside a git work tree (a source tarball).
/// The file is rewritten only when its text changes, so an unchanged commit recompiles nothing.
@main
struct BuildCommitPlugin: BuildToolPlugin {
  func createBuildCommands(context: PluginContext, target: Target) throws -> [Command] {
    let output = context.pluginWorkDirectoryURL.appending(path: "BuildCommit")
    let script = """
      set -u
      out="$2/BuildCommit.swift"
      mkdir -p "$2"
      id=$(git -C "$1" rev-parse --short=12 HEAD 2>/dev/null) || id=""
      if [ -n "$id" ] && ! git -C "$1" diff --quiet HEAD -- 2>/dev/null; then id="$id-dirty"; fi
      if [ -n "$id" ]; then value="\\"$id\\""; else value="nil"; fi
      text="// Generated before each build by BuildCommitPlugin; not checked in.
      enum BuildCommit {
        /// The git commit of this executable, or nil when not built in a git work tree.
        static let id: String? = $value
      }"
      if [ ! -f "$out" ] || [ "$(cat "$out")" != "$text" ]; then printf '%s\\n' "$text" > "$out"; fi
      """
    return [
      .prebuildCommand(
        displayName: "Stamp the git commit into \(target.name)",
        executable: URL(filePath: "/bin/sh"),
        arguments: ["-c", script, "sh", context.package.directoryURL.path, output.path],
        outputFilesDirectory: output)
    ]
  }
}
