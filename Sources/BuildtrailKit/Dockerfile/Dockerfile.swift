import Foundation

/// A Dockerfile read the way BuildKit's dockerfile frontend reads it: parser directives, continuations,
/// heredocs, stages, and the numbered steps BuildKit prints (`[stage i/n] INSTR args`).
public struct Dockerfile: Sendable, Equatable {
  /// The parser directives at the top of the file (`syntax`, `escape`, `check`), keys lowercased.
  public var directives: [String: String]
  /// The ARG instructions before the first FROM.
  public var globalArgs: [Instruction]
  /// The build stages, in file order.
  public var stages: [Stage]
  /// What BuildKit would reject or warn about, e.g. `line 12: unterminated heredoc EOF`.
  public var problems: [String]
  /// The escape (and line-continuation) character: `\` unless `# escape=` says otherwise.
  public var escapeCharacter: Character

  /// Parses Dockerfile text. Never throws on odd input: unknown instructions are kept; problems go to `problems`.
  public init(text: String) {
    let reader = Reader(text: text)
    var assembler = Assembler(escape: reader.escape)
    assembler.assemble(reader.instructions)
    directives = reader.directives
    globalArgs = assembler.globalArgs
    stages = assembler.stages
    problems = reader.problems + assembler.problems
    escapeCharacter = Character(reader.escape)
  }

  /// The stage that builds `target`, or the last stage.
  public func stage(named target: String?) -> Stage? {
    guard let target else { return stages.last }
    let wanted = target.lowercased()
    return stages.last(where: { $0.name == wanted })
  }

  /// The stages `stage` depends on (its FROM if that names a stage, COPY --from=stage, RUN --mount=from=stage),
  /// transitively, in build order.
  public func dependencies(of stage: Stage) -> [Stage] {
    var seen: Set<Int> = []
    var pending = directDependencies(of: stage)
    while let next = pending.popLast() {
      guard next != stage.index, seen.insert(next).inserted, stages.indices.contains(next) else {
        continue
      }
      pending += directDependencies(of: stages[next])
    }
    return seen.sorted().map { stages[$0] }
  }

  /// The index of the stage a `--from` / `from=` value names, if it names one.
  func stageIndex(referencedBy value: String, allowIndex: Bool) -> Int? {
    if allowIndex, let index = Int(value) { return stages.indices.contains(index) ? index : nil }
    let wanted = value.lowercased()
    return stages.last(where: { $0.name == wanted })?.index
  }

  private func directDependencies(of stage: Stage) -> [Int] {
    var result: [Int] = []
    if let base = stage.baseStage { result.append(base) }
    let triggers = stage.steps.filter(\.isOnBuildTrigger).map(\.instruction)
    for instruction in stage.instructions + triggers {
      if instruction.keyword == "COPY", let from = instruction.copyFrom,
        let index = stageIndex(referencedBy: from, allowIndex: true)
      {
        result.append(index)
      }
      if instruction.keyword == "RUN" {
        for mount in instruction.mounts {
          if let from = mount.from, let index = stageIndex(referencedBy: from, allowIndex: false) {
            result.append(index)
          }
        }
      }
    }
    return result
  }

  /// Docker's reference normalisation (`ParseNormalizedNamed` + `TagNameOnly`): no registry → `docker.io`,
  /// no namespace on Docker Hub → `library/`, no tag and no digest → `:latest`.
  public static func normalizedReference(_ ref: String) -> String {
    var name = Substring(ref)
    var digest: Substring = ""
    if let at = name.firstIndex(of: "@") {
      digest = name[at...]
      name = name[..<at]
    }
    var domain = "docker.io"
    var remainder = name
    if let slash = name.firstIndex(of: "/") {
      let first = name[..<slash]
      let rest = name[name.index(after: slash)...]
      if first == "localhost" || first.contains(".") || first.contains(":")
        || first.lowercased() != first
      {
        domain = String(first)
        remainder = rest
      }
    }
    if domain == "index.docker.io" { domain = "docker.io" }
    if domain == "docker.io", !remainder.contains("/") { remainder = "library/" + remainder }
    let hasTag = remainder.split(separator: "/").last?.contains(":") ?? false
    let tag = hasTag || !digest.isEmpty ? "" : ":latest"
    return domain + "/" + remainder + tag + digest
  }
}
