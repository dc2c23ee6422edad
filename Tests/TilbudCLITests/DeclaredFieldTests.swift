import Foundation
import Testing
import TilbudSearch
import TilbudTestSupport

/// Issue 12, part 1: a field of each type added to `fields.yaml` and set in a record validates, and appears in the
/// JSON, the schema, the scaffold, the page and search, with no Swift change; a wrong value is an error at its line.
@Suite("Fields declared in fields.yaml", .serialized)
struct DeclaredFieldTests {
    /// One field of each type, as the governance body would add them.
    static let declarations = """
      wheelchair_access:
        type: bool
        show: facts
        label: {nb: Tilgjengelig med rullestol, nn: Tilgjengeleg med rullestol, en: Wheelchair accessible}
      group_size:
        type: integer
        min: 2
        max: 30
        show: facts
        label: {nb: Gruppestørrelse, nn: Gruppestorleik, en: Group size}
      session_hours:
        type: number
        min: 0
        show: facts
        label: {nb: Timer per samling, nn: Timar per samling, en: Hours per session}
      first_session:
        type: date
        show: facts
        label: {nb: Første samling, nn: Første samling, en: First session}
      info_meeting:
        type: datetime
        show: facts
        label: {nb: Informasjonsmøte, nn: Informasjonsmøte, en: Information meeting}
      handout:
        type: url
        show: facts
        label: {nb: Informasjonsark, nn: Informasjonsark, en: Handout}
      coordinator_email:
        type: email
        show: facts
        label: {nb: Koordinator, nn: Koordinator, en: Coordinator}
      coordinator_phone:
        type: phone
        label: {nb: Koordinators telefon, nn: Koordinatoren sin telefon, en: Coordinator's phone}
      level:
        type: id
        values: [lett, middels, krevende]
        show: facts
        search: true
        label: {nb: Nivå, nn: Nivå, en: Level}
      related_topics:
        type: ids
        vocabulary: topics
        max: 2
        show: facts
        search: true
        label: {nb: Beslektede temaer, nn: Nærskylde tema, en: Related topics}
      equipment:
        type: list
        max: 4
        show: facts
        search: true
        label: {nb: Utstyr, nn: Utstyr, en: Equipment}
        item: {type: text, max_chars: 30}
      meeting_point:
        type: object
        show: facts
        label: {nb: Møtested, nn: Møtestad, en: Meeting point}
        fields:
          name: {type: text, required: true, label: {nb: Navn, nn: Namn, en: Name}}
          floor: {type: integer, label: {nb: Etasje, nn: Etasje, en: Floor}}
      motto:
        type: text
        max_chars: 40
        show: facts
        search: true
        label: {nb: Motto, nn: Motto, en: Motto}
      preparation:
        type: markdown
        max_chars: 500
        label: {nb: Forberedelser, nn: Førebuingar, en: Preparation}

    """

    static let providerDeclarations = """
      office_number:
        type: integer
        label: {nb: Kontornummer, nn: Kontornummer, en: Office number}

    """

    /// The values, as an editor writes them (1️⃣ marks the line a wrong value is tried on).
    static let values = """
        wheelchair_access: true
        group_size: 12
        session_hours: 1.5
        first_session: 2026-02-03
        info_meeting: 2026-01-20T18:00
        handout: https://example.org/ark.pdf
        coordinator_email: koordinator@example.org
        coordinator_phone: "+47 23 00 00 01"
        level: middels
        related_topics: [stress, psykisk-helse]
        equipment: [yogamatte, pledd]
        meeting_point:
          name: Resepsjonen
          floor: 2
        motto: Hvile gir krefter
        preparation: "Ta med **drikkeflaske**."

    """

