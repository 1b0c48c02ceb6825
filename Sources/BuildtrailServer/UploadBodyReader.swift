import BuildStore
import BuildtrailKit
import Crypto
import Foundation
import Hummingbird
import MultipartKit

/// What an upload's body held: the metadata document, and the log and the input contents as files.
struct ReceivedUpload {
  var metadata: UploadMetadata
  var logPath: String
  /// The files of the input parts, by SHA-256 (checked).
  var inputPaths: [String: String]
}

/// Reads a `POST /api/v1/builds` body as it arrives: inflates gzip, splits the multipart parts,
/// keeps the metadata part (at most 16 MiB) and writes the input and log parts to files in `folder`,
/// counting every byte against the upload limit. Its errors are the API's: 400 for a body that does
/// not follow the protocol, 413 past a limit.
final class UploadBodyReader {
  private enum Part {
    case metadata(Data)
    case input(sha256: String, file: PartFile, hasher: SHA256)
    case log(PartFile)
  }

  private let parser: MultipartParser
  private let folder: String
  private let maxBytes: Int64
  private var received: Int64 = 0
  /// Bytes given to the parser since it last reported a header, body bytes or a part's end: bounds
  /// what it holds of a header line or skips of a preamble.
  private var sinceEvent = 0
  private var failure: APIError?
  private var headers: [(name: String, value: String)] = []
  private var part: Part?
  private var metadata: UploadMetadata?
  private var inputPaths: [String: String] = [:]
  private var logPath: String?

  /// The most bytes the parser may take without reporting anything (a part's headers, the preamble).
  static let maxSilentBytes = 64 << 10
  /// The most bytes given to the parser at once.
  private static let sliceBytes = 64 << 10

  init(boundary: String, folder: String, maxBytes: Int64) {
    parser = MultipartParser(boundary: boundary)
    self.folder = folder
    self.maxBytes = maxBytes
    parser.onHeader = { [unowned self] name, value in
      self.sinceEvent = 0
      guard self.failure == nil else { return }
      if self.logPath != nil {
        self.failure = APIError(
          .badRequest,
          "a part follows the log part; send the metadata part first and the log part last")
      }
      self.headers.append((name, value))
    }
    parser.onBody = { [unowned self] buffer in
      self.sinceEvent = 0
      guard self.failure == nil else { return }
      buffer.withUnsafeReadableBytes { bytes in self.failure = Self.attempt { try self.body(bytes) }
      }
    }
    parser.onPartComplete = { [unowned self] in
      self.sinceEvent = 0
      guard self.failure == nil else { return }
      self.failure = Self.attempt { try self.complete() }
    }
  }

  /// Reads `body` to its end; with `gzip`, inflates it first.
  func read<Body: AsyncSequence>(_ body: Body, gzip: Bool) async throws -> ReceivedUpload
  where Body.Element == ByteBuffer {
    let inflater = gzip ? GzipInflater() : nil
    for try await chunk in body {
      try chunk.withUnsafeReadableBytes { bytes in
        if let inflater { try inflater.inflate(bytes, feed) } else { try feed(bytes) }
      }
    }
    try inflater?.finish()
    guard let metadata else {
      throw APIError(
        .badRequest,
        "the body has no metadata part; send a multipart/form-data body whose first part is named metadata"
      )
    }
    guard let logPath else {
      throw APIError(
        .badRequest,
        "the body ends before a whole log part; send the log as the last part, then the closing boundary"
      )
    }
    return ReceivedUpload(metadata: metadata, logPath: logPath, inputPaths: inputPaths)
  }

  private func feed(_ bytes: UnsafeRawBufferPointer) throws {
    received += Int64(bytes.count)
    if received > maxBytes { throw Self.tooLarge(maxBytes) }
    var offset = 0
    while offset < bytes.count {
      let end = min(offset + Self.sliceBytes, bytes.count)
      do {
        try parser.execute(ByteBuffer(bytes: UnsafeRawBufferPointer(rebasing: bytes[offset..<end])))
      } catch {
        throw APIError(
          .badRequest,
          "the body is not well-formed multipart/form-data (a part's headers do not end in CRLF); send it as RFC 7578 says"
        )
      }
      if let failure { throw failure }
      sinceEvent += end - offset
      if sinceEvent > Self.maxSilentBytes, logPath == nil {
        throw APIError(
          .badRequest,
          "the body holds more than 64 KiB without a part boundary, a part's headers or its content; send multipart/form-data with the request's boundary"
        )
      }
      offset = end
    }
  }

  /// The 413 of an upload past `maxBytes`.
  static func tooLarge(_ maxBytes: Int64) -> APIError {
    APIError(
      .contentTooLarge,
      "the upload is larger than this server's limit of \(maxBytes) bytes (serve --max-upload-bytes)"
    )
  }

