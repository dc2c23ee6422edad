import Foundation
import TilbudModel
import TilbudRender
import TilbudSite

/// The FHIR R4 (4.0.1) export under `/api/fhir/R4/`: a collection Bundle, and each resource as its own file.
///
/// - one `HealthcareService` per listed offer (current and due),
/// - one `Organization` per provider (orgnr as identifier, system `urn:oid:2.16.578.1.12.4.1.4.101`),
/// - one `Location` per distinct place of those offers, per municipality (`kommune-<kommunenummer>`) and for Norway (`norge`),
///   the last two being what `coverageArea` points at,
/// - one `CodeSystem` per vocabulary the resources code with.
public struct FHIRStep: OutputStep {
    /// Creates the step.
    public init() {}

    /// Writes the export.
    public func write(catalog: Catalog, renderer: SiteRenderer, writer: OutputWriter) throws {
        try write(FeedContext(catalog: catalog, renderer: renderer), writer: writer)
    }

    /// Writes the export with a prepared context.
    public func write(_ c: FeedContext, writer: OutputWriter) throws {
        try FeedFile.write(files(c), with: writer)
    }

    /// Every file of the export: each resource on its own, and the bundle.
    public func files(_ c: FeedContext) -> [FeedFile] {
        // Each resource is built and encoded in one go (its tree is dropped at once); the same bytes go into the bundle.
        let encoded = FHIRExport(c).encodedResources()
        var files: [FeedFile] = []
        files.reserveCapacity(encoded.count + 1)
        var entries: [[UInt8]] = []
        entries.reserveCapacity(encoded.count)
        let fullURL = Array("{\"fullUrl\":".utf8), resource = Array(",\"resource\":".utf8)
        for r in encoded {
            files.append(FeedFile(record: "api/fhir/R4/\(r.type)/\(r.id).json", r.bytes))
            var entry = fullURL
            entry.reserveCapacity(r.bytes.count + 160)
            entry.append(contentsOf: JSONValue.string(c.fhirBase + r.type + "/" + r.id).encoded(pretty: false))
            entry.append(contentsOf: resource)
            entry.append(contentsOf: r.bytes)
            entry.append(UInt8(ascii: "}"))
            entries.append(entry)
        }
        var head = JSONFields()
        head.set("resourceType", "Bundle")
        head.set("id", "tilbud")
        head.set("meta", .object([("lastUpdated", .string(c.generated + "T00:00:00Z"))]))
        head.set("type", "collection")
        head.set("timestamp", c.generated + "T00:00:00Z")
        files.append(FeedFile("api/fhir/R4/Bundle.json", JSONAPIStep.withList(head, key: "entry", items: entries)))
        return files
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

    /// Location ids of each listed offer's places, by index into `renderer.published` (computed once).
    let placeIDs: [Int: [String]]
    /// Every vocabulary id's coding and concept, encoded once: they repeat in every resource.
    let codings: [String: JSONValue]
    let concepts: [String: JSONValue]

    /// Creates the mapper.
    public init(_ context: FeedContext) {
        self.c = context
        let ids = FeedContext.parallelMap(context.listed.count) { n -> [String] in
            let i = context.listed[n]
            let provider = context.renderer.published[i].providerID
            return context.renderer.published[i].locations.map { Self.locationID(provider, $0) }
        }
        self.placeIDs = Dictionary(uniqueKeysWithValues: zip(context.listed, ids))
        var codings: [String: JSONValue] = [:], concepts: [String: JSONValue] = [:]
        for (name, id, _, _) in Self.codeSystems {
            let system = context.fhirBase + "CodeSystem/" + id
            for e in context.catalog.governance.vocabulary(name).entries {
                let key = name.rawValue + "\u{1F}" + e.id
                codings[key] = .raw(Self.makeCoding(context, system, name, e.id).encoded(pretty: false))
                concepts[key] = .raw(Self.makeConcept(context, system, name, e.id).encoded(pretty: false))
            }
        }
        self.codings = codings
        self.concepts = concepts
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
        var ok = s.utf8.count <= 64 && !s.isEmpty
        if ok {
            for b in s.utf8 where !allowed(b) { ok = false; break }
        }
        if ok { return s }
        var cleaned = String.UnicodeScalarView()
        for u in s.unicodeScalars.prefix(47) { cleaned.append(u.isASCII && allowed(UInt8(u.value)) ? u : "-") }
        return String(cleaned) + "-" + hex64(fnv1a(s))
    }

    @inline(__always) static func allowed(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || (b >= 0x30 && b <= 0x39) || b == 0x2D || b == 0x2E
    }

    static func fnv1a(_ s: String) -> UInt64 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        fnv1a(s, into: &h)
        return h
    }

