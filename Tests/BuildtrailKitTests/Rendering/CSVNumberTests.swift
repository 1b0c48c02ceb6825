import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Numbers in CSV are rounded, never a binary float's long tail.
@Suite struct CSVNumberTests {
  @Test(arguments: [
    (2.1999999999999997, "2.2"), (3.0, "3"), (0.0004, "0"), (-0.0004, "0"), (12.3456, "12.346"),
    (Double.nan, ""), (Double.infinity, ""),
  ])
  func rounded(_ value: Double, _ text: String) {
    #expect(CSV.number(value) == text)
  }

  @Test func moreDecimalsWhenAsked() {
    #expect(CSV.number(0.99999912, decimals: 6) == "0.999999")
  }
}
