import BuildStore
import Foundation

/// Ties a failure's decisive lines to a change since the baseline, only when the evidence names it:
/// a module that a changed file imports and no manifest or lockfile declares; a requirement that
/// cannot be found, of a package the change added; a package the change touched that the error
/// names; a failing step the Dockerfile change added or changed.
struct FailureChangeFinder {
  var build: BuildDetail
  var evidence: InputEvidence
  var step: StoredStep?

  /// Python dependency files looked for at the context root besides the recorded inputs.
  static let pythonFiles = ["requirements.txt", "pyproject.toml", "uv.lock", "poetry.lock"]
  /// Import names whose distribution is named otherwise.
  static let distributions = [
    "yaml": "pyyaml", "pil": "pillow", "sklearn": "scikit-learn", "cv2": "opencv-python",
    "bs4": "beautifulsoup4", "dateutil": "python-dateutil", "dotenv": "python-dotenv",
    "jwt": "pyjwt",
    "magic": "python-magic", "attr": "attrs", "google": "protobuf",
  ]

  func relatedChange(to finding: FailureExtractor.Finding) -> FailureExplanation.RelatedChange? {
    let files = dependencyFiles()
    if let module = Self.missingModule(finding.signature.message) {
      return undeclaredImport(module, files: files)
    }
    if let (wanted, shown, parent) = Self.missingRequirement(finding.lines),
      let tie = missingRequirement(wanted, shown, parent, files)
    {
      return tie
    }
    if let named = namedPackage(in: finding.lines, files: files) { return named }
    return dockerfileStep()
  }

  // MARK: - Python imports

  /// `redis` in `ModuleNotFoundError: No module named 'redis.client'`.
  static func missingModule(_ message: String) -> String? {
    guard let range = message.range(of: "No module named '") else { return nil }
    let name = message[range.upperBound...].prefix { $0 != "'" }
    return name.split(separator: ".").first.map(String.init)
  }

  private func undeclaredImport(_ module: String, files: [DependencyFileState])
    -> FailureExplanation.RelatedChange?
  {
    let package = DependencyFile.pep503(Self.distributions[module.lowercased()] ?? module)
    for file in files {
      if let change = file.changes.first(where: { $0.name == package && $0.kind == .removed }) {
        return .init(
          kind: "dependency-removed",
          summary: "\(file.path) removed \(change.summary.dropFirst()), which \(module) comes from",
          file: file.path, line: nil, package: package, inferred: false)
      }
    }
    let python = files.filter { $0.isPython && $0.after != nil }
    guard !python.isEmpty, !python.contains(where: { $0.after!.contains { $0.name == package } })
    else { return nil }
    for path in (evidence.changedContextFiles ?? []).filter({ $0.hasSuffix(".py") }).sorted() {
      let repositoryPath = evidence.repositoryPath(path)
      guard let data = evidence.content(repositoryPath, atNewer: true),
        let line = Self.importLine(of: module, in: String(decoding: data, as: UTF8.self))
      else { continue }
      let checked = python.map(\.path).joined(separator: ", ")
      return .init(
        kind: "undeclared-import",
        summary:
          "\(repositoryPath) imports \(module) (line \(line)), which no manifest or lockfile declares (\(checked))",
        file: repositoryPath, line: line, package: package, inferred: false)
    }
    return nil
  }

