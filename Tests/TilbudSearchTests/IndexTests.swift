import Foundation
import Testing
import TilbudJSON
import TilbudModel
import TilbudRender
@testable import TilbudSearch
import TilbudOutput
import TilbudSite

@Suite struct IndexTests {
    let site = BundledSite.shared

    @Test func onlyCurrentAndDueOffersAreIndexed() {
        let ids = Set(site.indexes["nb"]!.documents.map(\.id))
        let listed = site.renderer.published.filter { $0.state.isListed }.map(\.id)
        #expect(ids == Set(listed))
        #expect(!ids.contains("frisklivssentralen-bergen/vannaerobic-for-eldre"), "stale")
        #expect(!ids.contains("pusteforbundet/pustegruppe-astma"), "stale")
        #expect(!ids.contains("frisklivssentralen-fredrikstad/gaagrupper-i-bydelene"), "ended")
        #expect(!ids.contains("parorendeforeningen-agder/parorendekafe"), "archived")
        #expect(ids.contains("frisklivssentralen-lillehammer/senior-i-form"), "due for review is still searchable")
    }

    @Test func documentsAreInListOrder() {
        let docs = site.indexes["nb"]!.documents
        let order = site.renderer.indexes().all.map { site.renderer.published[$0].id }
        #expect(docs.map(\.id) == order)
    }

    @Test func resultMetadataIsInThePagesLanguage() throws {
        func doc(_ lang: String) -> SearchDocument { site.indexes[lang]!.documents.first { $0.id == "frisklivssentralen-oslo-grunerlokka/sov-godt" }! }
        #expect(doc("nb").title == "Sov godt – kurs for deg som sover dårlig")
        #expect(doc("nn").title == "Sov godt – kurs for deg som søv dårleg")
        #expect(doc("en").title == "Sov godt – a course for people who sleep badly")
        #expect(doc("nb").path == "tilbud/frisklivssentralen-oslo-grunerlokka/sov-godt/")
        #expect(doc("nb").provider == "Frisklivssentralen i Oslo, bydel Grünerløkka")
        #expect(doc("nb").area == "Oslo")
        #expect(doc("nb").when == "2. februar 2027")
        #expect(doc("nb").whenISO == "2027-02-02")
        #expect(doc("nb").textLang == "")
        let untranslated = site.indexes["en"]!.documents.first { $0.id == "frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs" }!
        #expect(untranslated.textLang == "nb")
        #expect(untranslated.path == "/tilbud/frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs/", "no English page: the bokmål one")
        let national = site.indexes["nb"]!.documents.first { $0.id == "nasjonalt-senter-digital-mestring/sov-bedre-digitalt-sovnprogram" }!
        #expect(national.area == "Hele landet")
        #expect(site.indexes["nn"]!.base == "/nn/")
    }

    @Test func resultsLinkToPagesThatExist() throws {
        // Offer pages in nn and en exist only for offers translated into them; a result for any other offer links to
        // its bokmål page (no language prefix) and says its text is in bokmål.
        let r = site.renderer
        var byID: [String: Int] = [:]
        for (i, o) in r.published.enumerated() { byID[o.id] = i }
        var elsewhere: [String: Int] = [:]
        for lang in r.catalog.site.languages {
            let e = try site.engine(lang)
            for d in 0..<e.manifest.count {
                let doc = try e.document(d)
                let i = try #require(byID[doc.id], "\(doc.id)")
                let page = r.pageLanguage(i, lang)
                #expect(r.hasPage(i, page), "\(lang): \(doc.id)")
                #expect(e.url(doc) == r.offerURL(i, lang), "\(lang): \(doc.id)")
                #expect(doc.textLang == (page == lang ? "" : page), "\(lang): \(doc.id)")
                #expect(doc.path.hasPrefix("/") == (page != lang), "\(lang): \(doc.id)")
                if page != lang { elsewhere[lang, default: 0] += 1 }
            }
        }
        #expect(elsewhere["nb"] == nil)
        #expect(elsewhere["nn", default: 0] > 0 && elsewhere["en", default: 0] > elsewhere["nn", default: 0])

        let en = try site.engine("en")
        let docs = try (0..<en.manifest.count).map { try en.document($0) }
        let untranslated = try #require(docs.first { $0.id == "frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs" })
        #expect(untranslated.path == "/tilbud/frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs/")
        #expect(en.url(untranslated) == "/tilbud/frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs/")
        #expect(untranslated.textLang == "nb")
        let translated = try #require(docs.first { $0.id == "frisklivssentralen-oslo-grunerlokka/sov-godt" })
        #expect(translated.path == "tilbud/frisklivssentralen-oslo-grunerlokka/sov-godt/")
        #expect(en.url(translated) == "/en/tilbud/frisklivssentralen-oslo-grunerlokka/sov-godt/")
        #expect(translated.textLang == "")
    }

