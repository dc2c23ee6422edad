import TilbudModel

// MARK: - JSON values with a fixed key order

/// A JSON value whose objects keep their keys in the order they were added, so that the same
/// catalog always gives the same bytes (the feed's JSON and the pages' JSON-LD).
public enum JSONValue: Sendable {
    case null
    case bool(Bool)
    case int(Int)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([(String, JSONValue)])
    /// JSON already encoded compactly (from `encoded(pretty: false)`), written as it is; for fragments that
    /// repeat across many documents. Stays on one line in pretty output.
    case raw([UInt8])

    /// An array of strings.
    public static func strings(_ values: [String]) -> JSONValue { .array(values.map { .string($0) }) }

    /// The value encoded as UTF-8 JSON.
    /// - Parameters:
    ///   - pretty: two-space indentation, `": "` after keys and a final newline; compact otherwise.
    ///   - htmlSafe: also escape `<`, `>`, `&`, U+2028 and U+2029 as `\uXXXX`, so the text can sit inside an HTML `<script>` element.
    public func encoded(pretty: Bool = true, htmlSafe: Bool = false) -> [UInt8] {
        var encoder = JSONByteWriter(pretty: pretty, htmlSafe: htmlSafe)
        encoder.bytes.reserveCapacity(1024)
        encoder.write(self, level: 0)
        if pretty { encoder.bytes.append(0x0A) }
        return encoder.bytes
    }

    /// The value encoded as JSON text (see `encoded(pretty:htmlSafe:)`).
    public func text(pretty: Bool = true, htmlSafe: Bool = false) -> String {
        String(decoding: encoded(pretty: pretty, htmlSafe: htmlSafe), as: UTF8.self)
    }
}

/// Builds a JSON object in a fixed key order; `nil` values are left out.
public struct JSONFields: Sendable {
    /// The fields so far.
    public private(set) var fields: [(String, JSONValue)] = []

    /// An empty object.
    public init() {}

    /// Adds `key` unless `value` is nil.
    public mutating func set(_ key: String, _ value: JSONValue?) {
        if let value { fields.append((key, value)) }
    }

    /// Adds a string field unless `value` is nil.
    public mutating func set(_ key: String, _ value: String?) {
        if let value { fields.append((key, .string(value))) }
    }

    /// Adds an integer field unless `value` is nil.
    public mutating func set(_ key: String, _ value: Int?) {
        if let value { fields.append((key, .int(value))) }
    }

    /// Adds a boolean field.
    public mutating func set(_ key: String, _ value: Bool) {
        fields.append((key, .bool(value)))
    }

    /// Adds an array of strings.
    public mutating func set(_ key: String, _ value: [String]) {
        fields.append((key, .strings(value)))
    }

    /// True when nothing was added.
    public var isEmpty: Bool { fields.isEmpty }

    /// The object.
    public var value: JSONValue { .object(fields) }
}

/// A small, fast JSON writer: UTF-8 straight through, only what JSON requires escaped.
struct JSONByteWriter {
    let pretty: Bool
    let htmlSafe: Bool
    var bytes: [UInt8] = []

