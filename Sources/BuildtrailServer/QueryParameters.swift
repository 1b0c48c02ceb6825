import BuildLog
import BuildtrailKit
import Foundation
import Hummingbird

/// A request's query parameters, named as the CLI's flags without `--` (`limit`, `max-slowdown`),
/// read with the CLI's checks. A parameter the route does not take, or one given twice that is not
/// repeatable, is refused rather than ignored, so that a typo cannot widen an answer.
struct QueryParameters: Sendable {
  private let values: [String: [String]]

  /// - Throws: ``APIError`` (400) for an unknown or repeated parameter.
  init(_ pairs: [(name: String, value: String)], allowed: [String], repeatable: Set<String> = [])
    throws
  {
    var values: [String: [String]] = [:]
    for (name, value) in pairs {
      values[name, default: []].append(value)
    }
    for (name, given) in values {
      guard allowed.contains(name) else {
        let takes = allowed.isEmpty ? "no parameters" : allowed.joined(separator: ", ")
        throw APIError(.badRequest, "unknown parameter '\(name)'; this route takes \(takes)")
      }
      if given.count > 1, !repeatable.contains(name) {
        throw APIError(
          .badRequest, "parameter '\(name)' is given \(given.count) times; give it once")
      }
    }
    self.values = values
  }

  /// The decoded query parameters of `request`, in order.
  static func pairs(of request: Request) -> [(name: String, value: String)] {
    request.uri.queryParameters.map { (String($0.key), String($0.value)) }
  }

  /// The text of `name`, or nil when absent.
  func string(_ name: String) -> String? {
    values[name]?.last
  }

  /// A build id or another whole number.
  func int64(_ name: String) throws -> Int64? {
    guard let text = string(name) else { return nil }
    guard let value = Int64(text) else {
      throw APIError(.badRequest, "\(name) takes a build id (a whole number), got '\(text)'")
    }
    return value
  }

  /// A count of builds (`limit`, `last`, `window`) within ``QueryArgument/count(_:name:)``'s range.
  func count(_ name: String, default fallback: Int) throws -> Int {
    guard let text = string(name) else { return fallback }
    guard let value = Int(text) else {
      throw APIError(
        .badRequest,
        "\(name) takes a whole number from 1 to \(QueryArgument.maxCount), got '\(text)'")
    }
    try QueryArgument.count(value, name: name)
    return value
  }

  /// A switch: absent, empty, `true` or `1` (on), `false` or `0` (off).
  func flag(_ name: String) throws -> Bool {
    switch string(name) {
    case nil, "false", "0": return false
    case "", "true", "1": return true
    case let text?:
      throw APIError(.badRequest, "\(name) takes true or false, got '\(text)'")
    }
  }

  /// `label=key=value` parameters as a dictionary, as `--label` gives them.
  func labels(_ name: String = "label") throws -> [String: String] {
    var labels: [String: String] = [:]
    for text in values[name] ?? [] {
      let parts = text.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
      guard parts.count == 2 else {
        throw APIError(.badRequest, "\(name) takes key=value, got '\(text)'")
      }
      labels[String(parts[0])] = String(parts[1])
    }
    return labels
  }

  /// A build outcome: success, failed, canceled or unknown.
  func outcome(_ name: String = "outcome") throws -> BuildOutcome? {
    guard let text = string(name) else { return nil }
    guard let outcome = BuildOutcome(rawValue: text) else {
      let names = BuildOutcome.allCases.map(\.rawValue).joined(separator: ", ")
      throw APIError(.badRequest, "\(name) takes one of \(names), got '\(text)'")
    }
    return outcome
  }

  /// A date `YYYY-MM-DD` (UTC).
  func date(_ name: String) throws -> Date? {
    try string(name).map { try QueryArgument.date($0, name: name) }
  }

  /// A share as a percentage (`20%`) or a fraction (`0.2`).
  func percentage(_ name: String, range: ClosedRange<Double>) throws -> Double? {
    try string(name).map { try QueryArgument.percentage($0, name: name, range: range) }
  }
}
