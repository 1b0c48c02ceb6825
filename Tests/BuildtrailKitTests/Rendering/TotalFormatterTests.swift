import Foundation
import Testing

@testable import BuildStore
@testable import BuildtrailKit
@testable import BuildtrailRendering

/// The formatters answer for every value: `?` where a value is not a duration, a time or a share.
@Suite struct TotalFormatterTests {
  @Test(arguments: [
    Double.infinity, -.infinity, .nan, -1, 1e12, 1e300, Double.greatestFiniteMagnitude,
  ])
  func secondsThatAreNotADurationPrintAsUnknown(_ seconds: Double) {
    #expect(formatSeconds(seconds) == "?")
  }

  @Test func durationsPrintAsBefore() {
    #expect(formatSeconds(nil) == "-")
    #expect(formatSeconds(0.4) == "0.4s")
    #expect(formatSeconds(252) == "4m12s")
    #expect(formatSeconds(3720) == "1h02m")
    #expect(formatSeconds(2_592_000) == "720h00m")
  }

  @Test(arguments: [Double.infinity, .nan, 1e300, -1e300])
  func sharesOutOfRangePrintAsUnknown(_ fraction: Double) {
    #expect(percent(fraction) == "?%")
    #expect(percent(fraction, signed: false) == "?%")
  }

  @Test func sharesPrintAsBefore() {
    #expect(percent(0.35) == "+35%")
    #expect(percent(-0.04) == "-4%")
    #expect(percent(0.8, signed: false) == "80%")
  }

  @Test func timesOutsideTheCalendarPrintAsUnknown() {
    #expect(formatWhen(Date(timeIntervalSince1970: 1e300)) == "?")
    #expect(formatWhen(Date(timeIntervalSince1970: .nan)) == "?")
    #expect(formatWhen(Date(timeIntervalSince1970: 1_736_101_753)) == "2025-01-05 18:29")
  }

  @Test func storedTimesAreHeldToTheCalendar() {
    #expect(
      UTCTimestamp.string(from: Date(timeIntervalSince1970: .infinity))
        == "9999-12-31T23:59:59.000Z")
    #expect(
      UTCTimestamp.string(from: Date(timeIntervalSince1970: -.infinity))
        == "0001-01-01T00:00:00.000Z")
    #expect(
      UTCTimestamp.string(from: Date(timeIntervalSince1970: .nan)) == "1970-01-01T00:00:00.000Z")
  }

  @Test func barsOfHugeDurationsStayWithinTheChart() {
    #expect(TimeChart.blocks(.infinity) == "▏")
    #expect(TimeChart.blocks(1e300).count <= 100_001)
  }
}
