import Foundation
import TilbudModel
import TilbudRender
import TilbudSite

/// What every part of the feed shares: the catalog, the renderer's texts and URLs, and indexes built once.
public struct FeedContext: Sendable {
    /// The catalog.
    public let catalog: Catalog
    /// The renderer (published offers, rendered texts, URLs).
    public let renderer: SiteRenderer
    /// The absolute base URL, ending in `/`.
    public let baseURL: String
    /// `<base>api/v1/`.
    public let apiBase: String
    /// `<base>api/fhir/R4/`.
    public let fhirBase: String
    /// The build day, `YYYY-MM-DD`.
    public let generated: String
    /// Indexes into `renderer.published` of listed offers (current and due), in id order.
    public let listed: [Int]
    /// Providers by id.
    public let providerIndex: [String: Int]
    /// The site's languages, the default first.
    public let languages: [String]

    /// The API version in every envelope; fields are added within a version, never renamed or removed.
    public static let apiVersion = "1"

    /// Prepares the indexes.
    public init(catalog: Catalog, renderer: SiteRenderer) {
        self.catalog = catalog
        self.renderer = renderer
        self.baseURL = renderer.baseURL
        self.apiBase = renderer.baseURL + "api/v1/"
        self.fhirBase = renderer.baseURL + "api/fhir/R4/"
        self.generated = catalog.today.iso
        self.listed = renderer.published.indices.filter { renderer.published[$0].state.isListed }
        var providerIndex: [String: Int] = [:]
        for (i, p) in catalog.providers.enumerated() { providerIndex[p.id] = i }
        self.providerIndex = providerIndex
        self.languages = catalog.site.languages.isEmpty ? ["nb"] : catalog.site.languages
    }

    /// The default language.
    public var defaultLanguage: String { languages[0] }

    /// The published offer at `i`.
    public func offer(_ i: Int) -> Offer { renderer.published[i] }

    /// The provider of `offer`.
    public func provider(of offer: Offer) -> Provider? {
        providerIndex[offer.providerID].map { catalog.providers[$0] }
    }

    /// The absolute URL of an offer's page in `lang`.
    public func pageURL(_ offer: Offer, _ lang: String) -> String {
        renderer.absoluteURL(SiteRenderer.offerPath(offer), lang)
    }

    /// The languages an offer's text exists in: the default and each translation, in site order.
    public func textLanguages(_ offer: Offer) -> [String] {
        languages.filter { $0 == defaultLanguage || offer.translations[$0] != nil }
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

final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?
    var failed: Bool { lock.withLock { stored != nil } }
    var error: Error? { lock.withLock { stored } }
    func set(_ e: Error) { lock.withLock { if stored == nil { stored = e } } }
}

final class ResultsBox<T>: @unchecked Sendable {
    private var items: [T?]
    private let lock = NSLock()
    init(_ count: Int) { items = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ v: T) { lock.withLock { items[i] = v } }
    func values() -> [T] { items.map { $0! } }
}

/// A file the feed writes: its path under the output root and its bytes.
public struct FeedFile: Sendable {
    /// Path under the output root.
    public let path: String
    /// The whole file.
    public let bytes: [UInt8]

    /// A file with these bytes.
    public init(_ path: String, _ bytes: [UInt8]) {
        self.path = path
        self.bytes = bytes
    }

    /// A file with these bytes.
    public init(_ path: String, _ text: String) {
        self.init(path, Array(text.utf8))
    }

    /// A one-record file: compact JSON and a newline.
    public init(record path: String, _ compact: [UInt8]) {
        var bytes = compact
        bytes.append(0x0A)
        self.init(path, bytes)
    }

    /// A small document indented with two spaces (schemas, OpenAPI, vocabularies).
    public init(document path: String, _ value: JSONValue) {
        self.init(path, value.encoded())
    }

    /// Writes `files` on all cores. Creating a file locks its folder, so each folder goes to one writer: the folders
    /// are shared out in lanes of about equal size (largest first), and the lanes run side by side.
    public static func write(_ files: [FeedFile], with writer: OutputWriter) throws {
        var byFolder: [String: [Int]] = [:]
        for (i, f) in files.enumerated() {
            let folder = f.path.lastIndex(of: "/").map { String(f.path[..<$0]) } ?? ""
            byFolder[folder, default: []].append(i)
        }
        let lanes = max(1, min(ProcessInfo.processInfo.activeProcessorCount, byFolder.count))
        var work = [[Int]](repeating: [], count: lanes)
        var load = [Int](repeating: 0, count: lanes)
        // A file costs about as much to create as 64 KiB costs to write.
        func cost(_ indexes: [Int]) -> Int { indexes.reduce(0) { $0 + 1 + files[$1].bytes.count / 65_536 } }
        let folders = byFolder.map { (folder: $0.key, files: $0.value, cost: cost($0.value)) }
            .sorted { $0.cost != $1.cost ? $0.cost > $1.cost : $0.folder < $1.folder }
        for f in folders {
            let lane = load.indices.min { load[$0] != load[$1] ? load[$0] < load[$1] : $0 < $1 }!
            work[lane] += f.files
            load[lane] += f.cost
        }
        let plan = work
        try FeedContext.parallel(lanes) { lane in
            for i in plan[lane] {
                // Lend the bytes to the writer without copying them into a Data; the write finishes inside.
                try files[i].bytes.withUnsafeBytes { buffer in
                    let data = buffer.count == 0 ? Data() : Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: buffer.baseAddress!),
                                                                  count: buffer.count, deallocator: .none)
                    try writer.write(files[i].path, data)
                }
            }
        }
    }
}
