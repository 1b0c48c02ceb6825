import BuildLog
import BuildStore
import Foundation

/// Names the cause of one root miss, from the Dockerfile, `.dockerignore`, dependency files,
/// changed context files and base images, in that order; else the builder's cache was lost.
struct CauseFinder {
  var build: BuildDetail
  var baseline: BuildDetail
  var evidence: InputEvidence
  var dockerfile: Dockerfile?
  var oldDockerfile: Dockerfile?
  var dockerfilePath: String
  var store: BuildStore

  func cause(of step: StoredStep, notes: inout [String]) -> MissCause {
    let located = dockerfile?.step(matching: step.name)
    if let located, let change = dockerfileChange(at: located.stage, step: located.step) {
      return change
    }
    if let located,
      located.stage.steps.first(where: { $0.instruction.keyword != "FROM" })?.index
        == located.step.index
        || located.stage.steps.first?.index == located.step.index,
      let image = baseImageChange(stage: located.stage)
    {
      return image
    }
    if located == nil, let image = baseImageChange(stageName: step.stage) { return image }
    if let instruction = located?.step.instruction {
      let sources = inputPaths(of: instruction)
      if let dependencies = dependencyChange(in: sources, notes: &notes) { return dependencies }
      if ["COPY", "ADD"].contains(instruction.keyword), instruction.copyFrom == nil,
        let ignore = dockerignoreChange()
      {
        return ignore
      }
      if let moved = copiedDockerfileChange(under: sources, copy: instruction) { return moved }
      if let files = changedFiles(
        under: sources,
        label: instruction.keyword + " "
          + (instruction.sources + [instruction.destination].compactMap { $0 }).joined(
            separator: " "))
      {
        return files
      }
    } else if located == nil, dockerfile == nil {
      if let dependencies = dependencyChange(in: nil, notes: &notes) { return dependencies }
      if let ignore = dockerignoreChange(), step.kind == .copy || step.kind == .add {
        return ignore
      }
    }
    return .cacheLost(mounts: [])
  }

  // MARK: - Dockerfile

  private func dockerfileChange(at stage: Stage, step: NumberedStep) -> MissCause? {
    guard let dockerfile, let oldDockerfile else { return nil }
    let changes = DockerfileDiff.changes(from: oldDockerfile, to: dockerfile).filter {
      $0.stage == stage.displayName
    }
    if let own = changes.first(where: { $0.new?.line == step.instruction.line }) {
      return describe(own)
    }
    // An ENV, ARG or other non-step instruction changed between the previous step and this one.
    let previousLine = stage.steps.last(where: { $0.index < step.index })?.instruction.line ?? 0
    if let between = changes.first(where: { change in
      guard let line = change.new?.line ?? change.old?.line else { return false }
      let keyword = (change.new ?? change.old)?.keyword ?? ""
      return line > previousLine && line < step.instruction.line
        && !["RUN", "COPY", "ADD", "WORKDIR", "FROM"].contains(keyword)
    }) {
      return describe(between)
    }
    // An instruction of the step's chain that moved, was added or removed ahead of it changed its parents.
    let oldLine = oldDockerfile.stages.first { $0.displayName == stage.displayName }?.steps
      .first { $0.instruction.stepText == step.instruction.stepText }?.instruction.line
    let chained: Set<String> = ["RUN", "COPY", "ADD", "WORKDIR", "ENV", "ARG", "USER", "SHELL"]
    if let ahead = changes.first(where: { change in
      guard chained.contains((change.new ?? change.old)?.keyword ?? "") else { return false }
      if let new = change.new?.line, new < step.instruction.line, change.kind != .changed {
        return true
      }
      if let old = change.old?.line, let oldLine, old < oldLine,
        change.kind == .removed || change.kind == .moved
      {
        return true
      }
      return false
    }) {
      return describe(ahead)
    }
    return nil
  }

