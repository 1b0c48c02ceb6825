import Foundation
import Yams

/// Reads a compose file's YAML with Yams, bounded: compose files are treated as hostile input.
///
/// Files over ``maximumFileBytes`` are refused before parsing. Aliases are resolved by Yams without
/// copying, but walking them can multiply the nodes (a "billion laughs" file): the walk stops at
/// ``maximumNodes``. YAML merge keys (`<<: *defaults`) are applied, explicit keys winning.
public enum ComposeYAMLReader {
  /// The largest compose file read (4 MiB).
  public static let maximumFileBytes = 4 << 20
  /// The most nodes a file may expand to, aliases included.
  public static let maximumNodes = 200_000

  /// Reads the file at `path`.
  public static func read(fileAt path: String) throws -> ComposeValue {
    var isDirectory: ObjCBool = false
    guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory),
      !isDirectory.boolValue, RegularFile.isRegular(path)
    else { throw ComposeError.missingFile(path) }
    let data: Data
    do {
      data = try RegularFile.read(path, limit: maximumFileBytes + 1)
    } catch {
      throw ComposeError.invalid(
        path, reason: (error as? LocalizedError)?.errorDescription ?? "\(error)")
    }
    if data.count > maximumFileBytes { throw ComposeError.tooLarge(path, bytes: data.count) }
    guard let text = String(data: data, encoding: .utf8) else {
      throw ComposeError.invalid(path, reason: "it is not UTF-8 text")
    }
    return try parse(text, file: path)
  }

  /// Reads YAML text; `file` names it in errors.
  public static func parse(_ text: String, file: String) throws -> ComposeValue {
    if text.utf8.count > maximumFileBytes {
      throw ComposeError.tooLarge(file, bytes: text.utf8.count)
    }
    let node: Node?
    do {
      node = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw ComposeError.invalid(file, reason: oneLine("\(error)"))
    } catch {
      throw ComposeError.invalid(file, reason: oneLine("\(error)"))
    }
    guard let node else { return .null }
    var budget = maximumNodes
    return try value(node, budget: &budget, file: file)
  }

  private static func value(_ node: Node, budget: inout Int, file: String) throws -> ComposeValue {
    budget -= 1
    guard budget >= 0 else {
      throw ComposeError.invalid(
        file, reason: "it expands to more than \(maximumNodes) nodes (aliases repeated?)")
    }
    switch node {
    case .scalar(let scalar):
      return node.tag.rawValue == Tag.Name.null.rawValue ? .null : .string(scalar.string)
    case .sequence(let sequence):
      return .list(try sequence.map { try value($0, budget: &budget, file: file) })
    case .mapping(let mapping):
      var pairs: [(key: String, value: ComposeValue)] = []
      var defaults: [ComposeValue] = []
      for (key, item) in mapping {
        guard let name = key.string else {
          throw ComposeError.invalid(file, reason: "a mapping key is not a string")
        }
        let converted = try value(item, budget: &budget, file: file)
        if name == "<<", key.scalar?.style == .plain {
          defaults += converted.items.isEmpty ? [converted] : converted.items
        } else {
          pairs.append((name, converted))
        }
      }
      var inherited: [(key: String, value: ComposeValue)] = []
      for base in defaults {
        for pair in base.pairs where !inherited.contains(where: { $0.key == pair.key }) {
          inherited.append(pair)
        }
      }
      return .map(pairs + inherited.filter { pair in !pairs.contains { $0.key == pair.key } })
    case .alias:
      throw ComposeError.invalid(file, reason: "an alias names no anchor")
    }
  }

  private static func oneLine(_ text: String) -> String {
    text.split(whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }.prefix(2).joined(separator: ": ")
  }
}
