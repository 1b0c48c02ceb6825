import BuildStore
import BuildtrailKit
import Foundation
import Hummingbird

/// One read route of the API: a path, the query parameters it takes (the CLI command's flags without
/// `--`), and how it answers. The route computes the command's use-case value once, then writes it
/// either as what `buildtrail COMMAND --format json` prints for the same arguments (the default), or
/// in ``QueryData``'s form when the request accepts that, for a client that renders it itself.
struct QueryRoute: Sendable {
  /// How a route's value is written.
  enum Form: Sendable {
    /// The documented JSON the CLI prints.
    case json
    /// The value itself, in ``QueryData``'s form.
    case data

    /// The form `request` asks for: `.data` when its `Accept` header names ``QueryData/mediaType``.
    init(accepting request: Request) {
      let accept = request.headers[values: .accept].joined(separator: ",")
      self = accept.contains(QueryData.mediaType) ? .data : .json
    }
  }

  /// The path, with `{name}` for a path parameter.
  var path: String
  /// The CLI command whose JSON the route answers with.
  var command: String
  /// The query parameters it takes.
  var parameters: [String]
  /// Those that may be given more than once.
  var repeatable: Set<String>
  /// The body in a form, from the route's arguments and the history.
  let answer: @Sendable (RouteArguments, BuildStore, Form) throws -> String

  /// A route whose use case gives `value` and whose JSON `json` renders from that value (and the
  /// arguments, for rendering options such as `all`).
  init<Value: Encodable & Sendable>(
    path: String, command: String, parameters: [String], repeatable: Set<String> = [],
    value: @escaping @Sendable (RouteArguments, BuildStore) throws -> Value,
    json: @escaping @Sendable (Value, RouteArguments) throws -> String
  ) {
    self.path = path
    self.command = command
    self.parameters = parameters
    self.repeatable = repeatable
    answer = { arguments, store, form in
      let computed = try value(arguments, store)
      switch form {
      case .json: return try json(computed, arguments)
      case .data: return String(decoding: try QueryData.encode(computed), as: UTF8.self)
      }
    }
  }
}

/// What one request gives a route: its query parameters and its path parameters.
struct RouteArguments: Sendable {
  var query: QueryParameters
  var path: [String: String]

  /// The build id in path parameter `name`; nil for `latest`.
  func buildID(_ name: String = "id") throws -> Int64? {
    let text = path[name] ?? ""
    if text == "latest" { return nil }
    guard let id = Int64(text) else {
      throw APIError(.badRequest, "a build id is a whole number or latest, got '\(text)'")
    }
    return id
  }

  /// Path parameter `name`, percent-decoded.
  func text(_ name: String) throws -> String {
    let raw = path[name] ?? ""
    guard let text = raw.removingPercentEncoding else {
      throw APIError(.badRequest, "'\(raw)' is not valid percent-encoded text")
    }
    return text
  }
}
