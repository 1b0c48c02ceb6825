import Foundation

/// An input's JSON form says whether its content was kept but never carries the content: an
/// upload sends each content once, by SHA-256, beside the metadata (see `UploadMetadata`).
extension InputFact: Codable {
  private enum CodingKeys: String, CodingKey {
    case path, role, sha256, bytes, kept
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(path, forKey: .path)
    try container.encode(role, forKey: .role)
    try container.encode(sha256, forKey: .sha256)
    try container.encode(bytes, forKey: .bytes)
    try container.encode(contentKept || content != nil, forKey: .kept)
  }

  /// Decodes an input without its content; ``contentKept`` tells whether the content belongs with it.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    self.init(
      path: try container.decode(String.self, forKey: .path),
      role: try container.decode(Role.self, forKey: .role),
      sha256: try container.decode(String.self, forKey: .sha256),
      bytes: try container.decode(Int.self, forKey: .bytes), content: nil)
    contentKept = try container.decodeIfPresent(Bool.self, forKey: .kept) ?? false
  }
}
