// Small helpers to write YAML scalars that every YAML 1.1/1.2 reader (Yams,
// Hugo's go-yaml) reads back as the same string.

enum YAMLText {
    private static let reservedWords: Set<String> = ["true", "false", "yes", "no", "on", "off", "null", "y", "n", "~"]

    /// The string as a plain scalar when that is unambiguous, else double-quoted.
    static func scalar(_ text: String, inFlow: Bool = false) -> String {
        isPlainSafe(text, inFlow: inFlow) ? text : quoted(text)
    }

    /// Always double-quoted, with `\` and `"` escaped.
    static func quoted(_ text: String) -> String {
        var out = "\""
        for ch in text.unicodeScalars {
            switch ch {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            default: out.unicodeScalars.append(ch)
            }
        }
        return out + "\""
    }

    /// A flow sequence of plain-safe or quoted items: `[a, b]`.
    static func flowList(_ items: [String]) -> String {
        "[" + items.map { scalar($0, inFlow: true) }.joined(separator: ", ") + "]"
    }

    /// A flow sequence of always-quoted items: `["0301", "0302"]`.
    static func quotedList(_ items: [String]) -> String {
        "[" + items.map(quoted).joined(separator: ", ") + "]"
    }

    static func isPlainSafe(_ text: String, inFlow: Bool) -> Bool {
        guard let first = text.first, let last = text.last else { return false }
        if first == " " || last == " " || last == ":" { return false }
        if "-?:,[]{}#&*!|>'\"%@`0123456789+.~".contains(first) { return false }
        if text.contains(": ") || text.contains(" #") { return false }
        if text.contains(where: { $0 == "\"" || $0 == "'" || $0 == "\\" || $0 == "\n" || $0 == "\t" || $0 == "\r" }) { return false }
        if inFlow, text.contains(where: { ",[]{}".contains($0) }) { return false }
        if reservedWords.contains(text.lowercased()) { return false }
        return true
    }

    /// A decimal with exactly `decimals` fraction digits, without Foundation's locale-dependent formatting.
    static func fixed(_ value: Double, decimals: Int) -> String {
        var scale = 1
        for _ in 0..<decimals { scale *= 10 }
        let scaled = Int((abs(value) * Double(scale)).rounded())
        let sign = value < 0 && scaled != 0 ? "-" : ""
        return sign + String(scaled / scale) + "." + pad(scaled % scale, decimals)
    }
}

/// Lowercase a-z, 0-9 and single dashes, Norwegian and Sámi letters folded ("Kárášjohka" → "karasjohka").
func slugify(_ text: String, separator: Character = "-") -> String {
    var out = ""
    var pendingSeparator = false
    let folded: [Character: String] = [
        "æ": "ae", "ø": "o", "å": "a", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss", "þ": "th", "ð": "d",
    ]
    for ch in text.lowercased() {
        var piece = ""
        if let mapped = folded[ch] {
            piece = mapped
        } else {
            for scalar in String(ch).decomposedStringWithCanonicalMapping.unicodeScalars
            where (scalar >= "a" && scalar <= "z") || (scalar >= "0" && scalar <= "9") {
                piece.unicodeScalars.append(scalar)
            }
        }
        if piece.isEmpty {
            pendingSeparator = !out.isEmpty
        } else {
            if pendingSeparator { out.append(separator) }
            pendingSeparator = false
            out += piece
        }
    }
    return out
}

/// Cuts `slug` to at most `limit` characters, at a dash where possible, never ending in a dash.
func truncateSlug(_ slug: String, to limit: Int) -> String {
    guard slug.count > limit else { return slug }
    var cut = String(slug.prefix(limit))
    if let dash = cut.lastIndex(of: "-"), cut.distance(from: cut.startIndex, to: dash) >= limit / 2 {
        cut = String(cut[cut.startIndex..<dash])
    }
    while cut.hasSuffix("-") { cut.removeLast() }
    return cut
}

/// Cuts `text` to at most `limit` characters at a word boundary, without trailing punctuation.
func truncateText(_ text: String, to limit: Int) -> String {
    guard text.count > limit else { return text }
    var cut = String(text.prefix(limit))
    if let space = cut.lastIndex(of: " ") { cut = String(cut[cut.startIndex..<space]) }
    while let last = cut.last, " –-:,;".contains(last) { cut.removeLast() }
    return cut
}
