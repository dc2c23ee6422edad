import CLibXML2

/// The sanitizer and text extractor as they were before the byte-level rewrite (String building, two
/// parses), kept verbatim in behaviour as the oracle for the differential tests and the benchmark.
enum ReferenceHTML {
    static let allowedElements: Set<String> = [
        "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "del", "s",
        "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "dl", "dt",
        "dd", "sup", "sub",
    ]
    static let voidElements: Set<String> = ["br", "hr"]
    static let removedWithContent: Set<String> = [
        "script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
        "form", "input", "button", "textarea", "select", "link", "meta", "base", "frame", "frameset",
        "head", "title", "noembed", "noframes", "applet", "xmp", "plaintext",
    ]
    static let inline: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
        "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
        "time", "tt", "u", "var", "wbr", "big", "nobr",
    ]

    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    static func withParsedFragment<Result>(_ fragment: String, _ visit: (xmlNodePtr?) -> Result) -> Result {
        _ = initialized
        var cleaned = fragment
        if fragment.unicodeScalars.contains("\u{0}") {
            cleaned = ""
            cleaned.unicodeScalars.append(contentsOf: fragment.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })
        }
        var document = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + cleaned + "</body></html>"
        let options = Int32(HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue)
        let parsed: htmlDocPtr? = document.withUTF8 { bytes -> htmlDocPtr? in
            bytes.withMemoryRebound(to: CChar.self) { chars -> htmlDocPtr? in
                guard let base = chars.baseAddress else { return nil }
                return htmlReadMemory(base, Int32(chars.count), nil, "UTF-8", options)
            }
        }
        guard let doc = parsed else { return visit(nil) }
        defer { xmlFreeDoc(doc) }
        return visit(doc.pointee.children)
    }

    static func name(of node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    static func content(of node: xmlNodePtr) -> String {
        guard let content = node.pointee.content else { return "" }
        return String(cString: content)
    }

    static func attributes(of node: xmlNodePtr) -> [(name: String, value: String)] {
        var result: [(name: String, value: String)] = []
        var attribute = node.pointee.properties
        while let attr = attribute {
            let name = attr.pointee.name.map { String(cString: $0).lowercased() } ?? ""
            var value = ""
            var child = attr.pointee.children
            while let text = child {
                if let content = text.pointee.content { value += String(cString: content) }
                child = text.pointee.next
            }
            result.append((name, value))
            attribute = attr.pointee.next
        }
        return result
    }

    // MARK: sanitize

    static func sanitize(_ html: String) -> String {
        withParsedFragment(html) { firstNode in
            var output = ""
            writeSiblings(from: firstNode, into: &output)
            return output
        }
    }

    private static func writeSiblings(from first: xmlNodePtr?, into output: inout String) {
        var child = first
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                output += escape(content(of: current), attribute: false)
            case XML_ELEMENT_NODE:
                writeElement(current, into: &output)
            default:
                break
            }
            child = current.pointee.next
        }
    }

    private static func writeElement(_ node: xmlNodePtr, into output: inout String) {
        let original = name(of: node)
        if removedWithContent.contains(original) { return }
        let name = original == "h1" ? "h2" : original
        guard allowedElements.contains(name), let attributes = allowedAttributes(of: node, element: name) else {
            writeSiblings(from: node.pointee.children, into: &output)
            return
        }
        output += "<" + name
        for (attribute, value) in attributes {
            output += " " + attribute + "=\"" + escape(value, attribute: true) + "\""
        }
        output += ">"
        if voidElements.contains(name) { return }
        writeSiblings(from: node.pointee.children, into: &output)
        output += "</" + name + ">"
    }

    private static func allowedAttributes(of node: xmlNodePtr, element: String) -> [(String, String)]? {
        let attributes = attributes(of: node)
        func value(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
        switch element {
        case "a":
            guard let href = value("href"), isAllowedURL(href) else { return nil }
            return [("href", trimmedURL(href))]
        case "th", "td":
            guard let align = value("align")?.lowercased(), ["left", "center", "right"].contains(align) else { return [] }
            return [("align", align)]
        case "ol":
            guard let start = value("start"), !start.isEmpty, start.count <= 9,
                  start.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { return [] }
            return [("start", start)]
        default:
            return []
        }
    }

    static func escape(_ text: String, attribute: Bool) -> String {
        var result = ""
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "\"" where attribute: result += "&quot;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    static func isAllowedURL(_ url: String) -> Bool {
        var scalars = Array(trimmedURL(url).unicodeScalars)
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let colon = scalars.firstIndex(of: ":"), colon > 0 else { return false }
        var scheme = ""
        for (offset, scalar) in scalars[..<colon].enumerated() {
            let value = scalar.value
            let isLetter = (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
            let isDigit = (0x30...0x39).contains(value)
            let isSymbol = scalar == "+" || scalar == "-" || scalar == "."
            guard isLetter || (offset > 0 && (isDigit || isSymbol)) else { return false }
            scheme.unicodeScalars.append(scalar)
        }
        return ["https", "mailto", "tel"].contains(scheme.lowercased())
    }

    static func trimmedURL(_ url: String) -> String {
        var scalars = Substring(url).unicodeScalars[...]
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    // MARK: plain text

    static func plainText(_ html: String) -> String {
        let raw = withParsedFragment(html) { firstNode -> String in
            var text = ""
            collect(from: firstNode, into: &text)
            return text
        }
        return collapseWhitespace(raw)
    }

    private static func collect(from first: xmlNodePtr?, into text: inout String) {
        var child = first
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                text += content(of: current)
            case XML_ELEMENT_NODE:
                let name = name(of: current)
                if removedWithContent.contains(name) { break }
                let separates = !inline.contains(name)
                if separates { text += " " }
                collect(from: current.pointee.children, into: &text)
                if separates { text += " " }
            default:
                break
            }
            child = current.pointee.next
        }
    }

    static func collapseWhitespace(_ text: String) -> String {
        let bytes = Array(text.utf8)
        if bytes.contains(where: { $0 >= 0xC2 }) && text.unicodeScalars.contains(where: { $0.value > 0x7F && $0.properties.isWhitespace }) {
            return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        var out: [UInt8] = []
        var pendingSpace = false
        for b in bytes {
            if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                pendingSpace = !out.isEmpty
            } else {
                if pendingSpace { out.append(0x20); pendingSpace = false }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
