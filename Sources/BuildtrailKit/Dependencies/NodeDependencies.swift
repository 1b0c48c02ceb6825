import Foundation
import Yams

extension DependencyFile {
  /// package-lock.json: v2/v3 `packages` keyed by install path (the root and links skipped), else the v1 `dependencies` tree.
  static func packageLockPackages(_ text: Text) throws -> [DependencyPackage] {
    let object = try text.jsonObject()
    if let packages = object["packages"] {
      guard let entries = packages as? [String: Any] else {
        throw text.error("`packages` is not an object")
      }
      var found: [DependencyPackage] = []
      for (key, value) in entries {
        guard let marker = key.range(of: "node_modules/", options: .backwards) else { continue }
        guard let entry = value as? [String: Any] else {
          throw text.error("`packages[\"\(key)\"]` is not an object")
        }
        if entry["link"] as? Bool == true { continue }
        guard let version = entry["version"] as? String else { continue }
        found.append(DependencyPackage(name: String(key[marker.upperBound...]), version: version))
      }
      return found
    }
    if let dependencies = object["dependencies"] {
      var found: [DependencyPackage] = []
      try collectLockV1(dependencies, at: "dependencies", into: &found, text: text)
      return found
    }
    guard object["lockfileVersion"] != nil else {
      throw text.error(
        "no `lockfileVersion`, `packages` or `dependencies`: not a package-lock.json")
    }
    return []
  }

  private static func collectLockV1(
    _ tree: Any, at place: String, into found: inout [DependencyPackage], text: Text
  )
    throws
  {
    guard let entries = tree as? [String: Any] else {
      throw text.error("`\(place)` is not an object")
    }
    for (name, value) in entries {
      guard let entry = value as? [String: Any] else {
        throw text.error("`\(place).\(name)` is not an object")
      }
      if let version = entry["version"] as? String {
        found.append(DependencyPackage(name: name, version: version))
      }
      if let nested = entry["dependencies"] {
        try collectLockV1(nested, at: "\(place).\(name).dependencies", into: &found, text: text)
      }
    }
  }

  /// package.json: `dependencies`, `devDependencies`, `optionalDependencies` and `peerDependencies` specifiers.
  static func packageJSONPackages(_ text: Text) throws -> [DependencyPackage] {
    let object = try text.jsonObject()
    var found: [DependencyPackage] = []
    for field in ["dependencies", "devDependencies", "optionalDependencies", "peerDependencies"] {
      guard let value = object[field] else { continue }
      guard let entries = value as? [String: Any] else {
        throw text.error("`\(field)` is not an object")
      }
      for (name, specifier) in entries {
        guard let specifier = specifier as? String else {
          throw text.error("`\(field).\(name)` is not a string")
        }
        found.append(DependencyPackage(name: name, version: specifier))
      }
    }
    return found
  }

  /// yarn.lock, classic (`"a@^1", a@^1.1:` then `  version "1.2.3"`) and berry (`"a@npm:^1":` then `  version: 1.2.3`); berry workspaces skipped.
  static func yarnLockPackages(_ text: Text) throws -> [DependencyPackage] {
    var found: [DependencyPackage] = []
    var header: (descriptors: String, line: Int)?
    var version: String?
    var isWorkspace = false

    func finish() throws {
      defer { (header, version, isWorkspace) = (nil, nil, false) }
      guard let current = header, current.descriptors != "__metadata", !isWorkspace else { return }
      guard let version else {
        throw text.error(
          "entry `\(current.descriptors.prefix(60))` has no version", line: current.line)
      }
      guard let name = npmName(fromDescriptor: current.descriptors) else {
        throw text.error(
          "cannot read a package name from `\(current.descriptors.prefix(60))`", line: current.line)
      }
      found.append(DependencyPackage(name: name, version: version))
    }

    for (offset, line) in text.lines.enumerated() {
      let content = trim(line)
      if content.isEmpty || content.hasPrefix("#") { continue }
      let indent = indent(of: line)
      if indent == 0 {
        try finish()
        guard content.hasSuffix(":") else {
          throw text.error(
            "expected an entry header ending in `:`, found `\(content.prefix(60))`",
            line: offset + 1)
        }
        let descriptors = String(content.dropLast())
        header = (descriptors, offset + 1)
        isWorkspace = descriptors.contains("@workspace:")
      } else if indent == 2, header != nil {
        if content.hasPrefix("version:") {
          version = String(unquote(trim(content.dropFirst("version:".count))))
        } else if content.hasPrefix("version ") {
          version = String(unquote(trim(content.dropFirst("version ".count))))
        } else if content.hasPrefix("resolution:"), content.contains("@workspace:") {
          isWorkspace = true
        }
      }
    }
    try finish()
    return found
  }

