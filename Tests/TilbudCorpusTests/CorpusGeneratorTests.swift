import Foundation
import Testing
@testable import TilbudCorpus

@Suite struct CorpusGeneratorTests {
    @Test func sameArgumentsGiveByteIdenticalFiles() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let first = fixture.output("a"), second = fixture.output("b")
        let generator = CorpusGenerator(offers: 130, seed: 42)
        let countA = try generator.write(to: first, governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        let countB = try CorpusGenerator(offers: 130, seed: 42).write(to: second, governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        #expect(countA == countB)
        let filesA = relativeFiles(first), filesB = relativeFiles(second)
        #expect(filesA == filesB)
        #expect(filesA.count == countA)
        for path in filesA {
            let a = try Data(contentsOf: first.appendingPathComponent(path))
            let b = try Data(contentsOf: second.appendingPathComponent(path))
            #expect(a == b, "\(path) differs")
        }
    }

    @Test func anotherSeedGivesAnotherCorpus() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        _ = try CorpusGenerator(offers: 30, seed: 1).write(to: fixture.output("a"), governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        _ = try CorpusGenerator(offers: 30, seed: 2).write(to: fixture.output("b"), governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        let a = relativeFiles(fixture.output("a")).filter { $0.hasSuffix(".md") }.map { read(fixture.output("a"), $0) }
        let b = relativeFiles(fixture.output("b")).filter { $0.hasSuffix(".md") }.map { read(fixture.output("b"), $0) }
        #expect(a != b)
    }

    @Test(arguments: [(offers: 130, providers: 6), (offers: 10, providers: 1), (offers: 0, providers: 1), (offers: 250, providers: 10)])
    func countsOfProvidersOffersAndTranslations(offers: Int, providers: Int) throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let out = fixture.output("out")
        let generator = CorpusGenerator(offers: offers, seed: 3)
        let written = try generator.write(to: out, governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        let files = relativeFiles(out)
        let providerFiles = files.filter { $0.hasSuffix("/provider.yaml") }
        let translations = files.filter { $0.hasSuffix(".nn.md") }
        let bases = files.filter { $0.hasSuffix(".md") && !$0.hasSuffix(".nn.md") }
        #expect(CorpusGenerator.providerCount(forOffers: offers) == providers)
        #expect(providerFiles.count == providers)
        #expect(bases.count == offers)
        #expect(translations.count == offers / 5)
        #expect(translations.count == generator.translationCount)
        #expect(files.contains("site.yaml"))
        #expect(files.contains("governance/policy.yaml"))
        #expect(files.contains("governance/vocabularies.yaml"))
        #expect(files.contains("governance/municipalities.csv"))
        #expect(written == files.count)
        #expect(written == 1 + 3 + providers + offers + offers / 5)
        #expect(read(out, "site.yaml") == Fixture.site)
        // Every translation has its base beside it, and at most 25 offers share a provider.
        for translation in translations {
            #expect(files.contains(String(translation.dropLast(".nn.md".count)) + ".md"))
        }
        let perProvider = Dictionary(grouping: bases, by: { $0.split(separator: "/").dropLast().joined(separator: "/") })
        #expect(perProvider.values.allSatisfy { $0.count <= 25 })
    }

    @Test func translationShareIsHonoured() throws {
        #expect(CorpusGenerator(offers: 1000).translationCount == 200)
        #expect(CorpusGenerator(offers: 1000, translationShare: 0).translationCount == 0)
        #expect(CorpusGenerator(offers: 1000, translationShare: 1).translationCount == 1000)
        #expect(CorpusGenerator(offers: 7, translationShare: 0.5).translationCount == 3)
        #expect(CorpusGenerator(offers: 10, translationShare: 3).translationCount == 10)
    }

    @Test func refusesAnOutputThatAlreadyHasProviders() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        let out = fixture.output("out")
        _ = try CorpusGenerator(offers: 5).write(to: out, governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        #expect(throws: CorpusError.self) {
            try CorpusGenerator(offers: 5).write(to: out, governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        }
    }

    @Test func refusesGovernanceWithoutMunicipalities() throws {
        let fixture = try Fixture()
        defer { fixture.remove() }
        try "kommunenummer,navn\n".write(to: fixture.governance.appendingPathComponent("municipalities.csv"), atomically: true, encoding: .utf8)
        #expect(throws: CorpusError.self) {
            try CorpusGenerator(offers: 5).write(to: fixture.output("out"), governanceSource: fixture.governance, siteYAML: fixture.siteYAML)
        }
    }
}

/// Checks every record of one generated corpus against the content model.
@Suite struct CorpusRecordTests {
    static let corpus: (root: URL, files: [String], fixture: Fixture)? = {
        guard let fixture = try? Fixture() else { return nil }
        let out = fixture.output("corpus")
        guard (try? CorpusGenerator(offers: 400, seed: 11).write(to: out, governanceSource: fixture.governance, siteYAML: fixture.siteYAML)) != nil else { return nil }
        return (out, relativeFiles(out), fixture)
    }()

