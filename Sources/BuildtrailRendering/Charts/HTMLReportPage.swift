import BuildtrailKit
import Foundation

/// What the report's templates show, as stored strings, flags and lists, formatted but never escaped:
/// the templates escape every value (``HTMLReport``), so no text from the history reaches the page raw.
/// Nested types are the page's parts; they hold no logic. An optional that is nil makes a template look
/// the name up in the enclosing parts, so optionals never share a name with an enclosing part's field.
struct HTMLReportPage {
  /// A coloured outcome word; the class never comes from the data.
  struct Badge {
    var className: String
    var text: String
  }

  /// One of the cards under the title.
  struct Card {
    var label: String
    var value: String
    var badge: Badge?
    var note: String
  }

  /// A `<code>` word in a list, with the separator before it.
  struct Code {
    var separator: String
    var name: String
  }

  /// One fact of the heading line: text, then code words, then more text.
  struct Fact {
    var separator: String
    var lead: String
    var codes: [Code] = []
    var tail: String = ""
  }

  /// A commit: its first characters, and the whole hash as a tooltip when it is longer.
  struct Commit {
    var short: String
    /// Named apart from the page's `title`: a nil value would make the template read the page's.
    var fullHash: String?
  }

  /// A colour key under a chart.
  struct LegendKey {
    var separator: String
    var className: String
    var text: String
  }

  /// A trend chart and its legend (``HTMLReport/TrendChart`` places the marks).
  struct Chart {
    struct Tick {
      var y: String
      var labelX: String
      var label: String
    }
    struct XLabel {
      var x: String
      var tickBottom: String
      var textY: String
      var anchor: String
      var build: Int64
      var when: String
    }
    struct Marker {
      var tip: String
      var x: String
      var path: String
    }
    struct Point {
      var className: String
      var cx: String
      var cy: String
      var r: String
      var tip: String
      /// The build's page, when the report links build pages.
      var pointHref: String?
    }
    var name: String
    var width: String
    var height: String
    var left: String
    var right: String
    var top: String
    var bottom: String
    var ticks: [Tick]
    var labels: [XLabel]
    var markers: [Marker]
    var polylines: [String]
    var points: [Point]
    var legend: [LegendKey]
  }

  /// The latest build's steps on a time axis (``HTMLReport/Waterfall`` places the bars).
  struct Waterfall {
    struct Tick {
      var x: String
      var label: String
    }
    struct Bar {
      var x: String
      var y: String
      var width: String
      var height: String
    }
    struct Row {
      var kind: String
      var tip: String
      var nameX: String
      var textY: String
      var name: String
      var bar: Bar?
      var label: String?
      var labelX: String
      var notStarted: Bool
    }
    var width: String
    var height: String
    var gridTop: String
    var gridBottom: String
    var tickY: String
    var ticks: [Tick]
    var rows: [Row]
  }

  /// The heading of the latest build's section.
  struct Latest {
    var id: Int64
    var latestHref: String?
    var badge: Badge
    var seconds: String
    var when: String
    var branch: String?
    var commit: Commit?
    var subject: String?
    var waterfall: Waterfall?
  }

  struct RegressionRow {
    var series: String
    var more: String?
    var build: Int64
    var regressionHref: String?
    var before: String
    var after: String
    var direction: String
    var change: String
    var confidence: String
    var cause: String?
  }

  struct SlowStepRow {
    var name: String
    var median: String
    var p90: String
    var p90Width: String
    var medianWidth: String
    var runs: Int
    var hits: String
  }

  struct BuildRow {
    var id: Int64
    var url: String?
    /// The build's page and its `why` part, when the report links build pages.
    var buildHref: String?
    var whyHref: String?
    var when: String
    var branch: String
    var service: String?
    var commit: Commit?
    var subject: String
    var verdict: String?
    var badge: Badge
    var regression: Bool
    var seconds: String
    var cached: Int
    var total: Int
  }

  var version: String
  var title: String
  var generatedAt: String
  var facts: [Fact]
  var cards: [Card]
  var durationChart: Chart?
  var cacheChart: Chart?
  var latest: Latest?
  var regressions: [RegressionRow]
  var slowSteps: [SlowStepRow]
  var builds: [BuildRow]
  /// Whether each table has rows (its header is shown only then).
  var hasRegressions: Bool
  var hasSlowSteps: Bool
  var hasBuilds: Bool
}
