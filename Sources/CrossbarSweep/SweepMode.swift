import CrossbarFoundation

/// How the axes of a sweep combine into points.
public enum SweepMode: String, ConfigEnum {
    /// Cartesian product of the axes (axes sharing a `group` are zipped first and count as one
    /// factor of the product). The first factor varies slowest.
    case grid
    /// All axes zipped: point i takes value i of every axis (all axes need the same length).
    case zip
}
