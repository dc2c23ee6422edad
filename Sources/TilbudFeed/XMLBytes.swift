import TilbudModel

/// XML written straight into a byte buffer, for the sitemap's tens of thousands of addresses: no libxml2 call and no
/// string is made per address. The caller writes the markup, starting with the UTF-8 XML declaration; `text` and
/// `attribute` write values escaped exactly as `XMLWriter` (libxml2's xmlTextWriter) writes them in such a document,
/// after dropping what XML 1.0 forbids as `XMLWriter.xmlSafe` does (tests hold the two side by side).
struct XMLBytes {
    /// The output so far.
    var bytes: [UInt8] = []

    /// Appends markup as it is.
    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends bytes already escaped (from `escapedText` or `escapedAttribute`).
    mutating func append(_ escaped: [UInt8]) {
        bytes.append(contentsOf: escaped)
    }

    /// Character data: `&`, `<`, `>`, `"` as entities and CR as `&#13;` (libxml2's `xmlEncodeSpecialChars`).
    mutating func text(_ s: String) { write(s, attribute: false) }

    /// An attribute value between double quotes: also tab, LF and CR as character references (libxml2's
    /// `xmlBufAttrSerializeTxtContent` in a document that declares its encoding, as every document here does, so that
    /// other characters are written as they are).
    mutating func attribute(_ s: String) { write(s, attribute: true) }

    /// A day as `YYYY-MM-DD`, the characters `Day.iso` gives.
    mutating func day(_ d: Day) {
        guard (0...9999).contains(d.year) else { return text(d.iso) }
        d.appendISODigits(to: &bytes)
    }

    /// `s` escaped as character data.
    static func escapedText(_ s: String) -> [UInt8] {
        var x = XMLBytes()
        x.text(s)
        return x.bytes
    }

    /// `s` escaped as an attribute value.
    static func escapedAttribute(_ s: String) -> [UInt8] {
        var x = XMLBytes()
        x.attribute(s)
        return x.bytes
    }

    private mutating func write(_ string: String, attribute: Bool) {
        var s = string
        s.withUTF8 { utf8 in
            var plainFrom = 0
            for (i, b) in utf8.enumerated() where b < 0x20 || b == 0x26 || b == 0x3C || b == 0x3E || b == 0x22 || b == 0xEF {
                if b == 0xEF && !(i + 2 < utf8.count && utf8[i + 1] == 0xBF && (utf8[i + 2] == 0xBE || utf8[i + 2] == 0xBF)) { continue }
                if plainFrom < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom..<i])) }
                plainFrom = i + 1
                switch b {
                case 0x26: append("&amp;")
                case 0x3C: append("&lt;")
                case 0x3E: append("&gt;")
                case 0x22: append("&quot;")
                case 0x0D: append("&#13;")
                case 0x0A: attribute ? append("&#10;") : bytes.append(0x0A)
                case 0x09: attribute ? append("&#9;") : bytes.append(0x09)
                case 0xEF: plainFrom = i + 3  // U+FFFE or U+FFFF: not allowed in XML 1.0, dropped
                default: break  // the other C0 controls: likewise
                }
            }
            if plainFrom < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[plainFrom...])) }
        }
    }
}
