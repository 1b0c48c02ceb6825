import Foundation

extension ChangePointDetector {
  /// Mann–Whitney U over a duration series (ranks only; log-space thresholds for the shift size).
  struct RankStatistic: SplitStatistic {
    /// Medians below this (1 ms for seconds) are floored when forming ratios.
    static let floor = 0.001

    let values: [Double]
    let logValues: [Double]
    let logThreshold: Double
    /// Indices sorted by value (then index).
    let globalOrder: [Int]
    /// Dense rank of each value: equal values share a group.
    let group: [UInt32]
    private var order: [Int] = []
    private var keys: [UInt64] = []
    private var prefixCost: [Double] = []
    private var ranks: [Double] = []
    private var scratch: [Double] = []

    init(values: [Double], minRelativeChange: Double) {
      self.values = values
      let sorted = values.indices.sorted {
        values[$0] < values[$1] || (values[$0] == values[$1] && $0 < $1)
      }
      var group = [UInt32](repeating: 0, count: values.count)
      var current: UInt32 = 0
      for (position, index) in sorted.enumerated() {
        if position > 0, values[index] != values[sorted[position - 1]] { current += 1 }
        group[index] = current
      }
      self.globalOrder = sorted
      self.group = group
      self.logValues = values.map { log(max($0, Self.floor)) }
      self.logThreshold = log1p(max(0, minRelativeChange))
    }

    var count: Int { values.count }

    /// Mid-ranks of `lower..<upper` (in time order, into `ranks[0..<n]`) and the tie factor
    /// `(n + 1) − Σ(t³ − t) / (n(n − 1))` of the U variance.
    ///
    /// The order within the range comes from the series' global order: filtered from it for long ranges,
    /// or by sorting integer keys (tie group, index) for short ones — no floating-point comparisons.
    private mutating func rank(_ lower: Int, _ upper: Int) -> Double {
      let n = upper - lower
      order.removeAll(keepingCapacity: true)
      if n * 8 >= values.count {
        for index in globalOrder where index >= lower && index < upper { order.append(index) }
      } else {
        keys.removeAll(keepingCapacity: true)
        for index in lower..<upper { keys.append(UInt64(group[index]) << 32 | UInt64(index)) }
        keys.sort()
        for key in keys { order.append(Int(key & 0xFFFF_FFFF)) }
      }
      if ranks.count < n { ranks = [Double](repeating: 0, count: n) }
      var tieSum = 0.0
      var i = 0
      while i < n {
        var j = i + 1
        let tie = group[order[i]]
        while j < n && group[order[j]] == tie { j += 1 }
        let midRank = Double(i + j + 1) / 2
        for t in i..<j { ranks[order[t] - lower] = midRank }
        let ties = Double(j - i)
        tieSum += ties * ties * ties - ties
        i = j
      }
      let size = Double(n)
      return (size + 1) - tieSum / (size * (size - 1))
    }

    private static func z(rankSum: Double, left k: Int, total n: Int, tieFactor: Double) -> Double {
      let left = Double(k)
      let right = Double(n - k)
      let u = rankSum - left * (left + 1) / 2
      let centered = abs(u - left * right / 2) - 0.5
      let variance = left * right / 12 * tieFactor
      return max(0, centered) / variance.squareRoot()
    }

    mutating func bestSplit(_ lower: Int, _ upper: Int, minSegment m: Int) -> Split? {
      let n = upper - lower
      guard m >= 1, n >= 2 * m else { return nil }
      let tieFactor = rank(lower, upper)
      guard tieFactor > 1e-9 else { return nil }
      var best = Split(index: lower + m, z: -1)
      var rankSum = 0.0
      for k in 1...(n - m) {
        rankSum += ranks[k - 1]
        guard k >= m else { continue }
        let z = Self.z(rankSum: rankSum, left: k, total: n, tieFactor: tieFactor)
        if z > best.z { best = Split(index: lower + k, z: z) }
      }
      return best
    }

    mutating func zScore(_ lower: Int, _ split: Int, _ upper: Int) -> Double {
      let n = upper - lower
      let k = split - lower
      guard n >= 2, k >= 1, k < n else { return 0 }
      let tieFactor = rank(lower, upper)
      guard tieFactor > 1e-9 else { return 0 }
      var rankSum = 0.0
      for t in 0..<k { rankSum += ranks[t] }
      return Self.z(rankSum: rankSum, left: k, total: n, tieFactor: tieFactor)
    }

