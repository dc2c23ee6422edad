import Foundation
import Testing
import TilbudModel
import TilbudRender
import TilbudSite
import TilbudTestSupport
import TilbudValidate
@testable import TilbudFeed

/// Fields the governance body adds to `fields.yaml` (one of every type) reach the JSON API, the offer schema and
/// OpenAPI from their declarations alone.
@Suite("Declared fields in the JSON API and the schemas")
struct DeclaredFieldsFeedTests {
    /// The fixture's fields.yaml with one added offer field of every type and one added provider field.
    static let fieldsYAML: String = {
        let base = try! String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/fields.yaml"), encoding: .utf8)
        let offer = """
          intro_note:
            type: text
            max_chars: 50
            label: {nb: Huskelapp, nn: Hugselapp, en: Reminder}
            help: {nb: Kort påminnelse., nn: Kort påminning., en: A short reminder.}
          details:
            type: markdown
            max_chars: 500
            label: {nb: Detaljer, nn: Detaljar, en: Details}
          wheelchair_access:
            type: bool
            show: facts
            label: {nb: Tilgjengelig med rullestol, nn: Tilgjengeleg med rullestol, en: Wheelchair accessible}
          group_size:
            type: integer
            min: 2
            max: 20
            label: {nb: Gruppestørrelse, nn: Gruppestorleik, en: Group size}
          fee_share:
            type: number
            min: 0
            max: 1.5
            label: {nb: Andel, nn: Del, en: Share}
          opens:
            type: date
            label: {nb: Åpner, nn: Opnar, en: Opens}
          first_meeting:
            type: datetime
            label: {nb: Første møte, nn: Første møte, en: First meeting}
          booking_page:
            type: url
            max_chars: 200
            label: {nb: Bestilling, nn: Bestilling, en: Booking page}
          booking_email:
            type: email
            label: {nb: E-post for bestilling, nn: E-post for bestilling, en: Booking e-mail}
          booking_phone:
            type: phone
            label: {nb: Telefon for bestilling, nn: Telefon for bestilling, en: Booking phone}
          level:
            type: id
            values: [lett, middels, krevende]
            required: true
            label: {nb: Nivå, nn: Nivå, en: Level}
          extra_topics:
            type: ids
            vocabulary: topics
            max: 3
            label: {nb: Flere tema, nn: Fleire tema, en: More topics}
          equipment:
            type: list
            min: 1
            max: 4
            label: {nb: Utstyr, nn: Utstyr, en: Equipment}
            item: {type: text, max_chars: 30}
          meeting_point:
            type: object
            label: {nb: Møtested, nn: Møtestad, en: Meeting point}
            fields:
              place:
                type: text
                required: true
                max_chars: 80
                label: {nb: Sted, nn: Stad, en: Place}
              floor:
                type: integer
                min: 0
                label: {nb: Etasje, nn: Etasje, en: Floor}

        """
        let provider = """
          opening_hours:
            type: text
            max_chars: 100
            label: {nb: Åpningstider, nn: Opningstider, en: Opening hours}

        """
        precondition(base.contains("\nprovider:\n"))
        return base.replacingOccurrences(of: "\nprovider:\n", with: "\n" + offer + "\nprovider:\n") + provider
    }()

