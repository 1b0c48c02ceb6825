import Foundation
import Testing

/// The image the top-level Dockerfile packs from the dist tarball, built with the local BuildKit
/// (`--network=none`) on the Debian minbase rootfs imported as BUILDTRAIL_IMAGE_BASE, then run as a
/// user would: `record` into a mounted /data, and `serve` answering `record --server` and queries.
/// `.ci/run` provides the tarball and the base; without them the tests are skipped.
let containerImageBase = ProcessInfo.processInfo.environment["BUILDTRAIL_IMAGE_BASE"]

extension DockerTests {
  @Suite(
    .serialized,
    .enabled(
      if: CIWorkspace.tarball != nil && containerImageBase != nil,
      "needs BUILDTRAIL_DIST_TARBALL and BUILDTRAIL_IMAGE_BASE (made by .ci/run)"))
  struct ContainerImageTests {
    static let docker = EndToEndTests.docker
    static let fixtures = CLI.repositoryRoot.appendingPathComponent("Tests/BuildLogTests/Fixtures")

    static func docker(_ arguments: [String]) throws -> CLI.Result {
      try CLI.runExecutable(docker, arguments)
    }

    /// Builds the image from a context holding the Dockerfile, .dockerignore and dist/ only.
    static func buildImage(tag: String) throws -> CLI.Result {
      let context = try scratchDirectory()
      let dist = context.appendingPathComponent("dist")
      try FileManager.default.createDirectory(at: dist, withIntermediateDirectories: true)
      for name in ["Dockerfile", ".dockerignore"] {
        try FileManager.default.copyItem(
          at: CLI.repositoryRoot.appendingPathComponent(name),
          to: context.appendingPathComponent(name))
      }
      let tarball = try #require(CIWorkspace.tarball)
      for name in [tarball.lastPathComponent, tarball.lastPathComponent + ".sha256"] {
        try FileManager.default.copyItem(
          at: tarball.deletingLastPathComponent().appendingPathComponent(name),
          to: dist.appendingPathComponent(name))
      }
      return try CLI.runExecutable(
        docker,
        [
          "build", "--network=none", "--progress=plain", "--build-arg",
          "BASE=\(try #require(containerImageBase))", "-t", tag, context.path,
        ], environment: ["DOCKER_BUILDKIT": "1"])
    }

    /// A /data folder the image's user (uid 10001) owns, holding two fixture logs.
    static func dataFolder() throws -> URL {
      let data = try scratchDirectory().appendingPathComponent("data")
      try FileManager.default.createDirectory(at: data, withIntermediateDirectories: true)
      #expect(chown(data.path, 10001, 10001) == 0)
      for (fixture, name) in [
        ("docker20-multistage-warm.log", "build.log"),
        ("docker20-multistage-after-change.log", "next.log"),
      ] {
        let copy = data.appendingPathComponent(name)
        try FileManager.default.copyItem(at: fixtures.appendingPathComponent(fixture), to: copy)
        #expect(chown(copy.path, 10001, 10001) == 0)
      }
      return data
    }

    @Test func theImageRecordsIntoDataAndServes() throws {
      let tag = "buildtrail-image-test:\(UUID().uuidString.prefix(8).lowercased())"
      let built = try Self.buildImage(tag: tag)
      try #require(built.status == 0, "docker build: \(built.stdout)\(built.stderr)")
      defer { _ = try? Self.docker(["rmi", "-f", tag]) }

      let inspect = try Self.docker([
        "image", "inspect", tag, "--format",
        "{{.Config.User}}|{{json .Config.Volumes}}|{{json .Config.Entrypoint}}|{{json .Config.Cmd}}",
      ])
      #expect(
        inspect.stdout.trimmingCharacters(in: .whitespacesAndNewlines)
          == #"10001:10001|{"/data":{}}|["buildtrail"]|["serve","--listen","0.0.0.0:8080"]"#,
        "\(inspect.stdout)\(inspect.stderr)")

      // record with the history in the mounted /data, then read it back in a second container.
      let data = try Self.dataFolder()
      let run = ["run", "--rm", "--network=none", "-v", "\(data.path):/data", tag]
      let recorded = try Self.docker(run + ["record", "build.log"])
      #expect(recorded.status == 0, "\(recorded.stderr)")
      #expect(recorded.stdout.contains("recorded build 1: success, 10 of 10 steps cached"))
      #expect(
        FileManager.default.fileExists(atPath: data.appendingPathComponent("history.db").path))
      let builds = try Self.docker(run + ["builds", "--format", "json"])
      #expect(builds.status == 0, "\(builds.stderr)")
      #expect(builds.stdout.contains(#""steps_cached" : 10"#), "\(builds.stdout)")
      let whoami = try Self.docker(
        ["run", "--rm", "--network=none", "--entrypoint", "id", tag, "-u"])
      #expect(whoami.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "10001")

      // The default command serves the same history; a second build arrives through the server.
      let name = "buildtrail-serve-\(UUID().uuidString.prefix(8).lowercased())"
      let started = try Self.docker([
        "run", "-d", "--name", name, "--network=none", "-v", "\(data.path):/data", tag,
      ])
      try #require(started.status == 0, "\(started.stderr)")
      defer { _ = try? Self.docker(["rm", "-f", name]) }
      let server = "http://127.0.0.1:8080"
      var ready = false
      for _ in 0..<50 where !ready {
        ready =
          try Self.docker(["exec", name, "buildtrail", "builds", "--server", server]).status == 0
        if !ready { usleep(200_000) }
      }
      let serverLog = ready ? "" : try Self.docker(["logs", name]).stderr
      try #require(ready, "the server did not answer: \(serverLog)")
      let uploaded = try Self.docker([
        "exec", name, "buildtrail", "record", "--server", server, "--label", "via=server",
        "/data/next.log",
      ])
      #expect(uploaded.status == 0, "\(uploaded.stdout)\(uploaded.stderr)")
      #expect(uploaded.stdout.contains("recorded build 2"), "\(uploaded.stdout)")
      let listed = try Self.docker([
        "exec", name, "buildtrail", "builds", "--server", server, "--format", "json",
      ])
      let json = try #require(
        try JSONSerialization.jsonObject(with: Data(listed.stdout.utf8)) as? [String: Any])
      #expect((json["builds"] as? [Any])?.count == 2, "\(listed.stdout)")

      // docker stop sends SIGTERM: the server finishes and exits 0.
      let stopped = try Self.docker(["stop", "-t", "20", name])
      #expect(stopped.status == 0, "\(stopped.stderr)")
      let exit = try Self.docker(["inspect", name, "--format", "{{.State.ExitCode}}"])
      #expect(exit.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "0")
      let logs = try Self.docker(["logs", name])
      #expect(
        logs.stderr.contains("serving /data/history.db on http://0.0.0.0:8080"), "\(logs.stderr)")
      #expect(logs.stderr.contains("stopped"), "\(logs.stderr)")
    }
  }
}
