import Crypto
import Foundation

/// What a cache input file is to the build.
public enum InputRole: String, Sendable, Codable, CaseIterable {
  /// The Dockerfile the build reads.
  case dockerfile
  /// The `.dockerignore` that filters the context.
  case dockerignore
  /// A lockfile pinning dependency versions (uv.lock, package-lock.json, go.sum, ...).
  case lockfile
  /// A dependency manifest (pyproject.toml, package.json, requirements*.txt, go.mod).
  case manifest
}

/// One file whose content decides whether a build's cached layers can be reused.
public struct InputFile: Sendable, Equatable {
  /// Slash-separated path relative to the repository root if given, else to the context directory.
  public var path: String
  /// What the file is to the build.
  public var role: InputRole
  /// Lowercase hex SHA-256 of the whole file.
  public var sha256: String
  /// The file's size in bytes.
  public var bytes: Int
  /// The file's bytes, nil when it is larger than the storage cap.
  public var content: Data?
  /// Whether `content` was left out because the file is larger than the storage cap.
  public var contentOmitted: Bool

  /// Creates an input file record.
  public init(
    path: String, role: InputRole, sha256: String, bytes: Int, content: Data?, contentOmitted: Bool
  ) {
    self.path = path
    self.role = role
    self.sha256 = sha256
    self.bytes = bytes
    self.content = content
    self.contentOmitted = contentOmitted
  }
}

/// Collects the files that decide a build's cache: Dockerfile, `.dockerignore`, lockfiles and manifests.
public enum CacheInputSnapshot {
  /// The largest file whose content is kept (8 MiB); bigger files keep only hash and size.
  public static let maxStoredBytes = 8 * 1024 * 1024
  /// Directories never searched for lockfiles.
  public static let skippedDirectoryNames: Set<String> = ["node_modules", ".venv", ".git"]

  private static let lockfileNames: Set<String> = [
    "uv.lock", "poetry.lock", "package-lock.json", "yarn.lock", "pnpm-lock.yaml", "Cargo.lock",
    "go.sum",
    "Gemfile.lock", "composer.lock",
  ]
  private static let manifestNames: Set<String> = ["pyproject.toml", "package.json", "go.mod"]

  /// The role of a lockfile or manifest by its file name, nil for other files.
  public static func role(forFileName name: String) -> InputRole? {
    if lockfileNames.contains(name) { return .lockfile }
    if manifestNames.contains(name) { return .manifest }
    if name.hasPrefix("requirements"), name.hasSuffix(".txt") { return .manifest }
    return nil
  }

  /// The `.dockerignore` BuildKit uses: `<Dockerfile>.dockerignore` beside the Dockerfile, else the context's.
  public static func dockerignoreURL(contextDirectory: URL, dockerfile: URL?) -> URL? {
    if let dockerfile {
      let specific = dockerfile.deletingLastPathComponent()
        .appendingPathComponent(dockerfile.lastPathComponent + ".dockerignore")
      if isRegularFile(specific, followingLinks: true) { return specific }
    }
    let general = contextDirectory.appendingPathComponent(".dockerignore")
    return isRegularFile(general, followingLinks: true) ? general : nil
  }

  /// Reads a build's Dockerfile (nil: stdin), `.dockerignore`, lockfiles and manifests, sorted by path.
  public static func collect(
    contextDirectory: URL,
    dockerfile: URL?,
    repositoryRoot: URL? = nil,
    maxStoredBytes: Int = maxStoredBytes
  ) throws -> [InputFile] {
    let context = contextDirectory.standardizedFileURL.resolvingSymlinksInPath()
    guard isDirectory(context) else {
      throw BuildInputsError.notADirectory(path: contextDirectory.path)
    }
    let base = repositoryRoot.map { $0.standardizedFileURL.resolvingSymlinksInPath() } ?? context

    var found: [(url: URL, role: InputRole)] = []
    var dockerfileDirectory: URL?
    if let dockerfile {
      guard isRegularFile(dockerfile, followingLinks: true) else {
        if RegularFile.exists(dockerfile.path) {
          throw BuildInputsError.notARegularFile(path: dockerfile.path)
        }
        throw BuildInputsError.fileNotFound(path: dockerfile.path)
      }
      found.append((resolved(dockerfile), .dockerfile))
      dockerfileDirectory = dockerfile.standardizedFileURL.deletingLastPathComponent()
        .resolvingSymlinksInPath()
    }
    var matcher: DockerignoreMatcher?
    if let ignoreFile = dockerignoreURL(contextDirectory: context, dockerfile: dockerfile) {
      found.append((resolved(ignoreFile), .dockerignore))
      matcher = try DockerignoreMatcher(contentsOf: ignoreFile)
    }

    var directories: [URL] = [context]
    if let dockerfileDirectory, dockerfileDirectory != context {
      directories.append(dockerfileDirectory)
    }
    for child in listing(context) where isDirectory(child) {
      let name = child.lastPathComponent
      if skippedDirectoryNames.contains(name) || matcher?.canSkipDirectory(name) == true {
        continue
      }
      directories.append(child)
    }
    for directory in directories {
      for file in listing(directory) {
        guard let role = role(forFileName: file.lastPathComponent),
          isRegularFile(file, followingLinks: false)
        else { continue }
        if let matcher, let inContext = containedPath(of: file, in: context),
          matcher.isExcluded(inContext)
        {
          continue
        }
        found.append((file, role))
      }
    }

    if let dockerfile {
      found += installedFiles(dockerfile: dockerfile, context: context, matcher: matcher)
    }

    var seen: Set<String> = []
    var inputs: [InputFile] = []
    for (url, role) in found where seen.insert(url.path).inserted {
      inputs.append(
        try read(
          url, role: role, path: relativePath(of: url, to: base), maxStoredBytes: maxStoredBytes))
    }
    return inputs.sorted { $0.path < $1.path }
  }