    func significance(_ lower: Int, _ split: Int, _ upper: Int, z: Double) -> (p: Double, z: Double)
    {
      (Stats.twoSidedNormalP(z), z)
    }

    /// The split of `lower..<upper` minimizing the absolute deviations of the log values from each side's
    /// median: the maximum-likelihood position of a shift in a Laplace location model. It is sharp and robust
    /// to outliers, where the rank statistic's maximum is flat when the two regimes differ in length, so it
    /// places the point; the rank test then judges it. O(n log n) with running medians.
    mutating func localize(_ lower: Int, _ upper: Int, guess: Int, minSegment m: Int) -> Int {
      let n = upper - lower
      guard m >= 1, n >= 2 * m else { return guess }
      if prefixCost.count < n + 1 { prefixCost = [Double](repeating: 0, count: n + 1) }
      var running = RunningMedian()
      for k in 1...n {
        running.insert(logValues[lower + k - 1])
        prefixCost[k] = running.absoluteDeviation
      }
      running = RunningMedian()
      var best = guess
      var bestCost = Double.infinity
      var suffix = 0.0
      var k = n
      while k >= m {
        if k < n {
          running.insert(logValues[lower + k])
          suffix = running.absoluteDeviation
        }
        if k <= n - m {
          let cost = prefixCost[k] + suffix
          // Scanning backwards, `<=` keeps the earliest of equal-cost splits.
          if cost <= bestCost {
            best = lower + k
            bestCost = cost
          }
        }
        k -= 1
      }
      return best
    }

    /// Σ |x − median| of a growing multiset, kept in two heaps.
    struct RunningMedian {
      /// Lower half, negated (so a min-heap serves as max-heap); holds the median when the count is odd.
      private var low = MinHeap()
      private var high = MinHeap()
      private var lowSum = 0.0
      private var highSum = 0.0

      mutating func insert(_ x: Double) {
        if let top = low.top, x > -top {
          high.push(x)
          highSum += x
        } else {
          low.push(-x)
          lowSum += x
        }
        if low.count > high.count + 1, let moved = low.pop() {
          lowSum += moved
          high.push(-moved)
          highSum -= moved
        } else if high.count > low.count, let moved = high.pop() {
          highSum -= moved
          low.push(-moved)
          lowSum += moved
        }
      }

      var absoluteDeviation: Double {
        let spread = highSum - lowSum
        if low.count > high.count, let top = low.top { return spread - top }
        return spread
      }
    }

    /// A binary min-heap of doubles.
    struct MinHeap {
      private var items: [Double] = []
      var count: Int { items.count }
      var top: Double? { items.first }

      mutating func push(_ x: Double) {
        items.append(x)
        var child = items.count - 1
        while child > 0 {
          let parent = (child - 1) / 2
          guard items[child] < items[parent] else { break }
          items.swapAt(child, parent)
          child = parent
        }
      }

      mutating func pop() -> Double? {
        guard let first = items.first, let last = items.popLast() else { return nil }
        guard !items.isEmpty else { return first }
        items[0] = last
        var parent = 0
        while true {
          let left = 2 * parent + 1
          let right = left + 1
          var smallest = parent
          if left < items.count && items[left] < items[smallest] { smallest = left }
          if right < items.count && items[right] < items[smallest] { smallest = right }
          if smallest == parent { break }
          items.swapAt(parent, smallest)
          parent = smallest
        }
        return first
      }
    }

    private mutating func median(_ lower: Int, _ upper: Int) -> Double {
      scratch.removeAll(keepingCapacity: true)
      scratch.append(contentsOf: values[lower..<upper])
      scratch.sort()
      let c = scratch.count
      guard c > 0 else { return 0 }
      return c % 2 == 1 ? scratch[c / 2] : (scratch[c / 2 - 1] + scratch[c / 2]) / 2
    }