  /// The 1-based line of the first `import module`, `import a, module.x` or `from module… import` in `text`.
  static func importLine(of module: String, in text: String) -> Int? {
    for (offset, raw) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      let line = raw.trimmingCharacters(in: .whitespaces)
      var names: [Substring] = []
      if line.hasPrefix("import ") {
        names = line.dropFirst(7).split(separator: ",").compactMap {
          $0.split(separator: " ", omittingEmptySubsequences: true).first
        }
      } else if line.hasPrefix("from "), let word = line.dropFirst(5).split(separator: " ").first {
        names = [word]
      }
      if names.contains(where: { $0.split(separator: ".").first.map(String.init) == module }) {
        return offset + 1
      }
    }
    return nil
  }

  // MARK: - Requirements that cannot be found

  /// From pip's `Could not find a version that satisfies the requirement R (from P)` and
  /// `No matching distribution found for R`, or uv's `Because R was not found` / `there is no version of R`:
  /// R's name, R as printed, and P when pip names it.
  static func missingRequirement(_ lines: [String]) -> (String, String, String?)? {
    for line in lines {
      if let range = line.range(of: "satisfies the requirement ") {
        let rest = line[range.upperBound...]
        let wanted = requirementName(rest)
        var parent: String?
        if let from = rest.range(of: " (from "), !rest[from.upperBound...].hasPrefix("versions:") {
          parent = requirementName(rest[from.upperBound...])
        }
        return (wanted, String(rest.prefix { $0 != " " }), parent)
      }
      for marker in ["No matching distribution found for ", "there is no version of ", "Because "] {
        if let range = line.range(of: marker) {
          let rest = line[range.upperBound...]
          if marker == "Because ", !rest.contains("was not found in the package registry") {
            continue
          }
          return (requirementName(rest), String(rest.prefix { $0 != " " }), nil)
        }
      }
    }
    return nil
  }

  private static func requirementName(_ text: Substring) -> String {
    DependencyFile.pep503(String(text.prefix { $0.isLetter || $0.isNumber || "-_.".contains($0) }))
  }

  private func missingRequirement(
    _ wanted: String, _ shown: String, _ parent: String?, _ files: [DependencyFileState]
  )
    -> FailureExplanation.RelatedChange?
  {
    for file in files {
      let touched = file.changes.filter { $0.kind != .removed }
      if let own = touched.first(where: { $0.name == wanted }) {
        return .init(
          kind: "missing-requirement",
          summary:
            "\(file.path) \(own.kind == .added ? "added \(own.summary.dropFirst())" : "changed \(own.summary)"), which cannot be found",
          file: file.path, line: nil, package: wanted, inferred: false)
      }
      if let parent, let added = touched.first(where: { $0.name == parent }) {
        return .init(
          kind: "missing-requirement",
          summary:
            "\(file.path) added \(added.summary.dropFirst()), which requires \(shown): no version of it can be found",
          file: file.path, line: nil, package: parent, inferred: false)
      }
      if parent == nil, touched.count == 1, let only = touched.first, only.kind == .added {
        return .init(
          kind: "missing-requirement",
          summary:
            "\(file.path) added \(only.summary.dropFirst()); \(shown) cannot be found, presumably a requirement of it (the only package added)",
          file: file.path, line: nil, package: only.name, inferred: true)
      }
    }
    return nil
  }

  // MARK: - Packages the error names

  private func namedPackage(in lines: [String], files: [DependencyFileState]) -> FailureExplanation
    .RelatedChange?
  {
    let words = Set(
      lines.joined(separator: " ").split(whereSeparator: {
        !($0.isLetter || $0.isNumber || "-_.".contains($0))
      }).map {
        DependencyFile.pep503(String($0))
      })
    for file in files {
      if let change = file.changes.first(where: { words.contains($0.name) }) {
        return .init(
          kind: "dependencies",
          summary: "\(file.path) changed: \(change.summary), named in the error",
          file: file.path, line: nil, package: change.name, inferred: false)
      }
    }
    return nil
  }

  // MARK: - The Dockerfile

  private func dockerfileStep() -> FailureExplanation.RelatedChange? {
    guard let step,
      let path = build.context?.dockerfilePath.map({
        $0.hasPrefix("/") ? URL(fileURLWithPath: $0).lastPathComponent : $0
      }),
      let new = evidence.content(path, atNewer: true),
      let old = evidence.content(path, atNewer: false)
    else { return nil }
    let after = Dockerfile(text: String(decoding: new, as: UTF8.self))
    guard let located = after.step(matching: step.name) else { return nil }
    let changes = DockerfileDiff.changes(
      from: Dockerfile(text: String(decoding: old, as: UTF8.self)), to: after)
    guard let change = changes.first(where: { $0.new?.line == located.step.instruction.line }),
      change.kind == .added || change.kind == .changed
    else { return nil }
    let line = located.step.instruction.line
    return .init(
      kind: "dockerfile",
      summary: "the failing step was \(change.kind.rawValue) in \(path) (line \(line))",
      file: path, line: line, package: nil, inferred: false)
  }

  // MARK: - Dependency files

  /// One dependency file at both builds: its packages (nil when absent or unreadable) and their changes.
  struct DependencyFileState {
    var path: String
    var kind: DependencyFileKind
    var after: [DependencyPackage]?
    var changes: [DependencyChange]
    var isPython: Bool { [.requirements, .pyproject, .uvLock, .poetryLock].contains(kind) }
  }

  /// The recorded lockfiles and manifests, the changed ones, and Python's usual ones at the context
  /// root: lockfiles first.
  func dependencyFiles() -> [DependencyFileState] {
    var paths = build.inputs.filter { $0.role == .lockfile || $0.role == .manifest }.map(\.path)
    paths += (evidence.changedContextFiles ?? []).filter {
      DependencyFileKind.from(path: $0) != nil
    }.map(evidence.repositoryPath)
    paths += Self.pythonFiles.map(evidence.repositoryPath)
    var seen = Set<String>()
    var states: [DependencyFileState] = []
    for path in paths where seen.insert(path).inserted {
      guard let kind = DependencyFileKind.from(path: path) else { continue }
      let new = evidence.content(path, atNewer: true)
      let old = evidence.content(path, atNewer: false)
      let after = new.flatMap { try? DependencyFile.packages(in: $0, kind: kind, path: path) }
      let before = old.flatMap { try? DependencyFile.packages(in: $0, kind: kind, path: path) }
      guard after != nil || before != nil else { continue }
      let changes =
        old == new || before == nil ? [] : DependencyFile.diff(old: before ?? [], new: after ?? [])
      states.append(DependencyFileState(path: path, kind: kind, after: after, changes: changes))
    }
    return states.sorted {
      ($0.kind.isLockfile ? 0 : 1, $0.path) < ($1.kind.isLockfile ? 0 : 1, $1.path)
    }
  }
}
