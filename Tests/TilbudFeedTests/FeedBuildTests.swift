import Foundation
import Testing
import TilbudModel
import TilbudRender
import TilbudSite
import TilbudTestSupport
import TilbudValidate
@testable import TilbudFeed

@Suite("JSON API")
struct JSONAPITests {
    let fixture = FeedFixture.shared

    @Test("the fixture builds without errors")
    func builds() {
        #expect(fixture.result.succeeded, "\(fixture.result.failure ?? "") \(fixture.result.diagnostics.filter { $0.severity == .error }.map(\.message.en))")
    }

    @Test("offers.json lists current and due offers only, in id order")
    func listedOffers() throws {
        let doc = try #require(fixture.json("api/v1/offers.json") as? [String: Any])
        #expect(doc["api_version"] as? String == "1")
        #expect(doc["generated"] as? String == "2026-11-27")
        let offers = try #require(doc["offers"] as? [[String: Any]])
        #expect(doc["count"] as? Int == offers.count)
        #expect(offers.map { $0["id"] as? String ?? "" } == [
            "frisk/forfalt", "frisk/sov-godt", "nett/stressmestring", "nett/webinar-om-diabetes-type-2-med-et-svaert-langt-navn-for-fhir",
        ])
        #expect(offers.map { $0["state"] as? String ?? "" } == ["due", "current", "current", "current"])
    }

    @Test("every published offer has its own file with its state; drafts have none")
    func ownFiles() {
        #expect(fixture.files(under: "api/v1/offers") == [
            "api/v1/offers/frisk/ferdig.json", "api/v1/offers/frisk/forfalt.json", "api/v1/offers/frisk/gammel.json",
            "api/v1/offers/frisk/sov-godt.json", "api/v1/offers/nett/stressmestring.json",
            "api/v1/offers/nett/webinar-om-diabetes-type-2-med-et-svaert-langt-navn-for-fhir.json",
        ])
        #expect((fixture.json("api/v1/offers/frisk/gammel.json") as? [String: Any])?["state"] as? String == "stale")
        #expect((fixture.json("api/v1/offers/frisk/ferdig.json") as? [String: Any])?["state"] as? String == "ended")
        #expect(!fixture.read("api/v1/offers.json").contains("utkast"))
        #expect(!fixture.read("api/v1/providers/frisk.json").contains("utkast"))
    }

    @Test("a municipality lists offers that name it and points at national.json, which lists the national ones")
    func municipalities() throws {
        func ids(_ path: String) -> [String] {
            ((fixture.json(path) as? [String: Any])?["offers"] as? [[String: Any]] ?? []).map { $0["id"] as? String ?? "" }
        }
        #expect(ids("api/v1/municipalities/0301.json") == ["frisk/forfalt", "frisk/sov-godt"])
        #expect(ids("api/v1/municipalities/3201.json") == ["frisk/forfalt"])
        #expect(ids("api/v1/municipalities/1103.json") == [])
        #expect(ids("api/v1/national.json") == ["nett/stressmestring", "nett/webinar-om-diabetes-type-2-med-et-svaert-langt-navn-for-fhir"])
        let oslo = try #require(fixture.json("api/v1/municipalities/0301.json") as? [String: Any])
        let nationalOffers = try #require(oslo["national_offers"] as? [String: Any])
        #expect(nationalOffers["count"] as? Int == 2)
        #expect(nationalOffers["api_url"] as? String == "https://tilbud.example.org/api/v1/national.json")
        #expect(fixture.files(under: "api/v1/municipalities").count == 6)
        let index = try #require(fixture.json("api/v1/municipalities.json") as? [String: Any])
        #expect(index["count"] as? Int == 6)
    }

    @Test("a municipality without any offer has an empty list")
    func emptyMunicipality() throws {
        let f = try FeedFixture(Txtar.parse(FeedFixture.records).filter { !$0.0.contains("/nett/") }.map { "-- \($0.0) --\n\($0.1)" }.joined())
        #expect(f.result.succeeded)
        let doc = try #require(f.json("api/v1/municipalities/1103.json") as? [String: Any])
        #expect(doc["count"] as? Int == 0)
        #expect((doc["offers"] as? [Any])?.isEmpty == true)
        #expect(f.read("api/v1/municipalities/1103.json").hasSuffix(#","count":0,"offers":[]}"# + "\n"))
    }

    @Test("topics, providers and vocabularies")
    func otherFiles() throws {
        let topic = try #require(fixture.json("api/v1/topics/fysisk-aktivitet.json") as? [String: Any])
        #expect((topic["offers"] as? [[String: Any]])?.map { $0["id"] as? String } == ["frisk/forfalt"])
        #expect(fixture.files(under: "api/v1/topics").count == 20)
        let providerFile = try #require(fixture.json("api/v1/providers/frisk.json") as? [String: Any])
        let provider = try #require(providerFile["provider"] as? [String: Any])
        #expect(provider["org_number"] as? String == "974778882")
        #expect(provider["offer_count"] as? Int == 2)
        #expect(providerFile["count"] as? Int == 4)
        #expect((providerFile["offers"] as? [[String: Any]])?.map { $0["state"] as? String } == ["ended", "due", "stale", "current"])
        // List entries are one line each, with what a portal's list shows.
        #expect(fixture.read("api/v1/municipalities/0301.json").hasSuffix("""
        "count":2,"offers":[
        {"id":"frisk/forfalt","title":"Turgruppe","summary":"Vi går tur sammen hver onsdag, i all slags vær.","url":"https://tilbud.example.org/tilbud/frisk/forfalt/","api_url":"https://tilbud.example.org/api/v1/offers/frisk/forfalt.json","kind":"friskliv","delivery":"oppmote","topics":["fysisk-aktivitet"],"state":"due","national":false},
        {"id":"frisk/sov-godt","title":"Sov godt – kurs for deg som sover dårlig","summary":"Fire kvelder om hva som påvirker søvnen, og hva du selv kan gjøre.","url":"https://tilbud.example.org/tilbud/frisk/sov-godt/","api_url":"https://tilbud.example.org/api/v1/offers/frisk/sov-godt.json","kind":"friskliv","delivery":"oppmote","topics":["sovn","psykisk-helse"],"next_start":"2027-02-02T18:00","state":"current","national":false}
        ]}

        """))
        #expect(fixture.read("api/v1/national.json").contains(#"{"id":"nett/stressmestring","title":"Mestre stress \u003c3 \u0026 mer \u003e mindre på nett","#))
        let vocabularies = try #require((fixture.json("api/v1/vocabularies.json") as? [String: Any])?["vocabularies"] as? [String: Any])
        #expect(Array((vocabularies["kind"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }) == ["friskliv", "laering-og-mestring", "selvhjelp"])
        let first = try #require((vocabularies["topics"] as? [[String: Any]])?.first)
        #expect(first["labels"] as? [String: String] == ["nb": "fysisk-aktivitet", "nn": "fysisk-aktivitet", "en": "fysisk-aktivitet"])
    }

    @Test("updated and published appear when the workflow knows them")
    func updatedAndPublished() throws {
        let check = CatalogChecker(root: fixture.content, displayRoot: "content", today: FeedFixture.today).run()
        var offers = check.catalog.offers
        let i = try #require(offers.firstIndex { $0.id == "frisk/sov-godt" })
        offers[i].updated = Day(iso: "2026-11-01")
        offers[i].published = Day(iso: "2024-02-03")
        let catalog = Catalog(site: check.catalog.site, governance: check.catalog.governance, providers: check.catalog.providers,
                              offers: offers, today: check.catalog.today)
        let (templates, _) = TemplateSet.load(from: TestPaths.templates, displayRoot: "templates",
                                              languages: catalog.site.languages)
        let renderer = SiteRenderer(catalog: catalog, templates: try #require(templates), baseURL: FeedFixture.baseURL)
        let context = FeedContext(published: renderer.publishedCatalog)
        let j = try #require(renderer.published.firstIndex { $0.id == "frisk/sov-godt" })
        let text = prettyJSON(String(decoding: OfferJSON.encoded(j, context), as: UTF8.self))
        #expect(text.contains("\"last_reviewed\": \"2026-10-05\",\n  \"updated\": \"2026-11-01\",\n  \"published\": \"2024-02-03\",\n  \"state\": \"current\""))
        #expect(OfferJSON.value(j, context).text(pretty: false).contains(#""last_reviewed":"2026-10-05","updated":"2026-11-01","published":"2024-02-03","state":"current""#))
        #expect(FeedContext.lastModified(renderer.published[j]) == Day(iso: "2026-11-01"))
    }

    /// The fixture with a long nynorsk body for sov-godt, built, and its catalog checked.
    static func longBody() throws -> (FeedFixture, CheckResult) {
        let paragraph = "Kurset går over **åtte** uker, med øvelser og tid til spørsmål. "
        let long = try FeedFixture(FeedFixture.records.replacingOccurrences(
            of: "-- content/providers/frisk/sov-godt.nn.md --", with: String(repeating: paragraph, count: 30) + "\n\n-- content/providers/frisk/sov-godt.nn.md --"))
        return (long, CatalogChecker(root: long.content, displayRoot: "content", today: FeedFixture.today).run())
    }

    @Test("the renderer holds each body rendered (compressed), not its Markdown; the API's description is the rendered body")
    func bodiesRenderedOnce() throws {
        let (long, check) = try Self.longBody()
        let markdown = try #require(check.catalog.offers.first { $0.id == "frisk/sov-godt" }).body
        #expect(!markdown.isEmpty)
        let (templates, _) = TemplateSet.load(from: TestPaths.templates, displayRoot: "templates", languages: check.catalog.site.languages)
        let renderer = SiteRenderer(catalog: check.catalog, templates: try #require(templates), baseURL: FeedFixture.baseURL,
                                    holding: .compressed)
        // Held compressed: a text long enough to gain is smaller than its HTML and plain text together.
        let longTexts = renderer.texts.flatMap(\.values).filter { $0.bodyHTML.utf8.count + $0.bodyText.utf8.count > 1_000 }
        #expect(!longTexts.isEmpty)
        for t in longTexts { #expect(t.heldBytes < (t.bodyHTML.utf8.count + t.bodyText.utf8.count) / 3) }
        #expect(renderer.published.allSatisfy { $0.body.isEmpty && $0.translations.values.allSatisfy { t in t.body.isEmpty } })
        #expect(renderer.catalog.offers.allSatisfy { $0.body.isEmpty })
        let j = try #require(renderer.published.firstIndex { $0.id == "frisk/sov-godt" })
        let text = try #require(renderer.texts[j]["nb"])
        #expect(!text.bodyHTML.isEmpty && !text.bodyText.isEmpty)
        let json = String(decoding: OfferJSON.encoded(j, FeedContext(published: renderer.publishedCatalog)), as: UTF8.self)
        #expect(json.contains(text.bodyText.replacingOccurrences(of: "\n", with: "\\n").prefix(40)))
    }

    @Test("held in a spill file, the long bodies take no memory, and the API reads them as they were rendered")
    func bodiesSpilled() throws {
        let (long, check) = try Self.longBody()
        let (templates, _) = TemplateSet.load(from: TestPaths.templates, displayRoot: "templates", languages: check.catalog.site.languages)
        let spill = try #require(SpillFile(in: long.directory))
        let spilled = SiteRenderer(catalog: check.catalog, templates: try #require(templates), baseURL: FeedFixture.baseURL,
                                   holding: .spilled, spill: spill)
        let plain = SiteRenderer(catalog: check.catalog, templates: try #require(templates), baseURL: FeedFixture.baseURL, holding: .plain)
        let longTexts = spilled.texts.flatMap(\.values).filter { $0.bodyHTML.utf8.count + $0.bodyText.utf8.count > 1_000 }
        #expect(!longTexts.isEmpty)
        for t in longTexts { #expect(t.heldBytes == 0) }
        for j in spilled.published.indices {
            #expect(OfferJSON.encoded(j, FeedContext(published: spilled.publishedCatalog)) == OfferJSON.encoded(j, FeedContext(published: plain.publishedCatalog)))
        }
        #expect(spill.failed == nil)
    }

    @Test("holding bodies and cards compressed or in the spill file (as a large catalog is built) changes no byte of the output",
          arguments: [Holding.compressed, .spilled])
    func heldHoldingChangesNothing(_ holding: Holding) throws {
        // The fixture's bodies are short; one is given a long one, so a body is held compressed too, not only the cards.
        let paragraph = "Kurset går over **åtte** uker, med [øvelser](https://example.org/ovelser) og tid til spørsmål. "
        let records = FeedFixture.records.replacingOccurrences(
            of: "-- content/providers/frisk/sov-godt.nn.md --", with: String(repeating: paragraph, count: 30) + "\n\n-- content/providers/frisk/sov-godt.nn.md --")
        #expect(records != FeedFixture.records)
        let plain = try FeedFixture(records, holding: .plain)
        let held = try FeedFixture(records, holding: holding)
        #expect(plain.read("api/v1/offers/frisk/sov-godt.json").contains("tid til spørsmål"))
        #expect(plain.result.succeeded && held.result.succeeded)
        let a = Tree.read(plain.output), b = Tree.read(held.output)
        #expect(a.count > 50)
        #expect(a.keys.sorted() == b.keys.sorted())
        for (path, data) in a where b[path] != data { Issue.record("\(path) differs when held \(holding)") }
        // The spill file was unlinked as soon as it was made: the folder beside the output holds what it held before.
        let beside = try FileManager.default.contentsOfDirectory(atPath: held.directory.path).sorted()
        #expect(beside == ["content", "public"])
    }

    @Test("two builds give the same bytes")
    func deterministic() throws {
        let again = try FeedFixture(FeedFixture.records)
        for path in ["api/v1/offers.json", "api/v1/openapi.json", "api/v1/schema/offer.schema.json", "api/fhir/R4/HealthcareService.ndjson", "api/fhir/R4/$bulk-publish", "api/v1/national.json",
                     "feed.xml", "sitemap.xml", "api/v1/municipalities/0301.json", "tilbud/frisk/sov-godt/index.html"] {
            #expect(again.read(path) == fixture.read(path), "\(path) differs")
        }
    }
}

@Suite("Schemas")
struct SchemaTests {
    let fixture = FeedFixture.shared

    @Test("the offer schema takes enums and limits from governance")
    func fromGovernance() throws {
        let schema = try #require(fixture.json("api/v1/schema/offer.schema.json") as? [String: Any])
        #expect(schema["$schema"] as? String == "https://json-schema.org/draft/2020-12/schema")
        #expect(schema["$id"] as? String == "https://tilbud.example.org/api/v1/schema/offer.schema.json")
        let defs = try #require(schema["$defs"] as? [String: [String: Any]])
        #expect(defs["kommunenummer"]?["enum"] as? [String] == ["0301", "1103", "1508", "3201", "4601", "5001"])
        #expect(defs["kind"]?["enum"] as? [String] == ["friskliv", "laering-og-mestring", "selvhjelp"])
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(properties["title"]?["maxLength"] as? Int == 90)
        #expect(properties["topics"]?["maxItems"] as? Int == 5)
        #expect(properties["locations"]?["maxItems"] as? Int == 50)
        #expect((properties["tags"]?["items"] as? [String: Any])?["maxLength"] as? Int == 40)
        let location = try #require(defs["location"]?["properties"] as? [String: [String: Any]])
        #expect(location["name"]?["maxLength"] as? Int == 120)
        #expect(location["address"]?["maxLength"] as? Int == 300)
        #expect(schema["required"] as? [String] == OfferJSON.requiredKeys)
    }

    @Test("editing governance changes the schema, not Swift code")
    func editedGovernance() throws {
        let vocabularies = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/vocabularies.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "topics:\n", with: "topics:\n  - {id: sorg, label: {nb: Sorg, nn: Sorg, en: Grief}}\n")
        let fields = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/fields.yaml"), encoding: .utf8)
            .replacingOccurrences(of: "max_chars: 90", with: "max_chars: 80")
            .replacingOccurrences(of: "vocabulary: topics\n    required: true\n    min: 1\n    max: 5", with: "vocabulary: topics\n    required: true\n    min: 1\n    max: 3")
        let f = try FeedFixture(FeedFixture.records, replacing: [
            "content/governance/vocabularies.yaml": vocabularies, "content/governance/fields.yaml": fields,
        ])
        #expect(f.result.succeeded)
        let schema = try #require(f.json("api/v1/schema/offer.schema.json") as? [String: Any])
        let topics = ((schema["$defs"] as? [String: [String: Any]])?["topic"]?["enum"] as? [String]) ?? []
        #expect(topics.first == "sorg")
        let properties = try #require(schema["properties"] as? [String: [String: Any]])
        #expect(properties["title"]?["maxLength"] as? Int == 80)
        #expect(properties["topics"]?["maxItems"] as? Int == 3)
        #expect(f.exists("api/v1/topics/sorg.json"))
        #expect(f.fhirLine("CodeSystem", "tilbud-topics")?.contains(#""code":"sorg""#) == true)
    }

    @Test("offers.schema.json refers to the offer schema and allows only listed states")
    func envelopeSchema() throws {
        let schema = try #require(fixture.json("api/v1/schema/offers.schema.json") as? [String: Any])
        let offers = try #require((schema["properties"] as? [String: Any])?["offers"] as? [String: Any])
        let allOf = try #require((offers["items"] as? [String: Any])?["allOf"] as? [[String: Any]])
        #expect(allOf.first?["$ref"] as? String == "offer.schema.json")
        let state = ((allOf.last?["properties"] as? [String: Any])?["state"] as? [String: Any])?["enum"] as? [String]
        #expect(state == ["current", "due"])
    }

    @Test("OpenAPI 3.1 describes every endpoint as a GET and references the schemas")
    func openAPI() throws {
        let doc = try #require(fixture.json("api/v1/openapi.json") as? [String: Any])
        #expect(doc["openapi"] as? String == "3.1.0")
        let paths = try #require(doc["paths"] as? [String: [String: Any]])
        for p in ["/offers.json", "/offers/{provider}/{slug}.json", "/providers.json", "/providers/{provider}.json", "/vocabularies.json",
                  "/municipalities.json", "/municipalities/{kommunenummer}.json", "/topics/{topic}.json", "/schema/offer.schema.json",
                  "/schema/offers.schema.json", "/$bulk-publish", "/{type}.ndjson", "/national.json", "/feed.xml", "/sitemap.xml"] {
            #expect(paths[p]?["get"] != nil, "\(p)")
            let keys: [String] = paths[p].map { Array($0.keys) } ?? []
            #expect(Set(keys).isSubset(of: ["get", "servers"]))
        }
        #expect(fixture.read("api/v1/openapi.json").contains("\"$ref\": \"schema/offers.schema.json\""))
    }
}

@Suite("FHIR export")
struct FHIRTests {
    let fixture = FeedFixture.shared

    @Test("ids fit FHIR's rule; long ones are trimmed and hashed")
    func ids() {
        #expect(FHIRExport.fit("frisk--sov-godt") == "frisk--sov-godt")
        let long = FHIRExport.fit("nett--webinar-om-diabetes-type-2-med-et-svaert-langt-navn-for-fhir")
        #expect(long == "nett--webinar-om-diabetes-type-2-med-et-svaert--62249683acf08d05")
        #expect(long.count == 64)
        #expect(FHIRExport.fit("a/b æ") != FHIRExport.fit("a/b ø"))
        let ids = fixture.fhirResources().compactMap { $0["id"] as? String }
        #expect(ids.count > 20)
        for id in ids {
            #expect(id.count <= 64 && id.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }, "\(id)")
        }
    }

    @Test("the export is a Bulk Publish manifest and one NDJSON file per type: services, organisations, locations, code systems")
    func bulkExport() throws {
        let manifest = try #require(fixture.json("api/fhir/R4/$bulk-publish") as? [String: Any])
        #expect(manifest["manifestType"] as? String == "http://hl7.org/fhir/uv/bulkdata/OperationDefinition/bulk-publish")
        #expect(manifest["transactionTime"] as? String == "2026-11-27T00:00:00Z")
        #expect(manifest["requiresAccessToken"] as? Bool == false)
        #expect(manifest["outputFormat"] as? String == "application/fhir+ndjson")
        let output = try #require(manifest["output"] as? [[String: Any]])
        // Two places, six municipalities and Norway.
        let expected: [(String, Int)] = [("CodeSystem", FHIRExport.codeSystems.count), ("Organization", 2), ("Location", 9), ("HealthcareService", 4)]
        #expect(output.map { $0["type"] as? String ?? "" } == expected.map(\.0))
        for (entry, (type, count)) in zip(output, expected) {
            #expect(entry["url"] as? String == "https://tilbud.example.org/api/fhir/R4/\(type).ndjson")
            #expect(entry["count"] as? Int == count)
            let lines = fixture.fhirLines(type)
            #expect(lines.count == count, "\(type)")
            #expect(lines.allSatisfy { $0.hasPrefix(#"{"resourceType":"\#(type)","id":""#) })
            #expect(fixture.read("api/fhir/R4/\(type).ndjson").hasSuffix("}\n"))
        }
        #expect(fixture.files(under: "api/fhir/R4").count == 5)
        let keys = fixture.fhirResources().map { "\($0["resourceType"] ?? "")/\($0["id"] ?? "")" }
        #expect(Set(keys).count == keys.count)
        #expect(keys.contains("Organization/frisk"))
    }

    @Test("organisations carry the orgnr identifier system")
    func organization() {
        #expect(fixture.fhirLine("Organization", "frisk")?.contains(
            #""identifier":[{"use":"official","system":"urn:oid:2.16.578.1.12.4.1.4.101","value":"974778882"}]"#) == true)
    }

    @Test("the schedule becomes weekdays, times and the gaps between runs")
    func availability() throws {
        let hs = try #require(fixture.fhirResource("HealthcareService", "frisk--sov-godt"))
        let times = try #require(hs["availableTime"] as? [[String: Any]])
        #expect(times.count == 1)
        #expect(times.first?["daysOfWeek"] as? [String] == ["tue"])
        #expect(times.first?["availableStartTime"] as? String == "18:00:00")
        #expect(times.first?["availableEndTime"] as? String == "20:00:00")
        let gaps = try #require(hs["notAvailable"] as? [[String: Any]])
        #expect(gaps.map { $0["during"] as? [String: String] ?? [:] } == [
            ["end": "2027-02-01"], ["start": "2027-02-24", "end": "2027-04-05"], ["start": "2027-04-28"],
        ])
        #expect(hs["coverageArea"] as? [[String: String]] == [["reference": "Location/kommune-0301", "display": "Oslo"]])
        #expect(hs["appointmentRequired"] as? Bool == true)
        let due = try #require(fixture.fhirResource("HealthcareService", "frisk--forfalt"))
        #expect((due["coverageArea"] as? [[String: String]])?.map { $0["reference"] } == ["Location/kommune-0301", "Location/kommune-3201"])
        #expect(due["appointmentRequired"] as? Bool == false)
        #expect(due["notAvailable"] == nil)
    }

    @Test("weekdays from run dates")
    func days() {
        func run(_ a: String, _ b: String?) -> ScheduleRun {
            ScheduleRun(start: DateTime(parsing: a)!, end: b.flatMap { DateTime(parsing: $0) }, note: nil)
        }
        #expect(FHIRExport.days(run("2027-02-02", "2027-02-23")) == ["tue"])
        #expect(FHIRExport.days(run("2027-03-01", nil)) == ["mon"])
        #expect(FHIRExport.days(run("2027-03-01", "2027-03-02")) == ["mon", "tue"])
        #expect(FHIRExport.days(run("2027-03-01", "2027-03-17")) == [])
    }

    @Test("every code from our systems is in the CodeSystem we publish")
    func codesArePublished() throws {
        let resources = fixture.fhirResources()
        var published: [String: Set<String>] = [:]
        var used: [(String, String)] = []
        func walk(_ node: Any) {
            if let d = node as? [String: Any] {
                if let system = d["system"] as? String, let code = d["code"] as? String { used.append((system, code)) }
                if d["resourceType"] as? String == "CodeSystem", let url = d["url"] as? String {
                    published[url] = Set((d["concept"] as? [[String: Any]] ?? []).compactMap { $0["code"] as? String })
                }
                d.values.forEach(walk)
            } else if let a = node as? [Any] {
                a.forEach(walk)
            }
        }
        resources.forEach(walk)
        let ours = used.filter { $0.0.hasPrefix(FeedFixture.baseURL) }
        #expect(!ours.isEmpty)
        for (system, code) in ours {
            #expect(published[system]?.contains(code) == true, "\(system)#\(code)")
        }
    }
}

@Suite("Atom, sitemap, robots.txt and JSON-LD")
struct SiteFeedTests {
    let fixture = FeedFixture.shared

    @Test("the Atom feed lists listed offers, most recently reviewed first")
    func atom() {
        let feed = fixture.read("feed.xml")
        #expect(feed.hasPrefix("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<feed xmlns=\"http://www.w3.org/2005/Atom\" xml:lang=\"nb\">"))
        let ids = feed.components(separatedBy: "<entry>\n    <id>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(ids == [
            "https://tilbud.example.org/tilbud/nett/stressmestring/",
            "https://tilbud.example.org/tilbud/frisk/sov-godt/",
            "https://tilbud.example.org/tilbud/nett/webinar-om-diabetes-type-2-med-et-svaert-langt-navn-for-fhir/",
            "https://tilbud.example.org/tilbud/frisk/forfalt/",
        ])
        #expect(feed.contains("<updated>2026-11-20T00:00:00Z</updated>"))
        #expect(feed.contains("<title>Mestre stress &lt;3 &amp; mer &gt; mindre på nett</title>"))
        #expect(feed.contains("<link rel=\"alternate\" type=\"text/html\" hreflang=\"nn\" href=\"https://tilbud.example.org/nn/tilbud/frisk/sov-godt/\"/>"))
    }

    @Test("the feed holds at most 50 entries")
    func atomLimit() throws {
        var records = FeedFixture.records
        for n in 0..<55 {
            records += """
            -- content/providers/nett/webinar-\(n).md --
            ---
            title: Webinar \(n)
            summary: Et webinar om diabetes for alle som lever med sykdommen, med spørsmål.
            kind: laering-og-mestring
            format: foredrag
            delivery: digitalt
            topics: [diabetes]
            audiences: [pasienter]
            national: true
            ongoing: true
            price:
              kind: gratis
            referral: ingen
            signup:
              url: https://example.org/webinar
            last_reviewed: 2026-08-\(String(format: "%02d", n % 28 + 1))
            ---
            Et webinar.

            """
        }
        let f = try FeedFixture(records)
        #expect(f.result.succeeded)
        #expect(f.read("feed.xml").components(separatedBy: "<entry>").count - 1 == AtomFeedStep.limit)
    }

    @Test("the sitemap has every canonical page, its language alternates and lastmod")
    func sitemap() {
        let sitemap = fixture.read("sitemap.xml")
        #expect(sitemap.contains("""
          <url>
            <loc>https://tilbud.example.org/nn/tilbud/frisk/sov-godt/</loc>
            <lastmod>2026-10-05</lastmod>
            <xhtml:link rel="alternate" hreflang="nb" href="https://tilbud.example.org/tilbud/frisk/sov-godt/"/>
            <xhtml:link rel="alternate" hreflang="nn" href="https://tilbud.example.org/nn/tilbud/frisk/sov-godt/"/>
            <xhtml:link rel="alternate" hreflang="x-default" href="https://tilbud.example.org/tilbud/frisk/sov-godt/"/>
          </url>
        """))
        // An untranslated page's canonical is the original, so only that is listed; 404 is not a page to index.
        #expect(sitemap.contains("<loc>https://tilbud.example.org/tilbud/frisk/forfalt/</loc>"))
        #expect(!sitemap.contains("<loc>https://tilbud.example.org/en/tilbud/frisk/forfalt/</loc>"))
        #expect(!sitemap.contains("404.html"))
        // Stale and ended offers keep their pages.
        #expect(sitemap.contains("<loc>https://tilbud.example.org/tilbud/frisk/ferdig/</loc>"))
        // Every <loc> is a file in the output.
        let locs = sitemap.components(separatedBy: "<loc>").dropFirst().map { String($0.prefix { $0 != "<" }) }
        #expect(locs.count > 50)
        for loc in locs {
            var path = String(loc.dropFirst(FeedFixture.baseURL.count))
            if path.isEmpty || path.hasSuffix("/") { path += "index.html" }
            #expect(fixture.exists(path), "\(loc)")
        }
        #expect(fixture.read("robots.txt") == "User-agent: *\nAllow: /\n\nSitemap: https://tilbud.example.org/sitemap.xml\n")
    }

    @Test("every offer page in each of its languages has one JSON-LD block for the offer (Course for dated offers, Service for ongoing ones) and one BreadcrumbList ending at the page")
    func jsonLD() throws {
        for (path, type) in [("tilbud/frisk/sov-godt/", "Course"), ("nn/tilbud/frisk/sov-godt/", "Course"),
                             ("tilbud/frisk/forfalt/", "GovernmentService"), ("tilbud/nett/stressmestring/", "GovernmentService"),
                             ("tilbud/frisk/ferdig/", "Course")] {
            let page = fixture.read(path + "index.html")
            let parts = page.components(separatedBy: "<script type=\"application/ld+json\">")
            #expect(parts.count == 3, "\(path)")
            let blocks = try parts.dropFirst().map { part in
                try #require(try JSONSerialization.jsonObject(with: Data(String(part.prefix { $0 != "<" }).utf8)) as? [String: Any])
            }
            let ld = try #require(blocks.first)
            #expect(ld["@type"] as? String == type, "\(path)")
            #expect(ld["url"] as? String == FeedFixture.baseURL + path)
            let trail = try #require(blocks.last)
            #expect(trail["@type"] as? String == "BreadcrumbList", "\(path)")
            let items = try #require(trail["itemListElement"] as? [[String: Any]])
            #expect(items.map { $0["position"] as? Int } == [1, 2, 3, 4])
            #expect(items.last?["item"] as? String == FeedFixture.baseURL + path)
        }
        let nn = try #require(try JSONSerialization.jsonObject(with: Data(
            fixture.read("nn/tilbud/frisk/sov-godt/index.html").components(separatedBy: "<script type=\"application/ld+json\">")[1].prefix { $0 != "<" }.utf8)) as? [String: Any])
        #expect(nn["name"] as? String == "Sov godt – kurs for deg som søv dårleg")
        #expect(nn["inLanguage"] as? String == "nn")
        let instances = try #require(nn["hasCourseInstance"] as? [[String: Any]])
        #expect(instances.map { $0["startDate"] as? String } == ["2027-02-02T18:00:00+01:00", "2027-04-06T18:00:00+02:00"])
    }
}
