import BuildtrailKit
import Foundation

// One cohesive thing over 400 lines: the chart and the layout, scale, tick format and label types only it uses.

/// A line or bar chart for the terminal, drawn into a fixed number of columns.
public struct TerminalChart: Sendable {
  /// The first line of the chart.
  public var title: String
  /// What the values measure.
  public var unit: ChartUnit
  /// Total columns, the y axis included; no line of the chart is wider.
  public var width: Int
  /// Rows of the plot area, axes and labels not included.
  public var height: Int = 12
  /// The glyph set to draw with.
  public var glyphs: ChartGlyphs = .braille
  /// Whether to colour marks with ANSI escapes (regressions red, failures yellow).
  public var color: Bool = false
  /// How a column that holds several points shows them: their median, or their mean (for 0/1
  /// values such as a step's cache hits, the share of builds that hit).
  public var perColumn: PerColumn = .median

  /// How the points bucketed into one column are summarised.
  public enum PerColumn: String, Sendable {
    case median, mean
  }

  /// A chart of `width` columns whose plot is `height` rows tall.
  public init(
    title: String, unit: ChartUnit, width: Int, height: Int = 12, glyphs: ChartGlyphs = .braille,
    color: Bool = false
  ) {
    self.title = title
    self.unit = unit
    self.width = width
    self.height = height
    self.glyphs = glyphs
    self.color = color
  }

  /// A line/point chart of the points, oldest left: labelled y axis with units (`0s`, `1m30s`, `45%`), x axis with the
  /// first, middle and last labels, points marked ✗ (failed) and ▲ (regression) on a marker row under the plot
  /// (ascii: `x`, `^`), and a one-line legend.
  ///
  /// When there are more points than columns, points are bucketed (median per column; a bucket holding a marked
  /// point keeps the mark, a regression before a failure). Braille: 2×4 dots per cell; blocks: ▁▂▃▄▅▆▇█ columns;
  /// ascii: `*` and `|`. Colour (ANSI) only when `color` is true: regression marks red, failed yellow.
  ///
  /// The y axis runs from 0 to the largest value rounded up to a multiple of a round step (1, 2 or 5 × 10^k; for
  /// durations 15s, 30s, 1m, 2m, 5m, … too). Missing or non-finite values leave a gap and a `·` on the marker row;
  /// negative values are drawn as 0. Control characters in the title and labels are made visible. Every line
  /// ends with a newline; empty input, or input without any value, gives the one line `<title>: no data`.
  public func render(_ points: [ChartPoint]) -> String {
    guard width > 0 else { return "" }
    let title = Text.clean(self.title)
    let values = points.compactMap { usable($0.value) }
    guard let largest = values.max(), let latest = values.last, let smallest = values.min() else {
      return Text.fit(title.isEmpty ? "no data" : "\(title): no data", width) + "\n"
    }

    let rows = max(1, height)
    let scale = Scale(unit: unit, largest: largest, intervals: max(1, min(5, rows / 2)))
    let tickLabels = scale.ticks.map { Format.tick($0, unit) }
    let labelWidth = max(5, tickLabels.map(\.count).max() ?? 0)
    let gutter = labelWidth + 2
    let columns = width - gutter
    guard columns >= 1 else {
      return Text.fit(
        title.isEmpty ? "too narrow to chart" : "\(title): too narrow to chart", width) + "\n"
    }

    let slots = Slot.layout(
      points.map { ($0, usable($0.value)) }, columns: columns, mean: perColumn == .mean)
    let symbols = Symbols(glyphs)
    var plot = [[Character]](repeating: [Character](repeating: " ", count: columns), count: rows)
    switch glyphs {
    case .braille: drawBraille(slots, top: scale.top, into: &plot)
    case .blocks: drawBlocks(slots, top: scale.top, into: &plot)
    case .ascii: drawASCII(slots, top: scale.top, into: &plot)
    }

    // The y axis: each tick sits on the row whose top edge has its value; 0 sits on the axis row.
    var rowLabels: [Int: String] = [:]
    for (tick, label) in zip(scale.ticks, tickLabels).reversed() {
      let row = rows - Int((tick / scale.top * Double(rows)).rounded())
      if rowLabels[row] == nil { rowLabels[row] = label }
    }
    func gutterText(_ row: Int, axis: Character, tick: Character) -> String {
      let label = rowLabels[row] ?? ""
      return String(repeating: " ", count: labelWidth - label.count) + label + " "
        + String(label.isEmpty ? axis : tick)
    }

    var lines: [String] = []
    if !title.isEmpty { lines.append(Text.fit(title, width)) }
    for (row, cells) in plot.enumerated() {
      lines.append(
        Text.trimmed(gutterText(row, axis: symbols.axis, tick: symbols.tick) + String(cells)))
    }

    let labels = XLabels(points: points, slots: slots, columns: columns)
    var axisRow = [Character](repeating: symbols.rule, count: columns)
    for column in labels.columns { axisRow[column] = symbols.ruleTick }
    lines.append(gutterText(rows, axis: symbols.corner, tick: symbols.corner) + String(axisRow))

    var markers = [Character](repeating: " ", count: columns)
    var markerColors: [Int: Style] = [:]
    for slot in slots {
      if let mark = slot.mark {
        markers[slot.center] = mark == .failed ? symbols.failed : symbols.regression
        markerColors[slot.center] = mark == .failed ? .yellow : .red
      } else if slot.value == nil {
        markers[slot.center] = symbols.missing
      }
    }
    if markers.contains(where: { $0 != " " }) {
      var line = String(repeating: " ", count: gutter)
      let used = (markers.lastIndex { $0 != " " } ?? 0) + 1
      for (column, glyph) in markers.prefix(used).enumerated() {
        line += paint(String(glyph), markerColors[column])
      }
      lines.append(line)
    }
    if !labels.text.isEmpty { lines.append(String(repeating: " ", count: gutter) + labels.text) }

    var legend = Legend()
    if slots.contains(where: { $0.mark == .failed }) {
      legend.add("\(symbols.failed) failed", .yellow)
    }
    if slots.contains(where: { $0.mark == .regression }) {
      legend.add("\(symbols.regression) regression", .red)
    }
    if slots.contains(where: { $0.value == nil }) { legend.add("\(symbols.missing) no value", nil) }
    legend.add("last \(Format.value(latest, unit))", nil)
    legend.add("min \(Format.value(smallest, unit))", nil)
    legend.add("max \(Format.value(largest, unit))", nil)
    let counted = points.count == 1 ? "1 build" : "\(points.count) builds"
    legend.add(
      points.count > columns ? "\(counted), \(perColumn.rawValue) per column" : counted, nil)
    lines.append(legend.render(width: width, paint: paint))
    return lines.joined(separator: "\n") + "\n"
  }

