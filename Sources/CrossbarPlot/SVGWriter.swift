/// A minimal SVG text builder: elements with attributes in the order given, all text and
/// attribute values XML-escaped, numbers formatted by ``PlotNumber``. Same calls ⇒ same bytes.
struct SVGWriter {
    private(set) var text = ""
    private var openElements: [String] = []

    /// Starts a document of `width` × `height` user units (pixels).
    init(width: Double, height: Double) {
        let w = PlotNumber.coordinate(width), h = PlotNumber.coordinate(height)
        text = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
        text += "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"\(w)\" height=\"\(h)\" viewBox=\"0 0 \(w) \(h)\""
        text += " font-family=\"Helvetica, Arial, sans-serif\" font-size=\"12\">\n"
        openElements = ["svg"]
        element("rect", ["x": "0", "y": "0", "width": w, "height": h, "fill": "#ffffff"])
    }

    /// An empty element `<name a="…"/>` (or with escaped text content).
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, text content: String? = nil) {
        indent()
        text += "<\(name)"
        appendAttributes(attributes)
        if let content {
            text += ">\(SVGWriter.escape(content))</\(name)>\n"
        } else {
            text += "/>\n"
        }
    }

    /// An element holding raw, already-escaped markup (used for `<tspan>` runs).
    mutating func element(_ name: String, _ attributes: KeyValuePairs<String, String>, markup: String) {
        indent()
        text += "<\(name)"
        appendAttributes(attributes)
        text += ">\(markup)</\(name)>\n"
    }

    mutating func open(_ name: String, _ attributes: KeyValuePairs<String, String> = [:]) {
        indent()
        text += "<\(name)"
        appendAttributes(attributes)
        text += ">\n"
        openElements.append(name)
    }

    mutating func close() {
        let name = openElements.removeLast()
        indent()
        text += "</\(name)>\n"
    }

    /// A comment (its text must not contain `--`; such runs are replaced).
    mutating func comment(_ content: String) {
        indent()
        text += "<!-- \(SVGWriter.escape(content.replacingOccurrences(of: "--", with: "- -"))) -->\n"
    }

    /// Closes every open element and returns the document.
    mutating func finish() -> String {
        while !openElements.isEmpty { close() }
        return text
    }

    private mutating func indent() {
        for _ in 0..<openElements.count { text += "  " }
    }

    private mutating func appendAttributes(_ attributes: KeyValuePairs<String, String>) {
        for (k, v) in attributes { text += " \(k)=\"\(SVGWriter.escape(v))\"" }
    }

    /// XML-escapes `&`, `<`, `>`, `"` and `'`, and drops characters XML 1.0 forbids
    /// (control characters other than tab, newline and carriage return).
    static func escape(_ s: String) -> String {
        var out = ""
        out.reserveCapacity(s.utf8.count)
        for u in s.unicodeScalars {
            switch u {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default:
                if u.value < 0x20 && u != "\t" && u != "\n" && u != "\r" { continue }
                if u.value == 0xFFFE || u.value == 0xFFFF { continue }
                out.unicodeScalars.append(u)
            }
        }
        return out
    }
}
