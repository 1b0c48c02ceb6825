import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Hummingbird

/// `GET /builds/{id}`: one build's HTML page (``HTMLBuildPage``), its links under `/`; the HTML
/// not-found page for a build that is not in the history or an id that is not a number.
enum BuildPageRoute {
  static let path = "/builds/{id}"
  /// Where the report and the build pages live.
  static let base = "/"

  static func answer(_ context: BasicRequestContext, store: BuildStore) async -> Response {
    guard let text = context.parameters.get("id"), let id = Int64(text), id > 0 else {
      return notFound("There is no build with that id: build pages are /builds/NUMBER.")
    }
    do {
      let page = try await Blocking.run { try BuildPageQuery(store: store).page(id) }
      return APIResponse.html(HTMLBuildPage.render(page, base: base))
    } catch {
      let failure = APIError(error)
      guard failure.status == .notFound else { return APIResponse.error(failure) }
      return notFound(failure.message)
    }
  }

  private static func notFound(_ message: String) -> Response {
    var response = APIResponse.html(HTMLBuildPage.notFound(message, base: base))
    response.status = .notFound
    return response
  }
}
