import BuildLog
import BuildStore
import Foundation

// Writes a synthetic build history for the scale benchmark:
//   history-generator --db PATH [--builds 100000] [--steps 40] [--seed 1] [--close-shifts GAP]
// Builds alternate between main (80%) and five feature branches, every ten minutes. Each has
// `steps` steps in two stages; most are cached, and a build whose inputs "changed" runs its stage
// from a random step on. Two regressions are injected on main: from 60% of the history on, one RUN
// step takes 1.5× longer; from 80% on, another step (and the rest of its stage) never hits the cache.
// With --close-shifts GAP, the last three steps of the second stage run in every build (as after a broad
// COPY), and two of them slow down on main GAP builds apart instead: ×1.6 from 60% of the history on, and
// ×1.5 from GAP builds later; the total duration shifts with them.

struct SplitMix64 {
  var state: UInt64
  mutating func next() -> UInt64 {
    state &+= 0x9E37_79B9_7F4A_7C15
    var z = state
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return z ^ (z >> 31)
  }
  mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }
  mutating func normal() -> Double {
    let u = max(unit(), 1e-12)
    return sqrt(-2 * log(u)) * cos(2 * .pi * unit())
  }
}

func option(_ name: String, _ fallback: String) -> String {
  let args = CommandLine.arguments
  if let i = args.firstIndex(of: name), i + 1 < args.count { return args[i + 1] }
  return fallback
}

let usage = """
  usage: history-generator --db PATH [--builds N] [--steps N] [--seed N] [--close-shifts GAP]
  Writes a synthetic build history to PATH (a new or existing buildtrail database) for the scale
  benchmark: N builds (default 100000; about 0.6 kB each), `--steps` steps per build (default 40).

  """
if CommandLine.arguments.contains(where: { $0 == "--help" || $0 == "-h" }) {
  print(usage, terminator: "")
  exit(0)
}
guard CommandLine.arguments.contains("--db") else {
  FileHandle.standardError.write(
    Data(
      "history-generator: error: --db PATH is required (where to write the history)\n\(usage)".utf8)
  )
  exit(64)
}
let path = option("--db", "")
let total = Int(option("--builds", "100000")) ?? 100_000
let stepCount = max(8, Int(option("--steps", "40")) ?? 40)
let closeGap = max(0, Int(option("--close-shifts", "0")) ?? 0)
var random = SplitMix64(state: UInt64(option("--seed", "1")) ?? 1)
/// Runs `body`; on an error, prints it with what was being done and exits 1 instead of trapping.
func orExit<T>(_ doing: String, _ body: () throws -> T) -> T {
  do {
    return try body()
  } catch {
    FileHandle.standardError.write(
      Data("\nhistory-generator: error while \(doing): \(error.localizedDescription)\n".utf8))
    exit(1)
  }
}

let store = orExit("opening \(path)") { try BuildStore(path: path) }

