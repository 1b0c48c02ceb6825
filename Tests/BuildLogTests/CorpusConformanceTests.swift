import Foundation
import Testing

@testable import BuildLog

/// The real logs in `../shared/corpus/`, each checked against the facts counted by hand in its `.json`.
enum Corpus {
  static let directory = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().appendingPathComponent("shared/corpus")

  /// Whether `../shared/corpus` is there; the tests that read it are skipped when it is not.
  static let isAvailable = FileManager.default.fileExists(atPath: directory.path)
  static let missing: Comment = "../shared/corpus is missing (.ci/run runs beside it)"

  static func names(formats: Set<String>) -> [String] {
    let files = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return files.filter { $0.hasSuffix(".json") }.sorted().compactMap { file in
      guard let meta = try? metadata(file.replacingOccurrences(of: ".json", with: "")),
        let format = meta["format"] as? String, formats.contains(format),
        meta["expect"] is [String: Any]
      else { return nil }
      return file.replacingOccurrences(of: ".json", with: "")
    }
  }

  static func metadata(_ name: String) throws -> [String: Any] {
    let data = try Data(contentsOf: directory.appendingPathComponent(name + ".json"))
    return try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
  }

  static func parse(_ name: String) throws -> ParsedLog {
    try LogParser.parse(fileAt: directory.appendingPathComponent(name + ".log").path)
  }
}

/// Unrecognised lines per corpus log, pinned so that a change in the parser's coverage shows.
let pinnedUnrecognizedLines: [String: Int] = [
  "002-gha-docker-action-build-timestamps": 5,
  "004-paas-nextjs-npm-ci-build-error": 9,
  "006-kamal-deploy-debug-prefixed-canceled": 41,
  "008-compose-bake-three-services-shared-vertex": 23,
  "010-legacy-step0-windows-warning-all-cached": 1,
  "013-legacy-cmake-failure-nonzero-code": 2,
  "014-tty-compose-windows-two-services": 9,
  "016-tty-2020-parallel-stages-success": 0,
  "022-compose-v1-legacy-two-services": 5,
  "023-tty-uv-pip-install-enospc-error": 0,
  "025-tty-ssh-mount-success-finished": 1,
  "028-gha-raw-ansi-three-sequential-builds": 63,
  "029-buildx-2021-booting-buildkit-multiarch-push": 4,
  "033-sbt-error-prefixed-2022-vertex-digests": 10,
  "039-gitlab-failure-email-quoted-printable-trace-tail": 33,
  "040-gh-run-view-log-failed-tab-prefixed": 13,
  "043-buildctl-registry-cache-import-export-push": 0,
]

@Suite(.enabled(if: Corpus.isAvailable, Corpus.missing)) struct CorpusConformanceTests {
  static let plainLogs = Corpus.names(formats: [
    "plain", "plain-ci-timestamps", "compose-plain", "mixed",
  ])

  /// A corpus folder that is there but yields no case (unreadable, renamed files, broken `.json`)
  /// would make every parameterised test below run zero cases and pass: this fails instead.
  @Test func theCorpusYieldsItsCases() {
    #expect(Self.plainLogs.count >= 10, "plain-style corpus logs: \(Self.plainLogs)")
    #expect(Corpus.names(formats: ["tty"]).count >= 4)
    #expect(Corpus.names(formats: ["legacy"]).count >= 3)
  }

  @Test(arguments: plainLogs)
  func plainLogMatchesHandCountedFacts(_ name: String) throws {
    let meta = try Corpus.metadata(name)
    let expect = try #require(meta["expect"] as? [String: Any])
    let log = try Corpus.parse(name)
    let expectedBuilds = (expect["builds"] as? [[String: Any]]) ?? [expect]
    try #require(log.builds.count == expectedBuilds.count, "\(name): \(log.builds.count) builds")
    for (build, facts) in zip(log.builds, expectedBuilds) {
      check(build, against: facts, in: name)
    }
  }

  func check(_ build: ParsedBuild, against facts: [String: Any], in name: String) {
    let steps = build.steps
    if let count = facts["vertex_count"] as? Int {
      #expect(steps.count == count, "\(name): vertex count")
    }
    if let ids = facts["vertex_ids"] as? [Int] {
      #expect(steps.map(\.vertex).sorted() == ids, "\(name): vertex ids")
    }
    for (key, status) in [
      ("cached", StepStatus.cached), ("error", .error), ("canceled", .canceled),
      ("unfinished", .unfinished),
    ] {
      if let ids = facts[key] as? [Int] {
        #expect(
          steps.filter { $0.status == status }.map(\.vertex).sorted() == ids.sorted(),
          "\(name): \(key)")
      }
    }
    if let durations = facts["durations"] as? [String: Double] {
      let done = steps.filter { $0.status == .done }
      #expect(
        Set(done.map { String($0.vertex) }) == Set(durations.keys), "\(name): vertices with DONE")
      for (vertex, seconds) in durations {
        let step = steps.first { String($0.vertex) == vertex }
        #expect(step?.duration == seconds, "\(name): duration of #\(vertex)")
      }
    }
    if let multiple = facts["multiple_done"] as? [String: [Double]] {
      for (vertex, values) in multiple {
        #expect(
          steps.first { String($0.vertex) == vertex }?.doneDurations == values,
          "\(name): DONEs of #\(vertex)")
      }
    }
    if let outcome = facts["outcome"] as? String {
      #expect(build.outcome.rawValue == outcome, "\(name): outcome")
    }
  }

  @Test(
    arguments: Corpus.names(formats: [
      "plain", "plain-ci-timestamps", "compose-plain", "mixed", "tty", "legacy",
    ]))
  func unrecognizedLineCountIsPinned(_ name: String) throws {
    let log = try Corpus.parse(name)
    #expect(
      log.unrecognizedLineCount == pinnedUnrecognizedLines[name],
      "\(name): \(log.unrecognizedLineCount) unrecognised lines")
  }
}
