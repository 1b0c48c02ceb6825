import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct VersionOrderTests {
  struct Case: CustomTestStringConvertible, Sendable {
    let lower: String
    let higher: String
    var testDescription: String { "\(lower) < \(higher)" }
  }

  static let ascending: [Case] = [
    .init(lower: "1.9", higher: "1.10"),
    .init(lower: "1.9.9", higher: "1.10.0"),
    .init(lower: "0.110.0", higher: "0.111.0"),
    .init(lower: "2.31.0", higher: "2.32.3"),
    .init(lower: "1.0.0rc1", higher: "1.0.0"),
    .init(lower: "1.0.0a1", higher: "1.0.0b1"),
    .init(lower: "1.0.0b2", higher: "1.0.0rc1"),
    .init(lower: "1.0.0.dev3", higher: "1.0.0a1"),
    .init(lower: "1.0.0a1.dev1", higher: "1.0.0a1"),
    .init(lower: "1.0.0", higher: "1.0.0.post1"),
    .init(lower: "1.0.0.post1", higher: "1.0.1"),
    .init(lower: "2.0.0-beta.2", higher: "2.0.0"),
    .init(lower: "2.0.0-beta.2", higher: "2.0.0-beta.11"),
    .init(lower: "1.0.0-alpha", higher: "1.0.0-alpha.1"),
    .init(lower: "1.0.0-alpha.1", higher: "1.0.0-alpha.beta"),
    .init(lower: "1.0.0-alpha.beta", higher: "1.0.0-beta"),
    .init(lower: "1.0.0-beta.11", higher: "1.0.0-rc.1"),
    .init(lower: "1.0.0-rc.1", higher: "1.0.0"),
    .init(lower: "0.27", higher: "0.27.1"),
    .init(lower: "v1.8.0", higher: "v1.10.1"),
    .init(
      lower: "v0.0.0-20220908164124-27713097b956", higher: "v0.0.0-20230101000000-abcdef123456"),
    .init(lower: "v0.0.0-20220908164124-27713097b956", higher: "v0.1.0"),
    .init(lower: "2024.2.2", higher: "2024.7.4"),
    .init(lower: "1.2.3", higher: "12.0"),
    .init(lower: "1.0.0-99999999999999999999", higher: "1.0.0-100000000000000000000"),
  ]

  @Test(arguments: ascending)
  func orders(_ pair: Case) {
    #expect(VersionOrder.compare(pair.lower, pair.higher) == .orderedAscending)
    #expect(VersionOrder.compare(pair.higher, pair.lower) == .orderedDescending)
  }

  @Test(arguments: [
    ("0.27.0", "0.27"), ("1.0", "1.0.0.0"), ("v1.2.3", "1.2.3"), ("1.0.0rc1", "1.0.0-rc.1"),
    ("1.0.0a1", "1.0.0-alpha1"),
    ("2.1.0+cpu", "2.1.0+cu118"), ("1.0.0+build.1", "1.0.0"), ("007", "7"),
  ])
  func same(a: String, b: String) {
    #expect(VersionOrder.compare(a, b) == .orderedSame)
    #expect(VersionOrder.compare(b, a) == .orderedSame)
  }

  @Test func nonVersionsCompareAsText() {
    #expect(VersionOrder.compare("dev-main", "dev-main") == .orderedSame)
    #expect(VersionOrder.compare("^1.2", "~1.2") == .orderedAscending)
    #expect(VersionOrder.compare("", "") == .orderedSame)
  }

  @Test(arguments: [
    "1.2.3", "v1.2.3", "1.0.0rc1", "2.0.0-beta.2", "2.1.0+cu118", "1.16.6-x86_64-linux",
    "6.4.post2",
  ])
  func plainVersions(_ text: String) {
    #expect(VersionOrder.isVersion(text))
  }

  @Test(arguments: [
    ">=0.110", "^4.17.1", "~=2.31", "1.26.*", "dev-main", "", "workspace:*", "@ https://x/y.whl",
    "1.0 || 2.0",
  ])
  func specifiersAreNotVersions(_ text: String) {
    #expect(!VersionOrder.isVersion(text))
  }
}
