import Foundation
import TilbudModel
import TilbudRender
import TilbudOutput

/// What every part of the feed shares: the published catalog (offers, rendered texts, the URL scheme) and indexes built once.
public struct FeedContext: Sendable {
    /// The catalog.
    public let catalog: Catalog
    /// What the render stage made: published offers, their rendered texts, the URL scheme.
    public let published: PublishedCatalog
    /// The site's URL scheme.
    public let paths: SitePaths
    /// The absolute base URL, ending in `/`.
    public let baseURL: String
    /// `<base>api/v1/`.
    public let apiBase: String
    /// `<base>api/fhir/R4/`.
    public let fhirBase: String
    /// The build day, `YYYY-MM-DD`.
    public let generated: String
    /// Positions in `published.offers` of listed offers (current and due), in id order.
    public let listed: [Int]
    /// Providers by id.
    public let providerIndex: [String: Int]
    /// The site's languages, the default first.
    public let languages: [String]

    /// The API version in every envelope; fields are added within a version, never renamed or removed.
    public static let apiVersion = "1"

    /// Prepares the indexes.
    public init(published: PublishedCatalog) {
        let catalog = published.catalog
        self.catalog = catalog
        self.published = published
        self.paths = published.paths
        self.baseURL = published.paths.baseURL
        self.apiBase = published.paths.apiBase
        self.fhirBase = published.paths.fhirBase
        self.generated = catalog.today.iso
        let offers = published.offers
        self.listed = offers.indices.filter { offers[$0].state.isListed }
        var providerIndex: [String: Int] = [:]
        for (i, p) in catalog.providers.enumerated() { providerIndex[p.id] = i }
        self.providerIndex = providerIndex
        self.languages = catalog.site.languages.isEmpty ? ["nb"] : catalog.site.languages
    }

    /// The default language.
    public var defaultLanguage: String { languages[0] }

    /// The published offer at `i`.
    public func offer(_ i: Int) -> Offer { published.offers[i] }

    /// The provider of `offer`.
    public func provider(of offer: Offer) -> Provider? { provider(ofID: offer.providerID) }

    /// The provider with id `id`.
    public func provider(ofID id: String) -> Provider? {
        providerIndex[id].map { catalog.providers[$0] }
    }

    /// The absolute URL of an offer's page in `lang`.
    public func pageURL(_ offer: Offer, _ lang: String) -> String {
        paths.absoluteURL(SitePaths.offer(offer), lang)
    }

    /// The languages an offer's text exists in: the default and each translation, in site order.
    public func textLanguages(_ offer: Offer) -> [String] {
        SitePaths.pageLanguages(offer, languages: languages)
    }

    /// The day an offer last changed or was confirmed: the later of `updated` and `last_reviewed`.
    public static func lastModified(_ offer: Offer) -> Day {
        if let u = offer.updated, u > offer.lastReviewed { return u }
        return offer.lastReviewed
    }

    /// Runs `body` for 0..<count on all cores; the first error is rethrown.
    static func parallel(_ count: Int, _ body: @Sendable (Int) throws -> Void) throws {
        let box = FirstError()
        DispatchQueue.concurrentPerform(iterations: count) { i in
            if box.failed { return }
            do { try body(i) } catch { box.set(error) }
        }
        if let e = box.error { throw e }
    }

    /// Runs `body` for each of 0..<count on all cores, collecting the results in order.
    static func parallelMap<T: Sendable>(_ count: Int, _ body: @Sendable (Int) -> T) -> [T] {
        let results = ResultsBox<T>(count)
        DispatchQueue.concurrentPerform(iterations: count) { i in results.set(i, body(i)) }
        return results.values()
    }
}

final class ResultsBox<T>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()
    init(_ count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.withLock { items[i] = v } }
    func values() -> [T] { items.map { $0! } }
}

/// One file of the feed, made when a worker gets to it and written at once, so that only the files being made are
/// held in memory.
public struct FeedTask: Sendable {
    /// Path under the output root.
    public let path: String
    /// About how much work the file is (its bytes, roughly); larger files are started first.
    public let cost: Int
    /// Makes the whole file.
    public let make: @Sendable () throws -> [UInt8]
    /// What the file is made from (`PublishedCatalog.fingerprint`), when it is one of an offer's own: the previous
    /// output's file is kept when it was made from the same (`OutputWriter.carry`).
    public let fingerprint: UInt64?

