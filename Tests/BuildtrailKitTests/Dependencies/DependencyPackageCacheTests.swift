import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct DependencyPackageCacheTests {
  struct Failure: Error {}

  @Test func sameContentAndKindIsReadOnceAndFailuresAreNotKept() throws {
    let cache = DependencyPackageCache()
    let data = Data("anything".utf8)
    let package = [DependencyPackage(name: "a", version: "1")]
    var reads = 0
    let read = { () -> [DependencyPackage] in
      reads += 1
      return package
    }
    #expect(try cache.packages(data, kind: .uvLock, read: read) == package)
    #expect(try cache.packages(data, kind: .uvLock, read: read) == package)
    #expect(reads == 1)
    #expect(try cache.packages(data, kind: .cargoLock, read: read) == package)
    #expect(try cache.packages(Data("other".utf8), kind: .uvLock, read: read) == package)
    #expect(reads == 3)
    #expect(throws: Failure.self) {
      try cache.packages(Data("bad".utf8), kind: .uvLock) { throw Failure() }
    }
    #expect(try cache.packages(Data("bad".utf8), kind: .uvLock, read: read) == package)
    #expect(reads == 4)
  }

  @Test func theCacheStartsAfreshWhenFull() throws {
    let cache = DependencyPackageCache()
    var reads = 0
    for index in 0...DependencyPackageCache.capacity {
      _ = try cache.packages(Data("\(index)".utf8), kind: .uvLock) {
        reads += 1
        return []
      }
    }
    _ = try cache.packages(Data("0".utf8), kind: .uvLock) {
      reads += 1
      return []
    }
    #expect(reads == DependencyPackageCache.capacity + 2)
  }
}
