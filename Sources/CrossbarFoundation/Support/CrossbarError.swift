/// Errors for user mistakes: bad parameters, bad shapes, bad files. Each message names the
/// field (or file), the offending value and what would have been allowed.
///
/// Programmer mistakes (violated internal invariants) are preconditions instead.
public enum CrossbarError: Error, Equatable, CustomStringConvertible, Sendable {
    /// A parameter is outside its allowed range: `field` is a dotted path such as
    /// `forward.out_noise`.
    case invalidParameter(field: String, value: String, allowed: String)
    /// A JSON object holds a key the record does not know (typos are never ignored).
    case unknownKey(field: String, key: String, allowed: [String])
    /// Array shapes do not match (e.g. an input with the wrong number of features).
    case shapeMismatch(what: String, expected: String, got: String)
    /// An input value is NaN or infinite.
    case nonFinite(what: String, index: Int, value: Float)
    /// A file is missing, truncated or corrupt.
    case file(path: String, reason: String)
    /// A name (preset, configuration, model, …) is not known.
    case unknownName(kind: String, name: String, known: [String])
    /// A training run diverged: its loss or weights became non-finite or exploded (epoch and
    /// mini-batch 1-based; `reason` names the quantity and its value).
    case diverged(epoch: Int, batch: Int?, reason: String)
    /// Anything else, with a complete message.
    case message(String)

    public var description: String {
        switch self {
        case let .invalidParameter(field, value, allowed):
            return "invalid value for '\(field)': \(value) (allowed: \(allowed))"
        case let .unknownKey(field, key, allowed):
            let place = field.isEmpty ? "" : " in '\(field)'"
            let hint = Self.closest(to: key, in: allowed).map { "; did you mean '\($0)'?" } ?? ""
            return "unknown key '\(key)'\(place)\(hint) (allowed keys: \(allowed.joined(separator: ", ")))"
        case let .shapeMismatch(what, expected, got):
            return "shape mismatch for \(what): expected \(expected), got \(got)"
        case let .nonFinite(what, index, value):
            return "non-finite value in \(what) at index \(index): \(value) (allowed: finite numbers)"
        case let .file(path, reason):
            return "\(path): \(reason)"
        case let .unknownName(kind, name, known):
            let hint = Self.closest(to: name, in: known).map { "; did you mean '\($0)'?" } ?? ""
            return "unknown \(kind) '\(name)'\(hint) (known: \(known.joined(separator: ", ")))"
        case let .diverged(epoch, batch, reason):
            let place = batch.map { "epoch \(epoch), mini-batch \($0)" } ?? "epoch \(epoch)"
            return "training diverged in \(place): \(reason). Likely cause: the learning rate is too large for this configuration "
                + "(or device parameters that drive weights beyond float range); lower --lr / learning_rate."
        case let .message(text):
            return text
        }
    }

    /// The same error with `prefix` prepended to its field path (for nested records).
    public func prefixed(by prefix: String) -> CrossbarError {
        guard !prefix.isEmpty else { return self }
        switch self {
        case let .invalidParameter(field, value, allowed):
            return .invalidParameter(field: field.isEmpty ? prefix : "\(prefix).\(field)", value: value, allowed: allowed)
        case let .unknownKey(field, key, allowed):
            return .unknownKey(field: field.isEmpty ? prefix : "\(prefix).\(field)", key: key, allowed: allowed)
        default:
            return self
        }
    }

    /// The candidate with the smallest edit distance, if it is close enough to be a typo.
    static func closest(to word: String, in candidates: [String]) -> String? {
        var best: (String, Int)?
        for c in candidates {
            let d = editDistance(word.lowercased(), c.lowercased())
            if d <= max(2, word.count / 3), best == nil || d < best!.1 { best = (c, d) }
        }
        return best?.0
    }

    static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }
}

/// Validation helpers that throw ``CrossbarError/invalidParameter(field:value:allowed:)``.
public enum Check {
    public static func finite(_ v: Float, _ field: String) throws {
        if !v.isFinite { throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "a finite number") }
    }
    public static func nonNegative(_ v: Float, _ field: String) throws {
        try finite(v, field)
        if v < 0 { throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "≥ 0") }
    }
    public static func positive(_ v: Float, _ field: String) throws {
        try finite(v, field)
        if v <= 0 { throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "> 0") }
    }
    public static func range(_ v: Float, _ lo: Float, _ hi: Float, _ field: String) throws {
        try finite(v, field)
        if v < lo || v > hi { throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "[\(lo), \(hi)]") }
    }
    public static func probability(_ v: Float, _ field: String) throws { try range(v, 0, 1, field) }
    public static func atLeast(_ v: Int, _ lo: Int, _ field: String) throws {
        if v < lo { throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "≥ \(lo)") }
    }
    /// A resolution in the spec's convention: ≤ 0 off, (0, 1] a bin width as a fraction of
    /// the full range, > 1 a number of steps. Only NaN and infinity are invalid.
    public static func resolution(_ v: Float, _ field: String) throws {
        if !v.isFinite { throw CrossbarError.invalidParameter(field: field, value: "\(v)", allowed: "≤ 0 (off), (0, 1] (bin width) or > 1 (number of steps)") }
    }
    /// All values of an input buffer are finite.
    package static func finite(_ values: UnsafeBufferPointer<Float>, _ what: String) throws {
        for (i, v) in values.enumerated() where !v.isFinite {
            throw CrossbarError.nonFinite(what: what, index: i, value: v)
        }
    }
}
