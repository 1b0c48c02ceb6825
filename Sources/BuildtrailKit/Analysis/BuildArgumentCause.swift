import BuildLog
import BuildStore
import Crypto
import Foundation

/// An `ARG` whose value is part of a missed step's cache key and changed since the baseline (or, with
/// no recorded values, that the history shows changing on nearly every build).
public struct BuildArgumentChange: Sendable, Equatable, Codable {
  /// The argument's name.
  public var name: String
  /// The value at the baseline and now, as shown: the value, `sha256:…` for a secret, nil when unset.
  public var before: String?
  /// The value now (see `before`).
  public var after: String?
  /// Whether the name looks secret, so only hashes are shown.
  public var secret: Bool
  /// The line of the `ARG` that declares it in the step's stage.
  public var line: Int
  /// Whether the stage re-declares a global `ARG` (one before the first FROM).
  public var global: Bool
  /// The steps that ran from the declaration on: the missed step and the ones it invalidated.
  public var stepsRan: Int
  /// True when no values were recorded and the cause is read from the history.
  public var inferred: Bool
  /// For an inferred cause: in how many of the recent builds the step after the `ARG` ran while the
  /// step before it was cached, and how many builds were looked at.
  public var missedBuilds: Int?
  /// How many recent builds were looked at (see `missedBuilds`).
  public var comparedBuilds: Int?

}

/// Finds the build argument behind a root miss: the `ARG`s declared in the step's stage before it that the
/// step depends on (every `ARG` for a RUN, the ones it names for other steps), compared between the two
/// builds' recorded arguments; or, with none recorded, inferred from the recent history of the step.
struct BuildArgumentCause {
  var build: BuildDetail
  var baseline: BuildDetail
  var dockerfile: Dockerfile?
  var store: BuildStore
  /// How many recent builds to read for an inferred cause, and how many must show the pattern.
  static let historyLimit = 10
  static let minimumBuilds = 3
  static let missedShare = 0.8

  /// One `ARG` in scope at a step: its name, default and where it is declared.
  struct Declaration {
    var name: String
    var defaultValue: String?
    var line: Int
    var global: Bool
  }

  /// The changed argument the step depends on, from recorded values; nil when none changed or unknown.
  func recordedChange(for step: StoredStep, stepsRan: Int) -> BuildArgumentChange? {
    guard let located = dockerfile?.step(matching: step.name) else { return nil }
    for declaration in Self.declarations(before: located.step, in: located.stage, of: dockerfile) {
      guard let now = value(of: declaration, in: build),
        let then = value(of: declaration, in: baseline),
        now.hash != then.hash
      else { continue }
      return BuildArgumentChange(
        name: declaration.name, before: then.shown, after: now.shown,
        secret: now.secret || then.secret,
        line: declaration.line, global: declaration.global, stepsRan: stepsRan, inferred: false)
    }
    return nil
  }

  /// With no values recorded for it: an `ARG` just before the step, when the step ran in nearly every
  /// recent build while the step before the `ARG` was cached.
  func inferredChange(for step: StoredStep, stepsRan: Int) throws -> BuildArgumentChange? {
    guard let located = dockerfile?.step(matching: step.name) else { return nil }
    let previous = located.stage.steps.last { $0.index < located.step.index }
    let candidates = Self.declarations(before: located.step, in: located.stage, of: dockerfile)
      .filter { declaration in
        (previous.map { $0.instruction.line < declaration.line } ?? true)
          && !isKnown(declaration.name, in: build) && !isKnown(declaration.name, in: baseline)
      }
    guard let declaration = candidates.first, let index = step.index else { return nil }
    let summaries = try store.timeline(
      branch: build.summary.branch, target: build.summary.target, service: build.summary.service,
      limit: Self.historyLimit * 3
    ).filter { $0.id <= build.summary.id }.suffix(Self.historyLimit)
    let history = try store.steps(ofBuilds: summaries.map(\.id))
    var compared = 0
    var missed = 0
    for summary in summaries {
      let steps = history[summary.id] ?? []
      guard let same = steps.first(where: { Self.samePlace($0, step, index: index) }) else {
        continue
      }
      compared += 1
      let parentCached =
        index > 1
        ? steps.first { Self.samePlace($0, step, index: index - 1) }?.status == .cached
        : steps.contains { $0.kind.isCacheable && $0.status == .cached }
      if same.status.ranOrFailed, parentCached { missed += 1 }
    }
    guard compared >= Self.minimumBuilds, Double(missed) >= Self.missedShare * Double(compared)
    else { return nil }
    return BuildArgumentChange(
      name: declaration.name, before: nil, after: nil,
      secret: BuildArgumentReader.isSecret(declaration.name),
      line: declaration.line, global: declaration.global, stepsRan: stepsRan, inferred: true,
      missedBuilds: missed,
      comparedBuilds: compared)
  }

  /// The `ARG`s declared in `stage` before `step` that are part of its cache key, in file order.
  static func declarations(before step: NumberedStep, in stage: Stage, of dockerfile: Dockerfile?)
    -> [Declaration]
  {
    let globals =
      dockerfile?.globalArgs.flatMap { argument in
        argument.words.map { word in (Dockerfile.Assembler.splitAssignment(word), argument.line) }
      } ?? []
    var result: [Declaration] = []
    for instruction in stage.instructions
    where instruction.keyword == "ARG" && instruction.line < step.instruction.line {
      for word in instruction.words {
        let (name, value) = Dockerfile.Assembler.splitAssignment(word)
        guard !Dockerfile.automaticArgs.contains(name), Self.depends(step.instruction, on: name)
        else { continue }
        let global = globals.last { $0.0.0 == name }
        result.removeAll { $0.name == name }
        result.append(
          Declaration(
            name: name, defaultValue: value ?? global?.0.1, line: instruction.line,
            global: global != nil && value == nil))
      }
    }
    return result
  }

  /// A RUN depends on every `ARG` in scope; other steps on the ones they name.
  static func depends(_ instruction: Instruction, on name: String) -> Bool {
    if instruction.keyword == "RUN" { return true }
    let text = instruction.arguments
    return text.contains("$" + name) || text.contains("${" + name + "}")
      || text.contains("${" + name + ":")
  }

  private struct Value {
    var hash: String?
    var shown: String?
    var secret: Bool
  }

  /// The value the build gave `declaration`: recorded, else its default when the command is known.
  private func value(of declaration: Declaration, in detail: BuildDetail) -> Value? {
    if let argument = detail.buildArguments.last(where: { $0.name == declaration.name }),
      argument.isSet
    {
      return Value(hash: argument.sha256, shown: argument.shownValue, secret: argument.secret)
    }
    guard
      detail.cachePlumbing?.commandKnown == true
        || detail.buildArguments.contains(where: { $0.name == declaration.name })
    else { return nil }
    let secret = BuildArgumentReader.isSecret(declaration.name)
    let hash = declaration.defaultValue.map { hexString(SHA256.hash(data: Data($0.utf8))) }
    return Value(
      hash: hash, shown: secret ? hash.map { "sha256:" + $0 } : declaration.defaultValue,
      secret: secret)
  }

  private func isKnown(_ name: String, in detail: BuildDetail) -> Bool {
    detail.cachePlumbing?.commandKnown == true || detail.buildArguments.contains { $0.name == name }
  }

  /// The same step of another build: same stage and position (a RUN that prints an ARG's value changes name).
  private static func samePlace(_ candidate: StoredStep, _ step: StoredStep, index: Int) -> Bool {
    candidate.index == index && candidate.stage == step.stage && candidate.service == step.service
      && candidate.platform == step.platform && candidate.kind.isCacheable
  }
}
