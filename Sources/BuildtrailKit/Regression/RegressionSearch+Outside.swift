import Foundation

/// Total-duration points that no step explains, found where they happen: in the time outside cacheable steps.
///
/// A build's total is the sum of its executed cacheable steps and the time outside them (export, context,
/// overhead). A shift of the outside time is one no step can explain, and its series is not bimodal (cached
/// and executed steps do not enter it), so its change points are sharper than the total's own.
extension RegressionSearch {
  /// A slowdown of the time outside cacheable steps: its first build and the detector's figures.
  struct OutsideShift: Equatable {
    var position: Int
    var change: ChangePoint
  }

  /// The successful builds' total seconds and the seconds outside their executed cacheable steps.
  static func outsideSeries(_ builds: [Build]) -> [(position: Int, total: Double, outside: Double)]
  {
    builds.enumerated().filter { $0.element.successful }.map { item in
      let inside = item.element.steps.reduce(0) { $0 + ($1.executedSeconds ?? 0) }
      return (item.offset, item.element.seconds, max(0, item.element.seconds - inside))
    }
  }

  /// Slowdowns of the outside time of at least `minimumSeconds`.
  static func outsideShifts(
    _ series: [(position: Int, total: Double, outside: Double)], settings: Settings
  ) -> [OutsideShift] {
    ChangePointDetector.detect(series.map(\.outside), configuration: settings.durations)
      .filter {
        $0.index > 0 && $0.medianAfter - $0.medianBefore >= settings.minimumSeconds
      }
      .map { OutsideShift(position: series[$0.index].position, change: $0) }
  }

  /// Ties total-duration points to outside shifts: a total point within `explanationWindow` builds of an outside
  /// shift that accounts for `explainedShare` of it is that shift (no step explains it; it moves to the shift's
  /// build); an outside shift that no total point found becomes a total point of its own, with the total's
  /// medians between the neighbouring outside shifts, after the other total points. Returns the points and the
  /// indices of those that no step explains.
  static func placeOutsideShifts(
    _ points: [Point], builds: [Build], settings: Settings
  ) -> (points: [Point], unexplained: Set<Int>) {
    let series = outsideSeries(builds)
    let shifts = outsideShifts(series, settings: settings)
    var result = points
    var added: [Point] = []
    var unexplained = Set<Int>()
    var used = Set<Int>()
    let totals = points.indices.filter { points[$0].kind == .duration }
    for i in totals {
      let total = points[i]
      let near = shifts.indices.filter {
        !used.contains($0)
          && abs(shifts[$0].position - total.position) <= settings.explanationWindow
      }
      guard
        let s = near.min(by: {
          abs(shifts[$0].position - total.position) < abs(shifts[$1].position - total.position)
        })
      else { continue }
      used.insert(s)
      unexplained.insert(i)
      result[i].position = shifts[s].position
      result[i].previousPosition = series.last { $0.position < shifts[s].position }?.position ?? 0
    }
    for s in shifts.indices where !used.contains(s) {
      let position = shifts[s].position
      guard let k = series.firstIndex(where: { $0.position == position }), k > 0 else { continue }
      let lower = shifts.last { $0.position < position }?.position ?? 0
      let upper = shifts.first { $0.position > position }?.position ?? Int.max
      let before = series[..<k].filter { $0.position >= lower }.map(\.total)
      let after = series[k...].filter { $0.position < upper }.map(\.total)
      let medianBefore = BuildCheck.median(before)
      let medianAfter = BuildCheck.median(after)
      guard medianAfter - medianBefore >= settings.minimumSeconds else { continue }
      let change = ChangePoint(
        index: k, medianBefore: medianBefore, medianAfter: medianAfter,
        relativeChange: (medianAfter - medianBefore) / max(medianBefore, 0.001),
        pValue: shifts[s].change.pValue)
      added.append(
        Point(
          kind: .duration, series: "total duration", key: nil, position: position,
          previousPosition: series[k - 1].position, change: change, secondsImpact: 0, rateImpact: 0,
          explainedBy: nil))
    }
    // Total points come first in the search's result: the new ones go after the others, before the steps.
    let firstStep = result.firstIndex { $0.key != nil } ?? result.count
    unexplained.formUnion(firstStep..<(firstStep + added.count))
    result.insert(contentsOf: added, at: firstStep)
    return (result, unexplained)
  }
}
