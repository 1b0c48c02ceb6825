import Testing

@testable import BuildtrailKit
@testable import BuildtrailRendering

/// Line-level rules of BuildKit's `parser.Parse`: comments, directives, continuations, heredocs, JSON forms.
struct DockerfileParsingTests {
  struct LineCase: CustomTestStringConvertible, Sendable {
    let label: String
    let text: String
    /// keyword + " " + `command`/rest of every instruction after the FROM.
    let expected: [String]
    var testDescription: String { label }
  }

  /// The rest of each instruction, as BuildKit's parser tests print node values.
  static func rests(_ file: Dockerfile) -> [String] {
    file.stages.flatMap { $0.instructions.dropFirst() }.map { $0.keyword + " " + $0.rest }
  }

  static let lineCases: [LineCase] = [
    .init(
      label: "comments and blank lines are skipped",
      text: "# top\n\nFROM a\n  # indented comment\n\nRUN x\n#RUN y\n",
      expected: ["RUN x"]),
    .init(
      label: "continuation keeps indentation (continueIndent)",
      text: "FROM u\nRUN echo hello\\\n  world\\\n  goodnight  \\\n  moon\\\n  light\\\nning\n",
      expected: ["RUN echo hello  world  goodnight    moon  lightning"]),
    .init(
      label: "two spaces before the backslash", text: "FROM u\nRUN echo hello  \\\n  world\n",
      expected: ["RUN echo hello    world"]),
    .init(
      label: "whitespace after the backslash", text: "FROM u\nRUN echo hello  \\  \nworld\n",
      expected: ["RUN echo hello  world"]),
    .init(
      label: "no space at the join", text: "FROM u\nRUN echo hello \\\ngoodbye\\\nfrog\n",
      expected: ["RUN echo hello goodbyefrog"]),
    .init(
      label: "backslash-only lines",
      text: "FROM u\nRUN echo hi \\\n \\\n world \\\n\\\n good\\\n\\\nnight\n",
      expected: ["RUN echo hi   world  goodnight"]),
    .init(
      label: "comment and blank lines inside a continuation are dropped",
      text: "FROM u\nRUN echo hello \\\n# this is a comment\n\n# another\n\nthis is more\n",
      expected: ["RUN echo hello this is more"]),
    .init(
      label: "empty continuation lines (escapes)",
      text: "FROM u\nRUN foo \\\n\nbar \\\n\nbaz\n\nCMD x\n",
      expected: ["RUN foo bar baz", "CMD x"]),
    .init(
      label: "escaped backslash at the end is not a continuation",
      text: "FROM u\nENV C trailing\\\\\nENV D next\n",
      expected: ["ENV C trailing\\\\", "ENV D next"]),
    .init(
      label: "continuation at end of file", text: "FROM u\nRUN something \\",
      expected: ["RUN something"]),
    .init(
      label: "CRLF line endings", text: "FROM u\r\nRUN a \\\r\n  b\r\nCMD c\r\n",
      expected: ["RUN a   b", "CMD c"]),
    .init(
      label: "keywords are case-insensitive", text: "from u\nrun echo hi\nCoPy a b\nworkdir /x\n",
      expected: ["RUN echo hi", "COPY a b", "WORKDIR /x"]),
    .init(
      label: "tabs separate keyword and arguments", text: "FROM\tu\nCOPY\t.\t/go\n",
      expected: ["COPY .\t/go"]),
    .init(
      label: "escape directive switches to backtick",
      text: "# escape=`\n\nFROM image\nENV GOPATH `\n\\go\nRUN dir c:\\\n",
      expected: ["ENV GOPATH \\go", "RUN dir c:\\"]),
    .init(
      label: "escape directive after a comment is ignored",
      text: "# Comment here.\n# escape = `\n\nFROM image\nENV GOPATH \\\n\\go\n",
      expected: ["ENV GOPATH \\go"]),
    .init(
      label: "flags are split off",
      text: "FROM scratch\nCOPY --chown=me foo /tmp/\nCOPY --link -- foo /tmp/\n",
      expected: ["COPY foo /tmp/", "COPY foo /tmp/"]),
  ]

