import CQREncode

/// QR codes (libqrencode) drawn as inline SVG: one stroked path of the dark modules' runs, row by row, with the
/// quiet zone of four modules the standard asks for. Deterministic: the same text gives the same bytes.
public enum QRCode {
    /// The SVG of a QR code of `text` (error correction M, byte mode), labelled `label` for assistive technology;
    /// nil when libqrencode cannot encode it (too long).
    public static func svg(_ text: String, label: String) -> String? {
        guard let code = text.withCString({ QRcode_encodeString($0, 0, QR_ECLEVEL_M, QR_MODE_8, 1) }) else { return nil }
        defer { QRcode_free(code) }
        let width = Int(code.pointee.width)
        let data = code.pointee.data!
        let quiet = 4, size = width + 2 * quiet
        // Each row is a horizontal line one module thick through the middle of the row; each run of dark modules
        // is a relative move and a horizontal stroke, which keeps the path to a few bytes a run.
        var path = ""
        path.reserveCapacity(width * width / 3)
        for y in 0..<width {
            var cursor = 0, started = false
            var x = 0
            while x < width {
                // Bit 0 of each module's byte: dark.
                guard data[y * width + x] & 1 == 1 else { x += 1; continue }
                var end = x
                while end < width, data[y * width + end] & 1 == 1 { end += 1 }
                if !started {
                    path += "M\(x + quiet) \(y + quiet).5"
                    started = true
                } else {
                    path += "m\(x - cursor) 0"
                }
                path += "h\(end - x)"
                cursor = end
                x = end
            }
        }
        return "<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 \(size) \(size)\" role=\"img\" aria-label=\""
            + escaped(label) + "\" shape-rendering=\"crispEdges\"><rect width=\"\(size)\" height=\"\(size)\" fill=\"#fff\"/>"
            + "<path stroke=\"#000\" d=\"\(path)\"/></svg>"
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
