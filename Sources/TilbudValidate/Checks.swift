import Foundation

/// Format checks for Norwegian identifiers, contact data and URLs. Pure functions.
public enum Checks {
    /// True for a character that takes no room and shows nothing: zero-width space, non-joiner and joiner,
    /// word joiner and invisible operators, the byte order mark, the Mongolian vowel separator. (Bidirectional
    /// controls and line separators are refused for the whole file when it is loaded.)
    static func isInvisible(_ v: UInt32) -> Bool {
        (0x200B...0x200D).contains(v) || (0x2060...0x2064).contains(v) || v == 0xFEFF || v == 0x180E
    }

    /// Organisation number: 9 digits, MOD11 with weights 3 2 7 6 5 4 3 2.
    public static func isValidOrgNumber(_ s: String) -> Bool {
        let digits = s.filter { $0 != " " }
        guard digits.count == 9, digits.allSatisfy(\.isASCIIDigit) else { return false }
        let d = digits.compactMap(\.wholeNumberValue)
        let weights = [3, 2, 7, 6, 5, 4, 3, 2]
        let r = zip(d.prefix(8), weights).map(*).reduce(0, +) % 11
        if r == 1 { return false }
        return (r == 0 ? 0 : 11 - r) == d[8]
    }

    /// Phone: `+47` and 8 digits starting 2–9 (spaces allowed), or a 5-digit number.
    public static func isValidPhone(_ s: String) -> Bool {
        // On bytes: Character-by-Character checks were most of decoding a record's contact fields.
        let compact = s.utf8.filter { $0 != 0x20 }
        func digits(_ b: ArraySlice<UInt8>) -> Bool { b.allSatisfy { $0 &- 0x30 < 10 } }
        if compact.starts(with: [0x2B, 0x34, 0x37]) {  // "+47"
            let rest = compact.dropFirst(3)
            return rest.count == 8 && digits(rest) && rest.first! >= 0x32
        }
        return compact.count == 5 && digits(compact[...])
    }

    /// A plain e-mail address: one `@`, a dot in the domain, no spaces.
    public static func isValidEmail(_ s: String) -> Bool {
        let b = Array(s.utf8)
        guard let at = b.firstIndex(of: 0x40), at > 0, b.lastIndex(of: 0x40) == at else { return false }
        let domain = b[(at + 1)...]
        guard domain.contains(0x2E), domain.first != 0x2E, domain.last != 0x2E else { return false }
        // Space, < > " newline : /
        return !b.contains { $0 == 0x20 || $0 == 0x3C || $0 == 0x3E || $0 == 0x22 || $0 == 0x0A || $0 == 0x3A || $0 == 0x2F }
    }

    /// What is wrong with a URL, nil when it is an https URL with a host.
    public enum URLProblem: Equatable {
        case insecure, forbiddenScheme(String), malformed
    }

    /// Checks that `s` is an `https:` URL with a host and no spaces.
    public static func urlProblem(_ s: String) -> URLProblem? {
        var trimmed = s.trimmingWhitespace()
        // The common case on bytes: ASCII that starts with https:// in any case. On ASCII the characters the rules
        // below look at are the bytes, so this decides exactly as they do, without building the lowercase prefix.
        let plainHTTPS = trimmed.withUTF8 { b -> Bool? in
            guard b.count >= 8, !b.contains(where: { $0 >= 0x80 }),
                  zip(b.prefix(8), "https://".utf8).allSatisfy({ ($0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0) == $1 }) else { return nil }
            let host = b[8...].prefix { $0 != 0x2F && $0 != 0x3F && $0 != 0x23 }  // up to / ? #
            return !host.isEmpty && host.contains(0x2E) && !b.contains { $0 == 0x20 || $0 == 0x3C || $0 == 0x22 }
        }
        if let plainHTTPS { return plainHTTPS ? nil : .malformed }
        // Only the scheme matters for the decision: look at the first bytes, without control characters or spaces.
        let lower = String(decoding: trimmed.utf8.prefix(64).filter { $0 > 0x20 && $0 != 0x7F }.map { $0 >= 0x41 && $0 <= 0x5A ? $0 + 32 : $0 }, as: UTF8.self)
        if lower.hasPrefix("https://") {
            let rest = trimmed.dropFirst(8)
            let host = rest.prefix { $0 != "/" && $0 != "?" && $0 != "#" }
            // Byte checks: `String.contains(String)` goes through Foundation and was a quarter of decoding a record.
            if host.isEmpty || !host.utf8.contains(0x2E) || trimmed.utf8.contains(where: { $0 == 0x20 || $0 == 0x3C || $0 == 0x22 }) { return .malformed }
            return nil
        }
        if lower.hasPrefix("http:") { return .insecure }
        if let colon = lower.firstIndex(of: ":") {
            let scheme = String(lower[..<colon])
            let schemeChars = Set("abcdefghijklmnopqrstuvwxyz0123456789+.-")
            if !scheme.isEmpty, scheme.allSatisfy({ schemeChars.contains($0) }) {
                return .forbiddenScheme(scheme)
            }
        }
        return .malformed
    }

