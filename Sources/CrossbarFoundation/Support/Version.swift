/// The toolkit's version, recorded in every output file (results, metrics, checkpoints).
public enum CrossbarVersion {
    public static let current = "0.1.0"
}
