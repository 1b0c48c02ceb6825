/// The version `buildtrail --version` prints.
public enum BuildtrailVersion {
  /// This build's version.
  public static let current = "0.1.0"
}
