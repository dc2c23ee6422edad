import Foundation
import Testing
import TilbudDiagnostics
import TilbudModel
import TilbudValidate

/// Changing a vocabulary, a limit or a required field is an edit of `content/governance/`, never of Swift.
/// Each test checks the same record twice: before and after a governance edit.
@Suite("Governance as data")
struct GovernanceAsDataTests {
    @Test("adding a topic to vocabularies.yaml makes a record valid that was not")
    func addTopic() throws {
        let catalog = try TestCatalog(offerCatalog(["topics": "topics: [sovn, 1️⃣sovnapne]"]))
        let before = catalog.check()
        expectErrors(before, [Found("unknown-id", at: catalog.location("1️⃣"))])
        #expect(before.offer("frisk/sov-godt") == nil)

        try catalog.write(try vocabularies(replacing: "topics:\n", with: """
            topics:
              - {id: sovnapne, label: {nb: Søvnapné, nn: Søvnapné, en: Sleep apnoea}, synonyms: [snorking]}

            """), to: "content/governance/vocabularies.yaml")
        let after = catalog.check()
        expectNoErrors(after)
        #expect(after.offer("frisk/sov-godt")?.topics == ["sovn", "sovnapne"])
        #expect(after.catalog.governance.vocabulary(.topics)["sovnapne"]?.label("en") == "Sleep apnoea")
    }

    @Test("removing an id from a vocabulary makes records that use it invalid")
    func removeAudience() throws {
        let catalog = try TestCatalog(offerCatalog(["audiences": "audiences: [1️⃣voksne]"]))
        expectNoErrors(catalog.check())
        try catalog.write(try vocabularies(replacing: "  - {id: voksne, label: {nb: voksne, nn: voksne, en: voksne}}\n", with: ""),
                          to: "content/governance/vocabularies.yaml")
        expectErrors(catalog.check(), [Found("unknown-id", at: catalog.location("1️⃣"))])
    }

    @Test("title.max_chars in fields.yaml decides how long a title may be")
    func titleLimit() throws {
        let catalog = try TestCatalog(offerCatalog(["title": "title: 1️⃣Sov godt – kurs for deg som sover dårlig"]))  // 40 characters
        expectNoErrors(catalog.check())

        try catalog.write(try fields(replacing: "max_chars: 90", with: "max_chars: 39"), to: "content/governance/fields.yaml")
        let shorter = catalog.check()
        expectErrors(shorter, [Found("too-long", at: catalog.location("1️⃣"))])
        #expect(shorter.diagnostics("too-long").first?.message.en.contains("40 characters long; the limit is 39") == true, "\n\(shorter.listing)")

        try catalog.write(try fields(replacing: "max_chars: 90", with: "max_chars: 40"), to: "content/governance/fields.yaml")
        expectNoErrors(catalog.check())
    }

    @Test("topics.min and topics.max in fields.yaml decide how many topics an offer has")
    func topicsRange() throws {
        let catalog = try TestCatalog(offerCatalog(["topics": "topics: 1️⃣[sovn, stress, psykisk-helse]"]))
        expectNoErrors(catalog.check())
        try catalog.write(try fields(replacing: "vocabulary: topics\n    required: true\n    min: 1\n    max: 5", with: "vocabulary: topics\n    required: true\n    min: 1\n    max: 2"), to: "content/governance/fields.yaml")
        expectErrors(catalog.check(), [Found("count", at: catalog.location("1️⃣"))])
        try catalog.write(try fields(replacing: "vocabulary: topics\n    required: true\n    min: 1\n    max: 5", with: "vocabulary: topics\n    required: true\n    min: 4\n    max: 8"), to: "content/governance/fields.yaml")
        expectErrors(catalog.check(), [Found("count", at: catalog.location("1️⃣"))])
    }

