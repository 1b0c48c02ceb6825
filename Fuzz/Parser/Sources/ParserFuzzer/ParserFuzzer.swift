import BuildLog
import Foundation

/// libFuzzer's entry point: parses the input whole and again in odd chunk sizes, and traps when
/// the parser breaks a promise (a stored value out of range, a result that depends on chunking).
@_cdecl("LLVMFuzzerTestOneInput")
public func parserFuzzerTestOneInput(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
  let input = UnsafeRawBufferPointer(start: data, count: size)
  let whole = LogParser()
  whole.feed(input)
  let log = whole.finish()
  ParserFuzzer.checkRanges(log)

  let chunked = LogParser()
  let sizes = ParserFuzzer.chunkSizes(seed: size == 0 ? 0 : Int(data[size - 1]))
  var offset = 0
  var index = 0
  while offset < size {
    let count = min(sizes[index % sizes.count], size - offset)
    chunked.feed(UnsafeRawBufferPointer(rebasing: input[offset..<(offset + count)]))
    offset += count
    index += 1
  }
  let again = chunked.finish()
  if again != log { fatalError("chunked parse differs from whole parse (\(sizes))") }
  return 0
}

/// The executable's entry point: SwiftPM links `main` to `<module>_main`, so this hands over to libFuzzer's driver.
@_cdecl("ParserFuzzer_main")
public func parserFuzzerMain(
  _ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?
) -> CInt {
  var count = argc
  var arguments = argv
  return runFuzzerDriver(&count, &arguments, parserFuzzerTestOneInput)
}

/// libFuzzer's `LLVMFuzzerRunDriver`.
@_silgen_name("LLVMFuzzerRunDriver")
func runFuzzerDriver(
  _ argc: UnsafeMutablePointer<CInt>,
  _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
  _ test: @convention(c) (UnsafePointer<UInt8>, Int) -> CInt
) -> CInt

/// The invariants the fuzzer checks.
enum ParserFuzzer {
  static let maxSeconds = 30.0 * 86_400
  static let maxBytes: Int64 = 1_000_000_000_000_000
  /// 1970-01-01 and 2200-01-01, as seconds since 1970.
  static let times = 0.0...7_258_118_400.0

  static func chunkSizes(seed: Int) -> [Int] {
    [[1], [2, 3], [7, 1, 13], [64, 5], [4093, 1]][seed % 5]
  }

  static func checkRanges(_ log: ParsedLog) {
    for build in log.builds {
      check(build.contextTransferBytes.map { (0...maxBytes).contains($0) } ?? true, "context bytes")
      check(date(build.startedAt) && date(build.endedAt), "build time")
      for step in build.steps {
        check(
          step.duration.map(seconds) ?? true, "step duration \(String(describing: step.duration))")
        check(step.doneDurations.allSatisfy(seconds), "DONE durations")
        check(date(step.startedAt) && date(step.completedAt), "step time")
      }
    }
  }

  static func seconds(_ value: Double) -> Bool {
    value.isFinite && value >= 0 && value <= maxSeconds
  }

  static func date(_ date: Date?) -> Bool {
    date.map { times.contains($0.timeIntervalSince1970) } ?? true
  }

  static func check(_ condition: Bool, _ what: @autoclosure () -> String) {
    if !condition { fatalError("value out of range: \(what())") }
  }
}
