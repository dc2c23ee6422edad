import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudValidate

/// The fødselsnummer from the brief: valid check digits.
let fodselsnummer = "15108695088"
/// A D-nummer (day + 40) built from the same birth date, with valid check digits.
let dNummer = "55108695071"

/// One test per rule of the content model's error list: the diagnostic's id, file, line and column.
@Suite("Error rules")
struct ErrorRuleTests {
    @Test("the standard fixture is valid, so every other case shows only its own problem")
    func standardFixtureIsClean() throws {
        let catalog = try TestCatalog(offerCatalog())
        let result = catalog.check()
        #expect(result.diagnostics.isEmpty, "\n\(result.listing)")
        #expect(result.catalog.offers.map(\.id) == ["frisk/sov-godt"])
        #expect(result.catalog.providers.map(\.id) == ["frisk"])
        #expect(result.filesChecked == 7)
    }

    @Test("the national-id fixtures really have valid check digits")
    func nationalIDFixtures() {
        #expect(Checks.isValidNationalID(fodselsnummer.compactMap(\.wholeNumberValue)))
        #expect(Checks.isValidNationalID(dNummer.compactMap(\.wholeNumberValue)))
        #expect(!Checks.isValidNationalID("15108695089".compactMap(\.wholeNumberValue)))
    }

