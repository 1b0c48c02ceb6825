import BuildStore
import Foundation
import Hummingbird

/// One read route of the API: a path, the query parameters it takes (the CLI command's flags without
/// `--`), and its answer, which is what `buildtrail COMMAND --format json` prints for the same
/// arguments: the same use case and the same renderer.
struct QueryRoute: Sendable {
  /// The path, with `{name}` for a path parameter.
  var path: String
  /// The CLI command whose JSON the route answers with.
  var command: String
  /// The query parameters it takes.
  var parameters: [String]
  /// Those that may be given more than once.
  var repeatable: Set<String> = []
  /// The JSON body, from the route's arguments and the history.
  var answer: @Sendable (RouteArguments, BuildStore) throws -> String
}

/// What one request gives a route: its query parameters and its path parameters.
struct RouteArguments: Sendable {
  var query: QueryParameters
  var path: [String: String]

  /// The build id in path parameter `name`.
  func buildID(_ name: String = "id") throws -> Int64 {
    let text = path[name] ?? ""
    guard let id = Int64(text) else {
      throw APIError(.badRequest, "a build id is a whole number, got '\(text)'")
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
