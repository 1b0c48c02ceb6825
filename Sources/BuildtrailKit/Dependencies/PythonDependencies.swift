import Foundation
import TOMLKit

extension DependencyFile {
  /// `[[package]]` tables with `name` and `version`: uv.lock (early ones say `[[distribution]]`; a dynamic workspace member has only `source`), poetry.lock, Cargo.lock.
  static func tomlLockPackages(_ text: Text, versionRequired: Bool) throws -> [DependencyPackage] {
    let document = try TOMLDocument(text)
    let key = document.root["package"] != nil ? "package" : "distribution"
    guard let tables = document.root[key] else { return [] }
    guard let items = tables.array else { throw text.error("`package` is not an array of tables") }
    let lines = document.arrayHeaderLines(key, count: items.count)
    return try items.enumerated().map { index, item in
      let line = lines?[index]
      guard let name = item.value(at: "name")?.string, !name.isEmpty else {
        throw text.error("[[package]] has no `name`", line: line)
      }
      guard let version = item.value(at: "version")?.string else {
        if !versionRequired, item.value(at: "source") != nil {
          return DependencyPackage(name: name, version: "")
        }
        throw text.error("package `\(name)` has no `version`", line: line)
      }
      return DependencyPackage(name: name, version: version)
    }
  }

  /// pip requirement lines: `-r`/`-c`/`-e` and other option lines, bare URLs and paths are skipped.
  static func requirementsPackages(_ text: Text) throws -> [DependencyPackage] {
    var packages: [DependencyPackage] = []
    var logical = ""
    var startLine = 1
    for (offset, raw) in text.lines.enumerated() {
      if logical.isEmpty { startLine = offset + 1 }
      var line = raw
      if let hash = commentStart(in: line) { line = line[..<hash] }
      if line.last == "\\" {
        logical += line.dropLast() + " "
        continue
      }
      logical += line
      defer { logical = "" }
      let statement = trim(logical)
      if statement.isEmpty || statement.hasPrefix("-") || isArchive(statement) { continue }
      var requirement = statement
      if let option = requirement.range(of: " --") ?? requirement.range(of: "\t--") {
        requirement = requirement[..<option.lowerBound]
      }
      if let parsed = parsePEP508(requirement) {
        packages.append(parsed)
      } else if !isPathOrURL(statement) {
        throw text.error("cannot read requirement `\(statement.prefix(60))`", line: startLine)
      }
    }
    return packages
  }

  /// `#` starts a comment at the line's start or after whitespace, so URL fragments (`#egg=`) survive.
  private static func commentStart(in line: Substring) -> Substring.Index? {
    var previous: Character = " "
    for index in line.indices {
      if line[index] == "#", previous == " " || previous == "\t" { return index }
      previous = line[index]
    }
    return nil
  }

  private static func isArchive(_ statement: Substring) -> Bool {
    let head = statement.prefix(while: { $0 != " " && $0 != ";" }).lowercased()
    return [".whl", ".tar.gz", ".zip", ".tar.bz2"].contains(where: head.hasSuffix)
  }

  private static func isPathOrURL(_ statement: Substring) -> Bool {
    let head = statement.prefix(while: { $0 != " " && $0 != ";" })
    return head.hasPrefix(".") || head.hasPrefix("~") || head.contains("/") || head.contains("\\")
  }

  /// A PEP 508 requirement: `name[extras] specifier ; marker` or `name @ url`; nil when it is not one.
  static func parsePEP508<S: StringProtocol>(_ text: S) -> DependencyPackage? {
    var rest = trim(text)
    let name = rest.prefix(while: {
      $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" || $0 == ".")
    })
    guard let first = name.first, first.isLetter || first.isNumber else { return nil }
    rest = trim(rest.dropFirst(name.count))
    if rest.hasPrefix("[") {
      guard let close = rest.firstIndex(of: "]") else { return nil }
      rest = trim(rest[rest.index(after: close)...])
    }
    if rest.hasPrefix("@") {
      var url = trim(rest.dropFirst())
      if let marker = url.range(of: " ;") { url = trim(url[..<marker.lowerBound]) }
      guard !url.isEmpty else { return nil }
      return DependencyPackage(name: String(name), version: "@ " + url)
    }
    if let marker = rest.firstIndex(of: ";") { rest = rest[..<marker] }
    var specifier = String(rest.filter { $0 != " " && $0 != "\t" })
    if specifier.hasPrefix("("), specifier.hasSuffix(")") {
      specifier = String(specifier.dropFirst().dropLast())
    }
    guard specifier.isEmpty || "<>=!~".contains(specifier.first ?? " ") else { return nil }
    if specifier.hasPrefix("=="), !specifier.hasPrefix("==="), !specifier.contains(","),
      !specifier.contains("*")
    {
      specifier = String(specifier.dropFirst(2))
    }
    return DependencyPackage(name: String(name), version: specifier)
  }

