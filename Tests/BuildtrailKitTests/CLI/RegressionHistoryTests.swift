import Foundation
import Testing

/// A generated history (Benchmarks/HistoryGenerator) with two regressions injected on main: from 60%
/// of the builds on, one RUN step is 1.5× slower; from 80% on, a step and the rest of its stage never
/// hit the cache. `regressions` must find both where they start, and nothing on the other branches;
/// `check` must pass a healthy build and fail a regressed one.
@Suite(.serialized) struct RegressionHistoryTests {
  static let total = 1200

  static func generate(_ extra: [String] = []) throws -> (
    db: String, main: [Int], fullyCached: Set<Int>
  ) {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("history.db").path
    let generator = CLI.binary.deletingLastPathComponent().appendingPathComponent(
      "history-generator")
    let r = try CLI.runExecutable(
      generator, ["--db", db, "--builds", String(total), "--seed", "3"] + extra)
    try #require(r.status == 0, "\(r.stderr)")
    let list = try CLI.run([
      "builds", "--db", db, "--branch", "main", "--limit", "5000", "--format", "json",
    ])
    let json = try JSONSerialization.jsonObject(with: Data(list.stdout.utf8)) as? [String: Any]
    let rows = json?["builds"] as? [[String: Any]] ?? []
    let ids = rows.compactMap { $0["id"] as? Int }.sorted()
    let cached = rows.filter {
      ($0["cache_hit_ratio"] as? Double) == 1 && $0["outcome"] as? String == "success"
    }
    return (db, ids, Set(cached.compactMap { $0["id"] as? Int }))
  }

