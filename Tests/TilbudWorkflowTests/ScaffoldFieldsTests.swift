import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudValidate
@testable import TilbudWorkflow

/// `tilbud new` writes what `fields.yaml` declares: extra fields from their declarations, and no field it
/// does not declare.
@Suite("tilbud new from fields.yaml")
struct ScaffoldFieldsTests {
    /// Offer fields the code does not model, one of each kind, declared before `last_reviewed`.
    static let extraOfferFields = """
      undertittel:
        type: text
        max_chars: 60
        label: {nb: Undertittel, nn: Undertittel, en: Subtitle}
        help: {nb: Vises under tittelen., nn: Vert vist under tittelen., en: Shown below the title.}
      parkering:
        type: bool
        label: {nb: Parkering, nn: Parkering, en: Parking}
        help: {nb: true hvis det er parkering ved stedet, nn: true om det er parkering ved staden, en: true when there is parking}
      plasser:
        type: integer
        required: true
        min: 1
        max: 40
        label: {nb: Antall plasser, nn: Tal på plassar, en: Places}
        help: {nb: Hvor mange som kan delta., nn: Kor mange som kan vere med., en: How many can take part.}
      apner:
        type: date
        label: {nb: Åpner for påmelding, nn: Opnar for påmelding, en: Sign-up opens}
      niva:
        type: id
        values: [lett, middels, krevende]
        required: true
        label: {nb: Nivå, nn: Nivå, en: Level}
      hjelpemidler:
        type: ids
        vocabulary: accessibility
        max: 3
        label: {nb: Hjelpemidler, nn: Hjelpemiddel, en: Aids}
      utstyr:
        type: list
        max: 5
        label: {nb: Utstyr, nn: Utstyr, en: Equipment}
        help: {nb: Det deltakerne må ta med., nn: Det deltakarane må ta med., en: What participants bring.}
        item: {type: text, max_chars: 40}
      kursholder:
        type: object
        label: {nb: Kursholder, nn: Kurshaldar, en: Course leader}
        fields:
          navn:
            type: text
            required: true
            max_chars: 120
            label: {nb: Navn, nn: Namn, en: Name}
          telefon:
            type: phone
            label: {nb: Telefon, nn: Telefon, en: Phone}
      okter:
        type: list
        max: 10
        label: {nb: Økter, nn: Økter, en: Sessions}
        item:
          type: object
          fields:
            tema:
              type: text
              max_chars: 80
              label: {nb: Tema, nn: Tema, en: Topic}
            dato:
              type: date
              required: true
              label: {nb: Dato, nn: Dato, en: Date}
      veibeskrivelse:
        type: text
        max_chars: 300
        required_when: {field: delivery, in: [oppmote, hybrid]}
        label: {nb: Veibeskrivelse, nn: Vegskildring, en: Directions}
        help: {nb: Hvordan man finner fram til stedet., nn: Korleis ein finn fram til staden., en: How to find the place.}

    """

    /// Provider fields the code does not model.
    static let extraProviderFields = """
      avtalenummer:
        type: text
        required: true
        max_chars: 20
        label: {nb: Avtalenummer, nn: Avtalenummer, en: Agreement number}
      beskrivelse:
        type: markdown
        max_chars: 2000
        label: {nb: Om tilbyderen, nn: Om tilbydaren, en: About the provider}

    """

    /// A repository whose `fields.yaml` adds the extra fields, drops `accessibility`, makes `audiences` optional
    /// and the provider's `website` required; with provider `frisk`.
    func repo() throws -> Repo {
        let repo = try Repo()
        var fields = try repo.read("content/governance/fields.yaml")
        func replace(_ old: String, _ new: String) {
            #expect(fields.contains(old), "fields.yaml has no \(old)")
            fields = fields.replacingOccurrences(of: old, with: new)
        }
        replace("  last_reviewed:\n    type: date\n", Self.extraOfferFields + "  last_reviewed:\n    type: date\n")
        replace("  accessibility:\n    type: ids\n    vocabulary: accessibility\n    label: {nb: Tilgjengelighet, nn: Tilgjenge, en: Accessibility}\n", "")
        replace("  audiences:\n    type: ids\n    vocabulary: audiences\n    required: true\n", "  audiences:\n    type: ids\n    vocabulary: audiences\n")
        replace("  website:\n    type: url\n", "  website:\n    type: url\n    required: true\n")
        replace("  editors:\n    type: list\n", Self.extraProviderFields + "  editors:\n    type: list\n")
        try repo.write("content/governance/fields.yaml", fields)
        try repo.addProvider("frisk", editors: ["*@example.org"], email: "kurs@frisk.example.org")
        try repo.write("content/providers/frisk/provider.yaml", try repo.read("content/providers/frisk/provider.yaml") + "avtalenummer: A-17\n")
        let check = repo.check()
        #expect(check.diagnostics.isEmpty, "\(check.diagnostics.map(\.message.en))")
        return repo
    }