    /// A file made by `make`.
    public init(_ path: String, cost: Int = 1, fingerprint: UInt64? = nil, _ make: @escaping @Sendable () throws -> [UInt8]) {
        self.path = path
        self.cost = cost
        self.fingerprint = fingerprint
        self.make = make
    }

    /// A small document indented with two spaces (schemas, OpenAPI, vocabularies).
    public static func document(_ path: String, _ value: @escaping @Sendable () -> JSONValue) -> FeedTask {
        FeedTask(path) { value().encoded() }
    }

    /// Makes and writes `tasks` on all cores, the largest first; each file is dropped as soon as it is written.
    public static func run(_ tasks: [FeedTask], with writer: OutputWriter) throws {
        let order = tasks.indices.sorted { tasks[$0].cost != tasks[$1].cost ? tasks[$0].cost > tasks[$1].cost : $0 < $1 }
        try FeedContext.parallel(order.count) { n in
            let task = tasks[order[n]]
            try writer.write(task.path, fingerprint: task.fingerprint, make: task.make)
        }
    }
}

/// How the streamed parts of the feed are cut up: items per chunk of work, and chunks made (and held) at once.
public struct Batching: Sendable, Equatable {
    /// Items one worker makes in one go.
    public var chunk: Int
    /// Chunks made side by side before their results are handed on; a window's results are what is held at once.
    public var window: Int

    /// A batching; both at least 1.
    public init(chunk: Int, window: Int) {
        self.chunk = max(1, chunk)
        self.window = max(1, window)
    }

    /// Offers (about 5 KB each): 32 a chunk, 16 chunks a window, so about 2.5 MB of them are held at once.
    public static let offers = Batching(chunk: 32, window: 16)
    /// FHIR resources (about 2.5 KB each on average): 64 a chunk, 16 chunks a window.
    public static let resources = Batching(chunk: 64, window: 16)
}

/// Makes many items on all cores in chunks and hands each chunk's result on in order, holding only a window of
/// chunks at a time: the per-item files are written while they are made, and the aggregate (`offers.json`, the
/// FHIR Bundle) is appended chunk by chunk.
enum FeedStream {
    /// Calls `make` for consecutive ranges of `chunk` items out of `count` on all cores, `window` ranges at a time,
    /// and `emit` with each range's result in order, on one thread at a time. The emitting of one window overlaps
    /// the making of the next.
    static func run<T>(count: Int, _ batching: Batching, make: @Sendable (Range<Int>) throws -> T,
                       emit: @escaping (T) throws -> Void) throws {
        let chunk = batching.chunk, window = batching.window
        let chunks = (count + chunk - 1) / chunk
        let emitter = UncheckedBox(emit)
        var pending: [T] = []
        var next = 0
        while next < chunks || !pending.isEmpty {
            let first = next, end = min(chunks, next + window)
            let made = ResultsBox<T>(end - first)
            let previous = UncheckedBox(pending)
            // Index 0 emits the previous window's results while the other workers make this window's.
            try FeedContext.parallel(end - first + 1) { n in
                if n == 0 {
                    for r in previous.value { try emitter.value(r) }
                    return
                }
                let k = first + n - 1
                made.set(n - 1, try make(k * chunk..<min(count, (k + 1) * chunk)))
            }
            pending = made.values()
            next = end
        }
    }
}

/// Hands a value to concurrent code that uses it from one thread at a time.
final class UncheckedBox<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}

extension JSONAPIStep {
    /// Writes `buffer[start...]` and a newline as the file `path`: the newline is appended for the write and taken
    /// away again, so the same bytes can also go into an aggregate (`offers.json`, the Bundle) without it.
    static func writeRecord(_ buffer: inout [UInt8], from start: Int, to path: String, with writer: OutputWriter) throws {
        buffer.append(0x0A)
        defer { buffer.removeLast() }
        try buffer.withUnsafeBytes { all in
            try writer.write(path, bytes: UnsafeRawBufferPointer(rebasing: all[start..<all.count]))
        }
    }
}
