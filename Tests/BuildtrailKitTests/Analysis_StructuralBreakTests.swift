import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Histories written as one string per build: the stage's instructions in printed order, so that
/// `["RUN deps", "COPY . /app"]` is a build whose dependency step comes before the broad copy.
@Suite struct StructuralBreakTests {
  static func decode<T: Decodable>(_ type: T.Type, _ object: [String: Any]) throws -> T {
    try JSONDecoder().decode(T.self, from: JSONSerialization.data(withJSONObject: object))
  }

  static func summary(_ id: Int64) throws -> BuildSummary {
    try decode(
      BuildSummary.self,
      [
        "id": id, "recordedAt": Double(id), "outcome": "success", "stepSeconds": 1.0,
        "logFormat": "plain",
        "commit": String(format: "%040x", id), "stepsTotal": 2, "stepsCached": 0,
        "stepsExecuted": 2,
        "stepsFailed": 0,
      ])
  }

  static func step(_ text: String, index: Int, total: Int) throws -> StoredStep {
    let keyword = text.prefix { $0 != " " }.lowercased()
    return try decode(
      StoredStep.self,
      [
        "position": index, "vertex": index, "name": "[stage-0 \(index)/\(total)] \(text)",
        "stage": "stage-0",
        "index": index, "total": total, "kind": keyword, "key": "||stage-0|\(text)",
        "status": "done",
        "outputLines": 0,
      ])
  }

  /// The builds (ids 1…) and their steps, FROM first.
  static func history(_ orders: [[String]]) throws -> ([BuildSummary], [Int64: [StoredStep]]) {
    var builds: [BuildSummary] = []
    var steps: [Int64: [StoredStep]] = [:]
    for (i, order) in orders.enumerated() {
      let id = Int64(i + 1)
      builds.append(try summary(id))
      let all = ["FROM base"] + order
      steps[id] = try all.enumerated().map { try step($1, index: $0 + 1, total: all.count) }
    }
    return (builds, steps)
  }

  static let good = ["WORKDIR /app", "RUN deps", "COPY . /app", "RUN build"]
  static let reordered = ["WORKDIR /app", "COPY . /app", "RUN deps", "RUN build"]

  @Test func aReorderIsABreakUntilTheOrderIsRestored() throws {
    let (builds, steps) = try Self.history([
      Self.good, Self.good, Self.reordered, Self.reordered, Self.good, Self.good,
    ])
    let found = StructuralBreak.find(key: "||stage-0|RUN deps", builds: builds, steps: steps)
    #expect(found.always == nil)
    let only = try #require(found.breaks.first)
    #expect(found.breaks.count == 1)
    #expect(only.since.id == 3)
    #expect(only.before?.id == 2)
    #expect(only.fixedBy?.id == 5)
    #expect(only.copy == "COPY . /app")
    #expect(
      only.summary
        == "since 00000000, `COPY . /app` runs before this step, so every source change reruns it")
  }

  @Test func aStepWrittenAfterTheCopyIsNotABreak() throws {
    let (builds, steps) = try Self.history([Self.good, Self.reordered, Self.good])
    let found = StructuralBreak.find(key: "||stage-0|RUN build", builds: builds, steps: steps)
    #expect(found.breaks.isEmpty)
    #expect(found.always == "COPY . /app")
  }

  @Test func stillBrokenAtTheEnd() throws {
    let (builds, steps) = try Self.history([Self.good, Self.reordered, Self.reordered])
    let found = StructuralBreak.find(key: "||stage-0|RUN deps", builds: builds, steps: steps)
    #expect(found.breaks.map(\.since.id) == [2])
    #expect(found.breaks.first?.fixedBy == nil)
  }

  @Test func aNarrowCopyOrACopyFromAStageIsNotBroad() throws {
    let narrow = ["COPY uv.lock /app/", "RUN deps"]
    let fromStage = ["COPY --from=build . /app", "RUN deps"]
    let chown = ["COPY --chown=app:app . /app", "RUN deps"]
    let (builds, steps) = try Self.history([["RUN deps"], narrow, fromStage, chown])
    let found = StructuralBreak.find(key: "||stage-0|RUN deps", builds: builds, steps: steps)
    #expect(found.breaks.map(\.since.id) == [4])
    #expect(found.breaks.first?.copy == "COPY --chown=app:app . /app")
  }

  @Test func buildsWithoutTheStepAreSkipped() throws {
    let (builds, steps) = try Self.history([Self.good, ["WORKDIR /app"], Self.reordered])
    let found = StructuralBreak.find(key: "||stage-0|RUN deps", builds: builds, steps: steps)
    #expect(found.breaks.map(\.since.id) == [3])
    #expect(found.breaks.first?.before?.id == 1)
  }
}