    let root: URL
    let files: [String]

    init() throws {
        let corpus = try #require(CorpusRecordTests.corpus)
        root = corpus.root
        files = corpus.files
    }

    var bases: [String] { files.filter { $0.hasPrefix("providers/") && $0.hasSuffix(".md") && !$0.hasSuffix(".nn.md") } }
    var translations: [String] { files.filter { $0.hasSuffix(".nn.md") } }
    var providerFiles: [String] { files.filter { $0.hasSuffix("/provider.yaml") } }

    @Test func providerIdsAndSlugsFollowTheIdRules() {
        for path in files where path.hasPrefix("providers/") {
            let parts = path.split(separator: "/").map(String.init)
            #expect(parts.count == 3, "\(path)")
            #expect(matches(parts[1], "^[a-z0-9-]{2,64}$"), "provider id \(parts[1])")
            #expect(matches(parts[1], "^(frisklivssentral|lms|frivilligsentral|fysioterapi|nasjonal-tjeneste)-[a-z0-9-]+-[0-9]+$"), "provider id \(parts[1])")
            if parts[2] != "provider.yaml" {
                let slug = parts[2].replacingOccurrences(of: ".nn.md", with: "").replacingOccurrences(of: ".md", with: "")
                #expect(matches(slug, "^[a-z0-9-]{2,64}$"), "slug \(slug)")
                #expect(!slug.hasPrefix("-") && !slug.hasSuffix("-") && !slug.contains("--"), "slug \(slug)")
            }
        }
    }

    @Test func providersAreCompleteAndValid() {
        #expect(providerFiles.count == 16)
        var orgNumbers = Set<String>()
        var types = Set<String>()
        for path in providerFiles {
            let lines = read(root, path).components(separatedBy: "\n")
            let org = value("org_number", in: lines) ?? ""
            #expect(isValidOrgNumber(org), "\(path): \(org)")
            #expect(lines.contains { $0.hasPrefix("org_number: \"") })
            orgNumbers.insert(org)
            types.insert(value("type", in: lines) ?? "")
            #expect(Fixture.municipalityCodes.contains(value("municipality", in: lines) ?? ""))
            #expect(matches(value("phone", in: lines) ?? "", "^\\+47 2[0-9] [0-9]{2} [0-9]{2} [0-9]{2}$"))
            #expect(matches(value("email", in: lines) ?? "", "^[a-z0-9.-]+@example\\.org$"))
            #expect((value("website", in: lines) ?? "").hasPrefix("https://"))
            #expect(!(value("name", in: lines) ?? "").isEmpty)
            #expect(lines.contains("editors: [\"*@example.org\"]"))
        }
        #expect(orgNumbers.count == providerFiles.count)
        #expect(types == Set(Lexicon.providerTypes))
    }

    @Test func titlesAndSummariesStayWithinLimits() {
        for path in bases + translations {
            let (front, _) = split(read(root, path))
            let title = value("title", in: front) ?? ""
            let summary = value("summary", in: front) ?? ""
            #expect(!title.isEmpty && title.count <= 90, "\(path): \(title)")
            #expect(!summary.isEmpty && summary.count <= 160, "\(path): \(summary)")
            #expect(title != summary)
        }
    }

