import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

@Suite struct SpoolMetaTests {
  let buildEnvironment = [
    "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "41", "GITHUB_REF_NAME": "main",
    "CI_JOB_TOKEN": "secret",
    "PATH": "/build/bin",
  ]

  @Test func keepsTheRequestAndOnlyTheCIVariables() throws {
    let request = RecordRequest(
      logPath: nil, command: ["docker", "build", "."], labels: ["env": "ci"], target: "app",
      commit: "abc",
      workingDirectory: "/src", environment: buildEnvironment)
    var meta = SpoolMeta(request: request, startedAt: Date(timeIntervalSince1970: 1_800_000_000.25))
    meta.exitCode = 3
    let data = try meta.encoded()
    #expect(!String(decoding: data, as: UTF8.self).contains("secret"))
    let read = try SpoolMeta.decode(data)
    #expect(read == meta)
    #expect(
      read.request.environment == [
        "GITHUB_ACTIONS": "true", "GITHUB_RUN_ID": "41", "GITHUB_REF_NAME": "main",
      ])
    #expect(read.request.labels == ["env": "ci"])
    #expect(read.startedAt.timeIntervalSince1970 == 1_800_000_000.25)
  }

  @Test func replaysTheBuildsCIRunInAnotherEnvironment() {
    let request = RecordRequest(logPath: nil, command: ["make"], environment: buildEnvironment)
    let meta = SpoolMeta(request: request, startedAt: Date())
    let later = ["GITLAB_CI": "true", "CI_PIPELINE_ID": "7", "PATH": "/later/bin", "HOME": "/root"]
    let replayed = meta.request(environment: later)
    #expect(CIEnvironment.detect(replayed.environment)?.runID == "41")
    #expect(replayed.environment["CI_PIPELINE_ID"] == nil)
    #expect(replayed.environment["PATH"] == "/later/bin")
    #expect(replayed.command == ["make"])
  }
}
