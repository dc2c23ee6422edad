import CLibXML2

/// Writes XML into memory with libxml2's xmlTextWriter (for Atom, sitemap). Indented, UTF-8, deterministic.
///
/// An instance is meant for one thread at a time; separate instances can be used concurrently.
/// Characters that XML 1.0 forbids (most C0 controls, U+FFFE, U+FFFF) are dropped from text and attribute values.
public final class XMLWriter {
    private let buffer: xmlBufferPtr?
    private let writer: xmlTextWriterPtr?

    /// Creates an empty in-memory writer with two-space indentation.
    public init() {
        _ = LibXML2.initialized
        let buffer = xmlBufferCreate()
        self.buffer = buffer
        if let buffer, let writer = xmlNewTextWriterMemory(buffer, 0) {
            xmlTextWriterSetIndent(writer, 1)
            xmlTextWriterSetIndentString(writer, "  ")
            self.writer = writer
        } else {
            self.writer = nil
        }
    }

    deinit {
        if let writer { xmlFreeTextWriter(writer) }
        if let buffer { xmlBufferFree(buffer) }
    }

    /// Writes the XML declaration `<?xml version="1.0" encoding="UTF-8"?>`.
    public func startDocument() {
        guard let writer else { return }
        xmlTextWriterStartDocument(writer, "1.0", "UTF-8", nil)
    }

    /// Opens an element named `name`.
    public func startElement(_ name: String) {
        guard let writer else { return }
        xmlTextWriterStartElement(writer, name)
    }

    /// Adds an attribute to the element just opened; the value is escaped.
    public func attribute(_ name: String, _ value: String) {
        guard let writer else { return }
        xmlTextWriterWriteAttribute(writer, name, Self.xmlSafe(value))
    }

    /// Writes escaped character data inside the current element.
    public func text(_ text: String) {
        guard let writer else { return }
        xmlTextWriterWriteString(writer, Self.xmlSafe(text))
    }

    /// Writes `<name>text</name>` as one element.
    public func element(_ name: String, text: String) {
        guard let writer else { return }
        xmlTextWriterWriteElement(writer, name, Self.xmlSafe(text))
    }

    /// Closes the innermost open element.
    public func endElement() {
        guard let writer else { return }
        xmlTextWriterEndElement(writer)
    }

    /// Closes every open element and ends the document.
    public func endDocument() {
        guard let writer else { return }
        xmlTextWriterEndDocument(writer)
    }

    /// The document text written so far.
    public func finish() -> String {
        guard let writer, let buffer else { return "" }
        xmlTextWriterFlush(writer)
        guard let content = xmlBufferContent(buffer) else { return "" }
        let length = Int(xmlBufferLength(buffer))
        return String(decoding: UnsafeBufferPointer(start: content, count: length), as: UTF8.self)
    }

    /// `text` without the characters XML 1.0 does not allow.
    static func xmlSafe(_ text: String) -> String {
        func allowed(_ scalar: Unicode.Scalar) -> Bool {
            switch scalar.value {
            case 0x9, 0xA, 0xD: return true
            case 0..<0x20, 0xFFFE, 0xFFFF: return false
            default: return true
            }
        }
        guard !text.unicodeScalars.allSatisfy(allowed) else { return text }
        var result = ""
        result.unicodeScalars.append(contentsOf: text.unicodeScalars.filter(allowed))
        return result
    }
}