    @Test func titlesAreUniqueWithinEachProvider() {
        let byProvider = Dictionary(grouping: bases, by: { $0.split(separator: "/")[1] })
        for (provider, paths) in byProvider {
            let titles = paths.map { (value("title", in: split(read(root, $0)).front) ?? "").lowercased() }
            #expect(Set(titles).count == titles.count, "\(provider) repeats a title")
        }
    }

    @Test func translationsCarryOnlyTitleAndSummary() {
        #expect(translations.count == 80)
        for path in translations {
            let (front, body) = split(read(root, path))
            #expect(front.map { String($0.prefix(while: { $0 != ":" })) } == ["title", "summary"], "\(path)")
            #expect(body.contains("## "))
            #expect(body.contains("ikkje") || body.contains("kva") || body.contains("tilbodet") || body.contains("Tilbodet"), "\(path) is not nynorsk")
        }
    }

    @Test func vocabularyIdsComeFromGovernance() {
        for path in bases {
            let (front, _) = split(read(root, path))
            let topics = flowItems(value("topics", in: front) ?? "")
            let audiences = flowItems(value("audiences", in: front) ?? "")
            #expect((1...3).contains(topics.count) && Set(topics).count == topics.count, "\(path)")
            #expect((1...2).contains(audiences.count), "\(path)")
            #expect(topics.allSatisfy(Fixture.topics.contains), "\(path): \(topics)")
            #expect(audiences.allSatisfy(Fixture.audiences.contains), "\(path): \(audiences)")
            #expect(["friskliv", "laering-og-mestring", "selvhjelp"].contains(value("kind", in: front) ?? ""))
            #expect(["kurs", "gruppe", "digitalt-verktoy"].contains(value("format", in: front) ?? ""), "\(path)")
            #expect(["oppmote", "digitalt", "hybrid"].contains(value("delivery", in: front) ?? ""))
            #expect(["ingen", "frisklivsresept", "henvisning"].contains(value("referral", in: front) ?? ""))
            #expect(flowItems(value("accessibility", in: front) ?? "[]").allSatisfy(["rullestol", "teleslynge"].contains))
            #expect(value("languages", in: front) == "[nb]")
            #expect(value("status", in: front) == "published")
            #expect(!flowItems(value("tags", in: front) ?? "").isEmpty)
        }
    }

    @Test func placesAreValid() {
        var nationalCount = 0
        for path in bases {
            let (front, _) = split(read(root, path))
            let delivery = value("delivery", in: front) ?? ""
            let national = value("national", in: front) == "true"
            if national {
                nationalCount += 1
                #expect(delivery == "digitalt")
                #expect(value("municipalities", in: front) == nil)
            } else {
                let raw = value("municipalities", in: front) ?? ""
                #expect(matches(raw, "^\\[\"[0-9]{4}\"(, \"[0-9]{4}\")*\\]$"), "\(path): \(raw)")
                #expect(flowItems(raw).allSatisfy(Fixture.municipalityCodes.contains))
            }
            let hasLocations = front.contains("locations:")
            #expect(hasLocations == (delivery == "oppmote" || delivery == "hybrid"), "\(path)")
            for line in front where line.contains("postal_code:") {
                #expect(matches(line, "^    postal_code: \"[0-9]{4}\"$"), "\(line)")
            }
            for line in front where line.contains("    municipality:") {
                #expect(matches(line, "^    municipality: \"[0-9]{4}\"$"), "\(line)")
            }
            for geo in values("geo", in: front) {
                let parts = flowItems(geo).compactMap(Double.init)
                #expect(parts.count == 2)
                if parts.count == 2 {
                    #expect((57.9...71.3).contains(parts[0]) && (4.4...31.3).contains(parts[1]), "\(geo)")
                }
            }
        }
        // About 10 % of offers are national digital ones.
        #expect((20...60).contains(nationalCount), "\(nationalCount) national of 400")
    }

