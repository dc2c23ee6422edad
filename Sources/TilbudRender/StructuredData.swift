import TilbudJSON
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

/// Encodes a `JSONValue` tree, compact or pretty; strings are escaped by `JSONWriter`, which it writes into.
struct JSONByteWriter {
    let pretty: Bool
    /// The output; its `escaping` decides how strings are escaped.
    var out: JSONWriter

    init(pretty: Bool, htmlSafe: Bool) {
        self.pretty = pretty
        out = JSONWriter(escaping: htmlSafe ? .html : .minimal)
    }

    /// The JSON written so far.
    var bytes: [UInt8] {
        get { out.bytes }
        _modify { yield &out.bytes }
    }

    mutating func newline(_ level: Int) {
        guard pretty else { return }
        bytes.append(0x0A)
        for _ in 0..<(level * 2) { bytes.append(0x20) }
    }

    mutating func write(_ value: JSONValue, level: Int) {
        switch value {
        case .null: bytes.append(contentsOf: "null".utf8)
        case let .bool(b): bytes.append(contentsOf: (b ? "true" : "false").utf8)
        case let .int(n): bytes.append(contentsOf: String(n).utf8)
        case let .number(d): out.writeNumber(d)
        case let .string(s): out.writeString(s)
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
                out.writeString(key)
                bytes.append(UInt8(ascii: ":"))
                if pretty { bytes.append(0x20) }
                write(item, level: level + 1)
            }
            newline(level)
            bytes.append(UInt8(ascii: "}"))
        }
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
///
/// Written straight into bytes (see `JSONWriter`); each provider's `Organization` is encoded once per language
/// (`organizations`, kept by `SiteRenderer`), and a course's offer and place once per page, however many runs repeat them.
public enum StructuredData {
    /// The JSON-LD text for offer `index` (into `renderer.published`) on its page in `language`.
    /// Safe to place inside `<script type="application/ld+json">`: `<`, `>` and `&` are escaped.
    public static func jsonLD(renderer: SiteRenderer, index: Int, language: String) -> String {
        String(decoding: jsonLDBytes(renderer: renderer, index: index, language: language), as: UTF8.self)
    }

