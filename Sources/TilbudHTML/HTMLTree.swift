import CLibXML2
import TilbudModel

/// What the sanitizer and the text extractor do with one element name; looked up once per element.
struct ElementInfo {
    /// How an allowed element's attributes are filtered.
    enum AttributePolicy { case none, link, align, start }

    /// The lower-cased name as written (`h1` is written as `h2`).
    var name: [UInt8]
    /// Removed together with its content (`script`, `iframe`, `head`, …).
    var removed = false
    /// Kept by the sanitizer (otherwise unwrapped).
    var allowed = false
    /// Written under another name (`h1` → `h2`).
    var renamed = false
    /// Written without an end tag (`br`, `hr`).
    var void = false
    /// Not an inline element: the text extractor puts a space on both sides.
    var separates = true
    var policy = AttributePolicy.none

    /// Element names of up to 16 bytes, ASCII-lower-cased, packed for the lookup table.
    struct Key: Hashable {
        var low: UInt64 = 0
        var high: UInt64 = 0
        var count = 0
    }

    /// The information for every name that has a rule; all other names are unknown (unwrapped, separating).
    static let table: [Key: ElementInfo] = {
        var names = HTMLSanitizer.allowedElements.union(HTMLElements.removedWithContent).union(HTMLElements.inline)
        names.insert("h1")
        var table: [Key: ElementInfo] = [:]
        for name in names {
            let info = describe(name)
            var key = Key()
            for (index, byte) in name.utf8.enumerated() { key.add(byte, at: index) }
            key.count = name.utf8.count
            precondition(key.count <= 16 && table[key] == nil)
            table[key] = info
        }
        return table
    }()

    /// The rules for a lower-cased name, straight from the sets that define them.
    static func describe(_ original: String) -> ElementInfo {
        let name = original == "h1" ? "h2" : original
        var info = ElementInfo(name: Array(name.utf8))
        info.removed = HTMLElements.removedWithContent.contains(original)
        info.allowed = !info.removed && HTMLSanitizer.allowedElements.contains(name)
        info.renamed = name != original
        info.void = HTMLSanitizer.voidElements.contains(name)
        info.separates = !HTMLElements.inline.contains(original)
        switch name {
        case "a": info.policy = .link
        case "th", "td": info.policy = .align
        case "ol": info.policy = .start
        default: info.policy = .none
        }
        return info
    }

    /// The rules for an element node's name, as the old String code decided them (`String(cString:).lowercased()`).
    static func of(_ node: xmlNodePtr) -> ElementInfo {
        guard let name = node.pointee.name else { return describe("") }
        var key = Key()
        var index = 0
        while true {
            let byte = name[index]
            if byte == 0 { break }
            // Unicode lower-casing can turn a longer non-ASCII name into a known one: decide those exactly, slowly.
            if byte >= 0x80 { return describe(LibXML2.name(of: node)) }
            if index < 16 { key.add(byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte, at: index) }
            index += 1
        }
        if index > 16 { return unknown } // no rule for long ASCII names
        key.count = index
        return table[key] ?? unknown
    }

    /// Any name without a rule: unwrapped, separating.
    static let unknown = describe("")
}

extension ElementInfo.Key {
    @inline(__always)
    mutating func add(_ byte: UInt8, at index: Int) {
        if index < 8 { low |= UInt64(byte) << (8 * UInt64(index)) } else { high |= UInt64(byte) << (8 * UInt64(index - 8)) }
    }
}

/// Byte-level output helpers.
enum HTMLBytes {
    /// The length of a NUL-terminated libxml2 string.
    @inline(__always)
    static func length(_ string: UnsafePointer<xmlChar>) -> Int {
        Int(xmlStrlen(string))
    }

    /// Appends `count` bytes from `start` with `&`, `<`, `>` (and `"` in attribute values) escaped.
    @inline(__always)
    static func appendEscaped(_ start: UnsafePointer<UInt8>, count: Int, attribute: Bool, to output: inout [UInt8]) {
        var runStart = 0
        var index = 0
        while index < count {
            let byte = start[index]
            let replacement: StaticString
            switch byte {
            case 0x26: replacement = "&amp;"
            case 0x3C: replacement = "&lt;"
            case 0x3E: replacement = "&gt;"
            case 0x22 where attribute: replacement = "&quot;"
            default:
                index += 1
                continue
            }
            if index > runStart { output.append(contentsOf: UnsafeBufferPointer(start: start + runStart, count: index - runStart)) }
            output.append(contentsOf: UnsafeBufferPointer(start: replacement.utf8Start, count: replacement.utf8CodeUnitCount))
            index += 1
            runStart = index
        }
        if count > runStart { output.append(contentsOf: UnsafeBufferPointer(start: start + runStart, count: count - runStart)) }
    }

