import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

struct DockerignoreMatcherTests {
  struct SingleCase: CustomTestStringConvertible, Sendable {
    let pattern: String
    let path: String
    let excluded: Bool
    var testDescription: String { "\(pattern) vs \(path) -> \(excluded)" }
  }

  static let singlePatternCases: [SingleCase] = [
    .init(pattern: "**", path: "file", excluded: true),
    .init(pattern: "**/", path: "file", excluded: true),
    .init(pattern: "**", path: "dir/file", excluded: true),
    .init(pattern: "**/**", path: "dir/file", excluded: true),
    .init(pattern: "dir/**", path: "dir/file", excluded: true),
    .init(pattern: "dir/**", path: "dir/dir2/file", excluded: true),
    .init(pattern: "**/dir", path: "dir", excluded: true),
    .init(pattern: "**/dir", path: "dir/file", excluded: true),
    .init(pattern: "**/dir", path: "a/b/dir/file", excluded: true),
    .init(pattern: "**/dir2/*", path: "dir/dir2/file", excluded: true),
    .init(pattern: "**/dir2/**", path: "dir/dir2/dir3/file", excluded: true),
    .init(pattern: "**file", path: "file", excluded: true),
    .init(pattern: "**file", path: "dir/file", excluded: true),
    .init(pattern: "**file", path: "dir/dir/file", excluded: true),
    .init(pattern: "**/file", path: "dir/dir/file", excluded: true),
    .init(pattern: "**/file*", path: "dir/dir/file", excluded: true),
    .init(pattern: "**/file*", path: "dir/dir/file.txt", excluded: true),
    .init(pattern: "**/file*txt", path: "dir/dir/file.txt", excluded: true),
    .init(pattern: "**/file*.txt", path: "dir/dir/file.txt", excluded: true),
    .init(pattern: "**/file*.txt*", path: "dir/dir/file.txt", excluded: true),
    .init(pattern: "**/**/*.txt", path: "dir/dir/file.txt", excluded: true),
    .init(pattern: "**/**/*.txt2", path: "dir/dir/file.txt", excluded: false),
    .init(pattern: "**/*.txt", path: "file.txt", excluded: true),
    .init(pattern: "**/**/*.txt", path: "file.txt", excluded: true),
    .init(pattern: "a**/*.txt", path: "a/file.txt", excluded: true),
    .init(pattern: "a**/*.txt", path: "a/dir/file.txt", excluded: true),
    .init(pattern: "a**/*.txt", path: "a/dir/dir/file.txt", excluded: true),
    .init(pattern: "a/*.txt", path: "a/dir/file.txt", excluded: false),
    .init(pattern: "a/*.txt", path: "a/file.txt", excluded: true),
    .init(pattern: "a/*.txt**", path: "a/file.txt", excluded: true),
    .init(pattern: "a[b-d]e", path: "ae", excluded: false),
    .init(pattern: "a[b-d]e", path: "ace", excluded: true),
    .init(pattern: "a[b-d]e", path: "aae", excluded: false),
    .init(pattern: "a[^b-d]e", path: "aze", excluded: true),
    .init(pattern: ".*", path: ".foo", excluded: true),
    .init(pattern: ".*", path: "foo", excluded: false),
    .init(pattern: "abc.def", path: "abcdef", excluded: false),
    .init(pattern: "abc.def", path: "abc.def", excluded: true),
    .init(pattern: "abc.def", path: "abcZdef", excluded: false),
    .init(pattern: "abc?def", path: "abcZdef", excluded: true),
    .init(pattern: "abc?def", path: "abcdef", excluded: false),
    .init(pattern: "a\\\\", path: "a\\", excluded: true),
    .init(pattern: "**/foo/bar", path: "foo/bar", excluded: true),
    .init(pattern: "**/foo/bar", path: "dir/foo/bar", excluded: true),
    .init(pattern: "**/foo/bar", path: "dir/dir2/foo/bar", excluded: true),
    .init(pattern: "abc/**", path: "abc", excluded: false),
    .init(pattern: "abc/**", path: "abc/def", excluded: true),
    .init(pattern: "abc/**", path: "abc/def/ghi", excluded: true),
    .init(pattern: "**/.foo", path: ".foo", excluded: true),
    .init(pattern: "**/.foo", path: "bar.foo", excluded: false),
    .init(pattern: "a(b)c/def", path: "a(b)c/def", excluded: true),
    .init(pattern: "a(b)c/def", path: "a(b)c/xyz", excluded: false),
    .init(pattern: "a.|)$(}+{bc", path: "a.|)$(}+{bc", excluded: true),
    .init(
      pattern: "dist/*.whl", path: "dist/proxy.py-2.4.0rc3.dev36+g08acad9-py3-none-any.whl",
      excluded: true),
    .init(pattern: "a\\*b", path: "a*b", excluded: true),
    .init(pattern: "a\\*b", path: "ab", excluded: false),
    .init(pattern: "abc", path: "abc", excluded: true),
    .init(pattern: "*", path: "abc", excluded: true),
    .init(pattern: "*c", path: "abc", excluded: true),
    .init(pattern: "a*", path: "a", excluded: true),
    .init(pattern: "a*", path: "abc", excluded: true),
    .init(pattern: "a*", path: "ab/c", excluded: true),
    .init(pattern: "a*/b", path: "abc/b", excluded: true),
    .init(pattern: "a*/b", path: "a/c/b", excluded: false),
    .init(pattern: "a*b*c*d*e*/f", path: "axbxcxdxe/f", excluded: true),
    .init(pattern: "a*b*c*d*e*/f", path: "axbxcxdxexxx/f", excluded: true),
    .init(pattern: "a*b*c*d*e*/f", path: "axbxcxdxe/xxx/f", excluded: false),
    .init(pattern: "a*b*c*d*e*/f", path: "axbxcxdxexxx/fff", excluded: false),
    .init(pattern: "a*b?c*x", path: "abxbbxdbxebxczzx", excluded: true),
    .init(pattern: "a*b?c*x", path: "abxbbxdbxebxczzy", excluded: false),
    .init(pattern: "ab[c]", path: "abc", excluded: true),
    .init(pattern: "ab[b-d]", path: "abc", excluded: true),
    .init(pattern: "ab[e-g]", path: "abc", excluded: false),
    .init(pattern: "ab[^c]", path: "abc", excluded: false),
    .init(pattern: "ab[^b-d]", path: "abc", excluded: false),
    .init(pattern: "ab[^e-g]", path: "abc", excluded: true),
    .init(pattern: "a?b", path: "a☺b", excluded: true),
    .init(pattern: "a[^a]b", path: "a☺b", excluded: true),
    .init(pattern: "a???b", path: "a☺b", excluded: false),
    .init(pattern: "a[^a][^a][^a]b", path: "a☺b", excluded: false),
    .init(pattern: "[a-ζ]*", path: "α", excluded: true),
    .init(pattern: "*[a-ζ]", path: "A", excluded: false),
    .init(pattern: "a?b", path: "a/b", excluded: false),
    .init(pattern: "a*b", path: "a/b", excluded: false),
    .init(pattern: "[\\]a]", path: "]", excluded: true),
    .init(pattern: "[\\-]", path: "-", excluded: true),
    .init(pattern: "[x\\-]", path: "x", excluded: true),
    .init(pattern: "[x\\-]", path: "-", excluded: true),
    .init(pattern: "[x\\-]", path: "z", excluded: false),
    .init(pattern: "[\\-x]", path: "a", excluded: false),
    .init(pattern: "*x", path: "xxx", excluded: true),
    .init(pattern: "node_modules", path: "node_modules/pkg/index.js", excluded: true),
    .init(pattern: "node_modules", path: "web/node_modules/pkg/index.js", excluded: false),
    .init(pattern: "**/node_modules", path: "web/node_modules/pkg/index.js", excluded: true),
    .init(pattern: ".git", path: ".git/config", excluded: true),
    .init(pattern: ".git", path: ".github/workflows/ci.yml", excluded: false),
    .init(pattern: "*/temp*", path: "somedir/temporary.txt", excluded: true),
    .init(pattern: "*/temp*", path: "somedir/sub/temp", excluded: false),
    .init(pattern: "*/*/temp*", path: "a/b/temp.txt", excluded: true),
    .init(pattern: "temp?", path: "tempa", excluded: true),
    .init(pattern: "temp?", path: "temp", excluded: false),
    .init(pattern: "*.md", path: "docs/guide.md", excluded: false),
    .init(pattern: "**/*.md", path: "docs/guide.md", excluded: true),
    .init(pattern: "/build/", path: "build/out.o", excluded: true),
    .init(pattern: "./build", path: "build", excluded: true),
    .init(pattern: "build//out", path: "build/out/x", excluded: true),
    .init(pattern: "a/../b", path: "b/c", excluded: true),
    .init(pattern: "\\*", path: "*", excluded: true),
    .init(pattern: "\\*", path: "a", excluded: false),
    .init(pattern: "foo   ", path: "foo", excluded: true),
    .init(pattern: "   foo", path: "foo", excluded: true),
    // moby's suffix shortcut: a leading "**" not followed by "/" matches any ending.
    .init(pattern: "**foo", path: "barfoo", excluded: true),
    .init(pattern: "**/foo", path: "barfoo", excluded: false),
    .init(pattern: "[", path: "[", excluded: false),
    .init(pattern: "a[", path: "a", excluded: false),
    .init(pattern: "[]a]", path: "]", excluded: false),
    .init(pattern: "[-]", path: "-", excluded: false),
    .init(pattern: "[x-]", path: "x", excluded: false),
    .init(pattern: "[a-b-c]", path: "a", excluded: false),
    .init(pattern: "[z-a]", path: "m", excluded: false),
    .init(pattern: "a\\", path: "a", excluded: false),
  ]

