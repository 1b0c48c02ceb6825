import BuildStore
import Foundation

/// A query's error in a form that crosses the wire: the service puts it beside `error` in the data
/// form's error body, and a client throws the same error again, so that it is worded and exits as
/// from a local history.
public enum QueryFailure: Sendable, Codable, Equatable {
  case store(StoreError)
  case buildtrail(BuildtrailError)

  /// `error`'s transmissible form, nil for any other error.
  public init?(_ error: any Error) {
    switch error {
    case let error as StoreError: self = .store(error)
    case let error as BuildtrailError: self = .buildtrail(error)
    default: return nil
    }
  }

  /// The error to throw again.
  public var error: any Error {
    switch self {
    case .store(let error): return error
    case .buildtrail(let error): return error
    }
  }
}
