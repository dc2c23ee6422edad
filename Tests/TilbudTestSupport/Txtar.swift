import Foundation

/// Splits a txtar-like archive into (path, text) sections:
///
///     -- content/providers/frisk/provider.yaml --
///     name: Frisk
///
/// Text before the first header is a comment. A section's text ends with a line break unless it is empty.
public enum Txtar {
    public static func parse(_ archive: String) -> [(String, String)] {
        var files: [(String, [Substring])] = []
        for line in archive.split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("-- "), line.hasSuffix(" --"), line.count > 6 {
                let name = line.dropFirst(3).dropLast(3).trimmingCharacters(in: .whitespaces)
                files.append((name, []))
            } else if !files.isEmpty {
                files[files.count - 1].1.append(line)
            }
        }
        return files.map { name, lines in
            var lines = lines
            // The archive's last line break belongs to the last file; don't add a blank line for it.
            if lines.last == "" { lines.removeLast() }
            return (name, lines.isEmpty ? "" : lines.joined(separator: "\n") + "\n")
        }
    }
}

/// Keycap location markers (`1️⃣` … `9️⃣`, `0️⃣`): a digit, U+FE0F, U+20E3.
public enum Markers {
    /// The text without markers, and each marker with its 1-based line and column (Unicode scalars).
    public static func strip(_ text: String) -> (String, [(String, Int, Int)]) {
        let scalars = Array(text.unicodeScalars)
        var out = String.UnicodeScalarView()
        var found: [(String, Int, Int)] = []
        var line = 1, column = 1
        var i = 0
        while i < scalars.count {
            let c = scalars[i]
            if c.properties.numericType != nil, c.isASCII, i + 2 < scalars.count,
               scalars[i + 1] == "\u{FE0F}", scalars[i + 2] == "\u{20E3}" {
                var marker = String.UnicodeScalarView()
                marker.append(contentsOf: scalars[i...(i + 2)])
                found.append((String(marker), line, column))
                i += 3
                continue
            }
            out.append(c)
            if c == "\n" { line += 1; column = 1 } else { column += 1 }
            i += 1
        }
        return (String(out), found)
    }
}