    static func catalog(values: String = values) throws -> CLICatalog {
        let offer = CLIRecords.offer().replacingOccurrences(of: "last_reviewed:", with: values.trimmingCharacters(in: .newlines)
            .split(separator: "\n").map { String($0.dropFirst(4)) }.joined(separator: "\n") + "\nlast_reviewed:")
        let provider = CLIRecords.provider.replacingOccurrences(of: "municipality: \"0301\"\n", with: "municipality: \"0301\"\noffice_number: 12345\n")
        let english = "-- content/providers/frisk/sov-godt.en.md --\n---\ntitle: Sleep well\nsummary: Four evenings on what affects your sleep.\n---\nFour evenings.\n"
        let catalog = try CLICatalog(provider + "-- content/providers/frisk/sov-godt.md --\n" + offer + english)
        let fields = try String(contentsOf: TestPaths.fixtures.appendingPathComponent("governance/fields.yaml"), encoding: .utf8)
        try #require(fields.contains("\nprovider:\n"))
        try FileTree.write(fields.replacingOccurrences(of: "\nprovider:\n", with: "\n" + declarations + "provider:\n" + providerDeclarations),
                           to: catalog.directory.appendingPathComponent("content/governance/fields.yaml"))
        return catalog
    }

    static func build(_ catalog: CLICatalog) throws -> Run {
        try Tilbud.run(["build", "--today", "2025-12-01", "--quiet", "--templates", TestPaths.templates.path], in: catalog.directory)
    }

