import Foundation
import TilbudDeflate
import TilbudJSON
import TilbudModel
import TilbudRender

/// The index of one language as files: a tiny manifest at a fixed name and, in a folder named by
/// the hash of their content, the rest of the metadata, the facet columns, the term shards (sorted
/// term ranges) and the result metadata in chunks of `chunkSize` documents.
///
///     sok/indeks/manifest.json       version, language, base URL, compression, the folder
///     sok/indeks/<hash>/m.bin        JSON: document count, chunk size, shard starts, stop words, facets and their values
///     sok/indeks/<hash>/f.bin        facet values of every document
///     sok/indeks/<hash>/t<i>.bin     terms from shards[i] up to shards[i + 1], with postings and facet references
///     sok/indeks/<hash>/d<i>.bin     documents i * chunk ..< (i + 1) * chunk, JSON
///     sok/indeks/<hash>/g.bin        per document: how many of its locations have a position, then each one's latitude
///                                    + 90,000 and longitude + 180,000 in thousandths of a degree; read only for distances
///     sok/indeks/<hash>/p.bin        postcodes: count, then per postcode (ascending) its difference from the one
///                                    before and its municipality facet value; read only when a postcode is asked for
///
/// `m.bin` also holds the build day (`today`), the municipality facet's other names (`alt`, per value), those whose
/// name is also a vocabulary word and so not taken from a query as a place (`word`, see `SearchPlaces.words`), positions
/// (`pos`: latitude and longitude in thousandths of a degree per value, 0 0 when unknown); `f.bin` ends with each
/// document's start (`SearchPlaces.startCode`).
///
/// A document's path is relative to the manifest's base URL (`tilbud/provider/slug/`), except for an offer with no
/// page in the index's language (not translated into it): then it is the root-relative URL of the page it links
/// to instead, in the default language (`/tilbud/provider/slug/`), and its text language says which that is.
///
/// Binary files use unsigned LEB128 varints. `.bin` files are zlib-compressed when the manifest has `"z": 1`.
public struct SearchFiles: Sendable {
    /// The folder below the language root.
    public static let folder = SitePaths.searchIndex
    /// The manifest's name in `folder`.
    public static let manifestName = "manifest.json"
    /// Format version, in the manifest.
    public static let version = 1

    /// Raw (uncompressed) bytes a term shard grows to before the next one starts.
    public var shardTarget = 6_000
    /// Documents per metadata chunk.
    public var chunkSize = 10
    /// Compress with zlib when it is there.
    public var compress = true

    public init(shardTarget: Int = 6_000, chunkSize: Int = 10, compress: Bool = true) {
        self.shardTarget = shardTarget
        self.chunkSize = chunkSize
        self.compress = compress
    }

    /// Files by path relative to the language's `folder`: the manifest and the hashed folder's files.
    public func files(for index: SearchIndex) -> [(path: String, data: Data)] {
        encode(index, cache: nil).map { ($0.path, Data($0.bytes)) }
    }

    /// Files already made, to reuse in the next language: `f.bin` is the same in every language, and so are the term
    /// shards of languages whose documents all show the same texts (most offers are only in bokmål). Only the last
    /// language's shards are kept (`SearchCorpus.languageOrder` puts the languages that share them together), and
    /// they do not keep that language's postings alive: at 100,000 offers those are 40 MB, and the next language's
    /// are made while these would still be held.
    final class Cache: @unchecked Sendable {
        fileprivate var facets: (raw: [UInt8], packed: [UInt8], z: Bool)?
        fileprivate var shards: Shards?

        fileprivate final class Shards {
            weak var postings: SearchPostings?
            let vocabulary: SearchVocabulary, target: Int, z: Bool, starts: [String], files: [[UInt8]]

            init(postings: SearchPostings, vocabulary: SearchVocabulary, target: Int, z: Bool, starts: [String], files: [[UInt8]]) {
                (self.postings, self.vocabulary, self.target, self.z, self.starts, self.files) = (postings, vocabulary, target, z, starts, files)
            }
        }

        init() {}
    }

    /// The level of zlib compression of a file: term shards are compressed at level 4, 2.5 times as fast as the default
    /// level 6 on their varints for 2 % more bytes (about 70 bytes a shard); everything else at level 6.
    static func level(_ name: String) -> Int32 { name.hasPrefix("t") ? 4 : Deflate.defaultLevel }

