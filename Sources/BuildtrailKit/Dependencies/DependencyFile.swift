import Foundation

/// A lockfile or manifest format whose package list `DependencyFile` can read.
public enum DependencyFileKind: String, Sendable, Codable, CaseIterable {
  /// uv's TOML lockfile.
  case uvLock = "uv.lock"
  /// Poetry's TOML lockfile.
  case poetryLock = "poetry.lock"
  /// pip requirements, any `requirements*.txt`.
  case requirements = "requirements.txt"
  /// PEP 621 `[project]`, `[dependency-groups]` and Poetry tables.
  case pyproject = "pyproject.toml"
  /// npm's lockfile, versions 1 to 3.
  case packageLock = "package-lock.json"
  /// Yarn's lockfile, classic (v1) and berry.
  case yarnLock = "yarn.lock"
  /// pnpm's lockfile, versions 5 to 9.
  case pnpmLock = "pnpm-lock.yaml"
  /// npm's manifest.
  case packageJSON = "package.json"
  /// Cargo's lockfile.
  case cargoLock = "Cargo.lock"
  /// Go's checksum file.
  case goSum = "go.sum"
  /// Go's module file.
  case goMod = "go.mod"
  /// Bundler's lockfile.
  case gemfileLock = "Gemfile.lock"
  /// Composer's lockfile.
  case composerLock = "composer.lock"

  /// From a path's file name (`backend/requirements-dev.txt` → .requirements); nil when not a dependency file.
  public static func from(path: String) -> DependencyFileKind? {
    let name = path.split(whereSeparator: { $0 == "/" || $0 == "\\" }).last.map(String.init) ?? path
    if let kind = DependencyFileKind(rawValue: name) { return kind }
    if name.hasPrefix("requirements"), name.hasSuffix(".txt") { return .requirements }
    return nil
  }

  /// Lockfiles pin exact versions; manifests declare specifiers.
  public var isLockfile: Bool {
    switch self {
    case .requirements, .pyproject, .packageJSON, .goMod: return false
    case .uvLock, .poetryLock, .packageLock, .yarnLock, .pnpmLock, .cargoLock, .goSum, .gemfileLock,
      .composerLock:
      return true
    }
  }

  /// The name as its ecosystem compares it: PEP 503 for Python, lowercase for Composer, as written elsewhere.
  func normalizedName(_ name: String) -> String {
    switch self {
    case .uvLock, .poetryLock, .requirements, .pyproject: return DependencyFile.pep503(name)
    case .composerLock: return name.lowercased()
    case .packageLock, .yarnLock, .pnpmLock, .packageJSON, .cargoLock, .goSum, .goMod, .gemfileLock:
      return name
    }
  }
}

/// One package as a dependency file states it: exact version for lockfiles, the specifier for manifests (`>=0.110`, `^4.17.1`).
public struct DependencyPackage: Sendable, Equatable, Codable {
  /// The package name, normalised for its ecosystem.
  public var name: String
  /// The pinned version, or the specifier as written; empty when the file states none.
  public var version: String

  /// Creates a package entry.
  public init(name: String, version: String) {
    self.name = name
    self.version = version
  }
}

/// One difference between two versions of a dependency file.
public struct DependencyChange: Sendable, Equatable, Codable {
  /// How a package changed.
  public enum Kind: String, Sendable, Codable {
    case added, removed, upgraded, downgraded, changed
  }

  /// How the package changed.
  public var kind: Kind
  /// The package name.
  public var name: String
  /// The version or specifier before; nil when added.
  public var old: String?
  /// The version or specifier after; nil when removed.
  public var new: String?

  /// Creates a change.
  public init(kind: Kind, name: String, old: String?, new: String?) {
    self.kind = kind
    self.name = name
    self.old = old
    self.new = new
  }

  /// `fastapi 0.110.0 → 0.111.0`, `+httpx 0.27.0`, `-requests 2.31.0`.
  public var summary: String {
    switch kind {
    case .added: return "+" + Self.label(name, new)
    case .removed: return "-" + Self.label(name, old)
    case .upgraded, .downgraded, .changed:
      return "\(name) \(Self.shown(old)) → \(Self.shown(new))"
    }
  }

  private static func label(_ name: String, _ version: String?) -> String {
    guard let version, !version.isEmpty else { return name }
    return "\(name) \(version)"
  }

  private static func shown(_ version: String?) -> String {
    guard let version, !version.isEmpty else { return "(any)" }
    return version
  }
}

/// A dependency file that cannot be read: the path, the line when known, and why.
public struct DependencyFileError: Error, LocalizedError, Equatable {
  /// The file as the caller named it.
  public var path: String
  /// The 1-based line the problem was found on, when known.
  public var line: Int?
  /// One line saying what is wrong.
  public var reason: String

  /// Creates an error.
  public init(path: String, line: Int?, reason: String) {
    self.path = path
    self.line = line
    self.reason = reason
  }

  /// `path:line: reason`.
  public var errorDescription: String? {
    if let line { return "\(path):\(line): \(reason)" }
    return "\(path): \(reason)"
  }
}

/// Reads dependency files into package lists and compares them.
public enum DependencyFile {
  /// The largest dependency file read (16 MiB); larger ones are an error, not parsed.
  public static let maximumBytes = 16 << 20

