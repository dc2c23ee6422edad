import Foundation
import TilbudDeflate

/// The query side of the index, reading the files `SearchFiles` writes: the same algorithm as
/// `templates/assets/search.js`, step for step, so the relevance tests in Swift test what the browser does.
///
/// 1. The query is folded and split into words; stop words, words under 2 and over 40 code points and repeats are dropped.
/// 2. Each word `f` with stem `s` matches index terms `t`: `t == s` or `t == f` (quality 4); `t` starts with `s` when
///    `f` has 3 or more code points (prefix, 3); one edit (OSA distance) from `s` or `f` when `f` has 5 or more and
///    `t` shares its first two (typo, 2), unless `s` or `f` is in the texts itself. Only the shards holding that range of terms
///    are loaded. A word of 8 or more is also read as a compound against the index's own terms (`compoundScores`): its score in a
///    document is the better of the word's and a third of its two parts' together. A word of 5 or more that matches
///    nothing either way is tried with a typo in its first two letters (`typoRanges`), loading those shards.
/// 3. A matched term gives each document quality × (posting weight + weights of the facet values it names that the
///    document has); a word's score in a document is the best over its terms.
/// 4. A document's score is the sum over words of round(100 · ln(1 + N / documents matching the word)) × word score.
///    Every word must match; when no document has them all, documents matching any word are ranked by how many they match.
/// 5. Ties go to list order (next start first). Facet filters: OR within a facet, AND across facets; a national offer
///    counts under every municipality. A facet's counts are over the results filtered by every other facet.
public final class SearchEngine {
    /// What `manifest.json` holds.
    public struct Manifest: Sendable {
        public let version: Int
        public let language: String
        public let base: String
        public let compressed: Bool
        public let count: Int
        public let dir: String
        public let chunk: Int
        public let shards: [String]
        public let stop: Set<String>
        public let facets: [SearchFacet]
    }

    /// A query word.
    public struct Token: Sendable, Equatable {
        /// Folded word.
        public let folded: String
        /// Its stem.
        public let stem: String
        /// Length in code points.
        public let length: Int
        /// False for a part of a compound: matched exactly or as a prefix, never with a typo.
        public let typo: Bool

        init(_ folded: String, typo: Bool = true) {
            self.folded = folded
            stem = SearchText.stem(folded)
            length = folded.unicodeScalars.count
            self.typo = typo
        }
    }

    /// The outcome of a query.
    public struct Result: Sendable {
        /// Document numbers, best first, after the facet filters.
        public let documents: [Int]
        /// Per facet, per value: how many results it would have (see the type's documentation).
        public let counts: [[Int]]
        /// The words searched for.
        public let tokens: [Token]
        /// True when no document matched every word and the results match some of them.
        public let partial: Bool
    }

    public let manifest: Manifest
    private let load: (String) throws -> Data
    private var facetValues: [[[Int]]] = []
    private var national: [Bool] = []
    private var byValue: [[[Int]]] = []
    private var shards: [Int: [(term: String, entry: SearchTerm)]] = [:]
    private var chunks: [Int: [SearchDocument]] = [:]

    /// Problems reading the files.
    public struct FormatError: Error, CustomStringConvertible {
        public let description: String
    }

    /// Opens the index whose files `load` returns by path relative to the index folder (`manifest.json`, `<dir>t0.bin`).
    public init(load: @escaping (String) throws -> Data) throws {
        self.load = load
        manifest = try Self.parseManifest(load(SearchFiles.manifestName), meta: load)
        try readFacets()
    }

    /// Opens the index in `folder` (e.g. `public/sok/indeks/`).
    public convenience init(folder: URL) throws {
        try self.init { try Data(contentsOf: folder.appendingPathComponent($0)) }
    }

    private func file(_ name: String) throws -> Data {
        let raw = try load(manifest.dir + name)
        guard manifest.compressed else { return raw }
        guard let data = Deflate.decompress(raw) else { throw FormatError(description: "\(name) does not inflate") }
        return data
    }