    mutating func effect(_ lower: Int, _ split: Int, _ upper: Int) -> Effect {
      let before = median(lower, split)
      let after = median(split, upper)
      let base = max(before, Self.floor)
      let magnitude = abs(log(max(after, Self.floor) / base))
      return Effect(
        before: before, after: after, relativeChange: (after - before) / base,
        isLargeEnough: magnitude >= logThreshold * (1 - 1e-9))
    }
  }

  /// Two-proportion z-test over hit flags (0/1) or per-build hit ratios; Fisher's exact test for sparse 0/1 tables.
  struct RateStatistic: SplitStatistic {
    let values: [Double]
    let minDifference: Double
    let isBinary: Bool
    private let prefix: [Double]
    private let prefixSquares: [Double]

    init(values: [Double], minDifference: Double) {
      self.values = values
      self.minDifference = max(0, minDifference)
      self.isBinary = values.allSatisfy { $0 == 0 || $0 == 1 }
      var sums = [0.0]
      var squares = [0.0]
      sums.reserveCapacity(values.count + 1)
      squares.reserveCapacity(values.count + 1)
      for value in values {
        sums.append((sums.last ?? 0) + value)
        squares.append((squares.last ?? 0) + value * value)
      }
      self.prefix = sums
      self.prefixSquares = squares
    }

    var count: Int { values.count }

    /// Pooled variance of `lower..<upper`: p(1 − p) for 0/1 flags.
    private func variance(_ lower: Int, _ upper: Int) -> Double {
      let n = Double(upper - lower)
      let mean = (prefix[upper] - prefix[lower]) / n
      return max(0, (prefixSquares[upper] - prefixSquares[lower]) / n - mean * mean)
    }

    private func z(_ lower: Int, _ split: Int, _ upper: Int, variance: Double) -> Double {
      let k = Double(split - lower)
      let rest = Double(upper - split)
      let left = prefix[split] - prefix[lower]
      let right = prefix[upper] - prefix[split]
      return abs(left / k - right / rest) / (variance * (1 / k + 1 / rest)).squareRoot()
    }

    func bestSplit(_ lower: Int, _ upper: Int, minSegment m: Int) -> Split? {
      let n = upper - lower
      guard m >= 1, n >= 2 * m else { return nil }
      let pooled = variance(lower, upper)
      guard pooled > 1e-12 else { return nil }
      var best = Split(index: lower + m, z: -1)
      for split in (lower + m)...(upper - m) {
        let z = z(lower, split, upper, variance: pooled)
        if z > best.z { best = Split(index: split, z: z) }
      }
      return best
    }

    func zScore(_ lower: Int, _ split: Int, _ upper: Int) -> Double {
      guard split > lower, split < upper else { return 0 }
      let pooled = variance(lower, upper)
      guard pooled > 1e-12 else { return 0 }
      return z(lower, split, upper, variance: pooled)
    }

    func significance(_ lower: Int, _ split: Int, _ upper: Int, z: Double) -> (p: Double, z: Double)
    {
      let normal = Stats.twoSidedNormalP(z)
      guard isBinary, normal < 0.05 else { return (normal, z) }
      let n = upper - lower
      let k = split - lower
      let ones = Int((prefix[upper] - prefix[lower]).rounded())
      let leftOnes = Int((prefix[split] - prefix[lower]).rounded())
      let total = Double(n)
      let expected = [
        Double(k) * Double(ones), Double(k) * Double(n - ones),
        Double(n - k) * Double(ones), Double(n - k) * Double(n - ones),
      ].map { $0 / total }
      guard (expected.min() ?? 0) < 5 else { return (normal, z) }
      let exact = Stats.fisherExactTwoSided(leftOnes: leftOnes, left: k, ones: ones, total: n)
      return (exact, Stats.twoSidedNormalQuantile(exact))
    }

    /// Σ log-likelihood of `lower..<upper` under one Bernoulli (quasi-binomial for ratios) rate.
    private func logLikelihood(_ lower: Int, _ upper: Int) -> Double {
      let n = Double(upper - lower)
      let hits = prefix[upper] - prefix[lower]
      let misses = n - hits
      var total = 0.0
      if hits > 0 { total += hits * log(hits / n) }
      if misses > 0 { total += misses * log(misses / n) }
      return total
    }

