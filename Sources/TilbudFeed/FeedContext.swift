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

    /// Runs `body` for chunks of 0..<count on all cores, collecting each index's result in order.
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

extension OutputWriter {
    /// Writes a small document (schema, OpenAPI, vocabularies) indented with two spaces.
    func writeJSON(_ path: String, _ value: JSONValue) throws {
        try write(path, Data(value.encoded()))
    }

    /// Writes one record: compact JSON and a newline.
    func writeRecord(_ path: String, _ compact: [UInt8]) throws {
        var data = Data(capacity: compact.count + 1)
        data.append(contentsOf: compact)
        data.append(0x0A)
        try write(path, data)
    }
}
