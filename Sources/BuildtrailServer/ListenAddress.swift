import BuildtrailKit

/// Where the service listens: a host name or IP address and a TCP port (0 asks for a free one).
public struct ListenAddress: Sendable, Equatable, CustomStringConvertible {
  public var host: String
  public var port: Int

  public init(host: String, port: Int) {
    self.host = host
    self.port = port
  }

  /// Reads `HOST:PORT`, with an IPv6 address in brackets (`[::1]:8080`).
  /// - Throws: ``BuildtrailError/invalidArgument(_:)`` saying what is expected.
  public init(parsing text: String) throws {
    let refusal = BuildtrailError.invalidArgument(
      "a listen address is HOST:PORT (127.0.0.1:8080, [::1]:8080, 0.0.0.0:8080) with a port from 0 to 65535, got '\(text)'"
    )
    guard let colon = text.lastIndex(of: ":") else { throw refusal }
    var host = Substring(text[..<colon])
    let portText = text[text.index(after: colon)...]
    if host.hasPrefix("[") && host.hasSuffix("]") {
      host = host.dropFirst().dropLast()
    } else if host.contains(":") {
      throw refusal
    }
    guard !host.isEmpty, !host.contains(where: { $0.isWhitespace || $0 == "/" }),
      !portText.isEmpty, portText.count <= 5, portText.allSatisfy({ $0.isASCII && $0.isNumber }),
      let port = Int(portText), (0...65_535).contains(port)
    else { throw refusal }
    self.init(host: String(host), port: port)
  }

  /// Whether only this machine can connect: `localhost`, 127.0.0.0/8 or `::1`.
  public var isLoopback: Bool {
    host == "localhost" || host == "::1" || host.hasPrefix("127.")
  }

  /// `HOST:PORT`, with an IPv6 address in brackets.
  public var description: String {
    host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
  }
}