    /// The maximum-likelihood split of `lower..<upper` for two Bernoulli rates (whole range; `guess` unused).
    func localize(_ lower: Int, _ upper: Int, guess: Int, minSegment m: Int) -> Int {
      guard upper - lower >= 2 * m else { return guess }
      var best = guess
      var bestValue = -Double.infinity
      for split in (lower + m)...(upper - m) {
        let value = logLikelihood(lower, split) + logLikelihood(split, upper)
        // The first split always counts: with bestValue = −∞ the tolerance term would be NaN.
        if !bestValue.isFinite || value > bestValue + 1e-12 * max(1, abs(bestValue)) {
          best = split
          bestValue = value
        }
      }
      return best
    }

    func effect(_ lower: Int, _ split: Int, _ upper: Int) -> Effect {
      let before = (prefix[split] - prefix[lower]) / Double(split - lower)
      let after = (prefix[upper] - prefix[split]) / Double(upper - split)
      return Effect(
        before: before, after: after, relativeChange: after - before,
        isLargeEnough: abs(after - before) >= minDifference * (1 - 1e-9))
    }
  }

  /// Distribution helpers.
  enum Stats {
    static let inverseSqrtTwoPi = 1 / (2 * Double.pi).squareRoot()

    /// P(|Z| ≥ z) for a standard normal Z.
    static func twoSidedNormalP(_ z: Double) -> Double {
      guard z.isFinite else { return z.isNaN ? 1 : 0 }
      return min(1, erfc(abs(z) / 2.0.squareRoot()))
    }

    /// The z ≥ 0 with P(|Z| ≥ z) = p (bisection; used only for Fisher's exact p-values).
    static func twoSidedNormalQuantile(_ p: Double) -> Double {
      guard p < 1 else { return 0 }
      guard p > 0 else { return 40 }
      var low = 0.0
      var high = 40.0
      for _ in 0..<100 {
        let mid = (low + high) / 2
        if twoSidedNormalP(mid) > p { low = mid } else { high = mid }
      }
      return (low + high) / 2
    }

    /// p-value of the maximum of |z| over the `count − 2·minSegment + 1` split positions of a segment:
    /// the smaller of Bonferroni and Miller & Siegmund's (1982) approximation
    /// P(max |Z| > b) ≈ φ(b)(b − 1/b)·ln(ε₂(1−ε₁) / (ε₁(1−ε₂))) + 4φ(b)/b, with ε₁ = m/n, ε₂ = 1 − m/n;
    /// never below the pointwise p.
    static func searchAdjusted(_ pointwise: Double, z b: Double, count n: Int, minSegment m: Int)
      -> Double
    {
      let positions = Double(max(1, n - 2 * m + 1))
      var adjusted = pointwise * positions
      if b > 1, n > 2 * m {
        let phi = inverseSqrtTwoPi * exp(-b * b / 2)
        let span = 2 * log(Double(n - m) / Double(m))
        adjusted = min(adjusted, phi * (b - 1 / b) * span + 4 * phi / b)
      }
      return min(1, max(pointwise, adjusted))
    }

    /// Two-sided Fisher exact p for `leftOnes` hits among the first `left` of `total` values with `ones` hits.
    static func fisherExactTwoSided(leftOnes a: Int, left k: Int, ones allOnes: Int, total n: Int)
      -> Double
    {
      let lowest = max(0, k + allOnes - n)
      let highest = min(k, allOnes)
      guard highest > lowest else { return 1 }
      func logChoose(_ n: Int, _ r: Int) -> Double {
        lgamma(Double(n + 1)) - lgamma(Double(r + 1)) - lgamma(Double(n - r + 1))
      }
      let logDenominator = logChoose(n, k)
      func logProbability(_ x: Int) -> Double {
        logChoose(allOnes, x) + logChoose(n - allOnes, k - x) - logDenominator
      }
      let observed = logProbability(a)
      var total = 0.0
      var current = logProbability(lowest)
      for x in lowest...highest {
        if x > lowest {
          let previous = Double(x - 1)
          current +=
            log(Double(allOnes) - previous) + log(Double(k) - previous)
            - log(previous + 1) - log(Double(n - allOnes - k) + previous + 1)
        }
        if current <= observed + 1e-7 { total += exp(current) }
      }
      return min(1, max(0, total))
    }
  }
}
