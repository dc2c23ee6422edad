import CLibXML2

/// Plain-text extraction from HTML fragments (for descriptions, search indexes, feeds). Safe to call from any thread.
public enum HTMLText {
    /// The visible text of an HTML fragment, block elements separated by whitespace, runs of whitespace collapsed to one space, trimmed.
    public static func plainText(_ html: String) -> String {
        let raw = LibXML2.withParsedFragment(html) { firstNode -> String in
            var text = ""
            collect(from: firstNode, into: &text)
            return text
        }
        return collapseWhitespace(raw)
    }

    /// Appends the text of `first`, its following siblings and their descendants, with a space around every non-inline element so words never run together.
    private static func collect(from first: xmlNodePtr?, into text: inout String) {
        var child = first
        while let current = child {
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                text += LibXML2.content(of: current)
            case XML_ELEMENT_NODE:
                let name = LibXML2.name(of: current)
                if HTMLElements.removedWithContent.contains(name) { break }
                let separates = !HTMLElements.inline.contains(name)
                if separates { text += " " }
                collect(from: current.pointee.children, into: &text)
                if separates { text += " " }
            default:
                break
            }
            child = current.pointee.next
        }
    }

    /// Collapses every run of whitespace to a single space and trims both ends.
    static func collapseWhitespace(_ text: String) -> String {
        // Byte-wise over UTF-8: ASCII whitespace, plus U+00A0 (C2 A0) and the other Unicode spaces
        // libxml2 may decode from entities, handled by the slower path only when present.
        let bytes = Array(text.utf8)
        if bytes.contains(where: { $0 >= 0xC2 }) && text.unicodeScalars.contains(where: { $0.value > 0x7F && $0.properties.isWhitespace }) {
            return text.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        }
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
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
