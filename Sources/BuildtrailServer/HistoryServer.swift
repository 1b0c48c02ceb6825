import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation
import Hummingbird
import HummingbirdCore

/// The HTTP service over one history: `GET /api/v1/…` answers each query with the JSON its CLI
/// command prints, `GET /` with the HTML report, `/healthz` and `/readyz` for supervisors, and
/// `POST /api/v1/builds` records a runner's upload as `record` would.
public struct HistoryServer: Sendable {
  /// Where to listen.
  public var listen: ListenAddress
  /// The history answered from and recorded into (best opened with `concurrentReads`).
  public var store: BuildStore
  /// Who may do what; nil lets anyone who reaches the address read and record.
  public var access: AccessPolicy?
  /// What uploads may be.
  public var limits: UploadLimits

  public init(
    listen: ListenAddress, store: BuildStore, access: AccessPolicy? = nil,
    limits: UploadLimits = UploadLimits()
  ) {
    self.listen = listen
    self.store = store
    self.access = access
    self.limits = limits
  }

  /// Serves until SIGTERM or SIGINT, then stops accepting, finishes the requests in flight (uploads
  /// included: they are recorded) and returns. `onListening` is called with the bound address (its
  /// real port when 0 was asked for).
  /// - Throws: when the address cannot be bound or the uploads folder beside the history made.
  public func run(onListening: @escaping @Sendable (ListenAddress) -> Void) async throws {
    let listen = self.listen
    let uploads = UploadFolder(databasePath: store.path)
    try uploads.prepare()
    defer { uploads.close() }
    let application = Application(
      router: router(uploads: UploadRoutes(store: store, limits: limits, folder: uploads)),
      server: .http1(
        configuration: HTTP1Channel.Configuration(
          idleTimeout: limits.idleTimeoutSeconds.map { .seconds(Int64($0)) })),
      configuration: ApplicationConfiguration(
        address: .hostname(listen.host, port: listen.port), serverName: "buildtrail"),
      onServerRunning: { channel in
        onListening(
          ListenAddress(host: listen.host, port: channel.localAddress?.port ?? listen.port))
      })
    try await application.runService()
  }

  func router(uploads: UploadRoutes) -> Router<BasicRequestContext> {
    let router = Router(context: BasicRequestContext.self)
    router.add(middleware: AccessLogMiddleware())
    if let access { router.add(middleware: AuthMiddleware(policy: access)) }
    let store = self.store
    router.post(RouterPath(UploadRoutes.buildsPath)) { request, _ in
      await uploads.builds(request)
    }
    router.post(RouterPath(UploadRoutes.missingPath)) { request, _ in
      await uploads.missing(request)
    }
    for route in QueryRoutes.all {
      router.get(RouterPath(route.path)) { request, context in
        await Self.answer(route, request: request, context: context, store: store)
      }
    }
    router.get(RouterPath(ServicePaths.report)) { request, _ in
      await Self.report(request, store: store)
    }
    router.get(RouterPath(BuildPageRoute.path)) { _, context in
      await BuildPageRoute.answer(context, store: store)
    }
    router.get(RouterPath(OpenAPIDocument.path)) { _, _ in OpenAPIDocument.response() }
    router.get(RouterPath(ServicePaths.health)) { _, _ in
      APIResponse.json("{\n  \"status\" : \"ok\"\n}\n")
    }
    router.get(RouterPath(ServicePaths.ready)) { _, _ in
      do {
        _ = try await Blocking.run { try store.latestBuildID() }
        return APIResponse.json("{\n  \"status\" : \"ready\"\n}\n")
      } catch {
        return APIResponse.error(APIError(.serviceUnavailable, APIError(error).message))
      }
    }
    return router
  }

  private static func answer(
    _ route: QueryRoute, request: Request, context: BasicRequestContext, store: BuildStore
  ) async -> Response {
    let form = QueryRoute.Form(accepting: request)
    do {
      let arguments = RouteArguments(
        query: try QueryParameters(
          QueryParameters.pairs(of: request), allowed: route.parameters,
          repeatable: route.repeatable),
        path: Dictionary(
          context.parameters.map { (String($0.key), String($0.value)) },
          uniquingKeysWith: { $1 }))
      let body = try await Blocking.run { try route.answer(arguments, store, form) }
      return form == .data ? APIResponse.data(body) : APIResponse.json(body)
    } catch {
      return APIResponse.error(APIError(error), form: form)
    }
  }

  /// The HTML report `buildtrail report` writes, for `branch`, `service` and `last`; its data
  /// (``HistoryReport``) when the request accepts ``QueryData``'s form.
  private static func report(_ request: Request, store: BuildStore) async -> Response {
    let form = QueryRoute.Form(accepting: request)
    do {
      let query = try QueryParameters(
        QueryParameters.pairs(of: request), allowed: ["branch", "service", "last"])
      let branch = query.string("branch")
      let service = query.string("service")
      let last = try query.count("last", default: 100)
      let body = try await Blocking.run {
        let report = try ReportQuery(store: store).report(
          branch: branch, service: service, last: last)
        return form == .data
          ? String(decoding: try QueryData.encode(report), as: UTF8.self)
          : HTMLReport.render(HTMLReportData(report, pageBase: BuildPageRoute.base))
      }
      return form == .data ? APIResponse.data(body) : APIResponse.html(body)
    } catch {
      return APIResponse.error(APIError(error), form: form)
    }
  }
}
