import CLibXML2

/// Allow-list HTML sanitizer: the second line of defence after Markdown rendering.
///
/// The fragment is parsed with libxml2's HTML parser and written back with a small, deterministic
/// HTML5 serialiser that only emits allowed elements and attributes. Safe to call from any thread.
public enum HTMLSanitizer {
    /// Elements kept (with their allowed attributes); `h1` is written as `h2`.
    static let allowedElements: Set<String> = [
        "p", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "li", "a", "strong", "em", "b", "i", "del", "s",
        "code", "pre", "blockquote", "table", "thead", "tbody", "tr", "th", "td", "br", "hr", "dl", "dt",
        "dd", "sup", "sub",
    ]
    // Everything else is unwrapped, including the document's own `html` and `body`.

    /// Elements written without an end tag.
    static let voidElements: Set<String> = ["br", "hr"]

    /// Returns `html` with everything outside the allow-list removed, serialised as HTML5.
    public static func sanitize(_ html: String) -> String {
        LibXML2.withParsedFragment(html) { firstNode in
            var output = ""
            writeSiblings(from: firstNode, into: &output)
            return output
        }
    }

    /// Serialises the children of `node` in order.
    private static func writeChildren(of node: xmlNodePtr, into output: inout String) {
        writeSiblings(from: node.pointee.children, into: &output)
    }

    /// Serialises `first` and its following siblings in order.
    private static func writeSiblings(from first: xmlNodePtr?, into output: inout String) {
        var child = first
        while let current = child {
            write(current, into: &output)
            child = current.pointee.next
        }
    }

    /// Serialises one node: text escaped, allowed elements kept, others unwrapped or dropped.
    private static func write(_ node: xmlNodePtr, into output: inout String) {
        switch node.pointee.type {
        case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
            output += escapeText(LibXML2.content(of: node))
        case XML_ELEMENT_NODE:
            writeElement(node, into: &output)
        default:
            break // comments, processing instructions, DTD nodes and the like are dropped
        }
    }

    /// Serialises an element according to the allow-list.
    private static func writeElement(_ node: xmlNodePtr, into output: inout String) {
        let original = LibXML2.name(of: node)
        if HTMLElements.removedWithContent.contains(original) { return }
        let name = original == "h1" ? "h2" : original
        guard allowedElements.contains(name), let attributes = allowedAttributes(of: node, element: name) else {
            writeChildren(of: node, into: &output) // unwrap: keep the content, lose the tag
            return
        }
        output += "<" + name
        for (attribute, value) in attributes {
            output += " " + attribute + "=\"" + escapeAttribute(value) + "\""
        }
        output += ">"
        if voidElements.contains(name) { return }
        // No extra newline after <pre>: unlike an HTML5 parser, libxml2 keeps the newline that follows
        // the start tag, so writing the text as-is gives browsers exactly what the input gave them.
        writeChildren(of: node, into: &output)
        output += "</" + name + ">"
    }

    /// The attributes kept for an allowed element, or nil when the element itself must be unwrapped
    /// (an `a` without an allowed `href`).
    private static func allowedAttributes(of node: xmlNodePtr, element: String) -> [(String, String)]? {
        let attributes = LibXML2.attributes(of: node)
        func value(_ name: String) -> String? { attributes.first { $0.name == name }?.value }
        switch element {
        case "a":
            guard let href = value("href"), URLSchemePolicy.isAllowed(href) else { return nil }
            return [("href", URLSchemePolicy.trimmed(href))]
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

    /// Escapes text content: `&`, `<`, `>`.
    static func escapeText(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }

    /// Escapes an attribute value: `&`, `"`, `<`, `>`.
    static func escapeAttribute(_ text: String) -> String {
        var result = ""
        result.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            switch character {
            case "&": result += "&amp;"
            case "\"": result += "&quot;"
            case "<": result += "&lt;"
            case ">": result += "&gt;"
            default: result.unicodeScalars.append(character)
            }
        }
        return result
    }
}