  @Test func findsTheInjectedRegressionsAndGatesOnThem() throws {
    let (db, main, fullyCached) = try Self.generate()
    let slowerFrom = try #require(main.first { $0 - 1 >= Self.total * 6 / 10 })
    let brokenFrom = try #require(main.first { $0 - 1 >= Self.total * 8 / 10 })

    let r = try CLI.run(["regressions", "--db", db, "--window", "2000", "--format", "json"])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let found = json?["regressions"] as? [[String: Any]] ?? []
    func near(_ kind: String, _ build: Int) -> [[String: Any]] {
      found.filter {
        $0["kind"] as? String == kind && abs(($0["build"] as? Int ?? 0) - build) <= 12
          && $0["branch"] as? String == "main"
      }
    }
    let slower = near("step-duration", slowerFrom)
    #expect(
      slower.count == 1,
      "\(found.map { "\($0["kind"] ?? "") \($0["build"] ?? "") \($0["series"] ?? "")" })")
    #expect((slower.first?["relative_change"] as? Double).map { $0 > 0.3 && $0 < 0.7 } == true)
    #expect(!near("step-cache", brokenFrom).isEmpty)
    #expect(near("cache-rate", brokenFrom).count == 1)
    #expect(
      found.allSatisfy { $0["branch"] as? String == "main" },
      "no regression on the feature branches")
    #expect(found.allSatisfy { ($0["confidence"] as? Double ?? 0) >= 0.999 })

    let healthy = try #require(main.last { $0 < slowerFrom - 20 && fullyCached.contains($0) })
    let pass = try CLI.run([
      "check", String(healthy), "--db", db, "--max-slowdown", "60%", "--min-cache-hit", "80%",
    ])
    #expect(pass.status == 0, "\(pass.stdout)")
    let regressed = try CLI.run([
      "check", String(main.last ?? 0), "--db", db, "--max-slowdown", "60%", "--min-cache-hit",
      "80%",
    ])
    #expect(regressed.status == 1, "\(regressed.stdout)")
    #expect(regressed.stdout.contains("hit the cache too little"))

    let html = URL(fileURLWithPath: db).deletingLastPathComponent().appendingPathComponent(
      "report.html")
    let report = try CLI.run(["report", "--html", html.path, "--db", db, "--last", "300"])
    #expect(report.status == 0, "\(report.stderr)")
    let page = try String(contentsOf: html, encoding: .utf8)
    #expect(page.hasPrefix("<!DOCTYPE html>"))
    #expect(page.contains("<svg"))
    #expect(!page.contains("<script"))
    #expect(
      !page.contains("http://") && !page.contains("https://"),
      "self-contained: no network references")
    #expect(page.contains("step-cache"))
  }

  /// Two steps that run in every build slow down 5 builds apart (history-generator --close-shifts 5, seed 3):
  /// the total duration shifts with them, and is shown as their consequence, not at a build of its own.
  @Test func aTotalShiftBetweenTwoCloseStepSlowdownsIsTheirConsequence() throws {
    let (db, main, _) = try Self.generate(["--close-shifts", "5"])
    let slowerFrom = try #require(main.first { $0 - 1 >= Self.total * 6 / 10 })
    let r = try CLI.run([
      "regressions", "--db", db, "--window", "2000", "--branch", "main", "--format", "json",
    ])
    #expect(r.status == 0, "\(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let found = json?["regressions"] as? [[String: Any]] ?? []
    let summary = found.map { "\($0["kind"] ?? "") \($0["build"] ?? "") \($0["series"] ?? "")" }
    let steps = found.filter {
      $0["kind"] as? String == "step-duration" && abs(($0["build"] as? Int ?? 0) - slowerFrom) <= 12
    }
    #expect(steps.count == 2, "seed 3: \(summary)")
    let totals = found.filter {
      $0["kind"] as? String == "duration" && abs(($0["build"] as? Int ?? 0) - slowerFrom) <= 12
    }
    #expect(totals.count == 1, "seed 3: \(summary)")
    let explainedBy = totals.first?["explained_by"] as? [[String: Any]] ?? []
    #expect(
      Set(explainedBy.compactMap { $0["key"] as? String })
        == Set(steps.compactMap { $0["key"] as? String }), "seed 3")
    #expect(explainedBy.allSatisfy { ($0["contribution"] as? Double ?? 0) > 0 })
    #expect(
      found.filter { $0["kind"] as? String == "step-duration" }.allSatisfy {
        $0["explained_by"] == nil
      })

    let table = try CLI.run(["regressions", "--db", db, "--window", "2000", "--branch", "main"])
    let lines = table.stdout.split(separator: "\n").map(String.init)
    let header = try #require(
      lines.lastIndex { $0.contains("total duration, through the steps below") })
    let after = lines[(header + 1)...]
    #expect(
      after.first?.hasPrefix("    on main: ") == true,
      "the total's before and after, at no build: \(table.stdout)")
    #expect(
      after.dropFirst().prefix(4).filter { $0.hasPrefix("    ▲ step-duration") }.count == 2,
      "\(table.stdout)")
    #expect(!table.stdout.contains("no single step explains it"), "\(table.stdout)")

    // trend marks the total's shift where its steps shifted, not at the total's own build.
    let trend = try CLI.run([
      "trend", "--db", db, "--branch", "main", "--last", "2000", "--format", "json",
    ])
    #expect(trend.status == 0, "\(trend.stderr)")
    let points =
      ((try JSONSerialization.jsonObject(with: Data(trend.stdout.utf8)) as? [String: Any])?["trend"]
      as? [String: Any])?["points"] as? [[String: Any]] ?? []
    let marked = Set(
      points.filter { $0["regression"] as? Bool == true }.compactMap { $0["build"] as? Int })
    let stepBuilds = Set(steps.compactMap { $0["build"] as? Int })
    #expect(
      stepBuilds.isSubset(of: marked), "seed 3: marked \(marked.sorted()), steps \(stepBuilds)")
    if let total = totals.first?["build"] as? Int, !stepBuilds.contains(total) {
      #expect(!marked.contains(total), "seed 3: the total's own build \(total) is marked")
    }
  }
}