    /// The JSON-LD as UTF-8.
    public static func jsonLDBytes(renderer: SiteRenderer, index: Int, language lang: String) -> [UInt8] {
        let catalog = renderer.catalog
        let gov = catalog.governance
        let o = renderer.published[index]
        let text = renderer.texts[index][lang] ?? renderer.texts[index]["nb"]
        let pageURL = renderer.absoluteURL(renderer.offerPath(index), lang)
        func label(_ name: VocabularyName, _ id: String) -> String { gov.vocabulary(name)[id]?.label(lang) ?? id }

        let isCourse = !o.ongoing && !o.schedule.isEmpty
        let provider = renderer.providerPosition(o.providerID)
        let organization = provider.map { renderer.organizationLD($0, lang) }
        let publicProvider = provider.map { gov.vocabulary(.providerType).has(catalog.providers[$0].type, .public) } ?? false
        var w = JSONWriter(escaping: .html, capacity: 4096)
        w.openObject()
        w.string("@context", "https://schema.org")
        w.string("@type", isCourse ? "Course" : (publicProvider ? "GovernmentService" : "Service"))
        w.string("@id", pageURL + "#tilbud")
        w.string("url", pageURL)
        w.string("identifier", o.id)
        w.string("name", text?.title ?? o.title)
        w.string("description", text?.summary ?? o.summary)
        if let organization { w.raw("provider", organization) }

        if isCourse {
            w.string("inLanguage", text?.language ?? "nb")
            writeTypedList("about", type: "Thing", field: "name", o.topics.map { label(.topics, $0) }, into: &w)
            writeTypedList("audience", type: "Audience", field: "audienceType", o.audiences.map { label(.audiences, $0) }, into: &w)
            w.strings("availableLanguage", o.languages)
            w.string("educationalUse", label(.kind, o.kind))
            w.string("learningResourceType", label(.format, o.format))
            if !o.tags.isEmpty { w.string("keywords", o.tags.joined(separator: ", ")) }
            if !gov.vocabulary(.referral).has(o.referral, .selfReferral) { w.string("coursePrerequisites", label(.referral, o.referral)) }
            w.bool("isAccessibleForFree", gov.vocabulary(.price).has(o.price.kind, .free))
            // Every run repeats the offer and the place: encoded once.
            var offer = JSONWriter(escaping: .html)
            writePriceOffer(o, label, into: &offer)
            w.raw("offers", offer.bytes)
            let deliveries = gov.vocabulary(.delivery)
            let online = deliveries.has(o.delivery, .online), inPerson = deliveries.has(o.delivery, .inPerson)
            let (mode, attendance) = online && inPerson ? ("blended", "https://schema.org/MixedEventAttendanceMode")
                : online ? ("online", "https://schema.org/OnlineEventAttendanceMode") : ("onsite", "https://schema.org/OfflineEventAttendanceMode")
            // Each run's places: the one it names (`location`), else all of the offer's; and the online place when the
            // delivery is online. With several runs a place is written in full the first time (with an @id) and
            // referred to after that: a page's size grows with runs plus places, not runs times places.
            let referred = o.schedule.count > 1
            var written = Set<Int>()
            var onlineWritten = false
            func runLocation(_ run: ScheduleRun) -> [UInt8]? {
                let named = run.location.flatMap { name in o.locations.firstIndex { $0.name == name } }
                let indexes = named.map { [$0] } ?? Array(o.locations.indices)
                let count = indexes.count + (online ? 1 : 0)
                guard count > 0 else { return nil }
                var l = JSONWriter(escaping: .html)
                if count > 1 { l.openArray() }
                for i in indexes {
                    let id = referred ? pageURL + "#sted-\(i + 1)" : nil
                    if let id, written.contains(i) {
                        l.openObject(); l.string("@id", id); l.closeObject()
                    } else {
                        writePlace(o.locations[i], id: id, into: &l)
                        written.insert(i)
                    }
                }
                if online {
                    l.openObject()
                    if referred && onlineWritten {
                        l.string("@id", pageURL + "#digitalt")
                    } else {
                        l.string("@type", "VirtualLocation")
                        if referred { l.string("@id", pageURL + "#digitalt") }
                        l.string("url", o.signup.url ?? pageURL)
                        onlineWritten = true
                    }
                    l.closeObject()
                }
                if count > 1 { l.closeArray() }
                return l.bytes
            }
            w.openArray("hasCourseInstance")
            for run in o.schedule {
                w.openObject()
                w.string("@type", "CourseInstance")
                w.string("name", text?.title ?? o.title)
                w.string("description", run.note)
                w.string("startDate", OsloTime.iso(run.start))
                w.string("endDate", OsloTime.iso(run.end ?? run.start))
                w.string("courseMode", mode)
                w.string("eventAttendanceMode", attendance)
                w.string("eventStatus", "https://schema.org/EventScheduled")
                if !run.times.isEmpty {
                    // Weekly sessions as a schema.org Schedule, one per time of day.
                    w.openArray("courseSchedule")
                    for slot in Dictionary(grouping: run.times, by: { $0.from + "-" + $0.to }).sorted(by: { $0.key < $1.key }) {
                        w.openObject()
                        w.string("@type", "Schedule")
                        w.string("repeatFrequency", "P1W")
                        w.strings("byDay", slot.value.map(\.isoWeekday).sorted().map { Self.schemaDays[max(0, min(6, $0 - 1))] })
                        w.string("startTime", slot.value[0].from)
                        w.string("endTime", slot.value[0].to)
                        w.string("startDate", run.start.day.iso)
                        if let end = run.end { w.string("endDate", end.day.iso) }
                        w.int("repeatCount", run.sessions)
                        w.string("scheduleTimezone", "Europe/Oslo")
                        w.closeObject()
                    }
                    w.closeArray()
                }
                if let location = runLocation(run) { w.raw("location", location) }
                w.string("inLanguage", o.languages.first ?? "nb")
                if let organization { w.raw("organizer", organization) }
                w.raw("offers", offer.bytes)
                w.closeObject()
            }
            w.closeArray()
        } else {
            w.string("serviceType", label(.format, o.format))
            w.string("category", label(.kind, o.kind))
            if publicProvider, let organization { w.raw("serviceOperator", organization) }
            if o.national {
                w.openObject("areaServed")
                w.string("@type", "Country")
                w.string("name", ["nb": "Norge", "nn": "Noreg", "en": "Norway"][lang] ?? "Norge")
                w.string("identifier", "NO")
                w.closeObject()
            } else {
                w.openArray("areaServed")
                for code in o.municipalities {
                    w.openObject()
                    w.string("@type", "AdministrativeArea")
                    w.string("name", gov.municipality(code)?.name ?? code)
                    w.string("identifier", code)
                    w.closeObject()
                }
                w.closeArray()
            }
            writeTypedList("audience", type: "Audience", field: "audienceType", o.audiences.map { label(.audiences, $0) }, into: &w)
            w.openObject("availableChannel")
            w.string("@type", "ServiceChannel")
            w.string("serviceUrl", o.signup.url ?? pageURL)
            if let phone = o.signup.phone ?? o.contact.phone {
                w.openObject("servicePhone")
                w.string("@type", "ContactPoint")
                w.string("telephone", Phone.e164(phone))
                w.closeObject()
            }
            if let first = o.locations.first { writePlace(first, key: "serviceLocation", into: &w) }
            w.strings("availableLanguage", o.languages)
            w.closeObject()
            w.openObject("offers")
            writePriceFields(o, label, into: &w)
            w.closeObject()
        }
        w.closeObject()
        return w.bytes
    }

