import Foundation
import Testing

/// What the CI tests share: the dist tarball (`BUILDTRAIL_DIST_TARBALL`), a git checkout to build
/// in, build scripts that replay fixture logs, and reading back what was recorded.
enum CIWorkspace {
  /// The tarball `Scripts/dist.sh` made, as `.ci/run` exports it.
  static let tarball = ProcessInfo.processInfo.environment["BUILDTRAIL_DIST_TARBALL"]
    .flatMap { $0.isEmpty ? nil : URL(fileURLWithPath: $0) }

  static var available: Bool {
    tarball.map { FileManager.default.fileExists(atPath: $0.path) } ?? false
      && FileManager.default.isExecutableFile(atPath: "/usr/bin/git")
  }

  static func fixture(_ name: String) -> URL {
    CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures/\(name)")
  }

  /// The tarball's SHA-256, as `sha256sum` prints it.
  static func tarballDigest() throws -> String {
    let r = try CLI.runExecutable(URL(fileURLWithPath: "/usr/bin/sha256sum"), [tarball!.path])
    return String(r.stdout.prefix(64))
  }

  /// A git repository with one commit; returns the commit.
  @discardableResult
  static func gitRepository(at folder: URL) throws -> String {
    try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    try "FROM scratch\n".write(
      to: folder.appendingPathComponent("Dockerfile"), atomically: true, encoding: .utf8)
    let environment = [
      "GIT_AUTHOR_NAME": "CI", "GIT_AUTHOR_EMAIL": "ci@example.com", "GIT_COMMITTER_NAME": "CI",
      "GIT_COMMITTER_EMAIL": "ci@example.com",
    ]
    for arguments in [
      ["init", "-q", "-b", "main"], ["add", "."], ["commit", "-q", "-m", "Add the Dockerfile"],
    ] {
      let r = try CLI.runExecutable(
        URL(fileURLWithPath: "/usr/bin/git"), arguments, in: folder, environment: environment)
      try #require(r.status == 0, "git \(arguments): \(r.stderr)")
    }
    let head = try CLI.runExecutable(
      URL(fileURLWithPath: "/usr/bin/git"), ["rev-parse", "HEAD"], in: folder)
    return head.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// An executable script at `url` running `body` under sh.
  static func script(_ url: URL, _ body: String) throws {
    try ("#!/bin/sh\n" + body + "\n").write(to: url, atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
  }

  /// A build script that prints `log` and exits with `code`.
  static func buildScript(_ url: URL, log: String, exitCode: Int) throws {
    try script(url, "cat '\(fixture(log).path)'\nexit \(exitCode)")
  }

  /// `show BUILD --format json` of `db`, read with the `binary` under test.
  static func show(_ build: String, db: String, binary: URL) throws -> [String: Any] {
    let r = try CLI.runExecutable(binary, ["show", build, "--db", db, "--format", "json"])
    try #require(r.status == 0, "show \(build): \(r.stderr)")
    let json = try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any]
    return try #require(json?["build"] as? [String: Any])
  }
}
