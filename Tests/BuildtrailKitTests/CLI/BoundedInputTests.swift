import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Devices, FIFOs and unwritable output never hang buildtrail nor pass silently; hostile text in
/// errors and warnings reaches the terminal made visible.
@Suite struct BoundedInputTests {
  let fixture = CLI.repositoryRoot.appendingPathComponent(
    "Tests/BuildLogTests/Fixtures/docker20-multistage-cold.log")

  /// Runs the binary under `timeout`, so a hang fails the test (status 124) instead of the suite.
  func run(_ arguments: [String], in directory: URL? = nil, seconds: Int = 30) throws -> CLI.Result
  {
    try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/timeout"), ["\(seconds)", CLI.binary.path] + arguments,
      in: directory)
  }

  /// Runs `script` with `sh -c`, the binary as `$0` and `arguments` as `$1`….
  func shell(_ script: String, _ arguments: [String], seconds: Int = 30) throws -> CLI.Result {
    try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/timeout"),
      ["\(seconds)", "/bin/sh", "-c", script, CLI.binary.path] + arguments)
  }

  func fifo(_ url: URL) throws -> URL {
    #expect(mkfifo(url.path, 0o644) == 0)
    return url
  }

  func expectOneError(
    _ r: CLI.Result, containing text: String, status: Int32 = 1,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(r.status == status, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(
      r.stderr.split(separator: "\n").filter {
        $0.hasPrefix("buildtrail: error:") || $0.hasPrefix("Error:")
      }.count == 1, "\(r.stderr)", sourceLocation: sourceLocation)
    #expect(r.stderr.contains(text), "\(r.stderr)", sourceLocation: sourceLocation)
  }

  @Test(arguments: ["/dev/zero", "/dev/urandom", "symlink"])
  func deviceOfNULsIsRefusedAsBinaryAfterItsFirstMiB(_ log: String) throws {
    let dir = try scratchDirectory()
    var path = log
    if log == "symlink" {
      path = dir.appendingPathComponent("build.log").path
      try FileManager.default.createSymbolicLink(atPath: path, withDestinationPath: "/dev/zero")
    }
    let started = Date()
    let r = try run([
      "record", path, "--db", dir.appendingPathComponent("h.db").path, "--no-metadata",
    ])
    expectOneError(r, containing: "\(path) is a binary file")
    #expect(Date().timeIntervalSince(started) < 20)
  }

  @Test func folderAsLogIsRefused() throws {
    let dir = try scratchDirectory()
    let r = try run([
      "record", dir.path, "--db", dir.appendingPathComponent("h.db").path, "--no-metadata",
    ])
    expectOneError(r, containing: "Is a directory")
  }

  @Test func fifoLogStreamsARealLog() throws {
    let dir = try scratchDirectory()
    let pipe = try fifo(dir.appendingPathComponent("build.fifo"))
    let r = try shell(
      "cat \"$1\" > \"$2\" & exec \"$0\" record \"$2\" --db \"$3\" --no-metadata",
      [fixture.path, pipe.path, dir.appendingPathComponent("h.db").path])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("recorded build 1: success"))
  }

  @Test(arguments: ["/dev/zero", "fifo"])
  func dockerfileFlagMustBeARegularFile(_ file: String) throws {
    let dir = try scratchDirectory()
    let path = file == "fifo" ? try fifo(dir.appendingPathComponent("Dockerfile")).path : file
    let r = try run([
      "record", fixture.path, "--db", dir.appendingPathComponent("h.db").path, "--file", path,
    ])
    expectOneError(r, containing: "--file \(path) is not a regular file", status: 64)
  }

  @Test func fifoDockerfileInTheContextIsAWarning() throws {
    let dir = try scratchDirectory()
    let project = dir.appendingPathComponent("project")
    try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
    _ = try fifo(project.appendingPathComponent("Dockerfile"))
    let r = try run(
      ["record", fixture.path, "--db", dir.appendingPathComponent("h.db").path, "--commit", "abc"],
      in: project)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stderr.contains("Dockerfile is not a regular file"), "\(r.stderr)")
    #expect(r.stdout.contains("recorded build 1"))
  }

  @Test func fifosInsideTheBuildContextAreNeverOpened() throws {
    let dir = try scratchDirectory()
    let project = dir.appendingPathComponent("project")
    try FileManager.default.createDirectory(
      at: project.appendingPathComponent("app"), withIntermediateDirectories: true)
    try Data("FROM scratch\nCOPY . .\n".utf8).write(
      to: project.appendingPathComponent("Dockerfile"))
    for name in [
      ".dockerignore", "uv.lock", "app/package.json", "app/pipe", "Dockerfile.dockerignore",
    ] {
      _ = try fifo(project.appendingPathComponent(name))
    }
    let r = try run([
      "record", fixture.path, "--db", dir.appendingPathComponent("h.db").path, "--context",
      project.path,
    ])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("recorded build 1"))
    let show = try run(["show", "--db", dir.appendingPathComponent("h.db").path])
    #expect(show.stdout.contains("context"), "\(show.stdout)")
  }

  @Test func outputThatCannotBeWrittenFails() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    #expect(try run(["record", fixture.path, "--db", db, "--no-metadata"]).status == 0)
    for command in ["builds", "show", "trend"] {
      let r = try shell("exec \"$0\" \(command) --db \"$1\" > /dev/full", [db])
      expectOneError(r, containing: "cannot write standard output: No space left on device")
    }
  }

  @Test func aReaderThatGoesAwayStopsOutputQuietly() throws {
    var fds: [Int32] = [0, 0]
    #expect(pipe(&fds) == 0)
    close(fds[0])
    defer { close(fds[1]) }
    #expect(try StandardOutput.write("hello\n", to: fds[1]) == false)
  }

  @Test func writeErrorsAreReported() throws {
    let fd = open("/dev/full", O_WRONLY)
    defer { close(fd) }
    #expect(throws: StandardOutput.WriteError(errno: ENOSPC)) {
      try StandardOutput.write("hello\n", to: fd)
    }
  }

  @Test func emptyDatabasePathIsAUsageError() throws {
    for command in [["builds"], ["record", fixture.path]] {
      let r = try run(command + ["--db", ""])
      #expect(r.status == 64, "\(r.stderr)")
      #expect(r.stderr.contains("--db needs a path; omit it to use $BUILDTRAIL_DB"), "\(r.stderr)")
    }
  }

  @Test func errorsAndWarningsShowHostileTextVisibly() throws {
    let dir = try scratchDirectory()
    let db = dir.appendingPathComponent("h.db").path
    let log = dir.appendingPathComponent("cut\u{1B}[2J.log")
    try Data("#1 [1/2] RUN make\n#1 0.100 x\n".utf8).write(to: log)
    let recorded = try run(["record", log.path, "--db", db, "--no-metadata"])
    #expect(recorded.status == 0, "\(recorded.stderr)")
    #expect(recorded.stderr.contains("cut\\e[2J.log ends before"), "\(recorded.stderr)")
    #expect(!recorded.stderr.contains("\u{1B}") && !recorded.stdout.contains("\u{1B}"))
    let missing = try run(["show", "1", "--db", db, "--step", "\u{1B}]52;c;aGk=\u{7}"])
    expectOneError(missing, containing: "no step '\\e]52;c;aGk=\\x07'")
    #expect(!missing.stderr.contains("\u{1B}"))
    let usage = try run(["builds", "--db", db, "--label", "\u{1B}[2J"])
    #expect(usage.status == 64)
    #expect(usage.stderr.contains("got '\\e[2J'"), "\(usage.stderr)")
    #expect(!usage.stderr.contains("\u{1B}"))
  }

  @Test func hostileCommitSubjectIsVisibleInWhyAndBuilds() throws {
    let repo = try GitMetadataTests.makeRepository(commits: 1)
    let db = repo.url.appendingPathComponent("h.db").path
    let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")
    _ = try repo.write("Dockerfile", "FROM scratch\n")
    #expect(
      try run(
        [
          "record", fixtures.appendingPathComponent("docker20-multistage-warm.log").path, "--db",
          db,
        ], in: repo.url
      ).status == 0)
    _ = try repo.write("file.txt", "changed\n")
    try GitMetadataTests.git(
      ["commit", "-q", "-am", "Fix \u{1B}]52;c;aGk=\u{7}\u{1B}[2J\u{9B}1m"], in: repo.url)
    let cold = fixtures.appendingPathComponent("docker20-multistage-cold.log").path
    #expect(try run(["record", cold, "--db", db], in: repo.url).status == 0)
    for command in [["why"], ["builds"], ["show"]] {
      let r = try run(command + ["--db", db], in: repo.url)
      #expect(r.status == 0, "\(r.stderr)")
      #expect(r.stdout.contains("Fix \\e]52;c;aGk=\\x07"), "\(command): \(r.stdout)")
      #expect(HostileHistory.rawControls(in: r.stdout).isEmpty)
    }
  }
}