    /// The provider's `Organization` on pages in `language`, encoded (HTML-safe) to be copied into its offers' JSON-LD.
    static func organizationBytes(_ p: Provider, renderer: SiteRenderer, language: String) -> [UInt8] {
        let types = renderer.catalog.governance.vocabulary(.providerType)
        let type = types.has(p.type, .government) ? "GovernmentOrganization" : types.has(p.type, .medical) ? "MedicalOrganization" : "Organization"
        let page = renderer.absoluteURL(SitePaths.provider(p.id), language)
        var w = JSONWriter(escaping: .html, capacity: 512)
        w.openObject()
        w.string("@type", type)
        w.string("@id", page + "#org")
        w.string("name", p.name)
        w.string("url", p.website ?? page)
        w.openObject("identifier")
        w.string("@type", "PropertyValue")
        w.string("propertyID", "organisasjonsnummer")
        w.string("value", p.orgNumber)
        w.closeObject()
        w.string("email", p.email)
        w.string("telephone", p.phone.map(Phone.e164))
        w.closeObject()
        return w.bytes
    }

    /// `key`: a list of objects of `@type` `type`, each with one `field`, one per value.
    private static func writeTypedList(_ key: StaticString, type: String, field: StaticString, _ values: [String],
                                       into w: inout JSONWriter) {
        w.openArray(key)
        for value in values {
            w.openObject()
            w.string("@type", type)
            w.string(field, value)
            w.closeObject()
        }
        w.closeArray()
    }

    /// schema.org's days of the week, Monday first.
    static let schemaDays = ["https://schema.org/Monday", "https://schema.org/Tuesday", "https://schema.org/Wednesday", "https://schema.org/Thursday",
                             "https://schema.org/Friday", "https://schema.org/Saturday", "https://schema.org/Sunday"]

    private static func writePlace(_ l: Location, key: StaticString? = nil, id: String? = nil, into w: inout JSONWriter) {
        w.openObject(key)
        w.string("@type", "Place")
        if let id { w.string("@id", id) }
        w.string("name", l.name)
        w.openObject("address")
        w.string("@type", "PostalAddress")
        w.string("streetAddress", l.address)
        w.string("postalCode", l.postalCode)
        w.string("addressLocality", l.city)
        w.string("addressCountry", "NO")
        w.closeObject()
        if let g = l.geo {
            w.openObject("geo")
            w.string("@type", "GeoCoordinates")
            w.number("latitude", g.lat)
            w.number("longitude", g.lon)
            w.closeObject()
        }
        w.closeObject()
    }

    /// The offer's price as a schema.org `Offer` object.
    private static func writePriceOffer(_ o: Offer, _ label: (VocabularyName, String) -> String, into w: inout JSONWriter) {
        w.openObject()
        writePriceFields(o, label, into: &w)
        w.closeObject()
    }

    private static func writePriceFields(_ o: Offer, _ label: (VocabularyName, String) -> String, into w: inout JSONWriter) {
        w.string("@type", "Offer")
        // A free price has no amount (the validator leaves it out).
        w.int("price", o.price.amountNOK ?? 0)
        w.string("priceCurrency", "NOK")
        w.string("category", label(.price, o.price.kind))
        if let note = o.price.note, !note.isEmpty { w.string("description", note) }
        w.string("url", o.signup.url)
        if let deadline = o.signup.deadline { w.string("validThrough", deadline.iso) }
    }
}
