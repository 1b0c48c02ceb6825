import Foundation

/// Opens files that must be regular files (a Dockerfile, a `.dockerignore`, a lockfile) without
/// ever blocking on a FIFO or reading a device: the file is opened non-blocking, checked with
/// `fstat`, and refused when it is not a regular file.
enum RegularFile {
  /// Whether `path`, following symlinks, is a regular file.
  static func isRegular(_ path: String) -> Bool {
    var info = stat()
    return stat(path, &info) == 0 && (info.st_mode & S_IFMT) == S_IFREG
  }

  /// Whether something (a file, folder, FIFO, device or dangling symlink) is at `path`.
  static func exists(_ path: String) -> Bool {
    var info = stat()
    return lstat(path, &info) == 0
  }

  /// Opens `path` for reading, following symlinks. Throws ``BuildInputsError/notARegularFile(path:)``
  /// for a FIFO, device, socket or folder, and ``BuildInputsError/unreadable(path:reason:)`` when it
  /// cannot be opened.
  static func open(_ path: String) throws -> FileHandle {
    let fd = Foundation.open(path, O_RDONLY | O_NONBLOCK | O_NOCTTY | O_CLOEXEC)
    guard fd >= 0 else {
      let code = errno
      if code == ENOENT { throw BuildInputsError.fileNotFound(path: path) }
      throw BuildInputsError.unreadable(path: path, reason: String(cString: strerror(code)))
    }
    var info = stat()
    guard fstat(fd, &info) == 0, (info.st_mode & S_IFMT) == S_IFREG else {
      close(fd)
      throw BuildInputsError.notARegularFile(path: path)
    }
    _ = fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK)
    return FileHandle(fileDescriptor: fd, closeOnDealloc: true)
  }

  /// The first `limit` bytes of the regular file at `path`.
  static func read(_ path: String, limit: Int) throws -> Data {
    let handle = try open(path)
    defer { try? handle.close() }
    var data = Data()
    do {
      while data.count < limit,
        let chunk = try handle.read(upToCount: min(1 << 20, limit - data.count)), !chunk.isEmpty
      {
        data.append(chunk)
      }
    } catch {
      throw BuildInputsError.unreadable(path: path, reason: error.localizedDescription)
    }
    return data
  }
}
