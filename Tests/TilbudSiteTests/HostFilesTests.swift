import Testing
import TilbudModel
@testable import TilbudSite

/// `_headers` and `_redirects` for Netlify and Cloudflare Pages (nginx's equivalent is tested in e2e/site/test_hosting.py).
@Suite("Host files")
struct HostFilesTests {
    @Test("rules for the API, the hashed files and each language's 404, under the site's own path")
    func rulesUnderTheBasePath() {
        let paths = SitePaths(baseURL: "https://helse.example.org/tilbud/", languages: ["nb", "nn", "en"])
        let headers = HostFiles.headers(paths)
        #expect(headers.contains("/tilbud/api/v1/*\n  Access-Control-Allow-Origin: *\n"))
        #expect(headers.contains("/tilbud/api/fhir/R4/*\n  Access-Control-Allow-Origin: *\n"))
        #expect(headers.contains("/tilbud/api/fhir/R4/$bulk-publish\n  Content-Type: application/json; charset=utf-8\n"))
        #expect(headers.contains("/tilbud/api/fhir/R4/HealthcareService.ndjson\n  Content-Type: application/fhir+ndjson; charset=utf-8\n"))
        #expect(headers.contains("/tilbud/assets/*\n  Cache-Control: public, max-age=31536000, immutable\n"))
        #expect(headers.contains("/tilbud/nn/sok/indeks/:hash/*\n  Cache-Control: public, max-age=31536000, immutable\n"))
        #expect(headers.contains("/tilbud/en/sok/indeks/manifest.json\n  Cache-Control: no-cache\n"))
        let redirects = HostFiles.redirects(paths)
        #expect(redirects.contains("/tilbud/nn/*  /tilbud/nn/404.html  404\n"))
        #expect(redirects.contains("/tilbud/en/*  /tilbud/en/404.html  404\n"))
        #expect(!redirects.contains("/tilbud/*  "), "the default language's 404.html is the host's own fallback")
    }
}