    /// `s.lowercased()`, worked out directly for Norwegian titles: Latin-1, where every letter's lowercase is one
    /// letter (A–Z and À–Þ but ×, 32 code points on), and General Punctuation (dashes, quotes), which has no case.
    /// Other text goes to `lowercased()`, which looks each character's mapping up and takes far longer.
    public static func lowercased(_ s: String) -> String {
        var copy = s
        let direct = copy.withUTF8 { b -> String? in
            var out: [UInt8] = []
            out.reserveCapacity(b.count)
            var i = 0
            while i < b.count {
                let c = b[i]
                if c < 0x80 {  // ASCII
                    out.append(c >= 0x41 && c <= 0x5A ? c + 0x20 : c)
                    i += 1
                } else if c == 0xC2 || c == 0xC3 {  // U+0080–U+00FF; À–Þ but × are C3 80–9E but 97
                    let next = b[i + 1]
                    out.append(c)
                    out.append(c == 0xC3 && next <= 0x9E && next != 0x97 ? next + 0x20 : next)
                    i += 2
                } else if c == 0xE2 && (b[i + 1] == 0x80 || (b[i + 1] == 0x81 && b[i + 2] <= 0xAF)) {  // U+2000–U+206F
                    out.append(contentsOf: b[i..<(i + 3)])
                    i += 3
                } else {
                    return nil
                }
            }
            return String(decoding: out, as: UTF8.self)
        }
        return direct ?? s.lowercased()
    }

    /// True when the UTF-8 of `s` holds `byte`: with `memchr`, as every body is searched this way.
    public static func contains(_ byte: UInt8, in s: String) -> Bool {
        var copy = s
        return copy.withUTF8 { b in b.count > 0 && memchr(b.baseAddress!, Int32(byte), b.count) != nil }
    }

    /// Postnummer: exactly 4 digits.
    public static func isValidPostalCode(_ s: String) -> Bool {
        s.count == 4 && s.allSatisfy(\.isASCIIDigit)
    }

    /// Finds Norwegian national identity numbers (fødselsnummer, D-nummer, H-nummer) with valid check digits, as
    /// written and as they would be published: digits may be ASCII, full-width or numeric character references
    /// (`&#56;`), and runs of digits may be split by spaces of any kind, invisible characters, `-`, `.`, `/`, Markdown
    /// emphasis and code marks, table pipes, line ends, HTML comments and tags. Runs are joined only at their
    /// boundaries (`150385 10190`, `15.03.85 101 90`, `1503**85**10190`), and the identity-number rules (a valid
    /// date, both check digits) decide, so phone, org and date numbers next to each other are not taken for one.
    ///
    /// - Returns: the 1-based line and column (in Unicode scalars) of each match's first digit.
    public static func nationalIDPositions(in text: String) -> [(line: Int, column: Int)] {
        guard mayHoldNationalID(text) else { return [] }
        let u = Array(text.unicodeScalars)
        var positions = ScalarPositions(u)
        return Set(matchStarts(u[...])).sorted().map { positions.of($0) }
    }

