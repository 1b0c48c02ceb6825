import Foundation

/// One Dockerfile instruction (a logical line: continuations joined, heredoc bodies attached).
public struct Instruction: Sendable, Equatable {
  /// The keyword, uppercased: `RUN`, `COPY`, ….
  public var keyword: String
  /// Everything after the keyword, flags included, with line continuations joined the way BuildKit joins them.
  public var arguments: String
  /// The leading `--name[=value]` flags, in order.
  public var flags: [Flag]
  /// The first line, 1-based.
  public var line: Int
  /// The last line, 1-based, heredoc bodies included.
  public var endLine: Int
  /// The heredocs the instruction opens (`<<EOF`, `<<-EOF`, `<<"EOF"`), in order, with their bodies.
  public var heredocs: [Heredoc]
  /// The text BuildKit prints after `[stage i/n] ` for this instruction, as close as can be known statically.
  public var stepText: String
  /// COPY/ADD: the source paths (heredoc sources are in `heredocs`), quotes removed, known variables expanded.
  public var sources: [String]
  /// COPY: the `--from` value as written (a stage name, a stage index or an image reference).
  public var copyFrom: String?
  /// COPY/ADD: the destination, quotes removed, known variables expanded.
  public var destination: String?
  /// RUN: its `--mount` specs.
  public var mounts: [Mount]
  /// RUN: the command after the flags (JSON form joined with spaces), for display.
  public var command: String?
  /// Whether the arguments are in JSON (exec) form: `CMD ["a", "b"]`.
  public var isJSONForm: Bool
  /// ONBUILD: the instruction it registers as a trigger.
  public var trigger: Instruction? { triggerStorage.first }

  /// The build-context paths the instruction reads, as written (`.` is the whole context): COPY/ADD sources
  /// without `--from` (URLs and git sources left out), and RUN bind mounts without `from=` (BuildKit binds the
  /// context then).
  public var contextPaths: [String] {
    switch keyword {
    case "COPY", "ADD":
      guard copyFrom == nil else { return [] }
      return sources.filter { source in
        let lowered = source.lowercased()
        return !["http://", "https://", "git@", "git://", "ssh://"].contains(where: {
          lowered.hasPrefix($0)
        })
      }
    case "RUN":
      return mounts.filter { $0.type == "bind" && $0.from == nil }.map { $0.source ?? "." }
    default:
      return []
    }
  }

  /// The logical line with its first line's leading whitespace removed, as BuildKit keeps it (`Original`).
  var original: String
  /// The arguments after the flags, trimmed.
  var rest: String
  /// The argument words BuildKit's line parser produced (JSON elements, or whitespace-split words).
  var words: [String]
  var triggerStorage: [Instruction]
}

extension Instruction {
  /// A builder flag such as `--from=build` or `--link` (nested: ArgumentParser already has a `Flag`).
  public struct Flag: Sendable, Equatable {
    /// The name without the leading dashes.
    public var name: String
    /// The value after `=`, or nil for a bare flag.
    public var value: String?

    /// Creates a flag.
    public init(name: String, value: String?) {
      self.name = name
      self.value = value
    }
  }
}

/// A `RUN --mount=…` spec.
public struct Mount: Sendable, Equatable {
  /// `bind` (the default), `cache`, `tmpfs`, `secret` or `ssh`, lowercased.
  public var type: String
  /// `source=` / `src=`.
  public var source: String?
  /// `target=` / `dst=` / `destination=`.
  public var target: String?
  /// `from=`: a stage name or an image.
  public var from: String?
  /// `id=`.
  public var id: String?
  /// The other fields, keys lowercased; `ro`/`readonly`/`rw` are folded into `readonly` = `true`/`false`.
  public var options: [String: String]

  /// Creates a mount.
  public init(
    type: String = "bind", source: String? = nil, target: String? = nil, from: String? = nil,
    id: String? = nil,
    options: [String: String] = [:]
  ) {
    self.type = type
    self.source = source
    self.target = target
    self.from = from
    self.id = id
    self.options = options
  }
}

/// A heredoc opened by an instruction.
public struct Heredoc: Sendable, Equatable {
  /// The terminator word, quotes removed.
  public var name: String
  /// The body as written in the file (every line with its newline), leading tabs kept.
  public var body: String
  /// `<<-`: leading tabs are stripped from the body (and the terminator line) when used.
  public var stripTabs: Bool
  /// The terminator was quoted (`<<"EOF"`, `<<'EOF'`), so the body is not variable-expanded.
  public var quoted: Bool
  /// The file descriptor prefix (`3<<EOF`), 0 when absent.
  public var fileDescriptor: Int

  /// The body as BuildKit uses it: with leading tabs removed from each line for `<<-`.
  public var effectiveBody: String {
    guard stripTabs else { return body }
    return body.split(separator: "\n", omittingEmptySubsequences: false)
      .map { $0.drop(while: { $0 == "\t" }) }
      .joined(separator: "\n")
  }

  /// Creates a heredoc.
  public init(
    name: String, body: String, stripTabs: Bool = false, quoted: Bool = false,
    fileDescriptor: Int = 0
  ) {
    self.name = name
    self.body = body
    self.stripTabs = stripTabs
    self.quoted = quoted
    self.fileDescriptor = fileDescriptor
  }
}

/// A step BuildKit prints as `[stage i/n] …`.
public struct NumberedStep: Sendable, Equatable {
  /// `i`, 1-based.
  public var index: Int
  /// `n`: the number of counted instructions in the stage.
  public var total: Int
  /// The instruction; for an ONBUILD trigger, the trigger instruction (its lines are the ONBUILD's).
  public var instruction: Instruction
  /// Whether the step runs an ONBUILD trigger of the base stage (BuildKit prints `ONBUILD ` before the text).
  public var isOnBuildTrigger: Bool
  /// The whole name BuildKit prints for a single-platform build, e.g. `[build 2/3] COPY app/ ./`.
  public var printedName: String
}

/// One build stage: a FROM and the instructions up to the next FROM.
public struct Stage: Sendable, Equatable {
  /// 0-based position in the Dockerfile.
  public var index: Int
  /// The `AS` name, lowercased as BuildKit does.
  public var name: String?
  /// The name BuildKit prints: the stage name, or `stage-<index>`.
  public var displayName: String
  /// The name BuildKit puts in step names, or nil when it leaves it out (a lone stage with no other build
  /// sources, as current BuildKit decides it).
  public var printedStageName: String?
  /// The FROM argument, global ARG defaults expanded.
  public var base: String
  /// The index of the stage this one builds FROM, if any.
  public var baseStage: Int?
  /// The `--platform` value as written.
  public var platform: String?
  /// The instructions, the FROM first.
  public var instructions: [Instruction]
  /// The steps BuildKit prints, in order. `WORKDIR /` is counted in `totalSteps` but never printed.
  public var steps: [NumberedStep]
  /// `n` of the printed `[i/n]`: FROM (unless scratch or a stage), RUN, COPY, ADD, WORKDIR and ONBUILD triggers.
  public var totalSteps: Int
}
