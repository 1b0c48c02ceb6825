/// What the service accepts from uploaders, each refused with its own status and message.
public struct UploadLimits: Sendable, Equatable {
  /// The largest upload body, counted after gzip is inflated and announced by Content-Length
  /// (413 above it).
  public var maxUploadBytes: Int64
  /// Uploads received or recorded at once; one more is answered 503 with Retry-After.
  public var maxConcurrentUploads: Int
  /// Seconds a connection may stay silent (between requests, within headers, or within a body)
  /// before it is closed; nil never closes one.
  public var idleTimeoutSeconds: Int?

  /// The largest metadata part: the runner's document, context manifest included.
  public static let maxMetadataBytes = 16 << 20
  /// The most hashes one `POST /api/v1/inputs/missing` may ask about.
  public static let maxMissingQuery = 1000
  /// Seconds a 503 tells an uploader to wait before it tries again.
  public static let retryAfterSeconds = 2

  /// Limits of the given values; the defaults are `serve`'s.
  public init(
    maxUploadBytes: Int64 = 1 << 30, maxConcurrentUploads: Int = 4, idleTimeoutSeconds: Int? = 60
  ) {
    self.maxUploadBytes = maxUploadBytes
    self.maxConcurrentUploads = maxConcurrentUploads
    self.idleTimeoutSeconds = idleTimeoutSeconds
  }
}
