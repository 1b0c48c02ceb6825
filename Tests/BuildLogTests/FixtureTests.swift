import Foundation
import Testing

@testable import BuildLog

enum Fixtures {
  static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")
  static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }
  static let dockerLogs =
    ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? [])
    .filter { $0.hasPrefix("docker20-") && $0.hasSuffix(".log") }.sorted()
}

/// Logs produced with the real BuildKit of Docker 20.10 on this kind of machine, with facts read off by hand.
@Suite struct RealBuildKitFixtureTests {
  @Test(arguments: Fixtures.dockerLogs)
  func matchesTheFactsReadOffTheLog(_ file: String) throws {
    let log = try LogParser.parse(fileAt: Fixtures.url(file).path)
    let data = try Data(
      contentsOf: Fixtures.url(file.replacingOccurrences(of: ".log", with: ".json")))
    let meta = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
    let expect = try #require(meta["expect"] as? [String: Any])
    try #require(log.builds.count == 1)
    let b = log.builds[0]
    #expect(log.unrecognizedLineCount == 0, "\(file)")
    #expect(b.steps.map(\.vertex).sorted() == (expect["vertex_ids"] as? [Int] ?? []))
    for (key, status) in [
      ("cached", StepStatus.cached), ("error", .error), ("canceled", .canceled),
      ("unfinished", .unfinished),
    ] {
      #expect(
        b.steps.filter { $0.status == status }.map(\.vertex).sorted()
          == (expect[key] as? [Int] ?? []).sorted(), "\(file) \(key)")
    }
    for (vertex, name) in expect["names"] as? [String: String] ?? [:] {
      #expect(b.steps.first { String($0.vertex) == vertex }?.name == name)
    }
    for (vertex, seconds) in expect["durations"] as? [String: Double] ?? [:] {
      #expect(
        b.steps.first { String($0.vertex) == vertex }?.duration == seconds, "\(file) #\(vertex)")
    }
    for (vertex, digest) in expect["digests"] as? [String: String] ?? [:] {
      #expect(b.steps.first { String($0.vertex) == vertex }?.digest == digest, "\(file) #\(vertex)")
    }
    for (vertex, lines) in expect["output_lines"] as? [String: Int] ?? [:] {
      #expect(
        b.steps.first { String($0.vertex) == vertex }?.outputLineCount == lines,
        "\(file) #\(vertex) output")
    }
    #expect(b.outcome.rawValue == expect["outcome"] as? String)
  }
}
