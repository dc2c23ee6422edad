/// URLs as a browser reads them, for the tests that scan output for live content.
public enum BrowserURL {
    /// The scheme a browser would take from `url` (nil when relative): leading controls and spaces trimmed, tabs and
    /// line ends removed, case folded.
    public static func scheme(_ url: String) -> String? {
        var scalars = Array(url.unicodeScalars)
        while let f = scalars.first, f.value <= 0x20 { scalars.removeFirst() }
        scalars.removeAll { $0 == "\t" || $0 == "\n" || $0 == "\r" }
        guard let colon = scalars.firstIndex(of: ":") else { return nil }
        let head = String(String.UnicodeScalarView(scalars[..<colon]))
        if head.contains("/") || head.contains("?") || head.contains("#") { return nil }
        return head.lowercased()
    }
}