    @Test func resultsLinkBelowTheBasePath() throws {
        let renderer = SiteRenderer(catalog: site.catalog, templates: site.renderer.templates, baseURL: "https://example.org/katalog/")
        var files: [String: Data] = [:]
        for (p, d) in SearchFiles().files(for: SearchIndex.build(renderer.publishedCatalog, language: "nn")) { files[p] = d }
        let e = try SearchEngine { files[$0]! }
        #expect(e.manifest.base == "/katalog/nn/")
        let docs = try (0..<e.manifest.count).map { try e.document($0) }
        let untranslated = try #require(docs.first { $0.id == "frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs" })
        #expect(e.url(untranslated) == "/katalog/tilbud/frisklivssentralen-trondheim/snusfri-digitalt-sluttekurs/")
        #expect(untranslated.textLang == "nb")
        let translated = try #require(docs.first { $0.id == "frisklivssentralen-trondheim/sterk-og-stodig" })
        #expect(e.url(translated) == "/katalog/nn/tilbud/frisklivssentralen-trondheim/sterk-og-stodig/")
        #expect(translated.textLang == "")
    }

    @Test func languagesWithTheSameTextsShareTermShards() throws {
        // Without English translations the en index has nb's terms: the languages are indexed nb, en, nn (those
        // that show the same texts one after the other), en gets nb's postings and the shard files are made once.
        let catalog = site.renderer.catalog
        let offers = catalog.offers.map { o -> Offer in
            var o = o
            o.translations["en"] = nil
            return o
        }
        let changed = Catalog(site: catalog.site, governance: catalog.governance, providers: catalog.providers, offers: offers, today: catalog.today)
        let corpus = SearchCorpus(SiteRenderer(catalog: changed, templates: site.renderer.templates).publishedCatalog)
        #expect(corpus.languageOrder(["nb", "nn", "en"]) == ["nb", "en", "nn"])
        #expect(corpus.languageOrder(["nn", "en", "nb"]) == ["nn", "en", "nb"])
        let nb = corpus.index("nb"), en = corpus.index("en"), nn = corpus.index("nn")
        #expect(en.postings === nb.postings)
        #expect(nn.postings !== nb.postings)
        let again = corpus.index("en")
        #expect(again.postings !== nb.postings, "only the last postings are kept: en after nn makes its own again")
        #expect(again.terms == nb.terms)
        #expect(en.terms == nb.terms)
        #expect(nn.terms != nb.terms)
        #expect(en.documents.allSatisfy { $0.textLang == "nb" && $0.path.hasPrefix("/tilbud/") })
        func shards(_ files: [(path: String, bytes: [UInt8])]) -> [[UInt8]] {
            files.filter { $0.path.split(separator: "/").last!.hasPrefix("t") }.map(\.bytes)
        }
        let cache = SearchFiles.Cache()
        let a = SearchFiles().encode(nb, cache: cache)
        let b = SearchFiles().encode(en, cache: cache)
        #expect(!shards(a).isEmpty)
        #expect(shards(b) == shards(a))
        #expect(shards(b) == shards(SearchFiles().encode(en, cache: nil)), "what the cache gives is what would be made")
    }

