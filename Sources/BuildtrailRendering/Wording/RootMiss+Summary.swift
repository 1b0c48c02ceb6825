import BuildStore
import BuildtrailKit
import Foundation

extension RootMiss {
  /// The cause in a few words, naming the earlier step's stage and the build that rebuilt it when upstream.
  public var summary: String {
    upstream?.summary(of: cause) ?? cause.summary
  }
}
