import Foundation

extension Dockerfile {
  /// A dependency file a RUN step installs from, and the build-context file it comes from.
  public struct InstalledFile: Sendable, Equatable {
    /// The stage's display name (`base`, `stage-1`).
    public var stage: String
    /// The step's `i` in `[stage i/n]`.
    public var stepIndex: Int
    /// The file as the command names it.
    public var file: InstallCommand.File
    /// Its absolute path in the image when the step runs.
    public var imagePath: String
    /// The context-relative paths it may come from (through a bind mount or an earlier `COPY`), most
    /// likely first; empty when it does not come from the build context.
    public var contextPaths: [String]
  }

  /// Where context files land in the image: a `COPY`/`ADD` without `--from`, or a RUN bind mount.
  private struct Placement {
    var sources: [String]
    /// Absolute.
    var destination: String
    /// The destination is a directory: written with a trailing `/`, or there are several sources.
    var intoDirectory: Bool
  }

  /// What a stage leaves to the stages built FROM it: context placements and the working directory.
  private struct StageState {
    var placements: [Placement] = []
    var workdir = "/"
  }

  /// The dependency files every RUN step installs from (`pip install -r requirements/worker.txt`,
  /// `uv sync`, `npm ci`, …), followed through `cd`, `WORKDIR`, `COPY` and bind mounts to the build context.
  public func installedFiles() -> [InstalledFile] {
    var states: [StageState] = []
    var result: [InstalledFile] = []
    for stage in stages {
      var state =
        stage.baseStage.flatMap { states.indices.contains($0) ? states[$0] : nil } ?? StageState()
      let stepIndex = Dictionary(
        stage.steps.map { ($0.instruction.line, $0.index) }, uniquingKeysWith: { first, _ in first }
      )
      for instruction in stage.instructions.dropFirst() {
        switch instruction.keyword {
        case "WORKDIR":
          let path = instruction.arguments.trimmingCharacters(in: .whitespaces)
          state.workdir =
            path.contains("$") ? state.workdir : Self.absolute(path, in: state.workdir)
        case "COPY", "ADD":
          guard instruction.copyFrom == nil, let destination = instruction.destination else {
            continue
          }
          state.placements.append(
            Placement(
              sources: instruction.contextPaths.map(Self.contextPath),
              destination: Self.absolute(destination, in: state.workdir),
              intoDirectory: destination.hasSuffix("/") || instruction.sources.count > 1
                || destination == "."))
        case "RUN":
          let command = ([instruction.command ?? ""] + instruction.heredocs.map(\.effectiveBody))
            .joined(separator: "\n")
          let mounts = instruction.mounts.filter { $0.type == "bind" && $0.from == nil }.map {
            Placement(
              sources: [Self.contextPath($0.source ?? ".")],
              destination: Self.absolute($0.target ?? "", in: state.workdir), intoDirectory: false)
          }
          for file in InstallCommand.files(in: command) {
            let imagePath = Self.absolute(file.path, in: state.workdir)
            result.append(
              InstalledFile(
                stage: stage.displayName, stepIndex: stepIndex[instruction.line] ?? 0, file: file,
                imagePath: imagePath,
                contextPaths: Self.origins(of: imagePath, placements: state.placements + mounts)))
          }
        default:
          continue
        }
      }
      states.append(state)
    }
    return result
  }

  /// The context paths an image path may come from, by the last placement that covers it.
  private static func origins(of path: String, placements: [Placement]) -> [String] {
    for placement in placements.reversed() {
      var found: [String] = []
      let inside = path.hasPrefix(placement.destination == "/" ? "/" : placement.destination + "/")
      let rest =
        inside
        ? String(path.dropFirst(placement.destination == "/" ? 1 : placement.destination.count + 1))
        : ""
      for source in placement.sources {
        if source == "." {
          if inside { found.append(rest) }
        } else if source.contains("*") || source.contains("?") || source.contains("[") {
          let name = String(path.split(separator: "/").last ?? "")
          let parent = (source as NSString).deletingLastPathComponent
          let candidate = parent.isEmpty ? name : parent + "/" + name
          if inside, !rest.contains("/"), fnmatch(source, candidate, 0) == 0 {
            found.append(candidate)
          }
        } else {
          if path == placement.destination, !placement.intoDirectory { found.append(source) }
          if inside {
            if rest == (source as NSString).lastPathComponent { found.append(source) }
            found.append(source + "/" + rest)
          }
        }
      }
      let clean = found.compactMap(contextPathInside)
      if !clean.isEmpty { return clean.reduce(into: []) { if !$0.contains($1) { $0.append($1) } } }
    }
    return []
  }

  /// A context path as a COPY source or mount source names it, without `./` or a leading `/`.
  private static func contextPath(_ source: String) -> String {
    var s = Substring(source)
    while s.hasPrefix("./") { s = s.dropFirst(2) }
    while s.hasPrefix("/") { s = s.dropFirst() }
    while s.hasSuffix("/") { s = s.dropLast() }
    return s.isEmpty ? "." : String(s)
  }

  /// The path cleaned (`a/./b/../c` → `a/c`), nil when it leaves the context.
  private static func contextPathInside(_ path: String) -> String? {
    var parts: [Substring] = []
    for part in path.split(separator: "/") where part != "." {
      if part == ".." {
        guard parts.popLast() != nil else { return nil }
      } else {
        parts.append(part)
      }
    }
    return parts.isEmpty ? nil : parts.joined(separator: "/")
  }

  private static func absolute(_ path: String, in workdir: String) -> String {
    Assembler.cleanPath(path.hasPrefix("/") ? path : workdir + "/" + path)
  }
}
