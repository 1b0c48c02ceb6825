import BuildtrailKit
import Foundation

/// The tokens file: one `NAME SCOPES SHA256HEX` line per token (scopes `read`, `record`, or both as
/// `read,record`); blank lines and lines starting with `#` are skipped. The file holds hashes only.
public struct TokenFile: Sendable, Equatable {
  /// One token the service accepts.
  public struct Entry: Sendable, Equatable {
    public var name: String
    public var scopes: Set<TokenScope>
    /// The SHA-256 of the token.
    public var digest: [UInt8]
  }

  public var entries: [Entry]

  /// The most bytes a tokens file may have.
  static let maxBytes = 1 << 20

  /// Reads the file at `path`.
  /// - Throws: ``BuildtrailError/invalidArgument(_:)`` naming the file, and the line at fault.
  public init(contentsOf path: String) throws {
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw BuildtrailError.invalidArgument("cannot read the tokens file \(path)")
    }
    defer { try? handle.close() }
    let data = (try? handle.read(upToCount: Self.maxBytes + 1)) ?? Data()
    guard data.count <= Self.maxBytes else {
      throw BuildtrailError.invalidArgument("the tokens file \(path) is over 1 MiB")
    }
    try self.init(text: String(decoding: data, as: UTF8.self), path: path)
  }

  /// Reads the text of a tokens file; `path` names it in errors.
  public init(text: String, path: String) throws {
    var entries: [Entry] = []
    for (index, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated()
    {
      let trimmed = line.trimmingCharacters(in: .whitespaces)
      guard !trimmed.isEmpty, !trimmed.hasPrefix("#") else { continue }
      let place = "\(path) line \(index + 1)"
      let fields = trimmed.split(whereSeparator: { $0 == " " || $0 == "\t" }).map(String.init)
      guard fields.count == 3 else {
        throw BuildtrailError.invalidArgument(
          "\(place): a token line is NAME SCOPES SHA256HEX (`buildtrail token new` prints one), got \(fields.count) fields"
        )
      }
      do {
        try AccessToken.checkName(fields[0])
      } catch let error as BuildtrailError {
        throw BuildtrailError.invalidArgument("\(place): \(error.errorDescription ?? "")")
      }
      var scopes = Set<TokenScope>()
      for word in fields[1].split(separator: ",", omittingEmptySubsequences: false) {
        guard let scope = TokenScope(rawValue: String(word)) else {
          throw BuildtrailError.invalidArgument(
            "\(place): scopes are read, record or read,record, got '\(fields[1])'")
        }
        scopes.insert(scope)
      }
      guard let digest = Self.bytes(hex: fields[2]) else {
        throw BuildtrailError.invalidArgument(
          "\(place): the hash is the token's SHA-256 as 64 lowercase hex digits, not the token")
      }
      guard !entries.contains(where: { $0.digest == digest }) else {
        throw BuildtrailError.invalidArgument("\(place): the same token is listed twice")
      }
      entries.append(Entry(name: fields[0], scopes: scopes, digest: digest))
    }
    self.entries = entries
  }

  private static func bytes(hex: String) -> [UInt8]? {
    let digits = Array(hex.utf8)
    guard digits.count == 64 else { return nil }
    var bytes: [UInt8] = []
    bytes.reserveCapacity(32)
    for pair in stride(from: 0, to: 64, by: 2) {
      guard let high = nibble(digits[pair]), let low = nibble(digits[pair + 1]) else { return nil }
      bytes.append(high << 4 | low)
    }
    return bytes
  }

  private static func nibble(_ digit: UInt8) -> UInt8? {
    switch digit {
    case UInt8(ascii: "0")...UInt8(ascii: "9"): return digit - UInt8(ascii: "0")
    case UInt8(ascii: "a")...UInt8(ascii: "f"): return digit - UInt8(ascii: "a") + 10
    default: return nil
    }
  }
}
