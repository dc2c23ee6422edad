import TilbudDiagnostics

/// A Markdown file split into its YAML front matter and body.
public struct FrontMatterSplit: Sendable, Equatable {
    /// The YAML between the `---` lines.
    public let yaml: String
    /// Number of file lines before the YAML starts (so YAML line 1 is file line `yamlLineOffset + 1`).
    public let yamlLineOffset: Int
    /// The Markdown after the closing line.
    public let body: String
    /// The file line the body starts on (1-based).
    public let bodyLine: Int
}

/// Splits front matter from body; text must already be normalised to `\n` line ends.
public enum FrontMatter {
    /// Splits `text`, or returns the diagnostic that explains why it cannot.
    public static func split(_ text: String, path: String) -> Result<FrontMatterSplit, Diagnostic> {
        let utf8 = text.utf8
        // First line must be exactly `---` (trailing blanks allowed).
        guard let firstEnd = utf8.firstIndex(of: UInt8(ascii: "\n")) ?? (utf8.isEmpty ? nil : utf8.endIndex),
              isDelimiter(text[text.startIndex..<firstEnd], dots: false) else {
            return .failure(.error("front-matter-missing", at: SourceLocation(path: path, line: 1, column: 1), Messages.noFrontMatter))
        }
        var lineStart = firstEnd < utf8.endIndex ? utf8.index(after: firstEnd) : utf8.endIndex
        let yamlStart = lineStart
        var line = 2
        while lineStart < utf8.endIndex {
            let lineEnd = utf8[lineStart...].firstIndex(of: UInt8(ascii: "\n")) ?? utf8.endIndex
            if isDelimiter(text[lineStart..<lineEnd], dots: true) {
                let yaml = String(text[yamlStart..<lineStart])
                let bodyStart = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : utf8.endIndex
                return .success(FrontMatterSplit(yaml: yaml, yamlLineOffset: 1, body: String(text[bodyStart...]), bodyLine: line + 1))
            }
            lineStart = lineEnd < utf8.endIndex ? utf8.index(after: lineEnd) : utf8.endIndex
            line += 1
        }
        return .failure(.error("front-matter-unclosed", at: SourceLocation(path: path, line: 1, column: 1), Messages.unclosedFrontMatter))
    }

    private static func isDelimiter(_ line: Substring, dots: Bool) -> Bool {
        var s = line
        while let last = s.last, last == " " || last == "\t" { s.removeLast() }
        return s == "---" || (dots && s == "...")
    }
}

/// Decodes raw bytes as the loader requires: UTF-8 only, BOM dropped, CRLF made LF.
public enum TextDecoding {
    /// The text, or nil when `bytes` are not valid UTF-8.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        guard var text = String(validating: slice, as: UTF8.self) else { return nil }
        let hasCR = text.withUTF8 { $0.firstIndex(of: UInt8(ascii: "\r")) != nil }
        if hasCR {
            return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }
}