    /// False only when `text` cannot hold a national identity number, in one pass over its UTF-8 and without
    /// allocating: every text of every record is scanned, and most hold dates, times and phone numbers (more than 11
    /// digits in all) but no 11 digits joined by separators alone. It counts the digits (ASCII and full-width) since
    /// the last scalar that ends a group in `matchStarts` (neither a digit nor an `isOneScalarSeparator`), and says
    /// true at the 11th; where a separator of more than one scalar or a digit reference may start (`<`, `&`), it says
    /// true and leaves the text to the full scan.
    static func mayHoldNationalID(_ text: String) -> Bool {
        var copy = text
        return copy.withUTF8 { bytes in
            asciiKind.withUnsafeBufferPointer { table in
                var digits = 0
                var i = 0
                while i < bytes.count {
                    let kind: ScalarKind
                    if bytes[i] < 0x80 {
                        // ASCII through a table made from the rules below (`asciiKind`); most of a text is ASCII.
                        kind = table[Int(bytes[i])]
                        i += 1
                    } else {
                        // Any other scalar, decoded by the standard library's parser.
                        var rest = bytes[i...].makeIterator()
                        var parser = Unicode.UTF8.ForwardParser()
                        guard case let .valid(encoded) = parser.parseScalar(from: &rest) else { return true }
                        let c = Unicode.UTF8.decode(encoded)
                        i += encoded.count
                        kind = c.value >= 0xFF10 && c.value <= 0xFF19 ? .digit : (isOneScalarSeparator(c) ? .separator : .other)
                    }
                    switch kind {
                    case .digit:
                        digits += 1
                        if digits >= 11 { return true }
                    case .opensMarkup:
                        return true
                    case .separator:
                        break
                    case .other:
                        digits = 0
                    }
                }
                return false
            }
        }
    }

    /// What the quick pass does with a scalar.
    enum ScalarKind: UInt8 { case other, digit, separator, opensMarkup }

    /// `mayHoldNationalID`'s kind of each ASCII scalar, made from the same rules as the rest: digits, `<` and `&`
    /// (where a separator of more than one scalar or a digit reference may start), and `isOneScalarSeparator`.
    static let asciiKind: [ScalarKind] = (0..<0x80).map { (v: UInt32) -> ScalarKind in
        let c = Unicode.Scalar(v)!
        if v >= 0x30 && v <= 0x39 { return .digit }
        if v == 0x3C || v == 0x26 { return .opensMarkup }
        return isOneScalarSeparator(c) ? .separator : .other
    }

    /// A separator of one scalar between two runs of digits (see `nationalIDPositions`): the ASCII ones Markdown and
    /// numbers are written with, the dashes, and spaces, format characters and line and paragraph separators of any kind.
    /// Shared by `matchStarts` and its quick pass, so the two cannot drift apart.
    static func isOneScalarSeparator(_ c: Unicode.Scalar) -> Bool {
        switch c {
        case " ", "\t", "\n", "\r", "-", ".", "/", "*", "_", "~", "`", "|", ">", "\\", "\u{2010}", "\u{2011}", "\u{2012}",
             "\u{2013}", "\u{2014}", "\u{2212}":
            return true
        default:
            // No other ASCII scalar is a space or a format character.
            guard !c.isASCII else { return false }
            // Below U+0180 (Latin-1 and Latin Extended-A: æ, ø, å and the other letters of Norwegian and Sami text,
            // scanned in every record) only U+00A0 NO-BREAK SPACE (Zs) and U+00AD SOFT HYPHEN (Cf) are; the
            // Unicode tables are read for the rest. (`NationalIDScanTests` checks this range against the tables.)
            if c.value < 0x180 { return c.value == 0xA0 || c.value == 0xAD }
            switch c.properties.generalCategory {
            case .spaceSeparator, .format, .lineSeparator, .paragraphSeparator: return true
            default: return false
            }
        }
    }

