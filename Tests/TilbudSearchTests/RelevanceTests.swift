import Foundation
import Testing
@testable import TilbudSearch

/// The relevance table (`e2e/search/relevance.json`) against the Swift query engine, on the bundled catalog.
@Suite struct RelevanceTests {
    @Test func theTableHasEnoughQueries() {
        let cases = RelevanceCase.all
        #expect(cases.count >= 25)
        for kind in ["misspelling", "nynorsk", "synonym", "municipality", "multi-word"] {
            #expect(cases.contains { $0.kind == kind }, "no \(kind) query in the table")
        }
    }

    @Test(arguments: RelevanceCase.all)
    func expectedOffersAreInTheTopFive(_ c: RelevanceCase) throws {
        let site = BundledSite.shared
        let top = try site.top(c.q, 5, lang: c.lang ?? "nb", filters: c.filters ?? [:])
        for id in c.top5 {
            #expect(top.contains(id), "«\(c.q)»: \(id) is not in the top five: \(top)")
        }
    }

    @Test func everyExpectedOfferIsListed() {
        let listed = Set(BundledSite.shared.indexes["nb"]!.documents.map(\.id))
        for c in RelevanceCase.all {
            for id in c.top5 { #expect(listed.contains(id), "\(id) is not a listed offer") }
        }
    }
}
