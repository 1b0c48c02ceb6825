import Crypto
import Foundation

/// A build context's file list (`sha256 size path` lines) as a tree of content-addressed nodes, so that
/// builds share every directory that did not change: one changed file adds only the nodes on its path.
///
/// A directory's entries, sorted by name, are cut into pages where a name's hash says so (a
/// content-defined boundary, so inserting a file changes one page, not every page after it); a
/// directory of several pages is an index node over them, cut the same way, until one node remains.
/// Node bytes: a type byte (1: page of entries, 2: index of child hashes), then the items. A page entry
/// is a kind byte (0: file with a SHA-256, 1: file with another hash text, 2: directory), the name
/// (varint length and bytes), then a file's size (varint) and hash, or a directory's node hash.
/// Since schema 10 a node may be stored zlib-compressed: type byte 3, then the stream of its bytes
/// (its hash stays that of its bytes).
struct ContextTree {
  /// Every node of the tree by hash, and the root's hash.
  var nodes: [Data: Data] = [:]
  var root: Data
  var truncated: Bool

  private static let pageMask: UInt32 = 31
  private static let maxItems = 128

  /// Builds the tree of a manifest's text.
  init(manifestText: Data) {
    let (lines, truncated) = ManifestText.parse(String(decoding: manifestText, as: UTF8.self))
    let files = lines.map {
      (
        path: $0.path.split(separator: "/", maxSplits: 255, omittingEmptySubsequences: false),
        size: $0.size, hash: $0.hash
      )
    }
    self.truncated = truncated
    self.root = Data()
    self.root = directory(files[...], depth: 0)
  }

  private mutating func directory(
    _ files: ArraySlice<(path: [Substring], size: Int64, hash: Substring)>, depth: Int
  ) -> Data {
    var children: [Substring: [(path: [Substring], size: Int64, hash: Substring)]] = [:]
    var entries: [(name: [UInt8], bytes: [UInt8])] = []
    for file in files {
      let name = file.path[depth]
      if file.path.count > depth + 1 {
        children[name, default: []].append(file)
        continue
      }
      var bytes: [UInt8] = []
      if let digest = Self.rawSHA256(file.hash) {
        bytes.append(0)
        Self.appendName(name, to: &bytes)
        Self.appendVarint(UInt64(bitPattern: file.size), to: &bytes)
        bytes += digest
      } else {
        bytes.append(1)
        Self.appendName(name, to: &bytes)
        Self.appendVarint(UInt64(bitPattern: file.size), to: &bytes)
        Self.appendName(file.hash, to: &bytes)
      }
      entries.append((Array(name.utf8), bytes))
    }
    for (name, contents) in children {
      let hash = directory(contents[...], depth: depth + 1)
      var bytes: [UInt8] = [2]
      Self.appendName(name, to: &bytes)
      bytes += hash
      entries.append((Array(name.utf8), bytes))
    }
    entries.sort { $0.name.lexicographicallyPrecedes($1.name) }
    var pages: [Data] = []
    var page: [UInt8] = [1]
    var count = 0
    for entry in entries {
      page += entry.bytes
      count += 1
      if Self.fnv1a(entry.name) & Self.pageMask == 0 || count == Self.maxItems {
        pages.append(store(page))
        page = [1]
        count = 0
      }
    }
    if count > 0 || pages.isEmpty { pages.append(store(page)) }
    while pages.count > 1 {
      var next: [Data] = []
      var index: [UInt8] = [2]
      count = 0
      for hash in pages {
        index += hash
        count += 1
        if UInt32(hash[hash.startIndex]) & Self.pageMask == 0 || count == Self.maxItems {
          next.append(store(index))
          index = [2]
          count = 0
        }
      }
      if count > 0 { next.append(store(index)) }
      pages = next
    }
    return pages[0]
  }

  private mutating func store(_ bytes: [UInt8]) -> Data {
    let data = Data(bytes)
    let hash = Data(SHA256.hash(data: data))
    nodes[hash] = data
    return hash
  }

  /// A node's bytes as stored: compressed (type 3) when that is smaller.
  static func stored(_ node: Data) -> Data {
    let compressed = Zlib.compress(node)
    return compressed.count + 1 < node.count ? Data([3]) + compressed : node
  }

  /// A stored node's bytes; nil when a compressed node is damaged.
  static func expanded(_ stored: Data) -> Data? {
    guard stored.first == 3 else { return stored }
    return Zlib.decompress(stored.dropFirst(), limit: 16 << 20)
  }

