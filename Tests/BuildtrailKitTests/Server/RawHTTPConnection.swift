import Foundation
import Testing

/// One HTTP/1.1 connection to a local server over a plain socket: the test decides what is sent and
/// when (headers without their body, half a body), and reads the one response.
final class RawHTTPConnection {
  private let fd: Int32

  enum Failure: Error {
    case connect(Int32)
    case send(Int32)
    case noResponse(String)
  }

  /// Connects to 127.0.0.1:`port`; reads wait at most `timeout` seconds.
  init(port: Int, timeout: Int = 60) throws {
    fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
    guard fd >= 0 else { throw Failure.connect(errno) }
    var wait = timeval(tv_sec: timeout, tv_usec: 0)
    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &wait, socklen_t(MemoryLayout<timeval>.size))
    var address = sockaddr_in()
    address.sin_family = sa_family_t(AF_INET)
    address.sin_port = in_port_t(UInt16(port).bigEndian)
    address.sin_addr.s_addr = inet_addr("127.0.0.1")
    let status = withUnsafePointer(to: &address) {
      $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
        connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
      }
    }
    guard status == 0 else {
      let code = errno
      Foundation.close(fd)
      throw Failure.connect(code)
    }
  }

  deinit { Foundation.close(fd) }

  /// Whether a connection to 127.0.0.1:`port` is accepted now.
  static func accepts(port: Int) -> Bool {
    (try? RawHTTPConnection(port: port)) != nil
  }

  /// The request line and headers of a `method` request to `path`, ended by the empty line.
  static func head(_ method: String, _ path: String, headers: [(String, String)]) -> Data {
    var text = "\(method) \(path) HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n"
    for (name, value) in headers { text += "\(name): \(value)\r\n" }
    return Data((text + "\r\n").utf8)
  }

  /// Sends `data` (never raising SIGPIPE when the server has closed).
  func send(_ data: Data) throws {
    var sent = 0
    while sent < data.count {
      let n = data.withUnsafeBytes {
        Foundation.send(fd, $0.baseAddress! + sent, data.count - sent, Int32(MSG_NOSIGNAL))
      }
      guard n > 0 else { throw Failure.send(errno) }
      sent += n
    }
  }

  /// Reads one response: its headers and the body its Content-Length announces.
  func response() throws -> ServerProcess.Reply {
    var received = Data()
    let separator = Data("\r\n\r\n".utf8)
    var buffer = [UInt8](repeating: 0, count: 65536)
    func more() throws {
      let n = recv(fd, &buffer, buffer.count, 0)
      guard n > 0 else {
        throw Failure.noResponse(String(decoding: received, as: UTF8.self))
      }
      received.append(contentsOf: buffer[0..<n])
    }
    while received.range(of: separator) == nil { try more() }
    let end = received.range(of: separator)!
    let lines = String(decoding: received[..<end.lowerBound], as: UTF8.self)
      .components(separatedBy: "\r\n")
    let status = Int(lines[0].split(separator: " ")[1]) ?? 0
    var headers: [String: String] = [:]
    for line in lines.dropFirst() {
      guard let colon = line.firstIndex(of: ":") else { continue }
      headers[line[..<colon].lowercased()] = line[line.index(after: colon)...]
        .trimmingCharacters(in: .whitespaces)
    }
    let length = Int(headers["content-length"] ?? "0") ?? 0
    while received.count - end.upperBound < length { try more() }
    let body = received[end.upperBound..<(end.upperBound + length)]
    return ServerProcess.Reply(
      status: status, contentType: headers["content-type"],
      body: String(decoding: body, as: UTF8.self), headers: headers)
  }
}
