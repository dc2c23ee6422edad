import Foundation
import TilbudJSON
import TilbudModel
import TilbudRender
import TilbudOutput

/// The static JSON API under `/api/v1/` (see docs/api.md).
public struct JSONAPIStep: OutputStep {
    /// How the offers are streamed.
    let batching: Batching

    /// Creates the step (`batching` only changes how the work is cut up, never the output).
    public init(batching: Batching = .offers) { self.batching = batching }

    /// Writes every file of the API.
    public func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
        try write(FeedContext(published: published), writer: writer)
    }

    /// Writes every file of the API with a prepared context.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        let references = try writeOffers(c, writer: writer)
        try FeedTask.run(tasks(c, references: references), with: writer)
    }

    /// Writes each published offer's file and `offers.json` as they are made, a window of chunks at a time; returns
    /// every published offer's short reference, encoded (for the provider, municipality and topic files).
    public func writeOffers(_ c: FeedContext, writer: OutputWriter) throws -> [[UInt8]] {
        let published = c.published.offers
        let references = ResultsBox<[UInt8]>(published.count)
        let file = try writer.stream(SitePaths.api + "offers.json")
        var head = JSONFields()
        head.set("api_version", FeedContext.apiVersion)
        head.set("generated", c.generated)
        head.set("count", c.listed.count)
        try file.append(Self.listHead(head, key: "offers"))
        let state = ListState()
        try FeedStream.run(count: published.count, batching, make: { range in
            // Each offer is encoded once into the chunk's buffer: written from there as its own file, and kept
            // (with its separator) as a line of offers.json when it is listed.
            var w = JSONWriter(escaping: .html)
            w.bytes.reserveCapacity(range.count * 8192)
            for i in range {
                let o = published[i]
                let start = w.bytes.count
                w.bytes.append(UInt8(ascii: ","))
                w.bytes.append(0x0A)
                // Made from the offer alone: an earlier build's, when its inputs are the same (`RenderCache`).
                c.published.write(.offerJSON, offer: i, to: &w) { OfferJSON.write(o, i, c, to: &$0) }
                try Self.writeRecord(&w.bytes, from: start + 2, to: SitePaths.api + SitePaths.apiOffer(o.id), with: writer)
                if !o.state.isListed { w.bytes.removeSubrange(start...) }
                references.set(i, OfferJSON.encodedReference(o, c))
            }
            return w.bytes
        }, emit: { lines in
            try state.append(lines, to: file)
        })
        try file.append(Array((state.empty ? "]}\n" : "\n]}\n").utf8))
        try file.close()
        return references.values()
    }

    /// Every other file of the API (lists, vocabularies, schemas, OpenAPI), each made and written as a worker gets to it.
    func tasks(_ c: FeedContext, references: [[UInt8]]) -> [FeedTask] {
        var tasks = providers(c, references) + municipalities(c, references) + topics(c, references)
        tasks.append(.document(SitePaths.api + "vocabularies.json") { self.vocabularies(c) })
        tasks.append(.document(SitePaths.api + "schema/offer.schema.json") { Schemas.offer(c) })
        tasks.append(.document(SitePaths.api + "schema/offers.schema.json") { Schemas.offers(c) })
        tasks.append(.document(SitePaths.api + "schema/provider.schema.json") { Schemas.provider(c) })
        tasks.append(.document(SitePaths.api + "openapi.json") { Schemas.openAPI(c) })
        return tasks
    }

    /// A small envelope with `fields` after api_version and generated.
    static func small(_ c: FeedContext, _ fields: [(String, JSONValue)]) -> JSONValue {
        .object([("api_version", .string(FeedContext.apiVersion)), ("generated", .string(c.generated))] + fields)
    }

    static func providerValue(_ p: Provider, _ c: FeedContext, offerCount: Int?) -> JSONFields {
        var f = JSONFields()
        f.set("id", p.id)
        f.set("name", p.name)
        f.set("org_number", p.orgNumber)
        f.set("type", p.type)
        f.set("municipality", p.municipality)
        f.set("website", p.website)
        f.set("email", p.email)
        f.set("phone", p.phone)
        f.set("url", c.paths.absoluteURL(SitePaths.provider(p.id), c.defaultLanguage))
        f.set("api_url", c.apiBase + SitePaths.apiProvider(p.id))
        f.set("offer_count", offerCount)
        ExtraFieldsJSON.set(p.extra, in: &f)
        return f
    }

    func providers(_ c: FeedContext, _ references: [[UInt8]]) -> [FeedTask] {
        let byProvider = Dictionary(grouping: c.published.offers.indices, by: { c.published.offers[$0].providerID })
        let providers = c.catalog.providers
        let listedCount = Dictionary(grouping: c.listed, by: { c.published.offers[$0].providerID }).mapValues(\.count)
        var index = JSONFields()
        index.set("api_version", FeedContext.apiVersion)
        index.set("generated", c.generated)
        index.set("count", providers.count)
        let indexHead = index
        var tasks = [FeedTask(SitePaths.api + "providers.json", cost: providers.count * 450) {
            Self.withList(indexHead, key: "providers", items: providers.map {
                Self.providerValue($0, c, offerCount: listedCount[$0.id] ?? 0).value.encoded(pretty: false)
            })
        }]
        for p in providers {
            let items = byProvider[p.id] ?? []
            tasks.append(FeedTask(SitePaths.api + SitePaths.apiProvider(p.id), cost: items.count * 150) {
                var head = JSONFields()
                head.set("api_version", FeedContext.apiVersion)
                head.set("generated", c.generated)
                head.set("provider", Self.providerValue(p, c, offerCount: listedCount[p.id] ?? 0).value)
                head.set("count", items.count)
                return Self.withList(head, key: "offers", items: items.lazy.map { references[$0] })
            })
        }
        return tasks
    }

    /// Vocabulary names in a fixed order: the content model's first, then any the governance body added, sorted.
    static func vocabularyNames(_ gov: Governance) -> [String] {
        let known = VocabularyName.allCases.map(\.rawValue)
        return known.filter { gov.vocabularies[$0] != nil } + gov.vocabularies.keys.filter { !known.contains($0) }.sorted()
    }

    static func labels(_ e: VocabularyEntry, _ c: FeedContext) -> JSONValue {
        let order = c.languages + e.labels.keys.filter { !c.languages.contains($0) }.sorted()
        return .object(order.compactMap { l in e.labels[l].map { (l, .string($0)) } })
    }

    func vocabularies(_ c: FeedContext) -> JSONValue {
        let gov = c.catalog.governance
        let vocabularies: [(String, JSONValue)] = Self.vocabularyNames(gov).map { name in
            (name, .array(gov.vocabularies[name]!.entries.map { e in
                var f = JSONFields()
                f.set("id", e.id)
                f.set("labels", Self.labels(e, c))
                f.set("synonyms", e.synonyms)
                return f.value
            }))
        }
        let states: [(String, [String: String])] = [
            ("current", ["nb": "Aktuelt", "nn": "Aktuelt", "en": "Current"]),
            ("due", ["nb": "Bør gjennomgås", "nn": "Bør gåast gjennom", "en": "Due for review"]),
            ("stale", ["nb": "Kan være utdatert", "nn": "Kan vere utdatert", "en": "May be out of date"]),
            ("ended", ["nb": "Avsluttet", "nn": "Avslutta", "en": "Ended"]),
        ]
        let stateEntries: JSONValue = .array(states.map { id, labels in
            .object([("id", .string(id)), ("labels", .object(["nb", "nn", "en"].map { ($0, .string(labels[$0]!)) }))])
        })
        return Self.small(c, [
            ("languages", .strings(c.languages)),
            ("vocabularies", .object(vocabularies + [("state", stateEntries)])),
        ])
    }

    static func municipalityValue(_ m: Municipality, _ c: FeedContext) -> JSONFields {
        var f = JSONFields()
        f.set("code", m.code)
        f.set("name", m.name)
        f.set("county_code", m.countyCode)
        f.set("county_name", m.countyName)
        f.set("url", c.paths.absoluteURL(SitePaths.municipality(m.code), c.defaultLanguage))
        f.set("api_url", c.apiBase + SitePaths.apiMunicipality(m.code))
        return f
    }

    func municipalities(_ c: FeedContext, _ references: [[UInt8]]) -> [FeedTask] {
        let municipalities = c.catalog.governance.municipalities
        var localFound: [String: [Int]] = [:]
        var nationalFound: [Int] = []
        let published = c.published.offers
        for i in c.listed {
            if published[i].national { nationalFound.append(i); continue }
            var seen = Set<String>()
            for m in published[i].municipalities where seen.insert(m).inserted { localFound[m, default: []].append(i) }
        }
        let local = localFound, national = nationalFound
        var index = JSONFields()
        index.set("api_version", FeedContext.apiVersion)
        index.set("generated", c.generated)
        index.set("count", municipalities.count)
        let indexHead = index
        let indexTask = FeedTask(SitePaths.api + "municipalities.json", cost: municipalities.count * 200) {
            Self.withList(indexHead, key: "municipalities", items: municipalities.map { Self.municipalityValue($0, c).value.encoded(pretty: false) })
        }
        // National offers are listed once, in national.json, not in each of the 357 municipality files: each file
        // names their count and that file's address instead.
        let nationalTask = FeedTask(SitePaths.api + SitePaths.apiNational, cost: national.count * 150) {
            var head = JSONFields()
            head.set("api_version", FeedContext.apiVersion)
            head.set("generated", c.generated)
            head.set("count", national.count)
            return Self.withList(head, key: "offers", items: national.lazy.map { references[$0] })
        }
        let nationalOffers: JSONValue = .object([("count", .int(national.count)), ("api_url", .string(c.apiBase + SitePaths.apiNational))])
        return [indexTask, nationalTask] + municipalities.map { m in
            let items = local[m.code] ?? []
            return FeedTask(SitePaths.api + SitePaths.apiMunicipality(m.code), cost: items.count * 150) {
                var head = JSONFields()
                head.set("api_version", FeedContext.apiVersion)
                head.set("generated", c.generated)
                head.set("municipality", Self.municipalityValue(m, c).value)
                head.set("national_offers", nationalOffers)
                head.set("count", items.count)
                return Self.withList(head, key: "offers", items: items.lazy.map { references[$0] })
            }
        }
    }

    func topics(_ c: FeedContext, _ references: [[UInt8]]) -> [FeedTask] {
        let topics = c.catalog.governance.vocabulary(.topics).entries
        var topicsFound: [String: [Int]] = [:]
        for i in c.listed {
            var seen = Set<String>()
            for t in c.published.offers[i].topics where seen.insert(t).inserted { topicsFound[t, default: []].append(i) }
        }
        let byTopic = topicsFound
        return topics.map { e in
            let items = byTopic[e.id] ?? []
            return FeedTask(SitePaths.api + SitePaths.apiTopic(e.id), cost: items.count * 150) {
                var topic = JSONFields()
                topic.set("id", e.id)
                topic.set("labels", Self.labels(e, c))
                topic.set("url", c.paths.absoluteURL(SitePaths.topic(e.id), c.defaultLanguage))
                topic.set("api_url", c.apiBase + SitePaths.apiTopic(e.id))
                var head = JSONFields()
                head.set("api_version", FeedContext.apiVersion)
                head.set("generated", c.generated)
                head.set("topic", topic.value)
                head.set("count", items.count)
                return Self.withList(head, key: "offers", items: items.lazy.map { references[$0] })
            }
        }
    }

    /// `head` (compact) with a last key holding a list of items already encoded compactly, one item a line:
    /// `{"api_version":"1",…,"offers":[` newline, items separated by `,` and a newline, newline `]}`.
    static func withList(_ head: JSONFields, key: String, items: some Collection<[UInt8]>) -> [UInt8] {
        var out = listHead(head, key: key)
        if items.isEmpty {
            out.append(contentsOf: Array("]}\n".utf8))
            return out
        }
        out.reserveCapacity(out.count + items.reduce(0) { $0 + $1.count + 2 } + 4)
        for (n, item) in items.enumerated() {
            if n > 0 { out.append(UInt8(ascii: ",")) }
            out.append(0x0A)
            out.append(contentsOf: item)
        }
        out.append(contentsOf: Array("\n]}\n".utf8))
        return out
    }

    /// `head` (compact) opened for a last key holding a list: `{"api_version":"1",…,"offers":[`.
    static func listHead(_ head: JSONFields, key: String) -> [UInt8] {
        var out = head.value.encoded(pretty: false)
        out.removeLast()  // "}"
        if !head.isEmpty { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: JSONValue.string(key).encoded(pretty: false))
        out.append(contentsOf: Array(":[".utf8))
        return out
    }
}

/// The lines of a list streamed chunk by chunk (`offers.json`, the Bundle's entries): each chunk holds its items,
/// each after `,` and a newline; the very first item goes without the comma.
final class ListState: @unchecked Sendable {
    /// True until an item has been appended.
    private(set) var empty = true

    /// Appends a chunk's lines to `file`.
    func append(_ lines: [UInt8], to file: OutputWriter.Stream) throws {
        guard !lines.isEmpty else { return }
        try lines.withUnsafeBytes { all in
            try file.append(empty ? UnsafeRawBufferPointer(rebasing: all[1...]) : all)
        }
        empty = false
    }
}
