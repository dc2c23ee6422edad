import Testing
@testable import TilbudFeed
import TilbudMarkdown

/// `HealthcareService.extraDetails` is FHIR markdown: what goes in is plain text, and it must render to exactly that
/// text, never to live HTML.
@Suite("FHIR markdown fields")
struct FHIRMarkdownTests {
    static let texts = [
        "Kode: <img src=x onerror=alert(1)> og &lt;b&gt;", "*ikke uthevet* og _heller ikke_ og `kode`",
        "# ikke en overskrift", "- ikke en liste", "+ heller ikke", "1. ikke nummerert", "12) nei", "> ikke sitat",
        "[lenke](javascript:alert(1)) ![bilde](x.png)", "| a | b |\n|---|---|", "~~ikke gjennomstreket~~", "Tekst\n===",
        "    ikke kode", "\\*stjerne\\* og \\\\", "Pris: 350 kr. Gratis for pårørende & ledsagere <3", "<script>alert(1)</script>",
    ]

    @Test(arguments: texts)
    func plainTextRendersToExactlyItself(_ text: String) {
        let literal = FHIRExport.markdownLiteral(text)
        let html = MarkdownRenderer().render(literal)
        let plain = text.split(separator: "\n", omittingEmptySubsequences: false).map { $0.drop { $0 == " " } }.joined(separator: "\n")
        let escaped = plain.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
        #expect(html == "<p>" + escaped + "</p>\n", "\(literal.debugDescription) → \(html.debugDescription)")
    }

    /// Only what could start markup gets a backslash: a hyphen inside a line, a decimal point and a price stay as
    /// they are, so the text stays readable where a consumer shows it unrendered.
    @Test func escapesOnlyWhatCouldStartMarkup() {
        #expect(FHIRExport.markdownLiteral("Pris 1.5 kr - for to-tre") == "Pris 1.5 kr - for to-tre")
        #expect(FHIRExport.markdownLiteral("12. mars: «kurs» i Bodø (2) = bra") == "12\\. mars: «kurs» i Bodø (2) = bra")
        #expect(FHIRExport.markdownLiteral("  - punkt\n\t+ pluss\n3) tre") == "\\- punkt\n\\+ pluss\n3\\) tre")
        #expect(FHIRExport.markdownLiteral("æ*ø_å") == "æ\\*ø\\_å")
    }
}