    static func parseManifest(_ data: Data, meta load: (String) throws -> Data) throws -> Manifest {
        guard let o = try JSONSerialization.jsonObject(with: data) as? [String: Any],
              let v = o["v"] as? Int, let lang = o["lang"] as? String, let base = o["base"] as? String, let z = o["z"] as? Int,
              let dir = o["dir"] as? String else {
            throw FormatError(description: "manifest.json is not a search manifest")
        }
        var metaData = try load(dir + "m.bin")
        if z == 1 {
            guard let inflated = Deflate.decompress(metaData) else { throw FormatError(description: "m.bin does not inflate") }
            metaData = inflated
        }
        guard let m = try JSONSerialization.jsonObject(with: metaData) as? [String: Any],
              let n = m["n"] as? Int, let chunk = m["chunk"] as? Int, let shards = m["shards"] as? [String],
              let stop = m["stop"] as? [String], let facets = m["facets"] as? [[String: Any]] else {
            throw FormatError(description: "m.bin is not search metadata")
        }
        let parsed = try facets.map { f -> SearchFacet in
            guard let key = f["key"] as? String, let label = f["label"] as? String, let values = f["values"] as? [[String]] else {
                throw FormatError(description: "m.bin has a bad facet")
            }
            return SearchFacet(key: key, label: label, values: values.map { (id: $0[0], label: $0[1]) })
        }
        return Manifest(version: v, language: lang, base: base, compressed: z == 1, count: n, dir: dir, chunk: chunk, shards: shards,
                        stop: Set(stop), facets: parsed)
    }

    private func readFacets() throws {
        var r = VarintReader(try file("f.bin"))
        let n = try r.get(), f = try r.get()
        guard n == manifest.count, f == manifest.facets.count else { throw FormatError(description: "f.bin does not match the manifest") }
        facetValues = []
        byValue = []
        for facet in 0..<f {
            var column: [[Int]] = []
            column.reserveCapacity(n)
            var lists = [[Int]](repeating: [], count: manifest.facets[facet].values.count)
            for d in 0..<n {
                let k = try r.get()
                var values: [Int] = []
                for _ in 0..<k {
                    let v = try r.get()
                    values.append(v)
                    if v < lists.count { lists[v].append(d) }
                }
                column.append(values)
            }
            facetValues.append(column)
            byValue.append(lists)
        }
        national = try (0..<n).map { _ in try r.get() == 1 }
    }

    // MARK: shards

    /// Shard numbers that may hold terms in `lo ..< hi`.
    func shardsFor(lo: String, hi: String) -> [Int] {
        let s = manifest.shards
        return s.indices.filter { i in
            String.utf16Less(s[i], hi) && (i == s.count - 1 || String.utf16Less(lo, s[i + 1]))
        }
    }

    /// Every term of every shard, with the shard it is in (for tests).
    func allTerms() throws -> [(term: String, shard: Int, entry: SearchTerm)] {
        try manifest.shards.indices.flatMap { i in try shard(i).map { ($0.term, i, $0.entry) } }
    }

    func shard(_ i: Int) throws -> [(term: String, entry: SearchTerm)] {
        if let s = shards[i] { return s }
        var r = VarintReader(try file("t\(i).bin"))
        let count = try r.get()
        var out: [(String, SearchTerm)] = []
        out.reserveCapacity(count)
        var previous: [UInt8] = []
        for _ in 0..<count {
            let shared = try r.get(), length = try r.get()
            guard shared <= previous.count else { throw FormatError(description: "t\(i).bin is damaged") }
            let bytes = Array(previous[0..<shared]) + Array(try r.take(length))
            previous = bytes
            var t = SearchTerm()
            let p = try r.get()
            var doc = 0
            for _ in 0..<p {
                let x = try r.get()
                doc += x >> 4
                t.postings.append((doc, x & 15))
            }
            let refs = try r.get()
            for _ in 0..<refs {
                let f = try r.get(), v = try r.get(), w = try r.get()
                t.refs.append((f, v, w))
            }
            out.append((String(decoding: bytes, as: UTF8.self), t))
        }
        shards[i] = out
        return out
    }

