// swift-tools-version:6.0
import PackageDescription

/// The renderer fuzzer: a libFuzzer target, built by `Fuzz/run-renderer.sh` with
/// `-sanitize=fuzzer,address`. Not part of the main package, so `swift build` there never needs libFuzzer.
let package = Package(
  name: "RendererFuzz",
  platforms: [.macOS(.v13)],
  dependencies: [.package(name: "buildtrail", path: "../..")],
  targets: [
    /** Starts libFuzzer's driver from the `main` SwiftPM gives the executable. */
    .target(name: "FuzzDriver"),
    .executableTarget(
      name: "renderer-fuzzer",
      dependencies: [
        "FuzzDriver", .product(name: "BuildtrailKit", package: "buildtrail"),
        .product(name: "BuildtrailRendering", package: "buildtrail"),
      ]),
  ]
)
