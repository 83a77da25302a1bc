/// The toolkit version recorded in every output file.
public let version = "0.1.0"
