import Foundation
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
///
/// Binary files use unsigned LEB128 varints. `.bin` files are zlib-compressed when the manifest has `"z": 1`.
public struct SearchFiles: Sendable {
    /// The folder below the language root.
    public static let folder = "sok/indeks/"
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
        let z = compress && Deflate.isAvailable
        func pack(_ raw: Data) -> Data { z ? (Deflate.compress(raw) ?? raw) : raw }

        var body: [(String, Data)] = []
        body.append(("f.bin", pack(Self.encodeFacets(index))))
        let (starts, shards) = Self.encodeShards(index, target: shardTarget)
        for (i, s) in shards.enumerated() { body.append(("t\(i).bin", pack(s))) }
        let chunks = stride(from: 0, to: index.documents.count, by: chunkSize).map { Array(index.documents[$0..<min($0 + chunkSize, index.documents.count)]) }
        for (i, c) in chunks.enumerated() { body.append(("d\(i).bin", pack(Self.encodeDocuments(c)))) }

        // What the page needs before the first query, compressed with the rest: facets, shard starts, stop words.
        let meta = JSONOut()
        meta.object {
            meta.key("n"); meta.int(index.documents.count)
            meta.key("chunk"); meta.int(chunkSize)
            meta.key("shards"); meta.array(starts) { meta.string($0) }
            meta.key("stop"); meta.array(SearchText.stopWords) { meta.string($0) }
            meta.key("facets")
            meta.array(index.facets) { f in
                meta.object {
                    meta.key("key"); meta.string(f.key)
                    meta.key("label"); meta.string(f.label)
                    meta.key("values")
                    meta.array(f.values) { v in meta.array([v.id, v.label]) { meta.string($0) } }
                }
            }
        }
        body.insert(("m.bin", pack(Data(meta.text.utf8))), at: 0)

        var all = Data()
        for (name, data) in body { all.append(Data(name.utf8)); all.append(data) }
        let dir = ContentHash.hex(all, length: 12) + "/"

        // The only file at a fixed name: small, so revalidating it is cheap.
        let m = JSONOut()
        m.object {
            m.key("v"); m.int(Self.version)
            m.key("lang"); m.string(index.language)
            m.key("base"); m.string(index.base)
            m.key("z"); m.int(z ? 1 : 0)
            m.key("dir"); m.string(dir)
        }
        return [(Self.manifestName, Data(m.text.utf8))] + body.map { (dir + $0.0, $0.1) }
    }

    // MARK: encoders

    static func encodeFacets(_ index: SearchIndex) -> Data {
        var w = VarintWriter()
        w.put(index.documents.count)
        w.put(index.facets.count)
        for column in index.facetValues {
            for values in column {
                w.put(values.count)
                for v in values { w.put(v) }
            }
        }
        for n in index.national { w.put(n ? 1 : 0) }
        return w.data
    }

    /// Sorted terms cut into shards of about `target` bytes; returns each shard's first term ("" for the first) and the bytes.
    static func encodeShards(_ index: SearchIndex, target: Int) -> ([String], [Data]) {
        let sorted = index.terms.keys.sorted(by: String.utf16Less)
        var starts: [String] = []
        var shards: [Data] = []
        var count = 0, previous: [UInt8] = [], first = ""
        var entries = VarintWriter()
        func flush() {
            guard count > 0 else { return }
            var w = VarintWriter()
            w.put(count)
            w.bytes += entries.bytes
            starts.append(shards.isEmpty ? "" : first)
            shards.append(w.data)
            entries = VarintWriter()
            count = 0
            previous = []
        }
        for term in sorted {
            let t = index.terms[term]!
            if count == 0 { first = term }
            let bytes = Array(term.utf8)
            var shared = 0
            while shared < min(bytes.count, previous.count), bytes[shared] == previous[shared] { shared += 1 }
            entries.put(shared)
            entries.put(bytes.count - shared)
            entries.bytes += bytes[shared...]
            entries.put(t.postings.count)
            var last = 0
            for p in t.postings {
                entries.put((p.doc - last) << 4 | p.weight)
                last = p.doc
            }
            entries.put(t.refs.count)
            for r in t.refs {
                entries.put(r.facet)
                entries.put(r.value)
                entries.put(r.weight)
            }
            previous = bytes
            count += 1
            if entries.bytes.count >= target { flush() }
        }
        flush()
        if shards.isEmpty {
            var w = VarintWriter()
            w.put(0)
            starts = [""]
            shards = [w.data]
        }
        return (starts, shards)
    }

    static func encodeDocuments(_ docs: [SearchDocument]) -> Data {
        let j = JSONOut()
        j.array(docs) { d in
            j.array([d.path, d.title, d.summary, d.provider, d.area, d.when, d.whenISO, d.textLang]) { j.string($0) }
        }
        return Data(j.text.utf8)
    }
}

/// Unsigned LEB128.
struct VarintWriter {
    var bytes: [UInt8] = []

    mutating func put(_ value: Int) {
        precondition(value >= 0)
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

/// A small, deterministic JSON writer (no escaped slashes, keys in the order written).
final class JSONOut {
    var text = ""
    private var needComma = [false]

    private func separate() {
        if needComma[needComma.count - 1] { text += "," }
        needComma[needComma.count - 1] = true
    }

    func object(_ body: () -> Void) {
        separate()
        text += "{"
        needComma.append(false)
        body()
        needComma.removeLast()
        text += "}"
    }

    func array<T>(_ items: [T], _ each: (T) -> Void) {
        separate()
        text += "["
        needComma.append(false)
        for item in items { each(item) }
        needComma.removeLast()
        text += "]"
    }

    func key(_ k: String) {
        separate()
        text += Self.quoted(k) + ":"
        needComma[needComma.count - 1] = false
    }

    func string(_ s: String) {
        separate()
        text += Self.quoted(s)
    }

    func int(_ n: Int) {
        separate()
        text += String(n)
    }

    static func quoted(_ s: String) -> String {
        // Most text needs no escapes: no quote, backslash, control character or U+2028/U+2029 (E2 80 A8/A9).
        var plain = true
        var previous: (UInt8, UInt8) = (0, 0)
        for b in s.utf8 {
            if b == 0x22 || b == 0x5C || b < 0x20 || ((b == 0xA8 || b == 0xA9) && previous == (0xE2, 0x80)) {
                plain = false
                break
            }
            previous = (previous.1, b)
        }
        if plain { return "\"" + s + "\"" }
        var out = "\""
        for u in s.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{2028}": out += "\\u2028"
            case "\u{2029}": out += "\\u2029"
            default:
                if u.value < 0x20 {
                    let h = String(u.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - h.count) + h
                } else {
                    out.unicodeScalars.append(u)
                }
            }
        }
        return out + "\""
    }
}
