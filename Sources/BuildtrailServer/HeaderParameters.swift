import Foundation

/// A header value with parameters, as `Content-Type` and a part's `Content-Disposition` carry them:
/// `multipart/form-data; boundary="x"`, `form-data; name="log"; filename="build.log"`.
struct HeaderParameters: Equatable {
  /// The value before the first `;`, lowercased and trimmed.
  var value: String
  /// The parameters, by lowercased name, unquoted.
  var parameters: [String: String]

  init(_ header: String) {
    var fields: [String] = []
    var current = ""
    var quoted = false
    var escaped = false
    for character in header {
      if escaped {
        current.append(character)
        escaped = false
      } else if quoted && character == "\\" {
        escaped = true
      } else if character == "\"" {
        quoted.toggle()
      } else if character == ";" && !quoted {
        fields.append(current)
        current = ""
      } else {
        current.append(character)
      }
    }
    fields.append(current)
    value = fields[0].trimmingCharacters(in: .whitespaces).lowercased()
    parameters = [:]
    for field in fields.dropFirst() {
      guard let equals = field.firstIndex(of: "=") else { continue }
      let name = field[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
      if parameters[name] == nil {
        parameters[name] = field[field.index(after: equals)...].trimmingCharacters(
          in: .whitespaces)
      }
    }
  }
}
