import Foundation
import TilbudJSON
import TilbudModel
import TilbudRender
import TilbudOutput

/// The FHIR R4 (4.0.1) export under `/api/fhir/R4/`, as a static FHIR Bulk Data publication (HL7 FHIR Bulk Data
/// Access IG, "Bulk Publish"): one NDJSON file per resource type (`<Type>.ndjson`, one resource a line) and the
/// manifest `$bulk-publish` that lists them.
///
/// - one `HealthcareService` per listed offer (current and due),
/// - one `Organization` per provider (orgnr as identifier, system `urn:oid:2.16.578.1.12.4.1.4.101`; HER-id and RESH-id when given),
/// - one `Location` per distinct place of those offers, per municipality (`kommune-<kommunenummer>`) and for Norway (`norge`),
///   the last two being what `coverageArea` points at,
/// - one `CodeSystem` per vocabulary the resources code with.
public struct FHIRStep: OutputStep {
    /// How the resources are streamed.
    let batching: Batching

    /// The resource types in the order of the manifest (and of `FHIRExport.items`).
    public static let types = SitePaths.fhirTypes

    /// Creates the step (`batching` only changes how the work is cut up, never the output).
    public init(batching: Batching = .resources) { self.batching = batching }

    /// Writes the export.
    public func write(_ published: PublishedCatalog, writer: OutputWriter) throws {
        try write(FeedContext(published: published), writer: writer)
    }

    /// Writes the export with a prepared context: each resource is built and encoded once, as a line of its type's
    /// NDJSON file, a window of chunks at a time; then the manifest with each file's count.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        let export = FHIRExport(c)
        let items = export.items()
        let types = Self.types
        let files = try types.map { try writer.stream(SitePaths.fhir + SitePaths.fhirFile($0)) }
        var counts = [Int](repeating: 0, count: types.count)
        for item in items { counts[types.firstIndex(of: export.name(item).type)!] += 1 }
        try FeedStream.run(count: items.count, batching, make: { range in
            // One buffer per type: a chunk can span the end of one type and the start of the next.
            var out = [[UInt8]](repeating: [], count: types.count)
            var w = JSONWriter(escaping: .html)
            w.bytes.reserveCapacity(range.count * 3072)
            var current = -1
            for n in range {
                let (type, id) = export.name(items[n])
                let t = types.firstIndex(of: type)!
                if t != current {
                    if current >= 0 { out[current] += w.bytes }
                    w.bytes.removeAll(keepingCapacity: true)
                    current = t
                }
                if case let .service(i) = items[n] {
                    // A HealthcareService is made from its offer alone: an earlier build's, when its inputs are the same.
                    c.published.write(.healthcareService, offer: i, to: &w) { export.write(items[n], id: id, to: &$0) }
                } else {
                    export.write(items[n], id: id, to: &w)
                }
                w.bytes.append(0x0A)
            }
            if current >= 0 { out[current] += w.bytes }
            return out
        }, emit: { chunks in
            for (t, bytes) in chunks.enumerated() where !bytes.isEmpty { try files[t].append(bytes) }
        })
        for file in files { try file.close() }
        try writer.write(SitePaths.fhir + SitePaths.fhirManifest, Self.manifest(c, counts: Array(zip(types, counts))))
    }

    /// The Bulk Publish manifest: the build day as `transactionTime`, open access, and each type's file with its count.
    static func manifest(_ c: FeedContext, counts: [(String, Int)]) -> [UInt8] {
        var f = JSONFields()
        f.set("manifestType", "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/bulk-publish")
        f.set("transactionTime", c.generated + "T00:00:00Z")
        f.set("requiresAccessToken", false)
        f.set("outputFormat", "application/fhir+ndjson")
        f.set("outputOrganizedBy", "type")
        f.set("output", .array(counts.map { type, count in
            .object([("type", .string(type)), ("url", .string(c.fhirBase + SitePaths.fhirFile(type))), ("count", .int(count))])
        }))
        return f.value.encoded()
    }
}

/// One FHIR resource to write.
public struct FHIRResource: Sendable {
    /// `HealthcareService`, `Organization`, `Location` or `CodeSystem`.
    public let type: String
    /// The id, `[A-Za-z0-9\-\.]{1,64}`.
    public let id: String
    /// The resource.
    public let value: JSONValue
}

/// Maps the catalog to FHIR R4 resources.
public struct FHIRExport: Sendable {
    let c: FeedContext

    /// The organisation number's identifier system (Enhetsregisteret).
    public static let orgnrSystem = "urn:oid:2.16.578.1.12.4.1.4.101"
    /// HER-id, a communication party in Norsk helsenett's Adresseregister.
    public static let herSystem = "urn:oid:2.16.578.1.12.4.1.2"
    /// RESH-id, a unit in the specialist health service.
    public static let reshSystem = "urn:oid:2.16.578.1.12.4.1.4.102"
    /// Kommunenummer (Volven 3402).
    public static let kommunenummerSystem = "urn:oid:2.16.578.1.12.4.1.1.3402"
    /// HL7's service provision conditions (free, disc, cost).
    public static let provisionSystem = "http://terminology.hl7.org/CodeSystem/service-provision-conditions"
    /// HL7's service referral methods (fax, phone, elec, semail, mail).
    public static let referralMethodSystem = "http://terminology.hl7.org/CodeSystem/service-referral-method"
    /// HL7's location physical types.
    public static let physicalTypeSystem = "http://terminology.hl7.org/CodeSystem/location-physical-type"
    /// BCP 47 language tags.
    public static let languageSystem = "urn:ietf:bcp:47"

