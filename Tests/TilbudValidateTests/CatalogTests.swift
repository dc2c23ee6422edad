import Foundation
import Testing
import TilbudTestSupport
import TilbudDiagnostics
import TilbudModel
import TilbudValidate

@Suite("Whole catalogs")
struct CatalogTests {
    @Test("one pass reports every problem in every file")
    func onePassReportsEverything() throws {
        let catalog = try TestCatalog("""
            A catalog with something wrong in nearly every file; one run must report all of it.
            \(providerSection)
            -- content/providers/frisk/sov-godt.md --
            \(Records.offer(["topics": "topics: [1️⃣søvn]", "signup": "signup:\n  url: 2️⃣http://example.org"]))
            -- content/providers/frisk/sov-godt.nn.md --
            ---
            title: Sov godt
            summary: Fire kveldar om søvn og kva du sjølv kan gjere.
            3️⃣kind: selvhjelp
            ---
            Tekst.
            -- content/providers/frisk/kosthold.md --
            ---
            title: Bra mat
            kind: 4️⃣: friskliv
            ---
            -- content/providers/frisk/hjerte.en.md --
            ---
            title: Heart school
            summary: For people with heart disease.
            ---
            Text.
            -- content/providers/frisk/Bad_Name.md --
            \(Records.offer())
            -- content/providers/frisk/latin.md --
            ---
            5️⃣title: Smørbrød
            ---
            -- content/providers/frisk/gammel.md --
            \(Records.offer(["title": "title: Gammelt kurs", "last_reviewed": "last_reviewed: 6️⃣2023-01-01"]))
            -- content/providers/trening/styrke.md --
            \(Records.offer(["title": "title: Styrketrening"]))
            -- content/providers/bergen/provider.yaml --
            name: Frisklivssentralen i Bergen
            org_number: 7️⃣"974778883"
            type: kommune
            municipality: "4601"
            -- content/providers/bergen/tur.md --
            \(Records.offer(["title": "8️⃣title: Turgruppe", "kind": nil], body: "Ring Kari, 9️⃣\(fodselsnummer).\n"))
            """)
        let latin = try String(contentsOf: catalog.url("content/providers/frisk/latin.md"), encoding: .utf8)
        try catalog.write(try #require(latin.data(using: .isoLatin1)), to: "content/providers/frisk/latin.md")

        let result = catalog.check()
        expectErrors(result, [
            Found("unknown-id", at: catalog.location("1️⃣")),
            Found("insecure-url", at: catalog.location("2️⃣")),
            Found("translation-field", at: catalog.location("3️⃣")),
            Found("yaml-syntax", at: catalog.location("4️⃣")),
            Found("translation-without-base", at: Loc(path: "content/providers/frisk/hjerte.en.md", line: 1, column: 1)),
            Found("bad-file-name", at: Loc(path: "content/providers/frisk/Bad_Name.md", line: 1, column: 1)),
            Found("not-utf8", at: catalog.location("5️⃣")),
            Found("missing-provider-yaml", at: Loc(path: "content/providers/trening/provider.yaml", line: 1, column: 1)),
            Found("invalid-org-number", at: catalog.location("7️⃣")),
            Found("missing-field", at: catalog.location("8️⃣")),
            Found("national-id-number", at: catalog.location("9️⃣")),
        ])
        #expect(result.warnings == [Found("stale", .warning, at: catalog.location("6️⃣"))], "\n\(result.listing)")
        // Only the valid record of a valid provider is in the catalog.
        #expect(result.catalog.offers.map(\.id) == ["frisk/gammel"])
        #expect(result.catalog.offers.first?.state == .stale)
        #expect(result.catalog.providers.map(\.id) == ["frisk"])
        // Sorted for output: by file, then line and column.
        let places = result.diagnostics.compactMap(\.location)
        #expect(places == places.sorted())
    }

    @Test("the bundled catalog passes with no errors")
    func bundledCatalog() throws {
        let content = TestPaths.repositoryRoot.appendingPathComponent("content")
        let result = CatalogChecker(root: content, displayRoot: "content", today: try #require(Day(iso: "2026-11-27"))).run()
        #expect(result.errors.isEmpty, "\n\(result.listing)")
        #expect(result.catalog.offers.count >= 20)
        #expect(result.catalog.providers.count >= 5)
        #expect(result.catalog.offers.contains { !$0.translations.isEmpty })
        // Every .md file, provider.yaml and governance file was read.
        let files = try FileManager.default.subpathsOfDirectory(atPath: content.path).filter { path in
            let parts = path.split(separator: "/")
            return ["site.yaml", "governance/policy.yaml", "governance/vocabularies.yaml", "governance/fields.yaml", "governance/municipalities.csv"].contains(path)
                || (parts.count == 3 && parts[0] == "providers" && (parts[2] == "provider.yaml" || parts[2].hasSuffix(".md")))
        }
        #expect(result.filesChecked == files.count)
        // Its governance is the content model's.
        let governance = result.catalog.governance
        #expect(governance.municipalities.count == 357)
        #expect(governance.policy.reviewIntervalMonths == 12 && governance.policy.graceMonths == 3)
        for (name, ids) in [(VocabularyName.topics, ["fysisk-aktivitet", "sovn", "svangerskap-og-barsel"]), (.audiences, ["voksne", "alle"]),
                            (.providerType, ["kommune", "statlig"]), (.accessibility, ["tegnspraktolk"])] {
            #expect(ids.allSatisfy(governance.vocabulary(name).contains), "\(name)")
        }
    }

    @Test("a content folder that does not exist is one clear error")
    func noContentFolder() throws {
        let catalog = try TestCatalog("")
        let result = CatalogChecker(root: catalog.url("finnes-ikke"), displayRoot: "finnes-ikke", today: TestCatalog.today).run()
        #expect(result.errors == [Found("no-content", at: nil)])
        #expect(result.diagnostics.first?.message.en.contains("finnes-ikke") == true)
    }

    @Test("a translation is attached to its offer")
    func translation() throws {
        let result = try TestCatalog(offerCatalog() + """
            -- content/providers/frisk/sov-godt.nn.md --
            ---
            title: Sov godt – kurs for deg som søv dårleg
            summary: Fire kveldar om kva som påverkar søvnen.
            ---
            Kurset går over fire kveldar.
            """).check()
        #expect(result.diagnostics.isEmpty, "\n\(result.listing)")
        let offer = try #require(result.offer("frisk/sov-godt"))
        #expect(offer.text(in: "nn").title == "Sov godt – kurs for deg som søv dårleg")
        #expect(offer.text(in: "nn").body == "Kurset går over fire kveldar.\n")
        #expect(offer.text(in: "en").language == "nb")
    }
}