  /// The context files a RUN step of the Dockerfile installs from (`pip install -r requirements/worker.txt`,
  /// `-c constraints.txt`, a bind-mounted `uv.lock`), whatever their names: lockfiles unless named as manifests.
  private static func installedFiles(dockerfile: URL, context: URL, matcher: DockerignoreMatcher?)
    -> [(url: URL, role: InputRole)]
  {
    guard let data = try? RegularFile.read(dockerfile.path, limit: maxStoredBytes) else {
      return []
    }
    var found: [(url: URL, role: InputRole)] = []
    for installed in Dockerfile(text: String(decoding: data, as: UTF8.self)).installedFiles() {
      let path = installed.contextPaths.first { path in
        isRegularFile(context.appendingPathComponent(path), followingLinks: false)
          && matcher?.isExcluded(path) != true
      }
      guard let path else { continue }
      let name = (path as NSString).lastPathComponent
      found.append((context.appendingPathComponent(path), role(forFileName: name) ?? .lockfile))
    }
    return found
  }

  private static func read(_ url: URL, role: InputRole, path: String, maxStoredBytes: Int) throws
    -> InputFile
  {
    let handle = try RegularFile.open(url.path)
    defer { try? handle.close() }
    do {
      var hasher = SHA256()
      var stored = Data()
      var total = 0
      var omitted = false
      while let chunk = try handle.read(upToCount: 1 << 20), !chunk.isEmpty {
        hasher.update(data: chunk)
        total += chunk.count
        if !omitted {
          if total > maxStoredBytes {
            omitted = true
            stored = Data()
          } else {
            stored.append(chunk)
          }
        }
      }
      let digest = hasher.finalize()
      return InputFile(
        path: path, role: role, sha256: hexString(digest), bytes: total,
        content: omitted ? nil : stored,
        contentOmitted: omitted)
    } catch {
      throw BuildInputsError.unreadable(path: url.path, reason: error.localizedDescription)
    }
  }

  private static func listing(_ directory: URL) -> [URL] {
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    return names.sorted().map { directory.appendingPathComponent($0) }
  }

  private static func isDirectory(_ url: URL) -> Bool {
    let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
    return attributes?[.type] as? FileAttributeType == .typeDirectory
  }

  private static func isRegularFile(_ url: URL, followingLinks: Bool) -> Bool {
    if followingLinks { return RegularFile.isRegular(url.path) }
    let attributes = try? FileManager.default.attributesOfItem(atPath: url.path)
    return attributes?[.type] as? FileAttributeType == .typeRegular
  }

  /// The URL with its directory's symlinks resolved, leaving the last component as named.
  private static func resolved(_ url: URL) -> URL {
    let standardized = url.standardizedFileURL
    let parent = standardized.deletingLastPathComponent().resolvingSymlinksInPath()
    if standardized.path == "/" { return standardized }
    return parent.appendingPathComponent(standardized.lastPathComponent)
  }

  private static func containedPath(of file: URL, in directory: URL) -> String? {
    let path = relativePath(of: file, to: directory)
    return path == ".." || path.hasPrefix("../") ? nil : path
  }

  private static func relativePath(of file: URL, to base: URL) -> String {
    let fileParts = file.pathComponents
    let baseParts = base.pathComponents
    var common = 0
    while common < fileParts.count, common < baseParts.count, fileParts[common] == baseParts[common]
    {
      common += 1
    }
    let ups = [String](repeating: "..", count: baseParts.count - common)
    return (ups + fileParts[common...]).joined(separator: "/")
  }
}
