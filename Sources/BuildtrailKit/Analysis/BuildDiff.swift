import BuildLog
import BuildStore
import Foundation

/// Two builds side by side: steps matched by their stable key, with status changes, duration deltas,
/// steps added and removed, context size, base image digests and cache inputs.
public struct BuildDiff: Sendable, Codable {
  /// How one step differs between the two builds.
  public enum Change: String, Sendable, Codable {
    /// Cached before, executed now.
    case lostCache = "lost-cache"
    /// Executed before, cached now.
    case gainedCache = "gained-cache"
    /// Failed now, not before.
    case failed
    /// Same status both times.
    case same
    /// Only in the newer build.
    case added
    /// Only in the older build.
    case removed
  }

  /// One step matched across the two builds by its key.
  public struct StepDelta: Sendable, Codable {
    /// The step's stable key (StoredStep/key).
    public var key: String
    /// The step in the older build; nil when added.
    public var before: StoredStep?
    /// The step in the newer build; nil when removed.
    public var after: StoredStep?
    /// How its status changed.
    public var change: Change
    /// The step's name in the newer build, else in the older.
    public var name: String { after?.name ?? before?.name ?? key }
    /// Seconds more (positive) or less in the newer build; executed steps only.
    public var secondsDelta: Double {
      (after?.durationSeconds ?? 0) - (before?.durationSeconds ?? 0)
    }
  }

  /// A base image whose digest differs, or that only one build has.
  public struct BaseImageChange: Sendable, Codable, Equatable {
    /// The image reference as written after FROM.
    public var reference: String
    /// Its digest in the older build; nil when absent or unknown.
    public var before: String?
    /// Its digest in the newer build; nil when absent or unknown.
    public var after: String?
  }

  /// A cache input whose content differs, or that only one build has.
  public struct InputChange: Sendable, Codable, Equatable {
    /// The file's path as recorded.
    public var path: String
    /// The InputFact/Role raw value: `dockerfile`, `dockerignore`, `lockfile`, `manifest`.
    public var role: String
    /// Its SHA-256 in the older build; nil when absent.
    public var before: String?
    /// Its SHA-256 in the newer build; nil when absent.
    public var after: String?
  }

  /// The older build.
  public var before: BuildDetail
  /// The newer build.
  public var after: BuildDetail
  /// The newer build's steps in its order, then the steps only the older had.
  public var steps: [StepDelta]
  /// The base images that changed, by reference.
  public var baseImages: [BaseImageChange]
  /// The cache inputs that changed, by path.
  public var inputs: [InputChange]

  /// Compares `before` with `after`.
  public init(before: BuildDetail, after: BuildDetail) {
    self.before = before
    self.after = after
    var old: [String: StoredStep] = [:]
    for s in before.steps { old[s.key] = s }
    var deltas: [StepDelta] = []
    for s in after.steps {
      let b = old.removeValue(forKey: s.key)
      deltas.append(StepDelta(key: s.key, before: b, after: s, change: Self.change(from: b, to: s)))
    }
    for s in before.steps where old[s.key] != nil {
      deltas.append(StepDelta(key: s.key, before: s, after: nil, change: .removed))
    }
    steps = deltas

    var images: [BaseImageChange] = []
    let oldImages = Dictionary(
      before.baseImages.map { ($0.reference, $0.digest) }, uniquingKeysWith: { a, _ in a })
    let newImages = Dictionary(
      after.baseImages.map { ($0.reference, $0.digest) }, uniquingKeysWith: { a, _ in a })
    for reference in Set(oldImages.keys).union(newImages.keys).sorted() {
      let b = oldImages[reference] ?? nil
      let a = newImages[reference] ?? nil
      if b != a || oldImages[reference] == nil || newImages[reference] == nil {
        images.append(BaseImageChange(reference: reference, before: b, after: a))
      }
    }
    baseImages = images

    var changes: [InputChange] = []
    let oldInputs = Dictionary(before.inputs.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    let newInputs = Dictionary(after.inputs.map { ($0.path, $0) }, uniquingKeysWith: { a, _ in a })
    for path in Set(oldInputs.keys).union(newInputs.keys).sorted() {
      let b = oldInputs[path]
      let a = newInputs[path]
      if b?.sha256 != a?.sha256 {
        changes.append(
          InputChange(
            path: path, role: (a ?? b)?.role.rawValue ?? "", before: b?.sha256, after: a?.sha256))
      }
    }
    inputs = changes
  }

  static func change(from before: StoredStep?, to after: StoredStep) -> Change {
    guard let before else { return .added }
    if after.status == .error && before.status != .error { return .failed }
    if before.status == .cached && after.status.ranOrFailed { return .lostCache }
    if before.status.ranOrFailed && after.status == .cached { return .gainedCache }
    return .same
  }

  /// Wall (or summed) seconds more in the newer build.
  public var secondsDelta: Double { after.summary.seconds - before.summary.seconds }
}
