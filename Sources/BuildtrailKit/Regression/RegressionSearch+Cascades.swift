import Foundation

/// One cache break, one build: the steps after the first one of a break miss more often on their own, so the
/// runs of misses before the break are longer in their series and their points land earlier.
extension RegressionSearch {
  /// How many builds later the point of an earlier step may be for a later step's point to join it.
  static let cascadeWindow = 8
  /// Hit rate under which a step-cache point counts as a break (the step stopped hitting).
  static let brokenRate = 0.1

  /// Moves the point of a step that stopped hitting into the middle of the run of misses it starts, when every
  /// miss of the run but its last build had an earlier step missing as well: the break may be at any of those
  /// builds (each miss is explained either way), and the last is the first miss that only a break explains.
  static func centerOnRootMisses(_ points: [Point], builds: [Build], order: [String]) -> [Point] {
    let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    var result = points
    for i in points.indices
    where points[i].kind == .stepCache && points[i].change.medianAfter <= brokenRate {
      guard let key = points[i].key, let r = rank[key] else { continue }
      let p = points[i].position
      // An earlier step that broke at about the same build explains the run: one break, not this step's own.
      let joint = points.contains { other in
        other.kind == .stepCache && other.change.medianAfter <= brokenRate
          && other.key.flatMap { rank[$0] }.map { $0 < r } == true
          && abs(other.position - p) <= 3
      }
      if joint { continue }
      var root: Int?
      for t in p..<min(builds.count, p + 2 * cascadeWindow) {
        guard let index = builds[t].steps.firstIndex(where: { $0.key == key }) else { continue }
        let step = builds[t].steps[index]
        if step.hit == true { break }
        if step.hit == false && builds[t].steps[..<index].allSatisfy({ $0.hit != false }) {
          root = t
          break
        }
      }
      guard let last = root, last > p else { continue }
      let middle = p + (last - p + 1) / 2
      result[i].position = middle
      result[i].previousPosition = middle - 1
    }
    return result
  }

  /// Moves a step-cache point to the later point (within `cascadeWindow` builds) of a step before it, when both
  /// stopped hitting and, in the builds between, the earlier step missed whenever this one did: those misses
  /// were the earlier step's, cascading, not a break of this step at a build of its own.
  static func joinCascades(_ points: [Point], builds: [Build], order: [String]) -> [Point] {
    let rank = Dictionary(order.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
    let breaks = points.indices.filter {
      points[$0].kind == .stepCache && points[$0].key != nil
        && points[$0].change.medianAfter <= brokenRate
    }
    func hit(_ build: Build, _ key: String) -> Bool? { build.steps.first { $0.key == key }?.hit }
    var result = points
    for i in breaks {
      guard let key = points[i].key, let r = rank[key] else { continue }
      let p = points[i].position
      let partners = breaks.filter { j in
        guard let other = points[j].key, let o = rank[other], o < r else { return false }
        let q = points[j].position
        guard q > p, q - p <= cascadeWindow else { return false }
        return (p..<q).allSatisfy { t in
          switch hit(builds[t], key) {
          case true?: return false
          case false?: return hit(builds[t], other) != true
          case nil: return true
          }
        }
      }
      guard let target = partners.map({ points[$0].position }).max() else { continue }
      result[i].position = target
      result[i].previousPosition = target - 1
    }
    return result
  }
}

extension RegressionSearch {
  /// Moves the point of a step that stopped hitting past its last hit within `cascadeWindow` builds after the
  /// point, when the step does not hit in the `cascadeWindow` builds that follow that hit: a broken step does not
  /// hit, so its misses before the hit were not the break. (A short stretch of misses that ends in hits is a
  /// break and its fix, and stays.)
  static func afterLastHit(_ points: [Point], builds: [Build]) -> [Point] {
    func hits(_ t: Int, _ key: String) -> Bool {
      builds[t].steps.first { $0.key == key }?.hit == true
    }
    var result = points
    for i in points.indices
    where points[i].kind == .stepCache && points[i].change.medianAfter <= brokenRate {
      guard let key = points[i].key else { continue }
      let p = points[i].position
      guard let last = (p..<min(builds.count, p + cascadeWindow)).last(where: { hits($0, key) })
      else { continue }
      let after = (last + 1)..<min(builds.count, last + 1 + cascadeWindow)
      guard after.count == cascadeWindow, !after.contains(where: { hits($0, key) }) else {
        continue
      }
      result[i].position = last + 1
      result[i].previousPosition = last
    }
    return result
  }
}
