import Foundation

/// Norwegian-aware text normalisation shared by the index builder and the query engine.
///
/// `templates/assets/search.js` implements the same functions line for line; a change
/// here must be made there too (the relevance tests run both).
public enum SearchText {
    /// Longest token indexed or searched for, in code points.
    public static let maxTokenLength = 40

    /// Words left out of the index and of queries (folded forms): bokmål, nynorsk and English.
    public static let stopWords: [String] = [
        "a", "at", "av", "da", "de", "dei", "deg", "dem", "den", "denne", "der", "dere", "det", "du", "eg", "ei", "ein",
        "eit", "eller", "en", "er", "et", "for", "fra", "ha", "han", "har", "hun", "ho", "hva", "hvor", "i", "ikke", "ikkje",
        "jeg", "kan", "kor", "kva", "man", "med", "meg", "men", "mot", "nar", "og", "om", "oss", "pa", "sa", "seg", "sin",
        "sitt", "skal", "som", "til", "var", "vi", "vil", "ved", "vere", "vaere",
        "an", "and", "are", "as", "be", "by", "in", "is", "it", "of", "on", "or", "the", "to", "with", "you", "your",
    ]

    /// Lower case, accents removed, æ → ae, ø → o, å → a (so `søvn` = `sovn`, `kjærlighet` = `kjaerlighet`), `aa` → `a`.
    public static func fold(_ text: String) -> String {
        let decomposed = text.lowercased().decomposedStringWithCanonicalMapping
        var out = String.UnicodeScalarView()
        for u in decomposed.unicodeScalars {
            switch u.value {
            case 0x300...0x36F: continue
            case 0xE6: out.append("a"); out.append("e")  // æ
            case 0x153: out.append("o"); out.append("e")  // œ
            case 0xF8: out.append("o")  // ø
            case 0xDF: out.append("s"); out.append("s")  // ß
            case 0x111: out.append("d")  // đ
            case 0x14B: out.append("n")  // ŋ
            case 0x167: out.append("t")  // ŧ
            case 0x142: out.append("l")  // ł
            default: out.append(u)
            }
        }
        return String(out).replacingOccurrences(of: "aa", with: "a")
    }

    /// True for the scalars a token is made of: letters and digits (`[\p{L}\p{N}]`).
    @inline(__always)
    static func isWordScalar(_ u: Unicode.Scalar) -> Bool {
        if u.value < 0x80 {
            return (u.value >= 0x61 && u.value <= 0x7A) || (u.value >= 0x30 && u.value <= 0x39) || (u.value >= 0x41 && u.value <= 0x5A)
        }
        switch u.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
             .decimalNumber, .letterNumber, .otherNumber:
            return true
        default:
            return false
        }
    }

    /// The folded words of `text`, in order, before any stop-word or length filter.
    public static func words(_ text: String) -> [String] {
        var tokens: [String] = []
        var current = String.UnicodeScalarView()
        for u in fold(text).unicodeScalars {
            if isWordScalar(u) {
                current.append(u)
            } else if !current.isEmpty {
                tokens.append(String(current))
                current = String.UnicodeScalarView()
            }
        }
        if !current.isEmpty { tokens.append(String(current)) }
        return tokens
    }

    private static let stopSet = Set(stopWords)

    /// True when `word` (folded) is a stop word.
    public static func isStopWord(_ word: String) -> Bool { stopSet.contains(word) }

    /// The index terms of `text`: folded, stemmed, without stop words and tokens shorter than 2 or longer than 40 code points.
    public static func terms(_ text: String) -> [String] {
        words(text).compactMap { w in
            let n = w.unicodeScalars.count
            guard n >= 2, n <= maxTokenLength, !stopSet.contains(w) else { return nil }
            return stem(w)
        }
    }

    /// A light stemmer for bokmål and nynorsk (after Lucene's NorwegianLightStemmer, both variants at once, no `-n` rule).
    /// Only words of the letters a–z are stemmed; the result is always a prefix of the word.
    public static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard let n = stemLength(&bytes) else { return word }
        return String(decoding: bytes[0..<n], as: UTF8.self)
    }

    /// The stem's length in bytes of the a–z word in `s`, or nil when the word is not stemmed (not a–z, or 3 letters or fewer).
    static func stemLength(_ s: inout [UInt8]) -> Int? {
        guard s.count > 3 else { return nil }
        for b in s where b < 0x61 || b > 0x7A { return nil }
        var n = s.count
        func ends(_ suffix: StaticString) -> Bool {
            let k = suffix.utf8CodeUnitCount
            guard n >= k else { return false }
            let p = suffix.utf8Start
            for i in 0..<k where s[n - k + i] != p[i] { return false }
            return true
        }
        // Genitive and plural -s (bilens → bilen), not -ss (stress).
        if n > 4, s[n - 1] == 0x73, s[n - 2] != 0x73 { n -= 1 }
        if n > 7, ends("heter") || ends("heten") || ends("heita") { return n - 5 }
        if n > 8, ends("heiter") || ends("leiken") || ends("leikar") { return n - 6 }
        if n > 5, ends("dom") || ends("het") { return n - 3 }
        if n > 6, ends("heit") || ends("semd") || ends("leik") { return n - 4 }
        if n > 7, ends("elser") || ends("elsen") { return n - 5 }
        if n > 6, ends("ende") || ends("ande") || ends("else") || ends("este") || ends("aste") || ends("eren") || ends("aren") { return n - 4 }
        if n > 5, ends("ere") || ends("are") || ends("est") || ends("ast") || ends("ene") || ends("ane") { return n - 3 }
        if n > 4, ends("er") || ends("en") || ends("et") || ends("ar") || ends("st") || ends("te") { return n - 2 }
        if n > 3, s[n - 1] == 0x61 || s[n - 1] == 0x65 { return n - 1 }  // -a, -e
        return n
    }

    /// Optimal string alignment distance between `a` and `b`, or `limit + 1` when it is larger than `limit`.
    public static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int = 1) -> Int {
        let n = a.count, m = b.count
        if abs(n - m) > limit { return limit + 1 }
        if n == 0 || m == 0 { return max(n, m) }
        var prev2 = [Int](repeating: 0, count: m + 1)
        var prev = Array(0...m)
        var cur = [Int](repeating: 0, count: m + 1)
        for i in 1...n {
            cur[0] = i
            var rowMin = cur[0]
            for j in 1...m {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var v = min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] { v = min(v, prev2[j - 2] + 1) }
                cur[j] = v
                rowMin = min(rowMin, v)
            }
            if rowMin > limit { return limit + 1 }
            (prev2, prev, cur) = (prev, cur, prev2)
        }
        return min(prev[m], limit + 1)
    }
}