    /// The indexes in `u` of the first digit of each national identity number (see `nationalIDPositions`).
    ///
    /// A comment or tag between two runs is skipped as one separator; when it holds digits itself, it is scanned on
    /// its own as well, so a number inside `<!-- … -->` or a tag is found whether or not digits come before it.
    private static func matchStarts(_ u: ArraySlice<Unicode.Scalar>) -> [Int] {
        var found: [Int] = []
        /// Separators of more than one scalar that hold a digit, skipped while joining runs: scanned on their own.
        var hidden: [Range<Int>] = []
        /// The digit at `i` and the scalars it takes, nil when there is none.
        func digit(_ i: Int) -> (Int, Int)? {
            let v = u[i].value
            if v >= 0x30 && v <= 0x39 { return (Int(v - 0x30), 1) }
            if v >= 0xFF10 && v <= 0xFF19 { return (Int(v - 0xFF10), 1) }
            if v == 0x26, i + 3 < u.endIndex, u[i + 1] == "#" {  // &#56; or &#x38;
                var j = i + 2
                var hex = false
                if u[j] == "x" || u[j] == "X" { hex = true; j += 1 }
                var n: UInt32 = 0
                let start = j
                while j < u.endIndex, j - start < 8, let d = hexValue(u[j].value, hex: hex) { n = n * (hex ? 16 : 10) + d; j += 1 }
                guard j > start, j < u.endIndex, u[j] == ";" else { return nil }
                if n >= 0x30 && n <= 0x39 { return (Int(n - 0x30), j + 1 - i) }
                if n >= 0xFF10 && n <= 0xFF19 { return (Int(n - 0xFF10), j + 1 - i) }
            }
            return nil
        }
        func hexValue(_ v: UInt32, hex: Bool) -> UInt32? {
            if v >= 0x30 && v <= 0x39 { return v - 0x30 }
            if hex && v >= 0x61 && v <= 0x66 { return v - 0x61 + 10 }
            if hex && v >= 0x41 && v <= 0x46 { return v - 0x41 + 10 }
            return nil
        }
        /// How many scalars the separator at `i` takes (0 when there is none): one character, or a whole comment,
        /// tag or character reference that publishes as nothing or as a space.
        func separator(_ i: Int) -> Int {
            let c = u[i]
            switch c {
            case "<":
                if i + 3 < u.endIndex, u[i + 1] == "!", u[i + 2] == "-", u[i + 3] == "-" {
                    // `<!-->` and `<!--->` are whole (empty) comments to a browser, and no comment to cmark-gfm: either
                    // way the text after them is shown, so they must not hide it as the start of a longer comment.
                    if i + 4 < u.endIndex, u[i + 4] == ">" { return 5 }
                    if i + 5 < u.endIndex, u[i + 4] == "-", u[i + 5] == ">" { return 6 }
                    var j = i + 4
                    while j + 2 < u.endIndex, j - i < 400 {
                        if u[j] == "-", u[j + 1] == "-", u[j + 2] == ">" { return j + 3 - i }
                        j += 1
                    }
                    return 0
                }
                var j = i + 1
                while j < u.endIndex, j - i < 80, u[j] != ">", u[j] != "<", u[j] != "\n" { j += 1 }
                return j < u.endIndex && u[j] == ">" && j > i + 1 ? j + 1 - i : 0
            case "&":
                var j = i + 1
                while j < u.endIndex, j - i < 12, u[j] != ";", u[j].properties.isAlphabetic || u[j] == "#" || u[j].properties.numericType != nil { j += 1 }
                return j < u.endIndex && u[j] == ";" && j > i + 1 ? j + 1 - i : 0
            default:
                return isOneScalarSeparator(c) ? 1 : 0
            }
        }
        // A group: runs of digits joined by separators; each run keeps its digits and where it starts.
        var runs: [(digits: [Int], start: Int)] = []
        func closeGroup() {
            defer { runs.removeAll(keepingCapacity: true) }
            let total = runs.reduce(0) { $0 + $1.digits.count }
            guard total >= 11 else { return }
            for s in runs.indices {
                var digits: [Int] = []
                var k = s
                while k < runs.count, digits.count < 11 { digits += runs[k].digits; k += 1 }
                if digits.count == 11, isValidNationalID(digits) { found.append(runs[s].start) }
            }
        }
        var i = u.startIndex
        var inRun = false
        while i < u.endIndex {
            if let (d, width) = digit(i) {
                if inRun { runs[runs.count - 1].digits.append(d) } else { runs.append(([d], i)) }
                inRun = true
                i += width
                continue
            }
            inRun = false
            if !runs.isEmpty {
                // Separators between two digits: at most 12 of them (a comment or tag counts as one).
                var j = i, count = 0
                while j < u.endIndex, count <= 12, digit(j) == nil {
                    let w = separator(j)
                    if w == 0 { break }
                    if w > 1, u[j..<(j + w)].contains(where: { (0x30...0x39).contains($0.value) || (0xFF10...0xFF19).contains($0.value) }) {
                        hidden.append(j..<(j + w))
                    }
                    j += w
                    count += 1
                }
                if j < u.endIndex, count <= 12, digit(j) != nil { i = j; continue }
                closeGroup()
                i = max(j, i + 1)
                continue
            }
            i += 1
        }
        closeGroup()
        for range in hidden { found += matchStarts(u[range]) }
        return found
    }

