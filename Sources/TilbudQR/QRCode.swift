import CQREncode

/// QR codes (libqrencode) drawn as inline SVG: one stroked path of the dark modules' runs, row by row, with the
/// quiet zone of four modules the standard asks for. Deterministic: the same text gives the same bytes.
public enum QRCode {
    /// The mask pattern every code uses (see `svg`).
    static let maskPattern: Int32 = 2

    /// The SVG of a QR code of `text` (error correction M, byte mode), labelled `label` for assistive technology;
    /// nil when libqrencode cannot encode it (too long).
    public static func svg(_ text: String, label: String) -> String? {
        // The same segments as QRcode_encodeString(text, 0, QR_ECLEVEL_M, QR_MODE_8, 1), with mask pattern 2 given
        // rather than the lowest-scoring of eight picked: scoring all eight made a code cost 166 µs instead of 13. Every
        // mask pattern decodes alike; pattern 2 is the one the scoring itself picks for most of the site's addresses
        // (62 % of 3,000 generated ones), and the rest differ only in how evenly dark and light modules are spread.
        guard let input = QRinput_new2(0, QR_ECLEVEL_M) else { return nil }
        defer { QRinput_free(input) }
        guard text.withCString({ Split_splitStringToQRinput($0, input, QR_MODE_8, 1) }) == 0,
              let code = QRcode_encodeMask(input, Self.maskPattern) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        let quiet = 4, size = width + 2 * quiet
        // Each row is a horizontal line one module thick through the middle of the row; each run of dark modules
        // is a relative move and a horizontal stroke, which keeps the path to a few bytes a run. Written as bytes
        // into a `PathBytes` (with String interpolation the path cost more than the encoding, and with helper
        // functions capturing the array each byte paid for an exclusivity check).
        var out = PathBytes(capacity: width * width / 2 + 256)
        out.append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        out.number(size); out.byte(0x20); out.number(size)
        out.append("\" role=\"img\" aria-label=\"")
        out.bytes.append(contentsOf: escaped(label).utf8)
        out.append("\" shape-rendering=\"crispEdges\"><rect width=\"")
        out.number(size)
        out.append("\" height=\"")
        out.number(size)
        out.append("\" fill=\"#fff\"/><path stroke=\"#000\" d=\"")
        for y in 0..<width {
            let row = UnsafeBufferPointer(start: data + y * width, count: width)
            var cursor = 0, started = false
            var x = 0
            while x < width {
                // Bit 0 of each module's byte: dark.
                guard row[x] & 1 == 1 else { x += 1; continue }
                var end = x
                while end < width, row[end] & 1 == 1 { end += 1 }
                if !started {
                    out.byte(UInt8(ascii: "M")); out.number(x + quiet); out.byte(0x20); out.number(y + quiet); out.append(".5")
                    started = true
                } else {
                    out.byte(UInt8(ascii: "m")); out.number(x - cursor); out.append(" 0")
                }
                out.byte(UInt8(ascii: "h")); out.number(end - x)
                cursor = end
                x = end
            }
        }
        out.append("\"/></svg>")
        return String(decoding: out.bytes, as: UTF8.self)
    }

    /// The SVG's bytes as they are written.
    private struct PathBytes {
        var bytes: [UInt8] = []

        init(capacity: Int) { bytes.reserveCapacity(capacity) }

        mutating func byte(_ b: UInt8) { bytes.append(b) }

        mutating func append(_ text: StaticString) {
            text.withUTF8Buffer { bytes.append(contentsOf: $0) }
        }

        /// `n` in decimal; every number in a code is 0 ..< 1_000 (a QR code is at most 177 modules wide; moves only go right).
        mutating func number(_ n: Int) {
            assert((0..<1_000).contains(n))
            if n >= 100 { bytes.append(0x30 + UInt8(n / 100)) }
            if n >= 10 { bytes.append(0x30 + UInt8(n / 10 % 10)) }
            bytes.append(0x30 + UInt8(n % 10))
        }
    }

    /// `s` safe in an attribute value.
    private static func escaped(_ s: String) -> String {
        var out = ""
        for ch in s.unicodeScalars {
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&#39;"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out
    }
}