    @inline(__always)
    static func append(_ string: StaticString, to output: inout [UInt8]) {
        output.append(contentsOf: UnsafeBufferPointer(start: string.utf8Start, count: string.utf8CodeUnitCount))
    }

    /// True when an attribute's name, lower-cased as the old String code did, equals `target` (ASCII, lower case).
    static func attributeName(_ attribute: xmlAttrPtr, is target: StaticString) -> Bool {
        guard let name = attribute.pointee.name else { return target.utf8CodeUnitCount == 0 }
        let expected = target.utf8Start
        var index = 0
        while true {
            let byte = name[index]
            if byte >= 0x80 {
                return String(cString: name).lowercased() == target.description
            }
            if index == target.utf8CodeUnitCount { return byte == 0 }
            if byte == 0 { return false }
            let lower = byte >= 0x41 && byte <= 0x5A ? byte | 0x20 : byte
            if lower != expected[index] {
                // A later non-ASCII byte could still lower-case into a match: check the rest before refusing.
                var rest = index + 1
                while name[rest] != 0 {
                    if name[rest] >= 0x80 { return String(cString: name).lowercased() == target.description }
                    rest += 1
                }
                return false
            }
            index += 1
        }
    }

    /// The value of the first attribute of `node` named `name`, appended to `value`; false when there is none.
    static func attributeValue(of node: xmlNodePtr, named name: StaticString, into value: inout [UInt8]) -> Bool {
        var attribute = node.pointee.properties
        while let attr = attribute {
            if attributeName(attr, is: name) {
                var child = attr.pointee.children
                while let text = child {
                    if let content = text.pointee.content {
                        value.append(contentsOf: UnsafeBufferPointer(start: content, count: length(content)))
                    }
                    child = text.pointee.next
                }
                return true
            }
            attribute = attr.pointee.next
        }
        return false
    }
}

/// Walks a parsed document once, writing the sanitized HTML and, on request, the text of what was written.
struct SanitizingWalker {
    /// The sanitized HTML, UTF-8.
    var html: [UInt8] = []
    /// The raw text of the written nodes, a space on both sides of separating elements (only with `collectText`).
    var text: [UInt8] = []
    let collectText: Bool
    /// Still true when the walk only met text and elements written as they are: then parsing `html` again
    /// gives back the same tree, and `text` is exactly what `HTMLText.plainText(html)` collects.
    var isFaithful = true

    private var attributeValue: [UInt8] = []
    /// One frame per element being walked: the index into `openNames` of its end tag (-1: unwrapped), and whether it separates.
    private var frames: [(endTag: Int32, separates: Bool)] = []
    private var openNames: [[UInt8]] = []

    init(capacity: Int, collectText: Bool) {
        self.collectText = collectText
        html.reserveCapacity(capacity)
        if collectText { text.reserveCapacity(capacity) }
    }