    @Test func onlyTheLastLanguagesPostingsAreHeld() throws {
        // At 100,000 offers a language's postings are 40 MB: neither the corpus nor the shard cache keeps them once
        // the next language (showing other texts) is indexed.
        let corpus = SearchCorpus(site.renderer.publishedCatalog)
        let cache = SearchFiles.Cache()
        weak var first: SearchPostings?
        do {
            let nb = corpus.index("nb")
            first = nb.postings
            _ = SearchFiles().encode(nb, cache: cache)
        }
        #expect(first != nil, "the corpus keeps the last postings for a language that shows the same texts")
        let nn = corpus.index("nn")
        #expect(first == nil)
        let again = SearchFiles().encode(corpus.index("nb"), cache: cache)
        #expect(again.map(\.bytes) == SearchFiles().encode(corpus.index("nb"), cache: nil).map(\.bytes))
        #expect(nn.postings !== corpus.index("nb").postings)
    }

    @Test func stepWritesWhatTheIndexGives() throws {
        // The step shares work between the languages; its files are still those of each language's own index.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        try SearchStep().write(site.renderer.publishedCatalog, writer: OutputWriter(root: dir))
        for (prefix, lang) in [("", "nb"), ("nn/", "nn"), ("en/", "en")] {
            for (path, data) in site.files[lang]! {
                let written = try Data(contentsOf: dir.appendingPathComponent(prefix + SearchFiles.folder + path))
                #expect(written == data, "\(lang): \(path)")
            }
        }
    }

    @Test func engineReadsWhatTheFilesSay() throws {
        let e = try site.engine()
        let index = site.indexes["nb"]!
        #expect(e.manifest.count == index.documents.count)
        #expect(e.manifest.facets == index.facets)
        let terms = try e.allTerms()
        #expect(terms.count == index.terms.count)
        for (term, shard, entry) in terms {
            #expect(index.terms[term] == entry, "\(term)")
            // The shard lookup finds the shard a term is in.
            #expect(e.shardsFor(lo: term, hi: term + "\u{0}") == [shard], "\(term)")
        }
        for d in [0, index.documents.count / 2, index.documents.count - 1] {
            #expect(try e.document(d) == index.documents[d])
        }
    }

    @Test func filesAreDeterministic() {
        let again = SearchFiles().files(for: SearchIndex.build(site.renderer.publishedCatalog, language: "nb"))
        var byPath: [String: Data] = [:]
        for (p, d) in again { byPath[p] = d }
        #expect(byPath == site.files["nb"]!)
    }

    @Test func folderNameIsAContentHash() throws {
        let m = try JSONSerialization.jsonObject(with: site.files["nb"]![SearchFiles.manifestName]!) as! [String: Any]
        let dir = m["dir"] as! String
        #expect(dir.count == 13 && dir.hasSuffix("/"))
        #expect(site.files["nb"]!.keys.filter { $0 != SearchFiles.manifestName }.allSatisfy { $0.hasPrefix(dir) })
        #expect(site.files["nn"]![SearchFiles.manifestName] != site.files["nb"]![SearchFiles.manifestName])
    }

    @Test func uncompressedFilesWorkToo() throws {
        let files = SearchFiles(shardTarget: 500, chunkSize: 3, compress: false).files(for: site.indexes["nb"]!)
        var byPath: [String: Data] = [:]
        for (p, d) in files { byPath[p] = d }
        let e = try SearchEngine { byPath[$0]! }
        #expect(!e.manifest.compressed)
        #expect(e.manifest.shards.count > 5)
        let small = try e.search("søvn oslo").documents
        let big = try site.engine().search("søvn oslo").documents
        #expect(small == big)
    }