  @Test(arguments: singlePatternCases)
  func singlePattern(_ testCase: SingleCase) {
    let matcher = DockerignoreMatcher(text: testCase.pattern)
    #expect(matcher.isExcluded(testCase.path) == testCase.excluded)
  }

  struct MultiCase: CustomTestStringConvertible, Sendable {
    let lines: [String]
    let path: String
    let excluded: Bool
    var testDescription: String { "\(lines) vs \(path) -> \(excluded)" }
  }

  static let multiPatternCases: [MultiCase] = [
    .init(lines: ["**", "!util/docker/web"], path: "util/docker/web/foo", excluded: false),
    .init(
      lines: ["**", "!util/docker/web", "util/docker/web/foo"], path: "util/docker/web/foo",
      excluded: true),
    .init(
      lines: ["**", "!dist/*.whl"], path: "dist/proxy.py-2.4.0-py3-none-any.whl", excluded: false),
    .init(lines: ["!fileutils.go", "*.go"], path: "fileutils.go", excluded: true),
    .init(lines: ["*.go", "!fileutils.go"], path: "fileutils.go", excluded: false),
    .init(lines: ["docs", "!docs/README.md"], path: "docs/README.md", excluded: false),
    .init(lines: ["docs", "!docs/README.md"], path: "docs/other.md", excluded: true),
    .init(lines: ["docs/", "!docs/README.md"], path: "docs/README.md", excluded: false),
    .init(lines: ["docs/*", "!docs/README.md"], path: "docs/README.md", excluded: false),
    .init(lines: ["*", "!keep"], path: "keep", excluded: false),
    .init(lines: ["*", "!keep"], path: "keep/inner/file", excluded: false),
    .init(lines: ["*", "!keep"], path: "other/file", excluded: true),
    .init(lines: ["**/*.md", "!README.md"], path: "README.md", excluded: false),
    .init(lines: ["**/*.md", "!README.md"], path: "docs/README.md", excluded: true),
    .init(lines: ["!a", "a"], path: "a", excluded: true),
    .init(lines: ["a", "!a", "a"], path: "a/b", excluded: true),
    .init(lines: ["a", "!a"], path: "a/b", excluded: false),
    .init(lines: ["build", "!**/*.go"], path: "build/gen/x.go", excluded: false),
    .init(lines: ["build", "!**/*.go"], path: "build/gen/x.c", excluded: true),
    .init(lines: ["*", "!*/keep"], path: "docs/keep", excluded: false),
    .init(lines: ["*", "!*/keep"], path: "docs/drop", excluded: true),
    // Like BuildKit's walk: an exception for a parent that was not excluded when visited does not re-include.
    .init(lines: ["a/b", "!a"], path: "a/b/c", excluded: true),
    .init(lines: ["[", "x"], path: "x", excluded: true),
    .init(lines: [], path: "anything", excluded: false),
  ]

