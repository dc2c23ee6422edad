/// Decides which link destinations may stay live in an offer's text: the Markdown renderer and the HTML
/// sanitizer behind it both ask here, so the two lines of defence cannot drift apart.
public enum URLSchemePolicy {
    /// The schemes a link may use; everything else (http:, javascript:, data:, relative, …) is refused.
    public static let allowedSchemes: Set<String> = ["https", "mailto", "tel"]

    /// True when `url` uses an allowed scheme, judged the way a browser reads it.
    ///
    /// Leading and trailing C0 controls and spaces are trimmed and ASCII tab/newline removed
    /// everywhere (as the WHATWG URL parser does), then the scheme is compared case-insensitively.
    public static func isAllowed(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return false }
        return allowedSchemes.contains(scheme)
    }

    /// `url` without the leading and trailing C0 controls and spaces a browser ignores.
    public static func trimmed(_ url: String) -> String {
        var scalars = Substring(url).unicodeScalars[...]
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
        return String(String.UnicodeScalarView(scalars))
    }

    /// The lower-cased scheme of `url`, or nil for a relative or malformed URL.
    public static func scheme(of url: String) -> String? {
        var scalars = Array(trimmed(url).unicodeScalars)
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let colon = scalars.firstIndex(of: ":"), colon > 0 else { return nil }
        var scheme = ""
        for (offset, scalar) in scalars[..<colon].enumerated() {
            let value = scalar.value
            let isLetter = (0x41...0x5A).contains(value) || (0x61...0x7A).contains(value)
            let isDigit = (0x30...0x39).contains(value)
            let isSymbol = scalar == "+" || scalar == "-" || scalar == "."
            guard isLetter || (offset > 0 && (isDigit || isSymbol)) else { return nil }
            scheme.unicodeScalars.append(scalar)
        }
        return scheme.lowercased()
    }

    /// For a URL given as UTF-8 bytes: the range of `url` without the leading and trailing C0 controls and
    /// spaces a browser ignores, when the URL uses an allowed scheme; nil otherwise.
    /// The same decision as `isAllowed` and `trimmed`, without building Strings.
    public static func allowedTrimmed(_ url: [UInt8]) -> Range<Int>? {
        var lower = 0, upper = url.count
        while lower < upper, url[lower] <= 0x20 { lower += 1 }
        while upper > lower, url[upper - 1] <= 0x20 { upper -= 1 }
        // The scheme: letters, then letters, digits, `+`, `-`, `.`, up to the first `:`; tab, CR and LF are skipped.
        var scheme: [UInt8] = []
        var index = lower
        while index < upper {
            let byte = url[index]
            index += 1
            if byte == 0x09 || byte == 0x0A || byte == 0x0D { continue }
            if byte == 0x3A { break }
            let isLetter = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
            let isDigit = byte >= 0x30 && byte <= 0x39
            let isSymbol = byte == 0x2B || byte == 0x2D || byte == 0x2E
            guard isLetter || (!scheme.isEmpty && (isDigit || isSymbol)) else { return nil }
            guard scheme.count < 8 else { return nil } // longer than any allowed scheme
            scheme.append(isLetter ? byte | 0x20 : byte)
        }
        guard index <= upper, index > lower, url[index - 1] == 0x3A else { return nil }
        switch String(decoding: scheme, as: UTF8.self) {
        case let name where allowedSchemes.contains(name): return lower..<upper
        default: return nil
        }
    }
}