    @Test func datesAreOrderedAndCurrent() throws {
        var dated = 0, ongoing = 0
        for path in bases {
            let (front, _) = split(read(root, path))
            let starts = values("start", in: front), ends = values("end", in: front)
            #expect(starts.count == ends.count)
            if value("ongoing", in: front) == "true" {
                ongoing += 1
                #expect(starts.isEmpty, "\(path)")
            } else {
                dated += 1
                #expect(value("ongoing", in: front) == "false")
                #expect(!starts.isEmpty, "\(path)")
            }
            for (start, end) in zip(starts, ends) {
                #expect(start <= end, "\(path): \(start) > \(end)")
                #expect(start.hasPrefix("2027-") && end.hasPrefix("2027-"))
                #expect(matches(start, "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"))
            }
            for (previousEnd, nextStart) in zip(ends, starts.dropFirst()) {
                #expect(previousEnd < nextStart)
            }
            if let deadline = values("deadline", in: front).first, let first = starts.first {
                #expect(deadline < first && deadline > "2026-11-27")
            }
            let reviewed = try #require(value("last_reviewed", in: front))
            #expect(reviewed >= "2026-03-01" && reviewed <= "2026-11-20", "\(path): \(reviewed)")
            if let until = value("valid_until", in: front) {
                #expect(until > "2026-11-27" && until >= (ends.last ?? ""))
            }
        }
        #expect(dated > 0 && ongoing > 0)
    }

    @Test func priceSignupAndContactAreComplete() {
        for path in bases {
            let (front, _) = split(read(root, path))
            let kinds = values("kind", in: front)
            // `kind` appears twice: the offer's and the price's.
            #expect(kinds.count == 2)
            let priceKind = kinds.last ?? ""
            #expect(["gratis", "egenandel", "betaling"].contains(priceKind))
            #expect(values("amount_nok", in: front).count == (priceKind == "gratis" ? 0 : 1), "\(path)")
            #expect(values("url", in: front).allSatisfy { $0.hasPrefix("https://example.org/") })
            #expect(values("phone", in: front).allSatisfy { matches($0, "^\\+47 2[0-9] [0-9]{2} [0-9]{2} [0-9]{2}$") })
            #expect(values("email", in: front).allSatisfy { matches($0, "^[a-z0-9.-]+@example\\.org$") }, "\(path)")
            #expect(values("name", in: front).count >= 1)
        }
    }

    @Test func bodiesAreNorwegianMarkdownOfTheRightLength() {
        for path in bases {
            let (_, body) = split(read(root, path))
            let words = wordCount(body)
            #expect((150...250).contains(words), "\(path): \(words) words")
            #expect(body.contains("\n## "))
            #expect(body.components(separatedBy: "\n").filter { $0.hasPrefix("- ") }.count >= 3)
            #expect(!body.contains("{"), "\(path) has an unfilled placeholder")
            #expect(!body.contains("<"))
            // No run of 11 digits that could look like a fødselsnummer.
            #expect(!matches(read(root, path), "[0-9]{11}"))
        }
    }
}

@Suite struct PartsTests {
    @Test func orgNumberCheckDigitMatchesKnownNumbers() {
        for known in ["988077917", "889640782", "974557746", "993467049", "974778882"] {
            let digits = known.compactMap(\.wholeNumberValue)
            #expect(OrgNumber.checkDigit(Array(digits.prefix(8))) == digits[8], "\(known)")
            #expect(isValidOrgNumber(known))
        }
        #expect(!isValidOrgNumber("988077918"))
    }

    @Test func calendarDaysRoundTrip() {
        let day = CalendarDay(year: 2027, month: 2, day: 28)
        #expect(day.iso == "2027-02-28")
        #expect(day.adding(days: 1).iso == "2027-03-01")
        #expect(CalendarDay(year: 2028, month: 2, day: 28).adding(days: 1).iso == "2028-02-29")
        #expect(CalendarDay(year: 1970, month: 1, day: 1).daysSinceEpoch == 0)
        #expect(CalendarDay(year: 2026, month: 11, day: 27).weekday == 4)  // a Friday
    }

    @Test func slugsFoldNorwegianAndSamiLetters() {
        #expect(slugify("Kárášjohka - Karasjok") == "karasjohka-karasjok")
        #expect(slugify("Herøy (Møre og Romsdal)") == "heroy-more-og-romsdal")
        #expect(slugify("Bedre søvn – kurs i Ålesund") == "bedre-sovn-kurs-i-alesund")
        #expect(slugify("Nordreisa - Ráisa - Raisi") == "nordreisa-raisa-raisi")
        #expect(truncateSlug("aaaa-bbbb-cccc", to: 11) == "aaaa-bbbb")
    }

