import Foundation

#if canImport(Glibc)
  import Glibc
#elseif canImport(Musl)
  import Musl
#elseif canImport(Darwin)
  import Darwin
#endif

/// What a build would send as its context: file count, bytes and the biggest top-level entries.
public struct ContextSummary: Sendable, Equatable {
  /// One top-level file or directory of the context and what it contributes.
  public struct TopLevelEntry: Sendable, Equatable {
    /// The entry's name directly under the context directory.
    public var name: String
    /// Bytes sent for the entry (everything beneath it for a directory).
    public var bytes: Int64
    /// Files (non-directories) sent for the entry.
    public var files: Int

    /// Creates an entry.
    public init(name: String, bytes: Int64, files: Int) {
      self.name = name
      self.bytes = bytes
      self.files = files
    }
  }

  /// Files, symlinks and other non-directory entries sent.
  public var fileCount: Int
  /// Bytes sent: file sizes, symlink target lengths, each hard-linked file once.
  public var totalBytes: Int64
  /// The largest top-level entries, by bytes descending, at most `BuildContextScanner.topLevelLimit`.
  public var topLevel: [TopLevelEntry]
  /// Directories inside the context that could not be opened and were left out.
  public var unreadableDirectories: Int

  /// Creates a summary.
  public init(
    fileCount: Int, totalBytes: Int64, topLevel: [TopLevelEntry], unreadableDirectories: Int = 0
  ) {
    self.fileCount = fileCount
    self.totalBytes = totalBytes
    self.topLevel = topLevel
    self.unreadableDirectories = unreadableDirectories
  }
}

/// Walks a build context the way BuildKit sends it: `.dockerignore` applied, symlinks not followed.
public enum BuildContextScanner {
  /// How many top-level entries a summary lists.
  public static let topLevelLimit = 20

  /// Summarises `contextDirectory`; `alwaysIncluded` paths count even when excluded, as BuildKit sends them.
  /// `visit`, when given, sees every file sent: its context-relative path, full path and `lstat`.
  public static func scan(
    contextDirectory: URL,
    matcher: DockerignoreMatcher?,
    alwaysIncluded: [String] = ["Dockerfile", ".dockerignore"],
    visit: ((_ relativePath: String, _ fullPath: String, _ info: stat) -> Void)? = nil
  ) throws -> ContextSummary {
    let rootPath = contextDirectory.path
    var rootStat = stat()
    guard stat(rootPath, &rootStat) == 0, (rootStat.st_mode & S_IFMT) == S_IFDIR else {
      throw BuildInputsError.notADirectory(path: rootPath)
    }
    let activeMatcher = matcher.flatMap { $0.patterns.isEmpty ? nil : $0 }
    let forced = Set(alwaysIncluded.map(DockerignoreMatcher.normalize).filter { $0 != "." })
    var tally = Tally()
    var countedForced: Set<String> = []
    var stack = [Frame(path: Array(rootPath.utf8), relative: "", top: nil, state: nil)]
    var isRoot = true

    while let frame = stack.popLast() {
      let directory = (frame.path + [0]).withUnsafeBufferPointer { buffer in
        buffer.withMemoryRebound(to: CChar.self) { $0.baseAddress.flatMap { opendir($0) } }
      }
      guard let directory else {
        if isRoot {
          throw BuildInputsError.unreadable(
            path: rootPath, reason: String(cString: strerror(errno)))
        }
        tally.unreadableDirectories += 1
        continue
      }
      isRoot = false
      defer { closedir(directory) }
      let descriptor = dirfd(directory)
      while let entry = readdir(directory) {
        var info = stat()
        let nameBytes: [UInt8]? = withUnsafePointer(to: &entry.pointee.d_name) { tuple in
          tuple.withMemoryRebound(
            to: CChar.self, capacity: MemoryLayout.size(ofValue: entry.pointee.d_name)
          ) { cName in
            let length = strlen(cName)
            if length == 1, cName[0] == 0x2E { return nil }
            if length == 2, cName[0] == 0x2E, cName[1] == 0x2E { return nil }
            guard fstatat(descriptor, cName, &info, AT_SYMLINK_NOFOLLOW) == 0 else { return nil }
            return UnsafeRawBufferPointer(start: cName, count: length).map { $0 }
          }
        }
        guard let nameBytes else { continue }
        let name = String(decoding: nameBytes, as: UTF8.self)
        let top = frame.top ?? name
        let isDirectory = (info.st_mode & S_IFMT) == S_IFDIR
        var relative = ""
        var excluded = false
        var state: DockerignoreMatcher.WalkState?
        if activeMatcher != nil || visit != nil {
          relative = frame.relative.isEmpty ? name : frame.relative + "/" + name
        }
        if let activeMatcher {
          (excluded, state) = activeMatcher.decide(relative, parent: frame.state)
        }
        if isDirectory {
          if excluded, let activeMatcher, !activeMatcher.exceptionCouldMatchBeneath(relative) {
            continue
          }
          stack.append(
            Frame(
              path: frame.path + [UInt8(ascii: "/")] + nameBytes, relative: relative, top: top,
              state: state))
          continue
        }
        if excluded {
          guard forced.contains(relative) else { continue }
          countedForced.insert(relative)
        } else if activeMatcher != nil, forced.contains(relative) {
          countedForced.insert(relative)
        }
        tally.add(info, top: top)
        visit?(
          relative, String(decoding: frame.path + [UInt8(ascii: "/")] + nameBytes, as: UTF8.self),
          info)
      }
    }

    if activeMatcher != nil {
      for path in forced.subtracting(countedForced).sorted() {
        var info = stat()
        guard lstat(rootPath + "/" + path, &info) == 0, (info.st_mode & S_IFMT) != S_IFDIR else {
          continue
        }
        let top = String(path.prefix { $0 != "/" })
        tally.add(info, top: top)
        visit?(path, rootPath + "/" + path, info)
      }
    }
    return tally.summary(limit: topLevelLimit)
  }

