import ArgumentParser
import CrossbarKit

/// A numeric command-line value that keeps the text the user typed, so an out-of-range value is
/// reported as given (`--lr 1e300`, not `inf`). Parsing accepts anything `Double` reads;
/// ranges are checked by ``float(field:)`` and the command's own validation.
struct NumberArgument: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The argument as typed.
    let text: String
    /// Its value at double precision (may be infinite or NaN; see ``float(field:)``).
    let double: Double

    init?(argument: String) {
        guard let value = Double(argument) else { return nil }
        text = argument
        double = value
    }

    /// A default value.
    init(_ value: Float) {
        text = "\(value)"
        double = Double(value)
    }

    var description: String { text }
    var defaultValueDescription: String { text }

    /// The value as a finite Float; throws a field-naming error for NaN, ±infinity and values
    /// beyond Float's range (|x| > 3.4028235e38).
    /// `allowed` describes the field's full range in the error.
    func float(field: String, allowed: String = "a finite number") throws -> Float {
        let value = Float(double)
        guard double.isFinite, value.isFinite else {
            throw CrossbarError.invalidParameter(field: field, value: text, allowed: allowed + " with |x| ≤ 3.4028235e38")
        }
        return value
    }
}