    static let yamlCases: [RuleCase] = [
        RuleCase("malformed YAML: a second colon", offerCatalog(["kind": "kind: friskliv1️⃣: selvhjelp"]), expect: "yaml-syntax"),
        RuleCase("malformed YAML: flow list not closed", offerCatalog(["topics": "topics: [sovn, psykisk-helse\naudiences1️⃣: [voksne]", "audiences": nil]),
                 expect: "yaml-syntax"),
        RuleCase("malformed YAML: unclosed quote points at the quote, not the end of the file",
                 offerCatalog() + """
                 -- content/providers/frisk/sov-godt.en.md --
                 ---
                 title: Sleep well
                 summary: 1️⃣"Four evenings on sleep.
                 ---
                 Text.
                 """, expect: "yaml-syntax", says: ["quoted scalar"]),
        RuleCase("malformed YAML: a tab in the indentation", offerCatalog(["price": "price:\n1️⃣\tkind: gratis"]), expect: "yaml-syntax"),
        RuleCase("malformed provider.yaml", """
            -- content/providers/frisk/provider.yaml --
            name: Frisk
            org_number: 1️⃣"974778882
            type: kommune
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "yaml-syntax"),
        RuleCase("a control character in a YAML value", offerCatalog(["summary": "summary: Fire kvelder 1️⃣\u{7}om søvn."]),
                 expect: "control-character", says: ["U+0007"]),
        RuleCase("duplicate key: told at the repetition", offerCatalog(["kind": "kind: friskliv\n1️⃣kind: selvhjelp"]), expect: "yaml-duplicate-key", says: ["kind"]),
        RuleCase("duplicate key in a nested mapping", offerCatalog(["price": "price:\n  kind: gratis\n  1️⃣kind: betaling"]),
                 expect: "yaml-duplicate-key", says: ["kind"]),
        RuleCase("anchor", offerCatalog(["topics": "topics: 1️⃣&t [sovn]"]), expect: "yaml-anchor", says: ["&"]),
        RuleCase("alias", offerCatalog(["audiences": "audiences: 1️⃣*a"]), expect: "yaml-anchor", says: ["alias"]),
        RuleCase("alias inside a flow list", offerCatalog(["audiences": "audiences: [voksne, 1️⃣*a]"]), expect: "yaml-anchor"),
        RuleCase("nesting deeper than 16 (flow)",
                 offerCatalog(["tags": "tags: " + String(repeating: "[", count: 15) + "1️⃣[x" + String(repeating: "]", count: 16)]),
                 expect: "yaml-too-deep", says: ["16"]),
        RuleCase("nesting deeper than 16 (block)", offerCatalog(["contact": blockNesting(levels: 17)]), expect: "yaml-too-deep"),
        RuleCase("nesting deeper than 16 in provider.yaml", """
            -- content/providers/frisk/provider.yaml --
            \(Records.provider)editors: \(String(repeating: "[", count: 15))1️⃣[x\(String(repeating: "]", count: 16))
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "yaml-too-deep"),
    ]

    @Test(arguments: yamlCases)
    func yaml(_ c: RuleCase) throws { try c.run() }

    @Test("16 levels of nesting is allowed")
    func sixteenLevelsIsAllowed() throws {
        let catalog = try TestCatalog(offerCatalog(["tags": "tags: " + String(repeating: "[", count: 14) + "[x" + String(repeating: "]", count: 15)]))
        let result = catalog.check()
        #expect(result.diagnostics("yaml-too-deep").isEmpty, "\n\(result.listing)")
        // The record is still wrong (tags are text), and says so: the YAML was read.
        #expect(result.diagnostics("wrong-type").count == 1, "\n\(result.listing)")
    }

    static let fieldCases: [RuleCase] = [
        RuleCase("missing required field", offerCatalog(["title": "1️⃣title: Sov godt – kurs for deg som sover dårlig", "kind": nil]),
                 expect: "missing-field", says: ["kind"]),
        RuleCase("missing required field that is empty", offerCatalog(["kind": "1️⃣kind:"]), expect: "missing-field", says: ["kind"]),
        RuleCase("missing required provider field", """
            -- content/providers/frisk/provider.yaml --
            1️⃣name: Frisklivssentralen i Oslo
            type: kommune
            municipality: "0301"
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "missing-field", says: ["org_number"]),
        RuleCase("wrong type: text for a list", offerCatalog(["audiences": "audiences: 1️⃣voksne"]), expect: "wrong-type", says: ["audiences"]),
        RuleCase("wrong type: list for text", offerCatalog(["title": "title: 1️⃣[Sov, godt]"]), expect: "wrong-type", says: ["title"]),
        RuleCase("wrong type: not a boolean", offerCatalog(["national": "national: 1️⃣ja"]), expect: "wrong-type", says: ["national", "ja"]),
        RuleCase("wrong type: not a number", offerCatalog(["price": "price:\n  kind: egenandel\n  amount_nok: 1️⃣200 kr"]),
                 expect: "wrong-type", says: ["amount_nok"]),
        RuleCase("wrong type: not a date", offerCatalog(["last_reviewed": "last_reviewed: 1️⃣15.11.2025"]), expect: "invalid-date", says: ["15.11.2025"]),
        RuleCase("id not in vocabulary: søvn", offerCatalog(["topics": "topics: [1️⃣søvn]"]), expect: "unknown-id", says: ["Did you mean 'sovn'?"]),
        RuleCase("id not in vocabulary: sovm", offerCatalog(["topics": "topics: [psykisk-helse, 1️⃣sovm]"]), expect: "unknown-id",
                 says: ["Mente du «sovn»?"]),
        RuleCase("id not in vocabulary: kind", offerCatalog(["kind": "kind: 1️⃣frisklif"]), expect: "unknown-id", says: ["friskliv"]),
        RuleCase("id not in vocabulary: provider type", """
            -- content/providers/frisk/provider.yaml --
            name: Frisk
            org_number: "974778882"
            type: 1️⃣kommunal
            municipality: "0301"
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "unknown-id", says: ["kommune"]),
        RuleCase("unknown field with did-you-mean", offerCatalog(["titel": "1️⃣titel: Sov godt"]), expect: "unknown-field",
                 says: ["Did you mean 'title'?"]),
        RuleCase("unknown field in a location", offerCatalog(["locations": """
            locations:
              - name: Frisklivssentralen
                1️⃣adress: Helgesens gate 2
                address: Helgesens gate 2
                postal_code: "0553"
                city: Oslo
                municipality: "0301"
            """]), expect: "unknown-field", says: ["address"]),
        RuleCase("unknown field far from every field", offerCatalog(["zzz": "1️⃣zzz: 1"]), expect: "unknown-field", says: ["Fields allowed here"]),
    ]

    @Test(arguments: fieldCases)
    func fields(_ c: RuleCase) throws { try c.run() }

    static let formatCases: [RuleCase] = [
        RuleCase("invalid kommunenummer", offerCatalog(["municipalities": "municipalities: [\"0301\", 1️⃣\"9999\"]"]), expect: "invalid-municipality"),
        RuleCase("kommunenummer without quotes loses its zero", offerCatalog(["municipalities": "municipalities: [1️⃣301]"]),
                 expect: "invalid-municipality", says: ["\"0301\""]),
        RuleCase("invalid kommunenummer in a location", offerCatalog(["locations": """
            locations:
              - name: Frisklivssentralen
                address: Helgesens gate 2
                postal_code: "0553"
                city: Oslo
                municipality: 1️⃣"0302"
            """]), expect: "invalid-municipality"),
        RuleCase("invalid kommunenummer of a provider", """
            -- content/providers/frisk/provider.yaml --
            name: Frisk
            org_number: "974778882"
            type: kommune
            municipality: 1️⃣"1234"
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "invalid-municipality"),
        RuleCase("invalid postnummer", offerCatalog(["locations": """
            locations:
              - name: Frisklivssentralen
                address: Helgesens gate 2
                postal_code: 1️⃣"553"
                city: Oslo
                municipality: "0301"
            """]), expect: "invalid-postal-code"),
        RuleCase("postnummer with letters", offerCatalog(["locations": """
            locations:
              - name: Frisklivssentralen
                address: Helgesens gate 2
                postal_code: 1️⃣N-0553
                city: Oslo
                municipality: "0301"
            """]), expect: "invalid-postal-code"),
        RuleCase("invalid org number (check digit)", """
            -- content/providers/frisk/provider.yaml --
            name: Frisk
            org_number: 1️⃣"974778881"
            type: kommune
            municipality: "0301"
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "invalid-org-number"),
        RuleCase("invalid org number (length)", """
            -- content/providers/frisk/provider.yaml --
            name: Frisk
            org_number: 1️⃣"97477888"
            type: kommune
            municipality: "0301"
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "invalid-org-number"),
        RuleCase("invalid phone: starts with 1", offerCatalog(["signup": "signup:\n  phone: 1️⃣\"+47 12 34 56 78\""]), expect: "invalid-phone"),
        RuleCase("invalid phone: seven digits", offerCatalog(["contact": "contact:\n  phone: 1️⃣\"+47 2300000\""]), expect: "invalid-phone"),
        RuleCase("invalid phone of a provider", """
            -- content/providers/frisk/provider.yaml --
            name: Frisk
            org_number: "974778882"
            type: kommune
            municipality: "0301"
            phone: 1️⃣"23 00 00"
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "invalid-phone"),
        RuleCase("invalid e-mail", offerCatalog(["contact": "contact:\n  email: 1️⃣kari(at)example.org"]), expect: "invalid-email"),
        RuleCase("invalid e-mail: two @", offerCatalog(["signup": "signup:\n  email: 1️⃣kari@nav@example.org"]), expect: "invalid-email"),
        RuleCase("http: URL", offerCatalog(["signup": "signup:\n  url: 1️⃣http://example.org/pamelding"]), expect: "insecure-url", says: ["https://"]),
        RuleCase("http: URL of a provider", """
            -- content/providers/frisk/provider.yaml --
            name: Frisk
            org_number: "974778882"
            type: kommune
            municipality: "0301"
            website: 1️⃣HTTP://example.org
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "insecure-url"),
        RuleCase("javascript: URL", offerCatalog(["signup": "signup:\n  url: 1️⃣\"javascript:alert(1)\""]), expect: "forbidden-url", says: ["javascript"]),
        RuleCase("javascript: URL, mixed case and blanks", offerCatalog(["signup": "signup:\n  url: 1️⃣\" JavaScript:alert(1)\""]),
                 expect: "forbidden-url"),
        RuleCase("end before start", offerCatalog(["schedule": "schedule:\n  - start: 2026-02-24\n    end: 1️⃣2026-02-03"]), expect: "end-before-start"),
        RuleCase("a weekday that is not in the weekdays vocabulary", offerCatalog(["schedule": """
            schedule:
              - start: 2026-02-03
                end: 2026-02-24
                times:
                  - weekday: 1️⃣tirsdager
                    from: "18:00"
                    to: "20:00"
            """]), expect: "unknown-id", says: ["tirsdager", "tirsdag"]),
        RuleCase("a run's place that is not one of the offer's locations", offerCatalog(["schedule": """
            schedule:
              - start: 2026-02-03
                times: [{weekday: tirsdag, from: "18:00", to: "20:00"}]
                location: 1️⃣Rådhuset
            """]), expect: "unknown-location", says: ["Rådhuset", "Frisklivssentralen Grünerløkka"]),
        RuleCase("a weekly time that is not a time of day", offerCatalog(["schedule": """
            schedule:
              - start: 2026-02-03
                times:
                  - weekday: tirsdag
                    from: 1️⃣"25:00"
                    to: "20:00"
            """]), expect: "invalid-time"),
        RuleCase("a weekly time that ends before it starts", offerCatalog(["schedule": """
            schedule:
              - start: 2026-02-03
                times:
                  - weekday: tirsdag
                    from: "20:00"
                    to: 1️⃣"18:00"
            """]), expect: "invalid-time"),
        RuleCase("no sessions", offerCatalog(["schedule": "schedule:\n  - start: 2026-02-03T18:00\n    sessions: 1️⃣0"]), expect: "invalid-number"),
        RuleCase("a capacity that is not in the capacity vocabulary", offerCatalog(["schedule": "schedule:\n  - start: 2026-02-03T18:00\n    capacity: 1️⃣fa-plassar"]),
                 expect: "unknown-id", says: ["fa-plasser"]),
        RuleCase("end before start, same day", offerCatalog(["schedule": "schedule:\n  - start: 2026-02-03T18:00\n    end: 1️⃣2026-02-03T17:00"]),
                 expect: "end-before-start"),
        RuleCase("geo outside Norway", offerCatalog(["locations": """
            locations:
              - name: Frisklivssentralen
                address: Helgesens gate 2
                postal_code: "0553"
                city: Oslo
                municipality: "0301"
                geo: 1️⃣[10.7590, 59.9226]
            """]), expect: "invalid-geo"),
    ]

    @Test(arguments: formatCases)
    func formats(_ c: RuleCase) throws { try c.run() }

    static let fileCases: [RuleCase] = [
        RuleCase("provider folder without provider.yaml", """
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: [("missing-provider-yaml", .file("content/providers/frisk/provider.yaml"))], says: ["provider.yaml"]),
        RuleCase("translation without base", providerSection + """
            -- content/providers/frisk/sov-godt.nn.md --
            ---
            title: Sov godt
            summary: Fire kveldar om søvn.
            ---
            Tekst.
            """, expect: [("translation-without-base", .file("content/providers/frisk/sov-godt.nn.md"))], says: ["sov-godt.md"]),
        RuleCase("translation with a field other than title and summary", offerCatalog() + """
            -- content/providers/frisk/sov-godt.en.md --
            ---
            title: Sleep well
            summary: Four evenings on what affects your sleep.
            1️⃣kind: selvhjelp
            ---
            Text.
            """, expect: "translation-field", says: ["kind"]),
        RuleCase("translation with an unknown field", offerCatalog() + """
            -- content/providers/frisk/sov-godt.en.md --
            ---
            title: Sleep well
            1️⃣sumary: Four evenings on what affects your sleep.
            summary: Four evenings on what affects your sleep.
            ---
            Text.
            """, expect: "unknown-field", says: ["summary"]),
        RuleCase("fødselsnummer in the body", offerCatalog(body: "Kurset går over fire kvelder.\n\nSend 1️⃣\(fodselsnummer) på SMS.\n"),
                 expect: "national-id-number"),
        RuleCase("fødselsnummer with a space in the body", offerCatalog(body: "Ring 1️⃣151086 95088.\n"), expect: "national-id-number"),
        RuleCase("D-nummer in a field", offerCatalog(["contact": "contact:\n  name: Kari Nordmann (1️⃣\(dNummer))"]), expect: "national-id-number"),
        RuleCase("fødselsnummer in a translation", offerCatalog() + """
            -- content/providers/frisk/sov-godt.nn.md --
            ---
            title: Sov godt
            summary: Fire kveldar om søvn.
            ---
            Send 1️⃣\(fodselsnummer).
            """, expect: "national-id-number"),
        RuleCase("D-nummer in provider.yaml", """
            -- content/providers/frisk/provider.yaml --
            \(Records.provider)editors: ["1️⃣\(dNummer)@example.org"]
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer())
            """, expect: "national-id-number"),
        RuleCase("fødselsnummer in the body of a file whose YAML is broken", providerSection + """
            -- content/providers/frisk/sov-godt.md --
            ---
            title: Sov godt
            kind: 1️⃣: friskliv
            ---
            Ring 2️⃣\(fodselsnummer).
            """, expect: [("yaml-syntax", .marker("1️⃣")), ("national-id-number", .marker("2️⃣"))]),
        RuleCase("fødselsnummer in the body of a file whose front matter is a list", providerSection + """
            -- content/providers/frisk/sov-godt.nn.md --
            ---
            1️⃣- title: Sov godt
            ---
            Ring 2️⃣\(fodselsnummer).
            """, expect: [("front-matter-not-mapping", .marker("1️⃣")), ("national-id-number", .marker("2️⃣")),
                          ("translation-without-base", .file("content/providers/frisk/sov-godt.nn.md"))]),
        RuleCase("CRLF line endings keep lines and columns", offerCatalog(["topics": "topics: [sovn, 1️⃣sovm]"]), expect: "unknown-id", setup: { c in
            let url = c.url("content/providers/frisk/sov-godt.md")
            let text = try String(contentsOf: url, encoding: .utf8)
            try c.write(text.replacingOccurrences(of: "\n", with: "\r\n"), to: "content/providers/frisk/sov-godt.md")
        }),
        RuleCase("a byte-order mark keeps lines and columns", offerCatalog(["topics": "topics: [sovn, 1️⃣sovm]"]), expect: "unknown-id", setup: { c in
            let url = c.url("content/providers/frisk/sov-godt.md")
            try c.write(Data([0xEF, 0xBB, 0xBF]) + (try Data(contentsOf: url)), to: "content/providers/frisk/sov-godt.md")
        }),
        RuleCase("file that is not UTF-8", providerSection + """
            -- content/providers/frisk/sov-godt.md --
            ---
            1️⃣title: Smørbrød
            """, expect: "not-utf8", setup: { c in
                let url = c.url("content/providers/frisk/sov-godt.md")
                let text = try String(contentsOf: url, encoding: .utf8)
                try c.write(try #require(text.data(using: .isoLatin1)), to: "content/providers/frisk/sov-godt.md")
            }),
        RuleCase("file over 1 MiB", offerCatalog(), expect: [("file-too-large", .file(offerPath))], says: ["1048576 bytes (1 MiB)"], setup: { c in
            try c.write(Data(Records.offer().utf8) + Data(repeating: UInt8(ascii: "a"), count: 1_048_577), to: "content/providers/frisk/sov-godt.md")
        }),
        RuleCase("symbolic link to a file outside content/", providerSection,
                 expect: [("symlink-outside", .file("content/providers/frisk/lenke.md"))], setup: { c in
            try c.write(Records.offer(), to: "utenfor.md")
            try c.symlink("content/providers/frisk/lenke.md", to: "../../../utenfor.md")
        }),
        RuleCase("symbolic link to a provider folder outside content/", offerCatalog(),
                 expect: [("symlink-outside", .file("content/providers/lenket"))], setup: { c in
            try c.write(Records.provider, to: "utenfor/provider.yaml")
            try c.symlink("content/providers/lenket", to: c.url("utenfor").path)
        }),
        RuleCase("symbolic link to provider.yaml outside content/", "-- content/providers/frisk/sov-godt.md --\n" + Records.offer(),
                 expect: [("symlink-outside", .file("content/providers/frisk/provider.yaml"))], setup: { c in
            try c.write(Records.provider, to: "provider.yaml")
            try c.symlink("content/providers/frisk/provider.yaml", to: c.url("provider.yaml").path)
        }),
        RuleCase("folder name with capitals and underscore", offerCatalog() + """
            -- content/providers/Frisk_Liv/provider.yaml --
            \(Records.provider)
            """, expect: [("bad-folder-name", .file("content/providers/Frisk_Liv"))]),
        RuleCase("folder name of one character", offerCatalog() + """
            -- content/providers/f/provider.yaml --
            \(Records.provider)
            """, expect: [("bad-folder-name", .file("content/providers/f"))]),
        RuleCase("file name with capitals", offerCatalog() + """
            -- content/providers/frisk/Sov-Godt.md --
            \(Records.offer())
            """, expect: [("bad-file-name", .file("content/providers/frisk/Sov-Godt.md"))]),
        RuleCase("file name with a letter outside a–z", offerCatalog() + """
            -- content/providers/frisk/søvn.md --
            \(Records.offer())
            """, expect: [("bad-file-name", .file("content/providers/frisk/søvn.md"))]),
        RuleCase("slug of 65 characters", offerCatalog() + """
            -- content/providers/frisk/\(String(repeating: "a", count: 65)).md --
            \(Records.offer())
            """, expect: [("bad-file-name", .file("content/providers/frisk/\(String(repeating: "a", count: 65)).md"))]),
        RuleCase("translation in a language the site does not publish", offerCatalog() + """
            -- content/providers/frisk/sov-godt.de.md --
            ---
            title: Gut schlafen
            summary: Vier Abende.
            ---
            """, expect: [("bad-file-name", .file("content/providers/frisk/sov-godt.de.md"))], says: ["de"]),
        RuleCase("file name with two dots", offerCatalog() + """
            -- content/providers/frisk/sov.godt.nn.md --
            \(Records.offer())
            """, expect: [("bad-file-name", .file("content/providers/frisk/sov.godt.nn.md"))]),
    ]

    @Test(arguments: fileCases)
    func files(_ c: RuleCase) throws { try c.run() }

    @Test("a slug of 64 characters and a folder of 2 are allowed")
    func longestAndShortestNames() throws {
        let slug = String(repeating: "a", count: 64)
        let catalog = try TestCatalog("""
            -- content/providers/f1/provider.yaml --
            \(Records.provider)
            -- content/providers/f1/\(slug).md --
            \(Records.offer())
            """)
        let result = catalog.check()
        expectNoErrors(result)
        #expect(result.offer("f1/\(slug)") != nil)
    }

    @Test("a symbolic link that stays inside content/ is followed")
    func symlinkInsideContent() throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.write(Records.offer(["title": "title: Sov bedre"]), to: "content/shared/sov-bedre.md")
        try catalog.symlink("content/providers/frisk/sov-bedre.md", to: "../../shared/sov-bedre.md")
        let result = catalog.check()
        expectNoErrors(result)
        #expect(result.offer("frisk/sov-bedre")?.title == "Sov bedre")
    }

    @Test("a file of exactly the limit is read")
    func fileAtTheLimit() throws {
        let catalog = try TestCatalog(offerCatalog())
        var data = Data(Records.offer().utf8)
        data += Data(repeating: UInt8(ascii: "a"), count: 1_048_576 - data.count)
        try catalog.write(data, to: "content/providers/frisk/sov-godt.md")
        let result = catalog.check()
        #expect(result.diagnostics("file-too-large").isEmpty, "\n\(result.listing)")
        // It is read, so the body's own limit (20 000 characters) applies.
        #expect(result.diagnostics("too-long").count == 1, "\n\(result.listing)")
    }

    @Test("an offer in a folder without provider.yaml is not published")
    func offerWithoutProviderIsLeftOut() throws {
        let result = try TestCatalog("-- content/providers/frisk/sov-godt.md --\n" + Records.offer()).check()
        #expect(result.catalog.offers.isEmpty)
    }

    static let combinationCases: [RuleCase] = [
        RuleCase("needs location for oppmote", offerCatalog(["delivery": "delivery: 1️⃣oppmote", "locations": nil]),
                 expect: "missing-field", says: ["locations"]),
        RuleCase("needs location for hybrid", offerCatalog(["delivery": "delivery: hybrid", "locations": "locations: 1️⃣[]"]),
                 expect: "missing-field", says: ["hybrid"]),
        RuleCase("needs municipalities unless national", offerCatalog(["title": "1️⃣title: Sov godt", "municipalities": nil]),
                 expect: "missing-field", says: ["national: true"]),
        RuleCase("needs municipalities: an empty list", offerCatalog(["municipalities": "municipalities: 1️⃣[]"]),
                 expect: "missing-field", says: ["municipalities"]),
        RuleCase("needs schedule or ongoing", offerCatalog(["title": "1️⃣title: Sov godt", "schedule": nil]),
                 expect: "missing-field", says: ["ongoing: true"]),
        RuleCase("needs schedule: ongoing false", offerCatalog(["schedule": "schedule: 1️⃣[]", "ongoing": "ongoing: false"]),
                 expect: "missing-field", says: ["schedule"]),
        RuleCase("amount required unless gratis", offerCatalog(["price": "price:\n  1️⃣kind: egenandel\n  note: Betales ved oppmøte"]),
                 expect: "missing-field", says: ["amount_nok"]),
        RuleCase("amount cannot be negative", offerCatalog(["price": "price:\n  kind: betaling\n  amount_nok: 1️⃣-200"]), expect: "invalid-number"),
        RuleCase("too many topics",
                 offerCatalog(["topics": "topics: 1️⃣[sovn, stress, kosthold, tobakk, alkohol, psykisk-helse]"]), expect: "count", says: ["6"]),
        RuleCase("too few audiences", offerCatalog(["audiences": "audiences: 1️⃣[]"]), expect: "count"),
        RuleCase("too many tags", offerCatalog(["tags": "tags: 1️⃣[" + (1...16).map { "t\($0)" }.joined(separator: ", ") + "]"]),
                 expect: "count"),
        RuleCase("title too long", offerCatalog(["title": "title: 1️⃣" + String(repeating: "Å", count: 91)]), expect: "too-long", says: ["91", "90"]),
        RuleCase("summary too long", offerCatalog(["summary": "summary: 1️⃣" + String(repeating: "ø", count: 161)]), expect: "too-long"),
        RuleCase("signup without a way to sign up", offerCatalog(["signup": "signup:\n  1️⃣deadline: 2026-01-27"]), expect: "missing-field"),
        RuleCase("unknown status", offerCatalog(["status": "status: 1️⃣publisert"]), expect: "unknown-id", says: ["publisert"]),
        RuleCase("HTML in the summary", offerCatalog(["summary": "summary: Fire 1️⃣<b>kvelder</b> om søvn og hva du selv kan gjøre."]),
                 expect: "html-in-summary"),
    ]

    @Test(arguments: combinationCases)
    func combinations(_ c: RuleCase) throws { try c.run() }

    static let validVariants: [OfferVariant] = [
        OfferVariant("digital offer without a place", ["delivery": "delivery: digitalt", "locations": nil]),
        OfferVariant("national offer without municipalities", ["municipalities": nil, "national": "national: true"]),
        OfferVariant("ongoing offer without a schedule", ["schedule": nil, "ongoing": "ongoing: true"]),
        OfferVariant("paid offer with an amount", ["price": "price:\n  kind: egenandel\n  amount_nok: 200"]),
        OfferVariant("exactly five topics", ["topics": "topics: [sovn, stress, kosthold, tobakk, alkohol]"]),
        OfferVariant("title of exactly 90 characters", ["title": "title: " + String(repeating: "Å", count: 90)]),
        OfferVariant("no signup but a contact", ["signup": nil]),
    ]

    @Test("the other side of each combination rule is valid", arguments: validVariants)
    func otherSide(_ v: OfferVariant) throws {
        let result = try TestCatalog(offerCatalog(v.changes)).check()
        expectNoErrors(result)
        #expect(result.offer("frisk/sov-godt") != nil)
    }

    static let warningCases: [RuleCase] = [
        RuleCase("due for review", offerCatalog(["last_reviewed": "last_reviewed: 1️⃣2024-12-01"]), expect: "due-for-review", says: ["2025-12-01"]),
        RuleCase("stale", offerCatalog(["last_reviewed": "last_reviewed: 1️⃣2024-06-01"]), expect: "stale"),
        RuleCase("summary repeats title", offerCatalog(["title": "title: Sov godt", "summary": "summary: 1️⃣Sov godt!"]),
                 expect: "summary-repeats-title"),
        RuleCase("raw HTML in body", offerCatalog(body: "Kurset går over fire kvelder.\n\nSe <1️⃣<div>plan</div>.\n"), expect: "raw-html"),
        RuleCase("raw HTML: a script tag", offerCatalog(body: "1️⃣<script>alert(1)</script>\n"), expect: "raw-html"),
        RuleCase("a repeated topic is told once", offerCatalog(["topics": "topics: [sovn, 1️⃣sovn, stress, sovn]"]), expect: "duplicate-value"),
        RuleCase("a repeated municipality is told once", offerCatalog(["municipalities": "municipalities: [\"0301\", 1️⃣\"0301\", \"0301\"]"]),
                 expect: "duplicate-value"),
        RuleCase("reviewed in the future", offerCatalog(["last_reviewed": "last_reviewed: 1️⃣2026-02-01"]), expect: "reviewed-in-future"),
        RuleCase("a course run with neither a time nor weekly times", offerCatalog(["schedule": "schedule:\n  - start: 1️⃣2026-02-03\n    end: 2026-02-24"]),
                 expect: "run-without-time"),
        RuleCase("a run's sign-up deadline after it starts", offerCatalog(["schedule": "schedule:\n  - start: 2026-02-03T18:00\n    deadline: 1️⃣2026-02-10"]),
                 expect: "deadline-after-start"),
        RuleCase("ignored file in a provider folder", offerCatalog() + "-- content/providers/frisk/notater.txt --\nhei\n",
                 expect: [("ignored-file", .file("content/providers/frisk/notater.txt"))]),
    ]

    @Test(arguments: warningCases)
    func warnings(_ c: RuleCase) throws { try c.run(severity: .warning) }

    @Test("a quoted or plain text over two lines may start its second line with * or &")
    func multiLineScalarIsNotAnAlias() throws {
        // Valid YAML: libyaml reads both as text. (A line-by-line guard against anchors once took `*og*` for an alias.)
        for summary in ["summary: \"Fire kvelder om søvn,\n  *og* hva du selv kan gjøre.\"",
                        "summary: Fire kvelder om søvn,\n  *og* hva du selv kan gjøre."] {
            let result = try TestCatalog(offerCatalog(["summary": summary])).check()
            #expect(result.errors.isEmpty, "\n\(result.listing)")
            #expect(result.offer("frisk/sov-godt")?.summary == "Fire kvelder om søvn, *og* hva du selv kan gjøre.")
        }
    }

    @Test("anchor and alias characters inside text are not anchors", arguments: [
        "summary: \"Fire kvelder &amp; *mer*\"", "summary: Mat & drikke, *ikke* bare søvn.", "summary: |\n  &ikke et anker\n  *ikke et alias*",
        "summary: 'Søvn & *stress*'",
    ])
    func anchorCharactersInText(_ summary: String) throws {
        let result = try TestCatalog(offerCatalog(["summary": summary])).check()
        #expect(result.diagnostics("yaml-anchor").isEmpty, "\n\(result.listing)")
        #expect(result.offer("frisk/sov-godt") != nil, "\n\(result.listing)")
    }

    @Test("an autolink and HTML in a code span are not raw HTML")
    func notRawHTML() throws {
        let result = try TestCatalog(offerCatalog(body: "Les mer på <https://example.org>.\n\nSkriv `<br>` for linjeskift.\n")).check()
        #expect(result.diagnostics.isEmpty, "\n\(result.listing)")
    }
}

/// A block mapping nested `levels` deep as the value of `contact` (which is itself at depth 2).
func blockNesting(levels: Int) -> String {
    var lines = ["contact:"]
    for level in 2..<levels {
        lines.append(String(repeating: "  ", count: level - 1) + "k\(level):" + (level == levels - 1 ? " 1️⃣{x: 1}" : ""))
    }
    return lines.joined(separator: "\n")
}

/// A named change to the standard offer, as a test argument.
struct OfferVariant: CustomTestStringConvertible, Sendable {
    let name: String
    let changes: KeyValuePairs<String, String?>
    init(_ name: String, _ changes: KeyValuePairs<String, String?>) {
        self.name = name
        self.changes = changes
    }
    var testDescription: String { name }
}