  /// `[project]` dependencies and optional-dependencies, `[dependency-groups]`, `[tool.uv]` dev-dependencies and Poetry's dependency tables; `python` is skipped.
  static func pyprojectPackages(_ text: Text) throws -> [DependencyPackage] {
    let document = try TOMLDocument(text).root
    var lists: [(String, TOMLValueConvertible)] = []
    if let dependencies = document.value(at: "project", "dependencies") {
      lists.append(("[project] dependencies", dependencies))
    }
    for (extra, list) in entries(document.value(at: "project", "optional-dependencies")) {
      lists.append(("[project.optional-dependencies] \(extra)", list))
    }
    for (group, list) in entries(document["dependency-groups"]) {
      lists.append(("[dependency-groups] \(group)", list))
    }
    if let dev = document.value(at: "tool", "uv", "dev-dependencies") {
      lists.append(("[tool.uv] dev-dependencies", dev))
    }
    var packages: [DependencyPackage] = []
    for (place, list) in lists {
      guard let items = list.array else { throw text.error("\(place) is not an array") }
      for item in items {
        if item.type == .table { continue }
        guard let requirement = item.string, let package = parsePEP508(requirement) else {
          throw text.error("cannot read requirement \(describe(item)) in \(place)")
        }
        packages.append(package)
      }
    }
    var poetryTables: [(String, TOMLValueConvertible)] = []
    if let poetry = document.value(at: "tool", "poetry") {
      for key in ["dependencies", "dev-dependencies"] {
        if let table = poetry.value(at: key) {
          poetryTables.append(("[tool.poetry.\(key)]", table))
        }
      }
      for (group, table) in entries(poetry.value(at: "group")) {
        if let dependencies = table.value(at: "dependencies") {
          poetryTables.append(("[tool.poetry.group.\(group).dependencies]", dependencies))
        }
      }
    }
    for (place, table) in poetryTables {
      guard table.type == .table else { throw text.error("\(place) is not a table") }
      for (name, value) in entries(table) where name.lowercased() != "python" {
        guard let specifier = poetrySpecifier(value) else {
          throw text.error(
            "cannot read `\(name)` in \(place): expected a string, a table or an array of tables")
        }
        packages.append(DependencyPackage(name: name, version: specifier))
      }
    }
    return packages
  }

  /// A table's key-value pairs sorted by key; none when `value` is missing or not a table.
  private static func entries(_ value: TOMLValueConvertible?) -> [(String, TOMLValueConvertible)] {
    guard let table = value?.table else { return [] }
    return table.map { ($0.0, $0.1) }.sorted { $0.0 < $1.0 }
  }

  /// `"^1.2"`, `{ version = "^1.2" }`, `{ git = "…", tag = "v1" }`, `{ path = "…" }`, or an array of those joined by ` || `.
  private static func poetrySpecifier(_ value: TOMLValueConvertible) -> String? {
    if let specifier = value.string { return specifier }
    if let entries = value.table {
      if let version = entries["version"]?.string { return version }
      if let git = entries["git"]?.string {
        let ref = ["rev", "tag", "branch"].lazy.compactMap { entries[$0]?.string }.first
        return "git+" + git + (ref.map { "@" + $0 } ?? "")
      }
      if let path = entries["path"]?.string { return "path:" + path }
      if let url = entries["url"]?.string { return "url:" + url }
      return ""
    }
    if let items = value.array {
      let specifiers = items.compactMap(poetrySpecifier)
      return specifiers.count == items.count ? specifiers.joined(separator: " || ") : nil
    }
    return nil
  }

  private static func describe(_ value: TOMLValueConvertible) -> String {
    if let string = value.string { return "`\(string.prefix(60))`" }
    if let int = value.int { return "`\(int)`" }
    if let double = value.double { return "`\(double)`" }
    if let bool = value.bool { return "`\(bool)`" }
    return "(not a string)"
  }
}