    func newOffer(_ repo: Repo) throws -> String {
        let new = CLI.run(["new", "offer", "frisk", "sov-bedre", "--content", repo.content.path, "--today", "2026-01-15"])
        #expect(new.code == 0, "\(new.err)")
        return try repo.read("content/providers/frisk/sov-bedre.md")
    }

    /// The 1-based line of the first line of `text` that is `line`.
    func line(_ text: String, _ line: String) throws -> Int {
        try #require(text.components(separatedBy: "\n").firstIndex(of: line), "no line \(line)") + 1
    }

    @Test func extraOfferFieldsAreExplainedFromTheirDeclarations() throws {
        let repo = try repo()
        let text = try newOffer(repo)
        // Each with its label, help, type and limits in plain Norwegian and whether it is required: a placeholder
        // when it is, commented out when it is not.
        for block in [
            "# UNDERTITTEL: vises under tittelen. Tekst. Høyst 60 tegn. Valgfritt.\n# undertittel: \"\"\n",
            "# PARKERING: true hvis det er parkering ved stedet. Ja/nei: true eller false.\n# Valgfritt.\n# parkering: false\n",
            "# ANTALL PLASSER: hvor mange som kan delta. Heltall fra 1 til 40. Påkrevd.\nplasser: \"\"\n",
            "# ÅPNER FOR PÅMELDING. Dato: ÅÅÅÅ-MM-DD. Valgfritt.\n# apner: \"\"\n",
            "# NIVÅ. Én av: lett | middels | krevende. Påkrevd.\nniva: \"\"\n",
            """
            # HJELPEMIDLER. Liste med høyst 3 id-er i hakeparentes, for eksempel [rullestol,
            # teleslynge]. Valgfritt. Velg blant:
            #   rullestol      rullestol
            #   teleslynge     teleslynge
            #   tolk           tolk
            #   tegnspraktolk  tegnspraktolk
            #   skjermleser    skjermleser
            # hjelpemidler: []\n
            """,
            """
            # UTSTYR: det deltakerne må ta med. Liste med høyst 5 verdier i hakeparentes,
            # skilt med komma, for eksempel [a, b]. Hver verdi: tekst, høyst 40 tegn.
            # Valgfritt.
            # utstyr: []\n
            """,
            """
            # KURSHOLDER. Består av feltene under. Valgfritt.
            # kursholder:
            #   # Navn. Tekst. Høyst 120 tegn. Påkrevd.
            #   navn: ""
            #   # Telefon. +47 og 8 sifre, for eksempel "+47 23 00 00 00". Valgfritt.
            #   # telefon: ""\n
            """,
            """
            # ØKTER. Liste med høyst 10 verdier: gjenta blokken fra «- dato:» for hver.
            # Valgfritt.
            # okter:
            #   # Dato. Dato: ÅÅÅÅ-MM-DD. Påkrevd.
            #   - dato: ""
            #     # Tema. Tekst. Høyst 80 tegn. Valgfritt.
            #     # tema: ""\n
            """,
            """
            # VEIBESKRIVELSE: hvordan man finner fram til stedet. Tekst. Høyst 300 tegn.
            # Påkrevd når «delivery» er oppmote eller hybrid. Ellers kan feltet slettes.
            veibeskrivelse: ""\n
            """,
        ] {
            #expect(text.contains("\n\n" + block + "\n"), "no block\n\(block)")
        }
        // In declared order, after the modelled fields and before last_reviewed.
        let order = try ["tags: []", "# undertittel: \"\"", "# parkering: false", "plasser: \"\"", "# apner: \"\"", "niva: \"\"",
                         "# hjelpemidler: []", "# utstyr: []", "# kursholder:", "# okter:", "veibeskrivelse: \"\"",
                         "last_reviewed: 2026-01-15"].map { try line(text, $0) }
        #expect(order == order.sorted())
        // A modelled field fields.yaml no longer declares is not written; one it makes optional is not «Påkrevd».
        #expect(!text.contains("accessibility"))
        #expect(!text.contains("TILGJENGELIGHET"))
        #expect(text.contains("# MÅLGRUPPER: 1 til 5 id-er, for eksempel [voksne, eldre]. Valgfritt.\n"))
        #expect(text.contains("\n# audiences: []\n"))
        // Limits still come from the policy (adopted from fields.yaml).
        #expect(text.contains("# TITTEL: det innbyggerne ser først i lister og søk. Høyst 90 tegn. Påkrevd.\n"))
        #expect(text.contains("# TEMAER: 1 til 5 id-er i hakeparentes, for eksempel [sovn, stress]. Påkrevd.\n"))

        // Unfilled, check points at each required placeholder; the optional fields left as they are say nothing.
        let errors = repo.check().diagnostics.filter { $0.severity == .error }
        let lines = Set(errors.compactMap { $0.location?.line })
        for key in ["plasser: \"\"", "niva: \"\"", "veibeskrivelse: \"\""] { #expect(lines.contains(try line(text, key)), "no error at \(key)") }
        for key in ["# undertittel: \"\"", "# parkering: false", "# apner: \"\"", "# hjelpemidler: []", "# utstyr: []", "# kursholder:", "# okter:",
                    "# audiences: []"] {
            #expect(!lines.contains(try line(text, key)), "error at \(key)")
        }
    }

    @Test func theOfferPassesOnceTheRequiredValuesAreFilledIn() throws {
        let repo = try repo()
        var text = try newOffer(repo)
        #expect(text.contains("email: \"kurs@frisk.example.org\""))
        func fill(_ key: String, _ value: String) {
            var lines = text.components(separatedBy: "\n")
            guard let i = lines.firstIndex(where: { $0.trimmingCharacters(in: .whitespaces).hasPrefix(key) }) else {
                Issue.record("no line \(key)")
                return
            }
            lines[i] = lines[i].prefix { $0 == " " } + value
            text = lines.joined(separator: "\n")
        }
        fill("title:", "title: Sov bedre – kurs om søvn")
        fill("summary:", "summary: Fire kvelder om søvn og hva du selv kan gjøre for å sove bedre.")
        fill("kind:", "kind: friskliv")
        fill("format:", "format: kurs")
        fill("delivery:", "delivery: oppmote")
        fill("topics:", "topics: [sovn]")
        fill("- name:", "- name: Frisklivssentralen")
        fill("address:", "address: Helgesens gate 2")
        fill("postal_code:", "postal_code: \"0553\"")
        fill("city:", "city: Oslo")
        fill("- start:", "- start: 2026-02-03T18:00")
        fill("plasser:", "plasser: 12")
        fill("niva:", "niva: middels")
        fill("veibeskrivelse:", "veibeskrivelse: Inngang fra bakgården.")
        text += "Fire kvelder om søvn.\n"
        try repo.write("content/providers/frisk/sov-bedre.md", text)
        let filled = repo.check()
        #expect(filled.diagnostics.isEmpty, "\(filled.diagnostics.map { "\($0.location?.line ?? 0): \($0.message.en)" })")
        let offer = try #require(filled.catalog.offers.first { $0.id == "frisk/sov-bedre" })
        #expect(offer.extra == [FieldEntry(name: "plasser", value: .integer(12)), FieldEntry(name: "niva", value: .id("middels")),
                                FieldEntry(name: "veibeskrivelse", value: .text("Inngang fra bakgården."))])

