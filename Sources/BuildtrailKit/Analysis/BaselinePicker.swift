import BuildStore
import Foundation

/// Picks a build's baseline among the earlier successful builds of one branch and target. When no target
/// was recorded, only builds of the same stages count (a `--target api` build is no baseline for a
/// `--target worker` build of the same Dockerfile); on another branch, the latest build whose commit is an
/// ancestor of this build's is preferred (the branch point, not the branch's later commits).
struct BaselinePicker {
  var store: BuildStore
  var build: BuildDetail
  var git: GitHistory?

  /// How many earlier builds are looked through.
  static let searchLimit = 200
  /// How many of them are checked for ancestry with git.
  static let ancestryLimit = 20

  /// The chosen build, and in words what set it apart from the latest candidate when something did.
  struct Choice {
    var build: BuildDetail
    /// `the same stages (base, worker; no target recorded)` when builds of other stages were passed over.
    var stages: String?
    /// Later builds whose commits are not ancestors of this build's were passed over.
    var isAncestor: Bool
  }

  /// The latest earlier successful build of `branch` and `target` that qualifies, if any.
  func pick(branch: String?, target: String?, preferAncestor: Bool) throws -> Choice? {
    var candidates = try store.baselineCandidates(
      before: build.summary.id, branch: branch, target: target, service: build.summary.service,
      limit: Self.searchLimit)
    var stageWords: String?
    if target == nil {
      let stages = Self.stages(of: build.steps)
      if !stages.isEmpty {
        let steps = try store.steps(ofBuilds: candidates.map(\.id))
        let same = candidates.filter { Self.stages(of: steps[$0.id] ?? []) == stages }
        if same.first?.id != candidates.first?.id {
          stageWords =
            "the same stages (\(stages.sorted().joined(separator: ", ")); no target recorded)"
        }
        candidates = same
      }
    }
    var chosen = candidates.first
    var isAncestor = false
    if preferAncestor, let git, let commit = build.summary.commit,
      let ancestor = candidates.prefix(Self.ancestryLimit).first(where: { candidate in
        candidate.commit.map { git.isAncestor($0, of: commit) } ?? false
      })
    {
      isAncestor = ancestor.id != chosen?.id
      chosen = ancestor
    }
    guard let chosen, let detail = try store.build(id: chosen.id) else { return nil }
    return Choice(build: detail, stages: stageWords, isAncestor: isAncestor)
  }

  /// The stage names of a build's Dockerfile steps, as the log prints them.
  static func stages(of steps: [StoredStep]) -> Set<String> {
    Set(steps.filter { $0.kind.isDockerfileStep }.compactMap(\.stage))
  }
}
