// swift-tools-version:6.0
import Foundation
import PackageDescription

/// The project is the package two folders up; SwiftPM names a path dependency after its folder.
let project = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .deletingLastPathComponent()
  .deletingLastPathComponent().lastPathComponent

let package = Package(
  name: "ParserFuzzer",
  dependencies: [.package(path: "../..")],
  targets: [
    /** libFuzzer target over `LogParser`: build with `-sanitize=fuzzer,address` (see `Fuzz/run-parser.sh`). */
    .executableTarget(
      name: "ParserFuzzer", dependencies: [.product(name: "BuildLog", package: project)])
  ]
)
