import CZlib
import Foundation

/// zlib streams (RFC 1950) from the system's libz: what the store compresses records and inputs with.
///
/// A stream may be compressed against a preset dictionary (an earlier build's record): its bytes then
/// cost little when they repeat the dictionary's, and it reads back only with the same dictionary.
enum Zlib {
  /// `data` compressed at `level` (9 unless told), against `dictionary` when given (zlib uses its
  /// last 32 KiB).
  static func compress(_ data: Data, dictionary: Data? = nil, level: Int32 = 9) -> Data {
    var stream = z_stream()
    guard
      deflateInit2_(
        &stream, level, Z_DEFLATED, MAX_WBITS, 9, Z_DEFAULT_STRATEGY, ZLIB_VERSION,
        Int32(MemoryLayout<z_stream>.size)) == Z_OK
    else { preconditionFailure("deflateInit2 fails only without memory") }
    defer { deflateEnd(&stream) }
    if let dictionary, !dictionary.isEmpty {
      let status = dictionary.withUnsafeBytes { d in
        deflateSetDictionary(
          &stream, d.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(d.count))
      }
      precondition(status == Z_OK, "deflateSetDictionary cannot fail on a new stream")
    }
    let bound = Int(deflateBound(&stream, uLong(data.count)))
    var out = Data(count: bound)
    let produced = out.withUnsafeMutableBytes { dst -> Int in
      data.withUnsafeBytes { src -> Int in
        stream.next_in = src.baseAddress.map {
          UnsafeMutablePointer(mutating: $0.assumingMemoryBound(to: Bytef.self))
        }
        stream.avail_in = uInt(src.count)
        stream.next_out = dst.baseAddress!.assumingMemoryBound(to: Bytef.self)
        stream.avail_out = uInt(dst.count)
        let status = deflate(&stream, Z_FINISH)
        precondition(status == Z_STREAM_END, "deflate cannot fail with a deflateBound buffer")
        return dst.count - Int(stream.avail_out)
      }
    }
    out.count = produced
    return out
  }

  /// Decompresses `data`, with `dictionary` when the stream asks for one; nil when it is not a whole
  /// zlib stream, asks for a dictionary that was not given or does not match, or would exceed `limit`
  /// bytes.
  static func decompress(_ data: Data, dictionary: Data? = nil, limit: Int = 256 << 20) -> Data? {
    decompress(data, limit: limit) { _ in dictionary }
  }

  /// Decompresses `data`, with the one of `dictionaries` the stream names (by its Adler-32) when it
  /// asks for one.
  static func decompress(_ data: Data, dictionaries: [Data], limit: Int = 256 << 20) -> Data? {
    decompress(data, limit: limit) { wanted in
      dictionaries.first { !$0.isEmpty && adler32(of: $0) == wanted }
    }
  }

  /// The Adler-32 checksum zlib names a preset dictionary by.
  static func adler32(of data: Data) -> UInt {
    data.withUnsafeBytes {
      UInt(
        CZlib.adler32(1, $0.baseAddress?.assumingMemoryBound(to: Bytef.self), uInt($0.count)))
    }
  }

  /// The Adler-32 of `first` followed by bytes of checksum `second` and length `secondLength`.
  static func adler32(combining first: UInt, _ second: UInt, secondLength: Int) -> UInt {
    UInt(adler32_combine(uLong(first), uLong(second), off_t(secondLength)))
  }

  /// Decompresses `data`; when the stream asks for a preset dictionary, `dictionary` is given the
  /// Adler-32 it names and returns it, or nil when it has none.
  static func decompress(
    _ data: Data, limit: Int = 256 << 20, dictionary: (UInt) -> Data?
  ) -> Data? {
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
        var status = buffer.withUnsafeMutableBufferPointer { dst -> Int32 in
          stream.next_out = dst.baseAddress
          stream.avail_out = uInt(chunk)
          return inflate(&stream, Z_NO_FLUSH)
        }
        if status == Z_NEED_DICT {
          guard let dictionary = dictionary(UInt(stream.adler)), !dictionary.isEmpty else {
            return nil
          }
          let set = dictionary.withUnsafeBytes { d in
            inflateSetDictionary(
              &stream, d.baseAddress!.assumingMemoryBound(to: Bytef.self), uInt(d.count))
          }
          guard set == Z_OK else { return nil }
          status = Z_OK
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
