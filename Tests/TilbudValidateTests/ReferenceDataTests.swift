import Foundation
import Testing
import TilbudTestSupport
import TilbudModel
import TilbudValidate

/// The bundled reference data (`content/governance/postcodes.csv` and the positions in `municipalities.csv`).
@Suite("Reference data")
struct ReferenceDataTests {
    static func governance() throws -> Governance {
        let content = TestPaths.repositoryRoot.appendingPathComponent("content")
        let result = CatalogChecker(root: content, displayRoot: "content", today: try #require(Day(iso: "2026-11-27"))).run()
        #expect(result.errors.isEmpty, "\n\(result.listing)")
        return result.catalog.governance
    }

    @Test("every postcode names one of the 357 current municipalities, and every municipality has postcodes")
    func postcodes() throws {
        let gov = try Self.governance()
        #expect(gov.municipalities.count == 357)
        #expect(gov.postcodes.count > 5_000)
        let codes = Set(gov.municipalities.map(\.code))
        let unknown = gov.postcodes.filter { !codes.contains($0.municipality) }
        #expect(unknown.isEmpty, "\(unknown.prefix(5))")
        #expect(Set(gov.postcodes.map(\.code)).count == gov.postcodes.count)
        #expect(Set(gov.postcodes.map(\.municipality)) == codes)
        // Spot checks, including the 2024 numbers and the split of Ålesund and Haram.
        let byCode = Dictionary(uniqueKeysWithValues: gov.postcodes.map { ($0.code, $0) })
        #expect(byCode["4480"]?.municipality == "4227")  // Kvinesdal
        #expect(byCode["5003"]?.municipality == "4601")  // Bergen
        #expect(byCode["0150"]?.municipality == "0301")  // Oslo
        #expect(byCode["9510"]?.municipality == "5601")  // Alta (was 5403)
        #expect(byCode["3015"]?.municipality == "3301")  // Drammen (was 3005)
        #expect(byCode["6270"]?.municipality == "1580")  // Brattvåg: Haram (was Ålesund 1507)
        #expect(byCode["6002"]?.municipality == "1508")  // Ålesund
        #expect(byCode["9170"] == nil)  // Longyearbyen: Svalbard is not a municipality
    }

    @Test("every municipality has a position in Norway, and the positions are where the towns are")
    func positions() throws {
        let gov = try Self.governance()
        for m in gov.municipalities {
            let p = try #require(m.position, "\(m.code) \(m.name) has no position")
            #expect((57.9...71.2).contains(p.lat) && (4.5...31.2).contains(p.lon), "\(m.code) \(m.name): \(p)")
        }
        func km(_ a: String, _ b: String) throws -> Double {
            let p = try #require(gov.municipality(a)?.position), q = try #require(gov.municipality(b)?.position)
            let r = Double.pi / 180, dl = (q.lat - p.lat) * r, dn = (q.lon - p.lon) * r
            let h = pow(sin(dl / 2), 2) + cos(p.lat * r) * cos(q.lat * r) * pow(sin(dn / 2), 2)
            return 12_742 * asin(min(1, h.squareRoot()))
        }
        #expect(try (280...330).contains(km("0301", "4601")))  // Oslo–Bergen: about 305 km as the crow flies
        #expect(try km("4227", "4207") < 40)  // Kvinesdal–Flekkefjord
    }

    @Test("a municipality's names are the parts of its official name")
    func names() {
        let m = Municipality(code: "5605", name: "Sør-Varanger", countyCode: "56", countyName: "Finnmark")
        #expect(m.names == ["Sør-Varanger"])
        let k = Municipality(code: "5610", name: "Kárášjohka - Karasjok", countyCode: "56", countyName: "Finnmark")
        #expect(k.names == ["Kárášjohka - Karasjok", "Kárášjohka", "Karasjok"])
        let h = Municipality(code: "1818", name: "Herøy (Nordland)", countyCode: "18", countyName: "Nordland")
        #expect(h.names == ["Herøy (Nordland)", "Herøy"])
    }

    @Test("postcodes.csv rows that name no municipality are errors with their line")
    func badPostcodeRow() throws {
        let catalog = try TestCatalog("""
            A postcode file with an unknown municipality on line 3.
            -- content/governance/postcodes.csv --
            postnummer,poststed,kommunenummer
            0150,Oslo,0301
            9999,Ingensted,9999
            """)
        let result = catalog.check()
        #expect(result.diagnostics.contains { $0.location?.path.hasSuffix("postcodes.csv") == true && $0.location?.line == 3 })
        #expect(result.catalog.governance.postcodes.map(\.code) == ["0150"])
    }
}