let perStage = (stepCount - 4) / 2
let commands = [
  "uv sync --frozen --no-install-project", "npm ci", "make -j4", "go build ./...",
  "pip install -r requirements.txt", "cargo build --release",
]
var names: [String] = [
  "[internal] load build definition from Dockerfile", "[internal] load .dockerignore",
  "[internal] load metadata for docker.io/library/python:3.12-slim",
]
var baseSeconds: [Double] = [0.1, 0.0, 0.8]
for stage in ["deps", "app"] {
  names.append(
    "[\(stage) 1/\(perStage + 1)] FROM docker.io/library/python:3.12-slim@sha256:\(String(repeating: "ab", count: 32))"
  )
  baseSeconds.append(0.0)
  for i in 2...(perStage + 1) {
    let kind =
      i % 3 == 0 ? "COPY src\(i)/ /app/src\(i)/" : "RUN \(commands[i % commands.count]) # step \(i)"
    names.append("[\(stage) \(i)/\(perStage + 1)] \(kind)")
    baseSeconds.append(kind.hasPrefix("COPY") ? 0.2 : 5 + random.unit() * 120)
  }
}
names.append("exporting to image")
baseSeconds.append(1.5)
let alwaysFrom = closeGap > 0 ? names.count - 4 : names.count
let closeSteps = (min(alwaysFrom, names.count - 1)..<(names.count - 1)).filter {
  names[$0].contains("RUN")
}.suffix(2)
let slowerStep = closeGap > 0 ? closeSteps.first ?? 0 : 3 + 1 + perStage / 2
let secondStep = closeGap > 0 ? closeSteps.last ?? 0 : -1
let brokenStep = 3 + perStage + 1 + 2
let start = Date(timeIntervalSince1970: 1_700_000_000)
let started = Date()
var batch: [NewBuild] = []
for n in 0..<total {
  let branch = random.unit() < 0.8 ? "main" : "feature-\(random.next() % 5)"
  let onMain = branch == "main"
  let missFrom =
    random.unit() < 0.3 ? 4 + Int(random.next() % UInt64(names.count - 5)) : names.count
  var steps: [ParsedStep] = []
  for (i, name) in names.enumerated() {
    let stageEnd = i <= 3 + perStage ? 3 + perStage : names.count - 2
    let stageStart = i <= 3 + perStage ? 3 : 4 + perStage
    let cacheable = i > stageStart && i <= stageEnd
    var ran =
      !cacheable || i >= alwaysFrom
      || (missFrom <= i && missFrom >= stageStart && missFrom <= stageEnd)
    if onMain && i >= brokenStep && i <= stageEnd && n >= total * 8 / 10 { ran = true }
    var seconds = baseSeconds[i] * exp(0.1 * random.normal())
    if random.unit() < 0.05 { seconds *= 1.5 + random.unit() * 2.5 }
    if onMain && i == slowerStep && n >= total * 6 / 10 { seconds *= closeGap > 0 ? 1.6 : 1.5 }
    if onMain && i == secondStep && n >= total * 6 / 10 + closeGap { seconds *= 1.5 }
    steps.append(
      ParsedStep(
        vertex: i + 1, name: name, status: ran ? .done : .cached,
        duration: ran ? (seconds * 10).rounded() / 10 : nil,
        outputLineCount: ran && cacheable ? 40 : 0,
        outputTail: ran && cacheable ? (0..<5).map { "output line \($0)" } : []))
  }
  let failed = random.unit() < 0.03
  if failed,
    let last = steps.indices.dropLast().last(where: { steps[$0].status == .done && $0 > 4 })
  {
    steps[last].status = .error
    steps[last].errorText = "process did not complete successfully: exit code: 1"
  }
  let when = start.addingTimeInterval(Double(n) * 600)
  let parsed = ParsedBuild(
    format: .plain, steps: steps, outcome: failed ? .failed : .success, builderName: "ci",
    driver: "docker-container",
    imageNames: ["registry.example/app:\(n)"],
    contextTransferBytes: 40_000 + Int64(random.next() % 10_000),
    startedAt: when, endedAt: when.addingTimeInterval(steps.reduce(0) { $0 + ($1.duration ?? 0) }))
  let commit = String(
    format: "%016llx%016llx%08llx", random.next(), random.next(), random.next() % 0xFFFF_FFFF)
  batch.append(
    NewBuild(
      parsed: parsed, logSHA256: String(format: "%016llx%016llx", UInt64(n), random.next()),
      recordedAt: when,
      labels: ["pipeline": "ci"],
      git: GitFacts(commit: commit, branch: branch, subject: "change \(n)", dirty: false),
      ci: CIFacts(provider: "github-actions", runID: String(n))))
  if batch.count == 1000 || n == total - 1 {
    _ = orExit("recording builds up to \(n + 1)") { try store.record(batch) }
    batch.removeAll(keepingCapacity: true)
    FileHandle.standardError.write(Data("\r\(n + 1) builds".utf8))
  }
}
let attributes = orExit("reading the size of \(path)") {
  try FileManager.default.attributesOfItem(atPath: path)
}
let bytes = (attributes[.size] as? NSNumber)?.int64Value ?? 0
FileHandle.standardError.write(Data("\n".utf8))
print(
  "wrote \(total) builds × \(names.count) steps to \(path) in \(String(format: "%.1f", Date().timeIntervalSince(started))) s; "
    + "\(bytes / 1_000_000) MB, \(bytes / Int64(max(total, 1))) bytes per build")
