import BuildStore
import BuildtrailKit
import Foundation

extension MountWarmth {
  /// One line on the tool's cache mount: cold, warm, partly warm (packages fetched of the total) or
  /// unknown.
  public var summary: String {
    let packages = (total ?? 0) == 1 ? "package" : "packages"
    switch state {
    case .cold:
      return
        "\(tool) cache mount \(target) cold: fetched \(fetched ?? 0) of \(total ?? 0) \(packages)"
    case .warm:
      return "\(tool) cache mount \(target) warm: \(total ?? 0) \(packages) from the cache"
    case .partial:
      return
        "\(tool) cache mount \(target) partly warm: fetched \(fetched ?? 0) of \(total ?? 0) \(packages)"
    case .unknown: return "\(tool) cache mount \(target): warmth unknown"
    }
  }
}