  @Test(arguments: lineCases)
  func lines(_ c: LineCase) {
    #expect(Self.rests(Dockerfile(text: c.text)) == c.expected)
  }

  struct DirectiveCase: CustomTestStringConvertible, Sendable {
    let label: String
    let text: String
    let directives: [String: String]
    let escape: Character
    var testDescription: String { label }
  }

  static let directiveCases: [DirectiveCase] = [
    .init(
      label: "syntax, escape and check",
      text: "# syntax=docker/dockerfile:1\n# escape=`\n# check=skip=all\nFROM a\n",
      directives: ["syntax": "docker/dockerfile:1", "escape": "`", "check": "skip=all"], escape: "`"
    ),
    .init(
      label: "spaces around = and key case", text: "#  Syntax = docker/dockerfile:1.7  \nFROM a\n",
      directives: ["syntax": "docker/dockerfile:1.7"], escape: "\\"),
    .init(
      label: "after an instruction it is a comment", text: "FROM a\n# escape=`\n", directives: [:],
      escape: "\\"),
    .init(
      label: "after a blank line it is a comment", text: "\n# escape=`\nFROM a\n", directives: [:],
      escape: "\\"),
    .init(
      label: "after a plain comment it is a comment", text: "# hello\n# syntax=x\nFROM a\n",
      directives: [:],
      escape: "\\"),
    .init(
      label: "unknown directive ends the directives", text: "# foo=bar\n# escape=`\nFROM a\n",
      directives: [:],
      escape: "\\"),
    .init(
      label: "byte order mark", text: "\u{FEFF}# escape=`\nFROM a\n", directives: ["escape": "`"],
      escape: "`"),
  ]

  @Test(arguments: directiveCases)
  func directives(_ c: DirectiveCase) {
    let file = Dockerfile(text: c.text)
    #expect(file.directives == c.directives)
    #expect(file.escapeCharacter == c.escape)
  }