  @Test(arguments: multiPatternCases)
  func multiplePatterns(_ testCase: MultiCase) {
    let matcher = DockerignoreMatcher(text: testCase.lines.joined(separator: "\n"))
    #expect(matcher.isExcluded(testCase.path) == testCase.excluded)
  }

  struct ParseCase: CustomTestStringConvertible, Sendable {
    let text: String
    let patterns: [String]
    var testDescription: String { text.debugDescription }
  }

  static let parseCases: [ParseCase] = [
    .init(text: "# comment\n\nnode_modules\n", patterns: ["node_modules"]),
    .init(text: "  # spaced comment is a pattern", patterns: ["# spaced comment is a pattern"]),
    .init(text: "build/   \n\t.git\t", patterns: ["build", ".git"]),
    .init(text: "/abs/path\n!/abs/keep", patterns: ["abs/path", "!abs/keep"]),
    .init(text: "./a\na//b\na/./b/../c\n", patterns: ["a", "a/b", "a/c"]),
    .init(text: "! spaced", patterns: ["!spaced"]),
    .init(text: "\u{FEFF}first\r\nsecond\r\n", patterns: ["first", "second"]),
    .init(text: "/", patterns: ["/"]),
    .init(text: "!", patterns: ["!"]),
    .init(text: "", patterns: []),
  ]

