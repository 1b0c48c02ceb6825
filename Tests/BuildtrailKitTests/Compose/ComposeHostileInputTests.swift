import BuildtrailKit
import BuildtrailRendering
import Foundation
import Testing

/// Compose files are input from anyone: a mutated, nested or huge file is an error, never a trap.
struct ComposeHostileInputTests {
  static let sample = """
    x-base: &base
      network: none
      args: { A: "1", B: "${B:-2}" }
    services:
      api:
        build:
          <<: *base
          context: ./api
          target: prod
      web:
        build: ./web
        profiles: [ui]
    """

  /// Knuth's MMIX linear congruential generator, high bits: deterministic, replayed by its seed.
  struct Congruential: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return state ^ (state >> 29)
    }
  }

  @Test(arguments: [UInt64(1), 7, 42, 2024, 99_991])
  func mutatedFilesReadOrFailCleanly(seed: UInt64) {
    var random = Congruential(state: seed)
    let alphabet = Array("${}[]:-&*<>|'\"\n #!?=,.\t\u{0}é".unicodeScalars)
    var outcomes = (read: 0, refused: 0)
    for _ in 0..<300 {
      var scalars = Array(Self.sample.unicodeScalars)
      for _ in 0..<Int.random(in: 1...6, using: &random) {
        let at = Int.random(in: 0..<scalars.count, using: &random)
        switch Int.random(in: 0..<3, using: &random) {
        case 0: scalars.remove(at: at)
        case 1: scalars.insert(alphabet.randomElement(using: &random)!, at: at)
        default: scalars[at] = alphabet.randomElement(using: &random)!
        }
      }
      var text = String.UnicodeScalarView()
      text.append(contentsOf: scalars)
      do {
        let value = try ComposeYAMLReader.parse(String(text), file: "fuzz.yaml")
        let interpolation = ComposeInterpolation(variables: [:])
        _ = try value.mapStrings { try interpolation.interpolate($0, file: "fuzz.yaml") }
        outcomes.read += 1
      } catch let error as ComposeError {
        #expect(error.errorDescription?.contains("fuzz.yaml") == true, "seed \(seed)")
        #expect(error.errorDescription?.contains("\n") == false, "seed \(seed): \(error)")
        outcomes.refused += 1
      } catch {
        Issue.record("seed \(seed): not a ComposeError: \(error)")
      }
    }
    #expect(outcomes.read + outcomes.refused == 300, "seed \(seed)")
    #expect(outcomes.read > 0 && outcomes.refused > 0, "seed \(seed): \(outcomes)")
  }

  @Test func theUnmutatedSampleReads() throws {
    let value = try ComposeYAMLReader.parse(Self.sample, file: "sample.yaml")
    #expect(value["services"]?["api"]?["build"]?["network"]?.string == "none")
  }

  @Test func deepNestingIsAnError() {
    let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
    #expect(throws: ComposeError.self) { try ComposeYAMLReader.parse(deep, file: "deep.yaml") }
  }

  @Test func anUndefinedAliasIsAnError() {
    #expect(throws: ComposeError.self) {
      try ComposeYAMLReader.parse("services:\n  a: *nowhere\n", file: "alias.yaml")
    }
  }

  @Test func mergeKeysGiveWayToExplicitKeys() throws {
    let value = try ComposeYAMLReader.parse(
      "a: &a { x: 1, y: 1 }\nb: &b { y: 2, z: 2 }\nc:\n  <<: [*a, *b]\n  x: 0\n", file: "m.yaml")
    #expect(value["c"]?["x"]?.string == "0")
    #expect(value["c"]?["y"]?.string == "1")
    #expect(value["c"]?["z"]?.string == "2")
  }
}