  private struct Frame {
    var path: [UInt8]
    var relative: String
    var top: String?
    var state: DockerignoreMatcher.WalkState?
  }

  private struct InodeKey: Hashable {
    var device: UInt64
    var inode: UInt64
  }

  private struct Tally {
    var fileCount = 0
    var totalBytes: Int64 = 0
    var unreadableDirectories = 0
    var byTop: [String: ContextSummary.TopLevelEntry] = [:]
    var seenHardLinks: Set<InodeKey> = []

    mutating func add(_ info: stat, top: String) {
      let type = info.st_mode & S_IFMT
      var size: Int64 = 0
      if type == S_IFREG {
        size = Int64(info.st_size)
        if info.st_nlink > 1 {
          let key = InodeKey(
            device: UInt64(truncatingIfNeeded: info.st_dev),
            inode: UInt64(truncatingIfNeeded: info.st_ino))
          if !seenHardLinks.insert(key).inserted { size = 0 }
        }
      } else if type == S_IFLNK {
        size = Int64(info.st_size)
      }
      fileCount += 1
      totalBytes += size
      byTop[top, default: ContextSummary.TopLevelEntry(name: top, bytes: 0, files: 0)].bytes += size
      byTop[top, default: ContextSummary.TopLevelEntry(name: top, bytes: 0, files: 0)].files += 1
    }

    func summary(limit: Int) -> ContextSummary {
      let ranked = byTop.values.sorted {
        if $0.bytes != $1.bytes { return $0.bytes > $1.bytes }
        if $0.files != $1.files { return $0.files > $1.files }
        return $0.name < $1.name
      }
      return ContextSummary(
        fileCount: fileCount, totalBytes: totalBytes, topLevel: Array(ranked.prefix(limit)),
        unreadableDirectories: unreadableDirectories)
    }
  }
}
