import Foundation

extension DependencyFile {
  /// go.sum: per module, the highest version with a module hash line, else the highest with only a `/go.mod` line.
  static func goSumPackages(_ text: Text) throws -> [DependencyPackage] {
    var modules: [String: (full: String?, goMod: String?)] = [:]
    for (offset, line) in text.lines.enumerated() {
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      if fields.isEmpty { continue }
      guard fields.count == 3, fields[1].hasPrefix("v"), fields[2].contains(":") else {
        throw text.error(
          "expected `module version hash`, found `\(trim(line).prefix(60))`", line: offset + 1)
      }
      let module = String(fields[0])
      var entry = modules[module] ?? (nil, nil)
      if fields[1].hasSuffix("/go.mod") {
        entry.goMod = higher(entry.goMod, String(fields[1].dropLast("/go.mod".count)))
      } else {
        entry.full = higher(entry.full, String(fields[1]))
      }
      modules[module] = entry
    }
    return modules.compactMap { module, entry in
      (entry.full ?? entry.goMod).map { DependencyPackage(name: module, version: $0) }
    }
  }

  private static func higher(_ current: String?, _ candidate: String) -> String {
    guard let current else { return candidate }
    return VersionOrder.compare(current, candidate) == .orderedAscending ? candidate : current
  }

  /// go.mod: `require` lines and blocks; `replace`, `exclude` and other directives are ignored.
  static func goModPackages(_ text: Text) throws -> [DependencyPackage] {
    var found: [DependencyPackage] = []
    var block: (directive: String, line: Int)?
    for (offset, raw) in text.lines.enumerated() {
      var line = Substring(raw)
      if let comment = line.range(of: "//") { line = line[..<comment.lowerBound] }
      let fields = line.split(whereSeparator: { $0 == " " || $0 == "\t" })
      guard let first = fields.first else { continue }
      if let current = block {
        if first == ")" {
          block = nil
        } else if current.directive == "require" {
          found.append(try goRequirement(fields[...], text: text, line: offset + 1))
        }
        continue
      }
      if fields.count == 2, fields[1] == "(" {
        block = (String(first), offset + 1)
      } else if first == "require" {
        found.append(try goRequirement(fields.dropFirst(), text: text, line: offset + 1))
      }
    }
    if let open = block {
      throw text.error("`\(open.directive) (` block is never closed", line: open.line)
    }
    return found
  }

  private static func goRequirement(_ fields: ArraySlice<Substring>, text: Text, line: Int) throws
    -> DependencyPackage
  {
    guard fields.count == 2, let module = fields.first, let version = fields.last else {
      let found = fields.joined(separator: " ").prefix(60)
      throw text.error("expected `module version` in require, found `\(found)`", line: line)
    }
    return DependencyPackage(name: String(unquote(module)), version: String(version))
  }

  /// Gemfile.lock: the 4-space `name (version)` lines under `specs:` in GEM, GIT, PATH and PLUGIN SOURCE sections.
  static func gemfileLockPackages(_ text: Text) throws -> [DependencyPackage] {
    let sourceSections: Set<Substring> = ["GEM", "GIT", "PATH", "PLUGIN SOURCE"]
    var found: [DependencyPackage] = []
    var inSource = false
    var inSpecs = false
    for (offset, line) in text.lines.enumerated() {
      let content = trim(line)
      if content.isEmpty { continue }
      switch indent(of: line) {
      case 0:
        inSource = sourceSections.contains(content)
        inSpecs = false
      case 2:
        inSpecs = inSource && content == "specs:"
      case 4 where inSpecs:
        guard let open = content.firstIndex(of: " "), content[open...].hasPrefix(" ("),
          content.hasSuffix(")")
        else {
          throw text.error(
            "expected `name (version)` in specs, found `\(content.prefix(60))`", line: offset + 1)
        }
        let version = content[
          content.index(open, offsetBy: 2)..<content.index(before: content.endIndex)]
        found.append(DependencyPackage(name: String(content[..<open]), version: String(version)))
      default:
        continue
      }
    }
    return found
  }

  /// composer.lock: `packages` and `packages-dev` arrays of `{name, version}`.
  static func composerLockPackages(_ text: Text) throws -> [DependencyPackage] {
    let object = try text.jsonObject()
    guard object["packages"] != nil else {
      throw text.error("no `packages` array: not a composer.lock")
    }
    var found: [DependencyPackage] = []
    for field in ["packages", "packages-dev"] {
      guard let value = object[field], !(value is NSNull) else { continue }
      guard let entries = value as? [Any] else { throw text.error("`\(field)` is not an array") }
      for (position, entry) in entries.enumerated() {
        guard let entry = entry as? [String: Any], let name = entry["name"] as? String,
          let version = entry["version"] as? String
        else { throw text.error("`\(field)[\(position)]` has no string `name` and `version`") }
        found.append(DependencyPackage(name: name, version: version))
      }
    }
    return found
  }
}
