import BuildStore
import Foundation

/// `buildtrail show`: one build with the kept output of its failed steps, or one step's kept output.
public struct BuildQuery {
  /// A build, and the kept output lines of each of its failed steps by position.
  public struct Shown: Sendable, Codable {
    /// The build.
    public var detail: BuildDetail
    /// The kept output lines of each failed step, by step position.
    public var failedOutputs: [Int: [String]]
  }

  /// One step of a build with its kept output lines.
  public struct StepOutput: Sendable, Codable {
    /// The build's id.
    public var build: Int64
    /// The step.
    public var step: StoredStep
    /// Its kept output lines, oldest first.
    public var lines: [String]
  }

  /// The history to read.
  public var store: BuildStore

  /// A query over `store`.
  public init(store: BuildStore) {
    self.store = store
  }

  /// Build `buildID` (the latest when nil).
  public func build(_ buildID: Int64?) throws -> Shown {
    let detail = try load(buildID)
    var outputs: [Int: [String]] = [:]
    for s in detail.steps where s.status == .error {
      outputs[s.position] = try store.stepOutput(buildID: detail.summary.id, position: s.position)
    }
    return Shown(detail: detail, failedOutputs: outputs)
  }

  /// The step of build `buildID` (the latest when nil) that `selector` picks: a vertex number picks
  /// that vertex; other text picks the first step whose name contains it.
  public func stepOutput(_ buildID: Int64?, step selector: String) throws -> StepOutput {
    let detail = try load(buildID)
    let id = detail.summary.id
    guard let chosen = Self.select(selector, in: detail.steps) else {
      throw BuildtrailError.noSuchStep(build: id, selector: selector)
    }
    let lines = try store.stepOutput(buildID: id, position: chosen.position)
    return StepOutput(build: id, step: chosen, lines: lines)
  }

  private func load(_ buildID: Int64?) throws -> BuildDetail {
    guard let id = try buildID ?? store.latestBuildID() else {
      throw StoreError.emptyHistory(path: store.path)
    }
    guard let detail = try store.build(id: id) else { throw StoreError.noSuchBuild(String(id)) }
    return detail
  }

  static func select(_ selector: String, in steps: [StoredStep]) -> StoredStep? {
    if let vertex = Int(selector.trimmingCharacters(in: CharacterSet(charactersIn: "#"))) {
      return steps.first { $0.vertex == vertex }
    }
    return steps.first { $0.name.localizedCaseInsensitiveContains(selector) }
  }
}
