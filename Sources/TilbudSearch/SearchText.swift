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
    /// Only words of the letters a–z are stemmed; the result is always a prefix of the word, and never shorter than
    /// `minStemLength` letters (Lucene's rules would cut `demens` to `dem` and `angst` to `ang`, which then match as
    /// prefixes of unrelated words).
    public static func stem(_ word: String) -> String {
        var bytes = Array(word.utf8)
        guard let n = stemLength(&bytes) else { return word }
        return String(decoding: bytes[0..<n], as: UTF8.self)
    }

    /// The fewest letters a suffix rule leaves of a word.
    public static let minStemLength = 4

    /// The stem's length in bytes of the a–z word in `s`, or nil when the word is not stemmed (not a–z, or 3 letters or fewer).
    /// Each rule applies only when it leaves at least `minStemLength` letters (the guards are the rule's length + 3).
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
        if n > 8, ends("heter") || ends("heten") || ends("heita") { return n - 5 }
        if n > 9, ends("heiter") || ends("leiken") || ends("leikar") { return n - 6 }
        if n > 6, ends("dom") || ends("het") { return n - 3 }
        if n > 7, ends("heit") || ends("semd") || ends("leik") { return n - 4 }
        if n > 8, ends("elser") || ends("elsen") { return n - 5 }
        if n > 7, ends("ende") || ends("ande") || ends("else") || ends("este") || ends("aste") || ends("eren") || ends("aren") { return n - 4 }
        if n > 6, ends("ere") || ends("are") || ends("est") || ends("ast") || ends("ene") || ends("ane") { return n - 3 }
        if n > 5, ends("er") || ends("en") || ends("et") || ends("ar") || ends("st") || ends("te") { return n - 2 }
        if n > 4, s[n - 1] == 0x61 || s[n - 1] == 0x65 { return n - 1 }  // -a, -e
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
    ///
    /// Compares the UTF-8 bytes, which order as code points do; code point order is UTF-16 order except between a
    /// character of U+E000…U+FFFF (lead byte EE or EF) and one above U+FFFF (lead byte F0…F4, a surrogate pair in
    /// UTF-16, which sorts below it). Where the first difference is between two such lead bytes, the order is turned.
    @inline(__always)
    static func utf16Less(_ a: String, _ b: String) -> Bool {
        if let less = a.utf8.withContiguousStorageIfAvailable({ x in b.utf8.withContiguousStorageIfAvailable { y in utf8Less(x, y) } }),
           let less {
            return less
        }
        var i = a.utf16.makeIterator(), j = b.utf16.makeIterator()
        while true {
            switch (i.next(), j.next()) {
            case let (x?, y?): if x != y { return x < y }
            case (nil, _?): return true
            case (_, nil): return false
            }
        }
    }

    /// `utf16Less` on the UTF-8 of two strings.
    @inline(__always)
    private static func utf8Less(_ a: UnsafeBufferPointer<UInt8>, _ b: UnsafeBufferPointer<UInt8>) -> Bool {
        let n = Swift.min(a.count, b.count)
        var k = 0
        while k < n, a[k] == b[k] { k += 1 }
        if k == n { return a.count < b.count }
        let x = a[k], y = b[k]
        if x >= 0xEE, y >= 0xEE, (x >= 0xF0) != (y >= 0xF0) { return x >= 0xF0 }
        return x < y
    }
}

/// `SearchText.terms` for many texts, fast: reads the UTF-8 bytes, folds Latin letters with a table (computed with
/// `SearchText.fold` itself), falls back to `SearchText.terms` for a text in another script, and remembers what each
/// distinct folded word became in a hash table of bytes, so a word seen before costs a hash and a compare.
/// Gives exactly what `SearchText.terms` gives, with each distinct term numbered. Not thread-safe: one per thread.
final class TermTokenizer {
    /// Terms by number.
    private(set) var names: [String] = []
    private var numbers: [String: Int32] = [:]
    private var state = WordTable()
    private var scratch: [Int32] = []

    deinit { state.free() }

    /// The index terms of `text`, in order.
    func terms(_ text: String) -> [String] {
        ids(text, into: &scratch)
        return scratch.map { names[Int($0)] }
    }

    /// The number of `term`, numbering it if new.
    func number(_ term: String) -> Int32 {
        if let n = numbers[term] { return n }
        let n = Int32(names.count)
        numbers[term] = n
        names.append(term)
        return n
    }

    /// Replaces `out` with the numbers of the index terms of `text`, in order.
    func ids(_ text: String, into out: inout [Int32]) {
        out.removeAll(keepingCapacity: true)
        var text = text
        var table = state
        let done = text.withUTF8 { scan($0, &table, &out) }
        table.startWord()  // a text given up on leaves its word behind
        state = table
        if !done {
            // Another script, or a mark outside U+0300…U+036F: the reference path, for the whole text.
            out.removeAll(keepingCapacity: true)
            for t in SearchText.terms(text) { out.append(number(t)) }
        }
    }

