import CCmarkGFM
import Foundation
import TilbudModel

/// Renders offer bodies written in GitHub-flavoured Markdown to safe HTML fragments.
///
/// The output never contains raw HTML, images or links other than `https:`, `mailto:` and `tel:`,
/// and headings are shifted down one level (`#` → `<h2>`) so the page keeps a single `<h1>`.
/// The renderer is a value without state and may be used from any number of threads at once.
public struct MarkdownRenderer: Sendable {
    /// Creates a renderer.
    public init() {}

    /// Renders GitHub-flavoured Markdown to HTML for an offer body.
    public func render(_ markdown: String) -> String {
        withRenderedHTML(markdown) { String(decoding: $0, as: UTF8.self) }
    }

    /// Renders like `render` and hands the HTML to `body` as UTF-8 bytes, valid only during the call: for callers that
    /// process the HTML further (such as the sanitizer) and need no String of it.
    public func withRenderedHTML<Result>(_ markdown: String, _ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard let document = CmarkDocument(parsing: markdown) else { return body(UnsafeBufferPointer(start: nil, count: 0)) }
        defer { document.free() }
        document.sanitize()
        return document.withHTML(body)
    }
}

/// One-time set-up of cmark-gfm and the lock around its parser.
enum CmarkLibrary {
    /// The GFM extensions attached to every parser.
    static let extensionNames = ["table", "strikethrough", "autolink", "tagfilter"]

    /// Rendering options: the default, which is safe (no CMARK_OPT_UNSAFE) and without smart punctuation.
    static let options: Int32 = CMARK_OPT_DEFAULT

    /// Registers the core extensions exactly once (Swift runs a `static let` initialiser once, thread-safely).
    static let registered: Bool = {
        cmark_gfm_core_extensions_ensure_registered()
        return true
    }()

    /// Serialises feeding and finishing the parse.
    ///
    /// cmark-gfm 0.29 is not thread-safe while parsing: `cmark_parser_finish` (and the table
    /// extension while feeding) switch the extensions' special characters on and off in
    /// process-wide tables (`cmark_manage_extensions_special_characters`). Two parsers running at
    /// once can switch them off under each other, silently losing `~~strikethrough~~`, autolinks
    /// or table cells. Making a parser and attaching extensions only touch that parser (and read the
    /// registry, filled once by `registered`), and tree editing and HTML rendering have no shared
    /// state: those run unlocked.
    static let parseLock = NSLock()
}

/// A parsed cmark-gfm document together with its parser (kept for the extension list used when rendering).
final class CmarkDocument {
    private let parser: OpaquePointer
    private let root: OpaquePointer

    /// Parses `markdown` with the GFM extensions attached; nil if cmark cannot allocate.
    init?(parsing markdown: String) {
        _ = CmarkLibrary.registered
        guard let parser = cmark_parser_new(CmarkLibrary.options) else { return nil }
        for name in CmarkLibrary.extensionNames {
            if let syntaxExtension = cmark_find_syntax_extension(name) {
                cmark_parser_attach_syntax_extension(parser, syntaxExtension)
            }
        }
        CmarkLibrary.parseLock.lock()
        defer { CmarkLibrary.parseLock.unlock() }
        var text = markdown
        text.withUTF8 { bytes in
            bytes.withMemoryRebound(to: CChar.self) { chars in
                if let base = chars.baseAddress {
                    cmark_parser_feed(parser, base, chars.count)
                }
            }
        }
        guard let root = cmark_parser_finish(parser) else {
            cmark_parser_free(parser)
            return nil
        }
        self.parser = parser
        self.root = root
    }

    /// Frees the node tree and the parser.
    func free() {
        cmark_node_free(root)
        cmark_parser_free(parser)
    }