    init(pretty: Bool, htmlSafe: Bool) {
        self.pretty = pretty
        self.htmlSafe = htmlSafe
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
    private static let nullBytes: [UInt8] = Array("null".utf8)
    private static let trueBytes: [UInt8] = Array("true".utf8)
    private static let falseBytes: [UInt8] = Array("false".utf8)

    mutating func newline(_ level: Int) {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<(level * 2) { bytes.append(0x20) }
    }

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null: bytes.append(contentsOf: Self.nullBytes)
        case let .bool(b): bytes.append(contentsOf: b ? Self.trueBytes : Self.falseBytes)
        case let .int(n): bytes.append(contentsOf: String(n).utf8)
        case let .number(d): writeNumber(d)
        case let .string(s): writeString(s)
        case let .raw(bytes): self.bytes.append(contentsOf: bytes)
        case let .array(items):
            bytes.append(UInt8(ascii: "["))
            if items.isEmpty { bytes.append(UInt8(ascii: "]")); return }
            for (i, item) in items.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(level + 1)
                write(item, level: level + 1)
            }
            newline(level)
            bytes.append(UInt8(ascii: "]"))
        case let .object(fields):
            bytes.append(UInt8(ascii: "{"))
            if fields.isEmpty { bytes.append(UInt8(ascii: "}")); return }
            for (i, (key, item)) in fields.enumerated() {
                if i > 0 { bytes.append(UInt8(ascii: ",")) }
                newline(level + 1)
                writeString(key)
                bytes.append(UInt8(ascii: ":"))
                if pretty { bytes.append(0x20) }
                write(item, level: level + 1)
            }
            newline(level)
            bytes.append(UInt8(ascii: "}"))
        }
    }

    mutating func writeNumber(_ d: Double) {
        guard d.isFinite else { bytes.append(contentsOf: Self.nullBytes); return }
        if d == d.rounded(.towardZero), abs(d) < 1e15 {
            bytes.append(contentsOf: String(Int(d)).utf8)
        } else {
            // Swift's description is the shortest text that reads back as the same Double.
            bytes.append(contentsOf: d.description.utf8)
        }
    }

    /// Bytes that must be escaped in any JSON string, and those an HTML-safe string escapes as well
    /// (0xE2 starts U+2028 and U+2029, checked when met).
    private static let plainEscapes: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }
    private static let htmlEscapes: [Bool] = (0..<256).map { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C || $0 == 0x3C || $0 == 0x3E || $0 == 0x26 || $0 == 0xE2 }

    mutating func writeString(_ string: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = string
        let table = htmlSafe ? Self.htmlEscapes : Self.plainEscapes
        s.withUTF8 { utf8 in
            // Copy runs of bytes that need no escaping in one go.
            var runStart = 0
            var i = 0
            let n = utf8.count
            while i < n {
                let b = utf8[i]
                guard table[Int(b)] else { i += 1; continue }
                if b == 0xE2 {
                    // U+2028 / U+2029 (E2 80 A8 / E2 80 A9); any other character starting with E2 stays as it is.
                    guard i + 2 < n, utf8[i + 1] == 0x80, utf8[i + 2] == 0xA8 || utf8[i + 2] == 0xA9 else { i += 1; continue }
                    bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                    unicodeEscape(utf8[i + 2] == 0xA8 ? 0x2028 : 0x2029)
                    i += 3
                    runStart = i
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<i]))
                switch b {
                case UInt8(ascii: "\""): bytes.append(contentsOf: [0x5C, 0x22])
                case UInt8(ascii: "\\"): bytes.append(contentsOf: [0x5C, 0x5C])
                case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
                case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
                case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
                case 0x08: bytes.append(contentsOf: [0x5C, UInt8(ascii: "b")])
                case 0x0C: bytes.append(contentsOf: [0x5C, UInt8(ascii: "f")])
                default: unicodeEscape(UInt16(b))  // other controls, and <, >, & when HTML-safe
                }
                i += 1
                runStart = i
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<n]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    mutating func unicodeEscape(_ u: UInt16) {
        bytes.append(contentsOf: [0x5C, UInt8(ascii: "u")])
        bytes.append(Self.hex[Int(u >> 12) & 0xF])
        bytes.append(Self.hex[Int(u >> 8) & 0xF])
        bytes.append(Self.hex[Int(u >> 4) & 0xF])
        bytes.append(Self.hex[Int(u) & 0xF])
    }
}

// MARK: - Time in Europe/Oslo

/// Local times in records are Europe/Oslo; this gives their UTC offset (EU summer time rules).
public enum OsloTime {
    /// `+01:00` in winter, `+02:00` in summer (from 02:00 on the last Sunday of March to 03:00 on the last Sunday of October).
    public static func offset(_ day: Day, time: String?) -> String {
        let year = day.year
        let marchEnd = Day(year: year, month: 3, day: 31)!
        let octoberEnd = Day(year: year, month: 10, day: 31)!
        let summerStart = marchEnd.addingDays(-(marchEnd.weekday % 7))  // weekday 7 = Sunday
        let summerEnd = octoberEnd.addingDays(-(octoberEnd.weekday % 7))
        let hour = time.flatMap { Int($0.prefix(2)) } ?? 12
        let summer: Bool
        if day == summerStart { summer = hour >= 2 } else if day == summerEnd { summer = hour < 3 } else { summer = summerStart < day && day < summerEnd }
        return summer ? "+02:00" : "+01:00"
    }

    /// `2025-02-04` for a date, `2025-02-04T18:00:00+01:00` for a date with a time.
    public static func iso(_ value: DateTime) -> String {
        guard let time = value.time else { return value.day.iso }
        return value.day.iso + "T" + time + ":00" + offset(value.day, time: time)
    }
}