  /// The instruction wins over the file: when `COPY .` copies the Dockerfile and one of its instructions
  /// moved or changed, that change is the cause, not "the Dockerfile changed under COPY".
  private func copiedDockerfileChange(under sources: [String], copy: Instruction) -> MissCause? {
    guard ["COPY", "ADD"].contains(copy.keyword), copy.copyFrom == nil, let dockerfile,
      let oldDockerfile,
      let changed = evidence.changedContextFiles
    else { return nil }
    let copied = changed.filter { path in sources.contains { covers($0, path) } }
    guard copied.contains(where: { $0 == dockerfilePath || dockerfilePath.hasSuffix("/" + $0) }),
      let first = DockerfileDiff.changes(from: oldDockerfile, to: dockerfile).first
    else { return nil }
    guard case .dockerfile(let file, let change, let before, let after, let line) = describe(first)
    else { return nil }
    let others = copied.count - 1
    let also =
      others > 0 ? ", and \(others) other file\(others == 1 ? "" : "s") it copies changed" : ""
    let label = short(
      copy.keyword + " "
        + (copy.sources + [copy.destination].compactMap { $0 }).joined(separator: " "))
    return .dockerfile(
      file: file, change: "\(change); \(label) copies the Dockerfile\(also)", before: before,
      after: after, line: line)
  }

  private func describe(_ change: DockerfileDiff.Change) -> MissCause {
    let text =
      (change.new ?? change.old).map { "\($0.keyword) \(short($0.arguments))" } ?? "an instruction"
    let what: String
    switch change.kind {
    case .added: what = "\(text) added (line \(change.new?.line ?? 0))"
    case .removed: what = "\(text) removed"
    case .changed: what = "\(text) changed (line \(change.new?.line ?? 0))"
    case .moved: what = "\(text) moved (line \(change.old?.line ?? 0) → \(change.new?.line ?? 0))"
    }
    return .dockerfile(
      file: dockerfilePath, change: what,
      before: change.old.map { "\($0.keyword) \($0.arguments)" },
      after: change.new.map { "\($0.keyword) \($0.arguments)" }, line: change.new?.line)
  }

