import Testing
import TilbudModel

/// The one scheme policy the Markdown renderer and the sanitizer share: https, mailto and tel, read as a browser reads them.
@Suite struct URLSchemePolicyTests {
    static let allowed = ["https://example.org", "HTTPS://x", " mailto:a@b.no", "tel:+4712345678\u{1}", "ht\ttps://x", "\u{0}https:x"]
    static let refused = ["http://example.org", "javascript:alert(1)", "java\nscript:x", "data:text/html,x", "/relative", "#anchor",
                          "", ":", "https", "1https://x", "vbscript:x", "mailto", "https//x", "&#106;avascript:x"]

    @Test(arguments: allowed)
    func allowedSchemesStayLive(_ url: String) {
        #expect(URLSchemePolicy.isAllowed(url), "\(url.debugDescription)")
        #expect(URLSchemePolicy.allowedTrimmed(Array(url.utf8)) != nil, "\(url.debugDescription)")
    }

    @Test(arguments: refused)
    func otherDestinationsAreRefused(_ url: String) {
        #expect(!URLSchemePolicy.isAllowed(url), "\(url.debugDescription)")
        #expect(URLSchemePolicy.allowedTrimmed(Array(url.utf8)) == nil, "\(url.debugDescription)")
    }

    @Test func theByteFormTrimsWhatABrowserIgnores() {
        let url = " \u{1}https://example.org/a b\u{1F} "
        let bytes = Array(url.utf8)
        let range = URLSchemePolicy.allowedTrimmed(bytes)
        #expect(range.map { String(decoding: bytes[$0], as: UTF8.self) } == URLSchemePolicy.trimmed(url))
        #expect(URLSchemePolicy.trimmed(url) == "https://example.org/a b")
    }
}