    /// Folded bytes of U+0080 … U+024F (Latin-1 Supplement, Latin Extended-A and -B): for each scalar, the UTF-8 of
    /// its folded form, with 0 for a folded scalar that is no word scalar (a word break).
    private static let latin: (bytes: UnsafeMutablePointer<UInt8>, starts: UnsafeMutablePointer<Int32>) = {
        var bytes: [UInt8] = [], starts: [Int32] = []
        for v in 0x80...0x24F {
            starts.append(Int32(bytes.count))
            guard let u = Unicode.Scalar(v) else { continue }
            for f in SearchText.fold(String(Character(u))).unicodeScalars {
                if SearchText.isWordScalar(f) { bytes += Array(String(f).utf8) } else { bytes.append(0) }
            }
        }
        starts.append(Int32(bytes.count))
        let b = UnsafeMutablePointer<UInt8>.allocate(capacity: bytes.count)
        b.initialize(from: bytes, count: bytes.count)
        let s = UnsafeMutablePointer<Int32>.allocate(capacity: starts.count)
        s.initialize(from: starts, count: starts.count)
        return (b, s)
    }()

    /// Appends the term numbers of the UTF-8 text `bytes` to `out`; false when the text needs the reference path.
    private func scan(_ bytes: UnsafeBufferPointer<UInt8>, _ t: inout WordTable, _ out: inout [Int32]) -> Bool {
        let latin = Self.latin
        let n = bytes.count
        var i = 0
        while i < n {
            let b = bytes[i]
            if b < 0x80 {
                if b &- 0x61 < 26 || b &- 0x30 < 10 {
                    t.append(b)
                } else if b &- 0x41 < 26 {
                    t.append(b | 0x20)
                } else if t.wordLength > 0 {
                    flush(&t, &out)
                }
                i += 1
                continue
            }
            // A multi-byte scalar (the text is valid UTF-8).
            var v: UInt32
            let k: Int
            if b < 0xE0 {
                v = UInt32(b & 0x1F) << 6 | UInt32(bytes[i + 1] & 0x3F)
                k = 2
            } else if b < 0xF0 {
                v = UInt32(b & 0x0F) << 12 | UInt32(bytes[i + 1] & 0x3F) << 6 | UInt32(bytes[i + 2] & 0x3F)
                k = 3
            } else {
                v = UInt32(b & 0x07) << 18 | UInt32(bytes[i + 1] & 0x3F) << 12 | UInt32(bytes[i + 2] & 0x3F) << 6 | UInt32(bytes[i + 3] & 0x3F)
                k = 4
            }
            i += k
            if v >= 0x300 && v <= 0x36F { continue }
            if v <= 0x24F {
                let from = Int(latin.starts[Int(v) - 0x80]), to = Int(latin.starts[Int(v) - 0x7F])
                for j in from..<to {
                    let f = latin.bytes[j]
                    if f != 0 { t.append(f) } else if t.wordLength > 0 { flush(&t, &out) }
                }
                continue
            }
            let u = Unicode.Scalar(v)!
            if SearchText.isWordScalar(u) || Self.isMark(u) { return false }
            if t.wordLength > 0 { flush(&t, &out) }
        }
        if t.wordLength > 0 { flush(&t, &out) }
        return true
    }

    private static func isMark(_ u: Unicode.Scalar) -> Bool {
        switch u.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: return true
        default: return false
        }
    }

    /// Ends the word in `t`'s buffer (`aa` already folded): appends its term number (looked up, or worked out once).
    @inline(__always)
    private func flush(_ t: inout WordTable, _ out: inout [Int32]) {
        let n = t.wordLength
        let value = t.find(n) ?? learn(&t, n)
        t.startWord()
        if value >= 0 { out.append(value) }
    }

    /// What the folded word of `n` bytes in `t`'s buffer becomes: a term number, or -1 for no term (a stop word,
    /// shorter than 2 or longer than 40 code points). Remembered in `t`.
    private func learn(_ t: inout WordTable, _ n: Int) -> Int32 {
        var folded = Array(UnsafeBufferPointer(start: t.word, count: n))
        let key = String(decoding: folded, as: UTF8.self)
        let points = folded.reduce(0) { $0 + ($1 & 0xC0 == 0x80 ? 0 : 1) }
        var value: Int32 = -1
        if points >= 2, points <= SearchText.maxTokenLength, !SearchText.isStopWord(key) {
            if let k = SearchText.stemLength(&folded) { value = number(String(decoding: folded[0..<k], as: UTF8.self)) } else { value = number(key) }
        }
        t.insert(n, value)
        return value
    }
}

