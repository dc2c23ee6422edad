import Foundation
import Testing
@testable import TilbudSearch

/// Prints the top results of the queries in TILBUD_SEARCH_EXPLORE (`|`-separated, `nn:` prefix for nynorsk); for tuning.
@Test(.enabled(if: ProcessInfo.processInfo.environment["TILBUD_SEARCH_EXPLORE"] != nil))
func explore() throws {
    let site = BundledSite.shared
    for q in ProcessInfo.processInfo.environment["TILBUD_SEARCH_EXPLORE"]!.split(separator: "|").map(String.init) {
        var lang = "nb", query = q
        if q.hasPrefix("nn:") { lang = "nn"; query = String(q.dropFirst(3)) }
        if q.hasPrefix("en:") { lang = "en"; query = String(q.dropFirst(3)) }
        let e = try site.engine(lang)
        let r = try e.search(query)
        print("== \(q) (\(r.documents.count)\(r.partial ? ", partial" : "")) tokens: \(r.tokens.map { $0.folded + "/" + $0.stem })")
        for d in r.documents.prefix(7) { print("   \(site.indexes[lang]!.documents[d].id)") }
    }
}