  /// The value in display units (ratios as percentages), or `nil` when there is nothing to draw.
  private func usable(_ value: Double?) -> Double? {
    guard let value, value.isFinite else { return nil }
    let shown = unit == .ratio ? value * 100 : value
    return min(max(0, shown), Format.largest)
  }

  private func paint(_ text: String, _ style: Style?) -> String {
    guard color, let style else { return text }
    return "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m"
  }

  // MARK: - Drawing

  private func drawBraille(_ slots: [Slot], top: Double, into plot: inout [[Character]]) {
    let rows = plot.count
    let columns = plot.first?.count ?? 0
    let dotRows = rows * 4
    var bits = [[UInt8]](repeating: [UInt8](repeating: 0, count: columns), count: rows)
    // Dot bit for (row within cell, column within cell), per the Unicode braille pattern layout.
    let dotBits: [[UInt8]] = [[0x01, 0x08], [0x02, 0x10], [0x04, 0x20], [0x40, 0x80]]
    func set(_ x: Int, _ yFromBottom: Int) {
      let y = dotRows - 1 - min(max(yFromBottom, 0), dotRows - 1)
      let column = x / 2
      guard column >= 0, column < columns else { return }
      bits[y / 4][column] |= dotBits[y % 4][x % 2]
    }
    func dotY(_ value: Double) -> Int { Int((value / top * Double(dotRows - 1)).rounded()) }

    var previous: (x: Int, y: Int)?
    for slot in slots {
      guard let value = slot.value else {
        previous = nil
        continue
      }
      let point = (x: slot.dotX, y: dotY(value))
      if let from = previous {
        // Bresenham's line from the previous point.
        var x = from.x
        var y = from.y
        let dx = abs(point.x - x)
        let dy = -abs(point.y - y)
        let stepX = x < point.x ? 1 : -1
        let stepY = y < point.y ? 1 : -1
        var error = dx + dy
        while true {
          set(x, y)
          if x == point.x && y == point.y { break }
          let doubled = 2 * error
          if doubled >= dy {
            error += dy
            x += stepX
          }
          if doubled <= dx {
            error += dx
            y += stepY
          }
        }
      } else {
        set(point.x, point.y)
      }
      previous = point
    }
    for row in 0..<rows {
      for column in 0..<columns where bits[row][column] != 0 {
        if let scalar = Unicode.Scalar(0x2800 + UInt32(bits[row][column])) {
          plot[row][column] = Character(scalar)
        }
      }
    }
  }