    @Test("a field of each type validates and is shown on the offer page, in every language, and found by search")
    func pageAndSearch() throws {
        let catalog = try Self.catalog()
        let check = try Tilbud.run(["check", "--today", "2025-12-01"], in: catalog.directory)
        #expect(check.status == 0, "\(check)")
        let build = try Self.build(catalog)
        try #require(build.status == 0, "\(build)")
        let out = catalog.directory.appendingPathComponent("public")
        let nb = try String(contentsOf: out.appendingPathComponent("tilbud/frisk/sov-godt/index.html"), encoding: .utf8)
        for fact in ["<dt>Tilgjengelig med rullestol</dt> <dd>Ja</dd>", "<dt>Gruppestørrelse</dt> <dd>12</dd>",
                     "<dt>Timer per samling</dt> <dd>1,5</dd>", "<dt>Første samling</dt> <dd>3. februar 2026</dd>",
                     "<dt>Nivå</dt> <dd>middels</dd>", "<dt>Utstyr</dt> <dd>yogamatte, pledd</dd>",
                     "<dt>Møtested</dt> <dd>Navn: Resepsjonen; Etasje: 2</dd>", "<dt>Motto</dt> <dd>Hvile gir krefter</dd>",
                     "<dt>Informasjonsark</dt> <dd>https://example.org/ark.pdf</dd>"] {
            #expect(nb.contains(fact), "missing \(fact)")
        }
        #expect(nb.contains("<dt>Beslektede temaer</dt>"))
        #expect(!nb.contains("Forberedelser"), "a field without show: facts is not on the page")
        #expect(!nb.contains("Koordinators telefon"))
        let en = try String(contentsOf: out.appendingPathComponent("en/tilbud/frisk/sov-godt/index.html"), encoding: .utf8)
        #expect(en.contains("<dt>Wheelchair accessible</dt> <dd>Yes</dd>"), "the English page uses the English label")
        #expect(en.contains("<dt>Hours per session</dt> <dd>1.5</dd>"))

        // The JSON API record, the published schema and the scaffold of `tilbud new` have every field, under its own name.
        let names = ["wheelchair_access", "group_size", "session_hours", "first_session", "info_meeting", "handout", "coordinator_email",
                     "coordinator_phone", "level", "related_topics", "equipment", "meeting_point", "motto", "preparation"]
        let record = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("api/v1/offers/frisk/sov-godt.json"))) as? [String: Any])
        #expect(record["wheelchair_access"] as? Bool == true)
        #expect(record["group_size"] as? Int == 12)
        #expect(record["related_topics"] as? [String] == ["stress", "psykisk-helse"])
        #expect((record["meeting_point"] as? [String: Any])?["floor"] as? Int == 2)
        let schema = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: out.appendingPathComponent("api/v1/schema/offer.schema.json"))) as? [String: Any])
        let properties = try #require(schema["properties"] as? [String: Any])
        let scaffold = try Tilbud.run(["new", "offer", "frisk", "nytt-kurs", "--today", "2025-12-01"], in: catalog.directory)
        #expect(scaffold.status == 0, "\(scaffold)")
        let written = try String(contentsOf: catalog.directory.appendingPathComponent("content/providers/frisk/nytt-kurs.md"), encoding: .utf8)
        for name in names {
            #expect(record[name] != nil, "\(name) in the JSON record")
            #expect(properties[name] != nil, "\(name) in offer.schema.json")
            #expect(written.contains(name + ":"), "\(name) in the scaffold")
        }
        #expect(written.contains("GRUPPESTØRRELSE"), "the scaffold explains a field with its label")

        // search: true fields are found; the others are not.
        let engine = try SearchEngine(folder: out.appendingPathComponent("sok/indeks/"))
        #expect(try engine.search("yogamatte").documents.count == 1, "a list of text")
        #expect(try engine.search("krefter").documents.count == 1, "text")
        #expect(try engine.search("drikkeflaske").documents.isEmpty, "a field without search: true")
    }

    @Test("a wrong value of a declared field is an error at its line", arguments: [
        ("wheelchair_access: 1️⃣kanskje", "wrong-type"), ("group_size: 1️⃣40", "invalid-number"), ("session_hours: 1️⃣mye", "wrong-type"),
        ("first_session: 1️⃣3. februar", "invalid-date"), ("handout: 1️⃣http://example.org/ark.pdf", "insecure-url"),
        ("coordinator_email: 1️⃣koordinator", "invalid-email"), ("level: 1️⃣vanskelig", "unknown-id"),
        ("related_topics: [stress, 1️⃣stres]", "unknown-id"), ("equipment: [1️⃣en svært lang beskrivelse av utstyret man trenger]", "too-long"),
        ("motto: 1️⃣Hvile <b>gir</b> krefter", "html-in-text"),
    ])
    func wrongValue(_ c: (String, String)) throws {
        let key = String(c.0.prefix { $0 != ":" })
        let values = Self.values.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("    " + key + ":") ? "    " + c.0 : String($0) }.joined(separator: "\n")
        let catalog = try Self.catalog(values: values)
        let run = try Tilbud.run(["check", "--today", "2025-12-01", "--format", "github"], in: catalog.directory)
        #expect(run.status == 1, "\(run)")
        let m = catalog.marker("1️⃣")
        #expect(run.stdout.contains("file=\(m.path),line=\(m.line)"), "\(c.1) expected at line \(m.line): \(run.stdout)")
        #expect(run.stdout.contains("title=\(c.1)") || run.stdout.contains(c.1), "\(run.stdout)")
    }

    @Test("a required object sub-field and a count limit are errors at their line")
    func requiredSubFieldAndCount() throws {
        let values = Self.values.replacingOccurrences(of: "      name: Resepsjonen\n      floor: 2\n", with: "      1️⃣floor: 3\n")
            .replacingOccurrences(of: "related_topics: [stress, psykisk-helse]", with: "related_topics: 2️⃣[stress, psykisk-helse, sovn]")
        let catalog = try Self.catalog(values: values)
        let run = try Tilbud.run(["check", "--today", "2025-12-01", "--format", "github"], in: catalog.directory)
        #expect(run.status == 1)
        for marker in ["1️⃣", "2️⃣"] {
            let m = catalog.marker(marker)
            #expect(run.stdout.contains("file=\(m.path),line=\(m.line)"), "\(marker) at line \(m.line): \(run.stdout)")
        }
    }
}
