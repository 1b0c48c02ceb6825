import BuildStore
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct BuildArgumentReaderTests {
  @Test(arguments: [
    ("NPM_TOKEN", true), ("db_password", true), ("AWS_SECRET_ACCESS_KEY", true), ("sshKey", true),
    ("GIT_SHA", false), ("BUILD_DATE", false), ("MONKEY_PATCH", true), ("PASS", false),
  ])
  func secretNames(_ name: String, _ secret: Bool) {
    #expect(BuildArgumentReader.isSecret(name) == secret)
  }

  @Test func valuesComeFromTheWordOrTheEnvironmentAndTheLastWins() {
    let facts = BuildArgumentReader.facts(
      ["GIT_SHA=1", "FROM_ENV", "NPM_TOKEN=s3cret", "GIT_SHA=2", "MISSING", "EMPTY=", "=bad"],
      source: .command,
      environment: ["FROM_ENV": "x", "GIT_SHA": "ignored"])
    #expect(facts.map(\.name) == ["GIT_SHA", "FROM_ENV", "NPM_TOKEN", "MISSING", "EMPTY"])
    #expect(facts[0].value == "2" && !facts[0].fromEnvironment)
    #expect(facts[1].value == "x" && facts[1].fromEnvironment)
    #expect(facts[2].value == nil && facts[2].secret)
    #expect(facts[2].sha256 == "1ec1c26b50d5d3c58d9583181af8076655fe00756bf7285940ba3670f99fcba0")
    #expect(facts[2].shownValue == "sha256:" + (facts[2].sha256 ?? ""))
    #expect(facts[3].value == nil && facts[3].sha256 == nil && !facts[3].isSet)
    #expect(facts[4].value == "" && facts[4].isSet)
  }

  @Test func recordOptionsWinOverTheCommand() {
    let command = BuildArgumentReader.facts(["A=1", "B=2"], source: .command, environment: [:])
    let options = BuildArgumentReader.facts(["B=3", "C=4"], source: .option, environment: [:])
    let merged = BuildArgumentReader.merged(command: command, options: options)
    #expect(merged.map(\.name) == ["A", "B", "C"])
    #expect(merged.map(\.value) == ["1", "3", "4"])
    #expect(merged.map(\.source) == [.command, .option, .option])
  }
}
