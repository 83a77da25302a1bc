import Foundation
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The element structure of an XML document as parsed by Foundation's XMLParser: every element
/// with its attributes and text, in document order. `nil` when the parser rejects the text.
final class XMLStructure: NSObject, XMLParserDelegate {
    struct Element {
        var name: String
        var attributes: [String: String]
        var text = ""
    }

    private(set) var elements: [Element] = []
    private var stack: [Int] = []
    private var failed = false

    static func parse(_ text: String) -> XMLStructure? {
        let s = XMLStructure()
        let parser = XMLParser(data: Data(text.utf8))
        parser.delegate = s
        // Foundation on Linux may return true and still set parserError: check both.
        guard parser.parse(), parser.parserError == nil, !s.failed, s.stack.isEmpty else { return nil }
        return s
    }

    func parser(_ parser: XMLParser, didStartElement name: String, namespaceURI: String?, qualifiedName: String?, attributes: [String: String] = [:]) {
        stack.append(elements.count)
        elements.append(Element(name: name, attributes: attributes))
    }

    func parser(_ parser: XMLParser, didEndElement name: String, namespaceURI: String?, qualifiedName: String?) {
        guard let i = stack.popLast(), elements[i].name == name else { failed = true; return }
    }

    func parser(_ parser: XMLParser, foundCharacters string: String) {
        if let i = stack.last { elements[i].text += string }
    }

    func parser(_ parser: XMLParser, parseErrorOccurred parseError: Error) { failed = true }

    func all(_ name: String, class cls: String? = nil) -> [Element] {
        elements.filter { $0.name == name && (cls == nil || $0.attributes["class"] == cls) }
    }

    var texts: [String] { all("text").map(\.text) }
}