    @Test func stepWritesEveryLanguageNextToItsSearchPage() throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("tilbud-search-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let writer = OutputWriter(root: dir)
        try SearchStep().write(site.renderer.publishedCatalog, writer: writer)
        for (prefix, lang) in [("", "nb"), ("nn/", "nn"), ("en/", "en")] {
            let folder = dir.appendingPathComponent(prefix + SearchFiles.folder)
            let e = try SearchEngine(folder: folder)
            #expect(e.manifest.language == lang)
            #expect(try e.search("søvn").documents.count > 3)
        }
    }

    @Test func synonymsComeFromGovernanceData() throws {
        // A word no offer contains, added as a synonym of «sovn» in the governance data, finds the sleep offers.
        let catalog = site.renderer.catalog
        var vocabularies = catalog.governance.vocabularies
        let topics = vocabularies["topics"]!
        vocabularies["topics"] = Vocabulary(name: "topics", entries: topics.entries.map { e in
            e.id == "sovn" ? VocabularyEntry(id: e.id, labels: e.labels, synonyms: e.synonyms + ["nattugle"]) : e
        })
        let governance = Governance(policy: catalog.governance.policy, vocabularies: vocabularies, municipalities: catalog.governance.municipalities)
        let changed = Catalog(site: catalog.site, governance: governance, providers: catalog.providers, offers: catalog.offers, today: catalog.today)
        let renderer = SiteRenderer(catalog: changed, templates: site.renderer.templates)
        let index = SearchIndex.build(renderer.publishedCatalog, language: "nb")
        var files: [String: Data] = [:]
        for (p, d) in SearchFiles().files(for: index) { files[p] = d }
        let e = try SearchEngine { files[$0]! }
        let found = Set(try e.search("nattugle").documents.map { index.documents[$0].id })
        let sleep = Set(renderer.published.filter { $0.state.isListed && $0.topics.contains("sovn") }.map(\.id))
        #expect(!sleep.isEmpty)
        #expect(found == sleep)
        #expect(try site.engine().search("nattugle").documents.isEmpty)
    }

    @Test func røykFindsEveryTobaccoOffer() throws {
        let e = try site.engine()
        let index = site.indexes["nb"]!
        let found = Set(try e.search("røyk").documents.map { index.documents[$0].id })
        let tobacco = site.renderer.published.filter { $0.state.isListed && $0.topics.contains("tobakk") }.map(\.id)
        for id in tobacco { #expect(found.contains(id), "\(id)") }
    }
}

@Suite struct QueryTests {
    let site = BundledSite.shared

    @Test func emptyQueryListsEverythingInListOrder() throws {
        let r = try site.engine().search("   ")
        #expect(r.documents == Array(0..<site.indexes["nb"]!.documents.count))
        #expect(r.tokens.isEmpty)
    }

    @Test func stopWordsShortWordsAndRepeatsAreDropped() throws {
        let e = try site.engine()
        #expect(e.tokens("kurs for deg som sover i Oslo oslo").map(\.folded) == ["kurs", "sover", "oslo"])
        #expect(e.tokens("a b c").isEmpty)
    }

    @Test func typosNeedFiveLetters() throws {
        let e = try site.engine()
        #expect(SearchEngine.quality(e.tokens("kolesterl")[0], "kolesterol") == 2)
        #expect(SearchEngine.quality(e.tokens("sovm")[0], "sovn") == 0)
        #expect(SearchEngine.quality(e.tokens("sovn")[0], "sovnvansk") == 3)
        #expect(SearchEngine.quality(e.tokens("kurset")[0], "kurs") == 4)
        #expect(SearchEngine.quality(e.tokens("ms")[0], "msx") == 0, "two letters: exact only")
    }

    @Test func everyWordMustMatchUnlessNoOfferHasThemAll() throws {
        let e = try site.engine()
        let both = try e.search("søvn oslo")
        #expect(!both.partial)
        let sleep = Set(try e.search("søvn").documents)
        let oslo = Set(try e.search("oslo").documents)
        #expect(Set(both.documents) == sleep.intersection(oslo))
        let some = try e.search("søvn qqqqzzz")
        #expect(some.partial)
        #expect(Set(some.documents) == sleep)
    }