    // MARK: query

    /// The words of `text` the engine searches for.
    public func tokens(_ text: String) -> [Token] {
        var seen = Set<String>()
        var out: [Token] = []
        for w in SearchText.words(text) {
            let n = w.unicodeScalars.count
            if n < 2 || n > SearchText.maxTokenLength || manifest.stop.contains(w) || seen.contains(w) { continue }
            seen.insert(w)
            out.append(Token(w))
        }
        return out
    }

    /// The term range a token needs: its first two code points when typos are allowed, else its stem as a prefix
    /// (3 or more code points) or exactly.
    static func range(_ t: Token) -> (lo: String, hi: String) {
        if t.typo, t.length >= 5 {
            let p = String(String.UnicodeScalarView(t.folded.unicodeScalars.prefix(2)))
            return (p, p + "\u{FFFF}")
        }
        if t.length >= 3 { return (t.stem, t.stem + "\u{FFFF}") }
        return (t.stem, t.stem + "\u{0}")
    }

    /// How well index term `t` matches token `k`: 4 exact, 3 prefix, 2 one typo, 0 not at all.
    static func quality(_ k: Token, _ t: String) -> Int {
        // Code unit comparisons, as in JavaScript (Swift's == would also equate canonically equivalent strings).
        if t.utf16.elementsEqual(k.stem.utf16) || t.utf16.elementsEqual(k.folded.utf16) { return 4 }
        if k.length >= 3, t.utf16.starts(with: k.stem.utf16) { return 3 }
        if k.typo, k.length >= 5 {
            let ts = Array(t.unicodeScalars)
            if SearchText.distance(Array(k.stem.unicodeScalars), ts) <= 1 || SearchText.distance(Array(k.folded.unicodeScalars), ts) <= 1 {
                return 2
            }
        }
        return 0
    }

    /// Where a typo in the first two letters of a token of 5 or more can lead: terms with the same first letter, with
    /// the first two swapped, and starting with the second and third (a letter too many in front). (A wrong or missing
    /// first letter would need every shard.)
    static func typoRanges(_ k: Token) -> [(lo: String, hi: String)] {
        let f = Array(k.folded.unicodeScalars)
        return [String(f[0]), String(f[1]) + String(f[0]), String(f[1]) + String(f[2])].map { ($0, $0 + "\u{FFFF}") }
    }

    /// The shards that may hold terms of any of `ranges`, in order.
    func shardsFor(_ ranges: [(lo: String, hi: String)]) -> [Int] {
        Array(Set(ranges.flatMap { shardsFor(lo: $0.lo, hi: $0.hi) })).sorted()
    }

    /// The entry of `term` in `shards`, if one has it.
    func entry(_ term: String, in shards: [Int]) throws -> SearchTerm? {
        for i in shards {
            let entries = try shard(i)
            var lo = 0, hi = entries.count
            while lo < hi {
                let mid = (lo + hi) / 2
                if String.utf16Less(entries[mid].term, term) { lo = mid + 1 } else { hi = mid }
            }
            if lo < entries.count, entries[lo].term.utf16.elementsEqual(term.utf16) { return entries[lo].entry }
        }
        return nil
    }

    /// True when `term` is in `shards` and in some document's text (not only a facet value's name).
    func inText(_ term: String, in shards: [Int]) throws -> Bool {
        try entry(term, in: shards).map { !$0.postings.isEmpty } ?? false
    }

