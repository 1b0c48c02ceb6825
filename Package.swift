// swift-tools-version:6.0
import PackageDescription

let package = Package(
  name: "buildtrail",
  platforms: [.macOS(.v13)],
  products: [
    .executable(name: "buildtrail", targets: ["buildtrail"]),
    .library(name: "BuildtrailKit", targets: ["BuildtrailKit"]),
    .library(name: "BuildtrailRendering", targets: ["BuildtrailRendering"]),
    .library(name: "BuildLog", targets: ["BuildLog"]),
  ],
  dependencies: [
    .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
    .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
    .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
    .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
    .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
    .package(url: "https://github.com/swift-server/async-http-client", from: "1.37.0"),
    .package(url: "https://github.com/vapor/multipart-kit", from: "4.7.1"),
  ],
  targets: [
    /** Streaming, byte-oriented BuildKit / legacy log parser. Knows nothing of storage. */
    .target(name: "BuildLog"),
    /** The schema, as SQL files embedded in the binary. */
    .target(
      name: "BuildtrailMigrations",
      dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
      path: "Migrations",
      resources: [.embedInCode("SQL")]
    ),
    /** The system's zlib, for compressed output and inputs in the store. */
    .systemLibrary(name: "CZlib", pkgConfig: "zlib", providers: [.apt(["zlib1g-dev"])]),
    /** The SQLite store: records builds and answers queries. Knows nothing of terminals. */
    .target(
      name: "BuildStore",
      dependencies: [
        "BuildLog", "BuildtrailMigrations", "CZlib",
        .product(name: "GRDB", package: "GRDB.swift"),
        .product(name: "Crypto", package: "swift-crypto"),
      ]
    ),
    /** Use cases: recording, git and CI metadata, input snapshots, analysis; they return plain data. */
    .target(
      name: "BuildtrailKit",
      dependencies: [
        "BuildLog", "BuildStore",
        .product(name: "Crypto", package: "swift-crypto"),
        .product(name: "Yams", package: "Yams"),
        .product(name: "TOMLKit", package: "TOMLKit"),
      ]
    ),
    /** Presentation on top of the use cases: terminal tables and charts, HTML, JSON and CSV. */
    .target(
      name: "BuildtrailRendering",
      dependencies: [
        "BuildtrailKit", "BuildStore", "BuildLog",
        .product(name: "Mustache", package: "swift-mustache"),
      ],
      resources: [.embedInCode("Templates")]
    ),
    /** The HTTP service over one history: the queries' JSON and the HTML report, as the CLI prints them. */
    .target(
      name: "BuildtrailServer",
      dependencies: [
        "BuildtrailKit", "BuildtrailRendering", "BuildStore", "BuildLog",
        "CZlib",
        .product(name: "Hummingbird", package: "hummingbird"),
        .product(name: "MultipartKit", package: "multipart-kit"),
        .product(name: "Crypto", package: "swift-crypto"),
      ],
      resources: [.embedInCode("OpenAPI")]
    ),
    /** The client of a `serve` instance: uploads builds, reads query results. */
    .target(
      name: "BuildtrailClient",
      dependencies: [
        "BuildtrailKit", "BuildStore",
        .product(name: "AsyncHTTPClient", package: "async-http-client"),
      ]
    ),
    /** The thin executable: flags in, library calls out. */
    .executableTarget(
      name: "buildtrail",
      dependencies: [
        "BuildtrailKit", "BuildtrailRendering", "BuildtrailServer", "BuildtrailClient",
        .product(name: "ArgumentParser", package: "swift-argument-parser"),
      ],
      plugins: ["BuildCommitPlugin"]
    ),
    /** Stamps the git commit into the executable, for `buildtrail --version`. */
    .plugin(name: "BuildCommitPlugin", capability: .buildTool(), path: "Sources/BuildCommitPlugin"),
    /** Writes a synthetic history for the scale benchmark. */
    .executableTarget(
      name: "history-generator", dependencies: ["BuildStore", "BuildLog"],
      path: "Benchmarks/HistoryGenerator"),
    /** Synthetic histories with injected shifts and the scoring of the regression search against them. */
    .target(
      name: "RegressionBenchmarkSupport", dependencies: ["BuildtrailKit"],
      path: "Benchmarks/RegressionBenchmarkSupport"),
    /** Measures the change-point detector's precision and recall on synthetic histories. */
    .executableTarget(
      name: "regression-benchmark", dependencies: ["RegressionBenchmarkSupport", "BuildtrailKit"],
      path: "Benchmarks/RegressionBenchmark"),
    .testTarget(name: "BuildLogTests", dependencies: ["BuildLog"], exclude: ["Fixtures"]),
    .testTarget(
      name: "BuildStoreTests",
      dependencies: [
        "BuildStore", "BuildLog", "BuildtrailMigrations",
        .product(name: "GRDB", package: "GRDB.swift"),
      ]),
    .testTarget(
      name: "BuildtrailKitTests",
      dependencies: [
        "BuildtrailKit", "BuildtrailRendering", "BuildStore", "BuildLog", "buildtrail",
        "BuildtrailServer", "BuildtrailClient",
        "history-generator",
        "RegressionBenchmarkSupport",
        .product(name: "Yams", package: "Yams"),
      ],
      exclude: ["Rendering/Snapshots", "Charts/Snapshots", "Dependencies/Snapshots"]),
    .testTarget(
      name: "RegressionBenchmarkTests",
      dependencies: ["RegressionBenchmarkSupport", "BuildtrailKit"]),
  ]
)
