import Foundation

/// Compares two versions of a Dockerfile: which instructions were added, removed, changed or moved, per stage.
public enum DockerfileDiff {
  /// One difference between the two versions.
  public struct Change: Sendable, Equatable {
    /// What happened to the instruction.
    public enum Kind: String, Sendable {
      /// Only in the new version.
      case added
      /// Only in the old version.
      case removed
      /// Same keyword and place, different text (flags, arguments or heredoc bodies).
      case changed
      /// The same text at another place relative to the instructions around it.
      case moved
    }

    /// What happened.
    public var kind: Kind
    /// The stage's display name (the new one, or the old one for a removed stage).
    public var stage: String
    /// The instruction in the old version (nil when added).
    public var old: Instruction?
    /// The instruction in the new version (nil when removed).
    public var new: Instruction?

    /// Creates a change.
    public init(kind: Kind, stage: String, old: Instruction?, new: Instruction?) {
      self.kind = kind
      self.stage = stage
      self.old = old
      self.new = new
    }
  }

  /// The changes from `old` to `new`: global ARGs first (stage `""`), then stage by stage in the new file's order,
  /// then the stages that were removed. Stages are paired by name; unnamed stages by their order among unnamed stages.
  public static func changes(from old: Dockerfile, to new: Dockerfile) -> [Change] {
    var result: [Change] = []
    var pairedOld: Set<Int> = []
    let oldUnnamed = old.stages.filter { $0.name == nil }
    var unnamedSeen = 0
    for stage in new.stages {
      var counterpart: Stage?
      if let name = stage.name {
        counterpart = old.stages.first { $0.name == name && !pairedOld.contains($0.index) }
      } else {
        if unnamedSeen < oldUnnamed.count { counterpart = oldUnnamed[unnamedSeen] }
        unnamedSeen += 1
      }
      if let counterpart {
        pairedOld.insert(counterpart.index)
        result += diff(counterpart.instructions, stage.instructions, stage: stage.displayName)
      } else {
        result += stage.instructions.map {
          Change(kind: .added, stage: stage.displayName, old: nil, new: $0)
        }
      }
    }
    for stage in old.stages where !pairedOld.contains(stage.index) {
      result += stage.instructions.map {
        Change(kind: .removed, stage: stage.displayName, old: $0, new: nil)
      }
    }
    return diff(old.globalArgs, new.globalArgs, stage: "") + result
  }

  /// What makes two instructions the same: keyword, arguments as joined, heredoc bodies.
  static func key(_ instruction: Instruction) -> String {
    ([instruction.keyword, instruction.arguments] + instruction.heredocs.map(\.body)).joined(
      separator: "\u{0}")
  }

  /// Instruction-level diff: a longest common subsequence anchors the unchanged ones; of the rest, equal texts
  /// are moves, and same-keyword pairs between the same anchors are edits.
  static func diff(_ old: [Instruction], _ new: [Instruction], stage: String) -> [Change] {
    let a = old.map(key)
    let b = new.map(key)
    let anchors = commonSubsequence(a, b)
    var oldLeft = Set(a.indices).subtracting(anchors.map(\.old))
    var newLeft = Set(b.indices).subtracting(anchors.map(\.new))
    var pairs: [(kind: Change.Kind, old: Int, new: Int)] = []
    var oldByKey: [String: [Int]] = [:]
    for o in oldLeft.sorted() { oldByKey[a[o], default: []].append(o) }
    for n in newLeft.sorted() {
      if var candidates = oldByKey[b[n]], !candidates.isEmpty {
        let o = candidates.removeFirst()
        oldByKey[b[n]] = candidates
        pairs.append((.moved, o, n))
        oldLeft.remove(o)
        newLeft.remove(n)
      }
    }
    let remainingOld = oldLeft.sorted()
    for n in newLeft.sorted() {
      let before = anchors.last(where: { $0.new < n })?.old ?? -1
      let after = anchors.first(where: { $0.new > n })?.old ?? a.count
      if let o = remainingOld.first(where: {
        $0 > before && $0 < after && oldLeft.contains($0) && old[$0].keyword == new[n].keyword
      }) {
        pairs.append((.changed, o, n))
        oldLeft.remove(o)
        newLeft.remove(n)
      }
    }
    var ordered: [(position: Double, change: Change)] = []
    for pair in pairs {
      ordered.append(
        (
          Double(pair.new),
          Change(kind: pair.kind, stage: stage, old: old[pair.old], new: new[pair.new])
        ))
    }
    for n in newLeft {
      ordered.append((Double(n), Change(kind: .added, stage: stage, old: nil, new: new[n])))
    }
    for o in oldLeft {
      let position =
        Double(anchors.last(where: { $0.old < o })?.new ?? -1) + 0.5 + Double(o)
        / Double(a.count + 1) / 2
      ordered.append((position, Change(kind: .removed, stage: stage, old: old[o], new: nil)))
    }
    return ordered.sorted { $0.position < $1.position }.map(\.change)
  }

  /// The anchors of a longest common subsequence of `a` and `b` (common prefix and suffix first, so that large
  /// files with local edits stay cheap; a middle too large for the table is left unanchored).
  static func commonSubsequence(_ a: [String], _ b: [String]) -> [(old: Int, new: Int)] {
    var prefix = 0
    while prefix < a.count, prefix < b.count, a[prefix] == b[prefix] { prefix += 1 }
    var suffix = 0
    while suffix < a.count - prefix, suffix < b.count - prefix,
      a[a.count - 1 - suffix] == b[b.count - 1 - suffix]
    {
      suffix += 1
    }
    var anchors = (0..<prefix).map { (old: $0, new: $0) }
    let midA = Array(a[prefix..<(a.count - suffix)])
    let midB = Array(b[prefix..<(b.count - suffix)])
    if !midA.isEmpty, !midB.isEmpty, midA.count * midB.count <= 4_000_000 {
      var lengths = Array(
        repeating: Array(repeating: 0, count: midB.count + 1), count: midA.count + 1)
      for i in stride(from: midA.count - 1, through: 0, by: -1) {
        for j in stride(from: midB.count - 1, through: 0, by: -1) {
          lengths[i][j] =
            midA[i] == midB[j]
            ? lengths[i + 1][j + 1] + 1 : max(lengths[i + 1][j], lengths[i][j + 1])
        }
      }
      var i = 0
      var j = 0
      while i < midA.count && j < midB.count {
        if midA[i] == midB[j] {
          anchors.append((prefix + i, prefix + j))
          i += 1
          j += 1
        } else if lengths[i][j + 1] >= lengths[i + 1][j] {
          j += 1
        } else {
          i += 1
        }
      }
    }
    anchors += (0..<suffix).reversed().map { (old: a.count - 1 - $0, new: b.count - 1 - $0) }
    return anchors
  }
}
