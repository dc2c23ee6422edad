import CLibXML2

/// One-time libxml2 initialisation and the shared parsing entry point of this module.
enum LibXML2 {
    /// Initialises libxml2 exactly once; must happen before threads use the parser concurrently.
    static let initialized: Bool = {
        xmlInitParser()
        return true
    }()

    /// Parser options: quiet, never touching the network.
    static let htmlOptions = Int32(
        HTML_PARSE_NOERROR.rawValue | HTML_PARSE_NOWARNING.rawValue | HTML_PARSE_NONET.rawValue
    )

    /// Parses an HTML fragment inside a UTF-8 HTML5 document shell and calls `visit` with the first
    /// top-level node of the parsed document (nil if libxml2 produced nothing); the document is freed afterwards.
    ///
    /// Callers walk the whole document rather than only `<body>`: libxml2 puts content that follows a
    /// stray `</body>` next to the body, and content after `</html>` into a second root `<html>`.
    /// `html` and `body` are unwrapped and `head` dropped like any other element by the callers' rules.
    static func withParsedFragment<Result>(_ fragment: String, _ visit: (xmlNodePtr?) -> Result) -> Result {
        _ = initialized
        // libxml2 stops at NUL; browsers would show U+FFFD there, so do the same.
        var cleaned = fragment
        if fragment.unicodeScalars.contains("\u{0}") {
            cleaned = ""
            cleaned.unicodeScalars.append(contentsOf: fragment.unicodeScalars.map { $0 == "\u{0}" ? "\u{FFFD}" : $0 })
        }
        var document = "<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>" + cleaned + "</body></html>"
        let parsed: htmlDocPtr? = document.withUTF8 { bytes -> htmlDocPtr? in
            guard bytes.count < Int(Int32.max) else { return nil }
            return bytes.withMemoryRebound(to: CChar.self) { chars -> htmlDocPtr? in
                guard let base = chars.baseAddress else { return nil }
                return htmlReadMemory(base, Int32(chars.count), nil, "UTF-8", htmlOptions)
            }
        }
        guard let doc = parsed else { return visit(nil) }
        defer { xmlFreeDoc(doc) }
        return visit(doc.pointee.children)
    }

    /// The lower-cased name of an element or attribute node.
    static func name(of node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
    }

    /// The text content of a text-like node.
    static func content(of node: xmlNodePtr) -> String {
        guard let content = node.pointee.content else { return "" }
        return String(cString: content)
    }

    /// The attributes of an element as lower-cased name/value pairs, in document order.
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
}

/// Element sets shared by the sanitizer and the text extractor.
enum HTMLElements {
    /// Elements removed together with everything inside them.
    static let removedWithContent: Set<String> = [
        "script", "style", "iframe", "object", "embed", "svg", "math", "template", "noscript",
        "form", "input", "button", "textarea", "select", "link", "meta", "base", "frame", "frameset",
        "head", "title",
        // Also raw-text or plug-in containers whose content is never page text.
        "noembed", "noframes", "applet", "xmp", "plaintext",
    ]

    /// Elements that do not start a new line of text (everything else separates words).
    static let inline: Set<String> = [
        "a", "abbr", "b", "bdi", "bdo", "cite", "code", "data", "del", "dfn", "em", "font", "i", "ins",
        "kbd", "label", "mark", "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup",
        "time", "tt", "u", "var", "wbr", "big", "nobr",
    ]
}
