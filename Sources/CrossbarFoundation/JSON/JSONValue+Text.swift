import Foundation

extension JSONValue {
    /// The canonical compact text: no whitespace, keys sorted by UTF-8 bytes, integral numbers
    /// (|x| ≤ 2⁵³) without fraction, other numbers in Swift's shortest round-trip form, `-0` as `0`,
    /// non-finite numbers as the strings `"nan"`, `"inf"`, `"-inf"`. Equal values ⇒ equal bytes.
    public var canonicalText: String {
        var out = ""
        write(into: &out, indent: nil, level: 0)
        return out
    }

    /// Human-readable text with two-space indentation and sorted keys (same number format).
    public var prettyText: String {
        var out = ""
        write(into: &out, indent: "  ", level: 0)
        return out
    }

    /// The canonical text of a number (see ``canonicalText``).
    public static func numberText(_ d: Double) -> String {
        if d.isNaN { return "\"nan\"" }
        if d.isInfinite { return d > 0 ? "\"inf\"" : "\"-inf\"" }
        if d == 0 { return "0" }
        if d.rounded() == d, abs(d) <= 9_007_199_254_740_992 { return String(Int64(d)) }
        return d.description
    }

    /// Appends `s` as a JSON string literal (quotes, backslash and control characters escaped).
    public static func appendQuoted(_ s: String, to out: inout String) {
        out.append("\"")
        for u in s.unicodeScalars {
            switch u {
            case "\"": out.append("\\\"")
            case "\\": out.append("\\\\")
            case "\n": out.append("\\n")
            case "\r": out.append("\\r")
            case "\t": out.append("\\t")
            case "\u{08}": out.append("\\b")
            case "\u{0C}": out.append("\\f")
            default:
                if u.value < 0x20 {
                    let hex = String(u.value, radix: 16)
                    out.append("\\u" + String(repeating: "0", count: 4 - hex.count) + hex)
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        out.append("\"")
    }

    private func write(into out: inout String, indent: String?, level: Int) {
        switch self {
        case .null: out.append("null")
        case let .bool(b): out.append(b ? "true" : "false")
        case let .number(d): out.append(JSONValue.numberText(d))
        case let .string(s): JSONValue.appendQuoted(s, to: &out)
        case let .array(a):
            if a.isEmpty { out.append("[]"); return }
            out.append("[")
            for (i, v) in a.enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent, level + 1)
                v.write(into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out.append("]")
        case let .object(o):
            if o.isEmpty { out.append("{}"); return }
            out.append("{")
            for (i, k) in o.keys.sorted(by: JSONValue.keyOrder).enumerated() {
                if i > 0 { out.append(",") }
                newline(&out, indent, level + 1)
                JSONValue.appendQuoted(k, to: &out)
                out.append(indent == nil ? ":" : ": ")
                o[k]!.write(into: &out, indent: indent, level: level + 1)
            }
            newline(&out, indent, level)
            out.append("}")
        }
    }

    private func newline(_ out: inout String, _ indent: String?, _ level: Int) {
        guard let indent else { return }
        out.append("\n")
        for _ in 0..<level { out.append(indent) }
    }
}