        // An optional field taken in by removing «# » (a block: from each of its lines) is valid once filled.
        func uncomment(_ first: String) {
            var lines = text.components(separatedBy: "\n")
            guard var i = lines.firstIndex(of: first) else {
                Issue.record("no line \(first)")
                return
            }
            repeat {
                lines[i] = String(lines[i].dropFirst(2))
                i += 1
            } while i < lines.count && lines[i].hasPrefix("#   ")
            text = lines.joined(separator: "\n")
        }
        uncomment("# parkering: false")
        uncomment("# kursholder:")
        uncomment("# okter:")
        fill("navn:", "navn: Kari Nordmann")
        fill("- dato:", "- dato: 2026-02-03")
        fill("# tema:", "tema: Søvnvaner")
        #expect(text.contains("okter:\n  # Dato. Dato: ÅÅÅÅ-MM-DD. Påkrevd.\n  - dato: 2026-02-03\n    # Tema. Tekst. Høyst 80 tegn. Valgfritt.\n    tema: Søvnvaner\n"))
        try repo.write("content/providers/frisk/sov-bedre.md", text)
        let more = repo.check()
        #expect(more.diagnostics.isEmpty, "\(more.diagnostics.map { "\($0.location?.line ?? 0): \($0.message.en)" })")
        let again = try #require(more.catalog.offers.first { $0.id == "frisk/sov-bedre" })
        #expect(again.extra.map(\.name) == ["parkering", "plasser", "niva", "kursholder", "okter", "veibeskrivelse"])
    }

    @Test func aNewProviderFollowsFieldsYAML() throws {
        let repo = try repo()
        let result = CLI.run(["new", "provider", "ny-sentral", "--content", repo.content.path])
        #expect(result.code == 0, "\(result.err)")
        var text = try repo.read("content/providers/ny-sentral/provider.yaml")
        #expect(text.contains("\n\n# AVTALENUMMER. Tekst. Høyst 20 tegn. Påkrevd.\navtalenummer: \"\"\n\n"))
        #expect(text.contains("""
        \n\n# OM TILBYDEREN. Tekst med Markdown: *kursiv*, **fet**,
        # [lenker](https://example.org). Høyst 2000 tegn. Valgfritt.
        # beskrivelse: ""\n\n# REDAKTØRER
        """))
        // website is now required: written to be filled in, and phone keeps its own (optional) line.
        #expect(text.contains("\n\n# NETTSTED (bare https://). Påkrevd.\nwebsite: \"\"\n\n"))
        #expect(text.contains("\n\n# TELEFON (+47 og 8 sifre). Valgfritt.\n# phone: \"+47 23 00 00 00\"\n\n"))
        #expect(text.contains("# NAVN slik innbyggerne kjenner tilbyderen. Påkrevd.\nname: \"\""))
        let errors = repo.check().diagnostics.filter { $0.severity == .error }
        #expect(errors.count == 7, "\(errors.map(\.message.en))")
        for (key, value) in [("name: \"\"", "name: Ny frisklivssentral"), ("org_number: \"\"", "org_number: \"974778882\""), ("type: \"\"", "type: kommune"),
                             ("municipality: \"\"", "municipality: \"0301\""), ("email: \"\"", "email: post@ny.example.org"),
                             ("website: \"\"", "website: https://ny.example.org"), ("avtalenummer: \"\"", "avtalenummer: B-4")] {
            #expect(text.contains("\n" + key + "\n"), "no \(key)")
            text = text.replacingOccurrences(of: "\n" + key + "\n", with: "\n" + value + "\n")
        }
        try repo.write("content/providers/ny-sentral/provider.yaml", text)
        let check = repo.check()
        #expect(check.diagnostics.isEmpty, "\(check.diagnostics.map(\.message.en))")
        #expect(check.catalog.provider("ny-sentral")?.extra == [FieldEntry(name: "avtalenummer", value: .text("B-4"))])
    }

    @Test func placeholdersFollowOneRule() {
        let governance = Governance(policy: Policy(), vocabularies: [:], municipalities: [])
        let f = ScaffoldFields([], modelled: [:], written: [:], governance: governance)
        let label = ["nb": "Felt", "nn": "Felt", "en": "Field"]
        // Required: a value check rejects until it is filled in («""», or «[]»); a yes/no field too.
        #expect(f.block(FieldDeclaration(name: "svar", type: .bool, required: true, label: label)) == "# FELT. Ja/nei: true eller false. Påkrevd.\nsvar: \"\"")
        #expect(f.block(FieldDeclaration(name: "n", type: .number, required: true, min: 0.5, label: label))
            == "# FELT. Tall med punktum som desimaltegn, for eksempel 2.5, minst 0.5. Påkrevd.\nn: \"\"")
        // A declared default is written as it is.
        #expect(f.block(FieldDeclaration(name: "mal", type: .text, defaultValue: "nb", label: label)) == "# FELT. Tekst. Valgfritt.\n# mal: \"nb\"")
        // A required list of objects without a required sub-field still starts its item at the first one.
        let item = FieldDeclaration(name: "rad", type: .object, fields: [
            FieldDeclaration(name: "a", type: .text, label: ["nb": "A"]), FieldDeclaration(name: "b", type: .datetime, label: ["nb": "B"]),
        ])
        #expect(f.block(FieldDeclaration(name: "rader", type: .list, required: true, label: label, item: item)) == """
        # FELT. Liste: gjenta blokken fra «- a:» for hver. Påkrevd.
        rader:
          # A. Tekst. Valgfritt.
          - a: ""
            # B. Dato (ÅÅÅÅ-MM-DD) eller dato og klokkeslett (ÅÅÅÅ-MM-DDTHH:MM).
            # Valgfritt.
            # b: ""
        """)
    }

    @Test func withoutDeclarationsTheModelledFieldsAreWrittenAsBefore() throws {
        // No usable fields.yaml (check reports it): the scaffold still has every modelled field, as v1 describes them.
        let governance = Governance(policy: Policy(), vocabularies: [:], municipalities: [])
        let text = Scaffold.offer(providerID: "frisk", slug: "sov", provider: nil, governance: governance, today: Records.today)
        for key in ["title: \"\"", "topics: []", "audiences: []", "accessibility: []", "last_reviewed: 2026-01-15", "status: published"] {
            #expect(text.contains("\n" + key + "\n"), "no \(key)")
        }
        #expect(text.contains("Påkrevd, med mindre national er true."))
        let provider = Scaffold.provider(id: "ny", governance: governance, editor: nil)
        #expect(provider.contains("# NETTSTED (bare https://) og TELEFON (+47 og 8 sifre). Valgfrie.\n"))
    }
}
