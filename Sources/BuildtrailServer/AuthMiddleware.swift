import Hummingbird

/// Checks the bearer token of every request but the open paths before the route runs (so before
/// any body is read): 401 with `WWW-Authenticate` without a known token, 403 without the scope.
/// GET and HEAD need `read`; every other method needs `record`. Tokens are never logged.
struct AuthMiddleware<Context: RequestContext>: RouterMiddleware {
  var policy: AccessPolicy

  /// Paths anyone may ask (``ServicePaths/open``).
  static var openPaths: Set<String> { ServicePaths.open }

  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    if Self.openPaths.contains(request.uri.path) { return try await next(request, context) }
    let scope: TokenScope = request.method == .get || request.method == .head ? .read : .record
    switch policy.decide(authorization: request.headers[.authorization], needs: scope) {
    case .allowed:
      return try await next(request, context)
    case .unauthenticated(let message):
      var response = APIResponse.error(APIError(.unauthorized, message))
      response.headers[.wwwAuthenticate] = "Bearer realm=\"buildtrail\""
      return response
    case .forbidden(let message):
      return APIResponse.error(APIError(.forbidden, message))
    }
  }
}
