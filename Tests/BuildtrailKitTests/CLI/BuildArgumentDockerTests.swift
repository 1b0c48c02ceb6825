import Foundation
import Testing

extension DockerTests {
  /// `record -- docker build --build-arg GIT_SHA=… .` with the real local BuildKit: the second value makes
  /// the steps after `ARG GIT_SHA` run, and `why` names the argument; `--no-cache` then names itself.
  @Suite(
    .serialized,
    .enabled(
      if: ProcessInfo.processInfo.environment["BUILDTRAIL_E2E"] != "skip", "BUILDTRAIL_E2E=skip"))
  struct BuildArgumentDockerTests {
    @Test func aNewGitShaIsNamedAndNoCacheToo() throws {
      try #require(try EndToEndTests.dockerIsReady())
      let p = try BuildArgumentTests.project()
      let tag = "buildtrail-buildargs-e2e:\(getpid())"
      // Values no earlier run used, so that the step after the ARG cannot be in the builder's cache.
      let first = "a" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
      let second = "b" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
      func build(_ value: String, _ flags: [String] = []) throws {
        let r = try CLI.run(
          [
            "record", "--db", p.db, "--", EndToEndTests.docker.path, "build", "--progress=plain",
            "--network=none",
            "-t", tag, "--build-arg", "GIT_SHA",
          ] + flags + ["."],
          in: p.dir, environment: ["DOCKER_BUILDKIT": "1", "GIT_SHA": value])
        try #require(r.status == 0, "GIT_SHA=\(value): \(r.stderr)")
      }
      try build(first)
      try build(second)
      try build(second, ["--no-cache"])
      defer { _ = try? CLI.runExecutable(EndToEndTests.docker, ["image", "rm", "-f", tag]) }

      let causes = try BuildArgumentTests.rootCauses(2, db: p.db)
      #expect(causes.map { $0["kind"] as? String } == ["build-arg"], "GIT_SHA \(first) → \(second)")
      let change = causes.first?["build_arg"] as? [String: Any]
      #expect(change?["name"] as? String == "GIT_SHA" && change?["line"] as? Int == 5)
      #expect(change?["before"] as? String == first && change?["after"] as? String == second)
      #expect(change?["steps_ran"] as? Int == 3)
      let noCache = try BuildArgumentTests.rootCauses(3, db: p.db)
      #expect(noCache.map { $0["kind"] as? String } == ["no-cache"])
    }
  }
}
