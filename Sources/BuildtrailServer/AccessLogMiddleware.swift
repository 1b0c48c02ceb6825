import BuildtrailRendering
import Hummingbird

/// The outermost middleware: turns what the router could not answer (an unknown path, a framework
/// error) into the API's JSON error body, and logs one line per request with its id, method, path,
/// route, status, body size and duration. Query strings and headers are never logged.
struct AccessLogMiddleware<Context: RequestContext>: RouterMiddleware {
  func handle(
    _ request: Request, context: Context,
    next: (Request, Context) async throws -> Response
  ) async throws -> Response {
    let start = ContinuousClock.now
    let response: Response
    do {
      response = try await next(request, context)
    } catch let error as HTTPError
      where error.status == .notFound && !Self.methods(request.uri.path).isEmpty
      && !Self.methods(request.uri.path).contains(request.method.rawValue)
    {
      let methods = Self.methods(request.uri.path)
      var answer = APIResponse.error(
        APIError(
          .methodNotAllowed,
          "\(request.method) is not allowed on \(request.uri.path); use \(methods.filter { $0 != "HEAD" }.joined(separator: " or "))"
        ))
      answer.headers[.allow] = methods.joined(separator: ", ")
      response = answer
    } catch let error as HTTPError {
      let message =
        error.status == .notFound
        ? "no route \(request.method) \(request.uri.path)"
        : error.body ?? error.status.reasonPhrase
      response = APIResponse.error(APIError(error.status, message))
    } catch {
      response = APIResponse.error(APIError(error))
    }
    let elapsed = ContinuousClock.now - start
    let milliseconds =
      Double(elapsed.components.seconds) * 1000
      + Double(elapsed.components.attoseconds) / 1e15
    context.logger.info(
      "request",
      metadata: [
        "method": "\(request.method)",
        "path": "\(TerminalText.sanitized(request.uri.path))",
        "route": "\(context.endpointPath ?? "-")",
        "status": "\(response.status.code)",
        "bytes": "\(response.body.contentLength ?? 0)",
        "duration_ms": "\((milliseconds * 10).rounded() / 10)",
      ])
    return response
  }

  /// The methods the service answers on `path` (``ServicePaths``), empty for a path it does not
  /// know: GET and HEAD on the read paths, POST on the upload paths.
  static func methods(_ path: String) -> [String] {
    let segments = path.split(separator: "/", omittingEmptySubsequences: true)
    func matches(_ pattern: String) -> Bool {
      let parts = pattern.split(separator: "/", omittingEmptySubsequences: true)
      return parts.count == segments.count
        && zip(parts, segments).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
    }
    return (ServicePaths.reads.contains(where: matches) ? ["GET", "HEAD"] : [])
      + (ServicePaths.writes.contains(where: matches) ? ["POST"] : [])
  }
}