  /// The package name of the first descriptor in `"@a/b@^1", "@a/b@npm:^1.1"`: the text before the first `@` that is not the first character.
  private static func npmName(fromDescriptor descriptors: String) -> String? {
    let first =
      descriptors.split(separator: ",").first.map { trim($0).trimmingCharacters(in: ["\""]) } ?? ""
    guard first.count > 1, let at = first.dropFirst().firstIndex(of: "@") else { return nil }
    let name = first[..<at]
    return name.isEmpty ? nil : String(name)
  }

  /// pnpm-lock.yaml `packages:` keys: `/a/1.2.3` (v5), `/a@1.2.3(peer@1)` (v6), `a@1.2.3` (v9); an entry's own `name:` and `version:` fields win.
  static func pnpmLockPackages(_ text: Text) throws -> [DependencyPackage] {
    let root: Node?
    do {
      root = try Yams.compose(yaml: text.string, .basic)
    } catch let error as YamlError {
      throw yamlError(error, text: text)
    }
    guard let document = root?.mapping, document["lockfileVersion"] != nil else {
      throw text.error("no `lockfileVersion`: not a pnpm lockfile")
    }
    guard let packages = document["packages"], packages.scalar?.string.isEmpty != true else {
      return []
    }
    guard let entries = packages.mapping else { throw text.error("`packages` is not a mapping") }
    return try entries.map { key, entry in
      let parsed = key.string.flatMap(pnpmPackage(fromKey:))
      guard let name = entry["name"]?.string ?? parsed?.name,
        let version = entry["version"]?.string ?? parsed?.version
      else {
        throw text.error(
          "cannot read a package name and version from `\((key.string ?? "?").prefix(60))`",
          line: key.mark?.line)
      }
      return DependencyPackage(name: name, version: version)
    }
  }

  /// libyaml's problem and the line it names.
  private static func yamlError(_ error: YamlError, text: Text) -> DependencyFileError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      return text.error("not valid YAML: " + problem.prefix(200), line: mark.line)
    case .duplicatedKeysInMapping(let duplicates, let context):
      let keys = duplicates.map { "`\($0.prefix(60))`" }.joined(separator: ", ")
      return text.error("not valid YAML: duplicate keys \(keys)", line: context.mark.line)
    default:
      return text.error("not valid YAML")
    }
  }

  /// `/@scope/name/1.2.3_peer@1`, `/name@1.2.3(peer@1)`, `@scope/name@1.2.3` → name and version.
  private static func pnpmPackage(fromKey key: String) -> DependencyPackage? {
    var rest = Substring(key)
    if rest.hasPrefix("/") { rest = rest.dropFirst() }
    if let peers = rest.firstIndex(of: "(") { rest = rest[..<peers] }
    var nameEnd = rest.startIndex
    if rest.hasPrefix("@") {
      guard let slash = rest.firstIndex(of: "/") else { return nil }
      nameEnd = rest.index(after: slash)
    }
    guard let separator = rest[nameEnd...].firstIndex(where: { $0 == "@" || $0 == "/" }) else {
      return nil
    }
    let name = rest[..<separator]
    var version = rest[rest.index(after: separator)...]
    if rest[separator] == "/", let peers = version.firstIndex(of: "_") {
      version = version[..<peers]
    }
    guard !name.isEmpty, !version.isEmpty else { return nil }
    return DependencyPackage(name: String(name), version: String(version))
  }
}