// MARK: - schema.org JSON-LD for offer pages

/// schema.org JSON-LD for an offer page: a `Course` with a `CourseInstance` per dated run, or a
/// `Service` (`GovernmentService` for public providers) for offers with continuous intake.
public enum StructuredData {
    /// The JSON-LD text for offer `index` (into `renderer.published`) on its page in `language`.
    /// Safe to place inside `<script type="application/ld+json">`: `<`, `>` and `&` are escaped.
    public static func jsonLD(renderer: SiteRenderer, index: Int, language: String) -> String {
        String(decoding: jsonLDBytes(renderer: renderer, index: index, language: language), as: UTF8.self)
    }

    /// The JSON-LD as UTF-8.
    public static func jsonLDBytes(renderer: SiteRenderer, index: Int, language: String) -> [UInt8] {
        value(renderer: renderer, index: index, language: language).encoded(pretty: false, htmlSafe: true)
    }

    /// The JSON-LD as a value.
    public static func value(renderer: SiteRenderer, index: Int, language lang: String) -> JSONValue {
        let catalog = renderer.catalog
        let gov = catalog.governance
        let o = renderer.published[index]
        let text = renderer.texts[index][lang] ?? renderer.texts[index]["nb"]
        let path = SiteRenderer.offerPath(o)
        let pageURL = renderer.absoluteURL(path, lang)
        func label(_ name: VocabularyName, _ id: String) -> String { gov.vocabulary(name)[id]?.label(lang) ?? id }

        let isCourse = !o.ongoing && !o.schedule.isEmpty
        var root = JSONFields()
        root.set("@context", "https://schema.org")
        let provider = providerOf(o, in: catalog)
        let publicProvider = ["kommune", "helseforetak", "statlig"].contains(provider?.type ?? "")
        root.set("@type", isCourse ? "Course" : (publicProvider ? "GovernmentService" : "Service"))
        root.set("@id", pageURL + "#tilbud")
        root.set("url", pageURL)
        root.set("identifier", o.id)
        root.set("name", text?.title ?? o.title)
        root.set("description", text?.summary ?? o.summary)
        let organization = provider.map { organizationValue($0, renderer: renderer, language: lang) }
        root.set("provider", organization)
        let audiences: [JSONValue] = o.audiences.map { a in
            .object([("@type", .string("Audience")), ("audienceType", .string(label(.audiences, a)))])
        }
        let offerValue = priceOffer(o, lang: lang, gov: gov)

        if isCourse {
            root.set("inLanguage", text?.language ?? "nb")
            root.set("about", .array(o.topics.map { .object([("@type", .string("Thing")), ("name", .string(label(.topics, $0)))]) }))
            root.set("audience", .array(audiences))
            root.set("availableLanguage", o.languages)
            root.set("educationalUse", label(.kind, o.kind))
            root.set("learningResourceType", label(.format, o.format))
            if !o.tags.isEmpty { root.set("keywords", o.tags.joined(separator: ", ")) }
            if o.referral != "ingen" { root.set("coursePrerequisites", label(.referral, o.referral)) }
            root.set("isAccessibleForFree", o.price.kind == "gratis")
            root.set("offers", offerValue)
            let mode: String, attendance: String
            switch o.delivery {
            case "digitalt": (mode, attendance) = ("online", "https://schema.org/OnlineEventAttendanceMode")
            case "hybrid": (mode, attendance) = ("blended", "https://schema.org/MixedEventAttendanceMode")
            default: (mode, attendance) = ("onsite", "https://schema.org/OfflineEventAttendanceMode")
            }
            var where_: [JSONValue] = o.locations.map(place)
            if o.delivery != "oppmote" {
                where_.append(.object([("@type", .string("VirtualLocation")), ("url", .string(o.signup.url ?? pageURL))]))
            }
            let instances: [JSONValue] = o.schedule.map { run in
                var i = JSONFields()
                i.set("@type", "CourseInstance")
                i.set("name", text?.title ?? o.title)
                if let note = run.note { i.set("description", note) }
                i.set("startDate", OsloTime.iso(run.start))
                i.set("endDate", OsloTime.iso(run.end ?? run.start))
                i.set("courseMode", mode)
                i.set("eventAttendanceMode", attendance)
                i.set("eventStatus", "https://schema.org/EventScheduled")
                if where_.count == 1 { i.set("location", where_[0]) } else if !where_.isEmpty { i.set("location", .array(where_)) }
                i.set("inLanguage", o.languages.first ?? "nb")
                if let organization { i.set("organizer", organization) }
                i.set("offers", offerValue)
                return i.value
            }
            root.set("hasCourseInstance", .array(instances))
        } else {
            root.set("serviceType", label(.format, o.format))
            root.set("category", label(.kind, o.kind))
            if publicProvider, let organization { root.set("serviceOperator", organization) }
            if o.national {
                let norway = ["nb": "Norge", "nn": "Noreg", "en": "Norway"][lang] ?? "Norge"
                root.set("areaServed", .object([("@type", .string("Country")), ("name", .string(norway)), ("identifier", .string("NO"))]))
            } else {
                root.set("areaServed", .array(o.municipalities.map { code in
                    .object([("@type", .string("AdministrativeArea")), ("name", .string(gov.municipality(code)?.name ?? code)),
                             ("identifier", .string(code))])
                }))
            }
            root.set("audience", .array(audiences))
            var channel = JSONFields()
            channel.set("@type", "ServiceChannel")
            channel.set("serviceUrl", o.signup.url ?? pageURL)
            if let phone = o.signup.phone ?? o.contact.phone {
                channel.set("servicePhone", .object([("@type", .string("ContactPoint")), ("telephone", .string(e164(phone)))]))
            }
            if let first = o.locations.first { channel.set("serviceLocation", place(first)) }
            channel.set("availableLanguage", o.languages)
            root.set("availableChannel", channel.value)
            root.set("offers", offerValue)
        }
        return root.value
    }

