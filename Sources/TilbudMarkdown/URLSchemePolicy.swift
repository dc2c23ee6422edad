/// Decides which link destinations may stay live in rendered Markdown.
enum URLSchemePolicy {
    /// The schemes a link may use; everything else (http:, javascript:, data:, relative, …) is refused.
    static let allowedSchemes: Set<String> = ["https", "mailto", "tel"]

    /// True when `url` uses an allowed scheme, judged the way a browser reads it.
    ///
    /// Leading and trailing C0 controls and spaces are trimmed and ASCII tab/newline removed
    /// everywhere (as the WHATWG URL parser does), then the scheme is compared case-insensitively.
    static func isAllowed(_ url: String) -> Bool {
        guard let scheme = scheme(of: url) else { return false }
        return allowedSchemes.contains(scheme)
    }

    /// The lower-cased scheme of `url`, or nil for a relative or malformed URL.
    static func scheme(of url: String) -> String? {
        var scalars = Array(url.unicodeScalars)
        while let first = scalars.first, first.value <= 0x20 { scalars.removeFirst() }
        while let last = scalars.last, last.value <= 0x20 { scalars.removeLast() }
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
}
