import Foundation

/// Format checks for Norwegian identifiers, contact data and URLs. Pure functions.
public enum Checks {
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

    /// The check digit that makes `eight` a valid organisation number, nil when none does.
    public static func orgNumberCheckDigit(_ eight: [Int]) -> Int? {
        let r = zip(eight, [3, 2, 7, 6, 5, 4, 3, 2]).map(*).reduce(0, +) % 11
        return r == 1 ? nil : (r == 0 ? 0 : 11 - r)
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

    /// Phone in E.164 (`+4723000000`), or the 5-digit number as is.
    public static func e164(_ phone: String) -> String {
        phone.filter { $0 != " " }
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

    /// Finds Norwegian national identity numbers (fødselsnummer, D-nummer, H-nummer) with valid check digits.
    ///
    /// - Returns: the 1-based line and column (in Unicode scalars) of each match's first digit.
    public static func nationalIDPositions(in text: String) -> [(line: Int, column: Int)] {
        var copy = text
        return copy.withUTF8 { b -> [(Int, Int)] in
            // Fast exit: fewer than 11 digits cannot hold a number.
            var digitCount = 0
            for x in b where x &- 0x30 < 10 { digitCount += 1; if digitCount >= 11 { break } }
            guard digitCount >= 11 else { return [] }
            var found: [(Int, Int)] = []
            var line = 1, column = 1
            var i = 0
            func isDigit(_ k: Int) -> Bool { k >= 0 && k < b.count && b[k] &- 0x30 < 10 }
            while i < b.count {
                let c = b[i]
                if c == 0x0A { line += 1; column = 1; i += 1; continue }
                if isDigit(i) && !isDigit(i - 1) {
                    var j = i
                    var digits: [Int] = []
                    digits.reserveCapacity(12)
                    while digits.count < 12 {
                        if isDigit(j) { digits.append(Int(b[j] - 0x30)); j += 1 }
                        else if digits.count == 6 && j < b.count && b[j] == 0x20 && isDigit(j + 1) { j += 1 }
                        else { break }
                    }
                    if digits.count == 11, !isDigit(j), isValidNationalID(digits) { found.append((line, column)) }
                    column += j - i  // digits and spaces are one byte each
                    i = j
                    continue
                }
                if c & 0xC0 != 0x80 { column += 1 }
                i += 1
            }
            return found
        }
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
    public static func suggestion(for word: String, among candidates: [String]) -> String? {
        let lower = word.lowercased()
        var best: (String, Int)? = nil
        for c in candidates {
            let d = editDistance(lower, c.lowercased())
            if d < (best?.1 ?? Int.max) { best = (c, d) }
        }
        guard let (c, d) = best else { return nil }
        let floor = max(2, min(lower.count, c.count) / 3)
        if d <= floor { return c }
        // Prefixes count too: "sov" → "sovn", "diab" → "diabetes".
        if lower.count >= 3, let p = candidates.first(where: { $0.hasPrefix(lower) || lower.hasPrefix($0) && $0.count >= 3 }) { return p }
        return nil
    }
}

extension Character {
    var isASCIIDigit: Bool { asciiValue.map { $0 >= 48 && $0 <= 57 } ?? false }
}