    static func e164(_ phone: String) -> String { phone.filter { $0 != " " } }

    static func providerOf(_ o: Offer, in catalog: Catalog) -> Provider? {
        // Providers are sorted by id.
        var lo = 0, hi = catalog.providers.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if catalog.providers[mid].id < o.providerID { lo = mid + 1 } else { hi = mid }
        }
        return lo < catalog.providers.count && catalog.providers[lo].id == o.providerID ? catalog.providers[lo] : catalog.provider(o.providerID)
    }

    static func organizationValue(_ p: Provider, renderer: SiteRenderer, language: String) -> JSONValue {
        var org = JSONFields()
        let type: String
        switch p.type {
        case "kommune", "statlig": type = "GovernmentOrganization"
        case "helseforetak": type = "MedicalOrganization"
        default: type = "Organization"
        }
        org.set("@type", type)
        org.set("@id", renderer.absoluteURL("tilbyder/\(p.id)/", language) + "#org")
        org.set("name", p.name)
        org.set("url", p.website ?? renderer.absoluteURL("tilbyder/\(p.id)/", language))
        org.set("identifier", .object([("@type", .string("PropertyValue")), ("propertyID", .string("organisasjonsnummer")),
                                       ("value", .string(p.orgNumber))]))
        org.set("email", p.email)
        org.set("telephone", p.phone.map(e164))
        return org.value
    }

    static func place(_ l: Location) -> JSONValue {
        var p = JSONFields()
        p.set("@type", "Place")
        p.set("name", l.name)
        p.set("address", .object([
            ("@type", .string("PostalAddress")), ("streetAddress", .string(l.address)), ("postalCode", .string(l.postalCode)),
            ("addressLocality", .string(l.city)), ("addressCountry", .string("NO")),
        ]))
        if let g = l.geo {
            p.set("geo", .object([("@type", .string("GeoCoordinates")), ("latitude", .number(g.lat)), ("longitude", .number(g.lon))]))
        }
        return p.value
    }

    static func priceOffer(_ o: Offer, lang: String, gov: Governance) -> JSONValue {
        var offer = JSONFields()
        offer.set("@type", "Offer")
        offer.set("price", .int(o.price.kind == "gratis" ? 0 : (o.price.amountNOK ?? 0)))
        offer.set("priceCurrency", "NOK")
        offer.set("category", gov.vocabulary(.price)[o.price.kind]?.label(lang) ?? o.price.kind)
        if let note = o.price.note, !note.isEmpty { offer.set("description", note) }
        offer.set("url", o.signup.url)
        if let deadline = o.signup.deadline { offer.set("validThrough", deadline.iso) }
        return offer.value
    }
}
