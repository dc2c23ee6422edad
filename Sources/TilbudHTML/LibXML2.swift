import CLibXML2
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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

    /// The UTF-8 HTML5 document shell around every fragment.
    private static let shellStart = Array("<!DOCTYPE html><html><head><meta charset=\"utf-8\"></head><body>".utf8)
    private static let shellEnd = Array("</body></html>".utf8)

    /// Parses an HTML fragment inside a UTF-8 HTML5 document shell and calls `visit` with the parsed
    /// document (nil if libxml2 produced nothing); the document is freed afterwards.
    ///
    /// Callers walk the whole document rather than only `<body>`: libxml2 puts content that follows a
    /// stray `</body>` next to the body, and content after `</html>` into a second root `<html>`.
    /// `html` and `body` are unwrapped and `head` dropped like any other element by the callers' rules.
    static func withParsedDocument<Result>(_ fragment: String, _ visit: (htmlDocPtr?) -> Result) -> Result {
        var fragment = fragment
        return fragment.withUTF8 { withParsedDocument(utf8: $0, visit) }
    }

    /// `withParsedDocument` for a fragment given as UTF-8 bytes.
    static func withParsedDocument<Result>(utf8 bytes: UnsafeBufferPointer<UInt8>, _ visit: (htmlDocPtr?) -> Result) -> Result {
        _ = initialized
        // The document is assembled as bytes; libxml2 stops at NUL, and browsers would show U+FFFD there, so do the same.
        var document: [UInt8] = []
        document.reserveCapacity(shellStart.count + bytes.count + shellEnd.count + 16)
        document.append(contentsOf: shellStart)
        if bytes.contains(0) {
            for byte in bytes {
                if byte == 0 { document.append(contentsOf: [0xEF, 0xBF, 0xBD] as [UInt8]) } else { document.append(byte) }
            }
        } else {
            document.append(contentsOf: bytes)
        }
        document.append(contentsOf: shellEnd)
        let parsed: htmlDocPtr? = document.withUnsafeBufferPointer { bytes -> htmlDocPtr? in
            guard bytes.count < Int(Int32.max) else { return nil }
            return bytes.withMemoryRebound(to: CChar.self) { chars -> htmlDocPtr? in
                guard let base = chars.baseAddress else { return nil }
                return ParserContext.forCurrentThread().read(base, Int32(chars.count))
            }
        }
        guard let doc = parsed else { return visit(nil) }
        defer { xmlFreeDoc(doc) }
        return visit(doc)
    }

    /// The lower-cased name of an element or attribute node (the slow path for names that are not ASCII).
    static func name(of node: xmlNodePtr) -> String {
        guard let name = node.pointee.name else { return "" }
        return String(cString: name).lowercased()
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

/// One libxml2 HTML parser context per thread, reused for every document parsed on that thread.
///
/// `htmlCtxtReadMemory` resets the context before each parse (`htmlCtxtReset`) and hands the finished
/// document over to the caller, so a reused context parses exactly like the fresh one `htmlReadMemory`
/// makes, without allocating a context, a dictionary and parser stacks each time. A context is never
/// shared between threads: it lives in thread-local storage and is freed when its thread ends.
final class ParserContext {
    private let context: htmlParserCtxtPtr?

    private init() {
        context = htmlNewParserCtxt()
    }

    deinit {
        if let context { htmlFreeParserCtxt(context) }
    }

    /// Parses `count` bytes of UTF-8 HTML at `bytes`; the caller frees the document.
    func read(_ bytes: UnsafePointer<CChar>, _ count: Int32) -> htmlDocPtr? {
        guard let context else { return htmlReadMemory(bytes, count, nil, "UTF-8", LibXML2.htmlOptions) }
        return htmlCtxtReadMemory(context, bytes, count, nil, "UTF-8", LibXML2.htmlOptions)
    }

    /// The thread-local key; its destructor releases the thread's context.
    private static let key: pthread_key_t = {
        var key = pthread_key_t()
        let status = pthread_key_create(&key) { pointer in
            #if canImport(Darwin)
            Unmanaged<ParserContext>.fromOpaque(pointer).release()
            #else
            if let pointer { Unmanaged<ParserContext>.fromOpaque(pointer).release() }
            #endif
        }
        precondition(status == 0, "pthread_key_create failed")
        return key
    }()

    /// The calling thread's context, made on first use.
    static func forCurrentThread() -> ParserContext {
        if let existing = pthread_getspecific(key) {
            return Unmanaged<ParserContext>.fromOpaque(existing).takeUnretainedValue()
        }
        let context = ParserContext()
        pthread_setspecific(key, Unmanaged.passRetained(context).toOpaque())
        return context
    }
}
