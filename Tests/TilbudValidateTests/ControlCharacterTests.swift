import Testing
import TilbudContent
import TilbudDiagnostics
import TilbudValidate

/// A record cannot carry terminal escapes, line separators or bidi overrides, and nothing printed shows one raw.
@Suite("Control characters")
struct ControlCharacterTests {
    static let cases: [(String, String, Int, Int)] = [
        ("ESC in the body", "\u{1B}[2J\u{1B}[HIngen feil", 0, 1),
        ("OSC in the body", "Se \u{1B}]0;tittel\u{07} her", 0, 4),
        ("C1 CSI in the body", "Tekst \u{9B}2J", 0, 7),
        ("a line separator", "Linje\u{2028}to", 0, 6),
        ("a bidi override", "abc\u{202E}def", 0, 4),
        ("DEL", "x\u{7F}", 0, 2),
    ]

    @Test(arguments: cases)
    func aControlCharacterInARecordIsAnErrorAtItsLineAndColumn(_ c: (String, String, Int, Int)) throws {
        let result = try TestCatalog(offerCatalog(body: "Kurset går over fire kvelder.\n" + c.1 + "\n")).check()
        let found = result.diagnostics.filter { $0.id == "control-character" }
        #expect(found.count == 1, "\(c.0): \(result.diagnostics)")
        #expect(found.first?.location?.path == offerPath)
        #expect(found.first?.location?.column == c.3, "\(c.0)")
    }

    @Test func aBidiOverrideInATitleIsAnError() throws {
        let result = try TestCatalog(offerCatalog(["title": "title: Sov godt \u{202E}kurs"])).check()
        #expect(result.diagnostics.contains { $0.id == "control-character" && $0.location?.column == 17 }, "\(result.diagnostics.map { "\($0.id) \($0.location.map { "\($0.line):\($0.column)" } ?? "")" })")
    }

    @Test func printedExcerptsPathsAndMessagesShowControlsVisibly() {
        let d = Diagnostic.error(.controlCharacter, at: SourceLocation(path: "content/a\u{1B}[2J.md", line: 1, column: 1),
                                 Message(nb: "verdi \u{1B}]0;x\u{07}", en: "value \u{1B}]0;x\u{07}"))
        let source = "tittel: \u{1B}[2J\u{1B}[HIngen feil\u{9B}\u{202E}"
        for format in DiagnosticFormat.allCases {
            let out = DiagnosticFormatter(colour: false).format([d], as: format, filesChecked: 1) { _ in source }
            #expect(!out.unicodeScalars.contains { $0.value == 0x1B || $0.value == 0x07 || $0.value == 0x9B || $0.value == 0x202E },
                    "\(format): \(out.debugDescription)")
        }
        let text = DiagnosticFormatter(colour: false).format([d], as: .text, filesChecked: 1) { _ in source }
        #expect(text.contains(#"tittel: \u{1B}[2J\u{1B}[HIngen feil\u{9B}\u{202E}"#), "\(text)")
        #expect(text.contains(#"content/a\u{1B}[2J.md:1:1:"#))
        #expect(DiagnosticFormatter.visible("Søvn\tog – ro\n") == "Søvn\tog – ro\n")
    }
}

/// Links the page will not keep are warnings at the link, so the editor learns they were dropped.
@Suite("Links in the body")
struct BodyLinkTests {
    static let cases: [(String, String, Int)] = [
        ("[Meld deg på](javascript:alert(1))", "forbidden-link", 15), ("![bilde](http://x.example.org/a.png)", "insecure-link", 10),
        ("Se http://example.org/kurs for mer.", "insecure-link", 4), ("<http://example.org>", "insecure-link", 2),
        ("[p]: JavaScript:alert(1)", "forbidden-link", 6), ("[data](data:text/html,<b>x</b>)", "forbidden-link", 8),
    ]

    @Test(arguments: cases)
    func aRefusedLinkIsAWarningAtIt(_ c: (String, String, Int)) throws {
        let result = try TestCatalog(offerCatalog(body: "Kurset går over fire kvelder.\n\n" + c.0 + "\n")).check()
        let found = result.diagnostics.filter { $0.id.rawValue == c.1 }
        #expect(found.count == 1, "\(c.0): \(result.diagnostics.map(\.id))")
        #expect(found.first?.location?.column == c.2, "\(c.0)")
    }

    @Test func allowedLinksAndPlainTextAreNotReported() throws {
        let body = "[Påmelding](https://example.org/p), <mailto:post@example.org>, [ring](tel:+4723000000), "
            + "[side](/tilbud/a/), tid: 18:00, https://example.org og `http` som ord.\n"
        let result = try TestCatalog(offerCatalog(body: body)).check()
        #expect(!result.diagnostics.contains { $0.id == "insecure-link" || $0.id == "forbidden-link" }, "\(result.diagnostics.map(\.id))")
    }
}