    /// True for 11 digits that form a valid fødselsnummer, D-nummer or H-nummer (old and 2032 rules).
    public static func isValidNationalID(_ d: [Int]) -> Bool {
        guard d.count == 11 else { return false }
        var day = d[0] * 10 + d[1]
        var month = d[2] * 10 + d[3]
        if day > 40 { day -= 40 }          // D-nummer
        if month > 40 { month -= 40 }      // H-nummer
        guard (1...31).contains(day), (1...12).contains(month) else { return false }
        let w1 = [3, 7, 6, 1, 8, 9, 4, 5, 2]
        let w2 = [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]
        let s1 = zip(d.prefix(9), w1).map(*).reduce(0, +)
        let s2 = zip(d.prefix(10), w2).map(*).reduce(0, +)
        let k1 = (11 - s1 % 11) % 11
        let k2 = (11 - s2 % 11) % 11
        if k1 != 10, k2 != 10, k1 == d[9], k2 == d[10] { return true }
        // From 2032 the first control digit accepts remainders 0–3.
        let r1 = (s1 + d[9]) % 11
        let r2 = (s2 + d[10]) % 11
        return [0, 1, 2, 3].contains(r1) && r2 == 0
    }

    /// Levenshtein distance, for "did you mean".
    public static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a), b = Array(b)
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var prev = Array(0...b.count)
        var cur = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            cur[0] = i
            for j in 1...b.count {
                cur[j] = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
            }
            swap(&prev, &cur)
        }
        return prev[b.count]
    }

    /// The candidate closest to `word`, if close enough to be a likely typo.
    /// Only a word of up to `suggestionMaxLength` characters is compared, and only with candidates whose length
    /// is within the accepted distance of its own (the distance is at least the difference in length): a long
    /// value costs nothing, where a full comparison would cost its length × each candidate's.
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lower = word.lowercased()
        guard lower.count <= suggestionMaxLength else { return nil }
        var best: (String, Int)? = nil
        for c in candidates {
            if abs(lower.count - c.count) > acceptedDistance(lower.count, c.count) { continue }
            let d = editDistance(lower, c.lowercased())
            if d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        if let (c, d) = best, d <= acceptedDistance(lower.count, c.count) { return c }
        // Prefixes count too: "sov" → "sovn", "diab" → "diabetes".
        if lower.count >= 3, let p = candidates.first(where: { $0.hasPrefix(lower) || lower.hasPrefix($0) && $0.count >= 3 }) { return p }
        return nil
    }

    /// The longest word given a "did you mean": an id, a tag or a field name is far shorter.
    public static let suggestionMaxLength = 80

    /// How many edits still make a likely typo of a candidate.
    static func acceptedDistance(_ wordLength: Int, _ candidateLength: Int) -> Int {
        max(2, min(wordLength, candidateLength) / 3)
    }
}

/// The 1-based line and column (in Unicode scalars) of indexes into `scalars`, for scans that only move forward.
struct ScalarPositions {
    private let scalars: [Unicode.Scalar]
    private var line = 1, column = 1, at = 0

    init(_ scalars: [Unicode.Scalar]) { self.scalars = scalars }

    /// The line and column of `scalars[i]`; `i` is never before an index asked for earlier.
    mutating func of(_ i: Int) -> (Int, Int) {
        while at < i {
            if scalars[at] == "\n" { line += 1; column = 1 } else { column += 1 }
            at += 1
        }
        return (line, column)
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
