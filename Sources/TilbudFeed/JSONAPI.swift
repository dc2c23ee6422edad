import Foundation
import TilbudModel
import TilbudRender
import TilbudSite

/// The static JSON API under `/api/v1/` (see docs/api.md).
public struct JSONAPIStep: OutputStep {
    /// Creates the step.
    public init() {}

    /// Writes every file of the API.
    public func write(catalog: Catalog, renderer: SiteRenderer, writer: OutputWriter) throws {
        try write(FeedContext(catalog: catalog, renderer: renderer), writer: writer)
    }

    /// Writes every file of the API with a prepared context.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        try FeedFile.write(files(c), with: writer)
    }

    /// Every file of the API.
    public func files(_ c: FeedContext) -> [FeedFile] {
        let published = c.renderer.published
        // One compact object per published offer: its own file, and (when listed) a line of offers.json.
        let items = FeedContext.parallelMap(published.count) { OfferJSON.value($0, c).encoded(pretty: false) }
        var files = published.indices.map { FeedFile(record: "api/v1/offers/" + published[$0].id + ".json", items[$0]) }
        files.append(FeedFile("api/v1/offers.json", envelope(c, count: c.listed.count, key: "offers", items: c.listed.map { items[$0] })))
        files.append(FeedFile(document: "api/v1/vocabularies.json", vocabularies(c)))
        // Short references, encoded once, one line each: every national offer appears in all 357 municipality files.
        let references = FeedContext.parallelMap(published.count) { OfferJSON.reference($0, c).encoded(pretty: false) }
        files += providers(c, references)
        files += municipalities(c, references)
        files += topics(c, references)
        files.append(FeedFile(document: "api/v1/schema/offer.schema.json", Schemas.offer(c)))
        files.append(FeedFile(document: "api/v1/schema/offers.schema.json", Schemas.offers(c)))
        files.append(FeedFile(document: "api/v1/openapi.json", Schemas.openAPI(c)))
        return files
    }

    /// `{"api_version":"1","generated":…,"count":N,"<key>":[ … ]}` around items already encoded, one a line.
    func envelope(_ c: FeedContext, count: Int, key: String, items: [[UInt8]]) -> [UInt8] {
        var head = JSONFields()
        head.set("api_version", FeedContext.apiVersion)
        head.set("generated", c.generated)
        head.set("count", count)
        return Self.withList(head, key: key, items: items)
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
        f.set("url", c.renderer.absoluteURL("tilbyder/\(p.id)/", c.defaultLanguage))
        f.set("api_url", c.apiBase + "providers/\(p.id).json")
        f.set("offer_count", offerCount)
        return f
    }

    func providers(_ c: FeedContext, _ references: [[UInt8]]) -> [FeedFile] {
        let byProvider = Dictionary(grouping: c.renderer.published.indices, by: { c.renderer.published[$0].providerID })
        let providers = c.catalog.providers
        let listedCount = Dictionary(grouping: c.listed, by: { c.renderer.published[$0].providerID }).mapValues(\.count)
        var index = JSONFields()
        index.set("api_version", FeedContext.apiVersion)
        index.set("generated", c.generated)
        index.set("count", providers.count)
        var files = [FeedFile("api/v1/providers.json", Self.withList(index, key: "providers", items: providers.map {
            Self.providerValue($0, c, offerCount: listedCount[$0.id] ?? 0).value.encoded(pretty: false)
        }))]
        for p in providers {
            let items = byProvider[p.id] ?? []
            var head = JSONFields()
            head.set("api_version", FeedContext.apiVersion)
            head.set("generated", c.generated)
            head.set("provider", Self.providerValue(p, c, offerCount: listedCount[p.id] ?? 0).value)
            head.set("count", items.count)
            files.append(FeedFile("api/v1/providers/\(p.id).json", Self.withList(head, key: "offers", items: items.map { references[$0] })))
        }
        return files
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
        f.set("url", c.renderer.absoluteURL("kommune/\(m.code)/", c.defaultLanguage))
        f.set("api_url", c.apiBase + "municipalities/\(m.code).json")
        return f
    }

    func municipalities(_ c: FeedContext, _ references: [[UInt8]]) -> [FeedFile] {
        let municipalities = c.catalog.governance.municipalities
        var localFound: [String: [Int]] = [:]
        var nationalFound: [Int] = []
        let published = c.renderer.published
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
        let indexFile = FeedFile("api/v1/municipalities.json", Self.withList(index, key: "municipalities", items: municipalities.map {
            Self.municipalityValue($0, c).value.encoded(pretty: false)
        }))
        return [indexFile] + FeedContext.parallelMap(municipalities.count) { n in
            let m = municipalities[n]
            // Offers listed there and national ones, merged in id order.
            let items = ((local[m.code] ?? []) + national).sorted()
            var head = JSONFields()
            head.set("api_version", FeedContext.apiVersion)
            head.set("generated", c.generated)
            head.set("municipality", Self.municipalityValue(m, c).value)
            head.set("count", items.count)
            return FeedFile("api/v1/municipalities/\(m.code).json", Self.withList(head, key: "offers", items: items.map { references[$0] }))
        }
    }

    func topics(_ c: FeedContext, _ references: [[UInt8]]) -> [FeedFile] {
        let topics = c.catalog.governance.vocabulary(.topics).entries
        var topicsFound: [String: [Int]] = [:]
        for i in c.listed {
            var seen = Set<String>()
            for t in c.renderer.published[i].topics where seen.insert(t).inserted { topicsFound[t, default: []].append(i) }
        }
        let byTopic = topicsFound
        return topics.indices.map { n in
            let e = topics[n]
            let items = byTopic[e.id] ?? []
            var topic = JSONFields()
            topic.set("id", e.id)
            topic.set("labels", Self.labels(e, c))
            topic.set("url", c.renderer.absoluteURL("tema/\(e.id)/", c.defaultLanguage))
            topic.set("api_url", c.apiBase + "topics/\(e.id).json")
            var head = JSONFields()
            head.set("api_version", FeedContext.apiVersion)
            head.set("generated", c.generated)
            head.set("topic", topic.value)
            head.set("count", items.count)
            return FeedFile("api/v1/topics/\(e.id).json", Self.withList(head, key: "offers", items: items.map { references[$0] }))
        }
    }

    /// `head` (compact) with a last key holding a list of items already encoded compactly, one item a line:
    /// `{"api_version":"1",…,"offers":[` newline, items separated by `,` and a newline, newline `]}`.
    static func withList(_ head: JSONFields, key: String, items: [[UInt8]]) -> [UInt8] {
        var out = head.value.encoded(pretty: false)
        out.removeLast()  // "}"
        if !head.isEmpty { out.append(UInt8(ascii: ",")) }
        out.append(contentsOf: JSONValue.string(key).encoded(pretty: false))
        out.append(contentsOf: Array(":[".utf8))
        if items.isEmpty {
            out.append(contentsOf: Array("]}\n".utf8))
            return out
        }
        out.reserveCapacity(out.count + items.reduce(0) { $0 + $1.count + 2 } + 4)
        for (n, item) in items.enumerated() {
            out.append(contentsOf: n == 0 ? [0x0A] : [UInt8(ascii: ","), 0x0A])
            out.append(contentsOf: item)
        }
        out.append(contentsOf: Array("\n]}\n".utf8))
        return out
    }
}
