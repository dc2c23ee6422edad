/// A fast reader for the plain YAML that records are written in: block mappings with plain keys, block lists,
/// one-line flow lists, and one-line scalars (plain, single- or double-quoted without escapes).
///
/// It gives up (returns nil) on anything else, and on anything it is not sure about: comments, tabs, empty
/// values, block scalars, anchors, tags, escapes, flow mappings, multi-line scalars, duplicate keys, nesting
/// past the depth limit, characters libyaml refuses. The caller then parses with libyaml, which gives the same
/// tree for what this reader accepts and the diagnostics for what is wrong. So this reader never reports a
/// problem; it only makes the common case cheap (libyaml's events were a third of checking a catalog).
///
/// Positions are libyaml's: a scalar at its first character (the quote when quoted), a block mapping at its
/// first key, a block list at its first `-`, a flow list at its `[`; columns count Unicode scalars.
struct PlainYAML {
    private struct GiveUp: Error {}

    private let b: UnsafeBufferPointer<UInt8>
    private let lineOffset: Int
    private let maxDepth: Int
    /// The current byte.
    private var pos = 0
    /// 1-based line of `pos`, in the YAML text.
    private var line = 1
    /// Byte index where the current line starts.
    private var lineStart = 0
    /// A byte on the current line (or an earlier one) and its column, for `columnOf`.
    private var columnMark = (byte: 0, column: 1)

    /// Parses `buffer`; nil when it is not in the plain subset (the caller then uses libyaml).
    static func parse(_ buffer: UnsafeBufferPointer<UInt8>, lineOffset: Int, maxDepth: Int) -> YNode? {
        guard buffer.count > 0, charactersAreSafe(buffer) else { return nil }
        var reader = PlainYAML(b: buffer, lineOffset: lineOffset, maxDepth: min(maxDepth, 32))
        return try? reader.document()
    }

    private init(b: UnsafeBufferPointer<UInt8>, lineOffset: Int, maxDepth: Int) {
        self.b = b
        self.lineOffset = lineOffset
        self.maxDepth = maxDepth
    }

    /// True when every character is one libyaml reads as an ordinary printable character: ASCII from space to `~`
    /// and line feeds, and non-ASCII in U+00A0–U+D7FF or U+E000–U+FFFD (but not U+2028, U+2029 or U+FEFF,
    /// which libyaml treats as line breaks or a byte order mark), or above U+FFFF. The buffer is valid UTF-8.
    private static func charactersAreSafe(_ b: UnsafeBufferPointer<UInt8>) -> Bool {
        var i = 0
        let n = b.count
        while i < n {
            let c = b[i]
            if c &- 0x20 < 0x5F || c == 0x0A {  // printable ASCII or a line feed
                i += 1
                continue
            }
            if c < 0xC2 { return false }  // other ASCII controls, DEL, a continuation byte out of place
            if c < 0xE0 {
                // U+0080–U+07FF: U+0080–U+009F are C1 controls (and U+0085 a line break).
                guard i + 1 < n else { return false }
                if c == 0xC2 && b[i + 1] < 0xA0 { return false }
                i += 2
                continue
            }
            if c < 0xF0 {
                guard i + 2 < n else { return false }
                let scalar = (UInt32(c & 0x0F) << 12) | (UInt32(b[i + 1] & 0x3F) << 6) | UInt32(b[i + 2] & 0x3F)
                if (scalar >= 0xD800 && scalar < 0xE000) || scalar >= 0xFFFE || scalar == 0xFEFF || scalar == 0x2028 || scalar == 0x2029 {
                    return false
                }
                i += 3
                continue
            }
            i += 4
        }
        return true
    }

    // MARK: structure

    private mutating func document() throws(GiveUp) -> YNode {
        // The root: a block mapping starting in column 1 of the first line that is not blank.
        guard let indent = try skipBlankLines(), indent == 0 else { throw GiveUp() }
        let root = try mapping(column: 0, depth: 1)
        guard pos >= b.count else { throw GiveUp() }
        return root
    }

    /// A block mapping whose first key is at `pos`, in `column` (0-based; only spaces or `- ` are before it).
    private mutating func mapping(column: Int, depth: Int) throws(GiveUp) -> YNode {
        guard depth <= maxDepth else { throw GiveUp() }
        let startLine = line
        var pairs: [YPair] = []
        pairs.reserveCapacity(8)
        while true {
            let keyStart = pos
            guard let keyEnd = keyEnd(at: pos) else { throw GiveUp() }
            // Duplicates are looked for by comparing with every earlier key: records have a few dozen at most,
            // and a mapping with more is left to libyaml (which reports duplicates anyway).
            guard pairs.count < 64 else { throw GiveUp() }
            let keyBytes = UnsafeBufferPointer(rebasing: b[keyStart..<keyEnd])
            for p in pairs where p.key.utf8.count == keyBytes.count && p.key.utf8.elementsEqual(keyBytes) { throw GiveUp() }
            let key = String(decoding: keyBytes, as: UTF8.self)
            let keyLine = line
            pos = keyEnd + 1  // past the colon
            skipSpaces()
            let value: YNode
            if pos >= b.count || b[pos] == 0x0A {
                // The value is a block on the lines below: a mapping or a list, indented, or a list in the key's column.
                guard let indent = try nextContentLine() else { throw GiveUp() }
                if indent > column {
                    value = isListEntry(pos) ? try list(column: indent, depth: depth + 1, indentless: false)
                                             : try mapping(column: indent, depth: depth + 1)
                } else if indent == column && isListEntry(pos) {
                    value = try list(column: indent, depth: depth + 1, indentless: true)
                } else {
                    throw GiveUp()  // an empty value
                }
            } else {
                value = try inlineValue(depth: depth + 1)
            }
            pairs.append(YPair(key: key, keyLine: keyLine + lineOffset, keyColumn: column + 1, value: value))
            // Now at the first character of the next line that is not blank, or at the end.
            if pos >= b.count { break }
            let indent = pos - lineStart
            if indent < column { break }
            guard indent == column else { throw GiveUp() }
        }
        return YNode(kind: .mapping(pairs), line: startLine + lineOffset, column: column + 1)
    }