    /// The vocabularies published as CodeSystems: vocabulary name, CodeSystem id, computable name, title.
    public static let codeSystems: [(VocabularyName, String, String, String)] = [
        (.kind, "tilbud-kind", "TilbudKind", "Type tilbud (kind)"),
        (.format, "tilbud-format", "TilbudFormat", "Form (format)"),
        (.delivery, "tilbud-delivery", "TilbudDelivery", "Gjennomføring (delivery)"),
        (.topics, "tilbud-topics", "TilbudTopics", "Tema (topics)"),
        (.audiences, "tilbud-audiences", "TilbudAudiences", "Målgruppe (audiences)"),
        (.price, "tilbud-price", "TilbudPrice", "Pris (price)"),
        (.referral, "tilbud-referral", "TilbudReferral", "Henvisning (referral)"),
        (.accessibility, "tilbud-accessibility", "TilbudAccessibility", "Tilgjengelighet (accessibility)"),
        (.providerType, "tilbud-provider-type", "TilbudProviderType", "Type tilbyder (provider_type)"),
    ]

    /// Location ids of each listed offer's places, by position in `published.offers` (computed once).
    let placeIDs: [Int: [String]]
    /// The HealthcareService id of each listed offer, by position in `published.offers` (computed once).
    let serviceIDs: [Int: String]
    /// Every vocabulary id's coding and concept, encoded once: they repeat in every resource.
    let codings: [VocabularyName: [String: [UInt8]]]
    let concepts: [VocabularyName: [String: [UInt8]]]
    /// What repeats in the services and places, encoded once: per provider id its Organization's `{"reference",
    /// "display"}`, per kommunenummer its Location's, per language code of the vocabulary its `communication` entry.
    let organizationReferences: [String: [UInt8]]
    let municipalityReferences: [String: [UInt8]]
    let communications: [String: [UInt8]]
    /// The system of the services' identifiers (`<api>/offers`).
    let offersSystem: String

    /// Each provider's Organization id, fitted once.
    let organizationIDs: [String: String]

    /// The Organization id of a provider.
    func organizationID(_ providerID: String) -> String { organizationIDs[providerID] ?? Self.fit(providerID) }

    /// Creates the mapper.
    public init(_ context: FeedContext) {
        self.c = context
        self.organizationIDs = Dictionary(context.catalog.providers.map { ($0.id, Self.fit($0.id)) }, uniquingKeysWith: { a, _ in a })
        let ids = FeedContext.parallelMap(context.listed.count) { n -> (service: String, places: [String]) in
            let i = context.listed[n]
            let provider = context.published.offers[i].providerID
            return (Self.fit(provider + "--" + context.published.offers[i].slug),
                    context.published.offers[i].locations.map { Self.locationID(provider, $0) })
        }
        self.placeIDs = Dictionary(uniqueKeysWithValues: zip(context.listed, ids.map(\.places)))
        self.serviceIDs = Dictionary(uniqueKeysWithValues: zip(context.listed, ids.map(\.service)))
        var codings: [VocabularyName: [String: [UInt8]]] = [:], concepts: [VocabularyName: [String: [UInt8]]] = [:]
        for (name, id, _, _) in Self.codeSystems {
            let system = context.fhirBase + "CodeSystem/" + id
            for e in context.catalog.governance.vocabulary(name).entries {
                codings[name, default: [:]][e.id] = Self.makeCoding(context, system, name, e.id).encoded(pretty: false)
                concepts[name, default: [:]][e.id] = Self.makeConcept(context, system, name, e.id).encoded(pretty: false)
            }
        }
        self.codings = codings
        self.concepts = concepts
        var organizations: [String: [UInt8]] = [:], municipalities: [String: [UInt8]] = [:], communications: [String: [UInt8]] = [:]
        // Found as the lookups find them, should an id ever be given twice.
        for (id, i) in context.providerIndex {
            organizations[id] = Self.reference("Organization/" + (organizationIDs[id] ?? Self.fit(id)), context.catalog.providers[i].name)
        }
        for m in context.catalog.governance.municipalities {
            municipalities[m.code] = Self.reference("Location/" + Self.municipalityID(m.code), context.catalog.governance.municipality(m.code)?.name ?? m.name)
        }
        for e in context.catalog.governance.vocabulary(.languages).entries {
            communications[e.id] = Self.communication(e.id, e.label(context.defaultLanguage))
        }
        self.organizationReferences = organizations
        self.municipalityReferences = municipalities
        self.communications = communications
        self.offersSystem = context.apiBase + "offers"
    }

    /// The canonical URL of the CodeSystem for `name`.
    public func system(_ name: VocabularyName) -> String {
        let id = Self.codeSystems.first { $0.0 == name }?.1 ?? "tilbud-\(name.rawValue)"
        return c.fhirBase + "CodeSystem/" + id
    }

    // MARK: ids