  @Test(arguments: parseCases)
  func parsing(_ testCase: ParseCase) {
    let matcher = DockerignoreMatcher(text: testCase.text)
    #expect(matcher.patterns.map(\.description) == testCase.patterns)
  }

  @Test func patternFields() {
    let matcher = DockerignoreMatcher(text: "*.log\n!keep.log\n[\n!")
    #expect(matcher.patterns.map(\.text) == ["*.log", "keep.log", "[", ""])
    #expect(matcher.patterns.map(\.isException) == [false, true, false, true])
    #expect(matcher.patterns.map(\.isValid) == [true, true, false, false])
  }

  struct SkipCase: CustomTestStringConvertible, Sendable {
    let lines: [String]
    let directory: String
    let canSkip: Bool
    var testDescription: String { "\(lines) skip \(directory) -> \(canSkip)" }
  }

  static let skipCases: [SkipCase] = [
    .init(lines: ["node_modules"], directory: "node_modules", canSkip: true),
    .init(lines: ["node_modules"], directory: "src", canSkip: false),
    .init(
      lines: ["node_modules", "!node_modules/keep.txt"], directory: "node_modules", canSkip: false),
    .init(
      lines: ["node_modules", "!node_modules/keep.txt"], directory: "node_modules/other",
      canSkip: true),
    .init(lines: ["build", "!**/*.go"], directory: "build", canSkip: false),
    .init(lines: ["build", "!src/**"], directory: "build", canSkip: true),
    .init(lines: ["build", "!build/**"], directory: "build", canSkip: false),
    .init(lines: ["build", "!build*/x"], directory: "build", canSkip: false),
    .init(lines: ["build", "!build*/x"], directory: "build/y", canSkip: true),
    .init(lines: ["*", "!src"], directory: "docs", canSkip: true),
    .init(lines: ["*", "!src"], directory: "src", canSkip: false),
    .init(lines: ["*", "!*/keep"], directory: "docs", canSkip: false),
    .init(lines: ["*", "!**keep"], directory: "docs", canSkip: false),
    .init(lines: ["a", "!a/b/c"], directory: "a", canSkip: false),
    .init(lines: ["a", "!a/b/c"], directory: "a/x", canSkip: true),
    .init(lines: ["a", "!a/[bc]/d"], directory: "a/b", canSkip: false),
    .init(lines: ["a", "!a/[bc]/d"], directory: "a/x", canSkip: true),
    .init(lines: ["**/cache"], directory: "x/y/cache", canSkip: true),
  ]

  @Test(arguments: skipCases)
  func directorySkipping(_ testCase: SkipCase) {
    let matcher = DockerignoreMatcher(text: testCase.lines.joined(separator: "\n"))
    #expect(matcher.canSkipDirectory(testCase.directory) == testCase.canSkip)
  }

  @Test func rootAndPathNormalisation() {
    let matcher = DockerignoreMatcher(text: "**")
    #expect(!matcher.isExcluded("."))
    #expect(!matcher.isExcluded(""))
    #expect(matcher.isExcluded("./a/b"))
    #expect(!matcher.canSkipDirectory("."))
    let specific = DockerignoreMatcher(text: "a/b")
    #expect(specific.isExcluded("a//b/"))
    #expect(specific.isExcluded("/a/b/c"))
  }

  @Test func cleanMatchesGoFilepathClean() {
    let cases: [(String, String)] = [
      ("", "."), (".", "."), ("./", "."), ("a/", "a"), ("/", "/"), ("//a//b/", "/a/b"),
      ("a/../..", ".."), ("../a/../b", "../b"), ("/../a", "/a"), ("a/./b/.", "a/b"),
    ]
    for (input, expected) in cases {
      #expect(DockerignoreMatcher.PathCleaner.clean(input) == expected, "\(input)")
    }
  }
}
