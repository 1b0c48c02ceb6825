import Foundation
import GRDB

extension BuildStore {
  /// How an `input_content` row holds its bytes (schema 10).
  enum InputCodec: Int {
    /// As they are (small contents, or none kept: `data` is NULL).
    case plain = 0
    /// zlib on their own (against ``InputDictionary`` since schema 10).
    case zlib = 1
    /// zlib against the content of `base` (the previous version of the same path) as a preset
    /// dictionary.
    case delta = 2
  }

  /// The longest chain of input contents stored one against the previous: reading one decompresses
  /// at most this many others.
  static let maxInputChain = 8

  /// An input's hash as stored: its 32 bytes, or the text when it is not lowercase hex.
  static func inputKey(_ sha256: String) -> any DatabaseValueConvertible {
    ContextTree.rawSHA256(sha256[...]).map { Data($0) } ?? sha256
  }

  /// Stores a cache input's content once, by hash: against `previous` (the content of the same
  /// path in the build before) when that is smaller, else compressed on its own when that saves space.
  static func storeInputContent(
    sha256: String, bytes: Int, content: Data?, previous: String?, _ db: Database
  ) throws {
    let key = inputKey(sha256)
    let existing = try Row.fetchOne(
      db.cachedStatement(sql: "SELECT data IS NOT NULL FROM input_content WHERE sha256 = ?"),
      arguments: [key])
    if let existing, existing[0] == true || content == nil { return }
    var (codec, data, base) = (InputCodec.plain, content, nil as (any DatabaseValueConvertible)?)
    if let content {
      let alone = Zlib.compress(content, dictionary: InputDictionary.bytes)
      if alone.count < content.count { (codec, data) = (.zlib, alone) }
      if let previous, previous != sha256,
        let (dictionary, depth) = try inputContentAndDepth(key: inputKey(previous), db),
        depth < maxInputChain
      {
        let delta = Zlib.compress(content, dictionary: dictionary)
        if delta.count < (data?.count ?? .max) {
          (codec, data, base) = (.delta, delta, inputKey(previous))
        }
      }
    }
    try run(
      db,
      sql:
        "INSERT OR REPLACE INTO input_content (sha256, bytes, codec, base, data) VALUES (?, ?, ?, ?, ?)",
      arguments: [key, bytes, codec.rawValue, base, data])
  }

  /// The inputs of the newest other build of `target`, by path: the previous versions of a new
  /// build's inputs.
  static func previousInputs(buildID: Int64, target: String?, _ db: Database) throws -> [String:
    String]
  {
    guard
      let previous = try Int64.fetchOne(
        db.cachedStatement(
          sql: "SELECT id FROM build WHERE target IS ? AND id <> ? ORDER BY id DESC LIMIT 1"),
        arguments: [target, buildID])
    else { return [:] }
    var reader = RecordReader()
    let inputs = try reader.record(previous, db)?.inputs ?? []
    return Dictionary(inputs.map { ($0.path, $0.sha256) }, uniquingKeysWith: { first, _ in first })
  }

  static func inputContent(sha256: String, _ db: Database) throws -> Data? {
    try inputContentAndDepth(key: inputKey(sha256), db)?.content
  }

  /// The content stored under `key` and how many contents it is stored against; nil when none is
  /// kept, or it is damaged.
  private static func inputContentAndDepth(key: any DatabaseValueConvertible, _ db: Database)
    throws -> (content: Data, depth: Int)?
  {
    let statement = try db.cachedStatement(
      sql: "SELECT codec, base, data FROM input_content WHERE sha256 = ?")
    var chain: [(codec: Int64?, data: Data)] = []
    var next: DatabaseValue? = key.databaseValue
    while let current = next, !current.isNull, chain.count <= maxInputChain + 1 {
      guard let row = try Row.fetchOne(statement, arguments: [current]),
        let data = Data.fromDatabaseValue(row[2])
      else { return nil }
      let codec = Int64.fromDatabaseValue(row[0])
      chain.append((codec, data))
      next = codec == Int64(InputCodec.delta.rawValue) ? row[1] as DatabaseValue : nil
    }
    guard let last = chain.last, last.codec != Int64(InputCodec.delta.rawValue) else { return nil }
    var content: Data?
    for link in chain.reversed() {
      switch link.codec.flatMap({ InputCodec(rawValue: Int($0)) }) {
      case .plain: content = link.data
      case .zlib: content = Zlib.decompress(link.data, dictionary: InputDictionary.bytes)
      case .delta: content = content.flatMap { Zlib.decompress(link.data, dictionary: $0) }
      case nil: return nil
      }
      guard content != nil else { return nil }
    }
    return content.map { ($0, chain.count - 1) }
  }

  /// Removes the input contents no build's record lists; one that another kept content is stored
  /// against is first rewritten on its own.
  static func collectInputContents(used: Set<String>, _ db: Database) throws -> (
    count: Int, bytes: Int64
  ) {
    var unused: [DatabaseValue: Int64] = [:]
    var dependents: [(key: DatabaseValue, base: DatabaseValue)] = []
    for row in try Row.fetchAll(
      db, sql: "SELECT sha256, coalesce(length(data), 0), base FROM input_content")
    {
      let key = row[0] as DatabaseValue
      if !used.contains(hex(key)) {
        unused[key] = Int64.fromDatabaseValue(row[1]) ?? 0
      } else if !(row[2] as DatabaseValue).isNull {
        dependents.append((key, row[2]))
      }
    }
    var rewrites: [(key: DatabaseValue, content: Data)] = []
    for dependent in dependents where unused[dependent.base] != nil {
      guard let content = try inputContentAndDepth(key: dependent.key, db)?.content else {
        continue
      }
      rewrites.append((dependent.key, content))
    }
    for rewrite in rewrites {
      let compressed = Zlib.compress(rewrite.content, dictionary: InputDictionary.bytes)
      let (codec, data) =
        compressed.count < rewrite.content.count
        ? (InputCodec.zlib, compressed) : (.plain, rewrite.content)
      try run(
        db, sql: "UPDATE input_content SET codec = ?, base = NULL, data = ? WHERE sha256 = ?",
        arguments: [codec.rawValue, data, rewrite.key])
    }
    let delete = try db.makeStatement(sql: "DELETE FROM input_content WHERE sha256 = ?")
    for key in unused.keys { try delete.execute(arguments: [key]) }
    return (unused.count, unused.values.reduce(0, +))
  }
}
