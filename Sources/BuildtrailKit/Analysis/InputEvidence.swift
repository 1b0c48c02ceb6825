import BuildStore
import Foundation

/// The two builds' inputs: file contents at each build and the context files that changed between
/// them, from git when both commits are in the clone, else from the snapshots recorded at build time.
struct InputEvidence {
  var source: CacheExplanation.EvidenceSource
  var commits: [GitHistory.Commit]
  var notes: [String]
  private var git: GitHistory?
  private let before: BuildDetail
  private let after: BuildDetail
  private let store: BuildStore
  /// Context-relative paths of changed files; nil when unknown.
  private(set) var changedContextFiles: [String]?

  init(store: BuildStore, before: BuildDetail, after: BuildDetail, environment: [String: String]) {
    self.store = store
    self.before = before
    self.after = after
    notes = []
    commits = []
    source = .none
    if let root = after.git?.root, let a = before.git?.commit, let b = after.git?.commit,
      FileManager.default.fileExists(atPath: root)
    {
      do {
        let history = try GitHistory(root: URL(fileURLWithPath: root), environment: environment)
        if history.contains(a) && history.contains(b) {
          git = history
          source = .git
          commits = (try? history.commits(from: a, to: b)) ?? []
        } else {
          let missing = history.contains(a) ? b : a
          notes.append(
            "commit \(missing.prefix(12)) is not in the clone at \(root) (a shallow clone?); using the inputs recorded with the builds"
          )
        }
      } catch {
        notes.append(
          ((error as? LocalizedError)?.errorDescription ?? "\(error)")
            + "; using the inputs recorded with the builds")
      }
    } else if before.git?.commit != nil,
      after.git?.root == nil
        || after.git?.root.map({ !FileManager.default.fileExists(atPath: $0) }) == true
    {
      notes.append(
        "the clone the build was recorded in is not here; using the inputs recorded with the builds"
      )
    }
    if source == .none,
      !after.inputs.isEmpty || (try? store.contextManifest(buildID: after.summary.id)) != nil
    {
      source = .snapshots
    }
    changedContextFiles = computeChangedFiles()
  }

  /// `path` relative to the context → relative to the repository root, as snapshots and git name files.
  func repositoryPath(_ contextRelative: String) -> String {
    guard let context = after.context?.path, context != ".", !context.hasPrefix("/") else {
      return contextRelative
    }
    return context + "/" + contextRelative
  }

  /// What the file held at the older / newer build; nil when absent or unknown.
  func content(_ repositoryPath: String, atNewer newer: Bool) -> Data? {
    let build = newer ? after : before
    if let git, let commit = build.git?.commit {
      return git.content(of: repositoryPath, at: commit)
    }
    guard let input = build.inputs.first(where: { $0.path == repositoryPath }) else { return nil }
    return try? store.inputContent(sha256: input.sha256)
  }

  /// Whether the file is known at both builds (so a nil means "did not exist" rather than "not recorded").
  func isTracked(_ repositoryPath: String) -> Bool {
    if git != nil { return true }
    return after.inputs.contains { $0.path == repositoryPath }
      || before.inputs.contains { $0.path == repositoryPath }
  }

  private func computeChangedFiles() -> [String]? {
    if let git, let a = before.git?.commit, let b = after.git?.commit {
      guard let files = try? git.changedFiles(from: a, to: b) else { return nil }
      let prefix =
        after.context.map { $0.path == "." || $0.path.hasPrefix("/") ? "" : $0.path + "/" } ?? ""
      let inContext = files.compactMap {
        $0.hasPrefix(prefix) ? String($0.dropFirst(prefix.count)) : nil
      }
      // What `.dockerignore` keeps out of the context cannot have missed the cache (it still counts itself).
      let ignorePath =
        after.inputs.first { $0.role == .dockerignore }?.path ?? repositoryPath(".dockerignore")
      guard let ignore = git.content(of: ignorePath, at: b) else { return inContext }
      let matcher = DockerignoreMatcher(text: String(decoding: ignore, as: UTF8.self))
      return inContext.filter { $0 == ".dockerignore" || !matcher.isExcluded($0) }
    }
    guard let newer = try? store.contextManifest(buildID: after.summary.id),
      let older = try? store.contextManifest(buildID: before.summary.id)
    else { return nil }
    return ContextManifest(text: String(decoding: newer, as: UTF8.self))
      .changedPaths(since: ContextManifest(text: String(decoding: older, as: UTF8.self)))
  }
}
