import BuildLog
import Foundation

/// The binary form of a build's steps inside its ``BuildRecord``.
///
/// Per step: position, vertex, name, service, platform, stage, index, total, kind, key (none when
/// it is the one read from the name), status, duration, start (from the previous step's start),
/// completion (from its own start), output line count, error text and digest. A duration is exact
/// microseconds when it has no more digits, else the 8 bytes of the double; a digest is the 32 bytes
/// of a `sha256:` hex digest, else its text.
enum StepCoding {
  /// A step name and the service it belongs to: what its key is read from.
  struct NameKey: Hashable {
    var name: String
    var service: String?
  }

  static func encode(_ steps: [StoredStep], into w: inout ByteWriter) {
    w.varint(UInt64(steps.count))
    var previousStart: Int64 = 0
    for step in steps {
      w.signed(Int64(step.position))
      w.signed(Int64(step.vertex))
      w.string(step.name)
      w.optionalString(step.service)
      w.optionalString(step.platform)
      w.optionalString(step.stage)
      w.optionalSigned(step.index.map(Int64.init))
      w.optionalSigned(step.total.map(Int64.init))
      w.string(step.kind.rawValue)
      let derived = StepName(step.name, services: Set([step.service].compactMap { $0 })).stableKey
      w.optionalString(step.key == derived ? nil : step.key)
      w.string(step.status.rawValue)
      encodeDuration(step.durationSeconds, into: &w)
      let started = step.startedAt.flatMap(UTCTimestamp.milliseconds(of:))
      let completed = step.completedAt.flatMap(UTCTimestamp.milliseconds(of:))
      w.optionalSigned(started.map { $0 &- previousStart })
      w.optionalSigned(completed.map { $0 &- (started ?? previousStart) })
      if let started { previousStart = started }
      w.signed(Int64(step.outputLines))
      w.optionalString(step.errorText)
      if let digest = step.digest {
        w.byte(1)
        encodeDigest(digest, into: &w)
      } else {
        w.byte(0)
      }
    }
  }

  static func decode(_ r: inout ByteReader, keys: inout [NameKey: String]) -> [StoredStep]? {
    guard let count = r.count() else { return nil }
    var steps: [StoredStep] = []
    steps.reserveCapacity(count)
    var previousStart: Int64 = 0
    for _ in 0..<count {
      guard let position = r.signed().flatMap({ Int(exactly: $0) }),
        let vertex = r.signed().flatMap({ Int(exactly: $0) }), let name = r.string(),
        let service = r.optionalString(), let platform = r.optionalString(),
        let stage = r.optionalString(), let index = r.optionalSigned(),
        let total = r.optionalSigned(),
        let kind = r.string(), let storedKey = r.optionalString(),
        let status = r.string().flatMap(StepStatus.init(rawValue:)),
        let duration = decodeDuration(&r), let startDelta = r.optionalSigned(),
        let completedDelta = r.optionalSigned(),
        let outputLines = r.signed().flatMap({ Int(exactly: $0) }),
        let errorText = r.optionalString(), let hasDigest = r.take(1)?.first
      else { return nil }
      let started = startDelta.map { previousStart &+ $0 }
      let completed = completedDelta.map { (started ?? previousStart) &+ $0 }
      if let started { previousStart = started }
      var digest: String?
      if hasDigest == 1 {
        guard let read = decodeDigest(&r) else { return nil }
        digest = read
      }
      let key: String
      if let storedKey {
        key = storedKey
      } else if let known = keys[NameKey(name: name, service: service)] {
        key = known
      } else {
        key = StepName(name, services: Set([service].compactMap { $0 })).stableKey
        keys[NameKey(name: name, service: service)] = key
      }
      steps.append(
        StoredStep(
          position: position, vertex: vertex, name: name, service: service, platform: platform,
          stage: stage, index: index.flatMap { Int(exactly: $0) },
          total: total.flatMap { Int(exactly: $0) }, kind: StepKind(rawValue: kind) ?? .other,
          key: key, status: status, durationSeconds: duration,
          startedAt: started.map(UTCTimestamp.date(milliseconds:)),
          completedAt: completed.map(UTCTimestamp.date(milliseconds:)), outputLines: outputLines,
          errorText: errorText, digest: digest))
    }
    return steps
  }

  private static func encodeDuration(_ seconds: Double?, into w: inout ByteWriter) {
    guard let seconds else { return w.byte(0) }
    if seconds.isFinite, abs(seconds) < 1e12 {
      let micros = (seconds * 1_000_000).rounded()
      if Double(Int64(micros)) / 1_000_000 == seconds {
        w.byte(1)
        w.signed(Int64(micros))
        return
      }
    }
    w.byte(2)
    w.varint(seconds.bitPattern)
  }

  /// `.some(nil)` for no duration; nil when damaged.
  private static func decodeDuration(_ r: inout ByteReader) -> Double?? {
    switch r.take(1)?.first {
    case 0: return .some(nil)
    case 1: return r.signed().map { .some(Double($0) / 1_000_000) }
    case 2: return r.varint().map { .some(Double(bitPattern: $0)) }
    default: return nil
    }
  }

  /// A digest: tag 1 and 32 bytes for `sha256:<hex>`, tag 2 and 32 bytes for bare 64-digit hex,
  /// else tag 0 and the text.
  static func encodeDigest(_ digest: String, into w: inout ByteWriter) {
    if digest.hasPrefix("sha256:"), let raw = ContextTree.rawSHA256(digest.dropFirst(7)) {
      w.byte(1)
      w.raw(raw)
    } else if let raw = ContextTree.rawSHA256(digest[...]) {
      w.byte(2)
      w.raw(raw)
    } else {
      w.byte(0)
      w.string(digest)
    }
  }

  static func decodeDigest(_ r: inout ByteReader) -> String? {
    switch r.take(1)?.first {
    case 0: return r.string()
    case 1: return r.take(32).map { "sha256:" + lowercaseHex(Data($0)) }
    case 2: return r.take(32).map { lowercaseHex(Data($0)) }
    default: return nil
    }
  }
}
