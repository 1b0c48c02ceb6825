import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The use cases return plain data that any front end can carry: every result encodes to JSON and
/// decodes to a value that encodes the same again, and the store's and the kit's errors name no
/// command-line flag (the command line adds its own fixes).
@Suite(.serialized) struct UseCaseDataTests {
  static func roundTrips<T: Codable>(_ value: T, _ what: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let once = try encoder.encode(value)
    let again = try encoder.encode(try JSONDecoder().decode(T.self, from: once))
    #expect(
      once == again, "\(what) does not survive JSON: \(String(decoding: once, as: UTF8.self))")
  }

  @Test func everyUseCaseResultSurvivesJSON() throws {
    let history = try ExplainFixtureTests.record()
    let store = try BuildStore(path: history.db)
    let builds = try store.builds()
    try #require(builds.count >= 10)
    let explainer = CacheExplainer(store: store)
    for build in builds {
      try Self.roundTrips(try explainer.explain(buildID: build.id), "why \(build.id)")
    }
    try Self.roundTrips(try TrendQuery(store: store).trend(.init()), "trend")
    try Self.roundTrips(
      try TrendQuery(store: store).trend(.init(step: "no-install-project")), "trend --step")
    try Self.roundTrips(
      try BuildCheck.run(store: store, buildID: nil, thresholds: .init(minCacheHit: 0.9)), "check")
    try Self.roundTrips(
      try BuildComparison(store: store).diff(builds.last!.id, nil), "diff")
    let report = try ReportQuery(store: store).report(branch: nil, last: 50)
    try #require(!report.explanations.isEmpty)
    try Self.roundTrips(report, "report")
    try Self.roundTrips(try BuildQuery(store: store).build(nil), "show")
    let breaks = try CacheBreakFinder(store: store).find(stepPattern: nil, branch: nil)
    try Self.roundTrips(breaks.breaks, "broke")
    try Self.roundTrips(try RegressionFinder(store: store).find(), "regressions")
  }

  static let everyStoreError: [StoreError] = [
    .notADatabase(path: "/x.db"), .newerSchema(path: "/x.db", unknownMigrations: ["0099"]),
    .locked(path: "/x.db"), .cannotOpen(path: "/x.db", reason: "no such folder"),
    .readOnly(path: "/x.db"), .noSuchBuild("7"), .emptyHistory(path: "/x.db"),
    .schema(path: "/x.db", migration: "0003", message: "boom"), .full(path: "/x.db"),
    .failed(path: "/x.db", message: "boom"), .damagedRecord(buildID: 7),
  ]

  @Test func aMissingStepNamesNoCommandAndTheCommandLineAddsOne() {
    let inBuild = BuildtrailError.noSuchStep(build: 3, selector: "nope")
    let inBuilds = BuildtrailError.noSuchStep(build: nil, selector: "nope")
    for error in [inBuild, inBuilds] {
      #expect(!(error.errorDescription ?? "").contains("buildtrail"))
    }
    #expect(ErrorText.commandLine(inBuild).hasSuffix("(`buildtrail show 3` lists them)"))
    #expect(ErrorText.commandLine(inBuilds).hasSuffix("; `buildtrail show` lists the steps"))
  }

  @Test func storeErrorsNameNoFlagAndTheCommandLineAddsItsFix() {
    for error in Self.everyStoreError {
      let plain = error.errorDescription ?? ""
      #expect(!plain.contains("--") && !plain.contains("`buildtrail"), "\(plain)")
      #expect(ErrorText.commandLine(error).hasPrefix(plain))
    }
    #expect(
      ErrorText.commandLine(StoreError.readOnly(path: "/x.db")).hasSuffix("pass another --db"))
    #expect(
      ErrorText.commandLine(StoreError.emptyHistory(path: "/x.db")).contains("buildtrail record"))
    #expect(
      ErrorText.commandLine(StoreError.damagedRecord(buildID: 7)).contains("`buildtrail delete 7`"))
  }
}
