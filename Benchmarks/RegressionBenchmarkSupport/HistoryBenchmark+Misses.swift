import BuildtrailKit
import Foundation

/// What the history benchmark missed and what it reported wrongly, one line each, to see which rule loses them.
extension HistoryBenchmark {
  /// An injected regression that no reported point matched, or a reported point that matched none.
  public struct Miss: Sendable, Equatable {
    /// `true` for an injected regression left unmatched, `false` for a false alarm.
    public var isMissed: Bool
    public var history: Int
    public var kind: Regression.Kind
    public var position: Int
    /// One line: the series, its place in the layout and history, the shift's size, and the points nearby.
    public var detail: String
  }

  /// The misses and false alarms of `scenario`'s first `histories` histories for run `seed`.
  public static func misses(_ scenario: Scenario, seed: UInt64) -> [Miss] {
    var settings = RegressionSearch.Settings()
    settings.attributes = scenario.attributes
    let name = scenario.model == Model() ? "close shifts" : scenario.name
    var result: [Miss] = []
    for index in 0..<scenario.histories {
      let item = history(scenario.model, name: name, index: index, seed: seed)
      let points = RegressionSearch.run(item.builds, settings: settings)
      result += misses(points, history: item, index: index)
    }
    return result
  }

  static func label(_ kind: Regression.Kind, _ key: String?) -> String {
    "\(kind.rawValue) \(key ?? "")"
  }

  static func misses(_ points: [RegressionSearch.Point], history: History, index: Int) -> [Miss] {
    let reported = points.filter { $0.key != nil || ($0.explainedBy?.isEmpty ?? true) }
    var detected: [String: [Int]] = [:]
    var injected: [String: [Int]] = [:]
    for point in reported {
      detected[label(point.kind, point.key), default: []].append(point.position)
    }
    for t in history.truth { injected[label(t.kind, t.key), default: []].append(t.position) }
    let builds = history.builds
    let truths = history.truth.map { "\($0.kind.rawValue)@\($0.position)" }.joined(separator: " ")
    var result: [Miss] = []
    for name in Set(detected.keys).union(injected.keys).sorted() {
      let found = detected[name] ?? []
      let wanted = injected[name] ?? []
      let pairs = RegressionBenchmark.matches(detected: found, injected: wanted)
      let kind = Regression.Kind(rawValue: String(name.prefix { $0 != " " })) ?? .duration
      let key = name.drop { $0 != " " }.dropFirst()
      let step = key.isEmpty ? "total" : String(key.prefix { $0 != "]" }) + "]"
      let near = points.filter { abs($0.position - (wanted.first ?? found.first ?? 0)) <= 40 }
        .map { p in
          let tag = p.key.map { String($0.prefix { $0 != "]" }) + "]" } ?? "total"
          let explained = p.explainedBy.map { $0.isEmpty ? " unexplained" : " explained" } ?? ""
          return "\(p.kind.rawValue)[\(tag)]@\(p.position)\(explained)"
        }
        .joined(separator: " ")
      func report(_ missed: Bool, _ position: Int) {
        let size = shiftSize(kind, key.isEmpty ? nil : String(key), at: position, builds: builds)
        let other = missed ? "found in series: \(found)" : "injected in series: \(wanted)"
        result.append(
          Miss(
            isMissed: missed, history: index, kind: kind, position: position,
            detail:
              "\(missed ? "MISS" : "FALSE") h\(index) n=\(builds.count) \(kind.rawValue) \(step) at "
              + "\(position) \(size); \(other); truth: \(truths); points near: \(near)"))
      }
      for position in wanted where !pairs.contains(where: { $0.injected == position }) {
        report(true, position)
      }
      for position in found where !pairs.contains(where: { $0.detected == position }) {
        report(false, position)
      }
    }
    return result
  }

  /// The series' level in the 25 builds either side of `position`: median seconds or hit rate, and count.
  static func shiftSize(
    _ kind: Regression.Kind, _ key: String?, at position: Int, builds: [RegressionSearch.Build]
  )
    -> String
  {
    func values(_ range: Range<Int>) -> [Double] {
      builds[max(0, range.lowerBound)..<min(builds.count, range.upperBound)].compactMap { build in
        switch kind {
        case .duration: return build.successful ? build.seconds : nil
        case .cacheRate: return build.cacheHitRatio
        case .stepDuration: return build.steps.first { $0.key == key }?.executedSeconds
        case .stepCache: return build.steps.first { $0.key == key }?.hit.map { $0 ? 1 : 0 }
        }
      }
    }
    let before = values((position - 25)..<position)
    let after = values(position..<(position + 25))
    func level(_ v: [Double]) -> String {
      let m =
        kind == .stepCache || kind == .cacheRate
        ? v.reduce(0, +) / Double(max(1, v.count)) : median(v)
      return String(format: "%.2f", m) + "(\(v.count))"
    }
    guard kind == .stepCache else { return "\(level(before)) -> \(level(after))" }
    let run = builds[min(position, builds.count)...].prefix { build in
      build.steps.first { $0.key == key }?.hit != true
    }.count
    return "\(level(before)) -> \(level(after)) run \(run)"
  }

  static func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    return sorted.count % 2 == 1
      ? sorted[sorted.count / 2] : (sorted[sorted.count / 2 - 1] + sorted[sorted.count / 2]) / 2
  }
}
