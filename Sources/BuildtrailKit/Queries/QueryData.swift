import Foundation

/// The form in which `buildtrail serve` answers a query with the use case's own value rather than the
/// documented CLI JSON, so that a client renders it locally exactly as from a local history: the
/// media type that asks for it, and the one encoder and decoder both sides use.
///
/// The encoding is the values' `Codable` form with sorted keys; dates are their seconds since the
/// reference date as a JSON number (lossless: a `Double` prints as the shortest text that reads back
/// as the same value), and infinities and NaN are the strings `+Infinity`, `-Infinity` and `NaN`.
public enum QueryData {
  /// The `Accept` (and `Content-Type`) media type of the data form.
  public static let mediaType = "application/vnd.buildtrail.data+json"

  private static let infinity = "+Infinity"
  private static let negativeInfinity = "-Infinity"
  private static let notANumber = "NaN"

  /// `value` in the data form.
  /// - Throws: `EncodingError` when a value cannot be encoded.
  public static func encode<T: Encodable>(_ value: T) throws -> Data {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    encoder.dateEncodingStrategy = .deferredToDate
    encoder.nonConformingFloatEncodingStrategy = .convertToString(
      positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: notANumber)
    return try encoder.encode(value)
  }

  /// A `T` read from its data form.
  /// - Throws: `DecodingError` when `data` is not one.
  public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
    let decoder = JSONDecoder()
    decoder.dateDecodingStrategy = .deferredToDate
    decoder.nonConformingFloatDecodingStrategy = .convertFromString(
      positiveInfinity: infinity, negativeInfinity: negativeInfinity, nan: notANumber)
    return try decoder.decode(type, from: data)
  }
}
