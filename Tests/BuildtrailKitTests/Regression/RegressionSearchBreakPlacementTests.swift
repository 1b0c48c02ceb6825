import Foundation
import Testing

@testable import BuildtrailKit

/// Where cache breaks are placed, and the breaks too short for the change-point detector.
@Suite struct RegressionSearchBreakPlacementTests {
  static func builds(_ flags: [String]) -> [RegressionSearch.Build] {
    RegressionSearchTests.builds(flags)
  }

  static func point(_ key: String, at position: Int, to after: Double = 0) -> RegressionSearch.Point
  {
    RegressionSearchTests.point(.stepCache, at: position, key: key, from: 0.9, to: after)
  }

  @Test func aBreakMovesPastAHitThatFollowsIt() {
    // `b` missed at 10 and 11 on its own, hit at 12, and has missed ever since: it broke at 13.
    let flags =
      Array(repeating: "11", count: 10) + ["10", "10", "11"] + Array(repeating: "10", count: 12)
    let moved = RegressionSearch.afterLastHit([Self.point("b", at: 10)], builds: Self.builds(flags))
    #expect(moved[0].position == 13 && moved[0].previousPosition == 12)
    // A short break that its fix ends (hits from 16 on) stays where it starts.
    let fixed =
      Array(repeating: "11", count: 10) + Array(repeating: "10", count: 6)
      + Array(repeating: "11", count: 12)
    #expect(
      RegressionSearch.afterLastHit([Self.point("b", at: 10)], builds: Self.builds(fixed))[0]
        .position == 10)
  }

  @Test func aBreakThatAnEarlierStepBrokeWithItIsNotCentered() {
    // `a` and `b` miss from 10; at 16 `a` is fixed and `b` still misses: one break at 10, not `b`'s at 13.
    let flags =
      Array(repeating: "11", count: 10) + Array(repeating: "00", count: 6)
      + Array(repeating: "10", count: 10)
    let alone = RegressionSearch.centerOnRootMisses(
      [Self.point("b", at: 10)], builds: Self.builds(flags), order: ["a", "b"])
    #expect(alone[0].position == 13)
    let joint = RegressionSearch.centerOnRootMisses(
      [Self.point("a", at: 10), Self.point("b", at: 10)], builds: Self.builds(flags),
      order: ["a", "b"])
    #expect(joint.map(\.position) == [10, 10])
  }

  /// 120 builds: `a` (and `b` after it) miss at every 30th build, `b` alone at every 7th, plus `extra(t)`.
  static func history(_ extra: (Int) -> String?) -> [RegressionSearch.Build] {
    Self.builds(
      (0..<120).map { t in
        if let flags = extra(t) { return flags }
        if t % 30 == 5 { return "00" }
        return t % 7 == 3 ? "10" : "11"
      })
  }

  @Test func aBreakFixedFiveBuildsLaterIsFoundWithTheStepsAfterIt() {
    // 5 misses in a row are unlikely for `a`, which misses 1 build in 30; `b` missed with it throughout.
    let builds = Self.history { (61..<66).contains($0) ? "00" : nil }
    let points = RegressionSearch.shortBreaks(
      [], builds: builds, order: ["a", "b"], settings: .init())
    #expect(
      Set(points.map { "\($0.key ?? "") \($0.position)" }) == ["a 61", "b 61"],
      "\(points.map { ($0.key, $0.position, $0.change.pValue) })")
    #expect(points.allSatisfy { $0.kind == .stepCache && $0.change.medianAfter == 0 })
    #expect(points.allSatisfy { $0.change.pValue <= 0.001 })
    // A point of the step's series near the run already covers it.
    let known = [RegressionSearchTests.point(.stepCache, at: 60, key: "a", from: 0.9, to: 0.2)]
    #expect(
      RegressionSearch.shortBreaks(known, builds: builds, order: ["a", "b"], settings: .init())
        .allSatisfy { $0.key != "a" })
    // Without the run, nothing; and a run of three is within what `a`'s own misses make likely.
    for quiet in [Self.history { _ in nil }, Self.history { (61..<64).contains($0) ? "00" : nil }] {
      #expect(
        RegressionSearch.shortBreaks([], builds: quiet, order: ["a", "b"], settings: .init())
          .isEmpty)
    }
  }

  @Test func aBreakAgainAfterAShortFixIsFound() {
    // Broken from 30, fixed for builds 70 to 73, broken again from 74.
    let builds = Self.history { t in
      (30..<70).contains(t) || t >= 74 ? "00" : (70..<74).contains(t) ? "11" : nil
    }
    let points = RegressionSearch.run(builds).filter { $0.kind == .stepCache }
    for key in ["a", "b"] {
      #expect(
        points.filter { $0.key == key }.map(\.position).sorted() == [30, 74],
        "\(key): \(points.map { ($0.key, $0.position) })")
    }
  }

  @Test func aStepThatNeverHitsHasNoBreak() {
    let builds = Self.builds(Array(repeating: "10", count: 60))
    #expect(
      RegressionSearch.shortBreaks([], builds: builds, order: ["a", "b"], settings: .init()).isEmpty
    )
  }
}