/// The tokenizer's word buffer and its table of folded words (open addressing over bytes kept in an arena), in
/// memory it manages itself so the scanning loop does no bounds, uniqueness or exclusivity checks. Copied in and
/// out of `TermTokenizer` around each text (it is only pointers and counts), freed by `free()`.
struct WordTable {
    /// The word being read, with `aa` already folded to `a`, and the hash of its bytes.
    var word: UnsafeMutablePointer<UInt8>
    var wordLength = 0
    var wordCapacity = 64
    private var wordHash = WordTable.seed
    /// True when the last byte is an `a` that has not been folded with one before it.
    private var lonelyA = false
    private static let seed: UInt32 = 0x811C_9DC5
    /// Slots: hash, arena offset (-1 when empty), length and value of a word.
    private var hashes: UnsafeMutablePointer<UInt32>
    private var offsets: UnsafeMutablePointer<Int32>
    private var lengths: UnsafeMutablePointer<Int32>
    private var values: UnsafeMutablePointer<Int32>
    private var mask = 1023
    private var count = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCount = 0
    private var arenaCapacity = 1 << 14

    init() {
        word = .allocate(capacity: wordCapacity)
        hashes = .allocate(capacity: mask + 1)
        offsets = .allocate(capacity: mask + 1)
        offsets.initialize(repeating: -1, count: mask + 1)
        lengths = .allocate(capacity: mask + 1)
        values = .allocate(capacity: mask + 1)
        arena = .allocate(capacity: arenaCapacity)
    }

    func free() {
        word.deallocate()
        hashes.deallocate()
        offsets.deallocate()
        lengths.deallocate()
        values.deallocate()
        arena.deallocate()
    }

    /// Appends a byte of the folded word, folding `aa` to `a` left to right (as `String.replacingOccurrences` does).
    @inline(__always)
    mutating func append(_ b: UInt8) {
        if b == 0x61 {
            if lonelyA {
                lonelyA = false
                return
            }
            lonelyA = true
        } else {
            lonelyA = false
        }
        if wordLength == wordCapacity { growWord() }
        word[wordLength] = b
        wordLength += 1
        wordHash = (wordHash ^ UInt32(b)) &* 0x0100_0193
    }

    @inline(__always)
    mutating func startWord() {
        wordLength = 0
        wordHash = Self.seed
        lonelyA = false
    }

    private mutating func growWord() {
        let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: wordCapacity * 2)
        bigger.update(from: word, count: wordLength)
        word.deallocate()
        word = bigger
        wordCapacity *= 2
    }

    /// The value of the first `n` bytes of the word, when known.
    @inline(__always)
    func find(_ n: Int) -> Int32? {
        let h = wordHash
        var slot = Int(h) & mask
        while true {
            let o = offsets[slot]
            if o < 0 { return nil }
            if hashes[slot] == h, Int(lengths[slot]) == n {
                let a = arena + Int(o)
                var i = 0
                while i < n, a[i] == word[i] { i += 1 }
                if i == n { return values[slot] }
            }
            slot = (slot + 1) & mask
        }
    }

    /// Remembers `value` for the first `n` bytes of the word.
    mutating func insert(_ n: Int, _ value: Int32) {
        if (count + 1) * 2 > mask + 1 { grow() }
        if arenaCount + n > arenaCapacity {
            while arenaCount + n > arenaCapacity { arenaCapacity *= 2 }
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: arenaCapacity)
            bigger.update(from: arena, count: arenaCount)
            arena.deallocate()
            arena = bigger
        }
        (arena + arenaCount).update(from: word, count: n)
        let h = wordHash
        var slot = Int(h) & mask
        while offsets[slot] >= 0 { slot = (slot + 1) & mask }
        hashes[slot] = h
        offsets[slot] = Int32(arenaCount)
        lengths[slot] = Int32(n)
        values[slot] = value
        arenaCount += n
        count += 1
    }

    private mutating func grow() {
        let oldMask = mask
        let (oh, oo, ol, ov) = (hashes, offsets, lengths, values)
        mask = (mask + 1) * 2 - 1
        hashes = .allocate(capacity: mask + 1)
        offsets = .allocate(capacity: mask + 1)
        offsets.initialize(repeating: -1, count: mask + 1)
        lengths = .allocate(capacity: mask + 1)
        values = .allocate(capacity: mask + 1)
        for s in 0...oldMask where oo[s] >= 0 {
            var slot = Int(oh[s]) & mask
            while offsets[slot] >= 0 { slot = (slot + 1) & mask }
            hashes[slot] = oh[s]
            offsets[slot] = oo[s]
            lengths[slot] = ol[s]
            values[slot] = ov[s]
        }
        oh.deallocate()
        oo.deallocate()
        ol.deallocate()
        ov.deallocate()
    }
}
