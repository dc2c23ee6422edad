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
        // is a relative move and a horizontal stroke, which keeps the path to a few bytes a run. Written as bytes:
        // with String interpolation the path cost more than the encoding.
        var out: [UInt8] = []
        out.reserveCapacity(width * width / 2 + 256)
        func append(_ text: StaticString) { text.withUTF8Buffer { out.append(contentsOf: $0) } }
        // Every number here is 0 ..< 1_000 (a QR code is at most 177 modules wide; moves only go right).
        func number(_ n: Int) {
            assert((0..<1_000).contains(n))
            if n >= 100 { out.append(0x30 + UInt8(n / 100)) }
            if n >= 10 { out.append(0x30 + UInt8(n / 10 % 10)) }
            out.append(0x30 + UInt8(n % 10))
        }
        append("<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 ")
        number(size); out.append(0x20); number(size)
        append("\" role=\"img\" aria-label=\"")
        out.append(contentsOf: escaped(label).utf8)
        append("\" shape-rendering=\"crispEdges\"><rect width=\"")
        number(size)
        append("\" height=\"")
        number(size)
        append("\" fill=\"#fff\"/><path stroke=\"#000\" d=\"")
        for y in 0..<width {
            var cursor = 0, started = false
            var x = 0
            while x < width {
                // Bit 0 of each module's byte: dark.
                guard data[y * width + x] & 1 == 1 else { x += 1; continue }
                var end = x
                while end < width, data[y * width + end] & 1 == 1 { end += 1 }
                if !started {
                    out.append(UInt8(ascii: "M")); number(x + quiet); out.append(0x20); number(y + quiet); append(".5")
                    started = true
                } else {
                    out.append(UInt8(ascii: "m")); number(x - cursor); append(" 0")
                }
                out.append(UInt8(ascii: "h")); number(end - x)
                cursor = end
                x = end
            }
        }
        append("\"/></svg>")
        return String(decoding: out, as: UTF8.self)
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
