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

    @Test("did you mean: typos and prefixes of a vocabulary id, and nothing for a value far longer than any id")
    func suggestions() {
        let topics = ["sovn", "kols", "diabetes", "psykisk-helse", "fysisk-aktivitet"]
        #expect(Checks.suggestion(for: "søvn", among: topics) == "sovn")
        #expect(Checks.suggestion(for: "diabets", among: topics) == "diabetes")
        #expect(Checks.suggestion(for: "psykisk helse", among: topics) == "psykisk-helse")
        #expect(Checks.suggestion(for: "diab", among: topics) == "diabetes")
        #expect(Checks.suggestion(for: "astma", among: topics) == nil)
        // A fuzzed file once had a 450,000-character topic: compared with every id it took seconds to check.
        let long = "deme" + String(repeating: "12:30:00", count: 2_000) + "ns"
        #expect(Checks.suggestion(for: long, among: topics) == nil)
        #expect(Checks.suggestion(for: "diabetes" + String(repeating: "x", count: Checks.suggestionMaxLength), among: topics) == nil)
    }
}