    /// A block list whose first `- ` is at `pos`, in `column`; `indentless` when it is in its key's column.
    private mutating func list(column: Int, depth: Int, indentless: Bool) throws(GiveUp) -> YNode {
        guard depth <= maxDepth else { throw GiveUp() }
        let startLine = line
        var items: [YNode] = []
        while true {
            pos += 1  // past the dash
            skipSpaces()
            guard pos < b.count, b[pos] != 0x0A, b[pos] != UInt8(ascii: "-") else { throw GiveUp() }
            if keyEnd(at: pos) != nil {
                items.append(try mapping(column: pos - lineStart, depth: depth + 1))
            } else {
                items.append(try inlineValue(depth: depth + 1))
            }
            if pos >= b.count { break }
            let indent = pos - lineStart
            if indent < column || (indentless && indent == column && !isListEntry(pos)) { break }
            guard indent == column, isListEntry(pos) else { throw GiveUp() }
        }
        return YNode(kind: .sequence(items), line: startLine + lineOffset, column: column + 1)
    }

    /// A value on the rest of the line: a scalar or a flow list. Ends at the next content line.
    private mutating func inlineValue(depth: Int) throws(GiveUp) -> YNode {
        let startLine = line + lineOffset
        let column = columnOf(pos)
        let node: YNode
        switch b[pos] {
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
            node = YNode(kind: .scalar(try quoted(), plain: false), line: startLine, column: column)
        case UInt8(ascii: "["):
            node = try flowList(depth: depth)
        default:
            guard !Self.isIndicator(b[pos]) else { throw GiveUp() }
            // A plain scalar to the end of the line, trailing spaces dropped.
            let start = pos
            var end = pos
            while pos < b.count {
                let c = b[pos]
                if c == 0x0A { break }
                if c == UInt8(ascii: ":") {
                    // `: ` or a colon at the end of the line would be a mapping.
                    if pos + 1 >= b.count || b[pos + 1] == 0x20 || b[pos + 1] == 0x0A { throw GiveUp() }
                } else if c == UInt8(ascii: "#") {
                    if b[pos - 1] == 0x20 { throw GiveUp() }  // a comment
                }
                pos += 1
                if c != 0x20 { end = pos }
            }
            node = YNode(kind: .scalar(String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self), plain: true),
                         line: startLine, column: column)
        }
        try endOfLine()
        return node
    }

    /// A one-line flow list of scalars at `pos` (a `[`); leaves `pos` after the `]`.
    private mutating func flowList(depth: Int) throws(GiveUp) -> YNode {
        guard depth <= maxDepth else { throw GiveUp() }
        let node = (line: line + lineOffset, column: columnOf(pos))
        pos += 1
        var items: [YNode] = []
        skipSpaces()
        if pos < b.count && b[pos] == UInt8(ascii: "]") {
            pos += 1
            return YNode(kind: .sequence(items), line: node.line, column: node.column)
        }
        while true {
            guard pos < b.count else { throw GiveUp() }
            let column = columnOf(pos)
            switch b[pos] {
            case UInt8(ascii: "\""), UInt8(ascii: "'"):
                items.append(YNode(kind: .scalar(try quoted(), plain: false), line: line + lineOffset, column: column))
            default:
                guard !Self.isIndicator(b[pos]) else { throw GiveUp() }
                let start = pos
                var end = pos
                scan: while pos < b.count {
                    switch b[pos] {
                    case UInt8(ascii: ","), UInt8(ascii: "]"): break scan
                    case 0x0A, UInt8(ascii: ":"), UInt8(ascii: "#"), UInt8(ascii: "["), UInt8(ascii: "{"), UInt8(ascii: "}"),
                         UInt8(ascii: "\""), UInt8(ascii: "'"):
                        throw GiveUp()
                    case 0x20: pos += 1
                    default: pos += 1; end = pos
                    }
                }
                items.append(YNode(kind: .scalar(String(decoding: UnsafeBufferPointer(rebasing: b[start..<end]), as: UTF8.self), plain: true),
                                   line: line + lineOffset, column: column))
            }
            skipSpaces()
            guard pos < b.count else { throw GiveUp() }
            if b[pos] == UInt8(ascii: "]") {
                pos += 1
                break
            }
            guard b[pos] == UInt8(ascii: ",") else { throw GiveUp() }
            pos += 1
            skipSpaces()
            // `[a, ]` and `[a,,b]` are left to libyaml.
            guard pos < b.count, b[pos] != UInt8(ascii: "]"), b[pos] != UInt8(ascii: ",") else { throw GiveUp() }
        }
        return YNode(kind: .sequence(items), line: node.line, column: node.column)
    }

    /// A quoted scalar on one line at `pos`; leaves `pos` after the closing quote.
    private mutating func quoted() throws(GiveUp) -> String {
        let quote = b[pos]
        pos += 1
        let start = pos
        var doubled = false  // a '' inside single quotes
        while true {
            guard pos < b.count else { throw GiveUp() }
            let c = b[pos]
            if c == 0x0A { throw GiveUp() }
            if c == UInt8(ascii: "\\") && quote == UInt8(ascii: "\"") { throw GiveUp() }
            if c == quote {
                if quote == UInt8(ascii: "'") && pos + 1 < b.count && b[pos + 1] == quote {
                    doubled = true
                    pos += 2
                    continue
                }
                break
            }
            pos += 1
        }
        let text = UnsafeBufferPointer(rebasing: b[start..<pos])
        pos += 1
        guard doubled else { return String(decoding: text, as: UTF8.self) }
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.count)
        var i = 0
        while i < text.count {
            bytes.append(text[i])
            i += text[i] == quote ? 2 : 1
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    // MARK: lines

    /// After a value: only spaces may follow on the line; then moves to the next content line.
    private mutating func endOfLine() throws(GiveUp) {
        skipSpaces()
        guard pos >= b.count || b[pos] == 0x0A else { throw GiveUp() }
        _ = try nextContentLine()
    }

    /// At a line feed (or the end): steps onto the next line, then past blank lines (see `skipBlankLines`).
    private mutating func nextContentLine() throws(GiveUp) -> Int? {
        if pos < b.count {
            pos += 1
            line += 1
            lineStart = pos
        }
        return try skipBlankLines()
    }

    /// At the start of a line: moves `pos` to the first character of the first line that is not blank and
    /// returns its indentation; nil at the end of the text. A comment line gives up.
    private mutating func skipBlankLines() throws(GiveUp) -> Int? {
        while true {
            skipSpaces()
            guard pos < b.count else { return nil }
            switch b[pos] {
            case 0x0A:
                pos += 1
                line += 1
                lineStart = pos
            case UInt8(ascii: "#"):
                throw GiveUp()
            default:
                return pos - lineStart
            }
        }
    }

    private mutating func skipSpaces() {
        while pos < b.count && b[pos] == 0x20 { pos += 1 }
    }

    /// `- ` (or `-` at the end of a line) at `p`.
    private func isListEntry(_ p: Int) -> Bool {
        b[p] == UInt8(ascii: "-") && (p + 1 >= b.count || b[p + 1] == 0x20 || b[p + 1] == 0x0A)
    }

    /// The index of the colon when a plain key (`[A-Za-z0-9_][A-Za-z0-9_.-]*`, under 128 bytes) followed by `: `
    /// or a colon at the end of the line starts at `p`; else nil.
    private func keyEnd(at p: Int) -> Int? {
        var i = p
        while i < b.count {
            let c = b[i]
            let isWord = (c >= 0x61 && c <= 0x7A) || (c >= 0x41 && c <= 0x5A) || (c >= 0x30 && c <= 0x39) || c == 0x5F
            if isWord || (i > p && (c == 0x2D || c == 0x2E)) { i += 1; continue }
            break
        }
        guard i > p, i - p < 128, i < b.count, b[i] == UInt8(ascii: ":") else { return nil }
        guard i + 1 >= b.count || b[i + 1] == 0x20 || b[i + 1] == 0x0A else { return nil }
        return i
    }

    /// The 1-based column of byte `p` on the current line, in Unicode scalars. Counts on from the last column
    /// asked for on the same line, so a long line of flow items is not counted from its start again for each.
    private mutating func columnOf(_ p: Int) -> Int {
        if columnMark.byte < lineStart || columnMark.byte > p { columnMark = (lineStart, 1) }
        var (i, column) = columnMark
        while i < p {
            if b[i] & 0xC0 != 0x80 { column += 1 }
            i += 1
        }
        columnMark = (p, column)
        return column
    }

    /// Characters that cannot start a plain scalar here, or that start something this reader leaves to libyaml.
    private static func isIndicator(_ c: UInt8) -> Bool {
        switch c {
        case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
             UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "#"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"),
             UInt8(ascii: "|"), UInt8(ascii: ">"), UInt8(ascii: "'"), UInt8(ascii: "\""), UInt8(ascii: "%"), UInt8(ascii: "@"),
             UInt8(ascii: "`"), 0x20, 0x0A:
            return true
        default:
            return false
        }
    }
}
