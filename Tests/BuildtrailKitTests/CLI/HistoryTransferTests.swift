import Foundation
import GRDB
import Testing

/// `export` and `import`: a round trip keeps every build as it was, importing is idempotent, and
/// overlapping histories merge into one with each build once.
@Suite(.serialized) struct HistoryTransferTests {
  static let logs = [
    "docker20-multistage-cold", "docker20-multistage-warm", "docker20-multistage-after-change",
    "docker20-parallel-stages", "docker20-failing-run",
  ].map { CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures/\($0).log").path }

  static func record(_ logs: some Sequence<String>, into db: String, branch: String = "feature")
    throws
  {
    for log in logs {
      let r = try CLI.run([
        "record", log, "--db", db, "--no-metadata", "--branch", branch, "--label", "team=api",
      ])
      try #require(r.status == 0, "\(log): \(r.stderr)")
    }
  }

  static func ok(_ arguments: [String], stdin: Data? = nil) throws -> String {
    let r = try CLI.run(arguments, stdin: stdin)
    try #require(r.status == 0, "\(arguments.joined(separator: " ")): \(r.stderr)")
    return r.stdout
  }

  static func ids(_ db: String) throws -> [Int] {
    try CLI.builds(db: db).compactMap { $0["id"] as? Int }.sorted()
  }

  static func export(_ db: String) throws -> String {
    try ok(["export", "--db", db])
  }

  /// What `show`, `why` and `show --step` print for each build, and `diff` between neighbours.
  /// `why` and `show --step` may fail for some builds (no baseline, no RUN step): their exit status counts.
  static func views(_ db: String) throws -> [String] {
    let ids = try Self.ids(db)
    var views: [String] = []
    func view(_ arguments: [String]) throws -> String {
      let r = try CLI.run(arguments + ["--db", db, "--format", "json"])
      return "\(r.status) \(r.stdout)"
    }
    for id in ids.map(String.init) {
      views.append(try ok(["show", id, "--db", db, "--format", "json"]))
      views.append(try view(["why", id]))
      views.append(try view(["show", id, "--step", "RUN"]))
    }
    for (a, b) in zip(ids, ids.dropFirst()) {
      views.append(try ok(["diff", String(a), String(b), "--db", db, "--format", "json"]))
    }
    return views
  }

  @Test func aRoundTripKeepsEveryBuildAsItWas() throws {
    let history = try ExplainFixtureTests.record()
    try Self.record(Self.logs, into: history.db)
    let exported = try Self.export(history.db)
    let all = try Self.ids(history.db)
    #expect(all.count >= 14)
    let lines = exported.split(separator: "\n")
    #expect(lines.count == all.count)
    #expect(lines.allSatisfy { $0.hasPrefix("{") && $0.contains("\"buildtrail_export\":1") })
    #expect(exported.contains("\"context_manifest\":{"))
    #expect(exported.contains("\"content\":\""))

    let dir = try scratchDirectory()
    let file = dir.appendingPathComponent("history.jsonl").path
    try Data(exported.utf8).write(to: URL(fileURLWithPath: file))
    let copy = dir.appendingPathComponent("copy.db").path
    let imported = try Self.ok(["import", file, "--db", copy, "--format", "json"])
    let report = try JSONSerialization.jsonObject(with: Data(imported.utf8)) as? [String: Any]
    #expect((report?["import"] as? [String: Any])?["imported"] as? [Int] == all)

    #expect(try Self.ids(copy) == all)
    #expect(try Self.views(copy) == Self.views(history.db))
    #expect(try Self.export(copy) == exported)

    // Importing again, from the file or from standard input, adds nothing.
    let again = try Self.ok(["import", file, "--db", copy])
    // The report lists the first 20 ids.
    let skipped =
      all.prefix(20).map(String.init).joined(separator: ", ") + (all.count > 20 ? ", …" : "")
    #expect(
      again
        == "imported 0 builds from \(file); skipped \(all.count) already recorded (\(skipped))\n")
    _ = try Self.ok(["import", "-", "--db", copy], stdin: Data(exported.utf8))
    #expect(try Self.ids(copy) == all)
  }

