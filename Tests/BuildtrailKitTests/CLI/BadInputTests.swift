import Foundation
import GRDB
import Testing

/// Bad input never crashes and never loses data: one clear error line and a non-zero exit,
/// or a warning where the build was still recorded.
@Suite struct BadInputTests {
  let fixture = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/docker20-multistage-cold.log")

  func record(_ log: URL, db: URL, extra: [String] = []) throws -> CLI.Result {
    try CLI.run(["record", log.path, "--db", db.path, "--no-metadata"] + extra)
  }

  func expectOneError(
    _ r: CLI.Result, containing text: String, sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(r.status != 0, sourceLocation: sourceLocation)
    #expect(r.errorLines.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(
      r.errorLines.first?.contains(text) == true, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(!r.stderr.contains("Fatal error"), sourceLocation: sourceLocation)
  }

  @Test func emptyLog() throws {
    let dir = try scratchDirectory()
    let log = dir.appendingPathComponent("empty.log")
    try Data().write(to: log)
    expectOneError(
      try record(log, db: dir.appendingPathComponent("h.db")), containing: "empty.log is empty")
  }

  @Test func binaryLog() throws {
    let dir = try scratchDirectory()
    let log = dir.appendingPathComponent("image.png")
    var bytes = [UInt8](repeating: 0, count: 4096)
    for i in bytes.indices { bytes[i] = UInt8((i * 7919) % 256) }
    try Data(bytes).write(to: log)
    expectOneError(
      try record(log, db: dir.appendingPathComponent("h.db")), containing: "binary file")
  }

  @Test func unknownFormat() throws {
    let dir = try scratchDirectory()
    let log = dir.appendingPathComponent("notes.txt")
    try Data("just some text\nnothing else\n".utf8).write(to: log)
    expectOneError(
      try record(log, db: dir.appendingPathComponent("h.db")),
      containing: "no BuildKit, rawjson, tty or legacy build found in")
  }

  @Test func missingLog() throws {
    let dir = try scratchDirectory()
    expectOneError(
      try record(dir.appendingPathComponent("nope.log"), db: dir.appendingPathComponent("h.db")),
      containing: "cannot read \(dir.path)/nope.log: No such file or directory")
  }

  @Test func truncatedLogIsRecordedWithAWarning() throws {
    let dir = try scratchDirectory()
    let whole = try Data(contentsOf: fixture)
    let log = dir.appendingPathComponent("cut.log")
    try whole.prefix(whole.count / 2).write(to: log)
    let r = try record(log, db: dir.appendingPathComponent("h.db"), extra: ["--format", "json"])
    #expect(r.status == 0)
    #expect(
      r.stderr.contains(
        "buildtrail: warning: the build in \(log.path) ends before saying how it ended"))
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    let builds = json?["builds"] as? [[String: Any]]
    #expect(builds?.first?["outcome"] as? String == "unknown")
  }

  @Test func tenMegabyteLineIsCutAndTheBuildRecorded() throws {
    let dir = try scratchDirectory()
    var text = Data("#1 [1/2] RUN make\n#1 0.100 ".utf8)
    text.append(Data(repeating: UInt8(ascii: "x"), count: 10 << 20))
    text.append(Data("\n#1 DONE 1.0s\n".utf8))
    let log = dir.appendingPathComponent("long.log")
    try text.write(to: log)
    let r = try record(log, db: dir.appendingPathComponent("h.db"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("1 lines of \(log.path) are longer than 1 MiB"))
    #expect(r.stdout.contains("recorded build 1: success"))
  }

  @Test func invalidUTF8IsRecordedWithAWarning() throws {
    let dir = try scratchDirectory()
    var text = Data("#1 [1/2] RUN make\n#1 0.100 caf".utf8)
    text.append(contentsOf: [0xE9, 0x0A])
    text.append(Data("garbage \u{1}".utf8) + Data([0xFF, 0xFE, 0x0A]))
    text.append(Data("#1 DONE 1.0s\n".utf8))
    let log = dir.appendingPathComponent("latin1.log")
    try text.write(to: log)
    let r = try record(log, db: dir.appendingPathComponent("h.db"))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("not valid UTF-8"))
  }

  @Test func databaseThatIsNotSQLite() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("history.db")
    try Data(String(repeating: "hello world ", count: 400).utf8).write(to: db)
    expectOneError(try record(fixture, db: db), containing: "\(db.path) is not a SQLite database")
    #expect(try Data(contentsOf: db).count == 4800, "the file is left as it was")
  }

  @Test func databaseOfANewerSchema() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("history.db")
    #expect(try record(fixture, db: db).status == 0)
    try DatabaseQueue(path: db.path).write {
      try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('0042_from_the_future')")
    }
    expectOneError(
      try CLI.run(["builds", "--db", db.path]), containing: "written by a newer buildtrail")
  }

  @Test func databaseFolderThatCannotBeWritten() throws {
    let dir = try scratchDirectory()
    let file = dir.appendingPathComponent("plain-file")
    try Data("x".utf8).write(to: file)
    expectOneError(
      try record(fixture, db: file.appendingPathComponent("history.db")),
      containing: "cannot open database")
  }

  @Test func missingGitIsAWarningAndTheBuildIsRecorded() throws {
    let dir = try scratchDirectory()
    let project = dir.appendingPathComponent("project")
    try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    try Data("FROM scratch\n".utf8).write(to: project.appendingPathComponent("Dockerfile"))
    let emptyPath = dir.appendingPathComponent("bin")
    try FileManager.default.createDirectory(at: emptyPath, withIntermediateDirectories: true)
    let r = try CLI.run(
      ["record", fixture.path, "--db", dir.appendingPathComponent("h.db").path], in: project,
      environment: ["PATH": emptyPath.path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("buildtrail: warning: git was not found on PATH"))
    #expect(r.stdout.contains("recorded build 1"))
  }

  @Test func logAndCommandTogetherIsAUsageError() throws {
    let r = try CLI.run(["record", "x.log", "--", "true"])
    #expect(r.status == 64)
    #expect(r.stderr.contains("give either a LOG or a command after --, not both"))
  }
}