  /// The packages a file states, sorted by name; names normalised per ecosystem (PEP 503 for Python: lowercase, runs of `-_.` → `-`); empty or blank data gives [], binary data and files over ``maximumBytes`` throw.
  public static func packages(in data: Data, kind: DependencyFileKind, path: String) throws
    -> [DependencyPackage]
  {
    guard data.count <= maximumBytes else {
      throw DependencyFileError(
        path: path, line: nil,
        reason: "\(data.count) bytes, over the \(maximumBytes >> 20) MiB buildtrail reads")
    }
    return try DependencyPackageCache.shared.packages(data, kind: kind) {
      try read(data, kind: kind, path: path)
    }
  }

  private static func read(_ data: Data, kind: DependencyFileKind, path: String) throws
    -> [DependencyPackage]
  {
    guard let text = try Text(data: data, path: path) else { return [] }
    let found: [DependencyPackage]
    switch kind {
    case .uvLock: found = try tomlLockPackages(text, versionRequired: false)
    case .poetryLock, .cargoLock: found = try tomlLockPackages(text, versionRequired: true)
    case .requirements: found = try requirementsPackages(text)
    case .pyproject: found = try pyprojectPackages(text)
    case .packageLock: found = try packageLockPackages(text)
    case .yarnLock: found = try yarnLockPackages(text)
    case .pnpmLock: found = try pnpmLockPackages(text)
    case .packageJSON: found = try packageJSONPackages(text)
    case .goSum: found = try goSumPackages(text)
    case .goMod: found = try goModPackages(text)
    case .gemfileLock: found = try gemfileLockPackages(text)
    case .composerLock: found = try composerLockPackages(text)
    }
    return sortedUnique(
      found.map { DependencyPackage(name: kind.normalizedName($0.name), version: $0.version) })
  }

  /// What changed between two versions of a file: added, removed, upgraded/downgraded (by version comparison), changed (specifier changes or incomparable versions); sorted by kind then name.
  public static func diff(old: [DependencyPackage], new: [DependencyPackage]) -> [DependencyChange]
  {
    let before = Dictionary(grouping: old, by: \.name).mapValues { Set($0.map(\.version)) }
    let after = Dictionary(grouping: new, by: \.name).mapValues { Set($0.map(\.version)) }
    var changes: [DependencyChange] = []
    for name in Set(before.keys).union(after.keys) {
      let oldVersions = before[name] ?? []
      let newVersions = after[name] ?? []
      // Several versions of one name: pair vanished and new versions from the highest down.
      let gone = sortedVersions(oldVersions.subtracting(newVersions)).reversed()
      let came = sortedVersions(newVersions.subtracting(oldVersions)).reversed()
      for (from, to) in zip(gone, came) {
        changes.append(DependencyChange(kind: changeKind(from, to), name: name, old: from, new: to))
      }
      for from in gone.dropFirst(came.count) {
        changes.append(DependencyChange(kind: .removed, name: name, old: from, new: nil))
      }
      for to in came.dropFirst(gone.count) {
        changes.append(DependencyChange(kind: .added, name: name, old: nil, new: to))
      }
    }
    return changes.sorted { a, b in
      if a.kind != b.kind { return rank(a.kind) < rank(b.kind) }
      if a.name != b.name { return a.name < b.name }
      return versionPrecedes(a.old ?? a.new ?? "", b.old ?? b.new ?? "")
    }
  }

  private static func rank(_ kind: DependencyChange.Kind) -> Int {
    switch kind {
    case .added: return 0
    case .removed: return 1
    case .upgraded: return 2
    case .downgraded: return 3
    case .changed: return 4
    }
  }

  private static func changeKind(_ old: String, _ new: String) -> DependencyChange.Kind {
    guard VersionOrder.isVersion(old), VersionOrder.isVersion(new) else { return .changed }
    switch VersionOrder.compare(old, new) {
    case .orderedAscending: return .upgraded
    case .orderedDescending: return .downgraded
    case .orderedSame: return .changed
    }
  }

  private static func sortedVersions(_ versions: Set<String>) -> [String] {
    versions.sorted(by: versionPrecedes)
  }

  private static func versionPrecedes(_ a: String, _ b: String) -> Bool {
    switch VersionOrder.compare(a, b) {
    case .orderedAscending: return true
    case .orderedDescending: return false
    case .orderedSame: return a < b
    }
  }

  static func sortedUnique(_ packages: [DependencyPackage]) -> [DependencyPackage] {
    var seen = Set<String>()
    let unique = packages.filter { seen.insert($0.name + "\u{0}" + $0.version).inserted }
    return unique.sorted { a, b in
      if a.name != b.name { return a.name < b.name }
      return versionPrecedes(a.version, b.version)
    }
  }

  /// PEP 503: lowercase, every run of `-`, `_` and `.` becomes one `-`.
  static func pep503(_ name: String) -> String {
    var out = ""
    var inRun = false
    for ch in name.lowercased() {
      if ch == "-" || ch == "_" || ch == "." {
        if !inRun { out.append("-") }
        inRun = true
      } else {
        out.append(ch)
        inRun = false
      }
    }
    return out
  }
}