  @Test func overlappingHistoriesMergeWithEachBuildOnce() throws {
    let dir = try scratchDirectory()
    let a = dir.appendingPathComponent("a.db").path
    let c = dir.appendingPathComponent("c.db").path
    try Self.record(Self.logs[0..<3], into: a)
    try Self.record(Self.logs[1..<5], into: c)
    let aBefore = try Self.views(a)
    let file = dir.appendingPathComponent("c.jsonl")
    try Data(try Self.export(c).utf8).write(to: file)

    let merged = try Self.ok(["import", file.path, "--db", a])
    #expect(
      merged.hasPrefix(
        "imported 2 builds (4, 5) from \(file.path); skipped 2 already recorded (2, 3)"))
    #expect(try Self.ids(a) == [1, 2, 3, 4, 5])
    #expect(Array(try Self.views(a).prefix(9)) == Array(aBefore.prefix(9)))
    let builds = try Self.export(a).split(separator: "\n").map { line in
      let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
      let build = object?["build"] as? [String: Any]
      return "\(build?["log_sha256"] ?? "") \(build?["build_index"] ?? "")"
    }
    #expect(builds.count == 5 && Set(builds).count == 5)
    // Build 4 of the merged history is build 3 of C: the same but for its id.
    func steps(_ db: String, _ id: Int) throws -> [Substring] {
      try Self.ok(["show", String(id), "--db", db, "--format", "json"]).split(separator: "\n")
        .filter {
          !$0.contains("\"id\" :")
        }
    }
    #expect(try steps(a, 4) == steps(c, 3))
    #expect(try steps(a, 5) == steps(c, 4))
    #expect(try Self.ok(["import", file.path, "--db", a]).hasPrefix("imported 0 builds"))
  }

  @Test func anotherHistoryDatabaseImportsDirectlyAndStaysUnchanged() throws {
    let dir = try scratchDirectory()
    let a = dir.appendingPathComponent("a.db").path
    let b = dir.appendingPathComponent("b.db").path
    try Self.record(Self.logs, into: a)
    let bytes = try Data(contentsOf: URL(fileURLWithPath: a))
    let out = try Self.ok(["import", a, "--db", b])
    #expect(out == "imported 5 builds (1, 2, 3, 4, 5) from \(a)\n")
    #expect(try Data(contentsOf: URL(fileURLWithPath: a)) == bytes)
    #expect(try Self.views(b) == Self.views(a))
    #expect(try Self.export(b) == Self.export(a))
  }

  @Test func exportSelectsBuildsByIdBranchAndDate() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    try Self.record(Self.logs[0..<2], into: db, branch: "main")
    try Self.record(Self.logs[2..<5], into: db, branch: "feature")
    func count(_ arguments: [String]) throws -> Int {
      try Self.ok(["export", "--db", db] + arguments).split(separator: "\n").count
    }
    #expect(try count(["2", "4"]) == 2)
    #expect(try count(["--branch", "main"]) == 2)
    #expect(try count(["--since", "2000-01-01"]) == 5)
    #expect(try count(["--since", "2999-01-01"]) == 0)
    let unknown = try CLI.run(["export", "--db", db, "3", "9"])
    #expect(unknown.status == 1)
    #expect(
      unknown.errorLines == [
        "buildtrail: error: no build 9 in the history; `buildtrail builds` lists the recorded ones"
      ])
    let file = dir.appendingPathComponent("out.jsonl").path
    let r = try CLI.run(["export", "--db", db, "--branch", "feature", "--output", file])
    #expect(r.status == 0 && r.stdout.isEmpty)
    #expect(r.stderr == "buildtrail: exported 3 builds to \(file)\n")
    #expect(try String(contentsOfFile: file, encoding: .utf8).split(separator: "\n").count == 3)
    let nowhere = dir.appendingPathComponent("missing/out.jsonl").path
    let refused = try CLI.run(["export", "--db", db, "--output", nowhere])
    #expect(refused.status == 1)
    #expect(
      refused.errorLines == [
        "buildtrail: error: cannot write \(nowhere): check that its folder exists and is writable, or pass another --output"
      ])
  }

  @Test func badInputIsNamedByFileAndLineAndImportsNothing() throws {
    let dir = try scratchDirectory()
    let source = dir.appendingPathComponent("a.db").path
    try Self.record(Self.logs[0..<3], into: source)
    let exported = try Self.export(source)
    let lines = exported.split(separator: "\n").map(String.init)
    let cut = lines[0] + "\n" + lines[1] + "\n" + lines[2].prefix(lines[2].count / 2)
    let cases: [(String, String, String)] = [
      ("cut.jsonl", cut, " line 3: not a JSON object (a cut or damaged line?)"),
      ("text.jsonl", "hello\n", " line 1: not a JSON object (a cut or damaged line?)"),
      (
        "newer.jsonl",
        lines[0] + "\n"
          + lines[1].replacingOccurrences(
            of: "\"buildtrail_export\":1", with: "\"buildtrail_export\":2"),
        " line 2: export format 2 is not the one this buildtrail reads (1)"
      ),
      (
        "other.jsonl", "{\"builds\":[]}\n",
        " line 1: not a buildtrail export line (it has no buildtrail_export field)"
      ),
      (
        "missing.jsonl", lines[0].replacingOccurrences(of: "\"steps\":", with: "\"stepz\":"),
        " line 1: field steps is missing"
      ),
      ("empty.jsonl", "", ": it is empty"),
    ]
    for (name, text, reason) in cases {
      let file = dir.appendingPathComponent(name).path
      try Data(text.utf8).write(to: URL(fileURLWithPath: file))
      let target = dir.appendingPathComponent("\(name).db").path
      let r = try CLI.run(["import", file, "--db", target])
      #expect(r.status == 1, "\(name)")
      #expect(r.errorLines.count == 1, "\(name): \(r.stderr)")
      #expect(
        r.errorLines.first?.hasPrefix(
          "buildtrail: error: cannot import \(file)\(reason); nothing was imported") == true,
        "\(name): \(r.stderr)")
      #expect(try Self.ids(target).isEmpty, "\(name)")
    }
  }
}
