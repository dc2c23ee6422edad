import Foundation
import Testing
@testable import TilbudSearch

/// The relevance table (`e2e/search/relevance.json`) against the Swift query engine, on the bundled catalog.
@Suite struct RelevanceTests {
    @Test func theTableHasEnoughQueries() {
        let cases = RelevanceCase.all
        #expect(cases.count >= 60)
        for kind in ["misspelling", "nynorsk", "synonym", "municipality", "multi-word", "compound", "english", "language", "gp", "postcode", "place"] {
            #expect(cases.contains { $0.kind == kind }, "no \(kind) query in the table")
        }
    }

    @Test(arguments: RelevanceCase.answerable)
    func expectedOffersAreInTheTopFive(_ c: RelevanceCase) throws {
        let site = BundledSite.shared
        let top = try site.top(c.q, 5, lang: c.lang ?? "nb", filters: c.filters ?? [:])
        for id in c.top5 {
            #expect(top.contains(id), "«\(c.q)»: \(id) is not in the top five: \(top)")
        }
    }

    @Test(arguments: RelevanceCase.answerable.filter { $0.most != nil })
    func preciseQueriesDoNotMatchTooMuch(_ c: RelevanceCase) throws {
        let e = try BundledSite.shared.engine(c.lang ?? "nb")
        let n = try e.search(c.q, filters: c.filters ?? [:]).documents.count
        #expect(n <= c.most!, "«\(c.q)» matches \(n) offers, more than \(c.most!)")
    }

    /// Compounds, English and languages: every offer in `relevant` is found, not only the first five.
    @Test(arguments: RelevanceCase.answerable.filter { ["compound", "english", "language"].contains($0.kind) && $0.relevant != nil })
    func everyRelevantOfferIsFound(_ c: RelevanceCase) throws {
        let found = try BundledSite.shared.top(c.q, Int.max, lang: c.lang ?? "nb", filters: c.filters ?? [:])
        for id in c.relevant! {
            #expect(found.contains(id), "«\(c.q)»: \(id) is not found (\(found.count) results)")
        }
    }
}
