import Testing
import TilbudValidate

/// The byte-level fast paths in `Checks` decide exactly as the general rules.
@Suite("Checks fast paths")
struct ChecksTests {
    @Test("lowercased agrees with String.lowercased on Latin-1 and beyond")
    func lowercased() {
        for v in Array(0..<0x600) + Array(0x2000..<0x2100) {
            guard let scalar = Unicode.Scalar(UInt32(v)) else { continue }
            let s = "Ab" + String(Character(scalar)) + "Å"
            #expect(Checks.lowercased(s) == s.lowercased(), "U+\(String(v, radix: 16))")
        }
        for title in ["Søvnkurs for ÆLDRE", "KOLS-skole i Ålesund", "Ørsta × Volda", "Lær mer – «KOLS»", "Ære—Å", "İstanbul", "ΣΟΦΊΑ", "Straße", ""] {
            #expect(Checks.lowercased(title) == title.lowercased())
        }
    }

    @Test("https URLs: the ASCII fast path decides as the general rule", arguments: [
        ("https://example.org/kurs", nil), ("HTTPS://Example.ORG", nil), ("  https://a.b  ", nil), ("https://a.b/x?y#z", nil),
        ("https://", Checks.URLProblem.malformed), ("https://localhost/a.b", .malformed), ("https://a.b/c d", .malformed),
        ("https://a.b/<x>", .malformed), ("https://a.b/\"", .malformed), ("https://example.org/å", nil), ("https://exåmple/x", .malformed),
        ("http://example.org", .insecure), ("javascript:alert(1)", .forbiddenScheme("javascript")), ("h ttps://a.b", .malformed),
    ] as [(String, Checks.URLProblem?)])
    func urls(_ url: String, _ problem: Checks.URLProblem?) {
        #expect(Checks.urlProblem(url) == problem)
    }
}
