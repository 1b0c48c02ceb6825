import Foundation

extension CauseFinder {
  /// How to read a context file's packages: by its name (`uv.lock`, `requirements-dev.txt`), else because a
  /// RUN step of the Dockerfile installs from it (`pip install -r requirements/worker.txt`, `-c constraints.txt`).
  func dependencyKind(of contextPath: String) -> DependencyFileKind? {
    if let kind = DependencyFileKind.from(path: contextPath) { return kind }
    return dockerfile?.installedFiles().first { $0.contextPaths.contains(contextPath) }?.file.kind
  }
}
