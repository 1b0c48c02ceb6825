/// Every path the service answers, in one place: the router registers them, the access log's 405
/// answers list their methods, and the access check lets the open ones through.
enum ServicePaths {
  /// The liveness check.
  static let health = "/healthz"
  /// The readiness check: the history answers a query.
  static let ready = "/readyz"
  /// The HTML report.
  static let report = "/"

  /// Paths anyone may ask, with or without a token: the health checks, for supervisors and load
  /// balancers, and the API's description.
  static let open: Set<String> = [health, ready, OpenAPIDocument.path]

  /// Paths answered to GET and HEAD (route patterns: a `{name}` segment matches any one segment).
  static var reads: [String] {
    QueryRoutes.all.map(\.path) + [
      report, BuildPageRoute.path, health, ready, OpenAPIDocument.path,
    ]
  }

  /// Paths answered to POST.
  static let writes = [UploadRoutes.buildsPath, UploadRoutes.missingPath]
}