    /// Per-document scores of one token (0 where it does not match) over the terms in `ranges` (default: its range).
    /// A word that is in the documents' texts itself (as written or stemmed) is not read as a typo of another.
    func tokenScores(_ k: Token, in ranges: [(lo: String, hi: String)]? = nil) throws -> [Int] {
        let n = manifest.count
        var best = [Int](repeating: 0, count: n)
        var weight = [Int](repeating: 0, count: n)
        let ranges = ranges ?? [Self.range(k)]
        let shards = shardsFor(ranges)
        let known = try inText(k.stem, in: shards) || inText(k.folded, in: shards)
        for i in shards {
            for (term, entry) in try shard(i) {
                guard ranges.contains(where: { !String.utf16Less(term, $0.lo) && String.utf16Less(term, $0.hi) }) else { continue }
                let q = Self.quality(k, term)
                if q == 0 || (q == 2 && known) { continue }
                var touched: [Int] = []
                for p in entry.postings where p.doc < n {
                    if weight[p.doc] == 0 { touched.append(p.doc) }
                    weight[p.doc] += p.weight
                }
                for r in entry.refs where r.facet < byValue.count && r.value < byValue[r.facet].count {
                    for d in byValue[r.facet][r.value] {
                        if weight[d] == 0 { touched.append(d) }
                        weight[d] += r.weight
                    }
                }
                for d in touched {
                    best[d] = max(best[d], q * weight[d])
                    weight[d] = 0
                }
            }
        }
        return best
    }

    /// A token of 8 or more (not the start of a longer term while being no term itself: a word still being typed) read as
    /// a compound against the index's own terms: the longest first part of 4 or more that is a
    /// term (as written or stemmed) whose rest, of 4 or more, matches a term exactly or as a prefix. Each document's score
    /// for the parts (a third of their sum where the first part matches, else 0: the rest, mostly a word like `kurs` or
    /// `skole`, ranks the documents that have it first), or nil when the token is no such compound.
    func compoundScores(_ k: Token) throws -> [Int]? {
        guard k.typo, k.length >= 8 else { return nil }
        let letters = Array(k.folded.unicodeScalars)
        func word(_ r: Range<Int>) -> String { String(String.UnicodeScalarView(letters[r])) }
        let loaded = shardsFor([Self.range(k)])
        // A word still being typed (no term itself, but the start of one) is not split.
        if try entry(k.folded, in: loaded) == nil, try entry(k.stem, in: loaded) == nil, try loaded.contains(where: { i in
            try shard(i).contains { $0.term.utf16.count > k.folded.utf16.count && $0.term.utf16.starts(with: k.folded.utf16) }
        }) {
            return nil
        }
        var heads: [Int] = []
        for i in stride(from: k.length - 4, through: 4, by: -1) {
            let h = word(0..<i)
            if try entry(h, in: loaded) != nil || entry(SearchText.stem(h), in: loaded) != nil { heads.append(i) }
        }
        for i in heads {
            let tail = Token(word(i..<k.length), typo: false)
            let (lo, hi) = Self.range(tail)
            let known = try shardsFor([(lo, hi)]).contains { s in
                try shard(s).contains { !String.utf16Less($0.term, lo) && String.utf16Less($0.term, hi) && Self.quality(tail, $0.term) >= 3 }
            }
            guard known else { continue }
            let hs = try tokenScores(Token(word(0..<i), typo: false)), ts = try tokenScores(tail)
            return (0..<manifest.count).map { d in hs[d] > 0 ? (hs[d] + ts[d]) / 3 : 0 }
        }
        return nil
    }

    /// A query word's score per document: the better of the word itself and its parts as a compound; when neither
    /// matches anything, the word with a typo in its first two letters.
    func wordScores(_ k: Token) throws -> [Int] {
        var best = try tokenScores(k)
        if let c = try compoundScores(k) {
            for d in best.indices where c[d] > best[d] { best[d] = c[d] }
        }
        if best.contains(where: { $0 > 0 }) || !k.typo || k.length < 5 { return best }
        return try tokenScores(k, in: Self.typoRanges(k))
    }

