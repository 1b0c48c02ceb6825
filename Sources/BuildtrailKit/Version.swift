/// The version `buildtrail --version` prints.
public enum BuildtrailVersion {
  public static let current = "0.1.0"
}
