import Foundation

extension ParsedLog {
  /// The log with each build that several compose services (or bake targets) share split into one
  /// build per service, each with ``ParsedBuild/service`` set (see ``ServiceSplit`` for the rules).
  ///
  /// Applied after parsing, so that the raw parse stays one build per BuildKit session. Builds that
  /// already name their service (compose v1's `Building NAME`) and builds with no service prefix are
  /// kept as they are, except that a build with no prefix gets the service when `services` holds
  /// exactly one name.
  /// - Parameter services: the services the log builds, when the compose file is known; names that
  ///   print like stages (`[api 2/6]`) are read as services only when listed here or named elsewhere
  ///   in the session (`[api internal]`, `[api] exporting to image`).
  public func splitByService(services: [String] = []) -> ParsedLog {
    var result = self
    result.builds = builds.flatMap { ServiceSplit.split($0, services: services) }
    return result
  }

  /// The builds made for `service`.
  public func builds(forService service: String) -> [ParsedBuild] {
    builds.filter { $0.service == service }
  }
}
