import BuildtrailKit
import Foundation

extension RegressionCause {
  /// The cause in words, as `regressions` and the report show it.
  public var text: String {
    switch self {
    case .stepMiss(let cause): return cause.summary
    case .build(let explanation): return explanation.verdict
    case .inputChange(let cause): return "at this build: " + cause.summary
    }
  }
}
