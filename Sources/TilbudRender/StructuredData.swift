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

/// Writes compact JSON straight into bytes, container by container: for documents made by the thousand (the offer
/// pages' JSON-LD), where building and tearing down a `JSONValue` tree per document costs more than the writing.
/// The bytes are exactly those of `JSONValue.encoded(pretty: false, htmlSafe:)` for the same fields in the same order.
///
/// Commas need no stack: a value written after another one in the same container gets one, and opening a container
/// counts as a value of its parent. Keys are literals that need no escaping.
struct JSONStreamWriter {
    private var encoder: JSONByteWriter
    /// True right after `{`, `[` or at the start, where no comma goes.
    private var first = true

    /// A writer with room for `capacity` bytes; `htmlSafe` as in `JSONValue.encoded`.
    init(htmlSafe: Bool, capacity: Int = 1024) {
        encoder = JSONByteWriter(pretty: false, htmlSafe: htmlSafe)
        encoder.bytes.reserveCapacity(capacity)
    }

    /// The JSON written so far.
    var bytes: [UInt8] { encoder.bytes }

    @inline(__always) private mutating func separate(_ key: StaticString?) {
        if !first { encoder.bytes.append(UInt8(ascii: ",")) }
        first = false
        guard let key else { return }
        encoder.bytes.append(UInt8(ascii: "\""))
        key.withUTF8Buffer { encoder.bytes.append(contentsOf: $0) }
        encoder.bytes.append(UInt8(ascii: "\""))
        encoder.bytes.append(UInt8(ascii: ":"))
    }

    /// Opens an object, as a list item (`key` nil) or the value of `key`.
    mutating func openObject(_ key: StaticString? = nil) { open(key, UInt8(ascii: "{")) }

    /// Closes the innermost object.
    mutating func closeObject() { close(UInt8(ascii: "}")) }

    /// Opens an array, as a list item (`key` nil) or the value of `key`.
    mutating func openArray(_ key: StaticString? = nil) { open(key, UInt8(ascii: "[")) }

    /// Closes the innermost array.
    mutating func closeArray() { close(UInt8(ascii: "]")) }

    private mutating func open(_ key: StaticString?, _ bracket: UInt8) {
        separate(key)
        encoder.bytes.append(bracket)
        first = true
    }

    private mutating func close(_ bracket: UInt8) {
        encoder.bytes.append(bracket)
        first = false
    }

    /// A string; nil leaves the key out, as `JSONFields.set` does.
    mutating func string(_ key: StaticString?, _ value: String?) {
        guard let value else { return }
        separate(key)
        encoder.writeString(value)
    }

    /// A boolean.
    mutating func bool(_ key: StaticString?, _ value: Bool) {
        separate(key)
        encoder.write(.bool(value), level: 0)
    }

    /// An integer.
    mutating func int(_ key: StaticString?, _ value: Int) {
        separate(key)
        encoder.bytes.append(contentsOf: String(value).utf8)
    }

    /// A number, written as `JSONValue.number` is.
    mutating func number(_ key: StaticString?, _ value: Double) {
        separate(key)
        encoder.writeNumber(value)
    }

    /// An array of strings (always written, possibly empty).
    mutating func strings(_ key: StaticString?, _ values: [String]) {
        openArray(key)
        for value in values { string(nil, value) }
        closeArray()
    }

    /// JSON already encoded the same way (a fragment shared by many documents), written as it is.
    mutating func raw(_ key: StaticString?, _ encoded: [UInt8]) {
        separate(key)
        encoder.bytes.append(contentsOf: encoded)
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
/// Written straight into bytes (see `JSONStreamWriter`); each provider's `Organization` is encoded once per language
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
        let publicProvider = provider.map { isPublic(catalog.providers[$0]) } ?? false
        var w = JSONStreamWriter(htmlSafe: true, capacity: 4096)
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
            if o.referral != "ingen" { w.string("coursePrerequisites", label(.referral, o.referral)) }
            w.bool("isAccessibleForFree", o.price.kind == "gratis")
            // Every run repeats the offer and the place: encoded once.
            var offer = JSONStreamWriter(htmlSafe: true)
            writePriceOffer(o, label, into: &offer)
            w.raw("offers", offer.bytes)
            let mode: String, attendance: String
            switch o.delivery {
            case "digitalt": (mode, attendance) = ("online", "https://schema.org/OnlineEventAttendanceMode")
            case "hybrid": (mode, attendance) = ("blended", "https://schema.org/MixedEventAttendanceMode")
            default: (mode, attendance) = ("onsite", "https://schema.org/OfflineEventAttendanceMode")
            }
            let places = o.locations.count + (o.delivery != "oppmote" ? 1 : 0)
            var location = JSONStreamWriter(htmlSafe: true)
            if places > 1 { location.openArray() }
            for l in o.locations { writePlace(l, into: &location) }
            if o.delivery != "oppmote" {
                location.openObject()
                location.string("@type", "VirtualLocation")
                location.string("url", o.signup.url ?? pageURL)
                location.closeObject()
            }
            if places > 1 { location.closeArray() }
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
                if places > 0 { w.raw("location", location.bytes) }
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
                w.string("telephone", e164(phone))
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

    /// Providers run by the public sector are `GovernmentService` operators.
    static func isPublic(_ p: Provider) -> Bool {
        switch p.type {
        case "kommune", "helseforetak", "statlig": return true
        default: return false
        }
    }

    static func e164(_ phone: String) -> String { phone.filter { $0 != " " } }

    /// The provider's `Organization` on pages in `language`, encoded (HTML-safe) to be copied into its offers' JSON-LD.
    static func organizationBytes(_ p: Provider, renderer: SiteRenderer, language: String) -> [UInt8] {
        let type: String
        switch p.type {
        case "kommune", "statlig": type = "GovernmentOrganization"
        case "helseforetak": type = "MedicalOrganization"
        default: type = "Organization"
        }
        let page = renderer.absoluteURL("tilbyder/\(p.id)/", language)
        var w = JSONStreamWriter(htmlSafe: true, capacity: 512)
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
        w.string("telephone", p.phone.map(e164))
        w.closeObject()
        return w.bytes
    }

    /// `key`: a list of objects of `@type` `type`, each with one `field`, one per value.
    private static func writeTypedList(_ key: StaticString, type: String, field: StaticString, _ values: [String],
                                       into w: inout JSONStreamWriter) {
        w.openArray(key)
        for value in values {
            w.openObject()
            w.string("@type", type)
            w.string(field, value)
            w.closeObject()
        }
        w.closeArray()
    }

    private static func writePlace(_ l: Location, key: StaticString? = nil, into w: inout JSONStreamWriter) {
        w.openObject(key)
        w.string("@type", "Place")
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
    private static func writePriceOffer(_ o: Offer, _ label: (VocabularyName, String) -> String, into w: inout JSONStreamWriter) {
        w.openObject()
        writePriceFields(o, label, into: &w)
        w.closeObject()
    }

    private static func writePriceFields(_ o: Offer, _ label: (VocabularyName, String) -> String, into w: inout JSONStreamWriter) {
        w.string("@type", "Offer")
        w.int("price", o.price.kind == "gratis" ? 0 : (o.price.amountNOK ?? 0))
        w.string("priceCurrency", "NOK")
        w.string("category", label(.price, o.price.kind))
        if let note = o.price.note, !note.isEmpty { w.string("description", note) }
        w.string("url", o.signup.url)
        if let deadline = o.signup.deadline { w.string("validThrough", deadline.iso) }
    }
}
