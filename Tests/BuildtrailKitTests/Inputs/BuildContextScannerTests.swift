import Foundation
import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

#if canImport(Glibc)
  import Glibc
#elseif canImport(Darwin)
  import Darwin
#endif

struct BuildContextScannerTests {
  @Test func countsEverythingWithoutMatcher() throws {
    let dir = try InputsScratchDirectory()
    try dir.write("Dockerfile", "FROM scratch\n")  // 13 bytes
    try dir.write("src/a.txt", "aaaa")
    try dir.write("src/deep/b.txt", "bb")
    try dir.write("big.bin", String(repeating: "x", count: 100))
    try dir.makeDirectory("empty")

    let summary = try BuildContextScanner.scan(contextDirectory: dir.url, matcher: nil)
    #expect(summary.fileCount == 4)
    #expect(summary.totalBytes == 119)
    #expect(
      summary.topLevel == [
        .init(name: "big.bin", bytes: 100, files: 1),
        .init(name: "Dockerfile", bytes: 13, files: 1),
        .init(name: "src", bytes: 6, files: 2),
      ])
    #expect(summary.unreadableDirectories == 0)
  }

  @Test func appliesDockerignoreWithExceptions() throws {
    let dir = try InputsScratchDirectory()
    try dir.write("app.py", "print()")  // 7
    try dir.write("debug.log", "log")
    try dir.write("node_modules/pkg/index.js", "js")
    try dir.write("node_modules/pkg/keep.txt", "keep")  // 4, re-included
    try dir.write("build/out/a.o", "oo")
    try dir.write("build/out/gen.go", "package x")  // 9, re-included by **/*.go
    let matcher = DockerignoreMatcher(
      text: "*.log\nnode_modules\n!node_modules/pkg/keep.txt\nbuild\n!**/*.go\n")

    let summary = try BuildContextScanner.scan(
      contextDirectory: dir.url, matcher: matcher, alwaysIncluded: [])
    #expect(summary.fileCount == 3)
    #expect(summary.totalBytes == 20)
    #expect(summary.topLevel.map(\.name) == ["build", "app.py", "node_modules"])
  }

  @Test func alwaysCountsDockerfileAndDockerignore() throws {
    let dir = try InputsScratchDirectory()
    try dir.write("Dockerfile", "FROM a")  // 6
    try dir.write(".dockerignore", "*\n")  // 2
    try dir.write("docker/Dockerfile.prod", "FROM b")  // 6
    try dir.write("docker/other", "zz")
    try dir.write("src/main.c", "int")
    let matcher = DockerignoreMatcher(text: "*\n")

    let defaults = try BuildContextScanner.scan(contextDirectory: dir.url, matcher: matcher)
    #expect(defaults.fileCount == 2)
    #expect(defaults.totalBytes == 8)

    let custom = try BuildContextScanner.scan(
      contextDirectory: dir.url, matcher: matcher,
      alwaysIncluded: ["docker/Dockerfile.prod", ".dockerignore"])
    #expect(custom.fileCount == 2)
    #expect(custom.totalBytes == 8)
    #expect(
      custom.topLevel == [
        .init(name: "docker", bytes: 6, files: 1), .init(name: ".dockerignore", bytes: 2, files: 1),
      ])
  }

  @Test func symlinksAreEntriesAndAreNotFollowed() throws {
    let outside = try InputsScratchDirectory()
    try outside.write("huge.bin", String(repeating: "h", count: 5000))
    try outside.write("tree/one", "1")
    let dir = try InputsScratchDirectory()
    try dir.write("real.txt", "real")
    try dir.symlink("link-to-file", to: outside.url.appendingPathComponent("huge.bin").path)
    try dir.symlink("link-to-dir", to: outside.url.appendingPathComponent("tree").path)
    try dir.symlink("loop", to: ".")

    let summary = try BuildContextScanner.scan(contextDirectory: dir.url, matcher: nil)
    let fileTarget = outside.url.appendingPathComponent("huge.bin").path.utf8.count
    let dirTarget = outside.url.appendingPathComponent("tree").path.utf8.count
    #expect(summary.fileCount == 4)
    #expect(summary.totalBytes == Int64(4 + fileTarget + dirTarget + 1))
  }

  @Test func hardLinksCountOnce() throws {
    let dir = try InputsScratchDirectory()
    let original = try dir.write("a/data.bin", String(repeating: "d", count: 1000))
    try FileManager.default.linkItem(at: original, to: dir.url.appendingPathComponent("b-link.bin"))
    let summary = try BuildContextScanner.scan(contextDirectory: dir.url, matcher: nil)
    #expect(summary.fileCount == 2)
    #expect(summary.totalBytes == 1000)
  }

  @Test func topLevelIsCappedAndSorted() throws {
    let dir = try InputsScratchDirectory()
    for index in 0..<25 {
      try dir.write("entry\(index)", String(repeating: "e", count: index + 1))
    }
    let summary = try BuildContextScanner.scan(contextDirectory: dir.url, matcher: nil)
    #expect(summary.fileCount == 25)
    #expect(summary.topLevel.count == BuildContextScanner.topLevelLimit)
    #expect(summary.topLevel.first == .init(name: "entry24", bytes: 25, files: 1))
    #expect(summary.topLevel.map(\.bytes) == summary.topLevel.map(\.bytes).sorted(by: >))
  }

  @Test func rejectsAFile() throws {
    let dir = try InputsScratchDirectory()
    let file = try dir.write("file", "x")
    #expect(throws: BuildInputsError.notADirectory(path: file.path)) {
      try BuildContextScanner.scan(contextDirectory: file, matcher: nil)
    }
  }

  @Test func fiftyThousandFilesScanQuickly() throws {
    let dir = try InputsScratchDirectory()
    let source = try dir.write("source.bin", "0123456789")
    for group in 0..<100 {
      let parent = group < 50 ? "src" : "node_modules"
      let folder = dir.url.appendingPathComponent("\(parent)/g\(group)")
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      for index in 0..<500 {
        // Hard links: creating 50k distinct files is slow on some CI disks.
        #expect(link(source.path, folder.appendingPathComponent("f\(index).txt").path) == 0)
      }
    }
    let matcher = DockerignoreMatcher(text: "node_modules\n**/*.tmp\n!src/keep\n")
    let clock = ContinuousClock()
    var filtered: ContextSummary?
    let filteredTime = try clock.measure {
      filtered = try BuildContextScanner.scan(contextDirectory: dir.url, matcher: matcher)
    }
    var unfiltered: ContextSummary?
    let unfilteredTime = try clock.measure {
      unfiltered = try BuildContextScanner.scan(contextDirectory: dir.url, matcher: nil)
    }
    #expect(filtered?.fileCount == 25_001)
    #expect(filtered?.totalBytes == 10)
    #expect(unfiltered?.fileCount == 50_001)
    #expect(filteredTime < .seconds(10))
    #expect(unfilteredTime < .seconds(10))
  }
}
