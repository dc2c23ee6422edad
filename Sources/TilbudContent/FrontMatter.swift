import Foundation
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
    /// Where the parts of a file are, as offsets into its UTF-8 bytes.
    struct Parts {
        /// The YAML between the `---` lines.
        let yaml: Range<Int>
        /// Where the Markdown after the closing line starts.
        let bodyStart: Int
        /// The file line the body starts on (1-based).
        let bodyLine: Int
    }

    /// Splits `text`, or returns the diagnostic that explains why it cannot.
    public static func split(_ text: String, path: String) -> Result<FrontMatterSplit, Diagnostic> {
        var copy = text
        return copy.withUTF8 { bytes in
            locate(bytes, path: path).map { parts in
                FrontMatterSplit(yaml: String(decoding: UnsafeBufferPointer(rebasing: bytes[parts.yaml]), as: UTF8.self), yamlLineOffset: 1,
                                 body: String(decoding: UnsafeBufferPointer(rebasing: bytes[parts.bodyStart...]), as: UTF8.self),
                                 bodyLine: parts.bodyLine)
            }
        }
    }

    /// Finds the front matter and body in a file's UTF-8 `bytes` (the YAML starts on file line 2).
    static func locate(_ bytes: UnsafeBufferPointer<UInt8>, path: String) -> Result<Parts, Diagnostic> {
        let newline = UInt8(ascii: "\n")
        // First line must be exactly `---` (trailing blanks allowed).
        guard !bytes.isEmpty, isDelimiter(bytes, 0..<(bytes.firstIndex(of: newline) ?? bytes.count), dots: false) else {
            return .failure(.error(.frontMatterMissing, at: SourceLocation(path: path, line: 1, column: 1), Messages.noFrontMatter))
        }
        var lineStart = (bytes.firstIndex(of: newline) ?? bytes.count - 1) + 1
        let yamlStart = lineStart
        var line = 2
        while lineStart < bytes.count {
            let lineEnd = bytes[lineStart...].firstIndex(of: newline) ?? bytes.count
            if isDelimiter(bytes, lineStart..<lineEnd, dots: true) {
                return .success(Parts(yaml: yamlStart..<lineStart, bodyStart: min(lineEnd + 1, bytes.count), bodyLine: line + 1))
            }
            lineStart = lineEnd + 1
            line += 1
        }
        return .failure(.error(.frontMatterUnclosed, at: SourceLocation(path: path, line: 1, column: 1), Messages.unclosedFrontMatter))
    }

    /// True when the line at `range` is `---` (or `...` when `dots`), trailing blanks allowed.
    private static func isDelimiter(_ bytes: UnsafeBufferPointer<UInt8>, _ range: Range<Int>, dots: Bool) -> Bool {
        var end = range.upperBound
        while end > range.lowerBound, bytes[end - 1] == 0x20 || bytes[end - 1] == 0x09 { end -= 1 }
        guard end - range.lowerBound == 3 else { return false }
        let line = bytes[range.lowerBound..<end]
        return line.elementsEqual("---".utf8) || (dots && line.elementsEqual("...".utf8))
    }
}

/// Decodes raw bytes as the loader requires: UTF-8 only, BOM dropped, CRLF made LF.
public enum TextDecoding {
    /// The text, or nil when `bytes` are not valid UTF-8.
    public static func decode<Bytes: Collection>(_ bytes: Bytes) -> String? where Bytes.Element == UInt8 {
        var slice = bytes[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        guard var text = String(validating: slice, as: UTF8.self) else { return nil }
        let hasCR = text.withUTF8 { $0.count > 0 && memchr($0.baseAddress!, Int32(UInt8(ascii: "\r")), $0.count) != nil }
        if hasCR {
            return text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
        }
        return text
    }
}
