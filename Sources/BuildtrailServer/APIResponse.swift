import BuildtrailKit
import Hummingbird

/// The service's responses: JSON documents, the JSON error body, and HTML pages, none cached and none
/// to be sniffed as another type.
enum APIResponse {
  /// A JSON document (a renderer's output) with `status`.
  static func json(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
    response(body, status: status, contentType: "application/json; charset=utf-8")
  }

  /// `error`'s status and its `{"error": "…"}` body; in ``QueryData``'s form for `form` `.data`.
  static func error(_ error: APIError, form: QueryRoute.Form = .json) -> Response {
    switch form {
    case .json: return json(error.body, status: error.status)
    case .data: return data(error.dataBody, status: error.status)
    }
  }

  /// A use case's value in ``QueryData``'s form.
  static func data(_ body: String, status: HTTPResponse.Status = .ok) -> Response {
    response(body, status: status, contentType: QueryData.mediaType)
  }

  /// An HTML page: no script runs and nothing is loaded from elsewhere; styles are inline.
  static func html(_ page: String) -> Response {
    var response = response(page, status: .ok, contentType: "text/html; charset=utf-8")
    response.headers[.contentSecurityPolicy] =
      "default-src 'none'; style-src 'unsafe-inline'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
    return response
  }

  private static func response(_ body: String, status: HTTPResponse.Status, contentType: String)
    -> Response
  {
    var headers: HTTPFields = [:]
    headers[.contentType] = contentType
    headers[.cacheControl] = "no-store"
    headers[.xContentTypeOptions] = "nosniff"
    return Response(
      status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: body)))
  }
}