  /// The part the headers just read open.
  private func open() throws -> Part {
    let disposition = headers.last { $0.name.lowercased() == "content-disposition" }
      .map { HeaderParameters($0.value) }
    guard let disposition, disposition.value == "form-data",
      let name = disposition.parameters["name"]
    else {
      throw APIError(
        .badRequest,
        "a part has no Content-Disposition: form-data; name=…; name each part metadata, input or log"
      )
    }
    switch name {
    case "metadata" where metadata == nil && inputPaths.isEmpty:
      return .metadata(Data())
    case "input", "log":
      guard let metadata else {
        throw APIError(
          .badRequest, "the \(name) part comes before the metadata part; send metadata first")
      }
      guard name == "input" else {
        return .log(try PartFile(path: folder + "/log"))
      }
      return try openInput(filename: disposition.parameters["filename"], metadata: metadata)
    case "metadata":
      throw APIError(
        .badRequest, "the metadata part comes more than once or after an input; send it once, first"
      )
    default:
      throw APIError(
        .badRequest,
        "a part is named \(String(name.prefix(64)).debugDescription); an upload has metadata, input and log parts"
      )
    }
  }

  private func openInput(filename: String?, metadata: UploadMetadata) throws -> Part {
    guard let sha256 = filename, UploadRoutes.isSHA256(sha256) else {
      throw APIError(
        .badRequest,
        "an input part's filename is not a SHA-256 in lowercase hex; name it by its content's hash")
    }
    guard metadata.keptInputs[sha256] != nil else {
      throw APIError(
        .badRequest,
        "the input part \(sha256) is not a kept input of the metadata; send only those it lists as kept"
      )
    }
    guard inputPaths[sha256] == nil else {
      throw APIError(.badRequest, "the input part \(sha256) comes twice; send each input once")
    }
    return .input(
      sha256: sha256, file: try PartFile(path: folder + "/input-" + sha256), hasher: SHA256())
  }

  private func body(_ bytes: UnsafeRawBufferPointer) throws {
    if part == nil { part = try open() }
    switch part {
    case .metadata(var data):
      guard data.count + bytes.count <= UploadLimits.maxMetadataBytes else {
        throw APIError(
          .contentTooLarge,
          "the metadata part is larger than \(UploadLimits.maxMetadataBytes >> 20) MiB; leave the context manifest out"
        )
      }
      part = nil
      data.append(contentsOf: bytes)
      part = .metadata(data)
    case .input(let sha256, let file, var hasher):
      guard file.bytes + Int64(bytes.count) <= Int64(CacheInputSnapshot.maxStoredBytes) else {
        throw APIError(
          .contentTooLarge,
          "the input part \(sha256) is larger than \(CacheInputSnapshot.maxStoredBytes >> 20) MiB, the most record keeps of an input"
        )
      }
      hasher.update(bufferPointer: bytes)
      try file.write(bytes)
      part = .input(sha256: sha256, file: file, hasher: hasher)
    case .log(let file):
      try file.write(bytes)
    case nil:
      break
    }
  }

  private func complete() throws {
    if part == nil { part = try open() }
    defer {
      part = nil
      headers = []
    }
    switch part {
    case .metadata(let data):
      metadata = try Self.decode(data)
    case .input(let sha256, let file, let hasher):
      try file.close()
      let actual = lowercaseHex(hasher.finalize())
      guard actual == sha256 else {
        throw APIError(
          .badRequest,
          UploadError.contentMismatch(sentAs: sha256, actual: actual).errorDescription ?? "")
      }
      inputPaths[sha256] = file.path
    case .log(let file):
      try file.close()
      logPath = file.path
    case nil:
      break
    }
  }

  private static func decode(_ data: Data) throws -> UploadMetadata {
    let document: UploadMetadata
    do {
      document = try UploadMetadata.decode(data)
    } catch let error as DecodingError {
      throw APIError(.badRequest, "the metadata part is not an upload document: \(describe(error))")
    } catch {
      throw APIError(.badRequest, "the metadata part is not JSON: \(error)")
    }
    guard document.version == UploadMetadata.currentVersion else {
      throw APIError(
        .badRequest, UploadError.unknownVersion(document.version).errorDescription ?? "")
    }
    return document
  }

  /// A decoding error in one line: what was wrong and where.
  static func describe(_ error: DecodingError) -> String {
    let (what, context): (String, DecodingError.Context?) =
      switch error {
      case .keyNotFound(let key, let context): ("no \(key.stringValue)", context)
      case .typeMismatch(let type, let context): ("not a \(type)", context)
      case .valueNotFound(let type, let context): ("no \(type) value", context)
      case .dataCorrupted(let context): (context.debugDescription, context)
      @unknown default: ("\(error)", nil)
      }
    let path =
      context?.codingPath.map { $0.intValue.map(String.init) ?? $0.stringValue }
      .joined(separator: ".") ?? ""
    return (path.isEmpty ? what : "\(what) at \(path)").replacingOccurrences(of: "\n", with: " ")
  }

  private static func attempt(_ body: () throws -> Void) -> APIError? {
    do {
      try body()
      return nil
    } catch {
      return APIError(error)
    }
  }
}