    @Test("a field made required in fields.yaml is required")
    func requiredField() throws {
        let catalog = try TestCatalog(offerCatalog(["title": "1️⃣title: Sov godt", "referral": nil]))
        expectNoErrors(catalog.check())
        try catalog.write(try fields(replacing: "    vocabulary: referral\n", with: "    vocabulary: referral\n    required: true\n"), to: "content/governance/fields.yaml")
        let result = catalog.check()
        expectErrors(result, [Found("missing-field", at: catalog.location("1️⃣"))])
        #expect(result.diagnostics("missing-field").first?.message.en.contains("'referral'") == true)
    }

    @Test("a field made optional in fields.yaml is optional")
    func optionalField() throws {
        let catalog = try TestCatalog(offerCatalog(["title": "1️⃣title: Sov godt", "audiences": nil]))
        expectErrors(catalog.check(), [Found("missing-field", at: catalog.location("1️⃣"))])
        try catalog.write(try fields(replacing: "    vocabulary: audiences\n    required: true\n", with: "    vocabulary: audiences\n    required: false\n"), to: "content/governance/fields.yaml")
        expectNoErrors(catalog.check())
    }

    @Test("a field the site cannot do without, made optional, and a policy.yaml that still says what is required, are reported where they are written")
    func indispensableAndMovedRules() throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.write(try fields(replacing: "  title:\n    type: text\n    required: true\n", with: "  title:\n    type: text\n    required: false\n"),
                          to: "content/governance/fields.yaml")
        var result = catalog.check()
        #expect(result.errors.map(\.id) == ["field-declaration"], "\n\(result.listing)")
        #expect(result.errors.first?.location?.path == "content/governance/fields.yaml")
        #expect(result.errors.first?.location?.line == 25)