  private func drawBlocks(_ slots: [Slot], top: Double, into plot: inout [[Character]]) {
    let rows = plot.count
    let partial: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
    let barWidth = Slot.barWidth(slots)
    for slot in slots {
      guard let value = slot.value else { continue }
      var eighths = Int((value / top * Double(rows * 8)).rounded())
      if value > 0 { eighths = max(1, eighths) }
      for level in 0..<rows {
        let filled = min(8, eighths - level * 8)
        guard filled > 0 else { break }
        for column in slot.bar(width: barWidth) {
          plot[rows - 1 - level][column] = partial[filled - 1]
        }
      }
    }
  }

  private func drawASCII(_ slots: [Slot], top: Double, into plot: inout [[Character]]) {
    let rows = plot.count
    for slot in slots {
      guard let value = slot.value else { continue }
      let level = min(max(Int((value / top * Double(rows)).rounded(.up)) - 1, 0), rows - 1)
      plot[rows - 1 - level][slot.center] = "*"
      for below in 0..<level { plot[rows - 1 - below][slot.center] = "|" }
    }
  }
}

extension TerminalChart {
  /// ANSI colours the chart uses.
  enum Style: String {
    case red = "31"
    case yellow = "33"
  }

  /// The characters of one glyph set.
  struct Symbols {
    var axis: Character
    var tick: Character
    var corner: Character
    var rule: Character
    var ruleTick: Character
    var failed: Character
    var regression: Character
    var missing: Character

    init(_ glyphs: ChartGlyphs) {
      if glyphs == .ascii {
        (axis, tick, corner, rule, ruleTick) = ("|", "+", "+", "-", "+")
        (failed, regression, missing) = ("x", "^", ".")
      } else {
        (axis, tick, corner, rule, ruleTick) = ("│", "┤", "└", "─", "┬")
        (failed, regression, missing) = ("✗", "▲", "·")
      }
    }
  }

  /// One column range of the plot and the point (or bucket of points) drawn in it.
  struct Slot {
    /// The value in display units, the median of the bucket.
    var value: Double?
    var mark: ChartMark?
    /// The range of point indices in this slot.
    var points: Range<Int>
    /// The plot columns this slot owns.
    var columns: Range<Int>

    /// The column markers and ASCII stems go in.
    var center: Int { columns.lowerBound + (columns.count - 1) / 2 }
    /// The braille dot column of the point: the middle of the slot, counted in half-cells.
    var dotX: Int { columns.lowerBound + columns.upperBound - 1 }
    /// The columns of a block bar `width` wide (at most the slot's width less one, or 1), centred in the slot.
    func bar(width: Int) -> Range<Int> {
      let start = columns.lowerBound + (columns.count - width) / 2
      return start..<(start + width)
    }

    /// One width for every bar: up to three columns, leaving a gap between neighbours when there is room.
    static func barWidth(_ slots: [Slot]) -> Int {
      let narrowest = slots.map(\.columns.count).min() ?? 1
      return narrowest <= 1 ? 1 : min(3, narrowest - 1)
    }

