/// A path into a JSON document: object keys joined by `.`, array indices in brackets —
/// `device.reference_std`, `algorithm`, `devices[0].dw_min`, `layers[2][1]`.
///
/// Keys may hold any character except `.`, `[` and `]`; indices are non-negative integers.
public struct JSONPath: Sendable, Hashable, CustomStringConvertible, Comparable {
    public enum Component: Sendable, Hashable {
        case key(String)
        case index(Int)
    }

    public let components: [Component]

    public init(components: [Component]) { self.components = components }

    /// Parses a path; throws ``CrossbarError/invalidParameter(field:value:allowed:)`` naming
    /// `field` (e.g. `axes[2].path`) for malformed paths.
    public init(_ text: String, field: String = "path") throws {
        var comps: [Component] = []
        var key = ""
        var chars = Array(text)[...]
        let bad = { (why: String) in
            CrossbarError.invalidParameter(field: field, value: "'\(text)'", allowed: "a path like 'device.dw_min' or 'devices[0].dw_min' (\(why))")
        }
        guard !text.isEmpty else { throw bad("empty path") }
        var expectKey = true // a key must follow the start and each '.'
        while let c = chars.first {
            chars = chars.dropFirst()
            switch c {
            case ".":
                if expectKey && key.isEmpty { throw bad("empty key") }
                if !key.isEmpty { comps.append(.key(key)); key = "" }
                expectKey = true
            case "[":
                if !key.isEmpty {
                    comps.append(.key(key)); key = ""
                } else if comps.isEmpty || expectKey {
                    throw bad(comps.isEmpty ? "an index must follow a key" : "empty key")
                }
                guard let close = chars.firstIndex(of: "]") else { throw bad("missing ']'") }
                let digits = String(chars[chars.startIndex..<close])
                guard !digits.isEmpty, digits.allSatisfy(\.isASCII), digits.allSatisfy(\.isNumber), let i = Int(digits) else {
                    throw bad("'\(digits)' is not an index")
                }
                comps.append(.index(i))
                chars = chars[chars.index(after: close)...]
                expectKey = false
                if let next = chars.first, next != ".", next != "[" { throw bad("expected '.' or '[' after ']'") }
            case "]":
                throw bad("unbalanced ']'")
            default:
                key.append(c)
                expectKey = false
            }
        }
        if !key.isEmpty { comps.append(.key(key)) } else if expectKey { throw bad("empty key") }
        components = comps
    }

    public var description: String {
        var s = ""
        for c in components {
            switch c {
            case let .key(k): s += s.isEmpty ? k : "." + k
            case let .index(i): s += "[\(i)]"
            }
        }
        return s
    }

    /// Whether `self` is a proper or equal prefix of `other` (`device` is a prefix of
    /// `device.dw_min`): two sweep axes related this way would overwrite each other.
    public func isPrefix(of other: JSONPath) -> Bool {
        components.count <= other.components.count && Array(other.components.prefix(components.count)) == components
    }

    public static func < (a: JSONPath, b: JSONPath) -> Bool { a.description < b.description }
}

extension JSONValue {
    /// The value at `path`, or nil if any step is missing (or not a container of the right kind).
    public func value(at path: JSONPath) -> JSONValue? {
        var v = self
        for c in path.components {
            switch c {
            case let .key(k): guard let next = v[k] else { return nil }; v = next
            case let .index(i): guard let next = v[i] else { return nil }; v = next
            }
        }
        return v
    }

    /// Sets the value at `path`. Missing object members along the way are created (a `null`
    /// becomes an empty object); an array index must already exist. Stepping into a value of
    /// the wrong kind (a key into a string, an index into an object) throws
    /// ``CrossbarError/invalidParameter(field:value:allowed:)`` naming the path prefix.
    public mutating func set(_ newValue: JSONValue, at path: JSONPath) throws {
        try set(newValue, at: path.components[...], done: [])
    }

    /// A copy with the value at `path` replaced (see ``set(_:at:)``).
    public func setting(_ newValue: JSONValue, at path: JSONPath) throws -> JSONValue {
        var copy = self
        try copy.set(newValue, at: path)
        return copy
    }

    private mutating func set(_ newValue: JSONValue, at rest: ArraySlice<JSONPath.Component>, done: [JSONPath.Component]) throws {
        guard let first = rest.first else { self = newValue; return }
        let here = JSONPath(components: done + [first])
        let parent = done.isEmpty ? "the document" : "'\(JSONPath(components: done))'"
        switch first {
        case let .key(k):
            if case .null = self { self = .object([:]) }
            guard case var .object(o) = self else {
                throw CrossbarError.invalidParameter(field: here.description, value: "\(parent) is a \(typeName)", allowed: "an object to hold key '\(k)'")
            }
            var child = o[k] ?? .null
            o[k] = nil // keep the child uniquely referenced while it is modified
            try child.set(newValue, at: rest.dropFirst(), done: done + [first])
            o[k] = child
            self = .object(o)
        case let .index(i):
            guard case var .array(a) = self else {
                throw CrossbarError.invalidParameter(field: here.description, value: "\(parent) is a \(typeName)", allowed: "an array to index with [\(i)]")
            }
            guard a.indices.contains(i) else {
                throw CrossbarError.invalidParameter(field: here.description, value: "index \(i)", allowed: "0…\(a.count - 1) (the array has \(a.count) elements)")
            }
            try a[i].set(newValue, at: rest.dropFirst(), done: done + [first])
            self = .array(a)
        }
    }
}
