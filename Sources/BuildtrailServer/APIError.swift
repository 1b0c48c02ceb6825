import BuildStore
import BuildtrailKit
import BuildtrailRendering
import Foundation
import Hummingbird

/// A request the service cannot answer: the HTTP status and the message of the JSON body. Messages
/// are the errors' own descriptions, without the fixes the CLI adds in its terms (`--db`).
struct APIError: Error {
  var status: HTTPResponse.Status
  var message: String
  /// For an upload whose kept inputs were neither sent nor held: their SHA-256, to send again with.
  var missingInputs: [String]?
  /// The use case's error, which the data form's body carries for a client to throw again.
  var failure: QueryFailure?

  init(_ status: HTTPResponse.Status, _ message: String, failure: QueryFailure? = nil) {
    self.status = status
    self.message = message
    self.failure = failure
  }

  /// What `error`, thrown by a use case or a parameter check, answers (a database named by its file
  /// name only, never its folder): 404 when a build, a step or the history's builds are missing, 400 for arguments that cannot be honoured, 503 while the database
  /// is locked, 500 otherwise.
  init(_ error: any Error) {
    if let error = error as? APIError {
      self = error
      return
    }
    let error = (error as? StoreError)?.namingFileOnly ?? error
    let message = (error as? any LocalizedError)?.errorDescription ?? "\(error)"
    let status: HTTPResponse.Status
    switch error {
    case StoreError.noSuchBuild, StoreError.emptyHistory, BuildtrailError.noSuchStep:
      status = .notFound
    case StoreError.locked:
      status = .serviceUnavailable
    case is StoreError:
      status = .internalServerError
    case is BuildtrailError:
      status = .badRequest
    default:
      status = .internalServerError
    }
    self.init(status, message, failure: QueryFailure(error))
  }

  /// The body: `{"error": "…"}` (with `"missingInputs": [...]` when there are) and a newline.
  var body: String {
    guard let missingInputs else { return JSONOutput.encode(["error": message]) }
    return JSONOutput.encode(["error": Field.text(message), "missingInputs": .list(missingInputs)])
  }

  /// A value of the body; a dictionary's keys are written as they are (not in snake case).
  private enum Field: Encodable {
    case text(String)
    case list([String])

    func encode(to encoder: any Encoder) throws {
      var container = encoder.singleValueContainer()
      switch self {
      case .text(let text): try container.encode(text)
      case .list(let list): try container.encode(list)
      }
    }
  }

  /// The body in ``QueryData``'s form: `error`, and `failure`, the typed error, when there is one.
  var dataBody: String {
    let body = QueryFailureBody(error: message, failure: failure)
    return (try? QueryData.encode(body)).map { String(decoding: $0, as: UTF8.self) } ?? self.body
  }
}
