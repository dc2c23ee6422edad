import CLibXML2

/// Plain-text extraction from HTML fragments (for descriptions, search indexes, feeds). Safe to call from any thread.
public enum HTMLText {
    /// The visible text of an HTML fragment, block elements separated by whitespace, runs of whitespace collapsed to one space, trimmed.
    public static func plainText(_ html: String) -> String {
        LibXML2.withParsedDocument(html) { document -> String in
            var text: [UInt8] = []
            text.reserveCapacity(html.utf8.count)
            collect(from: document?.pointee.children, into: &text)
            return collapseWhitespace(text)
        }
    }

    /// Appends the text of `first`, its following siblings and their descendants, with a space around every non-inline element so words never run together.
    private static func collect(from first: xmlNodePtr?, into text: inout [UInt8]) {
        // Iterative, so that deeply nested input cannot exhaust the stack; `separating` has one entry per element being walked.
        var separating: [Bool] = []
        var node = first
        while let current = node {
            var descend = false
            switch current.pointee.type {
            case XML_TEXT_NODE, XML_CDATA_SECTION_NODE:
                if let content = current.pointee.content {
                    text.append(contentsOf: UnsafeBufferPointer(start: content, count: HTMLBytes.length(content)))
                }
            case XML_ELEMENT_NODE:
                let info = ElementInfo.of(current)
                if info.removed { break }
                if info.separates { text.append(0x20) }
                if current.pointee.children != nil {
                    separating.append(info.separates)
                    descend = true
                } else if info.separates {
                    text.append(0x20)
                }
            default:
                break
            }
            if descend {
                node = current.pointee.children
                continue
            }
            node = HTMLWalk.next(after: current) {
                guard let separates = separating.popLast() else { return false }
                if separates { text.append(0x20) }
                return true
            }
        }
    }

    /// Collapses every run of whitespace to a single space and trims both ends.
    static func collapseWhitespace(_ text: String) -> String {
        collapseWhitespace(Array(text.utf8))
    }

    /// Collapses every run of whitespace in UTF-8 `bytes` to a single space and trims both ends.
    static func collapseWhitespace(_ bytes: [UInt8]) -> String {
        // Byte-wise: ASCII whitespace. Text with U+00A0 or another Unicode space (libxml2 decodes them from
        // entities) takes the slower path that splits at every whitespace scalar. Scalars, not Characters: a
        // combining mark after a space makes one Character with it, and that Character counts as whitespace, so
        // splitting Characters lost the mark (U+11000 after a space, found by the sanitizer fuzz).
        if containsNonASCIIWhitespace(bytes) {
            var out = String.UnicodeScalarView()
            var pendingSpace = false
            for scalar in String(decoding: bytes, as: UTF8.self).unicodeScalars {
                if scalar.properties.isWhitespace {
                    pendingSpace = !out.isEmpty
                } else {
                    if pendingSpace { out.append(" ") }
                    pendingSpace = false
                    out.append(scalar)
                }
            }
            return String(out)
        }
        return String(unsafeUninitializedCapacity: bytes.count) { out in
            bytes.withUnsafeBufferPointer { input in
                var count = 0
                var pendingSpace = false
                for b in input {
                    if b == 0x20 || b == 0x0A || b == 0x09 || b == 0x0D || b == 0x0C || b == 0x0B {
                        pendingSpace = count != 0
                    } else {
                        if pendingSpace {
                            out[count] = 0x20
                            count += 1
                            pendingSpace = false
                        }
                        out[count] = b
                        count += 1
                    }
                }
                return count
            }
        }
    }

    /// True when UTF-8 `bytes` hold a scalar above U+007F with the Unicode White_Space property:
    /// U+0085, U+00A0, U+1680, U+2000–U+200A, U+2028, U+2029, U+202F, U+205F, U+3000.
    static func containsNonASCIIWhitespace(_ bytes: [UInt8]) -> Bool {
        let count = bytes.count
        var index = 0
        while index < count {
            let lead = bytes[index]
            if lead < 0xC2 || lead > 0xE3 {
                index += 1
                continue
            }
            let b1: UInt8 = index + 1 < count ? bytes[index + 1] : 0
            let b2: UInt8 = index + 2 < count ? bytes[index + 2] : 0
            switch lead {
            case 0xC2 where b1 == 0x85 || b1 == 0xA0: return true
            case 0xE1 where b1 == 0x9A && b2 == 0x80: return true
            case 0xE2 where b1 == 0x80 && (b2 <= 0x8A || b2 == 0xA8 || b2 == 0xA9 || b2 == 0xAF): return true
            case 0xE2 where b1 == 0x81 && b2 == 0x9F: return true
            case 0xE3 where b1 == 0x80 && b2 == 0x80: return true
            default: break
            }
            index += 1
        }
        return false
    }
}