    @Test(arguments: ["", "kurs", "søvn", "trening oslo"])
    func facetCountsAreTheResultsEachValueWouldGive(_ q: String) throws {
        let e = try site.engine()
        let base = try e.search(q)
        for (f, facet) in e.manifest.facets.enumerated() {
            for (v, value) in facet.values.enumerated() {
                let filtered = try e.search(q, filters: [facet.key: [value.id]])
                #expect(base.counts[f][v] == filtered.documents.count, "\(facet.key)=\(value.id) for «\(q)»")
            }
        }
    }

    @Test func filtersAreOrWithinAndAndAcross() throws {
        let e = try site.engine()
        let sleep = Set(try e.search("", filters: ["tema": ["sovn"]]).documents)
        let stress = Set(try e.search("", filters: ["tema": ["stress"]]).documents)
        let either = Set(try e.search("", filters: ["tema": ["sovn", "stress"]]).documents)
        #expect(either == sleep.union(stress))
        let free = Set(try e.search("", filters: ["pris": ["gratis"]]).documents)
        let both = Set(try e.search("", filters: ["tema": ["sovn", "stress"], "pris": ["gratis"]]).documents)
        #expect(both == either.intersection(free))
        #expect(try e.search("", filters: ["tema": ["no-such-topic"]]).documents.count == site.indexes["nb"]!.documents.count)
    }

    @Test func nationalOffersCountUnderEveryMunicipality() throws {
        let e = try site.engine()
        let index = site.indexes["nb"]!
        let oslo = try e.search("", filters: ["kommune": ["0301"]]).documents.map { index.documents[$0].id }
        #expect(oslo.contains("frisklivssentralen-oslo-grunerlokka/sov-godt"))
        #expect(oslo.contains("nasjonalt-senter-digital-mestring/sov-bedre-digitalt-sovnprogram"))
        #expect(!oslo.contains("frisklivssentralen-tromso/smertemestring"))
        // A municipality's name as a search word finds only offers there.
        let named = try e.search("oslo").documents.map { index.documents[$0].id }
        #expect(!named.contains("nasjonalt-senter-digital-mestring/sov-bedre-digitalt-sovnprogram"))
    }

    @Test func resultsAreDeterministic() throws {
        let a = try site.engine().search("kurs").documents
        let b = try site.engine().search("kurs").documents
        #expect(a == b)
    }
}

/// The search files are JSON read by the browser's JavaScript: strings escape U+2028 and U+2029 as well.
@Suite struct JSONTests {
    @Test(arguments: ["plain", "say \"hi\"", "back\\slash", "line\nbreak\ttab\r", "\u{1}\u{1F}", "sep\u{2028}ara\u{2029}tor", "æøå – «»", "\u{E2}\u{80}"])
    func stringsRoundTrip(_ s: String) throws {
        var j = JSONWriter(escaping: .lineSeparators)
        j.strings(nil, [s])
        let text = String(decoding: j.bytes, as: UTF8.self)
        let back = try JSONSerialization.jsonObject(with: Data(j.bytes)) as! [String]
        #expect(back == [s])
        #expect(!text.contains("\u{2028}") && !text.contains("\u{2029}"))
    }
}

@Suite struct DateFormatTests {
    @Test("placeholders are replaced as Foundation's replacingOccurrences replaces them")
    func replacingMatchesFoundation() {
        for text in ["{d}.{month}.{y}", "", "{d}", "{d}{d}", "{{d}}", "{d", "d}", "den {d}. {month} {y} – {d}!", "{dd}", "æ{d}ø{d}å", "{d}{"] {
            for value in ["", "7", "{d}", "mars", "æøå"] {
                #expect(SearchIndex.replacing("{d}", with: value, in: text) == text.replacingOccurrences(of: "{d}", with: value),
                        "\(text) \(value)")
            }
        }
    }
}