  @Test func directiveProblems() {
    #expect(
      Dockerfile(text: "# escape=x\nFROM a\n").problems == [
        "line 1: invalid escape token 'x' does not match ` or \\"
      ])
    #expect(
      Dockerfile(text: "# syntax=a\n# syntax=b\nFROM a\n").problems == [
        "line 2: only one syntax parser directive can be used"
      ])
  }

  @Test func lineNumbersSpanContinuationsAndHeredocs() throws {
    let file = Dockerfile(
      text: "# c\nFROM a\n\nRUN x \\\n  # note\n  y\nRUN <<EOF\nbody\nEOF\nCMD z\n")
    let lines = try #require(file.stages.first).instructions.map { [$0.line, $0.endLine] }
    #expect(lines == [[2, 2], [4, 6], [7, 9], [10, 10]])
  }

  struct HeredocCase: CustomTestStringConvertible, Sendable {
    let label: String
    let instruction: String
    let heredocs: [Heredoc]
    var testDescription: String { label }
  }

  static let heredocCases: [HeredocCase] = [
    .init(
      label: "simple", instruction: "RUN <<EOF\necho hi\nEOF\n",
      heredocs: [.init(name: "EOF", body: "echo hi\n")]),
    .init(
      label: "empty", instruction: "RUN <<EMPTY\nEMPTY\n",
      heredocs: [.init(name: "EMPTY", body: "")]),
    .init(
      label: "file descriptor", instruction: "RUN 3<<EMPTY2\nEMPTY2\n",
      heredocs: [.init(name: "EMPTY2", body: "", fileDescriptor: 3)]),
    .init(
      label: "quoted word is not a heredoc", instruction: "RUN \"<<NOHEREDOC\"\n", heredocs: []),
    .init(
      label: "tabs kept without -", instruction: "RUN <<INDENT\n\tfoo\n\tbar\nINDENT\n",
      heredocs: [.init(name: "INDENT", body: "\tfoo\n\tbar\n")]),
    .init(
      label: "<<- ends at a tab-indented terminator",
      instruction: "RUN <<-UNINDENT2\n\tbaz\n\tquux\n\tUNINDENT2\n",
      heredocs: [.init(name: "UNINDENT2", body: "\tbaz\n\tquux\n", stripTabs: true)]),
    .init(
      label: "single-quoted terminator",
      instruction: "RUN <<-'NOEXPAND'\n\tdon't expand $NAME\nNOEXPAND\n",
      heredocs: [
        .init(name: "NOEXPAND", body: "\tdon't expand $NAME\n", stripTabs: true, quoted: true)
      ]),
    .init(
      label: "double-quoted terminator", instruction: "RUN <<\"EOF\"\necho $HOME\nEOF\n",
      heredocs: [.init(name: "EOF", body: "echo $HOME\n", quoted: true)]),
    .init(
      label: "partly quoted terminator", instruction: "RUN <<eo'f'\necho foo\neof\n",
      heredocs: [.init(name: "eof", body: "echo foo\n", quoted: true)]),
    .init(
      label: "escaped quote is not quoting", instruction: "RUN <<eo\\'f\necho foo\neo'f\n",
      heredocs: [.init(name: "eo'f", body: "echo foo\n")]),
    .init(
      label: "comments inside the body are kept",
      instruction: "RUN <<C\n# internal\necho x # trailing\nC\n",
      heredocs: [.init(name: "C", body: "# internal\necho x # trailing\n")]),
    .init(
      label: "after flags",
      instruction: "RUN --mount=type=cache,target=/foo <<MOUNT\necho hello\nMOUNT\n",
      heredocs: [.init(name: "MOUNT", body: "echo hello\n")]),
    .init(
      label: "two heredocs on one COPY",
      instruction: "COPY <<FILE1 <<FILE2 /dest\ncontent 1\nFILE1\ncontent 2\nFILE2\n",
      heredocs: [
        .init(name: "FILE1", body: "content 1\n"), .init(name: "FILE2", body: "content 2\n"),
      ]),
    .init(
      label: "terminators only end their own heredoc",
      instruction: "COPY <<X <<Y /dest\nY\nX\nX\nY\n",
      heredocs: [.init(name: "X", body: "Y\n"), .init(name: "Y", body: "X\n")]),
    .init(
      label: "heredoc with a command after it",
      instruction: "RUN <<COMPLEX python3\nprint('hi')\nCOMPLEX\n",
      heredocs: [.init(name: "COMPLEX", body: "print('hi')\n")]),
    .init(
      label: "spaces after <<", instruction: "RUN <<  EOF  > foo\nEOF\n",
      heredocs: [.init(name: "EOF", body: "")]),
    .init(
      label: "multi-word quoted terminator", instruction: "RUN <<'one two'\necho bar\none two\n",
      heredocs: [.init(name: "one two", body: "echo bar\n", quoted: true)]),
    .init(label: "JSON form has none", instruction: "RUN [\"cat\", \"<<EOF\"]\n", heredocs: []),
    .init(label: "USER cannot have one", instruction: "USER <<INVALID\n", heredocs: []),
  ]

  @Test(arguments: heredocCases)
  func heredocs(_ c: HeredocCase) throws {
    let file = Dockerfile(text: "FROM alpine\n" + c.instruction + "CMD [\"after\"]\n")
    let instructions = try #require(file.stages.first).instructions
    #expect(instructions[1].heredocs == c.heredocs)
    #expect(instructions.last?.keyword == "CMD")
  }

  @Test func unterminatedHeredoc() throws {
    let file = Dockerfile(text: "FROM a\nRUN <<EOF\necho hi\n")
    #expect(file.problems == ["line 2: unterminated heredoc EOF"])
    #expect(
      try #require(file.stages.first).instructions[1].heredocs == [
        .init(name: "EOF", body: "echo hi\n")
      ])
  }

  @Test func heredocEffectiveBodyStripsTabs() {
    #expect(
      Heredoc(name: "E", body: "\tbaz\n\t\tquux\n", stripTabs: true).effectiveBody == "baz\nquux\n")
  }

  @Test func copyHeredocIsNotASourcePath() throws {
    let file = Dockerfile(
      text:
        "FROM a\nCOPY <<EOF /etc/app.conf\nkey=value\nEOF\nCOPY <<A b.txt <<B /dst/\na\nA\nb\nB\n")
    let stage = try #require(file.stages.first)
    #expect(stage.instructions[1].sources == [])
    #expect(stage.instructions[1].destination == "/etc/app.conf")
    #expect(stage.instructions[1].stepText == "COPY <<EOF /etc/app.conf")
    #expect(stage.instructions[2].sources == ["b.txt"])
    #expect(stage.instructions[2].heredocs.map(\.name) == ["A", "B"])
  }

  struct CopyCase: CustomTestStringConvertible, Sendable {
    let line: String
    let sources: [String]
    let destination: String?
    let from: String?
    let json: Bool
    var testDescription: String { line }
  }

  static let copyCases: [CopyCase] = [
    .init(line: "COPY . /app", sources: ["."], destination: "/app", from: nil, json: false),
    .init(
      line: "COPY a b c/ /dst/", sources: ["a", "b", "c/"], destination: "/dst/", from: nil,
      json: false),
    .init(
      line: "COPY [\"a b\", \"dst\"]", sources: ["a b"], destination: "dst", from: nil, json: true),
    .init(
      line: "ADD\t\t[ \"test file\", \"/tmp/test file\" ]", sources: ["test file"],
      destination: "/tmp/test file",
      from: nil, json: true),
    .init(
      line: "COPY --from=build /out/ ./", sources: ["/out/"], destination: "./", from: "build",
      json: false),
    .init(line: "COPY --from=0 /a /b", sources: ["/a"], destination: "/b", from: "0", json: false),
    .init(
      line: "COPY --from=nginx:1.27 /etc/nginx /etc/nginx", sources: ["/etc/nginx"],
      destination: "/etc/nginx",
      from: "nginx:1.27", json: false),
    .init(
      line: "COPY --chown=1000:1000 --chmod=644 \"my-file\" /x", sources: ["my-file"],
      destination: "/x", from: nil,
      json: false),
    // Shell form splits on whitespace before quotes are looked at (BuildKit then rejects the unbalanced words).
    .init(
      line: "COPY \"my file\" /x", sources: ["\"my", "file\""], destination: "/x", from: nil,
      json: false),
    .init(
      line: "ADD https://example.com/a.tgz /opt/", sources: ["https://example.com/a.tgz"],
      destination: "/opt/",
      from: nil, json: false),
  ]

  @Test(arguments: copyCases)
  func copyOperands(_ c: CopyCase) throws {
    let instruction = try #require(
      Dockerfile(text: "FROM a\n" + c.line + "\n").stages.first?.instructions.last)
    #expect(instruction.sources == c.sources)
    #expect(instruction.destination == c.destination)
    #expect(instruction.copyFrom == c.from)
    #expect(instruction.isJSONForm == c.json)
  }

  @Test func jsonForms() throws {
    let stage = try #require(
      Dockerfile(
        text:
          "FROM a\nCMD [\"sh\", \"/app/main.sh\"]\nCMD ['echo','x']\nRUN [\"ls\", \"-la\"]\nENTRYPOINT [1]\n"
      )
      .stages.first)
    #expect(stage.instructions[1].isJSONForm)
    #expect(stage.instructions[1].words == ["sh", "/app/main.sh"])
    #expect(!stage.instructions[2].isJSONForm)
    #expect(stage.instructions[2].words == ["['echo','x']"])
    #expect(stage.instructions[3].command == "ls -la")
    #expect(!stage.instructions[4].isJSONForm)
  }

  @Test func flagsAreParsed() throws {
    let instruction = try #require(
      Dockerfile(text: "FROM a\nCOPY --link --chown=app:app --from=\"build\" x y\n").stages.first?
        .instructions.last)
    #expect(
      instruction.flags == [
        Instruction.Flag(name: "link", value: nil),
        Instruction.Flag(name: "chown", value: "app:app"),
        Instruction.Flag(name: "from", value: "build"),
      ])
    #expect(instruction.arguments == "--link --chown=app:app --from=\"build\" x y")
  }

  struct MountCase: CustomTestStringConvertible, Sendable {
    let spec: String
    let mount: Mount
    var testDescription: String { spec }
  }

  static let mountCases: [MountCase] = [
    .init(
      spec: "type=cache,target=/root/.cache/uv",
      mount: .init(type: "cache", target: "/root/.cache/uv")),
    .init(
      spec: "source=uv.lock,target=uv.lock",
      mount: .init(type: "bind", source: "uv.lock", target: "uv.lock")),
    .init(
      spec: "type=bind,src=a,dst=/b,ro",
      mount: .init(source: "a", target: "/b", options: ["readonly": "true"])),
    .init(
      spec: "type=bind,from=build,source=/out,destination=/in,rw",
      mount: .init(source: "/out", target: "/in", from: "build", options: ["readonly": "false"])),
    .init(
      spec: "type=cache,id=npm,target=/root/.npm,sharing=locked",
      mount: .init(type: "cache", target: "/root/.npm", id: "npm", options: ["sharing": "locked"])),
    .init(
      spec: "type=secret,id=token,env=TOKEN,required",
      mount: .init(type: "secret", id: "token", options: ["env": "TOKEN", "required": "true"])),
    .init(
      spec: "Type=TMPFS,target=/tmp,size=64m",
      mount: .init(type: "tmpfs", target: "/tmp", options: ["size": "64m"])),
    // The flag word loses its own quotes first; CSV quoting needs them inside single quotes.
    .init(spec: "'type=bind,\"source=a,b\",target=/c'", mount: .init(source: "a,b", target: "/c")),
  ]

  @Test(arguments: mountCases)
  func mounts(_ c: MountCase) throws {
    let instruction = try #require(
      Dockerfile(text: "FROM a\nRUN --mount=\(c.spec) true\n").stages.first?.instructions.last)
    #expect(instruction.mounts == [c.mount])
    #expect(instruction.command == "true")
  }

  @Test func unknownInstructionsAreKept() throws {
    let file = Dockerfile(text: "FROM a\nFOO bar\nRUN x\n")
    #expect(try #require(file.stages.first).instructions.map(\.keyword) == ["FROM", "FOO", "RUN"])
    #expect(file.problems == ["line 2: unknown instruction: FOO"])
  }

  @Test func oddInputDoesNotCrash() {
    for text in [
      "", "\n\n", "\\", "RUN x", "FROM", "FROM a AS", "FROM a\nCOPY x", "FROM a\nRUN <<",
      "FROM a\nRUN \"unterminated",
      "FROM a\nRUN echo ${", "FROM a\nONBUILD", "FROM a\nARG", "FROM a\nENV X",
      "FROM a\nCOPY --from= a b",
      "# escape=`\n`",
    ] {
      let file = Dockerfile(text: text)
      #expect(file == Dockerfile(text: text))
    }
    #expect(
      Dockerfile(text: "").problems == ["no FROM instruction: the file defines no build stage"])
    #expect(Dockerfile(text: "RUN x\nFROM a\n").problems == ["line 1: RUN before the first FROM"])
  }
}