    /// The files of `index` (as `files(for:)`), made and compressed in parallel; what `cache` holds from an earlier
    /// language is not made again.
    func encode(_ index: SearchIndex, cache: Cache?) -> [(path: String, bytes: [UInt8])] {
        let z = compress && Deflate.isAvailable
        var starts: [String], shards: [[UInt8]], shardsPacked = false
        if let c = cache?.shards, let p = c.postings, p === index.postings, c.vocabulary === index.vocabulary, c.target == shardTarget, c.z == z {
            (starts, shards, shardsPacked) = (c.starts, c.files, true)
        } else {
            (starts, shards) = Self.encodeShards(index, target: shardTarget)
        }
        var facets = index.facetFile, facetsPacked = false
        if let c = cache?.facets, c.raw == facets, c.z == z {
            (facets, facetsPacked) = (c.packed, true)
        }

        // What the page needs before the first query, compressed with the rest: facets, shard starts, stop words.
        var meta = JSONWriter(escaping: .lineSeparators)
        meta.openObject()
        meta.int("n", index.documents.count)
        meta.int("chunk", chunkSize)
        meta.strings("shards", starts)
        meta.strings("stop", SearchText.stopWords)
        meta.openArray("facets")
        for f in index.facets {
            meta.openObject()
            meta.string("key", f.key)
            meta.string("label", f.label)
            meta.openArray("values")
            for v in f.values { meta.strings(nil, [v.id, v.label]) }
            meta.closeArray()
            meta.closeObject()
        }
        meta.closeArray()
        meta.string("today", index.places.today)
        meta.openArray("alt")
        for names in index.places.names { meta.strings(nil, names) }
        meta.closeArray()
        meta.openArray("word")
        for v in index.places.words { meta.int(nil, v) }
        meta.closeArray()
        meta.openArray("pos")
        for p in index.places.positions {
            meta.int(nil, p?.lat ?? 0)
            meta.int(nil, p?.lon ?? 0)
        }
        meta.closeArray()
        meta.closeObject()
        var postcodes = VarintWriter()
        postcodes.put(index.places.postcodes.count)
        var previousCode = 0
        for p in index.places.postcodes {
            postcodes.put(p.code - previousCode)
            postcodes.put(p.value)
            previousCode = p.code
        }

        var positions = VarintWriter()
        positions.put(index.places.locations.count)
        for points in index.places.locations {
            positions.put(points.count)
            for p in points {
                positions.put(max(0, p.lat + 90_000))
                positions.put(max(0, p.lon + 180_000))
            }
        }

        // Files in this order: m.bin, f.bin, t<i>.bin, d<i>.bin, p.bin, g.bin. Document chunks are made by the workers.
        let size = max(1, chunkSize)
        let chunks = (index.documents.count + size - 1) / size
        var names = ["m.bin", "f.bin"] + shards.indices.map { "t\($0).bin" }
        names += (0..<chunks).map { "d\($0).bin" }
        names.append("p.bin")
        let postcodeFile = names.count - 1
        names.append("g.bin")
        let positionFile = names.count - 1
        let fixed = 2 + shards.count
        var out = [[UInt8]](repeating: [], count: names.count)
        // Per worker, a compressor per level.
        let deflaters = z ? (0..<Parallel.workers).map { _ in [Deflate.defaultLevel: Deflater(level: Deflate.defaultLevel), 4: Deflater(level: 4)] } : []
        out.withUnsafeMutableBufferPointer { buffer in
            let buffer = buffer
            Parallel.run(names.count) { w, k in
                let raw: [UInt8]
                switch k {
                case 0: raw = meta.bytes
                case 1:
                    if facetsPacked {
                        buffer[k] = facets
                        return
                    }
                    raw = facets
                case postcodeFile: raw = postcodes.bytes
                case positionFile: raw = positions.bytes
                case fixed...:
                    let c = k - fixed
                    raw = index.documents.withUnsafeBufferPointer { docs in
                        Self.encodeDocuments(UnsafeBufferPointer(rebasing: docs[(c * size)..<min(docs.count, (c + 1) * size)]))
                    }
                default:
                    if shardsPacked {
                        buffer[k] = shards[k - 2]
                        return
                    }
                    raw = shards[k - 2]
                }
                buffer[k] = z ? (deflaters[w][Self.level(names[k])]!.compress(raw) ?? raw) : raw
            }
        }
        if let cache {
            cache.facets = (index.facetFile, out[1], z)
            if !shardsPacked {
                cache.shards = Cache.Shards(postings: index.postings, vocabulary: index.vocabulary, target: shardTarget, z: z, starts: starts,
                                      files: Array(out[2..<fixed]))
            }
        }
        let dir = Self.contentHash(names, out) + "/"

        // The only file at a fixed name: small, so revalidating it is cheap.
        var m = JSONWriter(escaping: .lineSeparators)
        m.openObject()
        m.int("v", Self.version)
        m.string("lang", index.language)
        m.string("base", index.base)
        m.int("z", z ? 1 : 0)
        m.string("dir", dir)
        m.closeObject()
        var files: [(path: String, bytes: [UInt8])] = [(Self.manifestName, m.bytes)]
        files.reserveCapacity(names.count + 1)
        for (name, bytes) in zip(names, out) { files.append((dir + name, bytes)) }
        return files
    }