    /// `s` if it fits FHIR's id rule, else its first 47 characters (others than `A-Za-z0-9-.` as `-`), `-` and
    /// 16 hex digits of its FNV-1a hash.
    public static func fit(_ s: String) -> String {
        var copy = s
        return copy.withUTF8 { bytes in
            if bytes.count <= 64 && !bytes.isEmpty && bytes.allSatisfy(allowed) { return s }
            var out: [UInt8] = []
            out.reserveCapacity(64)
            // One byte for each of the first 47 scalars (found by their first byte, as the text is valid UTF-8).
            for b in bytes where b & 0xC0 != 0x80 {
                if out.count == 47 { break }
                out.append(b < 0x80 && allowed(b) ? b : UInt8(ascii: "-"))
            }
            out.append(UInt8(ascii: "-"))
            var h = fnvOffset
            fnv1a(bytes, into: &h)
            appendHex(h, digits: 16, to: &out)
            return String(decoding: out, as: UTF8.self)
        }
    }

    @inline(__always) static func allowed(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
    }

    static let fnvOffset: UInt64 = 0xcbf2_9ce4_8422_2325
    static let fnvPrime: UInt64 = 0x100_0000_01b3

    static func fnv1a(_ s: String) -> UInt64 {
        var h = fnvOffset
        fnv1a(s, into: &h)
        return h
    }

    static func fnv1a(_ s: String, into h: inout UInt64) {
        var copy = s
        copy.withUTF8 { fnv1a($0, into: &h) }
    }

    static func fnv1a(_ bytes: UnsafeBufferPointer<UInt8>, into h: inout UInt64) {
        var x = h
        for b in bytes { x = (x ^ UInt64(b)) &* fnvPrime }
        h = x
    }

    /// The `digits` lowest hex digits of `v` (lower case, with leading zeros).
    static func appendHex(_ v: UInt64, digits: Int, to out: inout [UInt8]) {
        for k in stride(from: digits - 1, through: 0, by: -1) {
            let d = UInt8(truncatingIfNeeded: v >> UInt64(4 * k)) & 0xF
            out.append(d < 10 ? 0x30 + d : 0x57 + d)
        }
    }