    /// Writes `first`, its following siblings and all their descendants.
    mutating func walk(from first: xmlNodePtr?) {
        var node = first
        while let current = node {
            var enteredChildren = false
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if current.pointee.type != XML_TEXT_NODE { isFaithful = false }
                if let content = current.pointee.content {
                    let count = HTMLBytes.length(content)
                    HTMLBytes.appendEscaped(content, count: count, attribute: false, to: &html)
                    if collectText && isFaithful { text.append(contentsOf: UnsafeBufferPointer(start: content, count: count)) }
                }
            case XML_ELEMENT_NODE:
                enteredChildren = enter(current)
            default:
                isFaithful = false // comments, processing instructions, DTD nodes and the like are dropped
            }
            if enteredChildren {
                node = current.pointee.children
                continue
            }
            node = HTMLWalk.next(after: current) {
                guard !frames.isEmpty else { return false }
                leave()
                return true
            }
        }
    }

    /// Writes an element's start tag (or nothing); returns true when its children are to be walked, with a frame pushed.
    private mutating func enter(_ node: xmlNodePtr) -> Bool {
        let info = ElementInfo.of(node)
        if info.removed {
            isFaithful = false
            return false
        }
        let hasChildren = node.pointee.children != nil
        guard info.allowed, writeStartTag(node, info) else {
            isFaithful = false // unwrap: keep the content, lose the tag
            if hasChildren { frames.append((-1, info.separates)) }
            return hasChildren
        }
        if info.renamed { isFaithful = false }
        if collectText && info.separates { text.append(0x20) }
        if info.void {
            // No children and no end tag, as in HTML5.
            if collectText && info.separates { text.append(0x20) }
            return false
        }
        if !hasChildren {
            writeEndTag(info.name)
            if collectText && info.separates { text.append(0x20) }
            return false
        }
        openNames.append(info.name)
        frames.append((Int32(openNames.count - 1), info.separates))
        return true
    }

    /// Closes the innermost element being walked.
    private mutating func leave() {
        let frame = frames.removeLast()
        guard frame.endTag >= 0 else { return }
        writeEndTag(openNames.removeLast())
        if collectText && frame.separates { text.append(0x20) }
    }

    private mutating func writeEndTag(_ name: [UInt8]) {
        html.append(0x3C)
        html.append(0x2F)
        html.append(contentsOf: name)
        html.append(0x3E)
    }

    /// Writes `<name attributes>` for an allowed element; false when the element must be unwrapped instead
    /// (an `a` without an allowed `href`).
    private mutating func writeStartTag(_ node: xmlNodePtr, _ info: ElementInfo) -> Bool {
        switch info.policy {
        case .none:
            html.append(0x3C)
            html.append(contentsOf: info.name)
            html.append(0x3E)
        case .link:
            attributeValue.removeAll(keepingCapacity: true)
            guard HTMLBytes.attributeValue(of: node, named: "href", into: &attributeValue),
                  let trimmed = URLSchemePolicy.allowedTrimmed(attributeValue) else { return false }
            HTMLBytes.append("<a href=\"", to: &html)
            attributeValue.withUnsafeBufferPointer { value in
                HTMLBytes.appendEscaped(value.baseAddress! + trimmed.lowerBound, count: trimmed.count, attribute: true, to: &html)
            }
            HTMLBytes.append("\">", to: &html)
        case .align:
            html.append(0x3C)
            html.append(contentsOf: info.name)
            attributeValue.removeAll(keepingCapacity: true)
            if HTMLBytes.attributeValue(of: node, named: "align", into: &attributeValue) {
                switch Self.alignment(attributeValue) {
                case "left": HTMLBytes.append(" align=\"left\"", to: &html)
                case "center": HTMLBytes.append(" align=\"center\"", to: &html)
                case "right": HTMLBytes.append(" align=\"right\"", to: &html)
                default: break
                }
            }
            html.append(0x3E)
        case .start:
            html.append(0x3C)
            html.append(contentsOf: info.name)
            attributeValue.removeAll(keepingCapacity: true)
            if HTMLBytes.attributeValue(of: node, named: "start", into: &attributeValue),
               (1...9).contains(attributeValue.count), attributeValue.allSatisfy({ $0 >= 0x30 && $0 <= 0x39 }) {
                HTMLBytes.append(" start=\"", to: &html)
                html.append(contentsOf: attributeValue)
                html.append(0x22)
            }
            html.append(0x3E)
        }
        return true
    }

    /// The lower-cased `align` value (`left`, `center` or `right` when it is one of them).
    private static func alignment(_ value: [UInt8]) -> String {
        if value.contains(where: { $0 >= 0x80 }) { return String(decoding: value, as: UTF8.self).lowercased() }
        guard value.count <= 6 else { return "" }
        return String(decoding: value.map { $0 >= 0x41 && $0 <= 0x5A ? $0 | 0x20 : $0 }, as: UTF8.self)
    }
}

/// Depth-first walks over libxml2 trees without recursion.
enum HTMLWalk {
    /// The node after `current` once its children are done: its next sibling, or that of the nearest parent that has
    /// one. `leave` is called for each parent climbed out of, and stops the walk (nil) by returning false.
    static func next(after current: xmlNodePtr, leave: () -> Bool) -> xmlNodePtr? {
        var finished = current
        while true {
            if let next = finished.pointee.next { return next }
            guard let parent = finished.pointee.parent, leave() else { return nil }
            finished = parent
        }
    }
}