    /// 12 hex digits of the hash of every file's name and bytes, in order (`ContentHash.hex` of them end to end).
    static func contentHash(_ names: [String], _ files: [[UInt8]]) -> String {
        var h1: UInt64 = 0xcbf2_9ce4_8422_2325
        var h2: UInt64 = 0x8422_2325_cbf2_9ce4
        func add(_ bytes: UnsafeBufferPointer<UInt8>) {
            var a = h1, b = h2
            for x in bytes {
                a = (a ^ UInt64(x)) &* 0x0000_0100_0000_01B3
                b = (b ^ UInt64(x)) &* 0x0000_0100_0000_01B3 &+ 0x9E37_79B9
            }
            h1 = a
            h2 = b
        }
        for (name, bytes) in zip(names, files) {
            Array(name.utf8).withUnsafeBufferPointer(add)
            bytes.withUnsafeBufferPointer(add)
        }
        let s = String(h1, radix: 16) + String(h2, radix: 16)
        return String(s.prefix(12))
    }

    // MARK: encoders

    /// Terms in UTF-16 order cut into shards of about `target` bytes; returns each shard's first term ("" for the
    /// first) and the bytes.
    static func encodeShards(_ index: SearchIndex, target: Int) -> ([String], [[UInt8]]) {
        let vocabulary = index.vocabulary, postings = index.postings
        var starts: [String] = []
        var shards: [[UInt8]] = []
        var count = 0, first = ""
        var previous: [UInt8] = []
        var entries = VarintWriter()
        entries.bytes.reserveCapacity(target + 4096)
        func flush() {
            guard count > 0 else { return }
            var w = VarintWriter()
            w.bytes.reserveCapacity(entries.bytes.count + 5)
            w.put(count)
            w.bytes += entries.bytes
            starts.append(shards.isEmpty ? "" : first)
            shards.append(w.bytes)
            entries.bytes.removeAll(keepingCapacity: true)
            count = 0
            previous = []
        }
        postings.entries.withUnsafeBufferPointer { list in
            for r in vocabulary.names.indices where vocabulary.has(r, postings) {
                let term = vocabulary.names[r]
                if count == 0 { first = term }
                let bytes = Array(term.utf8)
                var shared = 0
                while shared < min(bytes.count, previous.count), bytes[shared] == previous[shared] { shared += 1 }
                entries.put(shared)
                entries.put(bytes.count - shared)
                entries.bytes += bytes[shared...]
                let range = postings.range(r)
                entries.put(range.count)
                var last: UInt32 = 0
                for k in range {
                    let x = list[k]
                    entries.put(Int((x >> 4 - last) << 4 | x & 15))
                    last = x >> 4
                }
                let refs = vocabulary.refs[r]
                entries.put(refs.count)
                for ref in refs {
                    entries.put(ref.facet)
                    entries.put(ref.value)
                    entries.put(ref.weight)
                }
                previous = bytes
                count += 1
                if entries.bytes.count >= target { flush() }
            }
        }
        flush()
        if shards.isEmpty {
            var w = VarintWriter()
            w.put(0)
            starts = [""]
            shards = [w.bytes]
        }
        return (starts, shards)
    }

    /// JSON: per document, its path, title, summary, provider, area, next start (text and ISO) and text language.
    static func encodeDocuments(_ docs: UnsafeBufferPointer<SearchDocument>) -> [UInt8] {
        var j = JSONWriter(escaping: .lineSeparators, capacity: docs.count * 400)
        j.openArray()
        for d in docs {
            j.strings(nil, [d.path, d.title, d.summary, d.provider, d.area, d.when, d.whenISO, d.textLang])
        }
        j.closeArray()
        return j.bytes
    }
}

/// Unsigned LEB128.
struct VarintWriter {
    var bytes: [UInt8] = []

    @inline(__always)
    mutating func put(_ value: Int) {
        precondition(value >= 0)
        if value < 0x80 {
            bytes.append(UInt8(value))
            return
        }
        var v = UInt64(value)
        while v >= 0x80 {
            bytes.append(UInt8(v & 0x7F) | 0x80)
            v >>= 7
        }
        bytes.append(UInt8(v))
    }

    var data: Data { Data(bytes) }
}

/// Reads what `VarintWriter` wrote.
struct VarintReader {
    let bytes: [UInt8]
    var at = 0

    init(_ data: Data) { bytes = [UInt8](data) }

    struct Truncated: Error {}

    mutating func get() throws -> Int {
        var v = 0, shift = 0
        while true {
            guard at < bytes.count, shift < 63 else { throw Truncated() }
            let b = bytes[at]
            at += 1
            v |= Int(b & 0x7F) << shift
            if b < 0x80 { return v }
            shift += 7
        }
    }

    mutating func take(_ n: Int) throws -> ArraySlice<UInt8> {
        guard n >= 0, at + n <= bytes.count else { throw Truncated() }
        defer { at += n }
        return bytes[at..<(at + n)]
    }
}