  private func short(_ text: String) -> String {
    let flat = text.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == "\t" }).joined(
      separator: " ")
    return flat.count > 60 ? String(flat.prefix(59)) + "…" : flat
  }

  // MARK: - Base image

  private func baseImageChange(stage: Stage) -> MissCause? {
    guard stage.baseStage == nil else { return nil }
    return baseImageChange(reference: Dockerfile.normalizedReference(stage.base))
  }

  private func baseImageChange(stageName: String?) -> MissCause? {
    let refs = Set(build.baseImages.filter { $0.stage == stageName }.map(\.reference))
    for ref in refs.sorted() { if let change = baseImageChange(reference: ref) { return change } }
    return nil
  }

  private func baseImageChange(reference: String) -> MissCause? {
    let strip: (String) -> String = { ref in
      ref.range(of: "@sha256:").map { String(ref[..<$0.lowerBound]) } ?? ref
    }
    let key = strip(reference)
    let before = baseline.baseImages.first { strip($0.reference) == key }
    let after = build.baseImages.first { strip($0.reference) == key }
    guard let before, let after, let old = before.digest, let new = after.digest, old != new else {
      return nil
    }
    return .baseImage(reference: key, before: old, after: new)
  }

  // MARK: - Inputs

  /// Context-relative paths (or patterns) the instruction reads: COPY/ADD sources and bind-mount sources.
  private func inputPaths(of instruction: Instruction) -> [String] {
    var paths: [String] = []
    if ["COPY", "ADD"].contains(instruction.keyword), instruction.copyFrom == nil {
      paths += instruction.sources
    }
    for mount in instruction.mounts where mount.type == "bind" && mount.from == nil {
      paths.append(mount.source ?? ".")
    }
    return paths.map { p in
      var s = p
      while s.hasPrefix("./") { s.removeFirst(2) }
      while s.hasPrefix("/") { s.removeFirst() }
      return s.isEmpty ? "." : s
    }
  }

  private func covers(_ source: String, _ path: String) -> Bool {
    if source == "." || source == "*" { return true }
    let trimmed = source.hasSuffix("/") ? String(source.dropLast()) : source
    if path == trimmed || path.hasPrefix(trimmed + "/") { return true }
    if source.contains("*") || source.contains("?") {
      return fnmatch(source, path, 0) == 0
    }
    return false
  }

  /// A lockfile (preferred) or manifest among the inputs that changed, with its package changes.
  private func dependencyChange(in sources: [String]?, notes: inout [String]) -> MissCause? {
    let candidates: [String]
    if let sources {
      let named = sources.filter { dependencyKind(of: $0) != nil }
      let changed = (evidence.changedContextFiles ?? []).filter { path in
        dependencyKind(of: path) != nil && sources.contains { covers($0, path) }
      }
      candidates = Array(Set(named + changed)).sorted()
    } else {
      candidates = build.inputs.filter { $0.role == .lockfile || $0.role == .manifest }.map(\.path)
    }
    var found:
      [(path: String, kind: DependencyFileKind, changes: [DependencyChange], rewrite: [String]?)] =
        []
    for contextPath in candidates {
      let path = sources == nil ? contextPath : evidence.repositoryPath(contextPath)
      guard
        let kind = sources == nil
          ? DependencyFileKind.from(path: path) : dependencyKind(of: contextPath)
      else { continue }
      let old = evidence.content(path, atNewer: false)
      let new = evidence.content(path, atNewer: true)
      guard old != new, old != nil || new != nil, evidence.isTracked(path) else { continue }
      do {
        let before =
          try old.map { try DependencyFile.packages(in: $0, kind: kind, path: path) } ?? []
        let after =
          try new.map { try DependencyFile.packages(in: $0, kind: kind, path: path) } ?? []
        let changes = DependencyFile.diff(old: before, new: after)
        let rewrite =
          changes.isEmpty ? DependencyRewrite.describe(old: old ?? Data(), new: new ?? Data()) : nil
        found.append((path, kind, changes, rewrite))
      } catch {
        notes.append(
          ((error as? LocalizedError)?.errorDescription ?? "\(error)")
            + "; its package changes are not listed")
        found.append((path, kind, [], nil))
      }
    }
    guard
      let best = found.sorted(by: {
        ($0.kind.isLockfile ? 0 : 1, $0.path) < ($1.kind.isLockfile ? 0 : 1, $1.path)
      }).first
    else { return nil }
    if let rewrite = best.rewrite {
      return .dependenciesUnchanged(file: best.path, rewrite: rewrite)
    }
    return .dependencies(file: best.path, changes: best.changes)
  }

  private func dockerignoreChange() -> MissCause? {
    let path =
      build.inputs.first { $0.role == .dockerignore }?.path
      ?? evidence.repositoryPath(".dockerignore")
    let old = evidence.content(path, atNewer: false)
    let new = evidence.content(path, atNewer: true)
    guard old != new, evidence.isTracked(path) else { return nil }
    let before = DockerignoreMatcher(text: old.map { String(decoding: $0, as: UTF8.self) } ?? "")
      .patterns.map(\.description)
    let after = DockerignoreMatcher(text: new.map { String(decoding: $0, as: UTF8.self) } ?? "")
      .patterns.map(\.description)
    return .dockerignore(
      file: path, added: after.filter { !before.contains($0) },
      removed: before.filter { !after.contains($0) },
      contextBefore: baseline.context?.bytes, contextAfter: build.context?.bytes)
  }

  private func changedFiles(under sources: [String], label: String) -> MissCause? {
    guard !sources.isEmpty, let changed = evidence.changedContextFiles else { return nil }
    let hits = changed.filter { path in sources.contains { covers($0, path) } }
    guard !hits.isEmpty else { return nil }
    return .files(source: short(label), paths: Array(hits.prefix(5)), count: hits.count)
  }
}
