import Foundation

extension RegressionBenchmark {

  /// xoshiro256** seeded through splitmix64: a small, seedable, platform-independent generator.
  public struct Generator: Sendable {
    private var s0: UInt64
    private var s1: UInt64
    private var s2: UInt64
    private var s3: UInt64

    /// Creates a generator whose stream depends only on `seed`.
    public init(seed: UInt64) {
      var state = seed
      s0 = Self.splitMix(&state)
      s1 = Self.splitMix(&state)
      s2 = Self.splitMix(&state)
      s3 = Self.splitMix(&state)
    }

    /// One step of splitmix64 (also used to derive seeds).
    public static func splitMix(_ state: inout UInt64) -> UInt64 {
      state &+= 0x9E37_79B9_7F4A_7C15
      var z = state
      z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
      z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
      return z ^ (z >> 31)
    }

    private static func rotateLeft(_ x: UInt64, _ k: UInt64) -> UInt64 {
      (x << k) | (x >> (64 - k))
    }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 {
      let result = Self.rotateLeft(s1 &* 5, 7) &* 9
      let t = s1 << 17
      s2 ^= s0
      s3 ^= s1
      s1 ^= s2
      s0 ^= s3
      s2 ^= t
      s3 = Self.rotateLeft(s3, 45)
      return result
    }

    /// Uniform in [0, 1) with 53 random bits.
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1.0p-53 }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<Double>) -> Double {
      range.lowerBound + (range.upperBound - range.lowerBound) * uniform()
    }

    /// Uniform integer in `range`.
    public mutating func integer(_ range: ClosedRange<Int>) -> Int {
      let span = UInt64(range.upperBound - range.lowerBound) &+ 1
      guard span != 0 else { return range.lowerBound &+ Int(truncatingIfNeeded: next()) }
      let limit = UInt64.max - UInt64.max % span
      var draw = next()
      while draw >= limit { draw = next() }
      return range.lowerBound + Int(draw % span)
    }

    /// `true` with probability `p`.
    public mutating func bernoulli(_ p: Double) -> Bool { uniform() < p }

    /// Standard normal (Box–Muller, one value per call).
    public mutating func normal() -> Double {
      let u = 1 - uniform()
      let v = uniform()
      return (-2 * log(u)).squareRoot() * cos(2 * Double.pi * v)
    }
  }
}
