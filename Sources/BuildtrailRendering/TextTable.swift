/// A plain-text table: a header row and aligned columns; the last column takes what width is left.
struct TextTable {
  enum Alignment { case left, right }
  struct Column {
    var title: String
    var alignment: Alignment
  }
  var columns: [Column]
  var rows: [[String]] = []
  /// Styles applied to a whole cell after alignment (colour), by row and column.
  var paint: ((_ row: Int, _ column: Int, _ text: String) -> String)?

  init(_ columns: [(String, Alignment)]) {
    self.columns = columns.map { Column(title: $0.0, alignment: $0.1) }
  }

  /// Adds a row; cells are made safe for the terminal (tabs become spaces) before widths are measured.
  mutating func add(_ row: [String]) {
    rows.append(row.map { TerminalText.sanitized($0).replacingOccurrences(of: "\t", with: " ") })
  }

  func render(width: Int) -> String {
    var widths = columns.map { $0.title.count }
    for row in rows {
      for (i, cell) in row.enumerated() where i < widths.count {
        widths[i] = max(widths[i], cell.count)
      }
    }
    let fixed = widths.dropLast().reduce(0, +) + 2 * (columns.count - 1)
    if let last = widths.indices.last { widths[last] = min(widths[last], max(10, width - fixed)) }
    func line(_ cells: [String], row: Int?) -> String {
      var parts: [String] = []
      for (i, column) in columns.enumerated() {
        let raw = truncate(i < cells.count ? cells[i] : "", to: widths[i])
        let pad = String(repeating: " ", count: max(0, widths[i] - raw.count))
        var cell = column.alignment == .left ? raw + (i == columns.count - 1 ? "" : pad) : pad + raw
        if let row, let paint { cell = paint(row, i, cell) }
        parts.append(cell)
      }
      return parts.joined(separator: "  ")
    }
    var out = [line(columns.map(\.title), row: nil)]
    for (i, row) in rows.enumerated() { out.append(line(row, row: i)) }
    return out.map { $0.replacingOccurrences(of: "\\s+$", with: "", options: .regularExpression) }
      .joined(separator: "\n") + "\n"
  }
}

/// CSV as RFC 4180 writes it: fields with commas, quotes or newlines are quoted.
enum CSV {
  /// A measured number for a CSV field: at most `decimals` decimals, without trailing zeros
  /// (`2.1999999999999997` → `2.2`, `3.0` → `3`).
  static func number(_ value: Double, decimals: Int = 3) -> String {
    guard value.isFinite else { return "" }
    var text = String(format: "%.\(decimals)f", value)
    if text.contains(".") {
      while text.hasSuffix("0") { text.removeLast() }
      if text.hasSuffix(".") { text.removeLast() }
    }
    return text == "-0" ? "0" : text
  }

  static func line(_ fields: [String]) -> String {
    fields.map { field in
      if field.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) {
        return "\"" + field.replacingOccurrences(of: "\"", with: "\"\"") + "\""
      }
      return field
    }.joined(separator: ",")
  }
}
