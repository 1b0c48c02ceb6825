import BuildStore
import BuildtrailKit
import Foundation
import Testing

@Suite struct UploadMetadataTests {
  @Test func roundTripsWithoutContentsButKnowsWhichWereKept() throws {
    var metadata = RecordMetadata(
      target: "app", labels: ["env": "ci"],
      git: GitFacts(commit: "abc", branch: "main", subject: "s", committedAt: nil, dirty: false),
      inputs: [
        InputFact(
          path: "uv.lock", role: .lockfile, sha256: String(repeating: "a", count: 64), bytes: 3,
          content: Data("abc".utf8)),
        InputFact(
          path: "big.lock", role: .lockfile, sha256: String(repeating: "b", count: 64),
          bytes: 9_000_000, content: nil),
      ], command: "docker build .")
    metadata.services["api"] = RecordMetadata(
      inputs: [
        InputFact(
          path: "Dockerfile", role: .dockerfile, sha256: String(repeating: "c", count: 64),
          bytes: 1, content: Data("F".utf8))
      ])
    let upload = UploadMetadata(
      logName: "build.log", recordedAt: Date(timeIntervalSince1970: 1_765_000_000.125),
      exitCode: 2, metadata: metadata)
    let decoded = try UploadMetadata.decode(try upload.encoded())
    #expect(decoded.recordedAt == upload.recordedAt)
    #expect(decoded.metadata.inputs.map(\.content) == [nil, nil])
    #expect(decoded.metadata.inputs.map(\.contentKept) == [true, false])
    #expect(decoded.keptInputs.keys.sorted() == upload.keptInputs.keys.sorted())
    #expect(decoded.keptInputs.count == 2)
    #expect(decoded.metadata.git == metadata.git)
    #expect(decoded.exitCode == 2)
    #expect(decoded.metadata.services["api"]?.inputs.first?.path == "Dockerfile")
    let json = String(decoding: try upload.encoded(), as: UTF8.self)
    #expect(json.contains("\"recordedAt\":\"2025-12-06T05:46:40.125Z\""), "\(json)")
    #expect(!json.contains("YWJj"), "contents never travel in the metadata")
  }

  @Test func refusesATimeThatIsNotRFC3339() {
    let json =
      #"{"version":1,"recordedAt":"yesterday","metadata":{"labels":{},"inputs":[],"daemonImageIDs":{},"buildArguments":[],"services":{}}}"#
    #expect(throws: DecodingError.self) { try UploadMetadata.decode(Data(json.utf8)) }
  }
}
