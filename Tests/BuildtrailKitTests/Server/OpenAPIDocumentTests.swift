import BuildStore
import Foundation
import Hummingbird
import Testing

@testable import BuildtrailServer

/// The OpenAPI document against the router itself: every route the router answers is documented,
/// every documented operation is answered, and the tables the middlewares keep (405's methods, the
/// paths open without a token) agree with it.
@Suite struct OpenAPIDocumentTests {
  /// The embedded document, parsed.
  static func document() throws -> [String: Any] {
    let parsed = try JSONSerialization.jsonObject(with: Data(OpenAPIDocument.json.utf8))
    return try #require(parsed as? [String: Any])
  }

  /// Each documented operation, `METHOD /path` with its `{name}` segments.
  static func operations(_ document: [String: Any]) throws -> [String: [String: Any]] {
    let paths = try #require(document["paths"] as? [String: [String: Any]])
    var found: [String: [String: Any]] = [:]
    for (path, item) in paths {
      for (method, operation) in item {
        guard let operation = operation as? [String: Any] else { continue }
        found["\(method.uppercased()) \(path)"] = operation
      }
    }
    return found
  }

  /// The routes the service's router answers, read from the router as the server builds it.
  static func routes() throws -> Set<String> {
    let root = try scratchDirectory()
    let store = try BuildStore(path: root.appendingPathComponent("history.db").path)
    let server = HistoryServer(listen: ListenAddress(host: "127.0.0.1", port: 0), store: store)
    let uploads = UploadRoutes(
      store: store, limits: UploadLimits(), folder: UploadFolder(databasePath: store.path))
    return Set(server.router(uploads: uploads).routes.map { "\($0.method) \($0.path)" })
  }

  @Test func everyRouteIsDocumentedAndEveryOperationAnswered() throws {
    let documented = Set(try Self.operations(try Self.document()).keys)
    let served = try Self.routes()
    #expect(served.count >= 15, "\(served.sorted())")
    #expect(
      served.subtracting(documented).isEmpty,
      "not documented: \(served.subtracting(documented).sorted())")
    #expect(
      documented.subtracting(served).isEmpty,
      "not answered: \(documented.subtracting(served).sorted())")
  }

  @Test func theMethodsTableOf405AnswersEveryRoute() throws {
    for route in try Self.routes() {
      let parts = route.split(separator: " ", maxSplits: 1).map(String.init)
      let concrete = parts[1].replacingOccurrences(
        of: #"\{[^}]+\}"#, with: "1", options: .regularExpression)
      #expect(
        AccessLogMiddleware<BasicRequestContext>.methods(concrete).contains(parts[0]), "\(route)")
    }
  }

  @Test func operationsWithoutSecurityAreTheOpenPaths() throws {
    let operations = try Self.operations(try Self.document())
    let open = operations.filter { ($0.value["security"] as? [Any])?.isEmpty == true }.keys
    #expect(Set(open) == Set(AuthMiddleware<BasicRequestContext>.openPaths.map { "GET \($0)" }))
    for (name, operation) in operations where !open.contains(name) {
      let security = try #require(operation["security"] as? [[String: [String]]], "\(name)")
      let scope = name.hasPrefix("GET ") ? "read" : "record"
      #expect(security == [["bearer": [scope]]], "\(name)")
      let responses = try #require(operation["responses"] as? [String: Any], "\(name)")
      #expect(responses["401"] != nil && responses["403"] != nil, "\(name)")
    }
  }

  @Test func eachReadRouteDocumentsTheParametersItTakes() throws {
    let operations = try Self.operations(try Self.document())
    for route in QueryRoutes.all {
      let operation = try #require(operations["GET \(route.path)"], "\(route.path)")
      let parameters = try #require(operation["parameters"] as? [[String: Any]], "\(route.path)")
      let query = parameters.filter { $0["in"] as? String == "query" }.compactMap {
        $0["name"] as? String
      }
      #expect(Set(query) == Set(route.parameters), "\(route.path)")
      let path = parameters.filter { $0["in"] as? String == "path" }.compactMap {
        $0["name"] as? String
      }
      #expect(path.map { "{\($0)}" }.allSatisfy(route.path.contains), "\(route.path)")
      #expect(path.count == route.path.filter { $0 == "{" }.count, "\(route.path)")
    }
  }

  @Test func everyReferenceResolves() throws {
    let text = OpenAPIDocument.json
    let document = try Self.document()
    let components = try #require(document["components"] as? [String: [String: Any]])
    let references = try NSRegularExpression(pattern: ##""\$ref": "#/components/(\w+)/(\w+)""##)
    let matches = references.matches(in: text, range: NSRange(text.startIndex..., in: text))
    #expect(matches.count > 50)
    for match in matches {
      let kind = String(text[Range(match.range(at: 1), in: text)!])
      let name = String(text[Range(match.range(at: 2), in: text)!])
      #expect(components[kind]?[name] != nil, "#/components/\(kind)/\(name)")
    }
    #expect(document["openapi"] as? String == "3.1.0")
  }
}