    @Test func yamlScalarsQuoteWhatNeedsIt() {
        #expect(YAMLText.scalar("Sov godt – kurs") == "Sov godt – kurs")
        #expect(YAMLText.scalar("Mestring av søvn: kurs") == "\"Mestring av søvn: kurs\"")
        #expect(YAMLText.scalar("yes") == "\"yes\"")
        #expect(YAMLText.scalar("0301") == "\"0301\"")
        #expect(YAMLText.scalar("a, b", inFlow: true) == "\"a, b\"")
        #expect(YAMLText.quoted("sa \"hei\"") == "\"sa \\\"hei\\\"\"")
        #expect(YAMLText.fixed(59.92264, decimals: 4) == "59.9226")
        #expect(YAMLText.fixed(10.5, decimals: 4) == "10.5000")
    }

    @Test func vocabularyReaderUnderstandsBlockAndFlowStyles() {
        let file = VocabularyFile.parse(Fixture.vocabularies)
        #expect(file.ids(named: ["topics"]) == Fixture.topics)
        #expect(file.ids(named: ["audiences"]) == Fixture.audiences)
        #expect(file.ids(named: ["delivery"]) == ["oppmote", "digitalt", "hybrid"])
        #expect(file.ids(named: ["format"]) == ["kurs", "gruppe", "digitalt-verktoy"])
        #expect(file.ids(named: ["provider_types"]) == Lexicon.providerTypes)
        #expect(file.label(for: "kosthold", in: ["topics"]) == "Kosthold")
        #expect(file.label(for: "gruppe", in: ["format"]) == "Gruppe")
        #expect(file.ids(named: ["missing"]) == nil)

        let wrapped = VocabularyFile.parse("""
        vocabularies:
          topics:
          - id: sovn
            label:
              nb: Søvn
          - label: {nb: Ny, nn: Ny, en: New}
            id: nytt-tema
        """)
        #expect(wrapped.ids(named: ["topic"]) == ["sovn", "nytt-tema"])
        #expect(wrapped.label(for: "sovn", in: ["topics"]) == "Søvn")
    }

    @Test func municipalityReaderSkipsHeaderAndHonoursQuotes() {
        let rows = MunicipalityReader.parse("kommunenummer,navn\n0301,Oslo\n\"1804\",\"Bodø, by\"\n12,Feil\n0301,Dobbel\n")
        #expect(rows.map(\.code) == ["0301", "1804"])
        #expect(rows.last?.name == "Bodø, by")
        #expect(Municipality(code: "5636", name: "Unjárga - Nesseby").shortName == "Unjárga")
        #expect(Municipality(code: "1515", name: "Herøy (Møre og Romsdal)").cityName == "Herøy")
    }
}

/// The reader against the repository's own governance, when it is there.
@Suite struct RepositoryGovernanceTests {
    static let vocabularies = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("content/governance/vocabularies.yaml")

    @Test(.enabled(if: FileManager.default.fileExists(atPath: vocabularies.path)))
    func everySpecVocabularyIsFoundInContentGovernance() throws {
        let file = VocabularyFile.parse(try String(contentsOf: Self.vocabularies, encoding: .utf8))
        let vocabulary = Vocabulary(file: file)
        #expect(Set(Lexicon.topics).isSubset(of: Set(vocabulary.topics)))
        #expect(Set(Lexicon.audiences).isSubset(of: Set(vocabulary.audiences)))
        #expect(Set(Lexicon.formats).isSubset(of: Set(vocabulary.formats)))
        #expect(Set(Lexicon.accessibility).isSubset(of: Set(vocabulary.accessibility)))
        for (names, ids) in [(["kind"], Lexicon.kinds), (["delivery"], Lexicon.deliveries), (["price"], Lexicon.prices),
                             (["referral"], Lexicon.referrals), (["provider_type"], Lexicon.providerTypes)] {
            let listed = try #require(file.ids(named: names), "\(names) not found")
            #expect(Set(ids).isSubset(of: Set(listed)), "\(names)")
        }
    }
}
