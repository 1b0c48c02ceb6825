import BuildStore

extension BuildStore {
  /// `buildID`, or the latest build (of `service` when given); throws when there is none.
  func chosenBuildID(_ buildID: Int64?, service: String?) throws -> Int64 {
    if let buildID { return buildID }
    if let id = try latestBuildID(service: service) { return id }
    if let service, try latestBuildID() != nil {
      throw StoreError.noSuchBuild("of service \(service)")
    }
    throw StoreError.emptyHistory(path: path)
  }
}
