import BuildStore
import BuildtrailKit
import Foundation

/// An error as one line for the command line: the problem, and the fix in the CLI's terms (the
/// `--db` flag, the command to run), since the store and the use cases name neither.
public enum ErrorText {
  /// The message `buildtrail: error:` prints for `error`.
  public static func commandLine(_ error: Error) -> String {
    let message = (error as? LocalizedError)?.errorDescription ?? "\(error)"
    switch error {
    case let store as StoreError: return message + (fix(for: store) ?? "")
    case BuildtrailError.noSuchStep(let build?, _):
      return message + " (`buildtrail show \(build)` lists them)"
    case BuildtrailError.noSuchStep(nil, _):
      return message + "; `buildtrail show` lists the steps"
    default: return message
    }
  }

  private static func fix(for error: StoreError) -> String? {
    switch error {
    case .notADatabase:
      return "; pass another --db path (or set BUILDTRAIL_DB) or move that file away"
    case .locked: return ", or use another --db"
    case .cannotOpen, .schema: return ", or pass another --db"
    case .readOnly, .full: return " or pass another --db"
    case .emptyHistory:
      return
        "; record one with `buildtrail record LOG` or `buildtrail record -- docker buildx build …`"
    case .damagedRecord(let id):
      return "; delete it with `buildtrail delete \(id)` or restore the file from a copy"
    case .noSuchBuild: return "; `buildtrail builds` lists the recorded ones"
    case .newerSchema, .failed: return nil
    }
  }
}
