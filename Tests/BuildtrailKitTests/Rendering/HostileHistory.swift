import BuildLog
import BuildStore
import Foundation

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Logs of each format whose step names, output and errors carry terminal control sequences, and
/// a history of two builds of one of them with a hostile label, branch and commit subject.
enum HostileHistory {
  /// Clipboard write, screen clear, 8-bit CSI and OSC, BEL, BS, CR, VT, FF, DEL.
  static let payload = "\u{1B}]52;c;aGFjaw==\u{7}\u{1B}[2J\u{9B}31m\u{9D}x\u{8}\r\u{B}\u{C}\u{7F}"

  enum Source: String, CaseIterable, Sendable {
    case plain, rawjson, tty, legacy
  }

  static func log(_ source: Source) -> String {
    let p = payload
    switch source {
    case .plain:
      return """
        #1 [internal] load build definition from Dockerfile
        #1 DONE 0.0s

        #2 [1/2] FROM docker.io/library/alpine:3.20\(p)
        #2 DONE 0.1s

        #3 [2/2] RUN echo \(p)
        #3 0.200 out \(p)
        #3 ERROR: process "/bin/sh -c echo \(p)" did not complete successfully: exit code: 1
        ------
         > [2/2] RUN echo \(p):
        ------
        ERROR: failed to solve: \(p)

        """
    case .rawjson:
      func quoted(_ s: String) -> String {
        String(decoding: try! JSONEncoder().encode(s), as: UTF8.self)
      }
      let d1 = "sha256:" + String(repeating: "1", count: 64)
      let d2 = "sha256:" + String(repeating: "2", count: 64)
      let output = Data("out \(p)\n".utf8).base64EncodedString()
      return """
        {"vertexes":[{"digest":"\(d1)","name":\(quoted("[1/2] FROM docker.io/library/alpine" + p)),"started":"2025-03-01T10:00:00.100Z","completed":"2025-03-01T10:00:00.140Z"}]}
        {"vertexes":[{"digest":"\(d2)","inputs":["\(d1)"],"name":\(quoted("[2/2] RUN echo " + p)),"started":"2025-03-01T10:00:00.150Z"}]}
        {"logs":[{"vertex":"\(d2)","stream":1,"data":"\(output)","timestamp":"2025-03-01T10:00:00.500Z"}]}
        {"vertexes":[{"digest":"\(d2)","inputs":["\(d1)"],"name":\(quoted("[2/2] RUN echo " + p)),"started":"2025-03-01T10:00:00.150Z","completed":"2025-03-01T10:00:01.000Z","error":\(quoted("exit code: 1 " + p))}]}

        """
    case .tty:
      return """
        [+] Building 1.2s (3/3) FINISHED
         => [internal] load build definition from Dockerfile                  0.0s
         => [1/2] FROM docker.io/library/alpine:3.20\(p)                           0.1s
         => [2/2] RUN echo \(p)                          1.1s

        """
    case .legacy:
      return """
        Sending build context to Docker daemon  3.58kB
        Step 1/2 : FROM alpine:3.20\(p)
         ---> 1d34ffeaf190
        Step 2/2 : RUN echo \(p)
         ---> Running in 4be1c9a2d7f0
        out \(p)
         ---> Removed intermediate container 4be1c9a2d7f0
         ---> 7c2e0d9b11aa
        Successfully built 7c2e0d9b11aa
        Successfully tagged acme/app:\(p)

        """
    }
  }

  /// Two builds of `source`'s log (the second one line longer), on a hostile branch, with a hostile
  /// label and commit subject.
  static func store(_ source: Source) throws -> BuildStore {
    let store = try BuildStore.inMemory()
    let recorder = Recorder(store: store)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent(
      "hostile-\(source)-\(UUID().uuidString).log")
    defer { try? FileManager.default.removeItem(at: file) }
    for round in 0..<2 {
      try Data((log(source) + (round == 1 ? "\n" : "")).utf8).write(to: file)
      _ = try recorder.record(
        logAt: file.path,
        metadata: RecordMetadata(
          target: "app\(payload)", labels: ["team\(payload)": "api\(payload)"],
          git: GitFacts(
            commit: "a1b2c3d\(round)\(payload)", branch: "main\(payload)",
            subject: "Fix \(payload)", dirty: false),
          ci: CIFacts(
            provider: "github-actions", runID: "1\(payload)", url: "https://ci.invalid/\(payload)")),
        now: Date(timeIntervalSince1970: 1_764_000_000 + Double(round) * 3600))
    }
    return store
  }

  /// The text with buildtrail's own colour codes removed; what is left must be safe but for newlines.
  static func rawControls(in text: String) -> [Unicode.Scalar] {
    let bare = text.replacingOccurrences(
      of: "\u{1B}\\[[0-9]+m", with: "", options: .regularExpression)
    return bare.unicodeScalars.filter { $0 != "\n" && !TerminalText.isSafe(String($0)) }
  }

  /// Every renderer's output in `format` for the history's two latest builds, by command. `strict`:
  /// a renderer that throws fails the test; else it is left out (a fuzzed log may have no such step).
  static func outputs(
    _ store: BuildStore, _ terminal: Terminal, _ format: OutputFormat, strict: Bool = true
  ) throws
    -> [(String, String)]
  {
    var out: [(String, String)] = []
    func add(_ command: String, _ body: () throws -> String) throws {
      do {
        out.append((command, try body()))
      } catch  where !strict {
      }
    }
    let ids = try store.builds().map(\.id).sorted()
    guard let last = ids.last else { return out }
    let first = ids.count > 1 ? ids[ids.count - 2] : last
    try add("builds") {
      BuildListRenderer(format: format, terminal: terminal).render(try store.builds())
    }
    let view = try BuildView(store: store, terminal: terminal, format: format)
    try add("show") { try view.render(buildID: last, step: nil) }
    for step in try store.build(id: last)?.steps ?? [] {
      try add("show --step \(step.vertex)") {
        try view.render(buildID: last, step: String(step.vertex))
      }
    }
    try add("diff") {
      BuildDiffRenderer(format: format, terminal: terminal, showAll: true).render(
        try BuildComparison(store: store).diff(first, last))
    }
    try add("why") {
      ExplanationRenderer(format: format, terminal: terminal).render(
        try CacheExplainer(store: store).explain())
    }
    try add("broke") {
      let broke = try CacheBreakFinder(store: store).find(stepPattern: nil, branch: nil)
      return CacheBreakRenderer(format: format, terminal: terminal).render(
        (broke.branch, nil, broke.breaks))
    }
    try add("failures") {
      FailureRenderer(format: format, terminal: terminal).render(
        (try FailureHistory(store: store).streaks(branch: nil, target: nil, last: 50), nil))
    }
    try add("regressions") {
      RegressionRenderer(format: format, terminal: terminal).render(
        try RegressionFinder(store: store).find())
    }
    try add("trend") {
      TrendRenderer(format: format, terminal: terminal).render(
        try TrendQuery(store: store).trend(.init()))
    }
    try add("trend --step") {
      TrendRenderer(format: format, terminal: terminal).render(
        try TrendQuery(store: store).trend(.init(step: "echo")))
    }
    let check = try BuildCheck.run(
      store: store, buildID: nil, thresholds: .init(maxSlowdown: 0.2, minCacheHit: 0.8, window: 10))
    try add("check") { BuildCheckRenderer(format: format, terminal: terminal).render(check) }
    if format == .table {
      try add("check annotations") {
        BuildCheckRenderer(format: format, terminal: terminal).githubAnnotations(check)
      }
    }
    return out
  }
}
