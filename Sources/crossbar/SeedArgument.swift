import ArgumentParser
import CrossbarKit

/// A master seed on the command line, kept as typed so that a bad value is refused with the
/// allowed form: `--seed -1` and `--seed x` both name the value and the range, instead of the
/// parser reading `-1` as a missing value. Parsed unconditionally (`parsing: .unconditional`)
/// so a leading minus sign reaches ``value(field:)``.
struct SeedArgument: ExpressibleByArgument, CustomStringConvertible, Sendable {
    /// The argument as typed.
    let text: String

    init?(argument: String) { text = argument }

    /// A default seed.
    init(_ value: UInt64) { text = String(value) }

    var description: String { text }
    var defaultValueDescription: String { text }

    /// The seed; throws a field-naming error unless the text is an integer in 0…2⁶⁴ − 1.
    func value(field: String = "--seed") throws -> UInt64 {
        guard let seed = UInt64(text) else {
            throw CrossbarError.invalidParameter(field: field, value: text, allowed: "an integer in 0…\(UInt64.max)")
        }
        return seed
    }
}
