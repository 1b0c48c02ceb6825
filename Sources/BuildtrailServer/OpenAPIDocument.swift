import Hummingbird

/// The service's OpenAPI 3.1 document (`OpenAPI/openapi.json`, embedded in the binary): every route,
/// its parameters, bodies, statuses and the JSON Schemas of its answers. Anyone may read it, as the
/// health checks: it describes the API and holds nothing of the history.
enum OpenAPIDocument {
  /// Where the service answers with it.
  static let path = "/api/v1/openapi.json"

  /// The document's bytes as embedded.
  static let json = String(decoding: PackageResources.openapi_json, as: UTF8.self)

  /// The answer to `GET` ``path``.
  static func response() -> Response {
    APIResponse.json(json)
  }
}