    /// Applies the offer-body policy to the tree: no raw HTML, no images, only allowed links, headings shifted.
    func sanitize() {
        // Collect first, then mutate: editing while the iterator walks would invalidate it.
        var targets: [OpaquePointer] = []
        if let iterator = cmark_iter_new(root) {
            while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
                guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
                switch cmark_node_get_type(node) {
                case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE, CMARK_NODE_LINK, CMARK_NODE_IMAGE,
                     CMARK_NODE_HEADING, CMARK_NODE_PARAGRAPH:
                    targets.append(node)
                default:
                    break
                }
            }
            cmark_iter_free(iterator)
        }
        // Reverse document order handles descendants before their ancestors, so freeing or
        // unwrapping a node never touches a node still waiting in the list.
        for node in targets.reversed() {
            switch cmark_node_get_type(node) {
            case CMARK_NODE_HTML_BLOCK, CMARK_NODE_HTML_INLINE:
                cmark_node_unlink(node)
                cmark_node_free(node)
            case CMARK_NODE_LINK:
                // One decision with the sanitizer's (`allowedTrimmed`): allowed as a browser reads it, and then written
                // without the C0 controls and spaces around it, which cmark would percent-encode (`%1Bmailto:…`, a
                // relative link to nowhere).
                let url = cmark_node_get_url(node).map { Array(String(cString: $0).utf8) } ?? []
                if let kept = URLSchemePolicy.allowedTrimmed(url) {
                    if kept.count != url.count { _ = cmark_node_set_url(node, String(decoding: url[kept], as: UTF8.self)) }
                } else {
                    unwrap(node)
                }
            case CMARK_NODE_IMAGE:
                replaceWithText(node, text: plainText(of: node))
            case CMARK_NODE_HEADING:
                let level = cmark_node_get_heading_level(node)
                cmark_node_set_heading_level(node, min(level + 1, 6))
            case CMARK_NODE_PARAGRAPH:
                if isBlank(node) {
                    cmark_node_unlink(node)
                    cmark_node_free(node)
                }
            default:
                break
            }
        }
    }

    /// Renders the tree as an HTML fragment with the parser's extensions and hands its UTF-8 bytes to `body`.
    func withHTML<Result>(_ body: (UnsafeBufferPointer<UInt8>) -> Result) -> Result {
        guard let html = cmark_render_html(root, CmarkLibrary.options, cmark_parser_get_syntax_extensions(parser)) else {
            return body(UnsafeBufferPointer(start: nil, count: 0))
        }
        defer { cmark_get_default_mem_allocator().pointee.free(html) }
        return html.withMemoryRebound(to: UInt8.self, capacity: 1) { body(UnsafeBufferPointer(start: $0, count: strlen(html))) }
    }

    /// Moves the children of `node` in front of it, then removes `node`.
    private func unwrap(_ node: OpaquePointer) {
        while let child = cmark_node_first_child(node) {
            if cmark_node_insert_before(node, child) == 0 {
                // cmark refused the move (should not happen for inline children); drop the child.
                cmark_node_unlink(child)
                cmark_node_free(child)
            }
        }
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    /// Replaces `node` (with its subtree) by a single text node.
    private func replaceWithText(_ node: OpaquePointer, text: String) {
        if !text.isEmpty, let textNode = cmark_node_new(CMARK_NODE_TEXT) {
            cmark_node_set_literal(textNode, text)
            if cmark_node_insert_before(node, textNode) == 0 { cmark_node_free(textNode) }
        }
        cmark_node_unlink(node)
        cmark_node_free(node)
    }

    /// The text of an inline subtree, as cmark uses for an image's alt attribute.
    private func plainText(of node: OpaquePointer) -> String {
        var text = ""
        guard let iterator = cmark_iter_new(node) else { return text }
        defer { cmark_iter_free(iterator) }
        while case let event = cmark_iter_next(iterator), event != CMARK_EVENT_DONE {
            guard event == CMARK_EVENT_ENTER, let child = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(child) {
            case CMARK_NODE_TEXT, CMARK_NODE_CODE:
                if let literal = cmark_node_get_literal(child) { text += String(cString: literal) }
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                text += " "
            default:
                break
            }
        }
        return text
    }

    /// True when a text literal is empty or only whitespace (`Character.isWhitespace`).
    ///
    /// Decided on the bytes for ASCII: a paragraph's first text almost always starts with a letter, so
    /// this usually returns after one byte, without building a String. Literals with non-ASCII bytes and
    /// no visible ASCII character take the exact String path.
    private func isBlankLiteral(_ literal: UnsafePointer<CChar>?) -> Bool {
        guard let literal else { return true }
        var index = 0
        var hasNonASCII = false
        while true {
            let byte = UInt8(bitPattern: literal[index])
            if byte == 0 { break }
            switch byte {
            case 0x09, 0x0A, 0x0B, 0x0C, 0x0D, 0x20: break
            case 0x80...: hasNonASCII = true
            default: return false // an ASCII character that is not whitespace starts a visible Character
            }
            index += 1
        }
        return !hasNonASCII || String(cString: literal).allSatisfy(\.isWhitespace)
    }

    /// True when a paragraph has nothing visible left (for instance after its raw HTML was removed).
    private func isBlank(_ paragraph: OpaquePointer) -> Bool {
        var child = cmark_node_first_child(paragraph)
        while let node = child {
            switch cmark_node_get_type(node) {
            case CMARK_NODE_SOFTBREAK, CMARK_NODE_LINEBREAK:
                break
            case CMARK_NODE_TEXT:
                if !isBlankLiteral(cmark_node_get_literal(node)) { return false }
            default:
                return false
            }
            child = cmark_node_next(node)
        }
        return true
    }
}