    static func hex64(_ v: UInt64) -> String {
        var out: [UInt8] = []
        appendHex(v, digits: 16, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// The HealthcareService id of an offer: `<provider>--<slug>`, fitted.
    public static func serviceID(_ o: Offer) -> String { fit(o.providerID + "--" + o.slug) }

    /// The Location id of a municipality.
    public static func municipalityID(_ code: String) -> String { "kommune-" + code }

    /// The Location id for Norway as a whole.
    public static let norwayID = "norge"

    /// The Location id of a place: `<provider>--<name as ascii>-<8 hex digits of its details>`, fitted.
    public static func locationID(_ providerID: String, _ l: Location) -> String {
        // The hash of the details, each followed by 0x1F; the position as `lat,lon`.
        var h = fnvOffset
        func end() { h = (h ^ 0x1F) &* fnvPrime }
        for part in [providerID, l.name, l.address, l.postalCode, l.city, l.municipality] {
            fnv1a(part, into: &h)
            end()
        }
        if let g = l.geo {
            fnv1a(g.lat.description, into: &h)
            h = (h ^ UInt64(UInt8(ascii: ","))) &* fnvPrime
            fnv1a(g.lon.description, into: &h)
        }
        end()
        // As much of the name as fits beside the provider id and the hash.
        var id = Array(providerID.utf8)
        id.append(contentsOf: [UInt8(ascii: "-"), UInt8(ascii: "-")])
        var name = asciiSlugBytes(l.name)
        name.removeLast(max(0, name.count - max(0, 64 - providerID.count - 2 - 9)))
        while name.last == UInt8(ascii: "-") { name.removeLast() }
        if !name.isEmpty {
            id += name
            id.append(UInt8(ascii: "-"))
        }
        appendHex(h >> 32, digits: 8, to: &id)
        return fit(String(decoding: id, as: UTF8.self))
    }

    /// Lowercase a–z, 0–9 and single dashes: æ → ae, ø → o, accented Latin and Sami letters to their base letter.
    static func asciiSlug(_ s: String) -> String { String(decoding: asciiSlugBytes(s), as: UTF8.self) }

    /// `asciiSlug` as its (ASCII) bytes.
    static func asciiSlugBytes(_ s: String) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(s.utf8.count)
        var dash = false
        func add(_ text: StaticString) {
            text.withUTF8Buffer { out.append(contentsOf: $0) }
            dash = false
        }
        for u in s.unicodeScalars {
            if u.value < 0x80 {
                let b = UInt8(u.value)
                if b &- 0x61 < 26 || b &- 0x30 < 10 {
                    out.append(b)
                    dash = false
                    continue
                }
                if b &- 0x41 < 26 {
                    out.append(b + 32)
                    dash = false
                    continue
                }
            }
            switch u {
            case "æ", "Æ": add("ae")
            case "ø", "Ø", "ö", "Ö", "ó", "Ó", "ò", "ô", "õ": add("o")
            case "å", "Å", "ä", "Ä", "á", "Á", "à", "â", "ã": add("a")
            case "é", "É", "è", "ê", "ë": add("e")
            case "í", "ì", "î", "ï", "Ï": add("i")
            case "ú", "ù", "û", "ü", "Ü": add("u")
            case "ý", "ÿ": add("y")
            case "č", "Č", "ç": add("c")
            case "đ", "Đ": add("d")
            case "ŋ", "Ŋ", "ñ": add("n")
            case "š", "Š": add("s")
            case "ŧ", "Ŧ": add("t")
            case "ž", "Ž": add("z")
            default:
                if !dash, !out.isEmpty { out.append(UInt8(ascii: "-")) }
                dash = true
            }
        }
        while out.last == UInt8(ascii: "-") { out.removeLast() }
        return out.isEmpty ? Array("sted".utf8) : out
    }

    /// What one resource is made from.
    enum Item: Sendable {
        case codeSystem(Int), organization(Int), norway, municipality(Int), place(Location, id: String, provider: String), service(Int)
    }

    /// Every resource's source, in bundle order: CodeSystems, Organizations, Locations (Norway, the municipalities,
    /// each place once in order of first use), HealthcareServices.
    func items() -> [Item] {
        var items: [Item] = Self.codeSystems.indices.map { .codeSystem($0) }
        items += c.catalog.providers.indices.map { .organization($0) }
        items.append(.norway)
        items += c.catalog.governance.municipalities.indices.map { .municipality($0) }
        var seen = Set<String>()
        let published = c.published.offers
        for i in c.listed {
            for (l, id) in zip(published[i].locations, placeIDs[i] ?? []) where seen.insert(id).inserted {
                items.append(.place(l, id: id, provider: published[i].providerID))
            }
        }
        items += c.listed.map { .service($0) }
        return items
    }

    /// The type and id of the resource made from `item`.
    func name(_ item: Item) -> (type: String, id: String) {
        switch item {
        case let .codeSystem(n): return ("CodeSystem", Self.codeSystems[n].1)
        case let .organization(n): return ("Organization", Self.fit(c.catalog.providers[n].id))
        case .norway: return ("Location", Self.norwayID)
        case let .municipality(n): return ("Location", Self.municipalityID(c.catalog.governance.municipalities[n].code))
        case let .place(_, id, _): return ("Location", id)
        case let .service(i): return ("HealthcareService", serviceIDs[i] ?? Self.serviceID(c.published.offers[i]))
        }
    }

    /// Writes the resource made from `item` as one compact object. The many (services and places) are written
    /// straight to bytes; the few (CodeSystems, Organizations, municipalities) are built as values and encoded.
    func write(_ item: Item, id: String, to w: inout JSONWriter) {
        w.startRecord()
        switch item {
        case let .codeSystem(n):
            let (name, id, computable, title) = Self.codeSystems[n]
            w.value(nil, codeSystem(name, id: id, name: computable, title: title))
        case let .organization(n): w.value(nil, organization(c.catalog.providers[n]))
        case .norway: w.value(nil, norway())
        case let .municipality(n): w.value(nil, municipality(c.catalog.governance.municipalities[n]))
        case let .place(l, id, provider): place(l, id: id, providerID: provider, to: &w)
        case let .service(i): c.published.offers.withUnsafeBufferPointer { healthcareService($0[i], i, id: id, to: &w) }
        }
    }

    /// The resource made from `item`.
    func resource(_ item: Item) -> FHIRResource {
        let (type, id) = name(item)
        var w = JSONWriter(escaping: .html)
        write(item, id: id, to: &w)
        return FHIRResource(type: type, id: id, value: .raw(w.bytes))
    }

    /// Every resource, in bundle order.
    public func resources() -> [FHIRResource] { items().map(resource) }

    /// `{"system", "code", "display"}` for a vocabulary id (pre-encoded for every id of the vocabularies).
    func coding(_ name: VocabularyName, _ id: String) -> [UInt8] {
        codings[name]?[id] ?? Self.makeCoding(c, system(name), name, id).encoded(pretty: false)
    }

    /// `{"coding": [coding], "text": label}` for a vocabulary id (pre-encoded for every id of the vocabularies).
    func concept(_ name: VocabularyName, _ id: String) -> [UInt8] {
        concepts[name]?[id] ?? Self.makeConcept(c, system(name), name, id).encoded(pretty: false)
    }

    /// `{"reference","display"}` of the Organization of a provider (pre-encoded for every provider).
    func organizationReference(_ providerID: String) -> [UInt8] {
        organizationReferences[providerID] ?? Self.reference("Organization/" + organizationID(providerID), c.provider(ofID: providerID)?.name ?? providerID)
    }

    /// `{"reference","display"}` of the Location of a municipality (pre-encoded for every municipality).
    func municipalityReference(_ code: String) -> [UInt8] {
        municipalityReferences[code] ?? Self.reference("Location/" + Self.municipalityID(code), c.catalog.governance.municipality(code)?.name ?? code)
    }

    /// A `communication` entry for a language code (pre-encoded for every language of the vocabulary).
    func communication(_ code: String) -> [UInt8] {
        communications[code] ?? Self.communication(code, c.catalog.governance.vocabulary(.languages)[code]?.label(c.defaultLanguage) ?? code)
    }

    /// `{"coding":[{"system":BCP 47,"code","display":name}],"text":name}`.
    static func communication(_ code: String, _ name: String) -> [UInt8] {
        var f = JSONWriter(escaping: .html)
        f.openObject()
        f.openArray("coding")
        hl7(languageSystem, code, name, to: &f)
        f.closeArray()
        f.string("text", name)
        f.closeObject()
        return f.bytes
    }

    /// `{"reference","display"}`.
    static func reference(_ reference: String, _ display: String) -> [UInt8] {
        var f = JSONWriter(escaping: .html)
        Self.reference(nil, reference, display, to: &f)
        return f.bytes
    }

    static func makeCoding(_ c: FeedContext, _ system: String, _ name: VocabularyName, _ id: String) -> JSONValue {
        .object([("system", .string(system)), ("code", .string(id)),
                 ("display", .string(c.catalog.governance.vocabulary(name)[id]?.label(c.defaultLanguage) ?? id))])
    }

    static func makeConcept(_ c: FeedContext, _ system: String, _ name: VocabularyName, _ id: String) -> JSONValue {
        .object([("coding", .array([makeCoding(c, system, name, id)])),
                 ("text", .string(c.catalog.governance.vocabulary(name)[id]?.label(c.defaultLanguage) ?? id))])
    }

    static func hl7(_ system: String, _ code: String, _ display: String) -> JSONValue {
        .object([("system", .string(system)), ("code", .string(code)), ("display", .string(display))])
    }

    func codeSystem(_ name: VocabularyName, id: String, name computable: String, title: String) -> JSONValue {
        let vocabulary = c.catalog.governance.vocabulary(name)
        var f = JSONFields()
        f.set("resourceType", "CodeSystem")
        f.set("id", id)
        f.set("url", system(name))
        f.set("name", computable)
        f.set("title", title)
        f.set("status", "active")
        f.set("experimental", false)
        f.set("publisher", c.catalog.site.title[c.defaultLanguage] ?? "Tilbud")
        f.set("description", "The `\(name.rawValue)` vocabulary of the catalog's governance data (content/governance/vocabularies.yaml), with labels in nb, nn and en.")
        f.set("caseSensitive", true)
        f.set("content", "complete")
        f.set("count", vocabulary.entries.count)
        f.set("concept", .array(vocabulary.entries.map { e in
            var concept = JSONFields()
            concept.set("code", e.id)
            concept.set("display", e.label(c.defaultLanguage))
            let others = c.languages.filter { $0 != c.defaultLanguage && e.labels[$0] != nil }
            if !others.isEmpty {
                concept.set("designation", .array(others.map { l in
                    .object([("language", .string(l)), ("value", .string(e.labels[l]!))])
                }))
            }
            return concept.value
        }))
        return f.value
    }

    func telecom(phone: String?, email: String?, url: String?) -> [JSONValue] {
        var out: [JSONValue] = []
        if let phone { out.append(.object([("system", .string("phone")), ("value", .string(Phone.e164(phone))), ("use", .string("work"))])) }
        if let email { out.append(.object([("system", .string("email")), ("value", .string(email)), ("use", .string("work"))])) }
        if let url { out.append(.object([("system", .string("url")), ("value", .string(url)), ("use", .string("work"))])) }
        return out
    }

    func organization(_ p: Provider) -> JSONValue {
        let gov = c.catalog.governance
        var f = JSONFields()
        f.set("resourceType", "Organization")
        f.set("id", Self.fit(p.id))
        var identifiers: [JSONValue] = [.object([("use", .string("official")), ("system", .string(Self.orgnrSystem)), ("value", .string(p.orgNumber))])]
        // The HER-id (Adresseregisteret) and RESH-id, when the provider declares them (`her_id`, `resh_id` in fields.yaml).
        for (name, system) in [("her_id", Self.herSystem), ("resh_id", Self.reshSystem)] {
            if case let .integer(n)? = p.extra.first(where: { $0.name == name })?.value {
                identifiers.append(.object([("system", .string(system)), ("value", .string(String(n)))]))
            }
        }
        f.set("identifier", .array(identifiers))
        f.set("active", true)
        f.set("type", .array([.raw(concept(.providerType, p.type))]))
        f.set("name", p.name)
        let t = telecom(phone: p.phone, email: p.email, url: p.website)
        if !t.isEmpty { f.set("telecom", .array(t)) }
        var address = JSONFields()
        if let m = gov.municipality(p.municipality) {
            address.set("district", m.name)
            address.set("state", m.countyName)
        }
        address.set("country", "NO")
        f.set("address", .array([address.value]))
        return f.value
    }

    static let jurisdiction: JSONValue = .object([("coding", .array([hl7(physicalTypeSystem, "jdn", "Jurisdiction")]))])

    func norway() -> JSONValue {
        .object([
            ("resourceType", .string("Location")),
            ("id", .string(Self.norwayID)),
            ("status", .string("active")),
            ("name", .string("Norge")),
            ("alias", .strings(["Noreg", "Norway"])),
            ("description", .string("Hele Norge: for tilbud som er åpne for alle som bor i landet.")),
            ("mode", .string("instance")),
            ("physicalType", Self.jurisdiction),
            ("address", .object([("country", .string("NO"))])),
        ])
    }

    func municipality(_ m: Municipality) -> JSONValue {
        .object([
            ("resourceType", .string("Location")),
            ("id", .string(Self.municipalityID(m.code))),
            ("identifier", .array([.object([("system", .string(Self.kommunenummerSystem)), ("value", .string(m.code))])])),
            ("status", .string("active")),
            ("name", .string(m.name)),
            ("description", .string("Kommune \(m.code), \(m.countyName)")),
            ("mode", .string("instance")),
            ("physicalType", Self.jurisdiction),
            ("address", .object([("district", .string(m.name)), ("state", .string(m.countyName)), ("country", .string("NO"))])),
            ("partOf", .object([("reference", .string("Location/" + Self.norwayID)), ("display", .string("Norge"))])),
        ])
    }

    func place(_ l: Location, id: String, providerID: String, to f: inout JSONWriter) {
        let gov = c.catalog.governance
        let m = gov.municipality(l.municipality)
        f.openObject()
        f.string("resourceType", "Location")
        f.string("id", id)
        f.string("status", "active")
        f.string("name", l.name)
        f.string("mode", "instance")
        f.openObject("address")
        f.string("use", "work")
        f.string("type", "physical")
        f.strings("line", [l.address])
        f.string("city", l.city)
        f.string("district", m?.name)
        f.string("state", m?.countyName)
        f.string("postalCode", l.postalCode)
        f.string("country", "NO")
        f.closeObject()
        if let g = l.geo {
            f.openObject("position")
            f.number("longitude", g.lon)
            f.number("latitude", g.lat)
            f.closeObject()
        }
        if c.providerIndex[providerID] != nil { f.raw("managingOrganization", organizationReference(providerID)) }
        f.raw("partOf", municipalityReference(l.municipality))
        f.closeObject()
    }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The days of the week a run meets, when the dates tell: every day of a run shorter than a week,
    /// or the one weekday of a weekly series that starts and ends on the same weekday.
    static func days(_ run: ScheduleRun) -> [String] {
        let start = run.start.day, end = run.lastDay
        let span = end.ordinal - start.ordinal
        if span < 0 { return [] }
        if span < 7 {
            // Weekdays as bits (1 = Monday … 7 = Sunday): day k of the run falls on the start's weekday plus k.
            var mask = 0
            for k in 0...span { mask |= 1 << ((start.weekday - 1 + k) % 7 + 1) }
            return (1...7).filter { mask & (1 << $0) != 0 }.map { weekdays[$0 - 1] }
        }
        return start.weekday == end.weekday ? [weekdays[start.weekday - 1]] : []
    }

    /// `{"system","code","display"}` written straight.
    static func hl7(_ system: String, _ code: String, _ display: String, to f: inout JSONWriter) {
        f.openObject()
        f.string("system", system)
        f.string("code", code)
        f.string("display", display)
        f.closeObject()
    }

    /// `{"reference","display"}` written straight.
    static func reference(_ key: StaticString?, _ reference: String, _ display: String, to f: inout JSONWriter) {
        f.openObject(key)
        f.string("reference", reference)
        f.string("display", display)
        f.closeObject()
    }

    /// Offers are passed in, not copied out of the array: an offer has many fields to retain.
    func healthcareService(_ o: Offer, _ index: Int, id: String, to f: inout JSONWriter) {
        let gov = c.catalog.governance
        // Only the body text is needed: taken out alone rather than copying the whole rendered text.
        let body = c.published.texts[index][c.defaultLanguage]?.bodyText
        let price = priceText(o)
        let label = { (name: VocabularyName, id: String) in gov.vocabulary(name)[id]?.label(self.c.defaultLanguage) ?? id }
        f.openObject()
        f.string("resourceType", "HealthcareService")
        f.string("id", id)
        f.openArray("identifier")
        f.openObject()
        f.string("system", offersSystem)
        f.string("value", o.id)
        f.closeObject()
        f.closeArray()
        f.bool("active", true)
        f.raw("providedBy", organizationReference(o.providerID))
        f.openArray("category")
        f.raw(nil, concept(.kind, o.kind))
        f.closeArray()
        f.openArray("type")
        f.raw(nil, concept(.format, o.format))
        f.closeArray()
        f.openArray("specialty")
        for t in o.topics { f.raw(nil, concept(.topics, t)) }
        f.closeArray()
        if !o.locations.isEmpty {
            // A handful of places: a list is cheaper than a set.
            var seen: [String] = []
            let ids = placeIDs[index] ?? o.locations.map { Self.locationID(o.providerID, $0) }
            f.openArray("location")
            for (l, id) in zip(o.locations, ids) where !seen.contains(id) {
                seen.append(id)
                Self.reference(nil, "Location/" + id, l.name, to: &f)
            }
            f.closeArray()
        }
        f.string("name", o.title)
        f.string("comment", o.summary)
        f.joined("extraDetails", extraDetails(o, body: body, price: price), separator: "\n\n")
        // Telecom: how to reach the service (contact first, then sign-up), each value once.
        var telecom: [(system: String, value: String)] = []
        for (system, value) in [("phone", o.contact.phone.map(Phone.e164)), ("email", o.contact.email),
                                ("phone", o.signup.phone.map(Phone.e164)), ("email", o.signup.email), ("url", o.signup.url)] {
            if let value, !telecom.contains(where: { $0.value == value }) { telecom.append((system, value)) }
        }
        if !telecom.isEmpty {
            f.openArray("telecom")
            for t in telecom {
                f.openObject()
                f.string("system", t.system)
                f.string("value", t.value)
                f.string("use", "work")
                f.closeObject()
            }
            f.closeArray()
        }
        if o.national {
            f.openArray("coverageArea")
            Self.reference(nil, "Location/" + Self.norwayID, "Norge", to: &f)
            f.closeArray()
        } else if !o.municipalities.isEmpty {
            var seen: [String] = []
            f.openArray("coverageArea")
            for code in o.municipalities where !seen.contains(code) {
                seen.append(code)
                f.raw(nil, municipalityReference(code))
            }
            f.closeArray()
        }
        // Price: HL7's provision condition, and our own price kind beside it.
        let provision: (String, String) = c.catalog.governance.vocabulary(.price).has(o.price.kind, .free) ? ("free", "Free") : ("cost", "Fees apply")
        f.openArray("serviceProvisionCode")
        f.openObject()
        f.openArray("coding")
        Self.hl7(Self.provisionSystem, provision.0, provision.1, to: &f)
        f.raw(nil, coding(.price, o.price.kind))
        f.closeArray()
        f.string("text", price)
        f.closeObject()
        f.closeArray()
        if !c.catalog.governance.vocabulary(.referral).has(o.referral, .selfReferral) {
            f.openArray("eligibility")
            f.openObject()
            f.raw("code", concept(.referral, o.referral))
            f.string("comment", label(.referral, o.referral))
            f.closeObject()
            f.closeArray()
        }
        f.openArray("characteristic")
        f.raw(nil, concept(.delivery, o.delivery))
        for a in o.audiences { f.raw(nil, concept(.audiences, a)) }
        for a in o.accessibility { f.raw(nil, concept(.accessibility, a)) }
        f.closeArray()
        f.openArray("communication")
        for l in o.languages { f.raw(nil, communication(l)) }
        f.closeArray()
        f.openArray("referralMethod")
        referralMethod(o, to: &f)
        f.closeArray()
        f.bool("appointmentRequired", Self.appointmentRequired(o, c.catalog.governance))
        let (available, notAvailable, exceptions) = availability(o)
        if !available.isEmpty {
            f.openArray("availableTime")
            for a in available {
                f.openObject()
                if !a.days.isEmpty { f.strings("daysOfWeek", a.days) }
                f.string("availableStartTime", a.start)
                f.string("availableEndTime", a.end)
                f.closeObject()
            }
            f.closeArray()
        }
        if !notAvailable.isEmpty {
            f.openArray("notAvailable")
            for p in notAvailable {
                f.openObject()
                f.string("description", p.description)
                f.openObject("during")
                f.day("start", p.start)
                f.day("end", p.end)
                f.closeObject()
                f.closeObject()
            }
            f.closeArray()
        }
        f.string("availabilityExceptions", exceptions)
        f.closeObject()
    }


    /// True when a referral is needed, or the format is one you book (a course, one-to-one follow-up).
    public static func appointmentRequired(_ o: Offer, _ governance: Governance) -> Bool {
        !governance.vocabulary(.referral).has(o.referral, .selfReferral) || governance.vocabulary(.format).has(o.format, .booked)
    }

    /// The referral as our own code, and the HL7 methods it can arrive by: an electronic referral for
    /// `henvisning` and `frisklivsresept`; the sign-up's phone and web page for self-referral.
    func referralMethod(_ o: Offer, to f: inout JSONWriter) {
        var hl7: [(String, String)] = []
        if !c.catalog.governance.vocabulary(.referral).has(o.referral, .selfReferral) { hl7.append(("elec", "Secure Messaging")) }
        if o.signup.phone != nil || (o.signup.url == nil && o.signup.email == nil && o.contact.phone != nil) { hl7.append(("phone", "Phone")) }
        if o.signup.url != nil, !hl7.contains(where: { $0.0 == "elec" }) { hl7.append(("elec", "Secure Messaging")) }
        f.openObject()
        f.openArray("coding")
        f.raw(nil, coding(.referral, o.referral))
        for (code, display) in hl7 { Self.hl7(Self.referralMethodSystem, code, display, to: &f) }
        f.closeArray()
        f.string("text", c.catalog.governance.vocabulary(.referral)[o.referral]?.label(c.defaultLanguage) ?? o.referral)
        f.closeObject()
    }

    func priceText(_ o: Offer) -> String {
        var s = c.catalog.governance.vocabulary(.price)[o.price.kind]?.label(c.defaultLanguage) ?? o.price.kind
        if let n = o.price.amountNOK { s += ": \(n) kr" }  // a free price has none
        if let note = o.price.note, !note.isEmpty { s += ". " + note }
        return s
    }

    /// The parts of `extraDetails`, a FHIR `markdown` field: plain text (the body's text, the price and its note)
    /// written as Markdown that renders to exactly that text, so a `<img onerror=…>` in a code span of the body never
    /// becomes live HTML in a consumer that renders the field.
    func extraDetails(_ o: Offer, body: String?, price: String) -> [String] {
        var parts: [String] = []
        if let body, !body.isEmpty { parts.append(Self.markdownLiteral(body)) }
        parts.append("Pris: " + Self.markdownLiteral(price))
        if let d = o.signup.deadline { parts.append("Påmeldingsfrist: " + d.norwegian) }
        return parts
    }

    /// `text` as CommonMark that renders to exactly `text`: every character that can start markup (`\`, `` ` ``, `*`,
    /// `_`, `[`, `]`, `<`, `>`, `&`, `#`, `!`, `|`, `~`, and `-`, `+`, `=` or a list number's `.`/`)` at a line's
    /// start) gets a backslash, and lines lose their indentation so none becomes a code block.
    static func markdownLiteral(_ text: String) -> String {
        // Over UTF-8 bytes: every character that gets a backslash is ASCII, and a byte of a multi-byte character is
        // never ASCII. Walking Characters here cost a fifth of a 10k build's CPU.
        var text = text
        return text.withUTF8 { bytes in
            String(unsafeUninitializedCapacity: bytes.count * 2) { out in
                var n = 0
                var atStart = true, digitsOnly = true, indent = true
                for b in bytes {
                    if b == 0x0A {
                        out[n] = b; n += 1
                        atStart = true; digitsOnly = true; indent = true
                        continue
                    }
                    if indent, b == 0x20 || b == 0x09 { continue }
                    indent = false
                    switch b {
                    case 0x5C, 0x60, 0x2A, 0x5F, 0x5B, 0x5D, 0x3C, 0x3E, 0x26, 0x23, 0x21, 0x7C, 0x7E:  // \ ` * _ [ ] < > & # ! | ~
                        out[n] = 0x5C; n += 1
                    case 0x2D where atStart, 0x2B where atStart, 0x3D where atStart:  // - + = at a line's start
                        out[n] = 0x5C; n += 1
                    case 0x2E where digitsOnly && !atStart, 0x29 where digitsOnly && !atStart:  // . ) after a line's leading digits
                        out[n] = 0x5C; n += 1
                    default: break
                    }
                    out[n] = b; n += 1
                    if !(0x30...0x39).contains(b) { digitsOnly = false }
                    atStart = false
                }
                return n
            }
        }
    }

    func runText(_ r: ScheduleRun) -> String {
        var s = r.start.day.norwegian + (r.start.time.map { " kl. " + $0 } ?? "")
        if let end = r.end, end != r.start {
            s += " – " + (end.day == r.start.day ? "" : end.day.norwegian) + (end.time.map { (end.day == r.start.day ? "" : " ") + "kl. " + $0 } ?? "")
        }
        if let note = r.note, !note.isEmpty { s += ": " + note }
        return s
    }

    /// One `availableTime`: weekdays, start and end time.
    struct AvailableTime: Equatable {
        var days: [String]
        var start: String?
        var end: String?
    }

    /// One `notAvailable` period.
    struct Unavailable {
        var description: String
        var start: Day?
        var end: Day?
    }

    /// availableTime from the weekdays and times of runs still to come; notAvailable for the time
    /// before the first run, between runs and after the last one (or after valid_until); the runs in words.
    func availability(_ o: Offer) -> ([AvailableTime], [Unavailable], String?) {
        let today = c.catalog.today
        let runs = o.schedule.filter { $0.lastDay >= today }
        var available: [AvailableTime] = []
        for r in runs {
            // Weekly times say it exactly: the weekday and the hours of each session.
            if !r.times.isEmpty {
                for t in r.times {
                    let a = AvailableTime(days: [Self.weekdays[max(0, min(6, t.isoWeekday - 1))]], start: t.from + ":00", end: t.to + ":00")
                    if !available.contains(a) { available.append(a) }
                }
                continue
            }
            var a = AvailableTime(days: Self.days(r), start: nil, end: nil)
            if let t = r.start.time { a.start = t + ":00" }
            if let t = r.end?.time, r.start.time != nil, t > r.start.time! { a.end = t + ":00" }
            guard !a.days.isEmpty || a.start != nil || a.end != nil else { continue }
            if !available.contains(a) { available.append(a) }
        }
        var notAvailable: [Unavailable] = []
        func period(_ start: Day?, _ end: Day?, _ description: String) {
            notAvailable.append(Unavailable(description: description, start: start, end: end))
        }
        if !o.ongoing, let first = runs.first {
            if first.start.day > today { period(nil, first.start.day.addingDays(-1), "Ingen samlinger før \(first.start.day.norwegian)") }
            var lastEnd = first.lastDay
            for r in runs.dropFirst() {
                if r.start.day.ordinal > lastEnd.ordinal + 1 {
                    period(lastEnd.addingDays(1), r.start.day.addingDays(-1), "Ingen samlinger mellom \(lastEnd.norwegian) og \(r.start.day.norwegian)")
                }
                if r.lastDay > lastEnd { lastEnd = r.lastDay }
            }
            let until = o.validUntil.map { min($0, lastEnd) } ?? lastEnd
            period(until.addingDays(1), nil, "Ingen samlinger etter \(until.norwegian)")
        } else if let v = o.validUntil {
            period(v.addingDays(1), nil, "Tilbudet avsluttes \(v.norwegian)")
        }
        var exceptions: [String] = []
        if o.ongoing { exceptions.append("Løpende oppstart.") }
        exceptions += runs.map(runText)
        return (available, notAvailable, exceptions.isEmpty ? nil : exceptions.joined(separator: "\n"))
    }
}
