import Foundation
import Testing
import TilbudModel
@testable import TilbudSearch

/// Where and when in the index: every municipality with its other names and position, the postcode register
/// (p.bin) and each document's start (the end of f.bin), which search.js's location and start-date filters read.
@Suite struct PlacesTests {
    let site = BundledSite.shared

    /// The uncompressed index file `name` (`m.bin`, `p.bin`, …) of `lang`.
    func file(_ name: String, _ lang: String = "nb") throws -> Data {
        let files = SearchFiles(compress: false).files(for: site.indexes[lang]!)
        return try #require(files.first { $0.path.hasSuffix("/" + name) }).data
    }

    func meta(_ lang: String = "nb") throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: file("m.bin", lang)) as? [String: Any])
    }

    @Test func everyMunicipalityCanBeChosenNotOnlyThoseWithLocalOffers() throws {
        let facet = site.indexes["nb"]!.facets[SearchIndex.municipalityFacet]
        #expect(facet.key == "kommune")
        #expect(facet.values.count == 357)
        #expect(facet.values.contains { $0.id == "4227" && $0.label == "Kvinesdal" })
        // Sorted by name, Norwegian order (æ, ø, å last).
        let labels = facet.values.map(\.label)
        #expect(labels.first == "Agdenes" || labels.first!.hasPrefix("A"))
        #expect(labels.last!.hasPrefix("Å"))
    }

    @Test func bilingualNamesAreOtherNamesOfTheMunicipality() throws {
        let index = site.indexes["nb"]!
        let values = index.facets[SearchIndex.municipalityFacet].values
        let v = try #require(values.firstIndex { $0.label == "Kárášjohka - Karasjok" })
        #expect(index.places.names[v] == ["Kárášjohka", "Karasjok"])
        let alt = try #require(try meta()["alt"] as? [[String]])
        #expect(alt[v] == ["Kárášjohka", "Karasjok"])
    }

    @Test func positionsAreInTheMetadata() throws {
        let index = site.indexes["nb"]!
        let values = index.facets[SearchIndex.municipalityFacet].values
        let pos = try #require(try meta()["pos"] as? [Int])
        #expect(pos.count == 2 * values.count)
        let v = try #require(values.firstIndex { $0.id == "4227" })
        // Kvinesdal is at about 58.3° N 6.9° E.
        #expect(abs(pos[2 * v] - 58_316) < 100 && abs(pos[2 * v + 1] - 6_940) < 100)
        #expect(try meta()["today"] as? String == "2026-11-27")
    }

    @Test func postcodesAreReadOnlyWhenAskedFor() throws {
        let index = site.indexes["nb"]!
        var r = VarintReader(try file("p.bin"))
        let n = try r.get()
        #expect(n > 5_000)
        var code = 0, found: [Int: Int] = [:]
        for _ in 0..<n {
            code += try r.get()
            found[code] = try r.get()
        }
        let values = index.facets[SearchIndex.municipalityFacet].values
        #expect(found[4480].map { values[$0].id } == "4227")  // Kvinesdal
        #expect(found[5003].map { values[$0].id } == "4601")  // Bergen
    }

    @Test func fBinEndsWithEachDocumentsStart() throws {
        let index = site.indexes["nb"]!
        var r = VarintReader(Data(index.facetFile))
        let n = try r.get(), f = try r.get()
        for _ in 0..<f { for _ in 0..<n { let k = try r.get(); for _ in 0..<k { _ = try r.get() } } }
        for _ in 0..<n { _ = try r.get() }
        let starts = try (0..<n).map { _ in try r.get() }
        #expect(r.at == r.bytes.count)
        let d = try #require(index.documents.firstIndex { $0.id == "frisklivssentralen-oslo-grunerlokka/sov-godt" })
        #expect(starts[d] == 2 + 67)  // 2 February 2027 is 67 days after 27 November 2026
        // Offers with continuous intake are 1.
        let ongoing = site.renderer.published.filter { $0.state.isListed && $0.ongoing && $0.nextStart == nil }.map(\.id)
        for id in ongoing { #expect(starts[index.documents.firstIndex { $0.id == id }!] == 1, "\(id)") }
    }
}

extension PlacesTests {
    @Test func namesThatAreVocabularyWordsAreMarked() throws {
        // "time" is a synonym of an appointment in vocabularies.yaml, so Time (Rogaland) is not taken from a query.
        let index = site.indexes["nb"]!
        let values = index.facets[SearchIndex.municipalityFacet].values
        let time = try #require(values.firstIndex { $0.label == "Time" })
        let oslo = try #require(values.firstIndex { $0.label == "Oslo" })
        #expect(index.places.words.contains(time))
        #expect(!index.places.words.contains(oslo))
        #expect(try meta()["word"] as? [Int] == index.places.words)
    }
}

extension PlacesTests {
    @Test func locationsWithAPositionAreInGBin() throws {
        let index = site.indexes["nb"]!
        var r = VarintReader(try file("g.bin"))
        let n = try r.get()
        #expect(n == index.documents.count)
        var points: [[(Int, Int)]] = []
        for _ in 0..<n {
            let k = try r.get()
            points.append(try (0..<k).map { _ in (try r.get() - 90_000, try r.get() - 180_000) })
        }
        #expect(r.at == r.bytes.count)
        // The Bergen healthy-living centre's course is at 60.3920 N 5.3250 E (its record's geo).
        let d = try #require(index.documents.firstIndex { $0.id == "frisklivssentralen-bergen/bra-mat-for-bedre-helse" })
        #expect(points[d].map(\.0) == [60_392] && points[d].map(\.1) == [5_325])
        #expect(points.contains { $0.isEmpty }, "offers without a position fall back to their municipality's")
    }
}
