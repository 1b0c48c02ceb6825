import Foundation
import Testing

@testable import BuildtrailServer

/// The pieces of an upload's body: header parameters and the streaming gzip inflater.
@Suite struct UploadPartsTests {
  @Test(arguments: [
    ("multipart/form-data; boundary=abc", "multipart/form-data", ["boundary": "abc"]),
    (
      "Multipart/Form-Data ; Boundary=\"a;b c\"", "multipart/form-data", ["boundary": "a;b c"]
    ),
    (
      "form-data; name=\"input\"; filename=\"ab\\\"c\"", "form-data",
      ["name": "input", "filename": "ab\"c"]
    ),
    ("form-data; name=log; name=other; junk", "form-data", ["name": "log"]),
    ("", "", [:]),
  ])
  func readsHeaderParameters(header: String, value: String, parameters: [String: String]) {
    let read = HeaderParameters(header)
    #expect(read.value == value)
    #expect(read.parameters == parameters)
  }

  @Test func inflatesMembersAcrossAnyChunking() throws {
    let first = Data((0..<50_000).map { UInt8(truncatingIfNeeded: $0 * 7) })
    let second = Data(repeating: UInt8(ascii: "z"), count: 300_000)
    let gzip = try UploadBody.gzip(first) + UploadBody.gzip(second)
    for chunk in [1, 7, 4096, gzip.count] {
      let inflater = GzipInflater()
      var out = Data()
      var offset = 0
      while offset < gzip.count {
        let piece = gzip[offset..<min(offset + chunk, gzip.count)]
        try piece.withUnsafeBytes { bytes in
          try inflater.inflate(bytes) { out.append(contentsOf: $0) }
        }
        offset += chunk
      }
      try inflater.finish()
      #expect(out == first + second, "chunks of \(chunk) bytes")
    }
  }

  @Test func refusesDamagedAndCutGzip() throws {
    var damaged = try UploadBody.gzip(Data(repeating: 1, count: 1000))
    damaged[12] ^= 0xFF
    let inflater = GzipInflater()
    #expect(throws: APIError.self) {
      try damaged.withUnsafeBytes { try inflater.inflate($0) { _ in } }
      try inflater.finish()
    }
    let cut = try UploadBody.gzip(Data(repeating: 1, count: 1000)).dropLast(4)
    let other = GzipInflater()
    try cut.withUnsafeBytes { try other.inflate($0) { _ in } }
    #expect(throws: APIError.self) { try other.finish() }
    #expect(throws: APIError.self) {
      try Data("not gzip at all".utf8).withUnsafeBytes { try GzipInflater().inflate($0) { _ in } }
    }
  }
}
