import Testing
import TilbudDiagnostics
import TilbudValidate

/// Issue 11, items 3 and 8: plain-text fields hold plain text (no HTML, backticks or not; no invisible
/// characters), every free text, list and body table has a limit from `policy.yaml`, and each breach is an error
/// at its line.
@Suite("Plain text and limits")
struct PlainTextAndLimitTests {
    static func provider(name: String) -> String {
        "-- content/providers/frisk/provider.yaml --\n" + Records.provider.replacingOccurrences(of: "name: Frisklivssentralen i Oslo", with: "name: " + name)
            + "-- content/providers/frisk/sov-godt.md --\n" + Records.offer()
    }

    static let location = """
        locations:
          - name: %@
            address: Helgesens gate 2
            postal_code: "0553"
            city: Oslo
            municipality: "0301"
        """

    static let errors: [RuleCase] = [
        RuleCase("HTML in the title", offerCatalog(["title": "title: Sov 1️⃣<b>godt</b> – kurs"]), expect: "html-in-text"),
        RuleCase("HTML in a code span in the summary (backticks are no code span in plain text)",
                 offerCatalog(["summary": "summary: Fire kvelder om søvn `1️⃣<img src=x onerror=alert(1)>` og hva du selv kan gjøre."]), expect: "html-in-summary"),
        RuleCase("HTML in the provider's name", provider(name: "Frisk 1️⃣<script>alert(1)</script>"), expect: "html-in-text"),
        RuleCase("HTML in a location's name", offerCatalog(["locations": location.replacingOccurrences(of: "%@", with: "Sal 1️⃣<i>A</i>")]), expect: "html-in-text"),
        RuleCase("HTML in the contact's name", offerCatalog(["contact": "contact:\n  name: Kari 1️⃣</b>Nordmann\n  email: post@example.org"]), expect: "html-in-text"),
        RuleCase("a zero-width space in the title", offerCatalog(["title": "title: Sov1️⃣\u{200B} godt – kurs for deg som sover dårlig"]), expect: "invisible-character"),
        RuleCase("a zero-width joiner between letters in the provider's name", provider(name: "Frisk1️⃣\u{200D}livssentralen"), expect: "invisible-character"),
        RuleCase("a byte order mark in a quoted contact name", offerCatalog(["contact": "contact:\n  name: 1️⃣\"Kari\u{FEFF}Nordmann\"\n  email: post@example.org"]),
                 expect: "invisible-character"),
        RuleCase("a word joiner in a tag", offerCatalog(["tags": "tags: [søvn, in1️⃣\u{2060}somni]"]), expect: "invisible-character"),
        RuleCase("a provider name over name_max_chars", provider(name: "1️⃣" + String(repeating: "😀", count: 121)), expect: "too-long", says: ["121", "120"]),
        RuleCase("a location name over name_max_chars", offerCatalog(["locations": location.replacingOccurrences(of: "%@", with: "1️⃣" + String(repeating: "a", count: 121))]),
                 expect: "too-long"),
        RuleCase("a price note over text_max_chars", offerCatalog(["price": "price:\n  kind: gratis\n  note: 1️⃣" + String(repeating: "ø", count: 301)]),
                 expect: "too-long", says: ["301", "300"]),
        RuleCase("a link over text_max_chars", offerCatalog(["signup": "signup:\n  url: 1️⃣https://example.org/" + String(repeating: "a", count: 290)]),
                 expect: "too-long"),
        RuleCase("a tag over tag_max_chars", offerCatalog(["tags": "tags: [søvn, 1️⃣" + String(repeating: "z", count: 41) + "]"]), expect: "too-long"),
        RuleCase("51 course runs (list_max_items)", offerCatalog(["schedule": "schedule:\n  1️⃣" + String(repeating: "- start: 2026-02-03\n  ", count: 51)]),
                 expect: "count", says: ["51", "50"]),
        RuleCase("an 11-column table in a quote (table_max_columns)",
                 offerCatalog(body: "Tekst.\n\n> |a|b|c|d|e|f|g|h|i|j|k|\n1️⃣> |-|-|-|-|-|-|-|-|-|-|-|\n> |1|2|3|4|5|6|7|8|9|0|1|\n"), expect: "table-too-wide", says: ["11", "10"]),
        RuleCase("a 10 × 51 table (table_max_cells)",
                 offerCatalog(body: "- Liste\n\n  | a | b | c | d | e | f | g | h | i | j |\n1️⃣  |:--|:-:|--:|---|---|---|---|---|---|---|\n"
                              + String(repeating: "  |1|2|3|4|5|6|7|8|9|0|\n", count: 50)), expect: "table-too-large", says: ["510", "500"]),
        RuleCase("a link used until the HTML is over body_html_max_bytes",
                 offerCatalog(body: "1️⃣[a]: https://example.org/" + String(repeating: "x", count: 200) + "\n\n" + String(repeating: "[a][a] ", count: 900)),
                 expect: "body-html-too-large"),
        RuleCase("nesting 8,000 quotes deep, over body_html_max_bytes", offerCatalog(body: "1️⃣" + String(repeating: ">", count: 8000) + " dypt\n"),
                 expect: "body-html-too-large"),
    ]

    @Test(arguments: errors)
    func isAnErrorAtItsPlace(_ c: RuleCase) throws { try c.run() }

    static let fine: [(String, String)] = [
        ("a less-than sign that opens no tag", offerCatalog(["title": "title: Sov godt – når 2 < 3 timer søvn ikke er nok"])),
        ("an emoji joined by zero-width joiners", offerCatalog(["title": "title: Sov godt – for hele familien 👨\u{200D}👩\u{200D}👧"])),
        ("HTML in a code span of the body (a warning there, not an error)", offerCatalog(body: "Skriv `<b>` for fet skrift.\n")),
        ("names, texts and tags at their limits", provider(name: String(repeating: "😀", count: 120))),
        ("a table at its limits, and a pipe table in a code block", offerCatalog(body: "| a | b | c | d | e | f | g | h | i | j |\n|---|---|---|---|---|---|---|---|---|---|\n"
                                                                             + String(repeating: "|1|2|3|4|5|6|7|8|9|0|\n", count: 49) + "\nTekst.\n")),
        ("one link used a few times", offerCatalog(body: "[a]: https://example.org/\(String(repeating: "x", count: 200))\n\n" + String(repeating: "[a][a] ", count: 50))),
    ]

    @Test(arguments: fine)
    func isNoError(_ c: (String, String)) throws {
        let result = try TestCatalog(c.1).check()
        #expect(result.errors.isEmpty, "\(c.0)\n\(result.listing)")
    }

    @Test("the limits are governance data: lower one in fields.yaml or policy.yaml, and a record that met it no longer does")
    func limitsAreData() throws {
        let catalog = try TestCatalog(offerCatalog(["tags": "tags: [1️⃣søvnvansker]"],
                                                   body: "| a | b | c |\n2️⃣|---|---|---|\n| 1 | 2 | 3 |\n"))
        expectNoErrors(catalog.check())
        try catalog.write(try fields(replacing: "    item:\n      type: text\n      max_chars: 40\n", with: "    item:\n      type: text\n      max_chars: 10\n"),
                          to: "content/governance/fields.yaml")
        try catalog.write(try policy(replacing: "table_max_columns: 10", with: "table_max_columns: 2"), to: "content/governance/policy.yaml")
        expectErrors(catalog.check(), [Found("too-long", at: catalog.location("1️⃣")), Found("table-too-wide", at: catalog.location("2️⃣"))])
    }
}
