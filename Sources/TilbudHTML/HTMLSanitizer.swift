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
        LibXML2.withParsedDocument(html) { document in
            var walker = SanitizingWalker(capacity: html.utf8.count + 64, collectText: false)
            walker.walk(from: document?.pointee.children)
            return String(decoding: walker.html, as: UTF8.self)
        }
    }

    /// Returns the sanitized HTML together with its plain text, from a single parse:
    /// exactly `(sanitize(html), HTMLText.plainText(sanitize(html)))`, at about the cost of `sanitize` alone.
    ///
    /// The text is collected while the sanitized HTML is written. That is the text a second parse of the
    /// sanitized HTML would give as long as the sanitizer wrote back the parsed tree as it is — only text and
    /// allowed elements inside the document shell, which is all Markdown bodies ever contain. For anything
    /// else (removed or unwrapped elements, comments, an `h1`, content outside `<body>`) the text is taken by
    /// parsing the sanitized HTML again, as `HTMLText.plainText` does.
    public static func sanitizeWithText(_ html: String) -> (html: String, text: String) {
        var html = html
        return html.withUTF8 { sanitizeWithText(utf8: $0) }
    }

    /// `sanitizeWithText` for HTML given as UTF-8 bytes (as a Markdown renderer makes it), without a String of it.
    public static func sanitizeWithText(utf8 html: UnsafeBufferPointer<UInt8>) -> (html: String, text: String) {
        let (clean, text): (String, String?) = LibXML2.withParsedDocument(utf8: html) { document in
            var walker = SanitizingWalker(capacity: html.count + 64, collectText: true)
            if let body = shellBody(of: document) {
                walker.walk(from: body.pointee.children)
            } else {
                walker.isFaithful = false
                walker.walk(from: document?.pointee.children)
            }
            let clean = String(decoding: walker.html, as: UTF8.self)
            return (clean, walker.isFaithful ? HTMLText.collapseWhitespace(walker.text) : nil)
        }
        return (clean, text ?? HTMLText.plainText(clean))
    }

    /// The `body` of a document that is exactly the shell `withParsedDocument` wraps around a fragment
    /// (an optional DTD, then `html` holding `head` and `body` and nothing else); nil for anything else.
    ///
    /// Only then is the sanitized output the content of `body` alone: `head` is removed with its content,
    /// `html` and `body` are unwrapped, and the DTD is dropped.
    private static func shellBody(of document: htmlDocPtr?) -> xmlNodePtr? {
        var node = document?.pointee.children
        while let dtd = node, dtd.pointee.type == XML_DTD_NODE { node = dtd.pointee.next }
        guard let html = node, isElement(html, "html"), html.pointee.next == nil,
              let head = html.pointee.children, isElement(head, "head"),
              let body = head.pointee.next, isElement(body, "body"), body.pointee.next == nil else { return nil }
        return body
    }

    private static func isElement(_ node: xmlNodePtr, _ name: String) -> Bool {
        node.pointee.type == XML_ELEMENT_NODE && node.pointee.name.map { String(cString: $0) } == name
    }
}