    static let records = #"""
-- content/providers/frisk/provider.yaml --
name: Frisklivssentralen i Oslo
org_number: "974778882"
type: kommune
municipality: "0301"
opening_hours: Hverdager 8–16
-- content/providers/frisk/alt.md --
---
title: Et tilbud med alle slags felt
summary: Et tilbud som setter ett felt av hver type som forvaltningen har lagt til.
kind: friskliv
format: kurs
delivery: digitalt
topics: [sovn]
audiences: [voksne]
national: true
ongoing: true
price:
  kind: gratis
referral: ingen
last_reviewed: 2026-11-01
intro_note: Husk matpakke
details: Ta med **matpakke** & <godt> humør.
wheelchair_access: true
group_size: 12
fee_share: 0.75
opens: 2027-01-05
first_meeting: 2027-01-12T18:30
booking_page: https://example.org/booking
booking_email: booking@example.org
booking_phone: "+47 22 00 00 00"
level: middels
extra_topics: [sovn, stress]
equipment: [matte, vannflaske]
meeting_point:
  place: Hovedinngangen
  floor: 2
---
Et tilbud.
"""#

    static let shared: FeedFixture = try! FeedFixture(records, replacing: ["content/governance/fields.yaml": fieldsYAML])

    /// Every added field, in declared order, as the offer's JSON writes it (`<`, `>` and `&` escaped as everywhere in the API).
    static let encodedExtra = #""intro_note":"Husk matpakke","details":"Ta med **matpakke** \u0026 \u003cgodt\u003e humør.","#
        + #""wheelchair_access":true,"group_size":12,"fee_share":0.75,"opens":"2027-01-05","first_meeting":"2027-01-12T18:30","#
        + #""booking_page":"https://example.org/booking","booking_email":"booking@example.org","booking_phone":"+47 22 00 00 00","#
        + #""level":"middels","extra_topics":["sovn","stress"],"equipment":["matte","vannflaske"],"#
        + #""meeting_point":{"place":"Hovedinngangen","floor":2}"#

    @Test("the catalog with every kind of added field builds without errors")
    func builds() {
        let fixture = Self.shared
        #expect(fixture.result.succeeded, "\(fixture.result.failure ?? "") \(fixture.result.diagnostics.filter { $0.severity == .error }.map(\.message.en))")
    }

    @Test("the offer's file has each added field under its own name, after the fixed keys, in declared order")
    func offerFile() throws {
        let text = Self.shared.read("api/v1/offers/frisk/alt.json")
        #expect(text.hasSuffix(#""translations":{},"# + Self.encodedExtra + "}\n"), "\(text)")
        let o = try #require(Self.shared.json("api/v1/offers/frisk/alt.json") as? [String: Any])
        #expect(o["intro_note"] as? String == "Husk matpakke")
        #expect(o["details"] as? String == "Ta med **matpakke** & <godt> humør.")
        #expect(o["wheelchair_access"] as? Bool == true)
        #expect(o["group_size"] as? Int == 12)
        #expect(o["fee_share"] as? Double == 0.75)
        #expect(o["opens"] as? String == "2027-01-05")
        #expect(o["first_meeting"] as? String == "2027-01-12T18:30")
        #expect(o["booking_page"] as? String == "https://example.org/booking")
        #expect(o["booking_email"] as? String == "booking@example.org")
        #expect(o["booking_phone"] as? String == "+47 22 00 00 00")
        #expect(o["level"] as? String == "middels")
        #expect(o["extra_topics"] as? [String] == ["sovn", "stress"])
        #expect(o["equipment"] as? [String] == ["matte", "vannflaske"])
        let meeting = try #require(o["meeting_point"] as? [String: Any])
        #expect(meeting["place"] as? String == "Hovedinngangen")
        #expect(meeting["floor"] as? Int == 2)
    }

    @Test("offers.json holds the same record, added fields included")
    func offersList() throws {
        let file = Self.shared.read("api/v1/offers/frisk/alt.json")
        let list = Self.shared.read("api/v1/offers.json")
        #expect(list.split(separator: "\n").contains { $0.hasPrefix(file.dropLast()) })
        let offers = try #require((Self.shared.json("api/v1/offers.json") as? [String: Any])?["offers"] as? [[String: Any]])
        let o = try #require(offers.first { $0["id"] as? String == "frisk/alt" })
        #expect(o["group_size"] as? Int == 12)
        #expect((o["meeting_point"] as? [String: Any])?["place"] as? String == "Hovedinngangen")
    }

    @Test("the provider's added field is in providers.json and its own file")
    func provider() throws {
        let list = try #require((Self.shared.json("api/v1/providers.json") as? [String: Any])?["providers"] as? [[String: Any]])
        #expect(list.first?["opening_hours"] as? String == "Hverdager 8–16")
        let own = try #require((Self.shared.json("api/v1/providers/frisk.json") as? [String: Any])?["provider"] as? [String: Any])
        #expect(own["opening_hours"] as? String == "Hverdager 8–16")
        #expect(Self.shared.read("api/v1/providers.json").contains(#""offer_count":1,"opening_hours":"Hverdager 8–16"}"#))
    }

    /// The schema of each added field, as a JSON text, parsed.
    static let expectedSchemas: [(String, String)] = [
        ("intro_note", #"{"type":"string","description":"Reminder. A short reminder.","minLength":1,"maxLength":50}"#),
        ("details", #"{"type":"string","description":"Details","contentMediaType":"text/markdown","minLength":1,"maxLength":500}"#),
        ("wheelchair_access", #"{"type":"boolean","description":"Wheelchair accessible"}"#),
        ("group_size", #"{"type":"integer","description":"Group size","minimum":2,"maximum":20}"#),
        ("fee_share", #"{"type":"number","description":"Share","minimum":0,"maximum":1.5}"#),
        ("opens", #"{"type":"string","description":"Opens","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}$","format":"date"}"#),
        ("first_meeting", #"{"type":"string","description":"First meeting. A date, or a date and a local time in Europe/Oslo (YYYY-MM-DDTHH:MM).","pattern":"^[0-9]{4}-[0-9]{2}-[0-9]{2}(T[0-9]{2}:[0-9]{2})?$"}"#),
        ("booking_page", #"{"type":"string","description":"Booking page","maxLength":200,"pattern":"^https://","format":"uri"}"#),
        ("booking_email", #"{"type":"string","description":"Booking e-mail","maxLength":300,"pattern":"^[^@\\s]+@[^@\\s]+\\.[^@\\s]+$","format":"email"}"#),
        ("booking_phone", #"{"type":"string","description":"Booking phone","pattern":"^(\\+ *4 *7 *[2-9]( *[0-9]){7}|[0-9]( *[0-9]){4})$"}"#),
        ("level", #"{"type":"string","description":"Level","enum":["lett","middels","krevende"]}"#),
        ("equipment", #"{"type":"array","description":"Equipment","items":{"type":"string","minLength":1,"maxLength":30},"minItems":1,"maxItems":4}"#),
        ("meeting_point", #"{"type":"object","description":"Meeting point","required":["place"],"properties":{"place":{"type":"string","description":"Place","minLength":1,"maxLength":80},"floor":{"type":"integer","description":"Floor","minimum":0}}}"#),
    ]

    @Test("offer.schema.json has a property for every added field, derived from its declaration")
    func offerSchema() throws {
        let context = try Self.shared.context()
        let topics = context.catalog.governance.vocabulary(.topics).ids
        let schema = try #require(Self.shared.json("api/v1/schema/offer.schema.json") as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        for (name, expected) in Self.expectedSchemas {
            let want = try JSONSerialization.jsonObject(with: Data(expected.utf8))
            #expect(canonical(properties[name]) == canonical(want), "\(name)")
        }
        let extraTopics = try #require(properties["extra_topics"] as? [String: Any])
        #expect(extraTopics["type"] as? String == "array")
        #expect(extraTopics["maxItems"] as? Int == 3)
        #expect((extraTopics["items"] as? [String: Any])?["enum"] as? [String] == topics)
        // Required fields are required; the fixed keys keep their order and come first.
        let required = try #require(schema["required"] as? [String])
        #expect(required == OfferJSON.requiredKeys + ["level"])
        // Keys four spaces in (`required`, `properties`, `$defs`), in written order; the last `translations` is the property,
        // followed by the fixture's own added fields (the access fields), then the ones this test adds.
        let keys = Self.shared.read("api/v1/schema/offer.schema.json").components(separatedBy: "\n    \"").dropFirst()
            .map { String($0.prefix { $0 != "\"" }) }
        #expect(keys.lastIndex(of: "translations").map { keys[($0 + 1)...].prefix(7) == ["referrers", "referral_recipient", "referral_info", "relatives", "price_details", "intro_note", "details"] } ?? false, "\(keys)")
    }

    @Test("OpenAPI's Provider and provider.schema.json have the provider's added field")
    func openAPIProvider() throws {
        let api = try #require(Self.shared.json("api/v1/openapi.json") as? [String: Any])
        let provider = try #require(((api["components"] as? [String: Any])?["schemas"] as? [String: Any])?["Provider"] as? [String: Any])
        let hours = try #require((provider["properties"] as? [String: Any])?["opening_hours"])
        let want = try JSONSerialization.jsonObject(with: Data(#"{"type":"string","description":"Opening hours","minLength":1,"maxLength":100}"#.utf8))
        #expect(canonical(hours) == canonical(want))
        #expect((provider["required"] as? [String])?.contains("opening_hours") == false)
        // provider.schema.json is the same schema, as a document of its own.
        let document = try #require(Self.shared.json("api/v1/schema/provider.schema.json") as? [String: Any])
        #expect(document["$id"] as? String == "https://tilbud.example.org/api/v1/schema/provider.schema.json")
        #expect(canonical(document["properties"] as Any) == canonical(provider["properties"] as Any))
        #expect((document["required"] as? [String]) == (provider["required"] as? [String]))
    }

    @Test("an added field may not take a key the API writes itself")
    func reservedName() throws {
        let yaml = Self.fieldsYAML.replacingOccurrences(of: "\n  intro_note:\n", with: "\n  state:\n")
        let fixture = try FeedFixture(Self.records.replacingOccurrences(of: "intro_note: Husk matpakke\n", with: ""),
                                      replacing: ["content/governance/fields.yaml": yaml])
        #expect(!fixture.result.succeeded)
        #expect(fixture.result.diagnostics.contains { $0.id == "field-declaration" && $0.message.en.contains("'state' is taken") })
    }

    @Test("an added url field is held to its max_chars")
    func urlLimit() throws {
        let long = "https://example.org/" + String(repeating: "a", count: 190)
        let fixture = try FeedFixture(Self.records.replacingOccurrences(of: "https://example.org/booking", with: long),
                                      replacing: ["content/governance/fields.yaml": Self.fieldsYAML])
        #expect(!fixture.result.succeeded)
        #expect(fixture.result.diagnostics.contains { $0.severity == .error && $0.location?.path.hasSuffix("alt.md") == true && $0.location?.line == 22 },
                "\(fixture.result.diagnostics.map { "\($0.location.map { "\($0.path):\($0.line)" } ?? "") \($0.message.en)" })")
    }
}

/// A JSON value as text with sorted keys, for comparing parsed values.
private func canonical(_ value: Any?) -> String {
    guard let value, let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys]) else { return "nil" }
    return String(decoding: data, as: UTF8.self)
}