extension String {
    /// Compares like JavaScript's `<` on strings: by UTF-16 code units.
    @inline(__always)
    static func utf16Less(_ a: String, _ b: String) -> Bool {
        var i = a.utf16.makeIterator(), j = b.utf16.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case let (x?, y?): if x != y { return x < y }
            case (nil, _?): return true
            case (_, nil): return false
            }
        }
    }
}

/// `SearchText.terms` for many texts, fast: folds scalar by scalar (a table for Latin letters, computed with
/// `SearchText.fold` itself), falls back to `SearchText.words` for other scripts, and numbers each distinct term.
/// Gives exactly what `SearchText.terms` gives. Not thread-safe: one per thread.
final class TermTokenizer {
    /// Folded forms of U+0080 … U+024F (Latin-1 Supplement, Latin Extended-A and -B).
    private static let latin: [[Unicode.Scalar]] = (0x80...0x24F).map { v in
        guard let u = Unicode.Scalar(v) else { return [] }
        return Array(SearchText.fold(String(Character(u))).unicodeScalars)
    }

    /// Terms by number.
    private(set) var names: [String] = []
    private var numbers: [String: Int] = [:]
    /// Folded word → term number, or -1 for a word that is no term (stop word, too short or long).
    private var cache: [String: Int] = [:]
    private var word: [UInt8] = []
    private var out: [Int] = []

    /// The index terms of `text`, in order.
    func terms(_ text: String) -> [String] {
        ids(text).map { names[$0] }
    }

    /// The number of `term`, numbering it if new.
    func number(_ term: String) -> Int {
        if let n = numbers[term] { return n }
        numbers[term] = names.count
        names.append(term)
        return names.count - 1
    }

    /// The numbers of the index terms of `text`, in order.
    func ids(_ text: String) -> [Int] {
        out.removeAll(keepingCapacity: true)
        word.removeAll(keepingCapacity: true)
        for u in text.unicodeScalars {
            let v = u.value
            if v < 0x80 {
                if v >= 0x61 && v <= 0x7A || v >= 0x30 && v <= 0x39 {
                    word.append(UInt8(v))
                } else if v >= 0x41 && v <= 0x5A {
                    word.append(UInt8(v + 0x20))
                } else {
                    flush()
                }
            } else if v >= 0x300 && v <= 0x36F {
                continue
            } else if v <= 0x24F {
                for f in Self.latin[Int(v) - 0x80] {
                    if SearchText.isWordScalar(f) {
                        if f.value < 0x80 { word.append(UInt8(f.value)) } else { word.append(contentsOf: String(f).utf8) }
                    } else {
                        flush()
                    }
                }
            } else if !SearchText.isWordScalar(u), !Self.isMark(u) {
                flush()
            } else {
                // Another script, or a mark outside U+0300…U+036F: the reference path, for the whole text.
                word.removeAll(keepingCapacity: true)
                return SearchText.terms(text).map { number($0) }
            }
        }
        flush()
        return out
    }

    private static func isMark(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    private func flush() {
        guard !word.isEmpty else { return }
        defer { word.removeAll(keepingCapacity: true) }
        // aa → a, left to right, as String.replacingOccurrences does.
        var folded: [UInt8] = []
        folded.reserveCapacity(word.count)
        var i = 0
        while i < word.count {
            folded.append(word[i])
            i += (word[i] == 0x61 && i + 1 < word.count && word[i + 1] == 0x61) ? 2 : 1
        }
        let key = String(decoding: folded, as: UTF8.self)
        if let n = cache[key] {
            if n >= 0 { out.append(n) }
            return
        }
        let points = folded.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        var n = -1
        if points >= 2, points <= SearchText.maxTokenLength, !SearchText.isStopWord(key) {
            if let k = SearchText.stemLength(&folded) { n = number(String(decoding: folded[0..<k], as: UTF8.self)) } else { n = number(key) }
        }
        cache[key] = n
        if n >= 0 { out.append(n) }
    }
}