    static func fnv1a(_ s: String, into h: inout UInt64) {
        for b in s.utf8 {
            h ^= UInt64(b)
            h = h &* 0x100_0000_01b3
        }
    }

    static func hex64(_ v: UInt64) -> String {
        let s = String(v, radix: 16)
        return String(repeating: "0", count: 16 - s.count) + s
    }

    /// The HealthcareService id of an offer: `<provider>--<slug>`, fitted.
    public static func serviceID(_ o: Offer) -> String { fit(o.providerID + "--" + o.slug) }

    /// The Location id of a municipality.
    public static func municipalityID(_ code: String) -> String { "kommune-" + code }

    /// The Location id for Norway as a whole.
    public static let norwayID = "norge"

    /// The Location id of a place: `<provider>--<name as ascii>-<8 hex digits of its details>`, fitted.
    public static func locationID(_ providerID: String, _ l: Location) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for part in [providerID, l.name, l.address, l.postalCode, l.city, l.municipality, l.geo.map { "\($0.lat),\($0.lon)" } ?? ""] {
            fnv1a(part, into: &h)
            h ^= 0x1F
            h = h &* 0x100_0000_01b3
        }
        let hash = String(hex64(h).prefix(8))
        // As much of the name as fits beside the provider id and the hash.
        var name = String(asciiSlug(l.name).prefix(max(0, 64 - providerID.count - 2 - 9)))
        while name.hasSuffix("-") { name.removeLast() }
        return fit(providerID + "--" + (name.isEmpty ? "" : name + "-") + hash)
    }

    /// Lowercase a–z, 0–9 and single dashes: æ → ae, ø → o, accented Latin and Sami letters to their base letter.
    static func asciiSlug(_ s: String) -> String {
        var out = String.UnicodeScalarView()
        var dash = false
        func add(_ text: String) {
            out.append(contentsOf: text.unicodeScalars)
            dash = false
        }
        for u in s.unicodeScalars {
            switch u {
            case "a"..."z", "0"..."9": out.append(u); dash = false
            case "A"..."Z": out.append(Unicode.Scalar(u.value + 32)!); dash = false
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
                if !dash, !out.isEmpty { out.append("-") }
                dash = true
            }
        }
        while out.last == "-" { out.removeLast() }
        return out.isEmpty ? "sted" : String(out)
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
        let published = c.renderer.published
        for i in c.listed {
            for (l, id) in zip(published[i].locations, placeIDs[i] ?? []) where seen.insert(id).inserted {
                items.append(.place(l, id: id, provider: published[i].providerID))
            }
        }
        items += c.listed.map { .service($0) }
        return items
    }

    /// The resource made from `item`.
    func resource(_ item: Item) -> FHIRResource {
        switch item {
        case let .codeSystem(n):
            let (name, id, computable, title) = Self.codeSystems[n]
            return FHIRResource(type: "CodeSystem", id: id, value: codeSystem(name, id: id, name: computable, title: title))
        case let .organization(n):
            let p = c.catalog.providers[n]
            return FHIRResource(type: "Organization", id: Self.fit(p.id), value: organization(p))
        case .norway:
            return FHIRResource(type: "Location", id: Self.norwayID, value: norway())
        case let .municipality(n):
            let m = c.catalog.governance.municipalities[n]
            return FHIRResource(type: "Location", id: Self.municipalityID(m.code), value: municipality(m))
        case let .place(l, id, provider):
            return FHIRResource(type: "Location", id: id, value: place(l, id: id, providerID: provider))
        case let .service(i):
            return FHIRResource(type: "HealthcareService", id: Self.serviceID(c.renderer.published[i]), value: healthcareService(i))
        }
    }

    /// Every resource, in bundle order.
    public func resources() -> [FHIRResource] { items().map(resource) }

    /// The same resources, in the same order, encoded compactly; each tree is built, encoded and dropped on all cores.
    public func encodedResources() -> [(type: String, id: String, bytes: [UInt8])] {
        let items = items()
        return FeedContext.parallelMap(items.count) { n in
            let r = self.resource(items[n])
            return (r.type, r.id, r.value.encoded(pretty: false))
        }
    }

    /// `{"system", "code", "display"}` for a vocabulary id (pre-encoded for every id of the vocabularies).
    func coding(_ name: VocabularyName, _ id: String) -> JSONValue {
        codings[name.rawValue + "\u{1F}" + id] ?? Self.makeCoding(c, system(name), name, id)
    }

    /// `{"coding": [coding], "text": label}` for a vocabulary id (pre-encoded for every id of the vocabularies).
    func concept(_ name: VocabularyName, _ id: String) -> JSONValue {
        concepts[name.rawValue + "\u{1F}" + id] ?? Self.makeConcept(c, system(name), name, id)
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
        if let phone { out.append(.object([("system", .string("phone")), ("value", .string(phone.filter { $0 != " " })), ("use", .string("work"))])) }
        if let email { out.append(.object([("system", .string("email")), ("value", .string(email)), ("use", .string("work"))])) }
        if let url { out.append(.object([("system", .string("url")), ("value", .string(url)), ("use", .string("work"))])) }
        return out
    }

    func organization(_ p: Provider) -> JSONValue {
        let gov = c.catalog.governance
        var f = JSONFields()
        f.set("resourceType", "Organization")
        f.set("id", Self.fit(p.id))
        f.set("identifier", .array([.object([("use", .string("official")), ("system", .string(Self.orgnrSystem)), ("value", .string(p.orgNumber))])]))
        f.set("active", true)
        f.set("type", .array([concept(.providerType, p.type)]))
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

    func place(_ l: Location, id: String, providerID: String) -> JSONValue {
        let gov = c.catalog.governance
        var f = JSONFields()
        f.set("resourceType", "Location")
        f.set("id", id)
        f.set("status", "active")
        f.set("name", l.name)
        f.set("mode", "instance")
        var address = JSONFields()
        address.set("use", "work")
        address.set("type", "physical")
        address.set("line", [l.address])
        address.set("city", l.city)
        address.set("district", gov.municipality(l.municipality)?.name)
        address.set("state", gov.municipality(l.municipality)?.countyName)
        address.set("postalCode", l.postalCode)
        address.set("country", "NO")
        f.set("address", address.value)
        if let g = l.geo { f.set("position", .object([("longitude", .number(g.lon)), ("latitude", .number(g.lat))])) }
        if let p = c.providerIndex[providerID].map({ c.catalog.providers[$0] }) {
            f.set("managingOrganization", .object([("reference", .string("Organization/" + Self.fit(p.id))), ("display", .string(p.name))]))
        }
        f.set("partOf", .object([("reference", .string("Location/" + Self.municipalityID(l.municipality))),
                                 ("display", .string(gov.municipality(l.municipality)?.name ?? l.municipality))]))
        return f.value
    }

    static let weekdays = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]

    /// The days of the week a run meets, when the dates tell: every day of a run shorter than a week,
    /// or the one weekday of a weekly series that starts and ends on the same weekday.
    static func days(_ run: ScheduleRun) -> [String] {
        let start = run.start.day, end = run.lastDay
        let span = end.ordinal - start.ordinal
        if span < 0 { return [] }
        if span < 7 {
            let ds = Set((0...span).map { start.addingDays($0).weekday })
            return (1...7).filter { ds.contains($0) }.map { weekdays[$0 - 1] }
        }
        return start.weekday == end.weekday ? [weekdays[start.weekday - 1]] : []
    }

    func healthcareService(_ index: Int) -> JSONValue {
        healthcareService(c.renderer.published[index], index)
    }

    /// Offers are passed in, not copied out of the array: an offer has many fields to retain.
    func healthcareService(_ o: Offer, _ index: Int) -> JSONValue {
        let gov = c.catalog.governance
        let text = c.renderer.texts[index][c.defaultLanguage]
        let provider = c.provider(of: o)
        var f = JSONFields()
        f.set("resourceType", "HealthcareService")
        f.set("id", Self.serviceID(o))
        f.set("identifier", .array([.object([("system", .string(c.apiBase + "offers")), ("value", .string(o.id))])]))
        f.set("active", true)
        f.set("providedBy", .object([("reference", .string("Organization/" + Self.fit(o.providerID))), ("display", .string(provider?.name ?? o.providerID))]))
        f.set("category", .array([concept(.kind, o.kind)]))
        f.set("type", .array([concept(.format, o.format)]))
        f.set("specialty", .array(o.topics.map { concept(.topics, $0) }))
        if !o.locations.isEmpty {
            var seen = Set<String>()
            let ids = placeIDs[index] ?? o.locations.map { Self.locationID(o.providerID, $0) }
            f.set("location", .array(zip(o.locations, ids).compactMap { l, id in
                guard seen.insert(id).inserted else { return nil }
                return .object([("reference", .string("Location/" + id)), ("display", .string(l.name))])
            }))
        }
        f.set("name", o.title)
        f.set("comment", o.summary)
        f.set("extraDetails", extraDetails(o, text: text))
        // Telecom: how to reach the service (contact first, then sign-up), each value once.
        var seenTelecom = Set<String>()
        let tel = (telecom(phone: o.contact.phone, email: o.contact.email, url: nil) + telecom(phone: o.signup.phone, email: o.signup.email, url: o.signup.url))
            .filter { v in
                guard case let .object(fields) = v, case let .string(value)? = fields.first(where: { $0.0 == "value" })?.1 else { return true }
                return seenTelecom.insert(value).inserted
            }
        if !tel.isEmpty { f.set("telecom", .array(tel)) }
        if o.national {
            f.set("coverageArea", .array([.object([("reference", .string("Location/" + Self.norwayID)), ("display", .string("Norge"))])]))
        } else if !o.municipalities.isEmpty {
            var seen = Set<String>()
            f.set("coverageArea", .array(o.municipalities.compactMap { code in
                guard seen.insert(code).inserted else { return nil }
                return .object([("reference", .string("Location/" + Self.municipalityID(code))), ("display", .string(gov.municipality(code)?.name ?? code))])
            }))
        }
        // Price: HL7's provision condition, and our own price kind beside it.
        let provision: (String, String) = o.price.kind == "gratis" ? ("free", "Free") : ("cost", "Fees apply")
        f.set("serviceProvisionCode", .array([.object([
            ("coding", .array([Self.hl7(Self.provisionSystem, provision.0, provision.1), coding(.price, o.price.kind)])),
            ("text", .string(priceText(o))),
        ])]))
        if o.referral != "ingen" {
            f.set("eligibility", .array([.object([
                ("code", concept(.referral, o.referral)),
                ("comment", .string(gov.vocabulary(.referral)[o.referral]?.label(c.defaultLanguage) ?? o.referral)),
            ])]))
        }
        var characteristic: [JSONValue] = [concept(.delivery, o.delivery)]
        characteristic += o.audiences.map { concept(.audiences, $0) }
        characteristic += o.accessibility.map { concept(.accessibility, $0) }
        f.set("characteristic", .array(characteristic))
        f.set("communication", .array(o.languages.map { l in
            let name = gov.vocabulary(.languages)[l]?.label(c.defaultLanguage) ?? l
            return .object([("coding", .array([Self.hl7(Self.languageSystem, l, name)])), ("text", .string(name))])
        }))
        f.set("referralMethod", .array(referralMethods(o)))
        f.set("appointmentRequired", Self.appointmentRequired(o))
        let (available, notAvailable, exceptions) = availability(o)
        if !available.isEmpty { f.set("availableTime", .array(available)) }
        if !notAvailable.isEmpty { f.set("notAvailable", .array(notAvailable)) }
        f.set("availabilityExceptions", exceptions)
        return f.value
    }

    /// True when a referral is needed, or the format is one you book (a course, one-to-one follow-up).
    public static func appointmentRequired(_ o: Offer) -> Bool {
        o.referral != "ingen" || o.format == "kurs" || o.format == "individuell"
    }

    /// The referral as our own code, and the HL7 methods it can arrive by: an electronic referral for
    /// `henvisning` and `frisklivsresept`; the sign-up's phone and web page for self-referral.
    func referralMethods(_ o: Offer) -> [JSONValue] {
        var hl7: [(String, String)] = []
        if o.referral != "ingen" { hl7.append(("elec", "Secure Messaging")) }
        if o.signup.phone != nil || (o.signup.url == nil && o.signup.email == nil && o.contact.phone != nil) { hl7.append(("phone", "Phone")) }
        if o.signup.url != nil, !hl7.contains(where: { $0.0 == "elec" }) { hl7.append(("elec", "Secure Messaging")) }
        var codings = [coding(.referral, o.referral)]
        codings += hl7.map { Self.hl7(Self.referralMethodSystem, $0.0, $0.1) }
        let label = c.catalog.governance.vocabulary(.referral)[o.referral]?.label(c.defaultLanguage) ?? o.referral
        return [.object([("coding", .array(codings)), ("text", .string(label))])]
    }

    func priceText(_ o: Offer) -> String {
        var s = c.catalog.governance.vocabulary(.price)[o.price.kind]?.label(c.defaultLanguage) ?? o.price.kind
        if o.price.kind != "gratis", let n = o.price.amountNOK { s += ": \(n) kr" }
        if let note = o.price.note, !note.isEmpty { s += ". " + note }
        return s
    }

    func extraDetails(_ o: Offer, text: RenderedText?) -> String {
        var parts: [String] = []
        if let body = text?.bodyText, !body.isEmpty { parts.append(body) }
        parts.append("Pris: " + priceText(o))
        if let d = o.signup.deadline { parts.append("Påmeldingsfrist: " + d.norwegian) }
        return parts.joined(separator: "\n\n")
    }

    func runText(_ r: ScheduleRun) -> String {
        var s = r.start.day.norwegian + (r.start.time.map { " kl. " + $0 } ?? "")
        if let end = r.end, end != r.start {
            s += " – " + (end.day == r.start.day ? "" : end.day.norwegian) + (end.time.map { (end.day == r.start.day ? "" : " ") + "kl. " + $0 } ?? "")
        }
        if let note = r.note, !note.isEmpty { s += ": " + note }
        return s
    }

    /// availableTime from the weekdays and times of runs still to come; notAvailable for the time
    /// before the first run, between runs and after the last one (or after valid_until); the runs in words.
    func availability(_ o: Offer) -> ([JSONValue], [JSONValue], String?) {
        let today = c.catalog.today
        let runs = o.schedule.filter { $0.lastDay >= today }
        var available: [JSONValue] = []
        var seen = Set<String>()
        for r in runs {
            let days = Self.days(r)
            var f = JSONFields()
            if !days.isEmpty { f.set("daysOfWeek", days) }
            if let t = r.start.time { f.set("availableStartTime", t + ":00") }
            if let t = r.end?.time, r.start.time != nil, t > r.start.time! { f.set("availableEndTime", t + ":00") }
            guard !f.isEmpty else { continue }
            let key = String(decoding: f.value.encoded(pretty: false), as: UTF8.self)
            if seen.insert(key).inserted { available.append(f.value) }
        }
        var notAvailable: [JSONValue] = []
        func period(_ start: Day?, _ end: Day?, _ description: String) {
            var p = JSONFields()
            p.set("start", start?.iso)
            p.set("end", end?.iso)
            notAvailable.append(.object([("description", .string(description)), ("during", p.value)]))
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