        try catalog.write(try fields(replacing: "\noffer:\n", with: "\noffer:\n"), to: "content/governance/fields.yaml")
        try catalog.write(try policy(replacing: "limits:\n", with: "limits:\n  title_max_chars: 80\n") + "required:\n  offer: [title]\n",
                          to: "content/governance/policy.yaml")
        result = catalog.check()
        #expect(result.errors.map(\.id) == ["moved-to-fields", "moved-to-fields"], "\n\(result.listing)")
        #expect(result.errors.allSatisfy { $0.location?.path == "content/governance/policy.yaml" })
        #expect(result.diagnostics("moved-to-fields").first?.message.nb.contains("title.max_chars") == true)
    }

    @Test("a field declared with a type the site reads otherwise is reported at its declaration")
    func modelledTypeIsFixed() throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.write(try fields(replacing: "  national:\n    type: bool\n", with: "  national:\n    type: text\n"), to: "content/governance/fields.yaml")
        let result = catalog.check()
        #expect(result.errors.map(\.id) == ["field-declaration"], "\n\(result.listing)")
        #expect(result.diagnostics("field-declaration").first?.message.en.contains("must have type bool") == true)
    }

    @Test("the published languages in policy.yaml decide which translations are allowed")
    func languages() throws {
        let catalog = try TestCatalog(offerCatalog() + """
            -- content/providers/frisk/sov-godt.en.md --
            ---
            title: Sleep well
            summary: Four evenings on what affects your sleep.
            ---
            Text.
            """)
        let before = catalog.check()
        expectNoErrors(before)
        #expect(before.offer("frisk/sov-godt")?.translations["en"]?.title == "Sleep well")
        try catalog.write(try policy(replacing: "languages: [nb, nn, en]", with: "languages: [nb, nn]"), to: "content/governance/policy.yaml")
        expectErrors(catalog.check(), [Found("bad-file-name", at: Loc(path: "content/providers/frisk/sov-godt.en.md", line: 1, column: 1))])
    }

    @Test("yaml_max_depth and file_max_bytes in policy.yaml are the loader's limits")
    func loaderLimits() throws {
        // Depth counts the root mapping as 1; the standard offer's `geo` is at depth 4.
        let catalog = try TestCatalog(offerCatalog(["tags": "tags: [[[1️⃣[x]]]]"]))
        #expect(catalog.check().diagnostics("yaml-too-deep").isEmpty)
        try catalog.write(try policy(replacing: "yaml_max_depth: 16", with: "yaml_max_depth: 4"), to: "content/governance/policy.yaml")
        expectErrors(catalog.check(), [Found("yaml-too-deep", at: catalog.location("1️⃣"))])

        try catalog.write(try policy(replacing: "file_max_bytes: 1048576", with: "file_max_bytes: 100"), to: "content/governance/policy.yaml")
        let small = catalog.check()
        #expect(Set(small.errors.map(\.id)) == ["file-too-large"], "\n\(small.listing)")
        #expect(small.errors.count == 2, "provider.yaml and the offer are both over 100 bytes\n\(small.listing)")
        #expect(small.diagnostics("file-too-large").allSatisfy { $0.message.en.contains("limit is 100 bytes. Shorten") }, "\n\(small.listing)")
    }

    @Test("what an id implies is data: a new price id with the trait free, a new delivery id that needs no place")
    func traitsAreData() throws {
        let catalog = try TestCatalog(offerCatalog(["price": "price:\n  kind: dugnad\n  amount_nok: 1️⃣50", "delivery": "delivery: telefon", "locations": nil]))
        try catalog.write(try vocabularies(replacing: "price:\n", with: "price:\n  - {id: dugnad, label: {nb: Dugnad, nn: Dugnad, en: Volunteer work}, traits: [free]}\n")
            .replacingOccurrences(of: "delivery:\n", with: "delivery:\n  - {id: telefon, label: {nb: Telefon, nn: Telefon, en: Phone}, traits: [online]}\n"),
                          to: "content/governance/vocabularies.yaml")
        try catalog.write(try fields(replacing: "not_in: [gratis]", with: "not_in: [gratis, dugnad]"), to: "content/governance/fields.yaml")
        let result = catalog.check()
        expectNoErrors(result)
        #expect(result.warnings == [Found("amount-for-free", .warning, at: catalog.location("1️⃣"))], "\n\(result.listing)")
        #expect(result.offer("frisk/sov-godt")?.price.amountNOK == nil, "a free price keeps no amount")
    }

    @Test("a municipality added to municipalities.csv can be used")
    func municipality() throws {
        let catalog = try TestCatalog(offerCatalog(["municipalities": "municipalities: [\"0301\", 1️⃣\"1804\"]"]))
        expectErrors(catalog.check(), [Found("invalid-municipality", at: catalog.location("1️⃣"))])
        let csv = try String(contentsOf: catalog.url("content/governance/municipalities.csv"), encoding: .utf8)
        try catalog.write(csv + "1804,Bodø,18,Nordland\n", to: "content/governance/municipalities.csv")
        let result = catalog.check()
        expectNoErrors(result)
        #expect(result.catalog.governance.municipality("1804")?.name == "Bodø")
    }

    @Test("a missing vocabulary is reported in vocabularies.yaml, not assumed")
    func missingVocabulary() throws {
        let catalog = try TestCatalog(offerCatalog())
        try catalog.write(try vocabularies(replacing: "referral:\n", with: "referal:\n"), to: "content/governance/vocabularies.yaml")
        let result = catalog.check()
        let inVocabularies = result.errors.filter { $0.location?.path == "content/governance/vocabularies.yaml" }.map(\.id)
        #expect(Set(inVocabularies) == ["unknown-field", "missing-vocabulary"], "\n\(result.listing)")
        #expect(result.diagnostics("unknown-field").first?.message.en.contains("Did you mean 'referral'?") == true)
    }

    @Test("every governance file missing is an error naming the file")
    func missingGovernance() throws {
        let catalog = try TestCatalog(offerCatalog(), governance: false)
        let result = catalog.check()
        let missing = result.diagnostics("missing-governance-file").compactMap(\.location?.path)
        #expect(missing == ["content/governance/fields.yaml", "content/governance/municipalities.csv", "content/governance/policy.yaml",
                            "content/governance/vocabularies.yaml"])
        #expect(result.diagnostics("missing-site-yaml").count == 1)
    }
}
