import CZlib

/// Inflates a gzip body (RFC 1952, one member or several) as it arrives, a chunk at a time, handing
/// on at most 64 KiB at once: a small body that inflates to gigabytes is stopped by the caller's
/// count long before it is held.
final class GzipInflater {
  private let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
  private let output = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 << 10, alignment: 16)
  /// Whether the last member ended and nothing followed it yet.
  private var ended = false

  init() {
    stream.initialize(to: z_stream())
    let status = inflateInit2_(
      stream, MAX_WBITS + 16, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size))
    precondition(status == Z_OK, "inflateInit2 fails only without memory")
  }

  deinit {
    inflateEnd(stream)
    stream.deallocate()
    output.deallocate()
  }

  /// Inflates `input`, calling `emit` with each piece of the inflated bytes in order.
  /// - Throws: ``APIError`` 400 when the bytes are not gzip; what `emit` throws.
  func inflate(_ input: UnsafeRawBufferPointer, _ emit: (UnsafeRawBufferPointer) throws -> Void)
    throws
  {
    guard let base = input.baseAddress, !input.isEmpty else { return }
    stream.pointee.next_in = UnsafeMutablePointer(
      mutating: base.assumingMemoryBound(to: Bytef.self))
    stream.pointee.avail_in = uInt(input.count)
    while stream.pointee.avail_in > 0 {
      if ended {
        inflateReset(stream)
        ended = false
      }
      stream.pointee.next_out = output.baseAddress!.assumingMemoryBound(to: Bytef.self)
      stream.pointee.avail_out = uInt(output.count)
      let status = CZlib.inflate(stream, Z_NO_FLUSH)
      let produced = output.count - Int(stream.pointee.avail_out)
      if produced > 0 { try emit(UnsafeRawBufferPointer(rebasing: output[..<produced])) }
      switch status {
      case Z_STREAM_END: ended = true
      case Z_OK: continue
      case Z_BUF_ERROR where produced > 0: continue
      default:
        let reason = stream.pointee.msg.map { String(cString: $0) } ?? "zlib status \(status)"
        throw APIError(
          .badRequest, "the body is not valid gzip (\(reason)); send it as it was compressed")
      }
    }
  }

  /// Checks that the body ended where a gzip member did.
  /// - Throws: ``APIError`` 400 when it was cut inside one.
  func finish() throws {
    guard ended else {
      throw APIError(
        .badRequest, "the gzip body ends before its end; send the whole compressed body")
    }
  }
}