    /// Runs a query with facet filters (URL parameter → value ids).
    public func search(_ text: String, filters: [String: [String]] = [:]) throws -> Result {
        let n = manifest.count
        let toks = tokens(text)
        var order: [Int]
        var partial = false
        if toks.isEmpty {
            order = Array(0..<n)
        } else {
            var score = [Int](repeating: 0, count: n)
            var matched = [Int](repeating: 0, count: n)
            for k in toks {
                let ts = try wordScores(k)
                var m = 0
                for d in 0..<n where ts[d] > 0 { m += 1 }
                if m == 0 { continue }
                let idf = Int((100 * log(1 + Double(n) / Double(m))).rounded())
                for d in 0..<n where ts[d] > 0 {
                    score[d] += idf * ts[d]
                    matched[d] += 1
                }
            }
            order = (0..<n).filter { matched[$0] == toks.count }
            if order.isEmpty, toks.count > 1 {
                partial = true
                order = (0..<n).filter { matched[$0] > 0 }
            }
            order.sort { a, b in
                if matched[a] != matched[b] { return matched[a] > matched[b] }
                if score[a] != score[b] { return score[a] > score[b] }
                return a < b
            }
        }

        // Facet filters.
        let facets = manifest.facets
        let selected: [Set<Int>] = facets.map { f in
            var ids: [String: Int] = [:]
            for (v, value) in f.values.enumerated() where ids[value.id] == nil { ids[value.id] = v }
            return Set((filters[f.key] ?? []).compactMap { ids[$0] })
        }
        func passes(_ d: Int, _ f: Int) -> Bool {
            let sel = selected[f]
            if sel.isEmpty { return true }
            if f == SearchIndex.municipalityFacet, national[d] { return true }
            return facetValues[f][d].contains { sel.contains($0) }
        }
        var counts = facets.map { [Int](repeating: 0, count: $0.values.count) }
        var nationalCount = 0
        var results: [Int] = []
        for d in order {
            var failed = -1, failures = 0
            for f in facets.indices where !passes(d, f) {
                failures += 1
                failed = f
                if failures > 1 { break }
            }
            if failures == 0 { results.append(d) }
            if failures > 1 { continue }
            for f in facets.indices where failures == 0 || failed == f {
                if f == SearchIndex.municipalityFacet, national[d] {
                    nationalCount += 1
                    continue
                }
                for v in facetValues[f][d] where v < counts[f].count { counts[f][v] += 1 }
            }
        }
        if !counts.isEmpty {
            let m = SearchIndex.municipalityFacet
            for v in counts[m].indices { counts[m][v] += nationalCount }
        }
        return Result(documents: results, counts: counts, tokens: toks, partial: partial)
    }

    /// The result metadata of document `d`.
    public func document(_ d: Int) throws -> SearchDocument {
        let c = d / manifest.chunk
        if chunks[c] == nil {
            guard let rows = try JSONSerialization.jsonObject(with: try file("d\(c).bin")) as? [[String]] else {
                throw FormatError(description: "d\(c).bin is not a list of documents")
            }
            chunks[c] = rows.map { r in
                SearchDocument(id: Self.offerID(path: r[0]), path: r[0], title: r[1], summary: r[2], provider: r[3], area: r[4], when: r[5],
                               whenISO: r[6], textLang: r[7])
            }
        }
        return chunks[c]![d % manifest.chunk]
    }

    /// The offer id (`provider/slug`) in a result's path: its last two parts (`tilbud/provider/slug/`, or
    /// `/tilbud/provider/slug/` for a page in another language).
    static func offerID(path: String) -> String {
        let parts = path.split(separator: "/")
        return parts.count >= 2 ? parts.suffix(2).joined(separator: "/") : path
    }

    /// The root-relative URL a result links to, as `search.js` builds it: a path that starts with `/` is the page
    /// in another language (an offer not translated into this one links to its page in the default language);
    /// any other path is relative to the language's front page (`manifest.base`).
    public func url(_ document: SearchDocument) -> String {
        document.path.hasPrefix("/") ? document.path : manifest.base + document.path
    }
}
