import Testing

@testable import BuildLog

/// The one number reader: exact on what BuildKit prints, total on everything else.
@Suite struct LogNumberTests {
  static func decimal(_ text: String) -> (value: Double, length: Int)? {
    LogNumber.decimal(Substring(text))
  }

  @Test func readsWhatBuildKitPrints() {
    #expect(Self.decimal("0.4s")?.value == 0.4)
    #expect(Self.decimal("12.345 x")?.value == 12.345)
    #expect(Self.decimal("12.345 x")?.length == 6)
    #expect(Self.decimal("129B")?.value == 129)
    #expect(Self.decimal("0.000001s")?.value == 0.000001)
    #expect(Self.decimal("48.20kB")?.length == 5)
  }

  @Test func refusesWhatIsNotADecimal() {
    #expect(Self.decimal("") == nil)
    #expect(Self.decimal("nan") == nil)
    #expect(Self.decimal("-5") == nil)
    #expect(Self.decimal(".5") == nil)
    #expect(Self.decimal("5.") == nil)
    #expect(LogNumber.wholeDecimal("1e9") == nil)
    #expect(LogNumber.wholeDecimal("1.2.3") == nil)
  }

  @Test func readsAnyNumberOfDigitsWithoutOverflow() {
    let huge = String(repeating: "9", count: 400)
    #expect(Self.decimal(huge)?.value == .infinity)
    #expect(Self.decimal(huge)?.length == 400)
    #expect(Self.decimal("9999999999.999999999")?.value == 9_999_999_999.999999999)
    #expect(Self.decimal("99999999999999999999.5")?.value == 1e20)
    #expect(Self.decimal("0." + String(repeating: "0", count: 500) + "1")?.value == 0)
    #expect(Self.decimal(String(repeating: "0", count: 500) + "7.25")?.value == 7.25)
  }

  @Test func durationsFromZeroToThirtyDays() {
    #expect(LogNumber.seconds(0) == .valid(0))
    #expect(LogNumber.seconds(2_592_000) == .valid(2_592_000))
    #expect(LogNumber.seconds(2_592_000.001) == .outOfRange)
    #expect(LogNumber.seconds(-1) == .outOfRange)
    #expect(LogNumber.seconds(.nan) == .outOfRange)
    #expect(LogNumber.seconds(.infinity) == .outOfRange)
  }

  @Test func sizesUpToOnePetabyte() {
    #expect(LogNumber.size("48.20kB") == .valid(48_200))
    #expect(LogNumber.size("3.072 kB") == .valid(3072))
    #expect(LogNumber.size("2B done") == .valid(2))
    #expect(LogNumber.size("1.5MiB") == .valid(1_572_864))
    #expect(LogNumber.size("1000TB") == .valid(LogNumber.maxBytes))
    #expect(LogNumber.size("1000.001TB") == .outOfRange)
    #expect(LogNumber.size("999999999999999GB") == .outOfRange)
    #expect(LogNumber.size(Substring(String(repeating: "9", count: 400) + "B")) == .outOfRange)
    #expect(LogNumber.size("12 apples") == nil)
    #expect(LogNumber.size("kB") == nil)
    #expect(LogNumber.total([LogNumber.maxBytes, 1]) == .outOfRange)
    #expect(LogNumber.total([Int64.max, Int64.max]) == .outOfRange)
    #expect(LogNumber.total([1, 2]) == .valid(3))
  }

  @Test func timesFrom1970To2199() {
    #expect(LogNumber.time(0) == .valid(0))
    #expect(LogNumber.time(-1) == .outOfRange)
    #expect(LogNumber.time(7_258_118_399) == .valid(7_258_118_399))
    #expect(LogNumber.time(7_258_118_400) == .outOfRange)
    #expect(LogNumber.time(.nan) == .outOfRange)
  }
}