  /// The manifest text of the tree at `root`, reading nodes through `node`; nil when a node is missing
  /// or damaged.
  static func manifestText(root: Data, truncated: Bool, node: (Data) throws -> Data?) rethrows
    -> Data?
  {
    var files: [(path: String, line: String)] = []
    guard try walk(root, prefix: "", node: node, into: &files, depth: 0) else { return nil }
    files.sort { $0.path < $1.path }
    var text = truncated ? "# truncated\n" : ""
    for file in files {
      text += file.line
      text += "\n"
    }
    return Data(text.utf8)
  }

  private static func walk(
    _ hash: Data, prefix: String, node: (Data) throws -> Data?,
    into files: inout [(path: String, line: String)],
    depth: Int
  ) rethrows -> Bool {
    guard depth < 4096, let stored = try node(hash), let data = expanded(stored),
      let type = data.first
    else { return false }
    var reader = ByteReader(bytes: [UInt8](data.dropFirst()))
    if type == 2 {
      while !reader.atEnd {
        guard let child = reader.take(32) else { return false }
        guard try walk(Data(child), prefix: prefix, node: node, into: &files, depth: depth + 1)
        else { return false }
      }
      return true
    }
    guard type == 1 else { return false }
    while !reader.atEnd {
      guard let kind = reader.take(1)?.first, let name = reader.string() else { return false }
      let path = prefix + name
      switch kind {
      case 0, 1:
        guard let size = reader.varint() else { return false }
        let hash: String
        if kind == 0 {
          guard let raw = reader.take(32) else { return false }
          hash = lowercaseHex(raw)
        } else {
          guard let text = reader.string() else { return false }
          hash = text
        }
        files.append((path, "\(hash) \(Int64(bitPattern: size)) \(path)"))
      case 2:
        guard let child = reader.take(32),
          try walk(Data(child), prefix: path + "/", node: node, into: &files, depth: depth + 1)
        else { return false }
      default:
        return false
      }
    }
    return true
  }

  /// The hashes of the nodes a stored node points to (for pruning).
  static func children(of stored: Data) -> [Data] {
    guard let data = expanded(stored), let type = data.first else { return [] }
    var reader = ByteReader(bytes: [UInt8](data.dropFirst()))
    var result: [Data] = []
    while !reader.atEnd {
      if type == 2 {
        guard let child = reader.take(32) else { break }
        result.append(Data(child))
        continue
      }
      guard let kind = reader.take(1)?.first, reader.string() != nil else { break }
      if kind == 2 {
        guard let child = reader.take(32) else { break }
        result.append(Data(child))
      } else {
        guard reader.varint() != nil, kind == 0 ? reader.take(32) != nil : reader.string() != nil
        else { break }
      }
    }
    return result
  }

  static func rawSHA256(_ hex: Substring) -> [UInt8]? {
    rawHex(hex, bytes: 32)
  }

  /// The bytes of `hex` when it is exactly `bytes` bytes of lowercase hex digits.
  static func rawHex(_ hex: Substring, bytes: Int) -> [UInt8]? {
    let u = Array(hex.utf8)
    guard u.count == bytes * 2 else { return nil }
    var out: [UInt8] = []
    out.reserveCapacity(bytes)
    func nibble(_ c: UInt8) -> UInt8? {
      switch c {
      case 0x30...0x39: return c - 0x30
      case 0x61...0x66: return c - 0x61 + 10
      default: return nil
      }
    }
    var i = 0
    while i < u.count {
      guard let hi = nibble(u[i]), let lo = nibble(u[i + 1]) else { return nil }
      out.append(hi << 4 | lo)
      i += 2
    }
    return out
  }

  private static func appendName(_ name: Substring, to bytes: inout [UInt8]) {
    let utf8 = Array(name.utf8)
    appendVarint(UInt64(utf8.count), to: &bytes)
    bytes += utf8
  }

  private static func appendVarint(_ value: UInt64, to bytes: inout [UInt8]) {
    var v = value
    while v >= 0x80 {
      bytes.append(UInt8(v & 0x7F) | 0x80)
      v >>= 7
    }
    bytes.append(UInt8(v))
  }

  private static func fnv1a(_ bytes: [UInt8]) -> UInt32 {
    var h: UInt32 = 2_166_136_261
    for b in bytes {
      h ^= UInt32(b)
      h = h &* 16_777_619
    }
    return h
  }
}
