import CZlib
import Foundation

/// zlib streams (RFC 1950) from the system's libz: what the store compresses output and inputs with.
enum Zlib {
  /// `data` compressed at level 9.
  static func compress(_ data: Data) -> Data {
    if data.isEmpty { return Data([0x78, 0xDA, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]) }
    var bound = compressBound(uLong(data.count))
    var out = Data(count: Int(bound))
    let status = out.withUnsafeMutableBytes { dst in
      data.withUnsafeBytes { src in
        compress2(
          dst.baseAddress!.assumingMemoryBound(to: Bytef.self), &bound,
          src.baseAddress!.assumingMemoryBound(to: Bytef.self), uLong(data.count), 9)
      }
    }
    precondition(status == Z_OK, "compress2 cannot fail with a compressBound buffer")
    out.count = Int(bound)
    return out
  }

  /// Decompresses `data`; nil when it is not a whole zlib stream or would exceed `limit` bytes.
  static func decompress(_ data: Data, limit: Int = 256 << 20) -> Data? {
    var stream = z_stream()
    guard inflateInit_(&stream, ZLIB_VERSION, Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
      return nil
    }
    defer { inflateEnd(&stream) }
    var out = Data()
    let chunk = 64 * 1024
    var buffer = [UInt8](repeating: 0, count: chunk)
    return data.withUnsafeBytes { (src: UnsafeRawBufferPointer) -> Data? in
      guard let base = src.baseAddress else { return nil }
      stream.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: Bytef.self))
      stream.avail_in = uInt(src.count)
      while true {
        let status = buffer.withUnsafeMutableBufferPointer { dst -> Int32 in
          stream.next_out = dst.baseAddress
          stream.avail_out = uInt(chunk)
          return inflate(&stream, Z_NO_FLUSH)
        }
        let produced = chunk - Int(stream.avail_out)
        guard out.count + produced <= limit else { return nil }
        out.append(contentsOf: buffer[0..<produced])
        switch status {
        case Z_STREAM_END: return out
        case Z_OK: if produced == 0 && stream.avail_in == 0 { return nil }
        case Z_BUF_ERROR: if stream.avail_in == 0 { return nil }
        default: return nil
        }
      }
    }
  }
}
