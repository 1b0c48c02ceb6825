import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct MalformedDependencyFileTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let kind: DependencyFileKind
    let text: String
    let line: Int?
    let reason: String
    var testDescription: String { "\(kind.rawValue): \(reason)" }
  }

  static let cases: [Case] = [
    .init(
      kind: .uvLock,
      text: "version = 1\n\n[[package]]\nname = \"anyio\"\nversion = \"4.4.0\"\n\n[[packa", line: 7,
      reason: "not valid TOML: Error while parsing table header: encountered end-of-file"),
    .init(
      kind: .uvLock,
      text: "[[package]]\nname = \"anyio\"\nversion = \"4.4.0\"\n\n[[package]]\nname = \"idna\"\n",
      line: 5,
      reason: "package `idna` has no `version`"),
    .init(
      kind: .uvLock, text: "[[package]]\nname = \"anyio\nversion = \"4.4.0\"\n", line: 2,
      reason:
        "not valid TOML: Error while parsing string: unescaped control characters other than TAB (U+0009) are explicitly prohibited"
    ),
    .init(
      kind: .poetryLock,
      text:
        "[[package]]\nname = \"certifi\"\nfiles = [\n    {file = \"a.whl\", hash = \"sha256:1\"},\n",
      line: 4, reason: "not valid TOML: Error while parsing array: encountered end-of-file"),
    .init(
      kind: .cargoLock, text: "[[package]]\nname = \"serde\"\nsource = \"registry\"\n", line: 1,
      reason: "package `serde` has no `version`"),
    .init(
      kind: .cargoLock, text: "[[package]]\nversion = \"1.0.0\"\n", line: 1,
      reason: "[[package]] has no `name`"),
    .init(
      kind: .cargoLock, text: "version = 3\nversion = 4\n", line: 2,
      reason:
        "not valid TOML: Error while parsing key-value pair: cannot redefine existing integer 'version'"
    ),
    .init(
      kind: .pyproject, text: "[project]\nname = my-service\n", line: 2,
      reason: "not valid TOML: Error while parsing value: could not determine value type"),
    .init(
      kind: .pyproject,
      text: "[project]\ndependencies = [\"fastapi>=0.110\", \"not a requirement\"]\n", line: nil,
      reason: "cannot read requirement `not a requirement` in [project] dependencies"),
    .init(
      kind: .pyproject, text: "[project]\ndependencies = \"fastapi\"\n", line: nil,
      reason: "[project] dependencies is not an array"),
    .init(
      kind: .packageLock, text: "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n", line: nil,
      reason: ""),
    .init(
      kind: .packageLock, text: "[1, 2]", line: nil, reason: "not a JSON object at the top level"),
    .init(
      kind: .packageLock, text: "{\"name\": \"x\"}", line: nil,
      reason: "no `lockfileVersion`, `packages` or `dependencies`: not a package-lock.json"),
    .init(
      kind: .packageJSON, text: "{\"dependencies\": {\"react\": 18}}", line: nil,
      reason: "`dependencies.react` is not a string"),
    .init(
      kind: .packageJSON, text: "{\"dependencies\": [\"react\"]}", line: nil,
      reason: "`dependencies` is not an object"),
    .init(
      kind: .composerLock, text: "{\"packages\": [{\"name\": \"a/b\"}]}", line: nil,
      reason: "`packages[0]` has no string `name` and `version`"),
    .init(
      kind: .composerLock, text: "{}", line: nil, reason: "no `packages` array: not a composer.lock"
    ),
    .init(
      kind: .yarnLock,
      text:
        "lodash@^4.17.21:\n  version \"4.17.21\"\n\nsemver@^7.5.3:\n  resolved \"https://r/semver.tgz\"\n",
      line: 4, reason: "entry `semver@^7.5.3` has no version"),
    .init(
      kind: .yarnLock, text: "lodash@^4.17.21:\n  version \"4.17.21\"\nthis is not yarn\n", line: 3,
      reason: "expected an entry header ending in `:`, found `this is not yarn`"),
    .init(
      kind: .pnpmLock, text: "packages:\n  /a/1.0.0:\n", line: nil,
      reason: "no `lockfileVersion`: not a pnpm lockfile"),
    .init(
      kind: .pnpmLock,
      text: "lockfileVersion: '9.0'\n\npackages:\n\n  left-pad:\n    resolution: {}\n", line: 5,
      reason: "cannot read a package name and version from `left-pad`"),
    .init(
      kind: .goSum, text: "golang.org/x/sys v0.21.0 h1:abc=\ngolang.org/x/sys v0.21.0\n", line: 2,
      reason: "expected `module version hash`, found `golang.org/x/sys v0.21.0`"),
    .init(
      kind: .goMod, text: "module x\n\nrequire (\n\tgolang.org/x/sys v0.21.0\n", line: 3,
      reason: "`require (` block is never closed"),
    .init(
      kind: .goMod, text: "module x\n\nrequire golang.org/x/sys\n", line: 3,
      reason: "expected `module version` in require, found `golang.org/x/sys`"),
    .init(
      kind: .gemfileLock, text: "GEM\n  remote: https://rubygems.org/\n  specs:\n    rake 13.2.1\n",
      line: 4,
      reason: "expected `name (version)` in specs, found `rake 13.2.1`"),
    .init(
      kind: .requirements,
      text:
        "flask==3.0.3\n<<<<<<< HEAD\nrequests==2.31.0\n=======\nrequests==2.32.3\n>>>>>>> main\n",
      line: 2, reason: "unresolved merge conflict marker `<<<<<<< HEAD`"),
  ]

  @Test(arguments: cases)
  func malformed(_ example: Case) {
    let error = DependencyFixtures.error(
      example.text, example.kind, path: "repo/\(example.kind.rawValue)")
    #expect(error?.path == "repo/\(example.kind.rawValue)")
    #expect(error?.line == example.line)
    if example.reason.isEmpty {
      #expect(error?.reason.hasPrefix("not valid JSON") == true)
    } else {
      #expect(error?.reason == example.reason)
    }
  }

  @Test func invalidJSONNamesTheLineWhenFoundationSaysWhere() {
    let error = DependencyFixtures.error(
      "{\n  \"dependencies\": {\n    \"react\": ^18\n  }\n}\n", .packageJSON)
    #expect(error?.reason.hasPrefix("not valid JSON") == true)
    #expect(error?.line == 3)
  }

  @Test(arguments: DependencyFileKind.allCases)
  func emptyAndBlankFilesHaveNoPackages(kind: DependencyFileKind) throws {
    #expect(try DependencyFile.packages(in: Data(), kind: kind, path: kind.rawValue).isEmpty)
    #expect(
      try DependencyFile.packages(in: Data(" \n\n\t\r\n".utf8), kind: kind, path: kind.rawValue)
        .isEmpty)
  }

  @Test(arguments: DependencyFileKind.allCases)
  func binaryFilesAreErrors(kind: DependencyFileKind) {
    let data = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0x00, 0x00, 0x00, 0x0D])
    #expect(
      throws: DependencyFileError(
        path: "x", line: nil, reason: "binary file (it holds NUL bytes), not a dependency file")
    ) {
      try DependencyFile.packages(in: data, kind: kind, path: "x")
    }
  }

  @Test func invalidUTF8IsAnError() {
    #expect(throws: DependencyFileError(path: "go.mod", line: nil, reason: "not UTF-8 text")) {
      try DependencyFile.packages(in: Data([0x6D, 0xFF, 0xFE, 0x0A]), kind: .goMod, path: "go.mod")
    }
  }

  @Test func byteOrderMarkAndCRLFAreAccepted() throws {
    let data = Data([0xEF, 0xBB, 0xBF]) + Data("flask==3.0.3\r\nrequests>=2\r\n".utf8)
    #expect(
      try DependencyFile.packages(in: data, kind: .requirements, path: "requirements.txt") == [
        DependencyPackage(name: "flask", version: "3.0.3"),
        DependencyPackage(name: "requests", version: ">=2"),
      ])
  }

  static let arbitrarySamples = [
    "[", "[[", "{", "\"", "'''", "a = [1,", "x = {a = 1", "\\", ":", "  version: 1.0",
    "GEM\n  specs:\n    (",
    "require (", "a b c d", "lockfileVersion: 9\npackages:\n  '@x", "@", "/", "a@", "é = \"\\u12\"",
    "a.b.c = 1\n[a.b]\n",
  ]

  /// What the reader returns for one sample: its packages, or its error with the line it names.
  static func outcome(_ sample: String, _ kind: DependencyFileKind) -> String {
    do {
      let packages = try DependencyFile.packages(in: Data(sample.utf8), kind: kind, path: "fuzz")
      return "packages: [" + packages.map { "\($0.name) \($0.version)" }.joined(separator: ", ")
        + "]"
    } catch let error as DependencyFileError {
      return "error" + (error.line.map { " line \($0)" } ?? "") + ": " + error.reason
    } catch {
      return "unexpected \(type(of: error)): \(error)"
    }
  }

  /// Arbitrary text gives a typed error naming the file and a line of the sample, or packages with
  /// names, and exactly what the golden file `Snapshots/arbitrary-text.txt` says
  /// (RECORD_SNAPSHOTS=1 rewrites it, and the test then fails so that a re-record is never silent).
  @Test func arbitraryTextGivesTheRecordedOutcome() throws {
    var lines: [String] = []
    for kind in DependencyFileKind.allCases {
      for sample in Self.arbitrarySamples {
        let data = Data(sample.utf8)
        do {
          let packages = try DependencyFile.packages(in: data, kind: kind, path: "fuzz")
          #expect(
            packages.allSatisfy { !$0.name.isEmpty }, "\(kind.rawValue) \(sample.debugDescription)")
        } catch let error as DependencyFileError {
          #expect(error.path == "fuzz")
          #expect(!error.reason.isEmpty)
          let lineCount = sample.split(separator: "\n", omittingEmptySubsequences: false).count
          #expect(
            (error.line ?? 1) >= 1 && (error.line ?? 1) <= lineCount + 1,
            "\(kind.rawValue) \(sample.debugDescription)")
        } catch {
          Issue.record(
            "\(kind.rawValue) \(sample.debugDescription): \(error) is not a DependencyFileError")
        }
        lines.append("\(kind.rawValue) \(sample.debugDescription) -> \(Self.outcome(sample, kind))")
      }
    }
    let text = lines.joined(separator: "\n") + "\n"
    let golden = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Snapshots/arbitrary-text.txt")
    if ProcessInfo.processInfo.environment["RECORD_SNAPSHOTS"] != nil {
      try FileManager.default.createDirectory(
        at: golden.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: golden)
      Issue.record("recorded \(golden.lastPathComponent); run again without RECORD_SNAPSHOTS")
      return
    }
    let expected = try String(contentsOf: golden, encoding: .utf8)
    let got = text.split(separator: "\n")
    for (index, line) in expected.split(separator: "\n").enumerated() {
      #expect(index < got.count && got[index] == line)
    }
    #expect(got.count == expected.split(separator: "\n").count)
  }
}
