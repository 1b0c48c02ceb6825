import BuildLog
import BuildStore
import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

@Suite struct DiffTests {
  @Test(arguments: [OutputFormat.table, .json])
  func coldThenWarm(_ format: OutputFormat) throws {
    let diff = try BuildComparison(store: try sampleHistory()).diff(1, 2)
    try Golden.check(
      BuildDiffRenderer(format: format, terminal: .plain).render(diff),
      "diff-1-2.\(format.rawValue)")
  }

  @Test func matchesStepsByKeyAndClassifiesChanges() throws {
    let store = try sampleHistory()
    let diff = try BuildComparison(store: store).diff(1, 2)
    #expect(diff.steps.filter { $0.change == .gainedCache }.count == 10)
    #expect(diff.steps.filter { $0.change == .added || $0.change == .removed }.isEmpty)
    #expect(diff.secondsDelta < 0)
    let backwards = try BuildComparison(store: store).diff(2, 1)
    #expect(backwards.steps.filter { $0.change == .lostCache }.count == 10)
  }

  @Test func stepsOnlyInOneBuildAreAddedOrRemoved() throws {
    let store = try sampleHistory()
    let diff = try BuildComparison(store: store).diff(2, 3)
    #expect(diff.steps.contains { $0.change == .removed && $0.name.contains("[build 3/3]") })
    #expect(diff.steps.contains { $0.change == .added && $0.name.contains("[test 4/4]") })
  }

  @Test func unknownBuildIsNamed() throws {
    #expect(throws: StoreError.noSuchBuild("99")) {
      try BuildComparison(store: try sampleHistory()).diff(99, 1)
    }
  }
}