    /// Spreads the points over `columns`, one slot per point, or one per column with the median of its bucket.
    static func layout(
      _ points: [(point: ChartPoint, value: Double?)], columns: Int, mean: Bool = false
    ) -> [Slot] {
      let count = points.count
      let slotCount = min(count, columns)
      return (0..<slotCount).map { index in
        let members = (index * count / slotCount)..<((index + 1) * count / slotCount)
        let owned = (index * columns / slotCount)..<((index + 1) * columns / slotCount)
        let values = members.compactMap { points[$0].value }.sorted()
        var median: Double?
        if mean, !values.isEmpty {
          median = values.reduce(0, +) / Double(values.count)
        } else if !values.isEmpty {
          let middle = values.count / 2
          median =
            values.count % 2 == 1 ? values[middle] : (values[middle - 1] + values[middle]) / 2
        }
        let marks = members.compactMap { points[$0].point.mark }
        let mark: ChartMark? = marks.contains(.regression) ? .regression : marks.first
        return Slot(value: median, mark: mark, points: members, columns: owned)
      }
    }
  }

  /// Round y-axis ticks from 0 to the largest value rounded up to a multiple of a round step.
  struct Scale {
    var top: Double
    var ticks: [Double]

    init(unit: ChartUnit, largest: Double, intervals: Int) {
      let largest = min(max(0, largest), Format.largest)
      let intervals = max(1, intervals)
      let steps = Self.steps(unit)
      let step = steps.first { Double(intervals) * $0 >= largest * (1 - 1e-9) } ?? steps.last ?? 1
      let count = Int(min(Double(intervals), max(1, (largest / step - 1e-9).rounded(.up))))
      top = Double(count) * step
      ticks = (0...count).map { Double($0) * step }
    }

    static func steps(_ unit: ChartUnit) -> [Double] {
      var decimal: [Double] = []
      for exponent in -2...15 {
        for factor in [1.0, 2.0, 5.0] { decimal.append(factor * pow(10, Double(exponent))) }
      }
      switch unit {
      case .count: return decimal.filter { $0 >= 1 }
      case .ratio: return decimal.filter { $0 >= 0.1 - 1e-12 }
      case .seconds:
        let clock: [Double] = [
          0.01, 0.02, 0.05, 0.1, 0.2, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600,
          7200, 10800, 21600,
          43200,
        ]
        return clock + decimal.filter { $0 >= 1 }.map { $0 * 86400 }
      }
    }
  }

  /// Number formats for ticks and the legend.
  enum Format {
    /// Values are capped here (about 31 million years of seconds) so that every conversion to `Int` is safe.
    static let largest = 1e15

    /// Up to `digits` decimals, trailing zeros dropped: `2.5`, `0.05`, `3`.
    static func trimmed(_ value: Double, _ digits: Int) -> String {
      var text = String(format: "%.\(digits)f", value)
      if text.contains(".") {
        while text.hasSuffix("0") { text.removeLast() }
        if text.hasSuffix(".") { text.removeLast() }
      }
      return text == "-0" ? "0" : text
    }

    /// A y-axis label: `0s`, `30s`, `1m30s`, `2m`, `1h30m`; `45%`; `250`, `1.5k`.
    static func tick(_ value: Double, _ unit: ChartUnit) -> String {
      let value = min(value, largest)
      switch unit {
      case .ratio: return trimmed(value, 1) + "%"
      case .count: return count(value)
      case .seconds:
        if value < 59.995 { return trimmed(value, 2) + "s" }
        if value < 3599.5 {
          let total = Int(value.rounded())
          let seconds = total % 60
          return seconds == 0 ? "\(total / 60)m" : String(format: "%dm%02ds", total / 60, seconds)
        }
        let minutes = Int((value / 60).rounded())
        let rest = minutes % 60
        return rest == 0 ? "\(minutes / 60)h" : String(format: "%dh%02dm", minutes / 60, rest)
      }
    }

    /// A legend value: `0.4s`, `12.3s`, `4m12s`, `1h02m`; `87.5%`; `250`, `1.5k`.
    static func value(_ value: Double, _ unit: ChartUnit) -> String {
      let value = min(value, largest)
      switch unit {
      case .ratio: return trimmed(value, 1) + "%"
      case .count: return count(value)
      case .seconds:
        if value < 59.95 { return String(format: "%.1fs", value) }
        let total = Int(value.rounded())
        if total < 3600 { return String(format: "%dm%02ds", total / 60, total % 60) }
        return String(format: "%dh%02dm", total / 3600, (total % 3600) / 60)
      }
    }

