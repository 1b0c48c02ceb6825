import BuildStore
import BuildtrailKit

/// The order `show` lists a build's steps in: the internal steps that load the definition, context
/// and metadata first; then each stage's steps by their index (`[deps 1/5]` … `[deps 5/5]`), a stage
/// after the stages it copies from or builds FROM (as the Dockerfile must declare them), otherwise in
/// the order its first step appears in the log; then the rest (exports, pushes) as the log printed
/// them. The log's own order interleaves parallel stages.
enum StepOrder {
  static func sorted(_ steps: [StoredStep]) -> [StoredStep] {
    var appearance: [String] = []
    var names: [String: String] = [:]
    var uses: [String: Set<String>] = [:]
    for step in steps where step.index != nil {
      let stage = Self.stage(of: step)
      if !appearance.contains(stage) { appearance.append(stage) }
      if let name = step.stage { names[name] = stage }
    }
    for step in steps where step.index != nil {
      let words = step.name.split(separator: " ")
      for (i, word) in words.enumerated() {
        let used =
          word.hasPrefix("--from=")
          ? String(word.dropFirst(7))
          : (word == "FROM" && i + 1 < words.count ? String(words[i + 1]) : nil)
        if let used, let other = names[used], other != Self.stage(of: step) {
          uses[Self.stage(of: step), default: []].insert(other)
        }
      }
    }
    var stageRank: [String: Int] = [:]
    var left = appearance
    while !left.isEmpty {
      let next =
        left.firstIndex { stage in (uses[stage] ?? []).allSatisfy { stageRank[$0] != nil } } ?? 0
      stageRank[left[next]] = stageRank.count
      left.remove(at: next)
    }
    func key(_ step: StoredStep) -> (Int, Int, Int, Int) {
      if step.kind == .internal, step.index == nil { return (0, 0, 0, step.position) }
      guard let index = step.index else { return (2, 0, 0, step.position) }
      return (1, stageRank[Self.stage(of: step)] ?? 0, index, step.position)
    }
    return steps.sorted { key($0) < key($1) }
  }

  private static func stage(of step: StoredStep) -> String {
    [step.service, step.platform, step.stage].map { $0 ?? "" }.joined(separator: "|")
  }
}
