import Foundation
import Testing
import TilbudModel

/// The URL scheme the pages, the feed, search and `serve` share.
struct SitePathsTests {
    let paths = SitePaths(baseURL: "https://example.org/katalog", languages: ["nb", "nn", "en"])

    @Test func baseURLGetsItsSlashAndBasePathIsItsPath() {
        #expect(paths.baseURL == "https://example.org/katalog/")
        #expect(paths.basePath == "/katalog/")
        #expect(SitePaths(baseURL: "https://example.org", languages: ["nb"]).basePath == "/")
        #expect(SitePaths(baseURL: "https://example.org/", languages: ["nb"]).basePath == "/")
    }

    @Test func theDefaultLanguageHasNoFolder() {
        #expect(paths.prefix("nb") == "")
        #expect(paths.prefix("nn") == "nn/")
        #expect(paths.url(SitePaths.home, "nb") == "/katalog/")
        #expect(paths.url(SitePaths.offer(providerID: "frisk", slug: "sov-godt"), "en") == "/katalog/en/tilbud/frisk/sov-godt/")
        #expect(paths.absoluteURL(SitePaths.provider("frisk"), "nn") == "https://example.org/katalog/nn/tilbyder/frisk/")
        #expect(paths.url(SitePaths.topic("sovn"), "xx") == "/katalog/xx/tema/sovn/", "a language outside the site still gets its folder")
    }

    @Test func foldersAreWrittenAsIndexFiles() {
        #expect(paths.file(SitePaths.home, "nb") == "index.html")
        #expect(paths.file(SitePaths.search, "nn") == "nn/sok/index.html")
        #expect(paths.file(SitePaths.notFound, "en") == "en/404.html")
        #expect(paths.file(SitePaths.municipality("0301"), "nb") == "kommune/0301/index.html")
        #expect(SitePaths.searchIndex == "sok/indeks/")
    }

    @Test func vocabularyEntriesWithListPages() {
        #expect(SitePaths.entry(.topics, "sovn") == "tema/sovn/")
        #expect(SitePaths.entry(.kind, "kurs") == "type/kurs/")
        #expect(SitePaths.entry(.audiences, "eldre") == "malgruppe/eldre/")
        #expect(SitePaths.entry(.accessibility, "rullestol") == nil)
    }

    @Test func apiFiles() {
        #expect(paths.apiBase == "https://example.org/katalog/api/v1/")
        #expect(paths.fhirBase == "https://example.org/katalog/api/fhir/R4/")
        #expect(SitePaths.api + SitePaths.apiOffer("frisk/sov-godt") == "api/v1/offers/frisk/sov-godt.json")
        #expect(SitePaths.api + SitePaths.apiMunicipality("0301") == "api/v1/municipalities/0301.json")
    }
}