    static func count(_ value: Double) -> String {
      if value < 999.5 { return trimmed(value, 1) }
      if value < 999_950 { return trimmed(value / 1e3, 1) + "k" }
      if value < 999_950_000 { return trimmed(value / 1e6, 1) + "M" }
      return trimmed(value / 1e9, 1) + "G"
    }
  }

  /// The x labels (first, middle, last) placed under their points without overlapping.
  struct XLabels {
    /// The label row, starting at the first plot column.
    var text = ""
    /// The plot columns that carry a label, ticked on the axis.
    var columns: [Int] = []

    init(points: [ChartPoint], slots: [Slot], columns width: Int) {
      guard let last = points.indices.last else { return }
      func column(of index: Int) -> Int { slots.first { $0.points.contains(index) }?.center ?? 0 }
      func label(_ index: Int) -> [Character] { Array(Text.clean(points[index].label)) }

      var first = label(0)
      let firstColumn = column(of: 0)
      var placed: [(start: Int, text: [Character], column: Int)] = []
      if last == 0 {
        first = Array(Text.fit(String(first), width))
        let start = min(max(0, firstColumn - first.count / 2), width - first.count)
        placed.append((start, first, firstColumn))
      } else {
        var final = label(last)
        let finalColumn = column(of: last)
        // First and last share the row with at least two spaces between them.
        if first.count + final.count + 2 > width {
          let half = max(1, (width - 2) / 2)
          first = Array(Text.fit(String(first), half))
          final = Array(Text.fit(String(final), max(1, width - 2 - first.count)))
        }
        let firstStart = min(
          max(0, firstColumn - first.count / 2), width - first.count - final.count - 2)
        let firstEnd = max(0, firstStart) + first.count
        let finalStart = max(min(width - final.count, finalColumn - final.count / 2), firstEnd + 2)
        placed.append((max(0, firstStart), first, firstColumn))
        if last >= 2 {
          let middle = last / 2
          let middleText = label(middle)
          let middleColumn = column(of: middle)
          let start = min(
            max(middleColumn - middleText.count / 2, firstEnd + 2),
            finalStart - 2 - middleText.count)
          if start >= firstEnd + 2, start <= middleColumn, middleColumn < start + middleText.count {
            placed.append((start, middleText, middleColumn))
          }
        }
        placed.append((finalStart, final, finalColumn))
      }
      var row = [Character](repeating: " ", count: width)
      for item in placed {
        for (offset, character) in item.text.enumerated() where item.start + offset < width {
          row[item.start + offset] = character
        }
      }
      text = Text.trimmed(String(row))
      columns = placed.map(\.column)
    }
  }

  /// A one-line legend of parts separated by two spaces, cut to the width before colouring.
  struct Legend {
    var parts: [(text: String, style: Style?)] = []

    mutating func add(_ text: String, _ style: Style?) { parts.append((text, style)) }

    func render(width: Int, paint: (String, Style?) -> String) -> String {
      var line = ""
      var used = 0
      for (index, part) in parts.enumerated() {
        let separator = index == 0 ? "" : "  "
        let room = width - used - separator.count
        guard room > 0 else { break }
        let text = Text.fit(part.text, room)
        line += separator + paint(text, part.style)
        used += separator.count + text.count
        if text.count < part.text.count { break }
      }
      return line
    }
  }

  /// Text helpers, counted in characters.
  enum Text {
    /// Control characters and escape sequences become visible (``TerminalText/sanitized(_:)``) and tabs
    /// spaces, so a title or label cannot move the cursor.
    static func clean(_ text: String) -> String {
      TerminalText.sanitized(text).replacingOccurrences(of: "\t", with: " ")
    }

    /// `text` cut to `width` characters, ending with `…` when cut.
    static func fit(_ text: String, _ width: Int) -> String {
      guard width > 0 else { return "" }
      guard text.count > width else { return text }
      return String(text.prefix(width - 1)) + "…"
    }

    static func trimmed(_ line: String) -> String {
      var line = line
      while line.last == " " { line.removeLast() }
      return line
    }
  }
}
